//! Chat events on webhooks: a chat started, handed to people, accepted by
//! an agent, passed on, ended. Each is queued, for every active webhook
//! subscribed to it, in the write that made it (the webhooks' sender signs,
//! sends and retries them as it does triggers' calls).

use domain::Timestamp;
use domain::chat::Conversation;
use serde_json::json;
use store::repo::webhooks;
use store::{Conn, StoreError};

/// What happened to a chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ChatEvent {
    Started,
    HandedOver,
    Accepted,
    Transferred,
    Ended,
}

impl ChatEvent {
    /// The subscription's name (`domain::model::webhooks::CHAT_EVENTS`).
    fn name(self) -> &'static str {
        match self {
            ChatEvent::Started => "chat.started",
            ChatEvent::HandedOver => "chat.handed_over",
            ChatEvent::Accepted => "chat.accepted",
            ChatEvent::Transferred => "chat.transferred",
            ChatEvent::Ended => "chat.ended",
        }
    }
}

/// Queues the event's calls to the webhooks subscribed to it.
pub(super) async fn queue(
    c: &mut Conn<'_>,
    event: ChatEvent,
    conv: &Conversation,
    now: Timestamp,
) -> Result<(), StoreError> {
    let subscribed = webhooks::subscribed(c, event.name()).await?;
    if subscribed.is_empty() {
        return Ok(());
    }
    let a = &conv.attendance;
    let body = json!({
        "type": event.name(),
        "time": now.to_iso(),
        "detail": {
            "conversation_id": conv.id.0,
            "widget_id": conv.widget.0,
            "state": conv.state.as_str(),
            "locale": conv.locale,
            "ticket_id": conv.ticket.map(|t| t.0),
            // What the pre-chat form was given: a claim, not verified.
            "visitor": {"name": conv.name, "email": conv.email, "topic": conv.topic},
            "agent_id": a.agent.map(|u| u.0),
            "offered_to": a.offered_to.map(|u| u.0),
            "by_email": a.by_email,
            "started_at": conv.started_at.to_iso(),
            "ended_at": conv.ended_at.map(|t| t.to_iso()),
        },
    })
    .to_string();
    for id in subscribed {
        webhooks::enqueue(c, &id, conv.ticket, None, &body, now).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_is_one_a_webhook_can_subscribe_to() {
        for e in [
            ChatEvent::Started,
            ChatEvent::HandedOver,
            ChatEvent::Accepted,
            ChatEvent::Transferred,
            ChatEvent::Ended,
        ] {
            assert!(domain::model::webhooks::CHAT_EVENTS.contains(&e.name()));
        }
    }
}
