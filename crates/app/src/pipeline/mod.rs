//! The one way a ticket is written. Every create and update — the API,
//! the agent pages, every channel's ingest, bulk jobs, merges, automations,
//! SLA breaches and the routing pass — is a [`WriteRequest`] run by
//! [`write`] inside the caller's transaction:
//!
//! 1. **record** the change: checked, then the ticket row, its comment,
//!    one audit by whoever asked, search terms and the event log;
//! 2. **triggers** fire on it and return [`Effects`];
//! 3. **routing** decides on the ticket as the triggers would leave it;
//! 4. the triggers' and routing's field changes are written as **one audit
//!    by atiende** (a change that does not fit the ticket is skipped and
//!    logged; it never undoes the write that set it off);
//! 5. **SLA clocks** follow the ticket as it finally stands;
//! 6. **deliveries** go out through the outbox: notifications, webhook
//!    calls, the acknowledgement, an agent's public reply.
//!
//! Stages never write the ticket themselves; only this module calls the
//! record step. Atiende's own follow-up write does not fire triggers again,
//! so rules cannot loop.

mod effects;

pub(crate) use effects::{Delivery, Effects, ReplyChoice};

use crate::email::{MailboxDirectory, ReplyAddress};
use crate::outbox::MailSettings;
use crate::rulebook::{CompiledRule, RuleBook};
use crate::tickets::{
    CommentInput, CommentText, MergeNotes, TicketInput, TicketWrite, commit_update, create_in,
    merge_in, plan_update, update_in,
};
use crate::{AppError, routing, sla, triggers};
use domain::audit::AuditEvent;
use domain::rules::{Facts, UpdateType};
use domain::sla::Happening;
use domain::{Actor, Channel, TicketId, Timestamp};
use std::sync::Arc;
use store::Conn;
use store::model::Ticket;
use store::repo::{inbound, tickets};

/// What the write path needs beyond the connection: the rulebook, and how
/// to send mail (when a relay is configured).
#[derive(Clone)]
pub struct Hooks {
    pub book: Arc<RuleBook>,
    pub mail: Option<Arc<MailSettings>>,
    pub mailboxes: Arc<MailboxDirectory>,
    pub reply_address: Option<ReplyAddress>,
}

impl Hooks {
    /// How our mail about a ticket goes out (from the address its
    /// customer wrote to), when a relay is configured.
    pub(crate) fn sender(&self, t: &Ticket) -> Option<crate::outbox::Sender<'_>> {
        Some(crate::outbox::Sender {
            settings: self.mail.as_deref()?,
            reply_address: self.reply_address.as_ref()?,
            mailbox: self.mailboxes.sender_for(t.recipient.as_deref()),
        })
    }
}

impl crate::App {
    /// The hooks for a write unit (no query once the rulebook is cached).
    pub async fn hooks(&self) -> Result<Hooks, AppError> {
        Ok(Hooks {
            book: self.rulebook().await?,
            reply_address: match &self.mail {
                Some(_) => Some(self.reply_address().await?),
                None => None,
            },
            mail: self.mail.clone(),
            mailboxes: self.mailboxes.clone(),
        })
    }
}

/// A change to tickets.
pub(crate) enum Change {
    /// A new ticket with its first comment.
    Create {
        input: TicketInput,
        comment: CommentInput,
        text: CommentText,
    },
    /// Field changes and/or a comment on one ticket.
    Update {
        id: TicketId,
        input: TicketInput,
        text: Option<CommentText>,
    },
    /// Rules fired on a ticket at rest (an automation): their changes as one
    /// audit with `note` among its events, their deliveries, then triggers.
    Rules {
        ticket: Ticket,
        fired: Vec<CompiledRule>,
        note: AuditEvent,
    },
    /// Events recorded on a ticket without changing it (an SLA breach),
    /// then triggers looking at the ticket at rest.
    Note {
        id: TicketId,
        events: Vec<AuditEvent>,
    },
    /// Tickets merged into one.
    Merge {
        target: TicketId,
        sources: Vec<TicketId>,
        notes: MergeNotes,
    },
}

