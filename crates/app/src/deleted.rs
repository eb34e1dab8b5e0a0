//! What was deleted, as Zendesk's `deleted_tickets` and `deleted_users`
//! show it: deleted tickets listed with who deleted them, restored one at a
//! time or many at once, or deleted for good in a job; deleted users
//! listed, counted and deleted for good (their personal data scrubbed).
//! A deleted user can be restored too (atiende's own `restore`, as for
//! tickets), until deleted for good.

use crate::tickets::{restore_in, scrub_in};
use crate::{App, AppError, FieldError, Paged, Paging};
use domain::audit_log::{AdminAction, AdminChange, AdminSource};
use domain::policy::Capability;
use domain::{Actor, TicketId, Timestamp, UserId};
use serde_json::json;
use store::model::{JobStatus, Ticket, User};
use store::repo::deletions;
use store::repo::{tickets, users};

/// A deleted ticket that can still be restored.
#[derive(Debug, Clone)]
pub struct DeletedTicket {
    pub ticket: Ticket,
    /// Who deleted it, when that is known.
    pub deleted_by: Option<(UserId, String)>,
    pub deleted_at: Timestamp,
}

impl App {
    /// One page of the deleted tickets the actor could restore, by id.
    pub async fn deleted_tickets(
        &self,
        actor: Actor,
        paging: Paging,
    ) -> Result<(Vec<DeletedTicket>, Paged), AppError> {
        crate::error::require(&actor, Capability::WorkTheDesk)?;
        if !domain::policy::may_change_ticket_fields(&actor) {
            return Err(AppError::Forbidden("deleting tickets is for agents".into()));
        }
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let paged =
            deletions::page_tickets(c, actor.restricted.then_some(actor.user), paging).await?;
        let found = tickets::get_many(c, &paged.ids, true).await?;
        let deletions = deletions::of_tickets(c, &paged.ids).await?;
        let by: Vec<i64> = deletions
            .iter()
            .filter_map(|d| d.deleted_by.map(UserId::get))
            .collect();
        let people = users::get_many(c, &by).await?;
        let listed = found
            .into_iter()
            .filter_map(|ticket| {
                let d = deletions.iter().find(|d| d.ticket_id == ticket.id)?;
                let deleted_by = d.deleted_by.map(|id| {
                    let name = people
                        .iter()
                        .find(|u| u.id == id)
                        .map_or_else(String::new, |u| u.name.clone());
                    (id, name)
                });
                Some(DeletedTicket {
                    ticket,
                    deleted_by,
                    deleted_at: d.deleted_at,
                })
            })
            .collect();
        Ok((listed, paged))
    }

    /// Restores deleted tickets, all or none (`restore_many`).
    pub async fn restore_tickets(&self, actor: Actor, ids: Vec<TicketId>) -> Result<(), AppError> {
        crate::error::require(&actor, Capability::WorkTheDesk)?;
        if ids.is_empty() {
            return Err(AppError::field(FieldError::blank("ids")));
        }
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                for id in ids {
                    restore_in(c, actor, id, now).await?;
                }
                Ok(())
            })
        })
        .await
    }

    /// Deletes deleted tickets for good, each on its own, as a job whose
    /// results say how each went.
    pub async fn scrub_tickets(
        &self,
        actor: Actor,
        ids: Vec<TicketId>,
    ) -> Result<JobStatus, AppError> {
        crate::error::require(&actor, Capability::WorkTheDesk)?;
        let mut results = Vec::with_capacity(ids.len());
        for id in ids {
            let now = Timestamp::now();
            let r = self
                .write(move |c| Box::pin(async move { scrub_in(c, actor, id, now).await }))
                .await;
            results.push(match r {
                Ok(()) => {
                    json!({"id": id.0, "action": "delete_permanently", "success": true, "status": "Deleted"})
                }
                Err(e) => {
                    json!({"id": id.0, "action": "delete_permanently", "success": false, "status": "Failed", "errors": crate::jobs::describe(&e)})
                }
            });
        }
        self.finish_job(actor, "permanent_delete", results).await
    }

    /// One page of the deleted users not yet deleted for good.
    pub async fn deleted_users(
        &self,
        actor: Actor,
        paging: Paging,
    ) -> Result<(Vec<User>, Paged), AppError> {
        crate::error::require(&actor, Capability::DeactivateUsers)?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let paged = deletions::page_users(c, paging).await?;
        let found = users::get_many(c, &paged.ids).await?;
        Ok((users::with_fields(c, found).await?, paged))
    }

    /// How many deleted users there are.
    pub async fn deleted_user_count(&self, actor: Actor) -> Result<i64, AppError> {
        crate::error::require(&actor, Capability::DeactivateUsers)?;
        let mut rc = self.read().await?;
        Ok(deletions::count_users(&mut rc.conn()).await?)
    }

    /// One deleted user, not yet deleted for good.
    pub async fn deleted_user(&self, actor: Actor, id: UserId) -> Result<User, AppError> {
        crate::error::require(&actor, Capability::DeactivateUsers)?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let found = deleted(c, id).await?;
        let mut found = users::with_fields(c, vec![found]).await?;
        found.pop().ok_or(AppError::NotFound)
    }

    /// Brings a deleted user back: active again, as they were.
    pub async fn restore_user(&self, actor: Actor, id: UserId) -> Result<User, AppError> {
        self.deleted_user(actor, id).await?;
        self.update_user(
            actor,
            id,
            crate::users::UserInput {
                active: Some(true),
                ..Default::default()
            },
        )
        .await
    }

    /// Deletes a deleted user for good: their personal data is scrubbed,
    /// the row stays so the tickets they wrote still read. Only someone
    /// already deleted can be; nobody deletes themselves.
    pub async fn scrub_user(&self, actor: Actor, id: UserId) -> Result<User, AppError> {
        crate::error::require(&actor, Capability::DeactivateUsers)?;
        if actor.user == id {
            return Err(AppError::field(FieldError::invalid(
                "base",
                "you cannot delete yourself",
            )));
        }
        let now = Timestamp::now();
        let out = self
            .write(move |c| {
                Box::pin(async move {
                    deleted(c, id).await?;
                    deletions::scrub_user(c, id, now).await?;
                    // Their number only: the name is gone for good.
                    let change = AdminChange::new(
                        AdminAction::Destroy,
                        AdminSource::User,
                        id.0,
                        format!("#{}", id.0),
                    );
                    crate::audit_log::record(c, &actor, change, now).await?;
                    users::get(c, id).await?.ok_or(AppError::NotFound)
                })
            })
            .await;
        self.auth_cache.clear();
        out
    }
}

/// A user who is deleted and not yet deleted for good, or `NotFound`.
async fn deleted(c: &mut store::Conn<'_>, id: UserId) -> Result<User, AppError> {
    match users::get(c, id).await? {
        Some(u) if !u.active && !deletions::user_scrubbed(c, id).await? => Ok(u),
        _ => Err(AppError::NotFound),
    }
}
