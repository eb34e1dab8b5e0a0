//! Deleting a ticket, bringing it back, and deleting it for good. A deleted
//! ticket keeps its row and content (out of every list and the search
//! index) until it is restored or deleted permanently; who deleted it is
//! kept beside it for Zendesk's `deleted_tickets`.

use super::*;
use domain::audit_log::{AdminAction, AdminChange, AdminSource};
use store::repo::deletions::{self, TicketDeletion};

/// Reads a ticket, deleted or not, that the actor may delete or restore;
/// anyone else is told it does not exist.
async fn changeable(c: &mut Conn<'_>, actor: &Actor, id: TicketId) -> Result<Ticket, AppError> {
    let t = tickets::get(c, id, true).await?.ok_or(AppError::NotFound)?;
    // Every caller (one ticket, bulk, jobs) goes through here: a
    // group-restricted agent cannot delete what they cannot see.
    if !domain::policy::may_change_ticket_fields(actor) || !can_see(c, actor, &t).await? {
        return Err(AppError::NotFound);
    }
    Ok(t)
}

/// The body of `delete_ticket`, usable inside a bulk job.
pub async fn delete_in(
    c: &mut Conn<'_>,
    actor: Actor,
    id: TicketId,
    now: Timestamp,
) -> Result<(), AppError> {
    let mut t = changeable(c, &actor, id).await?;
    if t.deleted_at.is_some() {
        return Err(AppError::NotFound);
    }
    t.deleted_at = Some(now);
    t.updated_at = now;
    tickets::update(c, &t, None).await?;
    index::unindex_ticket(c, id).await?;
    deletions::record_ticket(
        c,
        TicketDeletion {
            ticket_id: id,
            deleted_by: Some(actor.user),
            deleted_at: now,
        },
    )
    .await?;
    store::events::append(c, event(id, EventKind::Deleted, None, actor.user, now)).await?;
    Ok(())
}

/// A deleted ticket that can still come back, or `NotFound`.
async fn restorable(c: &mut Conn<'_>, actor: &Actor, id: TicketId) -> Result<Ticket, AppError> {
    let t = changeable(c, actor, id).await?;
    if t.deleted_at.is_none() || deletions::of_tickets(c, &[id.0]).await?.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(t)
}

/// Brings a deleted ticket back as it was: in its lists, its views and the
/// search index again. The event log says it changed, so exports and the
/// reports pick it up again.
pub(crate) async fn restore_in(
    c: &mut Conn<'_>,
    actor: Actor,
    id: TicketId,
    now: Timestamp,
) -> Result<(), AppError> {
    let mut t = restorable(c, &actor, id).await?;
    t.deleted_at = None;
    t.updated_at = now;
    tickets::update(c, &t, None).await?;
    reindex_full(c, &t).await?;
    deletions::forget_ticket(c, id).await?;
    store::events::append(c, event(id, EventKind::Updated, None, actor.user, now)).await?;
    Ok(())
}

/// Deletes a deleted ticket for good: its content is scrubbed and it can
/// no longer be restored (`deletions::scrub_ticket` says what goes).
pub(crate) async fn scrub_in(
    c: &mut Conn<'_>,
    actor: Actor,
    id: TicketId,
    now: Timestamp,
) -> Result<(), AppError> {
    restorable(c, &actor, id).await?;
    deletions::scrub_ticket(c, id, now).await?;
    store::events::append(c, event(id, EventKind::Deleted, None, actor.user, now)).await?;
    // Its number only: the subject is gone for good with the rest.
    let change = AdminChange::new(
        AdminAction::Destroy,
        AdminSource::Ticket,
        id.0,
        format!("#{}", id.0),
    );
    crate::audit_log::record(c, &actor, change, now).await
}
