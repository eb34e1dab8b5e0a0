//! Reading people: one, several, a page of a list, a search, and names
//! that begin with what an agent typed.

use super::visible_to;
use crate::{App, AppError, FieldError, Paged, Paging};
use domain::policy;
use domain::{Actor, GroupId, OrgId, Role, UserId};
use store::model::User;
use store::paging::page_ids;
use store::repo::users;

impl App {
    /// One user: staff see anyone, end-users only themselves.
    pub async fn user(&self, actor: Actor, id: UserId) -> Result<User, AppError> {
        if !policy::may_see_person(&actor, id) {
            return Err(AppError::NotFound);
        }
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let found = users::get(c, id).await?.ok_or(AppError::NotFound)?;
        let found = users::with_fields(c, vec![found]).await?;
        found
            .into_iter()
            .next()
            .map(|u| visible_to(&actor, u))
            .ok_or(AppError::NotFound)
    }

    /// Several users by id (staff only), unknown ids skipped.
    pub async fn users_by_ids(&self, actor: Actor, ids: &[UserId]) -> Result<Vec<User>, AppError> {
        let ids: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|u| policy::may_see_person(&actor, *u))
            .map(UserId::get)
            .collect();
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let found = users::get_many(c, &ids).await?;
        Ok(users::with_fields(c, found)
            .await?
            .into_iter()
            .map(|u| visible_to(&actor, u))
            .collect())
    }

    /// A page of users, optionally only some roles (staff only).
    pub async fn list_users(
        &self,
        actor: Actor,
        roles: &[Role],
        org: Option<OrgId>,
        group: Option<GroupId>,
        paging: Paging,
    ) -> Result<(Vec<User>, Paged), AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let mut cond = String::from("users t WHERE 1 = 1");
        let mut args: Vec<store::Value> = vec![];
        if !roles.is_empty() {
            let list = store::paging::placeholders(args.len() + 1, roles.len());
            cond.push_str(&format!(" AND t.role IN ({list})"));
            args.extend(roles.iter().map(|r| store::Value::from(*r)));
        }
        if let Some(o) = org {
            args.push(o.into());
            cond.push_str(&format!(" AND t.organization_id = ${}", args.len()));
        }
        if let Some(g) = group {
            args.push(g.into());
            cond.push_str(&format!(
                " AND t.id IN (SELECT user_id FROM group_memberships WHERE group_id = ${})",
                args.len()
            ));
        }
        let page = page_ids(c, &cond, args, paging).await?;
        let found = users::get_many(c, &page.ids).await?;
        Ok((users::with_fields(c, found).await?, page))
    }

    /// Users matching free text (name or email) or an external id.
    pub async fn search_users(
        &self,
        actor: Actor,
        query: Option<&str>,
        external_id: Option<&str>,
    ) -> Result<Vec<User>, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        match (external_id, query) {
            (Some(e), _) => {
                let found = users::by_external_id(c, e).await?.into_iter().collect();
                Ok(users::with_fields(c, found).await?)
            }
            (None, Some(q)) if !q.trim().is_empty() => Ok(users::search(c, q, 1000).await?),
            _ => Ok(vec![]),
        }
    }

    /// `users/autocomplete?name=`: active people whose name begins so (two
    /// letters or more), by name, at most 20 (staff).
    pub async fn autocomplete_users(
        &self,
        actor: Actor,
        prefix: &str,
    ) -> Result<Vec<User>, AppError> {
        crate::error::require(&actor, policy::Capability::WorkTheDesk)?;
        if prefix.trim().chars().count() < 2 {
            return Err(AppError::field(FieldError::invalid(
                "name",
                "at least two characters",
            )));
        }
        let mut rc = self.read().await?;
        Ok(users::by_name_prefix(&mut rc.conn(), prefix, 20).await?)
    }

    /// The identities of several users, those the actor may see (a
    /// sideload: `include=identities`).
    pub async fn identities_of_users(
        &self,
        actor: Actor,
        ids: &[UserId],
    ) -> Result<Vec<store::model::Identity>, AppError> {
        let ids: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|u| policy::may_see_person(&actor, *u))
            .map(UserId::get)
            .collect();
        let mut rc = self.read().await?;
        Ok(users::identities_of_many(&mut rc.conn(), &ids).await?)
    }

    /// The groups several agents are in (staff; a sideload:
    /// `include=groups`).
    pub async fn groups_of_users(
        &self,
        actor: Actor,
        ids: &[UserId],
    ) -> Result<Vec<store::model::Group>, AppError> {
        crate::error::require(&actor, policy::Capability::WorkTheDesk)?;
        let ids: Vec<i64> = ids.iter().map(|u| u.0).collect();
        let mut rc = self.read().await?;
        Ok(store::repo::groups::of_users(&mut rc.conn(), &ids).await?)
    }
}
