//! Phone calls as the CTI API answers with them.

use domain::calls::Call as CallRecord;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Call<'a> {
    pub id: i64,
    pub url: String,
    /// The phone system that reported it.
    pub provider: &'a str,
    /// Its id of the call.
    pub call_id: &'a str,
    /// `inbound` or `outbound`.
    pub direction: &'static str,
    pub from: &'a str,
    pub to: &'a str,
    pub agent_id: Option<i64>,
    /// The customer on the line, once known.
    pub customer_id: Option<i64>,
    /// The case it is logged on.
    pub ticket_id: Option<i64>,
    pub started_at: String,
    pub answered_at: Option<String>,
    pub ended_at: Option<String>,
    /// Seconds.
    pub duration: Option<i64>,
    /// `answered`, `missed` or `voicemail`, once it is over.
    pub outcome: Option<&'static str>,
    pub recording_url: Option<&'a str>,
    pub transcription: Option<&'a str>,
}

pub fn call<'a>(base: &str, k: &'a CallRecord) -> Call<'a> {
    Call {
        id: k.id.0,
        url: format!("{base}/api/v2/calls/{}.json", k.id.0),
        provider: &k.provider,
        call_id: &k.provider_call_id,
        direction: k.direction.as_str(),
        from: &k.from,
        to: &k.to,
        agent_id: k.agent.map(|a| a.0),
        customer_id: k.customer.map(|u| u.0),
        ticket_id: k.ticket.map(|t| t.0),
        started_at: k.started_at.to_iso(),
        answered_at: k.answered_at.map(|t| t.to_iso()),
        ended_at: k.ended_at.map(|t| t.to_iso()),
        duration: k.duration_secs,
        outcome: k.outcome.map(|o| o.as_str()),
        recording_url: k.recording_url.as_deref(),
        transcription: k.transcription.as_deref(),
    }
}
