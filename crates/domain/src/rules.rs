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

word_enum!(
    /// A ticket field a condition compares by its value now and before
    /// (Zendesk's names).
    TicketFact {
        Status = "status",
        Priority = "priority",
        Type = "type",
        GroupId = "group_id",
        AssigneeId = "assignee_id",
        RequesterId = "requester_id",
        OrganizationId = "organization_id",
        ViaId = "via_id",
        Recipient = "recipient",
        /// `breached` while an SLA target is missed.
        Sla = "sla",
        /// The customer's survey answer, on the update that records it:
        /// `offered`, `good` or `bad` (Zendesk's satisfaction score).
        SatisfactionScore = "satisfaction_score",
    }
);

word_enum!(
    /// Hours since a milestone of the ticket: what automations measure.
    HoursSince {
        Created = "hours_since_created",
        Open = "hours_since_open",
        Pending = "hours_since_pending",
        Solved = "hours_since_solved",
        Update = "hours_since_update",
        Assigned = "hours_since_assigned",
        RequesterUpdate = "hours_since_requester_update",
        AssigneeUpdate = "hours_since_assignee_update",
    }
);

impl HoursSince {
    /// Whether the ticket row alone tells it (the others need its audits).
    pub fn on_the_ticket(self) -> bool {
        matches!(
            self,
            HoursSince::Created | HoursSince::Update | HoursSince::Solved
        )
    }
}

/// What a condition looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConditionField {
    Ticket(TicketFact),
    /// A custom field's value (`custom_fields_<id>`).
    Custom(crate::FieldId),
    CurrentTags,
    UpdateType,
    CommentIsPublic,
    CommentIncludesWord,
    SubjectIncludesWord,
    /// Who made the update.
    Role,
    Hours(HoursSince),
}

/// The names of the conditions that are neither ticket facts nor hours.
const OTHER_FIELDS: [(&str, ConditionField); 6] = [
    ("current_tags", ConditionField::CurrentTags),
    ("update_type", ConditionField::UpdateType),
    ("comment_is_public", ConditionField::CommentIsPublic),
    ("comment_includes_word", ConditionField::CommentIncludesWord),
    ("subject_includes_word", ConditionField::SubjectIncludesWord),
    ("role", ConditionField::Role),
];

impl ConditionField {
    /// Every field name conditions may use, for admins' forms
    /// (`custom_fields_<id>` too, not listed).
    pub fn names() -> Vec<&'static str> {
        TicketFact::ALL
            .iter()
            .map(|f| f.as_str())
            .chain(OTHER_FIELDS.iter().map(|(name, _)| *name))
            .chain(HoursSince::ALL.iter().map(|h| h.as_str()))
            .collect()
    }

    /// A field by Zendesk's name; `None` for a name no condition has.
    pub fn parse(name: &str) -> Option<ConditionField> {
        if let Some((_, f)) = OTHER_FIELDS.iter().find(|(n, _)| *n == name) {
            return Some(*f);
        }
        if let Some(id) = name.strip_prefix("custom_fields_") {
            return id
                .parse()
                .ok()
                .map(|id| ConditionField::Custom(crate::FieldId(id)));
        }
        if name.starts_with("hours_since_") {
            return name.parse().ok().map(ConditionField::Hours);
        }
        name.parse().ok().map(ConditionField::Ticket)
    }

    /// Whether the condition matches words (its value is folded like the
    /// text it is compared with).
    pub fn matches_words(self) -> bool {
        matches!(
            self,
            ConditionField::CommentIncludesWord | ConditionField::SubjectIncludesWord
        )
    }
}

impl std::fmt::Display for ConditionField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConditionField::Ticket(t) => f.write_str(t.as_str()),
            ConditionField::Custom(id) => write!(f, "custom_fields_{id}"),
            ConditionField::Hours(h) => f.write_str(h.as_str()),
            other => f.write_str(
                OTHER_FIELDS
                    .iter()
                    .find(|(_, x)| x == other)
                    .map_or("", |(name, _)| name),
            ),
        }
    }
}

