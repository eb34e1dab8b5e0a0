//! Custom fields on users and organizations (Zendesk's `user_fields` and
//! `organization_fields`): admins define them by key; a record's values
//! are checked against their fields as ticket fields' are, and written in
//! the same unit as the record.

use crate::fields::{Checks, ValueRule};
use crate::{App, AppError, FieldError};
use domain::audit_log::{AdminAction, AdminChange, AdminSource};
use domain::field::{FieldOwner, ProfileValue};
use domain::model::ProfileField;
use domain::policy::Capability;
use domain::{Actor, FieldType, ProfileFieldId, Timestamp};
use serde_json::Value as Json;
use store::Conn;
use store::repo::profile_fields;

/// What a caller may set on a field; `None` leaves a part as it is. The
/// key and type are given once, when the field is made.
#[derive(Debug, Clone, Default)]
pub struct ProfileFieldInput {
    pub key: Option<String>,
    pub field_type: Option<FieldType>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub position: Option<i64>,
    pub active: Option<bool>,
    pub regexp: Option<String>,
    pub tag: Option<String>,
    /// (name, value) in order, replacing the options.
    pub options: Option<Vec<(String, String)>>,
}

/// A key as records and the API name a field: letters, digits and `_`.
fn checked_key(key: &str) -> Result<String, AppError> {
    let key = key.trim();
    let fits = !key.is_empty()
        && key.len() <= 64
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !fits {
        return Err(AppError::field(FieldError::invalid(
            "key",
            "letters, digits and _ only, at most 64",
        )));
    }
    Ok(key.to_string())
}

fn apply(f: &mut ProfileField, input: ProfileFieldInput) -> Result<(), AppError> {
    if let Some(t) = input.title {
        if t.trim().is_empty() {
            return Err(AppError::field(FieldError::blank("title")));
        }
        f.title = t.trim().chars().take(255).collect();
    }
    if let Some(d) = input.description {
        f.description = d;
    }
    if let Some(p) = input.position {
        f.position = p;
    }
    if let Some(a) = input.active {
        f.active = a;
    }
    Checks {
        regexp: &mut f.regexp,
        tag: &mut f.tag,
        options: &mut f.options,
    }
    .apply(f.field_type, input.regexp, input.tag, input.options)
}

