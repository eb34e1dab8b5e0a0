//! A call through a voice line, step by step: greeted in the caller's
//! language (their profile's, else a language menu), closed hours sent to
//! voicemail or a callback, the line's menu, then the queue: the first
//! caller in it for their menu choice rings the agent routing chooses
//! (skills, language, call capacity, presence, and not one who let it ring
//! already); the others hear their place and may press 1 for voicemail or
//! 2 to be called back without losing their place. A call that ends is
//! logged on the caller's case through the one way in.
//!
//! Each step reads the call and writes it back only if no other webhook
//! of the same call moved it on meanwhile (a hang-up while its wait is
//! answered, on another node): then the step is decided again on the call
//! as it is now.

mod endings;
mod greeting;
mod moves;
mod queue;

use super::{CallHook, KeysAt, TWILIO, VoiceHook};
use crate::{App, AppError};
use domain::calls::{Call, CallDirection, CallEventKind, CallOutcome, LineCall};
use domain::routing::{Decision, Needs, Requirement, WorkChannel, choose};
use domain::user::normalize_identity;
use domain::voice::{AgentPhone, CallStage, LegEnd, MenuTarget, VoiceLine, VoiceStep, WhenNobody};
use domain::{IdentityKind, Timestamp, UserId};
use i18n::{Arg, Lang};
use moves::{ending_leg, nothing_else, to_stage};
use std::collections::HashMap;
use store::repo::{calls as call_repo, users, voice as repo};

/// The longest a caller hears hold music before their place is said again.
const HOLD_SECS: i64 = 20;

/// How often a step is decided again when other webhooks keep moving the
/// call on (never more than a few in practice).
const TRIES: usize = 3;

fn lang(code: &str) -> Lang {
    Lang::from_locale(code)
}

fn said(code: &str, key: &str) -> String {
    i18n::text(lang(code), key)
}

/// The line part of a call (every call this module handles has one).
fn line_of(call: &Call) -> Result<&LineCall, AppError> {
    call.line.as_ref().ok_or(AppError::NotFound)
}

impl App {
    /// Answers one of a line's webhooks (see the module's doc). Never an
    /// error: what cannot be done is said as an apology and, where the
    /// caller is still listening, a voicemail.
    pub async fn voice_hook(&self, line: &VoiceLine, hook: CallHook) -> VoiceStep {
        let listening = hook.caller_listens();
        match self.voice_step(line, hook).await {
            Ok(step) => step,
            Err(e) => {
                tracing::warn!(line = line.id.0, error = %e, "a voice webhook could not be answered as planned");
                if listening {
                    self.voice_sorry(line)
                } else {
                    VoiceStep::Nothing
                }
            }
        }
    }

    /// An apology and a voicemail: what a caller hears when something went
    /// wrong (a webhook that cannot be read, a database that cannot be
    /// reached) rather than silence.
    pub fn voice_sorry(&self, line: &VoiceLine) -> VoiceStep {
        let l = line.settings.default_language().to_string();
        VoiceStep::Voicemail {
            say: vec![said(&l, "voice-sorry"), said(&l, "voice-voicemail-prompt")],
            lang: l,
        }
    }

    async fn voice_step(&self, line: &VoiceLine, hook: CallHook) -> Result<VoiceStep, AppError> {
        let now = Timestamp::now();
        let call = self.line_call(line, &hook, now).await?;
        match hook.hook {
            VoiceHook::Incoming { .. } => self.call_arrived(line, call, now).await,
            VoiceHook::Keys { at, digits } => {
                let digit = digits
                    .as_deref()
                    .and_then(|d| d.trim().chars().next())
                    .and_then(|c| c.to_digit(10))
                    .and_then(|d| u8::try_from(d).ok());
                match at {
                    KeysAt::Language => {
                        let chosen = digit
                            .and_then(|d| line.settings.language_of_key(d))
                            .unwrap_or(line.settings.default_language())
                            .to_string();
                        self.after_language(line, call, chosen, now).await
                    }
                    KeysAt::Menu => self.menu_choice(line, call, digit, now).await,
                    KeysAt::Queue => self.queue_keys(line, call, digit, now).await,
                }
            }
            VoiceHook::Wait => self.next_in_queue(line, call, Vec::new(), now).await,
            VoiceHook::AgentAnswered => self.agent_answered(call, now).await,
            VoiceHook::Dialed { end, duration_secs } => {
                self.dialed(line, call, end, duration_secs, now).await
            }
            VoiceHook::Ended { duration_secs } => self.call_ended(call, duration_secs, now).await,
            VoiceHook::Recorded { url, duration_secs } => {
                self.voicemail_recorded(line, call, url, duration_secs, now)
                    .await
            }
            VoiceHook::RecordingReady { url, duration_secs } => {
                self.recording_ready(call, url, duration_secs, now).await
            }
            VoiceHook::Transcribed { text } => self.transcribed(call, text).await,
            VoiceHook::OutboundAnswered => Ok(VoiceStep::Connect {
                customer: call.to.clone(),
                caller_id: line.number.clone(),
                record: line.settings.record_calls,
            }),
        }
    }

    /// The call a webhook is about: stored the first time the line hears
    /// of it, with the caller's profile and language where their number
    /// is known.
    async fn line_call(
        &self,
        line: &VoiceLine,
        hook: &CallHook,
        now: Timestamp,
    ) -> Result<Call, AppError> {
        {
            let mut rc = self.read().await?;
            if let Some(call) =
                call_repo::by_provider_id(&mut rc.conn(), TWILIO, &hook.call_sid).await?
                && call.line.is_some()
            {
                return Ok(call);
            }
        }
        let from = normalize_identity(IdentityKind::Phone, &hook.from).unwrap_or(hook.from.clone());
        let to = normalize_identity(IdentityKind::Phone, &hook.to).unwrap_or(hook.to.clone());
        let mut call = Call::first_heard(
            (TWILIO.into(), hook.call_sid.clone()),
            CallDirection::Inbound,
            (from, to),
            now,
        );
        let (line_id, languages) = (line.id, line.settings.languages.clone());
        self.write(move |c| {
            Box::pin(async move {
                let caller = users::by_identity(c, IdentityKind::Phone, &call.from).await?;
                let language = caller.as_ref().and_then(|u| {
                    languages
                        .iter()
                        .find(|l| u.locale.to_ascii_lowercase().starts_with(l.as_str()))
                        .cloned()
                });
                call.customer = caller.map(|u| u.id);
                call.line = Some(LineCall {
                    line: line_id,
                    stage: CallStage::Menu,
                    language,
                    menu_choice: None,
                    queued_at: None,
                });
                call_repo::insert(c, &call).await?;
                repo::note_line(c, line_id, Some(now), None).await?;
                call_repo::by_provider_id(c, &call.provider, &call.provider_call_id)
                    .await?
                    .ok_or(AppError::NotFound)
            })
        })
        .await
    }
}

/// What a call's log entry on its case tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CallLog {
    /// How it ended.
    Ended,
    /// The caller's message.
    Voicemail,
    /// What the provider heard in it.
    Transcription,
}

impl From<CallEventKind> for CallLog {
    fn from(k: CallEventKind) -> CallLog {
        match k {
            CallEventKind::Voicemail => CallLog::Voicemail,
            _ => CallLog::Ended,
        }
    }
}

fn call_language(line: &VoiceLine, call: &Call) -> String {
    call.line
        .as_ref()
        .and_then(|lc| lc.language.clone())
        .unwrap_or_else(|| line.settings.default_language().to_string())
}
