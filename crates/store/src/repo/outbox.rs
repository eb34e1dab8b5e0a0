//! The outbox: outgoing messages of every channel waiting for that
//! channel's sender. A sender claims due messages for a while before
//! sending them, so with several nodes each message goes out from one node.

use crate::{Conn, StoreError, q};
pub use domain::model::outbox::Outbound;
use domain::{Channel, CommentId, OutboundId, OutboundStatus, TicketId, Timestamp};

const COLS: &str = "id, ticket_id, comment_id, kind, to_address, subject, message_id, in_reply_to, refs, body_text, body_html, status, attempts, next_attempt_at, \
                    last_error, created_at, sent_at, from_address, from_name, reply_to, channel, account, external_id, \
                    receipt, receipt_at, template, buttons, parts_sent";

fn from_row(r: &crate::Row) -> Result<Outbound, StoreError> {
    Ok(Outbound {
        id: OutboundId(r.int(0)?),
        ticket_id: r.opt_int(1)?.map(TicketId),
        comment_id: r.opt_int(2)?.map(CommentId),
        kind: r.word(3)?,
        to_address: r.text(4)?,
        subject: r.text(5)?,
        message_id: r.text(6)?,
        in_reply_to: r.opt_text(7)?,
        references: r.text(8)?,
        body_text: r.text(9)?,
        body_html: r.text(10)?,
        status: r.word(11)?,
        attempts: r.int(12)?,
        next_attempt_at: Timestamp(r.int(13)?),
        last_error: r.opt_text(14)?,
        created_at: Timestamp(r.int(15)?),
        sent_at: r.opt_int(16)?.map(Timestamp),
        from_address: r.opt_text(17)?,
        from_name: r.opt_text(18)?,
        reply_to: r.opt_text(19)?,
        channel: r.word(20)?,
        account: r.opt_text(21)?,
        external_id: r.opt_text(22)?,
        receipt: r.opt_word(23)?,
        receipt_at: r.opt_int(24)?.map(Timestamp),
        template: r.opt_text(25)?.and_then(|t| serde_json::from_str(&t).ok()),
        buttons: r
            .opt_text(26)?
            .and_then(|b| serde_json::from_str(&b).ok())
            .unwrap_or_default(),
        parts_sent: r.int(27)?,
    })
}

/// Queues a message inside the caller's transaction.
pub async fn enqueue(c: &mut Conn<'_>, m: &Outbound) -> Result<OutboundId, StoreError> {
    c.insert(
        q("INSERT INTO outbound_messages (ticket_id, comment_id, kind, to_address, subject, message_id, in_reply_to, refs, body_text, body_html, status, attempts, \
           next_attempt_at, created_at, from_address, from_name, reply_to, channel, account, template, buttons) \
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0, $12, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id")
            .bind(m.ticket_id)
            .bind(m.comment_id)
            .bind(m.kind)
            .bind(m.to_address.as_str())
            .bind(m.subject.as_str())
            .bind(m.message_id.as_str())
            .bind(m.in_reply_to.clone())
            .bind(m.references.as_str())
            .bind(m.body_text.as_str())
            .bind(m.body_html.as_str())
            .bind(OutboundStatus::Queued)
            .bind(m.created_at)
            .bind(m.from_address.clone())
            .bind(m.from_name.clone())
            .bind(m.reply_to.clone())
            .bind(m.channel)
            .bind(m.account.clone())
            .bind(m.template.as_ref().and_then(|t| serde_json::to_string(t).ok()))
            .bind((!m.buttons.is_empty()).then(|| serde_json::Value::from(m.buttons.clone()).to_string())),
    )
    .await
    .map(OutboundId)
}

