//! Outgoing webhooks and their delivery log: each call a trigger makes is
//! queued here in the same transaction as the ticket change, then sent,
//! signed and retried with backoff by the sender; every attempt's outcome
//! stays for the admin page.

use super::map_rows;
use crate::{Conn, Row, StoreError, q};
pub use domain::model::webhooks::{Delivery, Webhook};
use domain::{OutboundStatus, RuleId, TicketId, Timestamp, WebhookDeliveryId};

const COLS: &str = "id, name, description, endpoint, http_method, request_format, status, signing_secret, created_at, updated_at, subscriptions";

fn from_row(r: &Row) -> Result<Webhook, StoreError> {
    Ok(Webhook {
        id: r.text(0)?,
        name: r.text(1)?,
        description: r.opt_text(2)?,
        endpoint: r.text(3)?,
        http_method: r.word(4)?,
        request_format: r.text(5)?,
        status: r.word(6)?,
        signing_secret: domain::Secret::new(r.text(7)?),
        created_at: Timestamp(r.int(8)?),
        updated_at: Timestamp(r.int(9)?),
        subscriptions: serde_json::from_str(&r.text(10)?).unwrap_or_default(),
    })
}

pub async fn insert(c: &mut Conn<'_>, w: &Webhook) -> Result<(), StoreError> {
    c.exec(
        q("INSERT INTO webhooks (id, name, description, endpoint, http_method, request_format, status, signing_secret, created_at, updated_at, subscriptions) \
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
            .bind(w.id.as_str())
            .bind(w.name.as_str())
            .bind(w.description.clone())
            .bind(w.endpoint.as_str())
            .bind(w.http_method)
            .bind(w.request_format.as_str())
            .bind(w.status)
            .bind(w.signing_secret.expose())
            .bind(w.created_at)
            .bind(w.updated_at)
            .bind(subscriptions(w)),
    )
    .await?;
    Ok(())
}

fn subscriptions(w: &Webhook) -> String {
    serde_json::to_string(&w.subscriptions).unwrap_or_else(|_| "[]".into())
}

pub async fn update(c: &mut Conn<'_>, w: &Webhook) -> Result<u64, StoreError> {
    c.exec(
        q("UPDATE webhooks SET name = $2, description = $3, endpoint = $4, http_method = $5, request_format = $6, status = $7, signing_secret = $8, updated_at = $9, subscriptions = $10 WHERE id = $1")
            .bind(w.id.as_str())
            .bind(w.name.as_str())
            .bind(w.description.clone())
            .bind(w.endpoint.as_str())
            .bind(w.http_method)
            .bind(w.request_format.as_str())
            .bind(w.status)
            .bind(w.signing_secret.expose())
            .bind(w.updated_at)
            .bind(subscriptions(w)),
    )
    .await
}

pub async fn delete(c: &mut Conn<'_>, id: &str) -> Result<u64, StoreError> {
    c.exec(q("DELETE FROM webhooks WHERE id = $1").bind(id))
        .await
}

pub async fn get(c: &mut Conn<'_>, id: &str) -> Result<Option<Webhook>, StoreError> {
    c.opt(q(format!("SELECT {COLS} FROM webhooks WHERE id = $1")).bind(id))
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

pub async fn all(c: &mut Conn<'_>) -> Result<Vec<Webhook>, StoreError> {
    map_rows(
        c.all(q(format!(
            "SELECT {COLS} FROM webhooks ORDER BY created_at, id"
        )))
        .await?,
        from_row,
    )
}

/// The ids of the active webhooks subscribed to an event (`chat.ended`,
/// `survey.answered`).
pub async fn subscribed(c: &mut Conn<'_>, event: &str) -> Result<Vec<String>, StoreError> {
    Ok(all(c)
        .await?
        .into_iter()
        .filter(|w| w.status == domain::model::webhooks::WebhookStatus::Active)
        .filter(|w| w.subscriptions.iter().any(|s| s == event))
        .map(|w| w.id)
        .collect())
}

const DCOLS: &str = "id, webhook_id, ticket_id, rule_id, body, status, attempts, next_attempt_at, last_status, last_error, created_at, sent_at";

fn delivery_from_row(r: &Row) -> Result<Delivery, StoreError> {
    Ok(Delivery {
        id: WebhookDeliveryId(r.int(0)?),
        webhook_id: r.text(1)?,
        ticket_id: r.opt_int(2)?.map(TicketId),
        rule_id: r.opt_int(3)?.map(RuleId),
        body: r.text(4)?,
        status: r.word(5)?,
        attempts: r.int(6)?,
        next_attempt_at: Timestamp(r.int(7)?),
        last_status: r.opt_int(8)?,
        last_error: r.opt_text(9)?,
        created_at: Timestamp(r.int(10)?),
        sent_at: r.opt_int(11)?.map(Timestamp),
    })
}

/// Queues a call inside the caller's transaction.
pub async fn enqueue(
    c: &mut Conn<'_>,
    webhook: &str,
    ticket: Option<TicketId>,
    rule: Option<RuleId>,
    body: &str,
    now: Timestamp,
) -> Result<WebhookDeliveryId, StoreError> {
    c.insert(
        q("INSERT INTO webhook_deliveries (webhook_id, ticket_id, rule_id, body, status, attempts, next_attempt_at, created_at) \
           VALUES ($1, $2, $3, $4, $5, 0, $6, $6) RETURNING id")
            .bind(webhook)
            .bind(ticket)
            .bind(rule)
            .bind(body)
            .bind(OutboundStatus::Queued)
            .bind(now),
    )
    .await
    .map(WebhookDeliveryId)
}

/// Queued calls whose time has come (candidates to claim).
pub async fn due(
    c: &mut Conn<'_>,
    now: Timestamp,
    limit: i64,
) -> Result<Vec<Delivery>, StoreError> {
    map_rows(
        c.all(
            q(format!(
                "SELECT {DCOLS} FROM webhook_deliveries WHERE status = $1 AND next_attempt_at <= $2 AND (claimed_until IS NULL OR claimed_until < $2) ORDER BY id LIMIT $3"
            ))
            .bind(OutboundStatus::Queued)
            .bind(now)
            .bind(limit),
        )
        .await?,
        delivery_from_row,
    )
}

/// Records an attempt: sent, retry at `next`, or failed for good.
pub async fn attempted(
    c: &mut Conn<'_>,
    id: WebhookDeliveryId,
    status: Option<i64>,
    error: Option<&str>,
    outcome: OutboundStatus,
    next: Option<Timestamp>,
    now: Timestamp,
) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = $2, last_error = $3, status = $4, next_attempt_at = COALESCE($5, next_attempt_at), \
           claimed_until = NULL, sent_at = CASE WHEN $4 = 'sent' THEN $6 ELSE sent_at END WHERE id = $1")
            .bind(id)
            .bind(status)
            .bind(error)
            .bind(outcome)
            .bind(next)
            .bind(now),
    )
    .await?;
    Ok(())
}

/// A webhook's calls, newest first (the admin's delivery log).
pub async fn deliveries(
    c: &mut Conn<'_>,
    webhook: &str,
    limit: i64,
) -> Result<Vec<Delivery>, StoreError> {
    map_rows(
        c.all(
            q(format!(
                "SELECT {DCOLS} FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2"
            ))
            .bind(webhook)
            .bind(limit),
        )
        .await?,
        delivery_from_row,
    )
}
