//! `/organizations`, `/groups` and `/group_memberships`.

use super::{bounds, created, ids_param, no_content, ok, path_id};
use crate::Api;
use crate::body::JsonBody;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::{input, wire};
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use domain::{GroupId, MembershipId, OrgId, UserId};
use serde_json::json;

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/organizations", get(list).post(create))
        .route("/api/v2/organizations/search", get(search))
        .route("/api/v2/organizations/autocomplete", get(autocomplete))
        .route("/api/v2/organizations/show_many", get(show_many))
        .route(
            "/api/v2/organizations/{id}",
            get(show).put(update).delete(destroy),
        )
        .route("/api/v2/groups", get(groups).post(create_group))
        .route("/api/v2/groups/assignable", get(groups))
        .route(
            "/api/v2/groups/{id}",
            get(group).put(update_group).delete(delete_group),
        )
        .route("/api/v2/groups/{id}/memberships", get(group_memberships))
        .route("/api/v2/users/{id}/groups", get(user_groups))
        .route(
            "/api/v2/users/{id}/group_memberships",
            get(user_memberships),
        )
        .route(
            "/api/v2/group_memberships",
            get(memberships).post(add_membership),
        )
        .route(
            "/api/v2/group_memberships/{id}",
            get(membership).delete(remove_membership),
        )
        .route(
            "/api/v2/organization_memberships",
            get(org_memberships).post(add_org_membership),
        )
        .route(
            "/api/v2/organization_memberships/{id}",
            get(org_membership).delete(remove_org_membership),
        )
        .route(
            "/api/v2/organizations/{id}/organization_memberships",
            get(memberships_of_org),
        )
        .route(
            "/api/v2/users/{id}/organization_memberships",
            get(memberships_of_user),
        )
}

async fn create(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let o = api
        .app
        .create_org(ctx.actor, input::org(body.record("organization")?)?)
        .await?;
    created(wire::Keyed("organization", wire::org(&ctx.base, &o)))
}

async fn update(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let o = api
        .app
        .update_org(
            ctx.actor,
            path_id::<OrgId>(&id)?,
            input::org(body.record("organization")?)?,
        )
        .await?;
    ok(wire::Keyed("organization", wire::org(&ctx.base, &o)))
}

async fn destroy(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app
        .delete_org(ctx.actor, path_id::<OrgId>(&id)?)
        .await?;
    no_content()
}

async fn show(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let o = api.app.org(ctx.actor, path_id::<OrgId>(&id)?).await?;
    ok(wire::Keyed("organization", wire::org(&ctx.base, &o)))
}

async fn show_many(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let ids = ids_param(&ctx, "ids")?;
    let os = api.app.orgs_by_ids(ctx.actor, &ids).await?;
    ok(
        json!({"organizations": os.iter().map(|o| wire::org(&ctx.base, o)).collect::<Vec<_>>(), "next_page": null, "previous_page": null, "count": os.len()}),
    )
}

async fn list(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let (os, paged) = api.app.list_orgs(ctx.actor, ctx.paging()?).await?;
    let ids = bounds(&os, |o| o.id.0);
    ok(wire::page(
        &ctx,
        "organizations",
        os.iter().map(|o| wire::org(&ctx.base, o)).collect(),
        &paged,
        ids,
    ))
}

/// `organizations/autocomplete?name=`: those whose name begins so.
async fn autocomplete(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let os = api
        .app
        .autocomplete_orgs(ctx.actor, ctx.param("name").unwrap_or(""))
        .await?;
    let list: Vec<_> = os.iter().map(|o| wire::org(&ctx.base, o)).collect();
    ok(wire::page_whole(&ctx, "organizations", list)?)
}

async fn search(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let os = api
        .app
        .find_orgs(ctx.actor, ctx.param("external_id"), ctx.param("name"))
        .await?;
    ok(
        json!({"organizations": os.iter().map(|o| wire::org(&ctx.base, o)).collect::<Vec<_>>(), "next_page": null, "previous_page": null, "count": os.len()}),
    )
}

fn group_fields(body: &JsonBody) -> Result<(Option<String>, Option<String>), ApiError> {
    let mut f = input::Fields::new(body.record("group")?);
    let name = f.string("name");
    let description = f.string("description");
    f.finish((name, description))
}

async fn create_group(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let (name, description) = group_fields(&body)?;
    let g = api
        .app
        .create_group(ctx.actor, name.unwrap_or_default(), description)
        .await?;
    created(wire::Keyed("group", wire::group(&ctx.base, &g)))
}

async fn update_group(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let (name, description) = group_fields(&body)?;
    let g = api
        .app
        .update_group(ctx.actor, path_id::<GroupId>(&id)?, name, description)
        .await?;
    ok(wire::Keyed("group", wire::group(&ctx.base, &g)))
}

async fn delete_group(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app
        .delete_group(ctx.actor, path_id::<GroupId>(&id)?)
        .await?;
    no_content()
}

