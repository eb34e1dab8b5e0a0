//! Triggers and automations (Zendesk's business rules), as stored: their
//! conditions and actions are Zendesk-shaped JSON the app checks on write.
//! Also the record that keeps an automation firing once per ticket state.

use super::map_rows;
use crate::{Conn, Row, StoreError, q};
pub use domain::model::business_rules::{Rule, RuleKind};
use domain::{RuleId, TicketId, Timestamp};

const COLS: &str = "id, kind, title, description, active, position, conditions, actions, builtin, created_at, updated_at";

fn from_row(r: &Row) -> Result<Rule, StoreError> {
    let kind = match r.text(1)?.as_str() {
        "automation" => RuleKind::Automation,
        _ => RuleKind::Trigger,
    };
    Ok(Rule {
        id: RuleId(r.int(0)?),
        kind,
        title: r.text(2)?,
        description: r.opt_text(3)?,
        active: r.bool(4)?,
        position: r.int(5)?,
        conditions: r.text(6)?,
        actions: r.text(7)?,
        builtin: r.opt_text(8)?,
        created_at: Timestamp(r.int(9)?),
        updated_at: Timestamp(r.int(10)?),
    })
}

pub async fn insert(c: &mut Conn<'_>, r: &Rule) -> Result<RuleId, StoreError> {
    c.insert(
        q("INSERT INTO business_rules (kind, title, description, active, position, conditions, actions, builtin, created_at, updated_at) \
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id")
            .bind(r.kind.as_str())
            .bind(r.title.as_str())
            .bind(r.description.clone())
            .bind(r.active)
            .bind(r.position)
            .bind(r.conditions.as_str())
            .bind(r.actions.as_str())
            .bind(r.builtin.clone())
            .bind(r.created_at)
            .bind(r.updated_at),
    )
    .await
    .map(RuleId)
}

pub async fn update(c: &mut Conn<'_>, r: &Rule) -> Result<u64, StoreError> {
    c.exec(
        q("UPDATE business_rules SET title = $3, description = $4, active = $5, position = $6, conditions = $7, actions = $8, updated_at = $9 \
           WHERE id = $1 AND kind = $2")
            .bind(r.id)
            .bind(r.kind.as_str())
            .bind(r.title.as_str())
            .bind(r.description.clone())
            .bind(r.active)
            .bind(r.position)
            .bind(r.conditions.as_str())
            .bind(r.actions.as_str())
            .bind(r.updated_at),
    )
    .await
}

pub async fn delete(c: &mut Conn<'_>, kind: RuleKind, id: RuleId) -> Result<u64, StoreError> {
    c.exec(
        q("DELETE FROM business_rules WHERE id = $1 AND kind = $2")
            .bind(id)
            .bind(kind.as_str()),
    )
    .await
}

pub async fn get(c: &mut Conn<'_>, kind: RuleKind, id: RuleId) -> Result<Option<Rule>, StoreError> {
    c.opt(
        q(format!(
            "SELECT {COLS} FROM business_rules WHERE id = $1 AND kind = $2"
        ))
        .bind(id)
        .bind(kind.as_str()),
    )
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// Every rule of a kind, in the order they run.
pub async fn all(c: &mut Conn<'_>, kind: RuleKind) -> Result<Vec<Rule>, StoreError> {
    map_rows(
        c.all(
            q(format!(
                "SELECT {COLS} FROM business_rules WHERE kind = $1 ORDER BY position, id"
            ))
            .bind(kind.as_str()),
        )
        .await?,
        from_row,
    )
}

/// Whether a built-in rule was ever made (it is made once; an admin may
/// delete it for good).
pub async fn builtin_exists(c: &mut Conn<'_>, name: &str) -> Result<bool, StoreError> {
    Ok(
        c.opt(q("SELECT 1 FROM business_rules WHERE builtin = $1").bind(name))
            .await?
            .is_some(),
    )
}

/// Records that an automation fired on a ticket at this version; false if
/// it already had (another node, or an earlier pass).
pub async fn record_firing(
    c: &mut Conn<'_>,
    rule: RuleId,
    ticket: TicketId,
    version: Timestamp,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let n = c
        .exec(
            q("INSERT INTO automation_firings (rule_id, ticket_id, version, fired_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
                .bind(rule)
                .bind(ticket)
                .bind(version)
                .bind(at),
        )
        .await?;
    Ok(n == 1)
}

/// Whether an automation already fired on this ticket version.
pub async fn fired(
    c: &mut Conn<'_>,
    rule: RuleId,
    ticket: TicketId,
    version: Timestamp,
) -> Result<bool, StoreError> {
    Ok(c
        .opt(
            q("SELECT 1 FROM automation_firings WHERE rule_id = $1 AND ticket_id = $2 AND version = $3")
                .bind(rule)
                .bind(ticket)
                .bind(version),
        )
        .await?
        .is_some())
}
