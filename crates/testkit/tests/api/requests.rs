//! The Requests API (Zendesk's end-user view of tickets): a customer sees
//! what they asked, what they are copied on and — where their organization
//! shares tickets — their organization's; only the public conversation;
//! they reply, copy others in and mark solved; nobody else's.

use super::*;

fn ids(b: &Json) -> Vec<i64> {
    let mut v: Vec<i64> = b["requests"]
        .as_array()
        .map(|a| a.iter().filter_map(|r| r["id"].as_i64()).collect())
        .unwrap_or_default();
    v.sort_unstable();
    v
}

async fn org(srv: &TestServer, name: &str, shared: bool) -> i64 {
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/organizations.json",
            &srv.admin(),
            Some(json!({"organization": {"name": name, "shared_tickets": shared}})),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    b["organization"]["id"].as_i64().unwrap_or_default()
}

async fn member(srv: &TestServer, name: &str, email: &str, org: Option<i64>) -> (i64, Auth) {
    let (id, auth) = srv.user_with_token(name, email, "end-user").await;
    if let Some(o) = org {
        let (s, b) = srv
            .call(
                "PUT",
                &format!("/api/v2/users/{id}.json"),
                &srv.admin(),
                Some(json!({"user": {"organization_id": o}})),
            )
            .await;
        assert_eq!(s, 200, "{b}");
    }
    (id, auth)
}

