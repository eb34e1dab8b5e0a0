//! Macros (canned changes and replies an agent applies), views (saved
//! queues, compiled to the same search plan as `/search`) and satisfaction
//! ratings (a customer's good/bad on a solved ticket).

mod ratings;
mod views;

use crate::users::clean_tags;
use crate::{App, AppError, FieldError, Paged, Paging};
use domain::{
    Actor, FieldId, GroupId, Priority, Role, Status, TicketId, TicketType, Timestamp, UserId,
};
use search::plan::{Clause, Cond, NamedRef, Plan, ResultType, SortKey, UserRef};
use search::query::Op;
use serde_json::{Value as Json, json};
use store::model::{Macro, View};
use store::paging::page_ids;
use store::repo::{rules, search as sql, tickets};

fn staff_only(actor: &Actor) -> Result<(), AppError> {
    crate::error::require(actor, domain::policy::Capability::WorkTheDesk)
}

fn bad(field: &str, why: impl Into<String>) -> AppError {
    AppError::field(FieldError::invalid(field, why))
}

/// A macro action or view condition value as text (`"solved"`, `5`, `true`).
fn text(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        Json::Array(a) => a.iter().map(text).collect::<Vec<_>>().join(" "),
        Json::Null => String::new(),
        other => other.to_string(),
    }
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

