//! People: creating and updating users, their identities, and finding the
//! one profile behind an email address.

mod identities;
mod reads;
mod suggestions;

pub use identities::IdentityChange;
pub use suggestions::{Suggestion, identities_in};

use crate::profile_fields::write_values;
use crate::{App, AppError, FieldError};
use domain::audit_log::{AdminAction, AdminChange, AdminSource};
use domain::field::FieldOwner;
use domain::policy::{self, Subject, UserField};
use domain::user::{email_domain, normalize_email};
use domain::{Actor, GroupId, IdentityKind, OrgId, Role, Timestamp, UserId};
use store::Conn;
use store::model::User;
use store::repo::{orgs, users};

/// The fields a caller may set on a user; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct UserInput {
    pub name: Option<String>,
    pub email: Option<String>,
    pub role: Option<Role>,
    pub organization_id: Option<Option<OrgId>>,
    pub default_group_id: Option<Option<GroupId>>,
    pub tags: Option<Vec<String>>,
    pub external_id: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub locale: Option<String>,
    pub time_zone: Option<String>,
    pub details: Option<Option<String>>,
    pub notes: Option<Option<String>>,
    pub verified: Option<bool>,
    pub active: Option<bool>,
    pub password: Option<String>,
    /// Agents only: see only their groups' tickets (admins set it).
    pub restricted_to_groups: Option<bool>,
    /// Values of user fields by key (`null` clears one); none given
    /// leaves them as they are.
    pub fields: Vec<(String, serde_json::Value)>,
}

/// Normalises tags: lower-case, no spaces inside, unique, sorted.
pub fn clean_tags(tags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = tags
        .iter()
        .flat_map(|t| t.split([' ', ',']))
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
        .map(|t| t.chars().take(80).collect())
        .collect();
    out.sort();
    out.dedup();
    out
}

fn validate_email(raw: &str) -> Result<String, AppError> {
    normalize_email(raw).ok_or_else(|| {
        AppError::field(FieldError::invalid(
            "email",
            format!("{raw} is not properly formatted"),
        ))
    })
}

/// Checks that the actor may create a user like this (agents add
/// customers; admins give staff roles and ticket restrictions).
fn check_new_user(actor: &Actor, role: Role, input: &UserInput) -> Result<(), AppError> {
    if policy::may_create_user(actor, role, input.restricted_to_groups.is_some()) {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "only admins manage agents, admins and ticket restrictions",
        ))
    }
}

/// Finds the user owning an email identity, or creates an end-user for it;
/// new users join the organization that claims their email domain.
pub async fn find_or_create_by_email(
    c: &mut Conn<'_>,
    email: &str,
    name: Option<&str>,
    locale: Option<&str>,
    now: Timestamp,
) -> Result<User, AppError> {
    let email = validate_email(email)?;
    if let Some(u) = users::by_identity(c, IdentityKind::Email, &email).await? {
        return Ok(u);
    }
    let name = name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| email.split('@').next().unwrap_or("").to_string());
    let org = match email_domain(&email) {
        Some(d) => orgs::by_domain(c, d).await?,
        None => None,
    };
    let mut user = blank_user(name, Role::EndUser, now);
    user.email = Some(email.clone());
    user.organization_id = org;
    if let Some(l) = locale {
        user.locale = l.to_string();
    }
    insert_with_identity(c, user, IdentityKind::Email, &email, now).await
}

/// Saves a new user holding one identity, unless someone wrote from that
/// identity at the same moment and their profile won: then the new user is
/// dropped and the winner returned (race-free on both databases).
pub(crate) async fn insert_with_identity(
    c: &mut Conn<'_>,
    mut user: User,
    kind: IdentityKind,
    value: &str,
    now: Timestamp,
) -> Result<User, AppError> {
    user.id = users::insert(c, &user).await?;
    if !users::claim_first_identity(c, user.id, kind, value, now).await? {
        users::forget_new(c, user.id).await?;
        return users::by_identity(c, kind, value)
            .await?
            .ok_or(AppError::NotFound);
    }
    store::events::append(
        c,
        user_event(user.id, store::events::EventKind::Created, None, now),
    )
    .await?;
    Ok(user)
}

