//! Records as Zendesk's JSON. Only this module knows the wire shape; the
//! store's records know nothing of it.

use crate::ctx::Ctx;
use app::Paged;
use domain::model::{
    Attachment, Audit, Comment, Group, Identity, JobStatus, Membership, Organization, Ticket,
    TicketField, User,
};
use domain::{FieldType, Timestamp};
use serde_json::{Value as Json, json};

pub fn ts(t: Timestamp) -> Json {
    json!(t.to_iso())
}

pub fn opt_ts(t: Option<Timestamp>) -> Json {
    t.map_or(Json::Null, ts)
}

fn via(channel: domain::Channel) -> Json {
    json!({"channel": channel.as_str(), "source": {"from": {}, "to": {}, "rel": null}})
}

/// A custom field value as its field's type reads on the wire.
fn field_value(fields: &[TicketField], id: domain::FieldId, text: &str) -> Json {
    match fields.iter().find(|f| f.id == id).map(|f| f.field_type) {
        Some(FieldType::Checkbox) => json!(text == "true"),
        Some(FieldType::Integer) => text
            .parse::<i64>()
            .map_or_else(|_| json!(text), |n| json!(n)),
        Some(FieldType::Decimal) => text
            .parse::<f64>()
            .map_or_else(|_| json!(text), |n| json!(n)),
        Some(FieldType::Multiselect) => json!(text.split(' ').collect::<Vec<_>>()),
        _ => json!(text),
    }
}

pub fn ticket(base: &str, t: &Ticket, fields: &[TicketField]) -> Json {
    let custom: Vec<Json> = fields
        .iter()
        .filter(|f| f.active)
        .map(|f| {
            let v = t
                .custom_fields
                .iter()
                .find(|(id, _)| *id == f.id)
                .map_or(Json::Null, |(id, text)| field_value(fields, *id, text));
            json!({"id": f.id.0, "value": v})
        })
        .collect();
    json!({
        "id": t.id.0,
        "url": format!("{base}/api/v2/tickets/{}.json", t.id),
        "external_id": t.external_id,
        "via": via(t.via),
        "created_at": ts(t.created_at),
        "updated_at": ts(t.updated_at),
        "generated_timestamp": t.updated_at.0,
        "type": t.ticket_type.map(|x| x.as_str()),
        "subject": t.subject,
        "raw_subject": t.subject,
        "description": t.description,
        "priority": t.priority.map(|x| x.as_str()),
        "status": if t.deleted_at.is_some() { "deleted" } else { t.status.as_str() },
        "recipient": t.recipient,
        "requester_id": t.requester_id.0,
        "submitter_id": t.submitter_id.0,
        "assignee_id": t.assignee_id.map(|x| x.0),
        "organization_id": t.organization_id.map(|x| x.0),
        "group_id": t.group_id.map(|x| x.0),
        "collaborator_ids": t.collaborator_ids.iter().map(|x| x.0).collect::<Vec<_>>(),
        "follower_ids": t.follower_ids.iter().map(|x| x.0).collect::<Vec<_>>(),
        "email_cc_ids": [],
        "forum_topic_id": null,
        "problem_id": t.problem_id.map(|x| x.0),
        "has_incidents": false,
        "is_public": true,
        "due_at": opt_ts(t.due_at),
        "tags": t.tags,
        "custom_fields": custom,
        "fields": custom,
        "satisfaction_rating": null,
        "sharing_agreement_ids": [],
        "followup_ids": [],
        "brand_id": null,
        "allow_channelback": false,
        "allow_attachments": true,
        "from_messaging_channel": false,
    })
}

