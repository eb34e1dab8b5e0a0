//! A strict local stand-in for Twilio's Messaging REST API, for tests:
//! `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` with HTTP Basic
//! auth (the account SID and auth token) and a form (`To`, `From`, `Body`,
//! `StatusCallback`), answered 201 with the Message resource as Twilio
//! documents it (`sid` "SM…", `status` "queued", `num_segments` as GSM-7
//! or UCS-2 counts them); errors as Twilio's JSON (`code`, `message`,
//! `more_info`, `status`): 20003 bad credentials, 21211 an invalid `To`,
//! 21610 a number that sent STOP, 21617 a body over 1,600 characters,
//! 20429 too many requests. Customers' MMS media are served under the
//! message's `Media/{sid}` with the same auth. Voice: `Calls.json` places
//! a call (`To` a number or `client:…`, `From`, `Url` required; 21205 for
//! a bad `Url`, 21201 without `To`), and recordings are served as
//! `Recordings/{sid}.mp3` (404 until the test makes one). The official `twilio`
//! Python client is run against it in the tests, so its contract is the
//! library's.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use serde_json::json;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// One message accepted.
#[derive(Debug, Clone)]
pub struct SentSms {
    pub sid: String,
    pub to: String,
    pub from: String,
    pub body: String,
    pub status_callback: Option<String>,
    pub segments: usize,
    /// The media Twilio fetched from each `MediaUrl`: (content type, bytes).
    pub media: Vec<(String, Vec<u8>)>,
}

#[derive(Default)]
pub struct Book {
    pub account_sid: String,
    pub auth_token: String,
    pub sent: Vec<SentSms>,
    /// Numbers that replied STOP.
    pub unsubscribed: HashSet<String>,
    /// Media customers sent: media sid → (type, bytes).
    pub media: HashMap<String, (String, Vec<u8>)>,
    /// Calls placed through `Calls.json`.
    pub calls: Vec<PlacedCall>,
    /// Recordings: recording sid → MP3 bytes.
    pub recordings: HashMap<String, Vec<u8>>,
    /// Each recording fetch, by recording sid (retries show).
    pub recording_fetches: Vec<String>,
    next: u64,
}

/// One call placed through the Voice API.
#[derive(Debug, Clone)]
pub struct PlacedCall {
    pub sid: String,
    pub to: String,
    pub from: String,
    pub url: String,
    pub status_callback: Option<String>,
}

#[derive(Clone)]
pub struct TwilioStandIn {
    pub base: String,
    pub book: Arc<Mutex<Book>>,
}

type S = Arc<Mutex<Book>>;

fn error(status: StatusCode, code: i64, message: &str) -> Response {
    (
        status,
        axum::Json(json!({
            "code": code,
            "message": message,
            "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
            "status": status.as_u16(),
        })),
    )
        .into_response()
}

/// GSM-7's basic character set (and the extension table's characters,
/// which take two septets).
const GSM: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXT: &str = "^{}\\[~]|€";

/// How many SMS segments a body takes: 160/153 GSM-7 septets, else
/// 70/67 UCS-2 units.
pub fn segments(body: &str) -> usize {
    let gsm = body.chars().all(|c| GSM.contains(c) || GSM_EXT.contains(c));
    let (units, single, multi) = if gsm {
        let n: usize = body
            .chars()
            .map(|c| if GSM_EXT.contains(c) { 2 } else { 1 })
            .sum();
        (n, 160, 153)
    } else {
        (body.encode_utf16().count(), 70, 67)
    };
    if units <= single {
        1
    } else {
        units.div_ceil(multi)
    }
}

fn authorised(b: &Book, headers: &HeaderMap) -> bool {
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", b.account_sid, b.auth_token))
    );
    headers
        .get("authorization")
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| h == expected)
}

/// The account in the path is this one and the request is its own
/// (HTTP Basic with its SID and token), as Twilio checks both.
fn account_checked(b: &Book, sid: &str, headers: &HeaderMap) -> Result<(), Response> {
    if sid != b.account_sid {
        return Err(error(
            StatusCode::NOT_FOUND,
            20404,
            "The requested resource was not found",
        ));
    }
    if !authorised(b, headers) {
        return Err(error(StatusCode::UNAUTHORIZED, 20003, "Authenticate"));
    }
    Ok(())
}

