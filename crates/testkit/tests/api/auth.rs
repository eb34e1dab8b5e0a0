use super::*;

both!(credentials_are_checked, |srv| {
    let (s, b) = srv.get("/api/v2/users/me.json", &Auth::None).await;
    assert_eq!(
        (s, b["error"].as_str()),
        (401, Some("Couldn't authenticate you"))
    );
    let (s, _) = srv
        .get(
            "/api/v2/users/me.json",
            &Auth::Token(srv.admin_email.clone(), "wrong".into()),
        )
        .await;
    assert_eq!(s, 401);
    let (s, b) = srv
        .get(
            "/api/v2/users/me.json",
            &Auth::Token("ADMIN@Example.com".into(), srv.admin_token.clone()),
        )
        .await;
    assert_eq!(s, 200, "email matches case-insensitively: {b}");
    assert_eq!(b["user"]["role"], "admin");
    let (s, _) = srv
        .get(
            "/api/v2/users/me.json",
            &Auth::Password(srv.admin_email.clone(), "admin-password-1".into()),
        )
        .await;
    assert_eq!(s, 200);
    let (s, _) = srv
        .get(
            "/api/v2/users/me.json",
            &Auth::Password(srv.admin_email.clone(), "nope".into()),
        )
        .await;
    assert_eq!(s, 401);
    let oauth = srv
        .app
        .create_token(domain::UserId(1), app::auth::TokenKind::OAuth, "t")
        .await
        .unwrap_or_default();
    let (s, b) = srv.get("/api/v2/users/me.json", &Auth::Bearer(oauth)).await;
    assert_eq!((s, b["user"]["id"].as_i64()), (200, Some(1)));
    let (s, _) = srv
        .get("/api/v2/users/me.json", &Auth::Bearer("bogus".into()))
        .await;
    assert_eq!(s, 401);
    // An API token is not an OAuth token and vice versa.
    let (s, _) = srv
        .get(
            "/api/v2/users/me.json",
            &Auth::Bearer(srv.admin_token.clone()),
        )
        .await;
    assert_eq!(s, 401);
});

both!(end_users_see_only_their_own_tickets, |srv| {
    let (ana, ana_auth) = srv
        .user_with_token("Ana", "ana@example.com", "end-user")
        .await;
    let (_, bob_auth) = srv
        .user_with_token("Bob", "bob@example.com", "end-user")
        .await;
    let mine = new_ticket(
        &srv,
        json!({"subject": "Ana's", "comment": {"body": "hola"}, "requester_id": ana}),
    )
    .await;
    let theirs = new_ticket(
        &srv,
        json!({"subject": "Someone else's", "comment": {"body": "secret"}}),
    )
    .await;
    let (s, _) = srv
        .get(&format!("/api/v2/tickets/{}.json", mine["id"]), &ana_auth)
        .await;
    assert_eq!(s, 200);
    let (s, b) = srv
        .get(&format!("/api/v2/tickets/{}.json", theirs["id"]), &ana_auth)
        .await;
    assert_eq!((s, b["error"].as_str()), (404, Some("RecordNotFound")));
    let (s, _) = srv
        .get(&format!("/api/v2/tickets/{}.json", mine["id"]), &bob_auth)
        .await;
    assert_eq!(s, 404);
    let (_, list) = srv.get("/api/v2/tickets.json", &ana_auth).await;
    assert_eq!(list["count"], 1, "{list}");
    let (_, found) = srv.get("/api/v2/search.json?query=secret", &ana_auth).await;
    assert_eq!(found["count"], 0, "search respects the role: {found}");
    let (_, found) = srv.get("/api/v2/search.json?query=hola", &ana_auth).await;
    assert_eq!(found["count"], 1, "{found}");
    // End-users may reply publicly on their own ticket, nothing more.
    let path = format!("/api/v2/tickets/{}.json", mine["id"]);
    let (s, _) = srv
        .call(
            "PUT",
            &path,
            &ana_auth,
            Some(json!({"ticket": {"comment": {"body": "more info"}}})),
        )
        .await;
    assert_eq!(s, 200);
    let (s, _) = srv
        .call(
            "PUT",
            &path,
            &ana_auth,
            Some(json!({"ticket": {"status": "solved"}})),
        )
        .await;
    assert_eq!(s, 403);
    let (s, _) = srv
        .call(
            "PUT",
            &path,
            &ana_auth,
            Some(json!({"ticket": {"comment": {"body": "x", "public": false}}})),
        )
        .await;
    assert_eq!(s, 403);
    let (_, comments) = srv
        .get(
            &format!("/api/v2/tickets/{}/comments.json", mine["id"]),
            &srv.admin(),
        )
        .await;
    assert_eq!(comments["comments"].as_array().map(Vec::len), Some(2));
    // Only admins manage users, fields and groups; end-users list nothing.
    for (path, body) in [
        (
            "/api/v2/users.json",
            json!({"user": {"name": "X", "email": "x@example.com"}}),
        ),
        (
            "/api/v2/ticket_fields.json",
            json!({"ticket_field": {"type": "text", "title": "T"}}),
        ),
        ("/api/v2/groups.json", json!({"group": {"name": "G"}})),
    ] {
        let (s, b) = srv.call("POST", path, &ana_auth, Some(body)).await;
        assert_eq!((s, b["error"].as_str()), (403, Some("Forbidden")), "{path}");
    }
    let (s, _) = srv.get("/api/v2/users.json", &ana_auth).await;
    assert_eq!(s, 403);
    let (s, _) = srv
        .get(
            "/api/v2/incremental/tickets/cursor.json?start_time=0",
            &ana_auth,
        )
        .await;
    assert_eq!(s, 403);
});

both!(agents_are_not_admins, |srv| {
    let (_, agent) = srv
        .user_with_token("Agent", "agent@example.com", "agent")
        .await;
    let (s, _) = srv
        .call(
            "POST",
            "/api/v2/ticket_fields.json",
            &agent,
            Some(json!({"ticket_field": {"type": "text", "title": "T"}})),
        )
        .await;
    assert_eq!(s, 403);
    let (s, _) = srv
        .call(
            "POST",
            "/api/v2/users.json",
            &agent,
            Some(json!({"user": {"name": "Boss", "email": "boss@example.com", "role": "admin"}})),
        )
        .await;
    assert_eq!(s, 403, "agents cannot create admins");
    let (s, _) = srv
        .call(
            "POST",
            "/api/v2/users.json",
            &agent,
            Some(json!({"user": {"name": "Cust", "email": "cust@example.com"}})),
        )
        .await;
    assert_eq!(s, 201, "agents create end-users");
    let t = new_ticket(&srv, json!({"comment": {"body": "visible to agents"}})).await;
    let (s, _) = srv
        .get(&format!("/api/v2/tickets/{}.json", t["id"]), &agent)
        .await;
    assert_eq!(s, 200);
});
