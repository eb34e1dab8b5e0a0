//! Groups of agents and who belongs to them.

use crate::{App, AppError, FieldError, Paged, Paging};
use domain::audit_log::{AdminAction, AdminChange, AdminSource};
use domain::{Actor, GroupId, MembershipId, Timestamp, UserId};
use store::events::{Entity, EventKind, NewEvent};
use store::model::{Group, Membership};
use store::paging::page_ids;
use store::repo::{groups, users};

fn event(id: GroupId, kind: EventKind, actor: Actor, at: Timestamp) -> NewEvent {
    NewEvent {
        entity: Entity::Group,
        entity_id: id.0,
        kind,
        audit: None,
        actor: Some(actor.user),
        at,
    }
}

fn admin_only(actor: &Actor) -> Result<(), AppError> {
    crate::error::require(actor, domain::policy::Capability::ManageGroups)
}

impl App {
    pub async fn create_group(
        &self,
        actor: Actor,
        name: String,
        description: Option<String>,
    ) -> Result<Group, AppError> {
        admin_only(&actor)?;
        if name.trim().is_empty() {
            return Err(AppError::field(FieldError::blank("name")));
        }
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let mut g = Group {
                    id: GroupId(0),
                    name: name.trim().to_string(),
                    description: description.unwrap_or_default(),
                    is_public: true,
                    deleted: false,
                    created_at: now,
                    updated_at: now,
                };
                g.id = groups::insert(c, &g).await?;
                store::events::append(c, event(g.id, EventKind::Created, actor, now)).await?;
                let change =
                    AdminChange::new(AdminAction::Create, AdminSource::Group, g.id.0, &g.name);
                crate::audit_log::record(c, &actor, change, now).await?;
                Ok(g)
            })
        })
        .await
    }

    pub async fn update_group(
        &self,
        actor: Actor,
        id: GroupId,
        name: Option<String>,
        description: Option<String>,
    ) -> Result<Group, AppError> {
        admin_only(&actor)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let mut g = groups::get(c, id).await?.ok_or(AppError::NotFound)?;
                if let Some(n) = name {
                    if n.trim().is_empty() {
                        return Err(AppError::field(FieldError::blank("name")));
                    }
                    g.name = n.trim().to_string();
                }
                if let Some(d) = description {
                    g.description = d;
                }
                g.updated_at = now;
                groups::update(c, &g).await?;
                store::events::append(c, event(id, EventKind::Updated, actor, now)).await?;
                let change =
                    AdminChange::new(AdminAction::Update, AdminSource::Group, id.0, &g.name);
                crate::audit_log::record(c, &actor, change, now).await?;
                Ok(g)
            })
        })
        .await
    }

    pub async fn delete_group(&self, actor: Actor, id: GroupId) -> Result<(), AppError> {
        admin_only(&actor)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let mut g = groups::get(c, id).await?.ok_or(AppError::NotFound)?;
                g.deleted = true;
                g.updated_at = now;
                groups::update(c, &g).await?;
                store::events::append(c, event(id, EventKind::Deleted, actor, now)).await?;
                let change =
                    AdminChange::new(AdminAction::Destroy, AdminSource::Group, id.0, &g.name);
                crate::audit_log::record(c, &actor, change, now).await?;
                Ok(())
            })
        })
        .await
    }

    pub async fn group(&self, actor: Actor, id: GroupId) -> Result<Group, AppError> {
        crate::error::require_hidden(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        groups::get(&mut rc.conn(), id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Live groups; `user` narrows to one agent's groups.
    pub async fn list_groups(
        &self,
        actor: Actor,
        user: Option<UserId>,
        paging: Paging,
    ) -> Result<(Vec<Group>, Paged), AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let (cond, args) = match user {
            Some(u) => (
                "groups t WHERE t.deleted = FALSE AND t.id IN (SELECT group_id FROM group_memberships WHERE user_id = $1)",
                vec![u.into()],
            ),
            None => ("groups t WHERE t.deleted = FALSE", vec![]),
        };
        let page = page_ids(c, cond, args, paging).await?;
        Ok((groups::get_many(c, &page.ids).await?, page))
    }

    /// Adds an agent to a group (admins only; end-users cannot be members).
    pub async fn add_membership(
        &self,
        actor: Actor,
        user: UserId,
        group: GroupId,
        default: bool,
    ) -> Result<Membership, AppError> {
        admin_only(&actor)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let u = users::get(c, user).await?.ok_or_else(|| {
                    AppError::field(FieldError::invalid("user_id", "no such user"))
                })?;
                if !u.role.is_staff() {
                    return Err(AppError::field(FieldError::invalid(
                        "user_id",
                        "only agents can be group members",
                    )));
                }
                groups::get(c, group).await?.ok_or_else(|| {
                    AppError::field(FieldError::invalid("group_id", "no such group"))
                })?;
                if groups::is_member(c, user, group).await? {
                    return Err(AppError::field(FieldError::duplicate(
                        "user_id",
                        &user.to_string(),
                    )));
                }
                let m = groups::add_member(c, user, group, default, now).await?;
                store::events::append(c, event(group, EventKind::Updated, actor, now)).await?;
                Ok(m)
            })
        })
        .await
    }

    pub async fn remove_membership(&self, actor: Actor, id: MembershipId) -> Result<(), AppError> {
        admin_only(&actor)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let m = groups::membership(c, id).await?.ok_or(AppError::NotFound)?;
                groups::remove_member(c, id).await?;
                store::events::append(c, event(m.group_id, EventKind::Updated, actor, now)).await?;
                Ok(())
            })
        })
        .await
    }

    pub async fn membership(&self, actor: Actor, id: MembershipId) -> Result<Membership, AppError> {
        crate::error::require_hidden(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        groups::membership(&mut rc.conn(), id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Memberships, optionally of one group or one user.
    pub async fn list_memberships(
        &self,
        actor: Actor,
        group: Option<GroupId>,
        user: Option<UserId>,
        paging: Paging,
    ) -> Result<(Vec<Membership>, Paged), AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let mut cond = String::from("group_memberships t WHERE 1 = 1");
        let mut args: Vec<store::Value> = vec![];
        if let Some(g) = group {
            args.push(g.into());
            cond.push_str(&format!(" AND t.group_id = ${}", args.len()));
        }
        if let Some(u) = user {
            args.push(u.into());
            cond.push_str(&format!(" AND t.user_id = ${}", args.len()));
        }
        let page = page_ids(c, &cond, args, paging).await?;
        Ok((groups::memberships_many(c, &page.ids).await?, page))
    }
}
