//! Skills-based routing: Zendesk's `/routing/attributes` (and values),
//! agents' and tickets' `instance_values`, `requirements/fulfilled`; and
//! our own endpoints for what Zendesk lacks: skill levels, an agent's
//! routing profile (presence, capacity, languages, schedule), the queue,
//! and the routing settings.

use super::{created, ids_param, no_content, ok, path_id};
use crate::Api;
use crate::body::JsonBody;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::wire::{opt_ts, ts};
use app::routing::ProfileChange;
use app::rulebook::RoutingSettings;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use domain::model::routing::{Profile, Route, RouteState};
use domain::routing::Presence;
use domain::{TicketId, UserId};
use serde_json::{Value as Json, json};

pub fn routes() -> Router<Api> {
    Router::new()
        .route(
            "/api/v2/routing/attributes",
            get(list_attributes).post(create_attribute),
        )
        .route(
            "/api/v2/routing/attributes/definitions",
            get(attribute_definitions),
        )
        .route(
            "/api/v2/routing/attributes/{id}",
            get(show_attribute)
                .put(update_attribute)
                .patch(update_attribute)
                .delete(delete_attribute),
        )
        .route(
            "/api/v2/routing/attributes/{id}/values",
            get(list_values).post(create_value),
        )
        .route(
            "/api/v2/routing/attributes/{id}/values/{vid}",
            get(show_value)
                .put(update_value)
                .patch(update_value)
                .delete(delete_value),
        )
        .route(
            "/api/v2/routing/agents/{id}/instance_values",
            get(agent_values).post(set_agent_values),
        )
        .route(
            "/api/v2/routing/tickets/{id}/instance_values",
            get(ticket_values).post(set_ticket_values),
        )
        .route("/api/v2/routing/requirements/fulfilled", get(fulfilled))
        .route(
            "/api/v2/routing/agents/{id}/profile",
            get(profile).put(update_profile),
        )
        .route("/api/v2/routing/queue", get(queue))
        .route(
            "/api/v2/routing/settings",
            get(settings).put(update_settings),
        )
}

fn plain(id: &str) -> String {
    id.strip_suffix(".json").unwrap_or(id).to_string()
}

fn name_of(body: &JsonBody, key: &str) -> Result<String, ApiError> {
    Ok(body
        .record(key)?
        .get("name")
        .and_then(Json::as_str)
        .unwrap_or("")
        .to_string())
}

async fn list_attributes(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let attributes = api.app.routing_attributes(ctx.actor).await?;
    let all: Vec<_> = attributes
        .iter()
        .map(|a| crate::wire::routing_attribute(&ctx.base, a))
        .collect();
    ok(crate::wire::page_whole(&ctx, "attributes", all)?)
}
async fn attribute_definitions(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let (all, any) = api.app.routing_value_conditions(ctx.actor)?;
    ok(crate::wire::Keyed(
        "definitions",
        crate::wire::attribute_definitions(&all, &any),
    ))
}

async fn create_attribute(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let a = api
        .app
        .save_routing_attribute(ctx.actor, None, name_of(&body, "attribute")?)
        .await?;
    created(json!({"attribute": crate::wire::routing_attribute(&ctx.base, &a)}))
}
async fn show_attribute(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let a = api.app.routing_attribute(ctx.actor, &plain(&id)).await?;
    ok(json!({"attribute": crate::wire::routing_attribute(&ctx.base, &a)}))
}
async fn update_attribute(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let a = api
        .app
        .save_routing_attribute(ctx.actor, Some(plain(&id)), name_of(&body, "attribute")?)
        .await?;
    ok(json!({"attribute": crate::wire::routing_attribute(&ctx.base, &a)}))
}
async fn delete_attribute(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app
        .delete_routing_attribute(ctx.actor, plain(&id))
        .await?;
    no_content()
}
async fn list_values(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let values = api.app.routing_values(ctx.actor, Some(&plain(&id))).await?;
    let all: Vec<_> = values
        .iter()
        .map(|a| crate::wire::routing_attribute(&ctx.base, a))
        .collect();
    ok(json!({"attribute_values": all}))
}
async fn create_value(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let v = api
        .app
        .save_routing_value(
            ctx.actor,
            plain(&id),
            None,
            name_of(&body, "attribute_value")?,
        )
        .await?;
    created(json!({"attribute_value": crate::wire::routing_attribute(&ctx.base, &v)}))
}
async fn show_value(
    State(api): State<Api>,
    ctx: Ctx,
    Path((id, vid)): Path<(String, String)>,
) -> ApiResult {
    let vid = plain(&vid);
    let all = api.app.routing_values(ctx.actor, Some(&plain(&id))).await?;
    let v = all
        .iter()
        .find(|v| v.id == vid)
        .ok_or(ApiError::App(app::AppError::NotFound))?;
    ok(json!({"attribute_value": crate::wire::routing_attribute(&ctx.base, v)}))
}
async fn update_value(
    State(api): State<Api>,
    ctx: Ctx,
    Path((id, vid)): Path<(String, String)>,
    body: JsonBody,
) -> ApiResult {
    let v = api
        .app
        .save_routing_value(
            ctx.actor,
            plain(&id),
            Some(plain(&vid)),
            name_of(&body, "attribute_value")?,
        )
        .await?;
    ok(json!({"attribute_value": crate::wire::routing_attribute(&ctx.base, &v)}))
}
async fn delete_value(
    State(api): State<Api>,
    ctx: Ctx,
    Path((_, vid)): Path<(String, String)>,
) -> ApiResult {
    api.app.delete_routing_value(ctx.actor, plain(&vid)).await?;
    no_content()
}

