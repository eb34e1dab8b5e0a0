use super::*;

both!(create_with_new_requester_fields_and_audit, |srv| {
    let (s, f) = srv
        .call("POST", "/api/v2/ticket_fields.json", &srv.admin(), Some(json!({"ticket_field": {"type": "tagger", "title": "Motivo", "custom_field_options": [{"name": "Reembolso", "value": "motivo_reembolso"}, {"name": "Envío", "value": "motivo_envio"}]}})))
        .await;
    assert_eq!(s, 201, "{f}");
    let field = f["ticket_field"]["id"].as_i64().unwrap_or_default();
    assert!(
        f["ticket_field"]["custom_field_options"][0]["id"]
            .as_i64()
            .is_some()
    );
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/tickets.json",
            &srv.admin(),
            Some(json!({"ticket": {"subject": "Mi pedido", "comment": {"body": "No llegó", "public": true}, "requester": {"name": "Lucía", "email": "Lucia@Example.com"}, "priority": "high", "type": "incident", "tags": ["vip", "VIP", "urgente"], "custom_fields": [{"id": field, "value": "motivo_envio"}], "external_id": "ord-1"}})),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let t = &b["ticket"];
    assert!(
        b["audit"]["id"].as_i64().is_some()
            && b["audit"]["events"]
                .as_array()
                .is_some_and(|e| !e.is_empty()),
        "zenpy needs ticket and audit: {b}"
    );
    assert_eq!(t["status"], "new");
    assert_eq!(t["priority"], "high");
    assert_eq!(t["description"], "No llegó");
    assert_eq!(
        t["tags"],
        json!(["motivo_envio", "urgente", "vip"]),
        "dropdown value becomes a tag, tags are unique"
    );
    assert_eq!(
        t["custom_fields"],
        json!([{"id": field, "value": "motivo_envio"}])
    );
    assert_eq!(t["via"]["channel"], "api");
    let requester = t["requester_id"].as_i64().unwrap_or_default();
    let (_, u) = srv
        .get(&format!("/api/v2/users/{requester}.json"), &srv.admin())
        .await;
    assert_eq!(
        (u["user"]["email"].as_str(), u["user"]["role"].as_str()),
        (Some("lucia@example.com"), Some("end-user"))
    );
    // Same email again reuses the profile.
    let t2 = new_ticket(&srv, json!({"comment": {"body": "otra vez"}, "requester": {"name": "L", "email": "lucia@example.com"}})).await;
    assert_eq!(t2["requester_id"].as_i64(), Some(requester));
    assert_eq!(
        t2["subject"], "otra vez",
        "subject defaults from the comment"
    );
    // A bad dropdown value is refused, and nothing is written.
    let (s, b) = srv.call("POST", "/api/v2/tickets.json", &srv.admin(), Some(json!({"ticket": {"comment": {"body": "x"}, "requester": {"email": "new@example.com"}, "custom_fields": [{"id": field, "value": "nope"}]}}))).await;
    assert_eq!(
        (s, b["error"].as_str()),
        (422, Some("RecordInvalid")),
        "{b}"
    );
    let (_, found) = srv
        .get(
            "/api/v2/users/search.json?query=new@example.com",
            &srv.admin(),
        )
        .await;
    assert_eq!(
        found["count"], 0,
        "the requester of a refused ticket is not created: {found}"
    );
    // A comment is required.
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/tickets.json",
            &srv.admin(),
            Some(json!({"ticket": {"subject": "no body"}})),
        )
        .await;
    assert_eq!(
        (s, b["details"]["comment"][0]["error"].as_str()),
        (422, Some("BlankValue")),
        "{b}"
    );
});

