use super::*;

both!(macros_preview_without_saving, |srv| {
    let (s, m) = srv
        .call(
            "POST",
            "/api/v2/macros.json",
            &srv.admin(),
            Some(json!({"macro": {"title": "Pedir número de pedido", "actions": [
                {"field": "status", "value": "pending"},
                {"field": "current_tags", "value": "esperando_cliente"},
                {"field": "assignee_id", "value": "current_user"},
                {"field": "comment_value", "value": ["channel:all", "Hola, ¿nos confirma el número de pedido?"]},
                {"field": "comment_mode_is_public", "value": "true"}
            ]}})),
        )
        .await;
    assert_eq!(s, 201, "{m}");
    let id = m["macro"]["id"].as_i64().unwrap_or(0);
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/macros.json",
            &srv.admin(),
            Some(json!({"macro": {"title": "x", "actions": [{"field": "nuke", "value": 1}]}})),
        )
        .await;
    assert_eq!(s, 422, "unknown actions are refused: {b}");
    let t = new_ticket(
        &srv,
        json!({"comment": {"body": "¿Dónde está mi pedido?"}, "tags": ["vip"]}),
    )
    .await;
    let (s, r) = srv
        .get(
            &format!("/api/v2/tickets/{}/macros/{id}/apply.json", t["id"]),
            &srv.admin(),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["result"]["ticket"]["status"], "pending");
    assert_eq!(
        r["result"]["ticket"]["tags"],
        json!(["esperando_cliente", "vip"])
    );
    assert_eq!(r["result"]["ticket"]["assignee_id"], 1);
    assert_eq!(r["result"]["comment"]["public"], true);
    assert!(
        r["result"]["comment"]["body"]
            .as_str()
            .is_some_and(|b| b.starts_with("Hola"))
    );
    let (_, after) = srv
        .get(&format!("/api/v2/tickets/{}.json", t["id"]), &srv.admin())
        .await;
    assert_eq!(
        after["ticket"]["status"], "new",
        "applying previews; nothing is saved"
    );
    let (_, generic) = srv
        .get(&format!("/api/v2/macros/{id}/apply"), &srv.admin())
        .await;
    assert_eq!(
        generic["result"]["ticket"]["tags"],
        json!(["esperando_cliente"])
    );
    let (_, list) = srv.get("/api/v2/macros/active.json", &srv.admin()).await;
    assert_eq!(list["macros"].as_array().map(Vec::len), Some(1));
    let (s, _) = srv
        .call(
            "PUT",
            &format!("/api/v2/macros/{id}.json"),
            &srv.admin(),
            Some(json!({"macro": {"active": false}})),
        )
        .await;
    assert_eq!(s, 200);
    let (_, list) = srv.get("/api/v2/macros/active.json", &srv.admin()).await;
    assert_eq!(list["macros"].as_array().map(Vec::len), Some(0));
    let (_, reader) = srv
        .user_with_token("Cliente", "cliente@example.com", "end-user")
        .await;
    let (s, _) = srv.get("/api/v2/macros.json", &reader).await;
    assert_eq!(s, 403);
});

both!(views_select_count_and_page, |srv| {
    let (agent, agent_auth) = srv
        .user_with_token("Agente", "agente@example.com", "agent")
        .await;
    let mine = new_ticket(
        &srv,
        json!({"comment": {"body": "a"}, "tags": ["vip"], "priority": "urgent"}),
    )
    .await;
    srv.call(
        "PUT",
        &format!("/api/v2/tickets/{}.json", mine["id"]),
        &agent_auth,
        Some(json!({"ticket": {"assignee_id": agent}})),
    )
    .await;
    let other = new_ticket(
        &srv,
        json!({"comment": {"b": 1, "body": "b"}, "priority": "low"}),
    )
    .await;
    let solved = new_ticket(&srv, json!({"comment": {"body": "c"}, "tags": ["vip"]})).await;
    srv.call(
        "PUT",
        &format!("/api/v2/tickets/{}.json", solved["id"]),
        &srv.admin(),
        Some(json!({"ticket": {"status": "solved"}})),
    )
    .await;
    let (s, v) = srv
        .call(
            "POST",
            "/api/v2/views.json",
            &srv.admin(),
            Some(json!({"view": {"title": "VIP abiertos o urgentes", "all": [{"field": "status", "operator": "less_than", "value": "solved"}], "any": [{"field": "current_tags", "operator": "includes", "value": "vip"}, {"field": "priority", "operator": "is", "value": "urgent"}], "output": {"sort_by": "created_at", "sort_order": "asc"}}})),
        )
        .await;
    assert_eq!(s, 201, "{v}");
    let vid = v["view"]["id"].as_i64().unwrap_or(0);
    assert_eq!(
        v["view"]["conditions"]["any"].as_array().map(Vec::len),
        Some(2)
    );
    let (_, ts) = srv
        .get(&format!("/api/v2/views/{vid}/tickets"), &agent_auth)
        .await;
    let ids: Vec<i64> = ts["tickets"]
        .as_array()
        .map(|a| a.iter().filter_map(|t| t["id"].as_i64()).collect())
        .unwrap_or_default();
    assert_eq!(ids, vec![mine["id"].as_i64().unwrap_or(0)], "{ts}");
    let (_, n) = srv
        .get(&format!("/api/v2/views/{vid}/count.json"), &agent_auth)
        .await;
    assert_eq!(n["view_count"]["value"], 1);
    let (_, ex) = srv
        .get(&format!("/api/v2/views/{vid}/execute.json"), &agent_auth)
        .await;
    assert_eq!(
        (
            ex["rows"].as_array().map(Vec::len),
            ex["view"]["id"].as_i64()
        ),
        (Some(1), Some(vid))
    );
    // "Mine": assignee is the current user.
    let (_, mv) = srv.call("POST", "/api/v2/views.json", &srv.admin(), Some(json!({"view": {"title": "Mis tickets", "all": [{"field": "assignee_id", "operator": "is", "value": "current_user"}, {"field": "status", "operator": "is_not", "value": "solved"}]}}))).await;
    let (_, ts) = srv
        .get(
            &format!(
                "/api/v2/views/{}/tickets.json?page%5Bsize%5D=100",
                mv["view"]["id"]
            ),
            &agent_auth,
        )
        .await;
    assert_eq!(ts["tickets"].as_array().map(Vec::len), Some(1), "{ts}");
    assert_eq!(ts["links"]["next"], Json::Null);
    let _ = other;
    let (s, b) = srv.call("POST", "/api/v2/views.json", &srv.admin(), Some(json!({"view": {"title": "Bad", "all": [{"field": "mood", "operator": "is", "value": "grumpy"}]}}))).await;
    assert_eq!(s, 422, "{b}");
    let (s, _) = srv.call("POST", "/api/v2/views.json", &agent_auth, Some(json!({"view": {"title": "x", "all": [{"field": "status", "operator": "is", "value": "open"}]}}))).await;
    assert_eq!(s, 403, "only admins define shared views");
});

