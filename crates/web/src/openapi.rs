//! The OpenAPI 3.1 document at `/api/v2/openapi.json`. Its schemas are
//! derived from the wire types the handlers answer with (`crate::wire`,
//! through utoipa); its paths come from one table of the routes we serve
//! ([`operations`]), each naming the record its answer carries; writes of
//! those records take the matching request schema (`wire::requests`).
//! Tests keep both honest: every route is in the table, every documented
//! path routes, every answer the route table's requests get matches its
//! documented schema, and each request schema names exactly the keys its
//! parser reads.

use crate::error::json_response;
use crate::wire;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value as Json, json};
use utoipa::OpenApi;

mod operations;
pub use operations::Body;

/// The records the API answers with; utoipa derives their schemas and the
/// schemas of what they contain.
#[derive(OpenApi)]
#[openapi(components(schemas(
    wire::Ticket,
    wire::Audit,
    wire::Comment,
    wire::Attachment,
    wire::User,
    wire::Identity,
    wire::Organization,
    wire::OrganizationMembership,
    wire::Group,
    wire::GroupMembership,
    wire::TicketField,
    wire::Job,
    wire::Macro,
    wire::View,
    wire::SatisfactionRating,
    wire::Category,
    wire::Section,
    wire::Article,
    wire::Vote,
    wire::ArticleAttachment,
    wire::ChatWidget,
    wire::Call,
    wire::VoiceLine,
    wire::PhoneNumber,
    wire::PhoneCapabilities,
    wire::CallOverview,
    wire::GoodwillGesture,
    wire::DeletedTicket,
    wire::TicketMetricEvent,
    wire::Skip,
    wire::Activity,
    wire::CustomRole,
    wire::ArticleComment,
    wire::AuditLog,
    wire::Session,
    wire::Count,
    wire::BusinessRule,
    wire::SlaPolicy,
    wire::Schedule,
    wire::Holiday,
    wire::Webhook,
    wire::TicketMetric,
    wire::Brand,
    wire::Locale,
    wire::SatisfactionReason,
    wire::SuspendedTicket,
    wire::RoutingAttribute,
    wire::FieldOption,
    wire::RoleConfiguration,
    wire::ProfileField,
    wire::ArticleLabel,
    wire::ProfileFieldRequest,
    wire::RuleDefinition,
    wire::RuleDefinitions,
    wire::AttributeDefinitions,
    wire::OAuthClientRecord,
    wire::OAuthTokenRecord,
    wire::ConditionSubject,
    wire::ChannelAccount,
    wire::MessageTemplate,
    wire::ChatConversation,
    wire::ChatLine,
    wire::Translation,
    wire::UserSegment,
    wire::Request,
    wire::BotAnswer,
    wire::TicketForm,
    wire::BotArticle,
    wire::RequestComment,
    wire::TicketRequest,
    wire::UserRequest,
    wire::OrganizationRequest,
    wire::TicketFieldRequest,
    wire::GroupingRequest,
    wire::ArticleRequest,
)))]
struct Records;

/// The request schema a write takes, by the record it answers with.
fn request_record(record: &str) -> Option<&'static str> {
    Some(match record {
        "Ticket" => "TicketRequest",
        "User" => "UserRequest",
        "Organization" => "OrganizationRequest",
        "TicketField" => "TicketFieldRequest",
        "Category" | "Section" => "GroupingRequest",
        "Article" => "ArticleRequest",
        "ProfileField" => "ProfileFieldRequest",
        _ => return None,
    })
}

/// The schema of a write's body: `{key: request}` where the record has a
/// request schema, else an object.
fn request_schema(body: &Body) -> Json {
    let (key, record) = match body {
        Body::One(key, record) => (*key, *record),
        Body::TicketWrite => ("ticket", "Ticket"),
        _ => return json!({"type": "object"}),
    };
    match request_record(record) {
        Some(name) => {
            json!({"type": "object", "required": [key], "properties": {key: record_ref(name)}})
        }
        None => json!({"type": "object"}),
    }
}

