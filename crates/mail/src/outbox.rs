//! Sending the outbox through the SMTP relay (`smtp://user:pass@host:587`
//! with STARTTLS when the URL asks for it — `?tls=required` —, or
//! `smtps://` for implicit TLS): due messages are sent with their threading
//! headers and text + HTML parts; a temporary failure is retried with
//! growing delays, a permanent one (5xx) or too many attempts marks the
//! message failed with the server's reply, which the ticket shows.

use app::App;
use lettre::message::{Mailbox, MultiPart, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::Arc;
use std::time::Duration;
use store::repo::outbox::Outbound;

/// The relay and how patiently to retry it.
#[derive(Clone)]
pub struct Relay {
    transport: AsyncSmtpTransport<Tokio1Executor>,
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
            .map_err(|e| format!("smtp relay {url:?}: {e}"))?
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

/// The message as it goes on the wire.
fn build(relay: &Relay, m: &Outbound) -> Result<Message, String> {
    let to: Mailbox = m
        .to_address
        .parse()
        .map_err(|e| format!("to {:?}: {e}", m.to_address))?;
    let mut b = Message::builder()
        .from(relay.from.clone())
        .to(to)
        .subject(m.subject.clone())
        .message_id(Some(format!("<{}>", m.message_id)));
    if let Some(r) = &m.in_reply_to {
        b = b.in_reply_to(format!("<{r}>"));
    }
    if !m.references.is_empty() {
        let refs: Vec<String> = m.references.split(' ').map(|r| format!("<{r}>")).collect();
        b = b.references(refs.join(" "));
    }
    b.multipart(MultiPart::alternative_plain_html(
        m.body_text.clone(),
        m.body_html.clone(),
    ))
    .or_else(|_| {
        Message::builder()
            .from(relay.from.clone())
            .to(m
                .to_address
                .parse()
                .map_err(|_| lettre::error::Error::MissingTo)?)
            .header(ContentType::TEXT_PLAIN)
            .body(m.body_text.clone())
    })
    .map_err(|e| e.to_string())
}

/// Sends what is due once; returns how many were tried.
pub async fn send_due(app: &App, relay: &Relay) -> Result<usize, app::AppError> {
    let due = app.due_outbound(50).await?;
    let n = due.len();
    for m in due {
        let result = match build(relay, &m) {
            Ok(msg) => relay.transport.send(msg).await.map(|_| ()).map_err(|e| {
                let permanent = e.is_permanent();
                (e.to_string(), permanent)
            }),
            Err(e) => Err((e, true)),
        };
        let retry_at = match &result {
            Err((_, false)) if m.attempts + 1 < relay.max_attempts => {
                let wait = relay.first_retry.as_secs() as i64 * 4i64.pow(m.attempts.min(6) as u32);
                Some(domain::Timestamp(
                    domain::Timestamp::now().0 + wait.min(6 * 3600),
                ))
            }
            _ => None,
        };
        if let Err((e, _)) = &result {
            tracing::warn!(id = m.id, error = %e, "outgoing email not accepted");
        }
        app.outbound_attempted(m.id, result.map_err(|(e, _)| e), retry_at)
            .await?;
    }
    Ok(n)
}

/// Sends the outbox every second (and as soon as woken).
pub fn spawn(app: App, relay: Relay, wake: Arc<tokio::sync::Notify>) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = send_due(&app, &relay).await {
                tracing::warn!(error = %e, "outbox pass failed");
            }
            let _ = tokio::time::timeout(Duration::from_secs(1), wake.notified()).await;
        }
    });
}