/// The values given by key for one record of `owner`, checked against
/// their fields: each set (text) or cleared (`None`). An unknown key is
/// refused by name.
async fn checked_values(
    c: &mut Conn<'_>,
    owner: FieldOwner,
    given: &[(String, Json)],
) -> Result<Vec<(ProfileFieldId, Option<String>)>, AppError> {
    if given.is_empty() {
        return Ok(vec![]);
    }
    let fields = profile_fields::all(c, owner).await?;
    let mut errors = Vec::new();
    let mut out = Vec::with_capacity(given.len());
    let list = match owner {
        FieldOwner::User => "user_fields",
        FieldOwner::Organization => "organization_fields",
    };
    for (key, value) in given {
        let Some(f) = fields.iter().find(|f| &f.key == key) else {
            errors.push(FieldError::invalid(
                list,
                format!("{key} is not a field's key"),
            ));
            continue;
        };
        let rule = ValueRule {
            name: format!("{list}.{key}"),
            field_type: f.field_type,
            options: &f.options,
            regexp: f.regexp.as_deref(),
            tag: f.tag.as_deref(),
        };
        match rule.check(value) {
            Ok(v) => out.push((f.id, v.map(|(text, _)| text))),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(AppError::Invalid(errors))
    }
}

/// Checks and writes the values given for one record, and returns the
/// record's values as they now stand.
pub(crate) async fn write_values(
    c: &mut Conn<'_>,
    owner: FieldOwner,
    entity: i64,
    given: &[(String, Json)],
) -> Result<Vec<ProfileValue>, AppError> {
    let values = checked_values(c, owner, given).await?;
    profile_fields::set_values(c, entity, &values).await?;
    Ok(profile_fields::values_of(c, owner, &[entity])
        .await?
        .remove(&entity)
        .unwrap_or_default())
}

/// What the audit log calls an owner's fields.
fn source(owner: FieldOwner) -> AdminSource {
    match owner {
        FieldOwner::User => AdminSource::UserField,
        FieldOwner::Organization => AdminSource::OrganizationField,
    }
}

impl App {
    /// An owner's fields, in position order (staff: the forms need them).
    pub async fn profile_fields(
        &self,
        actor: Actor,
        owner: FieldOwner,
    ) -> Result<Vec<ProfileField>, AppError> {
        crate::error::require(&actor, Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        Ok(profile_fields::all(&mut rc.conn(), owner).await?)
    }

    pub async fn profile_field(
        &self,
        actor: Actor,
        owner: FieldOwner,
        id: ProfileFieldId,
    ) -> Result<ProfileField, AppError> {
        crate::error::require(&actor, Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        profile_fields::get(&mut rc.conn(), owner, id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Makes a field (key, type and title required; a key once per owner).
    pub async fn create_profile_field(
        &self,
        actor: Actor,
        owner: FieldOwner,
        mut input: ProfileFieldInput,
    ) -> Result<ProfileField, AppError> {
        crate::error::require(&actor, Capability::ManageFields)?;
        let key = checked_key(input.key.take().as_deref().unwrap_or(""))?;
        let field_type = input
            .field_type
            .ok_or_else(|| AppError::field(FieldError::blank("type")))?;
        if input.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
            return Err(AppError::field(FieldError::blank("title")));
        }
        let now = Timestamp::now();
        let mut f = ProfileField {
            id: ProfileFieldId(0),
            owner,
            key,
            field_type,
            title: String::new(),
            description: String::new(),
            position: 0,
            active: true,
            regexp: None,
            tag: None,
            options: vec![],
            created_at: now,
            updated_at: now,
        };
        apply(&mut f, input)?;
        self.write(move |c| {
            Box::pin(async move {
                if profile_fields::key_taken(c, owner, &f.key).await? {
                    return Err(AppError::field(FieldError::duplicate("key", &f.key)));
                }
                let id = profile_fields::insert(c, &f).await?;
                let change = AdminChange::new(AdminAction::Create, source(owner), id.0, &f.title);
                crate::audit_log::record(c, &actor, change, now).await?;
                profile_fields::get(c, owner, id)
                    .await?
                    .ok_or(AppError::NotFound)
            })
        })
        .await
    }

    /// Changes a field; its key and type stay as made.
    pub async fn update_profile_field(
        &self,
        actor: Actor,
        owner: FieldOwner,
        id: ProfileFieldId,
        input: ProfileFieldInput,
    ) -> Result<ProfileField, AppError> {
        crate::error::require(&actor, Capability::ManageFields)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let mut f = profile_fields::get(c, owner, id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                let unchanged = |given: &Option<String>, now: &str| {
                    given.as_deref().is_none_or(|g| g.trim() == now)
                };
                if !unchanged(&input.key, &f.key)
                    || input.field_type.is_some_and(|t| t != f.field_type)
                {
                    return Err(AppError::field(FieldError::invalid(
                        "key",
                        "a field's key and type cannot change; make a new field",
                    )));
                }
                apply(&mut f, input)?;
                f.updated_at = now;
                profile_fields::update(c, &f).await?;
                let change = AdminChange::new(AdminAction::Update, source(owner), id.0, &f.title);
                crate::audit_log::record(c, &actor, change, now).await?;
                profile_fields::get(c, owner, id)
                    .await?
                    .ok_or(AppError::NotFound)
            })
        })
        .await
    }

    /// Deletes a field and every record's value of it.
    pub async fn delete_profile_field(
        &self,
        actor: Actor,
        owner: FieldOwner,
        id: ProfileFieldId,
    ) -> Result<(), AppError> {
        crate::error::require(&actor, Capability::ManageFields)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let f = profile_fields::get(c, owner, id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                profile_fields::delete(c, id).await?;
                let change = AdminChange::new(AdminAction::Destroy, source(owner), id.0, &f.title);
                crate::audit_log::record(c, &actor, change, now).await?;
                Ok(())
            })
        })
        .await
    }

    /// Puts an owner's fields in the order of `ids` (every field once).
    pub async fn reorder_profile_fields(
        &self,
        actor: Actor,
        owner: FieldOwner,
        ids: Vec<ProfileFieldId>,
    ) -> Result<(), AppError> {
        crate::error::require(&actor, Capability::ManageFields)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let fields = profile_fields::all(c, owner).await?;
                let mut wanted = ids.clone();
                wanted.sort_unstable_by_key(|i| i.0);
                wanted.dedup();
                let mut have: Vec<ProfileFieldId> = fields.iter().map(|f| f.id).collect();
                have.sort_unstable_by_key(|i| i.0);
                if wanted != have || wanted.len() != ids.len() {
                    return Err(AppError::field(FieldError::invalid(
                        match owner {
                            FieldOwner::User => "user_field_ids",
                            FieldOwner::Organization => "organization_field_ids",
                        },
                        "name every field once",
                    )));
                }
                for mut f in fields {
                    f.position = ids.iter().position(|i| *i == f.id).unwrap_or(0) as i64;
                    f.updated_at = now;
                    profile_fields::update(c, &f).await?;
                }
                Ok(())
            })
        })
        .await
    }
}
