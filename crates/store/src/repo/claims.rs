//! Claiming queued work (outgoing mail, webhook calls) so that with several
//! nodes each item is handled by one: a claim holds an item until
//! `claimed_until`; one that ran out (its node died) can be claimed again.

use crate::{Conn, StoreError, q};
use domain::{OutboundStatus, Timestamp};

/// The queues that are claimed this way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    /// Outgoing messages on every channel.
    Outbox,
    Webhooks,
}

impl Queue {
    fn table(self) -> &'static str {
        match self {
            Queue::Outbox => "outbound_messages",
            Queue::Webhooks => "webhook_deliveries",
        }
    }
}

/// Claims queued item `id` until `until`; true for exactly one claimant.
pub async fn claim(
    c: &mut Conn<'_>,
    queue: Queue,
    id: i64,
    now: Timestamp,
    until: Timestamp,
) -> Result<bool, StoreError> {
    let n = c
        .exec(
            q(format!(
                "UPDATE {} SET claimed_until = $3 WHERE id = $1 AND status = $4 AND (claimed_until IS NULL OR claimed_until < $2)",
                queue.table()
            ))
            .bind(id)
            .bind(now)
            .bind(until)
            .bind(OutboundStatus::Queued),
        )
        .await?;
    Ok(n == 1)
}
