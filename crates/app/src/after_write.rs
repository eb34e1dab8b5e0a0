//! What follows every ticket write, inside the same transaction: the
//! triggers (their field changes as one audit by atiende, their
//! notifications queued in the outbox, their webhook calls queued for the
//! sender), the SLA clock, and routing. A trigger action that does not fit
//! the ticket (say, "solved" on a ticket nobody is assigned to) is skipped
//! and logged; it never undoes the write that set it off.

use crate::AppError;
use crate::email::{MailboxDirectory, ReplyAddress};
use crate::outbox::MailSettings;
use crate::placeholders::Values;
use crate::rulebook::{CompiledRule, RuleBook};
use crate::tickets::{TicketInput, TicketWrite, update_in};
use domain::rules::UpdateType;
use domain::{Actor, Channel, OutboundKind, TicketId, Timestamp, UserId};
use serde_json::{Value as Json, json};
use std::sync::Arc;
use store::Conn;
use store::model::{Comment, Ticket};
use store::repo::{groups, tickets, users, webhooks};

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

/// Actions that change the ticket (macro actions), as opposed to the
/// ones with effects elsewhere.
pub(crate) fn is_field_action(field: &str) -> bool {
    matches!(
        field,
        "status"
            | "priority"
            | "type"
            | "group_id"
            | "assignee_id"
            | "set_tags"
            | "current_tags"
            | "remove_tags"
            | "subject"
    ) || field.starts_with("custom_fields_")
}

/// A value list (`["requester_id", "subject", "body"]`) as strings.
fn strings(v: &Json) -> Vec<String> {
    match v {
        Json::Array(a) => a
            .iter()
            .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
            .collect(),
        Json::String(s) => vec![s.clone()],
        other => vec![other.to_string()],
    }
}

/// Runs everything that follows a ticket write; returns the write with the
/// ticket as it finally stands.
pub async fn ticket_written(
    c: &mut Conn<'_>,
    hooks: &Hooks,
    actor: Actor,
    mut w: TicketWrite,
    now: Timestamp,
) -> Result<TicketWrite, AppError> {
    let book = &hooks.book;
    let update = if w.before.is_none() {
        UpdateType::Create
    } else {
        UpdateType::Change
    };
    let before = w.before.clone();
    let facts = |t: &Ticket| {
        crate::triggers::facts(
            t,
            before.as_ref(),
            w.comment.as_ref(),
            &actor,
            update,
            book.uses_words,
        )
    };
    let mut happenings =
        crate::sla::happenings(&w.ticket, before.as_ref(), w.comment.as_ref(), &actor);
    let mut route_now = false;
    if !book.triggers.is_empty() {
        let fired: Vec<CompiledRule> = crate::triggers::fire(book, facts(&w.ticket))
            .into_iter()
            .cloned()
            .collect();
        if !fired.is_empty() {
            let applied = apply(
                c,
                hooks,
                &w.ticket,
                w.comment.as_ref(),
                &fired,
                &actor,
                None,
                now,
            )
            .await?;
            route_now = applied.route;
            if let Some(changed) = applied.write {
                if changed.ticket.status != w.ticket.status {
                    happenings.push(domain::sla::Happening::Status(changed.ticket.status));
                }
                w.ticket = changed.ticket;
            }
        }
    }
    if !book.policies.is_empty() {
        crate::sla::on_ticket_write(c, book, &w.ticket, &happenings, &facts(&w.ticket), now)
            .await?;
    }
    if let Some(routed) =
        crate::routing::on_ticket_write(c, book, &w, &actor, route_now, now).await?
    {
        w.ticket = routed;
    }
    Ok(w)
}

/// What applying rules did.
pub(crate) struct Applied {
    /// The rules' field changes, as one audit by atiende (none if the
    /// rules change no field, or their changes did not fit the ticket).
    pub write: Option<TicketWrite>,
    /// A rule asked to route the ticket.
    pub route: bool,
}

/// Applies fired rules to a ticket: field changes in one audit (via rule,
/// with `note` among its events), then notifications, webhook calls and
/// skills against the ticket as changed.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn apply(
    c: &mut Conn<'_>,
    hooks: &Hooks,
    ticket: &Ticket,
    comment: Option<&Comment>,
    fired: &[CompiledRule],
    actor: &Actor,
    note: Option<Json>,
    now: Timestamp,
) -> Result<Applied, AppError> {
    let field_actions: Vec<(String, Json)> = fired
        .iter()
        .flat_map(|r| {
            r.actions
                .iter()
                .filter(|(f, _)| is_field_action(f))
                .cloned()
        })
        .collect();
    let mut write = None;
    // A note (an automation's name) is recorded even when the rules only
    // notify, so the timeline says why mail went out.
    if !field_actions.is_empty() || note.is_some() {
        match crate::rules::macro_effect(&field_actions, &ticket.tags, actor) {
            Ok(effect) => {
                let mut input: TicketInput = effect.into_input();
                input.extra_events = note.into_iter().collect();
                match update_in(
                    c,
                    Actor::system(),
                    ticket.id,
                    input,
                    None,
                    Channel::Rule,
                    now,
                )
                .await
                {
                    Ok(w) => write = Some(w),
                    Err(
                        e @ (AppError::Invalid(_) | AppError::Forbidden(_) | AppError::Conflict(_)),
                    ) => {
                        tracing::warn!(ticket = %ticket.id, error = %e, "a rule's changes do not fit the ticket; skipped");
                    }
                    Err(e) => return Err(e),
                }
            }
            Err(e) => {
                tracing::warn!(ticket = %ticket.id, error = %e, "a rule's actions are not valid; skipped")
            }
        }
    }
    let t = write.as_ref().map_or(ticket, |w| &w.ticket);
    let mut route = false;
    for r in fired {
        for (field, value) in &r.actions {
            match field.as_str() {
                "notification_user" | "notification_group" => {
                    let v = strings(value);
                    let to = recipients(
                        c,
                        t,
                        field == "notification_group",
                        v.first().map(String::as_str),
                        actor,
                    )
                    .await?;
                    notify(c, hooks, t, comment, &to, &v, now).await?
                }
                "notification_webhook" => {
                    let v = strings(value);
                    if let Some(id) = v.first() {
                        queue_webhook(c, id, t, r.id, v.get(1).map_or("", String::as_str), now)
                            .await?;
                    }
                }
                "send_acknowledgement" => acknowledge(c, hooks, t, now).await?,
                "route" => route = true,
                "add_skills" | "set_skills" => {
                    crate::routing::set_needs_from_action(
                        c,
                        t.id,
                        &strings(value),
                        field == "set_skills",
                    )
                    .await?;
                    route = true;
                }
                _ => {}
            }
        }
    }
    Ok(Applied { write, route })
}

