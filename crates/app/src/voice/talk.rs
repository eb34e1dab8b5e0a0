//! What Zendesk Talk's API answers, from atiende's calls, so integrations
//! that read Talk work unchanged: the account overview and each agent's
//! call activity over a period (admins), the queue now (staff), an
//! agent's phone availability (their call presence), and a voicemail
//! reported by another system as a case.

use crate::calls::CallEventInput;
use crate::error::require;
use crate::routing::ProfileChange;
use crate::{App, AppError, FieldError};
use domain::call_stats::{self, AgentCalls, Overview};
use domain::calls::{CallDirection, CallEventKind};
use domain::policy::Capability;
use domain::routing::Presence;
use domain::{Actor, GroupId, IdentityKind, TicketId, Timestamp, UserId};
use store::repo::{calls as call_repo, groups, routing, users, voice as repo};

/// An agent's calls with who they are and where they are now.
#[derive(Debug, Clone)]
pub struct AgentActivity {
    pub name: String,
    /// Their presence for calls.
    pub presence: Presence,
    /// On a call now.
    pub on_call: bool,
    /// Rung on their phone number (else in the provider's client).
    pub by_phone: bool,
    pub calls: AgentCalls,
}

/// The queue now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueNow {
    pub agents_online: i64,
    pub calls_waiting: i64,
    pub callbacks_waiting: i64,
    pub average_wait_time: i64,
    pub longest_wait_time: i64,
}

/// A voicemail another phone system took, to open a case with.
#[derive(Debug, Clone, Default)]
pub struct VoicemailInput {
    pub from: Option<String>,
    pub to: Option<String>,
    pub recording_url: Option<String>,
    pub transcription: Option<String>,
    pub duration_secs: Option<i64>,
    pub started_at: Option<Timestamp>,
    pub answered_by: Option<UserId>,
}

/// What a phone system asks to show an agent (Talk's display endpoints).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Display {
    /// A customer: their cases.
    User(UserId),
    Ticket(TicketId),
}

/// How long a request to show something waits for the agent's page.
const DISPLAY_SECS: i64 = 60;

/// One page of the incremental export of calls.
#[derive(Debug, Clone)]
pub struct CallsPage {
    pub calls: Vec<domain::calls::Call>,
    /// Where the next page starts (the last call's change).
    pub end_time: Timestamp,
    pub end_of_stream: bool,
}

/// The start of today (UTC): Talk's statistics cover the current day.
pub fn start_of_today(now: Timestamp) -> Timestamp {
    Timestamp(now.0 - now.0.rem_euclid(86_400))
}

