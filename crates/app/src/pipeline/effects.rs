//! What fired rules (triggers, automations) ask for, worked out without
//! touching the database, and the deliveries carried out once the ticket
//! stands as the write leaves it: notifications, webhook calls, the
//! acknowledgement and the agent's reply through the outbox.

use super::Hooks;
use crate::AppError;
use crate::placeholders::Values;
use crate::rulebook::CompiledRule;
use crate::tickets::TicketInput;
use domain::model::webhooks::WebhookStatus;
use domain::rules::{Action, NotifyGroup, NotifyUser};
use domain::{Actor, Channel, OutboundKind, RuleId, Timestamp, UserId};
use search::analyze::Language;
use serde_json::json;
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

/// Whom a notification goes to.
#[derive(Clone, Copy)]
pub(crate) enum Recipients {
    User(NotifyUser),
    Group(NotifyGroup),
}

/// Something sent because of a write, against the ticket as it finally
/// stands.
pub(crate) enum Delivery {
    /// An email to users or a group, with its subject (a default when
    /// `None`) and body templates.
    Notify {
        to: Recipients,
        subject: Option<String>,
        body: String,
    },
    /// A call to a webhook with a body template.
    Webhook {
        id: String,
        rule: RuleId,
        body: String,
    },
    /// The "we got your message" mail to the requester.
    Acknowledge,
    /// An agent's public reply, to the customer on the channel the agent
    /// chose (`via`) or the one they last wrote from.
    Reply {
        comment: Comment,
        choice: ReplyChoice,
    },
}

/// How an agent's reply goes out: the channel they chose (else the one
/// the customer last wrote from), where the customer's messaging window
/// is closed the approved template it is, and the buttons it offers.
#[derive(Debug, Clone, Default)]
pub(crate) struct ReplyChoice {
    pub via: Option<Channel>,
    pub template: Option<domain::model::outbox::TemplateUse>,
    pub buttons: Vec<String>,
}

/// The effects of fired rules on a ticket. Actions that do not fit are
/// skipped and logged; they never undo the write that set them off.
pub(crate) fn of_rules(fired: &[CompiledRule], t: &Ticket, actor: &Actor) -> Effects {
    let mut out = Effects::default();
    let field_actions: Vec<Action> = fired
        .iter()
        .flat_map(|r| r.actions.iter().filter(|a| a.changes_ticket()).cloned())
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
        for a in &r.actions {
            match a {
                Action::NotifyUser { to, subject, body } => out.deliveries.push(Delivery::Notify {
                    to: Recipients::User(*to),
                    subject: subject.clone(),
                    body: body.clone(),
                }),
                Action::NotifyGroup { to, subject, body } => {
                    out.deliveries.push(Delivery::Notify {
                        to: Recipients::Group(*to),
                        subject: subject.clone(),
                        body: body.clone(),
                    })
                }
                Action::Webhook { id, body } => out.deliveries.push(Delivery::Webhook {
                    id: id.clone(),
                    rule: r.id,
                    body: body.clone(),
                }),
                Action::SendAcknowledgement => out.deliveries.push(Delivery::Acknowledge),
                Action::Route => out.route = true,
                Action::Skills { values, replace } => {
                    out.skills.push((values.clone(), *replace));
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
            Delivery::Notify { to, subject, body } => {
                let to = recipients(c, t, to, actor).await?;
                notify(c, hooks, t, comment, &to, subject.as_deref(), &body, now).await?
            }
            Delivery::Webhook { id, rule, body } => {
                queue_webhook(c, &id, t, rule, &body, now).await?
            }
            Delivery::Acknowledge => acknowledge(c, hooks, t, now).await?,
            Delivery::Reply { comment, choice } => {
                crate::outbox::reply(c, hooks, t, &comment, choice, now).await?
            }
        }
    }
    Ok(())
}

/// The users a notification goes to: one person, or every member of a
/// group.
async fn recipients(
    c: &mut Conn<'_>,
    t: &Ticket,
    to: Recipients,
    actor: &Actor,
) -> Result<Vec<UserId>, AppError> {
    Ok(match to {
        Recipients::Group(g) => {
            let group = match g {
                NotifyGroup::TicketGroup => t.group_id,
                NotifyGroup::Group(g) => Some(g),
            };
            match group {
                Some(g) => groups::members(c, g).await?,
                None => Vec::new(),
            }
        }
        Recipients::User(u) => match u {
            NotifyUser::Requester => Some(t.requester_id),
            NotifyUser::Assignee => t.assignee_id,
            NotifyUser::CurrentUser if !actor.is_system() => Some(actor.user),
            NotifyUser::CurrentUser => None,
            NotifyUser::User(id) => Some(id),
        }
        .into_iter()
        .collect(),
    })
}

/// A notification by email (`[who, subject, body]`) to each recipient with
/// an address, its placeholders (a status, a priority) in the recipient's
/// language: the customer's as our mail to them speaks it, an agent's from
/// their profile. Rendered once per language.
#[allow(clippy::too_many_arguments)]
async fn notify(
    c: &mut Conn<'_>,
    hooks: &Hooks,
    t: &Ticket,
    comment: Option<&Comment>,
    to: &[UserId],
    subject: Option<&str>,
    body: &str,
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
            let subject = values.render(subject.unwrap_or("[#{{ticket.id}}] {{ticket.title}}"));
            let body = values.render(body);
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
    rule: RuleId,
    body: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let Some(hook) = webhooks::get(c, id).await? else {
        tracing::warn!(webhook = id, "a rule names a webhook that does not exist");
        return Ok(());
    };
    if hook.status != WebhookStatus::Active {
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