/// One condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub field: ConditionField,
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
    /// Checks the operator against the field.
    pub fn check(&self) -> Result<(), ConditionError> {
        use ConditionField as F;
        use Operator::*;
        let err = |why: &str| ConditionError {
            field: self.field.to_string(),
            why: why.to_string(),
        };
        let hours = matches!(self.field, F::Hours(_));
        let ordered = hours
            || matches!(
                self.field,
                F::Ticket(TicketFact::Status | TicketFact::Priority)
            );
        match self.operator {
            LessThan | GreaterThan if !ordered => Err(err(
                "only status, priority and hours compare as less or greater",
            )),
            Includes | NotIncludes
                if !matches!(
                    self.field,
                    F::CurrentTags | F::CommentIncludesWord | F::SubjectIncludesWord
                ) =>
            {
                Err(err("only tags and words are included"))
            }
            _ if hours && !matches!(self.operator, Is | LessThan | GreaterThan) => {
                Err(err("hours compare with is, less_than or greater_than"))
            }
            _ if hours && self.value.parse::<f64>().is_err() => Err(err("needs a number of hours")),
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
    pub hours: HashMap<HoursSince, f64>,
}

fn rank(field: ConditionField, v: &str) -> Option<i64> {
    match field {
        ConditionField::Ticket(TicketFact::Status) => v.parse::<Status>().ok().map(|s| s as i64),
        ConditionField::Ticket(TicketFact::Priority) => {
            v.parse::<Priority>().ok().map(|p| p as i64)
        }
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
        use ConditionField as F;
        use Operator::*;
        // `current_user` stands for whoever made the update.
        let v = if c.value == "current_user" {
            self.get(&self.now, "current_user")
        } else {
            c.value.as_str()
        };
        let key = match c.field {
            F::Hours(since) => {
                let (Some(h), Ok(want)) = (self.hours.get(&since), v.parse::<f64>()) else {
                    return false;
                };
                return match c.operator {
                    Is => (*h - want).abs() < 1.0 && *h >= want,
                    LessThan => *h < want,
                    GreaterThan => *h > want,
                    _ => false,
                };
            }
            F::UpdateType => {
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
            F::CurrentTags => {
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
            F::CommentIsPublic => {
                let public = match self.comment {
                    Some((true, _)) => "true",
                    Some((false, _)) => "false",
                    None => "not_relevant",
                };
                return match c.operator {
                    IsNot => public != v,
                    _ => public == v,
                };
            }
            F::CommentIncludesWord => {
                let text = self.comment.as_ref().map_or("", |(_, t)| t.as_str());
                return match c.operator {
                    NotIncludes => !words_include(text, v),
                    _ => words_include(text, v),
                };
            }
            F::SubjectIncludesWord => {
                return match c.operator {
                    NotIncludes => !words_include(&self.subject_words, v),
                    _ => words_include(&self.subject_words, v),
                };
            }
            F::Role => {
                return match c.operator {
                    IsNot => self.role != v,
                    _ => self.role == v,
                };
            }
            F::Ticket(fact) => std::borrow::Cow::Borrowed(fact.as_str()),
            F::Custom(id) => std::borrow::Cow::Owned(format!("custom_fields_{id}")),
        };
        let f = c.field;
        let now = self.get(&self.now, &key);
        let before = self.get(&self.before, &key);
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
            field: ConditionField::parse(f).unwrap_or_else(|| panic!("no condition field {f}")),
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
        f.hours.insert(HoursSince::Pending, 97.5);
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
        assert_eq!(ConditionField::parse("colour"), None);
        assert_eq!(ConditionField::parse("custom_fields_x"), None);
        assert_eq!(ConditionField::parse("hours_since_lunch"), None);
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

    #[test]
    fn every_field_name_reads_back_as_itself() {
        let names = ConditionField::names();
        assert_eq!(names.len(), 25);
        for name in names.into_iter().chain(["custom_fields_12"]) {
            let f = ConditionField::parse(name);
            assert_eq!(f.map(|f| f.to_string()).as_deref(), Some(name));
        }
    }
}
