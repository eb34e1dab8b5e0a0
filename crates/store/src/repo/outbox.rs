//! The outbox: outgoing email waiting for the relay.

use crate::{Conn, StoreError, q};
use domain::{CommentId, TicketId, Timestamp};

/// One outgoing message.
#[derive(Debug, Clone, PartialEq)]
pub struct Outbound {
    pub id: i64,
    pub ticket_id: TicketId,
    pub comment_id: Option<CommentId>,
    /// `acknowledgement` or `reply`.
    pub kind: String,
    pub to_address: String,
    pub subject: String,
    /// Without angle brackets.
    pub message_id: String,
    pub in_reply_to: Option<String>,
    /// Space-separated message-ids, oldest first.
    pub references: String,
    pub body_text: String,
    pub body_html: String,
    /// `queued`, `sent` or `failed`.
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: Timestamp,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
}

const COLS: &str = "id, ticket_id, comment_id, kind, to_address, subject, message_id, in_reply_to, refs, body_text, body_html, status, attempts, next_attempt_at, last_error, created_at, sent_at";

fn from_row(r: &crate::Row) -> Result<Outbound, StoreError> {
    Ok(Outbound {
        id: r.int(0)?,
        ticket_id: TicketId(r.int(1)?),
        comment_id: r.opt_int(2)?.map(CommentId),
        kind: r.text(3)?,
        to_address: r.text(4)?,
        subject: r.text(5)?,
        message_id: r.text(6)?,
        in_reply_to: r.opt_text(7)?,
        references: r.text(8)?,
        body_text: r.text(9)?,
        body_html: r.text(10)?,
        status: r.text(11)?,
        attempts: r.int(12)?,
        next_attempt_at: Timestamp(r.int(13)?),
        last_error: r.opt_text(14)?,
        created_at: Timestamp(r.int(15)?),
        sent_at: r.opt_int(16)?.map(Timestamp),
    })
}

/// Queues a message inside the caller's transaction.
pub async fn enqueue(c: &mut Conn<'_>, m: &Outbound) -> Result<i64, StoreError> {
    c.insert(
        q("INSERT INTO outbound_emails (ticket_id, comment_id, kind, to_address, subject, message_id, in_reply_to, refs, body_text, body_html, status, attempts, next_attempt_at, created_at) \
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'queued', 0, $11, $11) RETURNING id")
            .bind(m.ticket_id)
            .bind(m.comment_id)
            .bind(m.kind.as_str())
            .bind(m.to_address.as_str())
            .bind(m.subject.as_str())
            .bind(m.message_id.as_str())
            .bind(m.in_reply_to.clone())
            .bind(m.references.as_str())
            .bind(m.body_text.as_str())
            .bind(m.body_html.as_str())
            .bind(m.created_at),
    )
    .await
}

/// Queued messages whose time has come, oldest first.
pub async fn due(
    c: &mut Conn<'_>,
    now: Timestamp,
    limit: i64,
) -> Result<Vec<Outbound>, StoreError> {
    let rows = c
        .all(q(format!("SELECT {COLS} FROM outbound_emails WHERE status = 'queued' AND next_attempt_at <= $1 ORDER BY id LIMIT $2")).bind(now).bind(limit))
        .await?;
    rows.iter().map(from_row).collect()
}

/// A ticket's outgoing mail, newest first (for the ticket page and API).
pub async fn for_ticket(c: &mut Conn<'_>, ticket: TicketId) -> Result<Vec<Outbound>, StoreError> {
    let rows = c
        .all(
            q(format!(
                "SELECT {COLS} FROM outbound_emails WHERE ticket_id = $1 ORDER BY id DESC"
            ))
            .bind(ticket),
        )
        .await?;
    rows.iter().map(from_row).collect()
}

/// The relay accepted it.
pub async fn mark_sent(c: &mut Conn<'_>, id: i64, at: Timestamp) -> Result<(), StoreError> {
    c.exec(q("UPDATE outbound_emails SET status = 'sent', sent_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1 AND status = 'queued'").bind(id).bind(at))
        .await?;
    Ok(())
}

/// It failed: try again at `next`, or give up (`failed`) with the reply.
pub async fn mark_attempt(
    c: &mut Conn<'_>,
    id: i64,
    error: &str,
    next: Option<Timestamp>,
) -> Result<(), StoreError> {
    match next {
        Some(at) => c.exec(q("UPDATE outbound_emails SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3 WHERE id = $1 AND status = 'queued'").bind(id).bind(error).bind(at)).await?,
        None => c.exec(q("UPDATE outbound_emails SET attempts = attempts + 1, last_error = $2, status = 'failed' WHERE id = $1 AND status = 'queued'").bind(id).bind(error)).await?,
    };
    Ok(())
}

/// Messages that are not sent yet or failed, newest first (admin page).
pub async fn unsent(c: &mut Conn<'_>, limit: i64) -> Result<Vec<Outbound>, StoreError> {
    let rows = c
        .all(q(format!("SELECT {COLS} FROM outbound_emails WHERE status <> 'sent' ORDER BY id DESC LIMIT $1")).bind(limit))
        .await?;
    rows.iter().map(from_row).collect()
}

/// Puts a failed message back in the queue, due now.
pub async fn requeue(c: &mut Conn<'_>, id: i64, now: Timestamp) -> Result<u64, StoreError> {
    c.exec(q("UPDATE outbound_emails SET status = 'queued', next_attempt_at = $2 WHERE id = $1 AND status = 'failed'").bind(id).bind(now))
        .await
}

/// A bounce came back for one of our messages: it failed after all.
pub async fn mark_bounced(
    c: &mut Conn<'_>,
    message_id: &str,
    reason: &str,
) -> Result<u64, StoreError> {
    c.exec(
        q("UPDATE outbound_emails SET status = 'failed', last_error = $2 WHERE message_id = $1")
            .bind(message_id)
            .bind(reason),
    )
    .await
}
