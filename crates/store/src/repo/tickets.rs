//! Tickets with their tags, custom field values and collaborators.

use super::map_rows;
use crate::model::{Ticket, join_tags, split_tags};
use crate::paging::placeholders;
use crate::{Conn, Row, StoreError, Value, q};
use domain::{
    FieldId, GroupId, OrgId, Priority, Status, TicketFormId, TicketId, Timestamp, UserId,
};

const COLS: &str = "id, subject, description, status, priority, type, requester_id, submitter_id, assignee_id, group_id, organization_id, problem_id, \
                    external_id, via_channel, tags, has_attachments, due_at, created_at, updated_at, solved_at, deleted_at, recipient, ticket_form_id";

fn from_row(r: &Row) -> Result<Ticket, StoreError> {
    Ok(Ticket {
        id: TicketId(r.int(0)?),
        subject: r.text(1)?,
        description: r.text(2)?,
        status: r.word(3)?,
        priority: r.opt_word(4)?,
        ticket_type: r.opt_word(5)?,
        requester_id: UserId(r.int(6)?),
        submitter_id: UserId(r.int(7)?),
        assignee_id: r.opt_int(8)?.map(UserId),
        group_id: r.opt_int(9)?.map(GroupId),
        organization_id: r.opt_int(10)?.map(OrgId),
        problem_id: r.opt_int(11)?.map(TicketId),
        external_id: r.opt_text(12)?,
        via: r.word(13)?,
        tags: split_tags(&r.text(14)?),
        has_attachments: r.bool(15)?,
        due_at: r.opt_int(16)?.map(Timestamp),
        created_at: Timestamp(r.int(17)?),
        updated_at: Timestamp(r.int(18)?),
        solved_at: r.opt_int(19)?.map(Timestamp),
        deleted_at: r.opt_int(20)?.map(Timestamp),
        recipient: r.opt_text(21)?,
        ticket_form_id: r.opt_int(22)?.map(TicketFormId),
        custom_fields: vec![],
        collaborator_ids: vec![],
        follower_ids: vec![],
    })
}

/// The rank a status sorts and compares by in search (`status<solved`).
pub fn status_rank(s: Status) -> i64 {
    Status::ALL.iter().position(|x| *x == s).unwrap_or(0) as i64
}

/// The rank a priority compares by (`priority>normal`).
pub fn priority_rank(p: Priority) -> i64 {
    Priority::ALL.iter().position(|x| *x == p).unwrap_or(0) as i64
}

fn ticket_columns(query: crate::Query, t: &Ticket) -> crate::Query {
    query
        .bind(&t.subject)
        .bind(&t.description)
        .bind(t.status)
        .bind(status_rank(t.status))
        .bind(t.priority)
        .bind(t.priority.map(priority_rank))
        .bind(t.ticket_type)
        .bind(t.requester_id)
        .bind(t.submitter_id)
        .bind(t.assignee_id)
        .bind(t.group_id)
        .bind(t.organization_id)
        .bind(t.problem_id)
        .bind(t.external_id.clone())
        .bind(t.via)
        .bind(join_tags(&t.tags))
        .bind(t.has_attachments)
        .bind(t.due_at)
        .bind(t.created_at)
        .bind(t.updated_at)
        .bind(t.solved_at)
        .bind(t.deleted_at)
        .bind(t.recipient.clone())
        .bind(t.ticket_form_id)
}

const TICKET_COLUMNS: &str = "subject, description, status, status_rank, priority, priority_rank, type, requester_id, submitter_id, assignee_id, group_id, organization_id, \
                problem_id, external_id, via_channel, tags, has_attachments, due_at, created_at, updated_at, solved_at, deleted_at, recipient, ticket_form_id";

/// The ticket INSERTs, written once (they run for every ticket created).
static INSERT_NEW: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "INSERT INTO tickets ({TICKET_COLUMNS}) VALUES ({}) RETURNING id",
        placeholders(1, 24)
    )
});
static INSERT_WITH_ID: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "INSERT INTO tickets (id, {TICKET_COLUMNS}) VALUES ($25, {}) RETURNING id",
        placeholders(1, 24)
    )
});

/// Inserts a ticket with its tags, fields and collaborators; `t.id` is used
/// if positive (imports, bulk loads), else assigned.
pub async fn insert(c: &mut Conn<'_>, t: &Ticket) -> Result<TicketId, StoreError> {
    let id = if t.id.0 > 0 {
        c.insert(ticket_columns(q(INSERT_WITH_ID.as_str()), t).bind(t.id))
            .await?
    } else {
        c.insert(ticket_columns(q(INSERT_NEW.as_str()), t)).await?
    };
    let id = TicketId(id);
    write_tags(c, id, &t.tags).await?;
    write_fields(c, id, &t.custom_fields).await?;
    write_collaborators(c, id, t).await?;
    Ok(id)
}

