//! `/api/v2/calls`: atiende's CTI API. Any phone system reports its
//! calls' events here with an admin's API token (`POST
//! /api/v2/calls/events`, idempotent by the system's call id and the
//! event); staff read a call back.

use super::{ok, path_id};
use crate::Api;
use crate::body::JsonBody;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::input::Fields;
use crate::wire;
use app::calls::CallEventInput;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use domain::CallId;
use serde_json::{Map, Value as Json, json};

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/calls/events", post(event))
        .route("/api/v2/calls/{id}", get(show))
}

/// `{"call_event": {event, provider, call_id, direction, from, to,
/// agent_id, at, duration, recording_url, transcription}}`.
fn input(m: &Map<String, Json>) -> Result<CallEventInput, ApiError> {
    let mut f = Fields::new(m);
    let mut input = CallEventInput {
        event: f.word("event").flatten(),
        provider: f.string("provider"),
        call_id: f.string("call_id"),
        direction: f.word("direction").flatten(),
        from: f.string("from"),
        to: f.string("to"),
        agent: f.id("agent_id").flatten(),
        at: f.time("at").flatten(),
        duration_secs: None,
        recording_url: f.string("recording_url"),
        transcription: f.string("transcription"),
    };
    match m.get("duration") {
        None | Some(Json::Null) => {}
        Some(d) => match d.as_i64() {
            Some(secs) => input.duration_secs = Some(secs),
            None => f.bad("duration", "is a whole number of seconds"),
        },
    }
    f.finish(input)
}

async fn event(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let reported = api
        .app
        .call_event(ctx.actor, input(body.record("call_event")?)?)
        .await?;
    ok(json!({
        "call": wire::call(&ctx.base, &reported.call),
        "repeated": reported.repeated,
    }))
}

async fn show(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let call = api.app.call(ctx.actor, path_id::<CallId>(&id)?).await?;
    ok(wire::Keyed("call", wire::call(&ctx.base, &call)))
}
