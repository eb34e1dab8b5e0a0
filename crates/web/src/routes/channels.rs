//! `/api/v2/channels/accounts` and `/api/v2/channels/templates`:
//! connecting messaging accounts (WhatsApp, Messenger, Instagram,
//! Telegram, SMS) and WhatsApp's approved templates (atiende's own
//! endpoints). Admins manage them; agents read the templates for the
//! reply box. Credentials go in and never come out.

use super::{created, no_content, ok, path_id};
use crate::Api;
use crate::body::JsonBody;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::input::Fields;
use crate::wire;
use app::messaging::{AccountInput, TemplateInput};
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use domain::mail::Secret;
use domain::messaging::{TemplateCategory, channel_of_slug};
use domain::{ChannelAccountId, MessageTemplateId};
use serde_json::{Map, Value as Json, json};

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/channels/accounts", get(list).post(create))
        .route(
            "/api/v2/channels/accounts/{id}",
            get(show).put(update).delete(destroy),
        )
        .route("/api/v2/channels/accounts/{id}/test", post(send_test))
        .route(
            "/api/v2/channels/templates",
            get(templates).post(create_template),
        )
        .route(
            "/api/v2/channels/templates/{id}",
            axum::routing::delete(destroy_template),
        )
}

/// `{"account": {channel, name, external_id, credentials: {…}, api_base,
/// bot_first, enabled}}`.
fn input(m: &Map<String, Json>) -> Result<AccountInput, ApiError> {
    let mut f = Fields::new(m);
    let channel = f.string("channel");
    let mut input = AccountInput {
        channel: None,
        name: f.string("name"),
        external_id: f.string("external_id"),
        credentials: Vec::new(),
        api_base: f.string("api_base").map(Some),
        bot_first: f.boolean("bot_first"),
        enabled: f.boolean("enabled"),
    };
    if let Some(slug) = channel {
        match channel_of_slug(slug.trim()) {
            Some(ch) => input.channel = Some(ch),
            None => f.bad(
                "channel",
                "is not whatsapp, messenger, instagram, telegram or sms",
            ),
        }
    }
    if let Some(creds) = f.object("credentials") {
        for (k, v) in creds {
            match v.as_str() {
                Some(s) => input.credentials.push((k.clone(), Secret::new(s))),
                None => f.bad("credentials", "values are strings"),
            }
        }
    }
    f.finish(input)
}

async fn list(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let all = api.app.channel_accounts(ctx.actor).await?;
    let list: Vec<_> = all
        .iter()
        .map(|a| wire::channel_account(&ctx.base, a))
        .collect();
    ok(wire::page_whole(&ctx, "accounts", list)?)
}

async fn show(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let a = api
        .app
        .channel_account(ctx.actor, path_id::<ChannelAccountId>(&id)?)
        .await?;
    ok(wire::Keyed("account", wire::channel_account(&ctx.base, &a)))
}

async fn create(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let made = api
        .app
        .create_channel_account(ctx.actor, input(body.record("account")?)?, &ctx.base)
        .await?;
    let status = api.app.channel_account(ctx.actor, made.account.id).await?;
    let mut a = json!(wire::channel_account(&ctx.base, &status));
    for (field, secret) in &made.made {
        a[*field] = Json::String(secret.expose().to_string());
    }
    created(json!({ "account": a }))
}

async fn update(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let id = path_id::<ChannelAccountId>(&id)?;
    api.app
        .update_channel_account(ctx.actor, id, input(body.record("account")?)?)
        .await?;
    let a = api.app.channel_account(ctx.actor, id).await?;
    ok(wire::Keyed("account", wire::channel_account(&ctx.base, &a)))
}

async fn destroy(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app
        .delete_channel_account(ctx.actor, path_id::<ChannelAccountId>(&id)?)
        .await?;
    no_content()
}

/// `{"to": "+34600112233"}`: a test message from the account.
async fn send_test(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let mut f = Fields::new(&body.0);
    let to = f.string("to").unwrap_or_default();
    f.finish(())?;
    let sent = api
        .app
        .send_channel_test(ctx.actor, path_id::<ChannelAccountId>(&id)?, &to)
        .await?;
    ok(json!({ "sent": true, "external_id": sent }))
}

async fn templates(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let all = api.app.message_templates(ctx.actor).await?;
    let list: Vec<_> = all.iter().map(wire::message_template).collect();
    ok(wire::page_whole(&ctx, "templates", list)?)
}

/// `{"template": {name, language, category, body}}`.
async fn create_template(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let mut f = Fields::new(body.record("template")?);
    let input = TemplateInput {
        name: f.string("name").unwrap_or_default(),
        language: f.string("language").unwrap_or_default(),
        category: f.word::<TemplateCategory>("category").flatten(),
        body: f.string("body").unwrap_or_default(),
    };
    let input = f.finish(input)?;
    let t = api.app.create_message_template(ctx.actor, input).await?;
    created(wire::Keyed("template", wire::message_template(&t)))
}

async fn destroy_template(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app
        .delete_message_template(ctx.actor, path_id::<MessageTemplateId>(&id)?)
        .await?;
    no_content()
}