pub fn user(base: &str, u: &User) -> Json {
    json!({
        "id": u.id.0,
        "url": format!("{base}/api/v2/users/{}.json", u.id),
        "name": u.name,
        "email": u.email,
        "created_at": ts(u.created_at),
        "updated_at": ts(u.updated_at),
        "time_zone": u.time_zone,
        "iana_time_zone": u.time_zone,
        "phone": u.phone,
        "shared_phone_number": null,
        "photo": null,
        "locale": u.locale,
        "organization_id": u.organization_id.map(|x| x.0),
        "role": u.role.as_str(),
        "verified": u.verified,
        "external_id": u.external_id,
        "tags": u.tags,
        "alias": null,
        "active": u.active,
        "shared": false,
        "shared_agent": false,
        "last_login_at": null,
        "two_factor_auth_enabled": false,
        "signature": null,
        "details": u.details,
        "notes": u.notes,
        "role_type": null,
        "custom_role_id": null,
        "moderator": u.role.is_staff(),
        "ticket_restriction": match (u.role.is_staff(), u.restricted_to_groups) {
            (false, _) => json!("requested"),
            (true, true) => json!("groups"),
            (true, false) => Json::Null,
        },
        "only_private_comments": false,
        "restricted_agent": u.role.is_staff() && u.restricted_to_groups,
        "suspended": false,
        "default_group_id": u.default_group_id.map(|x| x.0),
        "report_csv": false,
        "user_fields": {},
    })
}

pub fn identity(base: &str, i: &Identity) -> Json {
    json!({
        "id": i.id.0,
        "url": format!("{base}/api/v2/users/{}/identities/{}.json", i.user_id, i.id),
        "user_id": i.user_id.0,
        "type": i.kind.as_str(),
        "value": i.value,
        "verified": i.verified,
        "primary": i.primary,
        "created_at": ts(i.created_at),
        "updated_at": ts(i.updated_at),
        "undeliverable_count": 0,
        "deliverable_state": "deliverable",
    })
}

pub fn org(base: &str, o: &Organization) -> Json {
    json!({
        "id": o.id.0,
        "url": format!("{base}/api/v2/organizations/{}.json", o.id),
        "name": o.name,
        "shared_tickets": o.shared_tickets,
        "shared_comments": false,
        "external_id": o.external_id,
        "created_at": ts(o.created_at),
        "updated_at": ts(o.updated_at),
        "domain_names": o.domain_names,
        "details": o.details,
        "notes": o.notes,
        "group_id": o.group_id.map(|x| x.0),
        "tags": o.tags,
        "organization_fields": {},
    })
}

pub fn group(base: &str, g: &Group) -> Json {
    json!({
        "id": g.id.0,
        "url": format!("{base}/api/v2/groups/{}.json", g.id),
        "name": g.name,
        "description": g.description,
        "default": false,
        "deleted": g.deleted,
        "is_public": g.is_public,
        "created_at": ts(g.created_at),
        "updated_at": ts(g.updated_at),
    })
}

pub fn membership(base: &str, m: &Membership) -> Json {
    json!({
        "id": m.id.0,
        "url": format!("{base}/api/v2/group_memberships/{}.json", m.id),
        "user_id": m.user_id.0,
        "group_id": m.group_id.0,
        "default": m.default,
        "created_at": ts(m.created_at),
        "updated_at": ts(m.updated_at),
    })
}

pub fn attachment(base: &str, a: &Attachment) -> Json {
    let content_url = format!("{base}/api/v2/attachments/{}/content", a.id);
    json!({
        "id": a.id.0,
        "url": format!("{base}/api/v2/attachments/{}.json", a.id),
        "file_name": a.file_name,
        "content_url": content_url,
        "mapped_content_url": content_url,
        "content_type": a.content_type,
        "size": a.size,
        "width": null,
        "height": null,
        "inline": false,
        "deleted": false,
        "malware_access_override": false,
        "malware_scan_result": "not_scanned",
        "thumbnails": [],
    })
}

pub fn comment(base: &str, c: &Comment) -> Json {
    json!({
        "id": c.id.0,
        "type": "Comment",
        "author_id": c.author_id.0,
        "body": c.body,
        "html_body": c.html_body,
        "plain_body": c.body,
        "public": c.public,
        "attachments": c.attachments.iter().map(|a| attachment(base, a)).collect::<Vec<_>>(),
        "audit_id": c.audit_id.0,
        "via": via(c.via),
        "created_at": ts(c.created_at),
        "metadata": {"system": {}, "custom": {}},
    })
}

