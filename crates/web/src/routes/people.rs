//! `/users`, identities and `/users/me`.

use super::{bounds, created, ids_param, no_content, ok, path_id};
use crate::Api;
use crate::body::JsonBody;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::{input, sideload, wire};
use app::users::IdentityChange;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::{get, post, put};
use domain::{IdentityId, IdentityKind, Role, UserId};
use serde_json::{Value as Json, json};

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/users/me", get(me))
        .route("/api/v2/users", get(list).post(create))
        .route("/api/v2/users/search", get(search))
        .route("/api/v2/users/autocomplete", get(autocomplete))
        .route("/api/v2/users/show_many", get(show_many))
        .route("/api/v2/users/create_or_update", post(create_or_update))
        .route("/api/v2/users/create_many", post(create_many))
        .route("/api/v2/users/{id}", get(show).put(update).delete(destroy))
        .route(
            "/api/v2/users/{id}/identities",
            get(identities).post(add_identity),
        )
        .route(
            "/api/v2/users/{id}/identities/{iid}",
            get(identity).delete(delete_identity),
        )
        .route(
            "/api/v2/users/{id}/identities/{iid}/make_primary",
            put(make_primary),
        )
        .route("/api/v2/users/{id}/identities/{iid}/verify", put(verify))
        .route("/api/v2/organizations/{id}/users", get(org_users))
        .route("/api/v2/groups/{id}/users", get(group_users))
}

async fn me(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let u = api.app.user(ctx.actor, ctx.actor.user).await?;
    ok(wire::Keyed("user", wire::user(&ctx.base, &u)))
}

async fn create(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let u = api
        .app
        .create_user(ctx.actor, input::user(body.record("user")?)?)
        .await?;
    created(wire::Keyed("user", wire::user(&ctx.base, &u)))
}

async fn create_or_update(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let (u, was_created) = api
        .app
        .create_or_update_user(ctx.actor, input::user(body.record("user")?)?)
        .await?;
    let body = json!({"user": wire::user(&ctx.base, &u)});
    if was_created { created(body) } else { ok(body) }
}

async fn show(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let u = api.app.user(ctx.actor, path_id::<UserId>(&id)?).await?;
    let body = json!({"user": wire::user(&ctx.base, &u)});
    ok(sideload::with_users(&api, &ctx, std::slice::from_ref(&u), body).await?)
}

async fn update(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let u = api
        .app
        .update_user(
            ctx.actor,
            path_id::<UserId>(&id)?,
            input::user(body.record("user")?)?,
        )
        .await?;
    ok(wire::Keyed("user", wire::user(&ctx.base, &u)))
}

async fn destroy(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let u = api
        .app
        .delete_user(ctx.actor, path_id::<UserId>(&id)?)
        .await?;
    ok(wire::Keyed("user", wire::user(&ctx.base, &u)))
}

async fn show_many(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let ids = ids_param(&ctx, "ids")?;
    let users = api.app.users_by_ids(ctx.actor, &ids).await?;
    let body = json!({"users": users.iter().map(|u| wire::user(&ctx.base, u)).collect::<Vec<_>>(), "next_page": null, "previous_page": null, "count": users.len()});
    ok(sideload::with_users(&api, &ctx, &users, body).await?)
}

