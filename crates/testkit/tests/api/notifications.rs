//! Notifications from rules go out in each recipient's language.

use super::*;

both!(notifications_speak_the_recipients_language, |first| {
    let backend = first.backend;
    drop(first);
    let srv = start_with_support_mail(backend).await;
    let (sofia, _) = srv
        .user_with_token("Sofía", "sofia@example.com", "agent")
        .await;
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/users/{sofia}.json"),
            &srv.admin(),
            Some(json!({"user": {"locale": "es"}})),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let (tom, _) = srv.user_with_token("Tom", "tom@example.com", "agent").await;
    let text = "{{ticket.status}} / {{ticket.priority}}";
    let (s, b) = srv.call("POST", "/api/v2/triggers.json", &srv.admin(), Some(json!({"trigger": {"title": "Avisar",
        "conditions": {"all": [{"field": "update_type", "operator": "is", "value": "Create"}]},
        "actions": [
            {"field": "notification_user", "value": [sofia.to_string(), "#{{ticket.id}}", text]},
            {"field": "notification_user", "value": [tom.to_string(), "#{{ticket.id}}", text]}
        ]}}))).await;
    assert_eq!(s, 201, "{b}");
    let t = new_ticket(
        &srv,
        json!({"subject": "Pedido", "priority": "high", "comment": {"body": "No llega"}}),
    )
    .await;
    let admin = admin_actor(&srv).await;
    let outbox = srv
        .app
        .ticket_outbox(
            admin,
            domain::TicketId(t["id"].as_i64().unwrap_or_default()),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let body_to = |who: &str| {
        outbox
            .iter()
            .find(|m| m.to_address == who)
            .map(|m| m.body_text.clone())
            .unwrap_or_else(|| panic!("no mail to {who}: {outbox:?}"))
    };
    assert!(
        body_to("sofia@example.com").starts_with("nuevo / alta"),
        "{outbox:?}"
    );
    assert!(
        body_to("tom@example.com").starts_with("new / high"),
        "{outbox:?}"
    );
});
