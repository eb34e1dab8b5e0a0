//! Telegram (Bot API). In: an `Update` with a `message` (text, photo,
//! document, voice, audio, video, location, contact; a caption; a reply
//! to an earlier message), files fetched through `getFile` and the file
//! endpoint. A bare `/start` (a customer opening the bot) is not a
//! question: nothing is taken in. Out: `sendMessage`, and
//! `sendPhoto`/`sendDocument` for files. Our id of a message is
//! `{chat}:{message_id}` (Telegram numbers messages per chat), so a
//! customer's reply to one of ours threads back.

use crate::http::{self, Http, call, malformed, refusal};
use crate::parts::Progress;
use crate::text::split_text;
use app::App;
use app::ingest::{Inbound, InboundFile, InboundSender, ThreadHint};
use app::messaging::{ChannelEvent, Events, ReadError};
use app::outbox::sender::{ChannelSender, OutboundFile, SendError};
use domain::messaging::{ChannelAccount, Credentials};
use domain::model::outbox::Outbound;
use domain::{Channel, IdentityKind, Timestamp};
use serde_json::{Value, json};

const BOT_API: &str = "https://api.telegram.org";

/// Bots may download files up to 20 MB.
const MAX_FILE: usize = 20 * 1024 * 1024;

/// Telegram's limit on one message's text.
const MAX_TEXT: usize = 4096;

fn api(a: &ChannelAccount) -> &str {
    a.api_base.as_deref().unwrap_or(BOT_API)
}

pub fn method_url(a: &ChannelAccount, token: &str, method: &str) -> String {
    format!("{}/bot{token}/{method}", api(a))
}

