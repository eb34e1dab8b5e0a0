//! What the API's writes accept, as OpenAPI schemas. The parsers in
//! `crate::input` read the JSON (leniently, as Zendesk does: ids as numbers
//! or text, tags as a list or one string, and every bad field reported at
//! once); these types document them, and a test holds each to exactly the
//! keys its parser reads. They are described, never built.
#![allow(dead_code)]

use serde_json::Value as Json;
use utoipa::ToSchema;

/// Fields are optional on update; on create a ticket needs a comment (or
/// a description) and a requester (or the caller is the requester).
#[derive(ToSchema)]
pub struct TicketRequest {
    pub subject: Option<String>,
    /// The first comment's text, when no `comment` is given.
    pub description: Option<String>,
    pub comment: Option<CommentRequest>,
    pub requester_id: Option<i64>,
    /// A requester found or created by email.
    pub requester: Option<RequesterRequest>,
    pub submitter_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub group_id: Option<i64>,
    pub organization_id: Option<i64>,
    /// `new`, `open`, `pending`, `hold`, `solved` or `closed`.
    pub status: Option<String>,
    /// `urgent`, `high`, `normal` or `low`; null clears.
    pub priority: Option<String>,
    /// `problem`, `incident`, `question` or `task`; null clears.
    #[schema(rename = "type")]
    pub ticket_type: Option<String>,
    /// Replaces the tags (a list, or one string split on spaces and commas).
    pub tags: Option<Vec<String>>,
    pub additional_tags: Option<Vec<String>>,
    pub remove_tags: Option<Vec<String>>,
    pub external_id: Option<String>,
    /// ISO 8601, for tasks.
    pub due_at: Option<String>,
    /// The problem an incident belongs to.
    pub problem_id: Option<i64>,
    /// The request form it is made with.
    pub ticket_form_id: Option<i64>,
    pub collaborator_ids: Option<Vec<i64>>,
    pub follower_ids: Option<Vec<i64>>,
    /// The support address the ticket was sent to.
    pub recipient: Option<String>,
    /// With `updated_stamp`: refuse the update (409) if the ticket changed
    /// since that time.
    pub safe_update: Option<bool>,
    pub updated_stamp: Option<String>,
    /// `[{id, value}]`, or `{"<id>": value}`; `fields` is the same.
    pub custom_fields: Option<Vec<CustomFieldEntry>>,
    pub fields: Option<Vec<CustomFieldEntry>>,
}

#[derive(ToSchema)]
pub struct CustomFieldEntry {
    pub id: i64,
    /// Text, number, boolean or list of words, by the field's type.
    pub value: Json,
}

#[derive(ToSchema)]
pub struct CommentRequest {
    pub body: Option<String>,
    /// Sanitised before it is stored.
    pub html_body: Option<String>,
    /// Customers' comments are always public.
    pub public: Option<bool>,
    pub author_id: Option<i64>,
    /// Tokens from `POST /api/v2/uploads`.
    pub uploads: Option<Vec<String>>,
    /// atiende: an approved WhatsApp template this reply is (the
    /// customer's 24-hour window is closed); the body is its words.
    pub template: Option<TemplateRequest>,
    /// atiende: answers the customer can tap, on a messaging channel (at
    /// most 3, 20 characters each): WhatsApp reply buttons, Messenger and
    /// Instagram quick replies, a Telegram keyboard, listed in the text on
    /// SMS.
    pub buttons: Option<Vec<String>>,
}

#[derive(ToSchema)]
pub struct TemplateRequest {
    pub name: String,
    /// Meta's language code (`es`, `en_US`).
    pub language: String,
    /// The values of `{{1}}`, `{{2}}`…
    pub params: Option<Vec<String>>,
}

#[derive(ToSchema)]
pub struct RequesterRequest {
    pub email: String,
    pub name: Option<String>,
    pub locale: Option<String>,
}

