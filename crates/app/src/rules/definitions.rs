//! What triggers, automations and macros may say, described for the tools
//! that build them (Zendesk's `triggers/definitions`, `macros/definitions`
//! and `macros/actions`): each condition and action by its field name, with
//! a title in the asker's language, the operators it takes and the values
//! to choose from — the desk's own statuses, groups, agents, fields and
//! webhooks. The names are the ones the rules are checked against, so a
//! definition offers nothing a saved rule would refuse.

use crate::{App, AppError};
use domain::field::FieldType;
use domain::model::TicketField;
use domain::rules::{ConditionField, HoursSince, Operator, TicketFact};
use domain::{Actor, Channel, Priority, Status, TicketType};
use i18n::Lang;
use store::repo::{fields, groups, users, webhooks};

/// Which rules are described.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleSet {
    Triggers,
    Automations,
    Macros,
}

/// How a value is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// One of `values`.
    List,
    Text,
    Number,
    /// Several of `values`, or words.
    Tags,
    /// Nothing to give.
    None,
}

impl ValueKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ValueKind::List => "list",
            ValueKind::Text => "text",
            ValueKind::Number => "number",
            ValueKind::Tags => "tags",
            ValueKind::None => "none",
        }
    }
}

/// One value to choose from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub title: String,
}

/// One operator a condition takes; `terminal` ones take no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorChoice {
    pub operator: Operator,
    pub title: String,
    pub terminal: bool,
}

/// One condition or action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    /// The field name a rule uses (`status`, `custom_fields_7`).
    pub subject: String,
    pub title: String,
    /// `ticket`, `requester`, `comment`, `time`, `notification`, `routing`
    /// or `custom_fields`.
    pub group: &'static str,
    pub kind: ValueKind,
    /// Whether "none" is a value (no group, no priority).
    pub nullable: bool,
    /// Whether a rule may hold it more than once.
    pub repeatable: bool,
    /// Empty for actions.
    pub operators: Vec<OperatorChoice>,
    pub values: Vec<Choice>,
}

/// The conditions (the same for `all` and `any`) and actions of a set.
#[derive(Debug, Clone, Default)]
pub struct Definitions {
    pub conditions: Vec<Definition>,
    pub actions: Vec<Definition>,
}

/// The desk's own lists the values come from, and the language to say it in.
struct Lists {
    lang: Lang,
    groups: Vec<Choice>,
    agents: Vec<Choice>,
    fields: Vec<TicketField>,
    webhooks: Vec<Choice>,
}

impl Lists {
    fn say(&self, key: &str) -> String {
        i18n::text(self.lang, key)
    }

    fn choice(&self, value: &str, key: &str) -> Choice {
        Choice {
            value: value.into(),
            title: self.say(key),
        }
    }

    fn statuses(&self, set: RuleSet) -> Vec<Choice> {
        Status::ALL
            .iter()
            // Only atiende closes tickets; automations may.
            .filter(|s| **s != Status::Closed || set == RuleSet::Automations)
            .map(|s| self.choice(s.as_str(), &format!("status-{}", s.as_str())))
            .collect()
    }

    fn priorities(&self) -> Vec<Choice> {
        Priority::ALL
            .iter()
            .map(|p| self.choice(p.as_str(), &format!("priority-{}", p.as_str())))
            .collect()
    }

    fn types(&self) -> Vec<Choice> {
        TicketType::ALL
            .iter()
            .map(|t| self.choice(t.as_str(), &format!("type-{}", t.as_str())))
            .collect()
    }

    fn channels(&self) -> Vec<Choice> {
        Channel::ALL
            .iter()
            .map(|c| self.choice(c.as_str(), &format!("channel-{}", c.as_str())))
            .collect()
    }

    /// Agents, with "whoever made the change" first.
    fn assignees(&self) -> Vec<Choice> {
        let mut out = vec![self.choice("current_user", "rule-value-current_user")];
        out.extend(self.agents.iter().cloned());
        out
    }

