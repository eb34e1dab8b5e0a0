//! The queue: the caller's place, the agent routing chooses and whose
//! phone rings, voicemail or a callback when nobody can answer.

use super::*;

impl App {
    /// The queue: ring an agent for the first caller when one can take
    /// the call; else say the caller's place and hold.
    pub(super) async fn next_in_queue(
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
                music: line.settings.hold_music_url.clone(),
                hold_secs: left.clamp(1, HOLD_SECS),
            });
        }
        Err(AppError::Conflict(
            "the call kept changing while it was answered".into(),
        ))
    }

    /// The agent routing would give this call to now, if anyone can take it.
    pub(super) async fn agent_for_call(
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
    pub(in crate::voice) async fn agent_phone(
        &self,
        agent: UserId,
    ) -> Result<AgentPhone, AppError> {
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
    pub(super) async fn nobody_can(
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

    pub(super) async fn queue_keys(
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
    pub(super) async fn call_back_later(
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
        let waiting_since = call.line.as_ref().and_then(|l| l.queued_at);
        let logged = self.log_call(call, CallLog::Ended).await?;
        // The caller keeps their place: their case waits in routing's
        // queue from when they started waiting on the phone.
        if let (Some(ticket), Some(since)) = (logged.ticket, waiting_since) {
            self.write(move |c| {
                Box::pin(async move {
                    store::repo::routing::keep_place(c, ticket, since).await?;
                    Ok(())
                })
            })
            .await?;
        }
        self.routing_wake.notify_one();
        say.push(i18n::with(
            lang(&l),
            "voice-callback-confirm",
            &[("number", Arg::Text(&spoken_number(&number)))],
        ));
        Ok(VoiceStep::Goodbye { lang: l, say })
    }

    pub(super) async fn agent_answered(
        &self,
        call: Call,
        now: Timestamp,
    ) -> Result<VoiceStep, AppError> {
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
    pub(super) async fn dialed(
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
}

/// A number said digit by digit ("+34 600…" → "6 0 0 …"), as a caller
/// checks it.
pub(super) fn spoken_number(n: &str) -> String {
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
