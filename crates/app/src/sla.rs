//! SLA policies (Zendesk's `slas/policies`) and each ticket's SLA clock:
//! every ticket write appends what happened (a customer comment, an agent
//! reply, a status) to the ticket's SLA history in the same transaction,
//! picks the first policy whose filter matches, and stores each target's
//! state and the nearest due instant. The breach watcher announces a
//! target that ran out on the ticket and lets triggers react. Ticket
//! metrics come from the ticket's audits, computed when asked.

use crate::rulebook::{RuleBook, parse_conditions, parse_targets};
use crate::{App, AppError, FieldError};
use domain::audit::AuditEvent;
use domain::audit_log::{AdminAction, AdminChange, AdminSource};
use domain::rules::Facts;
use domain::sla::{Event, Happening, Target, TargetState, TargetView, evaluate_all};
use domain::{Actor, SlaPolicyId, Status, TicketId, Timestamp};
use serde_json::Value as Json;
use store::Conn;
use store::model::Ticket;
use store::repo::sla::{self, Policy, TicketSla};

/// A happening as stored in a ticket's SLA history.
fn word(h: Happening) -> String {
    match h {
        Happening::Created { by_agent: false } => "created".into(),
        Happening::Created { by_agent: true } => "created_by_agent".into(),
        Happening::CustomerComment => "customer".into(),
        Happening::AgentReply => "agent".into(),
        Happening::Status(s) => format!("status:{s}"),
    }
}

fn parse_word(s: &str) -> Option<Happening> {
    Some(match s {
        "created" => Happening::Created { by_agent: false },
        "created_by_agent" => Happening::Created { by_agent: true },
        "customer" => Happening::CustomerComment,
        "agent" => Happening::AgentReply,
        other => Happening::Status(other.strip_prefix("status:")?.parse().ok()?),
    })
}

fn history(json: &str) -> Vec<Event> {
    serde_json::from_str::<Vec<(i64, String)>>(json)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(at, w)| {
            Some(Event {
                at: Timestamp(at),
                what: parse_word(&w)?,
            })
        })
        .collect()
}

fn history_json(events: &[Event]) -> String {
    let rows: Vec<(i64, String)> = events.iter().map(|e| (e.at.0, word(e.what))).collect();
    serde_json::to_string(&rows).unwrap_or_else(|_| "[]".into())
}

/// The targets of a policy that apply to a priority.
fn targets_for(book_targets: &[(Option<domain::Priority>, Target)], t: &Ticket) -> Vec<Target> {
    let exact: Vec<Target> = book_targets
        .iter()
        .filter(|(p, _)| p.is_some() && *p == t.priority)
        .map(|(_, x)| *x)
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    let normal = t.priority.unwrap_or(domain::Priority::Normal);
    let fallback: Vec<Target> = book_targets
        .iter()
        .filter(|(p, _)| p.is_none() || (t.priority.is_none() && *p == Some(normal)))
        .map(|(_, x)| *x)
        .collect();
    fallback
}

/// What a ticket write means for SLA clocks.
pub(crate) fn happenings(
    t: &Ticket,
    before: Option<&Ticket>,
    comment: Option<&store::model::Comment>,
    actor: &Actor,
) -> Vec<Happening> {
    let mut out = Vec::new();
    match before {
        None => out.push(Happening::Created {
            by_agent: actor.is_staff() && comment.is_none_or(|c| c.author_id != t.requester_id),
        }),
        Some(b) => {
            if let Some(c) = comment.filter(|c| c.public) {
                if c.author_id != t.requester_id && actor.is_staff() {
                    out.push(Happening::AgentReply);
                } else {
                    out.push(Happening::CustomerComment);
                }
            }
            if b.status != t.status {
                out.push(Happening::Status(t.status));
            }
        }
    }
    if before.is_none() && t.status != Status::New {
        out.push(Happening::Status(t.status));
    }
    out
}

