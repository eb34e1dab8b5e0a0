//! "Submit a request" on the help center: a ticket form's fields in the
//! page's language, a field required only for a certain answer, the spam
//! defences (robots' field, minimum time, per-address limit), an anonymous
//! requester confirming their address through the mailed link before they
//! see the request, and the bot's suggestions while typing, whose opening
//! counts as a deflection unless a request follows.

use super::email::{Relayed, with_relay};
use super::help_center_site::{article, category, section};
use super::workspace::{Browser, Page};
use super::*;

fn last_csrf(html: &str) -> String {
    html.rsplit("name=\"csrf\" value=\"")
        .next()
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_string()
}

async fn field(srv: &TestServer, body: Json) -> i64 {
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/ticket_fields.json",
            &srv.admin(),
            Some(json!({"ticket_field": body})),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    b["ticket_field"]["id"].as_i64().unwrap_or_default()
}

/// Posts the request form with `pairs`.
async fn post(b: &mut Browser, pairs: &[(String, String)]) -> Page {
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    b.post("/hc/es/requests/new", &refs).await
}

/// A filled-in form: the fields every test post has, then `extra`.
fn filled(csrf: &str, email: &str, extra: &[(String, String)]) -> Vec<(String, String)> {
    let started = (domain::Timestamp::now().0 - 30).to_string();
    let mut v: Vec<(String, String)> = [
        ("csrf", csrf),
        ("email", email),
        ("name", "Nuevo Cliente"),
        ("subject", "Mi pedido no llega"),
        (
            "description",
            "Hice un pedido hace diez días y no ha llegado.",
        ),
        ("started", started.as_str()),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (k, x) in extra {
        v.retain(|(y, _)| y != k);
        v.push((k.clone(), x.clone()));
    }
    v
}

async fn ticket_count(srv: &TestServer) -> i64 {
    let (_, b) = srv
        .call("GET", "/api/v2/tickets.json", &srv.admin(), None)
        .await;
    b["count"].as_i64().unwrap_or_default()
}

both!(customers_submit_requests_through_the_form, |first| {
    let backend = first.backend;
    drop(first);
    let Relayed {
        srv,
        sink,
        maildir: _maildir,
        ..
    } = with_relay(backend).await;
    let admin = srv.admin();
    let kind = field(&srv, json!({"type": "tagger", "title": "Kind",
        "title_in_portal_translations": {"es": "Tipo de consulta", "en-us": "What about"},
        "custom_field_options": [{"name": "Un pedido", "value": "pedido"}, {"name": "Otra cosa", "value": "otra"}]})).await;
    let order = field(&srv, json!({"type": "text", "title": "Order", "title_in_portal_translations": {"es": "Número de pedido"}})).await;
    let internal = field(&srv, json!({"type": "text", "title": "Nota interna", "editable_in_portal": false, "visible_in_portal": false})).await;
    let (s, f) = srv
        .call("POST", "/api/v2/ticket_forms.json", &admin, Some(json!({"ticket_form": {
            "name": "Pedidos", "display_name_translations": {"es": "Pedidos y envíos"},
            "ticket_field_ids": [kind, order, internal],
            "end_user_conditions": [{"parent_field_id": kind, "value": "pedido", "child_fields": [{"id": order, "is_required": true}]}]}})))
        .await;
    assert_eq!(s, 201, "{f}");
    assert_eq!(
        f["ticket_form"]["default"], true,
        "the first form is the default"
    );
    let (s, _) = srv
        .call("PUT", &format!("/api/v2/ticket_forms/{}.json", f["ticket_form"]["id"]), &admin, Some(json!({"ticket_form": {
            "end_user_conditions": [{"parent_field_id": kind, "value": "nada", "child_fields": [{"id": order}]}]}})))
        .await;
    assert_eq!(s, 422, "a condition on an answer the field cannot give");

    // The page: the form's fields in Spanish, the conditional one marked,
    // nothing the customer does not fill in.
    let mut anon = Browser::new(&srv.base);
    let page = anon.get("/hc/es/requests/new").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("Tipo de consulta") && page.body.contains("Número de pedido"),
        "{}",
        page.body
    );
    assert!(page.body.contains("data-show-when"), "{}", page.body);
    assert!(!page.body.contains("Nota interna"), "{}", page.body);
    let csrf = last_csrf(&page.body);
    let (k, o) = (format!("field_{kind}"), format!("field_{order}"));
    let before = ticket_count(&srv).await;

    // Refused, with words: sent at once; the order number missing when
    // the request is about an order.
    let now = domain::Timestamp::now().0.to_string();
    let p = post(
        &mut anon,
        &filled(&csrf, "nuevo@example.com", &[("started".into(), now)]),
    )
    .await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("Qué rapidez"), "{}", p.body);
    let p = post(
        &mut anon,
        &filled(&csrf, "nuevo@example.com", &[(k.clone(), "pedido".into())]),
    )
    .await;
    assert_eq!(p.status, 422);
    assert!(
        p.body.contains("Rellena «Número de pedido»") && p.body.contains("Mi pedido no llega"),
        "{}",
        p.body
    );
    let p = post(
        &mut anon,
        &filled(&csrf, "no-es-un-correo", &[(k.clone(), "otra".into())]),
    )
    .await;
    assert_eq!(p.status, 422);
    let p = post(
        &mut anon,
        &filled("otro", "nuevo@example.com", &[(k.clone(), "otra".into())]),
    )
    .await;
    assert_eq!(p.status, 403, "without this browser's token");
    assert_eq!(
        ticket_count(&srv).await,
        before,
        "nothing refused was created"
    );

    // A robot fills the field people do not see: thanked, nothing created.
    let p = post(
        &mut anon,
        &filled(
            &csrf,
            "robot@example.com",
            &[
                ("website".into(), "http://spam".into()),
                (k.clone(), "otra".into()),
            ],
        ),
    )
    .await;
    assert_eq!(p.status, 200);
    assert_eq!(ticket_count(&srv).await, before);

    // Accepted: the ticket exists at once, with its fields, by the web.
    let p = post(
        &mut anon,
        &filled(
            &csrf,
            "nuevo@example.com",
            &[(k.clone(), "pedido".into()), (o.clone(), "A-1234".into())],
        ),
    )
    .await;
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(
        p.body.contains("Hemos recibido tu solicitud") && p.body.contains("nuevo@example.com"),
        "{}",
        p.body
    );
    assert_eq!(ticket_count(&srv).await, before + 1);
    let (_, list) = srv.call("GET", "/api/v2/tickets.json", &admin, None).await;
    let t = list["tickets"]
        .as_array()
        .and_then(|a| a.iter().max_by_key(|t| t["id"].as_i64()))
        .cloned()
        .unwrap_or_default();
    assert_eq!(t["subject"], "Mi pedido no llega");
    assert_eq!(t["via"]["channel"], "web");
    assert_eq!(
        t["ticket_form_id"], f["ticket_form"]["id"],
        "the ticket keeps the form it came from"
    );
    let values = t["custom_fields"].to_string();
    assert!(
        values.contains("pedido") && values.contains("A-1234"),
        "{t}"
    );

    // The requester confirms the address with the mailed link, and then
    // sees the request.
    let mut mail = Vec::new();
    for _ in 0..200 {
        mail = sink
            .received()
            .await
            .into_iter()
            .filter(|m| {
                m["subject"]
                    .as_str()
                    .is_some_and(|s| s.starts_with("Hemos recibido tu solicitud"))
            })
            .collect();
        if !mail.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert_eq!(mail[0]["to"], "nuevo@example.com");
    let text = mail[0]["text"].as_str().unwrap_or_default();
    let link = text
        .split_whitespace()
        .find(|w| w.contains("/signin/link/"))
        .and_then(|w| w.split("/hc/").nth(1))
        .map(|p| format!("/hc/{p}"))
        .unwrap_or_default();
    let mut me = Browser::new(&srv.base);
    let page = me.get(&link).await;
    let p = me.post(&link, &[("csrf", &last_csrf(&page.body))]).await;
    assert_eq!(p.status, 303, "{}", p.body);
    let mine = me.get(&format!("/hc/es/requests/{}", t["id"])).await;
    assert_eq!(mine.status, 200);
    assert!(
        mine.body.contains("Hice un pedido hace diez días"),
        "{}",
        mine.body
    );

    // Limits: one address sends only so many requests an hour.
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let p = post(
            &mut anon,
            &filled(
                &csrf,
                "insistente@example.com",
                &[(k.clone(), "otra".into())],
            ),
        )
        .await;
        statuses.push(p.status);
    }
    assert_eq!(statuses, [200, 200, 200, 200, 200, 429], "{statuses:?}");

    // While typing, the bot suggests articles; opening one is counted, and
    // a request sent afterwards undoes the deflection.
    let cat = category(&srv, "es", json!({"name": "Envíos"})).await;
    let sec = section(&srv, &cat, json!({"name": "Seguimiento"})).await;
    let a = article(&srv, &sec, json!({"title": "Dónde está mi pedido", "body": "<p>Sigue tu pedido con el número de seguimiento del correo de envío.</p>"})).await;
    let s = anon
        .get("/hc/es/requests/suggest?query=donde+esta+mi+pedido+seguimiento")
        .await;
    let found: Json = serde_json::from_str(&s.body).unwrap_or_default();
    assert_eq!(
        found["articles"][0]["title"], "Dónde está mi pedido",
        "{found}"
    );
    let href = found["articles"][0]["href"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let opened = anon.get(&href).await;
    assert_eq!(opened.status, 303);
    assert_eq!(opened.location, format!("/hc/es/articles/{}", a["id"]));
    let boss = admin_actor(&srv).await;
    let since = domain::Timestamp(0);
    assert_eq!(
        srv.app.deflections(boss, since).await.unwrap_or_default(),
        (1, 1)
    );
    let token = found["token"].as_str().unwrap_or_default().to_string();
    let p = post(
        &mut anon,
        &filled(
            &csrf,
            "otra@example.com",
            &[(k.clone(), "otra".into()), ("bot_token".into(), token)],
        ),
    )
    .await;
    assert_eq!(p.status, 200, "{}", p.body);
    assert_eq!(
        srv.app.deflections(boss, since).await.unwrap_or_default(),
        (1, 0),
        "a request followed"
    );
});

