//! Request forms (Zendesk's ticket forms): admins choose the fields each
//! form shows, in order, and conditions that show (and may require) a
//! field only for certain answers; customers see the active forms meant
//! for them.

use crate::{App, AppError, FieldError};
use domain::audit_log::{AdminAction, AdminChange, AdminSource};
use domain::form::{ConditionValue, FormCondition, TicketForm};
use domain::model::TicketField;
use domain::{Actor, FieldId, FieldType, TicketFormId, Timestamp};
use store::repo::{fields, ticket_forms as forms};

/// What an admin may set on a form.
#[derive(Debug, Clone, Default)]
pub struct TicketFormInput {
    pub name: Option<String>,
    /// The name customers see in the default locale.
    pub display_name: Option<String>,
    /// Names customers see per help-center locale (replacing them).
    pub display_names: Option<Vec<(String, String)>>,
    pub position: Option<i64>,
    pub active: Option<bool>,
    pub end_user_visible: Option<bool>,
    pub default: Option<bool>,
    pub ticket_field_ids: Option<Vec<FieldId>>,
    pub end_user_conditions: Option<Vec<FormCondition>>,
}

fn manager(actor: &Actor) -> Result<(), AppError> {
    crate::error::require(actor, domain::policy::Capability::ManageFields)
}

fn invalid(field: &str, why: String) -> AppError {
    AppError::field(FieldError::invalid(field, why))
}

/// Checks a form against the fields that exist: every field on it exists,
/// and every condition hangs on a dropdown or checkbox of the form, waits
/// for an answer that field can give, and shows fields of the form.
fn check(form: &TicketForm, all: &[TicketField]) -> Result<(), AppError> {
    let field = |id: FieldId| all.iter().find(|f| f.id == id);
    for id in &form.ticket_field_ids {
        if field(*id).is_none() {
            return Err(invalid(
                "ticket_field_ids",
                format!("there is no field {id}"),
            ));
        }
    }
    for c in &form.end_user_conditions {
        let Some(parent) =
            field(c.parent_field_id).filter(|_| form.ticket_field_ids.contains(&c.parent_field_id))
        else {
            return Err(invalid(
                "end_user_conditions",
                format!("field {} is not on the form", c.parent_field_id),
            ));
        };
        let fits = match (&c.value, parent.field_type) {
            (ConditionValue::Flag(_), FieldType::Checkbox) => true,
            (ConditionValue::Text(v), FieldType::Tagger) => {
                parent.options.iter().any(|o| &o.value == v)
            }
            _ => false,
        };
        if !fits {
            return Err(invalid(
                "end_user_conditions",
                format!("field {} cannot have the answer {:?}", parent.id, c.value),
            ));
        }
        for child in &c.child_fields {
            if !form.ticket_field_ids.contains(&child.id) || child.id == c.parent_field_id {
                return Err(invalid(
                    "end_user_conditions",
                    format!("field {} is not one the form shows", child.id),
                ));
            }
        }
    }
    Ok(())
}

fn apply(f: &mut TicketForm, input: TicketFormInput) -> Result<(), AppError> {
    if let Some(n) = input.name {
        let n = n.trim();
        if n.is_empty() {
            return Err(AppError::field(FieldError::blank("name")));
        }
        f.name = n.chars().take(255).collect();
    }
    if let Some(list) = input.display_names {
        f.display_names.clear();
        for (locale, name) in list {
            let locale = crate::help_center::normalize_locale(Some(&locale));
            if !crate::help_center::LOCALES.contains(&locale.as_str()) {
                return Err(invalid(
                    "display_name_translations",
                    format!("{locale} is not a help-center locale"),
                ));
            }
            if !name.trim().is_empty() {
                f.display_names.insert(locale, name.trim().to_string());
            }
        }
    }
    if let Some(d) = input.display_name {
        let default = crate::help_center::LOCALES[0].to_string();
        match d.trim() {
            "" => f.display_names.remove(&default),
            d => f.display_names.insert(default, d.to_string()),
        };
    }
    if let Some(v) = input.position {
        f.position = v;
    }
    if let Some(v) = input.active {
        f.active = v;
    }
    if let Some(v) = input.end_user_visible {
        f.end_user_visible = v;
    }
    if let Some(v) = input.default {
        f.default = v;
    }
    if let Some(mut ids) = input.ticket_field_ids {
        let mut seen = Vec::new();
        ids.retain(|i| {
            let fresh = !seen.contains(i);
            seen.push(*i);
            fresh
        });
        f.ticket_field_ids = ids;
    }
    if let Some(c) = input.end_user_conditions {
        f.end_user_conditions = c;
    }
    Ok(())
}

