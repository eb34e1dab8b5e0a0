//! The phone channel through a voice provider (Twilio Programmable Voice):
//! a line (one of our numbers, connected with the provider's credentials),
//! what admins set for it — the languages it greets in, its menu, how long
//! a caller waits, what happens off hours — and the steps a call goes
//! through, which the core decides and the adapter says in the provider's
//! words (TwiML).

use crate::{GroupId, ScheduleId, Timestamp, UserId, VoiceLineId, word_enum};
use serde::{Deserialize, Serialize};

/// The longest text admins may set for a line to say.
pub const MAX_SPOKEN: usize = 500;

/// The longest a caller may wait in the queue before being offered a
/// voicemail or a callback (and the least).
pub const QUEUE_TIMEOUT_SECS: std::ops::RangeInclusive<i64> = 20..=3600;

/// How long an agent's phone rings before the call goes back to the queue.
pub const RING_SECS: std::ops::RangeInclusive<i64> = 5..=120;

/// The languages a line can speak.
pub const LANGUAGES: [&str; 2] = ["es", "en"];

/// A text a line says, in both languages (an empty one is not said; the
/// built-in words are said instead where there are some).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spoken {
    #[serde(default)]
    pub es: String,
    #[serde(default)]
    pub en: String,
}

impl Spoken {
    /// The text in a language (`es…` is Spanish, anything else English),
    /// `None` when admins left it empty.
    pub fn said_in(&self, lang: &str) -> Option<&str> {
        let t = if lang.starts_with("es") {
            &self.es
        } else {
            &self.en
        };
        Some(t.trim()).filter(|t| !t.is_empty())
    }

    /// The text in a language, else in the other one (admins may have
    /// written only one), else nothing.
    pub fn say(&self, lang: &str) -> &str {
        let other = if lang.starts_with("es") { "en" } else { "es" };
        self.said_in(lang)
            .or_else(|| self.said_in(other))
            .unwrap_or_default()
    }

    fn too_long(&self) -> bool {
        self.es.chars().count() > MAX_SPOKEN || self.en.chars().count() > MAX_SPOKEN
    }
}

word_enum!(
    /// What a line offers a caller when nobody can take the call: off
    /// hours, or when their wait runs out.
    WhenNobody {
        /// A message after the tone.
        Voicemail = "voicemail",
        /// A call back: the caller hangs up and keeps their place.
        Callback = "callback",
    }
);

/// Where a menu option sends the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MenuTarget {
    /// To the queue of a group (every agent when none), for agents with
    /// these skills (routing attribute value ids).
    Queue {
        #[serde(default)]
        group: Option<GroupId>,
        #[serde(default)]
        skills: Vec<String>,
    },
    /// A recorded message (opening hours, an address), then goodbye.
    Message { text: Spoken },
}

/// One option of a line's menu: "for billing, press 2".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MenuOption {
    /// The key, 1 to 9.
    pub digit: u8,
    /// What the menu says of it ("billing", "facturación").
    pub label: Spoken,
    pub target: MenuTarget,
}

/// What admins set for a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VoiceSettings {
    /// The languages it greets in, the first the default. With two, a
    /// caller whose language is not known yet chooses ("para español,
    /// pulse 1").
    pub languages: Vec<String>,
    /// The greeting (the built-in one when empty).
    pub greeting: Spoken,
    /// The menu after the greeting; none sends every caller to the queue.
    pub menu: Vec<MenuOption>,
    /// The longest wait in the queue before the caller is offered what
    /// `when_nobody` says.
    pub queue_timeout_secs: i64,
    /// How long an agent's phone rings.
    pub ring_secs: i64,
    /// Off hours and after the longest wait.
    pub when_nobody: WhenNobody,
    /// While waiting, the caller may ask to be called back (key 2) as
    /// well as leave a message (key 1).
    pub offer_callback: bool,
    /// The business hours it answers in (the default schedule when none).
    pub schedule: Option<ScheduleId>,
    /// Answered calls are recorded.
    pub record_calls: bool,
    /// What callers hear while they wait (an audio file the provider
    /// plays); silence between the announcements when none.
    pub hold_music_url: Option<String>,
}

