//! SMS through Twilio Messaging. In: the incoming-message webhook (form
//! fields `MessageSid`, `From`, `To`, `Body`, `NumMedia`, `MediaUrl{n}`)
//! and the status callbacks of ours (`MessageStatus`, `ErrorCode`), both
//! signed with `X-Twilio-Signature`; media fetched with the account's
//! credentials. Out: `POST /2010-04-01/Accounts/{sid}/Messages.json`,
//! with our webhook as the status callback and a reply's files as MMS
//! `MediaUrl`s Twilio fetches from us (`media.rs`). A text longer than Twilio
//! takes in one message (1,600 characters) goes as several; Unicode is
//! Twilio's to encode (it sends UCS-2 segments).

use crate::http::{self, Http, call, malformed, refusal};
use crate::parts::Progress;
use crate::text::split_text;
use app::App;
use app::ingest::{Inbound, InboundFile, InboundSender};
use app::messaging::{ChannelEvent, Events, ReadError};
use app::outbox::sender::{ChannelSender, OutboundFile, SendError};
use domain::messaging::{ChannelAccount, Credentials, Receipt, channel_slug};
use domain::model::outbox::Outbound;
use domain::{Channel, IdentityKind};
use std::collections::HashMap;

const API: &str = "https://api.twilio.com";

/// Twilio's limit on one message's body.
const MAX_BODY: usize = 1600;

/// The most media one MMS carries.
const MAX_MEDIA_PER_MESSAGE: usize = 10;

/// MMS media are at most 5 MB each.
const MAX_MEDIA: usize = 5 * 1024 * 1024;

fn api(a: &ChannelAccount) -> &str {
    a.api_base.as_deref().unwrap_or(API)
}

/// Reads one webhook: an incoming message or a status callback.
pub async fn read(
    http: &Http,
    account: &ChannelAccount,
    creds: &Credentials,
    body: &[u8],
) -> Result<Events, ReadError> {
    let f: HashMap<String, String> = form_urlencoded::parse(body).into_owned().collect();
    let sid = f
        .get("MessageSid")
        .or_else(|| f.get("SmsSid"))
        .ok_or_else(|| malformed("no MessageSid"))?;
    if let Some(status) = f.get("MessageStatus").filter(|_| !f.contains_key("Body")) {
        let receipt = match status.as_str() {
            "delivered" => Ok(Receipt::Delivered),
            "read" => Ok(Receipt::Read),
            "failed" | "undelivered" => Err(format!(
                "SMS {status}: Twilio error {}{}",
                f.get("ErrorCode").map_or("?", String::as_str),
                f.get("ErrorMessage")
                    .map(|m| format!(" ({m})"))
                    .unwrap_or_default()
            )),
            _ => return Ok(Vec::new()),
        };
        return Ok(vec![ChannelEvent::Receipt {
            external_id: sid.clone(),
            receipt,
        }]);
    }
    let from = f.get("From").ok_or_else(|| malformed("no From"))?;
    let to = f
        .get("To")
        .map_or(account.external_id.as_str(), String::as_str);
    let mut text = f.get("Body").cloned().unwrap_or_default();
    let mut files = Vec::new();
    let media: usize = f.get("NumMedia").and_then(|n| n.parse().ok()).unwrap_or(0);
    for i in 0..media.min(10) {
        let (Some(url), Some(mime)) = (
            f.get(&format!("MediaUrl{i}")),
            f.get(&format!("MediaContentType{i}")),
        ) else {
            continue;
        };
        let data = fetch_media(http, creds, url).await?;
        files.push(InboundFile {
            file_name: format!("mms-{sid}-{i}.{}", mime.rsplit('/').next().unwrap_or("bin")),
            content_type: mime.clone(),
            data,
        });
    }
    if text.trim().is_empty() && !files.is_empty() {
        text = "[MMS]".into();
    }
    let mut inbound = Inbound::message(
        Channel::Sms,
        to,
        Some(sid.clone()),
        InboundSender {
            kind: IdentityKind::Phone,
            value: from.clone(),
            display_name: None,
        },
        text,
    );
    inbound.files = files;
    Ok(vec![ChannelEvent::message(inbound)])
}

