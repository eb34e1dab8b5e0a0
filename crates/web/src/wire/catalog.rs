//! The configuration records the API answers with: ticket fields, jobs,
//! macros, views, satisfaction ratings, request forms (see `records` for
//! why these are structs; the help center's are in `help_center`).

use domain::model::{
    JobStatus, Macro as MacroRecord, SatisfactionRating as RatingRecord,
    TicketField as FieldRecord, View as ViewRecord,
};
use serde::Serialize;
use serde_json::Value as Json;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct FieldOption<'a> {
    pub id: i64,
    pub name: &'a str,
    pub raw_name: &'a str,
    pub value: &'a str,
    pub default: bool,
}

#[derive(Serialize, ToSchema)]
pub struct TicketField<'a> {
    pub id: i64,
    pub url: String,
    /// `subject`, `description`, `status`, … for built-in fields; `text`,
    /// `textarea`, `checkbox`, `date`, `integer`, `decimal`, `regexp`,
    /// `tagger` or `multiselect` for custom ones.
    #[serde(rename = "type")]
    pub kind: &'a str,
    pub title: &'a str,
    pub raw_title: &'a str,
    pub description: &'a str,
    pub raw_description: &'a str,
    pub position: i64,
    pub active: bool,
    pub required: bool,
    pub collapsed_for_agents: bool,
    pub regexp_for_validation: Option<&'a str>,
    pub title_in_portal: &'a str,
    pub raw_title_in_portal: &'a str,
    pub visible_in_portal: bool,
    pub editable_in_portal: bool,
    pub required_in_portal: bool,
    /// atiende's: the request form's title per help-center locale.
    pub title_in_portal_translations: Option<&'a std::collections::BTreeMap<String, String>>,
    pub tag: Option<&'a str>,
    pub removable: bool,
    /// The choices of a `tagger` or `multiselect` field; null otherwise.
    pub custom_field_options: Option<Vec<FieldOption<'a>>>,
    pub created_at: String,
    pub updated_at: String,
}

/// Built-in fields listed before custom ones, as Zendesk does. Their ids are
/// far above any custom field id.
pub const SYSTEM_FIELDS: &[(i64, &str, &str)] = &[
    (9_000_000_001, "subject", "Subject"),
    (9_000_000_002, "description", "Description"),
    (9_000_000_003, "status", "Status"),
    (9_000_000_004, "tickettype", "Type"),
    (9_000_000_005, "priority", "Priority"),
    (9_000_000_006, "group", "Group"),
    (9_000_000_007, "assignee", "Assignee"),
];

const SYSTEM_FIELD_TIME: &str = "2024-01-01T00:00:00Z";

pub fn system_field(
    base: &str,
    (id, kind, title): (i64, &'static str, &'static str),
) -> TicketField<'static> {
    TicketField {
        id,
        url: format!("{base}/api/v2/ticket_fields/{id}.json"),
        kind,
        title,
        raw_title: title,
        description: "",
        raw_description: "",
        position: 0,
        active: true,
        required: false,
        collapsed_for_agents: false,
        regexp_for_validation: None,
        title_in_portal: title,
        raw_title_in_portal: title,
        visible_in_portal: true,
        editable_in_portal: true,
        required_in_portal: false,
        title_in_portal_translations: None,
        tag: None,
        removable: false,
        custom_field_options: None,
        created_at: SYSTEM_FIELD_TIME.into(),
        updated_at: SYSTEM_FIELD_TIME.into(),
    }
}

/// A dropdown's or multiselect's choices as Zendesk lists them; `None`
/// for fields of other types.
pub fn field_options(
    field_type: domain::FieldType,
    options: &[domain::model::FieldOption],
) -> Option<Vec<FieldOption<'_>>> {
    field_type.has_options().then(|| {
        options
            .iter()
            .map(|o| FieldOption {
                id: o.id,
                name: &o.name,
                raw_name: &o.name,
                value: &o.value,
                default: false,
            })
            .collect()
    })
}

