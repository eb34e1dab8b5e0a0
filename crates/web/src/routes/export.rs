//! Incremental exports: cursor-based for tickets and users, time-based for
//! tickets, users and organizations.

use super::ok;
use crate::Api;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::wire;
use app::export::{ExportStart, decode_cursor, encode_cursor};
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use domain::Timestamp;
use serde_json::{Value as Json, json};

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/incremental/tickets/cursor", get(tickets_cursor))
        .route("/api/v2/incremental/tickets", get(tickets_time))
        .route("/api/v2/incremental/users/cursor", get(users_cursor))
        .route("/api/v2/incremental/users", get(users_time))
        .route("/api/v2/incremental/organizations", get(orgs_time))
        .route("/api/v2/incremental/ticket_events", get(ticket_events))
        .route(
            "/api/v2/incremental/ticket_metric_events",
            get(ticket_metric_events),
        )
        .route("/api/v2/incremental/tickets/sample", get(tickets_time))
        .route("/api/v2/incremental/users/sample", get(users_time))
        .route("/api/v2/incremental/organizations/sample", get(orgs_time))
        .route(
            "/api/v2/incremental/ticket_events/sample",
            get(ticket_events),
        )
}

/// A non-empty `cursor` (other than node's literal `undefined`) wins over
/// `start_time`.
fn start(ctx: &Ctx) -> Result<ExportStart, ApiError> {
    app::export::may_export(&ctx.actor)?;
    if let Some(c) = ctx.param("cursor") {
        return decode_cursor(c)
            .map(ExportStart::Cursor)
            .ok_or_else(|| ApiError::BadRequest("cursor is not valid".into()));
    }
    let t = ctx
        .epoch("start_time")?
        .ok_or_else(|| ApiError::BadRequest("start_time or cursor is required".into()))?;
    Ok(ExportStart::Time(Timestamp(t)))
}

/// A page's size (`per_page`, or `page[size]` as cursor clients send it):
/// up to 1,000; Zendesk's `sample` endpoints give 50.
fn per_page(ctx: &Ctx) -> Result<i64, ApiError> {
    if ctx.path.ends_with("/sample") {
        return Ok(50);
    }
    let asked = match ctx.int("per_page")? {
        Some(n) => Some(n),
        None => ctx.int("page[size]")?,
    };
    Ok(asked.unwrap_or(1000).clamp(1, 1000))
}

fn cursor_body(
    ctx: &Ctx,
    key: &str,
    items: Vec<Json>,
    after: domain::EventId,
    end_of_stream: bool,
) -> Json {
    let after_cursor = encode_cursor(after);
    let base = format!("{}{}.json", ctx.base, ctx.path.trim_end_matches(".json"));
    json!({
        key: items,
        "after_cursor": after_cursor,
        "after_url": format!("{base}?cursor={after_cursor}"),
        "before_cursor": null,
        "before_url": null,
        "end_of_stream": end_of_stream,
    })
}

fn time_body(
    ctx: &Ctx,
    key: &str,
    items: Vec<Json>,
    end_time: Timestamp,
    end_of_stream: bool,
) -> Json {
    let n = items.len();
    let next = format!(
        "{}{}.json?start_time={}",
        ctx.base,
        ctx.path.trim_end_matches(".json"),
        end_time.0
    );
    json!({key: items, "count": n, "end_time": end_time.0, "next_page": if end_of_stream { Json::Null } else { json!(next) }, "end_of_stream": end_of_stream})
}

/// One page of changed tickets, rendered, for either export shape; with
/// `include=metric_sets` each carries its `metric_set`, as Zendesk embeds
/// it in the export.
async fn ticket_page(
    api: &Api,
    ctx: &Ctx,
) -> Result<(Vec<Json>, app::export::ExportPage<domain::model::Ticket>), ApiError> {
    let page = api
        .app
        .export_tickets(ctx.actor, start(ctx)?, per_page(ctx)?)
        .await?;
    let fields = api.app.fields_for_display().await?;
    let mut items: Vec<Json> = page
        .items
        .iter()
        .map(|t| json!(wire::ticket(&ctx.base, t, &fields)))
        .collect();
    if crate::sideload::wants(ctx, "metric_sets") {
        let metrics = api
            .app
            .metrics_of_tickets(ctx.actor, page.items.clone())
            .await?;
        for (item, (t, m)) in items.iter_mut().zip(&metrics) {
            item["metric_set"] = json!(wire::ticket_metric(&ctx.base, t, m));
        }
    }
    Ok((items, page))
}

/// An export page's body with the users, groups and organizations its
/// tickets name, when `include` asks.
async fn with_ticket_sideloads(
    api: &Api,
    ctx: &Ctx,
    tickets: &[domain::model::Ticket],
    body: Json,
) -> ApiResult {
    let Json::Object(mut body) = body else {
        return ok(body);
    };
    crate::sideload::tickets(api, ctx, tickets, &mut body).await?;
    ok(Json::Object(body))
}