/// An audit with its events numbered (`audit id × 1000 + position`), comment
/// events carrying their audit id, as Zendesk's events do.
pub fn audit(a: &Audit) -> Json {
    let mut events: Json = serde_json::to_value(&a.events).unwrap_or_else(|_| json!([]));
    if let Some(list) = events.as_array_mut() {
        for (i, e) in list.iter_mut().enumerate() {
            if let Some(o) = e.as_object_mut() {
                o.entry("id").or_insert(json!(a.id.0 * 1000 + i as i64));
                if o.get("type").and_then(Json::as_str) == Some("Comment") {
                    o.entry("audit_id").or_insert(json!(a.id.0));
                }
            }
        }
    }
    json!({
        "id": a.id.0,
        "ticket_id": a.ticket_id.0,
        "author_id": a.author_id.0,
        "created_at": ts(a.created_at),
        "via": via(a.via),
        "metadata": {"system": {}, "custom": {}},
        "events": events,
    })
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

pub fn system_field(base: &str, (id, kind, title): (i64, &str, &str)) -> Json {
    json!({
        "id": id, "url": format!("{base}/api/v2/ticket_fields/{id}.json"), "type": kind, "title": title, "raw_title": title,
        "description": "", "raw_description": "", "position": 0, "active": true, "required": false, "collapsed_for_agents": false,
        "regexp_for_validation": null, "title_in_portal": title, "visible_in_portal": true, "editable_in_portal": true,
        "required_in_portal": false, "tag": null, "removable": false, "custom_field_options": null, "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z",
    })
}

pub fn field(base: &str, f: &TicketField) -> Json {
    let options: Json = if f.field_type.has_options() {
        json!(f.options.iter().map(|o| json!({"id": o.id, "name": o.name, "raw_name": o.name, "value": o.value, "default": false})).collect::<Vec<_>>())
    } else {
        Json::Null
    };
    json!({
        "id": f.id.0, "url": format!("{base}/api/v2/ticket_fields/{}.json", f.id), "type": f.field_type.as_str(), "title": f.title, "raw_title": f.title,
        "description": f.description, "raw_description": f.description, "position": f.position, "active": f.active, "required": f.required,
        "collapsed_for_agents": false, "regexp_for_validation": f.regexp, "title_in_portal": f.title, "raw_title_in_portal": f.title,
        "visible_in_portal": true, "editable_in_portal": true, "required_in_portal": false, "tag": f.tag, "removable": true,
        "custom_field_options": options, "created_at": ts(f.created_at), "updated_at": ts(f.updated_at),
    })
}

pub fn job(base: &str, j: &JobStatus) -> Json {
    let results: Json = serde_json::from_str(&j.results).unwrap_or_else(|_| json!([]));
    json!({
        "id": j.id, "url": format!("{base}/api/v2/job_statuses/{}.json", j.id), "job_type": j.kind, "total": j.total, "progress": j.progress,
        "status": j.status, "message": j.message, "results": results,
    })
}

/// Cursor paging uses opaque cursors that encode an id.
pub fn encode_page_cursor(id: i64) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("i:{id}"))
}

pub fn decode_page_cursor(s: &str) -> Option<i64> {
    use base64::Engine;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s.trim_end_matches('='))
        .ok()?;
    String::from_utf8(raw)
        .ok()?
        .strip_prefix("i:")?
        .parse()
        .ok()
}

