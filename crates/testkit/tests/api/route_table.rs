//! Every route, asked by everyone: anonymous, a customer about their own
//! resource, another customer, a group-restricted agent (whose groups the
//! resource is not in), an agent and an admin, with the expected answer
//! for each written in one table. The routes are read from the router's
//! source (`.route(` calls), so a new route without a row fails the test.
//!
//! Answers: `U` not signed in (API 401; pages send the browser to sign in
//! or answer 401), `D` denied (403 or 404), `A` allowed (anything past the
//! permission check: 2xx, 3xx, or 400/409/422 on the body), `P` public
//! (allowed with no credentials). A 5xx is always a failure. Writes act on
//! resources made for that one request, so one role's change does not
//! decide the next role's answer.

use super::schema_check;
use super::workspace::{Browser, hidden};
use super::*;
use std::collections::HashMap;

/// Roles, in the order of a row's answers.
const ROLES: [Role; 6] = [
    Role::Anonymous,
    Role::Owner,
    Role::Stranger,
    Role::Restricted,
    Role::Agent,
    Role::Admin,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Anonymous,
    /// The customer the resource belongs to (requester of `{ticket}`).
    Owner,
    /// Another customer.
    Stranger,
    /// An agent restricted to a group `{ticket}` is not in.
    Restricted,
    Agent,
    Admin,
}

/// (method, path, answers, body for writes). Placeholders name fixtures.
pub(super) type Row = (&'static str, &'static str, &'static str, &'static str);

