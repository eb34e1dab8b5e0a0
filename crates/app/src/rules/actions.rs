//! Actions of triggers, automations and macros: Zendesk's `{field, value}`
//! pairs read once into typed [`Action`]s, and what a macro's actions
//! would change on a ticket.

use super::bad;
use crate::AppError;
use crate::users::clean_tags;
use domain::rules::{Action, AssignTo, NotifyGroup, NotifyUser};
use domain::{Actor, FieldId, GroupId, Priority, Status, TicketType, UserId};
use serde_json::Value as Json;

/// A macro action or view condition value as text (`"solved"`, `5`, `true`).
pub(crate) fn text(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        Json::Array(a) => a.iter().map(text).collect::<Vec<_>>().join(" "),
        Json::Null => String::new(),
        other => other.to_string(),
    }
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

/// Reads `[{field, value}]` as pairs (macros choose a comment's language
/// on these before typing them).
pub fn parse_actions(v: &Json) -> Result<Vec<(String, Json)>, AppError> {
    let list = v
        .as_array()
        .ok_or_else(|| bad("actions", "must be a list of {field, value}"))?;
    list.iter()
        .map(
            |a| match (a.get("field").and_then(Json::as_str), a.get("value")) {
                (Some(f), Some(v)) => Ok((f.to_string(), v.clone())),
                _ => Err(bad("actions", "each action needs a field and a value")),
            },
        )
        .collect()
}

/// Types every pair; an unknown field or a value that does not fit is
/// refused with the field named.
pub fn typed_actions(pairs: &[(String, Json)]) -> Result<Vec<Action>, AppError> {
    pairs.iter().map(|(f, v)| action(f, v)).collect()
}

/// The Zendesk field name of an action (for messages).
pub fn field_name(a: &Action) -> &'static str {
    match a {
        Action::Subject(_) => "subject",
        Action::Status(_) => "status",
        Action::Priority(_) => "priority",
        Action::Type(_) => "type",
        Action::Group(_) => "group_id",
        Action::Assignee(_) => "assignee_id",
        Action::SetTags(_) => "set_tags",
        Action::AddTags(_) => "current_tags",
        Action::RemoveTags(_) => "remove_tags",
        Action::CustomField(..) => "custom_fields",
        Action::CommentText(_) => "comment_value",
        Action::CommentHtml(_) => "comment_value_html",
        Action::CommentPublic(_) => "comment_mode_is_public",
        Action::NotifyUser { .. } => "notification_user",
        Action::NotifyGroup { .. } => "notification_group",
        Action::Webhook { .. } => "notification_webhook",
        Action::SendAcknowledgement => "send_acknowledgement",
        Action::Route => "route",
        Action::Skills { replace: false, .. } => "add_skills",
        Action::Skills { replace: true, .. } => "set_skills",
    }
}

/// One `{field, value}` pair as an action.
fn action(field: &str, value: &Json) -> Result<Action, AppError> {
    let v = text(value);
    let opt_id = |v: &str| -> Result<Option<i64>, AppError> {
        if v.is_empty() {
            Ok(None)
        } else {
            v.parse()
                .map(Some)
                .map_err(|_| bad(field, format!("{v} is not an id")))
        }
    };
    let word = |err: domain::UnknownWord| bad(field, err.to_string());
    Ok(match field {
        "subject" => Action::Subject(v),
        "status" => Action::Status(v.parse().map_err(word)?),
        "priority" => Action::Priority(if v.is_empty() {
            None
        } else {
            Some(v.parse::<Priority>().map_err(word)?)
        }),
        "type" => Action::Type(if v.is_empty() {
            None
        } else {
            Some(v.parse::<TicketType>().map_err(word)?)
        }),
        "group_id" => Action::Group(opt_id(&v)?.map(GroupId)),
        "assignee_id" if v == "current_user" => Action::Assignee(AssignTo::CurrentUser),
        "assignee_id" => Action::Assignee(match opt_id(&v)? {
            Some(id) => AssignTo::User(UserId(id)),
            None => AssignTo::Nobody,
        }),
        "set_tags" => Action::SetTags(v),
        "current_tags" => Action::AddTags(v),
        "remove_tags" => Action::RemoveTags(v),
        "comment_value" => Action::CommentText(match value {
            // ["channel:all", "text"]
            Json::Array(a) => a.last().map(text).unwrap_or_default(),
            _ => v,
        }),
        "comment_value_html" => Action::CommentHtml(v),
        "comment_mode_is_public" => Action::CommentPublic(v != "false"),
        f if f.starts_with("custom_fields_") => Action::CustomField(
            FieldId(
                f["custom_fields_".len()..]
                    .parse()
                    .map_err(|_| bad(field, "unknown field"))?,
            ),
            value.clone(),
        ),
        "notification_user" => {
            let args = strings(value);
            let to = match args.first().map(String::as_str) {
                Some("requester_id") => NotifyUser::Requester,
                Some("assignee_id") => NotifyUser::Assignee,
                Some("current_user") => NotifyUser::CurrentUser,
                Some(id) => NotifyUser::User(UserId(
                    id.parse()
                        .map_err(|_| bad(field, format!("{id:?} is not a recipient")))?,
                )),
                None => return Err(bad(field, "name the recipient first")),
            };
            Action::NotifyUser {
                to,
                subject: args.get(1).cloned(),
                body: args.get(2).cloned().unwrap_or_default(),
            }
        }
        "notification_group" => {
            let args = strings(value);
            let to = match args.first().map(String::as_str) {
                Some("group_id") => NotifyGroup::TicketGroup,
                Some(id) => NotifyGroup::Group(GroupId(
                    id.parse()
                        .map_err(|_| bad(field, format!("{id:?} is not a group")))?,
                )),
                None => return Err(bad(field, "name the group first")),
            };
            Action::NotifyGroup {
                to,
                subject: args.get(1).cloned(),
                body: args.get(2).cloned().unwrap_or_default(),
            }
        }
        "notification_webhook" => {
            let args = strings(value);
            Action::Webhook {
                id: args.first().cloned().unwrap_or_default(),
                body: args.get(1).cloned().unwrap_or_default(),
            }
        }
        "send_acknowledgement" => Action::SendAcknowledgement,
        "route" => Action::Route,
        "add_skills" | "set_skills" => Action::Skills {
            values: strings(value),
            replace: field == "set_skills",
        },
        other => return Err(bad("actions", format!("{other} is not an action"))),
    })
}

