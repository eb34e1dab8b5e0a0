//! The records the API answers with, as typed structs in Zendesk's shape.
//! Each derives its OpenAPI schema (the document at `/api/v2/openapi.json`
//! is built from these) and serialises straight to the response body: no
//! intermediate `serde_json::Value` tree on the hot path.
//!
//! Fields Zendesk has and atiende does not fill are kept (as `null`, `false`
//! or empty lists) because clients read them.

use domain::audit::AuditEvent;
use domain::model::{
    Attachment as AttachmentRecord, Audit as AuditRecord, Comment as CommentRecord,
    Ticket as TicketRecord, TicketField,
};
use domain::{FieldType, Timestamp};
use serde::Serialize;
use serde_json::Value as Json;
use utoipa::ToSchema;

/// An empty JSON object (`{}`), for the parts of Zendesk's records atiende
/// keeps empty.
#[derive(Serialize, ToSchema, Default)]
pub struct Empty {}

/// Where a record came from: the channel (`api`, `web`, `email`, …).
#[derive(Serialize, ToSchema)]
pub struct Via {
    pub channel: &'static str,
    pub source: ViaSource,
}

#[derive(Serialize, ToSchema)]
pub struct ViaSource {
    pub from: Empty,
    pub to: Empty,
    pub rel: Option<String>,
}

fn via(channel: domain::Channel) -> Via {
    Via {
        channel: channel.as_str(),
        source: ViaSource {
            from: Empty {},
            to: Empty {},
            rel: None,
        },
    }
}

/// Metadata Zendesk attaches to comments and audits.
#[derive(Serialize, ToSchema, Default)]
pub struct Metadata {
    pub system: Empty,
    pub custom: Empty,
}

/// A custom field's value on a ticket, typed as its field reads.
#[derive(Serialize, ToSchema, Clone)]
pub struct CustomFieldValue {
    pub id: i64,
    /// Text, number, boolean or list of words, by the field's type; null
    /// when unset.
    pub value: Json,
}

/// A custom field value as its field's type reads on the wire.
pub(super) fn field_value(field_type: FieldType, text: &str) -> Json {
    match field_type {
        FieldType::Checkbox => Json::Bool(text == "true"),
        FieldType::Integer => text
            .parse::<i64>()
            .map_or_else(|_| Json::from(text), Json::from),
        FieldType::Decimal => text
            .parse::<f64>()
            .map_or_else(|_| Json::from(text), Json::from),
        FieldType::Multiselect => Json::from(text.split(' ').collect::<Vec<_>>()),
        _ => Json::from(text),
    }
}

#[derive(Serialize, ToSchema)]
pub struct Ticket<'a> {
    pub id: i64,
    pub url: String,
    pub external_id: Option<&'a str>,
    pub via: Via,
    pub created_at: String,
    pub updated_at: String,
    pub generated_timestamp: i64,
    /// `problem`, `incident`, `question` or `task`.
    #[serde(rename = "type")]
    pub ticket_type: Option<&'static str>,
    pub subject: &'a str,
    pub raw_subject: &'a str,
    pub description: &'a str,
    /// `urgent`, `high`, `normal` or `low`.
    pub priority: Option<&'static str>,
    /// `new`, `open`, `pending`, `hold`, `solved`, `closed` or `deleted`.
    pub status: &'static str,
    pub recipient: Option<&'a str>,
    pub requester_id: i64,
    pub submitter_id: i64,
    pub assignee_id: Option<i64>,
    pub organization_id: Option<i64>,
    pub group_id: Option<i64>,
    pub collaborator_ids: Vec<i64>,
    pub follower_ids: Vec<i64>,
    pub email_cc_ids: Vec<i64>,
    pub forum_topic_id: Option<i64>,
    pub problem_id: Option<i64>,
    pub has_incidents: bool,
    pub is_public: bool,
    pub due_at: Option<String>,
    pub tags: &'a [String],
    pub custom_fields: Vec<CustomFieldValue>,
    /// The same values as `custom_fields` (Zendesk sends both).
    pub fields: Vec<CustomFieldValue>,
    pub satisfaction_rating: Option<Json>,
    pub sharing_agreement_ids: Vec<i64>,
    pub followup_ids: Vec<i64>,
    pub brand_id: Option<i64>,
    /// The request form it was made with.
    pub ticket_form_id: Option<i64>,
    pub allow_channelback: bool,
    pub allow_attachments: bool,
    pub from_messaging_channel: bool,
}