both!(the_request_form_in_a_browser, |first| {
    let backend = first.backend;
    drop(first);
    let Relayed {
        srv,
        maildir: _maildir,
        ..
    } = with_relay(backend).await;
    let kind = field(&srv, json!({"type": "tagger", "title": "Kind",
        "title_in_portal_translations": {"es": "Tipo de consulta"},
        "custom_field_options": [{"name": "Un pedido", "value": "pedido"}, {"name": "Otra cosa", "value": "otra"}]})).await;
    let order = field(&srv, json!({"type": "text", "title": "Order", "title_in_portal_translations": {"es": "Número de pedido"}})).await;
    let (s, f) = srv
        .call("POST", "/api/v2/ticket_forms.json", &srv.admin(), Some(json!({"ticket_form": {
            "name": "Pedidos", "ticket_field_ids": [kind, order],
            "end_user_conditions": [{"parent_field_id": kind, "value": "pedido", "child_fields": [{"id": order, "is_required": true}]}]}})))
        .await;
    assert_eq!(s, 201, "{f}");
    let cat = category(&srv, "es", json!({"name": "Envíos"})).await;
    let sec = section(&srv, &cat, json!({"name": "Seguimiento"})).await;
    article(
        &srv,
        &sec,
        json!({"title": "Dónde está mi pedido",
        "body": "<p>Sigue tu pedido con el número de seguimiento que te enviamos por correo.</p>"}),
    )
    .await;
    let before = ticket_count(&srv).await;
    for size in ["desktop", "phone"] {
        browser_flow(
            &srv,
            "request_form_flow.mjs",
            &[("ATIENDE_VIEWPORT", size.to_string())],
        )
        .await;
    }
    assert_eq!(ticket_count(&srv).await, before + 2, "one request per run");
    let boss = admin_actor(&srv).await;
    let (opened, deflected) = srv
        .app
        .deflections(boss, domain::Timestamp(0))
        .await
        .unwrap_or_default();
    assert!(opened >= 2, "each run opened a suggestion: {opened}");
    assert_eq!(
        deflected, 0,
        "each run still sent its request: no deflection"
    );
});

