//! The streams data tools read that atiende derives or records beside
//! tickets: ticket metric events, skips, the agents' activity stream,
//! roles and the admins' audit log.

use super::*;
use std::collections::BTreeSet;

/// `next` as a path and query on our server.
fn local(base: &str, next: &str) -> String {
    next.strip_prefix(base).unwrap_or(next).to_string()
}

/// A customer's request, answered, waited on, written to again and solved.
async fn answered_request(srv: &TestServer) -> i64 {
    let (_, ana) = srv
        .user_with_token("Ana", "ana@metricas.test", "end-user")
        .await;
    let (s, r) = srv
        .call(
            "POST",
            "/api/v2/requests.json",
            &ana,
            Some(json!({"request": {"subject": "No arranca", "comment": {"body": "El equipo no enciende"}}})),
        )
        .await;
    assert_eq!(s, 201, "{r}");
    let id = r["request"]["id"].as_i64().unwrap_or_default();
    let put = |body: Json| {
        let path = format!("/api/v2/tickets/{id}.json");
        async move {
            let (s, b) = srv.call("PUT", &path, &srv.admin(), Some(body)).await;
            assert_eq!(s, 200, "{b}");
        }
    };
    put(json!({"ticket": {"status": "pending", "comment": {"body": "¿Lo ha enchufado?", "public": true}}})).await;
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/requests/{id}.json"),
            &ana,
            Some(json!({"request": {"comment": {"body": "Sí, y nada"}}})),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    put(json!({"ticket": {"status": "solved", "comment": {"body": "Le enviamos otro", "public": true}}})).await;
    id
}