pub fn ticket<'a>(base: &str, t: &'a TicketRecord, fields: &[TicketField]) -> Ticket<'a> {
    let custom: Vec<CustomFieldValue> = fields
        .iter()
        .filter(|f| f.active)
        .map(|f| CustomFieldValue {
            id: f.id.0,
            value: t
                .custom_fields
                .iter()
                .find(|(id, _)| *id == f.id)
                .map_or(Json::Null, |(_, text)| field_value(f.field_type, text)),
        })
        .collect();
    Ticket {
        id: t.id.0,
        url: format!("{base}/api/v2/tickets/{}.json", t.id),
        external_id: t.external_id.as_deref(),
        via: via(t.via),
        created_at: Timestamp::to_iso(t.created_at),
        updated_at: Timestamp::to_iso(t.updated_at),
        generated_timestamp: t.updated_at.0,
        ticket_type: t.ticket_type.map(|x| x.as_str()),
        subject: &t.subject,
        raw_subject: &t.subject,
        description: &t.description,
        priority: t.priority.map(|x| x.as_str()),
        status: if t.deleted_at.is_some() {
            "deleted"
        } else {
            t.status.as_str()
        },
        recipient: t.recipient.as_deref(),
        requester_id: t.requester_id.0,
        submitter_id: t.submitter_id.0,
        assignee_id: t.assignee_id.map(|x| x.0),
        organization_id: t.organization_id.map(|x| x.0),
        group_id: t.group_id.map(|x| x.0),
        collaborator_ids: t.collaborator_ids.iter().map(|x| x.0).collect(),
        follower_ids: t.follower_ids.iter().map(|x| x.0).collect(),
        email_cc_ids: vec![],
        forum_topic_id: None,
        problem_id: t.problem_id.map(|x| x.0),
        has_incidents: false,
        is_public: true,
        due_at: t.due_at.map(Timestamp::to_iso),
        tags: &t.tags,
        fields: custom.clone(),
        custom_fields: custom,
        satisfaction_rating: None,
        sharing_agreement_ids: vec![],
        followup_ids: vec![],
        brand_id: None,
        ticket_form_id: t.ticket_form_id.map(|x| x.0),
        allow_channelback: false,
        allow_attachments: true,
        from_messaging_channel: false,
    }
}

#[derive(Serialize, ToSchema)]
pub struct Attachment<'a> {
    pub id: i64,
    pub url: String,
    pub file_name: &'a str,
    pub content_url: String,
    pub mapped_content_url: String,
    pub content_type: &'a str,
    pub size: i64,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub inline: bool,
    pub deleted: bool,
    pub malware_access_override: bool,
    pub malware_scan_result: &'static str,
    pub thumbnails: Vec<i64>,
}

pub fn attachment<'a>(base: &str, a: &'a AttachmentRecord) -> Attachment<'a> {
    let content_url = format!("{base}/api/v2/attachments/{}/content", a.id);
    Attachment {
        id: a.id.0,
        url: format!("{base}/api/v2/attachments/{}.json", a.id),
        file_name: &a.file_name,
        mapped_content_url: content_url.clone(),
        content_url,
        content_type: &a.content_type,
        size: a.size,
        width: None,
        height: None,
        inline: false,
        deleted: false,
        malware_access_override: false,
        malware_scan_result: "not_scanned",
        thumbnails: vec![],
    }
}

#[derive(Serialize, ToSchema)]
pub struct Comment<'a> {
    pub id: i64,
    /// Always `Comment`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub author_id: i64,
    pub body: &'a str,
    pub html_body: &'a str,
    pub plain_body: &'a str,
    pub public: bool,
    pub attachments: Vec<Attachment<'a>>,
    pub audit_id: i64,
    pub via: Via,
    pub created_at: String,
    pub metadata: Metadata,
}

pub fn comment<'a>(base: &str, c: &'a CommentRecord) -> Comment<'a> {
    Comment {
        id: c.id.0,
        kind: "Comment",
        author_id: c.author_id.0,
        body: &c.body,
        html_body: &c.html_body,
        plain_body: &c.body,
        public: c.public,
        attachments: c.attachments.iter().map(|a| attachment(base, a)).collect(),
        audit_id: c.audit_id.0,
        via: via(c.via),
        created_at: Timestamp::to_iso(c.created_at),
        metadata: Metadata::default(),
    }
}

/// One event of an audit, numbered (`audit id × 1000 + position`); comment
/// events carry their audit id, as Zendesk's do.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Event<'a> {
    Numbered {
        id: i64,
        #[serde(skip_serializing_if = "Option::is_none")]
        audit_id: Option<i64>,
        #[serde(flatten)]
        event: &'a AuditEvent,
    },
    /// An imported event of a kind atiende does not write, with its own
    /// fields as they came (an `id` it had is kept).
    Imported(Json),
}