pub fn field<'a>(base: &str, f: &'a FieldRecord) -> TicketField<'a> {
    let options = field_options(f.field_type, &f.options);
    TicketField {
        id: f.id.0,
        url: format!("{base}/api/v2/ticket_fields/{}.json", f.id),
        kind: f.field_type.as_str(),
        title: &f.title,
        raw_title: &f.title,
        description: &f.description,
        raw_description: &f.description,
        position: f.position,
        active: f.active,
        required: f.required,
        collapsed_for_agents: false,
        regexp_for_validation: f.regexp.as_deref(),
        title_in_portal: f.portal_title(app::help_center::LOCALES[0]),
        raw_title_in_portal: f.portal_title(app::help_center::LOCALES[0]),
        visible_in_portal: f.visible_in_portal,
        editable_in_portal: f.editable_in_portal,
        required_in_portal: f.required_in_portal,
        title_in_portal_translations: Some(&f.portal_titles),
        tag: f.tag.as_deref(),
        removable: true,
        custom_field_options: options,
        created_at: f.created_at.to_iso(),
        updated_at: f.updated_at.to_iso(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct Job<'a> {
    pub id: &'a str,
    pub url: String,
    pub job_type: &'a str,
    pub total: i64,
    pub progress: i64,
    /// `queued`, `working`, `completed`, `failed` or `killed`.
    pub status: &'static str,
    pub message: Option<&'a str>,
    /// One entry per item the job touched (`id`, `status`, `success`, or
    /// `error` and `details`).
    #[schema(value_type = Vec<Object>)]
    pub results: Json,
}

pub fn job<'a>(base: &str, j: &'a JobStatus) -> Job<'a> {
    Job {
        id: &j.id,
        url: format!("{base}/api/v2/job_statuses/{}.json", j.id),
        job_type: &j.kind,
        total: j.total,
        progress: j.progress,
        status: j.status.as_str(),
        message: j.message.as_deref(),
        results: serde_json::from_str(&j.results).unwrap_or_else(|_| Json::Array(vec![])),
    }
}

#[derive(Serialize, ToSchema)]
pub struct Macro<'a> {
    pub id: i64,
    pub url: String,
    pub title: &'a str,
    pub raw_title: &'a str,
    pub description: Option<&'a str>,
    pub active: bool,
    pub position: i64,
    /// `[{"field": …, "value": …}]`, as Zendesk's macro actions.
    #[schema(value_type = Vec<Object>)]
    pub actions: Json,
    pub restriction: Option<Json>,
    pub default: bool,
    pub created_at: String,
    pub updated_at: String,
}

pub fn macro_json<'a>(base: &str, m: &'a MacroRecord) -> Macro<'a> {
    Macro {
        id: m.id.0,
        url: format!("{base}/api/v2/macros/{}.json", m.id),
        title: &m.title,
        raw_title: &m.title,
        description: m.description.as_deref(),
        active: m.active,
        position: m.position,
        actions: serde_json::from_str(&m.actions).unwrap_or_else(|_| Json::Array(vec![])),
        restriction: None,
        default: false,
        created_at: m.created_at.to_iso(),
        updated_at: m.updated_at.to_iso(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct ViewConditions {
    #[schema(value_type = Vec<Object>)]
    pub all: Json,
    #[schema(value_type = Vec<Object>)]
    pub any: Json,
}

#[derive(Serialize, ToSchema)]
pub struct ViewColumn {
    pub id: &'static str,
    pub title: &'static str,
}

#[derive(Serialize, ToSchema)]
pub struct ViewExecution<'a> {
    pub group_by: Option<String>,
    pub sort_by: Option<&'a str>,
    /// `asc` or `desc`.
    pub sort_order: &'static str,
    pub columns: Vec<ViewColumn>,
}

#[derive(Serialize, ToSchema)]
pub struct View<'a> {
    pub id: i64,
    pub url: String,
    pub title: &'a str,
    pub raw_title: &'a str,
    pub description: Option<&'a str>,
    pub active: bool,
    pub position: i64,
    pub default: bool,
    pub restriction: Option<Json>,
    pub conditions: ViewConditions,
    pub execution: ViewExecution<'a>,
    pub created_at: String,
    pub updated_at: String,
}

const VIEW_COLUMNS: [(&str, &str); 4] = [
    ("subject", "Subject"),
    ("requester", "Requester"),
    ("created", "Requested"),
    ("status", "Status"),
];

