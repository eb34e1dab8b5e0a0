//! Inbound email as stored (raw, before parsing) and the Message-IDs that
//! thread replies to tickets.

use crate::{Conn, StoreError, q};
use domain::{CommentId, InboundStatus, MailboxId, TicketId, Timestamp};

/// Stores a raw message as received; returns its id. `mailbox` is the IMAP
/// account it was fetched from (none for the SMTP listener).
pub async fn insert_raw(
    c: &mut Conn<'_>,
    mail_from: &str,
    rcpt_to: &str,
    raw: &[u8],
    mailbox: Option<MailboxId>,
    at: Timestamp,
) -> Result<i64, StoreError> {
    c.insert(
        q("INSERT INTO inbound_emails (received_at, mail_from, rcpt_to, raw, status, mailbox_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
            .bind(at)
            .bind(mail_from)
            .bind(rcpt_to)
            .bind(raw.to_vec())
            .bind(InboundStatus::Received)
            .bind(mailbox),
    )
    .await
}

/// A stored message waiting to be processed.
#[derive(Debug, Clone)]
pub struct Pending {
    pub id: i64,
    /// The envelope recipients, comma-separated.
    pub rcpt_to: String,
    pub mailbox: Option<MailboxId>,
    pub raw: Vec<u8>,
}

/// Messages received but not yet processed, oldest first.
pub async fn pending(c: &mut Conn<'_>, limit: i64) -> Result<Vec<Pending>, StoreError> {
    let rows = c
        .all(
            q("SELECT id, rcpt_to, mailbox_id, raw FROM inbound_emails WHERE status = $1 ORDER BY id LIMIT $2")
                .bind(InboundStatus::Received)
                .bind(limit),
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Pending {
                id: r.int(0)?,
                rcpt_to: r.text(1)?,
                mailbox: r.opt_int(2)?.map(MailboxId),
                raw: r.opt_bytes(3)?.unwrap_or_default(),
            })
        })
        .collect()
}

/// Takes a received message for processing inside the caller's unit: true
/// for exactly one of several workers (nodes) that race for it; the loser's
/// unit must stop. The outcome is filled in by [`finish`] in the same unit.
pub async fn claim(
    c: &mut Conn<'_>,
    id: i64,
    sender: &str,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let n = c
        .exec(
            q("UPDATE inbound_emails SET status = $2, sender = $3, processed_at = $4 WHERE id = $1 AND status = $5")
                .bind(id)
                .bind(InboundStatus::Processed)
                .bind(sender)
                .bind(at)
                .bind(InboundStatus::Received),
        )
        .await?;
    Ok(n == 1)
}

/// Records what became of a claimed message.
pub async fn finish(
    c: &mut Conn<'_>,
    id: i64,
    status: InboundStatus,
    ticket: Option<TicketId>,
    comment: Option<CommentId>,
    outcome: &str,
) -> Result<u64, StoreError> {
    c.exec(
        q("UPDATE inbound_emails SET status = $2, ticket_id = $3, comment_id = $4, outcome = $5 WHERE id = $1")
            .bind(id)
            .bind(status)
            .bind(ticket)
            .bind(comment)
            .bind(outcome),
    )
    .await
}

/// Marks a received message that cannot be read; it stays stored.
pub async fn fail(c: &mut Conn<'_>, id: i64, why: &str, at: Timestamp) -> Result<u64, StoreError> {
    c.exec(
        q("UPDATE inbound_emails SET status = $2, outcome = $3, processed_at = $4 WHERE id = $1 AND status = $5")
            .bind(id)
            .bind(InboundStatus::Failed)
            .bind(why)
            .bind(at)
            .bind(InboundStatus::Received),
    )
    .await
}

/// How many of a sender's messages were processed since `since` (the
/// per-sender rate limit).
pub async fn processed_from(
    c: &mut Conn<'_>,
    sender: &str,
    since: Timestamp,
) -> Result<i64, StoreError> {
    let r = c
        .one(
            q("SELECT COUNT(*) FROM inbound_emails WHERE sender = $1 AND processed_at >= $2 AND status = $3")
                .bind(sender)
                .bind(since)
                .bind(InboundStatus::Processed),
        )
        .await?;
    r.int(0)
}

/// A processed message as listed: `(status, ticket, outcome)`.
pub async fn outcome(
    c: &mut Conn<'_>,
    id: i64,
) -> Result<Option<(InboundStatus, Option<TicketId>, Option<String>)>, StoreError> {
    let row = c
        .opt(q("SELECT status, ticket_id, outcome FROM inbound_emails WHERE id = $1").bind(id))
        .await?;
    row.map(|r| Ok((r.word(0)?, r.opt_int(1)?.map(TicketId), r.opt_text(2)?)))
        .transpose()
}

/// The ticket a Message-ID belongs to.
pub async fn ticket_of_message(
    c: &mut Conn<'_>,
    message_id: &str,
) -> Result<Option<TicketId>, StoreError> {
    let row = c
        .opt(q("SELECT ticket_id FROM email_message_ids WHERE message_id = $1").bind(message_id))
        .await?;
    row.map(|r| Ok(TicketId(r.int(0)?))).transpose()
}

/// Remembers a Message-ID (ours or a customer's) for threading and dedup.
pub async fn remember_message(
    c: &mut Conn<'_>,
    message_id: &str,
    ticket: TicketId,
    comment: Option<CommentId>,
    inbound: bool,
) -> Result<(), StoreError> {
    c.exec(
        q("INSERT INTO email_message_ids (message_id, ticket_id, comment_id, inbound) VALUES ($1, $2, $3, $4)")
            .bind(message_id)
            .bind(ticket)
            .bind(comment)
            .bind(inbound),
    )
    .await?;
    Ok(())
}

/// Every Message-ID of a ticket's conversation, oldest first (for
/// In-Reply-To and References of our next message).
pub async fn message_ids_of_ticket(
    c: &mut Conn<'_>,
    ticket: TicketId,
) -> Result<Vec<String>, StoreError> {
    let rows = c
        .all(q("SELECT message_id FROM email_message_ids WHERE ticket_id = $1 ORDER BY COALESCE(comment_id, 0), message_id").bind(ticket))
        .await?;
    rows.iter().map(|r| r.text(0)).collect()
}

/// How each of a ticket's emailed comments came in: `(comment, outcome)`.
pub async fn outcomes_of_ticket(
    c: &mut Conn<'_>,
    ticket: TicketId,
) -> Result<Vec<(CommentId, String)>, StoreError> {
    let rows = c
        .all(
            q("SELECT comment_id, outcome FROM inbound_emails WHERE ticket_id = $1 AND comment_id IS NOT NULL AND outcome IS NOT NULL ORDER BY id")
                .bind(ticket),
        )
        .await?;
    rows.iter()
        .map(|r| Ok((CommentId(r.int(0)?), r.text(1)?)))
        .collect()
}
