//! Merging one customer profile into another: moving identities and
//! tickets, and the record that lets an agent undo it.

use crate::paging::placeholders;
use crate::{Conn, StoreError, Value, q};
use domain::{IdentityId, TicketId, Timestamp, UserId, UserMergeId};

/// A merge as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct UserMerge {
    pub id: UserMergeId,
    pub source: UserId,
    pub target: UserId,
    pub identities: Vec<IdentityId>,
    pub tickets: Vec<TicketId>,
    /// The source's primary email before the merge, restored by undo.
    pub source_email: Option<String>,
    pub actor: UserId,
    pub created_at: Timestamp,
    pub undone_at: Option<Timestamp>,
}

fn join(ids: impl Iterator<Item = i64>) -> String {
    ids.map(|i| i.to_string()).collect::<Vec<_>>().join(" ")
}

fn split(s: &str) -> Vec<i64> {
    s.split(' ').filter_map(|x| x.parse().ok()).collect()
}

/// Tickets a user requested (deleted ones too: they move with the person).
pub async fn requested_ticket_ids(
    c: &mut Conn<'_>,
    user: UserId,
) -> Result<Vec<TicketId>, StoreError> {
    let rows = c
        .all(q("SELECT id FROM tickets WHERE requester_id = $1 ORDER BY id").bind(user))
        .await?;
    rows.iter().map(|r| Ok(TicketId(r.int(0)?))).collect()
}

/// Gives tickets a new requester.
pub async fn set_requester(
    c: &mut Conn<'_>,
    tickets: &[TicketId],
    to: UserId,
    at: Timestamp,
) -> Result<(), StoreError> {
    for chunk in tickets.chunks(500) {
        let mut query = q(format!(
            "UPDATE tickets SET requester_id = $1, updated_at = $2 WHERE id IN ({})",
            placeholders(3, chunk.len())
        ));
        query.args = vec![Value::from(to), Value::from(at)];
        query.args.extend(chunk.iter().map(|t| Value::from(*t)));
        c.exec(query).await?;
    }
    Ok(())
}

/// Moves identities to another user; they arrive as secondary identities.
pub async fn move_identities(
    c: &mut Conn<'_>,
    ids: &[IdentityId],
    to: UserId,
    at: Timestamp,
) -> Result<(), StoreError> {
    for chunk in ids.chunks(500) {
        let mut query = q(format!(
            "UPDATE identities SET user_id = $1, is_primary = FALSE, updated_at = $2 WHERE id IN ({})",
            placeholders(3, chunk.len())
        ));
        query.args = vec![Value::from(to), Value::from(at)];
        query.args.extend(chunk.iter().map(|i| Value::from(i.0)));
        c.exec(query).await?;
    }
    Ok(())
}

pub async fn insert(c: &mut Conn<'_>, m: &UserMerge) -> Result<UserMergeId, StoreError> {
    c.insert(
        q("INSERT INTO user_merges (source_id, target_id, identity_ids, ticket_ids, source_email, actor_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
            .bind(m.source)
            .bind(m.target)
            .bind(join(m.identities.iter().map(|i| i.0)))
            .bind(join(m.tickets.iter().map(|t| t.0)))
            .bind(m.source_email.clone())
            .bind(m.actor)
            .bind(m.created_at),
    )
    .await
    .map(UserMergeId)
}

pub async fn get(c: &mut Conn<'_>, id: UserMergeId) -> Result<Option<UserMerge>, StoreError> {
    let row = c
        .opt(q("SELECT id, source_id, target_id, identity_ids, ticket_ids, source_email, actor_id, created_at, undone_at FROM user_merges WHERE id = $1").bind(id))
        .await?;
    row.map(|r| {
        Ok(UserMerge {
            id: UserMergeId(r.int(0)?),
            source: UserId(r.int(1)?),
            target: UserId(r.int(2)?),
            identities: split(&r.text(3)?).into_iter().map(IdentityId).collect(),
            tickets: split(&r.text(4)?).into_iter().map(TicketId).collect(),
            source_email: r.opt_text(5)?,
            actor: UserId(r.int(6)?),
            created_at: Timestamp(r.int(7)?),
            undone_at: r.opt_int(8)?.map(Timestamp),
        })
    })
    .transpose()
}

pub async fn mark_undone(
    c: &mut Conn<'_>,
    id: UserMergeId,
    at: Timestamp,
) -> Result<u64, StoreError> {
    c.exec(
        q("UPDATE user_merges SET undone_at = $2 WHERE id = $1 AND undone_at IS NULL")
            .bind(id)
            .bind(at),
    )
    .await
}