fn user_event(
    id: UserId,
    kind: store::events::EventKind,
    actor: Option<UserId>,
    at: Timestamp,
) -> store::events::NewEvent {
    store::events::NewEvent {
        entity: store::events::Entity::User,
        entity_id: id.0,
        kind,
        audit: None,
        actor,
        at,
    }
}

pub(crate) fn blank_user(name: String, role: Role, now: Timestamp) -> User {
    User {
        id: UserId(0),
        name,
        email: None,
        role,
        active: true,
        verified: false,
        organization_id: None,
        default_group_id: None,
        locale: "en-US".into(),
        time_zone: "UTC".into(),
        phone: None,
        external_id: None,
        details: None,
        notes: None,
        tags: vec![],
        password_hash: None,
        created_at: now,
        updated_at: now,
        restricted_to_groups: false,
        fields: vec![],
    }
}

/// The fields an input sets, for the write policy.
fn fields_set(input: &UserInput) -> Vec<UserField> {
    let mut f = Vec::new();
    let mut add = |set: bool, field| {
        if set {
            f.push(field)
        }
    };
    add(input.name.is_some(), UserField::Name);
    add(
        input.email.as_deref().is_some_and(|e| !e.trim().is_empty()),
        UserField::Email,
    );
    add(input.role.is_some(), UserField::Role);
    add(input.organization_id.is_some(), UserField::Organization);
    add(input.default_group_id.is_some(), UserField::DefaultGroup);
    add(input.tags.is_some(), UserField::Tags);
    add(input.external_id.is_some(), UserField::ExternalId);
    add(input.phone.is_some(), UserField::Phone);
    add(input.locale.is_some(), UserField::Locale);
    add(input.time_zone.is_some(), UserField::TimeZone);
    add(input.details.is_some(), UserField::Details);
    add(input.notes.is_some(), UserField::Notes);
    add(input.verified.is_some(), UserField::Verified);
    add(input.active.is_some(), UserField::Active);
    add(input.password.is_some(), UserField::Password);
    add(input.restricted_to_groups.is_some(), UserField::Restriction);
    add(!input.fields.is_empty(), UserField::CustomFields);
    f
}

fn subject(u: &User) -> Subject {
    Subject {
        id: u.id,
        role: u.role,
    }
}

/// Refuses a change the policy does not allow: someone the caller may not
/// see is not found; otherwise the first field refused is named.
fn check_user_write(actor: &Actor, target: &User, input: &UserInput) -> Result<(), AppError> {
    let s = subject(target);
    if !policy::may_see_user(actor, s) {
        return Err(AppError::NotFound);
    }
    match fields_set(input)
        .into_iter()
        .find(|f| !policy::may_write_user_field(actor, s, *f))
    {
        Some(f) => Err(AppError::Forbidden(format!(
            "you may not change {} of this user",
            f.name()
        ))),
        None => Ok(()),
    }
}

/// A user as `actor` may read it: staff-only fields blanked for customers.
pub fn visible_to(actor: &Actor, mut u: User) -> User {
    if !policy::may_read_private_fields(actor) {
        u.notes = None;
        u.details = None;
    }
    u
}

/// Applies input to a user record (not its email, which is an identity).
fn apply(u: &mut User, input: &UserInput) -> Result<(), AppError> {
    if let Some(n) = &input.name {
        let n = n.trim();
        if n.is_empty() {
            return Err(AppError::field(FieldError::blank("name")));
        }
        u.name = n.chars().take(255).collect();
    }
    if let Some(r) = input.role {
        u.role = r;
    }
    if let Some(o) = input.organization_id {
        u.organization_id = o;
    }
    if let Some(g) = input.default_group_id {
        u.default_group_id = g;
    }
    if let Some(t) = &input.tags {
        u.tags = clean_tags(t);
    }
    if let Some(e) = &input.external_id {
        u.external_id = e.clone().filter(|s| !s.is_empty());
    }
    if let Some(p) = &input.phone {
        u.phone = p.clone();
    }
    if let Some(l) = &input.locale {
        u.locale = l.clone();
    }
    if let Some(tz) = &input.time_zone {
        u.time_zone = tz.clone();
    }
    if let Some(d) = &input.details {
        u.details = d.clone();
    }
    if let Some(n) = &input.notes {
        u.notes = n.clone();
    }
    if let Some(v) = input.verified {
        u.verified = v;
    }
    if let Some(a) = input.active {
        u.active = a;
    }
    if let Some(r) = input.restricted_to_groups {
        u.restricted_to_groups = r;
    }
    Ok(())
}

