//! `/job_statuses`.

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
        .route("/api/v2/job_statuses/{id}", get(show))
        .route("/api/v2/job_statuses/show_many", get(show_many))
}

async fn show(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let j = api.app.job_status(ctx.actor, &id).await?;
    ok(wire::Keyed("job_status", wire::job(&ctx.base, &j)))
}

async fn show_many(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let mut out = Vec::new();
    for id in ctx.params_all("ids").iter().take(100) {
        if let Ok(j) = api.app.job_status(ctx.actor, id).await {
            out.push(json!(wire::job(&ctx.base, &j)));
        }
    }
    ok(json!({"job_statuses": out}))
}
