//! WhatsApp end to end, against the Cloud API stand-in in the test kit:
//! an account connected through the API (its credentials never shown
//! again), Meta's handshake, signed deliveries stored once and read into
//! the customer's one conversation (a message after an email continues
//! that case), media fetched through the media endpoint, the agent's reply
//! sent to the stand-in, delivery statuses on the reply, the 24-hour
//! window and templates, and refusals: bad signatures, malformed bodies,
//! a number not on WhatsApp.

use super::messaging_kit::{meta_signature, outbox_on, until, wrote_days_ago};
use super::*;
use atiende_testkit::whatsapp::WhatsAppStandIn;
use domain::messaging::Receipt;
use domain::{Channel, IdentityKind, OutboundStatus, TicketId};

const TOKEN: &str = "wa-access-token";
const APP_SECRET: &str = "wa-app-secret";
const NUMBER_ID: &str = "106540352242922";

/// Posts a delivery with a signature header (or none).
async fn deliver(url: &str, body: &str, signature: Option<String>) -> u16 {
    let mut req = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(s) = signature {
        req = req.header("x-hub-signature-256", s);
    }
    req.send()
        .await
        .unwrap_or_else(|e| panic!("deliver: {e}"))
        .status()
        .as_u16()
}

/// A webhook delivery as Meta sends it (its published example's shape).
fn payload(value: Json) -> String {
    json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": value}]}],
    })
    .to_string()
}

fn text_from(from: &str, name: &str, id: &str, text: &str) -> String {
    payload(json!({
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": NUMBER_ID},
        "contacts": [{"profile": {"name": name}, "wa_id": from}],
        "messages": [{"from": from, "id": id, "timestamp": "1749416383", "type": "text", "text": {"body": text}}],
    }))
}

fn status_of(wamid: &str, status: &str) -> String {
    payload(json!({
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": NUMBER_ID},
        "statuses": [{"id": wamid, "status": status, "timestamp": "1749416400", "recipient_id": "34600112233"}],
    }))
}

/// Waits (at most ten seconds) until `check` holds.

async fn comments(srv: &TestServer, t: i64) -> Vec<Json> {
    let (_, c) = srv
        .get(&format!("/api/v2/tickets/{t}/comments.json"), &srv.admin())
        .await;
    c["comments"].as_array().cloned().unwrap_or_default()
}

async fn account(srv: &TestServer, id: i64) -> Json {
    let (s, a) = srv
        .get(
            &format!("/api/v2/channels/accounts/{id}.json"),
            &srv.admin(),
        )
        .await;
    assert_eq!(s, 200, "{a}");
    a["account"].clone()
}

async fn replies(srv: &TestServer, t: i64) -> Vec<domain::model::outbox::Outbound> {
    outbox_on(srv, t, Channel::WhatsApp).await
}

async fn reply(srv: &TestServer, t: i64, comment: Json) -> (u16, Json) {
    srv.call(
        "PUT",
        &format!("/api/v2/tickets/{t}.json"),
        &srv.admin(),
        Some(json!({"ticket": {"comment": comment}})),
    )
    .await
}

