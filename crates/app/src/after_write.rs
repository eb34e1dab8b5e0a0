//! What follows every ticket write, inside the same transaction: the
//! triggers (their field changes as one audit by atiende, their
//! notifications queued in the outbox, their webhook calls queued for the
//! sender), the SLA clock, and routing. A trigger action that does not fit
//! the ticket (say, "solved" on a ticket nobody is assigned to) is skipped
//! and logged; it never undoes the write that set it off.

use crate::AppError;
use crate::email::{MailboxDirectory, ReplyAddress};
use crate::outbox::MailSettings;
use crate::rulebook::{CompiledRule, RuleBook};
use crate::tickets::{TicketInput, TicketWrite, update_in};
use domain::rules::UpdateType;
use domain::{Actor, Channel, OutboundKind, TicketId, Timestamp, UserId};
use serde_json::{Value as Json, json};
use std::sync::Arc;
use store::Conn;
use store::model::Ticket;
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
fn is_field_action(field: &str) -> bool {
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
    let mut happenings =
        crate::sla::happenings(&w.ticket, before.as_ref(), w.comment.as_ref(), &actor);
    let mut route_now = false;
    if !book.triggers.is_empty() {
        let facts = crate::triggers::facts(
            &w.ticket,
            before.as_ref(),
            w.comment.as_ref(),
            &actor,
            update,
            book.uses_words,
        );
        let fired: Vec<CompiledRule> = crate::triggers::fire(book, facts)
            .into_iter()
            .cloned()
            .collect();
        if !fired.is_empty() {
            let status_before = w.ticket.status;
            route_now = apply(c, hooks, &mut w, &fired, &actor, now).await?;
            if w.ticket.status != status_before {
                happenings.push(domain::sla::Happening::Status(w.ticket.status));
            }
        }
    }
    if !book.policies.is_empty() {
        let final_facts = crate::triggers::facts(
            &w.ticket,
            before.as_ref(),
            w.comment.as_ref(),
            &actor,
            update,
            book.uses_words,
        );
        crate::sla::on_ticket_write(c, book, &w.ticket, &happenings, &final_facts, now).await?;
    }
    crate::routing::on_ticket_write(c, book, &w, &actor, route_now, now).await?;
    Ok(w)
}

/// Applies fired triggers: field changes in one audit (via rule), the rest
/// as queued effects. Returns whether a trigger asked to route the ticket.
async fn apply(
    c: &mut Conn<'_>,
    hooks: &Hooks,
    w: &mut TicketWrite,
    fired: &[CompiledRule],
    actor: &Actor,
    now: Timestamp,
) -> Result<bool, AppError> {
    let field_actions: Vec<(String, Json)> = fired
        .iter()
        .flat_map(|r| {
            r.actions
                .iter()
                .filter(|(f, _)| is_field_action(f))
                .cloned()
        })
        .collect();
    if !field_actions.is_empty() {
        match crate::rules::macro_effect(&field_actions, &w.ticket.tags, actor) {
            Ok(effect) => {
                let input: TicketInput = effect.into_input();
                match update_in(
                    c,
                    Actor::system(),
                    w.ticket.id,
                    input,
                    None,
                    Channel::Rule,
                    now,
                )
                .await
                {
                    Ok(after) => w.ticket = after.ticket,
                    Err(
                        e @ (AppError::Invalid(_) | AppError::Forbidden(_) | AppError::Conflict(_)),
                    ) => {
                        tracing::warn!(ticket = %w.ticket.id, error = %e, "a trigger's changes do not fit the ticket; skipped");
                    }
                    Err(e) => return Err(e),
                }
            }
            Err(e) => {
                tracing::warn!(ticket = %w.ticket.id, error = %e, "a trigger's actions are not valid; skipped")
            }
        }
    }
    apply_side_effects(c, hooks, w, fired, actor, now).await
}