pub(super) const API: &[Row] = &[
    // People
    ("GET", "/api/v2/users/me", "UAAAAA", ""),
    ("GET", "/api/v2/users", "UDDAAA", ""),
    (
        "POST",
        "/api/v2/users",
        "UDDAAA",
        r#"{"user":{"name":"Nuevo","email":"{unique}@example.com"}}"#,
    ),
    ("GET", "/api/v2/users/search", "UDDAAA", ""),
    ("GET", "/api/v2/users/autocomplete?name=ag", "UDDAAA", ""),
    ("GET", "/api/v2/users/show_many", "UAAAAA", ""),
    (
        "POST",
        "/api/v2/users/create_or_update",
        "UDDAAA",
        r#"{"user":{"name":"Otro","email":"{unique}@example.com"}}"#,
    ),
    (
        "POST",
        "/api/v2/users/create_many",
        "UDDAAA",
        r#"{"users":[{"name":"Varios","email":"{unique}@example.com"}]}"#,
    ),
    ("GET", "/api/v2/users/{me}", "UADAAA", ""),
    (
        "PUT",
        "/api/v2/users/{me}",
        "UADAAA",
        r#"{"user":{"locale":"es"}}"#,
    ),
    ("DELETE", "/api/v2/users/{customer}", "UDDDDA", ""),
    ("GET", "/api/v2/users/{me}/identities", "UADAAA", ""),
    (
        "POST",
        "/api/v2/users/{me}/identities",
        "UADAAA",
        r#"{"identity":{"type":"email","value":"{unique}@example.com"}}"#,
    ),
    (
        "GET",
        "/api/v2/users/{me}/identities/{identity}",
        "UADAAA",
        "",
    ),
    (
        "DELETE",
        "/api/v2/users/{me}/identities/{identity}",
        "UADAAA",
        "",
    ),
    (
        "PUT",
        "/api/v2/users/{me}/identities/{identity}/make_primary",
        "UDDAAA",
        "",
    ),
    (
        "PUT",
        "/api/v2/users/{me}/identities/{identity}/verify",
        "UDDAAA",
        "",
    ),
    (
        "PUT",
        "/api/v2/users/{agent}/identities/{agent_identity}/verify",
        "UDDDDA",
        "",
    ),
    ("GET", "/api/v2/users/{me}/tickets/requested", "UADAAA", ""),
    ("GET", "/api/v2/users/{me}/tickets/assigned", "UADAAA", ""),
    ("GET", "/api/v2/users/{me}/tickets/ccd", "UADAAA", ""),
    ("GET", "/api/v2/users/{agent}/groups", "UDDAAA", ""),
    (
        "GET",
        "/api/v2/users/{agent}/group_memberships",
        "UDDAAA",
        "",
    ),
    (
        "GET",
        "/api/v2/users/{me}/organization_memberships",
        "UDDAAA",
        "",
    ),
    // Organizations and groups
    ("GET", "/api/v2/organizations", "UDDAAA", ""),
    (
        "POST",
        "/api/v2/organizations",
        "UDDAAA",
        r#"{"organization":{"name":"Org {unique}"}}"#,
    ),
    ("GET", "/api/v2/organizations/search", "UDDAAA", ""),
    (
        "GET",
        "/api/v2/organizations/autocomplete?name=or",
        "UDDAAA",
        "",
    ),
    ("GET", "/api/v2/organizations/show_many", "UAAAAA", ""),
    ("GET", "/api/v2/organizations/{org}", "UADAAA", ""),
    (
        "PUT",
        "/api/v2/organizations/{org}",
        "UDDAAA",
        r#"{"organization":{"notes":"x"}}"#,
    ),
    ("DELETE", "/api/v2/organizations/{org}", "UDDDDA", ""),
    ("GET", "/api/v2/organizations/{org}/tickets", "UADAAA", ""),
    ("GET", "/api/v2/organizations/{org}/users", "UDDAAA", ""),
    (
        "GET",
        "/api/v2/organizations/{org}/organization_memberships",
        "UDDAAA",
        "",
    ),
    ("GET", "/api/v2/organization_memberships", "UDDAAA", ""),
    (
        "POST",
        "/api/v2/organization_memberships",
        "UDDAAA",
        r#"{"organization_membership":{"user_id":{customer},"organization_id":{org}}}"#,
    ),
    (
        "GET",
        "/api/v2/organization_memberships/{org_membership}",
        "UDDAAA",
        "",
    ),
    (
        "DELETE",
        "/api/v2/organization_memberships/{org_membership}",
        "UDDAAA",
        "",
    ),
    ("GET", "/api/v2/groups", "UDDAAA", ""),
    (
        "POST",
        "/api/v2/groups",
        "UDDDDA",
        r#"{"group":{"name":"G {unique}"}}"#,
    ),
    ("GET", "/api/v2/groups/assignable", "UDDAAA", ""),
    ("GET", "/api/v2/groups/{group}", "UDDAAA", ""),
    (
        "PUT",
        "/api/v2/groups/{group}",
        "UDDDDA",
        r#"{"group":{"name":"G {unique}"}}"#,
    ),
    ("DELETE", "/api/v2/groups/{group}", "UDDDDA", ""),
    ("GET", "/api/v2/groups/{group}/memberships", "UDDAAA", ""),
    ("GET", "/api/v2/groups/{group}/users", "UDDAAA", ""),
    ("GET", "/api/v2/group_memberships", "UDDAAA", ""),
    (
        "POST",
        "/api/v2/group_memberships",
        "UDDDDA",
        r#"{"group_membership":{"user_id":{agent},"group_id":{group}}}"#,
    ),
    (
        "GET",
        "/api/v2/group_memberships/{group_membership}",
        "UDDAAA",
        "",
    ),
    (
        "DELETE",
        "/api/v2/group_memberships/{group_membership}",
        "UDDDDA",
        "",
    ),
    // Tickets
    ("GET", "/api/v2/tickets", "UAAAAA", ""),
    (
        "POST",
        "/api/v2/tickets",
        "UAAAAA",
        r#"{"ticket":{"subject":"Hola","comment":{"body":"Necesito ayuda"}}}"#,
    ),
    (
        "GET",
        "/api/v2/tickets/show_many?ids={ticket}",
        "UAAAAA",
        "",
    ),
    // Bulk changes answer with a job whose items a restricted agent may
    // not touch fail one by one (nothing outside their groups changes).
    (
        "PUT",
        "/api/v2/tickets/update_many?ids={ticket}",
        "UDDAAA",
        r#"{"ticket":{"tags":["lote"]}}"#,
    ),
    (
        "POST",
        "/api/v2/tickets/create_many",
        "UDDAAA",
        r#"{"tickets":[{"subject":"a","comment":{"body":"b"}}]}"#,
    ),
    (
        "DELETE",
        "/api/v2/tickets/destroy_many?ids={ticket}",
        "UDDAAA",
        "",
    ),
    ("GET", "/api/v2/tickets/{ticket}", "UADDAA", ""),
    (
        "PUT",
        "/api/v2/tickets/{ticket}",
        "UADDAA",
        r#"{"ticket":{"comment":{"body":"Más datos"}}}"#,
    ),
    ("DELETE", "/api/v2/tickets/{ticket}", "UDDDAA", ""),
    ("GET", "/api/v2/tickets/{ticket}/comments", "UADDAA", ""),
    ("GET", "/api/v2/tickets/{ticket}/audits", "UDDDAA", ""),
    (
        "POST",
        "/api/v2/tickets/{ticket}/merge",
        "UDDDAA",
        r#"{"ids":[{ticket2}]}"#,
    ),
    ("GET", "/api/v2/tickets/{ticket}/tags", "UADDAA", ""),
    (
        "PUT",
        "/api/v2/tickets/{ticket}/tags",
        "UDDDAA",
        r#"{"tags":["nueva"]}"#,
    ),
    (
        "POST",
        "/api/v2/tickets/{ticket}/tags",
        "UDDDAA",
        r#"{"tags":["nueva"]}"#,
    ),
    (
        "DELETE",
        "/api/v2/tickets/{ticket}/tags",
        "UDDDAA",
        r#"{"tags":["nueva"]}"#,
    ),
    (
        "GET",
        "/api/v2/tickets/{ticket}/collaborators",
        "UADDAA",
        "",
    ),
    ("GET", "/api/v2/tickets/{ticket}/metrics", "UDDDAA", ""),
    ("GET", "/api/v2/ticket_metrics", "UDDAAA", ""),
    ("GET", "/api/v2/ticket_metrics/{ticket}", "UDDDAA", ""),
    ("GET", "/api/v2/ticket_audits", "UDDDDA", ""),
    // User and organization fields
    ("GET", "/api/v2/user_fields", "UDDAAA", ""),
    (
        "POST",
        "/api/v2/user_fields",
        "UDDDDA",
        r#"{"user_field":{"key":"k{unique}","type":"text","title":"Plan"}}"#,
    ),
    (
        "PUT",
        "/api/v2/user_fields/reorder",
        "UDDDDA",
        r#"{"user_field_ids":[]}"#,
    ),
    ("GET", "/api/v2/user_fields/{user_field}", "UDDAAA", ""),
    (
        "PUT",
        "/api/v2/user_fields/{user_field}",
        "UDDDDA",
        r#"{"user_field":{"title":"Plan nuevo"}}"#,
    ),
    ("DELETE", "/api/v2/user_fields/{user_field}", "UDDDDA", ""),
    (
        "GET",
        "/api/v2/user_fields/{user_dropdown}/options",
        "UDDAAA",
        "",
    ),
    (
        "POST",
        "/api/v2/user_fields/{user_dropdown}/options",
        "UDDDDA",
        r#"{"custom_field_option":{"name":"Plata","value":"plata_{unique}"}}"#,
    ),
    (
        "GET",
        "/api/v2/user_fields/{user_dropdown}/options/{user_option}",
        "UDDAAA",
        "",
    ),
    (
        "DELETE",
        "/api/v2/user_fields/{user_dropdown}/options/{user_option}",
        "UDDDDA",
        "",
    ),
    (
        "GET",
        "/api/v2/organization_fields/{org_dropdown}/options",
        "UDDAAA",
        "",
    ),
    (
        "POST",
        "/api/v2/organization_fields/{org_dropdown}/options",
        "UDDDDA",
        r#"{"custom_field_option":{"name":"Plata","value":"plata_{unique}"}}"#,
    ),
    (
        "GET",
        "/api/v2/organization_fields/{org_dropdown}/options/{org_option}",
        "UDDAAA",
        "",
    ),
    (
        "DELETE",
        "/api/v2/organization_fields/{org_dropdown}/options/{org_option}",
        "UDDDDA",
        "",
    ),
    ("GET", "/api/v2/organization_fields", "UDDAAA", ""),
    (
        "POST",
        "/api/v2/organization_fields",
        "UDDDDA",
        r#"{"organization_field":{"key":"k{unique}","type":"text","title":"Sector"}}"#,
    ),
    (
        "PUT",
        "/api/v2/organization_fields/reorder",
        "UDDDDA",
        r#"{"organization_field_ids":[]}"#,
    ),
    (
        "GET",
        "/api/v2/organization_fields/{org_field}",
        "UDDAAA",
        "",
    ),
    (
        "PUT",
        "/api/v2/organization_fields/{org_field}",
        "UDDDDA",
        r#"{"organization_field":{"title":"Sector nuevo"}}"#,
    ),
    (
        "DELETE",
        "/api/v2/organization_fields/{org_field}",
        "UDDDDA",
        "",
    ),
    // What was deleted
    ("GET", "/api/v2/deleted_tickets", "UDDAAA", ""),
    (
        "PUT",
        "/api/v2/deleted_tickets/{deleted_ticket}/restore",
        "UDDDAA",
        "",
    ),
    (
        "PUT",
        "/api/v2/deleted_tickets/restore_many?ids={deleted_ticket}",
        "UDDDAA",
        "",
    ),
    (
        "DELETE",
        "/api/v2/deleted_tickets/{deleted_ticket}",
        "UDDAAA",
        "",
    ),
    (
        "DELETE",
        "/api/v2/deleted_tickets/destroy_many?ids={deleted_ticket}",
        "UDDAAA",
        "",
    ),
    ("GET", "/api/v2/deleted_users", "UDDDDA", ""),
    ("GET", "/api/v2/deleted_users/count", "UDDDDA", ""),
    ("GET", "/api/v2/deleted_users/{deleted_user}", "UDDDDA", ""),
    (
        "DELETE",
        "/api/v2/deleted_users/{deleted_user}",
        "UDDDDA",
        "",
    ),
    (
        "PUT",
        "/api/v2/deleted_users/{deleted_user}/restore",
        "UDDDDA",
        "",
    ),
    ("GET", "/api/v2/tickets/{ticket}/sla", "UDDDAA", ""),
    (
        "GET",
        "/api/v2/tickets/{ticket}/macros/{macro}/apply",
        "UDDDAA",
        "",
    ),
    (
        "POST",
        "/api/v2/tickets/{solved_ticket}/satisfaction_rating",
        "UADDDD",
        r#"{"satisfaction_rating":{"score":"good"}}"#,
    ),
    ("GET", "/api/v2/tags", "UDDAAA", ""),
    ("GET", "/api/v2/ticket_fields", "UAAAAA", ""),
    (
        "POST",
        "/api/v2/ticket_fields",
        "UDDDDA",
        r#"{"ticket_field":{"type":"text","title":"Campo {unique}"}}"#,
    ),
    ("GET", "/api/v2/ticket_fields/{field}", "UAAAAA", ""),
    (
        "PUT",
        "/api/v2/ticket_fields/{field}",
        "UDDDDA",
        r#"{"ticket_field":{"title":"Campo {unique}"}}"#,
    ),
    ("DELETE", "/api/v2/ticket_fields/{field}", "UDDDDA", ""),
    // Uploads
    ("POST", "/api/v2/uploads", "UAAAAA", "file"),
    ("DELETE", "/api/v2/uploads/{upload}", "UADDDA", ""),
    ("GET", "/api/v2/attachments/{attachment}", "UADDAA", ""),
    (
        "GET",
        "/api/v2/attachments/{attachment}/content",
        "UADDAA",
        "",
    ),
    ("GET", "/api/v2/attachments/{note_attachment}", "UDDDAA", ""),
    // Search and export
    ("GET", "/api/v2/search", "UAAAAA", ""),
    ("GET", "/api/v2/search/count", "UAAAAA", ""),
    ("GET", "/api/v2/incremental/tickets/cursor", "UDDDDA", ""),
    ("GET", "/api/v2/incremental/tickets", "UDDDDA", ""),
    ("GET", "/api/v2/incremental/users/cursor", "UDDDDA", ""),
    ("GET", "/api/v2/incremental/users", "UDDDDA", ""),
    ("GET", "/api/v2/incremental/organizations", "UDDDDA", ""),
    (
        "GET",
        "/api/v2/incremental/ticket_events?start_time=0",
        "UDDDDA",
        "",
    ),
    (
        "GET",
        "/api/v2/incremental/ticket_metric_events?start_time=0",
        "UDDDDA",
        "",
    ),
    (
        "GET",
        "/api/v2/incremental/ticket_events/sample?start_time=0",
        "UDDDDA",
        "",
    ),
    (
        "GET",
        "/api/v2/incremental/tickets/sample?start_time=0",
        "UDDDDA",
        "",
    ),
    (
        "GET",
        "/api/v2/incremental/users/sample?start_time=0",
        "UDDDDA",
        "",
    ),
    (
        "GET",
        "/api/v2/incremental/organizations/sample?start_time=0",
        "UDDDDA",
        "",
    ),
    ("GET", "/api/v2/job_statuses/{job}", "UDDDDA", ""),
    ("GET", "/api/v2/job_statuses/show_many", "UAAAAA", ""),
    // Macros, views, ratings
    ("GET", "/api/v2/macros", "UDDAAA", ""),
    (
        "POST",
        "/api/v2/macros",
        "UDDDDA",
        r#"{"macro":{"title":"M {unique}","actions":[{"field":"status","value":"open"}]}}"#,
    ),
    ("GET", "/api/v2/macros/active", "UDDAAA", ""),
    ("GET", "/api/v2/macros/{macro}", "UDDAAA", ""),
    (
        "PUT",
        "/api/v2/macros/{macro}",
        "UDDDDA",
        r#"{"macro":{"title":"M {unique}"}}"#,
    ),
    ("DELETE", "/api/v2/macros/{macro}", "UDDDDA", ""),
    ("GET", "/api/v2/macros/{macro}/apply", "UDDAAA", ""),
    ("GET", "/api/v2/views", "UDDAAA", ""),
    (
        "POST",
        "/api/v2/views",
        "UDDDDA",
        r#"{"view":{"title":"V {unique}","all":[{"field":"status","operator":"is","value":"open"}]}}"#,
    ),
    ("GET", "/api/v2/views/active", "UDDAAA", ""),
    ("GET", "/api/v2/views/show_many?ids={view}", "UDDAAA", ""),
    ("GET", "/api/v2/triggers/definitions", "UDDAAA", ""),
    ("GET", "/api/v2/automations/definitions", "UDDAAA", ""),
    ("GET", "/api/v2/macros/definitions", "UDDAAA", ""),
    ("GET", "/api/v2/macros/actions", "UDDAAA", ""),
    ("GET", "/api/v2/views/{view}", "UDDAAA", ""),
    (
        "PUT",
        "/api/v2/views/{view}",
        "UDDDDA",
        r#"{"view":{"title":"V {unique}"}}"#,
    ),
    ("DELETE", "/api/v2/views/{view}", "UDDDDA", ""),
    ("GET", "/api/v2/views/{view}/tickets", "UDDAAA", ""),
    ("GET", "/api/v2/views/{view}/execute", "UDDAAA", ""),
    ("GET", "/api/v2/views/{view}/count", "UDDAAA", ""),
    ("GET", "/api/v2/satisfaction_ratings", "UDDAAA", ""),
    ("GET", "/api/v2/satisfaction_ratings/{rating}", "UDDDAA", ""),
    ("GET", "/api/v2/satisfaction_reasons", "UDDAAA", ""),
    ("GET", "/api/v2/satisfaction_reasons/{reason}", "UDDAAA", ""),
    ("GET", "/api/v2/surveys/settings", "UDDDDA", ""),
    (
        "PUT",
        "/api/v2/surveys/settings",
        "UDDDDA",
        r#"{"survey_settings":{"link_days":30}}"#,
    ),
    // Business rules and service levels
    ("GET", "/api/v2/triggers", "UDDAAA", ""),
    (
        "POST",
        "/api/v2/triggers",
        "UDDDDA",
        r#"{"trigger":{"title":"T {unique}","conditions":{"all":[{"field":"status","operator":"is","value":"new"}]},"actions":[{"field":"priority","value":"high"}]}}"#,
    ),
    ("GET", "/api/v2/triggers/active", "UDDAAA", ""),
    ("GET", "/api/v2/triggers/{trigger}", "UDDAAA", ""),
    (
        "PUT",
        "/api/v2/triggers/{trigger}",
        "UDDDDA",
        r#"{"trigger":{"title":"T {unique}"}}"#,
    ),
    ("DELETE", "/api/v2/triggers/{trigger}", "UDDDDA", ""),
    ("GET", "/api/v2/automations", "UDDAAA", ""),
    (
        "POST",
        "/api/v2/automations",
        "UDDDDA",
        r#"{"automation":{"title":"A {unique}","conditions":{"all":[{"field":"status","operator":"is","value":"pending"},{"field":"hours_since_pending","operator":"greater_than","value":"96"}]},"actions":[{"field":"status","value":"solved"}]}}"#,
    ),
    ("GET", "/api/v2/automations/active", "UDDAAA", ""),
    ("GET", "/api/v2/automations/{automation}", "UDDAAA", ""),
    (
        "PUT",
        "/api/v2/automations/{automation}",
        "UDDDDA",
        r#"{"automation":{"title":"A {unique}"}}"#,
    ),
    ("DELETE", "/api/v2/automations/{automation}", "UDDDDA", ""),
    ("GET", "/api/v2/slas/policies", "UDDAAA", ""),
    (
        "POST",
        "/api/v2/slas/policies",
        "UDDDDA",
        r#"{"sla_policy":{"title":"S {unique}","filter":{"all":[{"field":"priority","operator":"is","value":"urgent"}],"any":[]},"policy_metrics":[{"priority":"urgent","metric":"first_reply_time","target":60,"business_hours":false}]}}"#,
    ),
    ("GET", "/api/v2/slas/policies/{policy}", "UDDAAA", ""),
    (
        "PUT",
        "/api/v2/slas/policies/{policy}",
        "UDDDDA",
        r#"{"sla_policy":{"title":"S {unique}"}}"#,
    ),
    ("DELETE", "/api/v2/slas/policies/{policy}", "UDDDDA", ""),
    ("GET", "/api/v2/business_hours/schedules", "UDDAAA", ""),
    (
        "POST",
        "/api/v2/business_hours/schedules",
        "UDDDDA",
        r#"{"schedule":{"name":"H {unique}","time_zone":"Europe/Madrid"}}"#,
    ),
    (
        "GET",
        "/api/v2/business_hours/schedules/{schedule}",
        "UDDAAA",
        "",
    ),
    (
        "PUT",
        "/api/v2/business_hours/schedules/{schedule}",
        "UDDDDA",
        r#"{"schedule":{"name":"H {unique}"}}"#,
    ),
    (
        "DELETE",
        "/api/v2/business_hours/schedules/{schedule}",
        "UDDDDA",
        "",
    ),
    (
        "PUT",
        "/api/v2/business_hours/schedules/{schedule}/workweek",
        "UDDDDA",
        r#"{"workweek":{"intervals":[{"start_time":1980,"end_time":2460}]}}"#,
    ),
    (
        "GET",
        "/api/v2/business_hours/schedules/{schedule}/holidays",
        "UDDAAA",
        "",
    ),
    (
        "POST",
        "/api/v2/business_hours/schedules/{schedule}/holidays",
        "UDDDDA",
        r#"{"holiday":{"name":"Fiesta","start_date":"2026-12-25","end_date":"2026-12-25"}}"#,
    ),
    (
        "GET",
        "/api/v2/business_hours/schedules/{schedule}/holidays/{holiday}",
        "UDDAAA",
        "",
    ),
    (
        "PUT",
        "/api/v2/business_hours/schedules/{schedule}/holidays/{holiday}",
        "UDDDDA",
        r#"{"holiday":{"name":"Fiesta 2"}}"#,
    ),
    (
        "DELETE",
        "/api/v2/business_hours/schedules/{schedule}/holidays/{holiday}",
        "UDDDDA",
        "",
    ),
    // Webhooks
    ("GET", "/api/v2/webhooks", "UDDDDA", ""),
    (
        "POST",
        "/api/v2/webhooks",
        "UDDDDA",
        r#"{"webhook":{"name":"W {unique}","endpoint":"http://127.0.0.1:9/x","http_method":"POST","request_format":"json","status":"active"}}"#,
    ),
    ("GET", "/api/v2/webhooks/{webhook}", "UDDDDA", ""),
    (
        "PUT",
        "/api/v2/webhooks/{webhook}",
        "UDDDDA",
        r#"{"webhook":{"name":"W {unique}","endpoint":"http://127.0.0.1:9/x","http_method":"POST","request_format":"json","status":"active"}}"#,
    ),
    (
        "PATCH",
        "/api/v2/webhooks/{webhook}",
        "UDDDDA",
        r#"{"webhook":{"name":"W {unique}"}}"#,
    ),
    ("DELETE", "/api/v2/webhooks/{webhook}", "UDDDDA", ""),
    (
        "GET",
        "/api/v2/webhooks/{webhook}/signing_secret",
        "UDDDDA",
        "",
    ),
    (
        "POST",
        "/api/v2/webhooks/{webhook}/signing_secret",
        "UDDDDA",
        "",
    ),
    (
        "GET",
        "/api/v2/webhooks/{webhook}/invocations",
        "UDDDDA",
        "",
    ),
    (
        "POST",
        "/api/v2/webhooks/{webhook}/test",
        "UDDDDA",
        r#"{"request":{"endpoint":"http://127.0.0.1:9/x","http_method":"POST","request_format":"json"}}"#,
    ),
    // Routing
    ("GET", "/api/v2/routing/attributes", "UDDAAA", ""),
    (
        "GET",
        "/api/v2/routing/attributes/definitions",
        "UDDAAA",
        "",
    ),
    (
        "POST",
        "/api/v2/routing/attributes",
        "UDDDDA",
        r#"{"attribute":{"name":"R {unique}"}}"#,
    ),
    (
        "GET",
        "/api/v2/routing/attributes/{attribute}",
        "UDDAAA",
        "",
    ),
    (
        "PUT",
        "/api/v2/routing/attributes/{attribute}",
        "UDDDDA",
        r#"{"attribute":{"name":"R {unique}"}}"#,
    ),
    (
        "PATCH",
        "/api/v2/routing/attributes/{attribute}",
        "UDDDDA",
        r#"{"attribute":{"name":"R {unique}"}}"#,
    ),
    (
        "DELETE",
        "/api/v2/routing/attributes/{attribute}",
        "UDDDDA",
        "",
    ),
    (
        "GET",
        "/api/v2/routing/attributes/{attribute}/values",
        "UDDAAA",
        "",
    ),
    (
        "POST",
        "/api/v2/routing/attributes/{attribute}/values",
        "UDDDDA",
        r#"{"attribute_value":{"name":"v{unique}"}}"#,
    ),
    (
        "GET",
        "/api/v2/routing/attributes/{attribute}/values/{value}",
        "UDDAAA",
        "",
    ),
    (
        "PUT",
        "/api/v2/routing/attributes/{attribute}/values/{value}",
        "UDDDDA",
        r#"{"attribute_value":{"name":"v{unique}"}}"#,
    ),
    (
        "PATCH",
        "/api/v2/routing/attributes/{attribute}/values/{value}",
        "UDDDDA",
        r#"{"attribute_value":{"name":"v{unique}"}}"#,
    ),
    (
        "DELETE",
        "/api/v2/routing/attributes/{attribute}/values/{value}",
        "UDDDDA",
        "",
    ),
    (
        "GET",
        "/api/v2/routing/agents/{agent}/instance_values",
        "UDDAAA",
        "",
    ),
    (
        "POST",
        "/api/v2/routing/agents/{agent}/instance_values",
        "UDDDDA",
        r#"{"attribute_value_ids":["{value}"]}"#,
    ),
    (
        "GET",
        "/api/v2/routing/tickets/{ticket}/instance_values",
        "UDDDAA",
        "",
    ),
    (
        "POST",
        "/api/v2/routing/tickets/{ticket}/instance_values",
        "UDDDAA",
        r#"{"attribute_value_ids":["{value}"]}"#,
    ),
    (
        "GET",
        "/api/v2/routing/requirements/fulfilled",
        "UDDAAA",
        "",
    ),
    (
        "GET",
        "/api/v2/routing/agents/{agent}/profile",
        "UDDAAA",
        "",
    ),
    (
        "PUT",
        "/api/v2/routing/agents/{agent}/profile",
        "UDDDAA",
        r#"{"routing_profile":{"presence":"online"}}"#,
    ),
    ("GET", "/api/v2/routing/queue", "UDDAAA", ""),
    ("GET", "/api/v2/routing/settings", "UDDAAA", ""),
    (
        "PUT",
        "/api/v2/routing/settings",
        "UDDDDA",
        r#"{"settings":{"enabled":false}}"#,
    ),
    // Email
    ("GET", "/api/v2/recipient_addresses", "UDDDDA", ""),
    (
        "POST",
        "/api/v2/recipient_addresses",
        "UDDDDA",
        r#"{"recipient_address":{"email":"s{unique}@example.com","name":"Soporte"}}"#,
    ),
    (
        "GET",
        "/api/v2/recipient_addresses/{recipient}",
        "UDDDDA",
        "",
    ),
    (
        "PUT",
        "/api/v2/recipient_addresses/{recipient}",
        "UDDDDA",
        r#"{"recipient_address":{"name":"Ayuda"}}"#,
    ),
    (
        "DELETE",
        "/api/v2/recipient_addresses/{recipient}",
        "UDDDDA",
        "",
    ),
    ("GET", "/api/v2/security/counters", "UDDDDA", ""),
    ("GET", "/api/v2/suspended_tickets", "UDDDDA", ""),
    ("GET", "/api/v2/suspended_tickets/{suspended}", "UDDDDA", ""),
    (
        "PUT",
        "/api/v2/suspended_tickets/{suspended}/recover",
        "UDDDDA",
        "",
    ),
    (
        "PUT",
        "/api/v2/suspended_tickets/recover_many?ids={suspended}",
        "UDDDDA",
        "",
    ),
    (
        "DELETE",
        "/api/v2/suspended_tickets/{suspended}",
        "UDDDDA",
        "",
    ),
    (
        "DELETE",
        "/api/v2/suspended_tickets/destroy_many?ids={suspended}",
        "UDDDDA",
        "",
    ),
    // Help center: readers are anyone signed in; writers admins.
    ("GET", "/api/v2/help_center/locales", "PAAAAA", ""),
    ("GET", "/api/v2/help_center/categories", "PAAAAA", ""),
    (
        "POST",
        "/api/v2/help_center/categories",
        "UDDDDA",
        r#"{"category":{"name":"C {unique}"}}"#,
    ),
    (
        "GET",
        "/api/v2/help_center/categories/{category}",
        "PAAAAA",
        "",
    ),
    (
        "PUT",
        "/api/v2/help_center/categories/{category}",
        "UDDDDA",
        r#"{"category":{"name":"C {unique}"}}"#,
    ),
    (
        "DELETE",
        "/api/v2/help_center/categories/{category}",
        "UDDDDA",
        "",
    ),
    (
        "GET",
        "/api/v2/help_center/categories/{category}/sections",
        "PAAAAA",
        "",
    ),
    (
        "POST",
        "/api/v2/help_center/categories/{category}/sections",
        "UDDDDA",
        r#"{"section":{"name":"S {unique}"}}"#,
    ),
    (
        "GET",
        "/api/v2/help_center/categories/{category}/articles",
        "PAAAAA",
        "",
    ),
    ("GET", "/api/v2/help_center/sections", "PAAAAA", ""),
    (
        "GET",
        "/api/v2/help_center/sections/{section}",
        "PAAAAA",
        "",
    ),
    (
        "PUT",
        "/api/v2/help_center/sections/{section}",
        "UDDDDA",
        r#"{"section":{"name":"S {unique}"}}"#,
    ),
    (
        "DELETE",
        "/api/v2/help_center/sections/{section}",
        "UDDDDA",
        "",
    ),
    (
        "GET",
        "/api/v2/help_center/sections/{section}/articles",
        "PAAAAA",
        "",
    ),
    (
        "POST",
        "/api/v2/help_center/sections/{section}/articles",
        "UDDDAA",
        r#"{"article":{"title":"Art {unique}","body":"<p>x</p>"}}"#,
    ),
    ("GET", "/api/v2/help_center/articles", "PAAAAA", ""),
    ("GET", "/api/v2/help_center/articles/search", "PAAAAA", ""),
    ("GET", "/api/v2/help_center/articles/labels", "UDDAAA", ""),
    (
        "GET",
        "/api/v2/help_center/articles/labels/{label}",
        "UDDAAA",
        "",
    ),
    (
        "GET",
        "/api/v2/help_center/articles/{article}/labels",
        "PAAAAA",
        "",
    ),
    (
        "POST",
        "/api/v2/help_center/articles/{article}/labels",
        "UDDDAA",
        r#"{"label":{"name":"envios"}}"#,
    ),
    (
        "DELETE",
        "/api/v2/help_center/articles/{labelled}/labels/{label}",
        "UDDDAA",
        "",
    ),
    (
        "GET",
        "/api/v2/help_center/articles/{article}",
        "PAAAAA",
        "",
    ),
    (
        "GET",
        "/api/v2/help_center/articles/{segment_article}",
        "DDDAAA",
        "",
    ),
    (
        "PUT",
        "/api/v2/help_center/articles/{article}",
        "UDDDAA",
        r#"{"article":{"title":"Art {unique}"}}"#,
    ),
    (
        "DELETE",
        "/api/v2/help_center/articles/{article}",
        "UDDDAA",
        "",
    ),
    (
        "GET",
        "/api/v2/help_center/incremental/articles",
        "UDDAAA",
        "",
    ),
    (
        "GET",
        "/api/v2/help_center/articles/{article}/votes",
        "UDDAAA",
        "",
    ),
    (
        "GET",
        "/api/v2/help_center/articles/{article}/attachments",
        "PAAAAA",
        "",
    ),
    (
        "POST",
        "/api/v2/help_center/articles/{article}/attachments",
        "UDDDAA",
        "",
    ),
    (
        "GET",
        "/api/v2/help_center/articles/{article}/attachments/inline",
        "PAAAAA",
        "",
    ),
    (
        "GET",
        "/api/v2/help_center/articles/{article}/attachments/block",
        "PAAAAA",
        "",
    ),
    (
        "GET",
        "/api/v2/help_center/articles/{article}/attachments/{article_attachment}",
        "PAAAAA",
        "",
    ),
    (
        "GET",
        "/api/v2/help_center/articles/attachments/{article_attachment}",
        "PAAAAA",
        "",
    ),
    (
        "DELETE",
        "/api/v2/help_center/articles/attachments/{article_attachment}",
        "UDDDAA",
        "",
    ),
    // Readers' comments on articles.
    (
        "GET",
        "/api/v2/help_center/articles/{article}/comments",
        "PAAAAA",
        "",
    ),
    (
        "POST",
        "/api/v2/help_center/articles/{article}/comments",
        "UAAAAA",
        r#"{"comment":{"body":"<p>Gracias</p>"}}"#,
    ),
    (
        "GET",
        "/api/v2/help_center/articles/{article}/comments/{article_comment}",
        "PAAAAA",
        "",
    ),
    (
        "PUT",
        "/api/v2/help_center/articles/{article}/comments/{article_comment}",
        "UADDAA",
        r#"{"comment":{"body":"<p>Corregido</p>"}}"#,
    ),
    (
        "DELETE",
        "/api/v2/help_center/articles/{article}/comments/{article_comment}",
        "UADDAA",
        "",
    ),
    (
        "GET",
        "/api/v2/help_center/articles/{article}/comments/{article_comment}/votes",
        "UDDAAA",
        "",
    ),
    (
        "POST",
        "/api/v2/help_center/articles/{article}/comments/{article_comment}/up",
        "UAAAAA",
        "",
    ),
    (
        "POST",
        "/api/v2/help_center/articles/{article}/comments/{article_comment}/down",
        "UAAAAA",
        "",
    ),
    (
        "GET",
        "/api/v2/help_center/users/{me}/comments",
        "UADAAA",
        "",
    ),
    (
        "POST",
        "/api/v2/help_center/articles/{article}/up",
        "UAAAAA",
        "",
    ),
    (
        "POST",
        "/api/v2/help_center/articles/{article}/down",
        "UAAAAA",
        "",
    ),
    (
        "GET",
        "/api/v2/help_center/articles/{article}/translations",
        "PAAAAA",
        "",
    ),
    (
        "POST",
        "/api/v2/help_center/articles/{article}/translations",
        "UDDDAA",
        r#"{"translation":{"locale":"es","title":"T {unique}","body":"<p>x</p>"}}"#,
    ),
    (
        "GET",
        "/api/v2/help_center/articles/{article}/translations/missing",
        "DDDAAA",
        "",
    ),
    (
        "GET",
        "/api/v2/help_center/articles/{article}/translations/{locale}",
        "PAAAAA",
        "",
    ),
    (
        "PUT",
        "/api/v2/help_center/articles/{article}/translations/{locale}",
        "UDDDAA",
        r#"{"translation":{"title":"T {unique}"}}"#,
    ),
    (
        "GET",
        "/api/v2/help_center/sections/{section}/translations",
        "PAAAAA",
        "",
    ),
    (
        "POST",
        "/api/v2/help_center/sections/{section}/translations",
        "UDDDDA",
        r#"{"translation":{"locale":"es","title":"T {unique}","body":"<p>x</p>"}}"#,
    ),
    (
        "GET",
        "/api/v2/help_center/sections/{section}/translations/missing",
        "DDDAAA",
        "",
    ),
    (
        "GET",
        "/api/v2/help_center/sections/{section}/translations/{locale}",
        "PAAAAA",
        "",
    ),
    (
        "PUT",
        "/api/v2/help_center/sections/{section}/translations/{locale}",
        "UDDDDA",
        r#"{"translation":{"title":"T {unique}"}}"#,
    ),
    (
        "GET",
        "/api/v2/help_center/categories/{category}/translations",
        "PAAAAA",
        "",
    ),
    (
        "POST",
        "/api/v2/help_center/categories/{category}/translations",
        "UDDDDA",
        r#"{"translation":{"locale":"es","title":"T {unique}","body":"<p>x</p>"}}"#,
    ),
    (
        "GET",
        "/api/v2/help_center/categories/{category}/translations/missing",
        "DDDAAA",
        "",
    ),
    (
        "GET",
        "/api/v2/help_center/categories/{category}/translations/{locale}",
        "PAAAAA",
        "",
    ),
    (
        "PUT",
        "/api/v2/help_center/categories/{category}/translations/{locale}",
        "UDDDDA",
        r#"{"translation":{"title":"T {unique}"}}"#,
    ),
    (
        "DELETE",
        "/api/v2/help_center/translations/{translation}",
        "UDDDAA",
        "",
    ),
    ("GET", "/api/v2/help_center/user_segments", "UDDAAA", ""),
    (
        "POST",
        "/api/v2/help_center/user_segments",
        "UDDDDA",
        r#"{"user_segment":{"name":"Seg {unique}","user_type":"signed_in_users","tags":["vip"]}}"#,
    ),
    (
        "GET",
        "/api/v2/help_center/user_segments/applicable",
        "UAAAAA",
        "",
    ),
    (
        "GET",
        "/api/v2/help_center/user_segments/{segment}",
        "UDDAAA",
        "",
    ),
    (
        "PUT",
        "/api/v2/help_center/user_segments/{segment}",
        "UDDDDA",
        r#"{"user_segment":{"name":"Seg {unique}"}}"#,
    ),
    (
        "DELETE",
        "/api/v2/help_center/user_segments/{segment}",
        "UDDDDA",
        "",
    ),
    // Requests: the customer's view of their tickets
    ("GET", "/api/v2/requests", "UAAAAA", ""),
    (
        "POST",
        "/api/v2/requests",
        "UAAAAA",
        r#"{"request":{"subject":"Ayuda {unique}","comment":{"body":"No puedo entrar"}}}"#,
    ),
    ("GET", "/api/v2/requests/open", "UAAAAA", ""),
    ("GET", "/api/v2/requests/solved", "UAAAAA", ""),
    ("GET", "/api/v2/requests/ccd", "UAAAAA", ""),
    ("GET", "/api/v2/requests/{ticket}", "UADDAA", ""),
    (
        "PUT",
        "/api/v2/requests/{ticket}",
        "UADDAA",
        r#"{"request":{"comment":{"body":"Gracias"}}}"#,
    ),
    ("GET", "/api/v2/requests/{ticket}/comments", "UADDAA", ""),
    (
        "GET",
        "/api/v2/requests/{ticket}/comments/{ticket_comment}",
        "UADDAA",
        "",
    ),
    // The answer bot
    (
        "POST",
        "/api/v2/answer_bot/answers/articles",
        "UAAAAA",
        r#"{"enquiry":"no recuerdo la contraseña","locale":"es"}"#,
    ),
    (
        "POST",
        "/api/v2/answer_bot/resolution",
        "UNNNNN",
        r#"{"article_id":{article},"interaction_access_token":"nada"}"#,
    ),
    (
        "POST",
        "/api/v2/answer_bot/rejection",
        "UNNNNN",
        r#"{"article_id":{article},"interaction_access_token":"nada"}"#,
    ),
    // Request forms
    ("GET", "/api/v2/ticket_forms", "UAAAAA", ""),
    (
        "POST",
        "/api/v2/ticket_forms",
        "UDDDDA",
        r#"{"ticket_form":{"name":"Form {unique}"}}"#,
    ),
    ("GET", "/api/v2/ticket_forms/{ticket_form}", "UAAAAA", ""),
    (
        "PUT",
        "/api/v2/ticket_forms/{ticket_form}",
        "UDDDDA",
        r#"{"ticket_form":{"name":"Form {unique}"}}"#,
    ),
    ("DELETE", "/api/v2/ticket_forms/{ticket_form}", "UDDDDA", ""),
    ("GET", "/api/v2/channels/accounts", "UDDDDA", ""),
    (
        "POST",
        "/api/v2/channels/accounts",
        "UDDDDA",
        r#"{"account":{"channel":"whatsapp","name":"WA {unique}","external_id":"pn-{unique}","credentials":{"access_token":"t","app_secret":"s"}}}"#,
    ),
    (
        "GET",
        "/api/v2/channels/accounts/{channel_account}",
        "UDDDDA",
        "",
    ),
    (
        "PUT",
        "/api/v2/channels/accounts/{channel_account}",
        "UDDDDA",
        r#"{"account":{"name":"Otra"}}"#,
    ),
    (
        "DELETE",
        "/api/v2/channels/accounts/{channel_account}",
        "UDDDDA",
        "",
    ),
    // The fixture's provider is a closed port: the test is refused (422).
    (
        "POST",
        "/api/v2/channels/accounts/{channel_account}/test",
        "UDDDDA",
        r#"{"to":"+34600000000"}"#,
    ),
    ("GET", "/api/v2/channels/templates", "UDDAAA", ""),
    (
        "POST",
        "/api/v2/channels/templates",
        "UDDDDA",
        r#"{"template":{"name":"t_{unique}","language":"es","category":"utility","body":"Hola"}}"#,
    ),
    (
        "DELETE",
        "/api/v2/channels/templates/{message_template}",
        "UDDDDA",
        "",
    ),
    // The CTI API: a phone system reports with an admin's token; staff
    // read a call (none with id 0 here).
    (
        "POST",
        "/api/v2/calls/events",
        "UDDDDA",
        r#"{"call_event":{"event":"ringing","provider":"pbx","call_id":"c-{unique}","from":"+34600000001","to":"+34910000000"}}"#,
    ),
    ("GET", "/api/v2/calls/{no_chat}", "UDDNNN", ""),
    ("GET", "/api/v2/calls/{no_chat}/recording", "UDDNNN", ""),
    // Click-to-call: staff who may see the case (its customer has no
    // phone number here: refused on the body).
    ("POST", "/api/v2/tickets/{ticket}/calls", "UDDDAA", ""),
    // What integrations read first.
    ("GET", "/api/v2/account/settings", "UDDAAA", ""),
    ("GET", "/api/v2/brands", "UDDAAA", ""),
    ("GET", "/api/v2/brands/{brand}", "UDDAAA", ""),
    ("GET", "/api/v2/locales", "UAAAAA", ""),
    ("GET", "/api/v2/locales/public", "UAAAAA", ""),
    ("GET", "/api/v2/locales/agent", "UAAAAA", ""),
    ("GET", "/api/v2/locales/current", "UAAAAA", ""),
    ("GET", "/api/v2/locales/{locale_id}", "UAAAAA", ""),
    ("GET", "/api/v2/autocomplete/tags?name=vi", "UDDAAA", ""),
    ("GET", "/api/v2/tickets/{ticket}/incidents", "UADDAA", ""),
    ("GET", "/api/v2/tickets/{ticket}/related", "UADDAA", ""),
    ("GET", "/api/v2/views/count_many?ids={view}", "UDDAAA", ""),
    (
        "GET",
        "/api/v2/tickets/{ticket}/goodwill_gestures",
        "UDDDAA",
        "",
    ),
    (
        "POST",
        "/api/v2/tickets/{ticket}/goodwill_gestures",
        "UDDDAA",
        r#"{"goodwill_gesture":{"kind":"refund","amount":"5.00","currency":"EUR","reason":"Tarde"}}"#,
    ),
    // Counts of what the caller may list.
    ("GET", "/api/v2/tickets/count", "UAAAAA", ""),
    ("GET", "/api/v2/users/count", "UDDAAA", ""),
    ("GET", "/api/v2/organizations/count", "UDDAAA", ""),
    ("GET", "/api/v2/groups/count", "UDDAAA", ""),
    // OAuth: admins register applications and make tokens for them;
    // everyone lists their own tokens.
    ("GET", "/api/v2/oauth/clients", "UDDDDA", ""),
    (
        "POST",
        "/api/v2/oauth/clients",
        "UDDDDA",
        r#"{"client":{"name":"C {unique}","identifier":"c_{unique}","redirect_uri":["https://tool.example/cb"]}}"#,
    ),
    ("GET", "/api/v2/oauth/clients/{oauth_client}", "UDDDDA", ""),
    (
        "PUT",
        "/api/v2/oauth/clients/{oauth_client}",
        "UDDDDA",
        r#"{"client":{"name":"C {unique}"}}"#,
    ),
    (
        "PUT",
        "/api/v2/oauth/clients/{oauth_client}/generate_secret",
        "UDDDDA",
        "",
    ),
    (
        "DELETE",
        "/api/v2/oauth/clients/{oauth_client}",
        "UDDDDA",
        "",
    ),
    ("GET", "/api/v2/oauth/tokens", "UAAAAA", ""),
    (
        "POST",
        "/api/v2/oauth/tokens",
        "UDDDDA",
        r#"{"token":{"client_id":{oauth_client},"scopes":["read"]}}"#,
    ),
    ("GET", "/api/v2/oauth/tokens/{oauth_token}", "UDDDDA", ""),
    ("DELETE", "/api/v2/oauth/tokens/{oauth_token}", "UDDDDA", ""),
    // The admins' audit log.
    ("GET", "/api/v2/audit_logs", "UDDDDA", ""),
    ("GET", "/api/v2/audit_logs/{audit_log}", "UDDDDA", ""),
    // Browser sessions: everyone's for admins, one's own otherwise (the
    // fixture ids name no session: the contract test ends real ones).
    ("GET", "/api/v2/sessions", "UDDDDA", ""),
    ("GET", "/api/v2/users/{me}/sessions", "UADDDA", ""),
    ("DELETE", "/api/v2/users/{customer}/sessions", "UDDDDA", ""),
    ("GET", "/api/v2/users/{me}/sessions/{ticket}", "UDDDDD", ""),
    (
        "DELETE",
        "/api/v2/users/{me}/sessions/{ticket}",
        "UDDDDD",
        "",
    ),
    // Staff roles, fixed.
    ("GET", "/api/v2/custom_roles", "UDDAAA", ""),
    ("GET", "/api/v2/custom_roles/{staff_role}", "UDDAAA", ""),
    // The activity stream: the caller's own.
    ("GET", "/api/v2/activities", "UDDAAA", ""),
    ("GET", "/api/v2/activities/count", "UDDAAA", ""),
    // No activity has a ticket's id (ids are audits' times four): the
    // row checks who is refused; the contract test reads real ones.
    ("GET", "/api/v2/activities/{ticket}", "UDDDDD", ""),
    // Ticket skips: everyone's for admins, an agent's own otherwise.
    ("GET", "/api/v2/skips", "UDDAAA", ""),
    (
        "POST",
        "/api/v2/skips",
        "UDDDAA",
        r#"{"skip":{"ticket_id":{ticket},"reason":"Otro idioma"}}"#,
    ),
    ("GET", "/api/v2/users/{me}/skips", "UDDDDA", ""),
    ("GET", "/api/v2/tickets/{ticket}/skips", "UDDDAA", ""),
    // Zendesk Talk: statistics for admins, the queue for staff, an
    // agent's availability read by staff and set by them or an admin.
    (
        "GET",
        "/api/v2/channels/voice/stats/account_overview",
        "UDDDDA",
        "",
    ),
    (
        "GET",
        "/api/v2/channels/voice/stats/agents_overview",
        "UDDDDA",
        "",
    ),
    (
        "GET",
        "/api/v2/channels/voice/stats/agents_activity",
        "UDDDDA",
        "",
    ),
    (
        "GET",
        "/api/v2/channels/voice/stats/incremental/calls",
        "UDDDDA",
        "",
    ),
    (
        "POST",
        "/api/v2/channels/voice/agents/{agent}/users/{me}/display",
        "UDDDDA",
        "",
    ),
    (
        "POST",
        "/api/v2/channels/voice/agents/{agent}/tickets/{ticket}/display",
        "UDDDDA",
        "",
    ),
    (
        "GET",
        "/api/v2/channels/voice/stats/current_queue_activity",
        "UDDAAA",
        "",
    ),
    (
        "GET",
        "/api/v2/channels/voice/availabilities/{agent}",
        "UDDAAA",
        "",
    ),
    (
        "PUT",
        "/api/v2/channels/voice/availabilities/{agent}",
        "UDDDAA",
        r#"{"availability":{"agent_state":"away"}}"#,
    ),
    (
        "POST",
        "/api/v2/channels/voice/tickets",
        "UDDDDA",
        r#"{"ticket":{"via_id":45,"voice_comment":{"from":"+34600000001","to":"+34910000000","transcription_text":"Hola"}}}"#,
    ),
    // Talk's phone numbers: staff.
    ("GET", "/api/v2/channels/voice/phone_numbers", "UDDAAA", ""),
    (
        "GET",
        "/api/v2/channels/voice/phone_numbers/{voice_line}",
        "UDDAAA",
        "",
    ),
    // Voice lines: admins.
    ("GET", "/api/v2/channels/voice/lines", "UDDDDA", ""),
    (
        "POST",
        "/api/v2/channels/voice/lines",
        "UDDDDA",
        r#"{"line":{"name":"Línea {unique}","number":"+34910000777","account_sid":"AC1","auth_token":"t"}}"#,
    ),
    (
        "GET",
        "/api/v2/channels/voice/lines/{voice_line}",
        "UDDDDA",
        "",
    ),
    (
        "PUT",
        "/api/v2/channels/voice/lines/{voice_line}",
        "UDDDDA",
        r#"{"line":{"name":"Otra"}}"#,
    ),
    (
        "DELETE",
        "/api/v2/channels/voice/lines/{voice_line}",
        "UDDDDA",
        "",
    ),
    // Twilio's voice webhooks: no signature.
    (
        "POST",
        "/channels/voice/{voice_line}/{chat_key}",
        "UUUUUU",
        "",
    ),
    (
        "POST",
        "/channels/voice/{voice_line}/outbound/{no_chat}",
        "UUUUUU",
        "",
    ),
    // Providers' webhooks: no handshake token, no signature.
    (
        "GET",
        "/channels/{channel_slug}/{channel_account}/webhook",
        "DDDDDD",
        "",
    ),
    (
        "POST",
        "/channels/{channel_slug}/{channel_account}/webhook",
        "UUUUUU",
        "",
    ),
    // A reply's file for its provider: only by our id of the message.
    (
        "GET",
        "/channels/media/{chat_key}/{no_chat}/{chat_key}",
        "DDDDDD",
        "",
    ),
    ("GET", "/api/v2/chat/widgets", "UDDDDA", ""),
    (
        "POST",
        "/api/v2/chat/widgets",
        "UDDDDA",
        r#"{"widget":{"name":"Web {unique}","allowed_origins":["https://shop.example"]}}"#,
    ),
    ("GET", "/api/v2/chat/widgets/{chat_widget}", "UDDDDA", ""),
    (
        "PUT",
        "/api/v2/chat/widgets/{chat_widget}",
        "UDDDDA",
        r#"{"widget":{"topics":["Pedidos"]}}"#,
    ),
    ("DELETE", "/api/v2/chat/widgets/{chat_widget}", "UDDDDA", ""),
    ("GET", "/api/v2/chat/conversations", "UDDAAA", ""),
    // No such conversation: staff are told so (a real chat's calls are in
    // tests/api/chat_api.rs).
    ("GET", "/api/v2/chat/conversations/{no_chat}", "UDDDDD", ""),
    (
        "GET",
        "/api/v2/chat/conversations/{no_chat}/lines",
        "UDDDDD",
        "",
    ),
    (
        "POST",
        "/api/v2/chat/conversations/{no_chat}/lines",
        "UDDDDD",
        r#"{"line": {"text": "hola"}}"#,
    ),
    (
        "POST",
        "/api/v2/chat/conversations/{no_chat}/accept",
        "UDDDDD",
        "",
    ),
    (
        "POST",
        "/api/v2/chat/conversations/{no_chat}/decline",
        "UDDDDD",
        "",
    ),
    (
        "POST",
        "/api/v2/chat/conversations/{no_chat}/transfer",
        "UDDDDD",
        r#"{"transfer": {"group_id": 1}}"#,
    ),
    (
        "POST",
        "/api/v2/chat/conversations/{no_chat}/end",
        "UDDDDD",
        "",
    ),
    ("GET", "/api/v2/help_center/votes/{vote}", "UADAAA", ""),
    ("DELETE", "/api/v2/help_center/votes/{vote}", "UADDAA", ""),
    // Outside /api/v2/… routing
    ("GET", "/healthz", "PPPPPP", ""),
    ("GET", "/api/v2/openapi", "PPPPPP", ""),
];