/// A `$ref` to a record's schema.
fn record_ref(name: &str) -> Json {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// The schema of an answer's body.
fn body_schema(body: &Body) -> Option<Json> {
    Some(match body {
        Body::One(key, name) => {
            json!({"type": "object", "required": [key], "properties": {*key: record_ref(name)}})
        }
        Body::List(key, name) => json!({
            "type": "object",
            "required": [key],
            "properties": {
                *key: {"type": "array", "items": record_ref(name)},
                "next_page": {"type": ["string", "null"], "description": "Offset paging: the next page's URL"},
                "previous_page": {"type": ["string", "null"]},
                "count": {"type": "integer"},
                "meta": {"type": "object", "description": "Cursor paging (page[size]): has_more, after_cursor, before_cursor"},
                "links": {"type": "object", "description": "Cursor paging: next and prev URLs"}
            }
        }),
        Body::TicketWrite => json!({
            "type": "object",
            "required": ["ticket", "audit"],
            "properties": {"ticket": record_ref("Ticket"), "audit": record_ref("Audit")}
        }),
        Body::Object => json!({"type": "object"}),
        Body::Empty | Body::File => return None,
    })
}

/// Builds the document.
pub fn build() -> Json {
    let mut paths = Map::new();
    for (method, path, tag, summary, body) in operations::all() {
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
                if !path.ends_with("destroy_many")
                    && !path.starts_with("/api/v2/users/{id}")
                    && !path.starts_with("/api/v2/deleted_") =>
            {
                "204"
            }
            _ => "200",
        };
        responses[ok_code] = match body_schema(body) {
            Some(schema) => {
                json!({"description": "Success", "content": {"application/json": {"schema": schema}}})
            }
            None if matches!(body, Body::File) => {
                json!({"description": "The file", "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}})
            }
            None => json!({"description": "Success, no body"}),
        };
        let mut op = json!({"tags": [tag], "summary": summary, "parameters": params, "responses": responses});
        if matches!(*method, "post" | "put") {
            op["requestBody"] = json!({"required": !path.ends_with("/tags") && !path.contains("/restore"), "content": {"application/json": {"schema": request_schema(body)}}});
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
            "schemas": schemas(),
            "responses": {
                "Unauthorized": {"description": "Missing or wrong credentials", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "Forbidden": {"description": "Not allowed for this role", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "NotFound": {"description": "RecordNotFound", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "Invalid": {"description": "RecordInvalid with details per field", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
        }
    })
}

/// The records' derived schemas, and the error every failure answers with.
fn schemas() -> Json {
    let mut schemas = Records::openapi()
        .components
        .and_then(|c| serde_json::to_value(c.schemas).ok())
        .unwrap_or_else(|| json!({}));
    schemas["Error"] = json!({"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}, "description": {"type": "string"}, "details": {"type": "object"}}});
    schemas
}

pub async fn document() -> Response {
    json_response(StatusCode::OK, &build())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `$ref` in `v`.
    fn refs(v: &Json, out: &mut Vec<String>) {
        match v {
            Json::Object(o) => {
                if let Some(Json::String(r)) = o.get("$ref") {
                    out.push(r.clone());
                }
                o.values().for_each(|x| refs(x, out));
            }
            Json::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }

    #[test]
    fn every_reference_names_a_schema_or_response() {
        let doc = build();
        let mut all = vec![];
        refs(&doc, &mut all);
        assert!(all.len() > 100);
        for r in all {
            assert!(
                doc.pointer(r.trim_start_matches('#')).is_some(),
                "{r} is referenced but not in the document"
            );
        }
    }

    /// The property names of a component schema.
    fn properties(doc: &Json, name: &str) -> std::collections::BTreeSet<String> {
        doc["components"]["schemas"][name]["properties"]
            .as_object()
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// Each request schema names exactly the keys its parser reads, when
    /// given a record with every documented key (nested ones included).
    #[test]
    fn request_schemas_are_what_the_parsers_read() {
        use crate::input;
        use serde_json::Map;
        let doc = build();
        let full = |names: &[&str]| -> Map<String, Json> {
            let mut m = Map::new();
            for name in names {
                for key in properties(&doc, name) {
                    m.insert(key, Json::Null);
                }
            }
            m
        };
        type Parse = fn(&Map<String, Json>);
        let cases: [(&[&str], Parse); 7] = [
            (&["TicketRequest"], |m| {
                let mut m = m.clone();
                m.insert("comment".into(), json!({}));
                m.insert("requester".into(), json!({}));
                m.insert("safe_update".into(), json!(true));
                let _ = input::ticket(&m);
            }),
            (&["UserRequest"], |m| drop(input::user(m))),
            (&["OrganizationRequest"], |m| drop(input::org(m))),
            (&["TicketFieldRequest"], |m| drop(input::field(m))),
            (&["GroupingRequest"], |m| drop(input::grouping(m))),
            (&["ArticleRequest"], |m| drop(input::article(m))),
            (&["ProfileFieldRequest"], |m| drop(input::profile_field(m))),
        ];
        for (names, parse) in cases {
            let mut documented = std::collections::BTreeSet::new();
            for name in names {
                documented.extend(properties(&doc, name));
            }
            assert!(documented.len() > 4, "{names:?} has a schema");
            input::asked::take();
            parse(&full(names));
            let mut read = input::asked::take();
            // Nested records' keys, and the aliases read in place of another.
            if names[0] == "TicketRequest" {
                for nested in ["CommentRequest", "RequesterRequest", "TemplateRequest"] {
                    documented.extend(properties(&doc, nested));
                }
                read.insert("fields".into());
                read.insert("description".into());
                read.insert("requester_id".into());
                // A reply's template: its object is not filled in here.
                read.insert("language".into());
                read.insert("params".into());
            }
            if names[0] == "ArticleRequest" {
                read.insert("name".into());
            }
            assert_eq!(read, documented, "{names:?}: keys read vs documented");
        }
    }

    #[test]
    fn records_carry_their_fields() {
        let doc = build();
        let ticket = &doc["components"]["schemas"]["Ticket"];
        assert_eq!(ticket["properties"]["id"]["type"], "integer");
        assert_eq!(ticket["properties"]["status"]["type"], "string");
        assert!(
            ticket["required"]
                .as_array()
                .is_some_and(|r| r.contains(&json!("requester_id")))
        );
        // What a record contains is documented too.
        assert!(doc["components"]["schemas"]["Via"].is_object());
        let create = &doc["paths"]["/api/v2/tickets"]["post"]["responses"]["201"];
        assert_eq!(
            create.pointer("/content/application~1json/schema/properties/ticket/$ref"),
            Some(&json!("#/components/schemas/Ticket"))
        );
    }
}
