//! The streams data tools read that atiende derives or records beside
//! tickets: ticket metric events, skips, the agents' activity stream,
//! roles and the admins' audit log.

use super::*;
use std::collections::BTreeSet;

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

both!(readers_comment_on_articles_and_vote_on_comments, |srv| {
    let admin = srv.admin();
    let article = new_article(&srv, "Cambiar la contraseña", "<p>Pulse en Perfil.</p>").await;
    let comments = format!("/api/v2/help_center/articles/{article}/comments.json");
    let (ana_id, ana) = srv
        .user_with_token("Ana", "ana@comentarios.test", "end-user")
        .await;
    let (_, bea) = srv
        .user_with_token("Bea", "bea@comentarios.test", "end-user")
        .await;
    // A reader comments; the script is gone, the text stays.
    let (s, b) = srv
        .call(
            "POST",
            &comments,
            &ana,
            Some(json!({"comment": {"body": "<p>¿Y en el móvil?</p><script>alert(1)</script>"}})),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let id = b["comment"]["id"].as_i64().unwrap_or_default();
    assert_eq!(b["comment"]["author_id"], ana_id);
    assert_eq!(b["comment"]["source_type"], "Article");
    assert!(
        !b["comment"]["body"]
            .as_str()
            .unwrap_or("")
            .contains("script"),
        "{b}"
    );
    // Nothing to say, or no one signed in: refused with a reason.
    let (s, _) = srv
        .call(
            "POST",
            &comments,
            &ana,
            Some(json!({"comment": {"body": "<p> </p>"}})),
        )
        .await;
    assert_eq!(s, 422);
    let (s, _) = srv
        .call(
            "POST",
            &comments,
            &atiende_testkit::Auth::None,
            Some(json!({"comment": {"body": "x"}})),
        )
        .await;
    assert_eq!(s, 401);
    // Anyone reads them on a public article, without credentials.
    let (s, list) = srv.get(&comments, &atiende_testkit::Auth::None).await;
    assert_eq!(
        (s, list["comments"].as_array().map(Vec::len)),
        (200, Some(1)),
        "{list}"
    );
    // Another reader may not change it; the author and agents may.
    let one = format!("/api/v2/help_center/articles/{article}/comments/{id}.json");
    let (s, _) = srv
        .call(
            "PUT",
            &one,
            &bea,
            Some(json!({"comment": {"body": "spam"}})),
        )
        .await;
    assert_eq!(s, 403);
    let (s, b) = srv
        .call(
            "PUT",
            &one,
            &admin,
            Some(json!({"comment": {"body": "<p>¿Y desde el móvil?</p>"}})),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["comment"]["non_author_editor_id"], 1);
    // Votes: one per reader, the last one counts.
    let up = format!("/api/v2/help_center/articles/{article}/comments/{id}/up.json");
    let down = format!("/api/v2/help_center/articles/{article}/comments/{id}/down.json");
    assert_eq!(srv.call("POST", &up, &bea, None).await.0, 200);
    assert_eq!(srv.call("POST", &down, &bea, None).await.0, 200);
    assert_eq!(srv.call("POST", &up, &ana, None).await.0, 200);
    let (_, shown) = srv.get(&one, &bea).await;
    assert_eq!(
        (
            &shown["comment"]["vote_sum"],
            &shown["comment"]["vote_count"]
        ),
        (&json!(0), &json!(2)),
        "{shown}"
    );
    let (s, votes) = srv
        .get(
            &format!("/api/v2/help_center/articles/{article}/comments/{id}/votes.json"),
            &admin,
        )
        .await;
    assert_eq!(
        (s, votes["votes"].as_array().map(Vec::len)),
        (200, Some(2)),
        "{votes}"
    );
    assert_eq!(votes["votes"][0]["item_type"], "Comment");
    // A person's comments: theirs to read, and staff's.
    let (s, mine) = srv
        .get(
            &format!("/api/v2/help_center/users/{ana_id}/comments.json"),
            &ana,
        )
        .await;
    assert_eq!(
        (s, mine["comments"].as_array().map(Vec::len)),
        (200, Some(1))
    );
    let (s, _) = srv
        .get(
            &format!("/api/v2/help_center/users/{ana_id}/comments.json"),
            &bea,
        )
        .await;
    assert_eq!(s, 404);
    // Turned off: no more comments.
    srv.call(
        "PUT",
        &format!("/api/v2/help_center/articles/{article}.json"),
        &admin,
        Some(json!({"article": {"comments_disabled": true}})),
    )
    .await;
    let (s, _) = srv
        .call(
            "POST",
            &comments,
            &bea,
            Some(json!({"comment": {"body": "otra"}})),
        )
        .await;
    assert_eq!(s, 403);
    // The author deletes it, votes and all.
    assert_eq!(srv.call("DELETE", &one, &ana, None).await.0, 204);
    let (_, list) = srv.get(&comments, &admin).await;
    assert_eq!(list["comments"], json!([]));
});

both!(ticket_audits_page_by_the_older_cursors_too, |srv| {
    answered_request(&srv).await;
    answered_request_again(&srv).await;
    // Newest first, `limit` at a time, older by `before_url` until none.
    let mut seen = Vec::new();
    let mut url = "/api/v2/ticket_audits.json?limit=2".to_string();
    let mut after = None;
    for _ in 0..100 {
        let (s, b) = srv.get(&url, &srv.admin()).await;
        assert_eq!(s, 200, "{b}");
        after = after.or_else(|| b["after_url"].as_str().map(str::to_string));
        seen.extend(
            b["audits"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|a| a["id"].as_i64().unwrap_or(0)),
        );
        match b["before_url"].as_str() {
            Some(next) => url = local(&srv.base, next),
            None => break,
        }
    }
    let mut newest_first = seen.clone();
    newest_first.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(seen, newest_first, "each once, newest first");
    newest_first.dedup();
    assert_eq!(newest_first.len(), seen.len());
    let (_, all) = srv
        .get(
            "/api/v2/ticket_audits.json?page%5Bsize%5D=100",
            &srv.admin(),
        )
        .await;
    assert_eq!(all["audits"].as_array().map(Vec::len), Some(seen.len()));
    // The newest page's after_url polls for what comes next: nothing yet.
    let (_, later) = srv
        .get(&local(&srv.base, &after.unwrap_or_default()), &srv.admin())
        .await;
    assert_eq!(later["audits"], json!([]), "{later}");
    let (s, _) = srv
        .get("/api/v2/ticket_audits.json?cursor=zz", &srv.admin())
        .await;
    assert_eq!(s, 400);
    // Comment events in the ticket events export carry their time.
    let (_, events) = srv
        .get(
            "/api/v2/incremental/ticket_events.json?start_time=0&include=comment_events",
            &srv.admin(),
        )
        .await;
    assert!(
        events["ticket_events"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|e| e["child_events"].as_array().cloned().unwrap_or_default())
            .all(|c| c["created_at"].as_str().is_some_and(|t| t.ends_with('Z')))
    );
});

/// A second customer's request, for lists of more than one ticket.
async fn answered_request_again(srv: &TestServer) {
    let (_, leo) = srv
        .user_with_token("Leo", "leo@metricas.test", "end-user")
        .await;
    let (s, r) = srv
        .call(
            "POST",
            "/api/v2/requests.json",
            &leo,
            Some(json!({"request": {"subject": "Otra", "comment": {"body": "Tampoco"}}})),
        )
        .await;
    assert_eq!(s, 201, "{r}");
}

both!(the_audit_log_records_who_changed_the_set_up, |srv| {
    let admin = srv.admin();
    let (s, g) = srv
        .call(
            "POST",
            "/api/v2/groups.json",
            &admin,
            Some(json!({"group": {"name": "Facturación"}})),
        )
        .await;
    assert_eq!(s, 201, "{g}");
    let group = g["group"]["id"].as_i64().unwrap_or_default();
    srv.call(
        "PUT",
        &format!("/api/v2/groups/{group}.json"),
        &admin,
        Some(json!({"group": {"name": "Cobros"}})),
    )
    .await;
    let (s, t) = srv
        .call("POST", "/api/v2/triggers.json", &admin,
              Some(json!({"trigger": {"title": "Urgente si VIP", "conditions": {"all": [{"field": "current_tags", "operator": "includes", "value": "vip"}]}, "actions": [{"field": "priority", "value": "urgent"}]}})))
        .await;
    assert_eq!(s, 201, "{t}");
    let trigger = t["trigger"]["id"].as_i64().unwrap_or_default();
    srv.call(
        "DELETE",
        &format!("/api/v2/triggers/{trigger}.json"),
        &admin,
        None,
    )
    .await;
    let (s, w) = srv
        .call(
            "POST",
            "/api/v2/chat/widgets.json",
            &admin,
            Some(json!({"widget": {"name": "Tienda", "allowed_origins": ["https://tienda.test"]}})),
        )
        .await;
    assert_eq!(s, 201, "{w}");
    let (s, m) = srv
        .call(
            "POST",
            "/api/v2/recipient_addresses.json",
            &admin,
            Some(json!({"recipient_address": {"email": "ayuda@tienda.test", "name": "Ayuda"}})),
        )
        .await;
    assert_eq!(s, 201, "{m}");
    let (eva_id, eva) = srv
        .user_with_token("Eva", "eva@auditoria.test", "agent")
        .await;
    srv.call(
        "PUT",
        &format!("/api/v2/users/{eva_id}.json"),
        &admin,
        Some(json!({"user": {"role": "admin"}})),
    )
    .await;
    // A customer changing their own name is not an admin's change.
    let (ana_id, ana) = srv
        .user_with_token("Ana", "ana@auditoria.test", "end-user")
        .await;
    srv.call(
        "PUT",
        &format!("/api/v2/users/{ana_id}.json"),
        &ana,
        Some(json!({"user": {"name": "Ana M."}})),
    )
    .await;
    // A desk-wide setting.
    let (s, r) = srv
        .call(
            "PUT",
            "/api/v2/routing/settings.json",
            &admin,
            Some(json!({"routing_settings": {"escalate_after_minutes": 30}})),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    // The help center's structure.
    let (s, cat) = srv
        .call(
            "POST",
            "/api/v2/help_center/categories.json",
            &admin,
            Some(json!({"category": {"name": "Envíos", "locale": "es"}})),
        )
        .await;
    assert_eq!(s, 201, "{cat}");
    let (s, sec) = srv
        .call(
            "POST",
            &format!(
                "/api/v2/help_center/categories/{}/sections.json",
                cat["category"]["id"]
            ),
            &admin,
            Some(json!({"section": {"name": "Plazos", "locale": "es"}})),
        )
        .await;
    assert_eq!(s, 201, "{sec}");
    let (s, _) = srv
        .call(
            "DELETE",
            &format!("/api/v2/help_center/sections/{}.json", sec["section"]["id"]),
            &admin,
            None,
        )
        .await;
    assert_eq!(s, 204);

    let (s, b) = srv.get("/api/v2/audit_logs.json", &admin).await;
    assert_eq!(s, 200, "{b}");
    let seen: Vec<(String, String, String)> = b["audit_logs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            (
                e["action"].as_str().unwrap_or("").to_string(),
                e["source_type"].as_str().unwrap_or("").to_string(),
                e["source_label"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let want = |a: &str, s: &str, l: &str| (a.to_string(), s.to_string(), l.to_string());
    for w in [
        want("create", "group", "Facturación"),
        want("update", "group", "Cobros"),
        want("create", "rule", "Urgente si VIP"),
        want("destroy", "rule", "Urgente si VIP"),
        want("update", "user", "Eva"),
        want("create", "chat_widget", "Tienda"),
        want("create", "support_address", "ayuda@tienda.test"),
        want("create", "category", "Envíos"),
        want("create", "section", "Plazos"),
        want("destroy", "section", "Plazos"),
        want("update", "account_setting", "Routing"),
    ] {
        assert!(seen.contains(&w), "{w:?} in {seen:?}");
    }
    assert!(
        !seen.iter().any(|(_, _, l)| l.starts_with("Ana")),
        "{seen:?}"
    );
    let first = &b["audit_logs"][0];
    assert_eq!(first["actor_id"], 1);
    assert!(
        first["change_description"]
            .as_str()
            .is_some_and(|d| !d.is_empty())
    );
    // Filters: by what, by which, by time.
    let (_, rules) = srv
        .get(
            "/api/v2/audit_logs.json?filter%5Bsource_type%5D=rule",
            &admin,
        )
        .await;
    assert_eq!(
        rules["audit_logs"].as_array().map(Vec::len),
        Some(2),
        "{rules}"
    );
    let (_, one) = srv
        .get(&format!("/api/v2/audit_logs.json?filter%5Bsource_type%5D=group&filter%5Bsource_id%5D={group}&filter%5Baction%5D=update"), &admin)
        .await;
    assert_eq!(one["audit_logs"].as_array().map(Vec::len), Some(1));
    let (_, none) = srv
        .get("/api/v2/audit_logs.json?filter%5Bcreated_at%5D%5B%5D=2000-01-01T00:00:00Z&filter%5Bcreated_at%5D%5B%5D=2001-01-01T00:00:00Z", &admin)
        .await;
    assert_eq!(none["audit_logs"], json!([]));
    let (s, _) = srv
        .get(
            "/api/v2/audit_logs.json?filter%5Bsource_type%5D=planet",
            &admin,
        )
        .await;
    assert_eq!(s, 400);
    let id = first["id"].as_i64().unwrap_or_default();
    let (s, shown) = srv
        .get(&format!("/api/v2/audit_logs/{id}.json"), &admin)
        .await;
    assert_eq!((s, &shown["audit_log"]["id"]), (200, &json!(id)));
    // Admins only.
    let (s, _) = srv.get("/api/v2/audit_logs.json", &eva).await;
    assert_eq!(s, 200, "Eva is an admin now");
    let (_, leo) = srv
        .user_with_token("Leo", "leo@auditoria.test", "agent")
        .await;
    let (s, _) = srv.get("/api/v2/audit_logs.json", &leo).await;
    assert_eq!(s, 403);
});

both!(counts_answer_what_the_caller_may_list, |srv| {
    let (_, ana) = srv
        .user_with_token("Ana", "ana@cuentas.test", "end-user")
        .await;
    new_ticket(&srv, json!({"subject": "Uno", "comment": {"body": "a"}})).await;
    srv.call(
        "POST",
        "/api/v2/requests.json",
        &ana,
        Some(json!({"request": {"subject": "Mío", "comment": {"body": "b"}}})),
    )
    .await;
    let value = |b: &Json| b["count"]["value"].as_i64();
    let (s, all) = srv.get("/api/v2/tickets/count.json", &srv.admin()).await;
    assert_eq!((s, value(&all)), (200, Some(2)), "{all}");
    assert!(all["count"]["refreshed_at"].is_string());
    // A customer counts their own.
    let (_, mine) = srv.get("/api/v2/tickets/count.json", &ana).await;
    assert_eq!(value(&mine), Some(1));
    let (_, users) = srv.get("/api/v2/users/count.json", &srv.admin()).await;
    assert_eq!(value(&users), Some(2), "the admin and Ana: {users}");
    let (_, orgs) = srv
        .get("/api/v2/organizations/count.json", &srv.admin())
        .await;
    assert_eq!(value(&orgs), Some(0));
    srv.call(
        "POST",
        "/api/v2/groups.json",
        &srv.admin(),
        Some(json!({"group": {"name": "Ventas"}})),
    )
    .await;
    let (_, groups) = srv.get("/api/v2/groups/count.json", &srv.admin()).await;
    assert!(value(&groups).is_some_and(|n| n >= 1), "{groups}");
    let (s, _) = srv.get("/api/v2/users/count.json", &ana).await;
    assert_eq!(s, 403);
});

both!(sessions_are_listed_and_ended, |srv| {
    use super::workspace::Browser;
    let (eva_id, eva) = srv
        .user_with_token("Eva", "eva@sesiones.test", "agent")
        .await;
    srv.call(
        "PUT",
        &format!("/api/v2/users/{eva_id}.json"),
        &srv.admin(),
        Some(json!({"user": {"password": "sesiones-larga-1"}})),
    )
    .await;
    // Two browsers signed in.
    let mut one = Browser::new(&srv.base);
    assert_eq!(
        one.sign_in("eva@sesiones.test", "sesiones-larga-1")
            .await
            .status,
        303
    );
    let mut two = Browser::new(&srv.base);
    assert_eq!(
        two.sign_in("eva@sesiones.test", "sesiones-larga-1")
            .await
            .status,
        303
    );
    let (s, mine) = srv
        .get(&format!("/api/v2/users/{eva_id}/sessions.json"), &eva)
        .await;
    assert_eq!(s, 200, "{mine}");
    let ids: Vec<i64> = mine["sessions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x["id"].as_i64())
        .collect();
    assert_eq!(ids.len(), 2, "{mine}");
    assert!(
        !mine.to_string().contains("token"),
        "no token is shown: {mine}"
    );
    let (_, all) = srv.get("/api/v2/sessions.json", &srv.admin()).await;
    assert!(all["sessions"].as_array().is_some_and(|a| a.len() >= 2));
    let (s, _) = srv.get("/api/v2/sessions.json", &eva).await;
    assert_eq!(s, 403);
    // Another agent sees none of hers.
    let (_, leo) = srv
        .user_with_token("Leo", "leo@sesiones.test", "agent")
        .await;
    let (s, _) = srv
        .get(&format!("/api/v2/users/{eva_id}/sessions.json"), &leo)
        .await;
    assert_eq!(s, 404);
    // She ends one: one browser signed out, the other still in.
    let (s, shown) = srv
        .get(
            &format!("/api/v2/users/{eva_id}/sessions/{}.json", ids[0]),
            &eva,
        )
        .await;
    assert_eq!((s, &shown["session"]["user_id"]), (200, &json!(eva_id)));
    assert_eq!(
        srv.call(
            "DELETE",
            &format!("/api/v2/users/{eva_id}/sessions/{}.json", ids[0]),
            &eva,
            None
        )
        .await
        .0,
        204
    );
    let (_, left) = srv
        .get(&format!("/api/v2/users/{eva_id}/sessions.json"), &eva)
        .await;
    assert_eq!(left["sessions"].as_array().map(Vec::len), Some(1));
    let statuses = [
        one.get("/agent").await.status,
        two.get("/agent").await.status,
    ];
    assert!(
        statuses.contains(&200) && statuses.iter().any(|s| *s != 200),
        "{statuses:?}"
    );
    // An admin signs her out everywhere.
    assert_eq!(
        srv.call(
            "DELETE",
            &format!("/api/v2/users/{eva_id}/sessions.json"),
            &srv.admin(),
            None
        )
        .await
        .0,
        204
    );
    assert_ne!(one.get("/agent").await.status, 200);
    assert_ne!(two.get("/agent").await.status, 200);
});

both!(play_mode_serves_the_next_ticket_and_records_skips, |srv| {
    use super::workspace::{Browser, hidden};
    let (eva_id, eva) = srv.user_with_token("Eva", "eva@cadena.test", "agent").await;
    srv.call(
        "PUT",
        &format!("/api/v2/users/{eva_id}.json"),
        &srv.admin(),
        Some(json!({"user": {"password": "en-cadena-larga-1", "locale": "es"}})),
    )
    .await;
    let first = new_ticket(
        &srv,
        json!({"subject": "Primero", "comment": {"body": "a"}}),
    )
    .await["id"]
        .as_i64()
        .unwrap_or_default();
    let second = new_ticket(
        &srv,
        json!({"subject": "Segundo", "comment": {"body": "b"}}),
    )
    .await["id"]
        .as_i64()
        .unwrap_or_default();
    // Someone else's ticket is not offered.
    let taken = new_ticket(
        &srv,
        json!({"subject": "De otro", "assignee_id": 1, "comment": {"body": "c"}}),
    )
    .await["id"]
        .as_i64()
        .unwrap_or_default();
    let mut b = Browser::new(&srv.base);
    assert_eq!(
        b.sign_in("eva@cadena.test", "en-cadena-larga-1")
            .await
            .status,
        303
    );
    let queue = b.get("/agent?queue=unsolved").await;
    assert!(
        queue.body.contains("Atender en cadena"),
        "the queue offers play mode"
    );
    // The queue's order is newest change first: the second, then the first.
    let go = b.get("/agent/play?queue=unsolved").await;
    assert_eq!(go.status, 303);
    let at = go.location.clone();
    assert!(
        at.starts_with(&format!("/agent/tickets/{second}?play=")),
        "{at}"
    );
    let page = b.get(&at).await;
    assert!(page.body.contains("Por qué lo saltas"), "the play bar");
    let csrf = hidden(&page.body, "csrf");
    let id = second.to_string();
    let next = b
        .post(
            "/agent/play/skip",
            &[
                ("csrf", &csrf),
                ("ticket", &id),
                ("queue", "unsolved"),
                ("reason", "Es de facturación"),
            ],
        )
        .await;
    assert_eq!(next.status, 303);
    assert!(
        next.location
            .starts_with(&format!("/agent/tickets/{first}?play=")),
        "{:?}",
        next.location
    );
    // Skipping the last one leaves none: back to the queue, told so.
    let id = first.to_string();
    let done = b
        .post(
            "/agent/play/skip",
            &[
                ("csrf", &csrf),
                ("ticket", &id),
                ("queue", "unsolved"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(
        done.location.as_str(),
        "/agent?queue=unsolved&done=played_out"
    );
    assert!(
        b.get("/agent?queue=unsolved&done=played_out")
            .await
            .body
            .contains("No quedan tickets")
    );
    // Both skips are recorded with their reasons; the taken one never came up.
    let (_, skips) = srv.get("/api/v2/skips.json", &eva).await;
    let seen: Vec<(i64, String)> = skips["skips"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| {
            (
                s["ticket_id"].as_i64().unwrap_or(0),
                s["reason"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (second, "Es de facturación".to_string()),
            (first, String::new())
        ]
    );
    assert!(!seen.iter().any(|(t, _)| *t == taken));
});

both!(audit_log_ids_out_of_range_are_not_found, |srv| {
    for id in ["0", "-1", "-9223372036854775808", "9223372036854775807"] {
        let (s, b) = srv
            .get(&format!("/api/v2/audit_logs/{id}.json"), &srv.admin())
            .await;
        assert_eq!(s, 404, "{id}: {b}");
    }
});
