//! The webhook sender: claims due calls from the delivery log, signs each
//! body as Zendesk does (`X-Zendesk-Webhook-Signature`: base64 of
//! HMAC-SHA256 over the timestamp followed by the body, with the timestamp
//! in `X-Zendesk-Webhook-Signature-Timestamp`), sends it, and records the
//! outcome: 2xx is sent; 408, 429, 5xx and network errors are retried with
//! growing delays; other answers fail for good. Every attempt's status and
//! error stay in the log the admin page shows.

use app::App;
use base64::Engine;
use domain::model::webhooks::{Delivery, HttpMethod, Webhook};
use domain::{OutboundStatus, Timestamp};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// How long a claimed call is ours before another node may try it.
const CLAIM_SECS: i64 = 120;

/// How the sender behaves.
#[derive(Clone)]
pub struct Sender {
    http: reqwest::Client,
    /// The first retry waits this long; each next one four times longer.
    pub first_retry: Duration,
    /// After this many attempts a call is marked failed.
    pub max_attempts: i64,
}

impl Sender {
    pub fn new() -> Result<Sender, String> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .user_agent(concat!("atiende-webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Sender {
            http,
            first_retry: Duration::from_secs(10),
            max_attempts: 8,
        })
    }
}

/// The signature of a body at a timestamp, as the receiver recomputes it.
pub fn signature(secret: &str, timestamp: &str, body: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(timestamp.as_bytes());
    mac.update(body.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// What one attempt came to.
enum Outcome {
    Sent(u16),
    Retry(Option<u16>, String),
    Failed(Option<u16>, String),
}

async fn attempt(sender: &Sender, d: &Delivery, hook: &Webhook) -> Outcome {
    let method = match hook.http_method {
        HttpMethod::Post => reqwest::Method::POST,
        HttpMethod::Put => reqwest::Method::PUT,
        HttpMethod::Patch => reqwest::Method::PATCH,
        HttpMethod::Get => reqwest::Method::GET,
        HttpMethod::Delete => reqwest::Method::DELETE,
    };
    let timestamp = Timestamp::now().to_iso();
    let sig = signature(hook.signing_secret.expose(), &timestamp, &d.body);
    let mut req = sender
        .http
        .request(method.clone(), &hook.endpoint)
        .header("X-Zendesk-Webhook-Signature", sig)
        .header("X-Zendesk-Webhook-Signature-Timestamp", &timestamp)
        .header("X-Zendesk-Webhook-Id", &hook.id)
        .header("X-Zendesk-Webhook-Invocation-Id", d.id.to_string());
    if method != reqwest::Method::GET {
        req = req
            .header("Content-Type", "application/json")
            .body(d.body.clone());
    }
    match req.send().await {
        Ok(r) => {
            let code = r.status().as_u16();
            let text = r.text().await.unwrap_or_default();
            let said: String = text.chars().take(300).collect();
            match code {
                200..=299 => Outcome::Sent(code),
                408 | 429 | 500..=599 => Outcome::Retry(Some(code), format!("HTTP {code}: {said}")),
                _ => Outcome::Failed(Some(code), format!("HTTP {code}: {said}")),
            }
        }
        Err(e) => Outcome::Retry(None, e.to_string()),
    }
}

/// Sends what is due once; returns how many calls were tried.
pub async fn send_due(app: &App, sender: &Sender) -> Result<usize, app::AppError> {
    let due = app.claim_due_webhooks(50, CLAIM_SECS).await?;
    let n = due.len();
    for (d, hook) in due {
        let (status, error, outcome, retry_at) = match attempt(sender, &d, &hook).await {
            Outcome::Sent(code) => (Some(code), None, OutboundStatus::Sent, None),
            Outcome::Retry(code, e) if d.attempts + 1 < sender.max_attempts => {
                let wait = sender.first_retry.as_secs() as i64 * 4i64.pow(d.attempts.min(6) as u32);
                let at = Timestamp(Timestamp::now().0 + wait.min(6 * 3600));
                (code, Some(e), OutboundStatus::Queued, Some(at))
            }
            Outcome::Retry(code, e) | Outcome::Failed(code, e) => {
                (code, Some(e), OutboundStatus::Failed, None)
            }
        };
        if let Some(e) = &error {
            tracing::warn!(webhook = %hook.id, delivery = d.id.0, error = %e, "webhook call not accepted");
        }
        app.webhook_attempted(d.id, status, error, outcome, retry_at)
            .await?;
    }
    Ok(n)
}

/// Sends due calls every second (and as soon as woken).
pub fn spawn(app: App, sender: Sender, wake: Arc<Notify>) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = send_due(&app, &sender).await {
                tracing::warn!(error = %e, "webhook pass failed");
            }
            let _ = tokio::time::timeout(Duration::from_secs(1), wake.notified()).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_hmac_sha256_of_timestamp_and_body() {
        // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog"), base64.
        assert_eq!(
            signature("key", "The quick brown fox ", "jumps over the lazy dog"),
            "97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg="
        );
    }
}