both!(whatsapp_end_to_end, |srv| {
    let provider = WhatsAppStandIn::start(TOKEN).await;
    // Connecting: the credentials go in, the verify token we made comes
    // out once, and nothing secret is ever read back.
    let (s, made) = srv
        .call(
            "POST",
            "/api/v2/channels/accounts.json",
            &srv.admin(),
            Some(json!({"account": {
                "channel": "whatsapp", "name": "Tienda", "external_id": NUMBER_ID,
                "credentials": {"access_token": TOKEN, "app_secret": APP_SECRET},
                "api_base": provider.base,
            }})),
        )
        .await;
    assert_eq!(s, 201, "{made}");
    let id = made["account"]["id"].as_i64().unwrap_or_default();
    let verify = made["account"]["verify_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(verify.len(), 32, "{made}");
    let hook = made["account"]["webhook_url"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        hook.ends_with(&format!("/channels/whatsapp/{id}/webhook")),
        "{hook}"
    );
    let shown = account(&srv, id).await.to_string();
    for secret in [TOKEN, APP_SECRET, verify.as_str()] {
        assert!(!shown.contains(secret), "a secret shown again: {shown}");
    }

    // Meta's handshake.
    let http = reqwest::Client::new();
    let ask = |token: &str| {
        http.get(format!(
            "{hook}?hub.mode=subscribe&hub.verify_token={token}&hub.challenge=1158201444"
        ))
        .send()
    };
    let r = ask(&verify).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.text().await.unwrap_or_default(), "1158201444");
    let r = ask("wrong").await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status().as_u16(), 403);

    // Ana emailed yesterday (her case is open); she has a phone number.
    let (s, u) = srv
        .call(
            "POST",
            "/api/v2/users.json",
            &srv.admin(),
            Some(json!({"user": {"name": "Ana", "email": "ana@example.com"}})),
        )
        .await;
    assert_eq!(s, 201, "{u}");
    let ana = u["user"]["id"].as_i64().unwrap_or_default();
    let (s, b) = srv
        .call(
            "POST",
            &format!("/api/v2/users/{ana}/identities.json"),
            &srv.admin(),
            Some(json!({"identity": {"type": "phone_number", "value": "+34 600 11 22 33"}})),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let (s, t) = srv
        .call(
            "POST",
            "/api/v2/tickets.json",
            &srv.admin(),
            Some(json!({"ticket": {"subject": "Mi pedido", "comment": {"body": "¿Dónde está mi pedido?"}, "requester_id": ana, "via": {"channel": "email"}}})),
        )
        .await;
    assert_eq!(s, 201, "{t}");
    let ticket = t["ticket"]["id"].as_i64().unwrap_or_default();

    // Bad or missing signatures: 401, nothing stored.
    let first = text_from(
        "34600112233",
        "Ana WA",
        "wamid.IN1",
        "Hola, ¿hay novedades?",
    );
    assert_eq!(deliver(&hook, &first, None).await, 401);
    assert_eq!(deliver(&hook, &first, Some("sha256=00".into())).await, 401);
    let mut forged = first.clone();
    forged.push(' ');
    assert_eq!(
        deliver(&hook, &forged, Some(meta_signature(APP_SECRET, &first))).await,
        401
    );
    assert_eq!(account(&srv, id).await["deliveries_processed"], 0);

    // Her WhatsApp message continues that case; delivered twice, stored once.
    assert_eq!(
        deliver(&hook, &first, Some(meta_signature(APP_SECRET, &first))).await,
        200
    );
    assert_eq!(
        deliver(&hook, &first, Some(meta_signature(APP_SECRET, &first))).await,
        200
    );
    until("the message on the case", || async {
        comments(&srv, ticket).await.len() == 2
    })
    .await;
    let c = comments(&srv, ticket).await;
    assert_eq!(c[1]["body"], "Hola, ¿hay novedades?", "{c:?}");
    assert_eq!(c[1]["author_id"], ana);
    assert_eq!(c[1]["via"]["channel"], "whatsapp", "{c:?}");
    // The delivery is settled in its own commit after its message lands.
    until("the delivery settled", || async {
        account(&srv, id).await["deliveries_processed"] == 1
    })
    .await;
    let status = account(&srv, id).await;
    assert_eq!(status["deliveries_waiting"], 0, "{status}");
    assert!(status["last_delivery_at"].is_string(), "{status}");

    // A picture: fetched through the media endpoint, on the case.
    provider.with_book(|b| {
        b.media.insert(
            "1003383421387256".into(),
            ("image/jpeg".into(), vec![0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]),
        );
    });
    let picture = payload(json!({
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": NUMBER_ID},
        "contacts": [{"profile": {"name": "Ana WA"}, "wa_id": "34600112233"}],
        "messages": [{"from": "34600112233", "id": "wamid.IN2", "timestamp": "1749416390", "type": "image",
                      "image": {"caption": "La caja llegó así", "mime_type": "image/jpeg", "sha256": "x", "id": "1003383421387256"}}],
    }));
    assert_eq!(
        deliver(&hook, &picture, Some(meta_signature(APP_SECRET, &picture))).await,
        200
    );
    until("the picture on the case", || async {
        comments(&srv, ticket).await.len() == 3
    })
    .await;
    let c = comments(&srv, ticket).await;
    assert_eq!(c[2]["body"], "La caja llegó así");
    assert_eq!(
        c[2]["attachments"][0]["content_type"], "image/jpeg",
        "{c:?}"
    );
    assert_eq!(c[2]["attachments"][0]["size"], 7, "{c:?}");

    // A body that is not Meta's: kept, answered 200, on the status line.
    let junk = "{\"object\": \"something else\"}";
    assert_eq!(
        deliver(&hook, junk, Some(meta_signature(APP_SECRET, junk))).await,
        200
    );
    until("the malformed delivery on the status", || async {
        let a = account(&srv, id).await;
        a["deliveries_malformed"] == 1
            && a["last_error"]
                .as_str()
                .is_some_and(|e| e.contains("unreadable delivery"))
    })
    .await;

    // The agent's reply goes back on WhatsApp (she wrote there last).
    let (s, b) = reply(
        &srv,
        ticket,
        json!({"body": "Hola Ana, sale hoy.", "public": true}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    until("the reply at the provider", || async {
        !provider.sent().is_empty()
    })
    .await;
    let (number, sent) = provider.sent()[0].clone();
    assert_eq!(number, NUMBER_ID);
    assert_eq!(sent["to"], "34600112233");
    assert_eq!(sent["type"], "text");
    assert_eq!(sent["text"]["body"], "Hola Ana, sale hoy.");
    until("the reply marked sent", || async {
        replies(&srv, ticket)
            .await
            .first()
            .is_some_and(|m| m.status == OutboundStatus::Sent)
    })
    .await;
    let wamid = replies(&srv, ticket).await[0]
        .external_id
        .clone()
        .unwrap_or_default();
    assert_eq!(wamid, "wamid.TEST1");

    // Statuses: delivered, then read (a late "delivered" does not undo it).
    for s in ["delivered", "read", "delivered"] {
        let body = status_of(&wamid, s);
        assert_eq!(
            deliver(&hook, &body, Some(meta_signature(APP_SECRET, &body))).await,
            200
        );
    }
    until("the reply read", || async {
        let r = replies(&srv, ticket).await;
        r[0].receipt == Some(Receipt::Read)
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(replies(&srv, ticket).await[0].receipt, Some(Receipt::Read));

    // A number not on WhatsApp: failed for good, in WhatsApp's words.
    provider.with_book(|b| b.not_on_whatsapp.insert("34600112233".into()));
    let (s, b) = reply(
        &srv,
        ticket,
        json!({"body": "¿Sigues ahí?", "public": true}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    until("the reply failed", || async {
        replies(&srv, ticket).await.iter().any(|m| {
            m.status == OutboundStatus::Failed
                && m.last_error
                    .as_deref()
                    .is_some_and(|e| e.contains("131026"))
        })
    })
    .await;
    assert_eq!(provider.sent().len(), 1);
    provider.with_book(|b| b.not_on_whatsapp.clear());

    // Luis wrote two days ago: his window is closed.
    let luis_ticket = wrote_days_ago(
        &srv,
        (Channel::WhatsApp, NUMBER_ID),
        (IdentityKind::Phone, "+34611000000"),
        "wamid.OLD",
        2,
    )
    .await;
    let (s, b) = reply(
        &srv,
        luis_ticket,
        json!({"body": "Sí, la tenemos.", "public": true}),
    )
    .await;
    assert_eq!(s, 422, "a free-form reply after the window: {b}");
    assert!(b.to_string().contains("window is closed"), "{b}");
    let admin = super::admin_actor(&srv).await;
    let window = srv
        .app
        .reply_window(admin, TicketId(luis_ticket))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no window"));
    assert!(!window.open);
    // An approved template goes.
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/channels/templates.json",
            &srv.admin(),
            Some(json!({"template": {"name": "seguimiento", "language": "es", "category": "utility", "body": "Hola {{1}}, te escribimos por tu consulta: {{2}}"}})),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["template"]["parameters"], 2);
    let (s, b) = reply(
        &srv,
        luis_ticket,
        json!({"body": "Hola Luis, te escribimos por tu consulta: talla 42", "public": true,
               "template": {"name": "seguimiento", "language": "es", "params": ["Luis", "talla 42"]}}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    until("the template at the provider", || async {
        provider.sent().len() == 2
    })
    .await;
    let (_, sent) = provider.sent()[1].clone();
    assert_eq!(sent["type"], "template", "{sent}");
    assert_eq!(sent["to"], "34611000000");
    assert_eq!(sent["template"]["name"], "seguimiento");
    assert_eq!(
        sent["template"]["components"][0]["parameters"][1]["text"],
        "talla 42"
    );
    // A template that is not in the library is refused with the reply.
    let (s, b) = reply(
        &srv,
        luis_ticket,
        json!({"body": "x", "public": true, "template": {"name": "nope", "language": "es"}}),
    )
    .await;
    assert_eq!(s, 422, "{b}");

    // An account with a delivery not read yet is not deleted (it would be
    // lost); one without is.
    let (s, other) = srv
        .call(
            "POST",
            "/api/v2/channels/accounts.json",
            &srv.admin(),
            Some(
                json!({"account": {"channel": "whatsapp", "name": "Otra", "external_id": "777",
                "credentials": {"access_token": "t", "app_secret": "s"}}}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{other}");
    let other = other["account"]["id"].as_i64().unwrap_or_default();
    srv.app
        .store_channel_delivery(domain::ChannelAccountId(other), b"{}".to_vec())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let path = format!("/api/v2/channels/accounts/{other}.json");
    let (s, b) = srv.call("DELETE", &path, &srv.admin(), None).await;
    assert_eq!(s, 422, "{b}");
    let (s, _) = srv
        .call(
            "DELETE",
            &format!("/api/v2/channels/accounts/{id}.json"),
            &srv.admin(),
            None,
        )
        .await;
    assert_eq!(s, 204);
});

/// Text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    text.split(start)
        .nth(1)
        .and_then(|s| s.split(end).next())
        .unwrap_or("")
}

both!(whatsapp_in_the_workspace, |srv| {
    use super::workspace::{Browser, hidden};
    let provider = WhatsAppStandIn::start(TOKEN).await;
    let mut b = Browser::new(&srv.base);
    b.sign_in("admin@example.com", "admin-password-1").await;

    // Connecting on the admin page: the verify token shown once.
    let page = b.get("/agent/admin/channels").await;
    assert_eq!(page.status, 200);
    let csrf = hidden(&page.body, "csrf");
    let made = b
        .post(
            "/agent/admin/channels",
            &[
                ("csrf", &csrf),
                ("channel", "whatsapp"),
                ("name", "Tienda WA"),
                ("external_id", NUMBER_ID),
                ("access_token", TOKEN),
                ("app_secret", APP_SECRET),
                ("api_base", &provider.base),
            ],
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.body);
    let verify = between(&made.body, "verify_token: <code>", "</code>").to_string();
    assert_eq!(verify.len(), 32, "{}", made.body);
    let again = b.get("/agent/admin/channels").await;
    for secret in [TOKEN, APP_SECRET, verify.as_str()] {
        assert!(!again.body.contains(secret), "a secret shown again");
    }
    assert!(
        again.body.contains("/channels/whatsapp/"),
        "the webhook address is shown"
    );
    assert!(again.body.contains("0 / 0 / 0"), "the status line's counts");
    // A test message reaches the provider.
    let id = between(&again.body, "action=\"/agent/admin/channels/", "\"").to_string();
    let tested = b
        .post(
            &format!("/agent/admin/channels/{id}/test"),
            &[("csrf", &csrf), ("to", "+34 600 11 22 33")],
        )
        .await;
    assert_eq!(tested.status, 200, "{}", tested.body);
    assert_eq!(provider.sent()[0].1["to"], "34600112233");
    // A template for the library.
    let added = b
        .post(
            "/agent/admin/channels/templates",
            &[
                ("csrf", &csrf),
                ("name", "seguimiento"),
                ("language", "es"),
                ("category", "utility"),
                ("body", "Hola {{1}}, ¿seguimos con tu consulta?"),
            ],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);

    // A customer whose window closed: the reply box says so and offers
    // the template; sending it from the page goes as the template.
    let ticket = wrote_days_ago(
        &srv,
        (Channel::WhatsApp, NUMBER_ID),
        (IdentityKind::Phone, "+34622000000"),
        "wamid.OLD2",
        2,
    )
    .await;
    let page = b.get(&format!("/agent/tickets/{ticket}")).await;
    assert!(
        page.body.contains("class=\"reply-window closed\""),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("value=\"seguimiento|es\""),
        "the template is offered"
    );
    let csrf = hidden(&page.body, "csrf");
    let sent = b
        .post(
            &format!("/agent/tickets/{ticket}/reply"),
            &[
                ("csrf", &csrf),
                ("public", "1"),
                ("body", ""),
                ("template", "seguimiento|es"),
                ("template_params", "Eva"),
                ("reply_via", "whatsapp"),
                ("status", "open"),
            ],
        )
        .await;
    assert!(sent.status < 400, "{} {}", sent.status, sent.body);
    until("the template at the provider", || async {
        provider.sent().len() == 2
    })
    .await;
    let (_, m) = provider.sent()[1].clone();
    assert_eq!(m["type"], "template");
    assert_eq!(
        m["template"]["components"][0]["parameters"][0]["text"],
        "Eva"
    );
    let c = comments(&srv, ticket).await;
    assert_eq!(
        c.last().map(|c| c["body"].clone()),
        Some(json!("Hola Eva, ¿seguimos con tu consulta?"))
    );
});

both!(whatsapp_pages_in_the_browser, |srv| {
    let provider = WhatsAppStandIn::start(TOKEN).await;
    // Eva wrote two days ago on the number the admin is about to connect.
    let ticket = wrote_days_ago(
        &srv,
        (Channel::WhatsApp, NUMBER_ID),
        (IdentityKind::Phone, "+34622000001"),
        "wamid.OLD3",
        2,
    )
    .await;
    // Pablo wrote just now: his window is open.
    let open = wrote_days_ago(
        &srv,
        (Channel::WhatsApp, NUMBER_ID),
        (IdentityKind::Phone, "+34622000002"),
        "wamid.NEW1",
        0,
    )
    .await;
    browser_flow(
        &srv,
        "channels_flow.mjs",
        &[
            ("GRAPH_URL", provider.base.clone()),
            ("TICKET_ID", ticket.to_string()),
            ("OPEN_TICKET_ID", open.to_string()),
        ],
    )
    .await;
    until("both replies at the provider", || async {
        provider.sent().len() >= 2
    })
    .await;
    let sent: Vec<Json> = provider.sent().into_iter().map(|(_, m)| m).collect();
    let template = sent.iter().find(|m| m["to"] == "34622000001");
    assert_eq!(template.map(|m| m["type"].clone()), Some(json!("template")));
    let buttons = sent
        .iter()
        .find(|m| m["to"] == "34622000002")
        .unwrap_or_else(|| panic!("{sent:?}"));
    assert_eq!(buttons["type"], "interactive", "{buttons}");
    assert_eq!(
        buttons["interactive"]["action"]["buttons"][0]["reply"]["title"],
        "Sí, gracias"
    );
});