/// `attribute_value_ids: [...]` (Zendesk, level 1) or our `attribute_values:
/// [{id, level, optional}]`.
fn levels(
    body: &serde_json::Map<String, Json>,
    default_level: u8,
) -> Result<Vec<(String, u8, bool)>, ApiError> {
    let mut out = Vec::new();
    if let Some(ids) = body.get("attribute_value_ids").and_then(Json::as_array) {
        for v in ids {
            out.push((v.as_str().unwrap_or("").to_string(), default_level, false));
        }
    }
    if let Some(vals) = body.get("attribute_values").and_then(Json::as_array) {
        for v in vals {
            let id = v.get("id").and_then(Json::as_str).unwrap_or("").to_string();
            // A level that is not a whole number 0–255 becomes 0, which
            // the use case refuses with "must be 1 to 5".
            let level = v.get("level").map_or(default_level, |l| {
                l.as_u64().map_or(0, |l| u8::try_from(l).unwrap_or(u8::MAX))
            });
            let optional = v.get("optional").and_then(Json::as_bool).unwrap_or(false);
            out.push((id, level, optional));
        }
    }
    Ok(out)
}

async fn agent_values(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let skills = api
        .app
        .agent_skills(ctx.actor, path_id::<UserId>(&id)?)
        .await?;
    let all: Vec<_> = skills
        .iter()
        .map(|(a, l)| crate::wire::RoutingAttribute {
            level: Some(*l),
            ..crate::wire::routing_attribute(&ctx.base, a)
        })
        .collect();
    ok(json!({"attribute_values": all}))
}
async fn set_agent_values(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let agent = path_id::<UserId>(&id)?;
    let skills = levels(&body.0, 3)?
        .into_iter()
        .map(|(v, l, _)| (v, l))
        .collect();
    api.app.set_agent_skills(ctx.actor, agent, skills).await?;
    agent_values(State(api), ctx, Path(id)).await
}
async fn ticket_values(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let needs = api
        .app
        .ticket_requirements(ctx.actor, path_id::<TicketId>(&id)?)
        .await?;
    let all: Vec<_> = needs
        .iter()
        .map(|(a, l, o)| crate::wire::RoutingAttribute {
            level: Some(*l),
            optional: Some(*o),
            ..crate::wire::routing_attribute(&ctx.base, a)
        })
        .collect();
    ok(json!({"attribute_values": all}))
}
async fn set_ticket_values(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let ticket = path_id::<TicketId>(&id)?;
    api.app
        .set_ticket_requirements(ctx.actor, ticket, levels(&body.0, 1)?)
        .await?;
    ticket_values(State(api), ctx, Path(id)).await
}
async fn fulfilled(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let ids = ids_param(&ctx, "ticket_ids")?;
    let ok_ids = api.app.fulfilled(ctx.actor, &ids).await?;
    ok(json!({"fulfilled_ticket_ids": ok_ids}))
}