/// Checks a macro's actions and computes their effect on a ticket with
/// `current_tags`, applied by `actor`.
pub fn macro_effect(
    actions: &[(String, Json)],
    current_tags: &[String],
    actor: &Actor,
) -> Result<MacroEffect, AppError> {
    let mut e = MacroEffect::default();
    let mut tags = current_tags.to_vec();
    let mut tags_changed = false;
    let mut public = true;
    let (mut body, mut html) = (None::<String>, None::<String>);
    for (field, value) in actions {
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
        match field.as_str() {
            "subject" => e.subject = Some(v),
            "status" => {
                e.status = Some(
                    v.parse()
                        .map_err(|err: domain::UnknownWord| bad(field, err.to_string()))?,
                )
            }
            "priority" => {
                e.priority = Some(if v.is_empty() {
                    None
                } else {
                    Some(
                        v.parse()
                            .map_err(|err: domain::UnknownWord| bad(field, err.to_string()))?,
                    )
                })
            }
            "type" => {
                e.ticket_type = Some(if v.is_empty() {
                    None
                } else {
                    Some(
                        v.parse()
                            .map_err(|err: domain::UnknownWord| bad(field, err.to_string()))?,
                    )
                })
            }
            "group_id" => e.group_id = Some(opt_id(&v)?.map(GroupId)),
            "assignee_id" if v == "current_user" => e.assignee_id = Some(Some(actor.user)),
            "assignee_id" => e.assignee_id = Some(opt_id(&v)?.map(UserId)),
            "set_tags" => {
                tags = clean_tags(&[v]);
                tags_changed = true;
            }
            "current_tags" => {
                tags.extend(clean_tags(&[v]));
                tags_changed = true;
            }
            "remove_tags" => {
                let gone = clean_tags(&[v]);
                tags.retain(|t| !gone.contains(t));
                tags_changed = true;
            }
            "comment_value" => {
                body = Some(match value {
                    // ["channel:all", "text"]
                    Json::Array(a) => a.last().map(text).unwrap_or_default(),
                    _ => v,
                })
            }
            "comment_value_html" => html = Some(v),
            "comment_mode_is_public" => public = v != "false",
            f if f.starts_with("custom_fields_") => {
                let id = f["custom_fields_".len()..]
                    .parse()
                    .map_err(|_| bad(field, "unknown field"))?;
                e.custom_fields.push((FieldId(id), value.clone()));
            }
            other => return Err(bad("actions", format!("{other} is not a macro action"))),
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

/// Reads `[{field, value}]`.
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

/// Compiles Zendesk view conditions (`{all: [...], any: [...]}`) into a
/// search plan over tickets.
pub fn compile_view(
    conditions: &Json,
    sort_by: Option<&str>,
    sort_order: &str,
) -> Result<Plan, AppError> {
    let cond = |c: &Json| -> Result<(Cond, bool), AppError> {
        let field = c
            .get("field")
            .and_then(Json::as_str)
            .ok_or_else(|| bad("conditions", "each condition needs a field"))?;
        let op = c.get("operator").and_then(Json::as_str).unwrap_or("is");
        let v = text(c.get("value").unwrap_or(&Json::Null));
        let negated = matches!(op, "is_not" | "not_includes");
        let cmp = match op {
            "less_than" => Op::Lt,
            "greater_than" => Op::Gt,
            "is" | "is_not" | "includes" | "not_includes" => Op::Eq,
            other => {
                return Err(bad(
                    "conditions",
                    format!("{other} is not a supported operator"),
                ));
            }
        };
        let user = |v: &str| match v {
            "current_user" => UserRef::Me,
            "" => UserRef::None,
            v => v.parse().map(UserRef::Id).unwrap_or(UserRef::None),
        };
        let named = |v: &str| {
            if v.is_empty() {
                NamedRef::None
            } else {
                v.parse().map(NamedRef::Id).unwrap_or(NamedRef::None)
            }
        };
        let c = match field {
            "status" => Cond::Status(
                cmp,
                v.parse()
                    .map_err(|e: domain::UnknownWord| bad("conditions", e.to_string()))?,
            ),
            "priority" if v.is_empty() => Cond::PriorityNone,
            "priority" => Cond::Priority(
                cmp,
                v.parse()
                    .map_err(|e: domain::UnknownWord| bad("conditions", e.to_string()))?,
            ),
            "type" => Cond::Type(
                v.parse()
                    .map_err(|e: domain::UnknownWord| bad("conditions", e.to_string()))?,
            ),
            "group_id" => Cond::Group(named(&v)),
            "organization_id" => Cond::Organization(named(&v)),
            "assignee_id" => Cond::Assignee(user(&v)),
            "requester_id" => Cond::Requester(user(&v)),
            "current_tags" => {
                let tags = clean_tags(&[v]);
                if tags.is_empty() {
                    return Err(bad("conditions", "current_tags needs a value"));
                }
                // Several tags: any of them. Represented as a nested clause below.
                return Ok((Cond::Tag(tags.join(" ")), negated));
            }
            other => {
                return Err(bad(
                    "conditions",
                    format!("{other} is not a supported condition"),
                ));
            }
        };
        Ok((c, negated))
    };
    let expand = |c: Cond| -> Vec<Cond> {
        match c {
            Cond::Tag(t) if t.contains(' ') => {
                t.split(' ').map(|x| Cond::Tag(x.to_string())).collect()
            }
            other => vec![other],
        }
    };
    let mut plan = Plan {
        types: vec![ResultType::Ticket],
        clauses: vec![],
        text: vec![],
        sort: SortKey::CreatedAt,
        descending: sort_order != "asc",
    };
    for c in conditions
        .get("all")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        let (c, negated) = cond(c)?;
        plan.clauses.push(Clause {
            negated,
            any: expand(c),
        });
    }
    let mut any = Vec::new();
    for c in conditions
        .get("any")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        let (c, negated) = cond(c)?;
        for c in expand(c) {
            any.push(if negated { Cond::Not(Box::new(c)) } else { c });
        }
    }
    if !any.is_empty() {
        plan.clauses.push(Clause {
            negated: false,
            any,
        });
    }
    if plan.clauses.is_empty() {
        return Err(bad("conditions", "a view needs at least one condition"));
    }
    if let Some(s) = sort_by {
        plan.sort = search::parse_sort_key(s)
            .ok_or_else(|| bad("execution", format!("cannot sort by {s}")))?;
    }
    Ok(plan)
}

/// The parts of a macro or view a caller may set.
#[derive(Debug, Clone, Default)]
pub struct RuleInput {
    pub title: Option<String>,
    pub description: Option<Option<String>>,
    pub active: Option<bool>,
    pub position: Option<i64>,
    /// Macros: the actions list.
    pub actions: Option<Json>,
    /// Views: `{all, any}`.
    pub conditions: Option<Json>,
    pub sort_by: Option<Option<String>>,
    pub sort_order: Option<String>,
}

impl App {
    pub async fn save_macro(
        &self,
        actor: Actor,
        id: Option<i64>,
        input: RuleInput,
    ) -> Result<Macro, AppError> {
        // Macros are shared by the whole team (there are no personal ones
        // yet): like Zendesk's shared macros, admins write them.
        crate::error::require(&actor, domain::policy::Capability::ManageMacros)?;
        if let Some(a) = &input.actions {
            macro_effect(&parse_actions(a)?, &[], &actor)?;
        }
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let mut m = match id {
                    Some(id) => rules::macros(c, &[id])
                        .await?
                        .pop()
                        .ok_or(AppError::NotFound)?,
                    None => Macro {
                        id: 0,
                        title: String::new(),
                        description: None,
                        active: true,
                        position: 0,
                        actions: String::new(),
                        created_at: now,
                        updated_at: now,
                    },
                };
                if let Some(t) = input.title {
                    m.title = t.trim().to_string();
                }
                if m.title.is_empty() {
                    return Err(AppError::field(FieldError::blank("title")));
                }
                if let Some(d) = input.description {
                    m.description = d;
                }
                if let Some(a) = input.active {
                    m.active = a;
                }
                if let Some(p) = input.position {
                    m.position = p;
                }
                match input.actions {
                    Some(a) => m.actions = a.to_string(),
                    None if m.id == 0 => return Err(AppError::field(FieldError::blank("actions"))),
                    None => {}
                }
                m.updated_at = now;
                m.id = rules::save_macro(c, &m).await?;
                Ok(m)
            })
        })
        .await
    }

    pub async fn delete_macro(&self, actor: Actor, id: i64) -> Result<(), AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageMacros)?;
        self.write(move |c| {
            Box::pin(async move { crate::error::found(rules::delete_macro(c, id).await?) })
        })
        .await
    }

    pub async fn get_macro(&self, actor: Actor, id: i64) -> Result<Macro, AppError> {
        staff_only(&actor)?;
        let mut rc = self.read().await?;
        rules::macros(&mut rc.conn(), &[id])
            .await?
            .pop()
            .ok_or(AppError::NotFound)
    }

    pub async fn list_macros(
        &self,
        actor: Actor,
        only_active: bool,
        paging: Paging,
    ) -> Result<(Vec<Macro>, Paged), AppError> {
        staff_only(&actor)?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let cond = if only_active {
            "macros t WHERE t.active = TRUE"
        } else {
            "macros t WHERE 1 = 1"
        };
        let page = page_ids(c, cond, vec![], paging).await?;
        Ok((rules::macros(c, &page.ids).await?, page))
    }

    /// What a macro would do, to a given ticket or in general; nothing is saved.
    pub async fn apply_macro(
        &self,
        actor: Actor,
        id: i64,
        ticket: Option<TicketId>,
    ) -> Result<MacroEffect, AppError> {
        let m = self.get_macro(actor, id).await?;
        let t = match ticket {
            Some(t) => Some(self.ticket(actor, t).await?),
            None => None,
        };
        let tags = t.as_ref().map(|t| t.tags.clone()).unwrap_or_default();
        let actions: Json = serde_json::from_str(&m.actions).unwrap_or_else(|_| json!([]));
        let mut actions = parse_actions(&actions)?;
        // A public reply speaks the customer's language, a note the agent's.
        let public = !actions
            .iter()
            .any(|(f, v)| f == "comment_mode_is_public" && text(v) == "false");
        let mut rc = self.read().await?;
        let mut conn = rc.conn();
        let agent = store::repo::users::get(&mut conn, actor.user).await?;
        let requester = match &t {
            Some(t) => store::repo::users::get(&mut conn, t.requester_id).await?,
            None => None,
        };
        let lang = match (&t, public) {
            (Some(t), true) => {
                crate::language::code(crate::language::customer(requester.as_ref(), t))
            }
            _ if agent.as_ref().is_some_and(crate::language::prefers_spanish) => "es",
            _ => "en",
        };
        for (field, value) in actions.iter_mut() {
            if field.starts_with("comment_value")
                && let Json::Object(by_lang) = value
            {
                let chosen = by_lang
                    .get(lang)
                    .or_else(|| by_lang.get("en"))
                    .or_else(|| by_lang.values().next())
                    .cloned()
                    .unwrap_or(Json::Null);
                *value = chosen;
            }
        }
        let mut effect = macro_effect(&actions, &tags, &actor)?;
        if let (Some(t), Some((body, html, _))) = (&t, effect.comment.as_mut()) {
            let values = crate::placeholders::Values::of(t, requester.as_ref(), lang)
                .with_agent(agent.as_ref());
            *body = values.render(body);
            *html = values.render_html(html);
        }
        Ok(effect)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent() -> Actor {
        Actor {
            user: UserId(5),
            role: Role::Agent,
            org: None,
            restricted: false,
        }
    }

    #[test]
    fn macro_actions_preview_their_effect() {
        let actions = parse_actions(&json!([
            {"field": "status", "value": "pending"},
            {"field": "current_tags", "value": "esperando cliente"},
            {"field": "remove_tags", "value": "nuevo"},
            {"field": "assignee_id", "value": "current_user"},
            {"field": "comment_value", "value": ["channel:all", "Hola, ¿nos confirma el número de pedido?"]},
            {"field": "comment_mode_is_public", "value": "true"}
        ]))
        .unwrap_or_default();
        let e =
            macro_effect(&actions, &["nuevo".into(), "vip".into()], &agent()).unwrap_or_default();
        assert_eq!(e.status, Some(Status::Pending));
        assert_eq!(
            e.tags,
            Some(vec!["cliente".into(), "esperando".into(), "vip".into()])
        );
        assert_eq!(e.assignee_id, Some(Some(UserId(5))));
        assert!(
            e.comment
                .as_ref()
                .is_some_and(|c| c.0.starts_with("Hola") && c.2)
        );
        assert!(macro_effect(&[("launch_rockets".into(), json!(1))], &[], &agent()).is_err());
    }

    #[test]
    fn view_conditions_compile_to_plans() {
        let plan = compile_view(&json!({"all": [{"field": "status", "operator": "less_than", "value": "solved"}, {"field": "assignee_id", "operator": "is", "value": "current_user"}], "any": [{"field": "current_tags", "operator": "includes", "value": "vip urgente"}, {"field": "priority", "operator": "is_not", "value": "low"}]}), None, "desc")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(plan.clauses.len(), 3);
        assert_eq!(plan.clauses[2].any.len(), 3);
        assert!(matches!(plan.clauses[2].any[2], Cond::Not(_)));
        assert!(compile_view(&json!({"all": []}), None, "desc").is_err());
        assert!(
            compile_view(
                &json!({"all": [{"field": "status", "operator": "sounds_like", "value": "x"}]}),
                None,
                "desc"
            )
            .is_err()
        );
    }
}