#[derive(ToSchema)]
pub struct UserRequest {
    pub name: Option<String>,
    pub email: Option<String>,
    /// `end-user`, `agent` or `admin`.
    pub role: Option<String>,
    pub organization_id: Option<i64>,
    pub default_group_id: Option<i64>,
    pub tags: Option<Vec<String>>,
    pub external_id: Option<String>,
    pub phone: Option<String>,
    pub locale: Option<String>,
    pub time_zone: Option<String>,
    pub details: Option<String>,
    pub notes: Option<String>,
    pub verified: Option<bool>,
    pub password: Option<String>,
    /// `groups` (an agent sees only their groups' tickets) or null.
    pub ticket_restriction: Option<String>,
    /// User field values by key; `null` clears one.
    #[schema(value_type = Option<Object>)]
    pub user_fields: Option<serde_json::Value>,
}

#[derive(ToSchema)]
pub struct OrganizationRequest {
    pub name: Option<String>,
    pub details: Option<String>,
    pub notes: Option<String>,
    pub external_id: Option<String>,
    pub group_id: Option<i64>,
    pub shared_tickets: Option<bool>,
    pub tags: Option<Vec<String>>,
    /// Customers writing from these domains join the organization.
    pub domain_names: Option<Vec<String>>,
    /// Organization field values by key; `null` clears one.
    #[schema(value_type = Option<Object>)]
    pub organization_fields: Option<serde_json::Value>,
}

#[derive(ToSchema)]
pub struct TicketFieldRequest {
    /// `text`, `textarea`, `checkbox`, `date`, `integer`, `decimal`,
    /// `regexp`, `tagger` or `multiselect`.
    #[schema(rename = "type")]
    pub field_type: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub required: Option<bool>,
    pub active: Option<bool>,
    pub position: Option<i64>,
    pub regexp_for_validation: Option<String>,
    pub tag: Option<String>,
    pub custom_field_options: Option<Vec<FieldOptionRequest>>,
    /// Customers see it on the request form and their requests.
    pub visible_in_portal: Option<bool>,
    /// Customers fill it in on the request form.
    pub editable_in_portal: Option<bool>,
    /// Customers must fill it in when the form shows it.
    pub required_in_portal: Option<bool>,
    /// Its name on the request form in the default locale.
    pub title_in_portal: Option<String>,
    /// atiende's: its name on the request form per help-center locale.
    pub title_in_portal_translations: Option<std::collections::BTreeMap<String, String>>,
}

/// A user or organization field as written.
#[derive(ToSchema)]
pub struct ProfileFieldRequest {
    /// Letters, digits and `_`; given once, when the field is made.
    pub key: Option<String>,
    /// `text`, `textarea`, `checkbox`, `date`, `integer`, `decimal`,
    /// `regexp`, `dropdown` or `multiselect`; given once.
    #[schema(rename = "type")]
    pub field_type: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub position: Option<i64>,
    pub active: Option<bool>,
    pub regexp_for_validation: Option<String>,
    pub tag: Option<String>,
    pub custom_field_options: Option<Vec<FieldOptionRequest>>,
}

#[derive(ToSchema)]
pub struct FieldOptionRequest {
    pub name: String,
    pub value: String,
}

/// A help-center category or section.
#[derive(ToSchema)]
pub struct GroupingRequest {
    pub name: Option<String>,
    pub description: Option<String>,
    /// `es` or `en`.
    pub locale: Option<String>,
    pub position: Option<i64>,
    /// Sections only.
    pub category_id: Option<i64>,
    /// Sections only.
    pub parent_section_id: Option<i64>,
}

#[derive(ToSchema)]
pub struct ArticleRequest {
    pub title: Option<String>,
    /// The same as `title` (Zendesk accepts both).
    pub name: Option<String>,
    /// HTML, sanitised before it is stored.
    pub body: Option<String>,
    pub locale: Option<String>,
    pub draft: Option<bool>,
    pub promoted: Option<bool>,
    pub position: Option<i64>,
    pub label_names: Option<Vec<String>>,
    pub permission_group_id: Option<i64>,
    /// Who may read it: null for everyone, or a user segment.
    pub user_segment_id: Option<i64>,
    pub section_id: Option<i64>,
    pub comments_disabled: Option<bool>,
}
