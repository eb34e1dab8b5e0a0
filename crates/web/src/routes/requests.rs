//! Zendesk's Requests API: the end-user's view of their tickets (asked,
//! copied on, their sharing organization's), the public conversation, and
//! replying, copying others in and marking solved. The rules are in
//! `app::requests`.

use super::{bounds, created, ok, path_id};
use crate::Api;
use crate::body::JsonBody;
use crate::ctx::Ctx;
use crate::error::ApiResult;
use crate::{input, wire};
use app::requests::{RequestList, RequestUpdate};
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use domain::Channel;

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/requests", get(all).post(create))
        .route("/api/v2/requests/open", get(open))
        .route("/api/v2/requests/solved", get(solved))
        .route("/api/v2/requests/ccd", get(ccd))
        .route("/api/v2/requests/{id}", get(one).put(update))
        .route("/api/v2/requests/{id}/comments", get(comments))
        .route("/api/v2/requests/{id}/comments/{comment_id}", get(comment))
}

async fn list(api: &Api, ctx: &Ctx, which: RequestList) -> ApiResult {
    let (items, paged) = api.app.requests(ctx.actor, which, ctx.paging()?).await?;
    let ids = bounds(&items, |t| t.id.0);
    ok(wire::page(
        ctx,
        "requests",
        items
            .iter()
            .map(|t| wire::request(&ctx.base, t, ctx.actor.user))
            .collect(),
        &paged,
        ids,
    ))
}

/// `status=solved,closed` lists the finished ones, any other status the
/// unfinished ones, none every request.
async fn all(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let which = match ctx.param("status") {
        None | Some("") => RequestList::All,
        Some(s)
            if s.split(',')
                .all(|x| matches!(x.trim(), "solved" | "closed")) =>
        {
            RequestList::Solved
        }
        Some(_) => RequestList::Open,
    };
    list(&api, &ctx, which).await
}

async fn open(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    list(&api, &ctx, RequestList::Open).await
}

async fn solved(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    list(&api, &ctx, RequestList::Solved).await
}

async fn ccd(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    list(&api, &ctx, RequestList::Ccd).await
}

async fn one(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let t = api.app.request(ctx.actor, path_id(&id)?).await?;
    ok(wire::Keyed(
        "request",
        wire::request(&ctx.base, &t, ctx.actor.user),
    ))
}

async fn create(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let r = input::request(body.record("request")?)?;
    let comment = r.comment.unwrap_or_default();
    let w = api
        .app
        .create_request(ctx.actor, r.subject, comment, r.ccs, Channel::Api)
        .await?;
    created(wire::Keyed(
        "request",
        wire::request(&ctx.base, &w.ticket, ctx.actor.user),
    ))
}

async fn update(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let r = input::request(body.record("request")?)?;
    let update = RequestUpdate {
        comment: r.comment,
        solved: r.solved,
        add_ccs: r.ccs,
    };
    let w = api
        .app
        .update_request(ctx.actor, path_id(&id)?, update, Channel::Api)
        .await?;
    ok(wire::Keyed(
        "request",
        wire::request(&ctx.base, &w.ticket, ctx.actor.user),
    ))
}

async fn comments(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let (items, paged) = api
        .app
        .request_comments(ctx.actor, path_id(&id)?, ctx.paging()?)
        .await?;
    let ids = bounds(&items, |c| c.id.0);
    ok(wire::page(
        &ctx,
        "comments",
        items
            .iter()
            .map(|c| wire::request_comment(&ctx.base, c))
            .collect(),
        &paged,
        ids,
    ))
}

async fn comment(
    State(api): State<Api>,
    ctx: Ctx,
    Path((id, comment_id)): Path<(String, String)>,
) -> ApiResult {
    let wanted: domain::CommentId = path_id(&comment_id)?;
    let c = api
        .app
        .request_comment(ctx.actor, path_id(&id)?, wanted)
        .await?;
    ok(wire::Keyed("comment", wire::request_comment(&ctx.base, &c)))
}
