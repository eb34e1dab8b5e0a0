//! Routing every case to the most capable available agent. A new (or
//! re-routed) unassigned ticket is routed in the same transaction as its
//! write: the router gathers the candidates (the ticket's group, or every
//! agent), their skills, languages, capacity and load on the ticket's work
//! channel, their presence and working hours, and asks the domain's
//! `choose`. The decision and its reason land on the ticket as an audit
//! event. A ticket nobody qualifies for waits; the queue pass (one node at
//! a time) retries waiting tickets, drops optional skills and escalates to
//! another group as they wait, and re-routes assignments not acted on or
//! whose agent went offline.

mod profiles;
mod queue;
mod skills;

pub use profiles::ProfileChange;
pub use skills::ValueCondition;

use crate::pipeline::{Change, Hooks, WriteRequest};
use crate::rulebook::{ROUTING_KEY, RoutingSettings, RuleBook};
use crate::tickets::TicketInput;
use crate::{App, AppError, FieldError};
use domain::audit::AuditEvent;
use domain::routing::{Candidate, Decision, Needs, Presence, Requirement, WorkChannel, choose};
use domain::{Actor, Channel, GroupId, Role, TicketId, Timestamp, UserId};
use std::collections::HashMap;
use store::Conn;
use store::model::Ticket;
use store::repo::routing::{self as repo, Attribute, Profile, Route, RouteState, slot};
use store::repo::{groups, settings, tickets, users};

/// How long routing passes by an agent who declined a case (or let its
/// offer lapse): long enough for someone else to take it, short enough
/// that a case nobody else can take is offered again.
const DECLINES_REMEMBERED_SECONDS: i64 = 5 * 60;

/// A new Zendesk-style string id for attributes and values.
fn new_id() -> String {
    crate::auth::random_token(24).to_lowercase()
}

/// Refuses skills (an agent's or a ticket's) naming a value that does not
/// exist or a level outside 1–5.
async fn check_levels(
    c: &mut Conn<'_>,
    skills: impl Iterator<Item = (&String, u8)>,
) -> Result<(), AppError> {
    for (v, l) in skills {
        if repo::value(c, v).await?.is_none() {
            return Err(AppError::field(FieldError::invalid(
                "attribute_value_ids",
                format!("{v} is not a routing attribute value"),
            )));
        }
        if !(1..=5).contains(&l) {
            return Err(AppError::field(FieldError::invalid(
                "level",
                "must be 1 to 5",
            )));
        }
    }
    Ok(())
}

/// What a ticket needs: its requirements, language, work channel.
async fn needs_of(
    c: &mut Conn<'_>,
    book: &RuleBook,
    t: &Ticket,
    route: Option<&Route>,
    now: Timestamp,
) -> Result<(Needs, HashMap<String, i64>), AppError> {
    let reqs = repo::requirements(c, t.id).await?;
    let mut ids: HashMap<String, i64> = HashMap::new();
    let skills = reqs
        .into_iter()
        .map(|(v, level, optional)| {
            let n = ids.len() as i64 + 1;
            let skill = *ids.entry(v.clone()).or_insert(n);
            Requirement {
                skill,
                name: book.skill_names.get(&v).cloned().unwrap_or(v),
                min_level: level,
                optional,
            }
        })
        .collect();
    let language = match route {
        Some(r) => r.language.clone(),
        None => crate::language::required(c, t)
            .await?
            .map(|l| crate::language::code(l).to_string()),
    };
    Ok((
        Needs {
            channel: WorkChannel::of(t.via),
            skills,
            language,
            drop_optional: route.is_some_and(|r| r.optional_dropped),
            declined: repo::declined_since(c, t.id, Timestamp(now.0 - DECLINES_REMEMBERED_SECONDS))
                .await?,
        },
        ids,
    ))
}

/// Every agent who could take a case in `group` (all agents when none),
/// as the router sees them now on `channel`.
pub(crate) async fn candidates(
    c: &mut Conn<'_>,
    book: &RuleBook,
    group: Option<GroupId>,
    channel: WorkChannel,
    skill_ids: &HashMap<String, i64>,
    now: Timestamp,
) -> Result<Vec<Candidate>, AppError> {
    let profiles = repo::profiles(c).await?;
    let members = match group {
        Some(g) => Some(groups::members(c, g).await?),
        None => None,
    };
    let profiles: Vec<Profile> = profiles
        .into_iter()
        .filter(|p| members.as_ref().is_none_or(|m| m.contains(&p.user_id)))
        .collect();
    let ids: Vec<UserId> = profiles.iter().map(|p| p.user_id).collect();
    let people: HashMap<i64, store::model::User> =
        users::get_many(c, &ids.iter().map(|u| u.0).collect::<Vec<_>>())
            .await?
            .into_iter()
            .filter(|u| u.active && u.role != Role::EndUser)
            .map(|u| (u.id.0, u))
            .collect();
    let mut load: HashMap<i64, u32> = HashMap::new();
    let wrap_up = Timestamp(now.0 - book.routing.call_wrap_up_seconds.max(0));
    for (agent, via, n) in repo::loads(c, &ids, wrap_up).await? {
        if via.parse::<Channel>().map(WorkChannel::of) == Ok(channel) {
            *load.entry(agent.0).or_default() += u32::try_from(n).unwrap_or(u32::MAX);
        }
    }
    let all_skills = repo::skills_of(c, &ids).await?;
    let s = slot(channel);
    Ok(profiles
        .into_iter()
        .filter_map(|p| {
            let user = people.get(&p.user_id.0)?;
            let open = p
                .schedule_id
                .and_then(|id| book.schedules.get(&domain::ScheduleId(id)))
                .is_none_or(|sch| sch.is_open(now));
            Some(Candidate {
                id: p.user_id,
                name: user.name.clone(),
                available: p.presence[s] == Presence::Online && open,
                skills: all_skills
                    .iter()
                    .filter(|(u, _, _)| *u == p.user_id)
                    .filter_map(|(_, v, l)| skill_ids.get(v).map(|id| (*id, *l)))
                    .collect(),
                languages: p.languages.clone(),
                capacity: p.capacity[s],
                load: load.get(&p.user_id.0).copied().unwrap_or(0),
                last_assigned: p.last_assigned_at,
            })
        })
        .collect())
}

