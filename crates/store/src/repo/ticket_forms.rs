//! Request forms (Zendesk's ticket forms) and the web submissions counted
//! against spam.

use super::map_rows;
use crate::{Conn, Row, StoreError, q};
use domain::form::TicketForm;
use domain::{FieldId, TicketFormId, TicketId, Timestamp};

const COLS: &str = "id, name, display_names, position, active, end_user_visible, is_default, ticket_field_ids, \
                    end_user_conditions, created_at, updated_at";

fn form(r: &Row) -> Result<TicketForm, StoreError> {
    Ok(TicketForm {
        id: TicketFormId(r.int(0)?),
        name: r.text(1)?,
        display_names: serde_json::from_str(&r.text(2)?)
            .map_err(|e| StoreError::Decode(format!("display names: {e}")))?,
        position: r.int(3)?,
        active: r.bool(4)?,
        end_user_visible: r.bool(5)?,
        default: r.bool(6)?,
        ticket_field_ids: r
            .text(7)?
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse()
                    .map(FieldId)
                    .map_err(|_| StoreError::Decode(format!("a form field id {s:?}")))
            })
            .collect::<Result<_, _>>()?,
        end_user_conditions: serde_json::from_str(&r.text(8)?)
            .map_err(|e| StoreError::Decode(format!("conditions: {e}")))?,
        created_at: Timestamp(r.int(9)?),
        updated_at: Timestamp(r.int(10)?),
    })
}

fn values(query: crate::Query, f: &TicketForm) -> crate::Query {
    let ids: Vec<String> = f.ticket_field_ids.iter().map(|i| i.0.to_string()).collect();
    query
        .bind(&f.name)
        .bind(serde_json::to_string(&f.display_names).unwrap_or_else(|_| "{}".into()))
        .bind(f.position)
        .bind(f.active)
        .bind(f.end_user_visible)
        .bind(f.default)
        .bind(ids.join(","))
        .bind(serde_json::to_string(&f.end_user_conditions).unwrap_or_else(|_| "[]".into()))
        .bind(f.updated_at)
}

pub async fn insert(c: &mut Conn<'_>, f: &TicketForm) -> Result<TicketFormId, StoreError> {
    c.insert(
        values(
            q("INSERT INTO ticket_forms (name, display_names, position, active, end_user_visible, is_default, ticket_field_ids, \
               end_user_conditions, updated_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id"),
            f,
        )
        .bind(f.created_at),
    )
    .await
    .map(TicketFormId)
}

pub async fn update(c: &mut Conn<'_>, f: &TicketForm) -> Result<(), StoreError> {
    c.exec(
        values(
            q("UPDATE ticket_forms SET name = $1, display_names = $2, position = $3, active = $4, end_user_visible = $5, \
               is_default = $6, ticket_field_ids = $7, end_user_conditions = $8, updated_at = $9 WHERE id = $10"),
            f,
        )
        .bind(f.id),
    )
    .await?;
    Ok(())
}

/// Makes one form the default (and no other).
pub async fn make_default(c: &mut Conn<'_>, id: TicketFormId) -> Result<(), StoreError> {
    c.exec(q("UPDATE ticket_forms SET is_default = (id = $1)").bind(id))
        .await?;
    Ok(())
}

pub async fn delete(c: &mut Conn<'_>, id: TicketFormId) -> Result<u64, StoreError> {
    c.exec(q("DELETE FROM ticket_forms WHERE id = $1").bind(id))
        .await
}

/// Every form, in order.
pub async fn all(c: &mut Conn<'_>) -> Result<Vec<TicketForm>, StoreError> {
    map_rows(
        c.all(q(format!(
            "SELECT {COLS} FROM ticket_forms ORDER BY position, id"
        )))
        .await?,
        form,
    )
}

pub async fn get(c: &mut Conn<'_>, id: TicketFormId) -> Result<Option<TicketForm>, StoreError> {
    Ok(map_rows(
        c.all(q(format!("SELECT {COLS} FROM ticket_forms WHERE id = $1")).bind(id))
            .await?,
        form,
    )?
    .pop())
}

/// Web submissions from an address, and from a network, since a time.
pub async fn submissions_since(
    c: &mut Conn<'_>,
    email: &str,
    network: &str,
    since: Timestamp,
) -> Result<(i64, i64), StoreError> {
    let by_email = c
        .scalar(
            q("SELECT COUNT(*) FROM web_submissions WHERE email = $1 AND created_at >= $2")
                .bind(email)
                .bind(since),
        )
        .await?;
    let by_network = c
        .scalar(
            q("SELECT COUNT(*) FROM web_submissions WHERE network = $1 AND created_at >= $2")
                .bind(network)
                .bind(since),
        )
        .await?;
    Ok((by_email, by_network))
}

pub async fn record_submission(
    c: &mut Conn<'_>,
    email: &str,
    network: &str,
    ticket: Option<TicketId>,
    now: Timestamp,
) -> Result<(), StoreError> {
    c.exec(
        q("INSERT INTO web_submissions (email, network, ticket_id, created_at) VALUES ($1, $2, $3, $4)")
            .bind(email)
            .bind(network)
            .bind(ticket)
            .bind(now),
    )
    .await?;
    Ok(())
}
