//! WhatsApp Business (Cloud API). In: the webhook's
//! `whatsapp_business_account` object, each change's `value` holding the
//! number it came to (`metadata.phone_number_id`), the customers'
//! profiles (`contacts`), their `messages` (text, media, location,
//! contacts, button and list replies, reactions) and the `statuses` of
//! ours. Media are fetched through the media endpoint (`GET /{media-id}`
//! for its URL, then the URL, both with the access token). Out:
//! `POST /{phone-number-id}/messages` — text, a template when the window
//! is closed, files uploaded first through `/{phone-number-id}/media`.

use crate::http::{self, Http, call, malformed, refusal};
use crate::parts::Progress;
use app::App;
use app::ingest::{Inbound, InboundFile, InboundSender, ThreadHint};
use app::messaging::{ChannelEvent, Events, ReadError};
use app::outbox::sender::{ChannelSender, OutboundFile, SendError};
use domain::messaging::{ChannelAccount, Credentials, Receipt};
use domain::model::outbox::Outbound;
use domain::{Channel, IdentityKind, Timestamp};
use serde_json::{Value, json};

/// Graph API's address and the version we speak.
const GRAPH: &str = "https://graph.facebook.com";
pub const VERSION: &str = "v21.0";

/// The most a customer's file may weigh to be kept (WhatsApp's own limit
/// for documents is 100 MB; we keep what a ticket keeps).
const MAX_MEDIA: usize = 25 * 1024 * 1024;

pub fn base(a: &ChannelAccount) -> String {
    format!("{}/{VERSION}", a.api_base.as_deref().unwrap_or(GRAPH))
}

/// Reads one delivery.
pub async fn read(
    http: &Http,
    account: &ChannelAccount,
    creds: &Credentials,
    body: &[u8],
) -> Result<Events, ReadError> {
    let v: Value = serde_json::from_slice(body).map_err(|e| malformed(format!("not JSON: {e}")))?;
    if v["object"] != "whatsapp_business_account" {
        return Err(malformed("not a whatsapp_business_account delivery"));
    }
    let entries = v["entry"]
        .as_array()
        .ok_or_else(|| malformed("no entry list"))?;
    let mut events = Vec::new();
    for change in entries
        .iter()
        .flat_map(|e| e["changes"].as_array().into_iter().flatten())
    {
        if change["field"] != "messages" {
            continue;
        }
        let value = &change["value"];
        let number = value["metadata"]["phone_number_id"]
            .as_str()
            .unwrap_or(&account.external_id);
        for m in value["messages"].as_array().into_iter().flatten() {
            let name = value["contacts"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|c| c["wa_id"] == m["from"])
                .and_then(|c| c["profile"]["name"].as_str());
            events.push(message(http, account, creds, number, m, name).await?);
        }
        for s in value["statuses"].as_array().into_iter().flatten() {
            if let Some(e) = status(s) {
                events.push(e);
            }
        }
    }
    Ok(events)
}

/// A status of one of our messages.
fn status(s: &Value) -> Option<ChannelEvent> {
    let id = s["id"].as_str()?.to_string();
    let receipt = match s["status"].as_str()? {
        "delivered" => Ok(Receipt::Delivered),
        "read" => Ok(Receipt::Read),
        "failed" => {
            let e = s["errors"].as_array().and_then(|l| l.first());
            let words = match e {
                Some(e) => format!(
                    "WhatsApp error {}: {}{}",
                    e["code"],
                    e["title"]
                        .as_str()
                        .or(e["message"].as_str())
                        .unwrap_or("failed"),
                    e["error_data"]["details"]
                        .as_str()
                        .map(|d| format!(" ({d})"))
                        .unwrap_or_default()
                ),
                None => "WhatsApp says the message failed".into(),
            };
            Err(words)
        }
        _ => return None,
    };
    Some(ChannelEvent::Receipt {
        external_id: id,
        receipt,
    })
}

