//! The customer portal over HTTP: signing in by a link mailed through the
//! real outbox and SMTP relay (once, never telling whether an address has
//! an account), "my requests" with only the public conversation, replying,
//! and nobody else's request; a customer's session opens no workspace.

use super::email::{Relayed, Sink, with_relay};
use super::workspace::{Browser, hidden};
use super::*;

/// The sign-in forms' token on a page (the last `csrf` field: a signed-in
/// page carries the session's first, in its sign-out form).
pub(super) fn sign_in_csrf(html: &str) -> String {
    html.rsplit("name=\"csrf\" value=\"")
        .next()
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_string()
}

/// The sign-in link in a mail's text.
fn link_in(text: &str) -> String {
    text.split_whitespace()
        .find(|w| w.contains("/signin/link/"))
        .map(|w| {
            w.split("/hc/")
                .nth(1)
                .map(|p| format!("/hc/{p}"))
                .unwrap_or_default()
        })
        .unwrap_or_default()
}

/// The sign-in mails the relay got, once there are at least `n`.
async fn link_mails(sink: &Sink, n: usize) -> Vec<Json> {
    for _ in 0..200 {
        let mails: Vec<Json> = sink
            .received()
            .await
            .into_iter()
            .filter(|m| m["subject"] == "Tu enlace para entrar")
            .collect();
        if mails.len() >= n {
            return mails;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no sign-in mail at the relay: {:?}", sink.received().await);
}

/// A customer with one request an agent answered in public (and noted on
/// internally); returns her id and the request's.
async fn lucia_with_a_request(srv: &TestServer) -> (i64, i64) {
    let (lucia, _) = srv
        .user_with_token("Lucía Pérez", "lucia@example.com", "end-user")
        .await;
    let (s, b) = srv
        .call("POST", "/api/v2/tickets.json", &srv.admin(),
              Some(json!({"ticket": {"subject": "Mi pedido no llegó", "requester_id": lucia, "comment": {"body": "Detalles del caso"}}})))
        .await;
    assert_eq!(s, 201, "{b}");
    let id = b["ticket"]["id"].as_i64().unwrap_or_default();
    for (body, public) in [
        ("Lo enviamos mañana", true),
        ("Nota interna: revisar almacén", false),
    ] {
        srv.call(
            "PUT",
            &format!("/api/v2/tickets/{id}.json"),
            &srv.admin(),
            Some(json!({"ticket": {"comment": {"body": body, "public": public}}})),
        )
        .await;
    }
    (lucia, id)
}

both!(the_portal_in_a_browser, |first| {
    let backend = first.backend;
    drop(first);
    let Relayed {
        srv,
        sink,
        maildir: _maildir,
        ..
    } = with_relay(backend).await;
    let (_, id) = lucia_with_a_request(&srv).await;
    let run = |phase: &'static str, size: &'static str, link: String| {
        let base = srv.base.clone();
        let tag = format!("{backend:?}").to_lowercase();
        tokio::task::spawn_blocking(move || {
            std::process::Command::new("node")
                .arg("portal_flow.mjs")
                .current_dir(repo_root().join("tests/ui"))
                .env("ATIENDE_URL", base)
                .env("ATIENDE_BACKEND", tag)
                .env("ATIENDE_ARTIFACTS", repo_root().join("target/ui-artifacts"))
                .env("PHASE", phase)
                .env("ATIENDE_VIEWPORT", size)
                .env("ATIENDE_LINK", link)
                .output()
        })
    };
    for (n, size) in [(1, "desktop"), (2, "phone")] {
        for phase in ["ask", "answer"] {
            let link = if phase == "answer" {
                let mails = link_mails(&sink, n).await;
                link_in(mails[n - 1]["text"].as_str().unwrap_or_default())
            } else {
                String::new()
            };
            let out = run(phase, size, link)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .unwrap_or_else(|e| panic!("cannot run node ({e}); run scripts/test.sh"));
            assert!(
                out.status.success(),
                "portal browser flow ({phase}, {size}) failed on {backend:?}:\n{}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    let (_, cs) = srv
        .call(
            "GET",
            &format!("/api/v2/tickets/{id}/comments.json"),
            &srv.admin(),
            None,
        )
        .await;
    let text = cs.to_string();
    assert!(
        text.contains("Gracias, lo espero (desktop)")
            && text.contains("Gracias, lo espero (phone)"),
        "{cs}"
    );
});

both!(
    customers_sign_in_by_emailed_link_and_answer_their_requests,
    |first| {
        let backend = first.backend;
        drop(first);
        let Relayed {
            srv,
            sink,
            maildir: _maildir,
            ..
        } = with_relay(backend).await;
        let admin = srv.admin();
        let (lucia, _) = srv
            .user_with_token("Lucía Pérez", "lucia@example.com", "end-user")
            .await;
        let (other, _) = srv
            .user_with_token("Otro", "otro@example.com", "end-user")
            .await;
        let mut ticket_of = std::collections::HashMap::new();
        for (who, subject) in [(lucia, "Mi pedido no llegó"), (other, "Factura ajena")] {
            let (s, b) = srv
            .call("POST", "/api/v2/tickets.json", &admin,
                  Some(json!({"ticket": {"subject": subject, "requester_id": who, "comment": {"body": "Detalles del caso"}}})))
            .await;
            assert_eq!(s, 201, "{b}");
            ticket_of.insert(who, b["ticket"]["id"].as_i64().unwrap_or_default());
        }
        let mine = ticket_of[&lucia];
        for (body, public) in [
            ("Lo enviamos mañana", true),
            ("Nota interna: revisar almacén", false),
        ] {
            srv.call(
                "PUT",
                &format!("/api/v2/tickets/{mine}.json"),
                &admin,
                Some(json!({"ticket": {"comment": {"body": body, "public": public}}})),
            )
            .await;
        }

        // Asking for a link: the same answer for an unknown address.
        let mut b = Browser::new(&srv.base);
        let page = b.get("/hc/es/signin").await;
        assert_eq!(page.status, 200);
        let csrf = sign_in_csrf(&page.body);
        for email in ["nadie@example.com", "lucia@example.com"] {
            let p = b
                .post("/hc/es/signin/link", &[("email", email), ("csrf", &csrf)])
                .await;
            assert_eq!(p.status, 200, "{}", p.body);
            assert!(
                p.body
                    .contains(&format!("Si {email} pertenece a una cuenta")),
                "{}",
                p.body
            );
        }
        let p = b
            .post(
                "/hc/es/signin/link",
                &[("email", "no es un correo"), ("csrf", &csrf)],
            )
            .await;
        assert_eq!(p.status, 422);
        assert!(
            p.body.contains("Escribe una dirección de correo completa"),
            "{}",
            p.body
        );
        let p = b
            .post(
                "/hc/es/signin/link",
                &[("email", "lucia@example.com"), ("csrf", "otro")],
            )
            .await;
        assert_eq!(p.status, 403, "a form without this browser's token");

        // One mail, to Lucía only, in Spanish, through the relay.
        let mails = link_mails(&sink, 1).await;
        assert_eq!(mails.len(), 1, "{mails:?}");
        assert_eq!(mails[0]["to"], "lucia@example.com");
        assert!(
            sink.received()
                .await
                .iter()
                .all(|m| m["to"] != "nadie@example.com")
        );
        let text = mails[0]["text"].as_str().unwrap_or_default();
        assert!(text.contains("15 minutos"), "{text}");
        let link = link_in(text);
        assert!(link.starts_with("/hc/es/signin/link/"), "{text}");

        // Following the link asks for a click; the click signs in, once.
        let page = b.get(&link).await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(
            page.body.contains("Entrar como lucia@example.com"),
            "{}",
            page.body
        );
        let p = b.post(&link, &[("csrf", &sign_in_csrf(&page.body))]).await;
        assert_eq!(p.status, 303, "{}", p.body);
        assert_eq!(p.location, "/hc/es/requests");
        assert!(
            p.set_cookies
                .iter()
                .any(|c| c.starts_with("atiende_session=")
                    && c.contains("HttpOnly")
                    && c.contains("SameSite=Lax"))
        );
        let mut again = Browser::new(&srv.base);
        let page = again.get(&link).await;
        assert_eq!(page.status, 410, "a used link");
        assert!(
            page.body.contains("ya se ha usado o ha caducado"),
            "{}",
            page.body
        );

        // My requests: hers only; the public conversation only.
        let list = b.get("/hc/es/requests").await;
        assert_eq!(list.status, 200);
        assert!(
            list.body.contains("Mi pedido no llegó") && !list.body.contains("Factura ajena"),
            "{}",
            list.body
        );
        let page = b.get(&format!("/hc/es/requests/{mine}")).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Lo enviamos mañana"), "{}", page.body);
        assert!(
            !page.body.contains("Nota interna"),
            "an internal note on the portal: {}",
            page.body
        );
        let other_page = b
            .get(&format!("/hc/es/requests/{}", ticket_of[&other]))
            .await;
        assert_eq!(other_page.status, 404);

        // Replying: a public comment by her, on the web channel.
        let session_csrf = hidden(&page.body, "csrf");
        let p = b
            .post(
                &format!("/hc/es/requests/{mine}"),
                &[
                    ("body", "¿Me avisáis cuando salga?"),
                    ("ccs", "no-es-correo"),
                    ("csrf", &session_csrf),
                ],
            )
            .await;
        assert_eq!(p.status, 422);
        assert!(
            p.body
                .contains("no-es-correo no es una dirección de correo")
                && p.body.contains("¿Me avisáis"),
            "{}",
            p.body
        );
        let p = b
            .post(
                &format!("/hc/es/requests/{mine}"),
                &[("body", ""), ("csrf", &session_csrf)],
            )
            .await;
        assert_eq!(p.status, 422);
        assert!(p.body.contains("Escribe una respuesta"), "{}", p.body);
        let p = b
            .post(
                &format!("/hc/es/requests/{mine}"),
                &[
                    ("body", "¿Me avisáis cuando salga?"),
                    ("ccs", "hermana@example.com"),
                    ("csrf", &session_csrf),
                ],
            )
            .await;
        assert_eq!(p.status, 303, "{}", p.body);
        assert_eq!(p.location, format!("/hc/es/requests/{mine}?sent=1"));
        let (_, cs) = srv
            .call(
                "GET",
                &format!("/api/v2/tickets/{mine}/comments.json"),
                &admin,
                None,
            )
            .await;
        let last = cs["comments"]
            .as_array()
            .and_then(|a| a.last())
            .cloned()
            .unwrap_or_default();
        assert_eq!(last["author_id"], lucia, "{last}");
        assert_eq!(last["public"], true);
        assert_eq!(last["via"]["channel"], "web");
        let (_, t) = srv
            .call("GET", &format!("/api/v2/tickets/{mine}.json"), &admin, None)
            .await;
        assert_eq!(
            t["ticket"]["collaborator_ids"].as_array().map(Vec::len),
            Some(1),
            "{t}"
        );
        let p = b
            .post(
                &format!("/hc/es/requests/{mine}"),
                &[("body", "x"), ("csrf", "falso")],
            )
            .await;
        assert_eq!(p.status, 403, "a reply without the session's token");

        // A reply with a file (a multipart form, as the browser sends it).
        let form = reqwest::multipart::Form::new()
            .text("csrf", session_csrf.clone())
            .text("body", "Os adjunto el justificante")
            .part(
                "files",
                reqwest::multipart::Part::bytes(b"justificante de pago".to_vec())
                    .file_name("justificante.txt")
                    .mime_str("text/plain")
                    .unwrap_or_else(|e| panic!("{e}")),
            );
        let (status, _) = b
            .post_multipart(&format!("/hc/es/requests/{mine}"), form)
            .await;
        assert_eq!(status, 303);
        let (_, cs) = srv
            .call(
                "GET",
                &format!("/api/v2/tickets/{mine}/comments.json"),
                &admin,
                None,
            )
            .await;
        let last = cs["comments"]
            .as_array()
            .and_then(|a| a.last())
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            last["attachments"][0]["file_name"], "justificante.txt",
            "{last}"
        );
        let page = b.get(&format!("/hc/es/requests/{mine}")).await;
        let href = page
            .body
            .split("href=\"")
            .find(|p| p.contains("/attachments/"))
            .and_then(|p| p.split('"').next())
            .unwrap_or_default()
            .to_string();
        assert!(
            href.starts_with(&format!("/hc/es/requests/{mine}/attachments/")),
            "{}",
            page.body
        );
        let file = reqwest::Client::new()
            .get(format!("{}{href}", srv.base))
            .header("cookie", b.cookie_header())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(file.status().as_u16(), 200);
        assert!(
            file.headers()
                .get("content-disposition")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("attachment")),
            "a download, never inline"
        );
        assert_eq!(
            file.text().await.unwrap_or_default(),
            "justificante de pago"
        );
        let stranger = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_else(|e| panic!("{e}"))
            .get(format!("{}{href}", srv.base))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            stranger.status().as_u16(),
            303,
            "not signed in: to the sign-in page"
        );

        // Her session opens no workspace; signing out ends it.
        let ws = b.get("/agent").await;
        assert!(
            matches!(ws.status, 302 | 303) && ws.location.starts_with("/login"),
            "{} {}",
            ws.status,
            ws.location
        );
        let home = b.get("/hc/es").await;
        let p = b
            .post("/hc/es/signout", &[("csrf", &hidden(&home.body, "csrf"))])
            .await;
        assert_eq!(p.status, 303);
        let after = b.get("/hc/es/requests").await;
        assert_eq!(
            (after.status, after.location.as_str()),
            (303, "/hc/es/signin")
        );

        // A password works too, for a customer who set one.
        let (s, _) = srv
            .call(
                "PUT",
                &format!("/api/v2/users/{lucia}.json"),
                &admin,
                Some(json!({"user": {"password": "clave-de-lucia-1"}})),
            )
            .await;
        assert!(s < 300, "{s}");
        let mut c = Browser::new(&srv.base);
        let page = c.get("/hc/en-us/signin").await;
        let csrf = sign_in_csrf(&page.body);
        let p = c
            .post(
                "/hc/en-us/signin",
                &[
                    ("email", "lucia@example.com"),
                    ("password", "mal"),
                    ("csrf", &csrf),
                ],
            )
            .await;
        assert_eq!(p.status, 401);
        assert!(p.body.contains("do not match an account"), "{}", p.body);
        let p = c
            .post(
                "/hc/en-us/signin",
                &[
                    ("email", "lucia@example.com"),
                    ("password", "clave-de-lucia-1"),
                    ("csrf", &csrf),
                ],
            )
            .await;
        assert_eq!((p.status, p.location.as_str()), (303, "/hc/en-us/requests"));
        let list = c.get("/hc/en-us/requests").await;
        assert!(list.body.contains("Mi pedido no llegó"), "{}", list.body);
    }
);

both!(signed_in_readers_comment_on_the_article_page, |srv| {
    let admin = srv.admin();
    let article = new_article(
        &srv,
        "Seguir un envío",
        "<p>Con el número de seguimiento.</p>",
    )
    .await;
    let page_path = format!("/hc/es/articles/{article}");
    // Anyone reads the page; a visitor is asked to sign in to comment.
    let mut visitor = Browser::new(&srv.base);
    let page = visitor.get(&page_path).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Aún no hay comentarios")
            && page.body.contains("Inicia sesión para comentar"),
        "{}",
        page.body
    );
    let refused = visitor
        .post(&format!("{page_path}/comments"), &[("body", "hola")])
        .await;
    assert_eq!(refused.status, 401, "signed out: asked to sign in");
    // A customer with a password signs in and comments; markup is text.
    let (lucia, _) = srv
        .user_with_token("Lucía Pérez", "lucia@comenta.test", "end-user")
        .await;
    srv.call(
        "PUT",
        &format!("/api/v2/users/{lucia}.json"),
        &admin,
        Some(json!({"user": {"password": "clave-de-lucia-1"}})),
    )
    .await;
    let mut b = Browser::new(&srv.base);
    let signin = b.get("/hc/es/signin").await;
    let csrf = sign_in_csrf(&signin.body);
    let p = b
        .post(
            "/hc/es/signin",
            &[
                ("email", "lucia@comenta.test"),
                ("password", "clave-de-lucia-1"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(p.status, 303);
    let page = b.get(&page_path).await;
    assert!(page.body.contains("Añadir un comentario"), "{}", page.body);
    let csrf = hidden(&page.body, "csrf");
    let bad = b
        .post(
            &format!("{page_path}/comments"),
            &[("body", "sin token"), ("csrf", "otro")],
        )
        .await;
    assert_eq!(bad.status, 403);
    let done = b
        .post(
            &format!("{page_path}/comments"),
            &[
                ("body", "¿Y si no tengo número? <b>urgente</b>"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert!(
        done.location
            .starts_with(&format!("/hc/es/articles/{article}#comment-")),
        "{}",
        done.location
    );
    let shown = visitor.get(&page_path).await.body;
    assert!(
        shown.contains("Lucía Pérez") && shown.contains("¿Y si no tengo número?"),
        "{shown}"
    );
    assert!(
        !shown.contains("<b>urgente</b>"),
        "typed markup is shown as text"
    );
    // The API lists it as the article's comment by her.
    let (_, list) = srv
        .get(
            &format!("/api/v2/help_center/articles/{article}/comments.json"),
            &atiende_testkit::Auth::None,
        )
        .await;
    assert_eq!(list["comments"][0]["author_id"], lucia);
    // Comments turned off: the page says so and takes no more.
    srv.call(
        "PUT",
        &format!("/api/v2/help_center/articles/{article}.json"),
        &admin,
        Some(json!({"article": {"comments_disabled": true}})),
    )
    .await;
    let closed = b.get(&page_path).await;
    assert!(
        closed.body.contains("no admite comentarios")
            && !closed.body.contains("Añadir un comentario")
    );
});