/// Updates a ticket's SLA clock inside the write's transaction. Costs
/// nothing when there are no policies and the ticket never had one.
pub(crate) async fn on_ticket_write(
    c: &mut Conn<'_>,
    book: &RuleBook,
    t: &Ticket,
    new: &[Happening],
    facts: &Facts,
    now: Timestamp,
) -> Result<(), AppError> {
    if book.policies.is_empty() {
        return Ok(());
    }
    let stored = sla::ticket_sla(c, t.id).await?;
    let mut events = stored
        .as_ref()
        .map(|s| history(&s.history))
        .unwrap_or_default();
    events.extend(new.iter().map(|h| Event { at: now, what: *h }));
    let policy = book.policies.iter().find(|p| facts.matches(&p.filter));
    let (targets_json, next_due) = match policy {
        Some(p) => {
            let targets = targets_for(&p.targets, t);
            let schedule = book.schedule(p.schedule_id);
            let (states, _) = evaluate_all(&targets, &events, &schedule);
            let announced = stored.as_ref().and_then(|s| s.breach_announced_at);
            let next = states
                .iter()
                .filter_map(|s| match s.state {
                    TargetState::Active { due: Some(d) } if announced.is_none_or(|a| d.0 > a.0) => {
                        Some(d)
                    }
                    _ => None,
                })
                .min();
            let list: Vec<TargetView> = states
                .iter()
                .map(|s| TargetView::of(&s.target, &s.state, now))
                .collect();
            (
                serde_json::to_string(&list).unwrap_or_else(|_| "[]".into()),
                next,
            )
        }
        None => ("[]".to_string(), None),
    };
    sla::save_ticket_sla(
        c,
        &TicketSla {
            ticket_id: t.id,
            policy_id: policy.map(|p| p.id),
            history: history_json(&events),
            targets: targets_json,
            next_due_at: next_due,
            breach_announced_at: stored.and_then(|s| s.breach_announced_at),
            updated_at: now,
        },
    )
    .await?;
    Ok(())
}

/// A ticket's SLA as shown: the policy and each target's stage.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketSlaView {
    pub policy_id: Option<SlaPolicyId>,
    pub targets: Vec<TargetView>,
}

impl TicketSlaView {
    /// The soonest-due active target.
    pub fn next(&self) -> Option<&TargetView> {
        self.targets
            .iter()
            .filter(|t| t.due().is_some())
            .min_by_key(|t| t.breach_at)
    }
}

fn view(s: &TicketSla) -> TicketSlaView {
    TicketSlaView {
        policy_id: s.policy_id,
        targets: serde_json::from_str(&s.targets).unwrap_or_default(),
    }
}

/// Parses a Zendesk `sla_policy` record into a stored policy.
pub fn policy_from_json(body: &Json, mut p: Policy) -> Result<Policy, AppError> {
    if let Some(t) = body.get("title").and_then(Json::as_str) {
        p.title = t.trim().to_string();
    }
    if p.title.is_empty() {
        return Err(AppError::field(FieldError::blank("title")));
    }
    if let Some(d) = body.get("description") {
        p.description = d.as_str().map(str::to_string);
    }
    if let Some(pos) = body.get("position").and_then(Json::as_i64) {
        p.position = pos;
    }
    if let Some(f) = body.get("filter") {
        parse_conditions(f, "filter")?;
        p.filter = f.to_string();
    }
    if let Some(m) = body.get("policy_metrics") {
        if parse_targets(m)?.is_empty() {
            return Err(AppError::field(FieldError::blank("policy_metrics")));
        }
        p.metrics = m.to_string();
    }
    if let Some(s) = body.get("schedule_id") {
        p.schedule_id = s.as_i64().map(domain::ScheduleId);
    }
    Ok(p)
}

/// A ticket's SLA history rebuilt from its audits (for metrics).
pub(crate) fn events_from_audits(
    audits: &[store::model::Audit],
    requester: domain::UserId,
    staff: &[domain::UserId],
) -> Vec<Event> {
    caused_events(audits, requester, staff)
        .into_iter()
        .map(|(_, e)| e)
        .collect()
}

/// Which of these audits' authors are staff (their replies are agents'
/// replies).
pub(crate) async fn staff_among(
    c: &mut store::Conn<'_>,
    audits: &[store::model::Audit],
) -> Result<Vec<domain::UserId>, AppError> {
    let mut authors: Vec<i64> = audits.iter().map(|a| a.author_id.0).collect();
    authors.sort_unstable();
    authors.dedup();
    Ok(store::repo::users::get_many(c, &authors)
        .await?
        .into_iter()
        .filter(|u| u.role.is_staff())
        .map(|u| u.id)
        .collect())
}

