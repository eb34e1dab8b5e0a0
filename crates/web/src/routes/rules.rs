//! `/macros`, `/views` and `/satisfaction_ratings`.

use super::{bounds, created, no_content, ok, path_id};
use crate::Api;
use crate::body::JsonBody;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::input::Fields;
use crate::wire;
use app::rules::RuleInput;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use domain::TicketId;
use domain::Timestamp;
use serde_json::{Map, Value as Json, json};

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/macros", get(macros).post(create_macro))
        .route("/api/v2/macros/active", get(active_macros))
        .route(
            "/api/v2/macros/{id}",
            get(show_macro).put(update_macro).delete(delete_macro),
        )
        .route("/api/v2/macros/{id}/apply", get(apply_macro))
        .route(
            "/api/v2/tickets/{tid}/macros/{id}/apply",
            get(apply_to_ticket),
        )
        .route("/api/v2/views", get(views).post(create_view))
        .route("/api/v2/views/active", get(active_views))
        .route("/api/v2/views/show_many", get(show_many_views))
        .route(
            "/api/v2/views/{id}",
            get(show_view).put(update_view).delete(delete_view),
        )
        .route("/api/v2/views/{id}/tickets", get(view_tickets))
        .route("/api/v2/views/{id}/execute", get(execute_view))
        .route("/api/v2/views/{id}/count", get(count_view))
        .route("/api/v2/satisfaction_ratings", get(ratings))
        .route("/api/v2/satisfaction_ratings/{id}", get(show_rating))
        .route("/api/v2/tickets/{id}/satisfaction_rating", post(rate))
}

fn rule_input(m: &Map<String, Json>) -> Result<RuleInput, ApiError> {
    let mut f = Fields::new(m);
    let mut input = RuleInput {
        title: f.string("title"),
        description: f.text("description"),
        active: f.boolean("active"),
        position: f.text("position").flatten().and_then(|p| p.parse().ok()),
        actions: m.get("actions").cloned(),
        ..Default::default()
    };
    if m.contains_key("all") || m.contains_key("any") {
        input.conditions = Some(
            json!({"all": m.get("all").cloned().unwrap_or(json!([])), "any": m.get("any").cloned().unwrap_or(json!([]))}),
        );
    } else if let Some(c) = m.get("conditions") {
        input.conditions = Some(c.clone());
    }
    if let Some(Json::Object(out)) = m.get("output").or_else(|| m.get("execution")) {
        input.sort_by = Some(
            out.get("sort_by")
                .and_then(Json::as_str)
                .map(str::to_string),
        );
        input.sort_order = out
            .get("sort_order")
            .and_then(Json::as_str)
            .map(str::to_string);
    }
    f.finish(input)
}

async fn list_macros(api: &Api, ctx: &Ctx, only_active: bool) -> ApiResult {
    let (items, paged) = api
        .app
        .list_macros(
            ctx.actor,
            only_active || ctx.param("active") == Some("true"),
            ctx.paging()?,
        )
        .await?;
    let ids = bounds(&items, |m| m.id.0);
    ok(wire::page(
        ctx,
        "macros",
        items
            .iter()
            .map(|m| wire::macro_json(&ctx.base, m))
            .collect(),
        &paged,
        ids,
    ))
}

async fn macros(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    list_macros(&api, &ctx, false).await
}

async fn active_macros(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    list_macros(&api, &ctx, true).await
}

async fn create_macro(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let m = api
        .app
        .save_macro(ctx.actor, None, rule_input(body.record("macro")?)?)
        .await?;
    created(wire::Keyed("macro", wire::macro_json(&ctx.base, &m)))
}

async fn show_macro(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let m = api.app.get_macro(ctx.actor, path_id(&id)?).await?;
    ok(wire::Keyed("macro", wire::macro_json(&ctx.base, &m)))
}

async fn update_macro(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let m = api
        .app
        .save_macro(
            ctx.actor,
            Some(path_id(&id)?),
            rule_input(body.record("macro")?)?,
        )
        .await?;
    ok(wire::Keyed("macro", wire::macro_json(&ctx.base, &m)))
}

async fn delete_macro(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app.delete_macro(ctx.actor, path_id(&id)?).await?;
    no_content()
}

async fn apply_macro(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let e = api.app.apply_macro(ctx.actor, path_id(&id)?, None).await?;
    ok(wire::macro_effect(None, &e))
}

async fn apply_to_ticket(
    State(api): State<Api>,
    ctx: Ctx,
    Path((tid, id)): Path<(String, String)>,
) -> ApiResult {
    let tid = path_id(&tid)?;
    let e = api
        .app
        .apply_macro(ctx.actor, path_id(&id)?, Some(TicketId(tid)))
        .await?;
    ok(wire::macro_effect(Some(tid), &e))
}

async fn list_views(api: &Api, ctx: &Ctx, only_active: bool) -> ApiResult {
    let (items, paged) = api
        .app
        .list_views(
            ctx.actor,
            only_active || ctx.param("active") == Some("true"),
            ctx.paging()?,
        )
        .await?;
    let ids = bounds(&items, |v| v.id.0);
    ok(wire::page(
        ctx,
        "views",
        items.iter().map(|v| wire::view(&ctx.base, v)).collect(),
        &paged,
        ids,
    ))
}

async fn views(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    list_views(&api, &ctx, false).await
}

async fn active_views(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    list_views(&api, &ctx, true).await
}

