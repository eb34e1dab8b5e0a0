//! Outside messages taken in, once each: `(channel, account, external id)`
//! → the ticket and comment they made. The ingest use case reads this to
//! recognise a redelivery and to thread a reply to an earlier message.

use crate::{Conn, StoreError, q};
use domain::{Channel, CommentId, TicketId, Timestamp};

/// Where a message taken in before landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Landed {
    pub ticket: TicketId,
    pub comment: Option<CommentId>,
}

/// The ticket and comment an outside message made, if it was taken in.
pub async fn landed(
    c: &mut Conn<'_>,
    channel: Channel,
    account: &str,
    external_id: &str,
) -> Result<Option<Landed>, StoreError> {
    let row = c
        .opt(
            q("SELECT ticket_id, comment_id FROM inbound_messages WHERE channel = $1 AND account = $2 AND external_id = $3")
                .bind(channel)
                .bind(account)
                .bind(external_id),
        )
        .await?;
    row.map(|r| {
        Ok(Landed {
            ticket: TicketId(r.int(0)?),
            comment: r.opt_int(1)?.map(CommentId),
        })
    })
    .transpose()
}

/// A message taken in before under an id, and the fingerprint of its
/// content (to tell a redelivery from a different message reusing the id).
pub async fn seen(
    c: &mut Conn<'_>,
    channel: Channel,
    account: &str,
    external_id: &str,
) -> Result<Option<(Landed, Option<String>)>, StoreError> {
    let row = c
        .opt(
            q("SELECT ticket_id, comment_id, fingerprint FROM inbound_messages WHERE channel = $1 AND account = $2 AND external_id = $3")
                .bind(channel)
                .bind(account)
                .bind(external_id),
        )
        .await?;
    row.map(|r| {
        let landed = Landed {
            ticket: TicketId(r.int(0)?),
            comment: r.opt_int(1)?.map(CommentId),
        };
        Ok((landed, r.opt_text(2)?))
    })
    .transpose()
}

/// An outside message taken in: its key, who sent it, when, the
/// fingerprint of its content and the adapter's stored raw payload.
#[derive(Debug, Clone)]
pub struct Taken {
    pub channel: Channel,
    pub account: String,
    pub external_id: String,
    /// The sender's address on the channel (normalised).
    pub sender: String,
    pub sent_at: Timestamp,
    pub fingerprint: Option<String>,
    pub raw_id: Option<i64>,
}

/// Remembers an outside message; false if it was remembered already (a
/// simultaneous delivery of the same message won).
pub async fn remember(
    c: &mut Conn<'_>,
    m: &Taken,
    landed: Landed,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let n = c
        .exec(
            q("INSERT INTO inbound_messages (channel, account, external_id, ticket_id, comment_id, sent_at, raw_id, received_at, sender, fingerprint) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (channel, account, external_id) DO NOTHING")
                .bind(m.channel)
                .bind(m.account.as_str())
                .bind(m.external_id.as_str())
                .bind(landed.ticket)
                .bind(landed.comment)
                .bind(m.sent_at)
                .bind(m.raw_id)
                .bind(at)
                .bind(m.sender.as_str())
                .bind(m.fingerprint.clone()),
        )
        .await?;
    Ok(n == 1)
}

/// The (account, sender address) of the latest messages taken in on a
/// ticket through `channel`, newest first: where a reply on that channel
/// goes.
pub async fn senders_on(
    c: &mut Conn<'_>,
    ticket: TicketId,
    channel: Channel,
) -> Result<Vec<(String, String)>, StoreError> {
    let rows = c
        .all(
            q("SELECT account, sender FROM inbound_messages WHERE ticket_id = $1 AND channel = $2 AND sender IS NOT NULL ORDER BY id DESC LIMIT 20")
                .bind(ticket)
                .bind(channel),
        )
        .await?;
    rows.iter().map(|r| Ok((r.text(0)?, r.text(1)?))).collect()
}

/// The Message-IDs of a ticket's email conversation, the customer's and
/// ours, in the order they were written (for In-Reply-To and References
/// of our next mail).
pub async fn email_thread_of(
    c: &mut Conn<'_>,
    ticket: TicketId,
) -> Result<Vec<String>, StoreError> {
    let rows = c
        .all(
            q("SELECT external_id, COALESCE(comment_id, 0) AS k FROM inbound_messages WHERE ticket_id = $1 AND channel = $2 \
               UNION ALL SELECT message_id, COALESCE(comment_id, 0) AS k FROM outbound_messages WHERE ticket_id = $1 AND channel = $2 \
               ORDER BY 2, 1")
                .bind(ticket)
                .bind(Channel::Email),
        )
        .await?;
    rows.iter().map(|r| r.text(0)).collect()
}
