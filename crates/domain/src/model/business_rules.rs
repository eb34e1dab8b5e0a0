//! Records of business rules as stored and as every crate reads them.

use crate::{RuleId, Timestamp};

/// Which kind of rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    /// Runs on every ticket create and update.
    Trigger,
    /// Runs on the clock against tickets that match.
    Automation,
}

impl RuleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Trigger => "trigger",
            RuleKind::Automation => "automation",
        }
    }
}

/// A trigger or an automation.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub id: RuleId,
    pub kind: RuleKind,
    pub title: String,
    pub description: Option<String>,
    pub active: bool,
    pub position: i64,
    /// JSON `{all, any}`.
    pub conditions: String,
    /// JSON `[{field, value}]`.
    pub actions: String,
    /// The name of a rule atiende made itself, if it is one.
    pub builtin: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}
