//! Calls from any phone system (CTI): the system reports each call's
//! events — ringing, answered, ended, recording, voicemail — with its own
//! id of the call, through an admin's API token. Each call is kept once
//! per system and id, and each event is taken once (a system that repeats
//! one changes nothing). An inbound call that ends is logged on the
//! caller's case through the one way in — their open case continues, or
//! one opens, and routing gives a missed call or a voicemail to someone —
//! and a voicemail adds what the caller said.

use crate::ingest::{Inbound, InboundSender, IngestOutcome, Threaded};
use crate::voice::CallLog;
use crate::{App, AppError, FieldError};
use domain::calls::{Call, CallDirection, CallEventKind, CallOutcome};
use domain::policy::Capability;
use domain::user::normalize_identity;
use domain::{Actor, CallId, Channel, IdentityKind, Timestamp, UserId};
use i18n::{Arg, Lang};
use store::repo::{calls as repo, users};

/// The longest phone system name and call id.
const MAX_PROVIDER: usize = 64;
const MAX_CALL_ID: usize = 128;
/// The longest transcription kept.
const MAX_TRANSCRIPTION: usize = 20_000;

/// One event a phone system reports.
#[derive(Debug, Clone, Default)]
pub struct CallEventInput {
    pub event: Option<CallEventKind>,
    /// The phone system (a name its admins chose: `centralita`, `aircall`).
    pub provider: Option<String>,
    /// Its id of the call.
    pub call_id: Option<String>,
    /// Needed with the first event of a call (inbound by default).
    pub direction: Option<CallDirection>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub agent: Option<UserId>,
    /// When it happened (now when not given).
    pub at: Option<Timestamp>,
    /// The call's length, on `ended` (else counted from the answer).
    pub duration_secs: Option<i64>,
    pub recording_url: Option<String>,
    pub transcription: Option<String>,
}

/// How long a call that was never answered nor ended shows as ringing.
const RINGS_FOR_SECS: i64 = 120;

/// A call ringing for an agent, and the profile holding the caller's
/// number (none for an unknown number).
#[derive(Debug, Clone)]
pub struct Ringing {
    pub call: Call,
    pub caller: Option<store::model::User>,
}

/// What an event did.
#[derive(Debug, Clone)]
pub struct CallReported {
    pub call: Call,
    /// The system had reported this event before: nothing changed.
    pub repeated: bool,
}

fn required<T>(v: Option<T>, field: &str) -> Result<T, AppError> {
    v.ok_or_else(|| AppError::field(FieldError::blank(field)))
}

fn phone(v: Option<&str>, field: &str) -> Result<String, AppError> {
    let raw = required(v, field)?;
    normalize_identity(IdentityKind::Phone, raw).ok_or_else(|| {
        AppError::field(FieldError::invalid(
            field,
            "is not a phone number (E.164, like +34600112233)",
        ))
    })
}

/// Checks what an event says apart from the call it is about.
fn check(input: &CallEventInput) -> Result<(), AppError> {
    let word = |v: &str, max: usize| {
        !v.is_empty()
            && v.len() <= max
            && v.bytes()
                .all(|b| b.is_ascii_graphic() && b != b'/' && b != b'?')
    };
    if !required(input.provider.as_deref(), "provider").is_ok_and(|p| word(p, MAX_PROVIDER)) {
        return Err(AppError::field(FieldError::invalid(
            "provider",
            format!("needs 1 to {MAX_PROVIDER} visible characters"),
        )));
    }
    if !required(input.call_id.as_deref(), "call_id").is_ok_and(|p| word(p, MAX_CALL_ID)) {
        return Err(AppError::field(FieldError::invalid(
            "call_id",
            format!("needs 1 to {MAX_CALL_ID} visible characters"),
        )));
    }
    if input
        .duration_secs
        .is_some_and(|d| !(0..=86_400).contains(&d))
    {
        return Err(AppError::field(FieldError::invalid(
            "duration",
            "is 0 to 86400 seconds",
        )));
    }
    if let Some(url) = &input.recording_url
        && !((url.starts_with("https://") || url.starts_with("http://")) && url.len() <= 2000)
    {
        return Err(AppError::field(FieldError::invalid(
            "recording_url",
            "is an http(s) address",
        )));
    }
    Ok(())
}

/// Minutes and seconds, as the timeline shows a call's length.
pub(crate) fn length(secs: i64) -> String {
    format!("{} min {:02} s", secs / 60, secs % 60)
}

