//! `/uploads` (raw bytes in, token out) and `/attachments`.

use super::{created, no_content, ok, path_id};
use crate::Api;
use crate::body::read_limited;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::wire;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::routing::{delete, get, post};
use domain::AttachmentId;
use serde_json::json;

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/uploads", post(upload))
        .route("/api/v2/uploads/{token}", delete(remove))
        .route("/api/v2/attachments/{id}", get(show))
        .route("/api/v2/attachments/{id}/content", get(content))
}

/// The body is the file, never JSON, whatever the content type says.
async fn upload(State(api): State<Api>, ctx: Ctx, headers: HeaderMap, body: Body) -> ApiResult {
    let name = ctx
        .param("filename")
        .ok_or_else(|| ApiError::BadRequest("filename is required".into()))?
        .to_string();
    let data = read_limited(body, api.app.limits.max_upload_bytes).await?;
    let given = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let (token, a) = api
        .app
        .upload(
            ctx.actor,
            &name,
            given,
            data,
            ctx.param("token").map(str::to_string),
        )
        .await?;
    let att = json!(wire::attachment(&ctx.base, &a));
    created(
        json!({"upload": {"token": token, "expires_at": a.expires_at.to_iso(), "attachment": att.clone(), "attachments": [att]}}),
    )
}

async fn remove(State(api): State<Api>, ctx: Ctx, Path(token): Path<String>) -> ApiResult {
    api.app.delete_upload(ctx.actor, token).await?;
    no_content()
}

async fn show(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let (a, _) = api
        .app
        .attachment(ctx.actor, path_id::<AttachmentId>(&id)?)
        .await?;
    ok(wire::Keyed("attachment", wire::attachment(&ctx.base, &a)))
}

/// Serves the bytes as a download, never rendered inline by a browser.
async fn content(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let (a, data) = api
        .app
        .attachment(ctx.actor, path_id::<AttachmentId>(&id)?)
        .await?;
    Ok(crate::error::download(&a, data))
}
