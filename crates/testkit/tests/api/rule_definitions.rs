//! What rule builders read (`triggers/definitions`, `macros/definitions`,
//! `macros/actions`, atiende's `automations/definitions`): every
//! condition and action described, with the desk's own values, in the
//! caller's language — and every one of them, given its first value, makes
//! a rule the API accepts. Also the lookups such tools make:
//! `users/autocomplete` and `views/show_many`.

use super::*;

/// The definitions under `key` of a definitions answer.
fn listed<'a>(b: &'a Json, key: &str) -> Vec<&'a Json> {
    b["definitions"][key]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

fn by_subject<'a>(defs: &[&'a Json], subject: &str) -> &'a Json {
    defs.iter()
        .find(|d| d["subject"] == subject)
        .copied()
        .unwrap_or_else(|| panic!("no {subject} in {defs:?}"))
}

/// A value a definition accepts: its first listed one, else a word or a
/// number by its type (`""` is "none" for a list with nothing in it).
fn first_value(d: &Json) -> String {
    match (d["values"][0]["value"].as_str(), d["type"].as_str()) {
        (Some(v), _) => v.to_string(),
        (None, Some("number")) => "24".into(),
        (None, Some("list")) => String::new(),
        _ => "vip".into(),
    }
}

/// An action as a rule holds it: the notifications take recipient, subject
/// and body.
fn action(d: &Json) -> Json {
    let subject = d["subject"].as_str().unwrap_or_default();
    let value = first_value(d);
    match subject {
        "notification_user" | "notification_group" => {
            json!({"field": subject, "value": [value, "Asunto", "Cuerpo"]})
        }
        "notification_webhook" => json!({"field": subject, "value": [value, "{}"]}),
        _ => json!({"field": subject, "value": value}),
    }
}