async fn fetch_media(http: &Http, creds: &Credentials, url: &str) -> Result<Vec<u8>, ReadError> {
    let mut req = http.client.get(url);
    if let (Ok(sid), Ok(token)) = (creds.need("account_sid"), creds.need("auth_token")) {
        req = req.basic_auth(sid, Some(token));
    }
    http::download(req, MAX_MEDIA)
        .await
        .map_err(ReadError::Temporary)
}

/// The SMS channel's sender.
pub struct Sender {
    app: App,
    http: Http,
    /// Our public address, for status callbacks and MMS media.
    public_url: Option<String>,
}

impl Sender {
    pub fn new(app: App, http: Http, public_url: Option<String>) -> Sender {
        Sender {
            app,
            http,
            public_url,
        }
    }
}

/// Sends one SMS; Twilio's `sid` of it.
pub async fn post_message(
    http: &Http,
    account: &ChannelAccount,
    creds: &Credentials,
    to: &str,
    (body, media): (&str, &[String]),
    status_callback: Option<&str>,
) -> Result<String, SendError> {
    let sid = http::credential(creds, "account_sid")?;
    let token = http::credential(creds, "auth_token")?;
    let mut form = vec![
        ("To", to.to_string()),
        ("From", account.external_id.clone()),
        ("Body", body.to_string()),
    ];
    for url in media {
        form.push(("MediaUrl", url.clone()));
    }
    if let Some(cb) = status_callback {
        form.push(("StatusCallback", cb.to_string()));
    }
    let a = call(
        http.client
            .post(format!(
                "{}/2010-04-01/Accounts/{sid}/Messages.json",
                api(account)
            ))
            .basic_auth(sid, Some(token))
            .form(&form),
    )
    .await?;
    match (a.status, a.json["sid"].as_str()) {
        (200 | 201, Some(id)) => Ok(id.to_string()),
        (s, _) => {
            let words = format!(
                "Twilio error {}: {}",
                a.json["code"].as_i64().unwrap_or(s as i64),
                a.json["message"].as_str().unwrap_or("refused")
            );
            if s == 429 {
                return Err(SendError::RateLimited {
                    words,
                    retry_after: a.retry_after,
                });
            }
            Err(refusal(s, words))
        }
    }
}

impl ChannelSender for Sender {
    fn channel(&self) -> Channel {
        Channel::Sms
    }

    async fn send(
        &self,
        m: &Outbound,
        files: Vec<OutboundFile>,
    ) -> Result<Option<String>, SendError> {
        let (account, creds) =
            http::sending_account(&self.app, Channel::Sms, m.account.as_deref()).await?;
        let callback = self.public_url.as_ref().map(|base| {
            format!(
                "{base}/channels/{}/{}/webhook",
                channel_slug(Channel::Sms),
                account.id
            )
        });
        // SMS has no buttons: the choices are written out.
        let mut text = crate::text::with_choices(&m.body_text, &m.buttons);
        // Files go as MMS media, which Twilio fetches from our address;
        // without a public address (or past Twilio's ten), their names
        // go with the words.
        let mut media = Vec::new();
        for (n, f) in files.iter().enumerate() {
            match &self.public_url {
                Some(base) if n < MAX_MEDIA_PER_MESSAGE => {
                    media.push(crate::media::address(base, &m.message_id, n, &f.name));
                }
                _ => text.push_str(&format!("\n[{}]", f.name)),
            }
        }
        let mut parts = split_text(&text, MAX_BODY);
        if parts.is_empty() && !media.is_empty() {
            parts.push(String::new());
        }
        let mut progress = Progress::of(&self.app, m, parts.len());
        for (i, part) in parts.iter().enumerate() {
            if !progress.pending(i) {
                continue;
            }
            // The media go with the first part.
            let with: &[String] = if i == 0 { &media } else { &[] };
            let sid = post_message(
                &self.http,
                &account,
                &creds,
                &m.to_address,
                (part, with),
                callback.as_deref(),
            )
            .await?;
            progress.taken(i, Some(sid)).await?;
        }
        Ok(progress.finish())
    }
}
