//! The table of documented operations, in three parts: the desk's work,
//! its configuration, and what is read and reused (macros, views, the help
//! center, memberships).

mod catalog;
mod configuration;
pub use catalog::CATALOG;
pub use configuration::CONFIGURATION;

/// (method, path, tag, summary).
pub type Operation = (&'static str, &'static str, &'static str, &'static str);

/// (method, path, tag, summary): people, tickets, search, email.
pub const WORK: &[Operation] = &[
    ("get", "/api/v2/users/me", "Users", "The authenticated user"),
    (
        "get",
        "/api/v2/users",
        "Users",
        "List users (cursor or offset paging; role filter)",
    ),
    ("post", "/api/v2/users", "Users", "Create a user"),
    (
        "get",
        "/api/v2/users/search",
        "Users",
        "Find users by name, email or external_id",
    ),
    (
        "get",
        "/api/v2/users/show_many",
        "Users",
        "Several users by ids",
    ),
    (
        "post",
        "/api/v2/users/create_or_update",
        "Users",
        "Create or update a user matched by email or external_id",
    ),
    ("get", "/api/v2/users/{id}", "Users", "Show a user"),
    ("put", "/api/v2/users/{id}", "Users", "Update a user"),
    ("delete", "/api/v2/users/{id}", "Users", "Deactivate a user"),
    (
        "get",
        "/api/v2/users/{id}/identities",
        "Users",
        "List a user's identities",
    ),
    (
        "post",
        "/api/v2/users/{id}/identities",
        "Users",
        "Add an identity",
    ),
    (
        "put",
        "/api/v2/users/{id}/identities/{identity_id}/make_primary",
        "Users",
        "Make an identity primary",
    ),
    (
        "put",
        "/api/v2/users/{id}/identities/{identity_id}/verify",
        "Users",
        "Verify an identity",
    ),
    (
        "delete",
        "/api/v2/users/{id}/identities/{identity_id}",
        "Users",
        "Delete an identity",
    ),
    (
        "get",
        "/api/v2/users/{id}/tickets/requested",
        "Tickets",
        "Tickets a user requested",
    ),
    (
        "get",
        "/api/v2/users/{id}/tickets/assigned",
        "Tickets",
        "Tickets assigned to a user",
    ),
    (
        "get",
        "/api/v2/users/{id}/tickets/ccd",
        "Tickets",
        "Tickets a user is copied on",
    ),
    (
        "get",
        "/api/v2/organizations",
        "Organizations",
        "List organizations",
    ),
    (
        "post",
        "/api/v2/organizations",
        "Organizations",
        "Create an organization",
    ),
    (
        "get",
        "/api/v2/organizations/search",
        "Organizations",
        "Find organizations by external_id or name",
    ),
    (
        "get",
        "/api/v2/organizations/{id}",
        "Organizations",
        "Show an organization",
    ),
    (
        "put",
        "/api/v2/organizations/{id}",
        "Organizations",
        "Update an organization",
    ),
    (
        "delete",
        "/api/v2/organizations/{id}",
        "Organizations",
        "Delete an organization",
    ),
    (
        "get",
        "/api/v2/organizations/{id}/tickets",
        "Organizations",
        "An organization's tickets",
    ),
    (
        "get",
        "/api/v2/organizations/{id}/users",
        "Organizations",
        "An organization's users",
    ),
    ("get", "/api/v2/groups", "Groups", "List groups"),
    ("post", "/api/v2/groups", "Groups", "Create a group"),
    (
        "get",
        "/api/v2/groups/assignable",
        "Groups",
        "Groups tickets can be assigned to",
    ),
    ("get", "/api/v2/groups/{id}", "Groups", "Show a group"),
    ("put", "/api/v2/groups/{id}", "Groups", "Update a group"),
    ("delete", "/api/v2/groups/{id}", "Groups", "Delete a group"),
    (
        "get",
        "/api/v2/group_memberships",
        "Groups",
        "List group memberships",
    ),
    (
        "post",
        "/api/v2/group_memberships",
        "Groups",
        "Add an agent to a group",
    ),
    (
        "delete",
        "/api/v2/group_memberships/{id}",
        "Groups",
        "Remove a membership",
    ),
    (
        "get",
        "/api/v2/tickets",
        "Tickets",
        "List tickets (cursor or offset paging)",
    ),
    (
        "post",
        "/api/v2/tickets",
        "Tickets",
        "Create a ticket; answers with the ticket and its audit",
    ),
    (
        "get",
        "/api/v2/tickets/show_many",
        "Tickets",
        "Several tickets by ids (at most 100)",
    ),
    (
        "put",
        "/api/v2/tickets/update_many",
        "Tickets",
        "Update several tickets; answers with a job status",
    ),
    (
        "post",
        "/api/v2/tickets/create_many",
        "Tickets",
        "Create several tickets; answers with a job status",
    ),
    (
        "delete",
        "/api/v2/tickets/destroy_many",
        "Tickets",
        "Delete several tickets; answers with a job status",
    ),
    ("get", "/api/v2/tickets/{id}", "Tickets", "Show a ticket"),
    (
        "put",
        "/api/v2/tickets/{id}",
        "Tickets",
        "Update a ticket and/or add a comment",
    ),
    (
        "delete",
        "/api/v2/tickets/{id}",
        "Tickets",
        "Delete a ticket",
    ),
    (
        "get",
        "/api/v2/tickets/{id}/comments",
        "Tickets",
        "A ticket's comments, oldest first",
    ),
    (
        "get",
        "/api/v2/tickets/{id}/audits",
        "Tickets",
        "A ticket's audits, oldest first",
    ),
    (
        "post",
        "/api/v2/tickets/{id}/merge",
        "Tickets",
        "Merge tickets into this one",
    ),
    (
        "get",
        "/api/v2/tickets/{id}/tags",
        "Tickets",
        "A ticket's tags",
    ),
    ("put", "/api/v2/tickets/{id}/tags", "Tickets", "Add tags"),
    (
        "post",
        "/api/v2/tickets/{id}/tags",
        "Tickets",
        "Replace tags",
    ),
    (
        "delete",
        "/api/v2/tickets/{id}/tags",
        "Tickets",
        "Remove tags",
    ),
    ("get", "/api/v2/tags", "Tickets", "Tags in use with counts"),
    (
        "get",
        "/api/v2/ticket_fields",
        "Ticket fields",
        "System and custom ticket fields",
    ),
    (
        "post",
        "/api/v2/ticket_fields",
        "Ticket fields",
        "Create a custom field",
    ),
    (
        "get",
        "/api/v2/ticket_fields/{id}",
        "Ticket fields",
        "Show a field",
    ),
    (
        "put",
        "/api/v2/ticket_fields/{id}",
        "Ticket fields",
        "Update a field",
    ),
    (
        "delete",
        "/api/v2/ticket_fields/{id}",
        "Ticket fields",
        "Delete a field",
    ),
    (
        "get",
        "/api/v2/recipient_addresses",
        "Support addresses",
        "List support addresses (admins)",
    ),
    (
        "post",
        "/api/v2/recipient_addresses",
        "Support addresses",
        "Add a support address, optionally with an IMAP account (imap object)",
    ),
    (
        "get",
        "/api/v2/recipient_addresses/{id}",
        "Support addresses",
        "Show a support address and its IMAP status",
    ),
    (
        "put",
        "/api/v2/recipient_addresses/{id}",
        "Support addresses",
        "Change a support address or its IMAP account",
    ),
    (
        "delete",
        "/api/v2/recipient_addresses/{id}",
        "Support addresses",
        "Remove a support address",
    ),
];

/// Every documented operation.
pub fn all() -> impl Iterator<Item = &'static Operation> {
    WORK.iter().chain(CONFIGURATION).chain(CATALOG)
}
