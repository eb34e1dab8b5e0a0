//! The OpenAPI 3.1 document at `/api/v2/openapi.json`, built from one table
//! of the routes we serve, so it cannot drift far from the router: a test
//! calls every listed path and checks that none answers 404 from routing.

use crate::error::json_response;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value as Json, json};

/// (method, path, tag, summary) for every documented operation.
pub const OPERATIONS: &[(&str, &str, &str, &str)] = &[
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
    (
        "get",
        "/api/v2/triggers",
        "Business rules",
        "List triggers (in the order they run)",
    ),
    (
        "post",
        "/api/v2/triggers",
        "Business rules",
        "Create a trigger",
    ),
    (
        "get",
        "/api/v2/triggers/active",
        "Business rules",
        "Active triggers",
    ),
    (
        "get",
        "/api/v2/triggers/{id}",
        "Business rules",
        "Show a trigger",
    ),
    (
        "put",
        "/api/v2/triggers/{id}",
        "Business rules",
        "Update a trigger",
    ),
    (
        "delete",
        "/api/v2/triggers/{id}",
        "Business rules",
        "Delete a trigger",
    ),
    (
        "get",
        "/api/v2/automations",
        "Business rules",
        "List automations",
    ),
    (
        "post",
        "/api/v2/automations",
        "Business rules",
        "Create an automation (needs a time condition)",
    ),
    (
        "get",
        "/api/v2/automations/active",
        "Business rules",
        "Active automations",
    ),
    (
        "get",
        "/api/v2/automations/{id}",
        "Business rules",
        "Show an automation",
    ),
    (
        "put",
        "/api/v2/automations/{id}",
        "Business rules",
        "Update an automation",
    ),
    (
        "delete",
        "/api/v2/automations/{id}",
        "Business rules",
        "Delete an automation",
    ),
    ("get", "/api/v2/slas/policies", "SLAs", "List SLA policies"),
    (
        "post",
        "/api/v2/slas/policies",
        "SLAs",
        "Create an SLA policy",
    ),
    (
        "get",
        "/api/v2/slas/policies/{id}",
        "SLAs",
        "Show an SLA policy",
    ),
    (
        "put",
        "/api/v2/slas/policies/{id}",
        "SLAs",
        "Update an SLA policy",
    ),
    (
        "delete",
        "/api/v2/slas/policies/{id}",
        "SLAs",
        "Delete an SLA policy",
    ),
    (
        "get",
        "/api/v2/business_hours/schedules",
        "SLAs",
        "List schedules",
    ),
    (
        "post",
        "/api/v2/business_hours/schedules",
        "SLAs",
        "Create a schedule",
    ),
    (
        "get",
        "/api/v2/business_hours/schedules/{id}",
        "SLAs",
        "Show a schedule",
    ),
    (
        "put",
        "/api/v2/business_hours/schedules/{id}",
        "SLAs",
        "Update a schedule",
    ),
    (
        "delete",
        "/api/v2/business_hours/schedules/{id}",
        "SLAs",
        "Delete a schedule",
    ),
    (
        "put",
        "/api/v2/business_hours/schedules/{id}/workweek",
        "SLAs",
        "Set a schedule's weekly intervals",
    ),
    (
        "get",
        "/api/v2/business_hours/schedules/{id}/holidays",
        "SLAs",
        "List a schedule's holidays",
    ),
    (
        "post",
        "/api/v2/business_hours/schedules/{id}/holidays",
        "SLAs",
        "Add a holiday",
    ),
    (
        "get",
        "/api/v2/business_hours/schedules/{id}/holidays/{hid}",
        "SLAs",
        "Show a holiday",
    ),
    (
        "put",
        "/api/v2/business_hours/schedules/{id}/holidays/{hid}",
        "SLAs",
        "Update a holiday",
    ),
    (
        "delete",
        "/api/v2/business_hours/schedules/{id}/holidays/{hid}",
        "SLAs",
        "Delete a holiday",
    ),
    (
        "get",
        "/api/v2/tickets/{id}/metrics",
        "SLAs",
        "A ticket's metrics (calendar and business minutes)",
    ),
    (
        "get",
        "/api/v2/tickets/{id}/sla",
        "SLAs",
        "A ticket's SLA targets and when each breaches (atiende)",
    ),
    ("get", "/api/v2/webhooks", "Webhooks", "List webhooks"),
    ("post", "/api/v2/webhooks", "Webhooks", "Create a webhook"),
    ("get", "/api/v2/webhooks/{id}", "Webhooks", "Show a webhook"),
    (
        "put",
        "/api/v2/webhooks/{id}",
        "Webhooks",
        "Update a webhook",
    ),
    (
        "patch",
        "/api/v2/webhooks/{id}",
        "Webhooks",
        "Update a webhook",
    ),
    (
        "delete",
        "/api/v2/webhooks/{id}",
        "Webhooks",
        "Delete a webhook",
    ),
    (
        "get",
        "/api/v2/webhooks/{id}/signing_secret",
        "Webhooks",
        "The webhook's signing secret",
    ),
    (
        "post",
        "/api/v2/webhooks/{id}/signing_secret",
        "Webhooks",
        "Make a new signing secret",
    ),
    (
        "get",
        "/api/v2/webhooks/{id}/invocations",
        "Webhooks",
        "The webhook's calls and their outcomes",
    ),
    (
        "post",
        "/api/v2/webhooks/{id}/test",
        "Webhooks",
        "Queue a test call",
    ),
    (
        "get",
        "/api/v2/routing/attributes",
        "Routing",
        "List routing attributes",
    ),
    (
        "post",
        "/api/v2/routing/attributes",
        "Routing",
        "Create a routing attribute",
    ),
    (
        "get",
        "/api/v2/routing/attributes/{id}",
        "Routing",
        "Show an attribute",
    ),
    (
        "put",
        "/api/v2/routing/attributes/{id}",
        "Routing",
        "Rename an attribute",
    ),
    (
        "patch",
        "/api/v2/routing/attributes/{id}",
        "Routing",
        "Rename an attribute",
    ),
    (
        "delete",
        "/api/v2/routing/attributes/{id}",
        "Routing",
        "Delete an attribute and its values",
    ),
    (
        "get",
        "/api/v2/routing/attributes/{id}/values",
        "Routing",
        "An attribute's values (skills)",
    ),
    (
        "post",
        "/api/v2/routing/attributes/{id}/values",
        "Routing",
        "Add a value",
    ),
    (
        "get",
        "/api/v2/routing/attributes/{id}/values/{vid}",
        "Routing",
        "Show a value",
    ),
    (
        "put",
        "/api/v2/routing/attributes/{id}/values/{vid}",
        "Routing",
        "Rename a value",
    ),
    (
        "patch",
        "/api/v2/routing/attributes/{id}/values/{vid}",
        "Routing",
        "Rename a value",
    ),
    (
        "delete",
        "/api/v2/routing/attributes/{id}/values/{vid}",
        "Routing",
        "Delete a value",
    ),
    (
        "get",
        "/api/v2/routing/agents/{id}/instance_values",
        "Routing",
        "An agent's skills (with levels)",
    ),
    (
        "post",
        "/api/v2/routing/agents/{id}/instance_values",
        "Routing",
        "Set an agent's skills (attribute_value_ids, or attribute_values with level)",
    ),
    (
        "get",
        "/api/v2/routing/tickets/{id}/instance_values",
        "Routing",
        "A ticket's required skills",
    ),
    (
        "post",
        "/api/v2/routing/tickets/{id}/instance_values",
        "Routing",
        "Set a ticket's required skills (with min level, optional)",
    ),
    (
        "get",
        "/api/v2/routing/requirements/fulfilled",
        "Routing",
        "Tickets whose required skills the caller has",
    ),
    (
        "get",
        "/api/v2/routing/agents/{id}/profile",
        "Routing",
        "An agent's presence, capacity, languages, schedule (atiende)",
    ),
    (
        "put",
        "/api/v2/routing/agents/{id}/profile",
        "Routing",
        "Set presence (the agent) or capacity, languages, schedule (admins) (atiende)",
    ),
    (
        "get",
        "/api/v2/routing/queue",
        "Routing",
        "Tickets waiting for an agent, with why (atiende)",
    ),
    (
        "get",
        "/api/v2/routing/settings",
        "Routing",
        "Routing settings (atiende)",
    ),
    (
        "put",
        "/api/v2/routing/settings",
        "Routing",
        "Change routing settings (admins) (atiende)",
    ),
    (
        "post",
        "/api/v2/uploads",
        "Attachments",
        "Upload a file (raw body); answers with a token",
    ),
    (
        "delete",
        "/api/v2/uploads/{token}",
        "Attachments",
        "Delete an unattached upload",
    ),
    (
        "get",
        "/api/v2/attachments/{id}",
        "Attachments",
        "Show an attachment",
    ),
    (
        "get",
        "/api/v2/attachments/{id}/content",
        "Attachments",
        "Download an attachment",
    ),
    (
        "get",
        "/api/v2/search",
        "Search",
        "Search tickets, users, organizations and groups",
    ),
    (
        "get",
        "/api/v2/search/count",
        "Search",
        "Count search results",
    ),
    (
        "get",
        "/api/v2/incremental/tickets/cursor",
        "Incremental export",
        "Tickets changed since a cursor or time",
    ),
    (
        "get",
        "/api/v2/incremental/tickets",
        "Incremental export",
        "Tickets changed since a time",
    ),
    (
        "get",
        "/api/v2/incremental/users/cursor",
        "Incremental export",
        "Users changed since a cursor or time",
    ),
    (
        "get",
        "/api/v2/incremental/users",
        "Incremental export",
        "Users changed since a time",
    ),
    (
        "get",
        "/api/v2/incremental/organizations",
        "Incremental export",
        "Organizations changed since a time",
    ),
    (
        "get",
        "/api/v2/job_statuses/{id}",
        "Jobs",
        "Show a job status (its creator and admins)",
    ),
    (
        "get",
        "/api/v2/security/counters",
        "Security",
        "This node's failed sign-ins, refused attempts and suspended mail since start (admins)",
    ),
    (
        "get",
        "/api/v2/suspended_tickets",
        "Suspended tickets",
        "Mail held instead of becoming tickets, with its cause (admins)",
    ),
    (
        "get",
        "/api/v2/suspended_tickets/{id}",
        "Suspended tickets",
        "Show a held message",
    ),
    (
        "put",
        "/api/v2/suspended_tickets/{id}/recover",
        "Suspended tickets",
        "Recover a held message: it becomes a ticket or a reply now",
    ),
    (
        "put",
        "/api/v2/suspended_tickets/recover_many",
        "Suspended tickets",
        "Recover several held messages (ids)",
    ),
    (
        "delete",
        "/api/v2/suspended_tickets/{id}",
        "Suspended tickets",
        "Delete a held message",
    ),
    (
        "delete",
        "/api/v2/suspended_tickets/destroy_many",
        "Suspended tickets",
        "Delete several held messages (ids)",
    ),
];