/// What routing decided for a ticket, not yet carried out: the pipeline
/// writes the assignment (or the new waiting reason) with the write's other
/// follow-ups, then [`settle`] records the route.
pub(crate) struct RoutingPlan {
    pub(crate) decision: Decision,
    route: Route,
    /// The reason to record on the ticket: the assignment's, or a waiting
    /// reason that differs from the last one recorded.
    pub(crate) note: Option<String>,
}

impl RoutingPlan {
    /// The agent chosen, if any.
    pub(crate) fn assignee(&self) -> Option<UserId> {
        match &self.decision {
            Decision::Assign { agent, .. } => Some(*agent),
            Decision::Wait { .. } => None,
        }
    }

    /// The ticket change that carries the decision out (empty when there is
    /// nothing to record).
    pub(crate) fn change(&self) -> TicketInput {
        TicketInput {
            assignee_id: self.assignee().map(Some),
            extra_events: self
                .note
                .iter()
                .map(|n| AuditEvent::Routing { value: n.clone() })
                .collect(),
            ..Default::default()
        }
    }
}

/// Decides who should take a ticket now, reading only.
pub(crate) async fn decide(
    c: &mut Conn<'_>,
    book: &RuleBook,
    t: &Ticket,
    now: Timestamp,
) -> Result<RoutingPlan, AppError> {
    let existing = repo::route(c, t.id).await?;
    let (needs, skill_ids) = needs_of(c, book, t, existing.as_ref(), now).await?;
    let group = t.group_id;
    let agents = candidates(c, book, group, needs.channel, &skill_ids, now).await?;
    let last = existing.as_ref().and_then(|r| r.assignee_id);
    let decision = choose(&needs, &agents, now, last);
    let mut route = existing.unwrap_or(Route {
        ticket_id: t.id,
        state: RouteState::Waiting,
        group_id: group.map(|g| g.0),
        channel: needs.channel,
        language: needs.language.clone(),
        queued_at: now,
        assigned_at: None,
        assignee_id: None,
        optional_dropped: false,
        escalations: 0,
        last_reason: None,
        updated_at: now,
    });
    route.group_id = group.map(|g| g.0);
    route.updated_at = now;
    let note = match &decision {
        Decision::Assign { agent, reason } => {
            route.state = RouteState::Assigned;
            route.assignee_id = Some(*agent);
            route.assigned_at = Some(now);
            route.last_reason = Some(reason.clone());
            Some(reason.clone())
        }
        Decision::Wait { reason } => {
            let reason = format!("waiting in the queue: {reason}");
            let new = route.last_reason.as_deref() != Some(reason.as_str())
                || route.state != RouteState::Waiting;
            route.state = RouteState::Waiting;
            route.assignee_id = None;
            route.last_reason = Some(reason.clone());
            new.then_some(reason)
        }
    };
    Ok(RoutingPlan {
        decision,
        route,
        note,
    })
}

/// Records a new waiting reason on the ticket without changing it (its
/// update time stays: waiting is not activity). Nothing for an assignment,
/// which the ticket's own write carries.
pub(crate) async fn note_waiting(
    c: &mut Conn<'_>,
    ticket: TicketId,
    plan: &RoutingPlan,
    now: Timestamp,
) -> Result<(), AppError> {
    if plan.assignee().is_some() {
        return Ok(());
    }
    let Some(reason) = &plan.note else {
        return Ok(());
    };
    let events = [AuditEvent::Routing {
        value: reason.clone(),
    }];
    store::repo::comments::insert_audit(
        c,
        ticket,
        domain::permission::SYSTEM_USER,
        Channel::Rule,
        &events,
        now,
    )
    .await?;
    Ok(())
}

/// Records a decision once the ticket carries it: the route's state and
/// the agent's last assignment (for round robin).
pub(crate) async fn settle(
    c: &mut Conn<'_>,
    plan: &RoutingPlan,
    now: Timestamp,
) -> Result<(), AppError> {
    if let Some(agent) = plan.assignee()
        && let Some(mut p) = repo::profile(c, agent).await?
    {
        p.last_assigned_at = Some(now);
        repo::save_profile(c, &p).await?;
    }
    repo::save_route(c, &plan.route).await?;
    Ok(())
}

