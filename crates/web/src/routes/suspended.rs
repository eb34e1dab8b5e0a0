//! `/suspended_tickets`: mail held instead of becoming tickets (admins).

use super::{ids_param, no_content, ok, path_id};
use crate::Api;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::wire;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::{delete, get, put};
use serde_json::{Value as Json, json};

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/suspended_tickets", get(list))
        .route("/api/v2/suspended_tickets/recover_many", put(recover_many))
        .route(
            "/api/v2/suspended_tickets/destroy_many",
            delete(destroy_many),
        )
        .route("/api/v2/suspended_tickets/{id}", get(show).delete(destroy))
        .route("/api/v2/suspended_tickets/{id}/recover", put(recover))
}

/// Newest first, paged by `before_id` (offset-style links) or by cursor
/// (`page[size]`, `page[after]` for older, `page[before]` for newer).
async fn list(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    if let app::Paging::Cursor {
        after,
        before,
        size,
    } = ctx.paging()?
    {
        let mut items = api
            .app
            .suspended_messages(ctx.actor, after, before, size + 1)
            .await?;
        let extra = items.len() as i64 > size;
        // The row past the page is the oldest going on, the newest going back.
        if extra && before.is_some() {
            items.remove(0);
        } else {
            items.truncate(size as usize);
        }
        let paged = app::Paged {
            ids: vec![],
            count: None,
            has_more: if before.is_some() { true } else { extra },
            has_prev: if before.is_some() {
                extra
            } else {
                after.is_some()
            },
        };
        let ids = super::bounds(&items, |m| m.id.0);
        return ok(wire::page(
            &ctx,
            "suspended_tickets",
            items
                .iter()
                .map(|m| wire::suspended_ticket(&ctx.base, m))
                .collect(),
            &paged,
            ids,
        ));
    }
    let per_page = ctx.int("per_page")?.unwrap_or(100).clamp(1, 100);
    let before = ctx.int("before_id")?;
    let mut items = api
        .app
        .suspended_messages(ctx.actor, before, None, per_page + 1)
        .await?;
    let more = items.len() as i64 > per_page;
    items.truncate(per_page as usize);
    let next = match (more, items.last()) {
        (true, Some(last)) => json!(ctx.link(&[("before_id", last.id.to_string())])),
        _ => Json::Null,
    };
    let count = items.len();
    ok(json!({
        "suspended_tickets": items.iter().map(|m| wire::suspended_ticket(&ctx.base, m)).collect::<Vec<_>>(),
        "next_page": next,
        "previous_page": null,
        "count": count,
    }))
}

async fn show(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let m = api.app.suspended_message(ctx.actor, path_id(&id)?).await?;
    ok(json!({"suspended_ticket": wire::suspended_ticket(&ctx.base, &m)}))
}

async fn tickets_json(
    api: &Api,
    ctx: &Ctx,
    ids: Vec<domain::TicketId>,
) -> Result<Vec<Json>, ApiError> {
    let fields = api.app.fields_for_display().await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let t = api.app.ticket(ctx.actor, id).await?;
        out.push(json!(wire::ticket(&ctx.base, &t, &fields)));
    }
    Ok(out)
}

async fn recover(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let t = api.app.recover_suspended(ctx.actor, path_id(&id)?).await?;
    let mut tickets = tickets_json(&api, &ctx, vec![t]).await?;
    ok(json!({"ticket": tickets.pop()}))
}

async fn recover_many(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let ids = ids_param(&ctx, "ids")?;
    let recovered = api.app.recover_suspended_many(ctx.actor, &ids).await?;
    ok(json!({"tickets": tickets_json(&api, &ctx, recovered).await?}))
}

async fn destroy(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app.delete_suspended(ctx.actor, path_id(&id)?).await?;
    no_content()
}

async fn destroy_many(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let ids = ids_param(&ctx, "ids")?;
    api.app.delete_suspended_many(ctx.actor, &ids).await?;
    no_content()
}
