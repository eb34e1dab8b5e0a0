//! The activity stream (Zendesk's `activities`): what others did to the
//! caller's tickets in the last 30 days (`since=` narrows it), newest
//! first, in both paging styles; one by id; and how many.

use super::ok;
use crate::Api;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::wire;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use domain::Timestamp;
use serde_json::json;

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/activities", get(list))
        .route("/api/v2/activities/count", get(count))
        .route("/api/v2/activities/{id}", get(show))
}

/// The caller's activities from `since` (an ISO time), if given.
async fn read(api: &Api, ctx: &Ctx) -> Result<Vec<app::activities::ActivityView>, ApiError> {
    let since = match ctx.param("since") {
        None | Some("") => None,
        Some(s) => Some(Timestamp::parse(s).ok_or_else(|| {
            ApiError::BadRequest("since must be a time such as 2026-12-01T00:00:00Z".into())
        })?),
    };
    Ok(api.app.activities(ctx.actor, since).await?)
}

async fn list(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let found = read(&api, &ctx).await?;
    let items: Vec<_> = found.iter().map(|v| wire::activity(&ctx.base, v)).collect();
    ok(wire::page_whole(&ctx, "activities", items)?)
}

async fn show(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::App(app::AppError::NotFound))?;
    let found = read(&api, &ctx).await?;
    let one = found
        .iter()
        .find(|v| v.activity.id == id)
        .ok_or(ApiError::App(app::AppError::NotFound))?;
    ok(json!({"activity": wire::activity(&ctx.base, one)}))
}

async fn count(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let found = read(&api, &ctx).await?;
    ok(wire::count(found.len() as i64))
}