    fn words(&self, pairs: &[(&str, &str)]) -> Vec<Choice> {
        pairs.iter().map(|(v, key)| self.choice(v, key)).collect()
    }

    fn def(&self, subject: &str, group: &'static str, kind: ValueKind) -> Definition {
        Definition {
            subject: subject.into(),
            title: self.say(&format!("rule-subject-{subject}")),
            group,
            kind,
            nullable: false,
            repeatable: false,
            operators: vec![],
            values: vec![],
        }
    }

    fn operators(&self, ops: &[Operator]) -> Vec<OperatorChoice> {
        ops.iter()
            .map(|&operator| OperatorChoice {
                operator,
                title: self.say(&format!("rule-op-{}", operator.as_str())),
                terminal: matches!(
                    operator,
                    Operator::Changed
                        | Operator::NotChanged
                        | Operator::Present
                        | Operator::NotPresent
                ),
            })
            .collect()
    }
}

use Operator::*;

/// Compared as they are now; triggers also as they changed.
const IS: &[Operator] = &[Is, IsNot];
const CHANGES: &[Operator] = &[
    Changed,
    Value,
    ValuePrevious,
    NotChanged,
    NotValue,
    NotValuePrevious,
];
const ORDERED: &[Operator] = &[LessThan, GreaterThan];
const INCLUDES: &[Operator] = &[Includes, NotIncludes];
const HOURS: &[Operator] = &[Is, LessThan, GreaterThan];

impl Lists {
    /// A ticket field's condition: its values, and the operators for the set.
    fn fact(&self, set: RuleSet, fact: TicketFact) -> Definition {
        use TicketFact as F;
        let (values, nullable) = match fact {
            F::Status => (self.statuses(set), false),
            F::Priority => (self.priorities(), true),
            F::Type => (self.types(), true),
            F::GroupId => (self.groups.clone(), true),
            F::AssigneeId => (self.assignees(), true),
            F::ViaId => (self.channels(), false),
            F::Sla => (self.words(&[("breached", "rule-value-breached")]), false),
            F::SatisfactionScore => (
                self.words(&[
                    ("offered", "rule-value-offered"),
                    ("good", "rule-value-good"),
                    ("bad", "rule-value-bad"),
                ]),
                false,
            ),
            F::RequesterId | F::OrganizationId | F::Recipient => (vec![], false),
        };
        let kind = if values.is_empty() {
            ValueKind::Text
        } else {
            ValueKind::List
        };
        let mut ops = IS.to_vec();
        if matches!(fact, F::Status | F::Priority) {
            ops.extend(ORDERED);
        }
        if set == RuleSet::Triggers {
            ops.extend(CHANGES);
        }
        Definition {
            nullable,
            repeatable: true,
            operators: self.operators(&ops),
            values,
            ..self.def(fact.as_str(), "ticket", kind)
        }
    }

    /// A custom field's condition or action.
    fn custom(&self, f: &TicketField, operators: &[Operator]) -> Definition {
        let values: Vec<Choice> = match f.field_type {
            FieldType::Checkbox => {
                self.words(&[("true", "rule-value-true"), ("false", "rule-value-false")])
            }
            _ => f
                .options
                .iter()
                .map(|o| Choice {
                    value: o.value.clone(),
                    title: o.name.clone(),
                })
                .collect(),
        };
        Definition {
            subject: format!("custom_fields_{}", f.id),
            title: f.title.clone(),
            group: "custom_fields",
            kind: match f.field_type {
                _ if !values.is_empty() => ValueKind::List,
                FieldType::Integer | FieldType::Decimal => ValueKind::Number,
                _ => ValueKind::Text,
            },
            nullable: true,
            repeatable: false,
            operators: self.operators(operators),
            values,
        }
    }

