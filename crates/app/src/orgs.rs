//! Organizations: customer companies, with the email domains that attach
//! their people automatically.

use crate::profile_fields::write_values;
use crate::users::clean_tags;
use crate::{App, AppError, FieldError, Paged, Paging};
use domain::audit_log::{AdminAction, AdminChange, AdminSource};
use domain::field::FieldOwner;
use domain::{Actor, GroupId, OrgId, Timestamp};
use store::events::{Entity, EventKind, NewEvent};
use store::model::Organization;
use store::paging::page_ids;
use store::repo::orgs;

/// The fields a caller may set on an organization.
#[derive(Debug, Clone, Default)]
pub struct OrgInput {
    pub name: Option<String>,
    pub details: Option<Option<String>>,
    pub notes: Option<Option<String>>,
    pub external_id: Option<Option<String>>,
    pub group_id: Option<Option<GroupId>>,
    pub shared_tickets: Option<bool>,
    pub tags: Option<Vec<String>>,
    pub domain_names: Option<Vec<String>>,
    /// Values of organization fields by key (`null` clears one).
    pub fields: Vec<(String, serde_json::Value)>,
}

fn apply(o: &mut Organization, input: &OrgInput) -> Result<(), AppError> {
    if let Some(n) = &input.name {
        if n.trim().is_empty() {
            return Err(AppError::field(FieldError::blank("name")));
        }
        o.name = n.trim().chars().take(255).collect();
    }
    if let Some(v) = &input.details {
        o.details = v.clone();
    }
    if let Some(v) = &input.notes {
        o.notes = v.clone();
    }
    if let Some(v) = &input.external_id {
        o.external_id = v.clone().filter(|s| !s.is_empty());
    }
    if let Some(v) = input.group_id {
        o.group_id = v;
    }
    if let Some(v) = input.shared_tickets {
        o.shared_tickets = v;
    }
    if let Some(t) = &input.tags {
        o.tags = clean_tags(t);
    }
    if let Some(d) = &input.domain_names {
        let mut ds: Vec<String> = d
            .iter()
            .flat_map(|d| d.split([' ', ',']))
            .map(|d| d.trim().to_lowercase())
            .filter(|d| !d.is_empty())
            .collect();
        ds.sort();
        ds.dedup();
        if let Some(bad) = ds.iter().find(|d| !d.contains('.') || d.contains('@')) {
            return Err(AppError::field(FieldError::invalid(
                "domain_names",
                format!("{bad} is not a domain name"),
            )));
        }
        o.domain_names = ds;
    }
    Ok(())
}

fn event(id: OrgId, kind: EventKind, actor: Actor, at: Timestamp) -> NewEvent {
    NewEvent {
        entity: Entity::Organization,
        entity_id: id.0,
        kind,
        audit: None,
        actor: Some(actor.user),
        at,
    }
}

/// Maps unique-constraint failures to the field that caused them.
fn duplicate(e: store::StoreError, o: &Organization) -> AppError {
    match e {
        store::StoreError::Duplicate(msg) if msg.contains("external_id") => AppError::field(
            FieldError::duplicate("external_id", o.external_id.as_deref().unwrap_or("")),
        ),
        store::StoreError::Duplicate(msg) if msg.contains("domain") => AppError::field(
            FieldError::duplicate("domain_names", &o.domain_names.join(", ")),
        ),
        store::StoreError::Duplicate(_) => AppError::field(FieldError::duplicate("name", &o.name)),
        other => other.into(),
    }
}

