//! What the operations metrics count at each scrape: work waiting and
//! work that failed, per queue.

use crate::{Conn, StoreError, q};

/// Counts by queue, read in one go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Backlog {
    /// Outgoing messages per (channel, status): `queued` and `failed`.
    pub outbox: Vec<(String, String, i64)>,
    /// Webhook calls per status: `queued` and `failed`.
    pub webhooks: Vec<(String, i64)>,
    /// Stored messaging deliveries not read yet, and kept as malformed.
    pub channel_deliveries: Vec<(String, i64)>,
    /// Received email not processed yet.
    pub inbound_email: i64,
    /// Cases waiting in routing's queue.
    pub routing_waiting: i64,
    /// Callers waiting in a phone line's queue.
    pub calls_waiting: i64,
    /// Call recordings per state: `queued` and `failed`.
    pub recordings: Vec<(String, i64)>,
    /// IMAP mailboxes, and those whose last attempt failed.
    pub imap_mailboxes: i64,
    pub imap_failing: i64,
}

async fn pairs(c: &mut Conn<'_>, sql: &'static str) -> Result<Vec<(String, i64)>, StoreError> {
    c.all(q(sql))
        .await?
        .iter()
        .map(|r| Ok((r.text(0)?, r.int(1)?)))
        .collect()
}

async fn count(c: &mut Conn<'_>, sql: &'static str) -> Result<i64, StoreError> {
    c.one(q(sql)).await?.int(0)
}

pub async fn backlog(c: &mut Conn<'_>) -> Result<Backlog, StoreError> {
    let outbox = c
        .all(q(
            "SELECT channel, status, COUNT(*) FROM outbound_messages WHERE status IN ('queued', 'failed') GROUP BY channel, status",
        ))
        .await?
        .iter()
        .map(|r| Ok((r.text(0)?, r.text(1)?, r.int(2)?)))
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(Backlog {
        outbox,
        webhooks: pairs(
            c,
            "SELECT status, COUNT(*) FROM webhook_deliveries WHERE status IN ('queued', 'failed') GROUP BY status",
        )
        .await?,
        channel_deliveries: pairs(
            c,
            "SELECT state, COUNT(*) FROM channel_deliveries WHERE state IN ('received', 'malformed') GROUP BY state",
        )
        .await?,
        inbound_email: count(c, "SELECT COUNT(*) FROM inbound_emails WHERE status = 'received'").await?,
        routing_waiting: count(c, "SELECT COUNT(*) FROM ticket_routing WHERE state = 'waiting'").await?,
        calls_waiting: count(c, "SELECT COUNT(*) FROM calls WHERE stage = 'queued'").await?,
        recordings: pairs(
            c,
            "SELECT state, COUNT(*) FROM call_recordings WHERE state IN ('queued', 'failed') GROUP BY state",
        )
        .await?,
        imap_mailboxes: count(c, "SELECT COUNT(*) FROM mailboxes WHERE imap_host IS NOT NULL").await?,
        imap_failing: count(
            c,
            "SELECT COUNT(*) FROM mailboxes WHERE imap_host IS NOT NULL AND imap_status LIKE 'error:%'",
        )
        .await?,
    })
}