    fn conditions(&self, set: RuleSet) -> Vec<Definition> {
        let mut out: Vec<Definition> = TicketFact::ALL
            .iter()
            .filter(|f| set == RuleSet::Triggers || !matches!(f, TicketFact::SatisfactionScore))
            .map(|f| self.fact(set, *f))
            .collect();
        out.push(Definition {
            repeatable: true,
            operators: self.operators(INCLUDES),
            ..self.def("current_tags", "ticket", ValueKind::Tags)
        });
        if set == RuleSet::Triggers {
            let yes_no = self.words(&[("true", "rule-value-true"), ("false", "rule-value-false")]);
            out.push(Definition {
                operators: self.operators(&[Is]),
                values: self.words(&[
                    ("Create", "rule-value-create"),
                    ("Change", "rule-value-change"),
                ]),
                ..self.def("update_type", "ticket", ValueKind::List)
            });
            out.push(Definition {
                operators: self.operators(&[Is]),
                values: yes_no,
                ..self.def("comment_is_public", "comment", ValueKind::List)
            });
            for subject in ["comment_includes_word", "subject_includes_word"] {
                out.push(Definition {
                    repeatable: true,
                    operators: self.operators(INCLUDES),
                    ..self.def(subject, "comment", ValueKind::Text)
                });
            }
            out.push(Definition {
                operators: self.operators(IS),
                values: self.words(&[
                    ("end_user", "rule-value-end_user"),
                    ("agent", "rule-value-agent"),
                    ("admin", "rule-value-admin"),
                ]),
                ..self.def("role", "requester", ValueKind::List)
            });
        }
        let field_ops: Vec<Operator> = if set == RuleSet::Triggers {
            [IS, &[Present, NotPresent], CHANGES].concat()
        } else {
            [IS, &[Present, NotPresent][..]].concat()
        };
        out.extend(self.fields.iter().map(|f| self.custom(f, &field_ops)));
        if set == RuleSet::Automations {
            out.extend(HoursSince::ALL.iter().map(|h| Definition {
                repeatable: true,
                operators: self.operators(HOURS),
                ..self.def(h.as_str(), "time", ValueKind::Number)
            }));
        }
        debug_assert!(
            out.iter()
                .all(|d| ConditionField::parse(&d.subject).is_some())
        );
        out
    }

    fn actions(&self, set: RuleSet) -> Vec<Definition> {
        let ticket = |subject: &str, kind, values: Vec<Choice>, nullable| Definition {
            nullable,
            values,
            ..self.def(subject, "ticket", kind)
        };
        let mut out = vec![
            ticket("status", ValueKind::List, self.statuses(set), false),
            ticket("priority", ValueKind::List, self.priorities(), true),
            ticket("type", ValueKind::List, self.types(), true),
            ticket("group_id", ValueKind::List, self.groups.clone(), true),
            ticket("assignee_id", ValueKind::List, self.assignees(), true),
            ticket("subject", ValueKind::Text, vec![], false),
            ticket("set_tags", ValueKind::Tags, vec![], false),
            Definition {
                title: self.say("rule-action-current_tags"),
                ..ticket("current_tags", ValueKind::Tags, vec![], false)
            },
            ticket("remove_tags", ValueKind::Tags, vec![], false),
        ];
        out.extend(self.fields.iter().map(|f| self.custom(f, &[])));
        if set == RuleSet::Macros {
            out.extend([
                self.def("comment_value", "comment", ValueKind::Text),
                self.def("comment_value_html", "comment", ValueKind::Text),
                Definition {
                    values: self.words(&[
                        ("true", "rule-value-public"),
                        ("false", "rule-value-private"),
                    ]),
                    ..self.def("comment_mode_is_public", "comment", ValueKind::List)
                },
            ]);
            return out;
        }
        let mut people = self.words(&[
            ("requester_id", "rule-value-requester_id"),
            ("assignee_id", "rule-value-assignee_id"),
            ("current_user", "rule-value-current_user"),
        ]);
        people.extend(self.agents.iter().cloned());
        let mut teams = self.words(&[("group_id", "rule-value-group_id")]);
        teams.extend(self.groups.iter().cloned());
        out.extend([
            Definition {
                repeatable: true,
                values: people,
                ..self.def("notification_user", "notification", ValueKind::List)
            },
            Definition {
                repeatable: true,
                values: teams,
                ..self.def("notification_group", "notification", ValueKind::List)
            },
            Definition {
                repeatable: true,
                values: self.webhooks.clone(),
                ..self.def("notification_webhook", "notification", ValueKind::List)
            },
            self.def("send_acknowledgement", "notification", ValueKind::None),
            self.def("route", "routing", ValueKind::None),
            self.def("add_skills", "routing", ValueKind::Tags),
            self.def("set_skills", "routing", ValueKind::Tags),
        ]);
        out
    }
}

