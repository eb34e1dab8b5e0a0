//! Ticket skips (`ticket_skips`): written once, listed by agent or ticket.

use crate::paging::{Paged, Paging, page_ids, placeholders};
use crate::{Conn, StoreError, Value, q};
use domain::skip::{Skip, SkipScope};
use domain::{SkipId, TicketId, Timestamp, UserId};

const COLS: &str = "id, ticket_id, user_id, reason, created_at";

fn skip(r: &crate::Row) -> Result<Skip, StoreError> {
    Ok(Skip {
        id: SkipId(r.int(0)?),
        ticket_id: TicketId(r.int(1)?),
        user_id: UserId(r.int(2)?),
        reason: r.text(3)?,
        created_at: Timestamp(r.int(4)?),
    })
}

pub async fn insert(c: &mut Conn<'_>, s: &Skip) -> Result<SkipId, StoreError> {
    Ok(SkipId(
        c.insert(
            q("INSERT INTO ticket_skips (ticket_id, user_id, reason, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(s.ticket_id)
                .bind(s.user_id)
                .bind(s.reason.clone())
                .bind(s.created_at),
        )
        .await?,
    ))
}

/// A page of the skips in scope, oldest first.
pub async fn page(c: &mut Conn<'_>, scope: SkipScope, paging: Paging) -> Result<Paged, StoreError> {
    let (cond, args): (&str, Vec<Value>) = match scope {
        SkipScope::Everyone => ("1 = 1", vec![]),
        SkipScope::By(u) => ("t.user_id = $1", vec![u.into()]),
        SkipScope::Of(ticket) => ("t.ticket_id = $1", vec![ticket.into()]),
    };
    page_ids(c, &format!("ticket_skips t WHERE {cond}"), args, paging).await
}

/// The skips with these ids, by id.
pub async fn get_many(c: &mut Conn<'_>, ids: &[i64]) -> Result<Vec<Skip>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut query = q(format!(
        "SELECT {COLS} FROM ticket_skips WHERE id IN ({}) ORDER BY id",
        placeholders(1, ids.len())
    ));
    query.args = ids.iter().map(|&i| Value::Int(i)).collect();
    c.all(query).await?.iter().map(skip).collect()
}

/// Which of these tickets the agent has skipped.
pub async fn skipped_among(
    c: &mut Conn<'_>,
    user: UserId,
    tickets: &[TicketId],
) -> Result<Vec<TicketId>, StoreError> {
    if tickets.is_empty() {
        return Ok(vec![]);
    }
    let mut query = q(format!(
        "SELECT DISTINCT ticket_id FROM ticket_skips WHERE user_id = $1 AND ticket_id IN ({})",
        placeholders(2, tickets.len())
    ));
    query.args = std::iter::once(user.into())
        .chain(tickets.iter().map(|&t| t.into()))
        .collect();
    c.all(query)
        .await?
        .iter()
        .map(|r| Ok(TicketId(r.int(0)?)))
        .collect()
}
