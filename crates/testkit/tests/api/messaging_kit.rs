//! What the messaging channels' tests share: waiting for the reader and
//! the senders, Meta's signature, a ticket's outgoing messages on one
//! channel, and a customer whose last message is days old.

use super::*;
use domain::model::outbox::Outbound;
use domain::{Channel, IdentityKind, TicketId, Timestamp};
use hmac::{Hmac, Mac};

/// Waits (at most ten seconds) until `check` holds.
pub async fn until<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..200 {
        if check().await {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("timed out waiting: {what}");
}

/// Meta's `X-Hub-Signature-256` of a body with an app secret.
pub fn meta_signature(app_secret: &str, body: &str) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(app_secret.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    mac.update(body.as_bytes());
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256={hex}")
}

/// Posts a delivery as Meta does (Messenger, Instagram, WhatsApp): JSON,
/// signed with the app secret; the status answered.
pub async fn meta_deliver(url: &str, app_secret: &str, body: &Json) -> u16 {
    let body = body.to_string();
    reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .header("x-hub-signature-256", meta_signature(app_secret, &body))
        .body(body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("deliver: {e}"))
        .status()
        .as_u16()
}

/// A ticket's outgoing messages on one channel.
pub async fn outbox_on(srv: &TestServer, ticket: i64, channel: Channel) -> Vec<Outbound> {
    let admin = admin_actor(srv).await;
    srv.app
        .ticket_outbox(admin, TicketId(ticket))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|m| m.channel == channel)
        .collect()
}

/// A customer's first message, `days` ago, taken in on a channel account;
/// the ticket it opened.
pub async fn wrote_days_ago(
    srv: &TestServer,
    (channel, account): (Channel, &str),
    (kind, from): (IdentityKind, &str),
    message_id: &str,
    days: i64,
) -> i64 {
    let then = Timestamp(Timestamp::now().0 - days * 86_400);
    let mut old = app::ingest::Inbound::message(
        channel,
        account,
        Some(message_id.into()),
        app::ingest::InboundSender {
            kind,
            value: from.into(),
            display_name: None,
        },
        "Hola",
    );
    old.sent_at = then;
    srv.app
        .ingest_at(old, then)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .ticket()
        .0
}

/// Runs `tests/clients/twilio_flow.py` with the arguments; its output.
pub async fn twilio(args: Vec<String>) -> String {
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(repo_root().join("target/pyenv/bin/python"))
            .arg(repo_root().join("tests/clients/twilio_flow.py"))
            .args(args)
            .output()
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"))
    .unwrap_or_else(|e| panic!("python: {e}"));
    assert!(
        out.status.success(),
        "twilio_flow.py: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}