fn event<'a>(audit: &AuditRecord, position: usize, e: &'a AuditEvent) -> Event<'a> {
    let id = audit.id.0 * 1000 + position as i64;
    match e {
        AuditEvent::Other(raw) => {
            let mut raw = raw.clone();
            if let Some(o) = raw.as_object_mut() {
                o.entry("id").or_insert(Json::from(id));
                if o.get("type").and_then(Json::as_str) == Some("Comment") {
                    o.entry("audit_id").or_insert(Json::from(audit.id.0));
                }
            }
            Event::Imported(raw)
        }
        _ => Event::Numbered {
            id,
            audit_id: matches!(e, AuditEvent::Comment(_)).then_some(audit.id.0),
            event: e,
        },
    }
}

#[derive(Serialize, ToSchema)]
pub struct Audit<'a> {
    pub id: i64,
    pub ticket_id: i64,
    pub author_id: i64,
    pub created_at: String,
    pub via: Via,
    pub metadata: Metadata,
    /// `Create`, `Change`, `Comment`, `Notification`, … each with an `id`
    /// and a `type`, as Zendesk's audit events.
    #[schema(value_type = Vec<Object>)]
    pub events: Vec<Event<'a>>,
}

pub fn audit(a: &AuditRecord) -> Audit<'_> {
    Audit {
        id: a.id.0,
        ticket_id: a.ticket_id.0,
        author_id: a.author_id.0,
        created_at: Timestamp::to_iso(a.created_at),
        via: via(a.via),
        metadata: Metadata::default(),
        events: a
            .events
            .iter()
            .enumerate()
            .map(|(i, e)| event(a, i, e))
            .collect(),
    }
}

/// The answer to a ticket written (created or changed): the ticket as it
/// stands after every rule, and the audit of the write.
#[derive(Serialize)]
pub struct TicketWritten<'a> {
    pub ticket: Ticket<'a>,
    pub audit: Audit<'a>,
}

/// A ticket as its requester sees it (Zendesk's request): no tags,
/// internal fields or audit trail.
#[derive(Serialize, ToSchema)]
pub struct Request<'a> {
    pub id: i64,
    pub url: String,
    pub subject: &'a str,
    pub description: &'a str,
    pub status: &'static str,
    pub priority: Option<&'static str>,
    #[serde(rename = "type")]
    pub request_type: Option<&'static str>,
    pub requester_id: i64,
    pub organization_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub group_id: Option<i64>,
    pub collaborator_ids: Vec<i64>,
    pub email_cc_ids: Vec<i64>,
    pub via: Via,
    pub is_public: bool,
    /// The requester may mark it solved: theirs, taken by an agent, not
    /// closed (Zendesk's rule).
    pub can_be_solved_by_me: bool,
    pub solved: bool,
    pub due_at: Option<String>,
    pub recipient: Option<&'a str>,
    pub created_at: String,
    pub updated_at: String,
}

pub fn request<'a>(base: &str, t: &'a TicketRecord, me: domain::UserId) -> Request<'a> {
    let ids = |v: &[domain::UserId]| v.iter().map(|u| u.0).collect::<Vec<_>>();
    Request {
        id: t.id.0,
        url: format!("{base}/api/v2/requests/{}.json", t.id),
        subject: &t.subject,
        description: &t.description,
        status: t.status.as_str(),
        priority: t.priority.map(|p| p.as_str()),
        request_type: t.ticket_type.map(|x| x.as_str()),
        requester_id: t.requester_id.0,
        organization_id: t.organization_id.map(|o| o.0),
        assignee_id: t.assignee_id.map(|a| a.0),
        group_id: t.group_id.map(|g| g.0),
        collaborator_ids: ids(&t.collaborator_ids),
        email_cc_ids: ids(&t.collaborator_ids),
        via: via(t.via),
        is_public: true,
        can_be_solved_by_me: t.requester_id == me && t.assignee_id.is_some() && !t.status.is_done(),
        solved: t.status.is_done(),
        due_at: t.due_at.map(Timestamp::to_iso),
        recipient: t.recipient.as_deref(),
        created_at: t.created_at.to_iso(),
        updated_at: t.updated_at.to_iso(),
    }
}

/// A comment of a request: the ticket's public comment, with its request.
#[derive(Serialize, ToSchema)]
pub struct RequestComment<'a> {
    #[serde(flatten)]
    pub comment: Comment<'a>,
    pub request_id: i64,
}

pub fn request_comment<'a>(base: &str, c: &'a CommentRecord) -> RequestComment<'a> {
    RequestComment {
        comment: comment(base, c),
        request_id: c.ticket_id.0,
    }
}