/// Wraps a list in its key with the paging fields the request's shape
/// calls for (cursor: `meta` + `links`; offset: `next_page`, `previous_page`,
/// `count`). On the last page every onward link is null, which is what
/// stops both clients' iterators.
pub fn page(
    ctx: &Ctx,
    key: &str,
    items: Vec<Json>,
    paged: &Paged,
    ids: (Option<i64>, Option<i64>),
) -> Json {
    let mut body = serde_json::Map::new();
    body.insert(key.into(), Json::Array(items));
    if ctx.wants_cursor() {
        let (first, last) = ids;
        let after = last.filter(|_| paged.has_more).map(encode_page_cursor);
        let before = first.filter(|_| paged.has_prev).map(encode_page_cursor);
        let size = ctx.param("page[size]").unwrap_or("100").to_string();
        let next = after
            .as_ref()
            .map(|a| ctx.link(&[("page[size]", size.clone()), ("page[after]", a.clone())]));
        let prev = before
            .as_ref()
            .map(|b| ctx.link(&[("page[size]", size.clone()), ("page[before]", b.clone())]));
        body.insert("meta".into(), json!({"has_more": paged.has_more, "after_cursor": last.map(encode_page_cursor), "before_cursor": first.map(encode_page_cursor)}));
        body.insert("links".into(), json!({"next": next, "prev": prev}));
    } else {
        let page: i64 = ctx.page_number().unwrap_or(1);
        let per_page = ctx.param("per_page").unwrap_or("100").to_string();
        let next = paged.has_more.then(|| {
            ctx.link(&[
                ("page", (page + 1).to_string()),
                ("per_page", per_page.clone()),
            ])
        });
        let prev = (page > 1)
            .then(|| ctx.link(&[("page", (page - 1).to_string()), ("per_page", per_page)]));
        body.insert("next_page".into(), json!(next));
        body.insert("previous_page".into(), json!(prev));
        body.insert("count".into(), json!(paged.count.unwrap_or(0)));
    }
    Json::Object(body)
}

pub fn category(base: &str, c: &domain::model::Category) -> Json {
    json!({
        "id": c.id, "url": format!("{base}/api/v2/help_center/{}/categories/{}.json", c.locale, c.id),
        "html_url": format!("{base}/hc/{}/categories/{}", c.locale, c.id),
        "name": c.name, "description": c.description, "locale": c.locale, "source_locale": c.source_locale,
        "position": c.position, "outdated": false, "created_at": ts(c.created_at), "updated_at": ts(c.updated_at),
    })
}

pub fn section(base: &str, s: &domain::model::Section) -> Json {
    json!({
        "id": s.id, "url": format!("{base}/api/v2/help_center/{}/sections/{}.json", s.locale, s.id),
        "html_url": format!("{base}/hc/{}/sections/{}", s.locale, s.id),
        "category_id": s.category_id, "parent_section_id": s.parent_section_id, "name": s.name, "description": s.description,
        "locale": s.locale, "source_locale": s.source_locale, "position": s.position, "sorting": "manual", "outdated": false,
        "theme_template": "section_page", "created_at": ts(s.created_at), "updated_at": ts(s.updated_at),
    })
}

pub fn article(base: &str, a: &domain::model::Article) -> Json {
    json!({
        "id": a.id, "url": format!("{base}/api/v2/help_center/{}/articles/{}.json", a.locale, a.id),
        "html_url": format!("{base}/hc/{}/articles/{}", a.locale, a.id),
        "author_id": a.author_id.0, "comments_disabled": a.comments_disabled, "draft": a.draft, "promoted": a.promoted,
        "position": a.position, "vote_sum": a.vote_sum, "vote_count": a.vote_count, "section_id": a.section_id,
        "created_at": ts(a.created_at), "updated_at": ts(a.updated_at), "edited_at": ts(a.edited_at),
        "name": a.title, "title": a.title, "source_locale": a.source_locale, "locale": a.locale, "outdated": false,
        "outdated_locales": [], "permission_group_id": a.permission_group_id, "user_segment_id": a.user_segment_id,
        "label_names": a.label_names, "body": a.body, "content_tag_ids": [],
    })
}

