//! From the answer bot to a person on the help center: a signed-in
//! customer searches, the bot offers an article and a person; asking for a
//! person puts the conversation on their open request (once, however often
//! the form is sent) and the page says when a person will answer — by the
//! business-hours schedule. An anonymous visitor is taken to the request
//! form with their question filled in. Bad or foreign posts are refused.

use super::help_center_site::{article, category, section};
use super::portal::sign_in_csrf;
use super::workspace::{Browser, hidden};
use super::*;

/// A signed-in customer on the help center (password sign-in).
async fn customer(srv: &TestServer, email: &str) -> (i64, Browser) {
    let (id, _) = srv.user_with_token("Lucía", email, "end-user").await;
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/users/{id}.json"),
            &srv.admin(),
            Some(json!({"user": {"password": "clave-de-lucia-1"}})),
        )
        .await;
    assert!(s < 300, "{b}");
    let mut c = Browser::new(&srv.base);
    let page = c.get("/hc/es/signin").await;
    let csrf = sign_in_csrf(&page.body);
    let p = c
        .post(
            "/hc/es/signin",
            &[
                ("email", email),
                ("password", "clave-de-lucia-1"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    (id, c)
}

/// An opening of one hour starting three hours from now, every week: the
/// team is away now, whenever the test runs.
pub(super) async fn closed_now(srv: &TestServer) {
    let now = domain::Timestamp::now().0;
    // 1970-01-01 was a Thursday; week minutes count from Sunday 00:00 UTC.
    let week_minute = ((now / 60) + 4 * 1440) % 10_080;
    let start = (week_minute + 180) % 10_080;
    let start = start.min(10_080 - 60);
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/business_hours/schedules.json",
            &srv.admin(),
            Some(
                json!({"schedule": {"name": "Turno", "time_zone": "Europe/Madrid",
                "intervals": [{"start_time": start, "end_time": start + 60}]}}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{b}");
}

both!(a_customer_asks_the_bot_then_a_person, |srv| {
    let cat = category(&srv, "es", json!({"name": "Pedidos"})).await;
    let sec = section(&srv, &cat, json!({"name": "Envíos"})).await;
    let track = article(&srv, &sec, json!({"title": "Dónde está mi pedido",
        "body": "<p>Sigue tu pedido desde Mi cuenta, en Pedidos: verás el número de seguimiento y dónde está el paquete.</p>"})).await;
    let (lucia, mut c) = customer(&srv, "lucia@example.com").await;
    // Her open request from yesterday, by email.
    let open = new_ticket(
        &srv,
        json!({"subject": "Pedido 1234", "requester_id": lucia,
        "comment": {"body": "Mi pedido 1234 no ha llegado"}}),
    )
    .await;
    let open_id = open["id"].as_i64().unwrap_or_default();

    // The bot answers a question, and offers a person under the answer.
    let page = c
        .get("/hc/es/search?query=donde%20esta%20mi%20pedido")
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Respuesta sugerida"), "{}", page.body);
    assert!(
        page.body
            .contains(&format!("/hc/es/articles/{}", track["id"])),
        "{}",
        page.body
    );
    assert!(page.body.contains("Hablar con una persona"));
    // Asking for a person: the bot says so.
    let page = c
        .get("/hc/es/search?query=quiero%20hablar%20con%20una%20persona")
        .await;
    assert!(
        page.body.contains("Te ponemos con una persona"),
        "{}",
        page.body
    );
    let token = hidden(&page.body, "token");
    let csrf = hidden(&page.body, "csrf");
    assert!(!token.is_empty() && !csrf.is_empty());

    // Foreign or stale posts are refused; nothing lands.
    let bad = c
        .post(
            "/hc/es/handover",
            &[("csrf", "otro"), ("token", &token), ("details", "x")],
        )
        .await;
    assert_eq!(bad.status, 403);
    let anon = Browser::new(&srv.base)
        .post("/hc/es/handover", &[("csrf", &csrf), ("token", &token)])
        .await;
    assert_eq!(anon.status, 401, "signed-in customers only");
    let empty = c
        .post("/hc/es/handover", &[("csrf", &csrf), ("token", "")])
        .await;
    assert!(
        empty.status >= 400 && empty.status < 500,
        "{}",
        empty.status
    );

    // Handed over: onto her open request, with the conversation; the team
    // is away, so the page says when it is back.
    closed_now(&srv).await;
    let comments_before = comment_count(&srv, open_id).await;
    let done = c
        .post(
            "/hc/es/handover",
            &[
                ("csrf", &csrf),
                ("token", &token),
                ("details", "Sigue sin llegar el pedido 1234"),
            ],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(
        done.body
            .contains(&format!("solicitud abierta n.º {open_id}")),
        "{}",
        done.body
    );
    assert!(
        done.body.contains("Ahora estamos cerrados"),
        "{}",
        done.body
    );
    assert!(done.body.contains("Europe/Madrid"), "{}", done.body);
    assert_eq!(comment_count(&srv, open_id).await, comments_before + 1);
    let (_, cs) = srv
        .call(
            "GET",
            &format!("/api/v2/tickets/{open_id}/comments.json"),
            &srv.admin(),
            None,
        )
        .await;
    let last = cs["comments"]
        .as_array()
        .and_then(|a| a.last())
        .cloned()
        .unwrap_or_default();
    let body = last["body"].as_str().unwrap_or_default();
    assert!(
        body.starts_with("Sigue sin llegar el pedido 1234"),
        "{body}"
    );
    assert!(
        body.contains("Cliente: quiero hablar con una persona"),
        "{body}"
    );
    assert!(body.contains("pidió hablar con una persona"), "{body}");
    assert_eq!(last["author_id"], lucia);
    assert_eq!(last["via"]["channel"], "web", "{last}");
    // Sent again (a reload): the same request, nothing new.
    let again = c
        .post(
            "/hc/es/handover",
            &[
                ("csrf", &csrf),
                ("token", &token),
                ("details", "Sigue sin llegar el pedido 1234"),
            ],
        )
        .await;
    assert_eq!(again.status, 200);
    assert_eq!(comment_count(&srv, open_id).await, comments_before + 1);

    // Anonymous: the request form, with the question filled in.
    let mut v = Browser::new(&srv.base);
    let page = v
        .get("/hc/es/search?query=necesito%20ayuda%20con%20una%20factura")
        .await;
    assert!(
        page.body.contains("/hc/es/requests/new?subject="),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("name=\"token\""),
        "no hand-over form for visitors"
    );
    let href = page
        .body
        .split("href=\"/hc/es/requests/new?")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_default()
        .replace("&amp;", "&");
    let form = v.get(&format!("/hc/es/requests/new?{href}")).await;
    assert_eq!(form.status, 200);
    assert!(
        form.body.contains("necesito ayuda con una factura"),
        "{}",
        form.body
    );
});

/// Comments on a ticket.
async fn comment_count(srv: &TestServer, id: i64) -> usize {
    let (_, b) = srv
        .call(
            "GET",
            &format!("/api/v2/tickets/{id}/comments.json"),
            &srv.admin(),
            None,
        )
        .await;
    b["comments"].as_array().map_or(0, Vec::len)
}

both!(a_customer_hands_over_in_the_browser, |srv| {
    let cat = category(&srv, "es", json!({"name": "Pedidos"})).await;
    let sec = section(&srv, &cat, json!({"name": "Envíos"})).await;
    article(&srv, &sec, json!({"title": "Dónde está mi pedido",
        "body": "<p>Sigue tu pedido desde Mi cuenta, en Pedidos: verás el número de seguimiento y dónde está el paquete.</p>"})).await;
    customer(&srv, "lucia@example.com").await;
    browser_flow(&srv, "handover_flow.mjs", &[]).await;
});