both!(regexp_fields_validate_pattern, |srv| {
    let (s, b) = srv
        .call("POST", "/api/v2/ticket_fields.json", &srv.admin(), Some(json!({"ticket_field": {"type": "regexp", "title": "Código postal", "regexp_for_validation": "(unclosed"}})))
        .await;
    assert_eq!(
        (
            s,
            b["details"]["regexp_for_validation"][0]["error"].as_str()
        ),
        (422, Some("InvalidValue")),
        "a broken pattern is refused when saved: {b}"
    );
    let (s, f) = srv
        .call("POST", "/api/v2/ticket_fields.json", &srv.admin(), Some(json!({"ticket_field": {"type": "regexp", "title": "Código postal", "regexp_for_validation": "\\A[0-9]{5}\\z"}})))
        .await;
    assert_eq!(s, 201, "{f}");
    assert_eq!(f["ticket_field"]["regexp_for_validation"], "\\A[0-9]{5}\\z");
    let field = f["ticket_field"]["id"].as_i64().unwrap_or_default();
    let t = new_ticket(
        &srv,
        json!({"comment": {"body": "envío"}, "custom_fields": [{"id": field, "value": "28013"}]}),
    )
    .await;
    assert_eq!(t["custom_fields"], json!([{"id": field, "value": "28013"}]));
    let id = t["id"].as_i64().unwrap_or_default();
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{id}.json"),
            &srv.admin(),
            Some(json!({"ticket": {"custom_fields": [{"id": field, "value": "28013 Madrid"}]}})),
        )
        .await;
    assert_eq!(
        (s, b["error"].as_str()),
        (422, Some("RecordInvalid")),
        "a value outside the pattern is refused: {b}"
    );
    let (_, b) = srv
        .get(&format!("/api/v2/tickets/{id}.json"), &srv.admin())
        .await;
    assert_eq!(
        b["ticket"]["custom_fields"],
        json!([{"id": field, "value": "28013"}])
    );
});