impl App {
    /// The conditions and actions of triggers, automations or macros, in
    /// the asker's language (staff).
    pub async fn rule_definitions(
        &self,
        actor: Actor,
        set: RuleSet,
    ) -> Result<Definitions, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let lang = users::get(c, actor.user)
            .await?
            .map_or(Lang::Es, |u| Lang::from_locale(&u.locale));
        let named = |id: i64, name: &str| Choice {
            value: id.to_string(),
            title: name.to_string(),
        };
        let lists = Lists {
            lang,
            groups: groups::live(c)
                .await?
                .iter()
                .map(|g| named(g.id.0, &g.name))
                .collect(),
            agents: users::staff(c)
                .await?
                .iter()
                .map(|u| named(u.id.0, &u.name))
                .collect(),
            fields: fields::all(c)
                .await?
                .into_iter()
                .filter(|f| f.active)
                .collect(),
            webhooks: webhooks::all(c)
                .await?
                .into_iter()
                .filter(|w| {
                    w.subscriptions
                        .iter()
                        .any(|s| s == domain::model::webhooks::TICKET_EVENTS)
                })
                .map(|w| Choice {
                    value: w.id,
                    title: w.name,
                })
                .collect(),
        };
        Ok(Definitions {
            conditions: match set {
                RuleSet::Macros => vec![],
                _ => lists.conditions(set),
            },
            actions: lists.actions(set),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lists(lang: Lang) -> Lists {
        Lists {
            lang,
            groups: vec![],
            agents: vec![],
            fields: vec![],
            webhooks: vec![],
        }
    }

    /// Every action described is one a rule of that set may hold.
    #[test]
    fn described_actions_are_accepted() {
        for set in [RuleSet::Triggers, RuleSet::Automations, RuleSet::Macros] {
            for d in lists(Lang::En).actions(set) {
                let value = match (d.values.first(), d.kind) {
                    (Some(c), _) => c.value.clone(),
                    // An empty list (no groups yet): "none".
                    (None, ValueKind::List) => String::new(),
                    (None, _) => "x".to_string(),
                };
                let value = match d.subject.as_str() {
                    "notification_user" | "notification_group" => {
                        serde_json::json!([value, "s", "b"])
                    }
                    _ => serde_json::json!(value),
                };
                let typed = crate::rules::typed_actions(&[(d.subject.clone(), value)]);
                assert!(typed.is_ok(), "{set:?} {}: {typed:?}", d.subject);
                if set == RuleSet::Macros {
                    let typed = typed.unwrap_or_default();
                    assert!(
                        crate::rules::macro_effect(&typed, &[], &Actor::system()).is_ok(),
                        "{}",
                        d.subject
                    );
                }
            }
        }
    }

    /// Every title is said in both languages (no key comes back as itself).
    #[test]
    fn every_title_is_said() {
        for lang in Lang::ALL {
            let l = lists(lang);
            for set in [RuleSet::Triggers, RuleSet::Automations, RuleSet::Macros] {
                let mut all = l.conditions(set);
                all.extend(l.actions(set));
                for d in all {
                    assert!(!d.title.starts_with("rule-"), "{lang:?} {}", d.title);
                    for o in &d.operators {
                        assert!(!o.title.starts_with("rule-"), "{lang:?} {}", o.title);
                    }
                    for v in &d.values {
                        let unsaid = ["rule-", "status-", "priority-", "type-", "channel-"]
                            .iter()
                            .any(|key| v.title.starts_with(key));
                        assert!(!unsaid, "{lang:?} {}", v.title);
                    }
                }
            }
        }
    }
}