pub fn view<'a>(base: &str, v: &'a ViewRecord) -> View<'a> {
    let mut conditions: Json = serde_json::from_str(&v.conditions).unwrap_or_default();
    let mut part = |k: &str| match conditions.get_mut(k).map(Json::take) {
        Some(list @ Json::Array(_)) => list,
        _ => Json::Array(vec![]),
    };
    View {
        id: v.id.0,
        url: format!("{base}/api/v2/views/{}.json", v.id),
        title: &v.title,
        raw_title: &v.title,
        description: v.description.as_deref(),
        active: v.active,
        position: v.position,
        default: false,
        restriction: None,
        conditions: ViewConditions {
            all: part("all"),
            any: part("any"),
        },
        execution: ViewExecution {
            group_by: None,
            sort_by: v.sort_by.as_deref(),
            sort_order: v.sort_order.as_str(),
            columns: VIEW_COLUMNS
                .iter()
                .map(|&(id, title)| ViewColumn { id, title })
                .collect(),
        },
        created_at: v.created_at.to_iso(),
        updated_at: v.updated_at.to_iso(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct SatisfactionRating<'a> {
    pub id: i64,
    pub url: String,
    pub ticket_id: i64,
    pub requester_id: i64,
    pub assignee_id: Option<i64>,
    pub group_id: Option<i64>,
    /// `offered`, `unoffered`, `good` or `bad`.
    pub score: &'static str,
    pub comment: Option<&'a str>,
    /// Why a bad rating: 0 none, 5 took too long, 6 not resolved, 7 the
    /// agent's knowledge, 8 the agent's attitude, 100 another reason.
    pub reason_code: i64,
    /// atiende's: the channel the survey was asked on (none: the API).
    pub channel: Option<&'static str>,
    pub created_at: String,
    pub updated_at: String,
}

pub fn rating<'a>(base: &str, r: &'a RatingRecord) -> SatisfactionRating<'a> {
    SatisfactionRating {
        id: r.id.0,
        url: format!("{base}/api/v2/satisfaction_ratings/{}.json", r.id),
        ticket_id: r.ticket_id.0,
        requester_id: r.requester_id.0,
        assignee_id: r.assignee_id.map(|x| x.0),
        group_id: r.group_id.map(|x| x.0),
        score: r.score.as_str(),
        comment: r.comment.as_deref(),
        reason_code: r.reason_code,
        channel: r.channel.map(|c| c.as_str()),
        created_at: r.created_at.to_iso(),
        updated_at: r.updated_at.to_iso(),
    }
}

/// A reader's answer to "was this article helpful?" (Zendesk's vote).
/// A request form (Zendesk's ticket form).
#[derive(Serialize, ToSchema)]
pub struct TicketForm<'a> {
    pub id: i64,
    pub url: String,
    pub name: &'a str,
    pub raw_name: &'a str,
    pub display_name: &'a str,
    pub raw_display_name: &'a str,
    /// atiende's: the name customers see per help-center locale.
    pub display_name_translations: &'a std::collections::BTreeMap<String, String>,
    pub position: i64,
    pub active: bool,
    pub end_user_visible: bool,
    pub default: bool,
    pub ticket_field_ids: Vec<i64>,
    pub in_all_brands: bool,
    pub restricted_brand_ids: Vec<i64>,
    /// `[{parent_field_id, value, child_fields: [{id, is_required}]}]`.
    #[schema(value_type = Vec<Object>)]
    pub end_user_conditions: &'a [domain::form::FormCondition],
    #[schema(value_type = Vec<Object>)]
    pub agent_conditions: Vec<Json>,
    pub created_at: String,
    pub updated_at: String,
}

pub fn ticket_form<'a>(base: &str, f: &'a domain::form::TicketForm) -> TicketForm<'a> {
    let shown = f.display_name(app::help_center::LOCALES[0]);
    TicketForm {
        id: f.id.0,
        url: format!("{base}/api/v2/ticket_forms/{}.json", f.id),
        name: &f.name,
        raw_name: &f.name,
        display_name: shown,
        raw_display_name: shown,
        display_name_translations: &f.display_names,
        position: f.position,
        active: f.active,
        end_user_visible: f.end_user_visible,
        default: f.default,
        ticket_field_ids: f.ticket_field_ids.iter().map(|i| i.0).collect(),
        in_all_brands: true,
        restricted_brand_ids: vec![],
        end_user_conditions: &f.end_user_conditions,
        agent_conditions: vec![],
        created_at: f.created_at.to_iso(),
        updated_at: f.updated_at.to_iso(),
    }
}
