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

use super::{CallEnd, CallHook, KeysAt, TWILIO, VoiceHook};
use crate::{App, AppError};
use domain::calls::{Call, CallDirection, CallEventKind, CallOutcome, LineCall};
use domain::routing::{Decision, Needs, Requirement, WorkChannel, choose};
use domain::user::normalize_identity;
use domain::voice::{AgentPhone, CallStage, LegEnd, MenuTarget, VoiceLine, VoiceStep, WhenNobody};
use domain::{IdentityKind, Timestamp, UserId};
use i18n::{Arg, Lang};
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
            VoiceHook::Ended { end, duration_secs } => {
                self.call_ended(call, end, duration_secs, now).await
            }
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

    /// Writes `change` of a call in one transaction if its stage is still
    /// what `change` was decided on; `Ok(None)` when another webhook moved
    /// it on first (the caller decides again on the call as it is now).
    async fn move_call<T: Send + 'static>(
        &self,
        call: &Call,
        change: impl FnOnce(&mut Call) -> T + Send + 'static,
        with: impl AlsoWrite,
    ) -> Result<Option<(Call, T)>, AppError> {
        let expected = line_of(call)?.stage;
        let mut next = call.clone();
        let out = change(&mut next);
        self.write(move |c| {
            Box::pin(async move {
                if !call_repo::update_from_stage(c, &next, expected).await? {
                    return Ok(None);
                }
                with(c, &next).await?;
                Ok(Some((next, out)))
            })
        })
        .await
    }

    /// Reads a call again, after another webhook moved it on.
    async fn fresh(&self, call: &Call) -> Result<Call, AppError> {
        let mut rc = self.read().await?;
        call_repo::get(&mut rc.conn(), call.id)
            .await?
            .ok_or(AppError::NotFound)
    }

    async fn call_arrived(
        &self,
        line: &VoiceLine,
        call: Call,
        now: Timestamp,
    ) -> Result<VoiceStep, AppError> {
        let lc = line_of(&call)?;
        match lc.stage {
            CallStage::Menu => {}
            // The provider asked again (a retry): carry on where it is.
            CallStage::Queued => return self.next_in_queue(line, call, Vec::new(), now).await,
            _ => return Ok(VoiceStep::Nothing),
        }
        let known = lc.language.clone();
        match known {
            Some(l) => self.after_language(line, call, l, now).await,
            None if line.settings.languages.len() == 1 => {
                let l = line.settings.default_language().to_string();
                self.after_language(line, call, l, now).await
            }
            None => Ok(VoiceStep::ChooseLanguage {
                choices: line
                    .settings
                    .languages
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let key = i64::try_from(i + 1).unwrap_or(1);
                        let text = i18n::with(
                            lang(l),
                            "voice-language-choice",
                            &[("key", Arg::Number(key))],
                        );
                        (l.clone(), text)
                    })
                    .collect(),
            }),
        }
    }

    /// Greets in the caller's language, then closed hours, the menu or
    /// the queue.
    async fn after_language(
        &self,
        line: &VoiceLine,
        call: Call,
        language: String,
        now: Timestamp,
    ) -> Result<VoiceStep, AppError> {
        let mut call = call;
        for _ in 0..TRIES {
            if line_of(&call)?.stage != CallStage::Menu {
                return Ok(VoiceStep::Nothing);
            }
            let l = language.clone();
            match self
                .move_call(
                    &call,
                    move |k| {
                        if let Some(lc) = k.line.as_mut() {
                            lc.language = Some(l);
                        }
                    },
                    nothing_else(),
                )
                .await?
            {
                Some((moved, ())) => {
                    call = moved;
                    break;
                }
                None => call = self.fresh(&call).await?,
            }
        }
        let l = language.as_str();
        let greeting = line.settings.greeting.said_in(l).map_or_else(
            || {
                i18n::with(
                    lang(l),
                    "voice-greeting",
                    &[("name", Arg::Text(&line.name))],
                )
            },
            str::to_string,
        );
        let mut say = vec![greeting];
        let book = self.rulebook().await?;
        let schedule = book.schedule(line.settings.schedule);
        if !schedule.is_open(now) {
            let back = schedule.next_open(now).and_then(|at| {
                crate::handover::opens_at_text(
                    lang(l),
                    "voice-closed-opens",
                    at,
                    schedule.time_zone(),
                )
            });
            say.push(back.unwrap_or_else(|| said(l, "voice-closed")));
            return self.nobody_can(line, call, say, now).await;
        }
        if line.settings.menu.is_empty() {
            return self.enqueue(line, call, None, say, now).await;
        }
        say.extend(menu_words(line, l));
        Ok(VoiceStep::Menu {
            lang: language,
            say,
        })
    }

    async fn menu_choice(
        &self,
        line: &VoiceLine,
        call: Call,
        digit: Option<u8>,
        now: Timestamp,
    ) -> Result<VoiceStep, AppError> {
        let lc = line_of(&call)?;
        if lc.stage != CallStage::Menu {
            return Ok(VoiceStep::Nothing);
        }
        let l = lc
            .language
            .clone()
            .unwrap_or_else(|| line.settings.default_language().to_string());
        // No key pressed: the general queue.
        let Some(d) = digit else {
            return self.enqueue(line, call, None, Vec::new(), now).await;
        };
        let Some(option) = line.settings.option(d) else {
            let mut say = vec![said(&l, "voice-menu-unknown")];
            say.extend(menu_words(line, &l));
            return Ok(VoiceStep::Menu { lang: l, say });
        };
        match &option.target {
            MenuTarget::Queue { .. } => self.enqueue(line, call, Some(d), Vec::new(), now).await,
            MenuTarget::Message { text } => {
                let words = text
                    .said_in(&l)
                    .or_else(|| text.said_in(if l == "es" { "en" } else { "es" }))
                    .unwrap_or_default()
                    .to_string();
                self.move_call(
                    &call,
                    move |k| {
                        if let Some(lc) = k.line.as_mut() {
                            lc.menu_choice = Some(d);
                            lc.stage = CallStage::Over;
                        }
                    },
                    nothing_else(),
                )
                .await?;
                Ok(VoiceStep::Goodbye {
                    say: vec![words, said(&l, "voice-goodbye")],
                    lang: l,
                })
            }
        }
    }

    /// Puts the caller in the queue for their menu choice.
    async fn enqueue(
        &self,
        line: &VoiceLine,
        call: Call,
        choice: Option<u8>,
        say: Vec<String>,
        now: Timestamp,
    ) -> Result<VoiceStep, AppError> {
        let moved = self
            .move_call(
                &call,
                move |k| {
                    if let Some(lc) = k.line.as_mut() {
                        lc.menu_choice = choice;
                        lc.stage = CallStage::Queued;
                        lc.queued_at = Some(now);
                    }
                },
                nothing_else(),
            )
            .await?;
        let call = match moved {
            Some((call, ())) => call,
            None => self.fresh(&call).await?,
        };
        self.next_in_queue(line, call, say, now).await
    }

    /// The queue: ring an agent for the first caller when one can take
    /// the call; else say the caller's place and hold.
    async fn next_in_queue(
        &self,
        line: &VoiceLine,
        call: Call,
        mut say: Vec<String>,
        now: Timestamp,
    ) -> Result<VoiceStep, AppError> {
        let mut call = call;
        for _ in 0..TRIES {
            let lc = line_of(&call)?.clone();
            if lc.stage != CallStage::Queued {
                return Ok(VoiceStep::Nothing);
            }
            let l = lc
                .language
                .clone()
                .unwrap_or_else(|| line.settings.default_language().to_string());
            let queued_at = lc.queued_at.unwrap_or(now);
            let waited = now.0 - queued_at.0;
            if waited >= line.settings.queue_timeout_secs {
                say.push(said(&l, "voice-nobody"));
                return self.nobody_can(line, call, say, now).await;
            }
            let ahead = {
                let mut rc = self.read().await?;
                repo::ahead_in_queue(&mut rc.conn(), line.id, lc.menu_choice, queued_at, call.id)
                    .await?
            };
            if ahead == 0
                && let Some(agent) = self.agent_for_call(line, &call, now).await?
            {
                let to = self.agent_phone(agent).await?;
                let moved = self
                    .move_call(
                        &call,
                        move |k| {
                            k.agent = Some(agent);
                            if let Some(lc) = k.line.as_mut() {
                                lc.stage = CallStage::Ringing;
                            }
                        },
                        move |c, k| {
                            Box::pin(async move {
                                repo::add_leg(c, k.id, agent, now).await?;
                                Ok(())
                            })
                        },
                    )
                    .await?;
                if moved.is_none() {
                    call = self.fresh(&call).await?;
                    continue;
                }
                self.desk_signal(agent).await;
                say.push(said(&l, "voice-connecting"));
                return Ok(VoiceStep::Dial {
                    lang: l,
                    say,
                    to,
                    ring_secs: line.settings.ring_secs,
                    record: line.settings.record_calls,
                });
            }
            say.push(if ahead == 0 {
                said(&l, "voice-position-next")
            } else {
                i18n::with(lang(&l), "voice-position", &[("ahead", Arg::Number(ahead))])
            });
            say.push(said(&l, "voice-keys-voicemail"));
            if line.settings.offer_callback {
                say.push(said(&l, "voice-keys-callback"));
            }
            let left = line.settings.queue_timeout_secs - waited;
            return Ok(VoiceStep::Hold {
                lang: l,
                say,
                hold_secs: left.clamp(1, HOLD_SECS),
            });
        }
        Err(AppError::Conflict(
            "the call kept changing while it was answered".into(),
        ))
    }

    /// The agent routing would give this call to now, if anyone can take it.
    async fn agent_for_call(
        &self,
        line: &VoiceLine,
        call: &Call,
        now: Timestamp,
    ) -> Result<Option<UserId>, AppError> {
        let lc = line_of(call)?;
        let (group, skills) = match lc
            .menu_choice
            .and_then(|d| line.settings.option(d))
            .map(|o| &o.target)
        {
            Some(MenuTarget::Queue { group, skills }) => (*group, skills.clone()),
            _ => (None, Vec::new()),
        };
        let book = self.rulebook().await?;
        let mut ids: HashMap<String, i64> = HashMap::new();
        let skills = skills
            .into_iter()
            .map(|v| {
                let n = ids.len() as i64 + 1;
                let skill = *ids.entry(v.clone()).or_insert(n);
                Requirement {
                    skill,
                    name: book.skill_names.get(&v).cloned().unwrap_or(v),
                    min_level: 1,
                    optional: false,
                }
            })
            .collect();
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let needs = Needs {
            channel: WorkChannel::Call,
            skills,
            language: lc.language.clone(),
            drop_optional: false,
            declined: repo::passed_over(c, call.id).await?,
        };
        let agents =
            crate::routing::candidates(c, &book, group, WorkChannel::Call, &ids, now).await?;
        Ok(match choose(&needs, &agents, now, None) {
            Decision::Assign { agent, .. } => Some(agent),
            Decision::Wait { .. } => None,
        })
    }

    /// Where an agent's phone rings: the phone number on their profile,
    /// else their identity in the provider's client.
    pub(super) async fn agent_phone(&self, agent: UserId) -> Result<AgentPhone, AppError> {
        let mut rc = self.read().await?;
        let ids = users::identities(&mut rc.conn(), agent).await?;
        Ok(ids
            .into_iter()
            .find(|i| i.kind == IdentityKind::Phone)
            .map_or_else(
                || AgentPhone::client_of(agent),
                |i| AgentPhone::Number(i.value),
            ))
    }

    /// Nobody can take the call (closed, or the wait ran out): a voicemail
    /// or a callback, as the line says.
    async fn nobody_can(
        &self,
        line: &VoiceLine,
        call: Call,
        mut say: Vec<String>,
        now: Timestamp,
    ) -> Result<VoiceStep, AppError> {
        match line.settings.when_nobody {
            WhenNobody::Callback => self.call_back_later(line, call, say, now).await,
            WhenNobody::Voicemail => {
                let l = call_language(line, &call);
                self.move_call(&call, to_stage(CallStage::Voicemail), nothing_else())
                    .await?;
                say.push(said(&l, "voice-voicemail-prompt"));
                Ok(VoiceStep::Voicemail { lang: l, say })
            }
        }
    }

    async fn queue_keys(
        &self,
        line: &VoiceLine,
        call: Call,
        digit: Option<u8>,
        now: Timestamp,
    ) -> Result<VoiceStep, AppError> {
        if line_of(&call)?.stage != CallStage::Queued {
            return Ok(VoiceStep::Nothing);
        }
        let l = call_language(line, &call);
        match digit {
            Some(1) => {
                let moved = self
                    .move_call(&call, to_stage(CallStage::Voicemail), nothing_else())
                    .await?;
                if moved.is_none() {
                    return Ok(VoiceStep::Nothing);
                }
                Ok(VoiceStep::Voicemail {
                    say: vec![said(&l, "voice-voicemail-prompt")],
                    lang: l,
                })
            }
            Some(2) if line.settings.offer_callback => {
                self.call_back_later(line, call, Vec::new(), now).await
            }
            _ => self.next_in_queue(line, call, Vec::new(), now).await,
        }
    }

    /// The caller asked (or the line offers) to be called back: the call
    /// ends as a callback request, logged on their case where routing
    /// gives it to someone, who sees a "call back" button.
    async fn call_back_later(
        &self,
        line: &VoiceLine,
        call: Call,
        mut say: Vec<String>,
        now: Timestamp,
    ) -> Result<VoiceStep, AppError> {
        let l = call_language(line, &call);
        let moved = self
            .move_call(
                &call,
                move |k| {
                    k.outcome = Some(CallOutcome::Callback);
                    k.ended_at = Some(now);
                    if let Some(lc) = k.line.as_mut() {
                        lc.stage = CallStage::Callback;
                    }
                },
                nothing_else(),
            )
            .await?;
        let Some((call, ())) = moved else {
            return Ok(VoiceStep::Nothing);
        };
        let number = call.from.clone();
        self.log_call(call, CallLog::Ended).await?;
        self.routing_wake.notify_one();
        say.push(i18n::with(
            lang(&l),
            "voice-callback-confirm",
            &[("number", Arg::Text(&spoken_number(&number)))],
        ));
        Ok(VoiceStep::Goodbye { lang: l, say })
    }

    async fn agent_answered(&self, call: Call, now: Timestamp) -> Result<VoiceStep, AppError> {
        if line_of(&call)?.stage != CallStage::Ringing {
            return Ok(VoiceStep::Nothing);
        }
        let Some(agent) = call.agent else {
            return Ok(VoiceStep::Nothing);
        };
        self.move_call(
            &call,
            move |k| {
                k.answered_at = k.answered_at.or(Some(now));
                if let Some(lc) = k.line.as_mut() {
                    lc.stage = CallStage::Talking;
                }
            },
            ending_leg(Some(agent), LegEnd::Answered, now),
        )
        .await?;
        self.desk_signal(agent).await;
        Ok(VoiceStep::Nothing)
    }

    /// Ringing an agent ended: after a talk the call is over; else the
    /// caller goes back to the head of the queue (their place kept) and
    /// the next agent is tried.
    async fn dialed(
        &self,
        line: &VoiceLine,
        call: Call,
        end: LegEnd,
        duration: Option<i64>,
        now: Timestamp,
    ) -> Result<VoiceStep, AppError> {
        let stage = line_of(&call)?.stage;
        if call.direction == CallDirection::Outbound || end == LegEnd::Answered {
            if end == LegEnd::Answered && matches!(stage, CallStage::Ringing | CallStage::Talking) {
                let agent = call.agent;
                self.move_call(
                    &call,
                    move |k| {
                        let talk = duration.unwrap_or(0).max(0);
                        k.answered_at = k.answered_at.or(Some(Timestamp(now.0 - talk)));
                        k.duration_secs = Some(talk);
                        if let Some(lc) = k.line.as_mut() {
                            lc.stage = CallStage::Talking;
                        }
                    },
                    ending_leg(agent, LegEnd::Answered, now),
                )
                .await?;
            }
            return Ok(VoiceStep::Goodbye {
                lang: call_language(line, &call),
                say: Vec::new(),
            });
        }
        if stage != CallStage::Ringing {
            return Ok(VoiceStep::Nothing);
        }
        let agent = call.agent;
        let moved = self
            .move_call(
                &call,
                |k| {
                    k.agent = None;
                    if let Some(lc) = k.line.as_mut() {
                        lc.stage = CallStage::Queued;
                    }
                },
                ending_leg(agent, end, now),
            )
            .await?;
        if let Some(a) = agent {
            self.desk_signal(a).await;
        }
        let call = match moved {
            Some((call, ())) => call,
            None => self.fresh(&call).await?,
        };
        self.next_in_queue(line, call, Vec::new(), now).await
    }

    /// The call is over: how it ended, by where it was; then it is logged
    /// (a voicemail was logged when it was recorded). A repeated report
    /// changes nothing.
    async fn call_ended(
        &self,
        call: Call,
        end: CallEnd,
        duration: Option<i64>,
        now: Timestamp,
    ) -> Result<VoiceStep, AppError> {
        let mut call = call;
        for _ in 0..TRIES {
            if call.is_over() && line_of(&call)?.stage == CallStage::Over {
                return Ok(VoiceStep::Nothing);
            }
            let lc = line_of(&call)?.clone();
            let outcome = match (call.direction, lc.stage) {
                _ if call.outcome.is_some() => call.outcome,
                (CallDirection::Outbound, _) | (_, CallStage::Talking) => {
                    Some(if call.answered_at.is_some() {
                        CallOutcome::Answered
                    } else {
                        CallOutcome::Missed
                    })
                }
                (_, CallStage::Voicemail) if call.recording_url.is_some() => {
                    Some(CallOutcome::Voicemail)
                }
                (_, CallStage::Queued | CallStage::Ringing) => Some(CallOutcome::Abandoned),
                _ => Some(CallOutcome::Missed),
            };
            let ringing = (lc.stage == CallStage::Ringing)
                .then_some(call.agent)
                .flatten();
            let failed = matches!(end, CallEnd::Failed | CallEnd::Busy);
            let moved = self
                .move_call(
                    &call,
                    move |k| {
                        k.outcome = outcome;
                        k.ended_at = k.ended_at.or(Some(now));
                        k.duration_secs = k.duration_secs.or(duration);
                        if let Some(lc) = k.line.as_mut() {
                            lc.stage = CallStage::Over;
                        }
                    },
                    ending_leg(ringing, LegEnd::NoAnswer, now),
                )
                .await?;
            let Some((ended, ())) = moved else {
                call = self.fresh(&call).await?;
                continue;
            };
            if let Some(a) = ended.agent {
                self.desk_signal(a).await;
            }
            self.routing_wake.notify_one();
            let logged_before = matches!(
                (lc.stage, ended.outcome),
                (CallStage::Callback, _) | (_, Some(CallOutcome::Voicemail))
            );
            let self_served = lc.stage == CallStage::Over;
            if failed && ended.direction == CallDirection::Outbound {
                tracing::info!(call = ended.id.0, "an outbound call could not be placed");
            }
            match ended.direction {
                CallDirection::Outbound => self.log_outbound(ended).await?,
                CallDirection::Inbound if !logged_before && !self_served => {
                    self.log_call(ended, CallLog::Ended).await?;
                }
                CallDirection::Inbound => {}
            }
            return Ok(VoiceStep::Nothing);
        }
        Ok(VoiceStep::Nothing)
    }

    /// The caller's message is recorded: it is logged on their case now
    /// (its transcription follows when the provider has it) and its
    /// recording is fetched.
    async fn voicemail_recorded(
        &self,
        line: &VoiceLine,
        call: Call,
        url: Option<String>,
        duration: Option<i64>,
        now: Timestamp,
    ) -> Result<VoiceStep, AppError> {
        let l = call_language(line, &call);
        let Some(url) = url.filter(|_| duration.unwrap_or(1) > 0) else {
            return Ok(VoiceStep::Goodbye {
                say: vec![said(&l, "voice-goodbye")],
                lang: l,
            });
        };
        if line_of(&call)?.stage == CallStage::Voicemail && call.outcome.is_none() {
            let u = url.clone();
            let moved = self
                .move_call(
                    &call,
                    move |k| {
                        k.recording_url = Some(u.clone());
                        k.outcome = Some(CallOutcome::Voicemail);
                        k.ended_at = Some(now);
                    },
                    move |c, k| {
                        Box::pin(async move {
                            repo::queue_recording(c, k.id, &url, duration, now).await?;
                            Ok(())
                        })
                    },
                )
                .await?;
            if let Some((call, ())) = moved {
                self.log_call(call, CallLog::Voicemail).await?;
                self.routing_wake.notify_one();
            }
        }
        Ok(VoiceStep::Goodbye {
            say: vec![said(&l, "voice-voicemail-thanks")],
            lang: l,
        })
    }

    async fn recording_ready(
        &self,
        call: Call,
        url: String,
        duration: Option<i64>,
        now: Timestamp,
    ) -> Result<VoiceStep, AppError> {
        let id = call.id;
        self.write(move |c| {
            Box::pin(async move {
                repo::queue_recording(c, id, &url, duration, now).await?;
                call_repo::set_recording_url(c, id, &url).await?;
                Ok(())
            })
        })
        .await?;
        Ok(VoiceStep::Nothing)
    }

    /// The provider's transcription of a voicemail: kept on the call and
    /// added to the case in the caller's words.
    async fn transcribed(&self, call: Call, text: Option<String>) -> Result<VoiceStep, AppError> {
        let Some(text) = text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()) else {
            return Ok(VoiceStep::Nothing);
        };
        let id = call.id;
        let t = text.clone();
        self.write(move |c| {
            Box::pin(async move {
                call_repo::set_transcription(c, id, &t).await?;
                Ok(())
            })
        })
        .await?;
        let mut call = call;
        call.transcription = Some(text);
        self.log_call(call, CallLog::Transcription).await?;
        Ok(VoiceStep::Nothing)
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

