//! Conditions of business rules (triggers, automations) with Zendesk's
//! field names and operators, checked against the facts of one ticket
//! update: its fields now and before, its tags, the comment it adds, who
//! made it, and (for automations) hours since its milestones. Pure: the
//! app gathers the facts and applies the actions.

pub mod action;

pub use action::{Action, AssignTo, NotifyGroup, NotifyUser};

use crate::{Priority, Status, word_enum};
use std::collections::HashMap;

word_enum!(
    /// How a condition compares.
    Operator {
        Is = "is",
        IsNot = "is_not",
        LessThan = "less_than",
        GreaterThan = "greater_than",
        Changed = "changed",
        NotChanged = "not_changed",
        /// Changed to the value.
        Value = "value",
        /// Changed from the value.
        ValuePrevious = "value_previous",
        NotValue = "not_value",
        NotValuePrevious = "not_value_previous",
        Includes = "includes",
        NotIncludes = "not_includes",
        Present = "present",
        NotPresent = "not_present",
    }
);

/// Which update a trigger sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateType {
    Create,
    Change,
}

/// The fields conditions may name; `custom_fields_<id>` too.
pub const FIELDS: &[&str] = &[
    "status",
    "priority",
    "type",
    "group_id",
    "assignee_id",
    "requester_id",
    "organization_id",
    "via_id",
    "recipient",
    "current_tags",
    "update_type",
    "comment_is_public",
    "comment_includes_word",
    "subject_includes_word",
    "role",
    "sla",
    "hours_since_created",
    "hours_since_open",
    "hours_since_pending",
    "hours_since_solved",
    "hours_since_update",
    "hours_since_assigned",
    "hours_since_requester_update",
    "hours_since_assignee_update",
];

/// Whether a field is one automations measure in hours.
pub fn is_time_field(field: &str) -> bool {
    field.starts_with("hours_since_")
}

/// One condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub field: String,
    pub operator: Operator,
    pub value: String,
}

/// `all` must every one hold, and of `any` at least one (if there are any).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Conditions {
    pub all: Vec<Condition>,
    pub any: Vec<Condition>,
}

/// A condition that makes no sense, for a clear 422.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {why}")]
pub struct ConditionError {
    pub field: String,
    pub why: String,
}

impl Condition {
    /// Checks the field and its operator.
    pub fn check(&self) -> Result<(), ConditionError> {
        let known = FIELDS.contains(&self.field.as_str())
            || self
                .field
                .strip_prefix("custom_fields_")
                .is_some_and(|id| id.parse::<i64>().is_ok());
        let err = |why: &str| ConditionError {
            field: self.field.clone(),
            why: why.to_string(),
        };
        if !known {
            return Err(err("is not a condition field"));
        }
        use Operator::*;
        let ordered =
            matches!(self.field.as_str(), "status" | "priority") || is_time_field(&self.field);
        match self.operator {
            LessThan | GreaterThan if !ordered => Err(err(
                "only status, priority and hours compare as less or greater",
            )),
            Includes | NotIncludes
                if !matches!(
                    self.field.as_str(),
                    "current_tags" | "comment_includes_word" | "subject_includes_word"
                ) =>
            {
                Err(err("only tags and words are included"))
            }
            _ if is_time_field(&self.field)
                && !matches!(self.operator, Is | LessThan | GreaterThan) =>
            {
                Err(err("hours compare with is, less_than or greater_than"))
            }
            _ if is_time_field(&self.field) && self.value.parse::<f64>().is_err() => {
                Err(err("needs a number of hours"))
            }
            _ => Ok(()),
        }
    }
}