impl App {
    /// Creates an organization (staff only); names are unique.
    pub async fn create_org(
        &self,
        actor: Actor,
        input: OrgInput,
    ) -> Result<Organization, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        if input.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
            return Err(AppError::field(FieldError::blank("name")));
        }
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let mut o = Organization {
                    id: OrgId(0),
                    name: String::new(),
                    details: None,
                    notes: None,
                    external_id: None,
                    group_id: None,
                    shared_tickets: false,
                    tags: vec![],
                    domain_names: vec![],
                    created_at: now,
                    updated_at: now,
                    fields: vec![],
                };
                apply(&mut o, &input)?;
                o.id = orgs::insert(c, &o).await.map_err(|e| duplicate(e, &o))?;
                if !input.fields.is_empty() {
                    o.fields =
                        write_values(c, FieldOwner::Organization, o.id.0, &input.fields).await?;
                }
                store::events::append(c, event(o.id, EventKind::Created, actor, now)).await?;
                Ok(o)
            })
        })
        .await
    }

    pub async fn update_org(
        &self,
        actor: Actor,
        id: OrgId,
        input: OrgInput,
    ) -> Result<Organization, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let mut o = orgs::get(c, id).await?.ok_or(AppError::NotFound)?;
                apply(&mut o, &input)?;
                o.updated_at = now;
                orgs::update(c, &o).await.map_err(|e| duplicate(e, &o))?;
                if !input.fields.is_empty() {
                    o.fields =
                        write_values(c, FieldOwner::Organization, id.0, &input.fields).await?;
                }
                store::events::append(c, event(id, EventKind::Updated, actor, now)).await?;
                Ok(o)
            })
        })
        .await
    }

    pub async fn delete_org(&self, actor: Actor, id: OrgId) -> Result<(), AppError> {
        crate::error::require(&actor, domain::policy::Capability::DeleteOrganizations)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let o = orgs::get(c, id).await?.ok_or(AppError::NotFound)?;
                orgs::delete(c, id, now).await?;
                store::events::append(c, event(id, EventKind::Deleted, actor, now)).await?;
                let change = AdminChange::new(
                    AdminAction::Destroy,
                    AdminSource::Organization,
                    id.0,
                    &o.name,
                );
                crate::audit_log::record(c, &actor, change, now).await?;
                Ok(())
            })
        })
        .await
    }

    /// One organization: staff, or a member of it.
    pub async fn org(&self, actor: Actor, id: OrgId) -> Result<Organization, AppError> {
        if !domain::policy::may_see_org(&actor, id) {
            return Err(AppError::NotFound);
        }
        let mut rc = self.read().await?;
        orgs::get(&mut rc.conn(), id)
            .await?
            .map(|o| org_visible_to(&actor, o))
            .ok_or(AppError::NotFound)
    }

    pub async fn orgs_by_ids(
        &self,
        actor: Actor,
        ids: &[OrgId],
    ) -> Result<Vec<Organization>, AppError> {
        let ids: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|o| domain::policy::may_see_org(&actor, *o))
            .map(OrgId::get)
            .collect();
        let mut rc = self.read().await?;
        Ok(orgs::get_many(&mut rc.conn(), &ids)
            .await?
            .into_iter()
            .map(|o| org_visible_to(&actor, o))
            .collect())
    }

    pub async fn list_orgs(
        &self,
        actor: Actor,
        paging: Paging,
    ) -> Result<(Vec<Organization>, Paged), AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let page = page_ids(
            c,
            "organizations t WHERE t.deleted_at IS NULL",
            vec![],
            paging,
        )
        .await?;
        Ok((orgs::get_many(c, &page.ids).await?, page))
    }

    /// Organizations by external id or exact name.
    pub async fn find_orgs(
        &self,
        actor: Actor,
        external_id: Option<&str>,
        name: Option<&str>,
    ) -> Result<Vec<Organization>, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        Ok(match (external_id, name) {
            (Some(e), _) => orgs::by_external_id(c, e).await?.into_iter().collect(),
            (None, Some(n)) => orgs::by_name(c, n).await?.into_iter().collect(),
            _ => vec![],
        })
    }

    /// Organizations whose name begins with `prefix` (two letters or
    /// more), at most 20, by name (staff).
    pub async fn autocomplete_orgs(
        &self,
        actor: Actor,
        prefix: &str,
    ) -> Result<Vec<Organization>, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        if prefix.trim().chars().count() < 2 {
            return Err(AppError::field(crate::FieldError::invalid(
                "name",
                "at least two characters",
            )));
        }
        let mut rc = self.read().await?;
        Ok(orgs::by_name_prefix(&mut rc.conn(), prefix, 20).await?)
    }
}

/// A user's organization, as Zendesk's organization membership: one per
/// user here (the user's `organization_id`), its id the user's id.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgMembership {
    pub user: store::model::User,
}

impl App {
    /// Memberships of one organization, or of one user, or all (staff only).
    pub async fn org_memberships(
        &self,
        actor: Actor,
        org: Option<OrgId>,
        user: Option<domain::UserId>,
        paging: Paging,
    ) -> Result<(Vec<OrgMembership>, Paged), AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let mut cond = String::from("users t WHERE t.organization_id IS NOT NULL");
        let mut args: Vec<store::Value> = vec![];
        if let Some(o) = org {
            args.push(o.into());
            cond.push_str(&format!(" AND t.organization_id = ${}", args.len()));
        }
        if let Some(u) = user {
            args.push(u.into());
            cond.push_str(&format!(" AND t.id = ${}", args.len()));
        }
        let page = page_ids(c, &cond, args, paging).await?;
        let users = store::repo::users::get_many(c, &page.ids).await?;
        Ok((
            users
                .into_iter()
                .map(|user| OrgMembership { user })
                .collect(),
            page,
        ))
    }

    /// Puts a user in an organization (replacing the one they had).
    pub async fn add_org_membership(
        &self,
        actor: Actor,
        user: domain::UserId,
        org: OrgId,
    ) -> Result<OrgMembership, AppError> {
        let u = self
            .update_user(
                actor,
                user,
                crate::users::UserInput {
                    organization_id: Some(Some(org)),
                    ..Default::default()
                },
            )
            .await?;
        Ok(OrgMembership { user: u })
    }

    /// Takes a user out of their organization; the membership id is the user id.
    pub async fn remove_org_membership(
        &self,
        actor: Actor,
        user: domain::UserId,
    ) -> Result<(), AppError> {
        let u = self.user(actor, user).await?;
        if u.organization_id.is_none() {
            return Err(AppError::NotFound);
        }
        self.update_user(
            actor,
            user,
            crate::users::UserInput {
                organization_id: Some(None),
                ..Default::default()
            },
        )
        .await?;
        Ok(())
    }
}

/// An organization as `actor` may read it: staff-only fields blanked for
/// its customers.
fn org_visible_to(actor: &Actor, mut o: Organization) -> Organization {
    if !domain::policy::may_read_private_fields(actor) {
        o.notes = None;
        o.details = None;
    }
    o
}