/// What else a call's change writes in its transaction.
trait AlsoWrite:
    for<'t, 'c> FnOnce(&'t mut store::Conn<'c>, &'t Call) -> store::BoxFut<'t, Result<(), AppError>>
    + Send
    + 'static
{
}

impl<F> AlsoWrite for F where
    F: for<'t, 'c> FnOnce(
            &'t mut store::Conn<'c>,
            &'t Call,
        ) -> store::BoxFut<'t, Result<(), AppError>>
        + Send
        + 'static
{
}

/// Nothing else.
fn nothing_else() -> impl AlsoWrite {
    |_: &mut store::Conn<'_>, _: &Call| -> store::BoxFut<'_, Result<(), AppError>> {
        Box::pin(async { Ok(()) })
    }
}

/// The end of the leg ringing `agent`'s phone, if one rang.
fn ending_leg(agent: Option<UserId>, end: LegEnd, now: Timestamp) -> impl AlsoWrite {
    move |c: &mut store::Conn<'_>, k: &Call| -> store::BoxFut<'_, Result<(), AppError>> {
        let id = k.id;
        Box::pin(async move {
            if let Some(a) = agent {
                repo::end_leg(c, id, a, end, now).await?;
            }
            Ok(())
        })
    }
}

fn to_stage(stage: CallStage) -> impl FnOnce(&mut Call) + Send + 'static {
    move |k| {
        if let Some(lc) = k.line.as_mut() {
            lc.stage = stage;
        }
    }
}

fn call_language(line: &VoiceLine, call: &Call) -> String {
    call.line
        .as_ref()
        .and_then(|lc| lc.language.clone())
        .unwrap_or_else(|| line.settings.default_language().to_string())
}

/// The menu's options, said in `l` (an option with no label in `l` is
/// said with its other label).
fn menu_words(line: &VoiceLine, l: &str) -> Vec<String> {
    line.settings
        .menu
        .iter()
        .map(|o| {
            let label = o
                .label
                .said_in(l)
                .or_else(|| o.label.said_in(if l == "es" { "en" } else { "es" }))
                .unwrap_or_default();
            i18n::with(
                lang(l),
                "voice-menu-option",
                &[
                    ("label", Arg::Text(label)),
                    ("key", Arg::Number(i64::from(o.digit))),
                ],
            )
        })
        .collect()
}

/// A number said digit by digit ("+34 600…" → "6 0 0 …"), as a caller
/// checks it.
fn spoken_number(n: &str) -> String {
    let digits: Vec<String> = n
        .chars()
        .filter(char::is_ascii_digit)
        .map(String::from)
        .collect();
    digits.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_said_digit_by_digit() {
        assert_eq!(spoken_number("+34 600"), "3 4 6 0 0");
    }
}