/// Writes every column of an existing ticket, and those children that differ
/// from `before` (all of them when there is no `before`).
pub async fn update(
    c: &mut Conn<'_>,
    t: &Ticket,
    before: Option<&Ticket>,
) -> Result<(), StoreError> {
    let sql = "UPDATE tickets SET subject = $1, description = $2, status = $3, status_rank = $4, priority = $5, priority_rank = $6, type = $7, requester_id = $8, \
               submitter_id = $9, assignee_id = $10, group_id = $11, organization_id = $12, problem_id = $13, external_id = $14, via_channel = $15, tags = $16, \
               has_attachments = $17, due_at = $18, created_at = $19, updated_at = $20, solved_at = $21, deleted_at = $22, recipient = $23, ticket_form_id = $24 WHERE id = $25";
    if c.exec(ticket_columns(q(sql), t).bind(t.id)).await? == 0 {
        return Err(StoreError::NotFound);
    }
    if before.is_none_or(|b| b.tags != t.tags) {
        c.exec(q("DELETE FROM ticket_tags WHERE ticket_id = $1").bind(t.id))
            .await?;
        write_tags(c, t.id, &t.tags).await?;
    }
    if before.is_none_or(|b| b.custom_fields != t.custom_fields) {
        c.exec(q("DELETE FROM ticket_field_values WHERE ticket_id = $1").bind(t.id))
            .await?;
        write_fields(c, t.id, &t.custom_fields).await?;
    }
    if before.is_none_or(|b| {
        b.collaborator_ids != t.collaborator_ids || b.follower_ids != t.follower_ids
    }) {
        c.exec(q("DELETE FROM ticket_collaborators WHERE ticket_id = $1").bind(t.id))
            .await?;
        write_collaborators(c, t.id, t).await?;
    }
    Ok(())
}

/// Inserts rows in one multi-row statement per 100 rows.
async fn insert_rows(
    c: &mut Conn<'_>,
    into: &str,
    width: usize,
    rows: Vec<Vec<Value>>,
) -> Result<(), StoreError> {
    for chunk in rows.chunks(100) {
        let groups: Vec<String> = (0..chunk.len())
            .map(|i| format!("({})", placeholders(i * width + 1, width)))
            .collect();
        let mut query = q(format!("INSERT INTO {into} VALUES {}", groups.join(", ")));
        query.args = chunk.iter().flatten().cloned().collect();
        c.exec(query).await?;
    }
    Ok(())
}

async fn write_tags(c: &mut Conn<'_>, id: TicketId, tags: &[String]) -> Result<(), StoreError> {
    let rows = tags
        .iter()
        .map(|tag| vec![Value::from(tag), id.into()])
        .collect();
    insert_rows(c, "ticket_tags (tag, ticket_id)", 2, rows).await
}

async fn write_fields(
    c: &mut Conn<'_>,
    id: TicketId,
    values: &[(FieldId, String)],
) -> Result<(), StoreError> {
    let rows = values
        .iter()
        .map(|(f, v)| vec![id.into(), (*f).into(), Value::from(v)])
        .collect();
    insert_rows(
        c,
        "ticket_field_values (ticket_id, field_id, value)",
        3,
        rows,
    )
    .await
}

async fn write_collaborators(c: &mut Conn<'_>, id: TicketId, t: &Ticket) -> Result<(), StoreError> {
    let rows = [("cc", &t.collaborator_ids), ("follower", &t.follower_ids)]
        .into_iter()
        .flat_map(|(kind, users)| {
            users
                .iter()
                .map(move |u| vec![id.into(), (*u).into(), Value::from(kind)])
        })
        .collect();
    insert_rows(
        c,
        "ticket_collaborators (ticket_id, user_id, kind)",
        3,
        rows,
    )
    .await
}

