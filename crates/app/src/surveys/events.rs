//! Survey events on webhooks (`survey.sent`, `survey.answered`), queued
//! for every active webhook subscribed to them in the write that made
//! them; the webhooks' sender signs, sends and retries them.

use domain::Timestamp;
use domain::survey::{Invitation, Question};
use serde_json::json;
use store::repo::webhooks;
use store::{Conn, StoreError};

/// What happened to a survey.
pub(super) enum SurveyEvent {
    Sent,
    /// An answer given, or changed (`previous`: the score it replaced).
    Answered {
        question: Question,
        score: i64,
        previous: Option<i64>,
        comment: Option<String>,
    },
}

impl SurveyEvent {
    /// The subscription's name (`domain::model::webhooks::SURVEY_EVENTS`).
    fn name(&self) -> &'static str {
        match self {
            SurveyEvent::Sent => "survey.sent",
            SurveyEvent::Answered { .. } => "survey.answered",
        }
    }
}

/// The score as the wire says it: CSAT `good`/`bad`, the others numbers.
fn score_json(question: Question, score: i64) -> serde_json::Value {
    match question {
        Question::Csat => json!(if score == 1 { "good" } else { "bad" }),
        _ => json!(score),
    }
}

/// Queues the event's calls to the webhooks subscribed to it.
pub(super) async fn queue(
    c: &mut Conn<'_>,
    event: SurveyEvent,
    inv: &Invitation,
    now: Timestamp,
) -> Result<(), StoreError> {
    let subscribed = webhooks::subscribed(c, event.name()).await?;
    if subscribed.is_empty() {
        return Ok(());
    }
    let mut detail = json!({
        "survey_id": inv.id.0,
        "kind": inv.kind.as_str(),
        "ticket_id": inv.ticket.map(|t| t.0),
        "user_id": inv.user.0,
        "channel": inv.channel.map(|c| c.as_str()),
        "locale": inv.locale,
        "sent_at": inv.sent_at.to_iso(),
    });
    if let SurveyEvent::Answered {
        question,
        score,
        previous,
        comment,
    } = &event
    {
        detail["question"] = json!(question.as_str());
        detail["score"] = score_json(*question, *score);
        detail["previous_score"] = previous.map_or(json!(null), |p| score_json(*question, p));
        detail["comment"] = json!(comment);
    }
    let body = json!({"type": event.name(), "time": now.to_iso(), "detail": detail}).to_string();
    for id in subscribed {
        webhooks::enqueue(c, &id, inv.ticket, None, &body, now).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_is_one_a_webhook_can_subscribe_to() {
        let answered = SurveyEvent::Answered {
            question: Question::Nps,
            score: 9,
            previous: None,
            comment: None,
        };
        for e in [SurveyEvent::Sent, answered] {
            assert!(domain::model::webhooks::SURVEY_EVENTS.contains(&e.name()));
        }
    }
}
