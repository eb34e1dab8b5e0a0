//! The admins' audit log (Zendesk's `audit_logs`): filtered by
//! `filter[source_type]`, `filter[source_id]`, `filter[actor_id]`,
//! `filter[action]` and `filter[created_at][]` (from, to), in both paging
//! styles; one entry by id.

use super::{bounds, ok};
use crate::Api;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::wire;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use domain::audit_log::AuditLogFilter;
use domain::{Timestamp, UserId};
use serde_json::json;

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/audit_logs", get(list))
        .route("/api/v2/audit_logs/{id}", get(show))
}

fn word<T: std::str::FromStr>(ctx: &Ctx, key: &str) -> Result<Option<T>, ApiError>
where
    T::Err: std::fmt::Display,
{
    ctx.param(key)
        .filter(|v| !v.is_empty())
        .map(|v| {
            v.parse::<T>()
                .map_err(|e| ApiError::BadRequest(format!("{key}: {e}")))
        })
        .transpose()
}

fn filter(ctx: &Ctx) -> Result<AuditLogFilter, ApiError> {
    let times: Vec<Timestamp> = ctx
        .params_all("filter[created_at][]")
        .iter()
        .filter(|v| !v.is_empty())
        .map(|v| {
            Timestamp::parse(v).ok_or_else(|| {
                ApiError::BadRequest(format!("filter[created_at][]: {v} is not a time"))
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(AuditLogFilter {
        source: word(ctx, "filter[source_type]")?,
        source_id: ctx.int("filter[source_id]")?,
        actor_id: ctx.int("filter[actor_id]")?.map(UserId),
        action: word(ctx, "filter[action]")?,
        from: times.first().copied(),
        to: times.get(1).copied(),
    })
}

async fn list(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let (listed, paged) = api
        .app
        .audit_log(ctx.actor, filter(&ctx)?, ctx.paging()?)
        .await?;
    let items = listed
        .iter()
        .map(|v| wire::audit_log(&ctx.base, v))
        .collect();
    let ids = bounds(&listed, |v| v.entry.id);
    ok(wire::page(&ctx, "audit_logs", items, &paged, ids))
}

async fn show(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    // Ids start at 1: anything else (a negative one could not be paged
    // from) names no entry.
    let id: i64 = id
        .parse()
        .ok()
        .filter(|i: &i64| *i > 0)
        .ok_or(ApiError::App(app::AppError::NotFound))?;
    let (listed, _) = api
        .app
        .audit_log(
            ctx.actor,
            AuditLogFilter::default(),
            app::Paging::Cursor {
                after: Some(id - 1),
                before: None,
                size: 1,
            },
        )
        .await?;
    let one = listed
        .iter()
        .find(|v| v.entry.id == id)
        .ok_or(ApiError::App(app::AppError::NotFound))?;
    ok(json!({"audit_log": wire::audit_log(&ctx.base, one)}))
}