/// The effects of fired rules beyond the ticket's fields: notifications,
/// webhook calls, routing. Returns whether a rule asked to route.
pub(crate) async fn apply_side_effects(
    c: &mut Conn<'_>,
    hooks: &Hooks,
    w: &mut TicketWrite,
    fired: &[CompiledRule],
    actor: &Actor,
    now: Timestamp,
) -> Result<bool, AppError> {
    let mut route = false;
    for r in fired {
        for (field, value) in &r.actions {
            match field.as_str() {
                "notification_user" => {
                    notify_user(c, hooks, w, r, &strings(value), actor, now).await?
                }
                "notification_group" => {
                    notify_group(c, hooks, w, &strings(value), actor, now).await?
                }
                "notification_webhook" => {
                    let v = strings(value);
                    if let Some(id) = v.first() {
                        let body = v.get(1).cloned().unwrap_or_default();
                        queue_webhook(c, id, &w.ticket, r.id, &body, now).await?;
                    }
                }
                "send_acknowledgement" => acknowledge(c, hooks, &w.ticket, now).await?,
                "route" => route = true,
                "add_skills" | "set_skills" => {
                    crate::routing::set_needs_from_action(
                        c,
                        w.ticket.id,
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
    Ok(route)
}

/// The value of a notification placeholder.
async fn placeholders(
    c: &mut Conn<'_>,
    t: &Ticket,
    comment: Option<&str>,
) -> Result<Vec<(String, String)>, AppError> {
    let requester = users::get(c, t.requester_id)
        .await?
        .map(|u| u.name)
        .unwrap_or_default();
    Ok(vec![
        ("ticket.id".into(), t.id.to_string()),
        ("ticket.title".into(), t.subject.clone()),
        ("ticket.status".into(), t.status.as_str().into()),
        (
            "ticket.priority".into(),
            t.priority
                .map(|p| p.as_str().to_string())
                .unwrap_or_default(),
        ),
        ("ticket.requester.name".into(), requester.clone()),
        (
            "ticket.requester.first_name".into(),
            requester.split_whitespace().next().unwrap_or("").into(),
        ),
        ("ticket.latest_comment".into(), comment.unwrap_or("").into()),
        ("ticket.description".into(), t.description.clone()),
        ("ticket.url".into(), format!("/agent/tickets/{}", t.id)),
    ])
}

fn render(text: &str, values: &[(String, String)], json_escape: bool) -> String {
    crate::placeholders::render(text, |n| {
        values.iter().find(|(k, _)| k == n).map(|(_, v)| {
            if json_escape {
                let s = Json::String(v.clone()).to_string();
                s[1..s.len() - 1].to_string()
            } else {
                v.clone()
            }
        })
    })
}

/// A notification by email to someone: `[recipient, subject, body]`, the
/// recipient `requester_id`, `assignee_id`, `current_user` or a user id.
async fn notify_user(
    c: &mut Conn<'_>,
    hooks: &Hooks,
    w: &TicketWrite,
    rule: &CompiledRule,
    v: &[String],
    actor: &Actor,
    now: Timestamp,
) -> Result<(), AppError> {
    let Some(who) = v.first() else { return Ok(()) };
    let user = match who.as_str() {
        "requester_id" => Some(w.ticket.requester_id),
        "assignee_id" => w.ticket.assignee_id,
        "current_user" if !actor.is_system() => Some(actor.user),
        other => other.parse().ok().map(UserId),
    };
    let Some(user) = user else { return Ok(()) };
    send_notification(c, hooks, w, &rule.title, user, v, now).await
}

/// A notification to every member of a group: `[group_id, subject, body]`.
async fn notify_group(
    c: &mut Conn<'_>,
    hooks: &Hooks,
    w: &TicketWrite,
    v: &[String],
    _actor: &Actor,
    now: Timestamp,
) -> Result<(), AppError> {
    let group = match v.first().map(String::as_str) {
        Some("group_id") => w.ticket.group_id,
        Some(g) => g.parse().ok().map(domain::GroupId),
        None => None,
    };
    let Some(group) = group else { return Ok(()) };
    for m in groups::members(c, group).await? {
        send_notification(c, hooks, w, "group", m, v, now).await?;
    }
    Ok(())
}

async fn send_notification(
    c: &mut Conn<'_>,
    hooks: &Hooks,
    w: &TicketWrite,
    _why: &str,
    user: UserId,
    v: &[String],
    now: Timestamp,
) -> Result<(), AppError> {
    let (Some(settings), Some(reply_address)) = (&hooks.mail, &hooks.reply_address) else {
        return Ok(());
    };
    let Some(to) = users::primary_email(c, user).await? else {
        return Ok(());
    };
    let values = placeholders(c, &w.ticket, w.comment.as_ref().map(|c| c.body.as_str())).await?;
    let subject = render(
        v.get(1)
            .map_or("[#{{ticket.id}}] {{ticket.title}}", String::as_str),
        &values,
        false,
    );
    let body = render(v.get(2).map_or("", String::as_str), &values, false);
    let mailbox = hooks.mailboxes.sender_for(w.ticket.recipient.as_deref());
    let sender = crate::outbox::Sender {
        settings,
        mailbox: mailbox.as_ref(),
        reply_address,
    };
    crate::outbox::notification(
        c,
        &sender,
        &w.ticket,
        to,
        subject,
        body,
        OutboundKind::Notification,
        now,
    )
    .await
}

/// The acknowledgement of a new ticket, to its requester (the built-in
/// trigger's action), in their language, from the address they wrote to.
async fn acknowledge(
    c: &mut Conn<'_>,
    hooks: &Hooks,
    t: &Ticket,
    now: Timestamp,
) -> Result<(), AppError> {
    let (Some(settings), Some(reply_address)) = (&hooks.mail, &hooks.reply_address) else {
        return Ok(());
    };
    let Some(user) = users::get(c, t.requester_id).await? else {
        return Ok(());
    };
    let Some(to) = users::primary_email(c, t.requester_id).await? else {
        return Ok(());
    };
    let mailbox = hooks.mailboxes.sender_for(t.recipient.as_deref());
    crate::outbox::acknowledge(
        c,
        settings,
        mailbox.as_ref(),
        reply_address,
        t,
        &to,
        &user.name,
        now,
    )
    .await
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
        tracing::warn!(
            webhook = id,
            "a trigger names a webhook that does not exist"
        );
        return Ok(());
    };
    if hook.status != "active" {
        return Ok(());
    }
    let values = placeholders(c, t, None).await?;
    let payload = if body.trim().is_empty() {
        json!({"ticket": {"id": t.id.0, "title": t.subject, "status": t.status.as_str()}})
            .to_string()
    } else {
        render(body, &values, true)
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
    let mut facts = crate::triggers::facts(
        &t,
        Some(&t),
        None,
        &Actor::system(),
        UpdateType::Change,
        hooks.book.uses_words,
    );
    facts.now.insert("sla".into(), "breached".into());
    let fired: Vec<CompiledRule> = crate::triggers::fire(&hooks.book, facts)
        .into_iter()
        .cloned()
        .collect();
    if fired.is_empty() {
        return Ok(());
    }
    let mut w = TicketWrite {
        ticket: t.clone(),
        audit: store::model::Audit {
            id: domain::AuditId(0),
            ticket_id: ticket,
            author_id: domain::permission::SYSTEM_USER,
            via: Channel::Rule,
            events: events.to_string(),
            created_at: now,
        },
        comment: None,
        before: Some(t),
    };
    apply(c, hooks, &mut w, &fired, &Actor::system(), now).await?;
    Ok(())
}
