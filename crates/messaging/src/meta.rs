//! Messenger and Instagram direct messages (Meta's Messenger Platform).
//! In: the webhook's `page` or `instagram` object, each entry's
//! `messaging` events — a customer's `message` (text, attachments fetched
//! from Meta's CDN and kept as files, a reply to an earlier message; on
//! Instagram a reply to our story or a mention of us in theirs, with the
//! story's link as its context)
//! and `delivery` receipts of ours; echoes of our own messages are
//! skipped. Out: the Send API, `POST /{page-or-ig-id}/messages` — text
//! (with quick replies for a message's buttons), then each file uploaded
//! with the message — as a person's reply with the `HUMAN_AGENT` tag
//! (Meta lets a person answer for seven days after the customer wrote; the
//! core refuses later replies), or as atiende's own answer (`RESPONSE`).

use crate::http::{self, Http, call, malformed, refusal};
use crate::parts::Progress;
use crate::text::split_text;
use crate::whatsapp::VERSION;
use app::App;
use app::ingest::{Inbound, InboundFile, InboundSender, ThreadHint};
use app::messaging::{ChannelEvent, Events, ReadError};
use app::outbox::sender::{ChannelSender, OutboundFile, SendError};
use domain::messaging::{ChannelAccount, Receipt};
use domain::model::outbox::Outbound;
use domain::{Channel, IdentityKind, Timestamp};
use serde_json::{Value, json};

const GRAPH: &str = "https://graph.facebook.com";

/// The Send API's limit on one text.
const MAX_TEXT: usize = 2000;

/// The most a customer's attachment may weigh (Messenger's own limit).
const MAX_ATTACHMENT: usize = 25 * 1024 * 1024;

/// An attachment a customer sent, fetched from the address Meta gives
/// (its CDN's, signed, no token sent with it): the file, or — when Meta no
/// longer serves it (the address expired) — `None`, and the link stays in
/// the words. Network trouble and Meta's 5xx read the delivery again later.
async fn fetch_attachment(
    http: &Http,
    kind: &str,
    url: &str,
    mid: &str,
    n: usize,
) -> Result<Option<InboundFile>, ReadError> {
    let resp = http
        .client
        .get(url)
        .send()
        .await
        .map_err(|e| ReadError::Temporary(format!("attachment: {}", e.without_url())))?;
    let status = resp.status().as_u16();
    if status >= 500 || status == 429 {
        return Err(ReadError::Temporary(format!("attachment: HTTP {status}")));
    }
    if status != 200 || resp.content_length().unwrap_or(0) > MAX_ATTACHMENT as u64 {
        return Ok(None);
    }
    let content_type = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or(v).trim().to_string())
        .unwrap_or_else(|| "application/octet-stream".into());
    let data = resp
        .bytes()
        .await
        .map_err(|e| ReadError::Temporary(format!("attachment cut: {}", e.without_url())))?;
    if data.len() > MAX_ATTACHMENT {
        return Ok(None);
    }
    // The last part of the address's path names the file where it can.
    let named = url
        .split('?')
        .next()
        .and_then(|p| p.rsplit('/').next())
        .filter(|n| n.contains('.') && n.len() <= 120)
        .map(str::to_string);
    let file_name = named.unwrap_or_else(|| {
        format!(
            "{kind}-{}-{n}.{}",
            mid.chars()
                .filter(char::is_ascii_alphanumeric)
                .take(24)
                .collect::<String>(),
            crate::whatsapp::extension(&content_type)
        )
    });
    Ok(Some(InboundFile {
        file_name,
        content_type,
        data: data.to_vec(),
    }))
}