async fn show_many_views(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let ids = super::ids_param(&ctx, "ids")?;
    let found = api.app.views_by_ids(ctx.actor, &ids).await?;
    let list: Vec<_> = found.iter().map(|v| wire::view(&ctx.base, v)).collect();
    ok(wire::page_whole(&ctx, "views", list)?)
}

async fn create_view(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let v = api
        .app
        .save_view(ctx.actor, None, rule_input(body.record("view")?)?)
        .await?;
    created(wire::Keyed("view", wire::view(&ctx.base, &v)))
}

async fn show_view(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let v = api.app.get_view(ctx.actor, path_id(&id)?).await?;
    ok(wire::Keyed("view", wire::view(&ctx.base, &v)))
}

async fn update_view(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let v = api
        .app
        .save_view(
            ctx.actor,
            Some(path_id(&id)?),
            rule_input(body.record("view")?)?,
        )
        .await?;
    ok(wire::Keyed("view", wire::view(&ctx.base, &v)))
}

async fn delete_view(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app.delete_view(ctx.actor, path_id(&id)?).await?;
    no_content()
}

/// Views page by offset; a cursor request gets the same page in cursor shape,
/// with the offset as its cursor.
async fn view_page(
    api: &Api,
    ctx: &Ctx,
    id: &str,
) -> Result<(domain::model::View, Vec<Json>, i64, i64, i64), ApiError> {
    let (offset, limit) = if ctx.wants_cursor() {
        let size = ctx.int("page[size]")?.unwrap_or(100).clamp(1, 100);
        let after = ctx
            .param("page[after]")
            .and_then(wire::decode_page_cursor)
            .unwrap_or(0);
        (after, size)
    } else {
        let per_page = ctx.int("per_page")?.unwrap_or(100).clamp(1, 100);
        ((ctx.page_number()? - 1) * per_page, per_page)
    };
    let (v, ts, total) = api
        .app
        .view_tickets(ctx.actor, path_id(id)?, offset, limit)
        .await?;
    let fields = api.app.fields_for_display().await?;
    Ok((
        v,
        ts.iter()
            .map(|t| json!(wire::ticket(&ctx.base, t, &fields)))
            .collect(),
        total,
        offset,
        limit,
    ))
}

fn paged_body(ctx: &Ctx, key: &str, items: Vec<Json>, total: i64, offset: i64) -> Json {
    let n = items.len() as i64;
    let paged = app::Paged {
        ids: vec![],
        count: Some(total),
        has_more: offset + n < total,
        has_prev: offset > 0,
    };
    // For cursor paging the "ids" are offsets: the next page starts at offset + n.
    wire::page(ctx, key, items, &paged, (None, Some(offset + n)))
}

async fn view_tickets(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let (_, items, total, offset, _) = view_page(&api, &ctx, &id).await?;
    ok(paged_body(&ctx, "tickets", items, total, offset))
}

async fn execute_view(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let (v, items, total, offset, _) = view_page(&api, &ctx, &id).await?;
    let rows: Vec<Json> = items
        .iter()
        .map(|t| json!({"ticket": t, "subject": t["subject"], "requester_id": t["requester_id"], "created": t["created_at"], "status": t["status"], "priority": t["priority"], "assignee_id": t["assignee_id"], "group_id": t["group_id"]}))
        .collect();
    let mut body = paged_body(&ctx, "rows", rows, total, offset);
    body["view"] = json!(wire::view(&ctx.base, &v));
    body["columns"] = body["view"]["execution"]["columns"].clone();
    ok(body)
}

async fn count_view(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let (v, _, total) = api.app.view_tickets(ctx.actor, path_id(&id)?, 0, 1).await?;
    ok(json!({ "view_count": view_count(&ctx.base, v.id, total) }))
}

/// Zendesk's view count: how many tickets a view holds now.
pub(super) fn view_count(base: &str, view: domain::ViewId, total: impl Into<i64>) -> Json {
    let total = total.into();
    json!({"view_id": view, "url": format!("{base}/api/v2/views/{view}/count.json"), "value": total, "pretty": total.to_string(), "fresh": true})
}

async fn ratings(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let (items, paged) = api
        .app
        .list_ratings(
            ctx.actor,
            app::rules::RatingFilter {
                score: ctx.param("score"),
                start: ctx.epoch("start_time")?.map(Timestamp),
                end: ctx.epoch("end_time")?.map(Timestamp),
            },
            ctx.paging()?,
        )
        .await?;
    let ids = bounds(&items, |r| r.id.0);
    ok(wire::page(
        &ctx,
        "satisfaction_ratings",
        items.iter().map(|r| wire::rating(&ctx.base, r)).collect(),
        &paged,
        ids,
    ))
}

async fn show_rating(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let r = api.app.rating(ctx.actor, path_id(&id)?).await?;
    ok(wire::Keyed(
        "satisfaction_rating",
        wire::rating(&ctx.base, &r),
    ))
}

async fn rate(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let mut f = Fields::new(body.record("satisfaction_rating")?);
    let score = f.string("score").unwrap_or_default();
    let comment = f.string("comment");
    f.finish(())?;
    let r = api
        .app
        .rate_ticket(ctx.actor, path_id::<TicketId>(&id)?, &score, comment)
        .await?;
    ok(wire::Keyed(
        "satisfaction_rating",
        wire::rating(&ctx.base, &r),
    ))
}
