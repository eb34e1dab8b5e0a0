//! Macros (canned changes and replies an agent applies), views (saved
//! queues, compiled to the same search plan as `/search`) and satisfaction
//! ratings (a customer's good/bad on a solved ticket).

mod actions;
mod definitions;
mod ratings;
mod views;

pub(crate) use actions::text;
pub use actions::{MacroEffect, field_name, macro_effect, parse_actions, typed_actions};
pub use definitions::{Choice, Definition, Definitions, OperatorChoice, RuleSet, ValueKind};
pub use ratings::RatingFilter;

use crate::users::clean_tags;
use crate::{App, AppError, FieldError, Paged, Paging};
use domain::audit_log::{AdminAction, AdminChange, AdminSource};
use domain::{Actor, MacroId, Role, TicketId, Timestamp, ViewId};
use search::plan::{Clause, Cond, NamedRef, Plan, ResultType, SortKey, UserRef};
use search::query::Op;
use serde_json::{Value as Json, json};
use store::model::{Macro, SortOrder, View};
use store::paging::page_ids;
use store::repo::{rules, search as sql, tickets};

fn staff_only(actor: &Actor) -> Result<(), AppError> {
    crate::error::require(actor, domain::policy::Capability::WorkTheDesk)
}

fn bad(field: &str, why: impl Into<String>) -> AppError {
    AppError::field(FieldError::invalid(field, why))
}

/// Compiles Zendesk view conditions (`{all: [...], any: [...]}`) into a
/// search plan over tickets.
pub fn compile_view(
    conditions: &Json,
    sort_by: Option<&str>,
    sort_order: SortOrder,
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
        descending: sort_order == SortOrder::Desc,
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
        id: Option<MacroId>,
        input: RuleInput,
    ) -> Result<Macro, AppError> {
        // Macros are shared by the whole team (there are no personal ones
        // yet): like Zendesk's shared macros, admins write them.
        crate::error::require(&actor, domain::policy::Capability::ManageMacros)?;
        if let Some(a) = &input.actions {
            macro_effect(&typed_actions(&parse_actions(a)?)?, &[], &actor)?;
        }
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let mut m = match id {
                    Some(id) => rules::macros(c, &[id.0])
                        .await?
                        .pop()
                        .ok_or(AppError::NotFound)?,
                    None => Macro {
                        id: MacroId(0),
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
                    None if m.id.0 == 0 => {
                        return Err(AppError::field(FieldError::blank("actions")));
                    }
                    None => {}
                }
                m.updated_at = now;
                let action = if m.id.0 == 0 {
                    AdminAction::Create
                } else {
                    AdminAction::Update
                };
                m.id = rules::save_macro(c, &m).await?;
                let change = AdminChange::new(action, AdminSource::Rule, m.id.0, &m.title);
                crate::audit_log::record(c, &actor, change, now).await?;
                Ok(m)
            })
        })
        .await
    }

    pub async fn delete_macro(&self, actor: Actor, id: MacroId) -> Result<(), AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageMacros)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let m = rules::macros(c, &[id.0])
                    .await?
                    .pop()
                    .ok_or(AppError::NotFound)?;
                let change =
                    AdminChange::new(AdminAction::Destroy, AdminSource::Rule, id.0, &m.title);
                crate::audit_log::record(c, &actor, change, now).await?;
                crate::error::found(rules::delete_macro(c, id).await?)
            })
        })
        .await
    }

    pub async fn get_macro(&self, actor: Actor, id: MacroId) -> Result<Macro, AppError> {
        staff_only(&actor)?;
        let mut rc = self.read().await?;
        rules::macros(&mut rc.conn(), &[id.0])
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
        id: MacroId,
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
        let mut effect = macro_effect(&typed_actions(&actions)?, &tags, &actor)?;
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
    use domain::{Status, UserId};

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
        let actions = typed_actions(&actions).unwrap_or_default();
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
        assert!(typed_actions(&[("launch_rockets".into(), json!(1))]).is_err());
        let notify = typed_actions(&[(
            "notification_user".into(),
            json!(["requester_id", "s", "b"]),
        )])
        .unwrap_or_default();
        assert!(
            macro_effect(&notify, &[], &agent()).is_err(),
            "a macro does not notify"
        );
        assert!(
            typed_actions(&[("notification_user".into(), json!(["nadie", "s", "b"]))]).is_err()
        );
    }

    #[test]
    fn view_conditions_compile_to_plans() {
        let plan = compile_view(&json!({"all": [{"field": "status", "operator": "less_than", "value": "solved"}, {"field": "assignee_id", "operator": "is", "value": "current_user"}], "any": [{"field": "current_tags", "operator": "includes", "value": "vip urgente"}, {"field": "priority", "operator": "is_not", "value": "low"}]}), None, SortOrder::Desc)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(plan.clauses.len(), 3);
        assert_eq!(plan.clauses[2].any.len(), 3);
        assert!(matches!(plan.clauses[2].any[2], Cond::Not(_)));
        assert!(compile_view(&json!({"all": []}), None, SortOrder::Desc).is_err());
        assert!(
            compile_view(
                &json!({"all": [{"field": "status", "operator": "sounds_like", "value": "x"}]}),
                None,
                SortOrder::Desc
            )
            .is_err()
        );
    }
}