both!(ticket_metric_events_replay_each_clock, |srv| {
    let id = answered_request(&srv).await;
    let (s, all) = srv
        .get(
            "/api/v2/incremental/ticket_metric_events.json?start_time=0",
            &srv.admin(),
        )
        .await;
    assert_eq!(s, 200, "{all}");
    assert_eq!(all["end_of_stream"], true);
    let events = all["ticket_metric_events"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let of = |metric: &str| -> Vec<(String, i64)> {
        events
            .iter()
            .filter(|e| e["ticket_id"] == id && e["metric"] == metric)
            .map(|e| {
                (
                    e["type"].as_str().unwrap_or("").to_string(),
                    e["instance_id"].as_i64().unwrap_or(0),
                )
            })
            .collect()
    };
    let pairs = |v: &[(&str, i64)]| -> Vec<(String, i64)> {
        v.iter().map(|(k, n)| (k.to_string(), *n)).collect()
    };
    assert_eq!(
        of("reply_time"),
        pairs(&[
            ("activate", 1),
            ("fulfill", 1),
            ("activate", 2),
            ("fulfill", 2)
        ]),
        "{all}"
    );
    assert_eq!(
        of("agent_work_time"),
        pairs(&[
            ("activate", 1),
            ("pause", 1),
            ("activate", 1),
            ("fulfill", 1)
        ])
    );
    assert_eq!(
        of("resolution_time"),
        pairs(&[("activate", 1), ("fulfill", 1)])
    );
    assert!(
        events
            .iter()
            .all(|e| e["time"].as_str().is_some_and(|t| t.ends_with('Z')))
    );

    // One event per page, by the cursor links a sync follows: each once.
    let mut seen = Vec::new();
    let mut url =
        "/api/v2/incremental/ticket_metric_events.json?start_time=0&page%5Bsize%5D=1".to_string();
    for _ in 0..200 {
        let (s, b) = srv.get(&url, &srv.admin()).await;
        assert_eq!(s, 200, "{b}");
        seen.extend(
            b["ticket_metric_events"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|e| e["id"].as_i64().unwrap_or(0)),
        );
        if b["meta"]["has_more"] == false {
            break;
        }
        url = local(&srv.base, b["links"]["next"].as_str().unwrap_or_default());
    }
    let once: BTreeSet<i64> = seen.iter().copied().collect();
    assert_eq!(once.len(), seen.len(), "an event twice: {seen:?}");
    let whole: BTreeSet<i64> = events
        .iter()
        .map(|e| e["id"].as_i64().unwrap_or(0))
        .collect();
    assert_eq!(once, whole);
    // Agents may not export.
    let (_, agent) = srv
        .user_with_token("Eva", "eva@metricas.test", "agent")
        .await;
    let (s, _) = srv
        .get(
            "/api/v2/incremental/ticket_metric_events.json?start_time=0",
            &agent,
        )
        .await;
    assert_eq!(s, 403);
});

both!(skips_are_recorded_and_listed_by_whose_they_are, |srv| {
    let (eva_id, eva) = srv.user_with_token("Eva", "eva@skips.test", "agent").await;
    let (_, leo) = srv.user_with_token("Leo", "leo@skips.test", "agent").await;
    let t = new_ticket(
        &srv,
        json!({"subject": "En alemán", "comment": {"body": "Hallo"}}),
    )
    .await;
    let id = t["id"].as_i64().unwrap_or_default();
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/skips.json",
            &eva,
            Some(json!({"skip": {"ticket_id": id, "reason": "  No hablo alemán  "}})),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["skip"]["reason"], "No hablo alemán");
    assert_eq!(b["skip"]["user_id"], eva_id);
    assert_eq!(b["skip"]["ticket"]["id"], id);
    let (s, _) = srv
        .call(
            "POST",
            "/api/v2/skips.json",
            &leo,
            Some(json!({"skip": {"ticket_id": id.to_string()}})),
        )
        .await;
    assert_eq!(s, 201);
    // An unknown ticket, or none, is refused with a reason.
    let (s, _) = srv
        .call(
            "POST",
            "/api/v2/skips.json",
            &leo,
            Some(json!({"skip": {"ticket_id": 999_999}})),
        )
        .await;
    assert_eq!(s, 404);
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/skips.json",
            &leo,
            Some(json!({"skip": {"reason": "x"}})),
        )
        .await;
    assert_eq!(s, 400, "{b}");
    let count = |b: &Json| b["skips"].as_array().map_or(0, Vec::len);
    // Admins read everyone's; an agent reads their own, not another's.
    let (_, all) = srv.get("/api/v2/skips.json", &srv.admin()).await;
    assert_eq!(count(&all), 2, "{all}");
    let (_, own) = srv.get("/api/v2/skips.json", &eva).await;
    assert_eq!(count(&own), 1);
    let (s, _) = srv
        .get(&format!("/api/v2/users/{eva_id}/skips.json"), &leo)
        .await;
    assert_eq!(s, 403);
    let (_, hers) = srv
        .get(&format!("/api/v2/users/{eva_id}/skips.json"), &srv.admin())
        .await;
    assert_eq!(count(&hers), 1);
    let (_, of) = srv
        .get(&format!("/api/v2/tickets/{id}/skips.json"), &leo)
        .await;
    assert_eq!(count(&of), 2);
    // Cursor pages, one at a time.
    let (_, first) = srv
        .get("/api/v2/skips.json?page%5Bsize%5D=1", &srv.admin())
        .await;
    assert_eq!(
        (count(&first), &first["meta"]["has_more"]),
        (1, &json!(true)),
        "{first}"
    );
    let (_, second) = srv
        .get(
            &local(
                &srv.base,
                first["links"]["next"].as_str().unwrap_or_default(),
            ),
            &srv.admin(),
        )
        .await;
    assert_eq!(
        (count(&second), &second["meta"]["has_more"]),
        (1, &json!(false)),
        "{second}"
    );
    // Customers may not.
    let (_, ana) = srv
        .user_with_token("Ana", "ana@skips.test", "end-user")
        .await;
    let (s, _) = srv.get("/api/v2/skips.json", &ana).await;
    assert_eq!(s, 403);
});

