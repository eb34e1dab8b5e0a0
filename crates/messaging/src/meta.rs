//! Messenger and Instagram direct messages (Meta's Messenger Platform).
//! In: the webhook's `page` or `instagram` object, each entry's
//! `messaging` events — a customer's `message` (text, attachments as
//! links, a reply to an earlier message; on Instagram a reply to our story
//! or a mention of us in theirs, with the story's link as its context)
//! and `delivery` receipts of ours; echoes of our own messages are
//! skipped. Out: the Send API, `POST /{page-or-ig-id}/messages`, as a
//! person's reply with the `HUMAN_AGENT` tag (Meta lets a person answer
//! for seven days after the customer wrote; the core refuses later
//! replies).

use crate::http::{self, Http, call, malformed, refusal};
use crate::text::split_text;
use crate::whatsapp::VERSION;
use app::App;
use app::ingest::{Inbound, InboundSender, ThreadHint};
use app::messaging::{ChannelEvent, Events, ReadError};
use app::outbox::sender::{ChannelSender, OutboundFile, SendError};
use domain::messaging::{ChannelAccount, Receipt};
use domain::model::outbox::Outbound;
use domain::{Channel, IdentityKind, Timestamp};
use serde_json::{Value, json};

const GRAPH: &str = "https://graph.facebook.com";

/// The Send API's limit on one text.
const MAX_TEXT: usize = 2000;

/// Reads one delivery (the account's channel says which object to expect).
pub fn read(account: &ChannelAccount, body: &[u8]) -> Result<Events, ReadError> {
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
            for a in m["attachments"].as_array().into_iter().flatten() {
                let url = a["payload"]["url"].as_str().unwrap_or("");
                let line = match a["type"].as_str().unwrap_or("file") {
                    "story_mention" => format!("(mentioned us in their story: {url})"),
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
        let mut text = m.body_text.clone();
        for f in &files {
            text.push_str(&format!("\n[{}]", f.name));
        }
        let mut first = None;
        for part in split_text(&text, MAX_TEXT) {
            let a = call(self.http.client.post(&url).bearer_auth(token).json(&json!({
                "recipient": { "id": m.to_address },
                "messaging_type": "MESSAGE_TAG",
                "tag": "HUMAN_AGENT",
                "message": { "text": part },
            })))
            .await?;
            if a.status != 200 {
                return Err(send_error(a.status, &a.json));
            }
            first = first.or(a.json["message_id"].as_str().map(str::to_string));
        }
        Ok(first)
    }
}