both!(satisfaction_ratings_by_the_requester, |srv| {
    let (cust, cust_auth) = srv
        .user_with_token("Clara", "clara@example.com", "end-user")
        .await;
    let t = new_ticket(
        &srv,
        json!({"comment": {"body": "ayuda"}, "requester_id": cust}),
    )
    .await;
    let path = format!("/api/v2/tickets/{}/satisfaction_rating.json", t["id"]);
    let (s, _) = srv
        .call(
            "POST",
            &path,
            &cust_auth,
            Some(json!({"satisfaction_rating": {"score": "good"}})),
        )
        .await;
    assert_eq!(s, 422, "not solved yet");
    srv.call(
        "PUT",
        &format!("/api/v2/tickets/{}.json", t["id"]),
        &srv.admin(),
        Some(json!({"ticket": {"status": "solved"}})),
    )
    .await;
    let (s, _) = srv
        .call(
            "POST",
            &path,
            &srv.admin(),
            Some(json!({"satisfaction_rating": {"score": "good"}})),
        )
        .await;
    assert_eq!(s, 403, "only the requester rates");
    let (s, r) = srv
        .call(
            "POST",
            &path,
            &cust_auth,
            Some(json!({"satisfaction_rating": {"score": "bad", "comment": "Tardaron mucho"}})),
        )
        .await;
    assert_eq!(
        (s, r["satisfaction_rating"]["score"].as_str()),
        (200, Some("bad")),
        "{r}"
    );
    let (s, r2) = srv
        .call(
            "POST",
            &path,
            &cust_auth,
            Some(json!({"satisfaction_rating": {"score": "good", "comment": "Al final bien"}})),
        )
        .await;
    assert_eq!(
        (s, r2["satisfaction_rating"]["id"].clone()),
        (200, r["satisfaction_rating"]["id"].clone()),
        "a new rating replaces the old"
    );
    let (_, list) = srv
        .get(
            "/api/v2/satisfaction_ratings?page%5Bsize%5D=10",
            &srv.admin(),
        )
        .await;
    assert_eq!(list["satisfaction_ratings"][0]["score"], "good");
    let (_, good) = srv
        .get("/api/v2/satisfaction_ratings.json?score=bad", &srv.admin())
        .await;
    assert_eq!(good["count"], 0);
    // Changed since a time, as sync tools ask (Unix seconds, also with a
    // fraction); before a time.
    let since = |q: String| {
        let admin = srv.admin();
        let srv = &srv;
        async move {
            let (s, b) = srv
                .get(&format!("/api/v2/satisfaction_ratings.json?{q}"), &admin)
                .await;
            assert_eq!(s, 200, "{b}");
            b["satisfaction_ratings"].as_array().map_or(0, Vec::len)
        }
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    assert_eq!(since(format!("start_time={}.0", now - 3600)).await, 1);
    assert_eq!(since(format!("start_time={}", now + 3600)).await, 0);
    assert_eq!(since(format!("end_time={}", now - 3600)).await, 0);
    let (s, _) = srv
        .call(
            "POST",
            &path,
            &cust_auth,
            Some(json!({"satisfaction_rating": {"score": "meh"}})),
        )
        .await;
    assert_eq!(s, 422);
});