both!(the_activity_stream_tells_an_agent_what_others_did, |srv| {
    let (eva_id, eva) = srv
        .user_with_token("Eva", "eva@actividad.test", "agent")
        .await;
    srv.call(
        "PUT",
        &format!("/api/v2/users/{eva_id}.json"),
        &srv.admin(),
        Some(json!({"user": {"locale": "en-US"}})),
    )
    .await;
    let t = new_ticket(&srv, json!({"subject": "Factura duplicada", "priority": "normal", "comment": {"body": "Me cobraron dos veces"}})).await;
    let id = t["id"].as_i64().unwrap_or_default();
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{id}.json"),
            &srv.admin(),
            Some(json!({"ticket": {"assignee_id": eva_id, "priority": "urgent"}})),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    // Eva's own reply is not news to her; the admin's note is.
    srv.call(
        "PUT",
        &format!("/api/v2/tickets/{id}.json"),
        &eva,
        Some(json!({"ticket": {"comment": {"body": "Lo reviso", "public": true}}})),
    )
    .await;
    srv.call(
        "PUT",
        &format!("/api/v2/tickets/{id}.json"),
        &srv.admin(),
        Some(json!({"ticket": {"comment": {"body": "Es cliente VIP", "public": false}}})),
    )
    .await;
    let (s, b) = srv.get("/api/v2/activities.json", &eva).await;
    assert_eq!(s, 200, "{b}");
    let verbs: Vec<&str> = b["activities"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["verb"].as_str())
        .collect();
    assert_eq!(
        verbs,
        // Newest first; in one audit, the later verb first.
        [
            "tickets.comment",
            "tickets.priority_increase",
            "tickets.assignment"
        ],
        "{b}"
    );
    let first = &b["activities"][0];
    assert_eq!(first["user_id"], eva_id);
    assert_eq!(first["object"]["ticket"]["subject"], "Factura duplicada");
    assert!(
        first["title"]
            .as_str()
            .is_some_and(|t| t.ends_with(&format!("commented on ticket #{id}."))),
        "{first}"
    );
    let one = first["id"].as_i64().unwrap_or_default();
    let (s, shown) = srv
        .get(&format!("/api/v2/activities/{one}.json"), &eva)
        .await;
    assert_eq!((s, &shown["activity"]["id"]), (200, &json!(one)));
    let (_, n) = srv.get("/api/v2/activities/count.json", &eva).await;
    assert_eq!(n["count"]["value"], 3);
    // Someone else's are not found; the admin has none of their own.
    let (s, _) = srv
        .get(&format!("/api/v2/activities/{one}.json"), &srv.admin())
        .await;
    assert_eq!(s, 404);
    let (_, none) = srv.get("/api/v2/activities.json", &srv.admin()).await;
    assert_eq!(none["activities"], json!([]));
    // A bad `since` is a clear 400; a future one leaves nothing.
    let (s, _) = srv.get("/api/v2/activities.json?since=ayer", &eva).await;
    assert_eq!(s, 400);
    let (_, later) = srv
        .get("/api/v2/activities.json?since=2099-01-01T00:00:00Z", &eva)
        .await;
    assert_eq!(later["activities"], json!([]));
});

both!(staff_roles_say_what_each_may_do, |srv| {
    let (eva_id, eva) = srv.user_with_token("Eva", "eva@roles.test", "agent").await;
    srv.call(
        "PUT",
        &format!("/api/v2/users/{eva_id}.json"),
        &srv.admin(),
        Some(json!({"user": {"locale": "es"}})),
    )
    .await;
    let (s, b) = srv.get("/api/v2/custom_roles.json", &eva).await;
    assert_eq!(s, 200, "{b}");
    let roles = b["custom_roles"].as_array().cloned().unwrap_or_default();
    let named: Vec<(i64, i64)> = roles
        .iter()
        .map(|r| {
            (
                r["id"].as_i64().unwrap_or(0),
                r["team_member_count"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    // The admin and Eva.
    assert_eq!(named, [(1, 1), (2, 1), (3, 0)], "{b}");
    // In Eva's language; what each may do comes from the same checks.
    assert_eq!(roles[1]["name"], "Agente");
    assert_eq!(roles[0]["configuration"]["manage_triggers"], true);
    assert_eq!(roles[1]["configuration"]["manage_triggers"], false);
    assert_eq!(roles[2]["configuration"]["ticket_access"], "within-groups");
    let (s, one) = srv.get("/api/v2/custom_roles/3.json", &srv.admin()).await;
    assert_eq!((s, &one["custom_role"]["role_type"]), (200, &json!(0)));
    let (s, _) = srv.get("/api/v2/custom_roles/9.json", &srv.admin()).await;
    assert_eq!(s, 404);
});