both!(customers_see_and_answer_only_their_requests, |srv| {
    let admin = srv.admin();
    let shared = org(&srv, "Cooperativa", true).await;
    let private = org(&srv, "Taller", false).await;
    let (ana_id, ana) = member(&srv, "Ana", "ana@coop.test", Some(shared)).await;
    let (_, carla) = member(&srv, "Carla", "carla@coop.test", Some(shared)).await;
    let (_, bea) = member(&srv, "Bea", "bea@taller.test", Some(private)).await;
    let (_, bruno) = member(&srv, "Bruno", "bruno@taller.test", Some(private)).await;

    // Ana asks, copying Dani in by address.
    let (s, r) = srv
        .call("POST", "/api/v2/requests.json", &ana,
              Some(json!({"request": {"subject": "No llega la factura", "comment": {"body": "La de noviembre", "public": false},
                          "email_ccs": [{"user_email": "dani@example.com"}]}})))
        .await;
    assert_eq!(s, 201, "{r}");
    let id = r["request"]["id"].as_i64().unwrap_or_default();
    assert_eq!(r["request"]["requester_id"], ana_id);
    assert_eq!(r["request"]["via"]["channel"], "api");
    assert_eq!(
        r["request"]["collaborator_ids"].as_array().map(Vec::len),
        Some(1),
        "{r}"
    );
    assert_eq!(
        r["request"]["can_be_solved_by_me"], false,
        "nobody has taken it yet"
    );
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/requests/{id}.json"),
            &ana,
            Some(json!({"request": {"solved": true}})),
        )
        .await;
    assert_eq!(s, 422, "solved before an agent took it: {b}");
    // Bea asks too, in an organization that does not share.
    let (_, rb) = srv
        .call("POST", "/api/v2/requests.json", &bea,
              Some(json!({"request": {"subject": "Presupuesto", "comment": {"body": "¿Cuánto cuesta?"}}})))
        .await;
    let bea_id = rb["request"]["id"].as_i64().unwrap_or_default();

    // An agent answers in public and writes an internal note.
    for (body, public) in [
        ("Se la reenviamos hoy", true),
        ("Nota: cliente moroso", false),
    ] {
        let (s, b) = srv
            .call(
                "PUT",
                &format!("/api/v2/tickets/{id}.json"),
                &admin,
                Some(json!({"ticket": {"comment": {"body": body, "public": public}}})),
            )
            .await;
        assert_eq!(s, 200, "{b}");
    }

    // Ana: her request, the public conversation only (her first comment
    // public whatever she sent).
    let (_, b) = srv.call("GET", "/api/v2/requests.json", &ana, None).await;
    assert_eq!(ids(&b), [id], "{b}");
    let (s, cs) = srv
        .call(
            "GET",
            &format!("/api/v2/requests/{id}/comments.json"),
            &ana,
            None,
        )
        .await;
    assert_eq!(s, 200);
    let text = cs.to_string();
    assert_eq!(cs["comments"].as_array().map(Vec::len), Some(2), "{cs}");
    assert!(
        text.contains("Se la reenviamos") && !text.contains("moroso"),
        "{cs}"
    );
    assert!(cs["comments"].as_array().is_some_and(|a| {
        a.iter()
            .all(|c| c["public"] == true && c["request_id"] == id)
    }));
    let note_id = {
        let (_, all) = srv
            .call(
                "GET",
                &format!("/api/v2/tickets/{id}/comments.json"),
                &admin,
                None,
            )
            .await;
        all["comments"]
            .as_array()
            .and_then(|a| a.iter().find(|c| c["public"] == false))
            .map(|c| c["id"].clone())
            .unwrap_or_default()
    };
    let (s, _) = srv
        .call(
            "GET",
            &format!("/api/v2/requests/{id}/comments/{note_id}.json"),
            &ana,
            None,
        )
        .await;
    assert_eq!(s, 404, "an internal note through the requests API");

    // Carla shares Ana's organization: she reads it, cannot mark it solved.
    let (_, b) = srv.call("GET", "/api/v2/requests.json", &carla, None).await;
    assert_eq!(ids(&b), [id], "{b}");
    let (s, _) = srv
        .call(
            "PUT",
            &format!("/api/v2/requests/{id}.json"),
            &carla,
            Some(json!({"request": {"solved": true}})),
        )
        .await;
    assert_eq!(s, 403);
    // Bruno's organization does not share: Bea's request is hers alone.
    let (_, b) = srv.call("GET", "/api/v2/requests.json", &bruno, None).await;
    assert_eq!(ids(&b), Vec::<i64>::new(), "{b}");
    for (who, rid) in [(&bruno, bea_id), (&bea, id), (&carla, bea_id)] {
        let (s, _) = srv
            .call("GET", &format!("/api/v2/requests/{rid}.json"), who, None)
            .await;
        assert_eq!(s, 404);
        let (s, _) = srv
            .call(
                "PUT",
                &format!("/api/v2/requests/{rid}.json"),
                who,
                Some(json!({"request": {"comment": {"body": "hola"}}})),
            )
            .await;
        assert_eq!(s, 404);
    }

    // Dani, copied in, finds it among the ones he is copied on.
    let (s, b) = srv
        .call(
            "GET",
            "/api/v2/users/search.json?query=dani@example.com",
            &admin,
            None,
        )
        .await;
    assert_eq!(s, 200);
    let dani = b["users"][0]["id"].as_i64().unwrap_or_default();
    let token = srv
        .app
        .create_token(domain::UserId(dani), app::auth::TokenKind::Api, "tests")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let dani_auth = Auth::Token("dani@example.com".into(), token);
    let (_, b) = srv
        .call("GET", "/api/v2/requests/ccd.json", &dani_auth, None)
        .await;
    assert_eq!(ids(&b), [id], "{b}");
    let (_, b) = srv
        .call("GET", "/api/v2/requests/ccd.json", &ana, None)
        .await;
    assert_eq!(ids(&b), Vec::<i64>::new(), "{b}");

    // An agent takes it; Ana replies and copies Eva in; then says it is solved.
    let (s, _) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{id}.json"),
            &admin,
            Some(json!({"ticket": {"assignee_id": 1}})),
        )
        .await;
    assert_eq!(s, 200);
    let (s, r) = srv
        .call("PUT", &format!("/api/v2/requests/{id}.json"), &ana,
              Some(json!({"request": {"comment": {"body": "Recibida, gracias"}, "collaborators": ["eva@example.com"]}})))
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(
        r["request"]["collaborator_ids"].as_array().map(Vec::len),
        Some(2),
        "{r}"
    );
    let (s, r) = srv
        .call(
            "PUT",
            &format!("/api/v2/requests/{id}.json"),
            &ana,
            Some(json!({"request": {"solved": true}})),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    assert_eq!(r["request"]["status"], "solved");
    let (_, b) = srv
        .call("GET", "/api/v2/requests/solved.json", &ana, None)
        .await;
    assert_eq!(ids(&b), [id]);
    let (_, b) = srv
        .call("GET", "/api/v2/requests/open.json", &ana, None)
        .await;
    assert_eq!(ids(&b), Vec::<i64>::new());
    let (_, b) = srv
        .call(
            "GET",
            "/api/v2/requests.json?status=open,pending",
            &ana,
            None,
        )
        .await;
    assert_eq!(ids(&b), Vec::<i64>::new());

    // Bad input and a closed request: clear errors.
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/requests/{id}.json"),
            &ana,
            Some(json!({"request": {}})),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/requests/{id}.json"),
            &ana,
            Some(json!({"request": {"email_ccs": [42]}})),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/requests.json",
            &ana,
            Some(json!({"request": {"subject": "Sin texto"}})),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    let (s, _) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{id}.json"),
            &admin,
            Some(json!({"ticket": {"status": "closed"}})),
        )
        .await;
    assert_eq!(s, 200);
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/requests/{id}.json"),
            &ana,
            Some(json!({"request": {"comment": {"body": "¿Sigue?"}}})),
        )
        .await;
    assert_eq!(s, 422, "{b}");
});
