//! Checks an answer against the schema the OpenAPI document gives for it:
//! the subset of JSON Schema the document uses (`$ref`, `type` as a word or
//! a list, `properties` with `required`, `items`, `oneOf`/`anyOf`/`allOf`).
//! The route table calls every route; each answer it gets is checked here,
//! so the document cannot promise a shape the route does not give.

use serde_json::Value as Json;

/// The documented success schema of `method path` (`path` in the
/// document's own form), if the document describes one.
pub fn success_schema<'a>(doc: &'a Json, method: &str, path: &str) -> Option<&'a Json> {
    let op = doc["paths"].get(path)?.get(method.to_lowercase())?;
    op["responses"]
        .as_object()?
        .iter()
        .find(|(code, _)| code.starts_with('2'))
        .and_then(|(_, r)| r.pointer("/content/application~1json/schema"))
}

/// Every place `value` differs from `schema`, as `where: what` lines.
pub fn mismatches(doc: &Json, schema: &Json, value: &Json) -> Vec<String> {
    let mut out = Vec::new();
    check(doc, schema, value, "$", &mut out);
    out
}

fn resolve<'a>(doc: &'a Json, schema: &'a Json) -> &'a Json {
    match schema.get("$ref").and_then(Json::as_str) {
        Some(r) => doc
            .pointer(r.trim_start_matches('#'))
            .map_or(schema, |s| resolve(doc, s)),
        None => schema,
    }
}

fn type_matches(word: &str, v: &Json) -> bool {
    match word {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "string" => v.is_string(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        _ => true,
    }
}

fn check(doc: &Json, schema: &Json, v: &Json, at: &str, out: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    if let Some(r) = schema.get("$ref") {
        out.push(format!("{at}: unresolved {r}"));
        return;
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema[key].as_array() {
            let fits = options.iter().any(|s| {
                let mut o = Vec::new();
                check(doc, s, v, at, &mut o);
                o.is_empty()
            });
            if !fits {
                out.push(format!("{at}: fits none of {key} ({v})"));
            }
            return;
        }
    }
    if let Some(all) = schema["allOf"].as_array() {
        for s in all {
            check(doc, s, v, at, out);
        }
    }
    let fits_type = match &schema["type"] {
        Json::String(t) => type_matches(t, v),
        Json::Array(ts) => ts
            .iter()
            .filter_map(Json::as_str)
            .any(|t| type_matches(t, v)),
        _ => true,
    };
    if !fits_type {
        let shown: String = v.to_string().chars().take(60).collect();
        out.push(format!("{at}: {shown} is not of type {}", schema["type"]));
        return;
    }
    if let (Some(props), Some(obj)) = (schema["properties"].as_object(), v.as_object()) {
        for name in schema["required"].as_array().into_iter().flatten() {
            if let Some(name) = name.as_str()
                && !obj.contains_key(name)
            {
                out.push(format!("{at}: missing required {name}"));
            }
        }
        for (name, s) in props {
            if let Some(x) = obj.get(name) {
                check(doc, s, x, &format!("{at}.{name}"), out);
            }
        }
    }
    if let (Some(items), Some(list)) = (schema.get("items"), v.as_array()) {
        for (i, x) in list.iter().enumerate().take(5) {
            check(doc, items, x, &format!("{at}[{i}]"), out);
        }
    }
}

#[test]
fn the_checker_finds_what_differs() {
    let doc = serde_json::json!({"components": {"schemas": {"T": {
        "type": "object", "required": ["id", "tags"],
        "properties": {"id": {"type": "integer"}, "name": {"type": ["string", "null"]},
                       "tags": {"type": "array", "items": {"type": "string"}}}
    }}}});
    let schema = serde_json::json!({"$ref": "#/components/schemas/T"});
    let good = serde_json::json!({"id": 1, "name": null, "tags": ["a"]});
    assert!(mismatches(&doc, &schema, &good).is_empty());
    let bad = serde_json::json!({"id": "1", "name": 2, "tags": [3]});
    assert_eq!(
        mismatches(&doc, &schema, &bad).len(),
        3,
        "{:?}",
        mismatches(&doc, &schema, &bad)
    );
    let missing = serde_json::json!({"name": "x"});
    assert_eq!(mismatches(&doc, &schema, &missing).len(), 2);
}
