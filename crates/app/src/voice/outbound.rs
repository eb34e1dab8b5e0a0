//! Click-to-call: an agent calls the customer of a case. The provider
//! rings the agent first (their phone number, or their browser client);
//! when they pick up it asks the line what to do and we connect the
//! customer. The call is logged on the case as the agent's note when it
//! ends; a call back to a caller who asked for one counts as their
//! callback made.

use super::{TWILIO, hook_path};
use crate::error::require;
use crate::tickets::{CommentInput, TicketInput};
use crate::{App, AppError, FieldError};
use domain::calls::{Call, CallDirection, CallOutcome, LineCall};
use domain::policy::Capability;
use domain::voice::CallStage;
use domain::{Actor, Channel, IdentityKind, TicketId, Timestamp};
use i18n::{Arg, Lang};
use store::repo::{calls as call_repo, users, voice as repo};

impl App {
    /// Calls the customer of a case for the asking agent; returns the call.
    pub async fn place_call(&self, actor: Actor, ticket: TicketId) -> Result<Call, AppError> {
        require(&actor, Capability::WorkTheDesk)?;
        let t = self.ticket(actor, ticket).await?;
        let voice = self
            .voice
            .clone()
            .ok_or_else(|| AppError::Unavailable("no voice provider is wired".into()))?;
        let base = self.public_url.clone().ok_or_else(|| {
            AppError::Unavailable("set public_url: the provider calls us there".into())
        })?;
        let (line, creds, customer, callback_of) = {
            let mut rc = self.read().await?;
            let c = &mut rc.conn();
            let calls = call_repo::on_ticket(c, ticket).await?;
            // The line the customer called, else the first one working.
            let lines = repo::lines(c).await?;
            let used = calls
                .iter()
                .rev()
                .find_map(|k| k.line.as_ref().map(|l| l.line));
            let line = lines
                .iter()
                .find(|l| l.enabled && Some(l.id) == used)
                .or_else(|| lines.iter().find(|l| l.enabled))
                .cloned()
                .ok_or_else(|| {
                    AppError::field(FieldError::invalid("line", "no phone line is connected"))
                })?;
            let creds = repo::line_credentials(c, line.id).await?;
            let number = users::identities(c, t.requester_id)
                .await?
                .into_iter()
                .find(|i| i.kind == IdentityKind::Phone)
                .map(|i| i.value)
                .ok_or_else(|| {
                    AppError::field(FieldError::invalid(
                        "requester",
                        "has no phone number on their profile",
                    ))
                })?;
            let callback_of = calls
                .iter()
                .rev()
                .find(|k| k.outcome == Some(CallOutcome::Callback))
                .map(|k| k.id);
            (line, creds, number, callback_of)
        };
        let agent_phone = self.agent_phone(actor.user).await?;
        let now = Timestamp::now();
        let mut call = Call::first_heard(
            (
                TWILIO.into(),
                format!("pending-{}", crate::auth::random_token(24)),
            ),
            CallDirection::Outbound,
            (line.number.clone(), customer),
            now,
        );
        call.agent = Some(actor.user);
        call.customer = Some(t.requester_id);
        call.ticket = Some(ticket);
        call.callback_of = callback_of;
        call.line = Some(LineCall {
            line: line.id,
            stage: CallStage::Ringing,
            language: None,
            menu_choice: None,
            queued_at: None,
        });
        let k = call.clone();
        let id = self
            .write(move |c| {
                Box::pin(async move {
                    call_repo::insert(c, &k).await?;
                    let id = call_repo::by_provider_id(c, &k.provider, &k.provider_call_id)
                        .await?
                        .ok_or(AppError::NotFound)?
                        .id;
                    call_repo::set_ticket(c, id, ticket).await?;
                    Ok(id)
                })
            })
            .await?;
        call.id = id;
        let answer = format!(
            "{base}{}",
            hook_path(line.id, &format!("outbound/{}", id.0))
        );
        let status = format!("{base}{}", hook_path(line.id, "status"));
        match voice
            .place_call(&line, &creds, &agent_phone, &answer, &status)
            .await
        {
            Ok(sid) => {
                call.provider_call_id = sid;
                let (k, line_id) = (call.clone(), line.id);
                self.write(move |c| {
                    Box::pin(async move {
                        call_repo::update(c, &k).await?;
                        repo::note_line(c, line_id, Some(now), None).await?;
                        Ok(())
                    })
                })
                .await?;
                Ok(call)
            }
            Err(why) => {
                call.outcome = Some(CallOutcome::Missed);
                call.ended_at = Some(now);
                if let Some(lc) = call.line.as_mut() {
                    lc.stage = CallStage::Over;
                }
                let (k, line_id, w) = (call.clone(), line.id, why.clone());
                self.write(move |c| {
                    Box::pin(async move {
                        call_repo::update(c, &k).await?;
                        repo::note_line(c, line_id, None, Some(&w)).await?;
                        Ok(())
                    })
                })
                .await?;
                Err(AppError::field(FieldError::invalid(
                    "line",
                    format!("the provider refused the call: {why}"),
                )))
            }
        }
    }

    /// The outbound call a webhook of the provider names by our id (its
    /// "the agent picked up" request carries our id in its address).
    pub async fn outbound_call(&self, id: domain::CallId) -> Result<Option<Call>, AppError> {
        let mut rc = self.read().await?;
        Ok(call_repo::get(&mut rc.conn(), id)
            .await?
            .filter(|k| k.direction == CallDirection::Outbound && k.line.is_some()))
    }

    /// Keeps the provider's id of an outbound call we placed, if its
    /// answer to our request has not been kept yet (the agent picked up
    /// first).
    pub async fn settle_outbound_sid(&self, id: domain::CallId, sid: &str) -> Result<(), AppError> {
        let Some(mut call) = self.outbound_call(id).await? else {
            return Ok(());
        };
        if !call.provider_call_id.starts_with("pending-") || sid.is_empty() || sid.len() > 128 {
            return Ok(());
        }
        call.provider_call_id = sid.to_string();
        self.write(move |c| {
            Box::pin(async move {
                call_repo::update(c, &call).await?;
                Ok(())
            })
        })
        .await
    }

    /// An outbound call is logged on its case as the agent's note.
    pub(super) async fn log_outbound(&self, call: Call) -> Result<(), AppError> {
        let (Some(ticket), Some(agent)) = (call.ticket, call.agent) else {
            return Ok(());
        };
        let actor = {
            let mut rc = self.read().await?;
            users::get(&mut rc.conn(), agent)
                .await?
                .filter(|u| u.role.is_staff())
                .map(|u| (u.actor(), u.name, Lang::from_locale(&u.locale)))
        };
        let Some((actor, name, lang)) = actor else {
            return Ok(());
        };
        let text = match call.outcome {
            Some(CallOutcome::Answered) => i18n::with(
                lang,
                "call-outbound-answered",
                &[
                    ("agent", Arg::Text(&name)),
                    ("to", Arg::Text(&call.to)),
                    (
                        "length",
                        Arg::Text(&crate::calls::length(call.duration_secs.unwrap_or(0))),
                    ),
                ],
            ),
            _ => i18n::with(
                lang,
                "call-outbound-unanswered",
                &[("agent", Arg::Text(&name)), ("to", Arg::Text(&call.to))],
            ),
        };
        let input = TicketInput {
            comment: Some(CommentInput {
                body: Some(text),
                public: Some(false),
                ..Default::default()
            }),
            ..Default::default()
        };
        self.update_ticket(actor, ticket, input, Channel::Voice)
            .await?;
        Ok(())
    }
}