impl App {
    /// Takes one event a phone system reports (see the module's doc).
    pub async fn call_event(
        &self,
        actor: Actor,
        input: CallEventInput,
    ) -> Result<CallReported, AppError> {
        crate::error::require(&actor, Capability::ManageChannels)?;
        let kind = required(input.event, "event")?;
        check(&input)?;
        let provider = input.provider.clone().unwrap_or_default();
        let call_id = input.call_id.clone().unwrap_or_default();
        let at = input.at.unwrap_or_else(Timestamp::now);
        let known = {
            let mut rc = self.read().await?;
            let c = &mut rc.conn();
            if let Some(agent) = input.agent {
                let is_agent = users::get(c, agent)
                    .await?
                    .is_some_and(|u| u.role.is_staff());
                if !is_agent {
                    return Err(AppError::field(FieldError::invalid(
                        "agent_id",
                        "is not an agent",
                    )));
                }
            }
            repo::by_provider_id(c, &provider, &call_id).await?
        };
        // A call first heard of now: its numbers and direction are needed.
        let fresh = match known {
            Some(_) => None,
            None => {
                let direction = input.direction.unwrap_or(CallDirection::Inbound);
                let numbers = (
                    phone(input.from.as_deref(), "from")?,
                    phone(input.to.as_deref(), "to")?,
                );
                let mut k =
                    Call::first_heard((provider.clone(), call_id.clone()), direction, numbers, at);
                k.agent = input.agent;
                Some(k)
            }
        };
        let event = input.clone();
        let (call, repeated, rang_for) = self
            .write(move |c| {
                Box::pin(async move {
                    let mut call = match fresh {
                        Some(mut k) => {
                            k.customer =
                                users::by_identity(c, IdentityKind::Phone, k.customer_number())
                                    .await?
                                    .map(|u| u.id);
                            // Another report of it may have stored it
                            // first: read what is stored either way.
                            repo::insert(c, &k).await?;
                            repo::by_provider_id(c, &k.provider, &k.provider_call_id)
                                .await?
                                .ok_or(AppError::NotFound)?
                        }
                        None => repo::by_provider_id(c, &provider, &call_id)
                            .await?
                            .ok_or(AppError::NotFound)?,
                    };
                    if !repo::add_event(c, call.id, kind, at).await? {
                        return Ok((call, true, None));
                    }
                    let rang_for = call.agent;
                    apply(&mut call, kind, &event, at);
                    repo::update(c, &call).await?;
                    Ok((call, false, rang_for))
                })
            })
            .await?;
        // A repeated end is logged again: the log is once per call through
        // the way in's dedupe, so a report whose logging failed halfway
        // (a crash) is completed by the system's retry.
        let logs = call.direction == CallDirection::Inbound
            && matches!(kind, CallEventKind::Ended | CallEventKind::Voicemail);
        if repeated {
            let call = if logs {
                self.log_call(call, kind.into()).await?
            } else {
                call
            };
            return Ok(CallReported {
                call,
                repeated: true,
            });
        }
        // The agent's workspace shows the call while it rings, and stops
        // (also for the one it rang for, when another took it).
        if kind != CallEventKind::Recording {
            let mut agents: Vec<UserId> = [rang_for, call.agent].into_iter().flatten().collect();
            agents.dedup();
            for agent in agents {
                self.desk_signal(agent).await;
            }
        }
        if matches!(kind, CallEventKind::Ended | CallEventKind::Voicemail) {
            self.routing_wake.notify_one();
        }
        let call = if logs {
            self.log_call(call, kind.into()).await?
        } else {
            call
        };
        Ok(CallReported {
            call,
            repeated: false,
        })
    }

    /// The calls ringing for the asking agent (the screen-pop), each with
    /// the profile that holds the caller's number, if one does.
    pub async fn ringing_calls(&self, actor: Actor) -> Result<Vec<Ringing>, AppError> {
        crate::error::require(&actor, Capability::WorkTheDesk)?;
        let since = Timestamp(Timestamp::now().0 - RINGS_FOR_SECS);
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let mut out = Vec::new();
        for call in repo::ringing_for(c, actor.user, since).await? {
            let caller = users::by_identity(c, IdentityKind::Phone, call.customer_number()).await?;
            out.push(Ringing { call, caller });
        }
        Ok(out)
    }

