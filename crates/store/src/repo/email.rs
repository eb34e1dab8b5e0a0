//! Inbound email as stored (raw, before parsing) and the Message-IDs that
//! thread replies to tickets.

use crate::{Conn, StoreError, q};
use domain::{CommentId, TicketId, Timestamp};

/// Stores a raw message as received; returns its id.
pub async fn insert_raw(
    c: &mut Conn<'_>,
    mail_from: &str,
    rcpt_to: &str,
    raw: &[u8],
    at: Timestamp,
) -> Result<i64, StoreError> {
    c.insert(
        q("INSERT INTO inbound_emails (received_at, mail_from, rcpt_to, raw, status) VALUES ($1, $2, $3, $4, 'received') RETURNING id")
            .bind(at)
            .bind(mail_from)
            .bind(rcpt_to)
            .bind(raw.to_vec()),
    )
    .await
}

/// Messages received but not yet processed, oldest first.
pub async fn pending(c: &mut Conn<'_>, limit: i64) -> Result<Vec<(i64, Vec<u8>)>, StoreError> {
    let rows = c
        .all(
            q("SELECT id, raw FROM inbound_emails WHERE status = 'received' ORDER BY id LIMIT $1")
                .bind(limit),
        )
        .await?;
    rows.iter()
        .map(|r| Ok((r.int(0)?, r.opt_bytes(1)?.unwrap_or_default())))
        .collect()
}

/// Records what became of a message; only a `received` one changes (so a
/// message is processed once even if two workers raced).
pub async fn finish(
    c: &mut Conn<'_>,
    id: i64,
    status: &str,
    ticket: Option<TicketId>,
    comment: Option<CommentId>,
    outcome: &str,
    at: Timestamp,
) -> Result<u64, StoreError> {
    c.exec(
        q("UPDATE inbound_emails SET status = $2, ticket_id = $3, comment_id = $4, outcome = $5, processed_at = $6 WHERE id = $1 AND status = 'received'")
            .bind(id)
            .bind(status)
            .bind(ticket)
            .bind(comment)
            .bind(outcome)
            .bind(at),
    )
    .await
}

/// A processed message as listed: `(status, ticket, outcome)`.
pub async fn outcome(
    c: &mut Conn<'_>,
    id: i64,
) -> Result<Option<(String, Option<TicketId>, Option<String>)>, StoreError> {
    let row = c
        .opt(q("SELECT status, ticket_id, outcome FROM inbound_emails WHERE id = $1").bind(id))
        .await?;
    row.map(|r| Ok((r.text(0)?, r.opt_int(1)?.map(TicketId), r.opt_text(2)?)))
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
