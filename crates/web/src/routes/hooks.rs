//! `/webhooks` (Zendesk's shape: string ids, cursor-shaped list), their
//! signing secret, invocations (our delivery log) and a test call.

use super::{created, no_content, ok};
use crate::Api;
use crate::body::JsonBody;
use crate::ctx::Ctx;
use crate::error::ApiResult;
use crate::wire::{opt_ts, ts};
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use domain::model::webhooks::Delivery;
use serde_json::{Value as Json, json};

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/webhooks", get(list).post(create))
        .route(
            "/api/v2/webhooks/{id}",
            get(show).put(update).patch(update).delete(destroy),
        )
        .route(
            "/api/v2/webhooks/{id}/signing_secret",
            get(secret).post(reset_secret),
        )
        .route("/api/v2/webhooks/{id}/invocations", get(invocations))
        .route("/api/v2/webhooks/{id}/test", post(test))
}

/// The id without a `.json` suffix (clients send both).
fn plain(id: &str) -> String {
    id.strip_suffix(".json").unwrap_or(id).to_string()
}

fn delivery(d: &Delivery) -> Json {
    json!({
        "id": d.id.to_string(),
        "ticket_id": d.ticket_id.map(|t| t.0),
        "trigger_id": d.rule_id,
        "status": d.status.as_str(),
        "attempts": d.attempts,
        "latest_response_status": d.last_status,
        "latest_error": d.last_error,
        "created_at": ts(d.created_at),
        "completed_at": opt_ts(d.sent_at),
        "next_attempt_at": ts(d.next_attempt_at),
    })
}

async fn list(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let hooks = api.app.webhooks(ctx.actor).await?;
    let all: Vec<_> = hooks.iter().map(crate::wire::webhook).collect();
    ok(crate::wire::page_whole_cursor(&ctx, "webhooks", all)?)
}

async fn create(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let w = api
        .app
        .save_webhook(
            ctx.actor,
            None,
            Json::Object(body.record("webhook")?.clone()),
        )
        .await?;
    created(json!({"webhook": crate::wire::webhook(&w)}))
}

async fn show(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let w = api.app.webhook(ctx.actor, &plain(&id)).await?;
    ok(json!({"webhook": crate::wire::webhook(&w)}))
}

async fn update(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let w = api
        .app
        .save_webhook(
            ctx.actor,
            Some(plain(&id)),
            Json::Object(body.record("webhook")?.clone()),
        )
        .await?;
    ok(json!({"webhook": crate::wire::webhook(&w)}))
}

async fn destroy(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app.delete_webhook(ctx.actor, plain(&id)).await?;
    no_content()
}

async fn secret(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let w = api.app.webhook(ctx.actor, &plain(&id)).await?;
    ok(json!({"signing_secret": {"algorithm": "SHA256", "secret": w.signing_secret.expose()}}))
}

async fn reset_secret(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let w = api.app.reset_webhook_secret(ctx.actor, plain(&id)).await?;
    created(json!({"signing_secret": {"algorithm": "SHA256", "secret": w.signing_secret.expose()}}))
}

async fn invocations(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let all: Vec<Json> = api
        .app
        .webhook_deliveries(ctx.actor, &plain(&id))
        .await?
        .iter()
        .map(delivery)
        .collect();
    ok(
        json!({"invocations": all, "meta": {"has_more": false}, "links": {"next": null, "prev": null}}),
    )
}

async fn test(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult {
    let given: Json = serde_json::from_slice(&body).unwrap_or(Json::Null);
    let payload = given
        .get("request")
        .and_then(|r| r.get("payload"))
        .map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_string))
        .unwrap_or_else(|| json!({"test": true}).to_string());
    let n = api.app.test_webhook(ctx.actor, plain(&id), payload).await?;
    ok(json!({"response": {"queued": true, "invocation_id": n.to_string()}}))
}