/// Reads one delivery (the account's channel says which object to expect).
pub async fn read(http: &Http, account: &ChannelAccount, body: &[u8]) -> Result<Events, ReadError> {
    let v: Value = serde_json::from_slice(body).map_err(|e| malformed(format!("not JSON: {e}")))?;
    let (object, identity) = match account.channel {
        Channel::Instagram => ("instagram", IdentityKind::Instagram),
        _ => ("page", IdentityKind::Messenger),
    };
    if v["object"] != object {
        return Err(malformed(format!("not a delivery for object {object}")));
    }
    let entries = v["entry"]
        .as_array()
        .ok_or_else(|| malformed("no entry list"))?;
    let mut events = Vec::new();
    for entry in entries {
        let ours = entry["id"].as_str().unwrap_or(&account.external_id);
        for e in entry["messaging"].as_array().into_iter().flatten() {
            if let Some(d) = e.get("delivery") {
                for mid in d["mids"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    events.push(ChannelEvent::Receipt {
                        external_id: mid.to_string(),
                        receipt: Ok(Receipt::Delivered),
                    });
                }
                continue;
            }
            let Some(m) = e.get("message") else { continue };
            if m["is_echo"].as_bool() == Some(true) {
                continue;
            }
            let from = e["sender"]["id"]
                .as_str()
                .ok_or_else(|| malformed("a message without sender"))?;
            let mid = m["mid"]
                .as_str()
                .ok_or_else(|| malformed("a message without mid"))?;
            let mut text = m["text"].as_str().unwrap_or("").to_string();
            let mut files = Vec::new();
            for (n, a) in m["attachments"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                let url = a["payload"]["url"].as_str().unwrap_or("");
                let kind = a["type"].as_str().unwrap_or("file");
                let line = match kind {
                    "story_mention" => format!("(mentioned us in their story: {url})"),
                    "image" | "video" | "audio" | "file" if url.starts_with("http") => {
                        match fetch_attachment(http, kind, url, mid, n).await? {
                            Some(f) => {
                                let line = format!("[{kind}: {}]", f.file_name);
                                files.push(f);
                                line
                            }
                            None => format!("[{kind}: {url}]"),
                        }
                    }
                    kind => format!("[{kind}: {url}]"),
                };
                text = if text.is_empty() {
                    line
                } else {
                    format!("{text}\n{line}")
                };
            }
            if let Some(story) = m["reply_to"].get("story") {
                text = format!(
                    "{text}\n(replying to our story: {})",
                    story["url"].as_str().unwrap_or("")
                );
            }
            let mut inbound = Inbound::message(
                account.channel,
                ours,
                Some(mid.to_string()),
                InboundSender {
                    kind: identity,
                    value: from.to_string(),
                    display_name: None,
                },
                text.trim().to_string(),
            );
            inbound.files = files;
            if let Some(r) = m["reply_to"]["mid"].as_str() {
                inbound.thread.push(ThreadHint::RepliesTo(r.to_string()));
            }
            if let Some(t) = e["timestamp"].as_i64() {
                inbound.sent_at = Timestamp(t / 1000);
            }
            events.push(ChannelEvent::message(inbound));
        }
    }
    Ok(events)
}

/// Messenger's or Instagram's sender.
pub struct Sender {
    app: App,
    http: Http,
    channel: Channel,
}

impl Sender {
    pub fn new(app: App, http: Http, channel: Channel) -> Sender {
        Sender { app, http, channel }
    }
}

/// The words of a Send API error; rate limits (4, 613) hold the channel
/// a while, Meta's own trouble (1, 2) is temporary.
fn send_error(status: u16, json: &Value) -> SendError {
    let e = &json["error"];
    let code = e["code"].as_i64().unwrap_or(0);
    let words = format!(
        "Meta error {code}{}: {}",
        e["error_subcode"]
            .as_i64()
            .map(|s| format!("/{s}"))
            .unwrap_or_default(),
        e["message"].as_str().unwrap_or("refused")
    );
    match code {
        4 | 613 => SendError::RateLimited {
            words,
            retry_after: None,
        },
        1 | 2 => SendError::Temporary(words),
        _ => refusal(status.min(499), words),
    }
}

/// A message's buttons as Messenger's quick replies (at most 13, titles
/// of at most 20 characters), or `None` when it has none or they do not
/// fit (then they are written in the text).
fn quick_replies(buttons: &[String]) -> Option<Value> {
    let fit = !buttons.is_empty()
        && buttons.len() <= 13
        && buttons
            .iter()
            .all(|b| !b.trim().is_empty() && b.chars().count() <= 20);
    fit.then(|| {
        Value::from(
            buttons
                .iter()
                .map(|b| json!({"content_type": "text", "title": b, "payload": b}))
                .collect::<Vec<_>>(),
        )
    })
}

