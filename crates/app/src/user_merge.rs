//! Merging two customer profiles (the same person who wrote from two
//! addresses): the source's identities and tickets move to the target, the
//! source is deactivated, and every moved ticket gets an audit. Agents see
//! a preview first and can undo afterwards; the merge record says exactly
//! what moved, so undo moves back only that.

use crate::{App, AppError};
use domain::audit::AuditEvent;
use domain::{Actor, AuditId, Channel, Role, TicketId, Timestamp, UserId, UserMergeId};
use store::Conn;
use store::events::{Entity, EventKind, NewEvent};
use store::model::{Identity, User};
use store::repo::user_merges::{self, UserMerge};
use store::repo::{comments, users};

/// What a merge would move.
#[derive(Debug, Clone)]
pub struct MergePreview {
    pub source: User,
    pub target: User,
    pub identities: Vec<Identity>,
    pub tickets: Vec<TicketId>,
}

fn event(entity: Entity, id: i64, audit: Option<AuditId>, actor: Actor, at: Timestamp) -> NewEvent {
    NewEvent {
        entity,
        entity_id: id,
        kind: EventKind::Updated,
        audit,
        actor: Some(actor.user),
        at,
    }
}

/// The two profiles, checked: staff only, two different active customers.
async fn pair(
    c: &mut Conn<'_>,
    actor: &Actor,
    source: UserId,
    target: UserId,
) -> Result<(User, User), AppError> {
    crate::error::require(actor, domain::policy::Capability::MergeCustomers)?;
    if source == target {
        return Err(AppError::bad("a customer cannot be merged into itself"));
    }
    let s = users::get(c, source).await?.ok_or(AppError::NotFound)?;
    let t = users::get(c, target).await?.ok_or(AppError::NotFound)?;
    if s.role != Role::EndUser || t.role != Role::EndUser {
        return Err(AppError::bad(
            "only customer (end-user) profiles are merged",
        ));
    }
    if !s.active || !t.active {
        return Err(AppError::bad("both profiles must be active"));
    }
    Ok((s, t))
}

/// Records a requester change on each ticket as one audit, and its event.
async fn audit_requester(
    c: &mut Conn<'_>,
    tickets: &[TicketId],
    from: UserId,
    to: UserId,
    actor: Actor,
    now: Timestamp,
) -> Result<(), AppError> {
    let events = [AuditEvent::Change {
        field_name: "requester_id".into(),
        value: to.0.into(),
        previous_value: from.0.into(),
    }];
    for t in tickets {
        let audit = comments::insert_audit(c, *t, actor.user, Channel::Web, &events, now).await?;
        store::events::append(c, event(Entity::Ticket, t.0, Some(audit), actor, now)).await?;
    }
    Ok(())
}

impl App {
    /// What merging `source` into `target` would move.
    pub async fn preview_user_merge(
        &self,
        actor: Actor,
        source: UserId,
        target: UserId,
    ) -> Result<MergePreview, AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let (s, t) = pair(c, &actor, source, target).await?;
        Ok(MergePreview {
            identities: users::identities(c, source).await?,
            tickets: user_merges::requested_ticket_ids(c, source).await?,
            source: s,
            target: t,
        })
    }

    /// Merges `source` into `target`; returns the merge's id (for undo).
    pub async fn merge_users(
        &self,
        actor: Actor,
        source: UserId,
        target: UserId,
    ) -> Result<UserMergeId, AppError> {
        let now = Timestamp::now();
        let out = self
            .write(move |c| {
                Box::pin(async move {
                    let (mut s, _) = pair(c, &actor, source, target).await?;
                    let identities: Vec<_> = users::identities(c, source)
                        .await?
                        .iter()
                        .map(|i| i.id)
                        .collect();
                    let tickets = user_merges::requested_ticket_ids(c, source).await?;
                    let merge = UserMerge {
                        id: UserMergeId(0),
                        source,
                        target,
                        identities: identities.clone(),
                        tickets: tickets.clone(),
                        source_email: s.email.clone(),
                        actor: actor.user,
                        created_at: now,
                        undone_at: None,
                    };
                    let id = user_merges::insert(c, &merge).await?;
                    user_merges::move_identities(c, &identities, target, now).await?;
                    user_merges::set_requester(c, &tickets, target, now).await?;
                    audit_requester(c, &tickets, source, target, actor, now).await?;
                    s.active = false;
                    s.email = None;
                    s.updated_at = now;
                    users::update(c, &s).await?;
                    for u in [source, target] {
                        store::events::append(c, event(Entity::User, u.0, None, actor, now))
                            .await?;
                    }
                    Ok(id)
                })
            })
            .await;
        self.auth_cache.clear();
        out
    }

    /// A merge as recorded.
    pub async fn user_merge(&self, actor: Actor, id: UserMergeId) -> Result<UserMerge, AppError> {
        crate::error::require_hidden(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        user_merges::get(&mut rc.conn(), id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Reverses a merge: what moved (and is still with the target) goes
    /// back, and the source profile is active again.
    pub async fn undo_user_merge(&self, actor: Actor, id: UserMergeId) -> Result<UserId, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let now = Timestamp::now();
        let out = self
            .write(move |c| {
                Box::pin(async move {
                    let m = user_merges::get(c, id).await?.ok_or(AppError::NotFound)?;
                    if user_merges::mark_undone(c, id, now).await? == 0 {
                        return Err(AppError::bad("this merge was already undone"));
                    }
                    let still_identities: Vec<_> = users::identities(c, m.target)
                        .await?
                        .iter()
                        .map(|i| i.id)
                        .filter(|i| m.identities.contains(i))
                        .collect();
                    let still_tickets: Vec<_> = user_merges::requested_ticket_ids(c, m.target)
                        .await?
                        .into_iter()
                        .filter(|t| m.tickets.contains(t))
                        .collect();
                    user_merges::move_identities(c, &still_identities, m.source, now).await?;
                    // Each kind of identity gets a primary again: the old
                    // primary email, else the oldest of the kind.
                    let back = users::identities(c, m.source).await?;
                    let mut kinds: Vec<_> = back.iter().map(|i| i.kind).collect();
                    kinds.sort_by_key(|k| k.as_str());
                    kinds.dedup();
                    for kind in kinds {
                        let of_kind: Vec<&Identity> =
                            back.iter().filter(|i| i.kind == kind).collect();
                        if of_kind.iter().any(|i| i.primary) {
                            continue;
                        }
                        let pick = of_kind
                            .iter()
                            .find(|i| Some(i.value.as_str()) == m.source_email.as_deref())
                            .or(of_kind.first());
                        if let Some(p) = pick {
                            users::make_primary(c, p, now).await?;
                        }
                    }
                    user_merges::set_requester(c, &still_tickets, m.source, now).await?;
                    audit_requester(c, &still_tickets, m.target, m.source, actor, now).await?;
                    let mut s = users::get(c, m.source).await?.ok_or(AppError::NotFound)?;
                    s.active = true;
                    s.email = m.source_email.clone();
                    s.updated_at = now;
                    users::update(c, &s).await?;
                    for u in [m.source, m.target] {
                        store::events::append(c, event(Entity::User, u.0, None, actor, now))
                            .await?;
                    }
                    Ok(m.source)
                })
            })
            .await;
        self.auth_cache.clear();
        out
    }
}