impl Default for VoiceSettings {
    fn default() -> Self {
        VoiceSettings {
            languages: vec!["es".into(), "en".into()],
            greeting: Spoken::default(),
            menu: Vec::new(),
            queue_timeout_secs: 180,
            ring_secs: 20,
            when_nobody: WhenNobody::Voicemail,
            offer_callback: true,
            schedule: None,
            record_calls: false,
            hold_music_url: None,
        }
    }
}

impl VoiceSettings {
    /// Why these settings cannot be used, in words for the admin.
    pub fn problem(&self) -> Option<String> {
        if self.languages.is_empty()
            || self.languages.len() > LANGUAGES.len()
            || self
                .languages
                .iter()
                .any(|l| !LANGUAGES.contains(&l.as_str()))
        {
            return Some("languages: one or both of \"es\" and \"en\"".into());
        }
        let mut langs = self.languages.clone();
        langs.dedup();
        if langs.len() != self.languages.len() {
            return Some("languages: each once".into());
        }
        if !QUEUE_TIMEOUT_SECS.contains(&self.queue_timeout_secs) {
            return Some(format!(
                "queue_timeout_secs: {} to {} seconds",
                QUEUE_TIMEOUT_SECS.start(),
                QUEUE_TIMEOUT_SECS.end()
            ));
        }
        if !RING_SECS.contains(&self.ring_secs) {
            return Some(format!(
                "ring_secs: {} to {} seconds",
                RING_SECS.start(),
                RING_SECS.end()
            ));
        }
        if let Some(u) = &self.hold_music_url
            && !((u.starts_with("https://") || u.starts_with("http://")) && u.len() <= 2000)
        {
            return Some("hold_music_url: an http(s) address".into());
        }
        if self.greeting.too_long() {
            return Some(format!("greeting: at most {MAX_SPOKEN} characters"));
        }
        let mut seen = Vec::new();
        for o in &self.menu {
            if !(1..=9).contains(&o.digit) || seen.contains(&o.digit) {
                return Some("menu: each option has its own key, 1 to 9".into());
            }
            seen.push(o.digit);
            if o.label.said_in("es").is_none() && o.label.said_in("en").is_none() {
                return Some(format!("menu: option {} needs a label", o.digit));
            }
            let long = match &o.target {
                MenuTarget::Message { text } => text.too_long(),
                MenuTarget::Queue { .. } => false,
            };
            if o.label.too_long() || long {
                return Some(format!("menu: at most {MAX_SPOKEN} characters"));
            }
        }
        None
    }

    /// The option of a key.
    pub fn option(&self, digit: u8) -> Option<&MenuOption> {
        self.menu.iter().find(|o| o.digit == digit)
    }

    /// The language of the `n`th key of the language menu (1-based).
    pub fn language_of_key(&self, digit: u8) -> Option<&str> {
        let i = usize::from(digit).checked_sub(1)?;
        self.languages.get(i).map(String::as_str)
    }

    /// The language a caller is greeted in when they chose none.
    pub fn default_language(&self) -> &str {
        self.languages.first().map_or("es", String::as_str)
    }
}

/// One of our numbers at a voice provider, as everyone may read it (never
/// its credentials).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoiceLine {
    pub id: VoiceLineId,
    pub name: String,
    /// The number callers dial, in E.164.
    pub number: String,
    /// Where the provider's API is reached; `None` for the provider's own.
    pub api_base: Option<String>,
    pub settings: VoiceSettings,
    pub enabled: bool,
    pub created_at: Timestamp,
    /// The status line: the last call, the last error.
    pub last_call_at: Option<Timestamp>,
    pub last_error: Option<String>,
}

