//! A strict local stand-in for WhatsApp's Cloud API (Graph API), for
//! tests: the paths, the bearer token, the message shapes and the answers
//! Meta documents — `POST /{version}/{phone-number-id}/messages` answers
//! `{messaging_product, contacts, messages: [{id: "wamid…"}]}`; an unknown
//! token is error 190, a number not on WhatsApp 131026, a closed window
//! 131047, a flood 130429 (HTTP 429); media are uploaded through
//! `/{phone-number-id}/media` and read through `GET /{media-id}` (its
//! URL) and that URL. Every accepted message is recorded. The Messenger
//! Platform's Send API (Messenger, Instagram) shares the host and path:
//! a body with a `recipient` is that API's (see `send_api`; a multipart
//! one carries a file, `send_api_file`), and customers' attachments are
//! served as Meta's CDN serves them, without a token, at `/cdn/{id}`.
//! Interactive messages (reply buttons, lists) and quick replies are held
//! to Meta's documented limits.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// What the stand-in knows and has been sent.
#[derive(Default)]
pub struct Book {
    pub token: String,
    /// Messages accepted: (phone number id, the JSON sent).
    pub sent: Vec<(String, Value)>,
    /// Files uploaded: media id → (type, bytes).
    pub uploaded: HashMap<String, (String, Vec<u8>)>,
    /// Customers' media to serve: media id → (type, bytes).
    pub media: HashMap<String, (String, Vec<u8>)>,
    /// Numbers that are not on WhatsApp.
    pub not_on_whatsapp: HashSet<String>,
    /// Numbers whose window Meta says is closed (for free-form text).
    pub window_closed: HashSet<String>,
    /// How many next sends to refuse with 130429 (rate limited).
    pub rate_limited: usize,
    next: u64,
}

#[derive(Clone)]
pub struct WhatsAppStandIn {
    pub base: String,
    pub book: Arc<Mutex<Book>>,
}

fn graph_error(status: StatusCode, code: i64, message: &str) -> Response {
    (
        status,
        axum::Json(json!({"error": {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "Atest"}})),
    )
        .into_response()
}

type S = (String, Arc<Mutex<Book>>);

fn authorised(book: &Arc<Mutex<Book>>, headers: &HeaderMap) -> bool {
    let token = book.lock().map(|b| b.token.clone()).unwrap_or_default();
    headers
        .get("authorization")
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| h == format!("Bearer {token}"))
}

/// An interactive message as the Cloud API takes it: reply buttons (one
/// to three, unique ids of at most 256 and titles of at most 20
/// characters) or a list (a button of at most 20 characters, sections with
/// rows of at most 24-character titles), with a body of at most 1,024.
fn interactive_ok(i: &Value) -> bool {
    let short = |v: &Value, max: usize| {
        v.as_str()
            .is_some_and(|t| !t.trim().is_empty() && t.chars().count() <= max)
    };
    if !short(&i["body"]["text"], 1024) {
        return false;
    }
    match i["type"].as_str() {
        Some("button") => {
            let Some(buttons) = i["action"]["buttons"].as_array() else {
                return false;
            };
            let mut ids = HashSet::new();
            let mut titles = HashSet::new();
            (1..=3).contains(&buttons.len())
                && buttons.iter().all(|b| {
                    b["type"] == "reply"
                        && short(&b["reply"]["id"], 256)
                        && short(&b["reply"]["title"], 20)
                        && ids.insert(b["reply"]["id"].to_string())
                        && titles.insert(b["reply"]["title"].to_string())
                })
        }
        Some("list") => {
            short(&i["action"]["button"], 20)
                && i["action"]["sections"].as_array().is_some_and(|s| {
                    !s.is_empty()
                        && s.iter().all(|sec| {
                            sec["rows"].as_array().is_some_and(|rows| {
                                !rows.is_empty()
                                    && rows
                                        .iter()
                                        .all(|r| short(&r["id"], 200) && short(&r["title"], 24))
                            })
                        })
                })
        }
        _ => false,
    }
}