/// Who asks for a change, through which channel, and what triggers see
/// beyond the ticket itself.
pub(crate) struct WriteRequest {
    pub actor: Actor,
    pub via: Channel,
    pub change: Change,
    /// Facts the triggers see besides the ticket's (`sla` = `breached`).
    pub facts: Vec<(&'static str, &'static str)>,
    /// The outside message this change carries (from a channel's ingest),
    /// remembered with the comment it made before anything goes out, so
    /// our answers thread with it (an acknowledgement's In-Reply-To) and a
    /// redelivery is recognised.
    pub inbound: Option<inbound::Taken>,
}

impl WriteRequest {
    pub(crate) fn new(actor: Actor, via: Channel, change: Change) -> Self {
        WriteRequest {
            actor,
            via,
            change,
            facts: Vec::new(),
            inbound: None,
        }
    }
}

/// What a recorded change left: a write, or a ticket nobody changed (an
/// SLA breach noted, an automation whose changes did not fit).
// One per write, moved a handful of times: boxing would cost more.
#[allow(clippy::large_enum_variant)]
enum Subject {
    Written(TicketWrite),
    AtRest(Ticket),
}

/// A change recorded, before the stages run.
struct Recorded {
    subject: Subject,
    /// What the change itself asks for (an automation's deliveries).
    effects: Effects,
}

impl Recorded {
    fn written(w: TicketWrite) -> Recorded {
        Recorded {
            subject: Subject::Written(w),
            effects: Effects::default(),
        }
    }

    /// The write, if the change wrote the ticket.
    fn write(&self) -> Option<&TicketWrite> {
        match &self.subject {
            Subject::Written(w) => Some(w),
            Subject::AtRest(_) => None,
        }
    }

    /// The ticket as the change left it.
    fn ticket(&self) -> &Ticket {
        match &self.subject {
            Subject::Written(w) => &w.ticket,
            Subject::AtRest(t) => t,
        }
    }
}

/// Runs one change through the pipeline; returns the write with the ticket
/// as it finally stands (`None` when nothing was written: an automation
/// whose changes did not fit, a note). For a merge, the target's write.
pub(crate) async fn write(
    c: &mut Conn<'_>,
    hooks: &Hooks,
    req: WriteRequest,
    now: Timestamp,
) -> Result<Option<TicketWrite>, AppError> {
    let WriteRequest {
        actor,
        via,
        change,
        facts,
        inbound: taken,
    } = req;
    // The channel the agent chose for their reply, if they chose one, and
    // the template it is.
    let reply_via = match &change {
        Change::Update { input, .. } => input
            .comment
            .as_ref()
            .map(|cm| ReplyChoice {
                via: cm.reply_via,
                template: cm.template.clone(),
                buttons: cm.buttons.clone(),
            })
            .unwrap_or_default(),
        _ => ReplyChoice::default(),
    };
    let mut last = None;
    for recorded in record(c, &actor, via, change, now).await? {
        if let (Some(m), Some(w)) = (&taken, recorded.write()) {
            let landed = inbound::Landed {
                ticket: w.ticket.id,
                comment: w.comment.as_ref().map(|c| c.id),
            };
            // A simultaneous delivery of the same message won (on
            // PostgreSQL the insert waited for it to commit): this unit
            // rolls back, and the caller reads where that one landed.
            if !inbound::remember(c, m, landed, now).await? {
                return Err(AppError::Conflict("delivered twice at once".into()));
            }
        }
        last = stages(c, hooks, &actor, recorded, &facts, reply_via.clone(), now).await?;
    }
    Ok(last)
}

