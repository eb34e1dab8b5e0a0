//! The widget's calls: open a session, send a line, wait for new lines
//! (the long-poll fallback), ask for a person, typing, end the chat; and
//! the widget's own files.

use crate::wire::{self, origin, refusal, reply};
use app::chat::{OpenChat, SentLine, SignedIdentity};
use app::guard::Client;
use app::{App, AppError};
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::ChatLineId;
use domain::chat::{ChatVisitor, ChatWidget};
use serde_json::{Map, Value as Json, json};
use std::time::Duration;

/// How long a long-poll waits for something new.
const POLL_WAIT: Duration = Duration::from_secs(25);

const SCRIPT: &str = include_str!("../assets/widget.js");
const STYLESHEET: &str = include_str!("../assets/widget.css");

/// A static file any site may load (it names no one and holds no data).
fn asset(content_type: &'static str, body: &'static str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    r
}

/// `GET /chat/widget.js`.
pub async fn script() -> Response {
    asset("text/javascript; charset=utf-8", SCRIPT)
}

/// `GET /chat/widget.css`.
pub async fn stylesheet() -> Response {
    asset("text/css; charset=utf-8", STYLESHEET)
}

/// A call from a widget: its page's origin and its body.
struct Call {
    origin: String,
    body: Map<String, Json>,
}

impl Call {
    fn read(headers: &HeaderMap, bytes: &[u8]) -> Result<Call, Response> {
        let origin = origin(headers);
        let body = wire::body(bytes).map_err(|e| refusal(&origin, &e))?;
        Ok(Call { origin, body })
    }

    /// The widget and the visitor the call's token names.
    async fn visitor(&self, app: &App, key: &str) -> Result<(ChatWidget, ChatVisitor), Response> {
        let token = wire::text(&self.body, "token").unwrap_or_default();
        app.chat_visitor(key, &self.origin, &token)
            .await
            .map_err(|e| refusal(&self.origin, &e))
    }

    fn fail(&self, e: AppError) -> Response {
        refusal(&self.origin, &e)
    }

    fn ok(&self, body: Json) -> Response {
        reply(&self.origin, StatusCode::OK, body)
    }
}

/// A widget call that names its visitor: the call, and the widget and
/// visitor its key, origin and token name (anything else is refused
/// before the handler runs).
pub struct VisitorCall {
    call: Call,
    widget: ChatWidget,
    visitor: ChatVisitor,
}

impl FromRequest<App> for VisitorCall {
    type Rejection = Response;

    async fn from_request(req: Request, app: &App) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let Path(key) = Path::<String>::from_request_parts(&mut parts, app)
            .await
            .map_err(IntoResponse::into_response)?;
        let too_large = AppError::BadRequest {
            code: "InvalidBody",
            message: "the body is too large".into(),
        };
        let bytes = axum::body::to_bytes(body, wire::MAX_BODY)
            .await
            .map_err(|_| refusal(&origin(&parts.headers), &too_large))?;
        let call = Call::read(&parts.headers, &bytes)?;
        let (widget, visitor) = call.visitor(app, &key).await?;
        Ok(VisitorCall {
            call,
            widget,
            visitor,
        })
    }
}

/// `POST /chat/v1/{key}/session` `{token?, identity?: {external_id, email,
/// name, signature}}`: who the visitor is, their latest conversation's
/// lines, and what the widget asks and says.
pub async fn session(
    State(app): State<App>,
    Path(key): Path<String>,
    headers: HeaderMap,
    client: Option<Extension<Client>>,
    bytes: Bytes,
) -> Response {
    let call = match Call::read(&headers, &bytes) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let identity = call
        .body
        .get("identity")
        .and_then(Json::as_object)
        .map(|i| SignedIdentity {
            external_id: wire::text(i, "external_id").unwrap_or_default(),
            email: wire::text(i, "email").unwrap_or_default(),
            name: wire::text(i, "name"),
            signature: wire::text(i, "signature").unwrap_or_default(),
        });
    let open = OpenChat {
        key,
        origin: call.origin.clone(),
        network: client.map(|c| c.network()).unwrap_or_default(),
        token: wire::text(&call.body, "token"),
        identity,
    };
    let s = match app.open_chat(open).await {
        Ok(s) => s,
        Err(e) => return call.fail(e),
    };
    let (conversation, lines) = match app.chat_lines(&s.visitor, ChatLineId(0)).await {
        Ok(x) => x,
        Err(e) => return call.fail(e),
    };
    let names = app
        .chat_agent_names(&lines, conversation.as_ref())
        .await
        .unwrap_or_default();
    call.ok(json!({
        "token": s.new_token,
        "visitor": {"verified": s.visitor.verified},
        "widget": {
            "name": s.widget.name,
            "ask_name": s.widget.ask_name && !s.visitor.verified,
            "ask_email": s.widget.ask_email && !s.visitor.verified,
            "topics": s.widget.topics,
            "invitations": s.widget.invitations,
        },
        "conversation": wire::conversation(conversation.as_ref(), &names),
        "lines": lines.iter().map(|l| wire::line(l, &names)).collect::<Vec<_>>(),
        "texts": wire::texts(),
    }))
}

