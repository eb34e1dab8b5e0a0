//! Calls on the ticket page: each call is an entry of the timeline
//! (direction, numbers, agent, length, outcome, its recording to play and
//! its transcription), a callback request has a "call back" button, and
//! agents call the customer from the customer panel (click-to-call).

use super::*;
use domain::CallId;
use domain::calls::{Call, CallDirection, CallOutcome};

/// One call as the timeline shows it.
pub struct CallEntry {
    pub id: i64,
    /// "Incoming call" / "Outgoing call".
    pub title: &'static str,
    /// "+34600112233 → +15005550006".
    pub numbers: String,
    pub outcome: &'static str,
    /// "3 min 12 s".
    pub length: Option<String>,
    pub agent: Option<String>,
    /// Where its recording plays, once it is ours.
    pub recording: Option<String>,
    /// Where the phone system that reported it keeps its recording (a
    /// link out: it is not ours to play).
    pub recording_elsewhere: Option<String>,
    pub transcription: Option<String>,
    /// A callback request: where the agent calls back from here.
    pub call_back: Option<String>,
}

fn outcome(t: &Text, o: Option<CallOutcome>) -> &'static str {
    match o {
        Some(CallOutcome::Answered) => t.call_answered,
        Some(CallOutcome::Missed) => t.call_missed,
        Some(CallOutcome::Voicemail) => t.call_voicemail,
        Some(CallOutcome::Abandoned) => t.call_abandoned,
        Some(CallOutcome::Callback) => t.call_callback,
        None => t.call_live,
    }
}

/// The case's calls as timeline entries, each with its time, for merging
/// into the audits' entries.
pub(super) async fn call_entries(
    ui: &Ui,
    agent: &Agent,
    id: TicketId,
) -> Result<Vec<(i64, Entry)>, AppError> {
    let actor = agent.user.actor;
    let t = agent.t();
    let clock = Clock::new(&agent.user.time_zone);
    let calls = ui.app.ticket_calls(actor, id).await?;
    let agents: Vec<domain::UserId> = calls.iter().filter_map(|(k, _)| k.agent).collect();
    let names = names(&ui.app.users_by_ids(actor, &agents).await?);
    // Asked only when a callback request could show the button.
    let asked_back = calls
        .iter()
        .any(|(k, _)| k.outcome == Some(CallOutcome::Callback));
    let can_call = asked_back && ui.app.can_place_calls().await?;
    Ok(calls
        .into_iter()
        .map(|(k, fetched): (Call, bool)| {
            let (at, at_iso) = clock.show(k.started_at);
            let agent_name = k.agent.and_then(|a| names.get(&a.0).cloned());
            let entry = CallEntry {
                id: k.id.0,
                title: match k.direction {
                    CallDirection::Inbound => t.call_inbound,
                    CallDirection::Outbound => t.call_outbound,
                },
                numbers: format!("{} → {}", k.from, k.to),
                outcome: outcome(t, k.outcome),
                length: k
                    .duration_secs
                    .map(|s| format!("{} min {:02} s", s / 60, s % 60)),
                agent: agent_name,
                recording: fetched.then(|| format!("/agent/calls/{}/recording", k.id.0)),
                recording_elsewhere: k.recording_url.clone().filter(|_| k.line.is_none()),
                transcription: k.transcription.clone(),
                call_back: (can_call && k.outcome == Some(CallOutcome::Callback))
                    .then(|| format!("/agent/tickets/{}/call", id.0)),
            };
            (
                k.started_at.0,
                Entry {
                    author: entry.agent.clone().unwrap_or_default(),
                    via: domain::Channel::Voice.as_str(),
                    at,
                    at_iso,
                    comment: None,
                    call: Some(entry),
                    summary: String::new(),
                    changes: Vec::new(),
                },
            )
        })
        .collect())
}

/// `POST /agent/tickets/{id}/call`: the provider rings the agent, then
/// the case's customer.
pub async fn place(
    State(ui): State<Ui>,
    Path(raw): Path<String>,
    AgentForm { agent, .. }: AgentForm,
) -> Response {
    let inner = async {
        let id = ticket_id(&raw)?;
        ui.app.place_call(agent.user.actor, id).await?;
        Ok::<_, AppError>(
            Redirect::to(&format!("/agent/tickets/{}?done=calling", id.0)).into_response(),
        )
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}

/// `GET /agent/calls/{id}/recording`: a call's recording, for staff who
/// may see its case.
pub async fn recording(State(ui): State<Ui>, agent: Agent, Path(raw): Path<String>) -> Response {
    let inner = async {
        let id = raw.parse().map(CallId).map_err(|_| AppError::NotFound)?;
        let (content_type, data) = ui.app.call_recording(agent.user.actor, id).await?;
        Ok::<_, AppError>(
            (
                [
                    ("content-type", app::voice::playable_type(&content_type)),
                    ("x-content-type-options", "nosniff"),
                    ("cache-control", "private, no-store"),
                ],
                data,
            )
                .into_response(),
        )
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}
