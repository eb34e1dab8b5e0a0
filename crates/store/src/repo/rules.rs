//! Macros, views and satisfaction ratings.

use super::map_rows;
use crate::model::{Macro, SatisfactionRating, View};
use crate::paging::placeholders;
use crate::{Conn, Row, StoreError, Value, q};
use domain::{GroupId, MacroId, RatingId, TicketId, Timestamp, UserId, ViewId};

const MACRO_COLS: &str =
    "id, title, description, active, position, actions, created_at, updated_at";
const VIEW_COLS: &str = "id, title, description, active, position, conditions, sort_by, sort_order, created_at, updated_at";
const RATING_COLS: &str = "id, ticket_id, requester_id, assignee_id, group_id, score, comment, created_at, updated_at, reason_code, channel";

fn macro_row(r: &Row) -> Result<Macro, StoreError> {
    Ok(Macro {
        id: MacroId(r.int(0)?),
        title: r.text(1)?,
        description: r.opt_text(2)?,
        active: r.bool(3)?,
        position: r.int(4)?,
        actions: r.text(5)?,
        created_at: Timestamp(r.int(6)?),
        updated_at: Timestamp(r.int(7)?),
    })
}

fn view_row(r: &Row) -> Result<View, StoreError> {
    Ok(View {
        id: ViewId(r.int(0)?),
        title: r.text(1)?,
        description: r.opt_text(2)?,
        active: r.bool(3)?,
        position: r.int(4)?,
        conditions: r.text(5)?,
        sort_by: r.opt_text(6)?,
        sort_order: r.word(7)?,
        created_at: Timestamp(r.int(8)?),
        updated_at: Timestamp(r.int(9)?),
    })
}

fn rating_row(r: &Row) -> Result<SatisfactionRating, StoreError> {
    Ok(SatisfactionRating {
        id: RatingId(r.int(0)?),
        ticket_id: TicketId(r.int(1)?),
        requester_id: UserId(r.int(2)?),
        assignee_id: r.opt_int(3)?.map(UserId),
        group_id: r.opt_int(4)?.map(GroupId),
        score: r.word(5)?,
        comment: r.opt_text(6)?,
        created_at: Timestamp(r.int(7)?),
        updated_at: Timestamp(r.int(8)?),
        reason_code: r.int(9)?,
        channel: r.opt_word(10)?,
    })
}

pub async fn macros(c: &mut Conn<'_>, ids: &[i64]) -> Result<Vec<Macro>, StoreError> {
    super::by_ids(c, "macros", MACRO_COLS, ids, macro_row).await
}

