//! The Help Center API's article attachments (Zendesk's shapes): files an
//! article's readers may list and read, its writers attach and delete.

use super::{created, no_content, ok, path_id};
use crate::Api;
use crate::body::MultipartForm;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::wire;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use serde_json::json;

pub fn routes() -> Router<Api> {
    Router::new()
        .route(
            "/api/v2/help_center/articles/{id}/attachments",
            get(article_files::<ALL>).post(attach_file),
        )
        .route(
            "/api/v2/help_center/articles/{id}/attachments/inline",
            get(article_files::<INLINE>),
        )
        .route(
            "/api/v2/help_center/articles/{id}/attachments/block",
            get(article_files::<BLOCK>),
        )
        .route(
            "/api/v2/help_center/articles/{article}/attachments/{id}",
            get(article_file_of),
        )
        .route(
            "/api/v2/help_center/articles/attachments/{id}",
            get(article_file).delete(delete_article_file),
        )
}

/// Which of an article's files a list route names.
const ALL: u8 = 0;
const INLINE: u8 = 1;
const BLOCK: u8 = 2;

async fn article_files<const W: u8>(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> ApiResult {
    let inline = match W {
        ALL => None,
        INLINE => Some(true),
        _ => Some(false),
    };
    let files = api
        .app
        .article_files(ctx.actor, path_id(&id)?, inline)
        .await?;
    let list: Vec<_> = files
        .iter()
        .map(|f| wire::article_attachment(&ctx.base, f))
        .collect();
    ok(json!({ "article_attachments": list }))
}

/// `POST articles/{id}/attachments`, multipart: `file`, and `inline`
/// (`true` for an image shown in the body).
async fn attach_file(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    req: axum::extract::Request,
) -> ApiResult {
    let limit = api.app.limits.max_upload_bytes + MULTIPART_OVERHEAD;
    let form = MultipartForm::read(req, limit).await?;
    let inline = form
        .field("inline")
        .is_some_and(|v| v == "true" || v == "1");
    let (name, data) = form.file.unwrap_or_default();
    let f = api
        .app
        .attach_to_article(ctx.actor, path_id(&id)?, &name, data, inline)
        .await?;
    created(wire::Keyed(
        "article_attachment",
        wire::article_attachment(&ctx.base, &f),
    ))
}

/// Room for a multipart body's boundaries and headers beyond the file.
const MULTIPART_OVERHEAD: usize = 64 * 1024;

async fn article_file(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let f = api.app.article_file(ctx.actor, path_id(&id)?).await?;
    ok(wire::Keyed(
        "article_attachment",
        wire::article_attachment(&ctx.base, &f),
    ))
}

/// The same file named under its article; another article's id is a 404.
async fn article_file_of(
    State(api): State<Api>,
    ctx: Ctx,
    Path((article, id)): Path<(String, String)>,
) -> ApiResult {
    let article: domain::ArticleId = path_id(&article)?;
    let f = api.app.article_file(ctx.actor, path_id(&id)?).await?;
    if f.article != article {
        return Err(ApiError::App(app::AppError::NotFound));
    }
    ok(wire::Keyed(
        "article_attachment",
        wire::article_attachment(&ctx.base, &f),
    ))
}

async fn delete_article_file(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> ApiResult {
    api.app
        .delete_article_file(ctx.actor, path_id(&id)?)
        .await?;
    no_content()
}
