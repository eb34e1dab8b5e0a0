//! Browser sessions (Zendesk's sessions API): everyone's for admins, a
//! person's for them or an admin; ended one at a time or all at once.

use super::{no_content, ok, path_id};
use crate::Api;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::wire;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use domain::UserId;
use serde_json::json;

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/sessions", get(everyone))
        .route("/api/v2/users/{id}/sessions", get(of_user).delete(end_all))
        .route(
            "/api/v2/users/{id}/sessions/{session}",
            get(show).delete(end_one),
        )
}

fn session_id(s: &str) -> Result<i64, ApiError> {
    s.parse()
        .map_err(|_| ApiError::App(app::AppError::NotFound))
}

async fn list(api: &Api, ctx: &Ctx, user: Option<UserId>) -> ApiResult {
    let all = api.app.live_sessions(ctx.actor, user).await?;
    let items: Vec<_> = all.iter().map(|s| wire::session(&ctx.base, s)).collect();
    ok(wire::page_whole(ctx, "sessions", items)?)
}

async fn everyone(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    list(&api, &ctx, None).await
}

async fn of_user(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    list(&api, &ctx, Some(path_id(&id)?)).await
}

async fn show(
    State(api): State<Api>,
    ctx: Ctx,
    Path((id, session)): Path<(String, String)>,
) -> ApiResult {
    let wanted = session_id(&session)?;
    let all = api
        .app
        .live_sessions(ctx.actor, Some(path_id(&id)?))
        .await?;
    let one = all
        .iter()
        .find(|s| s.id == wanted)
        .ok_or(ApiError::App(app::AppError::NotFound))?;
    ok(json!({"session": wire::session(&ctx.base, one)}))
}

async fn end_one(
    State(api): State<Api>,
    ctx: Ctx,
    Path((id, session)): Path<(String, String)>,
) -> ApiResult {
    api.app
        .end_session(ctx.actor, path_id(&id)?, session_id(&session)?)
        .await?;
    no_content()
}

async fn end_all(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app.end_sessions(ctx.actor, path_id(&id)?).await?;
    no_content()
}
