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
        .int("start_time")?
        .ok_or_else(|| ApiError::BadRequest("start_time or cursor is required".into()))?;
    Ok(ExportStart::Time(Timestamp(t)))
}

fn per_page(ctx: &Ctx) -> Result<i64, ApiError> {
    Ok(ctx.int("per_page")?.unwrap_or(1000).clamp(1, 1000))
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

/// One page of changed tickets, rendered, for either export shape.
async fn ticket_page(
    api: &Api,
    ctx: &Ctx,
) -> Result<(Vec<Json>, app::export::ExportPage<domain::model::Ticket>), ApiError> {
    let page = api
        .app
        .export_tickets(ctx.actor, start(ctx)?, per_page(ctx)?)
        .await?;
    let fields = api.app.fields_for_display().await?;
    let items = page
        .items
        .iter()
        .map(|t| json!(wire::ticket(&ctx.base, t, &fields)))
        .collect();
    Ok((items, page))
}

async fn tickets_cursor(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let (items, page) = ticket_page(&api, &ctx).await?;
    ok(cursor_body(
        &ctx,
        "tickets",
        items,
        page.after,
        page.end_of_stream,
    ))
}

async fn tickets_time(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let (items, page) = ticket_page(&api, &ctx).await?;
    ok(time_body(
        &ctx,
        "tickets",
        items,
        page.end_time,
        page.end_of_stream,
    ))
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
    ok(cursor_body(
        &ctx,
        "users",
        items,
        page.after,
        page.end_of_stream,
    ))
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
    ok(time_body(
        &ctx,
        "users",
        items,
        page.end_time,
        page.end_of_stream,
    ))
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
