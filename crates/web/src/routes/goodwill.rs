//! Goodwill gestures on a case (atiende's own API):
//! `GET /api/v2/tickets/{id}/goodwill_gestures` lists them and `POST`
//! records one (`{"goodwill_gesture": {"kind", "amount", "currency",
//! "reason"}}`), with its internal note on the case.

use super::{created, ok, path_id};
use crate::Api;
use crate::body::JsonBody;
use crate::ctx::Ctx;
use crate::error::ApiResult;
use crate::wire;
use app::goodwill::GestureInput;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use domain::TicketId;
use serde_json::Value as Json;

pub fn routes() -> Router<Api> {
    Router::new().route(
        "/api/v2/tickets/{id}/goodwill_gestures",
        get(list).post(record),
    )
}

async fn list(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let all = api
        .app
        .ticket_gestures(ctx.actor, path_id::<TicketId>(&id)?)
        .await?;
    let list: Vec<_> = all.iter().map(wire::goodwill_gesture).collect();
    ok(wire::page_whole(&ctx, "goodwill_gestures", list)?)
}

async fn record(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let m = body.record("goodwill_gesture")?;
    // Numbers are taken as written (`20.5` or `"20.50"`).
    let text = |k: &str| match m.get(k) {
        Some(Json::String(s)) => s.clone(),
        Some(Json::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let input = GestureInput {
        kind: text("kind"),
        amount: text("amount"),
        currency: text("currency"),
        reason: text("reason"),
    };
    let g = api
        .app
        .record_gesture(ctx.actor, path_id::<TicketId>(&id)?, input)
        .await?;
    created(wire::Keyed("goodwill_gesture", wire::goodwill_gesture(&g)))
}