/// The same history, each happening with the index of the audit it
/// came from (metric events are numbered by their audit).
pub(crate) fn caused_events(
    audits: &[store::model::Audit],
    requester: domain::UserId,
    staff: &[domain::UserId],
) -> Vec<(usize, Event)> {
    let mut out = Vec::new();
    for (i, a) in audits.iter().enumerate() {
        let at = a.created_at;
        let by_staff =
            staff.contains(&a.author_id) || a.author_id == domain::permission::SYSTEM_USER;
        if i == 0 {
            out.push((
                i,
                Event {
                    at,
                    what: Happening::Created {
                        by_agent: by_staff && a.author_id != requester,
                    },
                },
            ));
        }
        for e in &a.events {
            match e {
                AuditEvent::Comment(cm) if i > 0 && cm.public => {
                    let author = cm.author_id;
                    let what = if staff.contains(&author) && author != requester {
                        Happening::AgentReply
                    } else {
                        Happening::CustomerComment
                    };
                    out.push((i, Event { at, what }));
                }
                AuditEvent::Create { field_name, value }
                | AuditEvent::Change {
                    field_name, value, ..
                } if field_name == "status" => {
                    if let Some(st) = value.as_str().and_then(|v| v.parse::<Status>().ok())
                        && !(i == 0 && st == Status::New)
                    {
                        out.push((
                            i,
                            Event {
                                at,
                                what: Happening::Status(st),
                            },
                        ));
                    }
                }
                _ => {}
            }
        }
    }
    out
}

impl App {
    /// Zendesk's ticket metrics (calendar and business minutes on the
    /// default schedule), computed from the ticket's audits.
    pub async fn ticket_metrics(
        &self,
        actor: Actor,
        id: TicketId,
    ) -> Result<(Ticket, domain::sla::Metrics), AppError> {
        crate::error::require_hidden(&actor, domain::policy::Capability::WorkTheDesk)?;
        let t = self.ticket(actor, id).await?;
        let mut page = self.metrics_of(vec![t]).await?;
        page.pop().ok_or(AppError::NotFound)
    }

    /// Zendesk's ticket metrics of a page of the tickets the caller sees
    /// (`GET /api/v2/ticket_metrics`), each computed from its audits.
    pub async fn ticket_metrics_page(
        &self,
        actor: Actor,
        paging: store::paging::Paging,
    ) -> Result<(Vec<(Ticket, domain::sla::Metrics)>, store::paging::Paged), AppError> {
        crate::error::require_hidden(&actor, domain::policy::Capability::WorkTheDesk)?;
        let (tickets, paged) = self
            .list_tickets(actor, crate::tickets::TicketScope::All, paging)
            .await?;
        Ok((self.metrics_of(tickets).await?, paged))
    }

    /// The metrics of tickets the caller has read already (an export's
    /// page asking for `include=metric_sets`); staff.
    pub async fn metrics_of_tickets(
        &self,
        actor: Actor,
        tickets: Vec<Ticket>,
    ) -> Result<Vec<(Ticket, domain::sla::Metrics)>, AppError> {
        crate::error::require_hidden(&actor, domain::policy::Capability::WorkTheDesk)?;
        self.metrics_of(tickets).await
    }

    /// Tickets' metrics from their audits, on the default schedule: the
    /// audits of them all and their authors read at once.
    async fn metrics_of(
        &self,
        tickets: Vec<Ticket>,
    ) -> Result<Vec<(Ticket, domain::sla::Metrics)>, AppError> {
        let book = self.rulebook().await?;
        let mut rc = self.read().await?;
        let mut conn = rc.conn();
        let ids: Vec<TicketId> = tickets.iter().map(|t| t.id).collect();
        let audits = store::repo::comments::audits_of_many(&mut conn, &ids).await?;
        let staff = staff_among(&mut conn, &audits).await?;
        let mut by_ticket: std::collections::HashMap<TicketId, Vec<_>> =
            std::collections::HashMap::new();
        for a in audits {
            by_ticket.entry(a.ticket_id).or_default().push(a);
        }
        let now = Timestamp::now();
        let schedule = book.schedule(None);
        Ok(tickets
            .into_iter()
            .map(|t| {
                let mine = by_ticket.remove(&t.id).unwrap_or_default();
                let events = events_from_audits(&mine, t.requester_id, &staff);
                let m = domain::sla::metrics(&events, &schedule, now);
                (t, m)
            })
            .collect())
    }

