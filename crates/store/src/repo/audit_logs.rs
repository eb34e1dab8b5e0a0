//! The admins' audit log (`audit_logs`): appended inside the change's
//! transaction, listed newest or oldest first with Zendesk's filters.

use crate::paging::{Paged, Paging, page_ids, placeholders};
use crate::{Conn, StoreError, Value, q};
use domain::audit_log::{AdminChange, AuditLogEntry, AuditLogFilter};
use domain::{Timestamp, UserId};

pub async fn append(
    c: &mut Conn<'_>,
    actor: UserId,
    change: &AdminChange,
    at: Timestamp,
) -> Result<(), StoreError> {
    c.insert(
        q("INSERT INTO audit_logs (actor_id, action, source_type, source_id, source_label, created_at) \
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(actor)
        .bind(change.action)
        .bind(change.source)
        .bind(change.source_id)
        .bind(change.label.clone())
        .bind(at),
    )
    .await?;
    Ok(())
}

/// A page of the entries the filter admits, by id.
pub async fn page(
    c: &mut Conn<'_>,
    f: &AuditLogFilter,
    paging: Paging,
) -> Result<Paged, StoreError> {
    let mut cond = String::from("audit_logs t WHERE 1 = 1");
    let mut args: Vec<Value> = Vec::new();
    let mut add = |sql: &str, v: Value| {
        args.push(v);
        cond.push_str(&sql.replace('?', &format!("${}", args.len())));
    };
    if let Some(s) = f.source {
        add(" AND t.source_type = ?", s.into());
    }
    if let Some(id) = f.source_id {
        add(" AND t.source_id = ?", Value::Int(id));
    }
    if let Some(a) = f.actor_id {
        add(" AND t.actor_id = ?", a.into());
    }
    if let Some(a) = f.action {
        add(" AND t.action = ?", a.into());
    }
    if let Some(from) = f.from {
        add(" AND t.created_at >= ?", from.into());
    }
    if let Some(to) = f.to {
        add(" AND t.created_at <= ?", to.into());
    }
    page_ids(c, &cond, args, paging).await
}

/// The entries with these ids, by id.
pub async fn get_many(c: &mut Conn<'_>, ids: &[i64]) -> Result<Vec<AuditLogEntry>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut query = q(format!(
        "SELECT id, actor_id, action, source_type, source_id, source_label, created_at \
         FROM audit_logs WHERE id IN ({}) ORDER BY id",
        placeholders(1, ids.len())
    ));
    query.args = ids.iter().map(|&i| Value::Int(i)).collect();
    c.all(query)
        .await?
        .iter()
        .map(|r| {
            Ok(AuditLogEntry {
                id: r.int(0)?,
                actor_id: UserId(r.int(1)?),
                change: AdminChange {
                    action: r.word(2)?,
                    source: r.word(3)?,
                    source_id: r.int(4)?,
                    label: r.text(5)?,
                },
                created_at: Timestamp(r.int(6)?),
            })
        })
        .collect()
}