fn profile_json(p: &Profile) -> Json {
    let ch = ["email", "chat", "call"];
    json!({
        "user_id": p.user_id.0,
        "languages": p.languages,
        "capacity": ch.iter().zip(p.capacity).map(|(c, n)| (c.to_string(), json!(n))).collect::<serde_json::Map<_, _>>(),
        "presence": ch.iter().zip(p.presence).map(|(c, s)| (c.to_string(), json!(s.as_str()))).collect::<serde_json::Map<_, _>>(),
        "schedule_id": p.schedule_id,
        "last_assigned_at": opt_ts(p.last_assigned_at),
        "last_active_at": opt_ts(p.last_active_at),
        "updated_at": ts(p.updated_at),
    })
}

async fn profile(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let p = api
        .app
        .routing_profile(ctx.actor, path_id::<UserId>(&id)?)
        .await?;
    ok(json!({"routing_profile": profile_json(&p)}))
}

/// `{routing_profile: {presence: {email: "online"} | "online", capacity:
/// {chat: 3}, languages: ["es"], schedule_id}}`.
async fn update_profile(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let agent = path_id::<UserId>(&id)?;
    let m = body.record("routing_profile")?;
    let mut change = ProfileChange::default();
    let channels = ["email", "chat", "call"];
    let bad = |k: &str, why: String| {
        ApiError::App(app::AppError::field(app::FieldError::invalid(k, why)))
    };
    match m.get("presence") {
        Some(Json::String(s)) => {
            let p: Presence = s
                .parse()
                .map_err(|e: domain::UnknownWord| bad("presence", e.to_string()))?;
            change.presence = [Some(p); 3];
        }
        Some(Json::Object(o)) => {
            for (i, ch) in channels.iter().enumerate() {
                if let Some(v) = o.get(*ch).and_then(Json::as_str) {
                    change.presence[i] = Some(
                        v.parse()
                            .map_err(|e: domain::UnknownWord| bad("presence", e.to_string()))?,
                    );
                }
            }
        }
        _ => {}
    }
    if let Some(Json::Object(o)) = m.get("capacity") {
        for (i, ch) in channels.iter().enumerate() {
            if let Some(v) = o.get(*ch) {
                change.capacity[i] = Some(
                    v.as_u64()
                        .and_then(|n| u32::try_from(n).ok())
                        .ok_or_else(|| bad("capacity", "must be whole numbers".into()))?,
                );
            }
        }
    }
    if let Some(l) = m.get("languages").and_then(Json::as_array) {
        change.languages = Some(
            l.iter()
                .filter_map(Json::as_str)
                .map(str::to_string)
                .collect(),
        );
    }
    if m.contains_key("schedule_id") {
        change.schedule_id = Some(m.get("schedule_id").and_then(Json::as_i64));
    }
    let p = api
        .app
        .update_routing_profile(ctx.actor, agent, change)
        .await?;
    ok(json!({"routing_profile": profile_json(&p)}))
}

fn route_json(r: &Route) -> Json {
    json!({
        "ticket_id": r.ticket_id.0,
        "state": match r.state { RouteState::Waiting => "waiting", RouteState::Assigned => "assigned", RouteState::Done => "done" },
        "group_id": r.group_id,
        "channel": r.channel.as_str(),
        "language": r.language,
        "queued_at": ts(r.queued_at),
        "assigned_at": opt_ts(r.assigned_at),
        "assignee_id": r.assignee_id.map(|a| a.0),
        "optional_skills_dropped": r.optional_dropped,
        "escalations": r.escalations,
        "reason": r.last_reason,
    })
}

async fn queue(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let state = match ctx.param("state") {
        Some("assigned") => RouteState::Assigned,
        _ => RouteState::Waiting,
    };
    let all: Vec<Json> = api
        .app
        .routing_queue(ctx.actor, state)
        .await?
        .iter()
        .map(route_json)
        .collect();
    ok(json!({"queue": all}))
}

async fn settings(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let s = api.app.routing_settings(ctx.actor).await?;
    ok(json!({"routing_settings": s}))
}

async fn update_settings(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let current = api.app.routing_settings(ctx.actor).await?;
    let mut merged = serde_json::to_value(&current).unwrap_or(Json::Null);
    if let (Some(obj), Some(given)) = (
        merged.as_object_mut(),
        body.0.get("routing_settings").and_then(Json::as_object),
    ) {
        for (k, v) in given {
            obj.insert(k.clone(), v.clone());
        }
    }
    let s: RoutingSettings = serde_json::from_value(merged).map_err(|e| {
        ApiError::App(app::AppError::field(app::FieldError::invalid(
            "routing_settings",
            e.to_string(),
        )))
    })?;
    let s = api.app.set_routing_settings(ctx.actor, s).await?;
    ok(json!({"routing_settings": s}))
}