    /// "Create customer" on a call from an unknown number: a profile
    /// holding the number (the one that already does, if any); the call
    /// is theirs from now on.
    pub async fn create_caller(&self, actor: Actor, id: CallId) -> Result<UserId, AppError> {
        crate::error::require(&actor, Capability::WorkTheDesk)?;
        let now = Timestamp::now();
        let user = self
            .write(move |c| {
                Box::pin(async move {
                    let mut call = repo::get(c, id).await?.ok_or(AppError::NotFound)?;
                    let number = call.customer_number().to_string();
                    let user = crate::ingest::find_or_create_by_identity(
                        c,
                        IdentityKind::Phone,
                        &number,
                        None,
                        now,
                    )
                    .await?;
                    call.customer = Some(user.id);
                    repo::update(c, &call).await?;
                    Ok(user.id)
                })
            })
            .await?;
        self.desk_signal(actor.user).await;
        Ok(user)
    }

    /// A call as the API shows it: staff who may see the case it is
    /// logged on (any staff while it is on none).
    pub async fn call(&self, actor: Actor, id: CallId) -> Result<Call, AppError> {
        crate::error::require_hidden(&actor, Capability::WorkTheDesk)?;
        let call = {
            let mut rc = self.read().await?;
            repo::get(&mut rc.conn(), id)
                .await?
                .ok_or(AppError::NotFound)?
        };
        if let Some(t) = call.ticket {
            self.ticket(actor, t).await?;
        }
        Ok(call)
    }

    /// Puts an inbound call on the caller's case through the one way in:
    /// how it ended, what the caller said (a voicemail), or what the
    /// provider heard in it (its transcription). Each entry once per call.
    pub(crate) async fn log_call(&self, mut call: Call, entry: CallLog) -> Result<Call, AppError> {
        // A caller who hid their number has no case to go on: the call
        // stays in the call log and the reports.
        if normalize_identity(IdentityKind::Phone, &call.from).is_none() {
            return Ok(call);
        }
        let (lang, agent_name) = {
            let mut rc = self.read().await?;
            let c = &mut rc.conn();
            // The language the caller chose on this call, else their
            // profile's.
            let chosen = call.line.as_ref().and_then(|l| l.language.as_deref());
            let lang = match (chosen, call.customer) {
                (Some(l), _) => Lang::from_locale(l),
                (None, Some(u)) => users::get(c, u)
                    .await?
                    .map_or(Lang::En, |u| Lang::from_locale(&u.locale)),
                (None, None) => Lang::En,
            };
            let agent = match call.agent {
                Some(a) => users::get(c, a).await?.map(|u| u.name),
                None => None,
            };
            (lang, agent)
        };
        let from = call.from.clone();
        let said = call
            .transcription
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty());
        let text = match (entry, call.outcome) {
            (CallLog::Transcription, _) => match said {
                Some(t) => i18n::with(
                    lang,
                    "call-transcription",
                    &[("from", Arg::Text(&from)), ("text", Arg::Text(t))],
                ),
                None => return Ok(call),
            },
            (CallLog::Voicemail, _) => match said {
                Some(t) => i18n::with(
                    lang,
                    "call-voicemail",
                    &[("from", Arg::Text(&from)), ("text", Arg::Text(t))],
                ),
                _ => i18n::with(lang, "call-voicemail-empty", &[("from", Arg::Text(&from))]),
            },
            (_, Some(CallOutcome::Answered)) => {
                let took = length(call.duration_secs.unwrap_or(0));
                match &agent_name {
                    Some(name) => i18n::with(
                        lang,
                        "call-answered-by",
                        &[
                            ("from", Arg::Text(&from)),
                            ("agent", Arg::Text(name)),
                            ("length", Arg::Text(&took)),
                        ],
                    ),
                    None => i18n::with(
                        lang,
                        "call-answered",
                        &[("from", Arg::Text(&from)), ("length", Arg::Text(&took))],
                    ),
                }
            }
            // A voicemail's call ends too: the voicemail is its entry.
            (_, Some(CallOutcome::Voicemail)) => return Ok(call),
            (_, Some(CallOutcome::Abandoned)) => {
                i18n::with(lang, "call-abandoned", &[("from", Arg::Text(&from))])
            }
            (_, Some(CallOutcome::Callback)) => {
                i18n::with(lang, "call-callback", &[("from", Arg::Text(&from))])
            }
            _ => i18n::with(lang, "call-missed", &[("from", Arg::Text(&from))]),
        };
        let external_id = match entry {
            CallLog::Voicemail => format!("call:{}:voicemail", call.id.0),
            CallLog::Transcription => format!("call:{}:transcription", call.id.0),
            CallLog::Ended => format!("call:{}", call.id.0),
        };
        let sender = InboundSender {
            kind: IdentityKind::Phone,
            value: from,
            display_name: None,
        };
        let inbound = Inbound::message(
            Channel::Voice,
            call.provider.clone(),
            Some(external_id),
            sender,
            text,
        );
        let landed = self.ingest(inbound).await?;
        let ticket = landed.ticket();
        // A case the answered call opened is the answering agent's.
        if let (IngestOutcome::Landed(_, Threaded::New), Some(agent), Some(CallOutcome::Answered)) =
            (&landed, call.agent, call.outcome)
        {
            // The call is logged either way; an agent who may not take
            // the case (their groups) leaves it to routing.
            if let Err(e) = self.give_to_answering_agent(ticket, agent).await {
                tracing::warn!(ticket = ticket.0, error = %e, "the answering agent could not take the call's case");
            }
        }
        let customer = {
            let mut rc = self.read().await?;
            store::repo::tickets::get(&mut rc.conn(), ticket, false)
                .await?
                .map(|t| t.requester_id)
        };
        call.ticket = Some(ticket);
        call.customer = customer.or(call.customer);
        let saved = call.clone();
        self.write(move |c| {
            Box::pin(async move {
                repo::update(c, &saved).await?;
                Ok(())
            })
        })
        .await?;
        Ok(call)
    }
}