impl App {
    /// The forms the caller may use: every one for staff; the active ones
    /// meant for customers otherwise (also on the public request page).
    pub async fn ticket_forms(&self, staff: bool) -> Result<Vec<TicketForm>, AppError> {
        let mut rc = self.read().await?;
        let all = forms::all(&mut rc.conn()).await?;
        Ok(all
            .into_iter()
            .filter(|f| staff || (f.active && f.end_user_visible))
            .collect())
    }

    pub async fn ticket_form(&self, staff: bool, id: TicketFormId) -> Result<TicketForm, AppError> {
        self.ticket_forms(staff)
            .await?
            .into_iter()
            .find(|f| f.id == id)
            .ok_or(AppError::NotFound)
    }

    pub async fn create_ticket_form(
        &self,
        actor: Actor,
        input: TicketFormInput,
    ) -> Result<TicketForm, AppError> {
        manager(&actor)?;
        if input.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
            return Err(AppError::field(FieldError::blank("name")));
        }
        let now = Timestamp::now();
        let mut f = TicketForm {
            id: TicketFormId(0),
            name: String::new(),
            display_names: Default::default(),
            position: 0,
            active: true,
            end_user_visible: true,
            default: false,
            ticket_field_ids: Vec::new(),
            end_user_conditions: Vec::new(),
            created_at: now,
            updated_at: now,
        };
        apply(&mut f, input)?;
        self.write(move |c| {
            Box::pin(async move {
                check(&f, &fields::all(c).await?)?;
                let first = forms::all(c).await?.is_empty();
                f.default |= first;
                f.id = forms::insert(c, &f).await?;
                if f.default {
                    forms::make_default(c, f.id).await?;
                }
                let change = AdminChange::new(
                    AdminAction::Create,
                    AdminSource::TicketForm,
                    f.id.0,
                    &f.name,
                );
                crate::audit_log::record(c, &actor, change, now).await?;
                Ok(f)
            })
        })
        .await
    }

    pub async fn update_ticket_form(
        &self,
        actor: Actor,
        id: TicketFormId,
        input: TicketFormInput,
    ) -> Result<TicketForm, AppError> {
        manager(&actor)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let mut f = forms::get(c, id).await?.ok_or(AppError::NotFound)?;
                let was_default = f.default;
                apply(&mut f, input)?;
                if was_default && !f.default {
                    return Err(invalid(
                        "default",
                        "make another form the default instead".into(),
                    ));
                }
                check(&f, &fields::all(c).await?)?;
                f.updated_at = now;
                forms::update(c, &f).await?;
                if f.default {
                    forms::make_default(c, f.id).await?;
                }
                let change =
                    AdminChange::new(AdminAction::Update, AdminSource::TicketForm, id.0, &f.name);
                crate::audit_log::record(c, &actor, change, now).await?;
                Ok(f)
            })
        })
        .await
    }

    pub async fn delete_ticket_form(&self, actor: Actor, id: TicketFormId) -> Result<(), AppError> {
        manager(&actor)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let f = forms::get(c, id).await?.ok_or(AppError::NotFound)?;
                let change =
                    AdminChange::new(AdminAction::Destroy, AdminSource::TicketForm, id.0, &f.name);
                crate::audit_log::record(c, &actor, change, now).await?;
                if f.default && forms::all(c).await?.len() > 1 {
                    return Err(invalid(
                        "default",
                        "make another form the default first".into(),
                    ));
                }
                crate::error::found(forms::delete(c, id).await?)
            })
        })
        .await
    }
}
