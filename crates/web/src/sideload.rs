//! Zendesk's sideloads: `include=users,groups,organizations` on tickets
//! adds, beside them, each record they name once, as far as the caller
//! may see it — so a sync reads a page of tickets and their people in one
//! request.

use crate::Api;
use crate::ctx::Ctx;
use crate::error::ApiError;
use crate::wire;
use domain::model::Ticket;
use domain::{GroupId, OrgId, UserId};
use serde_json::{Map, Value as Json};

/// What `include` asks for, of what tickets can sideload.
fn asked(ctx: &Ctx) -> Vec<&'static str> {
    let raw = ctx.param("include").unwrap_or("");
    ["users", "groups", "organizations"]
        .into_iter()
        .filter(|k| raw.split(',').any(|p| p.trim() == *k))
        .collect()
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
    for kind in asked(ctx) {
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