/// Builds the document.
pub fn build() -> Json {
    let mut paths = Map::new();
    for (method, path, tag, summary) in OPERATIONS {
        let params: Vec<Json> = path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": if name == "token" { "string" } else { "integer" }}}))
            .collect();
        let mut responses = json!({
            "401": {"$ref": "#/components/responses/Unauthorized"},
            "403": {"$ref": "#/components/responses/Forbidden"},
            "404": {"$ref": "#/components/responses/NotFound"},
            "422": {"$ref": "#/components/responses/Invalid"},
            "429": {"description": "Rate limited; see Retry-After"}
        });
        let ok_code = match *method {
            "post" if !path.ends_with("/merge") && !path.ends_with("create_many") => "201",
            "delete"
                if !path.ends_with("destroy_many") && !path.starts_with("/api/v2/users/{id}") =>
            {
                "204"
            }
            _ => "200",
        };
        responses[ok_code] = json!({"description": "Success", "content": {"application/json": {"schema": {"type": "object"}}}});
        let mut op = json!({"tags": [tag], "summary": summary, "parameters": params, "responses": responses});
        if matches!(*method, "post" | "put") {
            op["requestBody"] = json!({"required": !path.ends_with("/tags"), "content": {"application/json": {"schema": {"type": "object"}}}});
        }
        let entry = paths.entry(path.to_string()).or_insert_with(|| json!({}));
        entry[*method] = op;
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "atiende API", "version": env!("CARGO_PKG_VERSION"), "description": "Compatible with the Zendesk Support API v2: every path also answers with a .json suffix."},
        "servers": [{"url": "/"}],
        "security": [{"basicAuth": []}, {"bearerAuth": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "basicAuth": {"type": "http", "scheme": "basic", "description": "`email/token:API_TOKEN` or `email:password`"},
                "bearerAuth": {"type": "http", "scheme": "bearer"}
            },
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}, "description": {"type": "string"}, "details": {"type": "object"}}}
            },
            "responses": {
                "Unauthorized": {"description": "Missing or wrong credentials", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "Forbidden": {"description": "Not allowed for this role", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "NotFound": {"description": "RecordNotFound", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "Invalid": {"description": "RecordInvalid with details per field", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
        }
    })
}

pub async fn document() -> Response {
    json_response(StatusCode::OK, &build())
}
