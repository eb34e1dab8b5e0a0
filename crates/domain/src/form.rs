//! Request forms (Zendesk's ticket forms): which fields a form shows, in
//! which order, and conditions that show a field — and may require it —
//! only when another field has a certain answer.

use crate::ids::{FieldId, TicketFormId};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An answer a condition waits for: a dropdown option's value, or a
/// checkbox ticked or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ConditionValue {
    Flag(bool),
    Text(String),
}

/// A field a condition shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildField {
    pub id: FieldId,
    #[serde(default)]
    pub is_required: bool,
}

/// "When `parent_field_id` is `value`, show `child_fields`."
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormCondition {
    pub parent_field_id: FieldId,
    pub value: ConditionValue,
    pub child_fields: Vec<ChildField>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TicketForm {
    pub id: TicketFormId,
    /// What agents call it.
    pub name: String,
    /// What customers see, per help-center locale (the name where none).
    pub display_names: BTreeMap<String, String>,
    pub position: i64,
    pub active: bool,
    pub end_user_visible: bool,
    /// The form a request gets when none is chosen.
    pub default: bool,
    /// The custom fields it shows, in order.
    pub ticket_field_ids: Vec<FieldId>,
    pub end_user_conditions: Vec<FormCondition>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl TicketForm {
    pub fn display_name(&self, locale: &str) -> &str {
        self.display_names
            .get(locale)
            .map_or(self.name.as_str(), String::as_str)
    }

    /// Whether a field is shown given the answers so far: a field that is
    /// some condition's child shows only when one of its conditions holds;
    /// any other field of the form always shows.
    pub fn shows(
        &self,
        field: FieldId,
        answer: &dyn Fn(FieldId) -> Option<ConditionValue>,
    ) -> bool {
        let mut conditioned = false;
        for c in &self.end_user_conditions {
            if c.child_fields.iter().any(|f| f.id == field) {
                conditioned = true;
                if answer(c.parent_field_id).as_ref() == Some(&c.value)
                    && self.shows(c.parent_field_id, answer)
                {
                    return true;
                }
            }
        }
        !conditioned && self.ticket_field_ids.contains(&field)
    }

    /// Whether a shown field must be answered because a condition that
    /// shows it says so.
    pub fn condition_requires(
        &self,
        field: FieldId,
        answer: &dyn Fn(FieldId) -> Option<ConditionValue>,
    ) -> bool {
        self.end_user_conditions.iter().any(|c| {
            answer(c.parent_field_id).as_ref() == Some(&c.value)
                && c.child_fields
                    .iter()
                    .any(|f| f.id == field && f.is_required)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_show_and_require_fields_for_certain_answers() {
        let (kind, order, model) = (FieldId(1), FieldId(2), FieldId(3));
        let form = TicketForm {
            id: TicketFormId(1),
            name: "Pedidos".into(),
            display_names: BTreeMap::new(),
            position: 0,
            active: true,
            end_user_visible: true,
            default: true,
            ticket_field_ids: vec![kind, order, model],
            end_user_conditions: vec![
                FormCondition {
                    parent_field_id: kind,
                    value: ConditionValue::Text("pedido".into()),
                    child_fields: vec![ChildField {
                        id: order,
                        is_required: true,
                    }],
                },
                FormCondition {
                    parent_field_id: order,
                    value: ConditionValue::Text("123".into()),
                    child_fields: vec![ChildField {
                        id: model,
                        is_required: false,
                    }],
                },
            ],
            created_at: Timestamp(0),
            updated_at: Timestamp(0),
        };
        let none = |_: FieldId| None;
        assert!(form.shows(kind, &none));
        assert!(!form.shows(order, &none) && !form.shows(model, &none));
        let about_order = |f: FieldId| (f == kind).then(|| ConditionValue::Text("pedido".into()));
        assert!(form.shows(order, &about_order));
        assert!(form.condition_requires(order, &about_order));
        assert!(!form.shows(model, &about_order));
        let all = |f: FieldId| match f.0 {
            1 => Some(ConditionValue::Text("pedido".into())),
            2 => Some(ConditionValue::Text("123".into())),
            _ => None,
        };
        assert!(form.shows(model, &all));
        assert!(!form.shows(FieldId(9), &all), "not on the form");
    }
}
