//! Comments and audits of a ticket.

use super::map_rows;
use crate::model::{Audit, Comment};
use crate::paging::placeholders;
use crate::{Conn, Row, StoreError, Value, q};
use domain::audit::AuditEvent;
use domain::{AuditId, Channel, CommentId, TicketId, Timestamp, UserId};

const COLS: &str =
    "id, ticket_id, audit_id, author_id, body, html_body, public, via_channel, created_at";

fn from_row(r: &Row) -> Result<Comment, StoreError> {
    Ok(Comment {
        id: CommentId(r.int(0)?),
        ticket_id: TicketId(r.int(1)?),
        audit_id: AuditId(r.int(2)?),
        author_id: UserId(r.int(3)?),
        body: r.text(4)?,
        html_body: r.text(5)?,
        public: r.bool(6)?,
        via: r.word(7)?,
        created_at: Timestamp(r.int(8)?),
        attachments: vec![],
    })
}

/// Inserts a comment (its id and attachments are ignored) and returns its id.
pub async fn insert(c: &mut Conn<'_>, cm: &Comment) -> Result<CommentId, StoreError> {
    Ok(CommentId(
        c.insert(
            q("INSERT INTO comments (ticket_id, audit_id, author_id, body, html_body, public, via_channel, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
                .bind(cm.ticket_id)
                .bind(cm.audit_id)
                .bind(cm.author_id)
                .bind(&cm.body)
                .bind(&cm.html_body)
                .bind(cm.public)
                .bind(cm.via)
                .bind(cm.created_at),
        )
        .await?,
    ))
}

/// Comments by id, oldest first, with their attachments.
pub async fn get_many(c: &mut Conn<'_>, ids: &[i64]) -> Result<Vec<Comment>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut query = q(format!(
        "SELECT {COLS} FROM comments WHERE id IN ({}) ORDER BY id",
        placeholders(1, ids.len())
    ));
    query.args = ids.iter().map(|&i| Value::Int(i)).collect();
    let mut comments = map_rows(c.all(query).await?, from_row)?;
    let attachments = super::attachments::for_comments(c, ids).await?;
    for a in attachments {
        if let Some(cm) = comments.iter_mut().find(|cm| Some(cm.id) == a.comment_id) {
            cm.attachments.push(a);
        }
    }
    Ok(comments)
}

/// Moves every comment of one ticket onto another (merge).
pub async fn move_all(c: &mut Conn<'_>, from: TicketId, to: TicketId) -> Result<u64, StoreError> {
    c.exec(
        q("UPDATE comments SET ticket_id = $2 WHERE ticket_id = $1")
            .bind(from)
            .bind(to),
    )
    .await
}

/// All comment text of a ticket, oldest first, for the search index.
pub async fn bodies(c: &mut Conn<'_>, ticket: TicketId) -> Result<Vec<String>, StoreError> {
    c.all(q("SELECT body FROM comments WHERE ticket_id = $1 ORDER BY id").bind(ticket))
        .await?
        .iter()
        .map(|r| r.text(0))
        .collect()
}

/// The latest public words one person wrote on a ticket, newest first.
pub async fn public_bodies_by(
    c: &mut Conn<'_>,
    ticket: TicketId,
    author: UserId,
    limit: i64,
) -> Result<Vec<String>, StoreError> {
    c.all(
        q("SELECT body FROM comments WHERE ticket_id = $1 AND author_id = $2 AND public = $3 ORDER BY id DESC LIMIT $4")
            .bind(ticket)
            .bind(author)
            .bind(true)
            .bind(limit),
    )
    .await?
    .iter()
    .map(|r| r.text(0))
    .collect()
}

const AUDIT_COLS: &str = "id, ticket_id, author_id, via_channel, events, created_at";

fn audit_from_row(r: &Row) -> Result<Audit, StoreError> {
    Ok(Audit {
        id: AuditId(r.int(0)?),
        ticket_id: TicketId(r.int(1)?),
        author_id: UserId(r.int(2)?),
        via: r.word(3)?,
        events: AuditEvent::parse_list(&r.text(4)?),
        created_at: Timestamp(r.int(5)?),
    })
}

/// Inserts an audit with its events (stored in Zendesk's shape, without
/// ids: the wire layer numbers them).
pub async fn insert_audit(
    c: &mut Conn<'_>,
    ticket: TicketId,
    author: UserId,
    via: Channel,
    events: &[AuditEvent],
    at: Timestamp,
) -> Result<AuditId, StoreError> {
    let events_json = AuditEvent::list_to_string(events);
    Ok(AuditId(
        c.insert(
            q("INSERT INTO audits (ticket_id, author_id, via_channel, events, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
                .bind(ticket)
                .bind(author)
                .bind(via)
                .bind(events_json.as_str())
                .bind(at),
        )
        .await?,
    ))
}

/// Replaces an audit's events (when a comment's attachment ids became known).
pub async fn set_audit_events(
    c: &mut Conn<'_>,
    id: AuditId,
    events: &[AuditEvent],
) -> Result<(), StoreError> {
    let events_json = AuditEvent::list_to_string(events);
    c.exec(
        q("UPDATE audits SET events = $2 WHERE id = $1")
            .bind(id)
            .bind(events_json.as_str()),
    )
    .await?;
    Ok(())
}

pub async fn audits_many(c: &mut Conn<'_>, ids: &[i64]) -> Result<Vec<Audit>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut query = q(format!(
        "SELECT {AUDIT_COLS} FROM audits WHERE id IN ({}) ORDER BY id",
        placeholders(1, ids.len())
    ));
    query.args = ids.iter().map(|&i| Value::Int(i)).collect();
    map_rows(c.all(query).await?, audit_from_row)
}

