//! Live chat over HTTP and the widget's WebSocket: a widget only on its
//! allowed sites, a visitor's lines stored once whatever the resends, the
//! bot first, a person on the same case through the one way in, the
//! agent's reply back in the chat at once, a site's signed user landing on
//! their own profile (a forged signature refused), and bad input refused
//! clearly.

use super::help_center_site::{article, category, section};
use super::*;
use std::time::Duration;

pub(super) const SITE: &str = "https://shop.example";

/// A widget for `SITE`: its key and secret.
pub(super) async fn widget(srv: &TestServer) -> (String, String) {
    widget_for(srv, SITE).await
}

/// A widget for a site and the subdomains of `tienda.example`.
async fn widget_for(srv: &TestServer, site: &str) -> (String, String) {
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/chat/widgets.json",
            &srv.admin(),
            Some(json!({"widget": {
                "name": "Tienda",
                "allowed_origins": [site, "https://*.tienda.example"],
                "topics": ["Pedidos", "Pagos"],
                "invitations": [{"path": "/tienda*", "after_seconds": 1, "message_es": "¿Te ayudamos a elegir?", "message_en": "Can we help you choose?"}],
            }})),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let key = b["widget"]["key"].as_str().unwrap_or_default().to_string();
    let secret = b["widget"]["secret"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(key.starts_with("wk_") && secret.starts_with("ws_"), "{b}");
    assert!(
        b["widget"]["snippet"]
            .as_str()
            .unwrap_or_default()
            .contains(&key),
        "{b}"
    );
    (key, secret)
}

/// A widget call from a page at `origin`.
pub(super) async fn call(
    srv: &TestServer,
    key: &str,
    path: &str,
    origin: Option<&str>,
    body: Json,
) -> (u16, Json) {
    let mut req = reqwest::Client::new()
        .post(format!("{}/chat/v1/{key}/{path}", srv.base))
        .header("content-type", "text/plain")
        .body(body.to_string());
    if let Some(o) = origin {
        req = req.header("origin", o);
    }
    let r = req.send().await.unwrap_or_else(|e| panic!("{path}: {e}"));
    let status = r.status().as_u16();
    if status == 200 {
        assert_eq!(
            r.headers()
                .get("access-control-allow-origin")
                .and_then(|v| v.to_str().ok()),
            origin,
            "the page may read the answer"
        );
    }
    (status, r.json().await.unwrap_or_default())
}

/// A new visitor's token.
pub(super) async fn session(srv: &TestServer, key: &str, identity: Option<Json>) -> (String, Json) {
    let mut body = json!({});
    if let Some(i) = identity {
        body["identity"] = i;
    }
    let (s, b) = call(srv, key, "session", Some(SITE), body).await;
    assert_eq!(s, 200, "{b}");
    (b["token"].as_str().unwrap_or_default().to_string(), b)
}

pub(super) async fn line(
    srv: &TestServer,
    key: &str,
    token: &str,
    id: &str,
    text: &str,
) -> (u16, Json) {
    call(
        srv,
        key,
        "lines",
        Some(SITE),
        json!({"token": token, "client_id": id, "text": text, "locale": "es", "name": "Ana", "topic": "Pedidos"}),
    )
    .await
}

/// What a long-poll from the widget answers after `after`.
pub(super) async fn poll(srv: &TestServer, key: &str, token: &str, after: i64) -> (u16, Json) {
    call(
        srv,
        key,
        "poll",
        Some(SITE),
        json!({"token": token, "after": after}),
    )
    .await
}

/// The ticket's comments, as the API gives them.
pub(super) async fn comment_records(srv: &TestServer, ticket: i64) -> Vec<Json> {
    let (s, b) = srv
        .call(
            "GET",
            &format!("/api/v2/tickets/{ticket}/comments.json"),
            &srv.admin(),
            None,
        )
        .await;
    assert_eq!(s, 200, "{b}");
    b["comments"].as_array().cloned().unwrap_or_default()
}

/// The ticket's comments' bodies.
pub(super) async fn comments(srv: &TestServer, ticket: i64) -> Vec<String> {
    comment_records(srv, ticket)
        .await
        .iter()
        .map(|c| c["body"].as_str().unwrap_or_default().to_string())
        .collect()
}

both!(
    a_visitor_chats_with_the_bot_then_a_person_on_one_case,
    |srv| {
        let cat = category(&srv, "es", json!({"name": "Cuenta"})).await;
        let sec = section(&srv, &cat, json!({"name": "Acceso"})).await;
        article(
        &srv,
        &sec,
        json!({"title": "Cómo cambiar la contraseña", "body": "<p>Entra en Mi cuenta y pulsa «Cambiar contraseña». Te enviaremos un correo para confirmar la nueva contraseña.</p>"}),
    )
    .await;
        let (key, _) = widget(&srv).await;

        // Only on its sites.
        let (s, _) = call(
            &srv,
            &key,
            "session",
            Some("https://evil.example"),
            json!({}),
        )
        .await;
        assert_eq!(s, 403, "another site");
        let (s, _) = call(&srv, &key, "session", None, json!({})).await;
        assert_eq!(s, 403, "no page");
        let (s, _) = call(&srv, "wk_nope", "session", Some(SITE), json!({})).await;
        assert_eq!(s, 404);
        let (s, b) = call(
            &srv,
            &key,
            "session",
            Some("https://es.tienda.example"),
            json!({}),
        )
        .await;
        assert_eq!(s, 200, "a subdomain the widget lists: {b}");
        assert_eq!(b["texts"]["es"]["send"], "Enviar");
        assert_eq!(b["texts"]["en"]["send"], "Send");
        assert_eq!(b["widget"]["topics"], json!(["Pedidos", "Pagos"]));
        assert_eq!(b["widget"]["invitations"][0]["after_seconds"], 1, "{b}");
        // Invitations are checked when set.
        let (_, widgets) = srv
            .call("GET", "/api/v2/chat/widgets.json", &srv.admin(), None)
            .await;
        let id = widgets["widgets"][0]["id"].as_i64().unwrap_or_default();
        for bad in [
            json!([{"path": "tienda", "after_seconds": 5, "message_es": "x", "message_en": ""}]),
            json!([{"path": "/t", "after_seconds": 0, "message_es": "x", "message_en": ""}]),
            json!([{"path": "/t", "after_seconds": 5, "message_es": "", "message_en": ""}]),
            json!("no"),
        ] {
            let (s, e) = srv
                .call(
                    "PUT",
                    &format!("/api/v2/chat/widgets/{id}.json"),
                    &srv.admin(),
                    Some(json!({"widget": {"invitations": bad}})),
                )
                .await;
            assert_eq!(s, 422, "{e}");
        }

        let (token, opened) = session(&srv, &key, None).await;
        assert!(token.len() >= 32, "{opened}");
        assert!(opened["conversation"].is_null());
        // The same browser again: the same visitor, no new token.
        let (s, again) = call(&srv, &key, "session", Some(SITE), json!({"token": token})).await;
        assert_eq!(s, 200);
        assert!(again["token"].is_null(), "{again}");

        // The bot answers first, with the article.
        let (s, b) = line(&srv, &key, &token, "c1", "hola, como cambio mi contrasena?").await;
        assert_eq!(s, 200, "{b}");
        let lines = b["lines"].as_array().cloned().unwrap_or_default();
        assert_eq!(lines.len(), 2, "{b}");
        assert_eq!(lines[0]["author"], "visitor");
        assert_eq!(lines[0]["client_id"], "c1");
        assert_eq!(lines[1]["author"], "bot");
        assert_eq!(
            lines[1]["articles"][0]["title"], "Cómo cambiar la contraseña",
            "{b}"
        );
        assert_eq!(b["conversation"]["state"], "bot");
        // A resend (the connection dropped before the answer) is the same line,
        // and the bot does not answer twice.
        let (s, again) = line(&srv, &key, &token, "c1", "hola, como cambio mi contrasena?").await;
        assert_eq!(s, 200);
        assert_eq!(again["lines"].as_array().map(Vec::len), Some(1), "{again}");
        assert_eq!(again["lines"][0]["id"], lines[0]["id"]);

        // "Talk to a person": the chat so far goes onto a case.
        let (s, b) = call(&srv, &key, "person", Some(SITE), json!({"token": token})).await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["lines"][0]["author"], "system", "{b}");
        let (_, polled) = poll(&srv, &key, &token, 0).await;
        assert_eq!(polled["conversation"]["state"], "waiting", "{polled}");
        let ticket = polled["conversation"]["ticket_id"]
            .as_i64()
            .unwrap_or_default();
        assert!(ticket > 0, "{polled}");
        let (_, t) = srv
            .call(
                "GET",
                &format!("/api/v2/tickets/{ticket}.json"),
                &srv.admin(),
                None,
            )
            .await;
        assert_eq!(t["ticket"]["via"]["channel"], "chat", "{t}");
        assert!(
            t["ticket"]["tags"]
                .as_array()
                .is_some_and(|tags| tags.contains(&json!("chat_topic_pedidos"))),
            "the topic is a tag triggers route on: {t}"
        );
        let first = comments(&srv, ticket).await;
        assert_eq!(first.len(), 1, "{first:?}");
        assert!(
            first[0].contains("Cliente: hola, como cambio mi contrasena?")
                && first[0].contains("Cómo cambiar la contraseña")
                && first[0].contains("Pedidos")
                && first[0].contains("Ana"),
            "{}",
            first[0]
        );

        // Lines after the hand-over go onto the case, once each; HTML is text.
        let (s, _) = line(&srv, &key, &token, "c2", "sigo sin poder <b>entrar</b>").await;
        assert_eq!(s, 200);
        let (s, _) = line(&srv, &key, &token, "c2", "sigo sin poder <b>entrar</b>").await;
        assert_eq!(s, 200);
        let now = comments(&srv, ticket).await;
        assert_eq!(now.len(), 2, "{now:?}");
        assert!(now[1].contains("sigo sin poder"), "{now:?}");

        // The agent answers on the ticket: the line reaches the widget.
        let (_, last) = poll(&srv, &key, &token, 0).await;
        let cursor = last["lines"]
            .as_array()
            .and_then(|l| l.last())
            .and_then(|l| l["id"].as_i64())
            .unwrap_or_default();
        let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{ticket}.json"),
            &srv.admin(),
            Some(json!({"ticket": {"comment": {"body": "Hola Ana, te ayudo ahora mismo.", "public": true}}})),
        )
        .await;
        assert_eq!(s, 200, "{b}");
        let (s, got) = poll(&srv, &key, &token, cursor).await;
        assert_eq!(s, 200, "{got}");
        let agent_line = got["lines"]
            .as_array()
            .and_then(|l| l.iter().find(|x| x["author"] == "agent").cloned())
            .unwrap_or_default();
        assert_eq!(
            agent_line["text"], "Hola Ana, te ayudo ahora mismo.",
            "{got}"
        );
        assert!(
            agent_line["name"].as_str().is_some_and(|n| !n.is_empty()),
            "{got}"
        );

        // Ending keeps the case; the next line starts a new chat with the bot.
        let (s, _) = call(&srv, &key, "end", Some(SITE), json!({"token": token})).await;
        assert_eq!(s, 200);
        let (_, ended) = poll(&srv, &key, &token, 0).await;
        assert_eq!(ended["conversation"]["state"], "ended");
    }
);

