use super::*;

both!(users_identities_and_duplicates, |srv| {
    let (s, b) = srv.call("POST", "/api/v2/users.json", &srv.admin(), Some(json!({"user": {"name": "José Núñez", "email": "jose@example.com", "tags": ["vip"], "external_id": "crm-1"}}))).await;
    assert_eq!(s, 201, "{b}");
    let id = b["user"]["id"].as_i64().unwrap_or_default();
    assert_eq!(
        (b["user"]["role"].as_str(), b["user"]["active"].as_bool()),
        (Some("end-user"), Some(true))
    );
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/users.json",
            &srv.admin(),
            Some(json!({"user": {"name": "Other", "email": "JOSE@example.com"}})),
        )
        .await;
    assert_eq!(
        (s, b["details"]["email"][0]["error"].as_str()),
        (422, Some("DuplicateValue")),
        "{b}"
    );
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/users.json",
            &srv.admin(),
            Some(json!({"user": {"name": ""}})),
        )
        .await;
    assert_eq!(
        (s, b["details"]["name"][0]["error"].as_str()),
        (422, Some("BlankValue"))
    );
    let (_, found) = srv
        .get(
            "/api/v2/users/search.json?query=jose%40example.com",
            &srv.admin(),
        )
        .await;
    assert_eq!(found["users"][0]["id"].as_i64(), Some(id));
    let (_, found) = srv
        .get("/api/v2/users/search.json?external_id=crm-1", &srv.admin())
        .await;
    assert_eq!(found["count"], 1);
    let (_, found) = srv
        .get(
            "/api/v2/users/search.json?query=N%C3%BA%C3%B1ez",
            &srv.admin(),
        )
        .await;
    assert_eq!(found["count"], 1, "{found}");
    // Identities: add a phone and a WhatsApp id, make a new email primary.
    let base = format!("/api/v2/users/{id}/identities");
    for (kind, value) in [
        ("phone_number", "+34600111222"),
        ("whatsapp", "34600111222"),
        ("email", "jose.work@example.com"),
    ] {
        let (s, b) = srv
            .call(
                "POST",
                &format!("{base}.json"),
                &srv.admin(),
                Some(json!({"identity": {"type": kind, "value": value}})),
            )
            .await;
        assert_eq!(s, 201, "{kind}: {b}");
    }
    let (_, ids) = srv.get(&format!("{base}.json"), &srv.admin()).await;
    let list = ids["identities"].as_array().cloned().unwrap_or_default();
    assert_eq!(list.len(), 4);
    let work = list
        .iter()
        .find(|i| i["value"] == "jose.work@example.com")
        .cloned()
        .unwrap_or(Json::Null);
    assert_eq!(work["primary"], false);
    let (s, _) = srv
        .call(
            "PUT",
            &format!("{base}/{}/make_primary", work["id"]),
            &srv.admin(),
            None,
        )
        .await;
    assert_eq!(s, 200);
    let (_, u) = srv
        .get(&format!("/api/v2/users/{id}.json"), &srv.admin())
        .await;
    assert_eq!(u["user"]["email"], "jose.work@example.com");
    // Tickets from either address land on the same profile.
    let t = new_ticket(
        &srv,
        json!({"comment": {"body": "x"}, "requester": {"email": "jose@example.com"}}),
    )
    .await;
    assert_eq!(t["requester_id"].as_i64(), Some(id));
    let (_, req) = srv
        .get(
            &format!("/api/v2/users/{id}/tickets/requested.json"),
            &srv.admin(),
        )
        .await;
    assert_eq!(req["count"], 1);
    // create_or_update matches by email.
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/users/create_or_update.json",
            &srv.admin(),
            Some(json!({"user": {"email": "jose@example.com", "name": "José N."}})),
        )
        .await;
    assert_eq!(
        (s, b["user"]["id"].as_i64(), b["user"]["name"].as_str()),
        (200, Some(id), Some("José N."))
    );
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/users/create_or_update.json",
            &srv.admin(),
            Some(json!({"user": {"email": "brand-new@example.com", "name": "New"}})),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    // Delete deactivates; a deactivated user cannot authenticate.
    let (_, tok) = srv
        .user_with_token("Temp", "temp@example.com", "agent")
        .await;
    let (_, me) = srv.get("/api/v2/users/me.json", &tok).await;
    let temp = me["user"]["id"].as_i64().unwrap_or_default();
    let (s, b) = srv
        .call(
            "DELETE",
            &format!("/api/v2/users/{temp}.json"),
            &srv.admin(),
            None,
        )
        .await;
    assert_eq!((s, b["user"]["active"].as_bool()), (200, Some(false)));
    let (s, _) = srv.get("/api/v2/users/me.json", &tok).await;
    assert_eq!(s, 401);
    // Role filter and cursor paging.
    let (_, agents) = srv
        .get(
            "/api/v2/users.json?role%5B%5D=admin&page%5Bsize%5D=10",
            &srv.admin(),
        )
        .await;
    assert_eq!(
        agents["users"].as_array().map(Vec::len),
        Some(1),
        "{agents}"
    );
});

