//! A strict local stand-in for Telegram's Bot API, for tests: methods at
//! `/bot{token}/{method}` answering `{"ok": true, "result": …}` or
//! `{"ok": false, "error_code", "description"}` as Telegram documents
//! (an unknown token is 401 "Unauthorized", a blocked bot 403, a flood 429
//! with `parameters.retry_after`); `getMe`, `setWebhook` (its URL and
//! secret token recorded), `sendMessage`, `sendPhoto`, `sendDocument`,
//! `getFile` and the file download at `/file/bot{token}/{path}`.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// What the stand-in knows and has been sent.
#[derive(Default)]
pub struct Book {
    pub token: String,
    pub bot_id: i64,
    /// What `setWebhook` was given: (url, secret token).
    pub webhook: Option<(String, String)>,
    /// Messages accepted: (method, chat id, text or file name).
    pub sent: Vec<(String, String, String)>,
    /// Files customers sent: file id → (path, bytes).
    pub files: HashMap<String, (String, Vec<u8>)>,
    /// Keyboards offered with messages: (chat id, the keys' words).
    pub keyboards: Vec<(String, Vec<String>)>,
    /// Chats that blocked the bot.
    pub blocked: HashSet<String>,
    /// How many next sends to refuse with 429 and `retry_after: 1`.
    pub flood: usize,
    /// How many sends to take before the flood begins.
    pub flood_after: usize,
    next: i64,
}

#[derive(Clone)]
pub struct TelegramStandIn {
    pub base: String,
    pub book: Arc<Mutex<Book>>,
}

type S = Arc<Mutex<Book>>;

fn fail(status: StatusCode, description: &str) -> Response {
    (
        status,
        axum::Json(json!({"ok": false, "error_code": status.as_u16(), "description": description})),
    )
        .into_response()
}

fn ok(result: Value) -> Response {
    axum::Json(json!({"ok": true, "result": result})).into_response()
}

/// A method's parameters: JSON, a form, or a multipart form (with its
/// file's name).
async fn params(headers: &HeaderMap, body: Bytes) -> HashMap<String, String> {
    let kind = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if kind.starts_with("application/json") {
        let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        return v
            .as_object()
            .map(|o| {
                o.iter()
                    .map(|(k, v)| {
                        let text = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                        (k.clone(), text)
                    })
                    .collect()
            })
            .unwrap_or_default();
    }
    form_urlencoded::parse(&body).into_owned().collect()
}

/// A `ReplyKeyboardMarkup` (rows of `KeyboardButton`s, each with its
/// `text`) or an `InlineKeyboardMarkup` (each button with `text` and its
/// `callback_data` or `url`): the keys' words, `None` when it is neither.
fn keyboard(markup: &str) -> Option<Vec<String>> {
    let v: Value = serde_json::from_str(markup).ok()?;
    let (rows, inline) = match (v.get("keyboard"), v.get("inline_keyboard")) {
        (Some(rows), None) => (rows.as_array()?, false),
        (None, Some(rows)) => (rows.as_array()?, true),
        _ => return None,
    };
    let mut keys = Vec::new();
    for row in rows {
        for key in row.as_array()? {
            let text = key.get("text")?.as_str().filter(|t| !t.is_empty())?;
            if inline && key.get("callback_data").is_none() && key.get("url").is_none() {
                return None;
            }
            keys.push(text.to_string());
        }
    }
    (!keys.is_empty()).then_some(keys)
}

