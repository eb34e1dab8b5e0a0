//! Surveys end to end: CSAT (with CES beside it) mailed through the real
//! SMTP relay after a case is solved, answered by the one-click link and
//! the page, changed, refused when tampered with or expired; triggers and
//! webhooks see the answers; a low score reopens the case once; NPS rounds
//! ask each customer once per period, and a detractor becomes a task.

use super::email::{Relayed, Sink, with_relay};
use super::*;
use domain::Timestamp;

/// The mails at the relay whose subject has `subject`, once there are `n`.
async fn mails_about(sink: &Sink, subject: &str, n: usize) -> Vec<Json> {
    for _ in 0..100 {
        let mails: Vec<Json> = sink
            .received()
            .await
            .into_iter()
            .filter(|m| m["subject"].as_str().unwrap_or_default().contains(subject))
            .collect();
        if mails.len() >= n {
            return mails;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "fewer than {n} mails about {subject:?}: {:?}",
        sink.received().await
    );
}

/// The link in a mail's text that ends with `tail` (`?csat=good`).
fn link_in(text: &str, tail: &str) -> String {
    text.split_whitespace()
        .find(|w| w.ends_with(tail))
        .unwrap_or_else(|| panic!("no link ending {tail} in {text}"))
        .to_string()
}

/// GETs a page with no credentials: (status, body, final address).
async fn page(srv: &TestServer, url: &str) -> (u16, String, String) {
    let r = srv.raw("GET", url, &Auth::None, None, None).await;
    let status = r.status().as_u16();
    let at = r.url().to_string();
    (status, r.text().await.unwrap_or_default(), at)
}

/// POSTs a survey form (as a client that sends no Origin).
async fn post_form(srv: &TestServer, url: &str, form: &str) -> (u16, String) {
    let r = srv
        .raw(
            "POST",
            url,
            &Auth::None,
            Some(form.as_bytes().to_vec()),
            Some("application/x-www-form-urlencoded"),
        )
        .await;
    let status = r.status().as_u16();
    (status, r.text().await.unwrap_or_default())
}

/// The satisfaction rating of a case, as the API shows it.
async fn rating_of(srv: &TestServer, ticket: i64) -> Json {
    let (s, b) = srv
        .get("/api/v2/satisfaction_ratings.json", &srv.admin())
        .await;
    assert_eq!(s, 200, "{b}");
    b["satisfaction_ratings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["ticket_id"] == ticket)
        .cloned()
        .unwrap_or(Json::Null)
}

/// The case's satisfaction audit events, oldest first.
async fn rating_events(srv: &TestServer, ticket: i64) -> Vec<Json> {
    let (_, b) = srv
        .get(
            &format!("/api/v2/tickets/{ticket}/audits.json"),
            &srv.admin(),
        )
        .await;
    b["audits"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|a| a["events"].as_array().cloned().unwrap_or_default())
        .filter(|e| e["type"] == "SatisfactionRating")
        .collect()
}

/// Lucía, a customer who reads Spanish, with `more` set on her profile.
async fn spanish_customer(srv: &TestServer, mut more: Json) -> i64 {
    let (lucia, _) = srv
        .user_with_token("Lucía Pérez", "lucia@example.com", "end-user")
        .await;
    more["locale"] = json!("es");
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/users/{lucia}.json"),
            &srv.admin(),
            Some(json!({ "user": more })),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    lucia
}

async fn set_surveys(srv: &TestServer, settings: Json) {
    let (s, b) = srv
        .call(
            "PUT",
            "/api/v2/surveys/settings.json",
            &srv.admin(),
            Some(json!({ "survey_settings": settings })),
        )
        .await;
    assert_eq!(s, 200, "{b}");
}

/// A webhook subscribed to survey events; its id.
async fn survey_hook(srv: &TestServer) -> String {
    let (s, b) = srv
        .call("POST", "/api/v2/webhooks.json", &srv.admin(),
              Some(json!({"webhook": {"name": "Encuestas", "endpoint": "http://127.0.0.1:9/hook", "http_method": "POST", "request_format": "json", "status": "active", "subscriptions": ["survey.sent", "survey.answered"]}})))
        .await;
    assert_eq!(s, 201, "{b}");
    b["webhook"]["id"].as_str().unwrap_or_default().to_string()
}

/// The survey events queued for a webhook: (type, question, score).
async fn hook_events(srv: &TestServer, hook: &str) -> Vec<(String, Json, Json)> {
    let mut calls = srv
        .app
        .webhook_deliveries(admin_actor(srv).await, hook)
        .await
        .unwrap_or_default();
    calls.sort_by_key(|d| d.id.0);
    calls
        .iter()
        .filter_map(|d| serde_json::from_str::<Json>(&d.body).ok())
        .map(|b| {
            (
                b["type"].as_str().unwrap_or_default().to_string(),
                b["detail"]["question"].clone(),
                b["detail"]["score"].clone(),
            )
        })
        .collect()
}

both!(csat_and_ces_by_email_link_and_page, |first| {
    let backend = first.backend;
    drop(first);
    let Relayed {
        srv,
        sink,
        maildir: _maildir,
        ..
    } = with_relay(backend).await;
    let admin = srv.admin();
    // Settings are checked before they are kept.
    let (s, b) = srv
        .call("PUT", "/api/v2/surveys/settings.json", &admin,
              Some(json!({"survey_settings": {"nps": {"every_days": 0}, "review_links": {"es": "javascript:alert(1)"}}})))
        .await;
    assert_eq!(s, 422, "{b}");
    let text = b.to_string();
    assert!(
        text.contains("nps.every_days") && text.contains("review_links"),
        "{b}"
    );
    let review = format!("{}/hc/es", srv.base);
    set_surveys(&srv, json!({
        "csat": {"enabled": true, "delay_minutes": 60, "ask_ces": true, "skip_tags": ["sin_encuesta"]},
        "low_score": {"action": "reopen"},
        "review_links": {"es": review},
    }))
    .await;
    let hook = survey_hook(&srv).await;
    // A trigger acting on a bad rating, as admins write them in Zendesk.
    let (s, b) = srv
        .call("POST", "/api/v2/triggers.json", &admin,
              Some(json!({"trigger": {"title": "Valoración mala", "conditions": {"all": [{"field": "satisfaction_score", "operator": "is", "value": "bad"}]}, "actions": [{"field": "set_tags", "value": "csat_mala"}]}})))
        .await;
    assert_eq!(s, 201, "{b}");

    let lucia = spanish_customer(&srv, json!({})).await;
    let mut cases = Vec::new();
    for tags in [json!([]), json!(["sin_encuesta"])] {
        let t = new_ticket(&srv, json!({"subject": "Mi pedido no llegó", "requester_id": lucia, "tags": tags, "comment": {"body": "Detalles del caso"}})).await;
        let id = t["id"].as_i64().unwrap_or_default();
        let (s, b) = srv
            .call("PUT", &format!("/api/v2/tickets/{id}.json"), &admin,
                  Some(json!({"ticket": {"status": "solved", "comment": {"body": "Lo enviamos hoy", "public": true}}})))
            .await;
        assert_eq!(s, 200, "{b}");
        cases.push(id);
    }
    let (case, skipped) = (cases[0], cases[1]);

    // Not before the delay (an hour); with none, at once; then never
    // again. (Sent as of now: mail queued for a later hour would wait
    // for it in the outbox.)
    let now = Timestamp::now();
    assert_eq!(srv.app.send_due_surveys_at(now).await.unwrap_or(9), 0);
    set_surveys(&srv, json!({"csat": {"enabled": true, "delay_minutes": 0, "ask_ces": true, "skip_tags": ["sin_encuesta"]}})).await;
    let now = Timestamp::now();
    assert_eq!(srv.app.send_due_surveys_at(now).await.unwrap_or(0), 2);
    assert_eq!(srv.app.send_due_surveys_at(now).await.unwrap_or(9), 0);
    let mails = mails_about(&sink, "¿Cómo lo hicimos?", 1).await;
    assert_eq!(
        mails.len(),
        1,
        "only the case without the skip tag: {mails:?}"
    );
    assert_eq!(mails[0]["to"], "lucia@example.com");
    assert!(
        mails[0]["subject"]
            .as_str()
            .unwrap_or_default()
            .contains(&format!("[#{case}]"))
    );
    let body = mails[0]["text"].as_str().unwrap_or_default().to_string();
    assert!(
        body.contains("Mi pedido no llegó") && body.contains("Basta un clic"),
        "{body}"
    );
    assert_eq!(rating_of(&srv, case).await["score"], "offered");
    assert_eq!(rating_of(&srv, skipped).await, Json::Null);
    let good = link_in(&body, "?csat=good");
    let bad = link_in(&body, "?csat=bad");

    // One click: recorded, thanked, invited to review; twice: once.
    for _ in 0..2 {
        let (s, html, _) = page(&srv, &good).await;
        assert_eq!(s, 200, "{html}");
        assert!(
            html.contains("¡Gracias por su respuesta!") && html.contains("Escribir una reseña"),
            "{html}"
        );
    }
    let r = rating_of(&srv, case).await;
    assert_eq!(
        (r["score"].as_str(), r["channel"].as_str()),
        (Some("good"), Some("email")),
        "{r}"
    );
    let scores: Vec<Json> = rating_events(&srv, case)
        .await
        .iter()
        .map(|e| e["score"].clone())
        .collect();
    assert_eq!(scores, [json!("offered"), json!("good")]);
    // The review invitation leads to the admins' link.
    let (s, _, at) = page(
        &srv,
        &format!("{}/review", good.split('?').next().unwrap_or_default()),
    )
    .await;
    assert_eq!((s, at.as_str()), (200, review.as_str()));

    // The page takes CES and a comment.
    let form_url = good.split('?').next().unwrap_or_default().to_string();
    let (s, html) = post_form(&srv, &form_url, "csat=good&ces=6&comment=Muy+amables").await;
    assert_eq!(s, 200, "{html}");
    assert!(
        html.contains("value=\"6\" checked") && html.contains("Muy amables"),
        "{html}"
    );
    // Out of range: said on the page, nothing changed.
    let (s, html) = post_form(&srv, &form_url, "ces=9").await;
    assert_eq!(s, 422, "{html}");
    assert!(
        html.contains("No pudimos guardar su respuesta") && html.contains("value=\"6\" checked"),
        "{html}"
    );

    // A change of mind: replaced, audited with the earlier score; the
    // trigger sees it; the case opens again (once).
    let (s, html, _) = page(&srv, &bad).await;
    assert_eq!(s, 200, "{html}");
    let r = rating_of(&srv, case).await;
    assert_eq!(r["score"], "bad", "{r}");
    assert_eq!(r["comment"], "Muy amables", "{r}");
    let events = rating_events(&srv, case).await;
    let last = events.last().cloned().unwrap_or_default();
    assert_eq!(
        (last["score"].as_str(), last["previous_score"].as_str()),
        (Some("bad"), Some("good")),
        "{events:?}"
    );
    let (_, t) = srv
        .get(&format!("/api/v2/tickets/{case}.json"), &admin)
        .await;
    assert_eq!(t["ticket"]["status"], "open", "{t}");
    assert!(t["ticket"]["tags"].to_string().contains("csat_mala"), "{t}");
    let (s, html) = post_form(&srv, &form_url, "csat=bad&reason_code=5").await;
    assert_eq!(s, 200, "{html}");
    assert_eq!(rating_of(&srv, case).await["reason_code"], 5);

    // Webhook: sent; good; good again with its comment; CES 6; bad; bad
    // with its reason. The same click twice sent nothing.
    let seen = hook_events(&srv, &hook).await;
    let kinds: Vec<(&str, Json)> = seen
        .iter()
        .map(|(k, _, s)| (k.as_str(), s.clone()))
        .collect();
    let answered = |score: Json| ("survey.answered", score);
    assert_eq!(
        kinds,
        [
            ("survey.sent", Json::Null),
            answered(json!("good")),
            answered(json!("good")),
            answered(json!(6)),
            answered(json!("bad")),
            answered(json!("bad"))
        ],
        "{seen:?}"
    );

    // Tampered and unknown links: refused with a page that says so.
    let mut forged = good.split('?').next().unwrap_or_default().to_string();
    let last = forged.pop().unwrap_or('0');
    forged.push(if last == 'a' { 'b' } else { 'a' });
    for url in [
        forged.clone(),
        format!("{}/hc/es/survey/1-99999999999-00", srv.base),
    ] {
        let (s, html, _) = page(&srv, &url).await;
        assert_eq!(s, 400, "{html}");
        assert!(html.contains("Este enlace no es válido"), "{html}");
    }
    // Past its days the link answers nothing.
    let token = form_url.rsplit('/').next().unwrap_or_default().to_string();
    let month = Timestamp(Timestamp::now().0 + 29 * 86_400);
    let late = srv
        .app
        .answer_survey_at(&token, app::surveys::answer::Reply::default(), month)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(late, Err(app::surveys::LinkProblem::Expired)),
        "{late:?}"
    );
});

both!(nps_rounds_ask_each_customer_once_per_period, |first| {
    let backend = first.backend;
    drop(first);
    let Relayed {
        srv,
        sink,
        maildir: _maildir,
        ..
    } = with_relay(backend).await;
    let admin = srv.admin();
    set_surveys(
        &srv,
        json!({
            "nps": {"enabled": true, "every_days": 30, "quiet_days": 90},
            "low_score": {"action": "task"},
        }),
    )
    .await;
    let (ana, _) = srv
        .user_with_token("Ana", "ana@example.com", "end-user")
        .await;
    srv.user_with_token("Bruno", "bruno@example.com", "end-user")
        .await;
    srv.user_with_token("Agente", "agente@example.com", "agent")
        .await;

    let now = Timestamp::now();
    assert_eq!(srv.app.send_due_surveys_at(now).await.unwrap_or(0), 2);
    // The round is done: nobody again an hour later, nor in the next
    // round within the quiet period; after it, everyone again.
    for (days, expected) in [(0, 0), (31, 0), (91, 2)] {
        let at = Timestamp(now.0 + days * 86_400 + 3600);
        assert_eq!(
            srv.app.send_due_surveys_at(at).await.unwrap_or(9),
            expected,
            "day {days}"
        );
    }
    // (The later rounds' mail waits in the outbox for their hour.)
    let mails = mails_about(&sink, "Would you recommend us?", 2).await;
    let mut to: Vec<&str> = mails.iter().filter_map(|m| m["to"].as_str()).collect();
    to.sort();
    assert_eq!(to, ["ana@example.com", "bruno@example.com"]);

    // A detractor with a comment: one task for the lead, however often
    // they answer.
    let mail = mails
        .iter()
        .find(|m| m["to"] == "ana@example.com")
        .cloned()
        .unwrap_or_default();
    let text = mail["text"].as_str().unwrap_or_default();
    let three = link_in(text, "?nps=3");
    for _ in 0..2 {
        let (s, html, _) = page(&srv, &format!("{three}&comment=Demasiado+lento")).await;
        assert_eq!(s, 200, "{html}");
        assert!(html.contains("value=\"3\" checked"), "{html}");
    }
    let (_, found) = srv
        .get(
            &format!("/api/v2/users/{ana}/tickets/requested.json"),
            &admin,
        )
        .await;
    let tasks: Vec<Json> = found["tickets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| t["tags"].to_string().contains("survey_follow_up"))
        .cloned()
        .collect();
    assert_eq!(tasks.len(), 1, "{found}");
    assert_eq!(tasks[0]["type"], "task", "{found}");
    assert!(
        tasks[0]["subject"]
            .as_str()
            .unwrap_or_default()
            .contains("Ana"),
        "{found}"
    );
    // A change of mind to a promoter is kept, with the earlier score.
    let (s, html, _) = page(&srv, &three.replace("?nps=3", "?nps=10")).await;
    assert_eq!(s, 200, "{html}");
    assert!(html.contains("value=\"10\" checked"), "{html}");
});

both!(csat_by_sms_keyword, |srv| {
    use super::messaging_kit::until;
    use super::sms::{OUR_NUMBER, SID, TOKEN, webhook};
    let twilio_api = atiende_testkit::twilio::TwilioStandIn::start(SID, TOKEN).await;
    let admin = srv.admin();
    let (s, made) = srv
        .call("POST", "/api/v2/channels/accounts.json", &admin,
              Some(json!({"account": {"channel": "sms", "name": "SMS", "external_id": OUR_NUMBER,
                  "credentials": {"account_sid": SID, "auth_token": TOKEN}, "api_base": twilio_api.base}})))
        .await;
    assert_eq!(s, 201, "{made}");
    let hook = made["account"]["webhook_url"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let mut n = 0;
    let mut text = |body: &'static str| {
        n += 1;
        let sid = format!("SM{n:032}");
        let hook = hook.clone();
        async move {
            let params = [
                ("MessageSid", sid.as_str()),
                ("AccountSid", SID),
                ("From", "+34600112233"),
                ("To", OUR_NUMBER),
                ("Body", body),
                ("NumMedia", "0"),
                ("SmsStatus", "received"),
            ];
            let (s, b) = webhook(&hook, &hook, &params).await;
            assert_eq!(s, 200, "{b}");
        }
    };
    text("Hola, ¿llegó mi devolución?").await;
    let case = || async {
        let (_, t) = srv.get("/api/v2/tickets.json", &admin).await;
        t["tickets"]
            .as_array()
            .and_then(|l| l.first())
            .cloned()
            .unwrap_or_default()
    };
    until("the SMS case", || async { case().await["id"].is_i64() }).await;
    let id = case().await["id"].as_i64().unwrap_or_default();
    let (s, b) = srv
        .call("PUT", &format!("/api/v2/tickets/{id}.json"), &admin,
              Some(json!({"ticket": {"status": "solved", "comment": {"body": "Sí, llegó ayer", "public": true}}})))
        .await;
    assert_eq!(s, 200, "{b}");
    set_surveys(&srv, json!({"csat": {"enabled": true, "delay_minutes": 0}})).await;
    assert_eq!(
        srv.app
            .send_due_surveys_at(Timestamp::now())
            .await
            .unwrap_or(0),
        1
    );
    let sent =
        || twilio_api.with_book(|b| b.sent.iter().map(|m| m.body.clone()).collect::<Vec<_>>());
    until("the survey by SMS", || async { sent().len() == 2 }).await;
    let asked = sent()[1].clone();
    assert!(
        asked.contains("Responda BUENA o MALA") && asked.contains("👍 Buena"),
        "{asked}"
    );
    assert_eq!(rating_of(&srv, id).await["channel"], "sms");
    let comments = comment_bodies(&srv, id).await.len();

    // The keyword answers; it is not a message on the case; thanks once.
    text("Buena").await;
    until("the rating", || async {
        rating_of(&srv, id).await["score"] == "good"
    })
    .await;
    until("the thanks", || async { sent().len() == 3 }).await;
    assert!(sent()[2].contains("¡Gracias"), "{:?}", sent());
    text("buena").await;
    text("Mala").await;
    until("the change of mind", || async {
        rating_of(&srv, id).await["score"] == "bad"
    })
    .await;
    until("thanks again", || async { sent().len() == 4 }).await;
    assert_eq!(
        comment_bodies(&srv, id).await.len(),
        comments,
        "no answer became a comment"
    );
    let (_, t) = srv.get(&format!("/api/v2/tickets/{id}.json"), &admin).await;
    assert_eq!(
        t["ticket"]["status"], "open",
        "a bad rating reopens the case: {t}"
    );
    // A real message afterwards goes to the case as ever.
    text("Pero falta una pieza").await;
    until("the message on the case", || async {
        comment_bodies(&srv, id).await.len() == comments + 1
    })
    .await;
});

both!(a_solved_request_is_rated_on_the_portal, |srv| {
    use super::portal::sign_in_csrf;
    use super::workspace::Browser;
    let admin = srv.admin();
    set_surveys(&srv, json!({"csat": {"enabled": true}})).await;
    let lucia = spanish_customer(&srv, json!({"password": "clave-de-lucia-1"})).await;
    let t = new_ticket(&srv, json!({"subject": "Factura duplicada", "requester_id": lucia, "comment": {"body": "Me cobraron dos veces"}})).await;
    let id = t["id"].as_i64().unwrap_or_default();
    let mut b = Browser::new(&srv.base);
    let page = b.get("/hc/es/signin").await;
    let csrf = sign_in_csrf(&page.body);
    let p = b
        .post(
            "/hc/es/signin",
            &[
                ("email", "lucia@example.com"),
                ("password", "clave-de-lucia-1"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    // Not asked while the request is open.
    let open = b.get(&format!("/hc/es/requests/{id}")).await;
    assert!(!open.body.contains("?csat=good"), "{}", open.body);
    srv.call("PUT", &format!("/api/v2/tickets/{id}.json"), &admin,
             Some(json!({"ticket": {"status": "solved", "comment": {"body": "Devuelto", "public": true}}}))).await;
    let solved = b.get(&format!("/hc/es/requests/{id}")).await;
    assert!(
        solved
            .body
            .contains("¿Cómo valora la atención que recibió?"),
        "{}",
        solved.body
    );
    let good = solved
        .body
        .split("href=\"")
        .filter_map(|h| h.split('"').next())
        .find(|h| h.ends_with("?csat=good"))
        .unwrap_or_else(|| panic!("no link: {}", solved.body))
        .replace("&amp;", "&");
    let answered = b.get(&good).await;
    assert_eq!(answered.status, 200, "{}", answered.body);
    let r = rating_of(&srv, id).await;
    assert_eq!(
        (r["score"].as_str(), r["channel"].as_str()),
        (Some("good"), Some("web")),
        "{r}"
    );
    let again = b.get(&format!("/hc/es/requests/{id}")).await;
    assert!(again.body.contains("Su respuesta:"), "{}", again.body);
    // The pass later finds the case asked already: nothing more is sent.
    assert_eq!(
        srv.app
            .send_due_surveys_at(Timestamp(Timestamp::now().0 + 90_000))
            .await
            .unwrap_or(9),
        0
    );
});

both!(surveys_in_the_browser, |first| {
    let backend = first.backend;
    drop(first);
    let Relayed {
        srv,
        sink,
        maildir: _maildir,
        ..
    } = with_relay(backend).await;
    let admin = srv.admin();
    set_surveys(
        &srv,
        json!({
            "csat": {"enabled": true, "delay_minutes": 0, "ask_ces": true},
            "review_links": {"es": "https://resenas.example.com/atiende"},
        }),
    )
    .await;
    let lucia = spanish_customer(&srv, json!({})).await;
    let t = new_ticket(&srv, json!({"subject": "Mi pedido no llegó", "requester_id": lucia, "comment": {"body": "Detalles"}})).await;
    let id = t["id"].as_i64().unwrap_or_default();
    srv.call(
        "PUT",
        &format!("/api/v2/tickets/{id}.json"),
        &admin,
        Some(
            json!({"ticket": {"status": "solved", "comment": {"body": "Enviado", "public": true}}}),
        ),
    )
    .await;
    assert_eq!(
        srv.app
            .send_due_surveys_at(Timestamp::now())
            .await
            .unwrap_or(0),
        1
    );
    let mails = mails_about(&sink, "¿Cómo lo hicimos?", 1).await;
    let link = link_in(mails[0]["text"].as_str().unwrap_or_default(), "?csat=good");
    browser_flow(&srv, "survey_flow.mjs", &[("SURVEY_LINK", link)]).await;
    let r = rating_of(&srv, id).await;
    assert_eq!(
        (r["score"].as_str(), r["comment"].as_str()),
        (Some("good"), Some("Muy amables, gracias")),
        "{r}"
    );
});

both!(csat_by_whatsapp_buttons, |srv| {
    use super::messaging_bot::{
        APP_SECRET, NUMBER_ID, TOKEN, connect, deliver, sent_to_customer, whatsapp_message, words,
    };
    use super::messaging_kit::until;
    let provider = atiende_testkit::whatsapp::WhatsAppStandIn::start(TOKEN).await;
    let account = connect(&srv, json!({"channel": "whatsapp", "name": "Tienda", "external_id": NUMBER_ID,
        "credentials": {"access_token": TOKEN, "app_secret": APP_SECRET}, "api_base": provider.base})).await;
    let hook = account["webhook_url"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let now = Timestamp::now().0;
    let first = whatsapp_message(
        "wamid.S1",
        &now.to_string(),
        json!({"type": "text", "text": {"body": "Mi pedido llegó roto"}}),
    );
    assert_eq!(deliver(&hook, &first).await, 200);
    let case = || async {
        let (_, t) = srv.get("/api/v2/tickets.json", &srv.admin()).await;
        t["tickets"]
            .as_array()
            .and_then(|l| l.first())
            .cloned()
            .unwrap_or_default()
    };
    until("the WhatsApp case", || async {
        case().await["id"].is_i64()
    })
    .await;
    let id = case().await["id"].as_i64().unwrap_or_default();
    srv.call("PUT", &format!("/api/v2/tickets/{id}.json"), &srv.admin(),
             Some(json!({"ticket": {"status": "solved", "comment": {"body": "Le enviamos otro hoy", "public": true}}}))).await;
    until("the reply", || async {
        sent_to_customer(&provider).len() == 1
    })
    .await;
    set_surveys(&srv, json!({"csat": {"enabled": true, "delay_minutes": 0}})).await;
    assert_eq!(
        srv.app
            .send_due_surveys_at(Timestamp::now())
            .await
            .unwrap_or(0),
        1
    );
    until("the survey", || async {
        sent_to_customer(&provider).len() == 2
    })
    .await;
    let asked = sent_to_customer(&provider)[1].clone();
    assert_eq!(asked["type"], "interactive", "{asked}");
    assert!(
        words(&asked).contains("¿Cómo valora la atención que recibió?"),
        "{asked}"
    );
    let buttons: Vec<&str> = asked["interactive"]["action"]["buttons"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| b["reply"]["title"].as_str())
        .collect();
    assert_eq!(buttons, ["👍 Buena", "👎 Mala"]);
    let comments = comment_bodies(&srv, id).await.len();
    // A tap on a button is the answer, not a message on the case.
    let tap = whatsapp_message(
        "wamid.S2",
        &(now + 60).to_string(),
        json!({"type": "interactive", "interactive": {"type": "button_reply", "button_reply": {"id": "x:1", "title": "👎 Mala"}}}),
    );
    assert_eq!(deliver(&hook, &tap).await, 200);
    until("the rating", || async {
        rating_of(&srv, id).await["score"] == "bad"
    })
    .await;
    assert_eq!(rating_of(&srv, id).await["channel"], "whatsapp");
    until("the thanks", || async {
        sent_to_customer(&provider).len() == 3
    })
    .await;
    assert!(words(&sent_to_customer(&provider)[2]).contains("¡Gracias"));
    assert_eq!(comment_bodies(&srv, id).await.len(), comments);
    let (_, t) = srv
        .get(&format!("/api/v2/tickets/{id}.json"), &srv.admin())
        .await;
    assert_eq!(t["ticket"]["status"], "open", "{t}");
});
