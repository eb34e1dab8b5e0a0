//! User and organization fields as Zendesk shows them (`user_fields`,
//! `organization_fields`).

use super::FieldOption;
use domain::FieldType;
use domain::field::FieldOwner;
use domain::model::ProfileField as FieldRecord;
use serde::Serialize;
use utoipa::ToSchema;

/// A custom field on users or organizations.
#[derive(Serialize, ToSchema)]
pub struct ProfileField<'a> {
    pub id: i64,
    pub url: String,
    /// How records name its value (`user_fields.plan`).
    pub key: &'a str,
    /// `text`, `textarea`, `checkbox`, `date`, `integer`, `decimal`,
    /// `regexp`, `dropdown` or `multiselect`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: &'a str,
    pub raw_title: &'a str,
    pub description: &'a str,
    pub raw_description: &'a str,
    pub position: i64,
    pub active: bool,
    /// Zendesk's built-in fields; none here.
    pub system: bool,
    pub regexp_for_validation: Option<&'a str>,
    pub tag: Option<&'a str>,
    /// The choices of a dropdown or multiselect; null otherwise.
    pub custom_field_options: Option<Vec<FieldOption<'a>>>,
    pub created_at: String,
    pub updated_at: String,
}

/// The path of an owner's fields (`user_fields`, `organization_fields`).
pub fn profile_fields_path(owner: FieldOwner) -> &'static str {
    match owner {
        FieldOwner::User => "user_fields",
        FieldOwner::Organization => "organization_fields",
    }
}

pub fn profile_field<'a>(base: &str, f: &'a FieldRecord) -> ProfileField<'a> {
    let options = super::field_options(f.field_type, &f.options);
    ProfileField {
        id: f.id.0,
        url: format!(
            "{base}/api/v2/{}/{}.json",
            profile_fields_path(f.owner),
            f.id
        ),
        key: &f.key,
        kind: match f.field_type {
            FieldType::Tagger => "dropdown",
            other => other.as_str(),
        },
        title: &f.title,
        raw_title: &f.title,
        description: &f.description,
        raw_description: &f.description,
        position: f.position,
        active: f.active,
        system: false,
        regexp_for_validation: f.regexp.as_deref(),
        tag: f.tag.as_deref(),
        custom_field_options: options,
        created_at: f.created_at.to_iso(),
        updated_at: f.updated_at.to_iso(),
    }
}
