//! The chat for integrations: `/api/v2/chat/conversations` read and driven
//! with an API token (list, one, lines, reply, accept, decline, pass on,
//! end), and chat events on webhooks subscribed to them.

use super::chat::{SITE, call, line, poll, session, widget};
use super::routing::call_ok;
use super::*;

both!(integrations_follow_and_drive_a_chat, |srv| {
    let admin = srv.admin();
    // A webhook for chat events; a subscription that does not exist is refused.
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/webhooks.json",
            &admin,
            Some(json!({"webhook": {"name": "CRM", "endpoint": "http://127.0.0.1:9/hook", "http_method": "POST", "request_format": "json", "status": "active", "subscriptions": ["chat.nope"]}})),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    let made = call_ok(
        &srv,
        "POST",
        "/api/v2/webhooks.json",
        &admin,
        json!({"webhook": {"name": "CRM", "endpoint": "http://127.0.0.1:9/hook", "http_method": "POST", "request_format": "json", "status": "active", "subscriptions": ["chat.started", "chat.handed_over", "chat.accepted", "chat.transferred", "chat.ended"]}}),
    )
    .await;
    let hook = made["webhook"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        made["webhook"]["subscriptions"][0], "chat.started",
        "{made}"
    );
    // A webhook for events is not one triggers call.
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/triggers.json",
            &admin,
            Some(json!({"trigger": {"title": "x",
                "conditions": {"all": [{"field": "status", "operator": "is", "value": "open"}]},
                "actions": [{"field": "notification_webhook", "value": [hook, "{}"]}]}})),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    assert!(b.to_string().contains("subscribed to events"), "{b}");

    call_ok(
        &srv,
        "PUT",
        "/api/v2/routing/settings.json",
        &admin,
        json!({"routing_settings": {"enabled": true}}),
    )
    .await;
    let me = admin_actor(&srv).await.user.0;
    call_ok(&srv, "PUT", &format!("/api/v2/routing/agents/{me}/profile.json"), &admin, json!({"routing_profile": {"languages": ["es"], "capacity": {"chat": 2}, "presence": "online"}})).await;

    let (key, _) = widget(&srv).await;
    let (token, _) = session(&srv, &key, None).await;
    let (s, b) = line(&srv, &key, &token, "a1", "hola").await;
    assert_eq!(s, 200, "{b}");
    let conversation = b["conversation"]["id"].as_i64().unwrap_or_default();

    // Listed while with the bot; one, by id.
    let list = call_ok(
        &srv,
        "GET",
        "/api/v2/chat/conversations.json?state=bot",
        &admin,
        json!(null),
    )
    .await;
    assert!(
        list["conversations"]
            .as_array()
            .is_some_and(|l| l.iter().any(|c| c["id"] == conversation)),
        "{list}"
    );
    let (s, b) = srv
        .call(
            "GET",
            "/api/v2/chat/conversations.json?state=nope",
            &admin,
            None,
        )
        .await;
    assert_eq!(s, 422, "{b}");

    let (s, b) = call(&srv, &key, "person", Some(SITE), json!({"token": token})).await;
    assert_eq!(s, 200, "{b}");
    let one = call_ok(
        &srv,
        "GET",
        &format!("/api/v2/chat/conversations/{conversation}.json"),
        &admin,
        json!(null),
    )
    .await;
    assert_eq!(one["conversation"]["state"], "waiting", "{one}");
    assert_eq!(
        one["conversation"]["offered_to"], me,
        "routing offered it: {one}"
    );
    let ticket = one["conversation"]["ticket_id"]
        .as_i64()
        .unwrap_or_default();

    // Accepted and answered through the API: the widget gets the line.
    let accepted = call_ok(
        &srv,
        "POST",
        &format!("/api/v2/chat/conversations/{conversation}/accept.json"),
        &admin,
        json!({}),
    )
    .await;
    assert_eq!(accepted["conversation"]["agent_id"], me, "{accepted}");
    let (s, b) = srv
        .call(
            "POST",
            &format!("/api/v2/chat/conversations/{conversation}/lines.json"),
            &admin,
            Some(json!({"line": {"text": ""}})),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    let (s, b) = srv
        .call(
            "POST",
            &format!("/api/v2/chat/conversations/{conversation}/lines.json"),
            &admin,
            Some(json!({"line": {"text": "Hola, te atiendo por la API."}})),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let mut seen = false;
    for _ in 0..50 {
        let (_, p) = poll(&srv, &key, &token, 0).await;
        if p["lines"].as_array().is_some_and(|l| {
            l.iter()
                .any(|x| x["text"] == "Hola, te atiendo por la API." && x["author"] == "agent")
        }) {
            seen = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(seen, "the reply reached the widget");
    let lines = call_ok(
        &srv,
        "GET",
        &format!("/api/v2/chat/conversations/{conversation}/lines.json?after_id=0"),
        &admin,
        json!(null),
    )
    .await;
    let authors: Vec<&str> = lines["lines"]
        .as_array()
        .map(|l| l.iter().filter_map(|x| x["author"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        authors.contains(&"visitor") && authors.contains(&"agent") && authors.contains(&"system"),
        "{lines}"
    );

    // Passed on: one agent or one group, nothing else.
    for bad in [
        json!({"transfer": {}}),
        json!({"transfer": {"agent_id": me, "group_id": 1}}),
    ] {
        let (s, b) = srv
            .call(
                "POST",
                &format!("/api/v2/chat/conversations/{conversation}/transfer.json"),
                &admin,
                Some(bad),
            )
            .await;
        assert_eq!(s, 422, "{b}");
    }
    let (s, b) = srv
        .call(
            "POST",
            &format!("/api/v2/chat/conversations/{conversation}/transfer.json"),
            &admin,
            Some(json!({"transfer": {"agent_id": me, "note": "Para ti"}})),
        )
        .await;
    assert_eq!(s, 204, "{b}");
    // Declined by API (it was offered to the admin again).
    let (s, b) = srv
        .call(
            "POST",
            &format!("/api/v2/chat/conversations/{conversation}/decline.json"),
            &admin,
            None,
        )
        .await;
    assert_eq!(s, 204, "{b}");

    // Ended: the visitor is told.
    let (s, b) = srv
        .call(
            "POST",
            &format!("/api/v2/chat/conversations/{conversation}/end.json"),
            &admin,
            None,
        )
        .await;
    assert_eq!(s, 204, "{b}");
    let (_, p) = poll(&srv, &key, &token, 0).await;
    assert_eq!(p["conversation"]["state"], "ended", "{p}");

    // Customers and strangers have no say.
    let (_, customer) = srv
        .user_with_token("Cliente", "cliente.api@example.com", "end-user")
        .await;
    let (s, _) = srv
        .call("GET", "/api/v2/chat/conversations.json", &customer, None)
        .await;
    assert_eq!(s, 403);
    let (s, _) = srv
        .call(
            "GET",
            &format!("/api/v2/chat/conversations/{conversation}.json"),
            &customer,
            None,
        )
        .await;
    assert!(s == 403 || s == 404, "{s}");

    // The webhook heard every step, in order, about this chat and its case.
    let deliveries = srv
        .app
        .webhook_deliveries(admin_actor(&srv).await, &hook)
        .await
        .unwrap_or_default();
    let mut events: Vec<(i64, String)> = deliveries
        .iter()
        .filter_map(|d| {
            let b: Json = serde_json::from_str(&d.body).ok()?;
            assert_eq!(b["detail"]["conversation_id"], conversation, "{b}");
            Some((d.id.0, b["type"].as_str()?.to_string()))
        })
        .collect();
    events.sort();
    let kinds: Vec<&str> = events.iter().map(|(_, k)| k.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "chat.started",
            "chat.handed_over",
            "chat.accepted",
            "chat.transferred",
            "chat.ended"
        ],
        "{deliveries:?}"
    );
    assert!(
        deliveries
            .iter()
            .any(|d| d.ticket_id.map(|t| t.0) == Some(ticket))
    );
});