/// Pages of the workspace: customers cannot sign in there, so they are
/// asked as anyone without a session is.
const PAGES: &[Row] = &[
    ("GET", "/", "PPPPPP", ""),
    // The public help center: the same for everyone, signed in or not.
    ("GET", "/hc", "PPPPPP", ""),
    ("GET", "/hc/", "PPPPPP", ""),
    ("GET", "/hc/sitemap.xml", "PPPPPP", ""),
    // A public article's file.
    (
        "GET",
        "/hc/article_attachments/{article_attachment}/{article_file_name}",
        "PPPPPP",
        "",
    ),
    // The chat widget: its files for any site, and its calls, which name
    // a visitor by the token in their body (none here: refused as a bad
    // body, the same for everyone).
    ("GET", "/chat/widget.js", "PPPPPP", ""),
    ("GET", "/chat/widget.css", "PPPPPP", ""),
    ("POST", "/chat/v1/{chat_key}/session", "PPPPPP", ""),
    ("POST", "/chat/v1/{chat_key}/lines", "PPPPPP", ""),
    ("POST", "/chat/v1/{chat_key}/poll", "PPPPPP", ""),
    ("POST", "/chat/v1/{chat_key}/person", "PPPPPP", ""),
    ("POST", "/chat/v1/{chat_key}/email", "PPPPPP", ""),
    // No such widget: a 404 for all (a visitor's files are in
    // tests/api/chat_files.rs).
    ("POST", "/chat/v1/{chat_key}/files", "DDDDDD", ""),
    // A file's address names its line and key: none here, a 404 for all.
    (
        "GET",
        "/chat/files/{no_chat}/{chat_key}/{chat_key}",
        "DDDDDD",
        "",
    ),
    ("POST", "/chat/v1/{chat_key}/typing", "PPPPPP", ""),
    ("POST", "/chat/v1/{chat_key}/end", "PPPPPP", ""),
    ("POST", "/chat/v1/{chat_key}/survey", "PPPPPP", ""),
    ("GET", "/chat/v1/{chat_key}/socket", "PPPPPP", ""),
    ("GET", "/hc/assets/site.css", "PPPPPP", ""),
    ("GET", "/hc/assets/request-form.js", "PPPPPP", ""),
    // No logo on the test server: 404, for anyone alike.
    ("GET", "/hc/assets/logo", "DDDDDD", ""),
    ("GET", "/hc/{locale}", "PPPPPP", ""),
    ("GET", "/hc/{locale}/", "PPPPPP", ""),
    ("GET", "/hc/{locale}/categories/{category}", "PPPPPP", ""),
    ("GET", "/hc/{locale}/sections/{section}", "PPPPPP", ""),
    ("GET", "/hc/{locale}/articles/{article}", "PPPPPP", ""),
    (
        "POST",
        "/hc/{locale}/articles/{article}/vote",
        "PPPPPP",
        "value=up",
    ),
    (
        "POST",
        "/hc/{locale}/articles/{article}/comments",
        "UUUAAA",
        "body=Gracias",
    ),
    ("GET", "/hc/{locale}/search", "PPPPPP", "query=x"),
    // The customer portal: customers here have no session (the table's
    // customers sign in by API token), so they are asked as anyone.
    ("GET", "/hc/{locale}/signin", "PPPPPP", ""),
    (
        "POST",
        "/hc/{locale}/signin",
        "UUUUUU",
        "email={unique}@example.com&password=y",
    ),
    (
        "POST",
        "/hc/{locale}/signin/link",
        "PPPPPP",
        "email={unique}@example.com",
    ),
    ("GET", "/hc/{locale}/signin/link/{token}", "PPPPPP", ""),
    ("POST", "/hc/{locale}/signin/link/{token}", "PPPPPP", ""),
    // A survey's link is its own credential: anyone holding a good one
    // answers; this one is not (400, a page that says so).
    ("GET", "/hc/{locale}/survey/{token}", "PPPPPP", ""),
    ("POST", "/hc/{locale}/survey/{token}", "PPPPPP", "csat=good"),
    ("GET", "/hc/{locale}/survey/{token}/review", "PPPPPP", ""),
    ("POST", "/hc/{locale}/signout", "UUUAAA", ""),
    (
        "POST",
        "/hc/{locale}/handover",
        "UUUAAA",
        "details=Necesito%20ayuda",
    ),
    ("GET", "/hc/{locale}/requests", "UUUAAA", ""),
    ("GET", "/hc/{locale}/requests/new", "PPPPPP", ""),
    (
        "GET",
        "/hc/{locale}/requests/{ticket}/attachments/{attachment}",
        "UUUDAA",
        "",
    ),
    // Without the form's token (customers here have no browser session)
    // refused; staff's own token, but no fill time: a clear 422.
    (
        "POST",
        "/hc/{locale}/requests/new",
        "DDDAAA",
        "subject=Ayuda&description=Hola",
    ),
    (
        "GET",
        "/hc/{locale}/requests/suggest",
        "PPPPPP",
        "query=contrase%C3%B1a",
    ),
    (
        "GET",
        "/hc/{locale}/requests/deflect",
        "PPPPPP",
        "token=nada&article={article}",
    ),
    ("GET", "/hc/{locale}/requests/{ticket}", "UUUDAA", ""),
    (
        "POST",
        "/hc/{locale}/requests/{ticket}",
        "UUUDAA",
        "body=Gracias",
    ),
    // OAuth: the consent page is for signed-in staff; an unknown
    // application gets a page saying so. The grant endpoint is for
    // applications, which authenticate with their secret.
    (
        "GET",
        "/oauth/authorizations/new?response_type=code&client_id=nobody&redirect_uri=https://tool.example/cb",
        "UUUAAA",
        "",
    ),
    (
        "POST",
        "/oauth/authorizations",
        "UUUAAA",
        "client_id=nobody&redirect_uri=https://tool.example/cb&decision=deny",
    ),
    (
        "POST",
        "/oauth/tokens",
        "PPPPPP",
        "grant_type=password&client_id=nobody&client_secret=x",
    ),
    ("GET", "/login", "PPPPPP", ""),
    (
        "POST",
        "/login",
        "UUUUUU",
        "email={unique}@example.com&password=y",
    ),
    ("POST", "/logout", "UUUAAA", ""),
    ("GET", "/assets/agent.js", "PPPPPP", ""),
    ("GET", "/assets/agent.css", "PPPPPP", ""),
    ("GET", "/agent", "UUUAAA", ""),
    ("GET", "/agent/search", "UUUAAA", ""),
    ("POST", "/agent/bulk", "UUUDAA", "ids={ticket}&status=open"),
    ("GET", "/agent/play?queue=unsolved", "UUUAAA", ""),
    (
        "POST",
        "/agent/play/skip",
        "UUUDAA",
        "ticket={ticket}&queue=unsolved&reason=otro",
    ),
    ("POST", "/agent/language", "UUUAAA", "lang=es"),
    ("POST", "/agent/presence", "UUUAAA", "presence=online"),
    ("GET", "/agent/live", "UUUAAA", ""),
    ("GET", "/agent/tickets/{ticket}", "UUUDAA", ""),
    ("POST", "/agent/tickets/{ticket}", "UUUDAA", "priority=high"),
    ("GET", "/agent/tickets/{ticket}/timeline", "UUUDAA", ""),
    // No chat on the fixture: nothing to end, back to the ticket.
    ("POST", "/agent/tickets/{ticket}/chat/end", "UUUDAA", ""),
    // No chat on the fixture: refused in words (422) to whoever may work it.
    (
        "POST",
        "/agent/tickets/{ticket}/chat/transfer",
        "UUUDAA",
        "to=group:0",
    ),
    ("GET", "/agent/chats/tabs", "UUUAAA", ""),
    // No such chat: signed-in agents are told so (accepting and declining a
    // real offer are in tests/api/chat.rs).
    ("POST", "/agent/chats/{no_chat}/accept", "UUUDDD", ""),
    ("POST", "/agent/chats/{no_chat}/decline", "UUUDDD", ""),
    // "Create customer" on a call (none with id 0 here).
    ("POST", "/agent/calls/{no_chat}/customer", "UUUDDD", ""),
    ("GET", "/agent/calls/{no_chat}/recording", "UUUDDD", ""),
    ("GET", "/agent/admin/phone", "UUUDDA", ""),
    (
        "POST",
        "/agent/admin/phone",
        "UUUDDA",
        "name=L&number=%2B34910000888&account_sid=AC1&auth_token=t",
    ),
    (
        "POST",
        "/agent/admin/phone/{voice_line}",
        "UUUDDA",
        "name=L&lang_es=1",
    ),
    (
        "POST",
        "/agent/admin/phone/{voice_line}/delete",
        "UUUDDA",
        "",
    ),
    // Click-to-call (the customer has no number here: refused in words).
    ("POST", "/agent/tickets/{ticket}/call", "UUUDAA", ""),
    (
        "POST",
        "/agent/tickets/{ticket}/goodwill",
        "UUUDAA",
        "kind=gift&reason=Perd%C3%B3n",
    ),
    (
        "POST",
        "/agent/tickets/{ticket}/reply",
        "UUUDAA",
        "body=Hola&public=0",
    ),
    (
        "GET",
        "/agent/tickets/{ticket}/macros/{macro}",
        "UUUDAA",
        "",
    ),
    ("GET", "/agent/attachments/{attachment}", "UUUDAA", ""),
    (
        "POST",
        "/agent/customers/{customer}/identities",
        "UUUAAA",
        "kind=email&value={unique}@example.com",
    ),
    (
        "POST",
        "/agent/customers/{customer}/identities/{customer_identity}/delete",
        "UUUAAA",
        "",
    ),
    (
        "GET",
        "/agent/customers/{customer}/merge",
        "UUUDAA",
        "into={me}",
    ),
    (
        "POST",
        "/agent/customers/{customer}/merge",
        "UUUDAA",
        "target={me}",
    ),
    ("GET", "/agent/customers/merges/{merge}", "UUUAAA", ""),
    ("POST", "/agent/customers/merges/{merge}/undo", "UUUAAA", ""),
    // Article authoring: writers (agents who see the whole desk, admins).
    ("GET", "/agent/articles", "UUUDAA", ""),
    (
        "GET",
        "/agent/reports",
        "UUUDAA",
        "from=2026-11-01&to=2026-11-30",
    ),
    (
        "GET",
        "/agent/reports/tickets",
        "UUUDAA",
        "from=2026-11-01&to=2026-11-30&slice=created",
    ),
    (
        "GET",
        "/agent/reports/export",
        "UUUDAA",
        "from=2026-11-01&to=2026-11-30&table=days&format=xlsx",
    ),
    (
        "POST",
        "/agent/reports/weekly",
        "UUUDDA",
        "recipients=jefa%40example.com&weekday=0&hour=8&time_zone=Europe%2FMadrid&locale=es",
    ),
    (
        "GET",
        "/agent/reports/problems",
        "UUUDAA",
        "from=2026-11-01&to=2026-11-30",
    ),
    (
        "POST",
        "/agent/reports/problems",
        "UUUDDA",
        "ignored_tags=vip&min_tickets=10&times_normal=3&alert_emails=ops%40example.com",
    ),
    (
        "POST",
        "/agent/articles",
        "UUUDAA",
        "title=Art%20{unique}&section_id={section}&locale=es",
    ),
    ("GET", "/agent/articles/{article}", "UUUDAA", ""),
    (
        "POST",
        "/agent/articles/{article}",
        "UUUDAA",
        "locale=es&title=Art%20{unique}&body=%3Cp%3Ex%3C%2Fp%3E&action=draft",
    ),
    (
        "POST",
        "/agent/articles/{article}/attachments",
        "UUUDAA",
        "",
    ),
    (
        "POST",
        "/agent/articles/{article}/attachments/{article_attachment}/delete",
        "UUUDAA",
        "locale=es",
    ),
    (
        "POST",
        "/agent/articles/{article}/revisions/{article_revision}/restore",
        "UUUDAA",
        "",
    ),
    ("GET", "/agent/admin", "PPPPPP", ""),
    ("GET", "/agent/admin/agents", "UUUDDA", ""),
    (
        "POST",
        "/agent/admin/agents",
        "UUUDDA",
        "name=Nuevo&email={unique}@example.com&role=agent",
    ),
    (
        "POST",
        "/agent/admin/agents/{staff}",
        "UUUDDA",
        "role=agent",
    ),
    ("GET", "/agent/admin/groups", "UUUDDA", ""),
    ("POST", "/agent/admin/groups", "UUUDDA", "name=G{unique}"),
    ("POST", "/agent/admin/groups/{group}/delete", "UUUDDA", ""),
    ("GET", "/agent/admin/fields", "UUUDDA", ""),
    (
        "POST",
        "/agent/admin/fields",
        "UUUDDA",
        "title=F{unique}&type=text",
    ),
    ("POST", "/agent/admin/fields/{field}/delete", "UUUDDA", ""),
    ("GET", "/agent/admin/views", "UUUDDA", ""),
    (
        "POST",
        "/agent/admin/views",
        "UUUDDA",
        "title=V{unique}&status=open",
    ),
    ("POST", "/agent/admin/views/{view}/delete", "UUUDDA", ""),
    ("GET", "/agent/admin/bot", "UUUDDA", ""),
    (
        "POST",
        "/agent/admin/bot/topics",
        "UUUDDA",
        "topics=queja%20formal",
    ),
    ("GET", "/agent/admin/chat", "UUUDDA", ""),
    (
        "POST",
        "/agent/admin/chat",
        "UUUDDA",
        "name=Web%20{unique}&origins=https%3A%2F%2Fshop.example",
    ),
    (
        "POST",
        "/agent/admin/chat/{chat_widget}",
        "UUUDDA",
        "name=Web&origins=https%3A%2F%2Fshop.example&invitations=%2Fa%20%7C%205%20%7C%20Hola%20%7C%20Hi",
    ),
    (
        "POST",
        "/agent/admin/chat/{chat_widget}/delete",
        "UUUDDA",
        "",
    ),
    ("GET", "/agent/admin/channels", "UUUDDA", ""),
    (
        "POST",
        "/agent/admin/channels",
        "UUUDDA",
        "channel=whatsapp&name=WA%20{unique}&external_id=pn-{unique}&access_token=t&app_secret=s",
    ),
    (
        "POST",
        "/agent/admin/channels/{channel_account}",
        "UUUDDA",
        "name=Otra&enabled=1",
    ),
    // The fixture's provider is a closed port: refused on the page (422).
    (
        "POST",
        "/agent/admin/channels/{channel_account}/test",
        "UUUDDA",
        "to=%2B34600000000",
    ),
    (
        "POST",
        "/agent/admin/channels/{channel_account}/delete",
        "UUUDDA",
        "",
    ),
    (
        "POST",
        "/agent/admin/channels/templates",
        "UUUDDA",
        "name=t_{unique}&language=es&category=utility&body=Hola",
    ),
    (
        "POST",
        "/agent/admin/channels/templates/{message_template}/delete",
        "UUUDDA",
        "",
    ),
    ("GET", "/agent/admin/look", "UUUDDA", ""),
    // A urlencoded post where a multipart form is expected: 400 for admins.
    ("POST", "/agent/admin/look", "UUUDDA", "accent=%23000000"),
    ("GET", "/agent/admin/surveys", "UUUDDA", ""),
    (
        "POST",
        "/agent/admin/surveys",
        "UUUDDA",
        "csat_delay_hours=24&nps_every_days=30&nps_quiet_days=90&low_score=reopen",
    ),
    ("GET", "/agent/admin/tokens", "UUUDDA", ""),
    (
        "POST",
        "/agent/admin/tokens",
        "UUUDDA",
        "user_id={agent}&description=x",
    ),
    ("POST", "/agent/admin/tokens/{token}/delete", "UUUDDA", ""),
    ("GET", "/agent/admin/email", "UUUDDA", ""),
    ("POST", "/agent/admin/email/{outbound}/retry", "UUUDDN", ""),
    (
        "POST",
        "/agent/admin/email/mailboxes",
        "UUUDDA",
        "address=m{unique}@example.com&name=M",
    ),
    (
        "POST",
        "/agent/admin/email/mailboxes/{recipient}",
        "UUUDDA",
        "address=m{unique}@example.com&name=M",
    ),
    (
        "POST",
        "/agent/admin/email/mailboxes/{recipient}/delete",
        "UUUDDA",
        "",
    ),
    (
        "POST",
        "/agent/admin/email/templates",
        "UUUDDA",
        "acknowledge=1",
    ),
    ("GET", "/agent/admin/suspended", "UUUDDA", ""),
    (
        "POST",
        "/agent/admin/suspended/{suspended}/recover",
        "UUUDDA",
        "",
    ),
    (
        "POST",
        "/agent/admin/suspended/{suspended}/delete",
        "UUUDDA",
        "",
    ),
    ("GET", "/agent/admin/rules", "UUUDDA", ""),
    (
        "POST",
        "/agent/admin/rules/{kind}",
        "UUUDDA",
        "title=T{unique}",
    ),
    (
        "POST",
        "/agent/admin/rules/{kind}/{trigger}",
        "UUUDDA",
        "title=T{unique}",
    ),
    (
        "POST",
        "/agent/admin/rules/{kind}/{trigger}/delete",
        "UUUDDA",
        "",
    ),
    ("GET", "/agent/admin/sla", "UUUDDA", ""),
    (
        "POST",
        "/agent/admin/sla/schedules",
        "UUUDDA",
        "name=H{unique}&time_zone=UTC",
    ),
    (
        "POST",
        "/agent/admin/sla/schedules/{schedule}",
        "UUUDDA",
        "name=H{unique}&time_zone=UTC",
    ),
    (
        "POST",
        "/agent/admin/sla/schedules/{schedule}/delete",
        "UUUDDA",
        "",
    ),
    (
        "POST",
        "/agent/admin/sla/policies",
        "UUUDDA",
        "title=S{unique}",
    ),
    (
        "POST",
        "/agent/admin/sla/policies/{policy}",
        "UUUDDA",
        "title=S{unique}",
    ),
    (
        "POST",
        "/agent/admin/sla/policies/{policy}/delete",
        "UUUDDA",
        "",
    ),
    ("GET", "/agent/admin/routing", "UUUDDA", ""),
    (
        "POST",
        "/agent/admin/routing/settings",
        "UUUDDA",
        "enabled=0",
    ),
    (
        "POST",
        "/agent/admin/routing/attributes",
        "UUUDDA",
        "name=R{unique}",
    ),
    (
        "POST",
        "/agent/admin/routing/attributes/{attribute}/delete",
        "UUUDDA",
        "",
    ),
    (
        "POST",
        "/agent/admin/routing/agents/{agent}",
        "UUUDDA",
        "capacity_email=2",
    ),
    ("GET", "/agent/admin/webhooks", "UUUDDA", ""),
    (
        "POST",
        "/agent/admin/webhooks",
        "UUUDDA",
        "name=W{unique}&endpoint=http://127.0.0.1:9/x",
    ),
    (
        "POST",
        "/agent/admin/webhooks/{webhook}/delete",
        "UUUDDA",
        "",
    ),
    ("POST", "/agent/admin/webhooks/{webhook}/test", "UUUDDA", ""),
];

