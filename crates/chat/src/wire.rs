//! What the widget sends and receives: its calls' bodies (JSON sent as
//! `text/plain`, so a page on another site needs no preflight), lines and
//! errors as JSON, every answer naming the page's origin once the widget
//! admitted it.

use app::AppError;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::chat::{ChatLine, Conversation};
use serde_json::{Value as Json, json};

/// The largest body a widget call may send.
pub const MAX_BODY: usize = 64 * 1024;

/// The page's origin, as the browser sent it (`""` without one: such a
/// caller is not a page, and no widget admits it).
pub fn origin(headers: &HeaderMap) -> String {
    headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// A JSON answer the page at `origin` may read.
pub fn reply(origin: &str, status: StatusCode, body: Json) -> Response {
    let mut r = (status, axum::Json(body)).into_response();
    let h = r.headers_mut();
    if let Ok(v) = HeaderValue::from_str(origin)
        && !origin.is_empty()
    {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, v);
    }
    h.insert(header::VARY, HeaderValue::from_static("Origin"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// A refusal, in words the widget can show or log.
pub fn refusal(origin: &str, e: &AppError) -> Response {
    let (status, code) = match e {
        AppError::Unauthorized => (StatusCode::UNAUTHORIZED, "Unauthorized"),
        AppError::Forbidden(_) => (StatusCode::FORBIDDEN, "Forbidden"),
        AppError::NotFound => (StatusCode::NOT_FOUND, "NotFound"),
        AppError::Invalid(_) | AppError::BadRequest { .. } => {
            (StatusCode::UNPROCESSABLE_ENTITY, "RecordInvalid")
        }
        AppError::TooManyAttempts(_) => (StatusCode::TOO_MANY_REQUESTS, "TooManyRequests"),
        other => {
            tracing::warn!(error = %other, "chat call failed");
            (StatusCode::SERVICE_UNAVAILABLE, "TryAgain")
        }
    };
    let description = match e {
        AppError::Invalid(fields) => fields
            .iter()
            .map(|f| f.description.clone())
            .collect::<Vec<_>>()
            .join("; "),
        AppError::Forbidden(why) => why.clone(),
        AppError::BadRequest { message, .. } => message.clone(),
        AppError::Unauthorized => "this chat session is not known; open the chat again".into(),
        AppError::NotFound => "no such chat widget".into(),
        AppError::TooManyAttempts(_) => "too many messages; wait a moment".into(),
        _ => "the chat is not available right now; try again".into(),
    };
    reply(
        origin,
        status,
        json!({"error": code, "description": description}),
    )
}

/// A call's body: a JSON object, whatever content type it came as.
pub fn body(bytes: &[u8]) -> Result<serde_json::Map<String, Json>, AppError> {
    let bad = |m: &str| AppError::BadRequest {
        code: "InvalidBody",
        message: m.into(),
    };
    if bytes.len() > MAX_BODY {
        return Err(bad("the body is too large"));
    }
    match serde_json::from_slice::<Json>(bytes) {
        Ok(Json::Object(m)) => Ok(m),
        _ => Err(bad("the body must be a JSON object")),
    }
}

/// A string field of a body (`None` when absent or not a string).
pub fn text(b: &serde_json::Map<String, Json>, key: &str) -> Option<String> {
    b.get(key).and_then(Json::as_str).map(str::to_string)
}

/// A line as the widget shows it.
pub fn line(l: &ChatLine, names: &[(domain::UserId, String)]) -> Json {
    let name = l
        .agent
        .and_then(|a| names.iter().find(|(id, _)| *id == a))
        .map(|(_, n)| n.clone());
    json!({
        "id": l.id.0,
        "author": l.author.as_str(),
        "name": name,
        "text": l.body,
        "articles": l.articles,
        "files": l.files.iter().map(|f| json!({
            "name": f.name,
            "size": f.size,
            "content_type": f.content_type,
            "url": format!("/chat/files/{}/{}/{}", l.id.0, f.key, app::uploads::path_segment(&f.name)),
        })).collect::<Vec<_>>(),
        "client_id": l.client_id,
        "created_at": l.created_at.to_iso(),
    })
}

/// A conversation as the widget shows it: where it stands, who the
/// visitor is talking with, whether it continues by email (and still needs
/// the address), and the last of their lines an agent has seen.
pub fn conversation(c: Option<&Conversation>, names: &[(domain::UserId, String)]) -> Json {
    match c {
        Some(c) => {
            let a = &c.attendance;
            let agent = a
                .agent
                .and_then(|id| names.iter().find(|(n, _)| *n == id))
                .map(|(_, name)| json!({"name": name}));
            json!({
                "id": c.id.0,
                "state": c.state.as_str(),
                "locale": c.locale,
                "ticket_id": c.ticket.map(|t| t.0),
                "agent": agent,
                "by_email": a.by_email,
                "needs_email": a.by_email && c.email.is_none(),
                "seen_line": a.seen_line.map(|l| l.0),
            })
        }
        None => Json::Null,
    }
}

/// The widget's words in both languages (it switches without a call).
pub fn texts() -> Json {
    let of = |lang: i18n::Lang| {
        let mut m = serde_json::Map::new();
        for key in i18n::keys(lang)
            .iter()
            .filter(|k| k.starts_with("chat-ui-"))
        {
            m.insert(
                key.trim_start_matches("chat-ui-").to_string(),
                Json::String(i18n::text(lang, key)),
            );
        }
        Json::Object(m)
    };
    json!({"es": of(i18n::Lang::Es), "en": of(i18n::Lang::En)})
}
