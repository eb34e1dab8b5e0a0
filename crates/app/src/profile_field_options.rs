//! One dropdown option of a user or organization field at a time
//! (Zendesk's `user_fields/{id}/options`): made, renamed or removed
//! through the field's own update, so the same checks hold and an
//! option's id stays while its value does.

use crate::profile_fields::ProfileFieldInput;
use crate::{App, AppError, FieldError};
use domain::field::FieldOwner;
use domain::model::FieldOption;
use domain::{Actor, ProfileFieldId};

/// An option as given: `id` names one to change; none adds one.
#[derive(Debug, Clone, Default)]
pub struct OptionInput {
    pub id: Option<i64>,
    pub name: String,
    pub value: String,
}

impl App {
    /// Adds an option, or changes the one `input.id` names; the option as
    /// saved and whether it is new.
    pub async fn save_field_option(
        &self,
        actor: Actor,
        owner: FieldOwner,
        field: ProfileFieldId,
        input: OptionInput,
    ) -> Result<(FieldOption, bool), AppError> {
        let f = self.profile_field(actor, owner, field).await?;
        if !f.field_type.has_options() {
            return Err(AppError::field(FieldError::invalid(
                "custom_field_option",
                "only dropdown and multiselect fields have options",
            )));
        }
        let mut options: Vec<(String, String)> = f
            .options
            .iter()
            .map(|o| (o.name.clone(), o.value.clone()))
            .collect();
        let replaced = input
            .id
            .and_then(|id| f.options.iter().position(|o| o.id == id));
        if input.id.is_some() && replaced.is_none() {
            return Err(AppError::NotFound);
        }
        let value = input.value.trim().to_string();
        match replaced {
            Some(at) => options[at] = (input.name.trim().to_string(), value.clone()),
            None => options.push((input.name.trim().to_string(), value.clone())),
        }
        let saved = self.set_field_options(actor, owner, field, options).await?;
        let option = saved
            .options
            .into_iter()
            .find(|o| o.value == value)
            .ok_or(AppError::NotFound)?;
        Ok((option, replaced.is_none()))
    }

    /// Removes an option (values that chose it keep their text).
    pub async fn delete_field_option(
        &self,
        actor: Actor,
        owner: FieldOwner,
        field: ProfileFieldId,
        option: i64,
    ) -> Result<(), AppError> {
        let f = self.profile_field(actor, owner, field).await?;
        if !f.options.iter().any(|o| o.id == option) {
            return Err(AppError::NotFound);
        }
        let options = f
            .options
            .iter()
            .filter(|o| o.id != option)
            .map(|o| (o.name.clone(), o.value.clone()))
            .collect();
        self.set_field_options(actor, owner, field, options).await?;
        Ok(())
    }

    /// The field's options become these `(name, value)` pairs, through its
    /// own update (its checks, its audit-log entry).
    async fn set_field_options(
        &self,
        actor: Actor,
        owner: FieldOwner,
        field: ProfileFieldId,
        options: Vec<(String, String)>,
    ) -> Result<domain::model::ProfileField, AppError> {
        let input = ProfileFieldInput {
            options: Some(options),
            ..Default::default()
        };
        self.update_profile_field(actor, owner, field, input).await
    }
}