async fn check_org(c: &mut Conn<'_>, org: Option<Option<OrgId>>) -> Result<(), AppError> {
    if let Some(Some(id)) = org
        && orgs::get(c, id).await?.is_none()
    {
        return Err(AppError::field(FieldError::invalid(
            "organization_id",
            format!("organization {id} does not exist"),
        )));
    }
    Ok(())
}

impl App {
    /// Creates a user. Agents may create end-users; only admins create staff.
    pub async fn create_user(&self, actor: Actor, input: UserInput) -> Result<User, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let role = input.role.unwrap_or(Role::EndUser);
        check_new_user(&actor, role, &input)?;
        if input.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
            return Err(AppError::field(FieldError::blank("name")));
        }
        let email = input
            .email
            .as_deref()
            .filter(|e| !e.trim().is_empty())
            .map(validate_email)
            .transpose()?;
        let password = input
            .password
            .as_deref()
            .map(crate::auth::hash_password)
            .transpose()?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                if let Some(e) = &email
                    && users::by_identity(c, IdentityKind::Email, e)
                        .await?
                        .is_some()
                {
                    return Err(AppError::field(FieldError::duplicate("email", e)));
                }
                check_org(c, input.organization_id).await?;
                let mut user = blank_user(String::new(), role, now);
                apply(&mut user, &input)?;
                user.email = email.clone();
                user.password_hash = password;
                if user.organization_id.is_none()
                    && let Some(d) = email.as_deref().and_then(email_domain)
                {
                    user.organization_id = orgs::by_domain(c, d).await?;
                }
                user.id = users::insert(c, &user)
                    .await
                    .map_err(|e| dup_external(e, &user))?;
                if let Some(e) = &email {
                    users::add_identity(c, user.id, IdentityKind::Email, e, user.verified, now)
                        .await?;
                }
                if !input.fields.is_empty() {
                    user.fields =
                        write_values(c, FieldOwner::User, user.id.0, &input.fields).await?;
                }
                store::events::append(
                    c,
                    user_event(
                        user.id,
                        store::events::EventKind::Created,
                        Some(actor.user),
                        now,
                    ),
                )
                .await?;
                Ok(user)
            })
        })
        .await
    }

    /// Updates a user. End-users may change only their own name, locale and
    /// time zone; agents may change end-users; admins anyone.
    pub async fn update_user(
        &self,
        actor: Actor,
        id: UserId,
        input: UserInput,
    ) -> Result<User, AppError> {
        let out = self.update_user_unit(actor, id, input).await;
        // A role change or deactivation must not outlive the auth cache.
        self.auth_cache.clear();
        out
    }

    async fn update_user_unit(
        &self,
        actor: Actor,
        id: UserId,
        input: UserInput,
    ) -> Result<User, AppError> {
        let email = input
            .email
            .as_deref()
            .filter(|e| !e.trim().is_empty())
            .map(validate_email)
            .transpose()?;
        let password = input
            .password
            .as_deref()
            .map(crate::auth::hash_password)
            .transpose()?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let mut user = users::get(c, id).await?.ok_or(AppError::NotFound)?;
                check_user_write(&actor, &user, &input)?;
                if input.active == Some(true)
                    && !user.active
                    && store::repo::deletions::user_scrubbed(c, id).await?
                {
                    return Err(AppError::field(FieldError::invalid(
                        "active",
                        "this user was deleted permanently",
                    )));
                }
                check_org(c, input.organization_id).await?;
                let before = (user.role, user.active, user.restricted_to_groups);
                apply(&mut user, &input)?;
                if let Some(e) = &email
                    && user.email.as_deref() != Some(e)
                {
                    match users::by_identity(c, IdentityKind::Email, e).await? {
                        Some(other) if other.id != id => {
                            return Err(AppError::field(FieldError::duplicate("email", e)));
                        }
                        Some(_) => {}
                        None => {
                            let ident =
                                users::add_identity(c, id, IdentityKind::Email, e, false, now)
                                    .await?;
                            users::make_primary(c, &ident, now).await?;
                        }
                    }
                    user.email = Some(e.clone());
                }
                if password.is_some() {
                    user.password_hash = password;
                    // A new password ends every session opened with the old.
                    store::repo::sessions::delete_for_user(c, id).await?;
                }
                user.updated_at = now;
                users::update(c, &user)
                    .await
                    .map_err(|e| dup_external(e, &user))?;
                // The answer carries the values, changed or not.
                user.fields = write_values(c, FieldOwner::User, id.0, &input.fields).await?;
                store::events::append(
                    c,
                    user_event(id, store::events::EventKind::Updated, Some(actor.user), now),
                )
                .await?;
                // A change of role, access or standing is an admin's: logged.
                if before != (user.role, user.active, user.restricted_to_groups) {
                    let action = if user.active {
                        AdminAction::Update
                    } else {
                        AdminAction::Destroy
                    };
                    let change = AdminChange::new(action, AdminSource::User, id.0, &user.name);
                    crate::audit_log::record(c, &actor, change, now).await?;
                }
                Ok(user)
            })
        })
        .await
    }

    /// Deactivates a user (admins only); tickets and history stay.
    pub async fn delete_user(&self, actor: Actor, id: UserId) -> Result<User, AppError> {
        crate::error::require(&actor, domain::policy::Capability::DeactivateUsers)?;
        if actor.user == id {
            return Err(AppError::field(FieldError::invalid(
                "base",
                "you cannot delete yourself",
            )));
        }
        self.update_user(
            actor,
            id,
            UserInput {
                active: Some(false),
                ..Default::default()
            },
        )
        .await
    }

    /// Creates the user, or updates the one with the same email or external id.
    pub async fn create_or_update_user(
        &self,
        actor: Actor,
        input: UserInput,
    ) -> Result<(User, bool), AppError> {
        let existing = {
            let mut rc = self.read().await?;
            let c = &mut rc.conn();
            let by_ext = match input.external_id.as_ref().and_then(|e| e.as_deref()) {
                Some(e) => users::by_external_id(c, e).await?,
                None => None,
            };
            match (by_ext, input.email.as_deref().and_then(normalize_email)) {
                (Some(u), _) => Some(u),
                (None, Some(e)) => users::by_identity(c, IdentityKind::Email, &e).await?,
                (None, None) => None,
            }
        };
        match existing {
            Some(u) => Ok((self.update_user(actor, u.id, input).await?, false)),
            None => Ok((self.create_user(actor, input).await?, true)),
        }
    }

    /// Creates an admin (for `atiende admin create` and first start).
    pub async fn bootstrap_admin(
        &self,
        email: &str,
        name: &str,
        password: &str,
    ) -> Result<User, AppError> {
        let system = Actor {
            user: UserId(0),
            role: Role::Admin,
            org: None,
            restricted: false,
        };
        self.create_user(
            system,
            UserInput {
                name: Some(name.into()),
                email: Some(email.into()),
                role: Some(Role::Admin),
                password: Some(password.into()),
                verified: Some(true),
                ..Default::default()
            },
        )
        .await
    }

    /// The user with this email, if any (for the command line).
    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, AppError> {
        let email = validate_email(email)?;
        let mut rc = self.read().await?;
        Ok(users::by_identity(&mut rc.conn(), IdentityKind::Email, &email).await?)
    }

    /// Whether any agent or admin exists yet.
    pub async fn has_staff(&self) -> Result<bool, AppError> {
        let mut rc = self.read().await?;
        Ok(users::count_staff(&mut rc.conn()).await? > 0)
    }
}

/// A duplicate external id reads better as a field error than a SQL message.
fn dup_external(e: store::StoreError, u: &User) -> AppError {
    match e {
        store::StoreError::Duplicate(_) => AppError::field(FieldError::duplicate(
            "external_id",
            u.external_id.as_deref().unwrap_or(""),
        )),
        other => other.into(),
    }
}
