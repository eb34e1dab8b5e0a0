//! Records of routing as stored and as every crate reads them.

use crate::routing::{Presence, WorkChannel};
use crate::{TicketId, Timestamp, UserId};

/// A routing attribute ("Language", "Product") or one of its values ("Billing").
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub id: String,
    pub name: String,
    /// For a value: its attribute.
    pub attribute_id: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// An agent's routing profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub user_id: UserId,
    /// Lower-case language codes (`es`, `en`).
    pub languages: Vec<String>,
    pub capacity: [u32; 3],
    pub presence: [Presence; 3],
    pub schedule_id: Option<i64>,
    pub last_assigned_at: Option<Timestamp>,
    pub last_active_at: Option<Timestamp>,
    pub updated_at: Timestamp,
}

impl Profile {
    /// A new agent's profile: offline everywhere, default capacities.
    pub fn new(user: UserId, now: Timestamp) -> Profile {
        Profile {
            user_id: user,
            languages: vec![],
            capacity: [10, 3, 1],
            presence: [Presence::Offline; 3],
            schedule_id: None,
            last_assigned_at: None,
            last_active_at: None,
            updated_at: now,
        }
    }
}

/// Where a routed ticket is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteState {
    /// In its group's queue, nobody qualified yet.
    Waiting,
    /// Given to an agent who has not acted on it yet.
    Assigned,
    /// The agent acted; routing is over (until it is routed again).
    Done,
}

impl RouteState {
    pub fn as_str(self) -> &'static str {
        match self {
            RouteState::Waiting => "waiting",
            RouteState::Assigned => "assigned",
            RouteState::Done => "done",
        }
    }

    pub fn parse(s: &str) -> RouteState {
        match s {
            "waiting" => RouteState::Waiting,
            "assigned" => RouteState::Assigned,
            _ => RouteState::Done,
        }
    }
}

/// A routed ticket's place.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub ticket_id: TicketId,
    pub state: RouteState,
    pub group_id: Option<i64>,
    pub channel: WorkChannel,
    pub language: Option<String>,
    pub queued_at: Timestamp,
    pub assigned_at: Option<Timestamp>,
    pub assignee_id: Option<UserId>,
    pub optional_dropped: bool,
    pub escalations: i64,
    pub last_reason: Option<String>,
    pub updated_at: Timestamp,
}
