//! `/search` and `/search/count`.

use super::ok;
use crate::Api;
use crate::ctx::Ctx;
use crate::error::ApiResult;
use crate::wire;
use app::search::{Hit, plan_query};
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use search::ResultType;
use serde_json::{Value as Json, json};

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/search", get(search))
        .route("/api/v2/search/count", get(count))
}

fn only_type(ctx: &Ctx) -> Option<ResultType> {
    match ctx.param("filter[type]")? {
        "ticket" => Some(ResultType::Ticket),
        "user" => Some(ResultType::User),
        "organization" => Some(ResultType::Organization),
        "group" => Some(ResultType::Group),
        _ => None,
    }
}

async fn search(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let plan = plan_query(
        ctx.param("query").unwrap_or(""),
        ctx.param("sort_by"),
        ctx.param("sort_order"),
        only_type(&ctx),
    )?;
    let per_page = ctx.int("per_page")?.unwrap_or(100).clamp(1, 100);
    let page = ctx.page_number()?;
    let found = api
        .app
        .search(ctx.actor, &plan, (page - 1) * per_page, per_page)
        .await?;
    let fields = api.app.fields_for_display().await?;
    let results: Vec<Json> = found
        .hits
        .iter()
        .map(|h| {
            let (mut v, kind) = match h {
                Hit::Ticket(t) => (json!(wire::ticket(&ctx.base, t, &fields)), "ticket"),
                Hit::User(u) => (json!(wire::user(&ctx.base, u)), "user"),
                Hit::Organization(o) => (json!(wire::org(&ctx.base, o)), "organization"),
                Hit::Group(g) => (json!(wire::group(&ctx.base, g)), "group"),
            };
            v["result_type"] = json!(kind);
            v
        })
        .collect();
    let next = (page * per_page < found.count).then(|| {
        ctx.link(&[
            ("page", (page + 1).to_string()),
            ("per_page", per_page.to_string()),
        ])
    });
    let prev = (page > 1).then(|| {
        ctx.link(&[
            ("page", (page - 1).to_string()),
            ("per_page", per_page.to_string()),
        ])
    });
    let mut body = serde_json::Map::new();
    for (k, v) in [
        ("results", json!(results)),
        ("count", json!(found.count)),
        ("next_page", json!(next)),
        ("previous_page", json!(prev)),
        ("facets", Json::Null),
    ] {
        body.insert(k.into(), v);
    }
    if ctx.param("include").is_none() {
        return ok(Json::Object(body));
    }
    // Sideloads for the tickets and the people found (`include=tickets(users)`).
    let tickets: Vec<_> = found
        .hits
        .iter()
        .filter_map(|h| match h {
            Hit::Ticket(t) => Some(t.clone()),
            _ => None,
        })
        .collect();
    let people: Vec<_> = found
        .hits
        .iter()
        .filter_map(|h| match h {
            Hit::User(u) => Some(u.clone()),
            _ => None,
        })
        .collect();
    crate::sideload::tickets(&api, &ctx, &tickets, &mut body).await?;
    crate::sideload::users(&api, &ctx, &people, &mut body).await?;
    ok(Json::Object(body))
}

async fn count(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let plan = plan_query(
        ctx.param("query").unwrap_or(""),
        None,
        None,
        only_type(&ctx),
    )?;
    let n = api.app.search_count(ctx.actor, &plan).await?;
    ok(json!({"count": n}))
}