/// A change atiende makes on its own (the queue pass re-routing or
/// escalating), through the write pipeline like any other: triggers and
/// SLA clocks see it.
async fn system_update(
    c: &mut Conn<'_>,
    hooks: &Hooks,
    id: TicketId,
    input: TicketInput,
    now: Timestamp,
) -> Result<Ticket, AppError> {
    let change = Change::Update {
        id,
        input,
        text: None,
    };
    let req = WriteRequest::new(Actor::system(), Channel::Rule, change);
    Ok(crate::pipeline::write(c, hooks, req, now)
        .await?
        .ok_or(AppError::NotFound)?
        .ticket)
}

/// Whether any agent is online on a channel with room for it there (a
/// chat nobody can take live continues by email).
pub(crate) async fn anyone_online(
    c: &mut Conn<'_>,
    channel: WorkChannel,
) -> Result<bool, AppError> {
    let i = slot(channel);
    Ok(repo::profiles(c)
        .await?
        .iter()
        .any(|p| p.presence[i] == Presence::Online && p.capacity[i] > 0))
}

/// Routes a ticket outside a write (the queue pass, changed needs): the
/// assignment is written through the pipeline, a new waiting reason noted.
/// Returns whether someone was assigned.
async fn route_now(
    c: &mut Conn<'_>,
    hooks: &Hooks,
    t: &Ticket,
    now: Timestamp,
) -> Result<bool, AppError> {
    let plan = decide(c, &hooks.book, t, now).await?;
    if plan.assignee().is_some() {
        system_update(c, hooks, t.id, plan.change(), now).await?;
    } else {
        note_waiting(c, t.id, &plan, now).await?;
    }
    settle(c, &plan, now).await?;
    Ok(plan.assignee().is_some())
}

/// The agent a case was routed to took it (accepted its chat): routing is
/// done with it, as when they act on it in a write.
pub(crate) async fn taken_by(
    c: &mut Conn<'_>,
    ticket: TicketId,
    agent: UserId,
    now: Timestamp,
) -> Result<(), AppError> {
    if let Some(mut r) = repo::route(c, ticket).await?
        && r.state == RouteState::Assigned
        && r.assignee_id == Some(agent)
    {
        r.state = RouteState::Done;
        r.updated_at = now;
        repo::save_route(c, &r).await?;
    }
    Ok(())
}

/// The router's stage of a ticket write: the assignee acting ends routing;
/// a new or re-routed unassigned ticket (as the write and its rules leave
/// it) is routed. Atiende's own writes are not routed again.
pub(crate) async fn stage(
    c: &mut Conn<'_>,
    book: &RuleBook,
    t: &Ticket,
    before: Option<&Ticket>,
    actor: &Actor,
    asked: bool,
    now: Timestamp,
) -> Result<Option<RoutingPlan>, AppError> {
    // With routing off (and no rule asking), a write costs no query here.
    if !book.routing.enabled && !asked {
        return Ok(None);
    }
    if let Some(mut r) = repo::route(c, t.id).await?
        && r.state == RouteState::Assigned
    {
        let acted = Some(actor.user) == r.assignee_id;
        let reassigned = !actor.is_system() && t.assignee_id != r.assignee_id;
        if acted || reassigned || t.status.is_done() {
            r.state = RouteState::Done;
            r.updated_at = now;
            repo::save_route(c, &r).await?;
        }
    }
    let fresh = before.is_none();
    let group_moved = before.is_some_and(|b| b.group_id != t.group_id);
    let wanted = asked || (book.routing.enabled && (fresh || group_moved));
    if wanted && t.assignee_id.is_none() && !t.status.is_done() && !actor.is_system() {
        return Ok(Some(decide(c, book, t, now).await?));
    }
    Ok(None)
}

/// A trigger's `add_skills` / `set_skills`: `["value_id", "value_id:3",
/// "value_id:2:optional"]`.
pub(crate) async fn set_needs_from_action(
    c: &mut Conn<'_>,
    ticket: TicketId,
    values: &[String],
    replace: bool,
) -> Result<(), AppError> {
    let mut needs = if replace {
        vec![]
    } else {
        repo::requirements(c, ticket).await?
    };
    for v in values.iter().flat_map(|v| v.split_whitespace()) {
        let mut parts = v.split(':');
        let id = parts.next().unwrap_or("").to_string();
        if repo::value(c, &id).await?.is_none() {
            continue;
        }
        let level = parts
            .next()
            .and_then(|l| l.parse().ok())
            .unwrap_or(1u8)
            .clamp(1, 5);
        let optional = parts.next() == Some("optional");
        needs.retain(|(x, _, _)| *x != id);
        needs.push((id, level, optional));
    }
    repo::set_requirements(c, ticket, &needs).await?;
    Ok(())
}

/// A skill as an admin gives it: `(value id, level)`.
pub type SkillLevel = (String, u8);