/// Step 1: the change itself (a merge records several tickets, the
/// target's last).
async fn record(
    c: &mut Conn<'_>,
    actor: &Actor,
    via: Channel,
    change: Change,
    now: Timestamp,
) -> Result<Vec<Recorded>, AppError> {
    Ok(match change {
        Change::Create {
            input,
            comment,
            text,
        } => vec![Recorded::written(
            create_in(c, *actor, input, comment, text, via, now).await?,
        )],
        Change::Update { id, input, text } => vec![Recorded::written(
            update_in(c, *actor, id, input, text, via, now).await?,
        )],
        Change::Rules {
            ticket,
            fired,
            note,
        } => {
            let mut effects = effects::of_rules(&fired, &ticket, actor);
            let mut input = effects.changes.take().unwrap_or_default();
            input.extra_events.push(note);
            let subject = match update_in(c, *actor, ticket.id, input, None, via, now).await {
                Ok(w) => Subject::Written(w),
                Err(
                    e @ (AppError::Invalid(_) | AppError::Forbidden(_) | AppError::Conflict(_)),
                ) => {
                    tracing::warn!(ticket = %ticket.id, error = %e, "a rule's changes do not fit the ticket; skipped");
                    Subject::AtRest(ticket)
                }
                Err(e) => return Err(e),
            };
            vec![Recorded { subject, effects }]
        }
        Change::Note { id, events } => {
            // Deleted meanwhile: nothing to note.
            let Some(ticket) = tickets::get(c, id, false).await? else {
                return Ok(Vec::new());
            };
            store::repo::comments::insert_audit(c, id, actor.user, via, &events, now).await?;
            vec![Recorded {
                subject: Subject::AtRest(ticket),
                effects: Effects::default(),
            }]
        }
        Change::Merge {
            target,
            sources,
            notes,
        } => merge_in(c, *actor, target, sources, notes, via, now)
            .await?
            .into_iter()
            .map(Recorded::written)
            .collect(),
    })
}

/// The facts triggers and SLA policies see for a recorded change.
fn facts_of(book: &RuleBook, r: &Recorded, t: &Ticket, actor: &Actor) -> Facts {
    match r.write() {
        Some(w) => triggers::facts(
            t,
            w.before.as_ref(),
            w.comment.as_ref(),
            actor,
            if w.before.is_none() {
                UpdateType::Create
            } else {
                UpdateType::Change
            },
            book.uses_words,
        ),
        _ => triggers::facts_at_rest(t, book.uses_words),
    }
}

