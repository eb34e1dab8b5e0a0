//! Satisfaction ratings: a customer's good or bad on their solved ticket,
//! read by staff (a group-restricted agent: of the tickets they may see).

use super::{bad, staff_only};
use crate::{App, AppError, Paged, Paging};
use domain::{Actor, RatingId, TicketId, Timestamp};
use store::model::{RatingScore, SatisfactionRating};
use store::paging::page_ids;
use store::repo::{rules, tickets};

/// Which ratings a list holds.
#[derive(Debug, Clone, Copy, Default)]
pub struct RatingFilter<'a> {
    /// One score only (`good`, `bad`, `offered`...).
    pub score: Option<&'a str>,
    /// Changed at or after.
    pub start: Option<Timestamp>,
    /// Changed before.
    pub end: Option<Timestamp>,
}

impl App {
    /// A customer rates their solved ticket good or bad (and may change it).
    pub async fn rate_ticket(
        &self,
        actor: Actor,
        ticket: TicketId,
        score: &str,
        comment: Option<String>,
    ) -> Result<SatisfactionRating, AppError> {
        let score = match score.parse() {
            Ok(s @ (RatingScore::Good | RatingScore::Bad)) => s,
            _ => return Err(bad("score", "must be good or bad")),
        };
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let t = tickets::get(c, ticket, false)
                    .await?
                    .ok_or(AppError::NotFound)?;
                if t.requester_id != actor.user {
                    return Err(AppError::forbidden("only the requester rates a ticket"));
                }
                if !t.status.is_done() {
                    return Err(bad("status", "only solved tickets can be rated"));
                }
                let mut r = SatisfactionRating {
                    id: RatingId(0),
                    ticket_id: ticket,
                    requester_id: actor.user,
                    assignee_id: t.assignee_id,
                    group_id: t.group_id,
                    score,
                    comment: comment.filter(|c| !c.trim().is_empty()),
                    created_at: now,
                    updated_at: now,
                    reason_code: 0,
                    channel: None,
                };
                r.id = rules::upsert_rating(c, &r).await?;
                store::events::append(
                    c,
                    store::events::NewEvent {
                        entity: store::events::Entity::Ticket,
                        entity_id: ticket.0,
                        kind: store::events::EventKind::Updated,
                        audit: None,
                        actor: Some(actor.user),
                        at: now,
                    },
                )
                .await?;
                Ok(rules::ratings(c, &[r.id.0]).await?.pop().unwrap_or(r))
            })
        })
        .await
    }

    /// Ratings, newest changes last, optionally of one score and changed
    /// within a time window (Zendesk's `start_time` / `end_time`, which
    /// sync tools send to read only what changed since their last run);
    /// staff only (a group-restricted agent sees those of the tickets they
    /// may see).
    pub async fn list_ratings(
        &self,
        actor: Actor,
        filter: RatingFilter<'_>,
        paging: Paging,
    ) -> Result<(Vec<SatisfactionRating>, Paged), AppError> {
        let RatingFilter { score, start, end } = filter;
        staff_only(&actor)?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let mut cond = String::from("satisfaction_ratings r WHERE 1 = 1");
        let mut args: Vec<store::Value> = vec![];
        if let Some(s) = score {
            let s: RatingScore = s
                .parse()
                .map_err(|e: domain::UnknownWord| bad("score", e.to_string()))?;
            args.push(s.into());
            cond.push_str(&format!(" AND r.score = ${}", args.len()));
        }
        if let Some(t) = start {
            args.push(t.into());
            cond.push_str(&format!(" AND r.updated_at >= ${}", args.len()));
        }
        if let Some(t) = end {
            args.push(t.into());
            cond.push_str(&format!(" AND r.updated_at < ${}", args.len()));
        }
        if actor.restricted {
            args.push(actor.user.into());
            let me = format!("${}", args.len());
            cond.push_str(&format!(
                " AND r.ticket_id IN (SELECT t.id FROM tickets t WHERE {})",
                store::repo::search::restricted_agent_sql(&me)
            ));
        }
        // Paging reads the alias `t`; the ratings are `r` above.
        let cond = format!("(SELECT r.* FROM {cond}) t WHERE 1 = 1");
        let page = page_ids(c, &cond, args, paging).await?;
        Ok((rules::ratings(c, &page.ids).await?, page))
    }

    /// One rating, if the caller may see its ticket.
    pub async fn rating(&self, actor: Actor, id: RatingId) -> Result<SatisfactionRating, AppError> {
        staff_only(&actor)?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let r = rules::ratings(c, &[id.0])
            .await?
            .pop()
            .ok_or(AppError::NotFound)?;
        if actor.restricted {
            let t = store::repo::tickets::get(c, r.ticket_id, false)
                .await?
                .ok_or(AppError::NotFound)?;
            if !crate::tickets::can_see(c, &actor, &t).await? {
                return Err(AppError::NotFound);
            }
        }
        Ok(r)
    }
}