/// `POST /chat/v1/{key}/lines` `{token, client_id, text, locale, name?,
/// email?, topic?}`: the line is stored before this answers.
pub async fn send_line(State(app): State<App>, v: VisitorCall) -> Response {
    let VisitorCall {
        call,
        widget,
        visitor,
    } = v;
    let b = &call.body;
    let line = SentLine {
        client_id: wire::text(b, "client_id").unwrap_or_default(),
        text: wire::text(b, "text").unwrap_or_default(),
        locale: wire::text(b, "locale").unwrap_or_else(|| "es".into()),
        name: wire::text(b, "name"),
        email: wire::text(b, "email"),
        topic: wire::text(b, "topic"),
    };
    match app.send_chat_line(&widget, &visitor, line).await {
        Ok((conversation, lines)) => call.ok(json!({
            "conversation": wire::conversation(Some(&conversation), &[]),
            "lines": lines.iter().map(|l| wire::line(l, &[])).collect::<Vec<_>>(),
        })),
        Err(e) => call.fail(e),
    }
}

/// `POST /chat/v1/{key}/poll` `{token, after}`: the lines after `after`,
/// waiting up to 25 s for one (for networks that block WebSockets).
pub async fn poll(State(app): State<App>, v: VisitorCall) -> Response {
    let VisitorCall { call, visitor, .. } = v;
    let after = ChatLineId(call.body.get("after").and_then(Json::as_i64).unwrap_or(0));
    let mut typing = Json::Null;
    let (mut conversation, mut lines) = match app.chat_lines(&visitor, after).await {
        Ok(x) => x,
        Err(e) => return call.fail(e),
    };
    if lines.is_empty()
        && let Some(c) = &conversation
    {
        let mut room = app.follow_chat(c.id);
        // Lines may have come between the read and following the room.
        if let Ok((c2, l2)) = app.chat_lines(&visitor, after).await
            && !l2.is_empty()
        {
            (conversation, lines) = (c2, l2);
        } else {
            loop {
                match tokio::time::timeout(POLL_WAIT, room.recv()).await {
                    Ok(Ok(app::chat::ChatSignal::Typing { agent: true, on })) => {
                        typing = json!({"agent": on});
                        break;
                    }
                    Ok(Ok(app::chat::ChatSignal::Typing { .. })) => continue,
                    _ => break,
                }
            }
            match app.chat_lines(&visitor, after).await {
                Ok((c2, l2)) => (conversation, lines) = (c2, l2),
                Err(e) => return call.fail(e),
            }
        }
    }
    let names = app
        .chat_agent_names(&lines, conversation.as_ref())
        .await
        .unwrap_or_default();
    call.ok(json!({
        "conversation": wire::conversation(conversation.as_ref(), &names),
        "lines": lines.iter().map(|l| wire::line(l, &names)).collect::<Vec<_>>(),
        "typing": typing,
    }))
}

/// `POST /chat/v1/{key}/person` `{token}`: "talk to a person".
pub async fn ask_for_person(State(app): State<App>, v: VisitorCall) -> Response {
    let VisitorCall { call, visitor, .. } = v;
    match app.chat_ask_for_person(&visitor).await {
        Ok(lines) => call.ok(json!({
            "lines": lines.iter().map(|l| wire::line(l, &[])).collect::<Vec<_>>(),
        })),
        Err(e) => call.fail(e),
    }
}

/// `POST /chat/v1/{key}/email` `{token, email}`: where to answer a chat
/// that continues by email.
pub async fn reply_address(State(app): State<App>, v: VisitorCall) -> Response {
    let VisitorCall { call, visitor, .. } = v;
    let email = wire::text(&call.body, "email").unwrap_or_default();
    match app.chat_reply_address(&visitor, &email).await {
        Ok(lines) => call.ok(json!({
            "lines": lines.iter().map(|l| wire::line(l, &[])).collect::<Vec<_>>(),
        })),
        Err(e) => call.fail(e),
    }
}

/// `POST /chat/v1/{key}/typing` `{token, on}`.
pub async fn typing(State(app): State<App>, v: VisitorCall) -> Response {
    let VisitorCall { call, visitor, .. } = v;
    let on = call.body.get("on").and_then(Json::as_bool).unwrap_or(false);
    match app.chat_visitor_typing(&visitor, on).await {
        Ok(()) => call.ok(json!({})),
        Err(e) => call.fail(e),
    }
}

/// `POST /chat/v1/{key}/end` `{token}`.
pub async fn end(State(app): State<App>, v: VisitorCall) -> Response {
    let VisitorCall { call, visitor, .. } = v;
    match app.end_chat(&visitor).await {
        Ok(()) => call.ok(json!({})),
        Err(e) => call.fail(e),
    }
}

/// `POST /chat/v1/{key}/survey` `{token, score?}`: the survey of the
/// visitor's ended chat (`survey: null` when there is none), answered
/// when `score` is `good` or `bad`.
pub async fn survey(State(app): State<App>, v: VisitorCall) -> Response {
    let VisitorCall { call, visitor, .. } = v;
    let asked = match wire::text(&call.body, "score") {
        None => app.chat_survey(&visitor).await,
        Some(raw) => match raw.parse() {
            Ok(score @ (domain::model::RatingScore::Good | domain::model::RatingScore::Bad)) => {
                app.answer_chat_survey(&visitor, score).await
            }
            _ => Err(AppError::BadRequest {
                code: "InvalidValue",
                message: "score must be good or bad".into(),
            }),
        },
    };
    match asked {
        Ok(s) => call.ok(json!({ "survey": s.map(|s| json!({
            "question": s.question,
            "good": s.buttons.0,
            "bad": s.buttons.1,
            "answered": s.answered,
            "thanks": s.thanks,
        })) })),
        Err(e) => call.fail(e),
    }
}
