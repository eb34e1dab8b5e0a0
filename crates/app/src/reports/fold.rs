//! Folding the event log into report facts: every ticket event after the
//! cursor (`reports.cursor`) has its ticket's facts recomputed from its
//! audits — Zendesk's ticket metrics on the default schedule (`sla`), the
//! first message to the customer, the survey's answers — and the cursor
//! moves in the same write. Run by the clockwork on one node at a time;
//! `rebuild_reports` starts over from nothing.

use crate::{App, AppError};
use domain::hours::Schedule;
use domain::model::RatingScore;
use domain::report::{Counted, TicketFacts};
use domain::trends::Topic;
use domain::{EventId, TicketId, Timestamp};
use store::Conn;
use store::repo::{comments, outbox, reports, rules, settings, surveys, tickets, trends, users};

use super::topics::{self, TopicRules};

const CURSOR_KEY: &str = "reports.cursor";
/// Events one pass reads at most.
const BATCH: i64 = 2000;

/// A ticket's facts now, and its text where its topic is to come from
/// it; `None` for a ticket that is gone.
pub(crate) async fn facts_of(
    c: &mut Conn<'_>,
    (schedule, rules): (&Schedule, &TopicRules),
    id: TicketId,
    now: Timestamp,
) -> Result<Option<(TicketFacts, Option<String>)>, AppError> {
    let Some(t) = tickets::get(c, id, false).await? else {
        return Ok(None);
    };
    let audits = comments::audits_of(c, id).await?;
    let mut authors: Vec<i64> = audits.iter().map(|a| a.author_id.0).collect();
    authors.sort_unstable();
    authors.dedup();
    let staff: Vec<domain::UserId> = users::get_many(c, &authors)
        .await?
        .into_iter()
        .filter(|u| u.role.is_staff())
        .map(|u| u.id)
        .collect();
    let events = crate::sla::events_from_audits(&audits, t.requester_id, &staff);
    let m = domain::sla::metrics(&events, schedule, now);
    let ack = outbox::first_to_customer(c, id)
        .await?
        .map(|at| (at.0 - t.created_at.0).max(0) / 60);
    let csat = rules::rating_for_ticket(c, id)
        .await?
        .and_then(|r| match r.score {
            RatingScore::Good => Some((true, r.channel)),
            RatingScore::Bad => Some((false, r.channel)),
            _ => None,
        });
    let ces = surveys::ces_of_ticket(c, id).await?;
    let minus = |a: (i64, i64), b: (i64, i64)| ((a.0 - b.0).max(0), (a.1 - b.1).max(0));
    let topic = rules.topic(&t);
    let text = topic.is_none().then(|| topics::text_of(&t));
    let facts = TicketFacts {
        ticket: id,
        organization: t.organization_id,
        requester: t.requester_id,
        status: t.status,
        tags: t.tags.clone(),
        topic,
        form: t.ticket_form_id,
        counted: Counted {
            created_at: t.created_at,
            channel: t.via,
            group: t.group_id,
            assignee: t.assignee_id,
            solved_at: m.solved_at,
            ack_minutes: ack,
            first_reply: m.reply_time,
            resolution: m.full_resolution_time,
            requester_wait: m.requester_wait_time,
            agent_work: minus(m.requester_wait_time, m.on_hold_time),
            reopens: i64::from(m.reopens),
            replies: i64::from(m.replies),
            csat,
            ces,
        },
    };
    Ok(Some((facts, text)))
}

impl App {
    /// The clockwork's reports pass: fold for up to 3 s, look for spikes
    /// among what was folded, mail the weekly report when due; how much
    /// was done.
    pub async fn reports_pass(&self, now: Timestamp) -> Result<usize, AppError> {
        let folded = self
            .fold_reports_for(std::time::Duration::from_secs(3))
            .await?;
        let spikes = if folded > 0 {
            self.detect_spikes_at(now).await?
        } else {
            0
        };
        let weekly = self.send_weekly_report_at(now).await?;
        Ok(folded + spikes + usize::from(weekly))
    }

    /// Folds batches until the log is read or `budget` has passed (the
    /// clockwork's pass: a busy desk is caught up in a few passes, and the
    /// other jobs still run); returns how many tickets' facts were written.
    pub async fn fold_reports_for(&self, budget: std::time::Duration) -> Result<usize, AppError> {
        let started = std::time::Instant::now();
        let mut total = 0;
        loop {
            let (n, events) = self.fold_batch().await?;
            total += n;
            if events < BATCH as usize || started.elapsed() >= budget {
                return Ok(total);
            }
        }
    }

    /// Folds one batch of ticket events after the cursor; returns how many
    /// tickets' facts were written.
    pub async fn fold_reports(&self) -> Result<usize, AppError> {
        Ok(self.fold_batch().await?.0)
    }

    /// One batch: (tickets folded, events read).
    async fn fold_batch(&self) -> Result<(usize, usize), AppError> {
        let now = Timestamp::now();
        let schedule = self.rulebook().await?.schedule(None);
        let (cursor, events) = {
            let mut rc = self.read().await?;
            let c = &mut rc.conn();
            let cursor = EventId(
                settings::get(c, CURSOR_KEY)
                    .await?
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0),
            );
            (
                cursor,
                store::events::ticket_events_after(c, cursor, BATCH).await?,
            )
        };
        let Some(last) = events.last().map(|e| e.id) else {
            return Ok((0, 0));
        };
        let read = events.len();
        let mut ids: Vec<TicketId> = events.iter().map(|e| e.ticket).collect();
        ids.sort_unstable();
        ids.dedup();
        // Read outside the write: the writer waits for nobody's reading.
        let mut folded = Vec::with_capacity(ids.len());
        let mut texts = Vec::new();
        {
            let mut rc = self.read().await?;
            let c = &mut rc.conn();
            let rules = TopicRules::read(c).await?;
            for &id in &ids {
                let facts = facts_of(c, (&schedule, &rules), id, now)
                    .await?
                    .map(|(f, text)| {
                        if let Some(text) = text {
                            texts.push((id, text));
                        }
                        f
                    });
                folded.push((id, facts));
            }
        }
        let placing = self.place_texts(texts).await?;
        let n = folded.len();
        self.write(move |c| {
            Box::pin(async move {
                // Another node moved the cursor meanwhile: its pass stands.
                let at = settings::get(c, CURSOR_KEY)
                    .await?
                    .and_then(|v| v.parse().ok());
                if at.unwrap_or(0) != cursor.0 {
                    return Ok(());
                }
                let text_topics = placing.write(c, now).await?;
                for (id, facts) in &mut folded {
                    match facts {
                        Some(f) => {
                            if f.topic.is_none() {
                                f.topic = text_topics.get(id).copied().map(Topic::Text);
                            }
                            reports::upsert(c, f, now).await?
                        }
                        None => {
                            reports::remove(c, *id).await?;
                            trends::forget_ticket(c, *id).await?;
                        }
                    }
                }
                settings::set(c, CURSOR_KEY, &last.0.to_string()).await?;
                Ok(())
            })
        })
        .await?;
        Ok((n, read))
    }

    /// Starts the reports over: forgets every fact and the cursor, then
    /// folds the whole log (the command `atiende reports rebuild`).
    pub async fn rebuild_reports(&self) -> Result<usize, AppError> {
        self.write(|c| {
            Box::pin(async move {
                reports::clear(c).await?;
                settings::set(c, CURSOR_KEY, "0").await?;
                Ok(())
            })
        })
        .await?;
        let mut total = 0;
        loop {
            let n = self.fold_reports().await?;
            if n == 0 {
                return Ok(total);
            }
            total += n;
        }
    }
}
