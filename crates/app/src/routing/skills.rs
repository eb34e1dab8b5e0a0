//! Skills for routing: attributes and their values (Zendesk's routing
//! attributes), the levels agents have and tickets need.

use super::*;

/// A ticket condition an attribute value may be applied on (Zendesk's
/// `routing/attributes/definitions`): its field and title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueCondition {
    pub subject: &'static str,
    pub title: String,
}

impl App {
    /// The conditions attribute values may carry to be applied to tickets
    /// by themselves. atiende has none: skills are put on tickets by
    /// triggers (`add_skills`, `set_skills`), whose conditions
    /// `triggers/definitions` lists, so both lists are empty (staff).
    pub fn routing_value_conditions(
        &self,
        actor: Actor,
    ) -> Result<(Vec<ValueCondition>, Vec<ValueCondition>), AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        Ok((Vec::new(), Vec::new()))
    }

    pub async fn routing_attributes(&self, actor: Actor) -> Result<Vec<Attribute>, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        Ok(repo::attributes(&mut rc.conn()).await?)
    }

    pub async fn routing_attribute(&self, actor: Actor, id: &str) -> Result<Attribute, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        repo::attribute(&mut rc.conn(), id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Creates (`id` none) or renames an attribute.
    pub async fn save_routing_attribute(
        &self,
        actor: Actor,
        id: Option<String>,
        name: String,
    ) -> Result<Attribute, AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageRouting)?;
        if name.trim().is_empty() {
            return Err(AppError::field(FieldError::blank("name")));
        }
        let now = Timestamp::now();
        let a = self
            .write(move |c| {
                Box::pin(async move {
                    let mut a = match &id {
                        Some(id) => repo::attribute(c, id).await?.ok_or(AppError::NotFound)?,
                        None => Attribute {
                            id: new_id(),
                            name: String::new(),
                            attribute_id: None,
                            created_at: now,
                            updated_at: now,
                        },
                    };
                    a.name = name.trim().to_string();
                    a.updated_at = now;
                    repo::save_attribute(c, &a).await?;
                    Ok(a)
                })
            })
            .await?;
        self.rules_changed();
        Ok(a)
    }

    pub async fn delete_routing_attribute(&self, actor: Actor, id: String) -> Result<(), AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageRouting)?;
        self.write(move |c| {
            Box::pin(async move { crate::error::found(repo::delete_attribute(c, &id).await?) })
        })
        .await?;
        self.rules_changed();
        Ok(())
    }

    pub async fn routing_values(
        &self,
        actor: Actor,
        attribute: Option<&str>,
    ) -> Result<Vec<Attribute>, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        let mut conn = rc.conn();
        if let Some(a) = attribute
            && repo::attribute(&mut conn, a).await?.is_none()
        {
            return Err(AppError::NotFound);
        }
        Ok(repo::values(&mut conn, attribute).await?)
    }

    /// Creates (`id` none) or renames a value (a skill) of an attribute.
    pub async fn save_routing_value(
        &self,
        actor: Actor,
        attribute: String,
        id: Option<String>,
        name: String,
    ) -> Result<Attribute, AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageRouting)?;
        if name.trim().is_empty() {
            return Err(AppError::field(FieldError::blank("name")));
        }
        let now = Timestamp::now();
        let v = self
            .write(move |c| {
                Box::pin(async move {
                    repo::attribute(c, &attribute)
                        .await?
                        .ok_or(AppError::NotFound)?;
                    let mut v = match &id {
                        Some(id) => repo::value(c, id)
                            .await?
                            .filter(|v| v.attribute_id.as_deref() == Some(attribute.as_str()))
                            .ok_or(AppError::NotFound)?,
                        None => Attribute {
                            id: new_id(),
                            name: String::new(),
                            attribute_id: Some(attribute.clone()),
                            created_at: now,
                            updated_at: now,
                        },
                    };
                    v.name = name.trim().to_string();
                    v.updated_at = now;
                    repo::save_value(c, &v).await?;
                    Ok(v)
                })
            })
            .await?;
        self.rules_changed();
        Ok(v)
    }

    pub async fn delete_routing_value(&self, actor: Actor, id: String) -> Result<(), AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageRouting)?;
        self.write(move |c| {
            Box::pin(async move { crate::error::found(repo::delete_value(c, &id).await?) })
        })
        .await?;
        self.rules_changed();
        Ok(())
    }

    /// An agent's skills with levels.
    pub async fn agent_skills(
        &self,
        actor: Actor,
        agent: UserId,
    ) -> Result<Vec<(Attribute, u8)>, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        let mut conn = rc.conn();
        let mine = repo::agent_skills(&mut conn, agent).await?;
        let values = repo::values(&mut conn, None).await?;
        Ok(mine
            .into_iter()
            .filter_map(|(v, l)| values.iter().find(|x| x.id == v).map(|x| (x.clone(), l)))
            .collect())
    }

    /// Every active agent with their routing profile and skills, for the
    /// admin page (a handful of queries, however many agents).
    pub async fn routing_team(
        &self,
        actor: Actor,
    ) -> Result<Vec<(store::model::User, Profile, Vec<(Attribute, u8)>)>, AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageRouting)?;
        let (people, _) = self
            .list_users(
                actor,
                &[Role::Agent, Role::Admin],
                None,
                None,
                crate::Paging::Offset {
                    page: 1,
                    per_page: 1000,
                },
            )
            .await?;
        let people: Vec<store::model::User> = people.into_iter().filter(|u| u.active).collect();
        let ids: Vec<UserId> = people.iter().map(|u| u.id).collect();
        let mut rc = self.read().await?;
        let mut conn = rc.conn();
        let profiles = repo::profiles(&mut conn).await?;
        let skills = repo::skills_of(&mut conn, &ids).await?;
        let values = repo::values(&mut conn, None).await?;
        let now = Timestamp::now();
        Ok(people
            .into_iter()
            .map(|u| {
                let p = profiles
                    .iter()
                    .find(|p| p.user_id == u.id)
                    .cloned()
                    .unwrap_or_else(|| Profile::new(u.id, now));
                let mine = skills
                    .iter()
                    .filter(|(a, _, _)| *a == u.id)
                    .filter_map(|(_, v, l)| {
                        values.iter().find(|x| x.id == *v).map(|x| (x.clone(), *l))
                    })
                    .collect();
                (u, p, mine)
            })
            .collect())
    }

    /// Sets an agent's skills (admins).
    pub async fn set_agent_skills(
        &self,
        actor: Actor,
        agent: UserId,
        skills: Vec<SkillLevel>,
    ) -> Result<(), AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageRouting)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let u = users::get(c, agent).await?.ok_or(AppError::NotFound)?;
                if !u.role.is_staff() {
                    return Err(AppError::field(FieldError::invalid(
                        "user_id",
                        "skills are for agents",
                    )));
                }
                check_levels(c, skills.iter().map(|(v, l)| (v, *l))).await?;
                repo::set_agent_skills(c, agent, &skills).await?;
                if repo::profile(c, agent).await?.is_none() {
                    repo::save_profile(c, &Profile::new(agent, now)).await?;
                }
                Ok(())
            })
        })
        .await
    }

    /// A ticket's needs: (value, min level, optional).
    pub async fn ticket_requirements(
        &self,
        actor: Actor,
        ticket: TicketId,
    ) -> Result<Vec<(Attribute, u8, bool)>, AppError> {
        self.ticket(actor, ticket).await?;
        crate::error::require_hidden(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        let mut conn = rc.conn();
        let needs = repo::requirements(&mut conn, ticket).await?;
        let values = repo::values(&mut conn, None).await?;
        Ok(needs
            .into_iter()
            .filter_map(|(v, l, o)| values.iter().find(|x| x.id == v).map(|x| (x.clone(), l, o)))
            .collect())
    }

    /// Sets a ticket's needs (agents) and routes it again if it is
    /// unassigned and routing is on.
    pub async fn set_ticket_requirements(
        &self,
        actor: Actor,
        ticket: TicketId,
        needs: Vec<(String, u8, bool)>,
    ) -> Result<(), AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        self.ticket(actor, ticket).await?;
        let hooks = self.hooks().await?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                check_levels(c, needs.iter().map(|(v, l, _)| (v, *l))).await?;
                repo::set_requirements(c, ticket, &needs).await?;
                let t = tickets::get(c, ticket, false)
                    .await?
                    .ok_or(AppError::NotFound)?;
                if hooks.book.routing.enabled && t.assignee_id.is_none() && !t.status.is_done() {
                    route_now(c, &hooks, &t, now).await?;
                }
                Ok(())
            })
        })
        .await
    }

    /// Which of these tickets the caller has every required skill for.
    pub async fn fulfilled(
        &self,
        actor: Actor,
        ids: &[TicketId],
    ) -> Result<Vec<TicketId>, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let ids: Vec<i64> = ids.iter().map(|t| t.0).collect();
        let mut rc = self.read().await?;
        Ok(repo::fulfilled(&mut rc.conn(), actor.user, &ids)
            .await?
            .into_iter()
            .map(TicketId)
            .collect())
    }
}
