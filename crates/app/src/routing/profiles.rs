//! What admins set of routing (its settings) and of each agent (their
//! languages, capacity, presence and schedule), and agents' own presence.

use super::*;

/// An agent's languages as language codes (`es`, `en`, `pt-br`), lower
/// case; anything else is refused rather than never matched.
fn languages(given: Vec<String>) -> Result<Vec<String>, AppError> {
    let mut out = Vec::new();
    for l in given {
        let l = l.trim().to_ascii_lowercase();
        if l.is_empty() {
            continue;
        }
        let (primary, region) = l.split_once('-').unwrap_or((&l, "a"));
        let letters = |s: &str, n: std::ops::RangeInclusive<usize>| {
            n.contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric())
        };
        if !(letters(primary, 2..=3)
            && primary.chars().all(|c| c.is_ascii_lowercase())
            && letters(region, 1..=8))
        {
            return Err(AppError::field(FieldError::invalid(
                "languages",
                format!("{l:?} is not a language code like es or en"),
            )));
        }
        if !out.contains(&l) {
            out.push(l);
        }
    }
    Ok(out)
}

impl App {
    /// Routing settings (admins see and change them).
    pub async fn routing_settings(&self, actor: Actor) -> Result<RoutingSettings, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        Ok(self.rulebook().await?.routing.clone())
    }

    pub async fn set_routing_settings(
        &self,
        actor: Actor,
        s: RoutingSettings,
    ) -> Result<RoutingSettings, AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageRouting)?;
        let mut errors: Vec<FieldError> = [
            ("drop_optional_after_minutes", s.drop_optional_after_minutes),
            ("escalate_after_minutes", s.escalate_after_minutes),
            (
                "reroute_unacted_after_minutes",
                s.reroute_unacted_after_minutes,
            ),
            ("away_after_idle_minutes", s.away_after_idle_minutes),
            ("chat_offer_seconds", s.chat_offer_seconds),
            ("call_wrap_up_seconds", s.call_wrap_up_seconds),
        ]
        .into_iter()
        .filter(|(_, m)| *m < 0)
        .map(|(f, _)| FieldError::invalid(f, "cannot be negative"))
        .collect();
        let escalations: Vec<(Option<i64>, i64)> = s
            .escalation_groups
            .iter()
            .map(|(from, to)| (from.parse().ok(), *to))
            .collect();
        let json = serde_json::to_string(&s).map_err(|e| AppError::bad(e.to_string()))?;
        let now = domain::Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                // Escalation goes from a group to another group, both real.
                for (from, to) in escalations {
                    let known = match from {
                        Some(f) => groups::get(c, domain::GroupId(f)).await?.is_some(),
                        None => false,
                    } && groups::get(c, domain::GroupId(to)).await?.is_some();
                    if !known {
                        errors.push(FieldError::invalid(
                            "escalation_groups",
                            "names a group that does not exist",
                        ));
                        break;
                    }
                }
                if !errors.is_empty() {
                    return Err(AppError::Invalid(errors));
                }
                settings::set(c, ROUTING_KEY, &json).await?;
                let source = domain::audit_log::AdminSource::AccountSetting;
                crate::audit_log::record_setting(c, &actor, source, "Routing", now).await
            })
        })
        .await?;
        self.rules_changed();
        Ok(s)
    }

    /// An agent's routing profile (created with defaults if missing).
    pub async fn routing_profile(&self, actor: Actor, agent: UserId) -> Result<Profile, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        let mut conn = rc.conn();
        let u = users::get(&mut conn, agent)
            .await?
            .ok_or(AppError::NotFound)?;
        if !u.role.is_staff() {
            return Err(AppError::NotFound);
        }
        Ok(repo::profile(&mut conn, agent)
            .await?
            .unwrap_or_else(|| Profile::new(agent, Timestamp::now())))
    }

    /// The caller's own profile (every workspace page shows the presence):
    /// one query.
    pub async fn own_routing_profile(&self, actor: Actor) -> Result<Profile, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        Ok(repo::profile(&mut rc.conn(), actor.user)
            .await?
            .unwrap_or_else(|| Profile::new(actor.user, Timestamp::now())))
    }

    /// Changes an agent's profile: presence (the agent or an admin),
    /// languages, capacity and schedule (admins). Going online may let
    /// waiting cases through: the caller wakes the queue pass.
    pub async fn update_routing_profile(
        &self,
        actor: Actor,
        agent: UserId,
        change: ProfileChange,
    ) -> Result<Profile, AppError> {
        let admin_fields = change.languages.is_some()
            || change.capacity.iter().any(Option::is_some)
            || change.schedule_id.is_some();
        if !domain::policy::may_change_routing_profile(&actor, agent, admin_fields) {
            return Err(AppError::forbidden(
                "agents set their own presence; admins the rest",
            ));
        }
        let now = Timestamp::now();
        let p = self
            .write(move |c| {
                Box::pin(async move {
                    let u = users::get(c, agent).await?.ok_or(AppError::NotFound)?;
                    if !u.role.is_staff() {
                        return Err(AppError::NotFound);
                    }
                    let mut p = repo::profile(c, agent)
                        .await?
                        .unwrap_or_else(|| Profile::new(agent, now));
                    for (i, pres) in change.presence.iter().enumerate() {
                        if let Some(pr) = pres {
                            p.presence[i] = *pr;
                        }
                    }
                    for (i, cap) in change.capacity.iter().enumerate() {
                        if let Some(n) = cap {
                            p.capacity[i] = (*n).min(1000);
                        }
                    }
                    if let Some(l) = change.languages {
                        p.languages = languages(l)?;
                    }
                    if let Some(s) = change.schedule_id {
                        crate::business_hours::check_schedule(c, s.map(domain::ScheduleId)).await?;
                        p.schedule_id = s;
                    }
                    p.last_active_at = Some(now);
                    p.updated_at = now;
                    repo::save_profile(c, &p).await?;
                    Ok(p)
                })
            })
            .await?;
        self.routing_wake.notify_one();
        Ok(p)
    }

    /// Records that an agent is active (the workspace calls this at most
    /// once a minute), for going away after inactivity.
    pub async fn agent_active(&self, agent: UserId) -> Result<(), AppError> {
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                if let Some(mut p) = repo::profile(c, agent).await? {
                    p.last_active_at = Some(now);
                    repo::save_profile(c, &p).await?;
                }
                Ok(())
            })
        })
        .await
    }
}

/// A change to an agent's routing profile; `None` leaves a value.
#[derive(Debug, Clone, Default)]
pub struct ProfileChange {
    /// Per work channel (email, chat, call).
    pub presence: [Option<Presence>; 3],
    pub capacity: [Option<u32>; 3],
    pub languages: Option<Vec<String>>,
    pub schedule_id: Option<Option<i64>>,
}
