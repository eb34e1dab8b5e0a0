//! Business rules and service levels: `/triggers`, `/automations`,
//! `/slas/policies`, `/business_hours/schedules` (with holidays and the
//! workweek), `/tickets/{id}/metrics`, and our `/tickets/{id}/sla`.

use super::{created, no_content, ok, path_id};
use crate::Api;
use crate::body::JsonBody;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::wire::ts;
use app::business_hours::ScheduleInput;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::{get, put};
use domain::model::business_rules::RuleKind;
use domain::model::schedules::Holiday;
use domain::{HolidayId, RuleId, ScheduleId, TicketId};
use serde_json::{Value as Json, json};

pub fn routes() -> Router<Api> {
    Router::new()
        .merge(rule_routes(RuleKind::Trigger))
        .merge(rule_routes(RuleKind::Automation))
        .route(
            "/api/v2/slas/policies",
            get(list_policies).post(create_policy),
        )
        .route(
            "/api/v2/slas/policies/{id}",
            get(show_policy).put(update_policy).delete(delete_policy),
        )
        .route(
            "/api/v2/business_hours/schedules",
            get(list_schedules).post(create_schedule),
        )
        .route(
            "/api/v2/business_hours/schedules/{id}",
            get(show_schedule)
                .put(update_schedule)
                .delete(delete_schedule),
        )
        .route(
            "/api/v2/business_hours/schedules/{id}/workweek",
            put(set_workweek),
        )
        .route(
            "/api/v2/business_hours/schedules/{id}/holidays",
            get(list_holidays).post(create_holiday),
        )
        .route(
            "/api/v2/business_hours/schedules/{id}/holidays/{hid}",
            get(show_holiday).put(update_holiday).delete(delete_holiday),
        )
        .route("/api/v2/tickets/{id}/metrics", get(ticket_metrics))
        .route("/api/v2/ticket_metrics", get(list_ticket_metrics))
        .route("/api/v2/ticket_metrics/{id}", get(ticket_metrics))
        .route("/api/v2/tickets/{id}/sla", get(ticket_sla))
}

fn names(kind: RuleKind) -> (&'static str, &'static str) {
    match kind {
        RuleKind::Trigger => ("trigger", "triggers"),
        RuleKind::Automation => ("automation", "automations"),
    }
}

async fn list_rules(api: &Api, ctx: &Ctx, kind: RuleKind, only_active: bool) -> ApiResult {
    let (_, plural) = names(kind);
    let rules = api.app.business_rules(ctx.actor, kind).await?;
    let all: Vec<_> = rules
        .iter()
        .filter(|r| !only_active || r.active)
        .map(|r| crate::wire::business_rule(&ctx.base, r))
        .collect();
    ok(crate::wire::page_whole(ctx, plural, all)?)
}

async fn save_rule(
    api: &Api,
    ctx: &Ctx,
    kind: RuleKind,
    id: Option<RuleId>,
    body: &JsonBody,
) -> Result<Json, ApiError> {
    let (one, _) = names(kind);
    let record = Json::Object(body.record(one)?.clone());
    let r = api
        .app
        .save_business_rule(ctx.actor, kind, id, record)
        .await?;
    Ok(json!({one: crate::wire::business_rule(&ctx.base, &r)}))
}

async fn show_rule(api: &Api, ctx: &Ctx, kind: RuleKind, id: &str) -> ApiResult {
    let (one, _) = names(kind);
    let r = api.app.business_rule(ctx.actor, kind, path_id(id)?).await?;
    ok(json!({one: crate::wire::business_rule(&ctx.base, &r)}))
}

/// `/{triggers|automations}`, `/active` and `/{id}`: the same handlers
/// for both kinds of rule.
fn rule_routes(kind: RuleKind) -> Router<Api> {
    let (_, plural) = names(kind);
    Router::new()
        .route(
            &format!("/api/v2/{plural}"),
            get(move |State(api): State<Api>, ctx: Ctx| async move {
                let active = ctx.param("active") == Some("true");
                list_rules(&api, &ctx, kind, active).await
            })
            .post(move |State(api): State<Api>, ctx: Ctx, body: JsonBody| async move {
                created(save_rule(&api, &ctx, kind, None, &body).await?)
            }),
        )
        .route(
            &format!("/api/v2/{plural}/active"),
            get(move |State(api): State<Api>, ctx: Ctx| async move { list_rules(&api, &ctx, kind, true).await }),
        )
        .route(
            &format!("/api/v2/{plural}/{{id}}"),
            get(move |State(api): State<Api>, ctx: Ctx, Path(id): Path<String>| async move { show_rule(&api, &ctx, kind, &id).await })
                .put(move |State(api): State<Api>, ctx: Ctx, Path(id): Path<String>, body: JsonBody| async move {
                    ok(save_rule(&api, &ctx, kind, Some(path_id(&id)?), &body).await?)
                })
                .delete(move |State(api): State<Api>, ctx: Ctx, Path(id): Path<String>| async move {
                    api.app.delete_business_rule(ctx.actor, kind, path_id(&id)?).await?;
                    no_content()
                }),
        )
}

