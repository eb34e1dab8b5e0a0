//! The table of documented operations, in six parts: the desk's work,
//! the channels (calls and phone lines, messaging accounts, chat), its
//! configuration, what integrations read (account, exports, metrics),
//! what is read and reused (macros, views, memberships), and
//! self-service (the help center, requests, forms, the answer bot).

mod catalog;
mod channels;
mod configuration;
mod integrations;
mod self_service;
pub use catalog::CATALOG;
pub use channels::CHANNELS;
pub use configuration::CONFIGURATION;
pub use integrations::INTEGRATIONS;
pub use self_service::SELF_SERVICE;

/// What a successful answer carries, by the wire record's schema name.
#[derive(Debug, Clone, Copy)]
pub enum Body {
    /// `{key: record}`.
    One(&'static str, &'static str),
    /// `{key: [record]}` with the paging fields.
    List(&'static str, &'static str),
    /// A ticket written: `{ticket, audit}`.
    TicketWrite,
    /// An object whose shape is not described by a schema yet.
    Object,
    /// No body (204).
    Empty,
    /// A file's bytes, in its own content type.
    File,
}

/// (method, path, tag, summary, what a success carries).
pub type Operation = (&'static str, &'static str, &'static str, &'static str, Body);

/// People, tickets, search, email.
pub const WORK: &[Operation] = &[
    (
        "get",
        "/api/v2/users/me",
        "Users",
        "The authenticated user",
        Body::Object,
    ),
    (
        "get",
        "/api/v2/users",
        "Users",
        "List users (cursor or offset paging; role filter)",
        Body::List("users", "User"),
    ),
    (
        "post",
        "/api/v2/users",
        "Users",
        "Create a user",
        Body::One("user", "User"),
    ),
    (
        "get",
        "/api/v2/users/search",
        "Users",
        "Find users by name, email or external_id",
        Body::List("users", "User"),
    ),
    (
        "get",
        "/api/v2/users/show_many",
        "Users",
        "Several users by ids",
        Body::List("users", "User"),
    ),
    (
        "post",
        "/api/v2/users/create_or_update",
        "Users",
        "Create or update a user matched by email or external_id",
        Body::Object,
    ),
    (
        "get",
        "/api/v2/users/{id}",
        "Users",
        "Show a user",
        Body::One("user", "User"),
    ),
    (
        "put",
        "/api/v2/users/{id}",
        "Users",
        "Update a user",
        Body::One("user", "User"),
    ),
    (
        "delete",
        "/api/v2/users/{id}",
        "Users",
        "Deactivate a user",
        Body::Empty,
    ),
    (
        "get",
        "/api/v2/users/{id}/identities",
        "Users",
        "List a user's identities",
        Body::List("identities", "Identity"),
    ),
    (
        "post",
        "/api/v2/users/{id}/identities",
        "Users",
        "Add an identity",
        Body::One("identity", "Identity"),
    ),
    (
        "put",
        "/api/v2/users/{id}/identities/{identity_id}/make_primary",
        "Users",
        "Make an identity primary",
        Body::Object,
    ),
    (
        "put",
        "/api/v2/users/{id}/identities/{identity_id}/verify",
        "Users",
        "Verify an identity",
        Body::Object,
    ),
    (
        "delete",
        "/api/v2/users/{id}/identities/{identity_id}",
        "Users",
        "Delete an identity",
        Body::Empty,
    ),
    (
        "get",
        "/api/v2/users/{id}/tickets/requested",
        "Tickets",
        "Tickets a user requested",
        Body::List("tickets", "Ticket"),
    ),
    (
        "get",
        "/api/v2/users/{id}/tickets/assigned",
        "Tickets",
        "Tickets assigned to a user",
        Body::List("tickets", "Ticket"),
    ),
    (
        "get",
        "/api/v2/users/{id}/tickets/ccd",
        "Tickets",
        "Tickets a user is copied on",
        Body::List("tickets", "Ticket"),
    ),
    (
        "get",
        "/api/v2/organizations",
        "Organizations",
        "List organizations",
        Body::List("organizations", "Organization"),
    ),
    (
        "post",
        "/api/v2/organizations",
        "Organizations",
        "Create an organization",
        Body::One("organization", "Organization"),
    ),
    (
        "get",
        "/api/v2/organizations/search",
        "Organizations",
        "Find organizations by external_id or name",
        Body::List("organizations", "Organization"),
    ),
    (
        "get",
        "/api/v2/organizations/{id}",
        "Organizations",
        "Show an organization",
        Body::One("organization", "Organization"),
    ),
    (
        "put",
        "/api/v2/organizations/{id}",
        "Organizations",
        "Update an organization",
        Body::One("organization", "Organization"),
    ),
    (
        "delete",
        "/api/v2/organizations/{id}",
        "Organizations",
        "Delete an organization",
        Body::Empty,
    ),
    (
        "get",
        "/api/v2/organizations/{id}/tickets",
        "Organizations",
        "An organization's tickets",
        Body::List("tickets", "Ticket"),
    ),
    (
        "get",
        "/api/v2/organizations/{id}/users",
        "Organizations",
        "An organization's users",
        Body::List("users", "User"),
    ),
    (
        "get",
        "/api/v2/groups",
        "Groups",
        "List groups",
        Body::List("groups", "Group"),
    ),
    (
        "post",
        "/api/v2/groups",
        "Groups",
        "Create a group",
        Body::One("group", "Group"),
    ),
    (
        "get",
        "/api/v2/groups/assignable",
        "Groups",
        "Groups tickets can be assigned to",
        Body::Object,
    ),
    (
        "get",
        "/api/v2/groups/{id}",
        "Groups",
        "Show a group",
        Body::One("group", "Group"),
    ),
    (
        "put",
        "/api/v2/groups/{id}",
        "Groups",
        "Update a group",
        Body::One("group", "Group"),
    ),
    (
        "delete",
        "/api/v2/groups/{id}",
        "Groups",
        "Delete a group",
        Body::Empty,
    ),
    (
        "get",
        "/api/v2/group_memberships",
        "Groups",
        "List group memberships",
        Body::List("group_memberships", "GroupMembership"),
    ),
    (
        "post",
        "/api/v2/group_memberships",
        "Groups",
        "Add an agent to a group",
        Body::One("group_membership", "GroupMembership"),
    ),
    (
        "delete",
        "/api/v2/group_memberships/{id}",
        "Groups",
        "Remove a membership",
        Body::Empty,
    ),
    (
        "get",
        "/api/v2/tickets",
        "Tickets",
        "List tickets (cursor or offset paging)",
        Body::List("tickets", "Ticket"),
    ),
    (
        "post",
        "/api/v2/tickets",
        "Tickets",
        "Create a ticket; answers with the ticket and its audit",
        Body::TicketWrite,
    ),
    (
        "get",
        "/api/v2/tickets/show_many",
        "Tickets",
        "Several tickets by ids (at most 100)",
        Body::List("tickets", "Ticket"),
    ),
    (
        "put",
        "/api/v2/tickets/update_many",
        "Tickets",
        "Update several tickets; answers with a job status",
        Body::One("job_status", "Job"),
    ),
    (
        "post",
        "/api/v2/tickets/create_many",
        "Tickets",
        "Create several tickets; answers with a job status",
        Body::One("job_status", "Job"),
    ),
    (
        "delete",
        "/api/v2/tickets/destroy_many",
        "Tickets",
        "Delete several tickets; answers with a job status",
        Body::One("job_status", "Job"),
    ),
    (
        "get",
        "/api/v2/tickets/{id}",
        "Tickets",
        "Show a ticket",
        Body::One("ticket", "Ticket"),
    ),
    (
        "put",
        "/api/v2/tickets/{id}",
        "Tickets",
        "Update a ticket and/or add a comment",
        Body::TicketWrite,
    ),
    (
        "delete",
        "/api/v2/tickets/{id}",
        "Tickets",
        "Delete a ticket",
        Body::Empty,
    ),
    (
        "get",
        "/api/v2/tickets/{id}/comments",
        "Tickets",
        "A ticket's comments, oldest first",
        Body::List("comments", "Comment"),
    ),
    (
        "get",
        "/api/v2/tickets/{id}/audits",
        "Tickets",
        "A ticket's audits, oldest first",
        Body::List("audits", "Audit"),
    ),
    (
        "post",
        "/api/v2/tickets/{id}/merge",
        "Tickets",
        "Merge tickets into this one",
        Body::Object,
    ),
    (
        "get",
        "/api/v2/tickets/{id}/tags",
        "Tickets",
        "A ticket's tags",
        Body::Object,
    ),
    (
        "put",
        "/api/v2/tickets/{id}/tags",
        "Tickets",
        "Add tags",
        Body::Object,
    ),
    (
        "post",
        "/api/v2/tickets/{id}/tags",
        "Tickets",
        "Replace tags",
        Body::Object,
    ),
    (
        "delete",
        "/api/v2/tickets/{id}/tags",
        "Tickets",
        "Remove tags",
        Body::Object,
    ),
    (
        "get",
        "/api/v2/tags",
        "Tickets",
        "Tags in use with counts",
        Body::Object,
    ),
    (
        "get",
        "/api/v2/ticket_fields",
        "Ticket fields",
        "System and custom ticket fields",
        Body::List("ticket_fields", "TicketField"),
    ),
    (
        "post",
        "/api/v2/ticket_fields",
        "Ticket fields",
        "Create a custom field",
        Body::One("ticket_field", "TicketField"),
    ),
    (
        "get",
        "/api/v2/ticket_fields/{id}",
        "Ticket fields",
        "Show a field",
        Body::One("ticket_field", "TicketField"),
    ),
    (
        "put",
        "/api/v2/ticket_fields/{id}",
        "Ticket fields",
        "Update a field",
        Body::One("ticket_field", "TicketField"),
    ),
    (
        "delete",
        "/api/v2/ticket_fields/{id}",
        "Ticket fields",
        "Delete a field",
        Body::Empty,
    ),
    (
        "get",
        "/api/v2/recipient_addresses",
        "Support addresses",
        "List support addresses (admins)",
        Body::Object,
    ),
    (
        "post",
        "/api/v2/recipient_addresses",
        "Support addresses",
        "Add a support address, optionally with an IMAP account (imap object)",
        Body::Object,
    ),
    (
        "get",
        "/api/v2/recipient_addresses/{id}",
        "Support addresses",
        "Show a support address and its IMAP status",
        Body::Object,
    ),
    (
        "put",
        "/api/v2/recipient_addresses/{id}",
        "Support addresses",
        "Change a support address or its IMAP account",
        Body::Object,
    ),
    (
        "delete",
        "/api/v2/recipient_addresses/{id}",
        "Support addresses",
        "Remove a support address",
        Body::Empty,
    ),
];

/// Every documented operation.
pub fn all() -> impl Iterator<Item = &'static Operation> {
    WORK.iter()
        .chain(CHANNELS)
        .chain(CONFIGURATION)
        .chain(INTEGRATIONS)
        .chain(CATALOG)
        .chain(SELF_SERVICE)
}