/// Steps 2–6 for one recorded change.
async fn stages(
    c: &mut Conn<'_>,
    hooks: &Hooks,
    actor: &Actor,
    mut r: Recorded,
    extra_facts: &[(&'static str, &'static str)],
    reply_via: ReplyChoice,
    now: Timestamp,
) -> Result<Option<TicketWrite>, AppError> {
    let book = &hooks.book;
    let mut effects = std::mem::take(&mut r.effects);
    // 2. Triggers fire on every recorded change, atiende's own included
    // (an automation's, the routing pass's), as in Zendesk; the follow-up
    // written below does not fire them again.
    if !book.triggers.is_empty() {
        let mut facts = facts_of(book, &r, r.ticket(), actor);
        for (k, v) in extra_facts {
            facts.now.insert((*k).into(), (*v).into());
        }
        let fired: Vec<CompiledRule> = triggers::fire(book, facts).into_iter().cloned().collect();
        if !fired.is_empty() {
            effects.extend(effects::of_rules(&fired, r.ticket(), actor));
        }
    }
    for (values, replace) in std::mem::take(&mut effects.skills) {
        routing::set_needs_from_action(c, r.ticket().id, &values, replace).await?;
    }
    // 3. Routing, on the ticket as the triggers' changes would leave it.
    let before = r.write().and_then(|w| w.before.as_ref());
    let mut planned = match effects.changes.take() {
        Some(input) => plan_follow_up(c, r.ticket(), input.clone(), now)
            .await?
            .map(|p| (input, p)),
        None => None,
    };
    let routed_ticket = planned.as_ref().map_or(r.ticket(), |(_, p)| &p.ticket);
    let route_plan = if r.write().is_none() {
        None
    } else {
        routing::stage(c, book, routed_ticket, before, actor, effects.route, now).await?
    };
    // 4. The follow-up: the triggers' changes and routing's decision as one
    // audit by atiende.
    if let Some(plan) = &route_plan {
        let change = plan.change();
        if plan.assignee().is_some() || planned.is_some() {
            let mut input = planned.take().map(|(i, _)| i).unwrap_or_default();
            input.merge(change);
            planned = plan_follow_up(c, r.ticket(), input.clone(), now)
                .await?
                .map(|p| (input, p));
        } else {
            routing::note_waiting(c, r.ticket().id, plan, now).await?;
        }
    }
    let follow_up = match planned {
        Some((_, p)) if !p.is_empty() => Some(commit_update(c, p, now).await?),
        _ => None,
    };
    if let Some(plan) = &route_plan {
        // The route records an assignment only if the ticket carries it
        // (a follow-up that did not fit was skipped above).
        let carried = plan.assignee().is_none()
            || follow_up
                .as_ref()
                .is_some_and(|w| w.ticket.assignee_id == plan.assignee());
        if carried {
            routing::settle(c, plan, now).await?;
        }
    }
    let final_ticket = follow_up.as_ref().map_or(r.ticket(), |w| &w.ticket);
    // 5. SLA clocks.
    if !book.policies.is_empty() && (r.write().is_some() || follow_up.is_some()) {
        let mut happenings = match r.write() {
            Some(w) => sla::happenings(&w.ticket, w.before.as_ref(), w.comment.as_ref(), actor),
            _ => Vec::new(),
        };
        if final_ticket.status != r.ticket().status {
            happenings.push(Happening::Status(final_ticket.status));
        }
        let facts = facts_of(book, &r, final_ticket, actor);
        sla::on_ticket_write(c, book, final_ticket, &happenings, &facts, now).await?;
    }
    // 6. Deliveries: what the change asked for, what the triggers asked
    // for, and an agent's public reply to the customer.
    let mut deliveries = effects.deliveries;
    if let Some(w) = r.write()
        && w.before.is_some()
        && actor.is_staff()
        && let Some(cm) = &w.comment
        && cm.via != Channel::Merge
    {
        deliveries.push(Delivery::Reply {
            comment: cm.clone(),
            choice: reply_via,
        });
    }
    let comment = r.write().and_then(|w| w.comment.as_ref());
    effects::deliver(c, hooks, final_ticket, comment, actor, deliveries, now).await?;
    let final_ticket = follow_up.map(|w| w.ticket);
    Ok(match r.subject {
        Subject::Written(mut w) => {
            if let Some(t) = final_ticket {
                w.ticket = t;
            }
            Some(w)
        }
        Subject::AtRest(_) => None,
    })
}

/// Plans atiende's follow-up change; one that does not fit the ticket
/// (say, "solved" with nobody assigned) is skipped and logged.
async fn plan_follow_up(
    c: &mut Conn<'_>,
    t: &Ticket,
    input: TicketInput,
    now: Timestamp,
) -> Result<Option<crate::tickets::PlannedUpdate>, AppError> {
    match plan_update(c, Actor::system(), t.id, input, None, Channel::Rule, now).await {
        Ok(p) => Ok(Some(p)),
        Err(e @ (AppError::Invalid(_) | AppError::Forbidden(_) | AppError::Conflict(_))) => {
            tracing::warn!(ticket = %t.id, error = %e, "a rule's changes do not fit the ticket; skipped");
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// The audit events of an SLA breach.
pub(crate) fn sla_breach_events(metric: &str) -> Vec<AuditEvent> {
    vec![AuditEvent::SlaBreach {
        metric: metric.to_string(),
        value: format!("SLA breached: {metric}"),
    }]
}