both!(organizations_and_groups, |srv| {
    let (s, b) = srv.call("POST", "/api/v2/organizations.json", &srv.admin(), Some(json!({"organization": {"name": "Andes S.A.", "domain_names": ["andes.example"], "external_id": "org-1", "tags": ["vip"]}}))).await;
    assert_eq!(s, 201, "{b}");
    let org = b["organization"]["id"].as_i64().unwrap_or_default();
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/organizations.json",
            &srv.admin(),
            Some(json!({"organization": {"name": "andes s.a. "}})),
        )
        .await;
    assert_eq!(
        (s, b["details"]["name"][0]["error"].as_str()),
        (422, Some("DuplicateValue")),
        "{b}"
    );
    // A new requester from the domain joins the organization, and so does the ticket.
    let t = new_ticket(
        &srv,
        json!({"comment": {"body": "x"}, "requester": {"email": "pilar@andes.example"}}),
    )
    .await;
    assert_eq!(t["organization_id"].as_i64(), Some(org));
    let (_, ot) = srv
        .get(
            &format!("/api/v2/organizations/{org}/tickets.json"),
            &srv.admin(),
        )
        .await;
    assert_eq!(ot["count"], 1);
    let (_, ou) = srv
        .get(
            &format!("/api/v2/organizations/{org}/users.json"),
            &srv.admin(),
        )
        .await;
    assert_eq!(ou["count"], 1);
    let (_, found) = srv
        .get(
            "/api/v2/organizations/search.json?external_id=org-1",
            &srv.admin(),
        )
        .await;
    assert_eq!(found["organizations"][0]["id"].as_i64(), Some(org));
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/organizations/{org}.json"),
            &srv.admin(),
            Some(json!({"organization": {"notes": "key account"}})),
        )
        .await;
    assert_eq!(
        (s, b["organization"]["notes"].as_str()),
        (200, Some("key account"))
    );
    let (_, list) = srv
        .get("/api/v2/organizations.json?page%5Bsize%5D=1", &srv.admin())
        .await;
    assert_eq!(list["organizations"].as_array().map(Vec::len), Some(1));
    // Groups and memberships.
    let (s, g) = srv
        .call(
            "POST",
            "/api/v2/groups.json",
            &srv.admin(),
            Some(json!({"group": {"name": "Facturación"}})),
        )
        .await;
    assert_eq!(s, 201);
    let gid = g["group"]["id"].as_i64().unwrap_or_default();
    let (agent, agent_auth) = srv
        .user_with_token("Agente", "agente@example.com", "agent")
        .await;
    let (s, m) = srv
        .call(
            "POST",
            "/api/v2/group_memberships.json",
            &srv.admin(),
            Some(json!({"group_membership": {"user_id": agent, "group_id": gid}})),
        )
        .await;
    assert_eq!(s, 201, "{m}");
    let (s, _) = srv
        .call(
            "POST",
            "/api/v2/group_memberships.json",
            &srv.admin(),
            Some(json!({"group_membership": {"user_id": agent, "group_id": gid}})),
        )
        .await;
    assert_eq!(s, 422, "duplicate membership");
    let (_, members) = srv
        .get(
            &format!("/api/v2/groups/{gid}/memberships.json"),
            &srv.admin(),
        )
        .await;
    assert_eq!(
        members["group_memberships"][0]["user_id"].as_i64(),
        Some(agent)
    );
    // Assigning to the agent puts the ticket in the agent's group.
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{}.json", t["id"]),
            &agent_auth,
            Some(json!({"ticket": {"assignee_id": agent}})),
        )
        .await;
    assert_eq!(
        (s, b["ticket"]["group_id"].as_i64()),
        (200, Some(gid)),
        "{b}"
    );
    let (s, _) = srv
        .call(
            "DELETE",
            &format!(
                "/api/v2/group_memberships/{}.json",
                m["group_membership"]["id"]
            ),
            &srv.admin(),
            None,
        )
        .await;
    assert_eq!(s, 204);
    let (s, _) = srv
        .call(
            "DELETE",
            &format!("/api/v2/organizations/{org}.json"),
            &srv.admin(),
            None,
        )
        .await;
    assert_eq!(s, 204);
    let (s, _) = srv
        .get(&format!("/api/v2/organizations/{org}.json"), &srv.admin())
        .await;
    assert_eq!(s, 404);
});