word_enum!(
    /// Where a call through a line is now.
    CallStage {
        /// Greeted, choosing a language or a menu option.
        Menu = "menu",
        /// Waiting for an agent.
        Queued = "queued",
        /// An agent's phone rings.
        Ringing = "ringing",
        /// An agent took it.
        Talking = "talking",
        /// Leaving a message.
        Voicemail = "voicemail",
        /// Asked to be called back and hung up.
        Callback = "callback",
        /// Hung up.
        Over = "over",
    }
);

word_enum!(
    /// How a leg to an agent's phone ended.
    LegEnd {
        Answered = "answered",
        NoAnswer = "no-answer",
        Busy = "busy",
        Failed = "failed",
    }
);

/// Where an agent is rung: their phone number, or their identity in the
/// provider's browser or app client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgentPhone {
    Number(String),
    Client(String),
}

impl AgentPhone {
    /// An agent's client identity when they have no number.
    pub fn client_of(agent: UserId) -> AgentPhone {
        AgentPhone::Client(format!("agent-{}", agent.0))
    }
}

/// What a line says and does next on a call, decided by the core; the
/// adapter says it in the provider's words. Every text is already in the
/// caller's language (`lang`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoiceStep {
    /// The language menu: each choice said in its own language.
    ChooseLanguage { choices: Vec<(String, String)> },
    /// The greeting and the menu's options; a key comes back to the
    /// menu (none: the general queue).
    Menu { lang: String, say: Vec<String> },
    /// Waiting: what is said (the position), then hold (the line's music,
    /// if it has some); the caller may press 1 (voicemail) or 2
    /// (callback, when offered).
    Hold {
        lang: String,
        say: Vec<String>,
        music: Option<String>,
        hold_secs: i64,
    },
    /// Ring an agent.
    Dial {
        lang: String,
        say: Vec<String>,
        to: AgentPhone,
        ring_secs: i64,
        record: bool,
    },
    /// Connect an agent who answered our click-to-call to the customer.
    Connect {
        customer: String,
        caller_id: String,
        record: bool,
    },
    /// A message after the tone.
    Voicemail { lang: String, say: Vec<String> },
    /// Words, then the call ends.
    Goodbye { lang: String, say: Vec<String> },
    /// Nothing more to say (a status callback's answer).
    Nothing,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked() {
        let mut s = VoiceSettings::default();
        assert_eq!(s.problem(), None);
        s.menu.push(MenuOption {
            digit: 1,
            label: Spoken {
                es: "Facturación".into(),
                en: "Billing".into(),
            },
            target: MenuTarget::Queue {
                group: None,
                skills: vec![],
            },
        });
        assert_eq!(s.problem(), None);
        s.menu.push(s.menu[0].clone());
        assert!(s.problem().unwrap().contains("own key"));
        s.menu.pop();
        s.languages = vec!["fr".into()];
        assert!(s.problem().is_some());
        s.languages = vec!["en".into()];
        s.ring_secs = 1;
        assert!(s.problem().unwrap().starts_with("ring_secs"));
    }

    #[test]
    fn settings_read_as_admins_write_them() {
        let s: VoiceSettings = serde_json::from_value(serde_json::json!({
            "languages": ["en", "es"],
            "menu": [{"digit": 2, "label": {"en": "Orders"},
                      "target": {"kind": "message", "text": {"en": "We open at nine."}}}]
        }))
        .unwrap();
        assert_eq!(s.default_language(), "en");
        assert_eq!(s.language_of_key(2), Some("es"));
        assert_eq!(
            s.queue_timeout_secs, 180,
            "what is not given is the default"
        );
        assert!(matches!(
            s.option(2).map(|o| &o.target),
            Some(MenuTarget::Message { .. })
        ));
        assert_eq!(
            AgentPhone::client_of(UserId(7)),
            AgentPhone::Client("agent-7".into())
        );
    }
}