    pub async fn sla_policies(&self, actor: Actor) -> Result<Vec<Policy>, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        Ok(sla::all(&mut rc.conn()).await?)
    }

    pub async fn sla_policy(&self, actor: Actor, id: SlaPolicyId) -> Result<Policy, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        sla::get(&mut rc.conn(), id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Creates (`id` none) or changes an SLA policy from Zendesk's JSON.
    pub async fn save_sla_policy(
        &self,
        actor: Actor,
        id: Option<SlaPolicyId>,
        body: Json,
    ) -> Result<Policy, AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageSlaPolicies)?;
        let now = Timestamp::now();
        let saved = self
            .write(move |c| {
                Box::pin(async move {
                    let base = match id {
                        Some(id) => sla::get(c, id).await?.ok_or(AppError::NotFound)?,
                        None => Policy {
                            id: SlaPolicyId(0),
                            title: String::new(),
                            description: None,
                            position: sla::all(c).await?.len() as i64,
                            filter: "{\"all\":[],\"any\":[]}".into(),
                            metrics: "[]".into(),
                            schedule_id: None,
                            created_at: now,
                            updated_at: now,
                        },
                    };
                    let mut p = policy_from_json(&body, base)?;
                    if p.metrics == "[]" {
                        return Err(AppError::field(FieldError::blank("policy_metrics")));
                    }
                    crate::business_hours::check_schedule(c, p.schedule_id).await?;
                    p.updated_at = now;
                    let action = match id {
                        Some(_) => {
                            sla::update(c, &p).await?;
                            AdminAction::Update
                        }
                        None => {
                            p.id = sla::insert(c, &p).await?;
                            AdminAction::Create
                        }
                    };
                    let change = AdminChange::new(action, AdminSource::SlaPolicy, p.id.0, &p.title);
                    crate::audit_log::record(c, &actor, change, now).await?;
                    Ok(p)
                })
            })
            .await?;
        self.rules_changed();
        Ok(saved)
    }

    pub async fn delete_sla_policy(&self, actor: Actor, id: SlaPolicyId) -> Result<(), AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageSlaPolicies)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let p = sla::get(c, id).await?.ok_or(AppError::NotFound)?;
                let change =
                    AdminChange::new(AdminAction::Destroy, AdminSource::SlaPolicy, id.0, &p.title);
                crate::audit_log::record(c, &actor, change, now).await?;
                crate::error::found(sla::delete(c, id).await?)
            })
        })
        .await?;
        self.rules_changed();
        Ok(())
    }

    /// A ticket's SLA targets (agents), if a policy ever applied.
    pub async fn ticket_sla(
        &self,
        actor: Actor,
        id: TicketId,
    ) -> Result<Option<TicketSlaView>, AppError> {
        crate::error::require_hidden(&actor, domain::policy::Capability::WorkTheDesk)?;
        self.ticket(actor, id).await?;
        let mut rc = self.read().await?;
        Ok(sla::ticket_sla(&mut rc.conn(), id).await?.map(|s| view(&s)))
    }

    /// The SLA of several tickets at once (queue pages).
    pub async fn ticket_slas(
        &self,
        ids: &[TicketId],
    ) -> Result<Vec<(TicketId, TicketSlaView)>, AppError> {
        let ids: Vec<i64> = ids.iter().map(|t| t.0).collect();
        let mut rc = self.read().await?;
        Ok(sla::ticket_slas(&mut rc.conn(), &ids)
            .await?
            .iter()
            .map(|s| (s.ticket_id, view(s)))
            .collect())
    }

    /// Announces every target that ran out: an audit event on its ticket,
    /// then triggers see the ticket with `sla` breached. Returns how many.
    pub async fn announce_sla_breaches(&self) -> Result<usize, AppError> {
        self.announce_sla_breaches_at(Timestamp::now()).await
    }

    /// [`App::announce_sla_breaches`] as of `now` (tests pass a later clock).
    pub async fn announce_sla_breaches_at(&self, now: Timestamp) -> Result<usize, AppError> {
        let due = {
            let mut rc = self.read().await?;
            sla::breached(&mut rc.conn(), now, 200).await?
        };
        let hooks = self.hooks().await?;
        let mut n = 0;
        for s in due {
            let Some(at) = s.next_due_at else { continue };
            let targets = view(&s).targets;
            let metric = targets
                .iter()
                .find(|t| t.due() == Some(at))
                .map_or("sla", |t| t.metric.as_str())
                .to_string();
            // The clock moves on to the next target still ahead of this one.
            let next = targets
                .iter()
                .filter_map(TargetView::due)
                .filter(|d| d.0 > at.0)
                .min();
            let hooks = hooks.clone();
            let announced = self
                .write(move |c| {
                    Box::pin(async move {
                        if !sla::announce_breach(c, s.ticket_id, at, next).await? {
                            return Ok(false);
                        }
                        // An audit event says which target ran out; then the
                        // triggers see the ticket with `sla` = `breached`.
                        let change = crate::pipeline::Change::Note {
                            id: s.ticket_id,
                            events: crate::pipeline::sla_breach_events(&metric),
                        };
                        let mut req = crate::pipeline::WriteRequest::new(
                            Actor::system(),
                            domain::Channel::Rule,
                            change,
                        );
                        req.facts.push(("sla", "breached"));
                        crate::pipeline::write(c, &hooks, req, now).await?;
                        Ok(true)
                    })
                })
                .await?;
            n += usize::from(announced);
        }
        Ok(n)
    }
}