both!(organization_memberships, |srv| {
    let (_, o) = srv
        .call(
            "POST",
            "/api/v2/organizations.json",
            &srv.admin(),
            Some(json!({"organization": {"name": "Litoral"}})),
        )
        .await;
    let org = o["organization"]["id"].as_i64().unwrap_or(0);
    let (uid, _) = srv
        .user_with_token("Marta", "marta@example.com", "end-user")
        .await;
    let (s, m) = srv
        .call(
            "POST",
            "/api/v2/organization_memberships.json",
            &srv.admin(),
            Some(json!({"organization_membership": {"user_id": uid, "organization_id": org}})),
        )
        .await;
    assert_eq!(
        (s, m["organization_membership"]["organization_id"].as_i64()),
        (201, Some(org)),
        "{m}"
    );
    let (_, list) = srv
        .get(
            &format!("/api/v2/organizations/{org}/organization_memberships.json"),
            &srv.admin(),
        )
        .await;
    assert_eq!(
        list["organization_memberships"][0]["user_id"].as_i64(),
        Some(uid)
    );
    let (_, u) = srv
        .get(&format!("/api/v2/users/{uid}.json"), &srv.admin())
        .await;
    assert_eq!(u["user"]["organization_id"].as_i64(), Some(org));
    let (s, _) = srv
        .call(
            "DELETE",
            &format!("/api/v2/organization_memberships/{uid}.json"),
            &srv.admin(),
            None,
        )
        .await;
    assert_eq!(s, 204);
    let (_, list) = srv
        .get(
            &format!("/api/v2/users/{uid}/organization_memberships.json"),
            &srv.admin(),
        )
        .await;
    assert_eq!(list["count"], 0);
    let (s, _) = srv
        .call(
            "POST",
            "/api/v2/organization_memberships.json",
            &srv.admin(),
            Some(json!({"organization_membership": {"user_id": uid, "organization_id": 999999}})),
        )
        .await;
    assert_eq!(s, 422);
});

/// Posts as the admin; the answer, which must be a success.
async fn made(srv: &TestServer, path: &str, body: Json) -> Json {
    let (s, b) = srv.call("POST", path, &srv.admin(), Some(body)).await;
    assert!(s < 300, "{path}: {s} {b}");
    b
}