/// A message by our id of it.
pub async fn by_message_id(
    c: &mut Conn<'_>,
    message_id: &str,
) -> Result<Option<Outbound>, StoreError> {
    c.opt(
        q(format!(
            "SELECT {COLS} FROM outbound_messages WHERE message_id = $1"
        ))
        .bind(message_id),
    )
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// Queued messages of one channel whose time has come, oldest first
/// (candidates to claim).
pub async fn due(
    c: &mut Conn<'_>,
    channel: Channel,
    now: Timestamp,
    limit: i64,
) -> Result<Vec<Outbound>, StoreError> {
    let rows = c
        .all(
            q(format!(
                "SELECT {COLS} FROM outbound_messages WHERE channel = $4 AND status = $1 AND next_attempt_at <= $2 AND (claimed_until IS NULL OR claimed_until < $2) \
                 ORDER BY id LIMIT $3"
            ))
            .bind(OutboundStatus::Queued)
            .bind(now)
            .bind(limit)
            .bind(channel),
        )
        .await?;
    rows.iter().map(from_row).collect()
}

/// A ticket's outgoing messages, newest first (for the ticket page and API).
pub async fn for_ticket(c: &mut Conn<'_>, ticket: TicketId) -> Result<Vec<Outbound>, StoreError> {
    let rows = c
        .all(
            q(format!(
                "SELECT {COLS} FROM outbound_messages WHERE ticket_id = $1 ORDER BY id DESC"
            ))
            .bind(ticket),
        )
        .await?;
    rows.iter().map(from_row).collect()
}

/// The relay or provider took it, under `external_id` if it gave one.
pub async fn mark_sent(
    c: &mut Conn<'_>,
    id: OutboundId,
    at: Timestamp,
    external_id: Option<&str>,
) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE outbound_messages SET status = $3, sent_at = $2, attempts = attempts + 1, last_error = NULL, claimed_until = NULL, external_id = $5 WHERE id = $1 AND status = $4")
            .bind(id)
            .bind(at)
            .bind(OutboundStatus::Sent)
            .bind(OutboundStatus::Queued)
            .bind(external_id),
    )
    .await?;
    Ok(())
}

/// The provider took the first `parts` parts of a message: a retry sends
/// only the rest. The first part's id of it is kept as the message's.
pub async fn progress(
    c: &mut Conn<'_>,
    id: OutboundId,
    parts: i64,
    external_id: Option<&str>,
) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE outbound_messages SET parts_sent = $2, external_id = COALESCE(external_id, $3) WHERE id = $1 AND status = $4")
            .bind(id)
            .bind(parts)
            .bind(external_id)
            .bind(OutboundStatus::Queued),
    )
    .await?;
    Ok(())
}

/// Not tried: back in the queue until `at`, unclaimed, no attempt counted.
pub async fn hold(c: &mut Conn<'_>, id: OutboundId, at: Timestamp) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE outbound_messages SET next_attempt_at = $2, claimed_until = NULL WHERE id = $1 AND status = $3")
            .bind(id)
            .bind(at)
            .bind(OutboundStatus::Queued),
    )
    .await?;
    Ok(())
}

/// It failed: try again at `next`, or give up (`failed`) with the reply.
pub async fn mark_attempt(
    c: &mut Conn<'_>,
    id: OutboundId,
    error: &str,
    next: Option<Timestamp>,
) -> Result<(), StoreError> {
    match next {
        Some(at) => c.exec(
            q("UPDATE outbound_messages SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3, claimed_until = NULL WHERE id = $1 AND status = $4")
                .bind(id)
                .bind(error)
                .bind(at)
                .bind(OutboundStatus::Queued),
        )
        .await?,
        None => c.exec(
            q("UPDATE outbound_messages SET attempts = attempts + 1, last_error = $2, status = $3, claimed_until = NULL WHERE id = $1 AND status = $4")
                .bind(id)
                .bind(error)
                .bind(OutboundStatus::Failed)
                .bind(OutboundStatus::Queued),
        )
        .await?,
    };
    Ok(())
}

/// Messages that are not sent yet or failed, newest first (admin page).
pub async fn unsent(c: &mut Conn<'_>, limit: i64) -> Result<Vec<Outbound>, StoreError> {
    let rows = c
        .all(
            q(format!(
                "SELECT {COLS} FROM outbound_messages WHERE status <> $1 ORDER BY id DESC LIMIT $2"
            ))
            .bind(OutboundStatus::Sent)
            .bind(limit),
        )
        .await?;
    rows.iter().map(from_row).collect()
}

/// Puts a failed message back in the queue, due now.
pub async fn requeue(c: &mut Conn<'_>, id: OutboundId, now: Timestamp) -> Result<u64, StoreError> {
    c.exec(
        q("UPDATE outbound_messages SET status = $3, next_attempt_at = $2, claimed_until = NULL WHERE id = $1 AND status = $4")
            .bind(id)
            .bind(now)
            .bind(OutboundStatus::Queued)
            .bind(OutboundStatus::Failed),
    )
    .await
}

