//! How many there are, as Zendesk's `…/count` endpoints answer:
//! `{"count": {"value", "refreshed_at"}}`, counting what the caller may
//! list (tickets, users, organizations, groups).

use super::ok;
use crate::Api;
use crate::ctx::Ctx;
use crate::error::ApiResult;
use crate::wire;
use app::Paging;
use app::tickets::TicketScope;
use axum::Router;
use axum::extract::State;
use axum::routing::get;

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/tickets/count", get(tickets))
        .route("/api/v2/users/count", get(users))
        .route("/api/v2/organizations/count", get(organizations))
        .route("/api/v2/groups/count", get(groups))
}

/// One row's page: the list's total comes with it.
const ONE: Paging = Paging::Offset {
    page: 1,
    per_page: 1,
};

fn count(value: Option<i64>) -> ApiResult {
    ok(wire::count(value.unwrap_or(0)))
}

async fn tickets(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let (_, paged) = api
        .app
        .list_tickets(ctx.actor, TicketScope::All, ONE)
        .await?;
    count(paged.count)
}

async fn users(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let (_, paged) = api.app.list_users(ctx.actor, &[], None, None, ONE).await?;
    count(paged.count)
}

async fn organizations(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let (_, paged) = api.app.list_orgs(ctx.actor, ONE).await?;
    count(paged.count)
}

async fn groups(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let (_, paged) = api.app.list_groups(ctx.actor, None, ONE).await?;
    count(paged.count)
}
