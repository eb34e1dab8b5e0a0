//! The OpenAPI 3.1 document at `/api/v2/openapi.json`. Its schemas are
//! derived from the wire types the handlers answer with (`crate::wire`,
//! through utoipa); its paths come from one table of the routes we serve
//! ([`operations`]), each naming the record its answer carries. Tests keep
//! both honest: every route is in the table, every documented path routes,
//! and every answer the route table's requests get matches its documented
//! schema.

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
)))]
struct Records;

/// A `$ref` to a record's schema.
fn record(name: &str) -> Json {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// The schema of an answer's body.
fn body_schema(body: &Body) -> Option<Json> {
    Some(match body {
        Body::One(key, name) => {
            json!({"type": "object", "required": [key], "properties": {*key: record(name)}})
        }
        Body::List(key, name) => json!({
            "type": "object",
            "required": [key],
            "properties": {
                *key: {"type": "array", "items": record(name)},
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
            "properties": {"ticket": record("Ticket"), "audit": record("Audit")}
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
                if !path.ends_with("destroy_many") && !path.starts_with("/api/v2/users/{id}") =>
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
