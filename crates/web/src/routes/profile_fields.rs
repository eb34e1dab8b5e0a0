//! Custom fields on users and organizations: `/api/v2/user_fields` and
//! `/api/v2/organization_fields` (list, create, show, update, delete,
//! reorder), one set of handlers for both owners.

use super::{created, no_content, ok, path_id};
use crate::Api;
use crate::body::JsonBody;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::input::{self, Fields};
use crate::wire;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::{get, put};
use domain::ProfileFieldId;
use domain::field::FieldOwner::{self, Organization, User};

pub fn routes() -> Router<Api> {
    Router::new()
        .route(
            "/api/v2/user_fields",
            get(|s: State<Api>, c: Ctx| list(s, c, User))
                .post(|s: State<Api>, c: Ctx, b: JsonBody| create(s, c, b, User)),
        )
        .route(
            "/api/v2/user_fields/reorder",
            put(|s: State<Api>, c: Ctx, b: JsonBody| reorder(s, c, b, User)),
        )
        .route(
            "/api/v2/user_fields/{id}",
            get(|s: State<Api>, c: Ctx, p: Path<String>| show(s, c, p, User))
                .put(|s: State<Api>, c: Ctx, p: Path<String>, b: JsonBody| update(s, c, p, b, User))
                .delete(|s: State<Api>, c: Ctx, p: Path<String>| delete(s, c, p, User)),
        )
        .route(
            "/api/v2/organization_fields",
            get(|s: State<Api>, c: Ctx| list(s, c, Organization))
                .post(|s: State<Api>, c: Ctx, b: JsonBody| create(s, c, b, Organization)),
        )
        .route(
            "/api/v2/organization_fields/reorder",
            put(|s: State<Api>, c: Ctx, b: JsonBody| reorder(s, c, b, Organization)),
        )
        .route(
            "/api/v2/organization_fields/{id}",
            get(|s: State<Api>, c: Ctx, p: Path<String>| show(s, c, p, Organization))
                .put(|s: State<Api>, c: Ctx, p: Path<String>, b: JsonBody| {
                    update(s, c, p, b, Organization)
                })
                .delete(|s: State<Api>, c: Ctx, p: Path<String>| delete(s, c, p, Organization)),
        )
}

/// The key a record is under (`user_field`, `organization_field`).
fn one(owner: FieldOwner) -> &'static str {
    match owner {
        User => "user_field",
        Organization => "organization_field",
    }
}

async fn list(State(api): State<Api>, ctx: Ctx, owner: FieldOwner) -> ApiResult {
    let all = api.app.profile_fields(ctx.actor, owner).await?;
    let list: Vec<_> = all
        .iter()
        .map(|f| wire::profile_field(&ctx.base, f))
        .collect();
    ok(wire::page_whole(
        &ctx,
        wire::profile_fields_path(owner),
        list,
    )?)
}

async fn show(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    owner: FieldOwner,
) -> ApiResult {
    let f = api
        .app
        .profile_field(ctx.actor, owner, path_id::<ProfileFieldId>(&id)?)
        .await?;
    ok(wire::Keyed(one(owner), wire::profile_field(&ctx.base, &f)))
}

async fn create(State(api): State<Api>, ctx: Ctx, body: JsonBody, owner: FieldOwner) -> ApiResult {
    let input = input::profile_field(body.record(one(owner))?)?;
    let f = api
        .app
        .create_profile_field(ctx.actor, owner, input)
        .await?;
    created(wire::Keyed(one(owner), wire::profile_field(&ctx.base, &f)))
}

async fn update(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
    owner: FieldOwner,
) -> ApiResult {
    let input = input::profile_field(body.record(one(owner))?)?;
    let f = api
        .app
        .update_profile_field(ctx.actor, owner, path_id::<ProfileFieldId>(&id)?, input)
        .await?;
    ok(wire::Keyed(one(owner), wire::profile_field(&ctx.base, &f)))
}

async fn delete(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    owner: FieldOwner,
) -> ApiResult {
    api.app
        .delete_profile_field(ctx.actor, owner, path_id::<ProfileFieldId>(&id)?)
        .await?;
    no_content()
}

/// `{"user_field_ids": [...]}` (or `organization_field_ids`): every field once.
async fn reorder(State(api): State<Api>, ctx: Ctx, body: JsonBody, owner: FieldOwner) -> ApiResult {
    let key = format!("{}_ids", one(owner));
    let mut f = Fields::new(&body.0);
    let ids = f.ids(&key);
    let ids = f
        .finish(ids)?
        .ok_or_else(|| ApiError::BadRequest(format!("the body must have a {key:?} list")))?;
    api.app
        .reorder_profile_fields(
            ctx.actor,
            owner,
            ids.into_iter().map(ProfileFieldId).collect(),
        )
        .await?;
    ok(serde_json::json!({}))
}
