//! The one loop every channel's sender runs: claim the channel's due
//! messages, hand each to the provider, record what happened — sent (with
//! the provider's id of it), retried later with growing delays, or failed
//! for good with the provider's words, which the ticket shows. A channel
//! adapter implements [`ChannelSender`] and nothing else of this.

use crate::{App, AppError};
use domain::model::outbox::Outbound;
use domain::{Channel, Timestamp};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// How long a claimed message is a sender's before another node may try
/// it (longer than one send can take).
const CLAIM_SECS: i64 = 120;

/// How many due messages one pass claims.
const BATCH: i64 = 50;

/// The longest wait between two attempts.
const MAX_WAIT_SECS: i64 = 6 * 3600;

/// How long a rate limit holds the channel when the provider gives no
/// figure.
const RATE_LIMIT_DEFAULT_SECS: u64 = 30;

/// A file that goes with a message.
#[derive(Debug, Clone)]
pub struct OutboundFile {
    pub name: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

/// Why a provider did not take a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// Worth trying again later (a timeout, a 4xx greylisting, a 5xx of an
    /// HTTP API).
    Temporary(String),
    /// It will never go (a refused address, a message the provider
    /// rejects).
    Permanent(String),
    /// The provider asks us to slow down: this message and the rest of the
    /// pass wait `retry_after` seconds (the provider's own figure where it
    /// gives one), without counting as a failed attempt.
    RateLimited {
        words: String,
        retry_after: Option<u64>,
    },
}

impl SendError {
    /// What the provider (or the way to it) said.
    pub fn into_words(self) -> String {
        match self {
            SendError::Temporary(w)
            | SendError::Permanent(w)
            | SendError::RateLimited { words: w, .. } => w,
        }
    }
}

/// One channel's sender: hands one message to its provider.
pub trait ChannelSender: Send + Sync + 'static {
    /// The channel whose messages it sends.
    fn channel(&self) -> Channel;

    /// Sends one message with its files; the provider's id of it, if it
    /// gives one.
    fn send(
        &self,
        message: &Outbound,
        files: Vec<OutboundFile>,
    ) -> impl Future<Output = Result<Option<String>, SendError>> + Send;
}

/// How patiently a sender retries.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// The first retry waits this long; each next one four times longer
    /// (at most six hours).
    pub first_retry: Duration,
    /// After this many attempts a message is marked failed.
    pub max_attempts: i64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            first_retry: Duration::from_secs(60),
            max_attempts: 8,
        }
    }
}

impl RetryPolicy {
    /// When to try a message again after attempt number `attempts + 1`
    /// failed temporarily; `None` once it has had its attempts.
    pub fn next_attempt(&self, attempts: i64, now: Timestamp) -> Option<Timestamp> {
        if attempts + 1 >= self.max_attempts {
            return None;
        }
        let wait = self.first_retry.as_secs() as i64 * 4i64.pow(attempts.clamp(0, 6) as u32);
        Some(Timestamp(now.0 + wait.min(MAX_WAIT_SECS)))
    }
}

/// Sends what is due on the sender's channel once; returns how many were
/// tried.
pub async fn send_due<S: ChannelSender>(
    app: &App,
    sender: &S,
    retry: RetryPolicy,
) -> Result<usize, AppError> {
    let channel = sender.channel();
    let due = app.claim_due_outbound(channel, BATCH, CLAIM_SECS).await?;
    let n = due.len();
    let mut held_until: Option<Timestamp> = None;
    for m in due {
        // Rate limited: the rest of the pass waits, no attempt counted.
        if let Some(at) = held_until {
            app.outbound_held(m.id, at).await?;
            continue;
        }
        let files = app.outbound_attachments(&m).await?;
        let result = sender.send(&m, files).await;
        if let Err(SendError::RateLimited { words, retry_after }) = &result {
            let wait = retry_after
                .unwrap_or(RATE_LIMIT_DEFAULT_SECS)
                .min(MAX_WAIT_SECS as u64);
            let at = Timestamp(Timestamp::now().0 + wait as i64);
            tracing::info!(id = m.id.0, channel = channel.as_str(), wait, said = %words, "the provider asks us to slow down");
            app.outbound_held(m.id, at).await?;
            held_until = Some(at);
            continue;
        }
        let (result, retry_at) = match result {
            Ok(external) => (Ok(external), None),
            Err(SendError::Temporary(e)) => {
                let at = retry.next_attempt(m.attempts, Timestamp::now());
                (Err(e), at)
            }
            Err(SendError::Permanent(e)) => (Err(e), None),
            Err(SendError::RateLimited { .. }) => continue,
        };
        if let Err(e) = &result {
            tracing::warn!(id = m.id.0, channel = channel.as_str(), error = %e, "outgoing message not accepted");
        }
        app.outbound_attempted(m.id, result, retry_at).await?;
    }
    Ok(n)
}

/// Runs a channel's sender: a pass every second, and as soon as woken.
pub fn spawn<S: ChannelSender>(
    app: App,
    sender: S,
    retry: RetryPolicy,
    wake: Arc<tokio::sync::Notify>,
) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = send_due(&app, &sender, retry).await {
                tracing::warn!(channel = sender.channel().as_str(), error = %e, "outbox pass failed");
            }
            let _ = tokio::time::timeout(Duration::from_secs(1), wake.notified()).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_four_times_longer_each_time_then_give_up() {
        let p = RetryPolicy {
            first_retry: Duration::from_secs(10),
            max_attempts: 4,
        };
        let now = Timestamp(1_000);
        assert_eq!(p.next_attempt(0, now), Some(Timestamp(1_010)));
        assert_eq!(p.next_attempt(1, now), Some(Timestamp(1_040)));
        assert_eq!(p.next_attempt(2, now), Some(Timestamp(1_160)));
        assert_eq!(p.next_attempt(3, now), None);
        let slow = RetryPolicy {
            first_retry: Duration::from_secs(3600),
            max_attempts: 100,
        };
        assert_eq!(slow.next_attempt(5, now), Some(Timestamp(1_000 + 6 * 3600)));
    }
}