async fn list_policies(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let policies = api.app.sla_policies(ctx.actor).await?;
    let all: Vec<_> = policies
        .iter()
        .map(|p| crate::wire::sla_policy(&ctx.base, p))
        .collect();
    ok(crate::wire::page_whole(&ctx, "sla_policies", all)?)
}
async fn create_policy(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let record = Json::Object(body.record("sla_policy")?.clone());
    let p = api.app.save_sla_policy(ctx.actor, None, record).await?;
    created(json!({"sla_policy": crate::wire::sla_policy(&ctx.base, &p)}))
}
async fn show_policy(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let p = api.app.sla_policy(ctx.actor, path_id(&id)?).await?;
    ok(json!({"sla_policy": crate::wire::sla_policy(&ctx.base, &p)}))
}
async fn update_policy(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let record = Json::Object(body.record("sla_policy")?.clone());
    let p = api
        .app
        .save_sla_policy(ctx.actor, Some(path_id(&id)?), record)
        .await?;
    ok(json!({"sla_policy": crate::wire::sla_policy(&ctx.base, &p)}))
}
async fn delete_policy(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app.delete_sla_policy(ctx.actor, path_id(&id)?).await?;
    no_content()
}

/// `[{start_time, end_time}]` as minute pairs.
fn intervals(v: &Json) -> Result<Vec<(u32, u32)>, ApiError> {
    let bad = || {
        ApiError::App(app::AppError::field(app::FieldError::invalid(
            "intervals",
            "must be a list of {start_time, end_time} in minutes since Sunday 00:00",
        )))
    };
    v.as_array()
        .ok_or_else(bad)?
        .iter()
        .map(|i| {
            let n = |k: &str| {
                i.get(k)
                    .and_then(Json::as_u64)
                    .and_then(|x| u32::try_from(x).ok())
            };
            Ok((
                n("start_time").ok_or_else(bad)?,
                n("end_time").ok_or_else(bad)?,
            ))
        })
        .collect()
}

fn schedule_input(m: &serde_json::Map<String, Json>) -> Result<ScheduleInput, ApiError> {
    Ok(ScheduleInput {
        name: m.get("name").and_then(Json::as_str).map(str::to_string),
        time_zone: m
            .get("time_zone")
            .and_then(Json::as_str)
            .map(str::to_string),
        intervals: m.get("intervals").map(intervals).transpose()?,
    })
}

async fn list_schedules(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let schedules = api.app.schedules(ctx.actor).await?;
    let all: Vec<_> = schedules
        .iter()
        .map(|(s, h)| crate::wire::schedule(&ctx.base, s, h))
        .collect();
    ok(crate::wire::page_whole(&ctx, "schedules", all)?)
}
async fn create_schedule(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let s = api
        .app
        .save_schedule(ctx.actor, None, schedule_input(body.record("schedule")?)?)
        .await?;
    created(json!({"schedule": crate::wire::schedule(&ctx.base, &s, &[])}))
}
async fn show_schedule(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let (s, h) = api.app.schedule(ctx.actor, path_id(&id)?).await?;
    ok(json!({"schedule": crate::wire::schedule(&ctx.base, &s, &h)}))
}
async fn update_schedule(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let id = path_id(&id)?;
    api.app
        .save_schedule(
            ctx.actor,
            Some(id),
            schedule_input(body.record("schedule")?)?,
        )
        .await?;
    let (s, h) = api.app.schedule(ctx.actor, id).await?;
    ok(json!({"schedule": crate::wire::schedule(&ctx.base, &s, &h)}))
}
async fn delete_schedule(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app.delete_schedule(ctx.actor, path_id(&id)?).await?;
    no_content()
}
async fn set_workweek(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let id = path_id(&id)?;
    let week = body.record("workweek")?;
    let input = ScheduleInput {
        intervals: Some(intervals(week.get("intervals").unwrap_or(&Json::Null))?),
        ..Default::default()
    };
    api.app.save_schedule(ctx.actor, Some(id), input).await?;
    let (s, _) = api.app.schedule(ctx.actor, id).await?;
    let intervals: Vec<(u32, u32)> = serde_json::from_str(&s.intervals).unwrap_or_default();
    ok(
        json!({"workweek": {"intervals": intervals.iter().map(|(a, b)| json!({"start_time": a, "end_time": b})).collect::<Vec<_>>()}}),
    )
}