/// A bounce came back for one of our messages: it failed after all.
pub async fn mark_bounced(
    c: &mut Conn<'_>,
    message_id: &str,
    reason: &str,
) -> Result<u64, StoreError> {
    c.exec(
        q("UPDATE outbound_messages SET status = $3, last_error = $2 WHERE message_id = $1")
            .bind(message_id)
            .bind(reason)
            .bind(OutboundStatus::Failed),
    )
    .await
}

/// The ticket a message we sent belongs to, by our id of it (an email's
/// Message-ID) or the provider's (a customer's answer quoting one of our
/// messages threads there). Two indexed lookups, not one `OR` a planner
/// may turn into a scan.
pub async fn ticket_of_external(
    c: &mut Conn<'_>,
    channel: Channel,
    external_id: &str,
) -> Result<Option<TicketId>, StoreError> {
    let ours = c
        .opt(
            q("SELECT ticket_id FROM outbound_messages WHERE message_id = $1 AND channel = $2")
                .bind(external_id)
                .bind(channel),
        )
        .await?;
    let row = match ours {
        Some(r) => Some(r),
        None => {
            c.opt(
                q("SELECT ticket_id FROM outbound_messages WHERE channel = $1 AND external_id = $2 ORDER BY id DESC LIMIT 1")
                    .bind(channel)
                    .bind(external_id),
            )
            .await?
        }
    };
    // The bot's messages before a hand-over belong to no ticket.
    Ok(row
        .map(|r| r.opt_int(0))
        .transpose()?
        .flatten()
        .map(TicketId))
}

/// What a provider said later of a message it took (by its id of it):
/// delivered or read (never back from read to delivered), or failed with
/// its words after all. Returns the ticket it belongs to, if it is ours.
pub async fn mark_receipt(
    c: &mut Conn<'_>,
    channel: Channel,
    external_id: &str,
    receipt: Result<domain::messaging::Receipt, &str>,
    at: Timestamp,
) -> Result<Option<TicketId>, StoreError> {
    use domain::messaging::Receipt;
    let n = match receipt {
        Ok(r) => {
            c.exec(
                q("UPDATE outbound_messages SET receipt = $3, receipt_at = $4 WHERE channel = $1 AND external_id = $2 AND (receipt IS NULL OR receipt <> $5)")
                    .bind(channel)
                    .bind(external_id)
                    .bind(r)
                    .bind(at)
                    .bind(Receipt::Read),
            )
            .await?
        }
        Err(words) => {
            c.exec(
                q("UPDATE outbound_messages SET status = $3, last_error = $4 WHERE channel = $1 AND external_id = $2")
                    .bind(channel)
                    .bind(external_id)
                    .bind(OutboundStatus::Failed)
                    .bind(words),
            )
            .await?
        }
    };
    if n == 0 {
        return Ok(None);
    }
    let row = c
        .opt(
            q("SELECT ticket_id FROM outbound_messages WHERE channel = $1 AND external_id = $2")
                .bind(channel)
                .bind(external_id),
        )
        .await?;
    row.map(|r| r.opt_int(0).map(|t| t.map(TicketId)))
        .transpose()
        .map(Option::flatten)
}

/// When we first wrote to the customer about a ticket (an acknowledgement
/// or a reply, on any channel), for reports.
pub async fn first_to_customer(
    c: &mut Conn<'_>,
    ticket: domain::TicketId,
) -> Result<Option<Timestamp>, StoreError> {
    Ok(c.opt(
        q("SELECT MIN(created_at) FROM outbound_messages WHERE ticket_id = $1 AND kind IN ('acknowledgement', 'reply')")
            .bind(ticket),
    )
    .await?
    .and_then(|r| r.opt_int(0).ok().flatten())
    .map(Timestamp))
}

/// Whether an agent's reply went to `to` on `channel` after `since` (a
/// short answer then is to that reply, not to an earlier survey).
pub async fn replied_since(
    c: &mut Conn<'_>,
    channel: Channel,
    to: &str,
    since: Timestamp,
) -> Result<bool, StoreError> {
    Ok(c.opt(
        q("SELECT 1 FROM outbound_messages WHERE channel = $1 AND to_address = $2 AND kind = 'reply' AND created_at > $3 LIMIT 1")
            .bind(channel)
            .bind(to)
            .bind(since),
    )
    .await?
    .is_some())
}
