//! The queue pass: waiting tickets retried, optional skills dropped and
//! cases escalated as they wait, assignments not acted on re-routed (one
//! node at a time); and the queue as the API and pages list it.

use super::*;
use domain::audit::AuditEvent;

impl App {
    /// Takes a case from an agent who declined it (or let its offer lapse)
    /// and routes it again, past them: the decline is remembered, the
    /// ticket unassigned with `why` on its audit, and routing chooses
    /// anew. Returns the new assignee, if routing found one. Nothing
    /// changes when the case has meanwhile gone to someone else.
    pub(crate) async fn reroute_declined(
        &self,
        ticket: TicketId,
        agent: UserId,
        why: String,
    ) -> Result<Option<UserId>, AppError> {
        let hooks = self.hooks().await?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                repo::record_decline(c, ticket, agent, now).await?;
                let Some(t) = tickets::get(c, ticket, false).await? else {
                    return Ok(None);
                };
                if t.assignee_id != Some(agent) || t.status.is_done() {
                    return Ok(t.assignee_id);
                }
                let input = TicketInput {
                    assignee_id: Some(None),
                    extra_events: vec![AuditEvent::Routing {
                        value: format!("re-routing: {why}"),
                    }],
                    ..Default::default()
                };
                let t = system_update(c, &hooks, t.id, input, now).await?;
                if let Some(mut route) = repo::route(c, ticket).await? {
                    route.state = RouteState::Waiting;
                    route.assignee_id = None;
                    route.updated_at = now;
                    repo::save_route(c, &route).await?;
                }
                if !hooks.book.routing.enabled {
                    return Ok(None);
                }
                route_now(c, &hooks, &t, now).await?;
                Ok(tickets::get(c, ticket, false)
                    .await?
                    .and_then(|t| t.assignee_id))
            })
        })
        .await
    }

    /// Routed tickets in a state (the queue page and API).
    pub async fn routing_queue(
        &self,
        actor: Actor,
        state: RouteState,
    ) -> Result<Vec<Route>, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        Ok(repo::routes_in(&mut rc.conn(), state, 500).await?)
    }

    /// One pass over the queue (run by one node at a time): idle agents
    /// become away; waiting tickets are retried, dropping optional skills
    /// and escalating as they age; assignments not acted on in time, or
    /// whose agent is no longer online, are routed again. Returns how many
    /// tickets it assigned.
    pub async fn routing_pass(&self) -> Result<usize, AppError> {
        self.routing_pass_at(Timestamp::now()).await
    }

    /// [`App::routing_pass`] as of `now` (tests pass a later clock).
    pub async fn routing_pass_at(&self, now: Timestamp) -> Result<usize, AppError> {
        let book = self.rulebook().await?;
        let s = book.routing.clone();
        if !s.enabled {
            return Ok(0);
        }
        let idle_before = Timestamp(now.0 - s.away_after_idle_minutes * 60);
        self.write(move |c| {
            Box::pin(async move {
                for mut p in repo::profiles(c).await? {
                    if p.presence.contains(&Presence::Online)
                        && p.last_active_at.is_none_or(|t| t.0 < idle_before.0)
                    {
                        for pr in p.presence.iter_mut() {
                            if *pr == Presence::Online {
                                *pr = Presence::Away;
                            }
                        }
                        p.updated_at = now;
                        repo::save_profile(c, &p).await?;
                    }
                }
                Ok(())
            })
        })
        .await?;
        let waiting = {
            let mut rc = self.read().await?;
            let mut conn = rc.conn();
            let mut w = repo::routes_in(&mut conn, RouteState::Waiting, 200).await?;
            w.extend(repo::routes_in(&mut conn, RouteState::Assigned, 200).await?);
            w
        };
        let mut assigned = 0;
        let mut chats = Vec::new();
        let hooks = self.hooks().await?;
        for r in waiting {
            let s = s.clone();
            let hooks = hooks.clone();
            let done = self
                .write(move |c| {
                    Box::pin(async move {
                        let Some(mut t) = tickets::get(c, r.ticket_id, false).await? else {
                            return Ok(false);
                        };
                        let Some(mut route) = repo::route(c, r.ticket_id).await? else {
                            return Ok(false);
                        };
                        if t.status.is_done() {
                            route.state = RouteState::Done;
                            repo::save_route(c, &route).await?;
                            return Ok(false);
                        }
                        let waited = (now.0 - route.queued_at.0) / 60;
                        match route.state {
                            RouteState::Assigned => {
                                let agent_gone = match route.assignee_id {
                                    Some(a) => repo::profile(c, a).await?.is_none_or(|p| {
                                        p.presence[slot(route.channel)] != Presence::Online
                                    }),
                                    None => true,
                                };
                                let unacted = route.assigned_at.is_some_and(|at| {
                                    (now.0 - at.0) / 60 >= s.reroute_unacted_after_minutes
                                });
                                if !(agent_gone || unacted) || t.assignee_id != route.assignee_id {
                                    return Ok(false);
                                }
                                let why = if agent_gone {
                                    "the agent is no longer online"
                                } else {
                                    "the agent did not act on it in time"
                                };
                                let input = TicketInput {
                                    assignee_id: Some(None),
                                    extra_events: vec![AuditEvent::Routing {
                                        value: format!("re-routing: {why}"),
                                    }],
                                    ..Default::default()
                                };
                                t = system_update(c, &hooks, t.id, input, now).await?;
                                route.state = RouteState::Waiting;
                                route.queued_at = now;
                                repo::save_route(c, &route).await?;
                            }
                            RouteState::Waiting if t.assignee_id.is_some() => {
                                route.state = RouteState::Done;
                                repo::save_route(c, &route).await?;
                                return Ok(false);
                            }
                            _ => {}
                        }
                        if !route.optional_dropped && waited >= s.drop_optional_after_minutes {
                            route.optional_dropped = true;
                            repo::save_route(c, &route).await?;
                        }
                        let escalate_to = t
                            .group_id
                            .and_then(|g| s.escalation_groups.get(&g.0.to_string()).copied())
                            .filter(|_| {
                                waited >= s.escalate_after_minutes * (route.escalations + 1)
                            });
                        if let Some(to) = escalate_to
                            && groups::get(c, GroupId(to)).await?.is_some()
                        {
                            let input = TicketInput {
                                group_id: Some(Some(GroupId(to))),
                                extra_events: vec![AuditEvent::Routing {
                                    value: format!("escalated after waiting {waited} min"),
                                }],
                                ..Default::default()
                            };
                            t = system_update(c, &hooks, t.id, input, now).await?;
                            route.escalations += 1;
                            repo::save_route(c, &route).await?;
                        }
                        if t.assignee_id.is_some() || t.status.is_done() {
                            // A trigger settled it meanwhile.
                            return Ok(false);
                        }
                        route_now(c, &hooks, &t, now).await
                    })
                })
                .await?;
            assigned += usize::from(done);
            if done && r.channel == WorkChannel::Chat {
                chats.push(r.ticket_id);
            }
        }
        for t in chats {
            self.offer_chat_on(t).await?;
        }
        Ok(assigned)
    }
}
