//! `/api/v2/channels/voice/lines`: connecting voice lines (numbers at
//! Twilio Programmable Voice) and setting what they do with callers
//! (atiende's own endpoints; admins). Credentials go in and never come
//! out. Agents call a case's customer (`POST /api/v2/tickets/{id}/calls`)
//! and play a call's recording (`GET /api/v2/calls/{id}/recording`).

use super::{created, no_content, ok, path_id};
use crate::Api;
use crate::body::JsonBody;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::input::Fields;
use crate::wire;
use app::voice::LineInput;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use domain::mail::Secret;
use domain::voice::VoiceSettings;
use domain::{CallId, TicketId, VoiceLineId};
use serde_json::{Map, Value as Json};

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/channels/voice/lines", get(list).post(create))
        .route(
            "/api/v2/channels/voice/lines/{id}",
            get(show).put(update).delete(destroy),
        )
        .route("/api/v2/channels/voice/phone_numbers", get(phone_numbers))
        .route(
            "/api/v2/channels/voice/phone_numbers/{id}",
            get(phone_number),
        )
        .route("/api/v2/tickets/{id}/calls", post(place_call))
        .route("/api/v2/calls/{id}/recording", get(recording))
}

/// `{"line": {name, number, account_sid, auth_token, api_base, settings:
/// {…}, enabled}}`.
fn input(m: &Map<String, Json>) -> Result<LineInput, ApiError> {
    let mut f = Fields::new(m);
    let mut input = LineInput {
        name: f.string("name"),
        number: f.string("number"),
        account_sid: f.string("account_sid").map(Secret::new),
        auth_token: f.string("auth_token").map(Secret::new),
        api_base: f.string("api_base").map(Some),
        settings: None,
        enabled: f.boolean("enabled"),
    };
    if let Some(s) = f.object("settings") {
        match serde_json::from_value::<VoiceSettings>(Json::Object(s.clone())) {
            Ok(s) => input.settings = Some(s),
            Err(e) => f.bad("settings", &format!("cannot be read: {e}")),
        }
    }
    f.finish(input)
}

async fn list(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let all = api.app.voice_lines(ctx.actor).await?;
    let list: Vec<_> = all.iter().map(|l| wire::voice_line(&ctx.base, l)).collect();
    ok(wire::page_whole(&ctx, "lines", list)?)
}

/// Zendesk Talk's phone numbers: the lines, as Talk describes a number.
async fn phone_numbers(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let all = api.app.phone_numbers(ctx.actor).await?;
    let list: Vec<_> = all
        .iter()
        .map(|l| wire::phone_number(&ctx.base, l))
        .collect();
    ok(wire::page_whole(&ctx, "phone_numbers", list)?)
}

async fn phone_number(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let line = api
        .app
        .phone_number(ctx.actor, path_id::<VoiceLineId>(&id)?)
        .await?;
    ok(wire::Keyed(
        "phone_number",
        wire::phone_number(&ctx.base, &line),
    ))
}

async fn show(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let l = api
        .app
        .voice_line(ctx.actor, path_id::<VoiceLineId>(&id)?)
        .await?;
    ok(wire::Keyed("line", wire::voice_line(&ctx.base, &l)))
}

async fn create(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let made = api
        .app
        .create_voice_line(ctx.actor, input(body.record("line")?)?)
        .await?;
    created(wire::Keyed("line", wire::voice_line(&ctx.base, &made.line)))
}

async fn update(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let l = api
        .app
        .update_voice_line(
            ctx.actor,
            path_id::<VoiceLineId>(&id)?,
            input(body.record("line")?)?,
        )
        .await?;
    ok(wire::Keyed("line", wire::voice_line(&ctx.base, &l)))
}

async fn destroy(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app
        .delete_voice_line(ctx.actor, path_id::<VoiceLineId>(&id)?)
        .await?;
    no_content()
}

/// Click-to-call: the provider rings the asking agent, then the case's
/// customer.
async fn place_call(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let call = api
        .app
        .place_call(ctx.actor, path_id::<TicketId>(&id)?)
        .await?;
    created(wire::Keyed("call", wire::call(&ctx.base, &call)))
}

async fn recording(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let (content_type, data) = api
        .app
        .call_recording(ctx.actor, path_id::<CallId>(&id)?)
        .await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                app::voice::playable_type(&content_type).to_string(),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        data,
    )
        .into_response())
}