both!(users_come_with_what_include_asks_for, |srv| {
    let admin = srv.admin();
    let org = made(
        &srv,
        "/api/v2/organizations.json",
        json!({"organization": {"name": "Acme"}}),
    )
    .await;
    let org = org["organization"]["id"].as_i64().unwrap_or_default();
    let group = made(
        &srv,
        "/api/v2/groups.json",
        json!({"group": {"name": "Soporte"}}),
    )
    .await;
    let group = group["group"]["id"].as_i64().unwrap_or_default();
    let customer = made(
        &srv,
        "/api/v2/users.json",
        json!({"user": {"name": "Rosa", "email": "rosa@example.com", "organization_id": org}}),
    )
    .await;
    let customer = customer["user"]["id"].as_i64().unwrap_or_default();
    made(
        &srv,
        &format!("/api/v2/users/{customer}/identities.json"),
        json!({"identity": {"type": "phone_number", "value": "+34600123456"}}),
    )
    .await;
    let (agent, _) = srv.user_with_token("Leo", "leo@example.com", "agent").await;
    made(
        &srv,
        "/api/v2/group_memberships.json",
        json!({"group_membership": {"user_id": agent, "group_id": group}}),
    )
    .await;

    let (s, b) = srv
        .get(
            &format!("/api/v2/users/{customer}.json?include=identities,organizations"),
            &admin,
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let kinds: Vec<&str> = b["identities"]
        .as_array()
        .map(|a| a.iter().filter_map(|i| i["type"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(kinds, vec!["email", "phone_number"], "{b}");
    assert!(
        b["identities"]
            .as_array()
            .is_some_and(|a| a.iter().all(|i| i["user_id"] == customer))
    );
    assert_eq!(b["organizations"][0]["name"], "Acme", "{b}");
    assert!(b.get("groups").is_none(), "only what was asked: {b}");

    let (_, b) = srv
        .get(
            &format!(
                "/api/v2/users/show_many.json?ids={customer},{agent}&include=groups,identities"
            ),
            &admin,
        )
        .await;
    assert_eq!(b["groups"][0]["id"], group, "{b}");
    assert_eq!(b["groups"].as_array().map(Vec::len), Some(1), "{b}");
    assert_eq!(b["identities"].as_array().map(Vec::len), Some(3), "{b}");
    let (_, b) = srv
        .get("/api/v2/users.json?role=agent&include=groups", &admin)
        .await;
    assert_eq!(b["groups"][0]["name"], "Soporte", "{b}");
    let (_, b) = srv
        .get(
            "/api/v2/incremental/users.json?start_time=0&include=identities",
            &admin,
        )
        .await;
    let phones = b["identities"]
        .as_array()
        .map(|a| a.iter().filter(|i| i["value"] == "+34600123456").count());
    assert_eq!(phones, Some(1), "{b}");
    let (_, b) = srv
        .get(
            "/api/v2/incremental/users/cursor.json?start_time=0&include=organizations",
            &admin,
        )
        .await;
    assert_eq!(b["organizations"][0]["name"], "Acme", "{b}");

    // Search takes Zendesk's `include=tickets(users)` and `users(…)`.
    new_ticket(
        &srv,
        json!({"subject": "Zarzaparrilla agotada", "requester_id": customer, "comment": {"body": "¿Cuándo vuelve?"}}),
    )
    .await;
    let (s, b) = srv
        .get(
            "/api/v2/search.json?query=zarzaparrilla&include=tickets(users,organizations)",
            &admin,
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["count"], 1, "{b}");
    assert!(
        b["users"]
            .as_array()
            .is_some_and(|u| u.iter().any(|x| x["id"] == customer)),
        "{b}"
    );
    assert_eq!(b["organizations"][0]["id"], org, "{b}");
    let (_, b) = srv
        .get(
            "/api/v2/search.json?query=type:user%20rosa&include=users(identities)",
            &admin,
        )
        .await;
    assert_eq!(b["identities"].as_array().map(Vec::len), Some(2), "{b}");
});