/// The facts of one update.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Field values now (`status`, `group_id`, `custom_fields_7`, …), as
    /// the words or ids conditions compare with; absent or "" for none.
    pub now: HashMap<String, String>,
    /// Field values before this update (triggers on a change).
    pub before: HashMap<String, String>,
    pub tags: Vec<String>,
    pub update: Option<UpdateType>,
    /// The comment the update adds: public, and its words (lower-case,
    /// accents folded by the caller).
    pub comment: Option<(bool, String)>,
    pub subject_words: String,
    /// Who made the update: `end_user`, `agent`, or `admin`.
    pub role: String,
    /// Hours since milestones, for automations.
    pub hours: HashMap<String, f64>,
}

fn rank(field: &str, v: &str) -> Option<i64> {
    match field {
        "status" => v.parse::<Status>().ok().map(|s| s as i64),
        "priority" => v.parse::<Priority>().ok().map(|p| p as i64),
        _ => None,
    }
}

fn words_include(haystack: &str, needle: &str) -> bool {
    let needle = needle.to_lowercase();
    needle.split_whitespace().any(|w| {
        haystack
            .split(|c: char| !c.is_alphanumeric())
            .any(|h| h == w)
    })
}

impl Facts {
    fn get<'a>(&'a self, map: &'a HashMap<String, String>, field: &str) -> &'a str {
        map.get(field).map_or("", String::as_str)
    }

    /// Whether one condition holds.
    pub fn holds(&self, c: &Condition) -> bool {
        use Operator::*;
        let f = c.field.as_str();
        // `current_user` stands for whoever made the update.
        let v = if c.value == "current_user" {
            self.get(&self.now, "current_user")
        } else {
            c.value.as_str()
        };
        if is_time_field(f) {
            let (Some(h), Ok(want)) = (self.hours.get(f), v.parse::<f64>()) else {
                return false;
            };
            return match c.operator {
                Is => (*h - want).abs() < 1.0 && *h >= want,
                LessThan => *h < want,
                GreaterThan => *h > want,
                _ => false,
            };
        }
        match f {
            "update_type" => {
                let u = match self.update {
                    Some(UpdateType::Create) => "create",
                    Some(UpdateType::Change) => "change",
                    None => "",
                };
                return match c.operator {
                    IsNot => !u.eq_ignore_ascii_case(v),
                    _ => u.eq_ignore_ascii_case(v),
                };
            }
            "current_tags" => {
                let wanted: Vec<String> = v.split_whitespace().map(str::to_lowercase).collect();
                let has = |t: &String| self.tags.contains(t);
                return match c.operator {
                    Includes => wanted.iter().any(has),
                    NotIncludes => !wanted.iter().any(has),
                    Present => !self.tags.is_empty(),
                    NotPresent => self.tags.is_empty(),
                    _ => false,
                };
            }
            "comment_is_public" => {
                let public = match self.comment {
                    Some((p, _)) => {
                        if p {
                            "true"
                        } else {
                            "false"
                        }
                    }
                    None => "not_relevant",
                };
                return match c.operator {
                    IsNot => public != v,
                    _ => public == v,
                };
            }
            "comment_includes_word" => {
                let text = self.comment.as_ref().map_or("", |(_, t)| t.as_str());
                return match c.operator {
                    NotIncludes => !words_include(text, v),
                    _ => words_include(text, v),
                };
            }
            "subject_includes_word" => {
                return match c.operator {
                    NotIncludes => !words_include(&self.subject_words, v),
                    _ => words_include(&self.subject_words, v),
                };
            }
            "role" => {
                return match c.operator {
                    IsNot => self.role != v,
                    _ => self.role == v,
                };
            }
            _ => {}
        }
        let now = self.get(&self.now, f);
        let before = self.get(&self.before, f);
        let changed = self.update == Some(UpdateType::Create) && !now.is_empty() || now != before;
        let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
        match c.operator {
            Is => same(now, v),
            IsNot => !same(now, v),
            LessThan => matches!((rank(f, now), rank(f, v)), (Some(a), Some(b)) if a < b),
            GreaterThan => matches!((rank(f, now), rank(f, v)), (Some(a), Some(b)) if a > b),
            Changed => changed,
            NotChanged => !changed,
            Value => changed && same(now, v),
            ValuePrevious => changed && same(before, v),
            NotValue => !(changed && same(now, v)),
            NotValuePrevious => !(changed && same(before, v)),
            Present => !now.is_empty(),
            NotPresent => now.is_empty(),
            Includes | NotIncludes => false,
        }
    }