/// `(method, path)` of every `.route(` call in the router's sources, with
/// the business-rule routes (built from a kind) spelled out.
fn routes_in_source() -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(root.join("crates/web/src/routes"))
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.push(root.join("crates/web/src/lib.rs"));
    files.push(root.join("crates/ui/src/lib.rs"));
    files.push(root.join("crates/site/src/lib.rs"));
    files.push(root.join("crates/chat/src/lib.rs"));
    files.push(root.join("crates/messaging/src/lib.rs"));
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        let mut rest = text.as_str();
        while let Some(i) = rest.find(".route(") {
            rest = &rest[i + ".route(".len()..];
            let (mut depth, mut end) = (1, 0);
            for (j, ch) in rest.char_indices() {
                match ch {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    end = j;
                    break;
                }
            }
            let call = &rest[..end];
            let Some(start) = call.find('"') else {
                continue;
            };
            let Some(len) = call[start + 1..].find('"') else {
                continue;
            };
            let path = call[start + 1..start + 1 + len]
                .replace("{{", "{")
                .replace("}}", "}");
            let tail = &call[start + 1 + len..];
            let mut found = Vec::new();
            for m in ["get", "post", "put", "delete", "patch"] {
                let needle = format!("{m}(");
                let mut k = 0;
                while let Some(p) = tail[k..].find(&needle) {
                    let at = k + p;
                    let before = tail[..at].chars().last().unwrap_or(' ');
                    if !before.is_ascii_alphanumeric() && before != '_' {
                        found.push(m.to_uppercase());
                        break;
                    }
                    k = at + needle.len();
                }
            }
            let paths = if path.contains("{plural}") {
                vec![
                    path.replace("{plural}", "triggers"),
                    path.replace("{plural}", "automations"),
                ]
            } else {
                vec![path]
            };
            for p in paths {
                for m in &found {
                    out.push((m.clone(), p.clone()));
                }
            }
            rest = &rest[end..];
        }
    }
    out
}

