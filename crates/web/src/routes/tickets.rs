//! `/tickets` and everything hanging off a ticket.

use super::{bounds, ids_param, no_content, ok, path_id};
use crate::Api;
use crate::body::JsonBody;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult, json_response};
use crate::{input, wire};
use app::Paging;
use app::tickets::{MergeNotes, TicketInput, TicketScope, TicketWrite};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use domain::{Channel, TicketId, UserId};
use serde_json::{Map, Value as Json, json};

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/tickets", get(list).post(create))
        .route("/api/v2/tickets/show_many", get(show_many))
        .route("/api/v2/tickets/update_many", put(update_many))
        .route("/api/v2/tickets/create_many", post(create_many))
        .route(
            "/api/v2/tickets/destroy_many",
            axum::routing::delete(destroy_many),
        )
        .route(
            "/api/v2/tickets/{id}",
            get(show).put(update).delete(destroy),
        )
        .route("/api/v2/tickets/{id}/comments", get(comments))
        .route("/api/v2/tickets/{id}/audits", get(audits))
        .route("/api/v2/ticket_audits", get(all_audits))
        .route("/api/v2/tickets/{id}/merge", post(merge))
        .route(
            "/api/v2/tickets/{id}/tags",
            get(tags).put(add_tags).post(set_tags).delete(remove_tags),
        )
        .route("/api/v2/tickets/{id}/collaborators", get(collaborators))
        .route("/api/v2/users/{id}/tickets/requested", get(requested))
        .route("/api/v2/users/{id}/tickets/assigned", get(assigned))
        .route("/api/v2/users/{id}/tickets/ccd", get(ccd))
        .route("/api/v2/organizations/{id}/tickets", get(org_tickets))
        .route("/api/v2/tags", get(all_tags))
}

/// A ticket written and the audit of the write, serialised straight from
/// the records (the hot path of ticket creation builds no JSON tree).
async fn write_reply(api: &Api, ctx: &Ctx, w: TicketWrite, status: StatusCode) -> ApiResult {
    let fields = api.app.fields_for_display().await.unwrap_or_default();
    let body = wire::TicketWritten {
        ticket: wire::ticket(&ctx.base, &w.ticket, &fields),
        audit: wire::audit(&w.audit),
    };
    Ok(json_response(status, &body))
}

async fn create(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let input = input::ticket(body.record("ticket")?)?;
    let w = api
        .app
        .create_ticket(ctx.actor, input, Channel::Api)
        .await?;
    write_reply(&api, &ctx, w, StatusCode::CREATED).await
}

async fn update(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let id = path_id::<TicketId>(&id)?;
    let input = input::ticket(body.record("ticket")?)?;
    let w = api
        .app
        .update_ticket(ctx.actor, id, input, Channel::Api)
        .await?;
    write_reply(&api, &ctx, w, StatusCode::OK).await
}

async fn show(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let t = api.app.ticket(ctx.actor, path_id::<TicketId>(&id)?).await?;
    let fields = api.app.fields_for_display().await?;
    let mut body = Map::new();
    body.insert(
        "ticket".into(),
        serde_json::to_value(wire::ticket(&ctx.base, &t, &fields)).unwrap_or_default(),
    );
    crate::sideload::tickets(&api, &ctx, std::slice::from_ref(&t), &mut body).await?;
    ok(Json::Object(body))
}

async fn destroy(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app
        .delete_ticket(ctx.actor, path_id::<TicketId>(&id)?)
        .await?;
    no_content()
}

async fn show_many(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let ids = ids_param(&ctx, "ids")?;
    let ts = api.app.tickets_by_ids(ctx.actor, &ids).await?;
    let fields = api.app.fields_for_display().await?;
    ok(
        json!({"tickets": ts.iter().map(|t| wire::ticket(&ctx.base, t, &fields)).collect::<Vec<_>>(), "next_page": null, "previous_page": null, "count": ts.len()}),
    )
}

async fn list_scope(api: &Api, ctx: &Ctx, scope: TicketScope) -> ApiResult {
    let (ts, paged) = api
        .app
        .list_tickets(ctx.actor, scope, ctx.paging()?)
        .await?;
    let fields = api.app.fields_for_display().await?;
    let ids = bounds(&ts, |t| t.id.0);
    let mut body = match wire::page(
        ctx,
        "tickets",
        ts.iter()
            .map(|t| wire::ticket(&ctx.base, t, &fields))
            .collect(),
        &paged,
        ids,
    ) {
        Json::Object(m) => m,
        _ => Map::new(),
    };
    crate::sideload::tickets(api, ctx, &ts, &mut body).await?;
    ok(Json::Object(body))
}

