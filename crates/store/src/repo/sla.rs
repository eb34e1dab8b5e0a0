//! SLA policies and each ticket's SLA clock (its history, target states and
//! next due instant).

use super::map_rows;
use crate::{Conn, Row, StoreError, q};
pub use domain::model::sla::{Policy, TicketSla};
use domain::{ScheduleId, SlaPolicyId, TicketId, Timestamp};

const COLS: &str =
    "id, title, description, position, filter, metrics, schedule_id, created_at, updated_at";

fn from_row(r: &Row) -> Result<Policy, StoreError> {
    Ok(Policy {
        id: SlaPolicyId(r.int(0)?),
        title: r.text(1)?,
        description: r.opt_text(2)?,
        position: r.int(3)?,
        filter: r.text(4)?,
        metrics: r.text(5)?,
        schedule_id: r.opt_int(6)?.map(ScheduleId),
        created_at: Timestamp(r.int(7)?),
        updated_at: Timestamp(r.int(8)?),
    })
}

pub async fn insert(c: &mut Conn<'_>, p: &Policy) -> Result<SlaPolicyId, StoreError> {
    c.insert(
        q("INSERT INTO sla_policies (title, description, position, filter, metrics, schedule_id, created_at, updated_at) \
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
            .bind(p.title.as_str())
            .bind(p.description.clone())
            .bind(p.position)
            .bind(p.filter.as_str())
            .bind(p.metrics.as_str())
            .bind(p.schedule_id)
            .bind(p.created_at)
            .bind(p.updated_at),
    )
    .await
    .map(SlaPolicyId)
}

pub async fn update(c: &mut Conn<'_>, p: &Policy) -> Result<u64, StoreError> {
    c.exec(
        q("UPDATE sla_policies SET title = $2, description = $3, position = $4, filter = $5, metrics = $6, schedule_id = $7, updated_at = $8 WHERE id = $1")
            .bind(p.id)
            .bind(p.title.as_str())
            .bind(p.description.clone())
            .bind(p.position)
            .bind(p.filter.as_str())
            .bind(p.metrics.as_str())
            .bind(p.schedule_id)
            .bind(p.updated_at),
    )
    .await
}

pub async fn delete(c: &mut Conn<'_>, id: SlaPolicyId) -> Result<u64, StoreError> {
    c.exec(q("DELETE FROM sla_policies WHERE id = $1").bind(id))
        .await
}

pub async fn get(c: &mut Conn<'_>, id: SlaPolicyId) -> Result<Option<Policy>, StoreError> {
    c.opt(q(format!("SELECT {COLS} FROM sla_policies WHERE id = $1")).bind(id))
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// Every policy in the order they are tried (the first that matches wins).
pub async fn all(c: &mut Conn<'_>) -> Result<Vec<Policy>, StoreError> {
    map_rows(
        c.all(q(format!(
            "SELECT {COLS} FROM sla_policies ORDER BY position, id"
        )))
        .await?,
        from_row,
    )
}

const SLA_COLS: &str =
    "ticket_id, policy_id, history, targets, next_due_at, breach_announced_at, updated_at";

fn sla_from_row(r: &Row) -> Result<TicketSla, StoreError> {
    Ok(TicketSla {
        ticket_id: TicketId(r.int(0)?),
        policy_id: r.opt_int(1)?.map(SlaPolicyId),
        history: r.text(2)?,
        targets: r.text(3)?,
        next_due_at: r.opt_int(4)?.map(Timestamp),
        breach_announced_at: r.opt_int(5)?.map(Timestamp),
        updated_at: Timestamp(r.int(6)?),
    })
}

pub async fn ticket_sla(
    c: &mut Conn<'_>,
    ticket: TicketId,
) -> Result<Option<TicketSla>, StoreError> {
    c.opt(
        q(format!(
            "SELECT {SLA_COLS} FROM ticket_slas WHERE ticket_id = $1"
        ))
        .bind(ticket),
    )
    .await?
    .as_ref()
    .map(sla_from_row)
    .transpose()
}

/// The SLA clocks of several tickets (views and queues show them).
pub async fn ticket_slas(c: &mut Conn<'_>, tickets: &[i64]) -> Result<Vec<TicketSla>, StoreError> {
    if tickets.is_empty() {
        return Ok(vec![]);
    }
    let mut query = q(format!(
        "SELECT {SLA_COLS} FROM ticket_slas WHERE ticket_id IN ({})",
        crate::paging::placeholders(1, tickets.len())
    ));
    query.args = tickets.iter().map(|&i| crate::Value::Int(i)).collect();
    map_rows(c.all(query).await?, sla_from_row)
}

/// Writes a ticket's SLA clock.
pub async fn save_ticket_sla(c: &mut Conn<'_>, s: &TicketSla) -> Result<(), StoreError> {
    c.exec(
        q("INSERT INTO ticket_slas (ticket_id, policy_id, history, targets, next_due_at, breach_announced_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
           ON CONFLICT (ticket_id) DO UPDATE SET policy_id = $2, history = $3, targets = $4, next_due_at = $5, breach_announced_at = $6, updated_at = $7")
            .bind(s.ticket_id)
            .bind(s.policy_id)
            .bind(s.history.as_str())
            .bind(s.targets.as_str())
            .bind(s.next_due_at)
            .bind(s.breach_announced_at)
            .bind(s.updated_at),
    )
    .await?;
    Ok(())
}

/// Tickets whose next target is past due and not yet announced.
pub async fn breached(
    c: &mut Conn<'_>,
    now: Timestamp,
    limit: i64,
) -> Result<Vec<TicketSla>, StoreError> {
    map_rows(
        c.all(
            q(format!(
                "SELECT {SLA_COLS} FROM ticket_slas WHERE next_due_at <= $1 AND (breach_announced_at IS NULL OR breach_announced_at < next_due_at) \
                 ORDER BY next_due_at LIMIT $2"
            ))
            .bind(now)
            .bind(limit),
        )
        .await?,
        sla_from_row,
    )
}

/// Records that the breach at `due` was announced (unless someone else
/// did) and moves the clock on to the next target's due instant, `next`.
pub async fn announce_breach(
    c: &mut Conn<'_>,
    ticket: TicketId,
    due: Timestamp,
    next: Option<Timestamp>,
) -> Result<bool, StoreError> {
    let n = c
        .exec(
            q("UPDATE ticket_slas SET breach_announced_at = $2, next_due_at = $3 WHERE ticket_id = $1 AND next_due_at = $2 \
               AND (breach_announced_at IS NULL OR breach_announced_at < $2)")
                .bind(ticket)
                .bind(due)
                .bind(next),
        )
        .await?;
    Ok(n == 1)
}