pub async fn audit(c: &mut Conn<'_>, id: AuditId) -> Result<Option<Audit>, StoreError> {
    Ok(audits_many(c, &[id.0]).await?.pop())
}

/// The newest audit of a ticket (0 if none): a ticket's version, exact
/// where `updated_at` has one-second resolution.
pub async fn last_audit_id(c: &mut Conn<'_>, ticket: TicketId) -> Result<AuditId, StoreError> {
    Ok(AuditId(
        c.scalar(q("SELECT COALESCE(MAX(id), 0) FROM audits WHERE ticket_id = $1").bind(ticket))
            .await?,
    ))
}

/// Every audit of a ticket, oldest first (milestones for automations,
/// metrics).
pub async fn audits_of(c: &mut Conn<'_>, ticket: TicketId) -> Result<Vec<Audit>, StoreError> {
    map_rows(
        c.all(
            q(format!(
                "SELECT {AUDIT_COLS} FROM audits WHERE ticket_id = $1 ORDER BY id"
            ))
            .bind(ticket),
        )
        .await?,
        audit_from_row,
    )
}

/// The public comments' bodies of a ticket, oldest first: what its
/// customer may read (and search).
pub async fn public_bodies(c: &mut Conn<'_>, ticket: TicketId) -> Result<Vec<String>, StoreError> {
    c.all(
        q("SELECT body FROM comments WHERE ticket_id = $1 AND public = TRUE ORDER BY id")
            .bind(ticket),
    )
    .await?
    .iter()
    .map(|r| r.text(0))
    .collect()
}

/// Those of `tickets` whose first comment (the description) is an
/// internal note.
pub async fn private_descriptions(
    c: &mut Conn<'_>,
    tickets: &[i64],
) -> Result<Vec<TicketId>, StoreError> {
    if tickets.is_empty() {
        return Ok(vec![]);
    }
    let mut query = q(format!(
        "SELECT f.ticket_id FROM comments f WHERE f.id IN (SELECT MIN(id) FROM comments WHERE ticket_id IN ({}) GROUP BY ticket_id) AND f.public = FALSE",
        crate::paging::placeholders(1, tickets.len())
    ));
    query.args = tickets.iter().map(|&i| crate::Value::Int(i)).collect();
    c.all(query)
        .await?
        .iter()
        .map(|r| Ok(TicketId(r.int(0)?)))
        .collect()
}

/// The channel of `author`'s latest public comment on a ticket, among the
/// channels that carry replies: where the customer last wrote from.
pub async fn last_channel_of(
    c: &mut Conn<'_>,
    ticket: TicketId,
    author: UserId,
) -> Result<Option<Channel>, StoreError> {
    let rows = c
        .all(
            q("SELECT via_channel FROM comments WHERE ticket_id = $1 AND author_id = $2 AND public = $3 ORDER BY id DESC LIMIT 20")
                .bind(ticket)
                .bind(author)
                .bind(true),
        )
        .await?;
    for r in &rows {
        let channel: Channel = r.word(0)?;
        if channel.carries_replies() {
            return Ok(Some(channel));
        }
    }
    Ok(None)
}

/// Audits written at or after `start`, oldest first, at most `limit`:
/// (id, written at).
pub async fn audit_ids_since(
    c: &mut Conn<'_>,
    start: Timestamp,
    limit: i64,
) -> Result<Vec<(i64, Timestamp)>, StoreError> {
    c.all(
        q("SELECT id, created_at FROM audits WHERE created_at >= $1 ORDER BY created_at, id LIMIT $2")
            .bind(start)
            .bind(limit),
    )
    .await?
    .iter()
    .map(|r| Ok((r.int(0)?, Timestamp(r.int(1)?))))
    .collect()
}

/// Audits written in the second `at`: (id, written at).
pub async fn audit_ids_at(
    c: &mut Conn<'_>,
    at: Timestamp,
) -> Result<Vec<(i64, Timestamp)>, StoreError> {
    c.all(q("SELECT id, created_at FROM audits WHERE created_at = $1 ORDER BY id").bind(at))
        .await?
        .iter()
        .map(|r| Ok((r.int(0)?, Timestamp(r.int(1)?))))
        .collect()
}

/// The tickets these audits belong to, each once.
pub async fn tickets_of_audits(c: &mut Conn<'_>, ids: &[i64]) -> Result<Vec<TicketId>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut query = q(format!(
        "SELECT DISTINCT ticket_id FROM audits WHERE id IN ({}) ORDER BY ticket_id",
        placeholders(1, ids.len())
    ));
    query.args = ids.iter().map(|&i| Value::Int(i)).collect();
    c.all(query)
        .await?
        .iter()
        .map(|r| Ok(TicketId(r.int(0)?)))
        .collect()
}

/// The audits of several tickets, by ticket then oldest first.
pub async fn audits_of_many(
    c: &mut Conn<'_>,
    tickets: &[TicketId],
) -> Result<Vec<Audit>, StoreError> {
    if tickets.is_empty() {
        return Ok(vec![]);
    }
    let mut query = q(format!(
        "SELECT {AUDIT_COLS} FROM audits WHERE ticket_id IN ({}) ORDER BY ticket_id, id",
        placeholders(1, tickets.len())
    ));
    query.args = tickets.iter().map(|t| Value::from(*t)).collect();
    map_rows(c.all(query).await?, audit_from_row)
}
