//! What a trigger, an automation or a macro does, typed. The API and the
//! stored rules speak Zendesk's `{field, value}` pairs; the app parses them
//! into these once (when a rule is saved and when the rulebook is
//! compiled), so the write pipeline never looks at a field name.

use crate::{FieldId, GroupId, Priority, Status, TicketType, UserId};

/// Who an `assignee_id` action assigns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignTo {
    Nobody,
    /// Whoever applies the macro or made the change.
    CurrentUser,
    User(UserId),
}

/// Whom a `notification_user` action writes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotifyUser {
    Requester,
    Assignee,
    /// Whoever made the change (nobody when atiende did).
    CurrentUser,
    User(UserId),
}

/// Which group a `notification_group` action writes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotifyGroup {
    /// The ticket's group.
    TicketGroup,
    Group(GroupId),
}

/// One action.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Subject(String),
    Status(Status),
    Priority(Option<Priority>),
    Type(Option<TicketType>),
    Group(Option<GroupId>),
    Assignee(AssignTo),
    /// Tags as written (space-separated words), cleaned when applied.
    SetTags(String),
    AddTags(String),
    RemoveTags(String),
    /// A custom field's value, checked against the field when applied.
    CustomField(FieldId, serde_json::Value),
    /// A macro's comment text (already in the chosen language).
    CommentText(String),
    CommentHtml(String),
    CommentPublic(bool),
    NotifyUser {
        to: NotifyUser,
        subject: Option<String>,
        body: String,
    },
    NotifyGroup {
        to: NotifyGroup,
        subject: Option<String>,
        body: String,
    },
    /// Calls a webhook with a body template (empty: a default body).
    Webhook {
        id: String,
        body: String,
    },
    SendAcknowledgement,
    Route,
    /// Skills the ticket needs (`value_id[:level[:optional]]`); `replace`
    /// drops the ones it had.
    Skills {
        values: Vec<String>,
        replace: bool,
    },
}

impl Action {
    /// Whether the action changes the ticket itself (a macro may hold only
    /// these and the comment ones).
    pub fn changes_ticket(&self) -> bool {
        matches!(
            self,
            Action::Subject(_)
                | Action::Status(_)
                | Action::Priority(_)
                | Action::Type(_)
                | Action::Group(_)
                | Action::Assignee(_)
                | Action::SetTags(_)
                | Action::AddTags(_)
                | Action::RemoveTags(_)
                | Action::CustomField(..)
        )
    }

    /// Whether the action belongs to a macro's comment.
    pub fn is_comment(&self) -> bool {
        matches!(
            self,
            Action::CommentText(_) | Action::CommentHtml(_) | Action::CommentPublic(_)
        )
    }
}
