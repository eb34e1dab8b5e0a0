//! Ticket skips (Zendesk's `skips`): `POST /api/v2/skips` records one
//! (`{"skip": {"ticket_id", "reason"}}`); lists are everyone's for admins
//! (the caller's own for agents), an agent's, or a ticket's.

use super::{bounds, created, ok, path_id};
use crate::Api;
use crate::body::JsonBody;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::wire;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use domain::skip::SkipScope;
use domain::{TicketId, UserId};
use serde_json::Value as Json;

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/skips", get(everyone).post(record))
        .route("/api/v2/users/{id}/skips", get(by_user))
        .route("/api/v2/tickets/{id}/skips", get(of_ticket))
}

async fn record(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let m = body.record("skip")?;
    let ticket = match m.get("ticket_id") {
        Some(Json::Number(n)) => n.as_i64(),
        Some(Json::String(s)) => s.trim().parse().ok(),
        _ => None,
    }
    .ok_or_else(|| ApiError::BadRequest("skip.ticket_id must be a ticket's id".into()))?;
    let reason = match m.get("reason") {
        None | Some(Json::Null) => "",
        Some(Json::String(s)) => s.as_str(),
        Some(_) => return Err(ApiError::BadRequest("skip.reason must be text".into())),
    };
    let (s, t) = api
        .app
        .skip_ticket(ctx.actor, TicketId(ticket), reason)
        .await?;
    let fields = api.app.fields_for_display().await?;
    created(wire::Keyed(
        "skip",
        wire::skip(&ctx.base, &s, Some(&t), &fields),
    ))
}

async fn list(api: &Api, ctx: &Ctx, scope: SkipScope) -> ApiResult {
    let (listed, paged) = api.app.skips(ctx.actor, scope, ctx.paging()?).await?;
    let fields = api.app.fields_for_display().await?;
    let items = listed
        .iter()
        .map(|(s, t)| wire::skip(&ctx.base, s, t.as_ref(), &fields))
        .collect();
    let ids = bounds(&listed, |(s, _)| s.id.0);
    ok(wire::page(ctx, "skips", items, &paged, ids))
}

async fn everyone(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    list(&api, &ctx, SkipScope::Everyone).await
}

async fn by_user(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    list(&api, &ctx, SkipScope::By(path_id::<UserId>(&id)?)).await
}

async fn of_ticket(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    list(&api, &ctx, SkipScope::Of(path_id::<TicketId>(&id)?)).await
}
