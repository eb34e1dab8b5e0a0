//! Skills-based routing through the API: the most capable available agent
//! gets the case with the reason on the ticket; nobody qualifying means
//! waiting, until someone does; capacity is never exceeded; optional skills
//! drop and cases escalate as they wait; an agent going offline has their
//! untouched cases re-routed; triggers can add skills and route.

use super::*;
use domain::Timestamp;

pub(super) async fn call_ok(
    srv: &TestServer,
    method: &str,
    path: &str,
    auth: &Auth,
    body: Json,
) -> Json {
    let (s, b) = srv.call(method, path, auth, Some(body)).await;
    assert!((200..300).contains(&s), "{method} {path}: {s} {b}");
    b
}

/// A new routing attribute (a kind of skill); its id.
async fn new_attribute(srv: &TestServer, name: &str) -> String {
    let a = call_ok(
        srv,
        "POST",
        "/api/v2/routing/attributes.json",
        &srv.admin(),
        json!({"attribute": {"name": name}}),
    )
    .await;
    a["attribute"]["id"].as_str().unwrap_or("").to_string()
}

/// A new value (a skill) of attribute `attribute`; its id.
async fn new_value(srv: &TestServer, attribute: &str, name: &str) -> String {
    let v = call_ok(
        srv,
        "POST",
        &format!("/api/v2/routing/attributes/{attribute}/values.json"),
        &srv.admin(),
        json!({"attribute_value": {"name": name}}),
    )
    .await;
    v["attribute_value"]["id"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

async fn ticket(srv: &TestServer, id: i64) -> Json {
    srv.get(&format!("/api/v2/tickets/{id}.json"), &srv.admin())
        .await
        .1["ticket"]
        .clone()
}

async fn routing_events(srv: &TestServer, id: i64) -> Vec<String> {
    let (_, a) = srv
        .get(&format!("/api/v2/tickets/{id}/audits.json"), &srv.admin())
        .await;
    a["audits"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|a| a["events"].as_array().cloned().unwrap_or_default())
        .filter(|e| e["type"] == "Routing")
        .filter_map(|e| e["value"].as_str().map(str::to_string))
        .collect()
}

both!(cases_go_to_the_most_capable_available_agent, |srv| {
    let admin = srv.admin();
    let pid = new_attribute(&srv, "Producto").await;
    let billing = new_value(&srv, &pid, "billing").await;
    let tech = new_value(&srv, &pid, "technical").await;

    let (ana, ana_auth) = srv.user_with_token("Ana", "ana@example.com", "agent").await;
    let (bea, bea_auth) = srv.user_with_token("Bea", "bea@example.com", "agent").await;
    let (carlos, _) = srv
        .user_with_token("Carlos", "carlos@example.com", "agent")
        .await;
    // Ana: billing 4, Spanish, 2 email cases. Bea: technical 3, English.
    // Carlos: billing 5 but offline.
    call_ok(
        &srv,
        "POST",
        &format!("/api/v2/routing/agents/{ana}/instance_values.json"),
        &admin,
        json!({"attribute_values": [{"id": billing, "level": 4}]}),
    )
    .await;
    call_ok(
        &srv,
        "POST",
        &format!("/api/v2/routing/agents/{bea}/instance_values.json"),
        &admin,
        json!({"attribute_values": [{"id": tech, "level": 3}]}),
    )
    .await;
    call_ok(
        &srv,
        "POST",
        &format!("/api/v2/routing/agents/{carlos}/instance_values.json"),
        &admin,
        json!({"attribute_values": [{"id": billing, "level": 5}]}),
    )
    .await;
    call_ok(
        &srv,
        "PUT",
        &format!("/api/v2/routing/agents/{ana}/profile.json"),
        &admin,
        json!({"routing_profile": {"languages": ["es"], "capacity": {"email": 2}}}),
    )
    .await;
    call_ok(
        &srv,
        "PUT",
        &format!("/api/v2/routing/agents/{bea}/profile.json"),
        &admin,
        json!({"routing_profile": {"languages": ["en"]}}),
    )
    .await;
    call_ok(
        &srv,
        "PUT",
        &format!("/api/v2/routing/agents/{carlos}/profile.json"),
        &admin,
        json!({"routing_profile": {"languages": ["es"]}}),
    )
    .await;
    // Agents set their own presence, not their capacity.
    call_ok(
        &srv,
        "PUT",
        &format!("/api/v2/routing/agents/{ana}/profile.json"),
        &ana_auth,
        json!({"routing_profile": {"presence": "online"}}),
    )
    .await;
    call_ok(
        &srv,
        "PUT",
        &format!("/api/v2/routing/agents/{bea}/profile.json"),
        &bea_auth,
        json!({"routing_profile": {"presence": {"email": "online"}}}),
    )
    .await;
    let (s, _) = srv
        .call(
            "PUT",
            &format!("/api/v2/routing/agents/{ana}/profile.json"),
            &ana_auth,
            Some(json!({"routing_profile": {"capacity": {"email": 50}}})),
        )
        .await;
    assert_eq!(s, 403);
    let (s, _) = srv
        .call(
            "PUT",
            &format!("/api/v2/routing/agents/{bea}/profile.json"),
            &ana_auth,
            Some(json!({"routing_profile": {"presence": "offline"}})),
        )
        .await;
    assert_eq!(s, 403, "not someone else's presence");
    call_ok(&srv, "PUT", "/api/v2/routing/settings.json", &admin, json!({"routing_settings": {"enabled": true, "drop_optional_after_minutes": 30, "escalate_after_minutes": 60}})).await;

    // A trigger reads the case and says what it needs.
    call_ok(&srv, "POST", "/api/v2/triggers.json", &admin, json!({"trigger": {"title": "Facturas a billing",
        "conditions": {"all": [{"field": "update_type", "operator": "is", "value": "Create"}, {"field": "comment_includes_word", "operator": "includes", "value": "factura"}]},
        "actions": [{"field": "add_skills", "value": format!("{billing}:3")}]}})).await;
    let (_, customer) = srv
        .user_with_token("Lucía", "lucia@example.com", "end-user")
        .await;
    let create = |body: &str| json!({"ticket": {"subject": "Consulta", "comment": {"body": body}}});
    let first = call_ok(
        &srv,
        "POST",
        "/api/v2/tickets.json",
        &customer,
        create("Hola, la factura de diciembre está mal y quiero que la revisen"),
    )
    .await;
    // The create response already shows whom routing chose.
    assert_eq!(first["ticket"]["assignee_id"], ana, "{first}");
    let first = first["ticket"]["id"].as_i64().unwrap_or_default();
    assert_eq!(
        ticket(&srv, first).await["assignee_id"],
        ana,
        "Ana: billing, Spanish, online, capacity left"
    );
    // The decision and its reason are in the ticket's timeline, by atiende.
    let mut b = super::workspace::Browser::new(&srv.base);
    b.sign_in("admin@example.com", "admin-password-1").await;
    let page = b.get(&format!("/agent/tickets/{first}")).await;
    assert!(
        page.body
            .contains("Routing: assigned to Ana: billing ≥ 3, speaks es"),
        "timeline shows the routing reason"
    );
    assert!(
        page.body.contains("<strong>atiende</strong>"),
        "decided by atiende"
    );
    let why = routing_events(&srv, first).await;
    assert!(
        why.iter()
            .any(|w| w.starts_with("assigned to Ana: billing ≥ 3, speaks es, 0/2 email")),
        "{why:?}"
    );

    // A technical case in Spanish waits (Bea speaks only English), with
    // the reason on the ticket.
    call_ok(&srv, "POST", "/api/v2/triggers.json", &admin, json!({"trigger": {"title": "App a técnicos",
        "conditions": {"all": [{"field": "update_type", "operator": "is", "value": "Create"}, {"field": "comment_includes_word", "operator": "includes", "value": "aplicación"}]},
        "actions": [{"field": "add_skills", "value": format!("{tech}:2")}]}})).await;
    let second = call_ok(
        &srv,
        "POST",
        "/api/v2/tickets.json",
        &customer,
        create("La aplicación no arranca desde la actualización"),
    )
    .await;
    let second = second["ticket"]["id"].as_i64().unwrap_or_default();
    let (_, needs) = srv
        .get(
            &format!("/api/v2/routing/tickets/{second}/instance_values.json"),
            &admin,
        )
        .await;
    assert_eq!(
        (
            needs["attribute_values"][0]["name"].as_str(),
            needs["attribute_values"][0]["level"].as_i64()
        ),
        (Some("technical"), Some(2)),
        "{needs}"
    );
    assert!(ticket(&srv, second).await["assignee_id"].is_null());
    let why = routing_events(&srv, second).await;
    assert!(
        why.iter().any(|w| w.starts_with(
            "waiting in the queue: none of 2 available agents has technical ≥ 2, speaks es"
        )),
        "{why:?}"
    );
    let (_, q) = srv.get("/api/v2/routing/queue.json", &admin).await;
    assert!(
        q["queue"]
            .as_array()
            .is_some_and(|a| a.iter().any(|r| r["ticket_id"] == second)),
        "{q}"
    );
    // Bea learns Spanish: the next queue pass gives her the case.
    call_ok(
        &srv,
        "PUT",
        &format!("/api/v2/routing/agents/{bea}/profile.json"),
        &admin,
        json!({"routing_profile": {"languages": ["en", "es"]}}),
    )
    .await;
    // The queue pass writes like everyone else: triggers see its assignment.
    call_ok(
        &srv,
        "POST",
        "/api/v2/triggers.json",
        &admin,
        json!({"trigger": {"title": "Marca lo asignado",
        "conditions": {"all": [{"field": "assignee_id", "operator": "changed"}]},
        "actions": [{"field": "set_tags", "value": "asignado"}]}}),
    )
    .await;
    assert_eq!(srv.app.routing_pass().await.unwrap_or(0), 1);
    let routed = ticket(&srv, second).await;
    assert_eq!(routed["assignee_id"], bea);
    assert!(
        routed["tags"]
            .as_array()
            .is_some_and(|t| t.iter().any(|t| t == "asignado")),
        "a trigger fired on the queue pass's assignment: {routed}"
    );

    // Capacity: Ana holds 2 email cases at most; the third billing case waits.
    let third = call_ok(
        &srv,
        "POST",
        "/api/v2/tickets.json",
        &customer,
        create("Otra factura duplicada"),
    )
    .await;
    let third = third["ticket"]["id"].as_i64().unwrap_or_default();
    assert_eq!(ticket(&srv, third).await["assignee_id"], ana);
    let fourth = call_ok(
        &srv,
        "POST",
        "/api/v2/tickets.json",
        &customer,
        create("Y una tercera factura"),
    )
    .await;
    let fourth = fourth["ticket"]["id"].as_i64().unwrap_or_default();
    assert!(
        ticket(&srv, fourth).await["assignee_id"].is_null(),
        "Ana is at capacity, Carlos offline"
    );
    // Ana solves one: capacity frees, the waiting case is hers on the next pass.
    call_ok(
        &srv,
        "PUT",
        &format!("/api/v2/tickets/{first}.json"),
        &ana_auth,
        json!({"ticket": {"status": "solved", "comment": {"body": "Corregida."}}}),
    )
    .await;
    srv.app.routing_pass().await.unwrap_or(0);
    assert_eq!(ticket(&srv, fourth).await["assignee_id"], ana);

    // Ana goes offline without touching her newest case: it is re-routed
    // (nobody else qualifies online, so it waits); the one she acted on stays.
    call_ok(
        &srv,
        "PUT",
        &format!("/api/v2/tickets/{third}.json"),
        &ana_auth,
        json!({"ticket": {"comment": {"body": "Lo miro.", "public": false}}}),
    )
    .await;
    call_ok(
        &srv,
        "PUT",
        &format!("/api/v2/routing/agents/{ana}/profile.json"),
        &ana_auth,
        json!({"routing_profile": {"presence": "offline"}}),
    )
    .await;
    srv.app.routing_pass().await.unwrap_or(0);
    assert!(
        ticket(&srv, fourth).await["assignee_id"].is_null(),
        "re-routed"
    );
    assert!(
        routing_events(&srv, fourth)
            .await
            .iter()
            .any(|w| w.contains("re-routing: the agent is no longer online"))
    );
    assert_eq!(
        ticket(&srv, third).await["assignee_id"],
        ana,
        "acted on: stays"
    );

    // Waiting too long: escalate to the escalation group, whose agent takes
    // it (the clock jumps an hour; idle agents stay online that long here).
    let (_, g1) = srv
        .call(
            "POST",
            "/api/v2/groups.json",
            &admin,
            Some(json!({"group": {"name": "Primer nivel"}})),
        )
        .await;
    let (_, g2) = srv
        .call(
            "POST",
            "/api/v2/groups.json",
            &admin,
            Some(json!({"group": {"name": "Expertos"}})),
        )
        .await;
    let (g1, g2) = (
        g1["group"]["id"].as_i64().unwrap_or_default(),
        g2["group"]["id"].as_i64().unwrap_or_default(),
    );
    call_ok(
        &srv,
        "POST",
        "/api/v2/group_memberships.json",
        &admin,
        json!({"group_membership": {"user_id": carlos, "group_id": g2}}),
    )
    .await;
    call_ok(&srv, "PUT", "/api/v2/routing/settings.json", &admin, json!({"routing_settings": {"escalation_groups": {g1.to_string(): g2}, "away_after_idle_minutes": 600}})).await;
    call_ok(
        &srv,
        "PUT",
        &format!("/api/v2/tickets/{fourth}.json"),
        &admin,
        json!({"ticket": {"group_id": g1}}),
    )
    .await;
    call_ok(
        &srv,
        "PUT",
        &format!("/api/v2/routing/agents/{carlos}/profile.json"),
        &admin,
        json!({"routing_profile": {"presence": "online"}}),
    )
    .await;
    srv.app
        .routing_pass_at(Timestamp(Timestamp::now().0 + 61 * 60))
        .await
        .unwrap_or(0);
    let t = ticket(&srv, fourth).await;
    assert_eq!(
        (t["group_id"].as_i64(), t["assignee_id"].as_i64()),
        (Some(g2), Some(carlos)),
        "{t}"
    );
    assert!(
        routing_events(&srv, fourth)
            .await
            .iter()
            .any(|w| w.starts_with("escalated after waiting"))
    );

    // requirements/fulfilled: Carlos has billing ≥ 3 for the fourth case.
    let (_, f) = srv
        .get(
            &format!("/api/v2/routing/requirements/fulfilled.json?ticket_ids={first},{second}"),
            &bea_auth,
        )
        .await;
    assert_eq!(
        f["fulfilled_ticket_ids"],
        json!([second]),
        "Bea has technical, not billing"
    );
    // End-users see none of it.
    let (s, _) = srv.get("/api/v2/routing/queue.json", &customer).await;
    assert_eq!(s, 403);
});

both!(
    bad_routing_and_sla_input_is_refused_and_nothing_changes,
    |srv| {
        let admin = srv.admin();
        let aid = new_attribute(&srv, "Producto").await;
        let vid = new_value(&srv, &aid, "billing").await;
        let (ana, ana_auth) = srv.user_with_token("Ana", "ana@example.com", "agent").await;
        let skills = format!("/api/v2/routing/agents/{ana}/instance_values.json");
        call_ok(
            &srv,
            "POST",
            &skills,
            &admin,
            json!({"attribute_values": [{"id": vid, "level": 3}]}),
        )
        .await;

        // Levels outside 1–5, of the wrong type, or values that do not exist.
        for bad in [
            json!({"attribute_values": [{"id": vid, "level": 9}]}),
            json!({"attribute_values": [{"id": vid, "level": -1}]}),
            json!({"attribute_values": [{"id": vid, "level": "alto"}]}),
            json!({"attribute_values": [{"id": vid, "level": 0}]}),
            json!({"attribute_value_ids": ["no-such-value"]}),
        ] {
            let (s, b) = srv.call("POST", &skills, &admin, Some(bad.clone())).await;
            assert_eq!(s, 422, "{bad}: {b}");
            assert!(b["details"].is_object(), "Zendesk-style details: {b}");
        }
        let (_, kept) = srv.get(&skills, &admin).await;
        assert_eq!(
            kept["attribute_values"][0]["level"], 3,
            "the skill is unchanged: {kept}"
        );

        // A profile with a language that is not a code, or a schedule that
        // does not exist.
        let profile = format!("/api/v2/routing/agents/{ana}/profile.json");
        for bad in [
            json!({"routing_profile": {"languages": ["es", "klingon"]}}),
            json!({"routing_profile": {"schedule_id": 999999}}),
            json!({"routing_profile": {"capacity": {"email": -3}}}),
            json!({"routing_profile": {"presence": "dormido"}}),
        ] {
            let (s, b) = srv.call("PUT", &profile, &admin, Some(bad.clone())).await;
            assert_eq!(s, 422, "{bad}: {b}");
        }
        let (_, p) = srv.get(&profile, &admin).await;
        assert_eq!(p["routing_profile"]["languages"], json!([]), "{p}");
        assert!(p["routing_profile"]["schedule_id"].is_null(), "{p}");

        // Settings: negative minutes, escalation to a group that does not
        // exist, a wrong type; agents may not change them at all.
        let settings = "/api/v2/routing/settings.json";
        for bad in [
            json!({"routing_settings": {"enabled": true, "escalate_after_minutes": -5}}),
            json!({"routing_settings": {"enabled": true, "escalation_groups": {"999999": 1}}}),
            json!({"routing_settings": {"enabled": true, "escalation_groups": {"ventas": 1}}}),
            json!({"routing_settings": {"enabled": "sí"}}),
        ] {
            let (s, b) = srv.call("PUT", settings, &admin, Some(bad.clone())).await;
            assert_eq!(s, 422, "{bad}: {b}");
            assert!(b["details"].is_object(), "{b}");
        }
        let (s, _) = srv
            .call(
                "PUT",
                settings,
                &ana_auth,
                Some(json!({"routing_settings": {"enabled": true}})),
            )
            .await;
        assert_eq!(s, 403);
        let (_, now) = srv.get(settings, &admin).await;
        assert_eq!(now["routing_settings"]["enabled"], false, "{now}");
        assert_eq!(now["routing_settings"]["escalate_after_minutes"], 60);

        // SLA targets: an unknown metric, a target that is not a positive
        // number of minutes, a priority that does not exist.
        for metrics in [
            json!([{"metric": "first_smile_time", "target": 60}]),
            json!([{"metric": "first_reply_time", "target": -60}]),
            json!([{"metric": "first_reply_time", "target": "una hora"}]),
            json!([{"priority": "muy alta", "metric": "first_reply_time", "target": 60}]),
        ] {
            let (s, b) = srv
                .call(
                    "POST",
                    "/api/v2/slas/policies.json",
                    &admin,
                    Some(json!({"sla_policy": {"title": "x", "policy_metrics": metrics}})),
                )
                .await;
            assert_eq!(s, 422, "{metrics}: {b}");
        }
        // A policy on business hours of a schedule that does not exist.
        let (s, b) = srv.call("POST", "/api/v2/slas/policies.json", &admin, Some(json!({"sla_policy": {"title": "x", "schedule_id": 999999,
            "policy_metrics": [{"metric": "first_reply_time", "target": 60, "business_hours": true}]}}))).await;
        assert_eq!(s, 422, "{b}");
        assert!(b.to_string().contains("schedule_id"), "{b}");
        // A webhook in a format atiende does not send.
        let (s, b) = srv
            .call(
                "POST",
                "/api/v2/webhooks",
                &admin,
                Some(
                    json!({"webhook": {"name": "CRM", "endpoint": "http://127.0.0.1:9/h",
            "http_method": "POST", "request_format": "xml", "status": "active"}}),
                ),
            )
            .await;
        assert_eq!(s, 422, "{b}");
        let (_, policies) = srv.get("/api/v2/slas/policies.json", &admin).await;
        assert_eq!(
            policies["sla_policies"].as_array().map(Vec::len),
            Some(0),
            "{policies}"
        );
    }
);
