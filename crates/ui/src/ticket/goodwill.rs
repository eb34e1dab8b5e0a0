//! Goodwill gestures on the ticket page: what was given on this case, and
//! the form to record one (its internal note lands in the timeline).

use super::*;
use app::goodwill::GestureInput;
use domain::goodwill::{Gesture, GestureKind};

/// One gesture as the panel lists it.
pub struct GestureRow {
    pub kind: &'static str,
    /// "20.00 EUR", or nothing when no value was stated.
    pub value: String,
    pub reason: String,
    pub at: String,
}

/// A kind in the agent's words.
pub fn kind_name(t: &Text, k: GestureKind) -> &'static str {
    match k {
        GestureKind::Refund => t.goodwill_refund,
        GestureKind::Discount => t.goodwill_discount,
        GestureKind::Credit => t.goodwill_credit,
        GestureKind::Replacement => t.goodwill_replacement,
        GestureKind::Gift => t.goodwill_gift,
        GestureKind::Other => t.goodwill_other,
    }
}

/// Every kind for the form's choice: (word, name).
pub(super) fn kinds(t: &Text) -> Vec<(&'static str, &'static str)> {
    GestureKind::ALL
        .iter()
        .map(|k| (k.as_str(), kind_name(t, *k)))
        .collect()
}

/// The case's gestures, oldest first.
pub(super) async fn rows(
    ui: &Ui,
    agent: &Agent,
    id: TicketId,
) -> Result<Vec<GestureRow>, AppError> {
    let t = agent.t();
    let clock = Clock::new(&agent.user.time_zone);
    Ok(ui
        .app
        .ticket_gestures(agent.user.actor, id)
        .await?
        .into_iter()
        .map(|g: Gesture| GestureRow {
            kind: kind_name(t, g.kind),
            value: g.value.map_or(String::new(), |m| {
                format!("{} {}", m.amount(), m.currency.as_str())
            }),
            reason: g.reason,
            at: clock.show(g.created_at).0,
        })
        .collect())
}

/// `POST /agent/tickets/{id}/goodwill`: records a gesture; a refused one
/// comes back as a page that says what to mend.
pub async fn record(
    State(ui): State<Ui>,
    Path(raw): Path<String>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let inner = async {
        let id = ticket_id(&raw)?;
        let field = |k: &str| form.get(k).unwrap_or("").to_string();
        let input = GestureInput {
            kind: field("kind"),
            amount: field("amount"),
            currency: field("currency"),
            reason: field("reason"),
        };
        ui.app.record_gesture(agent.user.actor, id, input).await?;
        Ok::<_, AppError>(
            Redirect::to(&format!(
                "/agent/tickets/{}?done=goodwill#goodwill-title",
                id.0
            ))
            .into_response(),
        )
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}
