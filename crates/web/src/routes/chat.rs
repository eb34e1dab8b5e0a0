//! `/api/v2/chat/widgets`: the chat widgets a site pastes into its pages
//! (atiende's own endpoints; Zendesk's chat API is another product).
//! Admins only. A widget's secret is in the answer that made it, never
//! again.

use super::{created, no_content, ok, path_id};
use crate::Api;
use crate::body::JsonBody;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::input::Fields;
use crate::wire;
use app::chat::WidgetInput;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use domain::ChatWidgetId;
use domain::chat::Invitation;
use serde_json::{Map, Value as Json, json};

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/chat/widgets", get(list).post(create))
        .route(
            "/api/v2/chat/widgets/{id}",
            get(show).put(update).delete(destroy),
        )
}

/// `{"widget": {name, allowed_origins, ask_name, ask_email, topics,
/// invitations: [{path, after_seconds, message_es, message_en}], enabled}}`.
fn input(m: &Map<String, Json>) -> Result<WidgetInput, ApiError> {
    let invitations = match m.get("invitations") {
        None => None,
        Some(Json::Null) => Some(Vec::new()),
        Some(v) => match serde_json::from_value::<Vec<Invitation>>(v.clone()) {
            Ok(list) => Some(list),
            Err(_) => {
                return Err(ApiError::App(app::AppError::field(
                    app::FieldError::invalid(
                        "invitations",
                        "must be a list of {path, after_seconds, message_es, message_en}",
                    ),
                )));
            }
        },
    };
    let mut f = Fields::new(m);
    let input = WidgetInput {
        invitations,
        name: f.string("name"),
        allowed_origins: f.strings("allowed_origins"),
        ask_name: f.boolean("ask_name"),
        ask_email: f.boolean("ask_email"),
        topics: f.strings("topics"),
        enabled: f.boolean("enabled"),
    };
    f.finish(input)
}

async fn list(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let all = api.app.chat_widgets(ctx.actor).await?;
    let list: Vec<_> = all
        .iter()
        .map(|w| wire::chat_widget(&ctx.base, w))
        .collect();
    ok(wire::page_whole(&ctx, "widgets", list)?)
}

async fn show(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let w = api
        .app
        .chat_widget(ctx.actor, path_id::<ChatWidgetId>(&id)?)
        .await?;
    ok(wire::Keyed("widget", wire::chat_widget(&ctx.base, &w)))
}

async fn create(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let made = api
        .app
        .create_chat_widget(ctx.actor, input(body.record("widget")?)?)
        .await?;
    let mut w = json!(wire::chat_widget(&ctx.base, &made.widget));
    w["secret"] = Json::String(made.secret.expose().to_string());
    created(json!({ "widget": w }))
}

async fn update(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let w = api
        .app
        .update_chat_widget(
            ctx.actor,
            path_id::<ChatWidgetId>(&id)?,
            input(body.record("widget")?)?,
        )
        .await?;
    ok(wire::Keyed("widget", wire::chat_widget(&ctx.base, &w)))
}

async fn destroy(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app
        .delete_chat_widget(ctx.actor, path_id::<ChatWidgetId>(&id)?)
        .await?;
    no_content()
}
