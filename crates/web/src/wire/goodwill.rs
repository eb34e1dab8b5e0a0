//! Goodwill gestures on cases (atiende's own resource).

use serde::Serialize;
use utoipa::ToSchema;

/// A goodwill gesture on a case (atiende's own resource).
#[derive(Serialize, ToSchema)]
pub struct GoodwillGesture<'a> {
    pub id: i64,
    pub ticket_id: i64,
    /// The agent who gave it.
    pub agent_id: i64,
    /// `refund`, `discount`, `credit`, `replacement`, `gift` or `other`.
    pub kind: &'static str,
    /// In the currency's units (`"20.50"`); null when no value was stated.
    pub amount: Option<String>,
    /// ISO 4217 (`EUR`).
    pub currency: Option<&'a str>,
    pub reason: &'a str,
    pub created_at: String,
}

pub fn goodwill_gesture(g: &domain::goodwill::Gesture) -> GoodwillGesture<'_> {
    GoodwillGesture {
        id: g.id.0,
        ticket_id: g.ticket_id.0,
        agent_id: g.agent_id.0,
        kind: g.kind.as_str(),
        amount: g.value.as_ref().map(|m| m.amount()),
        currency: g.value.as_ref().map(|m| m.currency.as_str()),
        reason: &g.reason,
        created_at: g.created_at.to_iso(),
    }
}