both!(rule_builders_read_what_rules_may_say, |srv| {
    let admin = srv.admin();
    for (path, body) in [
        (
            "/api/v2/groups.json",
            json!({"group": {"name": "Facturación"}}),
        ),
        (
            "/api/v2/ticket_fields.json",
            json!({"ticket_field": {"type": "tagger", "title": "Motivo", "custom_field_options": [{"name": "Devolución", "value": "devolucion"}]}}),
        ),
        (
            "/api/v2/webhooks.json",
            json!({"webhook": {"name": "CRM", "endpoint": "http://127.0.0.1:9/x", "http_method": "POST", "request_format": "json", "status": "active", "subscriptions": ["conditional_ticket_events"]}}),
        ),
    ] {
        let (s, b) = srv.call("POST", path, &admin, Some(body)).await;
        assert_eq!(s, 201, "{path}: {b}");
    }

    let (s, b) = srv.get("/api/v2/triggers/definitions.json", &admin).await;
    assert_eq!(s, 200, "{b}");
    let conditions = listed(&b, "conditions_all");
    assert_eq!(
        b["definitions"]["conditions_all"], b["definitions"]["conditions_any"],
        "{b}"
    );
    let status = by_subject(&conditions, "status");
    assert_eq!(status["title"], "Status", "the admin reads English: {b}");
    assert!(
        status["values"].as_array().is_some_and(|v| v
            .iter()
            .any(|x| x["value"] == "open" && x["title"] == "Open")),
        "{status}"
    );
    let ops: Vec<&str> = status["operators"]
        .as_array()
        .map(|o| o.iter().filter_map(|x| x["value"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        ops.contains(&"changed") && ops.contains(&"less_than"),
        "{ops:?}"
    );
    let group = by_subject(&conditions, "group_id");
    assert!(
        group["values"].to_string().contains("Facturación"),
        "{group}"
    );
    let field = conditions
        .iter()
        .find(|d| d["title"] == "Motivo")
        .unwrap_or_else(|| panic!("the field: {b}"));
    assert_eq!(field["values"][0]["value"], "devolucion", "{field}");
    let actions = listed(&b, "actions");
    let hook = by_subject(&actions, "notification_webhook");
    assert_eq!(hook["values"][0]["title"], "CRM", "{hook}");
    assert!(
        conditions.iter().all(|d| !d["subject"]
            .as_str()
            .unwrap_or_default()
            .starts_with("hours_since")),
        "no time conditions on triggers"
    );

    // Every condition and every action, with its first value, is accepted.
    for (n, c) in conditions.iter().enumerate() {
        let op = c["operators"][0]["value"].clone();
        let cond = json!({"field": c["subject"], "operator": op, "value": first_value(c)});
        let rule = json!({"trigger": {"title": format!("C{n}"), "conditions": {"all": [cond]}, "actions": [{"field": "priority", "value": "high"}]}});
        let (s, r) = srv
            .call("POST", "/api/v2/triggers.json", &admin, Some(rule))
            .await;
        assert_eq!(s, 201, "{cond}: {r}");
    }
    for (n, a) in actions.iter().enumerate() {
        let rule = json!({"trigger": {"title": format!("A{n}"), "conditions": {"all": [{"field": "status", "operator": "is", "value": "new"}]}, "actions": [action(a)]}});
        let (s, r) = srv
            .call("POST", "/api/v2/triggers.json", &admin, Some(rule))
            .await;
        assert_eq!(s, 201, "{}: {r}", action(a));
    }
    let (s, b) = srv
        .get("/api/v2/automations/definitions.json", &admin)
        .await;
    assert_eq!(s, 200, "{b}");
    let conditions = listed(&b, "conditions_all");
    for (n, c) in conditions.iter().enumerate() {
        let op = c["operators"][0]["value"].clone();
        let cond = json!({"field": c["subject"], "operator": op, "value": first_value(c)});
        let hours =
            json!({"field": "hours_since_created", "operator": "greater_than", "value": "48"});
        let rule = json!({"automation": {"title": format!("T{n}"), "conditions": {"all": [cond, hours]}, "actions": [{"field": "status", "value": "solved"}]}});
        let (s, r) = srv
            .call("POST", "/api/v2/automations.json", &admin, Some(rule))
            .await;
        assert_eq!(s, 201, "{cond}: {r}");
    }

    let (s, b) = srv.get("/api/v2/macros/definitions.json", &admin).await;
    assert_eq!(s, 200, "{b}");
    assert!(b["definitions"]["conditions_all"].is_null(), "{b}");
    let actions = listed(&b, "actions");
    assert!(
        actions.iter().all(|a| a["group"] != "notification"),
        "macros send nothing: {b}"
    );
    for (n, a) in actions.iter().enumerate() {
        let rule = json!({"macro": {"title": format!("M{n}"), "actions": [action(a)]}});
        let (s, r) = srv
            .call("POST", "/api/v2/macros.json", &admin, Some(rule))
            .await;
        assert_eq!(s, 201, "{}: {r}", action(a));
    }
    let (s, b) = srv.get("/api/v2/macros/actions.json", &admin).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["actions"].as_array().map(Vec::len), Some(actions.len()));
    assert!(b["actions"][0]["output_key"].is_null(), "{b}");

    // A Spanish-speaking agent reads it in Spanish.
    let (_, agent) = srv
        .user_with_token("Ángela Ruiz", "angela@example.com", "agent")
        .await;
    let (_, me) = srv.get("/api/v2/users/me.json", &agent).await;
    let me = me["user"]["id"].as_i64().unwrap_or_default();
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/users/{me}.json"),
            &admin,
            Some(json!({"user": {"locale": "es"}})),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let (_, b) = srv.get("/api/v2/triggers/definitions.json", &agent).await;
    let status = by_subject(&listed(&b, "conditions_all"), "status");
    assert_eq!(status["title"], "Estado", "{status}");

    // Names as typed, with or without the capital's accent.
    for typed in ["áng", "Áng"] {
        let (s, b) = srv
            .get(
                &format!("/api/v2/users/autocomplete.json?name={typed}"),
                &admin,
            )
            .await;
        assert_eq!(s, 200, "{b}");
        let names: Vec<&str> = b["users"]
            .as_array()
            .map(|u| u.iter().filter_map(|x| x["name"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(names, vec!["Ángela Ruiz"], "{typed}");
    }
    let (s, _) = srv
        .get("/api/v2/users/autocomplete.json?name=a", &admin)
        .await;
    assert_eq!(s, 422, "two letters at least");

    let mut views = vec![];
    for title in ["Abiertos", "Pendientes"] {
        let (s, b) = srv
            .call(
                "POST",
                "/api/v2/views.json",
                &admin,
                Some(json!({"view": {"title": title, "all": [{"field": "status", "operator": "is", "value": "open"}]}})),
            )
            .await;
        assert_eq!(s, 201, "{b}");
        views.push(b["view"]["id"].as_i64().unwrap_or_default());
    }
    let (s, b) = srv
        .get(
            &format!(
                "/api/v2/views/show_many.json?ids={},{},999999",
                views[1], views[0]
            ),
            &admin,
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let mut got: Vec<i64> = b["views"]
        .as_array()
        .map(|v| v.iter().filter_map(|x| x["id"].as_i64()).collect())
        .unwrap_or_default();
    got.sort_unstable();
    assert_eq!(got, views, "{b}");
});
