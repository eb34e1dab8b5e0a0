//! Records of webhooks as stored and as every crate reads them.

use crate::{OutboundStatus, TicketId, Timestamp, word_enum};

word_enum!(
    /// Whether a webhook is called.
    WebhookStatus {
        Active = "active",
        Inactive = "inactive",
    }
);

word_enum!(
    /// The HTTP method a webhook is called with.
    HttpMethod {
        Post = "POST",
        Put = "PUT",
        Patch = "PATCH",
        Get = "GET",
        Delete = "DELETE",
    }
);

/// A webhook (Zendesk's shape: string ids, endpoint, method, status).
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub endpoint: String,
    pub http_method: HttpMethod,
    pub request_format: String,
    pub status: WebhookStatus,
    /// Signs every request (HMAC-SHA256); shown to admins, never logged.
    pub signing_secret: crate::Secret,
    /// What it is called for: [`TICKET_EVENTS`] (triggers and automations
    /// call it) and any of [`CHAT_EVENTS`], [`SURVEY_EVENTS`] and
    /// [`TREND_EVENTS`].
    pub subscriptions: Vec<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Zendesk's subscription for webhooks that triggers and automations call.
pub const TICKET_EVENTS: &str = "conditional_ticket_events";

/// The chat events a webhook can subscribe to.
pub const CHAT_EVENTS: [&str; 5] = [
    "chat.started",
    "chat.handed_over",
    "chat.accepted",
    "chat.transferred",
    "chat.ended",
];

/// Survey events a webhook may subscribe to: a survey sent, answered (a
/// changed answer is answered again, with the score it replaced).
pub const SURVEY_EVENTS: [&str; 2] = ["survey.sent", "survey.answered"];

/// Trend events: a topic's hourly volume far above its normal level.
pub const TREND_EVENTS: [&str; 1] = ["topic.spike"];

/// Whether `name` is an event a webhook may subscribe to.
pub fn is_subscription(name: &str) -> bool {
    name == TICKET_EVENTS
        || CHAT_EVENTS.contains(&name)
        || SURVEY_EVENTS.contains(&name)
        || TREND_EVENTS.contains(&name)
}

/// One call to make (or made).
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub id: crate::WebhookDeliveryId,
    pub webhook_id: String,
    pub ticket_id: Option<TicketId>,
    pub rule_id: Option<crate::RuleId>,
    pub body: String,
    pub status: OutboundStatus,
    pub attempts: i64,
    pub next_attempt_at: Timestamp,
    /// The HTTP status of the last attempt, if it got one.
    pub last_status: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
}