/// Tickets by id with their children, in the order of `ids`; deleted tickets
/// are included only if `with_deleted`.
pub async fn get_many(
    c: &mut Conn<'_>,
    ids: &[i64],
    with_deleted: bool,
) -> Result<Vec<Ticket>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let list = placeholders(1, ids.len());
    let args: Vec<Value> = ids.iter().map(|&i| Value::Int(i)).collect();
    let deleted = if with_deleted {
        ""
    } else {
        " AND deleted_at IS NULL"
    };
    let mut query = q(format!(
        "SELECT {COLS} FROM tickets WHERE id IN ({list}){deleted}"
    ));
    query.args = args.clone();
    let mut tickets = map_rows(c.all(query).await?, from_row)?;
    let mut query = q(format!(
        "SELECT ticket_id, field_id, value FROM ticket_field_values WHERE ticket_id IN ({list}) ORDER BY field_id"
    ));
    query.args = args.clone();
    for r in c.all(query).await? {
        let tid = r.int(0)?;
        if let Some(t) = tickets.iter_mut().find(|t| t.id.0 == tid) {
            t.custom_fields.push((FieldId(r.int(1)?), r.text(2)?));
        }
    }
    let mut query = q(format!(
        "SELECT ticket_id, user_id, kind FROM ticket_collaborators WHERE ticket_id IN ({list}) ORDER BY user_id"
    ));
    query.args = args;
    for r in c.all(query).await? {
        let tid = r.int(0)?;
        if let Some(t) = tickets.iter_mut().find(|t| t.id.0 == tid) {
            let u = UserId(r.int(1)?);
            if r.text(2)? == "cc" {
                t.collaborator_ids.push(u)
            } else {
                t.follower_ids.push(u)
            }
        }
    }
    Ok(ids
        .iter()
        .filter_map(|id| {
            tickets
                .iter()
                .position(|t| t.id.0 == *id)
                .map(|i| tickets[i].clone())
        })
        .collect())
}

pub async fn get(
    c: &mut Conn<'_>,
    id: TicketId,
    with_deleted: bool,
) -> Result<Option<Ticket>, StoreError> {
    Ok(get_many(c, &[id.0], with_deleted).await?.pop())
}

/// All live tags with their ticket counts, most used first.
pub async fn tag_counts(c: &mut Conn<'_>, limit: i64) -> Result<Vec<(String, i64)>, StoreError> {
    c.all(q("SELECT tt.tag, COUNT(*) AS n FROM ticket_tags tt JOIN tickets t ON t.id = tt.ticket_id WHERE t.deleted_at IS NULL GROUP BY tt.tag ORDER BY n DESC, tt.tag LIMIT $1").bind(limit))
        .await?
        .iter()
        .map(|r| Ok((r.text(0)?, r.int(1)?)))
        .collect()
}

/// Ids of tickets not closed or deleted above `after`, in order (the
/// automations pass pages through them).
pub async fn unclosed_ids_after(
    c: &mut Conn<'_>,
    after: TicketId,
    limit: i64,
) -> Result<Vec<i64>, StoreError> {
    c.all(
        q("SELECT id FROM tickets WHERE id > $1 AND status_rank < $2 AND deleted_at IS NULL ORDER BY id LIMIT $3")
            .bind(after)
            .bind(status_rank(Status::Closed))
            .bind(limit),
    )
    .await?
    .iter()
    .map(|r| r.int(0))
    .collect()
}

/// The customer's most recently updated unsolved ticket, if it was updated
/// at or after `since`: the case a new message of theirs continues.
pub async fn latest_unsolved_of(
    c: &mut Conn<'_>,
    requester: UserId,
    since: Timestamp,
) -> Result<Option<TicketId>, StoreError> {
    let row = c
        .opt(
            q("SELECT id FROM tickets WHERE requester_id = $1 AND status_rank < $2 AND deleted_at IS NULL AND updated_at >= $3 ORDER BY updated_at DESC, id DESC LIMIT 1")
                .bind(requester)
                .bind(status_rank(Status::Solved))
                .bind(since),
        )
        .await?;
    row.map(|r| Ok(TicketId(r.int(0)?))).transpose()
}

/// The incidents of a problem ticket (not deleted), oldest first.
pub async fn incident_ids(
    c: &mut Conn<'_>,
    problem: TicketId,
) -> Result<Vec<TicketId>, StoreError> {
    c.all(
        q("SELECT id FROM tickets WHERE problem_id = $1 AND deleted_at IS NULL ORDER BY id LIMIT 1000")
            .bind(problem),
    )
    .await?
    .iter()
    .map(|r| Ok(TicketId(r.int(0)?)))
    .collect()
}

/// The agent's tickets (not deleted) changed at or after `since`, at most
/// 1,000, newest change first: where their activity stream is read from.
pub async fn assigned_changed_since(
    c: &mut Conn<'_>,
    agent: UserId,
    since: Timestamp,
) -> Result<Vec<TicketId>, StoreError> {
    c.all(
        q("SELECT id FROM tickets WHERE assignee_id = $1 AND deleted_at IS NULL AND updated_at >= $2 ORDER BY updated_at DESC LIMIT 1000")
            .bind(agent)
            .bind(since),
    )
    .await?
    .iter()
    .map(|r| Ok(TicketId(r.int(0)?)))
    .collect()
}
