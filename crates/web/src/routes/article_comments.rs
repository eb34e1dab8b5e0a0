//! Article comments (Zendesk's Help Center article comments API): an
//! article's comments for whoever may read it (`start_time` narrows them),
//! a person's, one; written by signed-in readers
//! (`{"comment": {"body", "locale"}}`), changed or deleted by their author
//! or an article writer; voted on up or down.

use super::{bounds, created, no_content, ok, path_id};
use crate::Api;
use crate::body::JsonBody;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::wire;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use domain::model::VoteValue;
use domain::{ArticleCommentId, ArticleId, Timestamp, UserId};
use serde_json::Value as Json;

pub fn routes() -> Router<Api> {
    Router::new()
        .route(
            "/api/v2/help_center/articles/{id}/comments",
            get(list).post(write),
        )
        .route(
            "/api/v2/help_center/articles/{id}/comments/{comment}",
            get(show).put(edit).delete(remove),
        )
        .route(
            "/api/v2/help_center/articles/{id}/comments/{comment}/votes",
            get(votes),
        )
        .route(
            "/api/v2/help_center/articles/{id}/comments/{comment}/up",
            post(up),
        )
        .route(
            "/api/v2/help_center/articles/{id}/comments/{comment}/down",
            post(down),
        )
        .route("/api/v2/help_center/users/{id}/comments", get(by_user))
}

/// The comment's body from `{"comment": {"body": …}}`.
fn body_of(body: &JsonBody) -> Result<(String, Option<String>), ApiError> {
    let m = body.record("comment")?;
    let text = match m.get("body") {
        Some(Json::String(s)) => s.clone(),
        _ => return Err(ApiError::BadRequest("comment.body must be text".into())),
    };
    let locale = m.get("locale").and_then(Json::as_str).map(str::to_string);
    Ok((text, locale))
}

fn page(ctx: &Ctx, listed: &[domain::article_comment::ArticleComment], paged: &app::Paged) -> Json {
    let items = listed
        .iter()
        .map(|m| wire::article_comment(&ctx.base, m))
        .collect();
    wire::page(ctx, "comments", items, paged, bounds(listed, |m| m.id.0))
}

async fn list(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let since = Timestamp(ctx.epoch("start_time")?.unwrap_or(0));
    let (listed, paged) = api
        .app
        .article_comments(ctx.actor, path_id::<ArticleId>(&id)?, since, ctx.paging()?)
        .await?;
    ok(page(&ctx, &listed, &paged))
}

async fn by_user(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let (listed, paged) = api
        .app
        .user_article_comments(ctx.actor, path_id::<UserId>(&id)?, ctx.paging()?)
        .await?;
    ok(page(&ctx, &listed, &paged))
}

async fn show(
    State(api): State<Api>,
    ctx: Ctx,
    Path((id, comment)): Path<(String, String)>,
) -> ApiResult {
    let m = api
        .app
        .article_comment(
            ctx.actor,
            path_id(&id)?,
            path_id::<ArticleCommentId>(&comment)?,
        )
        .await?;
    ok(wire::Keyed("comment", wire::article_comment(&ctx.base, &m)))
}

async fn write(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let (text, locale) = body_of(&body)?;
    let locale = locale.or_else(|| ctx.param("locale").map(str::to_string));
    let m = api
        .app
        .comment_on_article(ctx.actor, path_id(&id)?, locale.as_deref(), &text)
        .await?;
    created(wire::Keyed("comment", wire::article_comment(&ctx.base, &m)))
}

async fn edit(
    State(api): State<Api>,
    ctx: Ctx,
    Path((id, comment)): Path<(String, String)>,
    body: JsonBody,
) -> ApiResult {
    let (text, _) = body_of(&body)?;
    let m = api
        .app
        .edit_article_comment(ctx.actor, path_id(&id)?, path_id(&comment)?, &text)
        .await?;
    ok(wire::Keyed("comment", wire::article_comment(&ctx.base, &m)))
}

async fn remove(
    State(api): State<Api>,
    ctx: Ctx,
    Path((id, comment)): Path<(String, String)>,
) -> ApiResult {
    api.app
        .delete_article_comment(ctx.actor, path_id(&id)?, path_id(&comment)?)
        .await?;
    no_content()
}

async fn votes(
    State(api): State<Api>,
    ctx: Ctx,
    Path((id, comment)): Path<(String, String)>,
) -> ApiResult {
    let article = path_id::<ArticleId>(&id)?;
    let all = api
        .app
        .comment_votes(ctx.actor, article, path_id(&comment)?)
        .await?;
    let items: Vec<_> = all
        .iter()
        .map(|v| wire::comment_vote(&ctx.base, article.0, v))
        .collect();
    ok(wire::page_whole(&ctx, "votes", items)?)
}

async fn cast(api: &Api, ctx: &Ctx, id: &str, comment: &str, value: VoteValue) -> ApiResult {
    let article = path_id::<ArticleId>(id)?;
    let v = api
        .app
        .vote_on_comment(ctx.actor, article, path_id(comment)?, value)
        .await?;
    ok(wire::Keyed(
        "vote",
        wire::comment_vote(&ctx.base, article.0, &v),
    ))
}

async fn up(State(api): State<Api>, ctx: Ctx, Path((id, c)): Path<(String, String)>) -> ApiResult {
    cast(&api, &ctx, &id, &c, VoteValue::Up).await
}

async fn down(
    State(api): State<Api>,
    ctx: Ctx,
    Path((id, c)): Path<(String, String)>,
) -> ApiResult {
    cast(&api, &ctx, &id, &c, VoteValue::Down).await
}
