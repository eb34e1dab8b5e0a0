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

/// What `include` asks for on `records` (`tickets`, `users`), of what
/// they can sideload: plain names (`include=users,groups`) and the names
/// in `records(…)`, the search API's form (`include=tickets(users)`).
fn asked(ctx: &Ctx, records: &str, offered: [&'static str; 3]) -> Vec<&'static str> {
    let raw = ctx.param("include").unwrap_or("");
    // Split at the commas outside parentheses.
    let mut parts = vec![String::new()];
    let mut depth = 0usize;
    for ch in raw.chars() {
        match ch {
            ',' if depth == 0 => parts.push(String::new()),
            _ => {
                if ch == '(' {
                    depth += 1;
                } else if ch == ')' {
                    depth = depth.saturating_sub(1);
                }
                if let Some(p) = parts.last_mut() {
                    p.push(ch);
                }
            }
        }
    }
    let mut names: Vec<String> = Vec::new();
    for part in &parts {
        let part = part.trim();
        match part
            .strip_prefix(records)
            .and_then(|r| r.strip_prefix('('))
            .and_then(|r| r.strip_suffix(')'))
        {
            Some(inner) => names.extend(inner.split(',').map(|n| n.trim().to_string())),
            None => names.push(part.to_string()),
        }
    }
    offered
        .into_iter()
        .filter(|k| names.iter().any(|n| n == k))
        .collect()
}

/// Whether `include` names `name` (`include=metric_sets,users`).
pub fn wants(ctx: &Ctx, name: &str) -> bool {
    ctx.param("include")
        .is_some_and(|raw| raw.split(',').any(|n| n.trim() == name))
}

/// Puts sideloaded records under `kind`, beside any already there (a
/// search's tickets and users may both bring organizations), each once.
fn put(body: &mut Map<String, Json>, kind: &str, records: Vec<Json>) {
    let list = body
        .entry(kind.to_string())
        .or_insert_with(|| Json::Array(vec![]));
    if let Json::Array(have) = list {
        for r in records {
            if !have.iter().any(|h| h["id"] == r["id"]) {
                have.push(r);
            }
        }
    }
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
    for kind in asked(ctx, "tickets", ["users", "groups", "organizations"]) {
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
        put(body, kind, records);
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
    for kind in asked(ctx, "users", ["identities", "groups", "organizations"]) {
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
        put(body, kind, records);
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
