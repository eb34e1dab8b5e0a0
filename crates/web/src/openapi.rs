//! The OpenAPI 3.1 document at `/api/v2/openapi.json`, built from one table
//! of the routes we serve, so it cannot drift far from the router: a test
//! calls every listed path and checks that none answers 404 from routing.

use crate::error::json_response;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value as Json, json};

mod operations;

/// Builds the document.
pub fn build() -> Json {
    let mut paths = Map::new();
    for (method, path, tag, summary) in operations::all() {
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
