//! `/api/v2/chat/conversations`: live chat for integrations (atiende's own
//! endpoints). Staff read conversations and their lines, reply (a public
//! comment on the chat's case, delivered as a line), accept or decline an
//! offer, pass a chat on and end it. Chat events reach integrations on
//! webhooks subscribed to them (`chat.started`, `chat.handed_over`,
//! `chat.accepted`, `chat.transferred`, `chat.ended`).

use super::{created, no_content, ok, path_id};
use crate::Api;
use crate::body::JsonBody;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::input::Fields;
use crate::wire;
use app::chat::TransferTo;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use domain::chat::ConversationState;
use domain::{ChatConversationId, ChatLineId, GroupId, UserId};
use serde_json::json;

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/chat/conversations", get(list))
        .route("/api/v2/chat/conversations/{id}", get(show))
        .route(
            "/api/v2/chat/conversations/{id}/lines",
            get(lines).post(reply),
        )
        .route("/api/v2/chat/conversations/{id}/accept", post(accept))
        .route("/api/v2/chat/conversations/{id}/decline", post(decline))
        .route("/api/v2/chat/conversations/{id}/transfer", post(transfer))
        .route("/api/v2/chat/conversations/{id}/end", post(end))
}

fn invalid(field: &str, why: &str) -> ApiError {
    ApiError::App(app::AppError::field(app::FieldError::invalid(field, why)))
}

/// `?state=bot|waiting|ended&before_id=…&per_page=…`: newest first; the
/// next page is `before_id` = the last id of this one.
async fn list(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let state = match ctx.param("state") {
        None => None,
        Some(s) => Some(
            s.parse::<ConversationState>()
                .map_err(|_| invalid("state", "must be bot, waiting or ended"))?,
        ),
    };
    let before = match ctx.param("before_id") {
        None => None,
        Some(b) => Some(path_id::<ChatConversationId>(b)?),
    };
    let per_page = ctx
        .param("per_page")
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(100);
    let found = api
        .app
        .chat_conversations(ctx.actor, state, before, per_page)
        .await?;
    let next = (found.len() as i64 >= per_page.clamp(1, 100))
        .then(|| found.last().map(|c| c.id.0))
        .flatten()
        .map(|last| {
            let mut url = format!(
                "{}/api/v2/chat/conversations.json?before_id={last}&per_page={}",
                ctx.base,
                per_page.clamp(1, 100)
            );
            if let Some(s) = state {
                url.push_str(&format!("&state={}", s.as_str()));
            }
            url
        });
    let list: Vec<_> = found
        .iter()
        .map(|c| wire::chat_conversation(&ctx.base, c))
        .collect();
    ok(json!({"conversations": list, "next_page": next}))
}

async fn show(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let c = api
        .app
        .chat_conversation(ctx.actor, path_id::<ChatConversationId>(&id)?)
        .await?;
    ok(wire::Keyed(
        "conversation",
        wire::chat_conversation(&ctx.base, &c),
    ))
}

/// `?after_id=…`: the lines after it, oldest first.
async fn lines(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let after = ctx
        .param("after_id")
        .and_then(|a| a.parse::<i64>().ok())
        .unwrap_or(0);
    let found = api
        .app
        .chat_conversation_lines(
            ctx.actor,
            path_id::<ChatConversationId>(&id)?,
            ChatLineId(after),
        )
        .await?;
    let list: Vec<_> = found
        .iter()
        .map(|l| wire::chat_line(&ctx.base, l))
        .collect();
    ok(json!({ "lines": list }))
}

/// `{"line": {"text": "…"}}`: queued for the widget; the answer names the
/// case's comment it is.
async fn reply(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let mut f = Fields::new(body.record("line")?);
    let text = f.string("text").unwrap_or_default();
    f.finish(())?;
    let comment = api
        .app
        .chat_reply(ctx.actor, path_id::<ChatConversationId>(&id)?, text)
        .await?;
    created(json!({"line": {"status": "queued", "comment_id": comment.map(|c| c.0)}}))
}

async fn accept(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let id = path_id::<ChatConversationId>(&id)?;
    api.app.accept_chat(ctx.actor, id).await?;
    let c = api.app.chat_conversation(ctx.actor, id).await?;
    ok(wire::Keyed(
        "conversation",
        wire::chat_conversation(&ctx.base, &c),
    ))
}

async fn decline(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app
        .decline_chat(ctx.actor, path_id::<ChatConversationId>(&id)?)
        .await?;
    no_content()
}

/// `{"transfer": {"agent_id": 5} | {"group_id": 3}, "note": "…"}`.
async fn transfer(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let id = path_id::<ChatConversationId>(&id)?;
    let mut f = Fields::new(body.record("transfer")?);
    let agent = f.id::<UserId>("agent_id").flatten();
    let group = f.id::<GroupId>("group_id").flatten();
    let note = f.string("note").unwrap_or_default();
    f.finish(())?;
    let to = match (agent, group) {
        (Some(a), None) => TransferTo::Agent(a),
        (None, Some(g)) => TransferTo::Group(g),
        _ => return Err(invalid("transfer", "name one agent_id or one group_id")),
    };
    let c = api.app.chat_conversation(ctx.actor, id).await?;
    let ticket = c.ticket.ok_or_else(|| {
        invalid(
            "conversation",
            "a chat with the bot has no one to pass it to",
        )
    })?;
    api.app.transfer_chat(ctx.actor, ticket, to, note).await?;
    no_content()
}

async fn end(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let c = api
        .app
        .chat_conversation(ctx.actor, path_id::<ChatConversationId>(&id)?)
        .await?;
    match c.ticket {
        Some(t) => api.app.end_chat_on_ticket(ctx.actor, t).await?,
        None => {
            return Err(invalid(
                "conversation",
                "a chat with the bot ends when the visitor leaves",
            ));
        }
    }
    no_content()
}