/// A media URL as Twilio fetches it: 200 with a content type, at most
/// 5 MB.
async fn fetch_media(url: &str) -> Option<(String, Vec<u8>)> {
    let r = reqwest::get(url).await.ok()?;
    if r.status().as_u16() != 200 {
        return None;
    }
    let kind = r.headers().get("content-type")?.to_str().ok()?.to_string();
    let data = r.bytes().await.ok()?;
    (data.len() <= 5 * 1024 * 1024).then(|| (kind, data.to_vec()))
}

async fn create(
    State(book): State<S>,
    Path(sid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    // Twilio fetches each MediaUrl (at most ten, each at most 5 MB) when
    // it takes the message; one it cannot fetch fails the request.
    let urls: Vec<String> = form_urlencoded::parse(&body)
        .filter(|(k, _)| k == "MediaUrl")
        .map(|(_, v)| v.into_owned())
        .collect();
    if urls.len() > 10 {
        return error(StatusCode::BAD_REQUEST, 21623, "Too many media URLs.");
    }
    let mut media = Vec::new();
    for url in &urls {
        match fetch_media(url).await {
            Some(m) => media.push(m),
            None => {
                return error(
                    StatusCode::BAD_REQUEST,
                    21620,
                    &format!("Invalid media URL(s): {url}"),
                );
            }
        }
    }
    let Ok(mut b) = book.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Err(refused) = account_checked(&b, &sid, &headers) {
        return refused;
    }
    let form: HashMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    let (Some(to), Some(from)) = (form.get("To"), form.get("From")) else {
        return error(
            StatusCode::BAD_REQUEST,
            21604,
            "A 'To' phone number is required.",
        );
    };
    let text = form.get("Body").cloned().unwrap_or_default();
    if text.is_empty() && media.is_empty() {
        return error(StatusCode::BAD_REQUEST, 21602, "Message body is required.");
    }
    if text.chars().count() > 1600 {
        return error(
            StatusCode::BAD_REQUEST,
            21617,
            "The concatenated message body exceeds the 1600 character limit.",
        );
    }
    if !to.starts_with('+') || to.len() < 8 || !to[1..].bytes().all(|c| c.is_ascii_digit()) {
        return error(
            StatusCode::BAD_REQUEST,
            21211,
            &format!("The 'To' number {to} is not a valid phone number."),
        );
    }
    if b.unsubscribed.contains(to) {
        return error(
            StatusCode::BAD_REQUEST,
            21610,
            "Attempt to send to unsubscribed recipient",
        );
    }
    b.next += 1;
    let msid = format!("SM{:032x}", b.next);
    let n = segments(&text);
    b.sent.push(SentSms {
        sid: msid.clone(),
        to: to.clone(),
        from: from.clone(),
        body: text.clone(),
        status_callback: form.get("StatusCallback").cloned(),
        segments: n,
        media,
    });
    let account = b.account_sid.clone();
    let uri = format!("/2010-04-01/Accounts/{account}/Messages/{msid}.json");
    (
        StatusCode::CREATED,
        axum::Json(json!({
            "account_sid": account,
            "api_version": "2010-04-01",
            "body": text,
            "date_created": "Thu, 04 Dec 2026 10:00:00 +0000",
            "date_sent": null,
            "date_updated": "Thu, 04 Dec 2026 10:00:00 +0000",
            "direction": "outbound-api",
            "error_code": null,
            "error_message": null,
            "from": from,
            "messaging_service_sid": null,
            "num_media": "0",
            "num_segments": n.to_string(),
            "price": null,
            "price_unit": "USD",
            "sid": msid,
            "status": "queued",
            "subresource_uris": {"media": uri.replace(".json", "/Media.json")},
            "to": to,
            "uri": uri,
        })),
    )
        .into_response()
}

async fn media(
    State(book): State<S>,
    Path((_, _, media)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    let Ok(b) = book.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if !authorised(&b, &headers) {
        return error(StatusCode::UNAUTHORIZED, 20003, "Authenticate");
    }
    match b.media.get(&media) {
        Some((mime, data)) => ([("content-type", mime.clone())], data.clone()).into_response(),
        None => error(
            StatusCode::NOT_FOUND,
            20404,
            "The requested resource was not found",
        ),
    }
}

async fn place_call(
    State(book): State<S>,
    Path(sid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Ok(mut b) = book.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Err(refused) = account_checked(&b, &sid, &headers) {
        return refused;
    }
    let form: HashMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    let Some(to) = form.get("To") else {
        return error(
            StatusCode::BAD_REQUEST,
            21201,
            "No 'To' number is specified",
        );
    };
    let number_ok =
        |n: &str| n.starts_with('+') && n.len() >= 8 && n[1..].bytes().all(|c| c.is_ascii_digit());
    if !(number_ok(to) || to.strip_prefix("client:").is_some_and(|c| !c.is_empty())) {
        return error(
            StatusCode::BAD_REQUEST,
            21211,
            &format!("Invalid 'To' Phone Number: {to}"),
        );
    }
    let Some(from) = form.get("From").filter(|f| number_ok(f)) else {
        return error(
            StatusCode::BAD_REQUEST,
            21212,
            "Invalid 'From' Phone Number",
        );
    };
    let Some(url) = form
        .get("Url")
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
    else {
        return error(
            StatusCode::BAD_REQUEST,
            21205,
            "Url parameter is required and must be a valid URL",
        );
    };
    b.next += 1;
    let csid = format!("CA{:032x}", b.next);
    b.calls.push(PlacedCall {
        sid: csid.clone(),
        to: to.clone(),
        from: from.clone(),
        url: url.clone(),
        status_callback: form.get("StatusCallback").cloned(),
    });
    let account = b.account_sid.clone();
    (
        StatusCode::CREATED,
        axum::Json(json!({
            "account_sid": account,
            "api_version": "2010-04-01",
            "direction": "outbound-api",
            "from": from,
            "sid": csid,
            "status": "queued",
            "to": to,
            "uri": format!("/2010-04-01/Accounts/{account}/Calls/{csid}.json"),
        })),
    )
        .into_response()
}

async fn recording(
    State(book): State<S>,
    Path((_, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let Ok(mut b) = book.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if !authorised(&b, &headers) {
        return error(StatusCode::UNAUTHORIZED, 20003, "Authenticate");
    }
    let Some(rsid) = file.strip_suffix(".mp3") else {
        return error(
            StatusCode::NOT_FOUND,
            20404,
            "The requested resource was not found",
        );
    };
    b.recording_fetches.push(rsid.to_string());
    match b.recordings.get(rsid) {
        Some(data) => ([("content-type", "audio/mpeg".to_string())], data.clone()).into_response(),
        None => error(
            StatusCode::NOT_FOUND,
            20404,
            "The requested resource was not found",
        ),
    }
}

impl TwilioStandIn {
    /// A recording's address as Twilio gives it in its callbacks (without
    /// an extension).
    pub fn recording_url(&self, recording: &str) -> String {
        let sid = self.with_book(|b| b.account_sid.clone());
        format!(
            "{}/2010-04-01/Accounts/{sid}/Recordings/{recording}",
            self.base
        )
    }

    pub async fn start(account_sid: &str, auth_token: &str) -> TwilioStandIn {
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
            account_sid: account_sid.to_string(),
            auth_token: auth_token.to_string(),
            ..Default::default()
        }));
        let router = Router::new()
            .route("/2010-04-01/Accounts/{sid}/Messages.json", post(create))
            .route(
                "/2010-04-01/Accounts/{sid}/Messages/{message}/Media/{media}",
                get(media),
            )
            .route("/2010-04-01/Accounts/{sid}/Calls.json", post(place_call))
            .route(
                "/2010-04-01/Accounts/{sid}/Recordings/{file}",
                get(recording),
            )
            .with_state(book.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        TwilioStandIn { base, book }
    }

    /// Where a customer's MMS media is served.
    pub fn media_url(&self, message: &str, media: &str) -> String {
        let sid = self.with_book(|b| b.account_sid.clone());
        format!(
            "{}/2010-04-01/Accounts/{sid}/Messages/{message}/Media/{media}",
            self.base
        )
    }

    pub fn with_book<T>(&self, f: impl FnOnce(&mut Book) -> T) -> T {
        let mut b = self.book.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut b)
    }
}

#[cfg(test)]
mod tests {
    use super::segments;

    #[test]
    fn segments_count_as_gsm_or_ucs2() {
        assert_eq!(segments("hola"), 1);
        assert_eq!(segments(&"a".repeat(160)), 1);
        assert_eq!(segments(&"a".repeat(161)), 2);
        assert_eq!(segments(&"ñ".repeat(160)), 1);
        assert_eq!(segments("hola 👋"), 1);
        assert_eq!(segments(&"ç".repeat(71)), 2);
    }
}