impl App {
    /// The calls of the period, the overview's inputs read once.
    async fn period(
        &self,
        since: Timestamp,
    ) -> Result<(Vec<domain::calls::Call>, Vec<call_stats::Leg>), AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        Ok((
            call_repo::since(c, since).await?,
            repo::legs_since(c, since).await?,
        ))
    }

    /// Calls changed at or after `start`, oldest change first (Talk's
    /// incremental calls export; admins who export). A full page whose
    /// calls all changed in the same second moves on a second, so a
    /// client never pages in place.
    pub async fn export_calls(
        &self,
        actor: Actor,
        start: Timestamp,
        per_page: i64,
    ) -> Result<CallsPage, AppError> {
        crate::export::may_export(&actor)?;
        let per_page = per_page.clamp(1, 1000);
        let mut rc = self.read().await?;
        let calls = call_repo::changed_since(&mut rc.conn(), start, per_page).await?;
        let end_of_stream = (calls.len() as i64) < per_page;
        let last = calls.last().map_or(start, |k| k.updated_at);
        let end_time = if !end_of_stream && last == start {
            Timestamp(start.0 + 1)
        } else {
            last
        };
        Ok(CallsPage {
            calls,
            end_time,
            end_of_stream,
        })
    }

    /// Talk's account overview of the calls since `since` (admins).
    pub async fn call_overview(
        &self,
        actor: Actor,
        since: Timestamp,
    ) -> Result<Overview, AppError> {
        require(&actor, Capability::ManageRouting)?;
        self.calls_between(since, None).await
    }

    /// The overview of the calls that started within `[from, to)`, for
    /// reports (staff who see every ticket).
    pub async fn call_overview_between(
        &self,
        actor: Actor,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Overview, AppError> {
        require(&actor, Capability::ReadReports)?;
        self.calls_between(from, Some(to)).await
    }

    /// The overview of the calls started since `from` (and before `to`,
    /// when given: a past period is seen as it stood at its end).
    async fn calls_between(
        &self,
        from: Timestamp,
        to: Option<Timestamp>,
    ) -> Result<Overview, AppError> {
        let now = to.map_or_else(Timestamp::now, |to| Timestamp::now().min(to));
        let (mut calls, _) = self.period(from).await?;
        if let Some(to) = to {
            calls.retain(|k| k.started_at < to);
        }
        let book = self.rulebook().await?;
        let lines = {
            let mut rc = self.read().await?;
            repo::lines(&mut rc.conn()).await?
        };
        let line_of = |k: &domain::calls::Call| {
            k.line
                .as_ref()
                .and_then(|lc| lines.iter().find(|l| l.id == lc.line))
        };
        Ok(call_stats::overview(
            &calls,
            book.routing.call_wrap_up_seconds.max(0),
            now,
            |k| {
                line_of(k)
                    .is_some_and(|l| !book.schedule(l.settings.schedule).is_open(k.started_at))
            },
            |k| line_of(k).map(|l| l.settings.queue_timeout_secs),
        ))
    }

    /// Each agent's call activity since `since` (admins); only the members
    /// of `groups` when some are given.
    pub async fn agents_call_activity(
        &self,
        actor: Actor,
        since: Timestamp,
        in_groups: &[GroupId],
    ) -> Result<Vec<AgentActivity>, AppError> {
        require(&actor, Capability::ManageRouting)?;
        let now = Timestamp::now();
        let (calls, legs) = self.period(since).await?;
        let book = self.rulebook().await?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let mut staff: Vec<store::model::User> = users::staff(c).await?;
        if !in_groups.is_empty() {
            let mut members = Vec::new();
            for g in in_groups {
                members.extend(groups::members(c, *g).await?);
            }
            staff.retain(|u| members.contains(&u.id));
        }
        let ids: Vec<UserId> = staff.iter().map(|u| u.id).collect();
        let rows = call_stats::per_agent(
            &calls,
            &legs,
            book.routing.call_wrap_up_seconds.max(0),
            now,
            &ids,
        );
        let profiles = routing::profiles(c).await?;
        let mut out = Vec::new();
        for (u, calls_of) in staff.into_iter().zip(rows) {
            let presence = profiles
                .iter()
                .find(|p| p.user_id == u.id)
                .map_or(Presence::Offline, |p| p.presence[2]);
            let by_phone = users::identities(c, u.id)
                .await?
                .iter()
                .any(|i| i.kind == IdentityKind::Phone);
            let on_call = calls
                .iter()
                .any(|k| k.agent == Some(u.id) && k.answered_at.is_some() && k.ended_at.is_none());
            out.push(AgentActivity {
                name: u.name,
                presence,
                on_call,
                by_phone,
                calls: calls_of,
            });
        }
        Ok(out)
    }

    /// The queue now (staff): who is online for calls, who waits and for
    /// how long, and the callbacks asked for today that nobody made yet.
    pub async fn call_queue_now(&self, actor: Actor) -> Result<QueueNow, AppError> {
        require(&actor, Capability::WorkTheDesk)?;
        let now = Timestamp::now();
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let waiting = call_repo::waiting(c).await?;
        let waits: Vec<i64> = waiting
            .iter()
            .filter_map(|k| k.line.as_ref().and_then(|l| l.queued_at))
            .map(|q| (now.0 - q.0).max(0))
            .collect();
        let agents_online = routing::profiles(c)
            .await?
            .iter()
            .filter(|p| p.presence[2] == Presence::Online)
            .count() as i64;
        Ok(QueueNow {
            agents_online,
            calls_waiting: waiting.len() as i64,
            callbacks_waiting: call_repo::callbacks_waiting(c, start_of_today(now)).await?,
            average_wait_time: if waits.is_empty() {
                0
            } else {
                waits.iter().sum::<i64>() / waits.len() as i64
            },
            longest_wait_time: waits.iter().copied().max().unwrap_or(0),
        })
    }

    /// An agent's phone availability: their call presence (staff).
    pub async fn call_availability(
        &self,
        actor: Actor,
        agent: UserId,
    ) -> Result<Presence, AppError> {
        Ok(self.routing_profile(actor, agent).await?.presence[2])
    }

    /// Sets an agent's phone availability (themselves, or an admin).
    pub async fn set_call_availability(
        &self,
        actor: Actor,
        agent: UserId,
        presence: Presence,
    ) -> Result<Presence, AppError> {
        let change = ProfileChange {
            presence: [None, None, Some(presence)],
            ..Default::default()
        };
        Ok(self
            .update_routing_profile(actor, agent, change)
            .await?
            .presence[2])
    }

    /// A voicemail another phone system took becomes a case (Talk's
    /// voicemail tickets): logged like a voicemail reported by the CTI
    /// API, on the caller's open case or a new one.
    pub async fn voicemail_ticket(
        &self,
        actor: Actor,
        input: VoicemailInput,
    ) -> Result<TicketId, AppError> {
        let reported = self
            .call_event(
                actor,
                CallEventInput {
                    event: Some(CallEventKind::Voicemail),
                    provider: Some("zendesk-talk-api".into()),
                    call_id: Some(format!("vm-{}", crate::auth::random_token(20))),
                    direction: Some(CallDirection::Inbound),
                    from: input.from,
                    to: input.to,
                    agent: input.answered_by,
                    at: input.started_at,
                    duration_secs: input.duration_secs,
                    recording_url: input.recording_url,
                    transcription: input.transcription,
                },
            )
            .await?;
        reported.call.ticket.ok_or_else(|| {
            AppError::field(FieldError::invalid(
                "voice_comment",
                "the caller's number is hidden: no case can be opened",
            ))
        })
    }

    /// Shows an agent a case or a customer's cases in their workspace (a
    /// phone system's integration, with an admin's token): their page
    /// goes there at once. Only what the agent may see.
    pub async fn display_to_agent(
        &self,
        actor: Actor,
        agent: UserId,
        what: Display,
    ) -> Result<(), AppError> {
        require(&actor, Capability::ManageChannels)?;
        let agent_actor = {
            let mut rc = self.read().await?;
            users::get(&mut rc.conn(), agent)
                .await?
                .filter(|u| u.role.is_staff() && u.active)
                .map(|u| u.actor())
                .ok_or(AppError::NotFound)?
        };
        let path = match what {
            Display::Ticket(t) => {
                self.ticket(agent_actor, t).await?;
                format!("/agent/tickets/{}", t.0)
            }
            Display::User(u) => {
                self.user(agent_actor, u).await?;
                format!("/agent/search?q=requester%3A{}", u.0)
            }
        };
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                repo::set_display(c, agent, &path, now).await?;
                Ok(())
            })
        })
        .await?;
        self.desk_signal(agent).await;
        Ok(())
    }

    /// What the asking agent's page is to show now, if a phone system
    /// asked lately (taken: shown once). Every workspace page asks, so
    /// only a request there is costs a write.
    pub async fn take_display(&self, actor: Actor) -> Result<Option<String>, AppError> {
        require(&actor, Capability::WorkTheDesk)?;
        let user = actor.user;
        let asked = {
            let mut rc = self.read().await?;
            repo::display(&mut rc.conn(), user).await?
        };
        let Some((path, at)) = asked else {
            return Ok(None);
        };
        let taken = self
            .write(move |c| Box::pin(async move { Ok(repo::forget_display(c, user, at).await?) }))
            .await?;
        let fresh = at.0 >= Timestamp::now().0 - DISPLAY_SECS;
        Ok((taken && fresh).then_some(path))
    }
}
