//! Records of sla as stored and as every crate reads them.

use crate::{ScheduleId, SlaPolicyId, TicketId, Timestamp};

/// An SLA policy as stored (filter and metrics as Zendesk-shaped JSON).
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub id: SlaPolicyId,
    pub title: String,
    pub description: Option<String>,
    pub position: i64,
    pub filter: String,
    pub metrics: String,
    /// The schedule business-hours targets use (else the first one).
    pub schedule_id: Option<ScheduleId>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A ticket's SLA clock.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketSla {
    pub ticket_id: TicketId,
    pub policy_id: Option<SlaPolicyId>,
    /// JSON `[[unix_seconds, "happening"], ...]`.
    pub history: String,
    /// JSON of the target states.
    pub targets: String,
    pub next_due_at: Option<Timestamp>,
    pub breach_announced_at: Option<Timestamp>,
    pub updated_at: Timestamp,
}