pub fn macro_json(base: &str, m: &domain::model::Macro) -> Json {
    let actions: Json = serde_json::from_str(&m.actions).unwrap_or_else(|_| json!([]));
    json!({
        "id": m.id, "url": format!("{base}/api/v2/macros/{}.json", m.id), "title": m.title, "raw_title": m.title,
        "description": m.description, "active": m.active, "position": m.position, "actions": actions, "restriction": null,
        "default": false, "created_at": ts(m.created_at), "updated_at": ts(m.updated_at),
    })
}

pub fn view(base: &str, v: &domain::model::View) -> Json {
    let conditions: Json = serde_json::from_str(&v.conditions).unwrap_or_else(|_| json!({}));
    json!({
        "id": v.id, "url": format!("{base}/api/v2/views/{}.json", v.id), "title": v.title, "raw_title": v.title,
        "description": v.description, "active": v.active, "position": v.position, "default": false, "restriction": null,
        "conditions": {"all": conditions.get("all").cloned().unwrap_or(json!([])), "any": conditions.get("any").cloned().unwrap_or(json!([]))},
        "execution": {"group_by": null, "sort_by": v.sort_by, "sort_order": v.sort_order, "columns": [{"id": "subject", "title": "Subject"}, {"id": "requester", "title": "Requester"}, {"id": "created", "title": "Requested"}, {"id": "status", "title": "Status"}]},
        "created_at": ts(v.created_at), "updated_at": ts(v.updated_at),
    })
}

pub fn rating(base: &str, r: &domain::model::SatisfactionRating) -> Json {
    json!({
        "id": r.id, "url": format!("{base}/api/v2/satisfaction_ratings/{}.json", r.id), "ticket_id": r.ticket_id.0,
        "requester_id": r.requester_id.0, "assignee_id": r.assignee_id.map(|x| x.0), "group_id": r.group_id.map(|x| x.0),
        "score": r.score, "comment": r.comment, "created_at": ts(r.created_at), "updated_at": ts(r.updated_at),
    })
}

pub fn macro_effect(ticket_id: Option<i64>, e: &app::rules::MacroEffect) -> Json {
    let mut t = serde_json::Map::new();
    if let Some(id) = ticket_id {
        t.insert("id".into(), json!(id));
    }
    if let Some(v) = &e.subject {
        t.insert("subject".into(), json!(v));
    }
    if let Some(v) = e.status {
        t.insert("status".into(), json!(v.as_str()));
    }
    if let Some(v) = e.priority {
        t.insert("priority".into(), json!(v.map(|p| p.as_str())));
    }
    if let Some(v) = e.ticket_type {
        t.insert("type".into(), json!(v.map(|p| p.as_str())));
    }
    if let Some(v) = e.group_id {
        t.insert("group_id".into(), json!(v.map(|g| g.0)));
    }
    if let Some(v) = e.assignee_id {
        t.insert("assignee_id".into(), json!(v.map(|u| u.0)));
    }
    if let Some(v) = &e.tags {
        t.insert("tags".into(), json!(v));
    }
    if !e.custom_fields.is_empty() {
        t.insert(
            "custom_fields".into(),
            json!(
                e.custom_fields
                    .iter()
                    .map(|(id, v)| json!({"id": id.0, "value": v}))
                    .collect::<Vec<_>>()
            ),
        );
    }
    let mut result = json!({"ticket": Json::Object(t)});
    if let Some((body, html, public)) = &e.comment {
        result["comment"] = json!({"body": body, "html_body": html, "public": public});
        result["ticket"]["comment"] = result["comment"].clone();
    }
    json!({"result": result})
}

/// A user's organization as a membership record (its id is the user id).
pub fn org_membership(base: &str, u: &User) -> Json {
    json!({
        "id": u.id.0, "url": format!("{base}/api/v2/organization_memberships/{}.json", u.id),
        "user_id": u.id.0, "organization_id": u.organization_id.map(|o| o.0), "default": true,
        "organization_name": null, "view_tickets": true,
        "created_at": ts(u.created_at), "updated_at": ts(u.updated_at),
    })
}
