//! `/ticket_fields`: system fields first, then custom ones.

use super::{created, no_content, ok, path_id};
use crate::Api;
use crate::body::JsonBody;
use crate::ctx::Ctx;
use crate::error::ApiResult;
use crate::{input, wire};
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use domain::FieldId;
use serde_json::{Value as Json, json};

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/ticket_fields", get(list).post(create))
        .route(
            "/api/v2/ticket_fields/{id}",
            get(show).put(update).delete(destroy),
        )
        .route("/api/v2/security/counters", get(security_counters))
}

/// This node's security events since it started (admins): failed
/// sign-ins, refused attempts, refused webhook signatures, suspended mail.
async fn security_counters(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let counts = api.app.guard.counters.for_admin(&ctx.actor)?;
    let body: serde_json::Map<String, Json> = counts
        .into_iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    ok(json!({"security_counters": body}))
}

async fn list(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let fields = api.app.fields().await?;
    let mut all: Vec<wire::TicketField> = wire::SYSTEM_FIELDS
        .iter()
        .map(|f| wire::system_field(&ctx.base, *f))
        .collect();
    all.extend(fields.iter().map(|f| wire::field(&ctx.base, f)));
    ok(wire::page_whole(&ctx, "ticket_fields", all)?)
}

async fn show(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let id = path_id(&id)?;
    if let Some(f) = wire::SYSTEM_FIELDS.iter().find(|f| f.0 == id) {
        return ok(wire::Keyed(
            "ticket_field",
            wire::system_field(&ctx.base, *f),
        ));
    }
    let f = api.app.field(FieldId(id)).await?;
    ok(wire::Keyed("ticket_field", wire::field(&ctx.base, &f)))
}

async fn create(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let f = api
        .app
        .create_field(ctx.actor, input::field(body.record("ticket_field")?)?)
        .await?;
    created(wire::Keyed("ticket_field", wire::field(&ctx.base, &f)))
}

async fn update(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let f = api
        .app
        .update_field(
            ctx.actor,
            path_id::<FieldId>(&id)?,
            input::field(body.record("ticket_field")?)?,
        )
        .await?;
    ok(wire::Keyed("ticket_field", wire::field(&ctx.base, &f)))
}

async fn destroy(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app
        .delete_field(ctx.actor, path_id::<FieldId>(&id)?)
        .await?;
    no_content()
}
