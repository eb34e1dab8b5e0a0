//! What fired rules (triggers, automations) ask for, worked out without
//! touching the database, and the deliveries carried out once the ticket
//! stands as the write leaves it: notifications, webhook calls, the
//! acknowledgement and the agent's reply through the outbox.

use super::Hooks;
use crate::AppError;
use crate::placeholders::Values;
use crate::rulebook::CompiledRule;
use crate::tickets::TicketInput;
use domain::{Actor, OutboundKind, Timestamp, UserId};
use search::analyze::Language;
use serde_json::{Value as Json, json};
use store::Conn;
use store::model::{Comment, Ticket};
use store::repo::{groups, users, webhooks};

/// What one stage asks of the rest of the write.
#[derive(Default)]
pub(crate) struct Effects {
    /// Field changes, written together as one audit by atiende.
    pub changes: Option<TicketInput>,
    /// Skills the ticket needs (`add_skills` / `set_skills`), set before
    /// routing decides.
    pub skills: Vec<(Vec<String>, bool)>,
    /// A rule asked for the ticket to be routed.
    pub route: bool,
    /// What goes out once the ticket is written.
    pub deliveries: Vec<Delivery>,
}

/// Something sent because of a write, against the ticket as it finally
/// stands.
pub(crate) enum Delivery {
    /// An email to users or a group (`notification_user`,
    /// `notification_group`): `[who, subject, body]`.
    Notify { to_group: bool, args: Vec<String> },
    /// A call to a webhook with a body template.
    Webhook {
        id: String,
        rule: i64,
        body: String,
    },
    /// The "we got your message" mail to the requester.
    Acknowledge,
    /// An agent's public reply, to the customer on their channel.
    Reply(Comment),
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

/// The effects of fired rules on a ticket. Actions that are not valid are
/// skipped and logged; they never undo the write that set them off.
pub(crate) fn of_rules(fired: &[CompiledRule], t: &Ticket, actor: &Actor) -> Effects {
    let mut out = Effects::default();
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
        match crate::rules::macro_effect(&field_actions, &t.tags, actor) {
            Ok(effect) => out.changes = Some(effect.into_input()),
            Err(e) => {
                tracing::warn!(ticket = %t.id, error = %e, "a rule's actions are not valid; skipped")
            }
        }
    }
    for r in fired {
        for (field, value) in &r.actions {
            match field.as_str() {
                "notification_user" | "notification_group" => {
                    out.deliveries.push(Delivery::Notify {
                        to_group: field == "notification_group",
                        args: strings(value),
                    })
                }
                "notification_webhook" => {
                    let v = strings(value);
                    if let Some(id) = v.first() {
                        out.deliveries.push(Delivery::Webhook {
                            id: id.clone(),
                            rule: r.id,
                            body: v.get(1).cloned().unwrap_or_default(),
                        });
                    }
                }
                "send_acknowledgement" => out.deliveries.push(Delivery::Acknowledge),
                "route" => out.route = true,
                "add_skills" | "set_skills" => {
                    out.skills.push((strings(value), field == "set_skills"));
                    out.route = true;
                }
                _ => {}
            }
        }
    }
    out
}

impl Effects {
    /// Adds a later stage's effects; its field changes go on top.
    pub(crate) fn extend(&mut self, other: Effects) {
        if let Some(more) = other.changes {
            self.changes = Some(match self.changes.take() {
                Some(mut mine) => {
                    mine.merge(more);
                    mine
                }
                None => more,
            });
        }
        self.skills.extend(other.skills);
        self.route |= other.route;
        self.deliveries.extend(other.deliveries);
    }
}

/// Carries out the deliveries against the ticket as it finally stands.
pub(crate) async fn deliver(
    c: &mut Conn<'_>,
    hooks: &Hooks,
    t: &Ticket,
    comment: Option<&Comment>,
    actor: &Actor,
    deliveries: Vec<Delivery>,
    now: Timestamp,
) -> Result<(), AppError> {
    for d in deliveries {
        match d {
            Delivery::Notify { to_group, args } => {
                let to = recipients(c, t, to_group, args.first().map(String::as_str), actor).await?;
                notify(c, hooks, t, comment, &to, &args, now).await?
            }
            Delivery::Webhook { id, rule, body } => {
                queue_webhook(c, &id, t, rule, &body, now).await?
            }
            Delivery::Acknowledge => acknowledge(c, hooks, t, now).await?,
            Delivery::Reply(cm) => {
                if let Some(sender) = hooks.sender(t) {
                    crate::outbox::reply(c, &sender, t, &cm, cm.author_id, now).await?;
                }
            }
        }
    }
    Ok(())
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

/// A notification by email (`[who, subject, body]`) to each recipient with
/// an address, its placeholders (a status, a priority) in the recipient's
/// language: the customer's as our mail to them speaks it, an agent's from
/// their profile. Rendered once per language.
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
    let requester = users::get(c, t.requester_id).await?;
    let latest = comment.map(|c| c.body.clone()).unwrap_or_default();
    let mut rendered: Vec<(&'static str, String, String)> = Vec::new();
    for user in to {
        let Some(address) = users::primary_email(c, *user).await? else {
            continue;
        };
        let lang = if *user == t.requester_id {
            crate::language::customer(requester.as_ref(), t)
        } else {
            match users::get(c, *user).await? {
                Some(u) if crate::language::prefers_spanish(&u) => Language::Spanish,
                _ => Language::English,
            }
        };
        let code = crate::language::code(lang);
        if !rendered.iter().any(|(l, _, _)| *l == code) {
            let values = Values::of(t, requester.as_ref(), code)
                .with("ticket.latest_comment", latest.clone());
            let subject = values.render(
                v.get(1)
                    .map_or("[#{{ticket.id}}] {{ticket.title}}", String::as_str),
            );
            let body = values.render(v.get(2).map_or("", String::as_str));
            rendered.push((code, subject, body));
        }
        let Some((_, subject, body)) = rendered.iter().find(|(l, _, _)| *l == code) else {
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