both!(chat_refuses_bad_input_and_forged_identities, |srv| {
    let (key, secret) = widget(&srv).await;
    let (token, _) = session(&srv, &key, None).await;
    let (s, b) = line(&srv, &key, &token, "c1", &"a".repeat(4001)).await;
    assert_eq!(s, 422, "{b}");
    assert!(
        b["description"]
            .as_str()
            .is_some_and(|d| d.contains("4000")),
        "{b}"
    );
    let (s, _) = line(&srv, &key, &token, "c 1", "hola").await;
    assert_eq!(s, 422, "a client id with a space");
    let (s, _) = line(&srv, &key, &token, "c2", "   ").await;
    assert_eq!(s, 422, "nothing to say");
    let (s, _) = line(&srv, &key, "not-a-token", "c3", "hola").await;
    assert_eq!(s, 401);
    let (s, _) = call(&srv, &key, "lines", Some(SITE), json!("not an object")).await;
    assert_eq!(s, 422);
    let (s, _) = call(
        &srv,
        &key,
        "lines",
        Some("https://evil.example"),
        json!({"token": token, "client_id": "c4", "text": "hola"}),
    )
    .await;
    assert_eq!(s, 403, "a token from another site");

    // A site's signed user lands on their profile; a forged one is refused.
    let (customer, _) = srv
        .user_with_token("Clara Cliente", "clara@example.com", "end-user")
        .await;
    let signature = app::chat::identity_signature(&secret, "u-77", "clara@example.com");
    let forged =
        json!({"external_id": "u-77", "email": "clara@example.com", "signature": "00".repeat(32)});
    let (s, b) = call(
        &srv,
        &key,
        "session",
        Some(SITE),
        json!({"identity": forged}),
    )
    .await;
    assert_eq!(s, 403, "{b}");
    let other = json!({"external_id": "u-77", "email": "otra@example.com", "signature": signature});
    let (s, _) = call(
        &srv,
        &key,
        "session",
        Some(SITE),
        json!({"identity": other}),
    )
    .await;
    assert_eq!(s, 403, "a signature for another email");
    let good = json!({"external_id": "u-77", "email": "clara@example.com", "name": "Clara", "signature": signature});
    let (signed, b) = session(&srv, &key, Some(good)).await;
    assert_eq!(b["visitor"]["verified"], true, "{b}");
    assert_eq!(
        b["widget"]["ask_email"], false,
        "a signed user is not asked"
    );
    let (s, _) = line(&srv, &key, &signed, "s1", "quiero hablar con una persona").await;
    assert_eq!(s, 200);
    let (_, polled) = poll(&srv, &key, &signed, 0).await;
    let ticket = polled["conversation"]["ticket_id"]
        .as_i64()
        .unwrap_or_default();
    let (_, t) = srv
        .call(
            "GET",
            &format!("/api/v2/tickets/{ticket}.json"),
            &srv.admin(),
            None,
        )
        .await;
    assert_eq!(
        t["ticket"]["requester_id"], customer,
        "the chat is on Clara's profile: {t}"
    );

    // A browser that chatted anonymously and reached a person is another
    // person's browser to the chat once a site signs someone in on it: a
    // new visitor, so nothing moves between profiles. One that never
    // reached anyone simply becomes the signed customer's.
    let (anon, _) = session(&srv, &key, None).await;
    let (s, _) = line(&srv, &key, &anon, "a1", "quiero hablar con una persona").await;
    assert_eq!(s, 200);
    let good = json!({"external_id": "u-77", "email": "clara@example.com", "signature": signature});
    let (_, b) = call(
        &srv,
        &key,
        "session",
        Some(SITE),
        json!({"token": anon, "identity": good}),
    )
    .await;
    assert!(b["token"].is_string(), "a fresh visitor: {b}");
    let (quiet, _) = session(&srv, &key, None).await;
    let (_, b) = call(
        &srv,
        &key,
        "session",
        Some(SITE),
        json!({"token": quiet, "identity": good}),
    )
    .await;
    assert!(b["token"].is_null(), "the same browser, now Clara's: {b}");
    assert_eq!(b["visitor"]["verified"], true);
    // Signed out on the site (no identity now): that browser no longer
    // opens Clara's chats.
    let (_, b) = call(&srv, &key, "session", Some(SITE), json!({"token": signed})).await;
    assert!(b["token"].is_string(), "a fresh visitor: {b}");
    assert!(b["lines"].as_array().is_some_and(Vec::is_empty), "{b}");

    // Flooding: past 30 lines a minute, refused (62 lines meet the limit
    // even when a new minute starts among them).
    let mut refused = false;
    for i in 0..62 {
        refused |= line(&srv, &key, &token, &format!("f{i}"), "spam").await.0 == 429;
    }
    assert!(refused, "a flood is refused");
});