/// Who a notification names (`[who, subject, body]`): for
/// `notification_user`, `requester_id`, `assignee_id`, `current_user` or a
/// user id; for `notification_group`, every member of `group_id` or of a
/// group id.
async fn recipients(
    c: &mut Conn<'_>,
    t: &Ticket,
    to_group: bool,
    who: Option<&str>,
    actor: &Actor,
) -> Result<Vec<UserId>, AppError> {
    if to_group {
        let group = match who {
            Some("group_id") => t.group_id,
            Some(g) => g.parse().ok().map(domain::GroupId),
            None => None,
        };
        return match group {
            Some(g) => Ok(groups::members(c, g).await?),
            None => Ok(Vec::new()),
        };
    }
    Ok(match who {
        Some("requester_id") => Some(t.requester_id),
        Some("assignee_id") => t.assignee_id,
        Some("current_user") if !actor.is_system() => Some(actor.user),
        Some(other) => other.parse().ok().map(UserId),
        None => None,
    }
    .into_iter()
    .collect())
}

/// A notification by email (`[who, subject, body]`, placeholders filled
/// once) to each recipient with an address.
async fn notify(
    c: &mut Conn<'_>,
    hooks: &Hooks,
    t: &Ticket,
    comment: Option<&Comment>,
    to: &[UserId],
    v: &[String],
    now: Timestamp,
) -> Result<(), AppError> {
    let Some(sender) = hooks.sender(t) else {
        return Ok(());
    };
    if to.is_empty() {
        return Ok(());
    }
    let values = Values::of_ticket(c, t, "en").await?.with(
        "ticket.latest_comment",
        comment.map(|c| c.body.clone()).unwrap_or_default(),
    );
    let subject = values.render(
        v.get(1)
            .map_or("[#{{ticket.id}}] {{ticket.title}}", String::as_str),
    );
    let body = values.render(v.get(2).map_or("", String::as_str));
    for user in to {
        let Some(address) = users::primary_email(c, *user).await? else {
            continue;
        };
        crate::outbox::notification(
            c,
            &sender,
            t,
            address,
            subject.clone(),
            body.clone(),
            OutboundKind::Notification,
            now,
        )
        .await?;
    }
    Ok(())
}

/// The acknowledgement of a new ticket, to its requester (the built-in
/// trigger's action), in their language, from the address they wrote to.
async fn acknowledge(
    c: &mut Conn<'_>,
    hooks: &Hooks,
    t: &Ticket,
    now: Timestamp,
) -> Result<(), AppError> {
    let Some(sender) = hooks.sender(t) else {
        return Ok(());
    };
    let Some(to) = users::primary_email(c, t.requester_id).await? else {
        return Ok(());
    };
    crate::outbox::acknowledge(c, &sender, t, &to, now).await
}

/// Queues a webhook call with the ticket's placeholders filled in (JSON-escaped).
async fn queue_webhook(
    c: &mut Conn<'_>,
    id: &str,
    t: &Ticket,
    rule: i64,
    body: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let Some(hook) = webhooks::get(c, id).await? else {
        tracing::warn!(webhook = id, "a rule names a webhook that does not exist");
        return Ok(());
    };
    if hook.status != "active" {
        return Ok(());
    }
    let payload = if body.trim().is_empty() {
        json!({"ticket": {"id": t.id.0, "title": t.subject, "status": t.status.as_str()}})
            .to_string()
    } else {
        Values::of_ticket(c, t, "en").await?.render_json(body)
    };
    webhooks::enqueue(c, &hook.id, Some(t.id), Some(rule), &payload, now).await?;
    Ok(())
}

/// An SLA target ran out: an audit event on the ticket says which, then
/// the triggers see the ticket with `sla` = `breached`.
pub(crate) async fn sla_breached(
    c: &mut Conn<'_>,
    hooks: &Hooks,
    ticket: TicketId,
    metric: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let Some(t) = tickets::get(c, ticket, false).await? else {
        return Ok(());
    };
    let events = json!([{"type": "SlaBreach", "metric": metric, "value": format!("SLA breached: {metric}")}]);
    store::repo::comments::insert_audit(
        c,
        ticket,
        domain::permission::SYSTEM_USER,
        Channel::Rule,
        &events.to_string(),
        now,
    )
    .await?;
    let mut facts = crate::triggers::facts_at_rest(&t, hooks.book.uses_words);
    facts.now.insert("sla".into(), "breached".into());
    let fired: Vec<CompiledRule> = crate::triggers::fire(&hooks.book, facts)
        .into_iter()
        .cloned()
        .collect();
    if !fired.is_empty() {
        apply(c, hooks, &t, None, &fired, &Actor::system(), None, now).await?;
    }
    Ok(())
}
