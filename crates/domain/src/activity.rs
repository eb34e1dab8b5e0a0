//! An agent's activity stream (Zendesk's `activities`): tickets assigned
//! to them by someone else, comments on their tickets, and priorities
//! raised on them — read from the tickets' audits, nothing stored.

use crate::audit::AuditEvent;
use crate::model::Audit;
use crate::{Priority, TicketId, Timestamp, UserId, word_enum};
use serde_json::Value as Json;

word_enum!(
    /// What happened, in Zendesk's words.
    ActivityVerb {
        Assignment = "tickets.assignment",
        Comment = "tickets.comment",
        PriorityIncrease = "tickets.priority_increase",
    }
);

/// The activities one audit can make: an activity's id is its audit's id
/// times this plus its verb's place, so the same activity always has the
/// same id.
const PER_AUDIT: i64 = 4;

/// Something another person did that concerns the agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Activity {
    pub id: i64,
    pub verb: ActivityVerb,
    pub ticket_id: TicketId,
    /// Who did it.
    pub actor_id: UserId,
    /// The agent it concerns.
    pub user_id: UserId,
    pub at: Timestamp,
}

impl Activity {
    /// The audit it was read from.
    pub fn audit_id(&self) -> i64 {
        self.id / PER_AUDIT
    }
}

/// A user id as an audit records it (a number, or a number in text).
fn user_in(v: &Json) -> Option<UserId> {
    match v {
        Json::Number(n) => n.as_i64().map(UserId),
        Json::String(s) => s.parse().ok().map(UserId),
        _ => None,
    }
}

fn priority_in(v: &Json) -> Option<Priority> {
    v.as_str().and_then(|s| s.parse().ok())
}

/// The agent's activities in one ticket's history (oldest audit first),
/// from `since` on: the assignee is followed through the whole history,
/// so a comment counts when the ticket was the agent's at that moment.
pub fn activities(history: &[Audit], agent: UserId, since: Timestamp) -> Vec<Activity> {
    let mut out = Vec::new();
    let mut assignee: Option<UserId> = None;
    for audit in history {
        let mut assigned_now = false;
        let mut commented = false;
        let mut raised = false;
        for e in &audit.events {
            match e {
                AuditEvent::Create { field_name, value }
                | AuditEvent::Change {
                    field_name, value, ..
                } if field_name == "assignee_id" => {
                    assignee = user_in(value);
                    assigned_now = assignee == Some(agent);
                }
                AuditEvent::Change {
                    field_name,
                    value,
                    previous_value,
                } if field_name == "priority" => {
                    raised = match (priority_in(previous_value), priority_in(value)) {
                        (Some(before), Some(after)) => after > before,
                        (None, Some(_)) => true,
                        _ => false,
                    };
                }
                AuditEvent::Comment(c) => commented |= c.author_id != agent,
                _ => {}
            }
        }
        if audit.author_id == agent || audit.created_at < since || assignee != Some(agent) {
            continue;
        }
        let happened = [
            (ActivityVerb::Assignment, assigned_now),
            (ActivityVerb::Comment, commented),
            (ActivityVerb::PriorityIncrease, raised),
        ];
        for (place, (verb, yes)) in happened.into_iter().enumerate() {
            if yes {
                out.push(Activity {
                    id: audit.id.0 * PER_AUDIT + place as i64,
                    verb,
                    ticket_id: audit.ticket_id,
                    actor_id: audit.author_id,
                    user_id: agent,
                    at: audit.created_at,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::CommentEvent;
    use crate::{AuditId, Channel};
    use serde_json::json;

    fn audit(id: i64, by: i64, events: Vec<AuditEvent>) -> Audit {
        Audit {
            id: AuditId(id),
            ticket_id: TicketId(7),
            author_id: UserId(by),
            via: Channel::Web,
            events,
            created_at: Timestamp(id * 10),
        }
    }

    fn change(field: &str, from: Json, to: Json) -> AuditEvent {
        AuditEvent::Change {
            field_name: field.into(),
            value: to,
            previous_value: from,
        }
    }

    fn comment(by: i64) -> AuditEvent {
        AuditEvent::Comment(CommentEvent {
            author_id: UserId(by),
            body: "hola".into(),
            html_body: String::new(),
            plain_body: String::new(),
            public: true,
            attachment_ids: vec![],
        })
    }

    #[test]
    fn what_others_do_to_an_agents_tickets_is_their_activity() {
        let agent = UserId(2);
        let history = [
            audit(1, 9, vec![comment(9)]),
            // The lead assigns it to the agent and raises its priority.
            audit(
                2,
                3,
                vec![
                    change("assignee_id", Json::Null, json!(2)),
                    change("priority", json!("normal"), json!("high")),
                ],
            ),
            // The agent's own reply is not their activity.
            audit(3, 2, vec![comment(2)]),
            audit(4, 9, vec![comment(9)]),
            // Moved away: later comments are someone else's concern.
            audit(5, 3, vec![change("assignee_id", json!(2), json!(4))]),
            audit(6, 9, vec![comment(9)]),
        ];
        let got: Vec<(i64, ActivityVerb)> = activities(&history, agent, Timestamp(0))
            .iter()
            .map(|a| (a.audit_id(), a.verb))
            .collect();
        assert_eq!(
            got,
            [
                (2, ActivityVerb::Assignment),
                (2, ActivityVerb::PriorityIncrease),
                (4, ActivityVerb::Comment)
            ]
        );
        // Only from `since` on.
        assert_eq!(activities(&history, agent, Timestamp(35)).len(), 1);
    }
}