impl App {
    /// Assigns a case to the agent who answered its call (as them: they
    /// took it), unless it is theirs already.
    async fn give_to_answering_agent(
        &self,
        ticket: domain::TicketId,
        agent: UserId,
    ) -> Result<(), AppError> {
        let actor = {
            let mut rc = self.read().await?;
            users::get(&mut rc.conn(), agent)
                .await?
                .filter(|u| u.role.is_staff())
                .map(|u| u.actor())
        };
        let Some(actor) = actor else {
            return Ok(());
        };
        let input = crate::tickets::TicketInput {
            assignee_id: Some(Some(agent)),
            ..Default::default()
        };
        self.update_ticket(actor, ticket, input, Channel::Voice)
            .await?;
        Ok(())
    }
}

/// What an event changes on its call.
fn apply(call: &mut Call, kind: CallEventKind, e: &CallEventInput, at: Timestamp) {
    match kind {
        CallEventKind::Ringing => {
            call.agent = e.agent.or(call.agent);
        }
        CallEventKind::Answered => {
            call.answered_at = call.answered_at.or(Some(at));
            call.agent = e.agent.or(call.agent);
        }
        CallEventKind::Ended => {
            call.ended_at = Some(at);
            call.duration_secs = e
                .duration_secs
                .or_else(|| call.answered_at.map(|a| (at.0 - a.0).max(0)));
            call.outcome = call.outcome.or(Some(if call.answered_at.is_some() {
                CallOutcome::Answered
            } else {
                CallOutcome::Missed
            }));
        }
        CallEventKind::Recording => {
            call.recording_url = e.recording_url.clone().or(call.recording_url.take());
        }
        CallEventKind::Voicemail => {
            call.outcome = Some(CallOutcome::Voicemail);
            call.ended_at = call.ended_at.or(Some(at));
            call.recording_url = e.recording_url.clone().or(call.recording_url.take());
            call.transcription = e
                .transcription
                .as_deref()
                .map(|t| t.chars().take(MAX_TRANSCRIPTION).collect())
                .or(call.transcription.take());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call() -> Call {
        Call::first_heard(
            ("pbx".into(), "c1".into()),
            CallDirection::Inbound,
            ("+34600112233".into(), "+34910000000".into()),
            Timestamp(100),
        )
    }

    #[test]
    fn a_call_ends_answered_missed_or_as_a_voicemail() {
        let e = CallEventInput::default();
        let mut answered = call();
        apply(&mut answered, CallEventKind::Answered, &e, Timestamp(110));
        apply(&mut answered, CallEventKind::Ended, &e, Timestamp(302));
        assert_eq!(answered.outcome, Some(CallOutcome::Answered));
        assert_eq!(answered.duration_secs, Some(192));
        assert_eq!(length(192), "3 min 12 s");

        let mut missed = call();
        apply(&mut missed, CallEventKind::Ended, &e, Timestamp(130));
        assert_eq!(missed.outcome, Some(CallOutcome::Missed));

        let mut voicemail = call();
        let said = CallEventInput {
            transcription: Some("Llamo por mi pedido".into()),
            ..Default::default()
        };
        apply(
            &mut voicemail,
            CallEventKind::Voicemail,
            &said,
            Timestamp(160),
        );
        apply(&mut voicemail, CallEventKind::Ended, &e, Timestamp(170));
        assert_eq!(
            voicemail.outcome,
            Some(CallOutcome::Voicemail),
            "the end keeps it"
        );
        assert_eq!(
            voicemail.transcription.as_deref(),
            Some("Llamo por mi pedido")
        );
    }
}
