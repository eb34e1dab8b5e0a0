//! Zendesk's incremental ticket metric events export: each clock of each
//! ticket starting, pausing and being fulfilled, replayed from the audits
//! (nothing more is stored per write).

use crate::export::{audit_page, may_export};
use crate::sla::{caused_events, staff_among};
use crate::{App, AppError};
use domain::metric_events::{MetricEvent, metric_events};
use domain::{Actor, TicketId, Timestamp};
use std::collections::{HashMap, HashSet};

/// How many metric events one audit may cause at most (six clocks, each
/// fulfilled and started again): an event's id is its audit's id times
/// this plus its place among them, stable across reads.
const EVENTS_PER_AUDIT: i64 = 32;

/// A metric event with the ids Zendesk gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketMetricEvent {
    pub id: i64,
    pub ticket_id: TicketId,
    pub event: MetricEvent,
}

/// One page of the export and where the next starts.
#[derive(Debug, Clone)]
pub struct MetricEventPage {
    pub events: Vec<TicketMetricEvent>,
    /// The next page's `start_time`.
    pub end_time: Timestamp,
    pub end_of_stream: bool,
}

impl App {
    /// The metric events caused by the audits written from `start` on
    /// (admins), paged as the ticket events export is: each ticket's whole
    /// history is replayed so a clock's state before the page is known.
    pub async fn export_metric_events(
        &self,
        actor: Actor,
        start: Timestamp,
        limit: i64,
    ) -> Result<MetricEventPage, AppError> {
        may_export(&actor)?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let (ids, end_time, end_of_stream) = audit_page(c, start, limit).await?;
        let on_page: HashSet<i64> = ids.iter().copied().collect();
        let tickets = store::repo::comments::tickets_of_audits(c, &ids).await?;
        let audits = store::repo::comments::audits_of_many(c, &tickets).await?;
        let staff = staff_among(c, &audits).await?;
        let requesters: HashMap<TicketId, domain::UserId> = store::repo::tickets::get_many(
            c,
            &tickets.iter().map(|t| t.0).collect::<Vec<_>>(),
            true,
        )
        .await?
        .into_iter()
        .map(|t| (t.id, t.requester_id))
        .collect();
        let mut events = Vec::new();
        for history in audits.chunk_by(|a, b| a.ticket_id == b.ticket_id) {
            let ticket = history[0].ticket_id;
            let Some(&requester) = requesters.get(&ticket) else {
                continue;
            };
            let caused = caused_events(history, requester, &staff);
            let happenings: Vec<_> = caused.iter().map(|(_, e)| *e).collect();
            let mut place: HashMap<i64, i64> = HashMap::new();
            for event in metric_events(&happenings) {
                let audit = history[caused[event.cause].0].id.0;
                let n = place.entry(audit).or_default();
                *n += 1;
                if on_page.contains(&audit) && *n <= EVENTS_PER_AUDIT {
                    events.push(TicketMetricEvent {
                        id: audit * EVENTS_PER_AUDIT + *n - 1,
                        ticket_id: ticket,
                        event,
                    });
                }
            }
        }
        events.sort_by_key(|e| (e.event.at, e.id));
        Ok(MetricEventPage {
            events,
            end_time,
            end_of_stream,
        })
    }
}