async fn group(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let g = api.app.group(ctx.actor, path_id::<GroupId>(&id)?).await?;
    ok(wire::Keyed("group", wire::group(&ctx.base, &g)))
}

async fn list_groups(api: &Api, ctx: &Ctx, user: Option<UserId>) -> ApiResult {
    let (gs, paged) = api.app.list_groups(ctx.actor, user, ctx.paging()?).await?;
    let ids = bounds(&gs, |g| g.id.0);
    ok(wire::page(
        ctx,
        "groups",
        gs.iter().map(|g| wire::group(&ctx.base, g)).collect(),
        &paged,
        ids,
    ))
}

async fn groups(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    list_groups(&api, &ctx, None).await
}

async fn user_groups(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    list_groups(&api, &ctx, Some(path_id::<UserId>(&id)?)).await
}

async fn list_memberships(
    api: &Api,
    ctx: &Ctx,
    group: Option<GroupId>,
    user: Option<UserId>,
) -> ApiResult {
    let (ms, paged) = api
        .app
        .list_memberships(ctx.actor, group, user, ctx.paging()?)
        .await?;
    let ids = bounds(&ms, |m| m.id.0);
    ok(wire::page(
        ctx,
        "group_memberships",
        ms.iter().map(|m| wire::membership(&ctx.base, m)).collect(),
        &paged,
        ids,
    ))
}

async fn memberships(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    list_memberships(&api, &ctx, None, None).await
}

async fn group_memberships(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    list_memberships(&api, &ctx, Some(path_id::<GroupId>(&id)?), None).await
}

async fn user_memberships(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    list_memberships(&api, &ctx, None, Some(path_id::<UserId>(&id)?)).await
}

async fn add_membership(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let mut f = input::Fields::new(body.record("group_membership")?);
    let user = f.id("user_id").flatten();
    let group = f.id("group_id").flatten();
    let default = f.boolean("default").unwrap_or(false);
    f.finish(())?;
    let (Some(user), Some(group)) = (user, group) else {
        return Err(ApiError::App(app::AppError::field(app::FieldError::blank(
            "user_id and group_id",
        ))));
    };
    let m = api
        .app
        .add_membership(ctx.actor, UserId(user), GroupId(group), default)
        .await?;
    created(wire::Keyed(
        "group_membership",
        wire::membership(&ctx.base, &m),
    ))
}

async fn membership(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let m = api
        .app
        .membership(ctx.actor, path_id::<MembershipId>(&id)?)
        .await?;
    ok(wire::Keyed(
        "group_membership",
        wire::membership(&ctx.base, &m),
    ))
}

async fn remove_membership(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app
        .remove_membership(ctx.actor, path_id::<MembershipId>(&id)?)
        .await?;
    no_content()
}

async fn list_org_memberships(
    api: &Api,
    ctx: &Ctx,
    org: Option<OrgId>,
    user: Option<UserId>,
) -> ApiResult {
    let (ms, paged) = api
        .app
        .org_memberships(ctx.actor, org, user, ctx.paging()?)
        .await?;
    let ids = bounds(&ms, |m| m.user.id.0);
    ok(wire::page(
        ctx,
        "organization_memberships",
        ms.iter()
            .map(|m| wire::org_membership(&ctx.base, &m.user))
            .collect(),
        &paged,
        ids,
    ))
}

async fn org_memberships(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    list_org_memberships(&api, &ctx, None, None).await
}

async fn memberships_of_org(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    list_org_memberships(&api, &ctx, Some(path_id::<OrgId>(&id)?), None).await
}

async fn memberships_of_user(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> ApiResult {
    list_org_memberships(&api, &ctx, None, Some(path_id::<UserId>(&id)?)).await
}

async fn org_membership(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let (ms, _) = api
        .app
        .org_memberships(
            ctx.actor,
            None,
            Some(path_id::<UserId>(&id)?),
            app::Paging::Offset {
                page: 1,
                per_page: 1,
            },
        )
        .await?;
    let m = ms.first().ok_or(ApiError::App(app::AppError::NotFound))?;
    ok(wire::Keyed(
        "organization_membership",
        wire::org_membership(&ctx.base, &m.user),
    ))
}

async fn add_org_membership(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let mut f = input::Fields::new(body.record("organization_membership")?);
    let user = f.id("user_id").flatten();
    let org = f.id("organization_id").flatten();
    f.finish(())?;
    let (Some(user), Some(org)) = (user, org) else {
        return Err(ApiError::App(app::AppError::field(app::FieldError::blank(
            "user_id and organization_id",
        ))));
    };
    let m = api
        .app
        .add_org_membership(ctx.actor, UserId(user), OrgId(org))
        .await?;
    created(wire::Keyed(
        "organization_membership",
        wire::org_membership(&ctx.base, &m.user),
    ))
}

async fn remove_org_membership(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> ApiResult {
    api.app
        .remove_org_membership(ctx.actor, path_id::<UserId>(&id)?)
        .await?;
    no_content()
}
