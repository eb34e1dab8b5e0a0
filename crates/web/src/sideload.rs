//! Zendesk's sideloads: `include=users,groups,organizations` on tickets,
//! and `include=identities,groups,organizations` on users, adds beside
//! them each record they name once, as far as the caller may see it — so
//! a sync reads a page of tickets and their people, or of people and their
//! addresses, in one request.

use crate::Api;
use crate::ctx::Ctx;
use crate::error::ApiError;
use crate::wire;
use domain::model::{Ticket, User};
use domain::{GroupId, OrgId, UserId};
use serde_json::{Map, Value as Json};

/// What `include` asks for, of what these records can sideload.
fn asked(ctx: &Ctx, offered: [&'static str; 3]) -> Vec<&'static str> {
    let raw = ctx.param("include").unwrap_or("");
    offered
        .into_iter()
        .filter(|k| raw.split(',').any(|p| p.trim() == *k))
        .collect()
}

fn json(record: impl serde::Serialize) -> Json {
    serde_json::to_value(record).unwrap_or_default()
}

fn unique<T: Ord + Copy>(ids: impl Iterator<Item = T>) -> Vec<T> {
    let mut v: Vec<T> = ids.collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Adds the sideloads `include` asks for to `body`.
pub async fn tickets(
    api: &Api,
    ctx: &Ctx,
    tickets: &[Ticket],
    body: &mut Map<String, Json>,
) -> Result<(), ApiError> {
    for kind in asked(ctx, ["users", "groups", "organizations"]) {
        let records: Vec<Json> = match kind {
            "users" => {
                let ids: Vec<UserId> = unique(tickets.iter().flat_map(|t| {
                    [Some(t.requester_id), Some(t.submitter_id), t.assignee_id]
                        .into_iter()
                        .flatten()
                        .chain(t.collaborator_ids.iter().copied())
                }));
                api.app
                    .users_by_ids(ctx.actor, &ids)
                    .await?
                    .iter()
                    .map(|u| serde_json::to_value(wire::user(&ctx.base, u)).unwrap_or_default())
                    .collect()
            }
            "groups" if ctx.actor.is_staff() => {
                let ids: Vec<GroupId> = unique(tickets.iter().filter_map(|t| t.group_id));
                let mut out = Vec::with_capacity(ids.len());
                for id in ids {
                    if let Ok(g) = api.app.group(ctx.actor, id).await {
                        out.push(
                            serde_json::to_value(wire::group(&ctx.base, &g)).unwrap_or_default(),
                        );
                    }
                }
                out
            }
            "organizations" => {
                let ids: Vec<OrgId> = unique(tickets.iter().filter_map(|t| t.organization_id));
                api.app
                    .orgs_by_ids(ctx.actor, &ids)
                    .await?
                    .iter()
                    .map(|o| serde_json::to_value(wire::org(&ctx.base, o)).unwrap_or_default())
                    .collect()
            }
            _ => Vec::new(),
        };
        body.insert(kind.into(), Json::Array(records));
    }
    Ok(())
}

/// Adds the sideloads `include` asks for to a body of users.
pub async fn users(
    api: &Api,
    ctx: &Ctx,
    users: &[User],
    body: &mut Map<String, Json>,
) -> Result<(), ApiError> {
    let ids: Vec<UserId> = users.iter().map(|u| u.id).collect();
    for kind in asked(ctx, ["identities", "groups", "organizations"]) {
        let records: Vec<Json> = match kind {
            "identities" => api
                .app
                .identities_of_users(ctx.actor, &ids)
                .await?
                .iter()
                .map(|i| json(wire::identity(&ctx.base, i)))
                .collect(),
            "groups" if ctx.actor.is_staff() => api
                .app
                .groups_of_users(ctx.actor, &ids)
                .await?
                .iter()
                .map(|g| json(wire::group(&ctx.base, g)))
                .collect(),
            "organizations" => {
                let orgs: Vec<OrgId> = unique(users.iter().filter_map(|u| u.organization_id));
                api.app
                    .orgs_by_ids(ctx.actor, &orgs)
                    .await?
                    .iter()
                    .map(|o| json(wire::org(&ctx.base, o)))
                    .collect()
            }
            _ => Vec::new(),
        };
        body.insert(kind.into(), Json::Array(records));
    }
    Ok(())
}

/// A body of users with the sideloads `include` asks for.
pub async fn with_users(
    api: &Api,
    ctx: &Ctx,
    users: &[User],
    body: Json,
) -> Result<Json, ApiError> {
    let mut body = match body {
        Json::Object(m) => m,
        _ => Map::new(),
    };
    self::users(api, ctx, users, &mut body).await?;
    Ok(Json::Object(body))
}
