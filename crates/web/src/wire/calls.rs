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
    /// `answered`, `missed`, `voicemail`, `abandoned` or `callback`,
    /// once it is over.
    pub outcome: Option<&'static str>,
    /// The phone system's address of the recording; for a call through
    /// one of our lines, ours (`/api/v2/calls/{id}/recording`).
    pub recording_url: Option<String>,
    pub transcription: Option<&'a str>,
    /// The voice line it came through or went out from.
    pub line_id: Option<i64>,
    /// The callback request this outbound call answers.
    pub callback_of: Option<i64>,
}

/// A voice line as admins read it: never its credentials.
#[derive(Serialize, ToSchema)]
pub struct VoiceLine<'a> {
    pub id: i64,
    pub url: String,
    pub name: &'a str,
    /// The number callers dial (E.164).
    pub number: &'a str,
    pub api_base: Option<&'a str>,
    /// Languages, greeting, menu, queue timeout, ring time, what happens
    /// when nobody can answer, callbacks, schedule, recording.
    #[schema(value_type = Object)]
    pub settings: serde_json::Value,
    pub enabled: bool,
    pub created_at: String,
    pub last_call_at: Option<String>,
    pub last_error: Option<&'a str>,
    /// Set as the number's "a call comes in" webhook at the provider.
    pub incoming_url: String,
    /// Set as the number's call status callback.
    pub status_url: String,
}

pub fn voice_line<'a>(base: &str, l: &'a domain::voice::VoiceLine) -> VoiceLine<'a> {
    VoiceLine {
        id: l.id.0,
        url: format!("{base}/api/v2/channels/voice/lines/{}.json", l.id.0),
        name: &l.name,
        number: &l.number,
        api_base: l.api_base.as_deref(),
        settings: serde_json::to_value(&l.settings).unwrap_or_default(),
        enabled: l.enabled,
        created_at: l.created_at.to_iso(),
        last_call_at: l.last_call_at.map(|t| t.to_iso()),
        last_error: l.last_error.as_deref(),
        incoming_url: format!("{base}{}", app::voice::hook_path(l.id, "incoming")),
        status_url: format!("{base}{}", app::voice::hook_path(l.id, "status")),
    }
}

/// A voice line as Zendesk Talk's phone number: the number, what it does
/// (voice, recorded, the groups its menu queues for, its schedule).
#[derive(Serialize, ToSchema)]
pub struct PhoneNumber<'a> {
    pub id: i64,
    pub url: String,
    /// E.164.
    pub number: &'a str,
    pub display_number: &'a str,
    pub name: &'a str,
    pub nickname: &'a str,
    /// Always `phone`: atiende has no digital (browser) lines.
    pub line_type: &'static str,
    pub voice_enabled: bool,
    /// Text messages go through the messaging channels' accounts.
    pub sms_enabled: bool,
    pub outbound_enabled: bool,
    pub recorded: bool,
    pub transcription: bool,
    pub toll_free: bool,
    /// Provisioned outside atiende (at Twilio): always.
    pub external: bool,
    pub capabilities: PhoneCapabilities,
    /// The groups its menu sends callers to.
    pub group_ids: Vec<i64>,
    pub default_group_id: Option<i64>,
    pub schedule_id: Option<i64>,
    pub greeting_ids: Vec<i64>,
    pub created_at: String,
}

/// What a number can do.
#[derive(Serialize, ToSchema)]
pub struct PhoneCapabilities {
    pub voice: bool,
    pub sms: bool,
    pub mms: bool,
}

pub fn phone_number<'a>(base: &str, l: &'a domain::voice::VoiceLine) -> PhoneNumber<'a> {
    use domain::voice::MenuTarget;
    let mut groups: Vec<i64> = Vec::new();
    for option in &l.settings.menu {
        if let MenuTarget::Queue { group: Some(g), .. } = option.target
            && !groups.contains(&g.0)
        {
            groups.push(g.0);
        }
    }
    PhoneNumber {
        id: l.id.0,
        url: format!("{base}/api/v2/channels/voice/phone_numbers/{}.json", l.id.0),
        number: &l.number,
        display_number: &l.number,
        name: &l.name,
        nickname: &l.name,
        line_type: "phone",
        voice_enabled: l.enabled,
        sms_enabled: false,
        outbound_enabled: l.enabled,
        recorded: l.settings.record_calls,
        transcription: false,
        toll_free: false,
        external: true,
        capabilities: PhoneCapabilities {
            voice: true,
            sms: false,
            mms: false,
        },
        default_group_id: groups.first().copied(),
        group_ids: groups,
        schedule_id: l.settings.schedule.map(|s| s.0),
        greeting_ids: Vec::new(),
        created_at: l.created_at.to_iso(),
    }
}

/// Zendesk Talk's account overview of a period's calls (seconds, counts).
#[derive(Serialize, ToSchema)]
pub struct CallOverview {
    pub total_calls: i64,
    pub total_inbound_calls: i64,
    pub total_outbound_calls: i64,
    pub total_calls_answered: i64,
    pub total_calls_abandoned_in_queue: i64,
    pub total_calls_missed: i64,
    pub total_voicemails: i64,
    pub total_calls_with_requested_voicemail: i64,
    pub total_callback_calls: i64,
    pub total_callbacks_made: i64,
    pub total_calls_outside_business_hours: i64,
    pub total_calls_with_exceeded_queue_wait_time: i64,
    pub total_call_duration: i64,
    pub average_call_duration: i64,
    pub average_time_to_answer: i64,
    pub average_queue_wait_time: i64,
    pub max_queue_wait_time: i64,
    pub max_calls_waiting: i64,
    pub total_talk_time: i64,
    pub total_wrap_up_time: i64,
    pub average_wrap_up_time: i64,
    /// atiende has no hold: nobody is ever put on it.
    pub total_hold_time: i64,
    pub average_hold_time: i64,
}

pub fn call_overview(o: &domain::call_stats::Overview) -> CallOverview {
    CallOverview {
        total_calls: o.total_calls,
        total_inbound_calls: o.inbound,
        total_outbound_calls: o.outbound,
        total_calls_answered: o.answered,
        total_calls_abandoned_in_queue: o.abandoned,
        total_calls_missed: o.missed,
        total_voicemails: o.voicemails,
        total_calls_with_requested_voicemail: o.voicemails,
        total_callback_calls: o.callbacks_requested,
        total_callbacks_made: o.callbacks_made,
        total_calls_outside_business_hours: o.outside_business_hours,
        total_calls_with_exceeded_queue_wait_time: o.exceeded_queue_wait,
        total_call_duration: o.total_call_duration,
        average_call_duration: o.average_call_duration,
        average_time_to_answer: o.average_time_to_answer,
        average_queue_wait_time: o.average_queue_wait,
        max_queue_wait_time: o.max_queue_wait,
        max_calls_waiting: o.max_calls_waiting,
        total_talk_time: o.total_talk_time,
        total_wrap_up_time: o.total_wrap_up_time,
        average_wrap_up_time: o.average_wrap_up_time,
        total_hold_time: 0,
        average_hold_time: 0,
    }
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
        recording_url: match &k.line {
            Some(_) => k
                .recording_url
                .as_ref()
                .map(|_| format!("{base}/api/v2/calls/{}/recording", k.id.0)),
            None => k.recording_url.clone(),
        },
        transcription: k.transcription.as_deref(),
        line_id: k.line.as_ref().map(|l| l.line.0),
        callback_of: k.callback_of.map(|c| c.0),
    }
}