async fn list_users(
    api: &Api,
    ctx: &Ctx,
    org: Option<domain::OrgId>,
    group: Option<domain::GroupId>,
) -> ApiResult {
    let mut roles = ctx.params_all("role");
    roles.extend(ctx.params_all("role[]"));
    let roles = roles
        .iter()
        .map(|r| {
            r.parse::<Role>()
                .map_err(|e| ApiError::BadRequest(e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let (users, paged) = api
        .app
        .list_users(ctx.actor, &roles, org, group, ctx.paging()?)
        .await?;
    let ids = bounds(&users, |u| u.id.0);
    let body = wire::page(
        ctx,
        "users",
        users.iter().map(|u| wire::user(&ctx.base, u)).collect(),
        &paged,
        ids,
    );
    ok(sideload::with_users(api, ctx, &users, body).await?)
}

async fn list(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    list_users(&api, &ctx, None, None).await
}

async fn org_users(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    list_users(&api, &ctx, Some(path_id::<domain::OrgId>(&id)?), None).await
}

async fn group_users(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    list_users(&api, &ctx, None, Some(path_id::<domain::GroupId>(&id)?)).await
}

async fn search(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let users = api
        .app
        .search_users(ctx.actor, ctx.param("query"), ctx.param("external_id"))
        .await?;
    let per_page = ctx.int("per_page")?.unwrap_or(100).clamp(1, 100) as usize;
    let page = ctx.page_number()? as usize;
    let total = users.len();
    let shown: Vec<_> = users
        .into_iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .collect();
    let slice: Vec<wire::User> = shown.iter().map(|u| wire::user(&ctx.base, u)).collect();
    let next = (page * per_page < total).then(|| ctx.link(&[("page", (page + 1).to_string())]));
    let prev = (page > 1).then(|| ctx.link(&[("page", (page - 1).to_string())]));
    let body = json!({"users": slice, "next_page": next, "previous_page": prev, "count": total});
    ok(sideload::with_users(&api, &ctx, &shown, body).await?)
}

async fn identities(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let list = api
        .app
        .identities(ctx.actor, path_id::<UserId>(&id)?)
        .await?;
    let list: Vec<_> = list.iter().map(|i| wire::identity(&ctx.base, i)).collect();
    ok(wire::page_whole(&ctx, "identities", list)?)
}

async fn identity(
    State(api): State<Api>,
    ctx: Ctx,
    Path((id, iid)): Path<(String, String)>,
) -> ApiResult {
    let (user, iid): (UserId, i64) = (path_id(&id)?, path_id(&iid)?);
    let list = api.app.identities(ctx.actor, user).await?;
    let i = list
        .iter()
        .find(|i| i.id.0 == iid)
        .ok_or(ApiError::App(app::AppError::NotFound))?;
    ok(wire::Keyed("identity", wire::identity(&ctx.base, i)))
}

async fn add_identity(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let user = path_id::<UserId>(&id)?;
    let rec = body.record("identity")?;
    let mut f = input::Fields::new(rec);
    let kind = f.word::<IdentityKind>("type").flatten();
    let value = f.string("value");
    let verified = f.boolean("verified").unwrap_or(false);
    f.finish(())?;
    let (Some(kind), Some(value)) = (kind, value) else {
        return Err(ApiError::App(app::AppError::field(app::FieldError::blank(
            "type and value",
        ))));
    };
    let i = api
        .app
        .add_identity(ctx.actor, user, kind, &value, verified)
        .await?;
    created(wire::Keyed("identity", wire::identity(&ctx.base, &i)))
}

async fn change(api: &Api, ctx: &Ctx, id: &str, iid: &str, what: IdentityChange) -> ApiResult {
    let i = api
        .app
        .change_identity(
            ctx.actor,
            path_id::<UserId>(id)?,
            path_id::<IdentityId>(iid)?,
            what,
        )
        .await?;
    match i {
        Some(i) => ok(wire::Keyed("identity", wire::identity(&ctx.base, &i))),
        None => no_content(),
    }
}

async fn make_primary(
    State(api): State<Api>,
    ctx: Ctx,
    Path((id, iid)): Path<(String, String)>,
) -> ApiResult {
    let user = path_id::<UserId>(&id)?;
    api.app
        .change_identity(
            ctx.actor,
            user,
            path_id::<IdentityId>(&iid)?,
            IdentityChange::MakePrimary,
        )
        .await?;
    let list = api.app.identities(ctx.actor, user).await?;
    ok(json!({"identities": list.iter().map(|i| wire::identity(&ctx.base, i)).collect::<Vec<_>>()}))
}

async fn verify(
    State(api): State<Api>,
    ctx: Ctx,
    Path((id, iid)): Path<(String, String)>,
) -> ApiResult {
    change(&api, &ctx, &id, &iid, IdentityChange::Verify).await
}

async fn delete_identity(
    State(api): State<Api>,
    ctx: Ctx,
    Path((id, iid)): Path<(String, String)>,
) -> ApiResult {
    change(&api, &ctx, &id, &iid, IdentityChange::Delete).await?;
    no_content()
}

async fn create_many(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let Some(Json::Array(list)) = body.0.get("users") else {
        return Err(ApiError::BadRequest(
            "the body must have a \"users\" list".into(),
        ));
    };
    if list.len() > 100 {
        return Err(ApiError::TooMany("at most 100 users per request".into()));
    }
    let inputs = list
        .iter()
        .map(|u| {
            u.as_object()
                .ok_or_else(|| ApiError::BadRequest("each user must be an object".into()))
                .and_then(input::user)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let job = api.app.create_many_users(ctx.actor, inputs).await?;
    ok(wire::Keyed("job_status", wire::job(&ctx.base, &job)))
}

/// `users/autocomplete?name=`: active people whose name begins so.
async fn autocomplete(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let found = api
        .app
        .autocomplete_users(ctx.actor, ctx.param("name").unwrap_or(""))
        .await?;
    let list: Vec<_> = found.iter().map(|u| wire::user(&ctx.base, u)).collect();
    let body = wire::page_whole(&ctx, "users", list)?;
    ok(sideload::with_users(&api, &ctx, &found, body).await?)
}