/// The route a row's path is, with its placeholders in axum's `{…}` form.
fn shape(path: &str) -> String {
    let path = path.split('?').next().unwrap_or(path);
    path.split('/')
        .map(|seg| if seg.starts_with('{') { "{}" } else { seg })
        .collect::<Vec<_>>()
        .join("/")
}

#[test]
fn every_route_has_a_row() {
    let rows: Vec<(String, String)> = API
        .iter()
        .chain(PAGES)
        .map(|(m, p, _, _)| (m.to_string(), shape(p)))
        .collect();
    let routes = routes_in_source();
    assert!(
        routes.len() > 200,
        "routes read from the source: {}",
        routes.len()
    );
    let missing: Vec<String> = routes
        .iter()
        .filter(|(m, p)| !rows.contains(&(m.clone(), shape(p))))
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(
        missing.is_empty(),
        "routes without a row in the table: {missing:#?}"
    );
    let stale: Vec<String> = rows
        .iter()
        .filter(|(m, p)| !routes.iter().any(|(rm, rp)| rm == m && shape(rp) == *p))
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(
        stale.is_empty(),
        "rows for routes that do not exist: {stale:#?}"
    );
}

/// What one request got, judged.
fn judge(expected: char, status: u16, location: &str, page_get: bool) -> bool {
    // A page asked for without a session sends the browser to sign in.
    let unauthenticated = status == 401
        || (page_get
            && matches!(status, 302 | 303)
            && (location.starts_with("/login") || location.ends_with("/signin")));
    let page = page_get;
    match expected {
        'U' => unauthenticated,
        'D' => matches!(status, 403 | 404),
        'A' | 'P' => {
            status < 500 && !matches!(status, 401 | 403 | 404) && !(page && unauthenticated)
        }
        // Allowed, but the thing named does not exist on a test server.
        'N' => matches!(status, 200..=399 | 404 | 422),
        _ => false,
    }
}

