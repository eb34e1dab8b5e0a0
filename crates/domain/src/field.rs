//! Custom ticket fields: their kinds, and checking a value against a kind.

use crate::word_enum;

word_enum!(
    /// The kinds of custom field Zendesk clients create. `tagger` is a dropdown
    /// whose chosen option's value is also added to the ticket's tags.
    FieldType {
        Text = "text",
        Textarea = "textarea",
        Checkbox = "checkbox",
        Integer = "integer",
        Decimal = "decimal",
        Date = "date",
        Regexp = "regexp",
        Tagger = "tagger",
        Multiselect = "multiselect",
    }
);

impl FieldType {
    /// Whether values of this kind are chosen from a list of options.
    pub fn has_options(self) -> bool {
        matches!(self, FieldType::Tagger | FieldType::Multiselect)
    }
}

word_enum!(
    /// What a profile field describes: people, or organizations.
    FieldOwner {
        User = "user",
        Organization = "organization",
    }
);

/// One value of a profile field on a user or an organization, as stored
/// (text, as a ticket field's value is), with what it is to read it back
/// typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileValue {
    /// The field's key (`plan`, `contract_ends`).
    pub key: String,
    pub field_type: FieldType,
    /// None when the record has no value for this active field (Zendesk
    /// lists every key, unset ones as null).
    pub value: Option<String>,
}
