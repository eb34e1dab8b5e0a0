//! Messenger and Instagram direct messages end to end, against the Graph
//! stand-in in the test kit: Meta's handshake and signature, a page's
//! message and an Instagram story reply taken in with their context, the
//! agent's reply through the Send API as a person's (the HUMAN_AGENT tag),
//! a file uploaded with its message,
//! delivery receipts, Meta's seven-day limit on a person's reply, echoes
//! of our own messages skipped, and a customer's photo kept as a file.

use super::messaging_kit::{meta_deliver, outbox_on, until, wrote_days_ago};
use super::*;
use atiende_testkit::whatsapp::WhatsAppStandIn;
use domain::messaging::Receipt;
use domain::{Channel, IdentityKind, OutboundStatus};

const TOKEN: &str = "page-access-token";
const APP_SECRET: &str = "meta-app-secret";

async fn deliver(url: &str, body: &Json) -> u16 {
    meta_deliver(url, APP_SECRET, body).await
}

async fn connect(srv: &TestServer, channel: &str, id: &str, base: &str) -> (String, String) {
    let (s, made) = srv
        .call(
            "POST",
            "/api/v2/channels/accounts.json",
            &srv.admin(),
            Some(json!({"account": {"channel": channel, "name": channel, "external_id": id,
                "credentials": {"access_token": TOKEN, "app_secret": APP_SECRET}, "api_base": base}})),
        )
        .await;
    assert_eq!(s, 201, "{made}");
    (
        made["account"]["webhook_url"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        made["account"]["verify_token"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    )
}

async fn tickets_via(srv: &TestServer, channel: &str) -> Vec<Json> {
    let (_, t) = srv.get("/api/v2/tickets.json", &srv.admin()).await;
    t["tickets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| t["via"]["channel"] == channel)
        .cloned()
        .collect()
}

both!(messenger_and_instagram_end_to_end, |srv| {
    let graph = WhatsAppStandIn::start(TOKEN).await;
    let (page_hook, verify) = connect(&srv, "messenger", "1029384756", &graph.base).await;
    let (ig_hook, _) = connect(&srv, "instagram", "17841400000000", &graph.base).await;
    let r = reqwest::get(format!(
        "{page_hook}?hub.mode=subscribe&hub.verify_token={verify}&hub.challenge=42"
    ))
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.text().await.unwrap_or_default(), "42");

    // A Messenger message (and an echo of one of ours, skipped).
    let page_msg = json!({"object": "page", "entry": [{"id": "1029384756", "time": 1_749_416_383_000i64, "messaging": [
        {"sender": {"id": "24000001"}, "recipient": {"id": "1029384756"}, "timestamp": 1_749_416_383_000i64,
         "message": {"mid": "m_in_1", "text": "¿Hacéis envíos a Canarias?"}},
        {"sender": {"id": "1029384756"}, "recipient": {"id": "24000001"}, "timestamp": 1_749_416_384_000i64,
         "message": {"mid": "m_echo", "is_echo": true, "text": "eco"}}]}]});
    assert_eq!(deliver(&page_hook, &page_msg).await, 200);
    // An Instagram story reply, with the story as its context.
    let story = json!({"object": "instagram", "entry": [{"id": "17841400000000", "time": 1_749_416_383_000i64, "messaging": [
        {"sender": {"id": "IGSID77"}, "recipient": {"id": "17841400000000"}, "timestamp": 1_749_416_383_000i64,
         "message": {"mid": "ig_in_1", "text": "¿Queda en talla M?",
                     "reply_to": {"story": {"url": "https://cdn.example/story/1.jpg", "id": "story-1"}}}}]}]});
    assert_eq!(deliver(&ig_hook, &story).await, 200);
    // The page's delivery to the Instagram webhook is not Instagram's.
    assert_eq!(deliver(&ig_hook, &page_msg).await, 200);

    until("both cases", || async {
        !tickets_via(&srv, "facebook").await.is_empty()
            && !tickets_via(&srv, "instagram_dm").await.is_empty()
    })
    .await;
    let fb = tickets_via(&srv, "facebook").await;
    assert_eq!(fb.len(), 1, "the echo made nothing");
    let fb_ticket = fb[0]["id"].as_i64().unwrap_or_default();
    let ig = tickets_via(&srv, "instagram_dm").await[0].clone();
    let (_, c) = srv
        .get(
            &format!("/api/v2/tickets/{}/comments.json", ig["id"]),
            &srv.admin(),
        )
        .await;
    let said = c["comments"][0]["body"].as_str().unwrap_or_default();
    assert!(
        said.contains("¿Queda en talla M?")
            && said.contains("replying to our story: https://cdn.example/story/1.jpg"),
        "{said}"
    );
    until("the foreign delivery on the status", || async {
        let (_, list) = srv
            .get("/api/v2/channels/accounts.json", &srv.admin())
            .await;
        list["accounts"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|a| a["channel"] == "instagram" && a["deliveries_malformed"] == 1)
    })
    .await;

    // The agent's reply: the Send API, as a person's.
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{fb_ticket}.json"),
            &srv.admin(),
            Some(json!({"ticket": {"comment": {"body": "Sí, en 3 días.", "public": true}}})),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    until("the reply at the Send API", || async {
        !graph.sent().is_empty()
    })
    .await;
    let (page, m) = graph.sent()[0].clone();
    assert_eq!(page, "1029384756");
    assert_eq!(m["recipient"]["id"], "24000001");
    assert_eq!(m["messaging_type"], "MESSAGE_TAG");
    assert_eq!(m["tag"], "HUMAN_AGENT");
    assert_eq!(m["message"]["text"], "Sí, en 3 días.");
    let ours = || outbox_on(&srv, fb_ticket, Channel::Messenger);
    until("the reply sent", || async {
        ours()
            .await
            .first()
            .is_some_and(|m| m.status == OutboundStatus::Sent)
    })
    .await;
    assert_eq!(ours().await[0].external_id.as_deref(), Some("m_TEST1"));
    let receipt = json!({"object": "page", "entry": [{"id": "1029384756", "time": 1, "messaging": [
        {"sender": {"id": "24000001"}, "recipient": {"id": "1029384756"}, "timestamp": 1,
         "delivery": {"mids": ["m_TEST1"], "watermark": 1}}]}]});
    assert_eq!(deliver(&page_hook, &receipt).await, 200);
    until("the reply delivered", || async {
        ours().await[0].receipt == Some(Receipt::Delivered)
    })
    .await;

    // A reply with a file: the words, then the file uploaded with the
    // Send API, as the same person's reply.
    let token = upload_token(
        &srv,
        "etiqueta.pdf",
        "application/pdf",
        b"%PDF-1.4 etiqueta",
    )
    .await;
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{fb_ticket}.json"),
            &srv.admin(),
            Some(json!({"ticket": {"comment": {"body": "Tu etiqueta:", "public": true, "uploads": [token]}}})),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    until("the file at the Send API", || async {
        graph.sent().len() >= 3
    })
    .await;
    let (_, words) = graph.sent()[1].clone();
    assert_eq!(words["message"]["text"], "Tu etiqueta:", "{words}");
    let (_, file) = graph.sent()[2].clone();
    assert_eq!(file["filedata"], "etiqueta.pdf", "{file}");
    assert_eq!(file["message"]["attachment"]["type"], "file", "{file}");
    assert_eq!(file["tag"], "HUMAN_AGENT", "{file}");

    // Eight days after a customer wrote, Meta lets no reply through.
    let old_ticket = wrote_days_ago(
        &srv,
        (Channel::Messenger, "1029384756"),
        (IdentityKind::Messenger, "24000099"),
        "m_old",
        8,
    )
    .await;
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{old_ticket}.json"),
            &srv.admin(),
            Some(json!({"ticket": {"comment": {"body": "¿Sigues ahí?", "public": true}}})),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    assert!(b.to_string().contains("7 days"), "{b}");

    // A photo from Meta's CDN is kept as the comment's file; one whose
    // address has expired stays a link.
    graph.with_book(|b| {
        b.media.insert(
            "foto-puerta.jpg".into(),
            ("image/jpeg".into(), vec![0xff, 0xd8, 0xff, 1, 2, 3]),
        );
    });
    let photo = json!({"object": "page", "entry": [{"id": "1029384756", "time": 1_749_416_500_000i64, "messaging": [
        {"sender": {"id": "24000001"}, "recipient": {"id": "1029384756"}, "timestamp": 1_749_416_500_000i64,
         "message": {"mid": "m_in_photo", "attachments": [
            {"type": "image", "payload": {"url": format!("{}/cdn/foto-puerta.jpg?oh=sig", graph.base)}},
            {"type": "image", "payload": {"url": format!("{}/cdn/caducada.jpg?oh=sig", graph.base)}}]}}]}]});
    assert_eq!(deliver(&page_hook, &photo).await, 200);
    let last_comment = || async {
        let (_, c) = srv
            .get(
                &format!("/api/v2/tickets/{fb_ticket}/comments.json"),
                &srv.admin(),
            )
            .await;
        c["comments"]
            .as_array()
            .and_then(|l| l.last().cloned())
            .unwrap_or_default()
    };
    until("the photo on the case", || async {
        last_comment().await["body"]
            .as_str()
            .is_some_and(|b| b.contains("foto-puerta.jpg"))
    })
    .await;
    let c = last_comment().await;
    assert_eq!(c["attachments"][0]["file_name"], "foto-puerta.jpg", "{c}");
    assert_eq!(c["attachments"][0]["content_type"], "image/jpeg", "{c}");
    assert_eq!(c["attachments"][0]["size"], 6, "{c}");
    assert!(
        c["body"]
            .as_str()
            .unwrap_or_default()
            .contains("/cdn/caducada.jpg"),
        "{c}"
    );
});