/// A customer's message, in the core's terms.
async fn message(
    http: &Http,
    account: &ChannelAccount,
    creds: &Credentials,
    number: &str,
    m: &Value,
    name: Option<&str>,
) -> Result<ChannelEvent, ReadError> {
    let from = m["from"]
        .as_str()
        .ok_or_else(|| malformed("a message without from"))?;
    let id = m["id"]
        .as_str()
        .ok_or_else(|| malformed("a message without id"))?;
    let kind = m["type"].as_str().unwrap_or("unknown");
    let body = &m[kind];
    let mut files = Vec::new();
    let text = match kind {
        "text" => body["body"].as_str().unwrap_or_default().to_string(),
        "image" | "document" | "audio" | "video" | "sticker" => {
            let media = body["id"]
                .as_str()
                .ok_or_else(|| malformed("media without id"))?;
            let mime = body["mime_type"]
                .as_str()
                .unwrap_or("application/octet-stream");
            let data = fetch_media(http, account, creds, media).await?;
            let file_name = body["filename"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| format!("{kind}-{media}.{}", extension(mime)));
            files.push(InboundFile {
                file_name: file_name.clone(),
                content_type: mime.to_string(),
                data,
            });
            body["caption"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| format!("[{kind}: {file_name}]"))
        }
        "location" => {
            let (lat, lon) = (&body["latitude"], &body["longitude"]);
            let place = [body["name"].as_str(), body["address"].as_str()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
            format!(
                "📍 {place} ({lat}, {lon}) https://www.openstreetmap.org/?mlat={lat}&mlon={lon}"
            )
            .replace("📍  (", "📍 (")
        }
        "contacts" => body
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| {
                let phones: Vec<&str> = c["phones"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|p| p["phone"].as_str())
                    .collect();
                format!(
                    "👤 {} {}",
                    c["name"]["formatted_name"].as_str().unwrap_or("?"),
                    phones.join(", ")
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
        "interactive" => {
            let reply = &body[body["type"].as_str().unwrap_or("button_reply")];
            reply["title"].as_str().unwrap_or_default().to_string()
        }
        "button" => body["text"].as_str().unwrap_or_default().to_string(),
        "reaction" => format!("{} (reaction)", body["emoji"].as_str().unwrap_or("")),
        other => format!("[a {other} message WhatsApp does not let us read]"),
    };
    let mut inbound = Inbound::message(
        Channel::WhatsApp,
        number,
        Some(id.to_string()),
        InboundSender {
            kind: IdentityKind::Phone,
            value: format!("+{}", from.trim_start_matches('+')),
            display_name: name.map(str::to_string),
        },
        text,
    );
    inbound.files = files;
    // A reply quoting a message (ours or theirs), a reaction to one.
    let quoted = m["context"]["id"].as_str().or(if kind == "reaction" {
        body["message_id"].as_str()
    } else {
        None
    });
    if let Some(q) = quoted {
        inbound.thread.push(ThreadHint::RepliesTo(q.to_string()));
    }
    if let Some(t) = m["timestamp"].as_str().and_then(|t| t.parse::<i64>().ok()) {
        inbound.sent_at = Timestamp(t);
    }
    Ok(ChannelEvent::message(inbound))
}

pub(crate) fn extension(mime: &str) -> &str {
    match mime.split(';').next().unwrap_or("").trim() {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        "audio/ogg" => "ogg",
        "audio/mpeg" => "mp3",
        "video/mp4" => "mp4",
        "application/pdf" => "pdf",
        _ => "bin",
    }
}

/// A customer's media: its URL from the media endpoint, then the file.
async fn fetch_media(
    http: &Http,
    account: &ChannelAccount,
    creds: &Credentials,
    media: &str,
) -> Result<Vec<u8>, ReadError> {
    let token = creds
        .need("access_token")
        .map_err(|e| ReadError::Temporary(e.to_string()))?;
    let meta = call(
        http.client
            .get(format!("{}/{media}", base(account)))
            .bearer_auth(token),
    )
    .await
    .map_err(|e| ReadError::Temporary(e.into_words()))?;
    let url = match (meta.status, meta.json["url"].as_str()) {
        (200, Some(url)) => url.to_string(),
        (404 | 400, _) => return Err(malformed(format!("media {media} is not there"))),
        (s, _) => return Err(ReadError::Temporary(format!("media {media}: HTTP {s}"))),
    };
    http::download(http.client.get(url).bearer_auth(token), MAX_MEDIA)
        .await
        .map_err(ReadError::Temporary)
}

/// The words of a Graph API error, and whether to retry: rate limits
/// (4, 80007, 130429, 131056) hold the channel a while, Meta's own
/// trouble (1, 2, 131000) is temporary; a closed window (131047), a number not on WhatsApp
/// (131026), a bad token (190) and everything else are not.
pub fn graph_error(status: u16, json: &Value) -> SendError {
    let e = &json["error"];
    let code = e["code"].as_i64().unwrap_or(0);
    let words = format!(
        "WhatsApp error {code}: {}{}",
        e["message"].as_str().unwrap_or("refused"),
        e["error_data"]["details"]
            .as_str()
            .map(|d| format!(" ({d})"))
            .unwrap_or_default()
    );
    match code {
        4 | 80007 | 130429 | 131056 => SendError::RateLimited {
            words,
            retry_after: None,
        },
        1 | 2 | 131000 => SendError::Temporary(words),
        131047 | 131026 | 190 | 100 | 131051 => SendError::Permanent(words),
        _ => refusal(status, words),
    }
}

/// The WhatsApp channel's sender.
pub struct Sender {
    app: App,
    http: Http,
}

impl Sender {
    pub fn new(app: App, http: Http) -> Sender {
        Sender { app, http }
    }
}

/// The message's JSON for one send: a template, or text.
fn text_message(m: &Outbound, to: &str) -> Value {
    match &m.template {
        Some(t) => json!({
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": to,
            "type": "template",
            "template": {
                "name": t.name,
                "language": { "code": t.language },
                "components": [{
                    "type": "body",
                    "parameters": t.params.iter().map(|p| json!({"type": "text", "text": p})).collect::<Vec<_>>(),
                }],
            },
        }),
        None if buttons_fit(m) => json!({
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": to,
            "type": "interactive",
            "interactive": {
                "type": "button",
                "body": { "text": m.body_text },
                "action": {
                    "buttons": m.buttons.iter().enumerate().map(|(i, title)| json!({
                        "type": "reply",
                        "reply": { "id": format!("{}:{i}", m.message_id), "title": title },
                    })).collect::<Vec<_>>(),
                },
            },
        }),
        None => json!({
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": to,
            "type": "text",
            "text": { "preview_url": false, "body": crate::text::with_choices(&m.body_text, &m.buttons) },
        }),
    }
}

/// Whether a message's buttons go as WhatsApp reply buttons: at most
/// three, titles of at most 20 characters, a body of at most 1,024;
/// otherwise the choices are written in the text.
fn buttons_fit(m: &Outbound) -> bool {
    !m.buttons.is_empty()
        && m.buttons.len() <= 3
        && m.buttons
            .iter()
            .all(|b| !b.trim().is_empty() && b.chars().count() <= 20)
        && m.body_text.chars().count() <= 1024
}

/// Sends one JSON message; the `wamid` WhatsApp gave it.
pub async fn post_message(
    http: &Http,
    account: &ChannelAccount,
    token: &str,
    message: &Value,
) -> Result<Option<String>, SendError> {
    let a = call(
        http.client
            .post(format!(
                "{}/{}/messages",
                base(account),
                account.external_id
            ))
            .bearer_auth(token)
            .json(message),
    )
    .await?;
    if a.status != 200 {
        return Err(graph_error(a.status, &a.json));
    }
    Ok(a.json["messages"][0]["id"].as_str().map(str::to_string))
}

/// Uploads a file for sending; its media id.
async fn upload(
    http: &Http,
    account: &ChannelAccount,
    token: &str,
    f: &OutboundFile,
) -> Result<String, SendError> {
    let part = reqwest::multipart::Part::bytes(f.data.clone())
        .file_name(f.name.clone())
        .mime_str(&f.content_type)
        .map_err(|e| SendError::Permanent(format!("{}: {e}", f.name)))?;
    let form = reqwest::multipart::Form::new()
        .text("messaging_product", "whatsapp")
        .text("type", f.content_type.clone())
        .part("file", part);
    let a = call(
        http.client
            .post(format!("{}/{}/media", base(account), account.external_id))
            .bearer_auth(token)
            .multipart(form),
    )
    .await?;
    match (a.status, a.json["id"].as_str()) {
        (200, Some(id)) => Ok(id.to_string()),
        (s, _) => Err(graph_error(s, &a.json)),
    }
}

/// WhatsApp's kind of media for a file.
fn media_kind(content_type: &str) -> &'static str {
    match content_type.split('/').next().unwrap_or("") {
        "image" if matches!(content_type, "image/jpeg" | "image/png") => "image",
        "audio" => "audio",
        "video" => "video",
        _ => "document",
    }
}

impl ChannelSender for Sender {
    fn channel(&self) -> Channel {
        Channel::WhatsApp
    }

    async fn send(
        &self,
        m: &Outbound,
        files: Vec<OutboundFile>,
    ) -> Result<Option<String>, SendError> {
        let (account, creds) =
            http::sending_account(&self.app, Channel::WhatsApp, m.account.as_deref()).await?;
        let token = http::credential(&creds, "access_token")?;
        let to = m.to_address.trim_start_matches('+');
        let has_text = m.template.is_some() || !m.body_text.trim().is_empty();
        let mut progress = Progress::of(&self.app, m, usize::from(has_text) + files.len());
        if has_text && progress.pending(0) {
            let id = post_message(&self.http, &account, token, &text_message(m, to)).await?;
            progress.taken(0, id).await?;
        }
        for (n, f) in files.iter().enumerate() {
            let part = usize::from(has_text) + n;
            if !progress.pending(part) {
                continue;
            }
            let media = upload(&self.http, &account, token, f).await?;
            let kind = media_kind(&f.content_type);
            let mut body = json!({ "id": media });
            if kind == "document" {
                body["filename"] = json!(f.name);
            }
            let msg = json!({
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": to,
                "type": kind,
                kind: body,
            });
            let id = post_message(&self.http, &account, token, &msg).await?;
            progress.taken(part, id).await?;
        }
        Ok(progress.finish())
    }
}