pub async fn save_macro(c: &mut Conn<'_>, m: &Macro) -> Result<MacroId, StoreError> {
    if m.id.0 > 0 {
        c.exec(
            q("UPDATE macros SET title = $2, description = $3, active = $4, position = $5, actions = $6, updated_at = $7 WHERE id = $1")
                .bind(m.id)
                .bind(&m.title)
                .bind(m.description.clone())
                .bind(m.active)
                .bind(m.position)
                .bind(&m.actions)
                .bind(m.updated_at),
        )
        .await?;
        return Ok(m.id);
    }
    c.insert(
        q("INSERT INTO macros (title, description, active, position, actions, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
            .bind(&m.title)
            .bind(m.description.clone())
            .bind(m.active)
            .bind(m.position)
            .bind(&m.actions)
            .bind(m.created_at)
            .bind(m.updated_at),
    )
    .await
    .map(MacroId)
}

pub async fn delete_macro(c: &mut Conn<'_>, id: MacroId) -> Result<u64, StoreError> {
    c.exec(q("DELETE FROM macros WHERE id = $1").bind(id)).await
}

pub async fn views(c: &mut Conn<'_>, ids: &[i64]) -> Result<Vec<View>, StoreError> {
    super::by_ids(c, "views", VIEW_COLS, ids, view_row).await
}

pub async fn save_view(c: &mut Conn<'_>, v: &View) -> Result<ViewId, StoreError> {
    if v.id.0 > 0 {
        c.exec(
            q("UPDATE views SET title = $2, description = $3, active = $4, position = $5, conditions = $6, sort_by = $7, sort_order = $8, updated_at = $9 WHERE id = $1")
                .bind(v.id)
                .bind(&v.title)
                .bind(v.description.clone())
                .bind(v.active)
                .bind(v.position)
                .bind(&v.conditions)
                .bind(v.sort_by.clone())
                .bind(v.sort_order)
                .bind(v.updated_at),
        )
        .await?;
        return Ok(v.id);
    }
    c.insert(
        q("INSERT INTO views (title, description, active, position, conditions, sort_by, sort_order, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
            .bind(&v.title)
            .bind(v.description.clone())
            .bind(v.active)
            .bind(v.position)
            .bind(&v.conditions)
            .bind(v.sort_by.clone())
            .bind(v.sort_order)
            .bind(v.created_at)
            .bind(v.updated_at),
    )
    .await
    .map(ViewId)
}

pub async fn delete_view(c: &mut Conn<'_>, id: ViewId) -> Result<u64, StoreError> {
    c.exec(q("DELETE FROM views WHERE id = $1").bind(id)).await
}

pub async fn ratings(c: &mut Conn<'_>, ids: &[i64]) -> Result<Vec<SatisfactionRating>, StoreError> {
    super::by_ids(c, "satisfaction_ratings", RATING_COLS, ids, rating_row).await
}

pub async fn rating_for_ticket(
    c: &mut Conn<'_>,
    ticket: TicketId,
) -> Result<Option<SatisfactionRating>, StoreError> {
    c.opt(
        q(format!(
            "SELECT {RATING_COLS} FROM satisfaction_ratings WHERE ticket_id = $1"
        ))
        .bind(ticket),
    )
    .await?
    .as_ref()
    .map(rating_row)
    .transpose()
}

/// Ratings of several tickets, for showing them on the tickets.
pub async fn ratings_for_tickets(
    c: &mut Conn<'_>,
    tickets: &[i64],
) -> Result<Vec<SatisfactionRating>, StoreError> {
    if tickets.is_empty() {
        return Ok(vec![]);
    }
    let mut query = q(format!(
        "SELECT {RATING_COLS} FROM satisfaction_ratings WHERE ticket_id IN ({})",
        placeholders(1, tickets.len())
    ));
    query.args = tickets.iter().map(|&i| Value::Int(i)).collect();
    map_rows(c.all(query).await?, rating_row)
}

/// Creates or replaces the rating of a ticket (a customer may change it).
pub async fn upsert_rating(
    c: &mut Conn<'_>,
    r: &SatisfactionRating,
) -> Result<RatingId, StoreError> {
    if let Some(old) = rating_for_ticket(c, r.ticket_id).await? {
        c.exec(
            q("UPDATE satisfaction_ratings SET score = $2, comment = $3, assignee_id = $4, group_id = $5, updated_at = $6, reason_code = $7, channel = $8 WHERE id = $1")
                .bind(old.id)
                .bind(r.score)
                .bind(r.comment.clone())
                .bind(r.assignee_id)
                .bind(r.group_id)
                .bind(r.updated_at)
                .bind(r.reason_code)
                .bind(r.channel),
        )
        .await?;
        return Ok(old.id);
    }
    c.insert(
        q("INSERT INTO satisfaction_ratings (ticket_id, requester_id, assignee_id, group_id, score, comment, created_at, updated_at, reason_code, channel) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id")
            .bind(r.ticket_id)
            .bind(r.requester_id)
            .bind(r.assignee_id)
            .bind(r.group_id)
            .bind(r.score)
            .bind(r.comment.clone())
            .bind(r.created_at)
            .bind(r.updated_at)
            .bind(r.reason_code)
            .bind(r.channel),
    )
    .await
    .map(RatingId)
}