async fn list(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let scope = match ctx.param("external_id") {
        Some(e) => TicketScope::ExternalId(e.to_string()),
        None => TicketScope::All,
    };
    list_scope(&api, &ctx, scope).await
}

async fn requested(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let u = path_id::<UserId>(&id)?;
    list_scope(&api, &ctx, TicketScope::Requested(u)).await
}

async fn assigned(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let u = path_id::<UserId>(&id)?;
    list_scope(&api, &ctx, TicketScope::Assigned(u)).await
}

async fn ccd(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let u = path_id::<UserId>(&id)?;
    list_scope(&api, &ctx, TicketScope::Ccd(u)).await
}

async fn org_tickets(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let o = path_id::<domain::OrgId>(&id)?;
    api.app.org(ctx.actor, o).await?;
    list_scope(&api, &ctx, TicketScope::Organization(o)).await
}

async fn comments(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let (cs, paged) = api
        .app
        .comments(ctx.actor, path_id::<TicketId>(&id)?, ctx.paging()?)
        .await?;
    let ids = bounds(&cs, |c| c.id.0);
    ok(wire::page(
        &ctx,
        "comments",
        cs.iter().map(|c| wire::comment(&ctx.base, c)).collect(),
        &paged,
        ids,
    ))
}

async fn audits(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let (audits, paged) = api
        .app
        .audits(ctx.actor, path_id::<TicketId>(&id)?, ctx.paging()?)
        .await?;
    let ids = bounds(&audits, |a| a.id.0);
    ok(wire::page(
        &ctx,
        "audits",
        audits.iter().map(wire::audit).collect(),
        &paged,
        ids,
    ))
}

/// `GET /api/v2/ticket_audits`: every ticket's audits, by cursor only as
/// Zendesk pages them (admins): `page[…]` cursors, or the older `limit`
/// and `cursor` with `before_url` and `after_url` (newest first).
async fn all_audits(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    if !ctx.wants_cursor() && (ctx.param("limit").is_some() || ctx.param("cursor").is_some()) {
        return audits_v1(&api, &ctx).await;
    }
    let (audits, paged) = api.app.all_audits(ctx.actor, ctx.cursor_paging()?).await?;
    let ids = bounds(&audits, |a| a.id.0);
    let items = audits
        .iter()
        .map(|a| serde_json::to_value(wire::audit(a)).unwrap_or_default())
        .collect();
    ok(wire::cursor_page(&ctx, "audits", items, &paged, ids))
}

/// The older cursor style of `ticket_audits`, newest first: a `cursor`
/// of `b…` reads older audits than an id, `a…` newer ones; `before_url`
/// is null once nothing older remains, `after_url` always polls on.
async fn audits_v1(api: &Api, ctx: &Ctx) -> ApiResult {
    let size = ctx.int("limit")?.unwrap_or(1000).clamp(1, 1000);
    let cursor = ctx.param("cursor").unwrap_or("");
    let bad = || ApiError::BadRequest("cursor is not one this server gave".into());
    let paging = match cursor.split_at_checked(1) {
        None => Paging::Cursor {
            after: None,
            before: Some(i64::MAX),
            size,
        },
        Some(("b", id)) => Paging::Cursor {
            after: None,
            before: Some(id.parse().map_err(|_| bad())?),
            size,
        },
        Some(("a", id)) => Paging::Cursor {
            after: Some(id.parse().map_err(|_| bad())?),
            before: None,
            size,
        },
        Some(_) => return Err(bad()),
    };
    let (mut audits, paged) = api.app.all_audits(ctx.actor, paging).await?;
    audits.reverse();
    let older = match paging {
        Paging::Cursor {
            before: Some(_), ..
        } => paged.has_prev,
        _ => true,
    };
    let newest = audits.first().map(|a| a.id.0);
    let oldest = audits.last().map(|a| a.id.0);
    // An empty page keeps the cursor it was read with, to poll again.
    let after = newest.map_or_else(|| cursor.to_string(), |id| format!("a{id}"));
    let before = oldest.filter(|_| older).map(|id| format!("b{id}"));
    let url = |c: &str| ctx.link(&[("cursor", c.to_string()), ("limit", size.to_string())]);
    ok(json!({
        "audits": audits.iter().map(wire::audit).collect::<Vec<_>>(),
        "after_cursor": after,
        "after_url": (!after.is_empty()).then(|| url(&after)),
        "before_cursor": before,
        "before_url": before.as_deref().map(url),
        "count": audits.len(),
    }))
}

