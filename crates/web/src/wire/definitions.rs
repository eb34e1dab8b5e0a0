//! What rules and macros may say, as Zendesk describes it
//! (`triggers/definitions`, `macros/definitions`, `macros/actions`).

use app::rules::{Definition, Definitions};
use serde::Serialize;
use utoipa::ToSchema;

/// One value to choose from.
#[derive(Serialize, ToSchema)]
pub struct DefinitionValue<'a> {
    pub value: &'a str,
    pub title: &'a str,
    pub enabled: bool,
}

/// One operator a condition takes; a terminal one takes no value.
#[derive(Serialize, ToSchema)]
pub struct DefinitionOperator<'a> {
    pub value: &'static str,
    pub title: &'a str,
    pub terminal: bool,
}

/// One condition or action a rule may hold.
#[derive(Serialize, ToSchema)]
pub struct RuleDefinition<'a> {
    /// The field name rules use (`status`, `custom_fields_7`).
    pub subject: &'a str,
    /// In the caller's language.
    pub title: &'a str,
    /// `ticket`, `requester`, `comment`, `time`, `notification`, `routing`
    /// or `custom_fields`.
    pub group: &'static str,
    /// `list`, `text`, `number`, `tags` or `none`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub nullable: bool,
    pub repeatable: bool,
    /// Conditions only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operators: Option<Vec<DefinitionOperator<'a>>>,
    pub values: Vec<DefinitionValue<'a>>,
    /// Macros' actions list only: Zendesk's, always null here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_key: Option<Option<&'a str>>,
}

fn definition(d: &Definition, condition: bool) -> RuleDefinition<'_> {
    RuleDefinition {
        subject: &d.subject,
        title: &d.title,
        group: d.group,
        kind: d.kind.as_str(),
        nullable: d.nullable,
        repeatable: d.repeatable,
        operators: condition.then(|| {
            d.operators
                .iter()
                .map(|o| DefinitionOperator {
                    value: o.operator.as_str(),
                    title: &o.title,
                    terminal: o.terminal,
                })
                .collect()
        }),
        values: d
            .values
            .iter()
            .map(|v| DefinitionValue {
                value: &v.value,
                title: &v.title,
                enabled: true,
            })
            .collect(),
        output_key: None,
    }
}

/// `{actions, conditions_all, conditions_any}`.
#[derive(Serialize, ToSchema)]
pub struct RuleDefinitions<'a> {
    pub actions: Vec<RuleDefinition<'a>>,
    /// Absent for macros.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditions_all: Option<Vec<RuleDefinition<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditions_any: Option<Vec<RuleDefinition<'a>>>,
}

/// A set's definitions; conditions only where the set has them.
pub fn rule_definitions(d: &Definitions, with_conditions: bool) -> RuleDefinitions<'_> {
    let conditions =
        || with_conditions.then(|| d.conditions.iter().map(|c| definition(c, true)).collect());
    RuleDefinitions {
        actions: d.actions.iter().map(|a| definition(a, false)).collect(),
        conditions_all: conditions(),
        conditions_any: conditions(),
    }
}

/// `macros/actions`: each action with Zendesk's `output_key`.
pub fn macro_actions(d: &Definitions) -> Vec<RuleDefinition<'_>> {
    d.actions
        .iter()
        .map(|a| RuleDefinition {
            output_key: Some(None),
            ..definition(a, false)
        })
        .collect()
}
