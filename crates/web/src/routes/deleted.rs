//! What was deleted (Zendesk's `deleted_tickets` and `deleted_users`):
//! deleted tickets listed, restored one or many at a time, or deleted for
//! good in a job; deleted users listed, counted, shown, restored (atiende's
//! own, as tickets are) and deleted for good.

use super::{bounds, ids_param, ok, path_id};
use crate::Api;
use crate::ctx::Ctx;
use crate::error::ApiResult;
use crate::wire;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{delete, get, put};
use domain::{TicketId, UserId};

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/deleted_tickets", get(tickets))
        .route("/api/v2/deleted_tickets/restore_many", put(restore_many))
        .route("/api/v2/deleted_tickets/destroy_many", delete(destroy_many))
        .route("/api/v2/deleted_tickets/{id}", delete(destroy_ticket))
        .route("/api/v2/deleted_tickets/{id}/restore", put(restore))
        .route("/api/v2/deleted_users", get(users))
        .route("/api/v2/deleted_users/count", get(count_users))
        .route(
            "/api/v2/deleted_users/{id}",
            get(show_user).delete(destroy_user),
        )
        .route("/api/v2/deleted_users/{id}/restore", put(restore_user))
}

async fn tickets(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let (listed, paged) = api.app.deleted_tickets(ctx.actor, ctx.paging()?).await?;
    let ids = bounds(&listed, |d| d.ticket.id.0);
    ok(wire::page(
        &ctx,
        "deleted_tickets",
        listed.iter().map(wire::deleted_ticket).collect(),
        &paged,
        ids,
    ))
}

/// Zendesk answers a restore with an empty 200.
async fn restore(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app
        .restore_tickets(ctx.actor, vec![path_id::<TicketId>(&id)?])
        .await?;
    Ok(StatusCode::OK.into_response())
}

async fn restore_many(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    api.app
        .restore_tickets(ctx.actor, ids_param(&ctx, "ids")?)
        .await?;
    Ok(StatusCode::OK.into_response())
}

async fn destroy_ticket(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let job = api
        .app
        .scrub_tickets(ctx.actor, vec![path_id::<TicketId>(&id)?])
        .await?;
    ok(wire::Keyed("job_status", wire::job(&ctx.base, &job)))
}

async fn destroy_many(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let job = api
        .app
        .scrub_tickets(ctx.actor, ids_param(&ctx, "ids")?)
        .await?;
    ok(wire::Keyed("job_status", wire::job(&ctx.base, &job)))
}

async fn users(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let (listed, paged) = api.app.deleted_users(ctx.actor, ctx.paging()?).await?;
    let ids = bounds(&listed, |u| u.id.0);
    ok(wire::page(
        &ctx,
        "deleted_users",
        listed.iter().map(|u| wire::user(&ctx.base, u)).collect(),
        &paged,
        ids,
    ))
}

async fn count_users(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let n = api.app.deleted_user_count(ctx.actor).await?;
    ok(wire::count(n))
}

async fn show_user(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let u = api
        .app
        .deleted_user(ctx.actor, path_id::<UserId>(&id)?)
        .await?;
    ok(wire::Keyed("deleted_user", wire::user(&ctx.base, &u)))
}

async fn destroy_user(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let u = api
        .app
        .scrub_user(ctx.actor, path_id::<UserId>(&id)?)
        .await?;
    ok(wire::Keyed("deleted_user", wire::user(&ctx.base, &u)))
}

/// atiende's own: a deleted user made active again, as a ticket is restored.
async fn restore_user(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let u = api
        .app
        .restore_user(ctx.actor, path_id::<UserId>(&id)?)
        .await?;
    ok(wire::Keyed("user", wire::user(&ctx.base, &u)))
}