async fn messages(
    State((_, book)): State<S>,
    Path((version, number)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !authorised(&book, &headers) {
        return graph_error(
            StatusCode::UNAUTHORIZED,
            190,
            "Invalid OAuth access token - Cannot parse access token",
        );
    }
    if version != "v21.0" {
        return graph_error(StatusCode::BAD_REQUEST, 2500, "Unknown path components");
    }
    let multipart = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if multipart {
        let form = crate::form::multipart_params(&headers, body).await;
        return send_api_file(&book, number, &form);
    }
    let Ok(m) = serde_json::from_slice::<Value>(&body) else {
        return graph_error(StatusCode::BAD_REQUEST, 100, "Invalid parameter");
    };
    if m.get("recipient").is_some() {
        return send_api(&book, number, m);
    }
    let to = m["to"].as_str().unwrap_or("").to_string();
    let to = to.as_str();
    let kind = m["type"].as_str().unwrap_or("text");
    let well_formed = m["messaging_product"] == "whatsapp"
        && !to.is_empty()
        && to.bytes().all(|b| b.is_ascii_digit())
        && match kind {
            "text" => m["text"]["body"]
                .as_str()
                .is_some_and(|b| !b.is_empty() && b.chars().count() <= 4096),
            "template" => {
                m["template"]["name"].is_string() && m["template"]["language"]["code"].is_string()
            }
            "image" | "document" | "audio" | "video" => {
                m[kind]["id"].is_string() || m[kind]["link"].is_string()
            }
            "interactive" => interactive_ok(&m["interactive"]),
            _ => false,
        };
    if !well_formed {
        return graph_error(StatusCode::BAD_REQUEST, 100, "(#100) Invalid parameter");
    }
    let Ok(mut b) = book.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if b.rate_limited > 0 {
        b.rate_limited -= 1;
        return graph_error(StatusCode::TOO_MANY_REQUESTS, 130429, "Rate limit hit");
    }
    if b.not_on_whatsapp.contains(to) {
        return graph_error(StatusCode::BAD_REQUEST, 131026, "Message undeliverable");
    }
    if kind != "template" && b.window_closed.contains(to) {
        return graph_error(StatusCode::BAD_REQUEST, 131047, "Re-engagement message");
    }
    b.next += 1;
    let id = format!("wamid.TEST{}", b.next);
    b.sent.push((number, m));
    axum::Json(json!({
        "messaging_product": "whatsapp",
        "contacts": [{"input": to, "wa_id": to}],
        "messages": [{"id": id}],
    }))
    .into_response()
}

/// The Send API with a file: a multipart form of `recipient` and
/// `message` (JSON, the message an `attachment` of type image, audio,
/// video or file with `payload.is_reusable`), the messaging type (and tag)
/// and the file as `filedata`. Recorded as the message JSON with the
/// file's name in `filedata`.
fn send_api_file(
    book: &Arc<Mutex<Book>>,
    page: String,
    form: &HashMap<String, String>,
) -> Response {
    let json_field = |k: &str| {
        form.get(k)
            .and_then(|v| serde_json::from_str::<Value>(v).ok())
            .unwrap_or(Value::Null)
    };
    let (recipient, message) = (json_field("recipient"), json_field("message"));
    let kind_ok = matches!(
        message["attachment"]["type"].as_str(),
        Some("image" | "audio" | "video" | "file")
    );
    let Some(file) = form.get("filedata").filter(|f| !f.is_empty()) else {
        return graph_error(
            StatusCode::BAD_REQUEST,
            100,
            "(#100) Upload attachment failure.",
        );
    };
    if !recipient["id"].is_string() || !kind_ok || !message["attachment"]["payload"].is_object() {
        return graph_error(StatusCode::BAD_REQUEST, 100, "(#100) Invalid parameter");
    }
    let mut m = json!({
        "recipient": recipient,
        "messaging_type": form.get("messaging_type"),
        "message": message,
        "filedata": file,
    });
    if let Some(tag) = form.get("tag") {
        m["tag"] = json!(tag);
    }
    send_api(book, page, m)
}

/// The Messenger Platform's Send API (Messenger and Instagram), on the
/// same Graph host: `{recipient: {id}, messaging_type, tag, message:
/// {text}}` answered `{recipient_id, message_id}`; a person who blocked
/// the page is error 551; `MESSAGE_TAG` needs a tag Meta knows.
fn send_api(book: &Arc<Mutex<Book>>, page: String, m: Value) -> Response {
    let to = m["recipient"]["id"].as_str().unwrap_or("").to_string();
    let kind = m["messaging_type"].as_str().unwrap_or("");
    let tag_ok = kind != "MESSAGE_TAG"
        || matches!(
            m["tag"].as_str(),
            Some(
                "HUMAN_AGENT"
                    | "CONFIRMED_EVENT_UPDATE"
                    | "POST_PURCHASE_UPDATE"
                    | "ACCOUNT_UPDATE"
            )
        );
    let text_ok = m["message"]["text"]
        .as_str()
        .is_some_and(|t| !t.is_empty() && t.chars().count() <= 2000)
        || (m["message"]["text"].is_null() && m["filedata"].is_string());
    // Quick replies: 1 to 13, text ones with a title of at most 20
    // characters and a payload of at most 1,000.
    let quick_ok = match &m["message"]["quick_replies"] {
        Value::Null => true,
        Value::Array(q) => {
            (1..=13).contains(&q.len())
                && q.iter().all(|r| match r["content_type"].as_str() {
                    Some("text") => {
                        r["title"]
                            .as_str()
                            .is_some_and(|t| !t.is_empty() && t.chars().count() <= 20)
                            && r["payload"]
                                .as_str()
                                .is_some_and(|p| !p.is_empty() && p.len() <= 1000)
                    }
                    Some("user_phone_number" | "user_email") => true,
                    _ => false,
                })
        }
        _ => false,
    };
    if to.is_empty()
        || !matches!(kind, "RESPONSE" | "UPDATE" | "MESSAGE_TAG")
        || !tag_ok
        || !text_ok
        || !quick_ok
    {
        return graph_error(StatusCode::BAD_REQUEST, 100, "(#100) Invalid parameter");
    }
    let Ok(mut b) = book.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if b.not_on_whatsapp.contains(&to) {
        return graph_error(
            StatusCode::BAD_REQUEST,
            551,
            "This person isn't available right now.",
        );
    }
    b.next += 1;
    let id = format!("m_TEST{}", b.next);
    b.sent.push((page, m));
    axum::Json(json!({ "recipient_id": to, "message_id": id })).into_response()
}

async fn upload(State((_, book)): State<S>, headers: HeaderMap, mut form: Multipart) -> Response {
    if !authorised(&book, &headers) {
        return graph_error(StatusCode::UNAUTHORIZED, 190, "Invalid OAuth access token");
    }
    let (mut product, mut kind, mut file) = (None, None, None);
    while let Ok(Some(field)) = form.next_field().await {
        match field.name().unwrap_or("") {
            "messaging_product" => product = field.text().await.ok(),
            "type" => kind = field.text().await.ok(),
            "file" => file = field.bytes().await.ok(),
            _ => {}
        }
    }
    let (Some(p), Some(kind), Some(file)) = (product, kind, file) else {
        return graph_error(
            StatusCode::BAD_REQUEST,
            100,
            "(#100) The parameter file is required",
        );
    };
    if p != "whatsapp" {
        return graph_error(
            StatusCode::BAD_REQUEST,
            100,
            "(#100) messaging_product must be whatsapp",
        );
    }
    let Ok(mut b) = book.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    b.next += 1;
    let id = format!("media-up-{}", b.next);
    b.uploaded.insert(id.clone(), (kind, file.to_vec()));
    axum::Json(json!({ "id": id })).into_response()
}

async fn media_url(
    State((base, book)): State<S>,
    Path((_, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    if !authorised(&book, &headers) {
        return graph_error(StatusCode::UNAUTHORIZED, 190, "Invalid OAuth access token");
    }
    let found = book.lock().ok().and_then(|b| b.media.get(&id).cloned());
    match found {
        Some((mime, data)) => axum::Json(json!({
            "messaging_product": "whatsapp",
            "url": format!("{base}/media-files/{id}"),
            "mime_type": mime,
            "file_size": data.len(),
            "id": id,
        }))
        .into_response(),
        None => graph_error(StatusCode::NOT_FOUND, 100, "Unsupported get request"),
    }
}

async fn media_file(
    State((_, book)): State<S>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if !authorised(&book, &headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    match book.lock().ok().and_then(|b| b.media.get(&id).cloned()) {
        Some((mime, data)) => ([("content-type", mime)], data).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Meta's CDN, where a Messenger or Instagram attachment's `payload.url`
/// points: the file without a token (the address is what is secret);
/// gone (404) once its address has expired.
async fn cdn_file(State((_, book)): State<S>, Path(id): Path<String>) -> Response {
    match book.lock().ok().and_then(|b| b.media.get(&id).cloned()) {
        Some((mime, data)) => ([("content-type", mime)], data).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

impl WhatsAppStandIn {
    /// Starts the stand-in on 127.0.0.1, accepting `token`.
    pub async fn start(token: &str) -> WhatsAppStandIn {
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
            ..Default::default()
        }));
        let router = Router::new()
            .route("/{version}/{number}/messages", post(messages))
            .route("/{version}/{number}/media", post(upload))
            .route("/{version}/{id}", get(media_url))
            .route("/media-files/{id}", get(media_file))
            .route("/cdn/{id}", get(cdn_file))
            .with_state((base.clone(), book.clone()));
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        WhatsAppStandIn { base, book }
    }

    /// The messages accepted so far.
    pub fn sent(&self) -> Vec<(String, Value)> {
        self.book.lock().map(|b| b.sent.clone()).unwrap_or_default()
    }

    pub fn with_book<T>(&self, f: impl FnOnce(&mut Book) -> T) -> T {
        let mut b = self.book.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut b)
    }
}
