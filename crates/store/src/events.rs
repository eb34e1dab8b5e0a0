//! The event log. Every write appends its events here inside its own
//! transaction; live updates, incremental export and (later) webhooks and
//! metrics read forward from a cursor. On PostgreSQL appenders take an
//! advisory lock so ids are committed in order, and a NOTIFY wakes the other
//! nodes, whose listener bumps their local watch.

use crate::{Backend, Conn, StoreError, q};
use domain::{AuditId, EventId, Timestamp, UserId};
use sqlx::PgPool;
use sqlx::postgres::PgListener;
use std::time::Duration;
use tokio::sync::watch;

/// The channel other nodes LISTEN on.
pub const CHANNEL: &str = "atiende_events";

/// The channel for short-lived signals between nodes that are not stored
/// (who is viewing which ticket): a payload is a small JSON text.
pub const SIGNALS: &str = "atiende_signals";

/// What kind of record an event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Ticket,
    User,
    Organization,
    Group,
    Field,
}

impl Entity {
    fn as_str(self) -> &'static str {
        match self {
            Entity::Ticket => "ticket",
            Entity::User => "user",
            Entity::Organization => "organization",
            Entity::Group => "group",
            Entity::Field => "field",
        }
    }
}

/// What happened to the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Created,
    Updated,
    Deleted,
    Merged,
}

impl EventKind {
    fn as_str(self) -> &'static str {
        match self {
            EventKind::Created => "created",
            EventKind::Updated => "updated",
            EventKind::Deleted => "deleted",
            EventKind::Merged => "merged",
        }
    }
}

/// One change to append.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub entity: Entity,
    pub entity_id: i64,
    pub kind: EventKind,
    pub audit: Option<AuditId>,
    pub actor: Option<UserId>,
    pub at: Timestamp,
}

/// Appends an event inside the caller's transaction.
pub async fn append(c: &mut Conn<'_>, e: NewEvent) -> Result<EventId, StoreError> {
    if c.backend() == Backend::Postgres {
        c.exec(q("SELECT pg_advisory_xact_lock(7261002)")).await?;
        c.exec(q("SELECT pg_notify($1, '')").bind(CHANNEL)).await?;
    }
    let id = c
        .insert(
            q("INSERT INTO events (entity, entity_id, kind, audit_id, actor_id, at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
                .bind(e.entity.as_str())
                .bind(e.entity_id)
                .bind(e.kind.as_str())
                .bind(e.audit)
                .bind(e.actor)
                .bind(e.at),
        )
        .await?;
    Ok(EventId(id))
}

/// The id of the first event at or after `at`, for exports that start from a
/// time rather than a cursor.
pub async fn first_at(
    c: &mut Conn<'_>,
    entity: Entity,
    at: Timestamp,
) -> Result<EventId, StoreError> {
    let row = c
        .one(q("SELECT COALESCE(MIN(id), (SELECT COALESCE(MAX(id), 0) + 1 FROM events)) FROM events WHERE entity = $1 AND at >= $2")
            .bind(entity.as_str())
            .bind(at))
        .await?;
    Ok(EventId(row.int(0)?))
}

/// The entities changed after `cursor`, each once at its latest event, oldest
/// first: `(entity_id, last event id, last event time)`.
pub async fn changed_since(
    c: &mut Conn<'_>,
    entity: Entity,
    cursor: EventId,
    limit: i64,
) -> Result<Vec<(i64, EventId, Timestamp)>, StoreError> {
    let rows = c
        .all(q("SELECT entity_id, MAX(id) AS last, MAX(at) FROM events WHERE entity = $1 AND id > $2 GROUP BY entity_id ORDER BY last LIMIT $3")
            .bind(entity.as_str())
            .bind(cursor)
            .bind(limit))
        .await?;
    rows.iter()
        .map(|r| Ok((r.int(0)?, EventId(r.int(1)?), Timestamp(r.int(2)?))))
        .collect()
}

/// One ticket event as live consumers see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketEvent {
    pub id: EventId,
    pub ticket: domain::TicketId,
    pub kind: String,
    pub actor: Option<UserId>,
}

/// Ticket events after `cursor`, oldest first, for live pages that follow
/// the log (and catch up after a lost connection).
pub async fn ticket_events_after(
    c: &mut Conn<'_>,
    cursor: EventId,
    limit: i64,
) -> Result<Vec<TicketEvent>, StoreError> {
    let rows = c
        .all(q("SELECT id, entity_id, kind, actor_id FROM events WHERE entity = 'ticket' AND id > $1 ORDER BY id LIMIT $2")
            .bind(cursor)
            .bind(limit))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(TicketEvent {
                id: EventId(r.int(0)?),
                ticket: domain::TicketId(r.int(1)?),
                kind: r.text(2)?,
                actor: r.opt_int(3)?.map(UserId),
            })
        })
        .collect()
}

/// The newest event id, where a live page starts following.
pub async fn last_id(c: &mut Conn<'_>) -> Result<EventId, StoreError> {
    Ok(EventId(
        c.scalar(q("SELECT COALESCE(MAX(id), 0) FROM events"))
            .await?,
    ))
}

/// Starts a task that LISTENs for other nodes' commits (bumping `tx`) and
/// signals (forwarded to `signals`); it reconnects after a lost connection
/// and bumps once more so consumers re-read whatever they may have missed.
pub(crate) fn spawn_pg_listener(
    pool: PgPool,
    tx: watch::Sender<u64>,
    signals: tokio::sync::broadcast::Sender<String>,
) {
    tokio::spawn(async move {
        loop {
            match PgListener::connect_with(&pool).await {
                Ok(mut l) => {
                    if l.listen_all([CHANNEL, SIGNALS]).await.is_ok() {
                        tx.send_modify(|n| *n += 1);
                        while let Ok(n) = l.recv().await {
                            if n.channel() == SIGNALS {
                                let _ = signals.send(n.payload().to_string());
                            } else {
                                tx.send_modify(|n| *n += 1);
                            }
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e, "event listener could not connect"),
            }
            if pool.is_closed() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    });
}
