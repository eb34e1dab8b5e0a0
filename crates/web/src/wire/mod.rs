//! Records as Zendesk's JSON. Only this module knows the wire shape; the
//! store's records know nothing of it.

mod account;
mod activity;
mod article_comments;
mod business;
mod calls;
mod catalog;
mod channels;
mod chat;
mod definitions;
mod deleted;
mod goodwill;
mod help_center;
mod metric_events;
mod oauth;
mod people;
mod profile_fields;
mod records;
mod requests;
mod roles;
mod suspended;
mod whole;
pub use account::*;
pub use activity::*;
pub use article_comments::*;
pub use business::*;
pub use calls::*;
pub use catalog::*;
pub use channels::*;
pub use chat::*;
pub use definitions::*;
pub use deleted::*;
pub use goodwill::*;
pub use help_center::*;
pub use metric_events::*;
pub use oauth::*;
pub use people::*;
pub use profile_fields::*;
pub use records::*;
pub use requests::*;
pub use roles::*;
pub use suspended::*;
pub use whole::{page_whole, page_whole_cursor};

use crate::ctx::Ctx;
use app::Paged;
use domain::Timestamp;
use serde_json::{Value as Json, json};

pub fn ts(t: Timestamp) -> Json {
    json!(t.to_iso())
}

pub fn opt_ts(t: Option<Timestamp>) -> Json {
    t.map_or(Json::Null, ts)
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
pub fn page<T: serde::Serialize>(
    ctx: &Ctx,
    key: &str,
    items: Vec<T>,
    paged: &Paged,
    ids: (Option<i64>, Option<i64>),
) -> Json {
    let mut body = serde_json::Map::new();
    body.insert(
        key.into(),
        serde_json::to_value(&items).unwrap_or_else(|_| Json::Array(vec![])),
    );
    if ctx.wants_cursor() {
        cursor_links(ctx, &mut body, paged, ids);
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

/// A list paged by cursor only (`meta` and `links` whatever the request
/// asked), as Zendesk answers webhooks and ticket audits.
pub fn cursor_page(
    ctx: &Ctx,
    key: &str,
    items: Vec<Json>,
    paged: &Paged,
    ids: (Option<i64>, Option<i64>),
) -> Json {
    let mut body = serde_json::Map::new();
    body.insert(key.into(), Json::Array(items));
    cursor_links(ctx, &mut body, paged, ids);
    Json::Object(body)
}

/// Cursor paging's `meta` and `links` for a page whose first and last
/// ids are `ids`.
fn cursor_links(
    ctx: &Ctx,
    body: &mut serde_json::Map<String, Json>,
    paged: &Paged,
    ids: (Option<i64>, Option<i64>),
) {
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

/// How many there are, as Zendesk's `…/count` endpoints say it (under
/// `count`).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Count {
    pub value: i64,
    pub refreshed_at: String,
}

/// A count as of now.
pub fn count(value: i64) -> Keyed<Count> {
    Keyed(
        "count",
        Count {
            value,
            refreshed_at: domain::Timestamp::now().to_iso(),
        },
    )
}

/// `{key: record}`: one record under its key, serialised straight to the
/// body (no `serde_json::Value` tree in between).
pub struct Keyed<T>(pub &'static str, pub T);

impl<T: serde::Serialize> serde::Serialize for Keyed<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry(self.0, &self.1)?;
        map.end()
    }
}
