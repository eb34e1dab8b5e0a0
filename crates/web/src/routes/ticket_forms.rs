//! Zendesk's ticket forms API: the request forms, their fields and
//! conditions. The rules are `app::ticket_forms`.

use super::{created, no_content, ok, path_id};
use crate::Api;
use crate::body::JsonBody;
use crate::ctx::Ctx;
use crate::error::ApiResult;
use crate::{input, wire};
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/ticket_forms", get(list).post(create))
        .route(
            "/api/v2/ticket_forms/{id}",
            get(one).put(update).delete(remove),
        )
}

async fn list(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let all = api
        .app
        .ticket_forms(domain::policy::reads_internal(&ctx.actor))
        .await?;
    let items: Vec<_> = all
        .iter()
        .map(|f| wire::ticket_form(&ctx.base, f))
        .collect();
    ok(wire::page_whole(&ctx, "ticket_forms", items)?)
}

async fn one(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let f = api
        .app
        .ticket_form(domain::policy::reads_internal(&ctx.actor), path_id(&id)?)
        .await?;
    ok(wire::Keyed("ticket_form", wire::ticket_form(&ctx.base, &f)))
}

async fn create(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let input = input::ticket_form(body.record("ticket_form")?)?;
    let f = api.app.create_ticket_form(ctx.actor, input).await?;
    created(wire::Keyed("ticket_form", wire::ticket_form(&ctx.base, &f)))
}

async fn update(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let input = input::ticket_form(body.record("ticket_form")?)?;
    let f = api
        .app
        .update_ticket_form(ctx.actor, path_id(&id)?, input)
        .await?;
    ok(wire::Keyed("ticket_form", wire::ticket_form(&ctx.base, &f)))
}

async fn remove(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app.delete_ticket_form(ctx.actor, path_id(&id)?).await?;
    no_content()
}