    /// Whether a rule's conditions hold.
    pub fn matches(&self, c: &Conditions) -> bool {
        c.all.iter().all(|x| self.holds(x))
            && (c.any.is_empty() || c.any.iter().any(|x| self.holds(x)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cond(f: &str, op: Operator, v: &str) -> Condition {
        Condition {
            field: f.into(),
            operator: op,
            value: v.into(),
        }
    }

    fn facts() -> Facts {
        let mut f = Facts {
            update: Some(UpdateType::Change),
            tags: vec!["vip".into(), "envio".into()],
            comment: Some((true, "mi pedido no llega reembolso".into())),
            subject_words: "pedido 4411".into(),
            role: "end_user".into(),
            ..Default::default()
        };
        f.now.insert("status".into(), "open".into());
        f.before.insert("status".into(), "pending".into());
        f.now.insert("priority".into(), "high".into());
        f.before.insert("priority".into(), "high".into());
        f.hours.insert("hours_since_pending".into(), 97.5);
        f
    }

    #[test]
    fn operators_follow_zendesk() {
        let f = facts();
        assert!(f.holds(&cond("status", Operator::Is, "open")));
        assert!(f.holds(&cond("status", Operator::LessThan, "solved")));
        assert!(f.holds(&cond("status", Operator::Changed, "")));
        assert!(f.holds(&cond("status", Operator::ValuePrevious, "pending")));
        assert!(f.holds(&cond("status", Operator::Value, "open")));
        assert!(!f.holds(&cond("priority", Operator::Changed, "")));
        assert!(f.holds(&cond("priority", Operator::GreaterThan, "normal")));
        assert!(f.holds(&cond("current_tags", Operator::Includes, "vip otro")));
        assert!(f.holds(&cond("current_tags", Operator::NotIncludes, "spam")));
        assert!(f.holds(&cond(
            "comment_includes_word",
            Operator::Includes,
            "reembolso"
        )));
        assert!(!f.holds(&cond("comment_includes_word", Operator::Includes, "reem")));
        assert!(f.holds(&cond("comment_is_public", Operator::Is, "true")));
        assert!(f.holds(&cond("update_type", Operator::Is, "Change")));
        assert!(f.holds(&cond("role", Operator::Is, "end_user")));
        assert!(f.holds(&cond("assignee_id", Operator::NotPresent, "")));
        assert!(f.holds(&cond("hours_since_pending", Operator::GreaterThan, "96")));
        assert!(!f.holds(&cond("hours_since_solved", Operator::GreaterThan, "1")));
    }

    #[test]
    fn all_and_any() {
        let f = facts();
        let c = Conditions {
            all: vec![cond("status", Operator::Is, "open")],
            any: vec![
                cond("priority", Operator::Is, "low"),
                cond("current_tags", Operator::Includes, "vip"),
            ],
        };
        assert!(f.matches(&c));
        let none = Conditions {
            all: vec![],
            any: vec![cond("priority", Operator::Is, "low")],
        };
        assert!(!f.matches(&none));
    }

    #[test]
    fn nonsense_is_refused() {
        assert!(cond("colour", Operator::Is, "x").check().is_err());
        assert!(cond("group_id", Operator::LessThan, "3").check().is_err());
        assert!(
            cond("hours_since_pending", Operator::Changed, "")
                .check()
                .is_err()
        );
        assert!(
            cond("hours_since_pending", Operator::GreaterThan, "soon")
                .check()
                .is_err()
        );
        assert!(cond("custom_fields_12", Operator::Is, "a").check().is_ok());
    }
}