/// Reads one update.
pub async fn read(
    http: &Http,
    account: &ChannelAccount,
    creds: &Credentials,
    body: &[u8],
) -> Result<Events, ReadError> {
    let v: Value = serde_json::from_slice(body).map_err(|e| malformed(format!("not JSON: {e}")))?;
    if v["update_id"].as_i64().is_none() {
        return Err(malformed("not a Telegram update (no update_id)"));
    }
    let Some(m) = v.get("message").or_else(|| v.get("edited_message")) else {
        // Updates we did not ask for (callback queries, chat members).
        return Ok(Vec::new());
    };
    let chat = m["chat"]["id"]
        .as_i64()
        .ok_or_else(|| malformed("a message without chat"))?;
    let mid = m["message_id"]
        .as_i64()
        .ok_or_else(|| malformed("a message without id"))?;
    let text = m["text"]
        .as_str()
        .or(m["caption"].as_str())
        .unwrap_or("")
        .to_string();
    if text.trim() == "/start" {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    let mut said = text;
    if let Some((file_id, name, mime)) = attachment(m) {
        let data = fetch_file(http, account, creds, &file_id).await?;
        if said.is_empty() {
            said = format!("[{name}]");
        }
        files.push(InboundFile {
            file_name: name,
            content_type: mime,
            data,
        });
    }
    if let Some(loc) = m.get("location") {
        let (lat, lon) = (&loc["latitude"], &loc["longitude"]);
        said = format!("📍 ({lat}, {lon}) https://www.openstreetmap.org/?mlat={lat}&mlon={lon}");
    }
    if let Some(c) = m.get("contact") {
        said = format!(
            "👤 {} {} {}",
            c["first_name"].as_str().unwrap_or(""),
            c["last_name"].as_str().unwrap_or(""),
            c["phone_number"].as_str().unwrap_or("")
        );
    }
    let from = &m["from"];
    let name = [from["first_name"].as_str(), from["last_name"].as_str()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let edited = v.get("edited_message").is_some();
    let external = if edited {
        format!("{chat}:{mid}:edit:{}", m["edit_date"])
    } else {
        format!("{chat}:{mid}")
    };
    let mut inbound = Inbound::message(
        Channel::Telegram,
        account.external_id.clone(),
        Some(external),
        InboundSender {
            kind: IdentityKind::Telegram,
            value: chat.to_string(),
            display_name: (!name.trim().is_empty()).then(|| name.trim().to_string()),
        },
        if edited {
            format!("(edited) {said}")
        } else {
            said
        },
    );
    inbound.files = files;
    if let Some(r) = m["reply_to_message"]["message_id"].as_i64() {
        inbound
            .thread
            .push(ThreadHint::RepliesTo(format!("{chat}:{r}")));
    }
    if let Some(d) = m["date"].as_i64() {
        inbound.sent_at = Timestamp(d);
    }
    Ok(vec![ChannelEvent::message(inbound)])
}

/// The file a message carries: (file id, a name, its type).
fn attachment(m: &Value) -> Option<(String, String, String)> {
    if let Some(sizes) = m["photo"].as_array() {
        // The largest size is last.
        let p = sizes.last()?;
        let id = p["file_id"].as_str()?;
        return Some((
            id.into(),
            format!("photo-{}.jpg", p["file_unique_id"].as_str().unwrap_or(id)),
            "image/jpeg".into(),
        ));
    }
    for kind in ["document", "voice", "audio", "video"] {
        if let Some(f) = m.get(kind) {
            let id = f["file_id"].as_str()?;
            let mime = f["mime_type"].as_str().unwrap_or(match kind {
                "voice" => "audio/ogg",
                "video" => "video/mp4",
                _ => "application/octet-stream",
            });
            let name = f["file_name"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| {
                    format!("{kind}-{}", f["file_unique_id"].as_str().unwrap_or(id))
                });
            return Some((id.into(), name, mime.into()));
        }
    }
    None
}

/// `getFile`, then the file itself.
async fn fetch_file(
    http: &Http,
    account: &ChannelAccount,
    creds: &Credentials,
    file_id: &str,
) -> Result<Vec<u8>, ReadError> {
    let token = creds
        .need("bot_token")
        .map_err(|e| ReadError::Temporary(e.to_string()))?;
    let a = call(
        http.client
            .get(method_url(account, token, "getFile"))
            .query(&[("file_id", file_id)]),
    )
    .await
    .map_err(|e| ReadError::Temporary(e.into_words()))?;
    let path = match (
        a.json["ok"].as_bool(),
        a.json["result"]["file_path"].as_str(),
    ) {
        (Some(true), Some(p)) => p.to_string(),
        (Some(false), _) if a.status == 400 => {
            return Err(malformed(format!(
                "file {file_id}: {}",
                a.json["description"]
            )));
        }
        _ => return Err(ReadError::Temporary(format!("getFile: HTTP {}", a.status))),
    };
    http::download(
        http.client
            .get(format!("{}/file/bot{token}/{path}", api(account))),
        MAX_FILE,
    )
    .await
    .map_err(ReadError::Temporary)
}

/// A Bot API answer: `result` when `ok`, else the error in Telegram's
/// words (429 with `retry_after` and 5xx are temporary).
pub fn result(a: http::Answer) -> Result<Value, SendError> {
    if a.json["ok"].as_bool() == Some(true) {
        return Ok(a.json["result"].clone());
    }
    let words = format!(
        "Telegram error {}: {}",
        a.json["error_code"].as_i64().unwrap_or(a.status as i64),
        a.json["description"].as_str().unwrap_or("refused")
    );
    if a.status == 429 {
        return Err(SendError::RateLimited {
            words,
            retry_after: a.json["parameters"]["retry_after"]
                .as_u64()
                .or(a.retry_after),
        });
    }
    Err(refusal(a.status, words))
}

/// The Telegram channel's sender.
pub struct Sender {
    app: App,
    http: Http,
}

impl Sender {
    pub fn new(app: App, http: Http) -> Sender {
        Sender { app, http }
    }
}

impl ChannelSender for Sender {
    fn channel(&self) -> Channel {
        Channel::Telegram
    }

    async fn send(
        &self,
        m: &Outbound,
        files: Vec<OutboundFile>,
    ) -> Result<Option<String>, SendError> {
        let (account, creds) =
            http::sending_account(&self.app, Channel::Telegram, m.account.as_deref()).await?;
        let token = http::credential(&creds, "bot_token")?;
        let chat = m.to_address.as_str();
        let parts = split_text(&m.body_text, MAX_TEXT);
        let last = parts.len().saturating_sub(1);
        let texts = parts.len();
        let mut progress = Progress::of(&self.app, m, texts + files.len());
        for (i, part) in parts.into_iter().enumerate() {
            if !progress.pending(i) {
                continue;
            }
            let mut body = json!({ "chat_id": chat, "text": part });
            // Buttons are a keyboard whose keys send their words back as
            // the customer's message; it goes once they tap.
            if i == last && !m.buttons.is_empty() {
                body["reply_markup"] = json!({
                    "keyboard": m.buttons.iter().map(|b| vec![json!({"text": b})]).collect::<Vec<_>>(),
                    "one_time_keyboard": true,
                    "resize_keyboard": true,
                });
            }
            let r = result(
                call(
                    self.http
                        .client
                        .post(method_url(&account, token, "sendMessage"))
                        .json(&body),
                )
                .await?,
            )?;
            let id = r["message_id"].as_i64().map(|id| format!("{chat}:{id}"));
            progress.taken(i, id).await?;
        }
        for (n, f) in files.into_iter().enumerate() {
            if !progress.pending(texts + n) {
                continue;
            }
            let (method, field) = if matches!(f.content_type.as_str(), "image/jpeg" | "image/png") {
                ("sendPhoto", "photo")
            } else {
                ("sendDocument", "document")
            };
            let part = reqwest::multipart::Part::bytes(f.data)
                .file_name(f.name.clone())
                .mime_str(&f.content_type)
                .map_err(|e| SendError::Permanent(format!("{}: {e}", f.name)))?;
            let form = reqwest::multipart::Form::new()
                .text("chat_id", chat.to_string())
                .part(field, part);
            let r = result(
                call(
                    self.http
                        .client
                        .post(method_url(&account, token, method))
                        .multipart(form),
                )
                .await?,
            )?;
            let id = r["message_id"].as_i64().map(|id| format!("{chat}:{id}"));
            progress.taken(texts + n, id).await?;
        }
        Ok(progress.finish())
    }
}