async fn tickets_cursor(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let (items, page) = ticket_page(&api, &ctx).await?;
    let body = cursor_body(&ctx, "tickets", items, page.after, page.end_of_stream);
    with_ticket_sideloads(&api, &ctx, &page.items, body).await
}

async fn tickets_time(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let (items, page) = ticket_page(&api, &ctx).await?;
    let body = time_body(&ctx, "tickets", items, page.end_time, page.end_of_stream);
    with_ticket_sideloads(&api, &ctx, &page.items, body).await
}

async fn users_cursor(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let page = api
        .app
        .export_users(ctx.actor, start(&ctx)?, per_page(&ctx)?)
        .await?;
    let items = page
        .items
        .iter()
        .map(|u| json!(wire::user(&ctx.base, u)))
        .collect();
    let body = cursor_body(&ctx, "users", items, page.after, page.end_of_stream);
    ok(crate::sideload::with_users(&api, &ctx, &page.items, body).await?)
}

async fn users_time(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let page = api
        .app
        .export_users(ctx.actor, start(&ctx)?, per_page(&ctx)?)
        .await?;
    let items = page
        .items
        .iter()
        .map(|u| json!(wire::user(&ctx.base, u)))
        .collect();
    let body = time_body(&ctx, "users", items, page.end_time, page.end_of_stream);
    ok(crate::sideload::with_users(&api, &ctx, &page.items, body).await?)
}

async fn orgs_time(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let page = api
        .app
        .export_orgs(ctx.actor, start(&ctx)?, per_page(&ctx)?)
        .await?;
    let items = page
        .items
        .iter()
        .map(|o| json!(wire::org(&ctx.base, o)))
        .collect();
    ok(time_body(
        &ctx,
        "organizations",
        items,
        page.end_time,
        page.end_of_stream,
    ))
}

/// `incremental/ticket_events` (time-based): each audit as a ticket event
/// with its changes as child events — and, with
/// `include=comment_events`, its comments.
async fn ticket_events(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    app::export::may_export(&ctx.actor)?;
    let start = ctx
        .epoch("start_time")?
        .ok_or_else(|| ApiError::BadRequest("start_time is required".into()))?;
    let with_comments = ctx
        .param("include")
        .is_some_and(|i| i.split(',').any(|p| p.trim() == "comment_events"));
    let page = api
        .app
        .export_audits(ctx.actor, Timestamp(start), per_page(&ctx)?)
        .await?;
    let items = page
        .audits
        .iter()
        .map(|a| ticket_event(a, with_comments))
        .collect();
    ok(time_body(
        &ctx,
        "ticket_events",
        items,
        page.end_time,
        page.end_of_stream,
    ))
}

/// `incremental/ticket_metric_events` (time-based, from `start_time`):
/// the time-based body, with `meta` and `links` as well for clients that
/// page it by cursor (`links.next` until `meta.has_more` is false).
async fn ticket_metric_events(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    app::export::may_export(&ctx.actor)?;
    let start = ctx
        .epoch("start_time")?
        .ok_or_else(|| ApiError::BadRequest("start_time is required".into()))?;
    let page = api
        .app
        .export_metric_events(ctx.actor, Timestamp(start), per_page(&ctx)?)
        .await?;
    let items = page
        .events
        .iter()
        .map(|e| json!(wire::ticket_metric_event(e)))
        .collect();
    let mut body = time_body(
        &ctx,
        "ticket_metric_events",
        items,
        page.end_time,
        page.end_of_stream,
    );
    body["meta"] = json!({
        "has_more": !page.end_of_stream,
        "after_cursor": null,
        "before_cursor": null,
    });
    body["links"] = json!({"next": body["next_page"].clone(), "prev": null});
    ok(body)
}

/// An audit as Zendesk's ticket event.
fn ticket_event(a: &domain::model::Audit, with_comments: bool) -> Json {
    let audit = serde_json::to_value(wire::audit(a)).unwrap_or_default();
    let children: Vec<Json> = audit["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| with_comments || e["type"] != "Comment")
        .map(|e| {
            let mut child = e.clone();
            child["event_type"] = e["type"].clone();
            child["created_at"] = json!(a.created_at.to_iso());
            if let Some(field) = e["field_name"].as_str() {
                child[field] = e["value"].clone();
            }
            child
        })
        .collect();
    json!({
        "id": a.id.0,
        "ticket_id": a.ticket_id.0,
        "timestamp": a.created_at.0,
        "created_at": a.created_at.to_iso(),
        "updater_id": a.author_id.0,
        "via": a.via.as_str(),
        "system": {},
        "event_type": "Audit",
        "merged_ticket_ids": [],
        "child_events": children,
    })
}
