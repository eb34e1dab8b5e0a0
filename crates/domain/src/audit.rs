//! Audit events: what one change did to a ticket, typed. They are stored
//! and served in Zendesk's shape (`{"type": "Change", "field_name": …}`),
//! which serde reads and writes here; everything else reads the variants.

use crate::{AttachmentId, UserId};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

/// One event of an audit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum AuditEvent {
    /// A field a new ticket was created with.
    Create { field_name: String, value: Json },
    /// A field that changed.
    Change {
        field_name: String,
        value: Json,
        previous_value: Json,
    },
    /// A comment added by this change.
    Comment(CommentEvent),
    /// What routing decided, or why a ticket waits.
    Routing { value: String },
    /// An automation fired.
    Automation { value: String },
    /// An SLA target was missed.
    SlaBreach { metric: String, value: String },
    /// The satisfaction survey offered, answered or its answer changed
    /// (Zendesk's `SatisfactionRating` event: `offered`, `good`, `bad`).
    SatisfactionRating {
        score: String,
        /// The customer's comment.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        assignee_id: Option<UserId>,
        /// The score it replaced, when the customer changed their mind.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        previous_score: Option<String>,
    },
    /// An event of a kind atiende does not write (imported data), kept as
    /// it came.
    #[serde(untagged)]
    Other(Json),
}

/// A comment as its audit event records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentEvent {
    pub author_id: UserId,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub html_body: String,
    #[serde(default)]
    pub plain_body: String,
    #[serde(default = "public_by_default")]
    pub public: bool,
    #[serde(default)]
    pub attachment_ids: Vec<AttachmentId>,
}

fn public_by_default() -> bool {
    true
}

impl AuditEvent {
    /// The field a `Create` or `Change` names.
    pub fn field_name(&self) -> Option<&str> {
        match self {
            AuditEvent::Create { field_name, .. } | AuditEvent::Change { field_name, .. } => {
                Some(field_name)
            }
            _ => None,
        }
    }

    /// Reads a stored list; text that is not one reads as no events (the
    /// ticket still shows, an audit never blocks it).
    pub fn parse_list(text: &str) -> Vec<AuditEvent> {
        serde_json::from_str(text).unwrap_or_default()
    }

    /// The stored form of a list.
    pub fn list_to_string(events: &[AuditEvent]) -> String {
        serde_json::to_string(events).unwrap_or_else(|_| "[]".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn stored_events_read_back_as_they_were_written() {
        let stored = json!([
            {"type": "Create", "field_name": "status", "value": "new"},
            {"type": "Change", "field_name": "assignee_id", "value": 7, "previous_value": null},
            {"type": "Comment", "author_id": 3, "body": "Hola", "html_body": "<p>Hola</p>",
             "plain_body": "Hola", "public": false, "attachment_ids": [9]},
            {"type": "Routing", "value": "assigned to Ana"},
            {"type": "Automation", "value": "automation: cerrar"},
            {"type": "SlaBreach", "metric": "first_reply_time", "value": "SLA breached: first_reply_time"},
            {"type": "Notification", "via": {"channel": "rule"}, "subject": "x"}
        ]);
        let events = AuditEvent::parse_list(&stored.to_string());
        assert_eq!(events.len(), 7);
        assert_eq!(events[0].field_name(), Some("status"));
        assert!(
            matches!(&events[2], AuditEvent::Comment(c) if !c.public && c.attachment_ids == [AttachmentId(9)])
        );
        assert!(matches!(&events[6], AuditEvent::Other(_)));
        let again: Json =
            serde_json::from_str(&AuditEvent::list_to_string(&events)).unwrap_or_default();
        assert_eq!(again, stored);
    }

    #[test]
    fn an_old_comment_event_without_every_field_still_reads() {
        let events =
            AuditEvent::parse_list(r#"[{"type": "Comment", "author_id": 1, "body": "x"}]"#);
        assert!(matches!(&events[0], AuditEvent::Comment(c) if c.public && c.body == "x"));
        assert!(AuditEvent::parse_list("not json").is_empty());
    }
}