/// What applying a macro would change; nothing is saved.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MacroEffect {
    pub subject: Option<String>,
    pub status: Option<Status>,
    pub priority: Option<Option<Priority>>,
    pub ticket_type: Option<Option<TicketType>>,
    pub group_id: Option<Option<GroupId>>,
    pub assignee_id: Option<Option<UserId>>,
    pub tags: Option<Vec<String>>,
    pub custom_fields: Vec<(FieldId, Json)>,
    /// Body, HTML body, public.
    pub comment: Option<(String, String, bool)>,
}

impl MacroEffect {
    /// The macro's changes as a ticket update (its comment included, as a
    /// public reply or note), to apply in one audit.
    pub fn into_input(self) -> crate::tickets::TicketInput {
        crate::tickets::TicketInput {
            subject: self.subject,
            status: self.status,
            priority: self.priority,
            ticket_type: self.ticket_type,
            group_id: self.group_id,
            assignee_id: self.assignee_id,
            tags: self.tags,
            custom_fields: self.custom_fields,
            comment: self
                .comment
                .map(|(body, html, public)| crate::tickets::CommentInput {
                    body: Some(body),
                    html_body: Some(html).filter(|h| !h.is_empty()),
                    public: Some(public),
                    ..Default::default()
                }),
            ..Default::default()
        }
    }
}

/// Computes what a macro's (or a rule's ticket-changing) actions do to a
/// ticket with `current_tags`, applied by `actor`. Actions that do not
/// belong in a macro are refused.
pub fn macro_effect(
    actions: &[Action],
    current_tags: &[String],
    actor: &Actor,
) -> Result<MacroEffect, AppError> {
    let mut e = MacroEffect::default();
    let mut tags = current_tags.to_vec();
    let mut tags_changed = false;
    let mut public = true;
    let (mut body, mut html) = (None::<String>, None::<String>);
    for a in actions {
        match a {
            Action::Subject(s) => e.subject = Some(s.clone()),
            Action::Status(s) => e.status = Some(*s),
            Action::Priority(p) => e.priority = Some(*p),
            Action::Type(t) => e.ticket_type = Some(*t),
            Action::Group(g) => e.group_id = Some(*g),
            Action::Assignee(AssignTo::CurrentUser) => e.assignee_id = Some(Some(actor.user)),
            Action::Assignee(AssignTo::User(u)) => e.assignee_id = Some(Some(*u)),
            Action::Assignee(AssignTo::Nobody) => e.assignee_id = Some(None),
            Action::SetTags(v) => {
                tags = clean_tags(std::slice::from_ref(v));
                tags_changed = true;
            }
            Action::AddTags(v) => {
                tags.extend(clean_tags(std::slice::from_ref(v)));
                tags_changed = true;
            }
            Action::RemoveTags(v) => {
                let gone = clean_tags(std::slice::from_ref(v));
                tags.retain(|t| !gone.contains(t));
                tags_changed = true;
            }
            Action::CustomField(id, v) => e.custom_fields.push((*id, v.clone())),
            Action::CommentText(t) => body = Some(t.clone()),
            Action::CommentHtml(h) => html = Some(h.clone()),
            Action::CommentPublic(p) => public = *p,
            other => {
                return Err(bad(
                    "actions",
                    format!("{} is not a macro action", field_name(other)),
                ));
            }
        }
    }
    if tags_changed {
        e.tags = Some(clean_tags(&tags));
    }
    e.comment = match (body, html) {
        (None, None) => None,
        (b, h) => {
            let html = h
                .map(|h| crate::sanitize::clean_html(&h))
                .unwrap_or_else(|| crate::sanitize::text_to_html(b.as_deref().unwrap_or("")));
            let body = b.unwrap_or_else(|| crate::sanitize::html_to_text(&html));
            Some((body, html, public))
        }
    };
    Ok(e)
}