/// The Send API's messaging type (and tag) for a message: a person's reply
/// may use the human-agent tag (seven days after the customer wrote); what
/// atiende says on its own answers inside the 24-hour window.
fn messaging_type(m: &Outbound) -> (&'static str, Option<&'static str>) {
    if m.comment_id.is_some() {
        ("MESSAGE_TAG", Some("HUMAN_AGENT"))
    } else {
        ("RESPONSE", None)
    }
}

/// The Send API's kind of attachment for a file.
fn attachment_kind(content_type: &str) -> &'static str {
    match content_type.split('/').next().unwrap_or("") {
        "image" => "image",
        "audio" => "audio",
        "video" => "video",
        _ => "file",
    }
}

/// Sends one file: the Send API's multipart upload (`recipient`,
/// `message` with the attachment, the file as `filedata`).
async fn post_file(
    http: &Http,
    url: &str,
    token: &str,
    m: &Outbound,
    f: OutboundFile,
) -> Result<Option<String>, SendError> {
    let (kind, tag) = messaging_type(m);
    let part = reqwest::multipart::Part::bytes(f.data)
        .file_name(f.name.clone())
        .mime_str(&f.content_type)
        .map_err(|e| SendError::Permanent(format!("{}: {e}", f.name)))?;
    let mut form = reqwest::multipart::Form::new()
        .text("recipient", json!({ "id": m.to_address }).to_string())
        .text(
            "message",
            json!({"attachment": {"type": attachment_kind(&f.content_type), "payload": {"is_reusable": false}}})
                .to_string(),
        )
        .text("messaging_type", kind);
    if let Some(tag) = tag {
        form = form.text("tag", tag);
    }
    let a = call(
        http.client
            .post(url)
            .bearer_auth(token)
            .multipart(form.part("filedata", part)),
    )
    .await?;
    if a.status != 200 {
        return Err(send_error(a.status, &a.json));
    }
    Ok(a.json["message_id"].as_str().map(str::to_string))
}

impl ChannelSender for Sender {
    fn channel(&self) -> Channel {
        self.channel
    }

    async fn send(
        &self,
        m: &Outbound,
        files: Vec<OutboundFile>,
    ) -> Result<Option<String>, SendError> {
        let (account, creds) =
            http::sending_account(&self.app, self.channel, m.account.as_deref()).await?;
        let token = http::credential(&creds, "access_token")?;
        let url = format!(
            "{}/{VERSION}/{}/messages",
            account.api_base.as_deref().unwrap_or(GRAPH),
            account.external_id
        );
        let quick = quick_replies(&m.buttons);
        let text = match quick {
            Some(_) => m.body_text.clone(),
            None => crate::text::with_choices(&m.body_text, &m.buttons),
        };
        let parts = split_text(&text, MAX_TEXT);
        let last = parts.len().saturating_sub(1);
        let texts = parts.len();
        let mut progress = Progress::of(&self.app, m, texts + files.len());
        for (i, part) in parts.into_iter().enumerate() {
            if !progress.pending(i) {
                continue;
            }
            let mut body = json!({
                "recipient": { "id": m.to_address },
                "message": { "text": part },
            });
            let (kind, tag) = messaging_type(m);
            body["messaging_type"] = json!(kind);
            if let Some(tag) = tag {
                body["tag"] = json!(tag);
            }
            if let (true, Some(q)) = (i == last, &quick) {
                body["message"]["quick_replies"] = q.clone();
            }
            let a = call(self.http.client.post(&url).bearer_auth(token).json(&body)).await?;
            if a.status != 200 {
                return Err(send_error(a.status, &a.json));
            }
            progress
                .taken(i, a.json["message_id"].as_str().map(str::to_string))
                .await?;
        }
        for (n, f) in files.into_iter().enumerate() {
            if !progress.pending(texts + n) {
                continue;
            }
            let id = post_file(&self.http, &url, token, m, f).await?;
            progress.taken(texts + n, id).await?;
        }
        Ok(progress.finish())
    }
}