fn holiday_input(
    schedule: ScheduleId,
    id: HolidayId,
    m: &serde_json::Map<String, Json>,
    old: Option<&Holiday>,
) -> Holiday {
    let text = |k: &str, d: &str| {
        m.get(k)
            .and_then(Json::as_str)
            .map_or_else(|| d.to_string(), str::to_string)
    };
    Holiday {
        id,
        schedule_id: schedule,
        name: text("name", old.map_or("", |h| h.name.as_str())),
        start_date: text("start_date", old.map_or("", |h| h.start_date.as_str())),
        end_date: text("end_date", old.map_or("", |h| h.end_date.as_str())),
    }
}

async fn list_holidays(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let (_, h) = api.app.schedule(ctx.actor, path_id(&id)?).await?;
    ok(json!({"holidays": h.iter().map(crate::wire::holiday).collect::<Vec<_>>()}))
}
async fn create_holiday(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let h = holiday_input(path_id(&id)?, HolidayId(0), body.record("holiday")?, None);
    let h = api.app.save_holiday(ctx.actor, h).await?;
    created(json!({"holiday": crate::wire::holiday(&h)}))
}
async fn show_holiday(
    State(api): State<Api>,
    ctx: Ctx,
    Path((id, hid)): Path<(String, String)>,
) -> ApiResult {
    let (_, hs) = api.app.schedule(ctx.actor, path_id(&id)?).await?;
    let hid = path_id(&hid)?;
    let h = hs
        .iter()
        .find(|h| h.id == hid)
        .ok_or(ApiError::App(app::AppError::NotFound))?;
    ok(json!({"holiday": crate::wire::holiday(h)}))
}
async fn update_holiday(
    State(api): State<Api>,
    ctx: Ctx,
    Path((id, hid)): Path<(String, String)>,
    body: JsonBody,
) -> ApiResult {
    let (id, hid) = (path_id(&id)?, path_id(&hid)?);
    let (_, hs) = api.app.schedule(ctx.actor, id).await?;
    let old = hs
        .iter()
        .find(|h| h.id == hid)
        .ok_or(ApiError::App(app::AppError::NotFound))?;
    let h = api
        .app
        .save_holiday(
            ctx.actor,
            holiday_input(id, hid, body.record("holiday")?, Some(old)),
        )
        .await?;
    ok(json!({"holiday": crate::wire::holiday(&h)}))
}
async fn delete_holiday(
    State(api): State<Api>,
    ctx: Ctx,
    Path((id, hid)): Path<(String, String)>,
) -> ApiResult {
    api.app
        .delete_holiday(ctx.actor, path_id(&id)?, path_id(&hid)?)
        .await?;
    no_content()
}

async fn ticket_metrics(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let (t, m) = api
        .app
        .ticket_metrics(ctx.actor, path_id::<TicketId>(&id)?)
        .await?;
    ok(json!({ "ticket_metric": crate::wire::ticket_metric(&ctx.base, &t, &m) }))
}

/// `GET /api/v2/ticket_metrics`: the metrics of the tickets the caller
/// sees, both paging styles (a metric's id is its ticket's).
async fn list_ticket_metrics(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let (items, paged) = api
        .app
        .ticket_metrics_page(ctx.actor, ctx.paging()?)
        .await?;
    let ids = (
        items.first().map(|(t, _)| t.id.0),
        items.last().map(|(t, _)| t.id.0),
    );
    let list = items
        .iter()
        .map(|(t, m)| crate::wire::ticket_metric(&ctx.base, t, m))
        .collect();
    ok(crate::wire::page(&ctx, "ticket_metrics", list, &paged, ids))
}

/// Zendesk's ticket metric: one ticket's times in calendar and business
/// minutes.
async fn ticket_sla(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let sla = api
        .app
        .ticket_sla(ctx.actor, path_id::<TicketId>(&id)?)
        .await?;
    let Some(s) = sla else {
        return ok(json!({"sla": {"policy_id": null, "policy_metrics": []}}));
    };
    let metrics: Vec<Json> = s
        .targets
        .iter()
        .map(|t| {
            json!({
                "metric": t.metric,
                "target": t.target,
                "business_hours": t.business_hours,
                "stage": t.stage,
                "breach_at": t.breach_at.map(|at| ts(domain::Timestamp(at))),
                "breached": t.breached,
            })
        })
        .collect();
    ok(json!({"sla": {"policy_id": s.policy_id, "policy_metrics": metrics}}))
}
