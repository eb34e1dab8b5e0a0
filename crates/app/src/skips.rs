//! Skipping a ticket in play mode: recorded with the agent's reason, and
//! listed as Zendesk's ticket skips (an agent's own, a ticket's, or
//! everyone's for admins).

use crate::{App, AppError};
use domain::policy::Capability;
use domain::skip::{Skip, SkipScope, cleaned_reason};
use domain::{Actor, SkipId, TicketId, Timestamp};
use store::model::Ticket;
use store::paging::{Paged, Paging};
use store::repo::{skips, tickets};

impl App {
    /// Records that the agent passed over a ticket they can see; the
    /// skip, with the ticket as the agent reads it.
    pub async fn skip_ticket(
        &self,
        actor: Actor,
        ticket: TicketId,
        reason: &str,
    ) -> Result<(Skip, Ticket), AppError> {
        crate::error::require(&actor, Capability::WorkTheDesk)?;
        let seen = self.ticket(actor, ticket).await?;
        let mut skip = Skip {
            id: SkipId(0),
            ticket_id: ticket,
            user_id: actor.user,
            reason: cleaned_reason(reason),
            created_at: Timestamp::now(),
        };
        let row = skip.clone();
        skip.id = self
            .write(move |c| Box::pin(async move { Ok(skips::insert(c, &row).await?) }))
            .await?;
        Ok((skip, seen))
    }

    /// A page of skips with their tickets (none for a ticket deleted since).
    /// `Everyone` is every agent's for admins and the caller's own for
    /// others; another agent's are admins' only; a ticket's, anyone's who
    /// sees the ticket.
    pub async fn skips(
        &self,
        actor: Actor,
        scope: SkipScope,
        paging: Paging,
    ) -> Result<(Vec<(Skip, Option<Ticket>)>, Paged), AppError> {
        crate::error::require(&actor, Capability::WorkTheDesk)?;
        let scope = match scope {
            SkipScope::Everyone if !actor.is_admin() => SkipScope::By(actor.user),
            SkipScope::By(u) if u != actor.user && !actor.is_admin() => {
                return Err(AppError::Forbidden(
                    "only admins read another agent's skips".into(),
                ));
            }
            SkipScope::Of(t) => {
                self.ticket(actor, t).await?;
                SkipScope::Of(t)
            }
            other => other,
        };
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let paged = skips::page(c, scope, paging).await?;
        let found = skips::get_many(c, &paged.ids).await?;
        let ticket_ids: Vec<i64> = found.iter().map(|s| s.ticket_id.0).collect();
        let found_tickets = tickets::get_many(c, &ticket_ids, false).await?;
        let visible = crate::ticket_reads::for_reader(c, &actor, found_tickets).await?;
        let listed = found
            .into_iter()
            .map(|s| {
                let t = visible.iter().find(|t| t.id == s.ticket_id).cloned();
                (s, t)
            })
            .collect();
        Ok((listed, paged))
    }
}

/// How far into a queue play mode looks for a ticket not yet skipped.
const PLAY_DEPTH: i64 = 200;

impl App {
    /// Play mode's next ticket in a queue for the agent: in the queue's
    /// order, the first not solved, not someone else's and not skipped by
    /// them; none when the queue has no more for them.
    pub async fn next_to_play(
        &self,
        actor: Actor,
        queue: crate::queues::Queue,
    ) -> Result<Option<TicketId>, AppError> {
        crate::error::require(&actor, Capability::WorkTheDesk)?;
        let plan = self.queue_plan(actor, queue, None).await?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        // The queue's order; no count and no ticket read beyond the
        // candidates the agent has not skipped.
        let ids = store::repo::search::ids(
            c,
            &plan,
            search::plan::ResultType::Ticket,
            &actor,
            0,
            PLAY_DEPTH,
        )
        .await?;
        let in_queue: Vec<TicketId> = ids.iter().map(|&i| TicketId(i)).collect();
        let skipped = skips::skipped_among(c, actor.user, &in_queue).await?;
        let candidates: Vec<i64> = ids
            .into_iter()
            .filter(|i| !skipped.contains(&TicketId(*i)))
            .collect();
        let found = tickets::get_many(c, &candidates, false).await?;
        Ok(candidates.iter().find_map(|&id| {
            found
                .iter()
                .find(|t| t.id.0 == id)
                .filter(|t| t.status < domain::Status::Solved)
                .filter(|t| t.assignee_id.is_none_or(|a| a == actor.user))
                .map(|t| t.id)
        }))
    }
}
