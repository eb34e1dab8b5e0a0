//! Staff roles (Zendesk's `custom_roles`): listed and shown, not made —
//! atiende's roles are fixed.

use super::ok;
use crate::Api;
use crate::ctx::Ctx;
use crate::error::ApiResult;
use crate::wire;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use serde_json::json;

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/custom_roles", get(list))
        .route("/api/v2/custom_roles/{id}", get(show))
}

async fn list(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let roles = api.app.staff_roles(ctx.actor).await?;
    let items: Vec<_> = roles.iter().map(wire::custom_role).collect();
    ok(wire::page_whole(&ctx, "custom_roles", items)?)
}

async fn show(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let roles = api.app.staff_roles(ctx.actor).await?;
    let role = roles
        .iter()
        .find(|r| id.parse() == Ok(r.role.id()))
        .ok_or(crate::error::ApiError::App(app::AppError::NotFound))?;
    ok(json!({"custom_role": wire::custom_role(role)}))
}