/// The fixtures rows name, and the means to make fresh ones for writes.
struct Fixtures<'a> {
    srv: &'a TestServer,
    ids: HashMap<&'static str, String>,
    /// The customer whose resources rows name, and their credentials.
    me: i64,
    owner: Auth,
    /// A group the restricted agent is not in; `{ticket}`s are in it.
    g2: i64,
}

async fn post_id(srv: &TestServer, path: &str, body: Json, key: &str) -> String {
    let (s, b) = srv.call("POST", path, &srv.admin(), Some(body)).await;
    assert!(s < 300, "fixture {path}: {s} {b}");
    match &b[key]["id"] {
        Json::Number(n) => n.to_string(),
        Json::String(s) => s.clone(),
        other => panic!("fixture {path}: no id in {other}"),
    }
}

/// A new number for a phone line fixture.
fn next_number() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

fn unique() -> String {
    app::auth::random_token(8).to_lowercase()
}

impl Fixtures<'_> {
    async fn user(&self, role: &str) -> String {
        let (id, _) = self
            .srv
            .user_with_token("Fixture", &format!("f{}@example.com", unique()), role)
            .await;
        id.to_string()
    }

    async fn ticket(&self, status: &str) -> String {
        new_ticket(
            self.srv,
            json!({"subject": "Pedido", "requester_id": self.me, "group_id": self.g2, "status": status,
                   "comment": {"body": "Mi pedido no llega"}}),
        )
        .await["id"]
            .to_string()
    }

    async fn suspended(&self) -> String {
        let raw = format!(
            "From: agente@corp.test\r\nTo: support@example.com\r\nSubject: s{}\r\n\r\nx\r\n",
            unique()
        );
        let envelope = app::email::Envelope {
            mail_from: "agente@corp.test".into(),
            rcpt_to: vec!["support@example.com".into()],
            ..Default::default()
        };
        let id = self
            .srv
            .app
            .store_inbound_email(envelope, raw.into_bytes())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        self.srv
            .app
            .suspend_inbound_email(id, domain::SuspensionCause::UnverifiedSender, "test")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        id.to_string()
    }

    /// The customer's vote on an article (a fresh article each time, so
    /// one vote's removal does not decide the next).
    async fn vote(&self) -> String {
        let mut made = HashMap::new();
        Box::pin(self.make("article", &mut made)).await;
        let (s, v) = self
            .srv
            .call(
                "POST",
                &format!("/api/v2/help_center/articles/{}/up.json", made["article"]),
                &self.owner,
                None,
            )
            .await;
        assert_eq!(s, 200, "fixture vote: {v}");
        v["vote"]["id"].to_string()
    }

    /// Makes one fixture of `kind` (and what it hangs from) into `out`.
    async fn make(&self, kind: &str, out: &mut HashMap<&'static str, String>) {
        let srv = self.srv;
        match kind {
            "vote" => {
                let id = self.vote().await;
                out.insert("vote", id);
            }
            "ticket_form" => {
                // The first form is the default; the ones after it can go.
                if !out.contains_key("first_form") {
                    let first = post_id(
                        srv,
                        "/api/v2/ticket_forms.json",
                        json!({"ticket_form": {"name": "Default form"}}),
                        "ticket_form",
                    )
                    .await;
                    out.insert("first_form", first);
                }
                let id = post_id(
                    srv,
                    "/api/v2/ticket_forms.json",
                    json!({"ticket_form": {"name": format!("Form {}", unique())}}),
                    "ticket_form",
                )
                .await;
                out.insert("ticket_form", id);
            }
            "segment" => {
                let id = post_id(
                    srv,
                    "/api/v2/help_center/user_segments.json",
                    json!({"user_segment": {"name": format!("Seg {}", unique()), "user_type": "signed_in_users"}}),
                    "user_segment",
                )
                .await;
                out.insert("segment", id);
            }
            "translation" => {
                Box::pin(self.make("article", out)).await;
                let id = post_id(
                    srv,
                    &format!("/api/v2/help_center/articles/{}/translations.json", out["article"]),
                    json!({"translation": {"locale": "es", "title": format!("T {}", unique()), "body": "<p>Hola</p>"}}),
                    "translation",
                )
                .await;
                out.insert("translation", id);
            }
            "ticket" => {
                let t = self.ticket("open").await;
                out.insert("ticket", t);
            }
            "ticket2" => {
                let t = self.ticket("open").await;
                out.insert("ticket2", t);
            }
            "solved_ticket" => {
                let t = self.ticket("solved").await;
                out.insert("solved_ticket", t);
            }
            "customer" => {
                let u = self.user("end-user").await;
                out.insert("customer", u);
            }
            "label" | "labelled" => {
                Box::pin(self.make("article", out)).await;
                let article = out["article"].clone();
                let (s, b) = srv
                    .call(
                        "POST",
                        &format!("/api/v2/help_center/articles/{article}/labels.json"),
                        &srv.admin(),
                        Some(json!({"label": {"name": "devoluciones"}})),
                    )
                    .await;
                assert_eq!(s, 201, "fixture label: {b}");
                out.insert("label", b["label"]["id"].to_string());
                out.insert("labelled", article);
            }
            "user_dropdown" | "user_option" | "org_dropdown" | "org_option" => {
                let user = kind.starts_with("user");
                let (path, key) = if user {
                    ("/api/v2/user_fields.json", "user_field")
                } else {
                    ("/api/v2/organization_fields.json", "organization_field")
                };
                let (s, b) = srv
                    .call(
                        "POST",
                        path,
                        &srv.admin(),
                        Some(json!({key: {"key": format!("d{}", unique()), "type": "dropdown", "title": "Plan",
                                          "custom_field_options": [{"name": "Oro", "value": "oro"}]}})),
                    )
                    .await;
                assert_eq!(s, 201, "fixture dropdown: {b}");
                let (field, option) = (
                    b[key]["id"].to_string(),
                    b[key]["custom_field_options"][0]["id"].to_string(),
                );
                if user {
                    out.insert("user_dropdown", field);
                    out.insert("user_option", option);
                } else {
                    out.insert("org_dropdown", field);
                    out.insert("org_option", option);
                }
            }
            "user_field" | "org_field" => {
                let (path, key) = if kind == "user_field" {
                    ("/api/v2/user_fields.json", "user_field")
                } else {
                    ("/api/v2/organization_fields.json", "organization_field")
                };
                let id = post_id(
                    srv,
                    path,
                    json!({key: {"key": format!("f{}", unique()), "type": "text", "title": "Campo"}}),
                    key,
                )
                .await;
                out.insert(
                    if kind == "user_field" {
                        "user_field"
                    } else {
                        "org_field"
                    },
                    id,
                );
            }
            "deleted_ticket" => {
                let t = self.ticket("open").await;
                let (s, b) = srv
                    .call(
                        "DELETE",
                        &format!("/api/v2/tickets/{t}.json"),
                        &srv.admin(),
                        None,
                    )
                    .await;
                assert_eq!(s, 204, "fixture deleted ticket: {b}");
                out.insert("deleted_ticket", t);
            }
            "deleted_user" => {
                let u = self.user("end-user").await;
                let (s, b) = srv
                    .call(
                        "DELETE",
                        &format!("/api/v2/users/{u}.json"),
                        &srv.admin(),
                        None,
                    )
                    .await;
                assert_eq!(s, 200, "fixture deleted user: {b}");
                out.insert("deleted_user", u);
            }
            "staff" => {
                let u = self.user("agent").await;
                out.insert("staff", u);
            }
            "identity" => {
                let id = post_id(srv, &format!("/api/v2/users/{}/identities.json", self.me), json!({"identity": {"type": "email", "value": format!("{}@example.com", unique())}}), "identity").await;
                out.insert("identity", id);
            }
            "customer_identity" => {
                let c = self.user("end-user").await;
                let id = post_id(srv, &format!("/api/v2/users/{c}/identities.json"), json!({"identity": {"type": "email", "value": format!("{}@example.com", unique())}}), "identity").await;
                out.insert("customer", c);
                out.insert("customer_identity", id);
            }
            "org" => {
                let id = post_id(
                    srv,
                    "/api/v2/organizations.json",
                    json!({"organization": {"name": format!("Org {}", unique())}}),
                    "organization",
                )
                .await;
                out.insert("org", id);
            }
            "org_membership" => {
                let c = self.user("end-user").await;
                let org = post_id(
                    srv,
                    "/api/v2/organizations.json",
                    json!({"organization": {"name": format!("Org {}", unique())}}),
                    "organization",
                )
                .await;
                let id = post_id(srv, "/api/v2/organization_memberships.json", json!({"organization_membership": {"user_id": c.parse::<i64>().unwrap_or(0), "organization_id": org.parse::<i64>().unwrap_or(0)}}), "organization_membership").await;
                out.insert("org_membership", id);
            }
            "group" => {
                let id = post_id(
                    srv,
                    "/api/v2/groups.json",
                    json!({"group": {"name": format!("G {}", unique())}}),
                    "group",
                )
                .await;
                out.insert("group", id);
            }
            "group_membership" => {
                let a = self.user("agent").await;
                let g = post_id(
                    srv,
                    "/api/v2/groups.json",
                    json!({"group": {"name": format!("G {}", unique())}}),
                    "group",
                )
                .await;
                let id = post_id(srv, "/api/v2/group_memberships.json", json!({"group_membership": {"user_id": a.parse::<i64>().unwrap_or(0), "group_id": g.parse::<i64>().unwrap_or(0)}}), "group_membership").await;
                out.insert("group_membership", id);
            }
            "macro" => {
                let id = post_id(srv, "/api/v2/macros.json", json!({"macro": {"title": format!("M {}", unique()), "actions": [{"field": "status", "value": "open"}]}}), "macro").await;
                out.insert("macro", id);
            }
            "view" => {
                let id = post_id(srv, "/api/v2/views.json", json!({"view": {"title": format!("V {}", unique()), "all": [{"field": "status", "operator": "is", "value": "open"}]}}), "view").await;
                out.insert("view", id);
            }
            "trigger" => {
                let id = post_id(srv, "/api/v2/triggers.json", json!({"trigger": {"title": format!("T {}", unique()), "conditions": {"all": [{"field": "status", "operator": "is", "value": "new"}]}, "actions": [{"field": "priority", "value": "high"}]}}), "trigger").await;
                out.insert("trigger", id);
            }
            "automation" => {
                let id = post_id(srv, "/api/v2/automations.json", json!({"automation": {"title": format!("A {}", unique()), "conditions": {"all": [{"field": "status", "operator": "is", "value": "pending"}, {"field": "hours_since_pending", "operator": "greater_than", "value": "96"}]}, "actions": [{"field": "status", "value": "solved"}]}}), "automation").await;
                out.insert("automation", id);
            }
            "policy" => {
                let id = post_id(srv, "/api/v2/slas/policies.json", json!({"sla_policy": {"title": format!("S {}", unique()), "filter": {"all": [{"field": "priority", "operator": "is", "value": "urgent"}], "any": []}, "policy_metrics": [{"priority": "urgent", "metric": "first_reply_time", "target": 60, "business_hours": false}]}}), "sla_policy").await;
                out.insert("policy", id);
            }
            "schedule" | "holiday" => {
                let s = post_id(srv, "/api/v2/business_hours/schedules.json", json!({"schedule": {"name": format!("H {}", unique()), "time_zone": "Europe/Madrid"}}), "schedule").await;
                let h = post_id(srv, &format!("/api/v2/business_hours/schedules/{s}/holidays.json"), json!({"holiday": {"name": "Navidad", "start_date": "2026-12-25", "end_date": "2026-12-25"}}), "holiday").await;
                out.insert("schedule", s);
                out.insert("holiday", h);
            }
            "oauth_client" | "oauth_token" => {
                let client = post_id(
                    srv,
                    "/api/v2/oauth/clients.json",
                    json!({"client": {"name": format!("C {}", unique()), "identifier": format!("c_{}", unique()), "redirect_uri": ["https://tool.example/cb"]}}),
                    "client",
                )
                .await;
                let token = post_id(
                    srv,
                    "/api/v2/oauth/tokens.json",
                    json!({"token": {"client_id": client.parse::<i64>().unwrap_or_default()}}),
                    "token",
                )
                .await;
                out.insert("oauth_client", client);
                out.insert("oauth_token", token);
            }
            "webhook" => {
                let id = post_id(srv, "/api/v2/webhooks.json", json!({"webhook": {"name": format!("W {}", unique()), "endpoint": "http://127.0.0.1:9/x", "http_method": "POST", "request_format": "json", "status": "active"}}), "webhook").await;
                out.insert("webhook", id);
            }
            "attribute" | "value" => {
                let a = post_id(
                    srv,
                    "/api/v2/routing/attributes.json",
                    json!({"attribute": {"name": format!("R {}", unique())}}),
                    "attribute",
                )
                .await;
                let v = post_id(
                    srv,
                    &format!("/api/v2/routing/attributes/{a}/values.json"),
                    json!({"attribute_value": {"name": format!("v{}", unique())}}),
                    "attribute_value",
                )
                .await;
                out.insert("attribute", a);
                out.insert("value", v);
            }
            "field" => {
                let id = post_id(srv, "/api/v2/ticket_fields.json", json!({"ticket_field": {"type": "text", "title": format!("Campo {}", unique())}}), "ticket_field").await;
                out.insert("field", id);
            }
            "recipient" => {
                let id = post_id(srv, "/api/v2/recipient_addresses.json", json!({"recipient_address": {"email": format!("s{}@example.com", unique()), "name": "Soporte"}}), "recipient_address").await;
                out.insert("recipient", id);
            }
            "category" | "section" | "article" => {
                let c = post_id(
                    srv,
                    "/api/v2/help_center/categories.json",
                    json!({"category": {"name": format!("C {}", unique())}}),
                    "category",
                )
                .await;
                let s = post_id(
                    srv,
                    &format!("/api/v2/help_center/categories/{c}/sections.json"),
                    json!({"section": {"name": format!("S {}", unique())}}),
                    "section",
                )
                .await;
                let a = post_id(srv, &format!("/api/v2/help_center/sections/{s}/articles.json"), json!({"article": {"title": format!("Art {}", unique()), "body": "<p>Cómo cambiar la contraseña</p>"}}), "article").await;
                out.insert("category", c);
                out.insert("section", s);
                out.insert("article", a);
            }
            "upload" => {
                let r = srv
                    .raw(
                        "POST",
                        "/api/v2/uploads.json?filename=a.txt",
                        &self.owner,
                        Some(b"hola".to_vec()),
                        Some("text/plain"),
                    )
                    .await;
                let b: Json = r.json().await.unwrap_or_default();
                out.insert(
                    "upload",
                    b["upload"]["token"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                );
            }
            "suspended" => {
                let id = self.suspended().await;
                out.insert("suspended", id);
            }
            "channel_account" => {
                let made = srv
                    .app
                    .create_channel_account(
                        admin_actor(srv).await,
                        app::messaging::AccountInput {
                            channel: Some(domain::Channel::WhatsApp),
                            name: Some(format!("WA {}", unique())),
                            external_id: Some(format!("pn-{}", unique())),
                            credentials: vec![
                                ("access_token".into(), domain::mail::Secret::new("t")),
                                ("app_secret".into(), domain::mail::Secret::new("s")),
                            ],
                            api_base: Some(Some("http://127.0.0.1:9".into())),
                            ..Default::default()
                        },
                        &srv.base,
                    )
                    .await
                    .unwrap_or_else(|e| panic!("fixture account: {e}"));
                out.insert("channel_account", made.account.id.0.to_string());
            }
            "voice_line" => {
                let made = srv
                    .app
                    .create_voice_line(
                        admin_actor(srv).await,
                        app::voice::LineInput {
                            name: Some(format!("Línea {}", unique())),
                            number: Some(format!("+3491{:07}", next_number())),
                            account_sid: Some(domain::mail::Secret::new("AC1")),
                            auth_token: Some(domain::mail::Secret::new("t")),
                            api_base: Some(Some("http://127.0.0.1:9".into())),
                            ..Default::default()
                        },
                    )
                    .await
                    .unwrap_or_else(|e| panic!("fixture line: {e}"));
                out.insert("voice_line", made.line.id.0.to_string());
            }
            "message_template" => {
                let t = srv
                    .app
                    .create_message_template(
                        admin_actor(srv).await,
                        app::messaging::TemplateInput {
                            name: format!("t_{}", unique()),
                            language: "es".into(),
                            category: Some(domain::messaging::TemplateCategory::Utility),
                            body: "Hola".into(),
                        },
                    )
                    .await
                    .unwrap_or_else(|e| panic!("fixture template: {e}"));
                out.insert("message_template", t.id.0.to_string());
            }
            "chat_widget" => {
                let made = srv
                    .app
                    .create_chat_widget(
                        admin_actor(srv).await,
                        app::chat::WidgetInput {
                            name: Some(format!("Web {}", unique())),
                            allowed_origins: Some(vec!["https://shop.example".into()]),
                            ..Default::default()
                        },
                    )
                    .await
                    .unwrap_or_else(|e| panic!("fixture widget: {e}"));
                out.insert("chat_widget", made.widget.id.0.to_string());
            }
            "article_comment" => {
                if !out.contains_key("article") {
                    Box::pin(self.make("article", out)).await;
                }
                // The customer's own comment, so `Owner` is its author.
                let (s, b) = srv
                    .call(
                        "POST",
                        &format!(
                            "/api/v2/help_center/articles/{}/comments.json",
                            out["article"]
                        ),
                        &self.owner,
                        Some(json!({"comment": {"body": "<p>Me sirvió</p>"}})),
                    )
                    .await;
                assert_eq!(s, 201, "fixture comment: {b}");
                out.insert("article_comment", b["comment"]["id"].to_string());
            }
            "article_attachment" | "article_revision" => {
                if !out.contains_key("article") {
                    Box::pin(self.make("article", out)).await;
                }
                let article = domain::ArticleId(out["article"].parse().unwrap_or(0));
                let admin = admin_actor(srv).await;
                if kind == "article_attachment" {
                    let f = srv
                        .app
                        .attach_to_article(admin, article, "plan.pdf", b"%PDF-1.4".to_vec(), false)
                        .await
                        .unwrap_or_else(|e| panic!("fixture file: {e}"));
                    out.insert("article_attachment", f.id.to_string());
                } else {
                    let a = srv
                        .app
                        .article_for_editing(admin, article)
                        .await
                        .unwrap_or_else(|e| panic!("fixture revision: {e}"));
                    let first = a.history.last().map(|r| r.id.0).unwrap_or(0);
                    out.insert("article_revision", first.to_string());
                }
            }
            "merge" => {
                let a = self.user("end-user").await.parse().unwrap_or(0);
                let b = self.user("end-user").await.parse().unwrap_or(0);
                let id = srv
                    .app
                    .merge_users(
                        domain::Actor::system(),
                        domain::UserId(a),
                        domain::UserId(b),
                    )
                    .await
                    .unwrap_or_else(|e| panic!("merge: {e}"));
                out.insert("merge", id.to_string());
            }
            "token" => {
                let d = unique();
                srv.app
                    .create_token(domain::UserId(1), app::auth::TokenKind::Api, &d)
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                let all = srv
                    .app
                    .list_tokens(domain::Actor::system())
                    .await
                    .unwrap_or_default();
                let id = all
                    .iter()
                    .find(|t| t.description == d)
                    .map(|t| t.id.0)
                    .unwrap_or(0);
                out.insert("token", id.to_string());
            }
            _ => {}
        }
    }

    /// The path (or body) with its placeholders filled: shared fixtures for
    /// reads, fresh ones for writes.
    async fn fill(
        &self,
        text: &str,
        fresh: bool,
        made: &mut HashMap<&'static str, String>,
    ) -> String {
        const SHARED_ALWAYS: &[&str] = &[
            "me",
            "agent",
            "kind",
            "reason",
            "agent_identity",
            "attachment",
            "note_attachment",
            "rating",
            "job",
            "segment_article",
            "outbound",
            "chat_key",
            "no_chat",
            "channel_slug",
            "brand",
            "locale_id",
        ];
        // Things that hang from others are made first, with their parents,
        // so a path naming both gets a matching pair.
        if fresh {
            for compound in [
                "customer_identity",
                "holiday",
                "value",
                "article",
                "section",
            ] {
                if text.contains(&format!("{{{compound}}}")) && !made.contains_key(compound) {
                    self.make(compound, made).await;
                }
            }
        }
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            let len = after
                .find(|c: char| !(c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit()))
                .unwrap_or(after.len());
            if len == 0 || !after[len..].starts_with('}') {
                // Not a placeholder: JSON's own brace.
                out.push('{');
                rest = after;
                continue;
            }
            let name = &after[..len];
            let value = if name == "unique" {
                unique()
            } else if name == "locale" {
                // The help center's default locale, where fixtures are.
                "en-us".to_string()
            } else if name == "audit_log" {
                // The fixtures' own set-up made the first entry.
                "1".to_string()
            } else if name == "staff_role" {
                // The agent role: roles are fixed.
                "2".to_string()
            } else if let Some(v) = made.get(name) {
                v.clone()
            } else if fresh && !SHARED_ALWAYS.contains(&name) {
                self.make(name, made).await;
                made.get(name)
                    .cloned()
                    .unwrap_or_else(|| panic!("no fresh {name}"))
            } else {
                self.ids
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| panic!("no fixture {name}"))
            };
            out.push_str(&value);
            rest = &after[len + 1..];
        }
        out.push_str(rest);
        out
    }
}