both!(update_reply_note_status_assignee, |srv| {
    let (agent, agent_auth) = srv
        .user_with_token("Agent", "agent@example.com", "agent")
        .await;
    let t = new_ticket(&srv, json!({"subject": "Help", "comment": {"body": "first"}, "requester": {"email": "c@example.com"}})).await;
    let path = format!("/api/v2/tickets/{}.json", t["id"]);
    let (s, b) = srv
        .call(
            "PUT",
            &path,
            &agent_auth,
            Some(json!({"ticket": {"comment": {"body": "We are on it"}, "assignee_id": agent}})),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(
        b["ticket"]["status"], "open",
        "an agent's public reply opens a new ticket"
    );
    assert_eq!(b["ticket"]["assignee_id"].as_i64(), Some(agent));
    let (s, b) = srv.call("PUT", &path, &agent_auth, Some(json!({"ticket": {"comment": {"body": "internal: check refund", "public": false}, "status": "pending"}}))).await;
    assert_eq!((s, b["ticket"]["status"].as_str()), (200, Some("pending")));
    let events = b["audit"]["events"].as_array().cloned().unwrap_or_default();
    assert!(
        events
            .iter()
            .any(|e| e["type"] == "Comment" && e["public"] == false)
    );
    assert!(events.iter().any(|e| e["type"] == "Change"
        && e["field_name"] == "status"
        && e["previous_value"] == "open"
        && e["value"] == "pending"));
    let (_, cs) = srv
        .get(
            &format!("/api/v2/tickets/{}/comments.json", t["id"]),
            &srv.admin(),
        )
        .await;
    let bodies: Vec<(String, bool)> = cs["comments"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| {
                    (
                        c["body"].as_str().unwrap_or("").to_string(),
                        c["public"].as_bool().unwrap_or(true),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        bodies,
        vec![
            ("first".into(), true),
            ("We are on it".into(), true),
            ("internal: check refund".into(), false)
        ]
    );
    let (_, audits) = srv
        .get(
            &format!("/api/v2/tickets/{}/audits.json", t["id"]),
            &srv.admin(),
        )
        .await;
    assert_eq!(audits["audits"].as_array().map(Vec::len), Some(3));
    // Solve, close, then nothing more.
    let (s, _) = srv
        .call(
            "PUT",
            &path,
            &agent_auth,
            Some(json!({"ticket": {"status": "solved"}})),
        )
        .await;
    assert_eq!(s, 200);
    let (s, b) = srv
        .call(
            "PUT",
            &path,
            &agent_auth,
            Some(json!({"ticket": {"status": "new"}})),
        )
        .await;
    assert_eq!(s, 422, "never back to new: {b}");
    let (s, _) = srv
        .call(
            "PUT",
            &path,
            &agent_auth,
            Some(json!({"ticket": {"status": "closed"}})),
        )
        .await;
    assert_eq!(s, 200);
    let (s, b) = srv
        .call(
            "PUT",
            &path,
            &agent_auth,
            Some(json!({"ticket": {"comment": {"body": "late"}}})),
        )
        .await;
    assert_eq!(
        (s, b["details"]["status"][0]["error"].as_str()),
        (422, Some("InvalidValue")),
        "closed is final: {b}"
    );
    // Assigning to an end-user is refused.
    let t2 = new_ticket(
        &srv,
        json!({"comment": {"body": "x"}, "requester": {"email": "enduser@example.com"}}),
    )
    .await;
    let requester = t2["requester_id"].clone();
    let (s, _) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{}.json", t2["id"]),
            &agent_auth,
            Some(json!({"ticket": {"assignee_id": requester}})),
        )
        .await;
    assert_eq!(s, 422);
    // Safe update refuses a stale stamp.
    let (s, b) = srv.call("PUT", &format!("/api/v2/tickets/{}.json", t2["id"]), &agent_auth, Some(json!({"ticket": {"priority": "low", "safe_update": true, "updated_stamp": "2001-01-01T00:00:00Z"}}))).await;
    assert_eq!(s, 409, "{b}");
});

both!(delete_show_many_and_lists, |srv| {
    let mut ids = Vec::new();
    for i in 0..105 {
        ids.push(
            new_ticket(
                &srv,
                json!({"subject": format!("t{i}"), "comment": {"body": "cuerpo"}}),
            )
            .await["id"]
                .as_i64()
                .unwrap_or_default(),
        );
    }
    // Cursor paging over more than one page: links.next is null at the end.
    let (_, p1) = srv
        .get("/api/v2/tickets.json?page%5Bsize%5D=100", &srv.admin())
        .await;
    assert_eq!(p1["tickets"].as_array().map(Vec::len), Some(100));
    assert_eq!(p1["meta"]["has_more"], true);
    let next = p1["links"]["next"].as_str().unwrap_or_default().to_string();
    assert!(next.starts_with(&srv.base), "absolute link: {next}");
    let (_, p2) = srv.get(&next, &srv.admin()).await;
    assert_eq!(p2["tickets"].as_array().map(Vec::len), Some(5));
    assert_eq!(
        (
            p2["meta"]["has_more"].as_bool(),
            p2["links"]["next"].is_null()
        ),
        (Some(false), true)
    );
    // Offset paging with count.
    let (_, o) = srv
        .get("/api/v2/tickets.json?per_page=50&page=3", &srv.admin())
        .await;
    assert_eq!(
        (
            o["count"].as_i64(),
            o["tickets"].as_array().map(Vec::len),
            o["next_page"].is_null()
        ),
        (Some(105), Some(5), true)
    );
    assert!(
        o["previous_page"]
            .as_str()
            .is_some_and(|p| p.contains("page=2"))
    );
    let list = ids[..3]
        .iter()
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let (s, b) = srv
        .call(
            "DELETE",
            &format!("/api/v2/tickets/{}.json", ids[0]),
            &srv.admin(),
            Some(json!({"ticket": {"id": ids[0]}})),
        )
        .await;
    assert_eq!((s, b), (204, Json::Null));
    let (s, _) = srv
        .get(&format!("/api/v2/tickets/{}.json", ids[0]), &srv.admin())
        .await;
    assert_eq!(s, 404);
    let (_, many) = srv
        .get(
            &format!("/api/v2/tickets/show_many.json?ids={list},999999"),
            &srv.admin(),
        )
        .await;
    assert_eq!(
        many["tickets"].as_array().map(Vec::len),
        Some(2),
        "deleted and unknown ids are omitted"
    );
    let too_many = (1..=101)
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let (s, b) = srv
        .get(
            &format!("/api/v2/tickets/show_many.json?ids={too_many}"),
            &srv.admin(),
        )
        .await;
    assert_eq!((s, b["error"].as_str()), (400, Some("TooManyValues")));
    let (_, o) = srv.get("/api/v2/tickets.json", &srv.admin()).await;
    assert_eq!(o["count"], 104);
    let (_, found) = srv
        .get("/api/v2/search.json?query=cuerpo", &srv.admin())
        .await;
    assert_eq!(found["count"], 104, "deleted tickets never match");
});

both!(merge_bulk_and_tags, |srv| {
    let a = new_ticket(&srv, json!({"subject": "A", "comment": {"body": "alpha"}, "requester": {"email": "m@example.com"}})).await;
    let b = new_ticket(&srv, json!({"subject": "B", "comment": {"body": "bravo"}, "requester": {"email": "m@example.com"}})).await;
    let (s, job) = srv.call("POST", &format!("/api/v2/tickets/{}/merge.json", a["id"]), &srv.admin(), Some(json!({"ids": [b["id"]], "target_comment": null, "source_comment": "Cerrado y unido"}))).await;
    assert_eq!(s, 200, "{job}");
    assert_eq!(job["job_status"]["status"], "completed");
    let (_, js) = srv
        .get(
            &format!(
                "/api/v2/job_statuses/{}.json",
                job["job_status"]["id"].as_str().unwrap_or("")
            ),
            &srv.admin(),
        )
        .await;
    assert_eq!(js["job_status"]["results"][0]["success"], true, "{js}");
    let (_, src) = srv
        .get(&format!("/api/v2/tickets/{}.json", b["id"]), &srv.admin())
        .await;
    assert_eq!(src["ticket"]["status"], "closed");
    let (_, cs) = srv
        .get(
            &format!("/api/v2/tickets/{}/comments.json", a["id"]),
            &srv.admin(),
        )
        .await;
    let bodies: Vec<&str> = cs["comments"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["body"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        bodies.contains(&"alpha")
            && bodies.contains(&"bravo")
            && bodies.iter().any(|b| b.contains("merged")),
        "{bodies:?}"
    );
    let (_, src_comments) = srv
        .get(
            &format!("/api/v2/tickets/{}/comments.json", b["id"]),
            &srv.admin(),
        )
        .await;
    assert_eq!(src_comments["comments"][0]["body"], "Cerrado y unido");
    let (_, found) = srv
        .get(
            "/api/v2/search.json?query=bravo%20type:ticket",
            &srv.admin(),
        )
        .await;
    assert_eq!(
        found["results"][0]["id"], a["id"],
        "the target is found by the source's text: {found}"
    );
    // Bulk update by ids, then each ticket changed.
    let c = new_ticket(&srv, json!({"comment": {"body": "c"}})).await;
    let d = new_ticket(&srv, json!({"comment": {"body": "d"}})).await;
    let (s, job) = srv
        .call(
            "PUT",
            &format!(
                "/api/v2/tickets/update_many.json?ids={},{}",
                c["id"], d["id"]
            ),
            &srv.admin(),
            Some(json!({"ticket": {"priority": "urgent", "additional_tags": ["bulk"]}})),
        )
        .await;
    assert_eq!(
        (s, job["job_status"]["total"].as_i64()),
        (200, Some(2)),
        "{job}"
    );
    let (_, got) = srv
        .get(&format!("/api/v2/tickets/{}.json", d["id"]), &srv.admin())
        .await;
    assert_eq!(
        (
            got["ticket"]["priority"].as_str(),
            got["ticket"]["tags"].clone()
        ),
        (Some("urgent"), json!(["bulk"]))
    );
    // The zenpy form: a list of tickets with ids.
    let (s, _) = srv.call("PUT", "/api/v2/tickets/update_many.json", &srv.admin(), Some(json!({"tickets": [{"id": c["id"], "status": "pending"}, {"id": 999999, "status": "open"}]}))).await;
    assert_eq!(s, 200);
    // Tags endpoints.
    let tp = format!("/api/v2/tickets/{}/tags.json", c["id"]);
    let (_, t) = srv
        .call(
            "PUT",
            &tp,
            &srv.admin(),
            Some(json!({"tags": ["uno", "dos"]})),
        )
        .await;
    assert_eq!(t["tags"], json!(["bulk", "dos", "uno"]));
    let (_, t) = srv
        .call("DELETE", &tp, &srv.admin(), Some(json!({"tags": ["bulk"]})))
        .await;
    assert_eq!(t["tags"], json!(["dos", "uno"]));
    let (_, t) = srv
        .call("POST", &tp, &srv.admin(), Some(json!({"tags": ["solo"]})))
        .await;
    assert_eq!(t["tags"], json!(["solo"]));
    let (s, job) = srv
        .call(
            "DELETE",
            &format!("/api/v2/tickets/destroy_many.json?ids={}", d["id"]),
            &srv.admin(),
            None,
        )
        .await;
    assert_eq!(
        (s, job["job_status"]["results"][0]["success"].as_bool()),
        (200, Some(true))
    );
});

both!(uploads_attach_to_comments, |srv| {
    let data = b"%PDF-1.4 fake invoice".to_vec();
    let r = srv
        .raw(
            "POST",
            "/api/v2/uploads.json?filename=%2Fhome%2Fana%2Ffactura.pdf&binary=false",
            &srv.admin(),
            Some(data.clone()),
            Some("application/json"),
        )
        .await;
    assert_eq!(r.status().as_u16(), 201);
    let up: Json = r.json().await.unwrap_or(Json::Null);
    let token = up["upload"]["token"].as_str().unwrap_or("").to_string();
    assert_eq!(up["upload"]["attachment"]["file_name"], "factura.pdf");
    assert_eq!(
        up["upload"]["attachment"]["content_type"], "application/pdf",
        "node's JSON content type is not believed"
    );
    let t = new_ticket(
        &srv,
        json!({"comment": {"body": "see attached", "uploads": [token]}}),
    )
    .await;
    let (_, cs) = srv
        .get(
            &format!("/api/v2/tickets/{}/comments.json", t["id"]),
            &srv.admin(),
        )
        .await;
    let att = &cs["comments"][0]["attachments"][0];
    assert_eq!(att["size"], data.len());
    let r = srv
        .raw(
            "GET",
            att["content_url"].as_str().unwrap_or(""),
            &srv.admin(),
            None,
            None,
        )
        .await;
    assert_eq!(
        r.headers()
            .get("content-disposition")
            .and_then(|v| v.to_str().ok()),
        Some("attachment; filename=\"factura.pdf\"")
    );
    assert_eq!(
        r.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
        data
    );
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/tickets.json",
            &srv.admin(),
            Some(json!({"ticket": {"comment": {"body": "x", "uploads": ["not-a-token"]}}})),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    // Someone who cannot see the ticket cannot fetch its file.
    let (_, other) = srv
        .user_with_token("Eve", "eve@example.com", "end-user")
        .await;
    let r = srv
        .raw(
            "GET",
            att["content_url"].as_str().unwrap_or(""),
            &other,
            None,
            None,
        )
        .await;
    assert_eq!(r.status().as_u16(), 404);
});

both!(concurrent_creates_all_land, |srv| {
    let srv = std::sync::Arc::new(srv);
    let mut tasks = Vec::new();
    for i in 0..64 {
        let srv = srv.clone();
        tasks.push(tokio::spawn(async move { srv.call("POST", "/api/v2/tickets.json", &srv.admin(), Some(json!({"ticket": {"subject": format!("c{i}"), "comment": {"body": "parallel"}}}))).await }));
    }
    let mut ids = Vec::new();
    for t in tasks {
        let (s, b) = t.await.unwrap_or((0, Json::Null));
        assert_eq!(s, 201, "{b}");
        ids.push(b["ticket"]["id"].as_i64().unwrap_or_default());
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 64);
    let (_, found) = srv
        .get("/api/v2/search/count.json?query=parallel", &srv.admin())
        .await;
    assert_eq!(found["count"], 64);
    // Many first messages from the same new customer at the same moment:
    // every one lands, all on one profile (on PostgreSQL one used to fail
    // with a duplicate key).
    for round in 0..4 {
        let mut tasks = Vec::new();
        for i in 0..16 {
            let srv = srv.clone();
            tasks.push(tokio::spawn(async move {
                srv.call("POST", "/api/v2/tickets.json", &srv.admin(), Some(json!({"ticket": {"subject": format!("n{round}-{i}"), "comment": {"body": "primera vez"}, "requester": {"name": "Nueva", "email": format!("nueva{round}@example.com")}}}))).await
            }));
        }
        let mut requesters = Vec::new();
        for t in tasks {
            let (s, b) = t.await.unwrap_or((0, Json::Null));
            assert_eq!(s, 201, "{b}");
            requesters.push(b["ticket"]["requester_id"].as_i64());
        }
        requesters.sort();
        requesters.dedup();
        assert_eq!(requesters.len(), 1, "one profile: {requesters:?}");
    }
});

both!(a_ticket_keeps_its_request_form, |srv| {
    let admin = srv.admin();
    let mut forms = Vec::new();
    for name in ["Pedidos", "Facturas"] {
        forms.push(new_ticket_form(&srv, name).await);
    }
    let t = new_ticket(
        &srv,
        json!({"comment": {"body": "¿Dónde está mi pedido?"}, "ticket_form_id": forms[0]}),
    )
    .await;
    assert_eq!(t["ticket_form_id"], forms[0], "{t}");
    let id = t["id"].as_i64().unwrap_or_default();
    let put = |body: Json| {
        let srv = &srv;
        let admin = admin.clone();
        async move {
            srv.call(
                "PUT",
                &format!("/api/v2/tickets/{id}.json"),
                &admin,
                Some(json!({ "ticket": body })),
            )
            .await
        }
    };
    let (s, b) = put(json!({"ticket_form_id": 999_999})).await;
    assert_eq!(
        (s, b["details"]["ticket_form_id"][0]["error"].as_str()),
        (422, Some("InvalidValue")),
        "a form that does not exist is refused: {b}"
    );
    let (s, b) = put(json!({"ticket_form_id": forms[1]})).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["ticket"]["ticket_form_id"], forms[1]);
    let (s, b) = put(json!({"ticket_form_id": null})).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["ticket"]["ticket_form_id"], Json::Null);
    // Each change is in the ticket's audits, as Zendesk records it.
    let (_, audits) = srv
        .get(&format!("/api/v2/tickets/{id}/audits.json"), &admin)
        .await;
    let form_events: Vec<(Json, Json)> = audits["audits"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|a| a["events"].as_array().cloned().unwrap_or_default())
        .filter(|e| e["field_name"] == "ticket_form_id")
        .map(|e| (e["value"].clone(), e["previous_value"].clone()))
        .collect();
    assert_eq!(
        form_events,
        vec![
            (json!(forms[0]), Json::Null),
            (json!(forms[1]), json!(forms[0])),
            (Json::Null, json!(forms[1])),
        ],
        "{audits}"
    );
});
