//! Sending the outbox through the SMTP relay (`smtp://user:pass@host:587`
//! with STARTTLS when the URL asks for it — `?tls=required` —, or
//! `smtps://` for implicit TLS): due messages are sent with their threading
//! headers and text + HTML parts; a temporary failure is retried with
//! growing delays, a permanent one (5xx) or too many attempts marks the
//! message failed with the server's reply, which the ticket shows.

use app::App;
use app::outbox::sender::{self, ChannelSender, OutboundFile, RetryPolicy, SendError};
use domain::Channel;
use domain::model::outbox::Outbound;
use lettre::message::{Attachment, Mailbox, MultiPart, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::Arc;
use std::time::Duration;

/// The relay and how patiently to retry it.
#[derive(Clone)]
pub struct Relay {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    /// Used when a message names no sender of its own.
    from: Mailbox,
    /// The first retry waits this long; each next one four times longer.
    pub first_retry: Duration,
    /// After this many attempts a message is marked failed.
    pub max_attempts: i64,
}

impl Relay {
    /// A relay from its URL; `from` is the support address.
    pub fn new(url: &str, from_address: &str, from_name: &str) -> Result<Relay, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("smtp relay: {}", redact_url(url, &e.to_string())))?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        let from = Mailbox::new(
            Some(from_name.to_string()),
            from_address
                .parse()
                .map_err(|e| format!("support address {from_address:?}: {e}"))?,
        );
        Ok(Relay {
            transport,
            from,
            first_retry: Duration::from_secs(60),
            max_attempts: 8,
        })
    }
}

/// An error about the relay URL without its password.
fn redact_url(url: &str, error: &str) -> String {
    let shown = match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://***@{}", &url[..s], &url[at + 1..]),
        _ => url.to_string(),
    };
    format!("{shown}: {error}")
}

fn mailbox(address: &str, name: Option<&str>) -> Result<Mailbox, String> {
    Ok(Mailbox::new(
        name.map(str::to_string),
        address
            .parse()
            .map_err(|e| format!("address {address:?}: {e}"))?,
    ))
}

/// The message as it goes on the wire: text and HTML alternatives, and the
/// reply's files as attachments.
fn build(relay: &Relay, m: &Outbound, files: Vec<OutboundFile>) -> Result<Message, String> {
    let from = match &m.from_address {
        Some(a) => mailbox(a, m.from_name.as_deref())?,
        None => relay.from.clone(),
    };
    let mut b = Message::builder()
        .from(from)
        .to(mailbox(&m.to_address, None)?)
        .subject(m.subject.clone())
        .message_id(Some(format!("<{}>", m.message_id)));
    if let Some(r) = &m.reply_to {
        b = b.reply_to(mailbox(r, m.from_name.as_deref())?);
    }
    if let Some(r) = &m.in_reply_to {
        b = b.in_reply_to(format!("<{r}>"));
    }
    if !m.references.is_empty() {
        let refs: Vec<String> = m.references.split(' ').map(|r| format!("<{r}>")).collect();
        b = b.references(refs.join(" "));
    }
    let body = MultiPart::alternative_plain_html(m.body_text.clone(), m.body_html.clone());
    let body = if files.is_empty() {
        body
    } else {
        let mut mixed = MultiPart::mixed().multipart(body);
        for f in files {
            let ctype = ContentType::parse(&f.content_type).unwrap_or_else(|_| {
                ContentType::parse("application/octet-stream").unwrap_or(ContentType::TEXT_PLAIN)
            });
            mixed = mixed.singlepart(Attachment::new(f.name).body(f.data, ctype));
        }
        mixed
    };
    b.multipart(body).map_err(|e| e.to_string())
}

impl ChannelSender for Relay {
    fn channel(&self) -> Channel {
        Channel::Email
    }

    /// Hands one message to the relay; a 5xx reply is permanent.
    async fn send(
        &self,
        m: &Outbound,
        files: Vec<OutboundFile>,
    ) -> Result<Option<String>, SendError> {
        let msg = build(self, m, files).map_err(SendError::Permanent)?;
        match self.transport.send(msg).await {
            Ok(_) => Ok(None),
            Err(e) if e.is_permanent() => Err(SendError::Permanent(e.to_string())),
            Err(e) => Err(SendError::Temporary(e.to_string())),
        }
    }
}

impl Relay {
    fn retry(&self) -> RetryPolicy {
        RetryPolicy {
            first_retry: self.first_retry,
            max_attempts: self.max_attempts,
        }
    }
}

/// Sends what is due once; returns how many were tried.
pub async fn send_due(app: &App, relay: &Relay) -> Result<usize, app::AppError> {
    sender::send_due(app, relay, relay.retry()).await
}

/// Sends the outbox every second (and as soon as woken).
pub fn spawn(app: App, relay: Relay, wake: Arc<tokio::sync::Notify>) {
    let retry = relay.retry();
    sender::spawn(app, relay, retry, wake);
}
