//! Typed ids, so a user id can never be passed where a ticket id is wanted.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$meta:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// The raw integer, for SQL parameters and JSON.
            pub fn get(self) -> i64 { self.0 }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )+};
}

id_type!(
    /// A ticket (a case, a conversation).
    TicketId,
    /// Anyone: end-user, agent or admin.
    UserId,
    /// One way to reach a user: an email address, a phone number, a chat id.
    IdentityId,
    /// A customer company.
    OrgId,
    /// A team of agents.
    GroupId,
    /// A reply or an internal note on a ticket.
    CommentId,
    /// One change set on a ticket: who, when, which events.
    AuditId,
    /// A custom ticket field.
    FieldId,
    /// A stored file attached to a comment.
    AttachmentId,
    /// Membership of an agent in a group.
    MembershipId,
    /// A row of the event log; its order is the order of commits.
    EventId,
    /// A background job (bulk update, merge) whose progress clients poll.
    JobId,
    /// A support address: where customers write to and our mail comes from.
    MailboxId,
);
