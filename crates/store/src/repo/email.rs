//! Inbound email as stored (raw, before parsing) and the Message-IDs that
//! thread replies to tickets.

use crate::{Conn, StoreError, q};
pub use domain::model::email::{Arrival, Pending};
use domain::{
    CommentId, InboundEmailId, InboundStatus, MailboxId, SuspensionCause, TicketId, Timestamp,
};

/// Stores a raw message as received; returns its id.
pub async fn insert_raw(
    c: &mut Conn<'_>,
    arrival: &Arrival,
    raw: &[u8],
    at: Timestamp,
) -> Result<InboundEmailId, StoreError> {
    c.insert(
        q("INSERT INTO inbound_emails (received_at, mail_from, rcpt_to, raw, status, mailbox_id, peer_ip, helo) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
            .bind(at)
            .bind(&arrival.mail_from)
            .bind(&arrival.rcpt_to)
            .bind(raw.to_vec())
            .bind(InboundStatus::Received)
            .bind(arrival.mailbox)
            .bind(arrival.peer_ip.clone())
            .bind(arrival.helo.clone()),
    )
    .await
    .map(InboundEmailId)
}

const PENDING_COLS: &str = "id, mail_from, rcpt_to, mailbox_id, peer_ip, helo, raw, cause";

fn pending_row(r: &crate::Row) -> Result<Pending, StoreError> {
    Ok(Pending {
        id: InboundEmailId(r.int(0)?),
        arrival: Arrival {
            mail_from: r.text(1)?,
            rcpt_to: r.text(2)?,
            mailbox: r.opt_int(3)?.map(MailboxId),
            peer_ip: r.opt_text(4)?,
            helo: r.opt_text(5)?,
        },
        raw: r.opt_bytes(6)?.unwrap_or_default(),
        recovered_from: r.opt_word(7)?,
    })
}

/// Messages received but not yet processed, oldest first.
pub async fn pending(c: &mut Conn<'_>, limit: i64) -> Result<Vec<Pending>, StoreError> {
    let rows = c
        .all(
            q(format!(
                "SELECT {PENDING_COLS} FROM inbound_emails WHERE status = $1 ORDER BY id LIMIT $2"
            ))
            .bind(InboundStatus::Received)
            .bind(limit),
        )
        .await?;
    rows.iter().map(pending_row).collect()
}

/// One stored message in any state, with its status.
pub async fn stored(
    c: &mut Conn<'_>,
    id: InboundEmailId,
) -> Result<Option<(InboundStatus, Timestamp, Pending)>, StoreError> {
    let row = c
        .opt(
            q(format!(
                "SELECT {PENDING_COLS}, status, received_at FROM inbound_emails WHERE id = $1"
            ))
            .bind(id),
        )
        .await?;
    row.map(|r| Ok((r.word(8)?, Timestamp(r.int(9)?), pending_row(&r)?)))
        .transpose()
}

/// Held messages, newest first, `(message, received_at, cause, detail)`;
/// `before` pages by id.
pub async fn suspended(
    c: &mut Conn<'_>,
    before: Option<i64>,
    newer_than: Option<i64>,
    limit: i64,
) -> Result<Vec<(Pending, Timestamp, SuspensionCause, String)>, StoreError> {
    // Newest first; paging back towards the newest reads upwards from the
    // cursor and turns the rows round.
    let (cond, order, from) = match newer_than {
        Some(id) => ("id > $2", "ASC", id),
        None => ("id < $2", "DESC", before.unwrap_or(i64::MAX)),
    };
    let mut rows = c
        .all(
            q(format!("SELECT {PENDING_COLS}, received_at, outcome FROM inbound_emails WHERE status = $1 AND {cond} ORDER BY id {order} LIMIT $3"))
                .bind(InboundStatus::Suspended)
                .bind(from)
                .bind(limit),
        )
        .await?;
    if newer_than.is_some() {
        rows.reverse();
    }
    rows.iter()
        .map(|r| {
            let p = pending_row(r)?;
            let cause = p
                .recovered_from
                .ok_or_else(|| StoreError::Decode("suspended without a cause".into()))?;
            Ok((
                p,
                Timestamp(r.int(8)?),
                cause,
                r.opt_text(9)?.unwrap_or_default(),
            ))
        })
        .collect()
}

/// Holds a received message with its cause and a
/// readable detail; it stays stored for an admin to recover or delete.
pub async fn suspend(
    c: &mut Conn<'_>,
    id: InboundEmailId,
    cause: SuspensionCause,
    detail: &str,
    at: Timestamp,
) -> Result<u64, StoreError> {
    c.exec(
        q("UPDATE inbound_emails SET status = $2, cause = $3, outcome = $4, processed_at = $5 WHERE id = $1 AND status = $6")
            .bind(id)
            .bind(InboundStatus::Suspended)
            .bind(cause)
            .bind(detail)
            .bind(at)
            .bind(InboundStatus::Received),
    )
    .await
}

/// Puts a suspended message back to be processed (its cause kept, so the
/// check that held it is not made again). False if it was not suspended.
pub async fn recover(c: &mut Conn<'_>, id: InboundEmailId) -> Result<bool, StoreError> {
    let n = c
        .exec(
            q("UPDATE inbound_emails SET status = $2 WHERE id = $1 AND status = $3")
                .bind(id)
                .bind(InboundStatus::Received)
                .bind(InboundStatus::Suspended),
        )
        .await?;
    Ok(n == 1)
}

/// Throws a suspended message away: its content is dropped, the record of
/// it stays. False if it was not suspended.
pub async fn delete_suspended(c: &mut Conn<'_>, id: InboundEmailId) -> Result<bool, StoreError> {
    let n = c
        .exec(
            q("UPDATE inbound_emails SET status = $2, raw = $3 WHERE id = $1 AND status = $4")
                .bind(id)
                .bind(InboundStatus::Deleted)
                .bind(Vec::<u8>::new())
                .bind(InboundStatus::Suspended),
        )
        .await?;
    Ok(n == 1)
}

/// Takes a received message for processing inside the caller's unit: true
/// for exactly one of several workers (nodes) that race for it; the loser's
/// unit must stop. The outcome is filled in by [`finish`] in the same unit.
pub async fn claim(
    c: &mut Conn<'_>,
    id: InboundEmailId,
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
    id: InboundEmailId,
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
    id: InboundEmailId,
) -> Result<Option<(InboundStatus, Option<TicketId>, Option<String>)>, StoreError> {
    let row = c
        .opt(q("SELECT status, ticket_id, outcome FROM inbound_emails WHERE id = $1").bind(id))
        .await?;
    row.map(|r| Ok((r.word(0)?, r.opt_int(1)?.map(TicketId), r.opt_text(2)?)))
        .transpose()
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
