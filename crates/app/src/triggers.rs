//! Triggers: ordered condition-action rules run on every ticket create and
//! update, in the same transaction, with Zendesk's semantics: every active
//! trigger is checked in order; one whose conditions hold fires its
//! actions, which change the facts the later ones see; after a pass that
//! fired anything, the triggers that have not fired are checked again;
//! each fires at most once per update, so rules cannot loop. The changes
//! of all fired triggers land as one audit by atiende itself.

use crate::rulebook::{CompiledRule, RuleBook};
use domain::rules::{Action, AssignTo, Facts, UpdateType};
use domain::{Actor, Role};
use store::model::{Comment, Ticket};

/// The facts of a ticket change, as conditions see them.
/// `words`: whether any rule looks at words (folding a long comment is
/// the costly part, and on SQLite it runs on the one writer thread).
pub fn facts(
    t: &Ticket,
    before: Option<&Ticket>,
    comment: Option<&Comment>,
    actor: &Actor,
    update: UpdateType,
    words: bool,
) -> Facts {
    let fold = |s: &str| {
        if words {
            search::fold(s).to_lowercase()
        } else {
            String::new()
        }
    };
    let mut f = Facts {
        update: Some(update),
        tags: t.tags.clone(),
        comment: comment.map(|c| (c.public, fold(&c.body))),
        subject_words: fold(&t.subject),
        role: if actor.is_system() {
            "system".into()
        } else {
            match actor.role {
                Role::EndUser => "end_user".into(),
                Role::Agent => "agent".into(),
                Role::Admin => "admin".into(),
            }
        },
        ..Default::default()
    };
    fill(&mut f.now, t);
    f.now
        .insert("current_user".into(), actor.user.0.to_string());
    if let Some(b) = before {
        fill(&mut f.before, b);
    }
    f
}

/// The facts of a ticket nobody is changing, as time-based work (SLA
/// breaches, automations) sees it: atiende itself, looking at the ticket
/// as it is.
pub fn facts_at_rest(t: &Ticket, words: bool) -> Facts {
    facts(
        t,
        Some(t),
        None,
        &Actor::system(),
        UpdateType::Change,
        words,
    )
}

fn fill(m: &mut std::collections::HashMap<String, String>, t: &Ticket) {
    let id = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
    m.insert("status".into(), t.status.as_str().into());
    m.insert(
        "priority".into(),
        t.priority
            .map(|p| p.as_str().to_string())
            .unwrap_or_default(),
    );
    m.insert(
        "type".into(),
        t.ticket_type
            .map(|p| p.as_str().to_string())
            .unwrap_or_default(),
    );
    m.insert("group_id".into(), id(t.group_id.map(|g| g.0)));
    m.insert("assignee_id".into(), id(t.assignee_id.map(|g| g.0)));
    m.insert("requester_id".into(), t.requester_id.0.to_string());
    m.insert("organization_id".into(), id(t.organization_id.map(|g| g.0)));
    m.insert("via_id".into(), t.via.as_str().into());
    m.insert("recipient".into(), t.recipient.clone().unwrap_or_default());
    for (fid, v) in &t.custom_fields {
        m.insert(format!("custom_fields_{}", fid.0), v.clone());
    }
}

/// Facts after an action changed a field, for the triggers that follow.
fn apply_to_facts(f: &mut Facts, action: &Action) {
    let mut set = |k: &str, v: String| {
        f.now.insert(k.into(), v);
    };
    let id = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
    match action {
        Action::Status(s) => set("status", s.as_str().into()),
        Action::Priority(p) => set("priority", p.map(|p| p.as_str()).unwrap_or("").into()),
        Action::Type(t) => set("type", t.map(|t| t.as_str()).unwrap_or("").into()),
        Action::Group(g) => set("group_id", id(g.map(|g| g.0))),
        Action::Assignee(a) => {
            let who = match a {
                AssignTo::Nobody => String::new(),
                AssignTo::User(u) => u.0.to_string(),
                AssignTo::CurrentUser => f.now.get("current_user").cloned().unwrap_or_default(),
            };
            f.now.insert("assignee_id".into(), who);
        }
        Action::CustomField(fid, v) => {
            set(&format!("custom_fields_{}", fid.0), crate::rules::text(v))
        }
        Action::SetTags(v) => f.tags = crate::users::clean_tags(std::slice::from_ref(v)),
        Action::AddTags(v) => {
            for w in crate::users::clean_tags(std::slice::from_ref(v)) {
                if !f.tags.contains(&w) {
                    f.tags.push(w);
                }
            }
        }
        Action::RemoveTags(v) => {
            let gone = crate::users::clean_tags(std::slice::from_ref(v));
            f.tags.retain(|t| !gone.contains(t));
        }
        _ => {}
    }
}

/// Runs the trigger passes over `facts`; returns the rules that fired, in
/// order, each with its actions.
pub fn fire(book: &RuleBook, mut facts: Facts) -> Vec<&CompiledRule> {
    let mut fired: Vec<&CompiledRule> = Vec::new();
    loop {
        let mut any = false;
        for r in &book.triggers {
            if fired.iter().any(|f| f.id == r.id) || !facts.matches(&r.conditions) {
                continue;
            }
            for a in &r.actions {
                apply_to_facts(&mut facts, a);
            }
            fired.push(r);
            any = true;
        }
        if !any || fired.len() >= book.triggers.len() {
            return fired;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::rules::{Condition, Conditions, Operator};
    use serde_json::{Value as Json, json};

    fn rule(id: i64, all: Vec<Condition>, actions: Vec<(&str, Json)>) -> CompiledRule {
        CompiledRule {
            id: domain::RuleId(id),
            title: format!("r{id}"),
            conditions: Conditions { all, any: vec![] },
            actions: crate::rules::typed_actions(
                &actions
                    .into_iter()
                    .map(|(f, v)| (f.to_string(), v))
                    .collect::<Vec<_>>(),
            )
            .unwrap_or_default(),
        }
    }

    fn c(f: &str, op: Operator, v: &str) -> Condition {
        Condition {
            field: domain::rules::ConditionField::parse(f)
                .unwrap_or_else(|| panic!("no condition field {f}")),
            operator: op,
            value: v.into(),
        }
    }

    #[test]
    fn later_triggers_see_earlier_changes_and_none_fires_twice() {
        let book = RuleBook {
            triggers: vec![
                // Fires only after the second one tagged the ticket.
                rule(
                    1,
                    vec![c("current_tags", Operator::Includes, "vip")],
                    vec![("priority", json!("urgent"))],
                ),
                rule(
                    2,
                    vec![c("update_type", Operator::Is, "Create")],
                    vec![("current_tags", json!("vip"))],
                ),
                // Would loop forever if rules could fire repeatedly.
                rule(
                    3,
                    vec![c("priority", Operator::Is, "urgent")],
                    vec![("remove_tags", json!("vip"))],
                ),
            ],
            ..Default::default()
        };
        let mut f = Facts {
            update: Some(UpdateType::Create),
            ..Default::default()
        };
        f.now.insert("status".into(), "new".into());
        let fired: Vec<i64> = fire(&book, f).iter().map(|r| r.id.0).collect();
        assert_eq!(fired, vec![2, 1, 3]);
    }
}
