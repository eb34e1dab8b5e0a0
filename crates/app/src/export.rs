//! Incremental export: every record changed since a point, read from the
//! event log, so an integration sees each change exactly in commit order and
//! never misses the last minute (Zendesk hides it; we need not).

use crate::{App, AppError};
use domain::{Actor, EventId, Timestamp};
use store::events::{self, Entity};
use store::model::{Organization, Ticket, User};
use store::repo::{orgs, tickets, users};

/// Where an export page starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportStart {
    /// The first change at or after this time.
    Time(Timestamp),
    /// Right after this event.
    Cursor(EventId),
}

/// One page of changed records and how to continue.
#[derive(Debug, Clone)]
pub struct ExportPage<T> {
    pub items: Vec<T>,
    /// Continue after this event (also valid on the last page, for polling).
    pub after: EventId,
    /// The time of the last change on this page (or the start time).
    pub end_time: Timestamp,
    pub end_of_stream: bool,
}

/// The opaque cursor clients pass back.
/// Exports are the admins' (every ticket, user and organization): asked
/// before anything else about the request, so others learn nothing.
pub fn may_export(actor: &domain::Actor) -> Result<(), AppError> {
    crate::error::require(actor, domain::policy::Capability::Export)
}

pub fn encode_cursor(e: EventId) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("e:{}", e.0))
}

/// Reads a cursor back; `None` if it is not one of ours.
pub fn decode_cursor(s: &str) -> Option<EventId> {
    use base64::Engine;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s.trim_end_matches('='))
        .ok()?;
    let text = String::from_utf8(raw).ok()?;
    text.strip_prefix("e:")?.parse().ok().map(EventId)
}

impl App {
    async fn changed(
        &self,
        entity: Entity,
        start: ExportStart,
        limit: i64,
    ) -> Result<(Vec<i64>, EventId, Timestamp, bool), AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let (cursor, start_time) = match start {
            ExportStart::Cursor(e) => (e, Timestamp(0)),
            ExportStart::Time(t) => (EventId(events::first_at(c, entity, t).await?.0 - 1), t),
        };
        let rows = events::changed_since(c, entity, cursor, limit).await?;
        let end_of_stream = (rows.len() as i64) < limit;
        let after = rows.last().map_or(cursor, |r| r.1);
        let end_time = rows.last().map_or(start_time, |r| r.2);
        Ok((
            rows.into_iter().map(|r| r.0).collect(),
            after,
            end_time,
            end_of_stream,
        ))
    }

    /// Tickets changed since `start`, deleted ones included (admins only).
    pub async fn export_tickets(
        &self,
        actor: Actor,
        start: ExportStart,
        limit: i64,
    ) -> Result<ExportPage<Ticket>, AppError> {
        may_export(&actor)?;
        let (ids, after, end_time, end_of_stream) =
            self.changed(Entity::Ticket, start, limit).await?;
        let mut rc = self.read().await?;
        let items = tickets::get_many(&mut rc.conn(), &ids, true).await?;
        Ok(ExportPage {
            items,
            after,
            end_time,
            end_of_stream,
        })
    }

    /// Users changed since `start` (admins only).
    pub async fn export_users(
        &self,
        actor: Actor,
        start: ExportStart,
        limit: i64,
    ) -> Result<ExportPage<User>, AppError> {
        may_export(&actor)?;
        let (ids, after, end_time, end_of_stream) =
            self.changed(Entity::User, start, limit).await?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let found = users::get_many(c, &ids).await?;
        let items = users::with_fields(c, found).await?;
        Ok(ExportPage {
            items,
            after,
            end_time,
            end_of_stream,
        })
    }

    /// Organizations changed since `start` (admins only).
    pub async fn export_orgs(
        &self,
        actor: Actor,
        start: ExportStart,
        limit: i64,
    ) -> Result<ExportPage<Organization>, AppError> {
        may_export(&actor)?;
        let (ids, after, end_time, end_of_stream) =
            self.changed(Entity::Organization, start, limit).await?;
        let mut rc = self.read().await?;
        let items = orgs::get_many(&mut rc.conn(), &ids).await?;
        Ok(ExportPage {
            items,
            after,
            end_time,
            end_of_stream,
        })
    }
}

/// One page of the ticket events export: the audits written from a time
/// on, and where the next page starts.
#[derive(Debug, Clone)]
pub struct AuditPage {
    pub audits: Vec<store::model::Audit>,
    /// The next page's `start_time`: the last audit's time.
    pub end_time: Timestamp,
    pub end_of_stream: bool,
}

impl App {
    /// Every ticket's audits written from `start` on (admins): Zendesk's
    /// time-based `incremental/ticket_events`, paged by [`audit_page`].
    pub async fn export_audits(
        &self,
        actor: Actor,
        start: Timestamp,
        limit: i64,
    ) -> Result<AuditPage, AppError> {
        may_export(&actor)?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let (ids, end_time, end_of_stream) = audit_page(c, start, limit).await?;
        let audits = store::repo::comments::audits_many(c, &ids).await?;
        Ok(AuditPage {
            audits,
            end_time,
            end_of_stream,
        })
    }
}

/// The ids of a page of audits written from `start` on, the next page's
/// start and whether this is the last. A full page leaves out the audits
/// that share its last second, for the next page to start there and hold
/// them all, so none is skipped; a second holding more than a page is
/// read whole.
pub(crate) async fn audit_page(
    c: &mut store::Conn<'_>,
    start: Timestamp,
    limit: i64,
) -> Result<(Vec<i64>, Timestamp, bool), AppError> {
    let mut rows = store::repo::comments::audit_ids_since(c, start, limit).await?;
    let end_of_stream = (rows.len() as i64) < limit;
    let mut end_time = rows.last().map_or(start, |r| r.1);
    if !end_of_stream {
        let before_last: Vec<(i64, Timestamp)> =
            rows.iter().copied().filter(|r| r.1 < end_time).collect();
        if before_last.is_empty() {
            // One second holds a page or more: all of it, then on.
            rows = store::repo::comments::audit_ids_at(c, end_time).await?;
            end_time = Timestamp(end_time.0 + 1);
        } else {
            rows = before_last;
        }
    }
    Ok((rows.iter().map(|r| r.0).collect(), end_time, end_of_stream))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_junk() {
        assert_eq!(
            decode_cursor(&encode_cursor(EventId(42))),
            Some(EventId(42))
        );
        assert_eq!(decode_cursor("undefined"), None);
        assert_eq!(decode_cursor(""), None);
    }
}