async fn method(
    State(book): State<S>,
    Path((bot, name)): Path<(String, String)>,
    headers: HeaderMap,
    query: Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let token = book.lock().map(|b| b.token.clone()).unwrap_or_default();
    if bot != format!("bot{token}") {
        return fail(StatusCode::UNAUTHORIZED, "Unauthorized");
    }
    let is_multipart = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let mut p = if is_multipart {
        crate::form::multipart_params(&headers, body).await
    } else {
        params(&headers, body).await
    };
    p.extend(query.0);
    let Ok(mut b) = book.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    match name.as_str() {
        "getMe" => ok(
            json!({"id": b.bot_id, "is_bot": true, "first_name": "Tienda", "username": "tienda_bot"}),
        ),
        "setWebhook" => {
            let Some(url) = p.get("url").filter(|u| u.starts_with("http")) else {
                return fail(
                    StatusCode::BAD_REQUEST,
                    "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
                );
            };
            let secret = p.get("secret_token").cloned().unwrap_or_default();
            if secret.len() > 256
                || !secret
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
            {
                return fail(
                    StatusCode::BAD_REQUEST,
                    "Bad Request: secret token contains unallowed characters",
                );
            }
            b.webhook = Some((url.clone(), secret));
            ok(json!(true))
        }
        "sendMessage" | "sendPhoto" | "sendDocument" => {
            let Some(chat) = p.get("chat_id").cloned() else {
                return fail(StatusCode::BAD_REQUEST, "Bad Request: chat_id is empty");
            };
            if b.flood > 0 && b.flood_after > 0 {
                b.flood_after -= 1;
            } else if b.flood > 0 {
                b.flood -= 1;
                return (
                    StatusCode::TOO_MANY_REQUESTS,
                    axum::Json(json!({"ok": false, "error_code": 429, "description": "Too Many Requests: retry after 1", "parameters": {"retry_after": 1}})),
                )
                    .into_response();
            }
            if b.blocked.contains(&chat) {
                return fail(
                    StatusCode::FORBIDDEN,
                    "Forbidden: bot was blocked by the user",
                );
            }
            let what = match name.as_str() {
                "sendMessage" => match p.get("text") {
                    Some(t) if !t.is_empty() && t.chars().count() <= 4096 => t.clone(),
                    Some(_) => {
                        return fail(StatusCode::BAD_REQUEST, "Bad Request: message is too long");
                    }
                    None => {
                        return fail(
                            StatusCode::BAD_REQUEST,
                            "Bad Request: message text is empty",
                        );
                    }
                },
                "sendPhoto" => match p.get("photo") {
                    Some(f) => f.clone(),
                    None => {
                        return fail(
                            StatusCode::BAD_REQUEST,
                            "Bad Request: there is no photo in the request",
                        );
                    }
                },
                _ => match p.get("document") {
                    Some(f) => f.clone(),
                    None => {
                        return fail(
                            StatusCode::BAD_REQUEST,
                            "Bad Request: there is no document in the request",
                        );
                    }
                },
            };
            if let Some(markup) = p.get("reply_markup") {
                match keyboard(markup) {
                    Some(keys) => b.keyboards.push((chat.clone(), keys)),
                    None => {
                        return fail(
                            StatusCode::BAD_REQUEST,
                            "Bad Request: can't parse reply keyboard markup JSON object",
                        );
                    }
                }
            }
            b.next += 1;
            let id = b.next;
            b.sent.push((name.clone(), chat.clone(), what.clone()));
            ok(
                json!({"message_id": id, "chat": {"id": chat.parse::<i64>().unwrap_or(0), "type": "private"}, "date": 1_700_000_000, "text": what}),
            )
        }
        "getFile" => match p
            .get("file_id")
            .and_then(|id| b.files.get(id).map(|f| (id.clone(), f.clone())))
        {
            Some((id, (path, data))) => ok(
                json!({"file_id": id, "file_unique_id": format!("u{id}"), "file_size": data.len(), "file_path": path}),
            ),
            None => fail(StatusCode::BAD_REQUEST, "Bad Request: invalid file_id"),
        },
        _ => fail(StatusCode::NOT_FOUND, "Not Found"),
    }
}

async fn file(State(book): State<S>, Path((bot, path)): Path<(String, String)>) -> Response {
    let Ok(b) = book.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if bot != format!("bot{}", b.token) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    match b.files.values().find(|(p, _)| *p == path) {
        Some((_, data)) => data.clone().into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

impl TelegramStandIn {
    /// Starts the stand-in on 127.0.0.1 for the bot with `token`
    /// (`{id}:{secret}`).
    pub async fn start(token: &str) -> TelegramStandIn {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("bind: {e}"));
        let base = format!(
            "http://{}",
            listener
                .local_addr()
                .unwrap_or_else(|e| panic!("addr: {e}"))
        );
        let book = Arc::new(Mutex::new(Book {
            token: token.to_string(),
            bot_id: token
                .split(':')
                .next()
                .and_then(|i| i.parse().ok())
                .unwrap_or(0),
            ..Default::default()
        }));
        let router = Router::new()
            .route("/{bot}/{method}", any(method))
            .route("/file/{bot}/{*path}", get(file))
            .with_state(book.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        TelegramStandIn { base, book }
    }

    pub fn with_book<T>(&self, f: impl FnOnce(&mut Book) -> T) -> T {
        let mut b = self.book.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut b)
    }
}