both!(
    the_widget_socket_pushes_lines_and_refuses_other_sites,
    |srv| {
        use futures_util::SinkExt;
        use tokio_tungstenite::tungstenite::Message;
        let (key, _) = widget(&srv).await;
        let (token, _) = session(&srv, &key, None).await;
        let connect = |origin: &'static str| socket(&srv.base, &key, origin);
        let mut evil = connect("https://evil.example").await;
        evil.send(Message::Text(
            json!({"token": token, "after": 0}).to_string().into(),
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let refused = read_text(&mut evil).await;
        assert_eq!(refused["type"], "error", "{refused}");

        let mut ws = connect(SITE).await;
        ws.send(Message::Text(
            json!({"token": token, "after": 0}).to_string().into(),
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let (s, _) = line(&srv, &key, &token, "w1", "quiero hablar con una persona").await;
        assert_eq!(s, 200);
        ws.send(Message::Text(json!({"type": "follow"}).to_string().into()))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let mut authors = Vec::new();
        assert_eq!(read_text(&mut ws).await["type"], "ready");
        while authors.len() < 2 {
            let m = read_text(&mut ws).await;
            assert_eq!(m["type"], "lines", "{m}");
            for l in m["lines"].as_array().cloned().unwrap_or_default() {
                authors.push(l["author"].as_str().unwrap_or_default().to_string());
            }
        }
        assert_eq!(authors, ["visitor", "system"]);
        // The chat ends; the next line starts another, which the socket
        // follows from then on (its lines come by its signals alone).
        let (s, _) = call(&srv, &key, "end", Some(SITE), json!({"token": token})).await;
        assert_eq!(s, 200);
        wait_for_line(&mut ws, "system", "La conversación ha terminado.").await;
        let (s, _) = line(&srv, &key, &token, "w2", "hola").await;
        assert_eq!(s, 200);
        ws.send(Message::Text(json!({"type": "follow"}).to_string().into()))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        wait_for_line(&mut ws, "visitor", "hola").await;
        let (s, _) = line(&srv, &key, &token, "w3", "¿sigues ahí?").await;
        assert_eq!(s, 200);
        wait_for_line(&mut ws, "visitor", "¿sigues ahí?").await;
    }
);

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A widget's socket to a node, opened from a page at `origin`.
async fn socket(base: &str, key: &str, origin: &str) -> Socket {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let url = format!("{}/chat/v1/{key}/socket", base.replace("http://", "ws://"));
    let mut req = url.into_client_request().unwrap_or_else(|e| panic!("{e}"));
    req.headers_mut()
        .insert("origin", origin.parse().unwrap_or_else(|e| panic!("{e}")));
    tokio_tungstenite::connect_async(req)
        .await
        .unwrap_or_else(|e| panic!("socket: {e}"))
        .0
}

/// Reads a socket until a line by `author` saying `text` arrives (10 s at
/// most per message).
async fn wait_for_line(ws: &mut Socket, author: &str, text: &str) {
    loop {
        let m = read_text(ws).await;
        assert!(!m.is_null(), "no line by {author} saying {text:?} arrived");
        let found = m["lines"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|l| l["author"] == author && l["text"] == text);
        if found {
            return;
        }
    }
}

/// Visitor on one PostgreSQL node, agent on another: the agent's reply
/// reaches the visitor's socket on the first node, and the visitor's next
/// line reaches a socket of theirs on the second.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chat_crosses_postgresql_nodes() {
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    let srv = TestServer::start(atiende_testkit::Backend::Postgres).await;
    let (base_b, _app_b, _stop_b) = atiende_testkit::start_node(&srv.database_url).await;
    let (key, _) = widget(&srv).await;
    let (token, _) = session(&srv, &key, None).await;
    let (s, b) = line(&srv, &key, &token, "n1", "quiero hablar con una persona").await;
    assert_eq!(s, 200, "{b}");
    let ticket = b["conversation"]["ticket_id"].as_i64().unwrap_or_default();
    let hello = Message::Text(json!({"token": token, "after": 0}).to_string().into());
    let mut on_a = socket(&srv.base, &key, SITE).await;
    on_a.send(hello.clone())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut on_b = socket(&base_b, &key, SITE).await;
    on_b.send(hello).await.unwrap_or_else(|e| panic!("{e}"));
    // Both catch up on what was said.
    wait_for_line(&mut on_a, "visitor", "quiero hablar con una persona").await;
    wait_for_line(&mut on_b, "visitor", "quiero hablar con una persona").await;
    // The agent answers on node B; the visitor on node A hears it.
    let (s, b) = srv
        .call(
            "PUT",
            &format!("{base_b}/api/v2/tickets/{ticket}.json"),
            &srv.admin(),
            Some(json!({"ticket": {"comment": {"body": "Te atiendo desde el nodo B", "public": true}}})),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    wait_for_line(&mut on_a, "agent", "Te atiendo desde el nodo B").await;
    // The visitor writes through node A; their socket on node B hears it.
    let (s, _) = line(&srv, &key, &token, "n2", "gracias, nodo A").await;
    assert_eq!(s, 200);
    wait_for_line(&mut on_b, "visitor", "gracias, nodo A").await;
}

/// The next text message on a socket (Null after 10 s of silence).
async fn read_text(
    ws: &mut tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
) -> Json {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    loop {
        match tokio::time::timeout(Duration::from_secs(10), ws.next()).await {
            Ok(Some(Ok(Message::Text(t)))) => {
                return serde_json::from_str::<Json>(t.as_str()).unwrap_or_default();
            }
            Ok(Some(Ok(_))) => continue,
            _ => return Json::Null,
        }
    }
}

both!(a_visitor_and_an_agent_chat_in_the_browser, |srv| {
    chat_in_the_browser(&srv, None).await;
});

/// The browser flow with the visitor's widget on one PostgreSQL node and
/// the agent's workspace on another: offers, lines, typing and read marks
/// cross nodes through the database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_and_an_agent_chat_in_the_browser_across_postgresql_nodes() {
    let srv = TestServer::start(atiende_testkit::Backend::Postgres).await;
    let (base_b, _app_b, _stop_b) = atiende_testkit::start_node(&srv.database_url).await;
    chat_in_the_browser(&srv, Some(base_b)).await;
}

/// Runs `chat_widget_flow.mjs`: the widget from `srv`, the agent's pages
/// from `agent_base` (another node) or `srv`.
async fn chat_in_the_browser(srv: &TestServer, agent_base: Option<String>) {
    let cat = category(srv, "es", json!({"name": "Cuenta"})).await;
    let sec = section(srv, &cat, json!({"name": "Acceso"})).await;
    article(
        srv,
        &sec,
        json!({"title": "Cómo cambiar la contraseña", "body": "<p>Entra en Mi cuenta y pulsa «Cambiar contraseña».</p>"}),
    )
    .await;
    // The team is closed now: an agent online still takes chats; with
    // nobody online the widget says from when a person will answer.
    super::handover::closed_now(srv).await;
    // Routing offers chats to the admin, who speaks Spanish and takes chats
    // (the browser sets them online).
    let admin_id = admin_actor(srv).await.user.0;
    super::routing::call_ok(
        srv,
        "PUT",
        "/api/v2/routing/settings.json",
        &srv.admin(),
        json!({"routing_settings": {"enabled": true, "chat_offer_seconds": 300}}),
    )
    .await;
    super::routing::call_ok(
        srv,
        "PUT",
        &format!("/api/v2/routing/agents/{admin_id}/profile.json"),
        &srv.admin(),
        json!({"routing_profile": {"languages": ["es", "en"], "capacity": {"chat": 3}}}),
    )
    .await;
    // The shop's page is served by the browser script on a port of its own:
    // another origin than atiende's.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("free port: {e}"));
    let (key, _) = widget_for(srv, &format!("http://127.0.0.1:{port}")).await;
    // Surveys on: the widget asks how it went when the chat ends.
    super::routing::call_ok(
        srv,
        "PUT",
        "/api/v2/surveys/settings.json",
        &srv.admin(),
        json!({"survey_settings": {"csat": {"enabled": true}}}),
    )
    .await;
    browser_flow(
        srv,
        "chat_widget_flow.mjs",
        &[
            ("CHAT_KEY", key),
            ("PAGE_PORT", port.to_string()),
            ("ATIENDE_EMAIL", "admin@example.com".into()),
            ("ATIENDE_PASSWORD", "admin-password-1".into()),
            (
                "ATIENDE_AGENT_URL",
                agent_base.unwrap_or_else(|| srv.base.clone()),
            ),
        ],
    )
    .await;
    // The click in the widget is the case's rating, asked on the chat.
    let (_, ratings) = srv
        .get("/api/v2/satisfaction_ratings.json", &srv.admin())
        .await;
    let chat_ratings: Vec<&Json> = ratings["satisfaction_ratings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["channel"] == "chat")
        .collect();
    assert_eq!(chat_ratings.len(), 1, "{ratings}");
    assert_eq!(chat_ratings[0]["score"], "good", "{ratings}");
}

both!(
    a_chat_that_reached_a_person_is_mailed_when_it_ends,
    |first| {
        let backend = first.backend;
        drop(first);
        let srv = start_with_support_mail(backend).await;
        let (key, _) = widget(&srv).await;
        let (token, _) = session(&srv, &key, None).await;
        let (s, b) = call(
        &srv,
        &key,
        "lines",
        Some(SITE),
        json!({"token": token, "client_id": "m1", "text": "quiero hablar con una persona", "locale": "es", "email": "ana.chat@example.com"}),
    )
    .await;
        assert_eq!(s, 200, "{b}");
        let ticket = b["conversation"]["ticket_id"].as_i64().unwrap_or_default();
        assert!(ticket > 0, "{b}");
        let admin = admin_actor(&srv).await;
        let mails = |srv: &TestServer| {
            let app = srv.app.clone();
            async move {
                app.ticket_outbox(admin, domain::TicketId(ticket))
                    .await
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|m| m.to_address == "ana.chat@example.com")
                    .collect::<Vec<_>>()
            }
        };
        assert!(
            mails(&srv).await.is_empty(),
            "nothing mailed while the chat goes on"
        );
        let (s, _) = call(&srv, &key, "end", Some(SITE), json!({"token": token})).await;
        assert_eq!(s, 200);
        let sent = mails(&srv).await;
        assert_eq!(sent.len(), 1, "{sent:?}");
        assert_eq!(sent[0].channel, domain::Channel::Email);
        assert!(
            sent[0]
                .body_text
                .contains("Tú: quiero hablar con una persona")
                && sent[0].subject.contains(&ticket.to_string()),
            "{}",
            sent[0].body_text
        );
        // A chat with the bot alone is not mailed to the address typed in.
        let (token2, _) = session(&srv, &key, None).await;
        let (s, b2) = call(
        &srv,
        &key,
        "lines",
        Some(SITE),
        json!({"token": token2, "client_id": "m2", "text": "hola", "locale": "es", "email": "victima@example.com"}),
    )
    .await;
        assert_eq!(s, 200);
        // A greeting is answered by the bot, not handed over.
        assert!(b2["conversation"]["ticket_id"].is_null(), "{b2}");
        assert_eq!(b2["lines"][1]["author"], "bot", "{b2}");
        let (s, _) = call(&srv, &key, "end", Some(SITE), json!({"token": token2})).await;
        assert_eq!(s, 200);
    }
);

both!(admins_manage_widgets_in_the_workspace, |srv| {
    use super::workspace::{Browser, hidden};
    let mut b = Browser::new(&srv.base);
    b.sign_in("admin@example.com", "admin-password-1").await;
    let page = b.get("/agent/admin/chat").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let csrf = hidden(&page.body, "csrf");
    // A site that is not an origin is refused with the reason on the page.
    let bad = b
        .post(
            "/agent/admin/chat",
            &[
                ("csrf", &csrf),
                ("name", "Tienda"),
                ("origins", "tienda.example"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(bad.body.contains("tienda.example"), "{}", bad.body);
    let made = b
        .post(
            "/agent/admin/chat",
            &[
                ("csrf", &csrf),
                ("name", "Tienda"),
                ("origins", "https://shop.example"),
            ],
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.body);
    assert!(made.body.contains("ws_"), "the secret, this once");
    assert!(made.body.contains("/chat/widget.js"), "the snippet");
    let again = b.get("/agent/admin/chat").await;
    assert!(!again.body.contains("ws_"), "never again");
    let (_, list) = srv
        .call("GET", "/api/v2/chat/widgets.json", &srv.admin(), None)
        .await;
    let id = list["widgets"][0]["id"].as_i64().unwrap_or_default();
    let path = format!("/agent/admin/chat/{id}");
    let bad = b
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("name", "Tienda"),
                ("origins", "https://shop.example"),
                ("invitations", "/a | pronto | Hola | Hi"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let saved = b
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("name", "Tienda online"),
                ("origins", "https://shop.example\nhttps://*.shop.example"),
                ("ask_email", "1"),
                ("topics", "Pedidos\nPagos"),
                (
                    "invitations",
                    "/zapatillas/* | 8 | ¿Te ayudo con la talla? | Need help with the size?",
                ),
                ("enabled", "1"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let (_, w) = srv
        .call(
            "GET",
            &format!("/api/v2/chat/widgets/{id}.json"),
            &srv.admin(),
            None,
        )
        .await;
    let w = &w["widget"];
    assert_eq!(w["name"], "Tienda online");
    assert_eq!(
        w["allowed_origins"],
        json!(["https://shop.example", "https://*.shop.example"])
    );
    assert_eq!(w["ask_name"], false);
    assert_eq!(w["ask_email"], true);
    assert_eq!(w["topics"], json!(["Pedidos", "Pagos"]));
    assert_eq!(w["invitations"][0]["after_seconds"], 8);
    assert_eq!(
        w["invitations"][0]["message_en"],
        "Need help with the size?"
    );
    let gone = b.post(&format!("{path}/delete"), &[("csrf", &csrf)]).await;
    assert_eq!(gone.status, 303);
    let (s, _) = srv
        .call(
            "GET",
            &format!("/api/v2/chat/widgets/{id}.json"),
            &srv.admin(),
            None,
        )
        .await;
    assert_eq!(s, 404);
});
