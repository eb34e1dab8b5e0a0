//! Phone calls through a voice provider (Twilio Programmable Voice), in
//! the core. The adapter (`crates/messaging`, `voice/`) checks each
//! webhook's signature, reads the provider's fields into a [`VoiceHook`]
//! and says the [`VoiceStep`] the core answers in TwiML. The core decides
//! everything else (`flow.rs`): the caller's language (their profile's, or
//! a language menu), the business hours, the line's menu, the queue and
//! the caller's place in it, the agent routing chooses (skills, language,
//! call capacity, presence) and whose phone rings, voicemail and callback
//! requests; a call that ends is logged on the caller's case through the
//! one way in (`calls.rs`). Lines are set up by admins (`lines.rs`);
//! recordings are fetched through a queue with retries (`recordings.rs`);
//! agents call customers from a case (`outbound.rs`); Zendesk Talk's
//! statistics, availabilities and voicemail tickets (`talk.rs`).

mod flow;
mod lines;
mod outbound;
mod recordings;
mod talk;

pub(crate) use flow::CallLog;
pub use lines::{LineInput, NewLine};
pub use recordings::RecordingFetch;
pub use store::repo::voice::DueRecording;
pub use talk::{AgentActivity, CallsPage, Display, QueueNow, VoicemailInput, start_of_today};

use domain::messaging::Credentials;
use domain::voice::{AgentPhone, VoiceLine};

/// The phone system name calls through a voice line are kept under.
pub const TWILIO: &str = "twilio";

/// Where a key press was heard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeysAt {
    /// The language menu.
    Language,
    /// The line's menu.
    Menu,
    /// While waiting in the queue.
    Queue,
}

/// What a voice provider's webhook tells of a call, read by the adapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoiceHook {
    /// A call to the line's number.
    Incoming { from: String, to: String },
    /// Keys the caller pressed (none when the wait for them ran out).
    Keys { at: KeysAt, digits: Option<String> },
    /// The queue's loop: what now?
    Wait,
    /// The agent's phone was picked up.
    AgentAnswered,
    /// Ringing an agent (or, on our outbound call, the customer) ended.
    Dialed {
        end: domain::voice::LegEnd,
        duration_secs: Option<i64>,
    },
    /// The call is over (however the provider says it ended: where the
    /// call was tells more).
    Ended { duration_secs: Option<i64> },
    /// The caller's message was recorded (the record step's end).
    Recorded {
        url: Option<String>,
        duration_secs: Option<i64>,
    },
    /// A recording can be fetched.
    RecordingReady {
        url: String,
        duration_secs: Option<i64>,
    },
    /// The provider's transcription of the voicemail (`None`: it failed).
    Transcribed { text: Option<String> },
    /// The agent picked up the call we placed for them: connect the
    /// customer.
    OutboundAnswered,
}

/// One webhook about one call: the provider's id of the call, its numbers
/// (every webhook carries them, so a call first heard of late is still
/// known), and what the webhook tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallHook {
    pub call_sid: String,
    pub from: String,
    pub to: String,
    pub hook: VoiceHook,
}

impl CallHook {
    /// Whether the caller hears the answer (else it only reports).
    pub fn caller_listens(&self) -> bool {
        matches!(
            self.hook,
            VoiceHook::Incoming { .. }
                | VoiceHook::Keys { .. }
                | VoiceHook::Wait
                | VoiceHook::Dialed { .. }
        )
    }
}

/// A boxed future, for the object-safe port.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

/// The voice provider's API as the core needs it: the adapter implements
/// it; `App::voice` holds it where the adapter is wired.
pub trait VoiceCalls: Send + Sync + 'static {
    /// Places a call from the line to `to` (the agent first: when they
    /// pick up, the provider asks `answer_url` what to do) and returns the
    /// provider's id of the call.
    fn place_call<'a>(
        &'a self,
        line: &'a VoiceLine,
        credentials: &'a Credentials,
        to: &'a AgentPhone,
        answer_url: &'a str,
        status_url: &'a str,
    ) -> BoxFuture<'a, Result<String, String>>;

    /// Fetches a recording with the line's credentials: its type and bytes.
    fn fetch_recording<'a>(
        &'a self,
        credentials: &'a Credentials,
        url: &'a str,
    ) -> BoxFuture<'a, Result<(String, Vec<u8>), RecordingFetch>>;
}

/// The type a recording is served as: audio as the provider said, else
/// bytes a browser does not interpret.
pub fn playable_type(content_type: &str) -> &str {
    let ok = content_type.starts_with("audio/")
        && content_type
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/-+.".contains(&b));
    if ok {
        content_type
    } else {
        "application/octet-stream"
    }
}

/// The apology for a call to no line we know, in both languages.
pub fn apology() -> [(&'static str, String); 2] {
    [
        ("es", i18n::text(i18n::Lang::Es, "voice-sorry")),
        ("en", i18n::text(i18n::Lang::En, "voice-sorry")),
    ]
}

/// The path of one of a line's webhooks (`incoming`, `status`, …).
pub fn hook_path(line: domain::VoiceLineId, hook: &str) -> String {
    format!("/channels/voice/{}/{hook}", line.0)
}