both!(suggestions_are_limited_per_network, |srv| {
    // 60 a minute per network: within 125 asks (even if a minute turns
    // once meanwhile) one is refused, and never before the 60th.
    let mut b = Browser::new(&srv.base);
    let mut first_refusal = None;
    for i in 0..125 {
        let s = b
            .get("/hc/es/requests/suggest?query=donde+esta+mi+pedido")
            .await
            .status;
        assert!(s == 200 || s == 429, "{s}");
        if s == 429 {
            first_refusal = Some(i);
            break;
        }
    }
    let at = first_refusal.unwrap_or_else(|| panic!("never refused"));
    assert!(at >= 60, "refused at ask {at}");
});

/// Posts the request form as multipart, with files, as the browser `b`.
async fn post_with_files(
    b: &Browser,
    pairs: &[(String, String)],
    files: &[(&str, &[u8])],
) -> (u16, String) {
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in pairs {
        form = form.text(k.clone(), v.clone());
    }
    for (name, data) in files {
        form = form.part(
            "attachments",
            reqwest::multipart::Part::bytes(data.to_vec()).file_name(name.to_string()),
        );
    }
    b.post_multipart("/hc/es/requests/new", form).await
}

both!(requests_carry_files_and_several_choices, |srv| {
    let admin = srv.admin();
    let parts = field(&srv, json!({"type": "multiselect", "title": "Parts",
        "title_in_portal_translations": {"es": "Piezas afectadas"},
        "custom_field_options": [{"name": "Pantalla", "value": "pantalla"}, {"name": "Batería", "value": "bateria"}, {"name": "Cargador", "value": "cargador"}]})).await;
    let (s, f) = srv
        .call(
            "POST",
            "/api/v2/ticket_forms.json",
            &admin,
            Some(json!({"ticket_form": {
            "name": "Averías", "ticket_field_ids": [parts]}})),
        )
        .await;
    assert_eq!(s, 201, "{f}");
    let mut anon = Browser::new(&srv.base);
    let page = anon.get("/hc/es/requests/new").await;
    assert!(
        page.body.contains("Piezas afectadas") && page.body.contains("<fieldset"),
        "{}",
        page.body
    );
    assert!(page.body.contains("multipart/form-data"), "{}", page.body);
    let csrf = last_csrf(&page.body);
    let p = format!("field_{parts}");
    let mut pairs = filled(&csrf, "pieza@example.com", &[]);
    pairs.push((p.clone(), "pantalla".into()));
    pairs.push((p.clone(), "cargador".into()));

    // Too many files: refused in words, nothing created.
    let before = ticket_count(&srv).await;
    let six: Vec<(&str, &[u8])> = (0..6).map(|_| ("nota.txt", b"hola".as_slice())).collect();
    let (s, body) = post_with_files(&anon, &pairs, &six).await;
    assert_eq!(s, 422, "{body}");
    assert!(body.contains("Archivos adjuntos"), "{body}");
    assert_eq!(ticket_count(&srv).await, before);

    // Two files and two choices: on the new ticket's first comment and
    // its field.
    let (s, body) = post_with_files(
        &anon,
        &pairs,
        &[
            ("foto.png", TINY_PNG),
            ("pagina.html", b"<script>alert(1)</script>"),
        ],
    )
    .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(ticket_count(&srv).await, before + 1);
    let (_, list) = srv
        .call("GET", "/api/v2/tickets.json?sort_order=desc", &admin, None)
        .await;
    let ticket = list["tickets"]
        .as_array()
        .and_then(|a| a.iter().max_by_key(|t| t["id"].as_i64()))
        .cloned()
        .unwrap_or_default();
    let value = ticket["custom_fields"]
        .as_array()
        .and_then(|a| a.iter().find(|c| c["id"] == parts))
        .map(|c| c["value"].clone())
        .unwrap_or_default();
    assert_eq!(value, json!(["pantalla", "cargador"]), "{ticket}");
    let (_, cs) = srv
        .call(
            "GET",
            &format!("/api/v2/tickets/{}/comments.json", ticket["id"]),
            &admin,
            None,
        )
        .await;
    let files = cs["comments"][0]["attachments"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(files.len(), 2, "{cs}");
    let html = files
        .iter()
        .find(|f| f["file_name"] == "pagina.html")
        .cloned()
        .unwrap_or_default();
    assert_ne!(
        html["content_type"], "text/html",
        "never served as a page: {html}"
    );
    assert!(
        files
            .iter()
            .any(|f| f["file_name"] == "foto.png" && f["content_type"] == "image/png")
    );
});
