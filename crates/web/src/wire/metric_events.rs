//! Ticket metric events as Zendesk's incremental export gives them.

use serde::Serialize;
use utoipa::ToSchema;

/// A ticket's clock starting, pausing or being fulfilled.
#[derive(Serialize, ToSchema)]
pub struct TicketMetricEvent {
    pub id: i64,
    pub ticket_id: i64,
    /// agent_work_time, pausable_update_time, periodic_update_time,
    /// reply_time, requester_wait_time or resolution_time.
    pub metric: &'static str,
    /// Which wait of the clock (reply_time counts each reply awaited).
    pub instance_id: i64,
    /// activate, pause or fulfill.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub time: String,
}

pub fn ticket_metric_event(e: &app::metric_events::TicketMetricEvent) -> TicketMetricEvent {
    TicketMetricEvent {
        id: e.id,
        ticket_id: e.ticket_id.0,
        metric: e.event.clock.as_str(),
        instance_id: e.event.instance,
        kind: e.event.kind.as_str(),
        time: e.event.at.to_iso(),
    }
}