/// Signs `email` in to the workspace; the browser and its CSRF token.
async fn signed_in(srv: &TestServer, email: &str, password: &str) -> (Browser, String) {
    let mut b = Browser::new(&srv.base);
    let p = b.sign_in(email, password).await;
    assert_eq!(p.status, 303, "sign in {email}");
    let page = b.get("/agent").await;
    let csrf = hidden(&page.body, "csrf");
    (b, csrf)
}

/// A user with a role, a password and an API token.
async fn person(srv: &TestServer, name: &str, email: &str, role: &str) -> (i64, Auth) {
    let (id, auth) = srv.user_with_token(name, email, role).await;
    let (s, _) = srv
        .call(
            "PUT",
            &format!("/api/v2/users/{id}.json"),
            &srv.admin(),
            Some(json!({"user": {"password": "route-table-1"}})),
        )
        .await;
    assert_eq!(s, 200);
    (id, auth)
}

both!(every_route_answers_each_role_as_the_table_says, |srv| {
    let (me, owner) = person(&srv, "Dueña", "owner@example.com", "end-user").await;
    let (_, stranger) = person(&srv, "Otro", "stranger@example.com", "end-user").await;
    let (agent, agent_auth) = person(&srv, "Agente", "agent@example.com", "agent").await;
    let (restricted, restricted_auth) =
        person(&srv, "Externo", "restricted@example.com", "agent").await;
    let g1 = post_id(
        &srv,
        "/api/v2/groups.json",
        json!({"group": {"name": "Externos"}}),
        "group",
    )
    .await;
    let g2 = post_id(
        &srv,
        "/api/v2/groups.json",
        json!({"group": {"name": "Internos"}}),
        "group",
    )
    .await;
    post_id(&srv, "/api/v2/group_memberships.json", json!({"group_membership": {"user_id": restricted, "group_id": g1.parse::<i64>().unwrap_or(0)}}), "group_membership").await;
    srv.call(
        "PUT",
        &format!("/api/v2/users/{restricted}.json"),
        &srv.admin(),
        Some(json!({"user": {"ticket_restriction": "groups"}})),
    )
    .await;
    let mut fx = Fixtures {
        srv: &srv,
        ids: HashMap::new(),
        me,
        owner: owner.clone(),
        g2: g2.parse().unwrap_or(0),
    };
    let mut shared = HashMap::new();
    for kind in [
        "ticket",
        "ticket2",
        "solved_ticket",
        "customer",
        "identity",
        "customer_identity",
        "group",
        "group_membership",
        "macro",
        "view",
        "trigger",
        "automation",
        "policy",
        "schedule",
        "webhook",
        "oauth_client",
        "attribute",
        "field",
        "recipient",
        "article",
        "upload",
        "suspended",
        "deleted_ticket",
        "deleted_user",
        "user_field",
        "org_field",
        "user_dropdown",
        "org_dropdown",
        "label",
        "merge",
        "token",
        "segment",
        "translation",
        "ticket_form",
        "chat_widget",
        "channel_account",
        "message_template",
        "voice_line",
        "article_comment",
    ] {
        if !shared.contains_key(kind) {
            fx.make(kind, &mut shared).await;
        }
    }
    shared.insert("me", me.to_string());
    shared.insert("agent", agent.to_string());
    shared.insert("kind", "trigger".into());
    // The one brand, and Spanish among the locales.
    shared.insert("brand", "1".into());
    shared.insert("locale_id", "2".into());
    // A satisfaction reason: Zendesk's built-in "took too long".
    shared.insert("reason", "5".into());
    // The owner's organization and membership.
    let org = post_id(
        &srv,
        "/api/v2/organizations.json",
        json!({"organization": {"name": "Dueña S.L."}}),
        "organization",
    )
    .await;
    shared.insert("org_membership", post_id(&srv, "/api/v2/organization_memberships.json", json!({"organization_membership": {"user_id": me, "organization_id": org.parse::<i64>().unwrap_or(0)}}), "organization_membership").await);
    shared.insert("org", org);
    let (_, ids) = srv
        .get(
            &format!("/api/v2/users/{agent}/identities.json"),
            &srv.admin(),
        )
        .await;
    shared.insert("agent_identity", ids["identities"][0]["id"].to_string());
    // Files: one on the ticket's public comment, one on an internal note.
    let ticket = shared["ticket"].clone();
    for (public, key) in [(true, "attachment"), (false, "note_attachment")] {
        let r = srv
            .raw(
                "POST",
                "/api/v2/uploads.json?filename=f.txt",
                &srv.admin(),
                Some(b"datos".to_vec()),
                Some("text/plain"),
            )
            .await;
        let up: Json = r.json().await.unwrap_or_default();
        srv.call("PUT", &format!("/api/v2/tickets/{ticket}.json"), &srv.admin(), Some(json!({"ticket": {"comment": {"body": "adjunto", "public": public, "uploads": [up["upload"]["token"]]}}}))).await;
        shared.insert(key, up["upload"]["attachment"]["id"].to_string());
    }
    let (_, cs) = srv
        .get(
            &format!("/api/v2/tickets/{ticket}/comments.json"),
            &srv.admin(),
        )
        .await;
    shared.insert("ticket_comment", cs["comments"][0]["id"].to_string());
    let solved = shared["solved_ticket"].clone();
    let (s, r) = srv
        .call(
            "POST",
            &format!("/api/v2/tickets/{solved}/satisfaction_rating.json"),
            &owner,
            Some(json!({"satisfaction_rating": {"score": "good"}})),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    shared.insert("rating", r["satisfaction_rating"]["id"].to_string());
    let (_, job) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/update_many.json?ids={ticket}"),
            &srv.admin(),
            Some(json!({"ticket": {"priority": "normal"}})),
        )
        .await;
    shared.insert(
        "job",
        job["job_status"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    );
    let sec = shared["section"].clone();
    shared.insert(
        "segment_article",
        post_id(
            &srv,
            &format!("/api/v2/help_center/sections/{sec}/articles.json"),
            json!({"article": {"title": "Solo equipo", "body": "<p>x</p>", "user_segment_id": staff_segment(&srv).await}}),
            "article",
        )
        .await,
    );
    shared.insert("outbound", "999999".into());
    shared.insert("chat_key", "wk_none".into());
    shared.insert("no_chat", "0".into());
    shared.insert("channel_slug", "whatsapp".into());
    let file = srv
        .app
        .attach_to_article(
            admin_actor(&srv).await,
            domain::ArticleId(shared["article"].parse().unwrap_or(0)),
            "plan.pdf",
            b"%PDF-1.4".to_vec(),
            false,
        )
        .await
        .unwrap_or_else(|e| panic!("shared article file: {e}"));
    shared.insert("article_attachment", file.id.to_string());
    shared.insert("article_file_name", file.file_name);
    fx.ids = shared;
    let vote = fx.vote().await;
    fx.ids.insert("vote", vote);

    let api_auth = |role: Role| match role {
        Role::Anonymous => Auth::None,
        Role::Owner => owner.clone(),
        Role::Stranger => stranger.clone(),
        Role::Restricted => restricted_auth.clone(),
        Role::Agent => agent_auth.clone(),
        Role::Admin => srv.admin(),
    };
    let mut wrong = Vec::new();
    let (_, doc) = srv.get("/api/v2/openapi.json", &Auth::None).await;
    let documented_path = |path: &str| -> Option<String> {
        doc["paths"]
            .as_object()?
            .keys()
            .find(|p| shape(p) == shape(path))
            .cloned()
    };
    for (method, path, expect, body) in API {
        assert_eq!(expect.len(), ROLES.len(), "{method} {path}");
        for (role, want) in ROLES.iter().zip(expect.chars()) {
            let write = *method != "GET";
            let mut made = HashMap::new();
            let filled = fx.fill(path, write, &mut made).await;
            let (status, got, answer) = if *body == "file" {
                let r = srv
                    .raw(
                        method,
                        &format!("{filled}?filename=a.txt"),
                        &api_auth(*role),
                        Some(b"x".to_vec()),
                        Some("text/plain"),
                    )
                    .await;
                let status = r.status().as_u16();
                (status, String::new(), r.json().await.unwrap_or_default())
            } else {
                let json_body = if body.is_empty() {
                    None
                } else {
                    let text = fx.fill(body, write, &mut made).await;
                    Some(
                        serde_json::from_str::<Json>(&text)
                            .unwrap_or_else(|e| panic!("{path} body: {e}")),
                    )
                };
                let (s, b) = srv.call(method, &filled, &api_auth(*role), json_body).await;
                (s, b.to_string(), b)
            };
            // A success answers in the shape the OpenAPI document gives.
            if (200..300).contains(&status)
                && let Some(schema) = documented_path(path)
                    .and_then(|p| schema_check::success_schema(&doc, method, &p))
            {
                for m in schema_check::mismatches(&doc, schema, &answer) {
                    wrong.push(format!(
                        "{method} {path} as {role:?}: not as documented: {m}"
                    ));
                }
            }
            if !judge(want, status, "", false) {
                wrong.push(format!(
                    "{method} {path} as {role:?}: expected {want}, got {status} {}",
                    got.chars().take(160).collect::<String>()
                ));
            }
        }
    }

    // Pages: customers have no session (they cannot sign in here).
    let (admin_b, admin_csrf) = signed_in(&srv, "admin@example.com", "admin-password-1").await;
    let (agent_b, agent_csrf) = signed_in(&srv, "agent@example.com", "route-table-1").await;
    let (restricted_b, restricted_csrf) =
        signed_in(&srv, "restricted@example.com", "route-table-1").await;
    let mut browsers = [
        (Browser::new(&srv.base), String::new()),
        (Browser::new(&srv.base), String::new()),
        (Browser::new(&srv.base), String::new()),
        (restricted_b, restricted_csrf),
        (agent_b, agent_csrf),
        (admin_b, admin_csrf),
    ];
    let logins = [
        ("", ""),
        ("", ""),
        ("", ""),
        ("restricted@example.com", "route-table-1"),
        ("agent@example.com", "route-table-1"),
        ("admin@example.com", "admin-password-1"),
    ];
    for (method, path, expect, form) in PAGES {
        for (i, want) in expect.chars().enumerate() {
            let write = *method != "GET";
            let mut made = HashMap::new();
            let filled = fx.fill(path, write, &mut made).await;
            // Signing out ends the session: do it in a browser of its own.
            let mut own;
            let signs_out = *path == "/logout" || path.ends_with("/signout");
            let (b, csrf) = if signs_out && !logins[i].0.is_empty() {
                own = signed_in(&srv, logins[i].0, logins[i].1).await;
                (&mut own.0, own.1.clone())
            } else {
                (&mut browsers[i].0, browsers[i].1.clone())
            };
            let page = if write {
                let text = fx.fill(form, write, &mut made).await;
                let mut pairs: Vec<(String, String)> = form_urlencoded::parse(text.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect();
                // The sign-in form carries its own token (no session yet).
                let csrf = if *path == "/login" {
                    hidden(&b.get("/login").await.body, "csrf")
                } else if path.contains("/signin") {
                    // The sign-in forms' own token (a signed-in page also
                    // carries the session's, in its sign-out form, first).
                    let page = b.get("/hc/en-us/signin").await.body;
                    let key = "name=\"csrf\" value=\"";
                    page.rsplit(key)
                        .next()
                        .and_then(|rest| rest.split('"').next())
                        .unwrap_or_default()
                        .to_string()
                } else {
                    csrf
                };
                pairs.push(("csrf".into(), csrf));
                let refs: Vec<(&str, &str)> = pairs
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                b.post(&filled, &refs).await
            } else if form.is_empty() {
                b.get(&filled).await
            } else {
                b.get(&format!(
                    "{filled}?{}",
                    fx.fill(form, false, &mut made).await
                ))
                .await
            };
            if !judge(want, page.status, &page.location, !write) {
                wrong.push(format!(
                    "{method} {path} as {:?}: expected {want}, got {} {}",
                    ROLES[i], page.status, page.location
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} answers differ from the table:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
});

both!(every_api_route_is_documented, |srv| {
    let (s, doc) = srv.get("/api/v2/openapi.json", &Auth::None).await;
    assert_eq!(s, 200);
    let documented: Vec<(String, String)> = doc["paths"]
        .as_object()
        .map(|paths| {
            paths
                .iter()
                .flat_map(|(p, ops)| {
                    ops.as_object()
                        .map(|o| {
                            o.keys()
                                .map(|m| (m.to_uppercase(), shape(p)))
                                .collect::<Vec<_>>()
                        })
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default();
    let missing: Vec<String> = routes_in_source()
        .into_iter()
        .filter(|(_, p)| p.starts_with("/api/v2/"))
        .filter(|(m, p)| !documented.contains(&(m.clone(), shape(p))))
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    assert!(
        missing.is_empty(),
        "API routes missing from the OpenAPI document: {missing:#?}"
    );
});
