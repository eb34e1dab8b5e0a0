//! The HTTP client every provider call goes through, and how a provider's
//! answer becomes a send result: network errors, 5xx and rate limits are
//! worth trying again; anything else the provider refused is said in its
//! own words and not retried blindly.

use app::App;
use app::messaging::ReadError;
use app::outbox::sender::SendError;
use domain::Channel;
use domain::messaging::{ChannelAccount, Credentials};
use std::time::Duration;

#[derive(Clone)]
pub struct Http {
    pub client: reqwest::Client,
}

impl Http {
    pub fn new() -> Http {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .connect_timeout(Duration::from_secs(5))
            .build()
            .unwrap_or_else(|_| reqwest::Client::new());
        Http { client }
    }
}

/// A provider's answer read as JSON, with its status.
pub struct Answer {
    pub status: u16,
    pub json: serde_json::Value,
    /// The `Retry-After` header in seconds, where the provider sent one.
    pub retry_after: Option<u64>,
}

/// Sends a request and reads its JSON answer; a network failure is
/// temporary.
pub async fn call(req: reqwest::RequestBuilder) -> Result<Answer, SendError> {
    let resp = req.send().await.map_err(|e| {
        // Without the address: a Telegram bot's token is in its path.
        let e = e.without_url();
        SendError::Temporary(format!("the provider could not be reached: {e}"))
    })?;
    let status = resp.status().as_u16();
    let retry_after = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok());
    let text = resp.text().await.map_err(|e| {
        SendError::Temporary(format!(
            "the provider's answer was cut: {}",
            e.without_url()
        ))
    })?;
    let json = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
    Ok(Answer {
        status,
        json,
        retry_after,
    })
}

/// A refusal: a rate limit for 429, temporary for 5xx, permanent
/// otherwise.
pub fn refusal(status: u16, words: String) -> SendError {
    if status == 429 {
        SendError::RateLimited {
            words,
            retry_after: None,
        }
    } else if status >= 500 {
        SendError::Temporary(words)
    } else {
        SendError::Permanent(words)
    }
}

/// Downloads a file (media a customer sent), at most `limit` bytes.
pub async fn download(req: reqwest::RequestBuilder, limit: usize) -> Result<Vec<u8>, String> {
    let resp = req
        .send()
        .await
        .map_err(|e| format!("media download failed: {}", e.without_url()))?;
    if !resp.status().is_success() {
        return Err(format!(
            "media download refused: HTTP {}",
            resp.status().as_u16()
        ));
    }
    let bytes = resp
        .bytes()
        .await
        .map_err(|e| format!("media download cut: {}", e.without_url()))?;
    if bytes.len() > limit {
        return Err(format!("media larger than {limit} bytes"));
    }
    Ok(bytes.to_vec())
}

/// A delivery that is not what its provider sends.
pub fn malformed(why: impl Into<String>) -> ReadError {
    ReadError::Malformed(why.into())
}

/// The account an outgoing message goes out from, with its credentials;
/// none connected is a permanent failure.
pub async fn sending_account(
    app: &App,
    channel: Channel,
    account: Option<&str>,
) -> Result<(ChannelAccount, Credentials), SendError> {
    app.sending_account(channel, account)
        .await
        .map_err(|e| SendError::Temporary(e.to_string()))?
        .ok_or_else(|| SendError::Permanent(format!("no {channel} account is connected")))
}

/// A credential a send needs; missing is a permanent failure.
pub fn credential<'a>(creds: &'a Credentials, field: &'static str) -> Result<&'a str, SendError> {
    creds
        .need(field)
        .map_err(|e| SendError::Permanent(e.to_string()))
}