async fn merge(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let target = path_id::<TicketId>(&id)?;
    let mut f = input::Fields::new(&body.0);
    let sources: Vec<TicketId> = f
        .ids("ids")
        .unwrap_or_default()
        .into_iter()
        .map(TicketId)
        .collect();
    let notes = MergeNotes {
        target_comment: f.string("target_comment"),
        source_comment: f.string("source_comment"),
        target_public: f.boolean("target_comment_is_public").unwrap_or(false),
        source_public: f.boolean("source_comment_is_public").unwrap_or(false),
    };
    f.finish(())?;
    let job = api.app.merge_job(ctx.actor, target, sources, notes).await?;
    ok(wire::Keyed("job_status", wire::job(&ctx.base, &job)))
}

async fn tags(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let t = api.app.ticket(ctx.actor, path_id::<TicketId>(&id)?).await?;
    ok(json!({"tags": t.tags}))
}

fn body_tags(body: &JsonBody) -> Result<Vec<String>, ApiError> {
    let mut f = input::Fields::new(&body.0);
    let tags = f.strings("tags").unwrap_or_default();
    f.finish(tags)
}

async fn change_tags(api: &Api, ctx: &Ctx, id: &str, input: TicketInput) -> ApiResult {
    let w = api
        .app
        .update_ticket(ctx.actor, path_id::<TicketId>(id)?, input, Channel::Api)
        .await?;
    ok(json!({"tags": w.ticket.tags}))
}

async fn add_tags(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let input = TicketInput {
        add_tags: body_tags(&body)?,
        ..Default::default()
    };
    change_tags(&api, &ctx, &id, input).await
}

async fn set_tags(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let input = TicketInput {
        tags: Some(body_tags(&body)?),
        ..Default::default()
    };
    change_tags(&api, &ctx, &id, input).await
}

async fn remove_tags(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let mut tags = body_tags(&body)?;
    tags.extend(ctx.params_all("tags"));
    let input = TicketInput {
        remove_tags: tags,
        ..Default::default()
    };
    change_tags(&api, &ctx, &id, input).await
}

async fn collaborators(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let t = api.app.ticket(ctx.actor, path_id::<TicketId>(&id)?).await?;
    let users = api.app.users_by_ids(ctx.actor, &t.collaborator_ids).await?;
    ok(json!({"users": users.iter().map(|u| wire::user(&ctx.base, u)).collect::<Vec<_>>()}))
}

async fn update_many(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let items: Vec<(TicketId, TicketInput)> = if let Some(Json::Array(list)) = body.0.get("tickets")
    {
        if list.len() > 100 {
            return Err(ApiError::TooMany("at most 100 tickets per request".into()));
        }
        let mut items = Vec::with_capacity(list.len());
        for t in list {
            let m = t
                .as_object()
                .ok_or_else(|| ApiError::BadRequest("each ticket must be an object".into()))?;
            let id = m
                .get("id")
                .and_then(Json::as_i64)
                .ok_or_else(|| ApiError::BadRequest("each ticket needs an id".into()))?;
            items.push((TicketId(id), input::ticket(m)?));
        }
        items
    } else {
        let ids = ids_param(&ctx, "ids")?;
        let input = input::ticket(body.record("ticket")?)?;
        ids.into_iter()
            .map(|id| (TicketId(id), input.clone()))
            .collect()
    };
    let job = api.app.update_many_tickets(ctx.actor, items).await?;
    ok(wire::Keyed("job_status", wire::job(&ctx.base, &job)))
}

async fn create_many(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let Some(Json::Array(list)) = body.0.get("tickets") else {
        return Err(ApiError::BadRequest(
            "the body must have a \"tickets\" list".into(),
        ));
    };
    if list.len() > 100 {
        return Err(ApiError::TooMany("at most 100 tickets per request".into()));
    }
    let inputs = list
        .iter()
        .map(|t| {
            t.as_object()
                .ok_or_else(|| ApiError::BadRequest("each ticket must be an object".into()))
                .and_then(input::ticket)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let job = api.app.create_many_tickets(ctx.actor, inputs).await?;
    ok(wire::Keyed("job_status", wire::job(&ctx.base, &job)))
}

async fn destroy_many(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let ids = ids_param(&ctx, "ids")?.into_iter().map(TicketId).collect();
    let job = api.app.destroy_many_tickets(ctx.actor, ids).await?;
    ok(wire::Keyed("job_status", wire::job(&ctx.base, &job)))
}

async fn all_tags(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let counts = api.app.tag_counts(ctx.actor).await?;
    let tags: Vec<Json> = counts
        .iter()
        .map(|(name, n)| json!({"name": name, "count": n}))
        .collect();
    ok(wire::page_whole(&ctx, "tags", tags)?)
}
