//! How a call ends: its outcome and its log on the caller's case, the
//! voicemail, the recording and its transcription.

use super::*;

impl App {
    /// The call is over: how it ended, by where it was (what the provider
    /// calls its end — busy, no answer — adds nothing to that); then it is
    /// logged (a voicemail was logged when it was recorded). A repeated
    /// report changes nothing; a log that failed is completed by
    /// [`App::log_unlogged_calls`].
    pub(super) async fn call_ended(
        &self,
        call: Call,
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
    pub(super) async fn voicemail_recorded(
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
        // Any call not over yet: a message left after an apology (a
        // webhook that could not be read) counts as much as one left from
        // the queue.
        if call.outcome.is_none() {
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

    pub(super) async fn recording_ready(
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
    pub(super) async fn transcribed(
        &self,
        call: Call,
        text: Option<String>,
    ) -> Result<VoiceStep, AppError> {
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

    /// Logs the calls that ended lately on no case though they should be
    /// on one (a log that failed halfway: a crash, a database that went
    /// away); each entry lands once, by its external id. Returns how many.
    pub async fn log_unlogged_calls(&self) -> Result<usize, AppError> {
        /// Long enough for the webhook that logs a call to have done so.
        const SETTLE_SECS: i64 = 30;
        let now = Timestamp::now();
        let (calls, lines) = {
            let mut rc = self.read().await?;
            let c = &mut rc.conn();
            (
                call_repo::unlogged(
                    c,
                    Timestamp(now.0 - 86_400),
                    Timestamp(now.0 - SETTLE_SECS),
                    100,
                )
                .await?,
                repo::lines(c).await?,
            )
        };
        let mut logged = 0;
        for call in calls {
            let Some(lc) = call.line.as_ref() else {
                continue;
            };
            let heard_a_message = lines
                .iter()
                .find(|l| l.id == lc.line)
                .and_then(|l| lc.menu_choice.and_then(|d| l.settings.option(d)))
                .is_some_and(|o| matches!(o.target, MenuTarget::Message { .. }));
            if heard_a_message || normalize_identity(IdentityKind::Phone, &call.from).is_none() {
                continue;
            }
            let entry = match call.outcome {
                Some(CallOutcome::Voicemail) => CallLog::Voicemail,
                _ => CallLog::Ended,
            };
            self.log_call(call, entry).await?;
            logged += 1;
        }
        Ok(logged)
    }
}
