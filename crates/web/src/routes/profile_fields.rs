//! Custom fields on users and organizations: `/api/v2/user_fields` and
//! `/api/v2/organization_fields` (list, create, show, update, delete,
//! reorder, and a dropdown's options one at a time), one set of handlers
//! for both owners.

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
        .merge(options())
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

/// A dropdown's options one at a time, for both owners (the paths are
/// written out: the route table test reads them from here).
fn options() -> Router<Api> {
    Router::new()
        .route(
            "/api/v2/user_fields/{id}/options",
            get(|s: State<Api>, c: Ctx, p: Path<String>| list_options(s, c, p, User)).post(
                |s: State<Api>, c: Ctx, p: Path<String>, b: JsonBody| save_option(s, c, p, b, User),
            ),
        )
        .route(
            "/api/v2/user_fields/{id}/options/{option}",
            get(|s: State<Api>, c: Ctx, p: Path<(String, String)>| show_option(s, c, p, User))
                .delete(|s: State<Api>, c: Ctx, p: Path<(String, String)>| {
                    delete_option(s, c, p, User)
                }),
        )
        .route(
            "/api/v2/organization_fields/{id}/options",
            get(|s: State<Api>, c: Ctx, p: Path<String>| list_options(s, c, p, Organization)).post(
                |s: State<Api>, c: Ctx, p: Path<String>, b: JsonBody| {
                    save_option(s, c, p, b, Organization)
                },
            ),
        )
        .route(
            "/api/v2/organization_fields/{id}/options/{option}",
            get(|s: State<Api>, c: Ctx, p: Path<(String, String)>| {
                show_option(s, c, p, Organization)
            })
            .delete(|s: State<Api>, c: Ctx, p: Path<(String, String)>| {
                delete_option(s, c, p, Organization)
            }),
        )
}

async fn list_options(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    owner: FieldOwner,
) -> ApiResult {
    let f = api
        .app
        .profile_field(ctx.actor, owner, path_id::<ProfileFieldId>(&id)?)
        .await?;
    let list = wire::field_options(f.field_type, &f.options).unwrap_or_default();
    ok(wire::page_whole(&ctx, "custom_field_options", list)?)
}

async fn show_option(
    State(api): State<Api>,
    ctx: Ctx,
    Path((id, option)): Path<(String, String)>,
    owner: FieldOwner,
) -> ApiResult {
    let f = api
        .app
        .profile_field(ctx.actor, owner, path_id::<ProfileFieldId>(&id)?)
        .await?;
    let list = wire::field_options(f.field_type, &f.options).unwrap_or_default();
    let one = list
        .into_iter()
        .find(|o| option.parse() == Ok(o.id))
        .ok_or(ApiError::App(app::AppError::NotFound))?;
    ok(wire::Keyed("custom_field_option", one))
}

/// `{"custom_field_option": {"id"?, "name", "value"}}`: 201 for a new
/// option, 200 for a changed one.
async fn save_option(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
    owner: FieldOwner,
) -> ApiResult {
    let mut f = Fields::new(body.record("custom_field_option")?);
    let input = app::profile_field_options::OptionInput {
        id: f.int("id"),
        name: f.string("name").unwrap_or_default(),
        value: f.string("value").unwrap_or_default(),
    };
    let input = f.finish(input)?;
    let (option, new) = api
        .app
        .save_field_option(ctx.actor, owner, path_id::<ProfileFieldId>(&id)?, input)
        .await?;
    let shown = wire::field_options(domain::FieldType::Tagger, std::slice::from_ref(&option))
        .unwrap_or_default()
        .pop();
    let body = wire::Keyed("custom_field_option", shown);
    if new { created(body) } else { ok(body) }
}

async fn delete_option(
    State(api): State<Api>,
    ctx: Ctx,
    Path((id, option)): Path<(String, String)>,
    owner: FieldOwner,
) -> ApiResult {
    let option: i64 = option
        .parse()
        .map_err(|_| ApiError::App(app::AppError::NotFound))?;
    api.app
        .delete_field_option(ctx.actor, owner, path_id::<ProfileFieldId>(&id)?, option)
        .await?;
    no_content()
}
