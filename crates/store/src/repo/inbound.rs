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

/// Remembers an outside message; false if it was remembered already (a
/// simultaneous delivery of the same message won).
pub async fn remember(
    c: &mut Conn<'_>,
    channel: Channel,
    account: &str,
    external_id: &str,
    landed: Landed,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let n = c
        .exec(
            q("INSERT INTO inbound_messages (channel, account, external_id, ticket_id, comment_id, received_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (channel, account, external_id) DO NOTHING")
                .bind(channel)
                .bind(account)
                .bind(external_id)
                .bind(landed.ticket)
                .bind(landed.comment)
                .bind(at),
        )
        .await?;
    Ok(n == 1)
}
