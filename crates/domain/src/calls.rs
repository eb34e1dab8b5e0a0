//! Phone calls as the help desk keeps them: each call once per phone
//! system and its id of the call, the events that system reports about it
//! (each taken once), and how the call ended.

use crate::voice::CallStage;
use crate::{CallId, TicketId, Timestamp, UserId, VoiceLineId, word_enum};

word_enum!(
    /// Who called whom.
    CallDirection {
        /// A customer called us.
        Inbound = "inbound",
        /// An agent called a customer.
        Outbound = "outbound",
    }
);

word_enum!(
    /// What a phone system reports about a call (the CTI API's events).
    CallEventKind {
        /// It rings for an agent (or in the queue): the screen-pop moment.
        Ringing = "ringing",
        /// Someone took it.
        Answered = "answered",
        /// It is over.
        Ended = "ended",
        /// Its recording can be fetched.
        Recording = "recording",
        /// The caller left a message.
        Voicemail = "voicemail",
    }
);

word_enum!(
    /// How a call ended.
    CallOutcome {
        /// Someone talked with the caller.
        Answered = "answered",
        /// It ended before anyone took it.
        Missed = "missed",
        /// The caller left a message.
        Voicemail = "voicemail",
        /// The caller hung up while waiting for an agent.
        Abandoned = "abandoned",
        /// The caller asked to be called back.
        Callback = "callback",
    }
);

/// One call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub id: CallId,
    /// The phone system that reported it (a name its admins chose).
    pub provider: String,
    /// That system's id of the call.
    pub provider_call_id: String,
    pub direction: CallDirection,
    /// Numbers in E.164.
    pub from: String,
    pub to: String,
    /// The agent who took (or made) it.
    pub agent: Option<UserId>,
    /// The customer on the line, once known.
    pub customer: Option<UserId>,
    /// The case it is logged on, once it is.
    pub ticket: Option<TicketId>,
    pub started_at: Timestamp,
    pub answered_at: Option<Timestamp>,
    pub ended_at: Option<Timestamp>,
    pub duration_secs: Option<i64>,
    pub outcome: Option<CallOutcome>,
    pub recording_url: Option<String>,
    pub transcription: Option<String>,
    /// What only a call through one of our voice lines has.
    pub line: Option<LineCall>,
    /// The callback request this outbound call answers.
    pub callback_of: Option<CallId>,
    /// When anything about it last changed (the incremental export).
    pub updated_at: Timestamp,
}

/// Where a call through one of our voice lines is, and what its caller
/// chose on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineCall {
    pub line: VoiceLineId,
    pub stage: CallStage,
    /// The language the caller is spoken to in, once chosen or known.
    pub language: Option<String>,
    /// The key of the menu option they chose.
    pub menu_choice: Option<u8>,
    /// When they started waiting for an agent.
    pub queued_at: Option<Timestamp>,
}

impl Call {
    /// A call first reported at `at`, nothing else known of it yet.
    pub fn first_heard(
        (provider, provider_call_id): (String, String),
        direction: CallDirection,
        (from, to): (String, String),
        at: Timestamp,
    ) -> Call {
        Call {
            id: CallId(0),
            provider,
            provider_call_id,
            direction,
            from,
            to,
            agent: None,
            customer: None,
            ticket: None,
            started_at: at,
            answered_at: None,
            ended_at: None,
            duration_secs: None,
            outcome: None,
            recording_url: None,
            transcription: None,
            line: None,
            callback_of: None,
            updated_at: at,
        }
    }

    /// The customer's number: the caller's on an inbound call, the
    /// callee's on an outbound one.
    pub fn customer_number(&self) -> &str {
        match self.direction {
            CallDirection::Inbound => &self.from,
            CallDirection::Outbound => &self.to,
        }
    }

    /// Whether the call is over (nothing more changes how it ended).
    pub fn is_over(&self) -> bool {
        self.outcome.is_some()
    }
}
