//! What integrations read first — account settings, the brand, locales —
//! and the lookups they make while syncing: tag autocomplete, a problem's
//! incidents, several views' counts.

use super::*;

both!(integrations_read_the_account_and_its_lookups, |srv| {
    let admin = srv.admin();
    let (s, b) = srv.get("/api/v2/account/settings.json", &admin).await;
    assert_eq!(s, 200, "{b}");
    let settings = &b["settings"];
    assert_eq!(settings["localization"]["default_locale"], "es", "{b}");
    assert_eq!(
        settings["localization"]["time_zone"], "UTC",
        "no schedule yet: {b}"
    );
    assert_eq!(settings["active_features"]["help_center"], true);
    assert_eq!(
        settings["active_features"]["chat"], false,
        "no widget yet: {b}"
    );
    assert!(settings["limits"]["attachment_bytes"].as_u64().unwrap_or(0) > 0);
    assert!(
        settings["api"]["rate_limit_per_minute"]
            .as_u64()
            .unwrap_or(0)
            > 0
    );
    // A schedule and a widget change what the account says.
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/business_hours/schedules.json",
            &admin,
            Some(json!({"schedule": {"name": "Madrid", "time_zone": "Europe/Madrid"}})),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/chat/widgets.json",
            &admin,
            Some(
                json!({"widget": {"name": "Web", "allowed_origins": ["https://shop.example.com"]}}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let (_, b) = srv.get("/api/v2/account/settings.json", &admin).await;
    assert_eq!(
        b["settings"]["localization"]["time_zone"], "Europe/Madrid",
        "{b}"
    );
    assert_eq!(b["settings"]["active_features"]["chat"], true, "{b}");

    let (s, b) = srv.get("/api/v2/brands.json", &admin).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["count"], 1);
    assert_eq!(b["brands"][0]["default"], true);
    assert_eq!(b["brands"][0]["brand_url"], json!(srv.base), "{b}");
    let (s, _) = srv.get("/api/v2/brands/1.json", &admin).await;
    assert_eq!(s, 200);
    let (s, b) = srv.get("/api/v2/brands/2.json", &admin).await;
    assert_eq!(s, 404, "{b}");
    assert!(b["error"].is_string(), "{b}");

    let (_, b) = srv.get("/api/v2/locales.json", &admin).await;
    let codes: Vec<&str> = b["locales"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["locale"].as_str())
        .collect();
    assert_eq!(codes, ["es", "en-US"], "{b}");
    let (_, b) = srv.get("/api/v2/locales/en-US.json", &admin).await;
    assert_eq!(b["locale"]["id"], 1, "{b}");
    // The test admin speaks English.
    let (_, b) = srv.get("/api/v2/locales/current.json", &admin).await;
    assert_eq!(b["locale"]["locale"], "en-US", "{b}");

    // Tags: the most used first, only those beginning with the letters.
    for tags in [
        json!(["envio", "vip"]),
        json!(["envio_tarde"]),
        json!(["envio"]),
    ] {
        new_ticket(
            &srv,
            json!({"comment": {"body": "¿Y mi pedido?"}, "tags": tags}),
        )
        .await;
    }
    let (_, b) = srv
        .get("/api/v2/autocomplete/tags.json?name=env", &admin)
        .await;
    assert_eq!(b["tags"], json!(["envio", "envio_tarde"]), "{b}");
    let (s, _) = srv
        .get("/api/v2/autocomplete/tags.json?name=e", &admin)
        .await;
    assert_eq!(s, 400, "one letter is too few");

    // A problem and its incidents.
    let problem = new_ticket(
        &srv,
        json!({"comment": {"body": "Caída del pago"}, "type": "problem"}),
    )
    .await;
    let problem_id = problem["id"].as_i64().unwrap_or_default();
    let mut incidents = Vec::new();
    for i in 0..2 {
        let t = new_ticket(
            &srv,
            json!({"comment": {"body": format!("No puedo pagar {i}")}, "type": "incident", "problem_id": problem_id}),
        )
        .await;
        incidents.push(t["id"].clone());
    }
    let (s, b) = srv
        .get(
            &format!("/api/v2/tickets/{problem_id}/incidents.json"),
            &admin,
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let listed: Vec<Json> = b["tickets"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| t["id"].clone())
        .collect();
    assert_eq!(listed, incidents, "{b}");
    let (_, b) = srv
        .get(
            &format!("/api/v2/tickets/{problem_id}/related.json"),
            &admin,
        )
        .await;
    assert_eq!(b["ticket_related"]["incidents"], 2, "{b}");

    // Sideloads: the people, groups and organizations the tickets name,
    // each once, beside them.
    let (s, org) = srv
        .call(
            "POST",
            "/api/v2/organizations.json",
            &admin,
            Some(json!({"organization": {"name": "Pagos SA"}})),
        )
        .await;
    assert_eq!(s, 201, "{org}");
    let (s, group) = srv
        .call(
            "POST",
            "/api/v2/groups.json",
            &admin,
            Some(json!({"group": {"name": "Cobros"}})),
        )
        .await;
    assert_eq!(s, 201, "{group}");
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{problem_id}.json"),
            &admin,
            Some(json!({"ticket": {
            "organization_id": org["organization"]["id"], "group_id": group["group"]["id"]}})),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let (s, b) = srv
        .get(
            &format!("/api/v2/tickets/{problem_id}.json?include=users,groups,organizations"),
            &admin,
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["users"][0]["id"], b["ticket"]["requester_id"], "{b}");
    assert_eq!(b["groups"][0]["name"], "Cobros", "{b}");
    assert_eq!(b["organizations"][0]["name"], "Pagos SA", "{b}");
    let (_, b) = srv.get("/api/v2/tickets.json?include=users", &admin).await;
    let people: Vec<Json> = b["users"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|u| u["id"].clone())
        .collect();
    let mut once = people.clone();
    once.dedup();
    assert!(
        !people.is_empty() && people == once,
        "each person once: {b}"
    );
    assert!(b.get("groups").is_none(), "only what is asked for: {b}");

    // Organizations by the start of their name.
    for name in ["Pagos Norte", "Pagina Uno"] {
        let (s, b) = srv
            .call(
                "POST",
                "/api/v2/organizations.json",
                &admin,
                Some(json!({"organization": {"name": name}})),
            )
            .await;
        assert_eq!(s, 201, "{b}");
    }
    let (_, b) = srv
        .get("/api/v2/organizations/autocomplete.json?name=pag", &admin)
        .await;
    let names: Vec<&str> = b["organizations"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o["name"].as_str())
        .collect();
    assert_eq!(names, ["Pagina Uno", "Pagos Norte", "Pagos SA"], "{b}");
    let (s, _) = srv
        .get("/api/v2/organizations/autocomplete.json?name=p", &admin)
        .await;
    assert_eq!(s, 422, "one letter is too few");

    // Several views counted at once.
    let mut views = Vec::new();
    for (title, value) in [("Nuevos", "new"), ("Abiertos", "open")] {
        let (s, b) = srv
            .call(
                "POST",
                "/api/v2/views.json",
                &admin,
                Some(json!({"view": {"title": title,
                "all": [{"field": "status", "operator": "is", "value": value}]}})),
            )
            .await;
        assert_eq!(s, 201, "{b}");
        views.push(b["view"]["id"].as_i64().unwrap_or_default());
    }
    let (s, b) = srv
        .get(
            &format!(
                "/api/v2/views/count_many.json?ids={},{}",
                views[0], views[1]
            ),
            &admin,
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let (_, total) = srv.get("/api/v2/tickets.json", &admin).await;
    assert_eq!(b["view_counts"][0]["view_id"], views[0], "{b}");
    assert_eq!(
        b["view_counts"][0]["value"], total["count"],
        "every ticket here is new: {b}"
    );
    assert_eq!(b["view_counts"][1]["value"], 0, "{b}");
});
