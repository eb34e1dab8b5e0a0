//! The findings of the attack on the running server, each as the request
//! that exposed it: identity takeover, credential guessing (API and web,
//! one guard), internal notes leaking through attachments, descriptions
//! and search, private profile fields, open redirects, missing browser
//! headers, restricted help-center articles, ratings and job statuses
//! outside one's reach, sessions outliving a password, slow clients,
//! insecure cookies and page-number overflow.

use super::workspace::{Browser, hidden};
use super::*;
use std::time::Duration;

async fn end_user(srv: &TestServer, name: &str, email: &str) -> (i64, Auth) {
    srv.user_with_token(name, email, "end-user").await
}

both!(
    agents_cannot_take_over_staff_accounts_through_identities,
    |srv| {
        let (agent, agent_auth) = srv
            .user_with_token("Agente", "agente@example.com", "agent")
            .await;
        let admin = 1;
        // The attack: an address of the agent's on the admin, made primary,
        // the admin's own deleted.
        let (s, b) = srv
        .call(
            "POST",
            &format!("/api/v2/users/{admin}/identities.json"),
            &agent_auth,
            Some(json!({"identity": {"type": "email", "value": "mine@evil.test", "verified": true}})),
        )
        .await;
        assert_eq!(s, 403, "{b}");
        let (_, ids) = srv
            .get(
                &format!("/api/v2/users/{admin}/identities.json"),
                &srv.admin(),
            )
            .await;
        let own = ids["identities"][0]["id"].as_i64().unwrap_or_default();
        for (method, path) in [
            (
                "PUT",
                format!("/api/v2/users/{admin}/identities/{own}/make_primary.json"),
            ),
            (
                "PUT",
                format!("/api/v2/users/{admin}/identities/{own}/verify.json"),
            ),
            (
                "DELETE",
                format!("/api/v2/users/{admin}/identities/{own}.json"),
            ),
        ] {
            let (s, b) = srv.call(method, &path, &agent_auth, None).await;
            assert_eq!(s, 403, "{method} {path}: {b}");
        }
        // Nor through the profile: an admin's email is not an agent's to change.
        let (s, _) = srv
            .call(
                "PUT",
                &format!("/api/v2/users/{admin}.json"),
                &agent_auth,
                Some(json!({"user": {"email": "mine@evil.test"}})),
            )
            .await;
        assert_eq!(s, 403);
        // An agent adds an address to their own profile: unverified, and an
        // unverified address cannot become the one they sign in with.
        let (s, b) = srv
        .call(
            "POST",
            &format!("/api/v2/users/{agent}/identities.json"),
            &agent_auth,
            Some(json!({"identity": {"type": "email", "value": "agente2@example.com", "verified": true}})),
        )
        .await;
        assert_eq!(s, 201, "{b}");
        assert_eq!(b["identity"]["verified"], false);
        let new = b["identity"]["id"].as_i64().unwrap_or_default();
        let (s, _) = srv
            .call(
                "PUT",
                &format!("/api/v2/users/{agent}/identities/{new}/make_primary.json"),
                &agent_auth,
                None,
            )
            .await;
        assert_eq!(s, 403);
        // Agents still manage customers' identities; admins anyone's.
        let (customer, _) = end_user(&srv, "Cliente", "cliente@example.com").await;
        let (s, _) = srv
            .call(
                "POST",
                &format!("/api/v2/users/{customer}/identities.json"),
                &agent_auth,
                Some(json!({"identity": {"type": "email", "value": "cliente2@example.com"}})),
            )
            .await;
        assert_eq!(s, 201);
        let (s, _) = srv
            .call(
                "PUT",
                &format!("/api/v2/users/{agent}/identities/{new}/make_primary.json"),
                &srv.admin(),
                None,
            )
            .await;
        assert_eq!(s, 200);
    }
);

both!(customers_cannot_read_or_write_staff_fields, |srv| {
    let (me, me_auth) = end_user(&srv, "Ana", "ana@example.com").await;
    srv.call(
        "PUT",
        &format!("/api/v2/users/{me}.json"),
        &srv.admin(),
        Some(json!({"user": {"notes": "pidió reembolso dos veces", "details": "cliente difícil"}})),
    )
    .await;
    let (_, b) = srv.get("/api/v2/users/me.json", &me_auth).await;
    assert_eq!(b["user"]["notes"], Json::Null, "{b}");
    assert_eq!(b["user"]["details"], Json::Null);
    let (_, b) = srv.get(&format!("/api/v2/users/{me}.json"), &me_auth).await;
    assert_eq!(b["user"]["notes"], Json::Null);
    for field in [
        json!({"notes": "todo bien"}),
        json!({"verified": true}),
        json!({"details": "x"}),
        json!({"tags": ["vip"]}),
        json!({"external_id": "x1"}),
    ] {
        let (s, b) = srv
            .call(
                "PUT",
                &format!("/api/v2/users/{me}.json"),
                &me_auth,
                Some(json!({"user": field})),
            )
            .await;
        assert_eq!(s, 403, "{field}: {b}");
    }
    // Their own name and language are theirs.
    let (s, _) = srv
        .call(
            "PUT",
            &format!("/api/v2/users/{me}.json"),
            &me_auth,
            Some(json!({"user": {"name": "Ana María", "locale": "es"}})),
        )
        .await;
    assert_eq!(s, 200);
    let (_, b) = srv
        .get(&format!("/api/v2/users/{me}.json"), &srv.admin())
        .await;
    assert_eq!(b["user"]["notes"], "pidió reembolso dos veces");
    assert_eq!(b["user"]["verified"], false);
});

both!(internal_notes_never_reach_the_customer, |srv| {
    let (me, me_auth) = end_user(&srv, "Ana", "ana@example.com").await;
    // Opened by an agent with an internal first comment.
    let t = new_ticket(
        &srv,
        json!({"subject": "Pedido 88", "requester_id": me,
               "comment": {"body": "sospecha de fraude zafiro", "public": false}}),
    )
    .await;
    let id = t["id"].as_i64().unwrap_or_default();
    let (_, b) = srv
        .get(&format!("/api/v2/tickets/{id}.json"), &me_auth)
        .await;
    assert_eq!(b["ticket"]["description"], "", "{b}");
    let (_, b) = srv.get("/api/v2/tickets.json", &me_auth).await;
    assert_eq!(b["tickets"][0]["description"], "");
    let (_, b) = srv
        .get(&format!("/api/v2/tickets/{id}.json"), &srv.admin())
        .await;
    assert_eq!(b["ticket"]["description"], "sospecha de fraude zafiro");

    // A file on an internal note.
    let up = srv
        .raw(
            "POST",
            "/api/v2/uploads.json?filename=informe.txt",
            &srv.admin(),
            Some(b"datos internos".to_vec()),
            Some("text/plain"),
        )
        .await;
    let up: Json = up.json().await.unwrap_or_default();
    let token = up["upload"]["token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    srv.call(
        "PUT",
        &format!("/api/v2/tickets/{id}.json"),
        &srv.admin(),
        Some(json!({"ticket": {"comment": {"body": "nota con informe", "public": false, "uploads": [token]}}})),
    )
    .await;
    let att = up["upload"]["attachment"]["id"]
        .as_i64()
        .unwrap_or_default();
    for path in [
        format!("/api/v2/attachments/{att}.json"),
        format!("/api/v2/attachments/{att}/content"),
    ] {
        let (s, _) = srv.get(&path, &me_auth).await;
        assert_eq!(s, 404, "{path}");
        let (s, _) = srv.get(&path, &srv.admin()).await;
        assert_eq!(s, 200, "{path}");
    }

    // Search: the note's words do not move the customer's count; public
    // words still find the ticket.
    srv.call(
        "PUT",
        &format!("/api/v2/tickets/{id}.json"),
        &srv.admin(),
        Some(json!({"ticket": {"comment": {"body": "Hola Ana, revisamos tu pedido", "public": true}, "tags": ["fraude"]}})),
    )
    .await;
    for q in [
        "zafiro",
        "fraude",
        "informe",
        "tags:fraude",
        "\"fraude zafiro\"",
    ] {
        let (_, b) = srv
            .get(&format!("/api/v2/search.json?query={q}"), &me_auth)
            .await;
        assert_eq!(b["count"], 0, "customer searching {q}: {b}");
        let (_, b) = srv
            .get(&format!("/api/v2/search/count.json?query={q}"), &me_auth)
            .await;
        assert_eq!(b["count"], 0, "customer counting {q}: {b}");
    }
    let (_, b) = srv
        .get("/api/v2/search.json?query=revisamos", &me_auth)
        .await;
    assert_eq!(b["count"], 1, "{b}");
    assert_eq!(b["results"][0]["description"], "");
    let (_, b) = srv
        .get("/api/v2/search.json?query=zafiro", &srv.admin())
        .await;
    assert_eq!(b["count"], 1);
});

both!(restricted_articles_stay_with_staff, |srv| {
    let (_, me_auth) = end_user(&srv, "Ana", "ana@example.com").await;
    let (_, cat) = srv
        .call(
            "POST",
            "/api/v2/help_center/categories.json",
            &srv.admin(),
            Some(json!({"category": {"name": "Ayuda"}})),
        )
        .await;
    let (_, sec) = srv
        .call(
            "POST",
            &format!(
                "/api/v2/help_center/categories/{}/sections.json",
                cat["category"]["id"]
            ),
            &srv.admin(),
            Some(json!({"section": {"name": "Interno"}})),
        )
        .await;
    let (s, a) = srv
        .call(
            "POST",
            &format!("/api/v2/help_center/sections/{}/articles.json", sec["section"]["id"]),
            &srv.admin(),
            Some(json!({"article": {"title": "Guion de retención", "body": "<p>Ofrecer descuento secreto</p>", "user_segment_id": staff_segment(&srv).await}})),
        )
        .await;
    assert_eq!(s, 201, "{a}");
    let id = a["article"]["id"].as_i64().unwrap_or_default();
    let (s, _) = srv
        .get(&format!("/api/v2/help_center/articles/{id}.json"), &me_auth)
        .await;
    assert_eq!(s, 404);
    let (_, b) = srv.get("/api/v2/help_center/articles.json", &me_auth).await;
    assert_eq!(b["articles"], json!([]), "{b}");
    let (_, b) = srv
        .get(
            "/api/v2/help_center/articles/search.json?query=descuento",
            &me_auth,
        )
        .await;
    assert_eq!(b["count"], 0, "{b}");
    let (s, _) = srv
        .get(
            &format!("/api/v2/help_center/articles/{id}.json"),
            &srv.admin(),
        )
        .await;
    assert_eq!(s, 200);
});

both!(restricted_agents_see_only_their_ratings, |srv| {
    let (contractor, c_auth) = srv
        .user_with_token("Externo", "externo@example.com", "agent")
        .await;
    srv.call(
        "PUT",
        &format!("/api/v2/users/{contractor}.json"),
        &srv.admin(),
        Some(json!({"user": {"ticket_restriction": "groups"}})),
    )
    .await;
    let (me, me_auth) = end_user(&srv, "Ana", "ana@example.com").await;
    let t = new_ticket(&srv, json!({"subject": "Otro equipo", "requester_id": me, "comment": {"body": "hola"}, "status": "solved"})).await;
    let (s, r) = srv
        .call(
            "POST",
            &format!("/api/v2/tickets/{}/satisfaction_rating.json", t["id"]),
            &me_auth,
            Some(json!({"satisfaction_rating": {"score": "bad", "comment": "fatal"}})),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    let rid = r["satisfaction_rating"]["id"].as_i64().unwrap_or_default();
    let (_, all) = srv
        .get("/api/v2/satisfaction_ratings.json", &srv.admin())
        .await;
    assert_eq!(
        all["satisfaction_ratings"].as_array().map(Vec::len),
        Some(1)
    );
    let (s, mine) = srv.get("/api/v2/satisfaction_ratings.json", &c_auth).await;
    assert_eq!(s, 200);
    assert_eq!(mine["satisfaction_ratings"], json!([]), "{mine}");
    let (s, _) = srv
        .get(&format!("/api/v2/satisfaction_ratings/{rid}.json"), &c_auth)
        .await;
    assert_eq!(s, 404);
});

both!(job_statuses_belong_to_their_creator, |srv| {
    let (_, a1) = srv.user_with_token("Uno", "uno@example.com", "agent").await;
    let (_, a2) = srv.user_with_token("Dos", "dos@example.com", "agent").await;
    let t = new_ticket(&srv, json!({"subject": "x", "comment": {"body": "y"}})).await;
    let (s, job) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/update_many.json?ids={}", t["id"]),
            &a1,
            Some(json!({"ticket": {"status": "open"}})),
        )
        .await;
    assert_eq!(s, 200, "{job}");
    let id = job["job_status"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let path = format!("/api/v2/job_statuses/{id}.json");
    assert_eq!(srv.get(&path, &a1).await.0, 200);
    assert_eq!(srv.get(&path, &srv.admin()).await.0, 200);
    assert_eq!(srv.get(&path, &a2).await.0, 404);
});

both!(huge_page_numbers_are_refused_cleanly, |srv| {
    for path in [
        "/api/v2/users.json?page=9223372036854775807",
        "/api/v2/tickets.json?page=9223372036854775807&per_page=100",
        "/api/v2/search.json?query=x&page=9223372036854775807",
    ] {
        let (s, b) = srv.get(path, &srv.admin()).await;
        assert_eq!(s, 400, "{path}: {b}");
        assert_eq!(b["error"], "InvalidValue");
    }
    let (s, b) = srv
        .get("/api/v2/users.json?page=100000", &srv.admin())
        .await;
    assert_eq!(s, 200);
    assert_eq!(b["next_page"], Json::Null);
});

both!(changing_a_password_ends_other_sessions, |srv| {
    let (agent, _) = srv.user_with_token("Bea", "bea@example.com", "agent").await;
    srv.call(
        "PUT",
        &format!("/api/v2/users/{agent}.json"),
        &srv.admin(),
        Some(json!({"user": {"password": "bea-password-1"}})),
    )
    .await;
    let mut b = Browser::new(&srv.base);
    assert_eq!(
        b.sign_in("bea@example.com", "bea-password-1").await.status,
        303
    );
    assert_eq!(b.get("/agent").await.status, 200);
    srv.call(
        "PUT",
        &format!("/api/v2/users/{agent}.json"),
        &srv.admin(),
        Some(json!({"user": {"password": "bea-password-2"}})),
    )
    .await;
    let p = b.get("/agent").await;
    assert_eq!(p.status, 303, "the old session is gone");
    assert!(p.location.starts_with("/login"));
});

both!(sign_in_redirects_stay_on_this_site, |srv| {
    let mut b = Browser::new(&srv.base);
    let p = b.get("/login?next=/%09/evil.example/x").await;
    assert_eq!(hidden(&p.body, "next"), "/agent");
    for next in [
        "/\t/evil.example/x",
        "/\n/evil",
        "//evil.example",
        "/\\evil.example",
    ] {
        let form = b.get("/login").await;
        let csrf = hidden(&form.body, "csrf");
        let p = b
            .post(
                "/login",
                &[
                    ("email", "admin@example.com"),
                    ("password", "admin-password-1"),
                    ("csrf", &csrf),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!((p.status, p.location.as_str()), (303, "/agent"), "{next:?}");
    }
});

both!(every_response_carries_the_browser_security_headers, |srv| {
    let mut b = Browser::new(&srv.base);
    b.sign_in("admin@example.com", "admin-password-1").await;
    for path in [
        "/login",
        "/agent",
        "/api/v2/users/me.json",
        "/healthz",
        "/nowhere",
    ] {
        let r = reqwest::get(format!("{}{path}", srv.base))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let h = r.headers();
        let csp = h
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(
            h.get("x-frame-options").map(|v| v.as_bytes()),
            Some(&b"DENY"[..]),
            "{path}"
        );
        assert_eq!(
            h.get("x-content-type-options").map(|v| v.as_bytes()),
            Some(&b"nosniff"[..])
        );
        assert!(h.get("referrer-policy").is_some(), "{path}");
    }
});

/// A server whose API limits are the shipped defaults.
async fn with_default_limits(backend: atiende_testkit::Backend) -> TestServer {
    let settings = web::Settings {
        trusted_proxies: vec![
            "127.0.0.1"
                .parse()
                .unwrap_or(std::net::Ipv4Addr::LOCALHOST.into()),
        ],
        ..Default::default()
    };
    TestServer::start_with_settings(backend, settings).await
}

/// A request as if from `source` (through the trusted local proxy).
async fn from(
    srv: &TestServer,
    source: &str,
    path: &str,
    auth: Option<(&str, &str)>,
) -> reqwest::Response {
    let mut r = reqwest::Client::new()
        .get(format!("{}{path}", srv.base))
        .header("x-forwarded-for", source);
    if let Some((u, p)) = auth {
        r = r.basic_auth(u, Some(p));
    }
    r.send().await.unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_passwords_on_the_api_meets_429_and_locks_the_web_too() {
    let srv = with_default_limits(atiende_testkit::Backend::Sqlite).await;
    // Five wrong passwords from one address, then 429 with Retry-After,
    // even for the right one.
    for _ in 0..5 {
        let r = from(
            &srv,
            "10.1.1.1",
            "/api/v2/users/me.json",
            Some(("admin@example.com", "guess")),
        )
        .await;
        assert_eq!(r.status().as_u16(), 401);
    }
    let r = from(
        &srv,
        "10.1.1.1",
        "/api/v2/users/me.json",
        Some(("admin@example.com", "admin-password-1")),
    )
    .await;
    assert_eq!(r.status().as_u16(), 429);
    assert!(r.headers().get("retry-after").is_some());
    // Tokens: the same guard (per address).
    for i in 0..60 {
        let r = from(
            &srv,
            "10.1.1.2",
            "/api/v2/users/me.json",
            Some((&format!("u{i}@example.com/token"), "nope")),
        )
        .await;
        if r.status().as_u16() == 429 {
            assert!(i >= 5, "refused only after failures ({i})");
            break;
        }
        assert_eq!(r.status().as_u16(), 401);
        assert!(i < 55, "one address guessing tokens was never stopped");
    }
    // The web sign-in shares the guard: the address that guessed on the
    // API waits there too.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let form = client
        .get(format!("{}/login", srv.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let cookie = form
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("atiende_login_csrf="))
        .and_then(|c| c.split(';').next())
        .unwrap_or("")
        .to_string();
    let csrf = cookie
        .split_once('=')
        .map(|(_, v)| v.to_string())
        .unwrap_or_default();
    let r = client
        .post(format!("{}/login", srv.base))
        .header("x-forwarded-for", "10.1.1.1")
        .header("cookie", &cookie)
        .form(&[
            ("email", "admin@example.com"),
            ("password", "admin-password-1"),
            ("csrf", &csrf),
            ("next", "/agent"),
        ])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status().as_u16(), 429);
    // Anonymous requests are limited per address too (60 a minute).
    let mut limited = false;
    for _ in 0..70 {
        if from(&srv, "10.1.1.3", "/api/v2/users/me.json", None)
            .await
            .status()
            .as_u16()
            == 429
        {
            limited = true;
            break;
        }
    }
    assert!(limited, "anonymous requests were never limited");
    assert!(
        srv.app
            .guard
            .counters
            .failed_sign_ins
            .load(std::sync::atomic::Ordering::Relaxed)
            >= 10,
        "failures are counted"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_locks_an_agent_out_by_guessing_from_elsewhere() {
    let srv = with_default_limits(atiende_testkit::Backend::Sqlite).await;
    let mut victim = Browser::new(&srv.base);
    // The agent signed in from this browser before: it is a known device.
    assert_eq!(
        victim
            .sign_in("admin@example.com", "admin-password-1")
            .await
            .status,
        303
    );
    // A distributed guess: one try from each of 40 addresses.
    for i in 0..40 {
        let r = from(
            &srv,
            &format!("10.9.0.{i}"),
            "/api/v2/users/me.json",
            Some(("admin@example.com", "guess")),
        )
        .await;
        assert!(matches!(r.status().as_u16(), 401 | 429));
    }
    // A new browser is held by the account lock…
    let r = from(
        &srv,
        "10.9.1.1",
        "/api/v2/users/me.json",
        Some(("admin@example.com", "admin-password-1")),
    )
    .await;
    assert_eq!(r.status().as_u16(), 429);
    // …the agent's own browser, from its own address, gets in…
    assert_eq!(
        victim
            .sign_in("admin@example.com", "admin-password-1")
            .await
            .status,
        303
    );
    // …and their API token works.
    let (s, _) = srv.get("/api/v2/users/me.json", &srv.admin()).await;
    assert_eq!(s, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookies_are_secure_behind_https() {
    let secure = |r: &reqwest::Response| {
        r.headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .all(|c| c.contains("; Secure"))
    };
    let plain = TestServer::start(atiende_testkit::Backend::Sqlite).await;
    let r = reqwest::get(format!("{}/login", plain.base))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!secure(&r), "plain HTTP: cookies must work there");
    let r = reqwest::Client::new()
        .get(format!("{}/login", plain.base))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!secure(&r), "an untrusted client cannot claim HTTPS");
    let behind = with_default_limits(atiende_testkit::Backend::Sqlite).await;
    let r = reqwest::Client::new()
        .get(format!("{}/login", behind.base))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(secure(&r), "the trusted proxy says HTTPS");
    assert!(r.headers().get("strict-transport-security").is_some());
    let public = TestServer::start_with_settings(
        atiende_testkit::Backend::Sqlite,
        web::Settings {
            public_url: Some("https://help.example.com".into()),
            ..Default::default()
        },
    )
    .await;
    let r = reqwest::get(format!("{}/login", public.base))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(secure(&r), "the public URL is https");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_are_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let srv = TestServer::start_with_settings(
        atiende_testkit::Backend::Sqlite,
        web::Settings {
            header_timeout: Duration::from_secs(1),
            body_timeout: Duration::from_secs(1),
            ..Default::default()
        },
    )
    .await;
    let addr = srv.base.trim_start_matches("http://").to_string();
    // Headers never finished (slowloris): the server hangs up.
    let mut s = tokio::net::TcpStream::connect(&addr)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let _ = s
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await;
    let mut buf = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(15), s.read_to_end(&mut buf)).await;
    assert!(closed.is_ok(), "a half-sent request held its connection");
    // A body that never arrives: the request fails instead of waiting.
    let mut s = tokio::net::TcpStream::connect(&addr)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let head = format!(
        "POST /api/v2/tickets.json HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nAuthorization: Basic {}\r\n\r\n{{\"ticket\":",
        {
            use base64::Engine;
            base64::engine::general_purpose::STANDARD
                .encode(format!("{}/token:{}", srv.admin_email, srv.admin_token))
        }
    );
    let _ = s.write_all(head.as_bytes()).await;
    let mut buf = Vec::new();
    let answered = tokio::time::timeout(Duration::from_secs(15), s.read_to_end(&mut buf)).await;
    assert!(answered.is_ok(), "a trickled body held its request");
    let text = String::from_utf8_lossy(&buf);
    assert!(!text.contains(" 201 "), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_from_one_address_are_capped() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let srv = TestServer::start_with_settings(
        atiende_testkit::Backend::Sqlite,
        web::Settings {
            max_connections_per_source: 5,
            ..Default::default()
        },
    )
    .await;
    let addr = srv.base.trim_start_matches("http://").to_string();
    let mut held = Vec::new();
    for _ in 0..5 {
        let mut s = tokio::net::TcpStream::connect(&addr)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let _ = s
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .await;
        let mut buf = [0u8; 256];
        let n = s.read(&mut buf).await.unwrap_or(0);
        assert!(
            buf[..n].starts_with(b"HTTP/1.1 200"),
            "{}",
            String::from_utf8_lossy(&buf[..n])
        );
        held.push(s);
    }
    // The sixth, while five are open, is closed without an answer…
    let mut s = tokio::net::TcpStream::connect(&addr)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let _ = s
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await;
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut buf)).await;
    assert!(buf.is_empty(), "{}", String::from_utf8_lossy(&buf));
    // …and served again once one of them closes.
    drop(held.pop());
    let mut served = false;
    for _ in 0..50 {
        let mut s = tokio::net::TcpStream::connect(&addr)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let _ = s
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await;
        let mut buf = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut buf)).await;
        if buf.starts_with(b"HTTP/1.1 200") {
            served = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(served);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn end_users_meet_their_lower_api_limit() {
    let srv = with_default_limits(atiende_testkit::Backend::Sqlite).await;
    let (_, customer) = end_user(&srv, "Ana", "ana@example.com").await;
    let mut limited_at = None;
    for i in 0..150 {
        let (s, _) = srv.get("/api/v2/users/me.json", &customer).await;
        if s == 429 {
            limited_at = Some(i);
            break;
        }
    }
    assert_eq!(
        limited_at,
        Some(100),
        "an end-user's 101st request in a minute is refused"
    );
    // Agents have their own, larger allowance.
    let (s, _) = srv.get("/api/v2/users/me.json", &srv.admin()).await;
    assert_eq!(s, 200);
}

#[test]
fn default_limits_follow_zendesk() {
    let r = web::RateLimit::default();
    assert_eq!((r.per_minute, r.end_user_per_minute), (700, 100));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_accounts_cost_a_password_check_too() {
    let srv = TestServer::start(atiende_testkit::Backend::Sqlite).await;
    // Without it, an unknown email is refused at once (1 ms against 22 ms
    // for a wrong password): the timing told which emails have accounts.
    let before = app::auth::password_checks();
    let (s, _) = srv
        .get(
            "/api/v2/users/me.json",
            &Auth::Password("nadie@example.com".into(), "x".into()),
        )
        .await;
    assert_eq!(s, 401);
    assert_eq!(
        app::auth::password_checks(),
        before + 1,
        "the unknown account was checked against a hash"
    );
    let (s, _) = srv
        .get(
            "/api/v2/users/me.json",
            &Auth::Password("admin@example.com".into(), "x".into()),
        )
        .await;
    assert_eq!(s, 401);
    assert_eq!(app::auth::password_checks(), before + 2);
}

/// Messages a live socket receives within `wait`.
async fn live_messages(
    ws: &mut tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
    wait: Duration,
) -> Vec<Json> {
    use futures_util::StreamExt;
    let mut out = Vec::new();
    let deadline = tokio::time::Instant::now() + wait;
    while let Ok(Some(Ok(m))) = tokio::time::timeout_at(deadline, ws.next()).await {
        if let tokio_tungstenite::tungstenite::Message::Text(t) = m {
            out.push(serde_json::from_str(t.as_str()).unwrap_or(Json::Null));
        }
    }
    out
}

async fn live_socket(
    srv: &TestServer,
    browser: &Browser,
) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>> {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut req = format!("{}/agent/live", srv.base.replace("http://", "ws://"))
        .into_client_request()
        .unwrap_or_else(|e| panic!("{e}"));
    req.headers_mut().insert(
        "cookie",
        browser
            .cookie_header()
            .parse()
            .unwrap_or_else(|e| panic!("{e}")),
    );
    tokio_tungstenite::connect_async(req)
        .await
        .unwrap_or_else(|e| panic!("live socket: {e}"))
        .0
}

both!(
    restricted_agents_see_presence_only_on_their_tickets,
    |srv| {
        use futures_util::SinkExt;
        use tokio_tungstenite::tungstenite::Message;
        let (_, g1) = srv
            .call(
                "POST",
                "/api/v2/groups.json",
                &srv.admin(),
                Some(json!({"group": {"name": "Externos"}})),
            )
            .await;
        let (_, g2) = srv
            .call(
                "POST",
                "/api/v2/groups.json",
                &srv.admin(),
                Some(json!({"group": {"name": "Internos"}})),
            )
            .await;
        let (r, _) = srv
            .user_with_token("Externo", "externo@example.com", "agent")
            .await;
        srv.call(
            "PUT",
            &format!("/api/v2/users/{r}.json"),
            &srv.admin(),
            Some(json!({"user": {"password": "externo-pass-1", "ticket_restriction": "groups"}})),
        )
        .await;
        srv.call(
            "POST",
            "/api/v2/group_memberships.json",
            &srv.admin(),
            Some(json!({"group_membership": {"user_id": r, "group_id": g1["group"]["id"]}})),
        )
        .await;
        let hidden_ticket = new_ticket(
            &srv,
            json!({"subject": "interno", "comment": {"body": "x"}, "group_id": g2["group"]["id"]}),
        )
        .await["id"]
            .clone();
        let theirs = new_ticket(
            &srv,
            json!({"subject": "externo", "comment": {"body": "x"}, "group_id": g1["group"]["id"]}),
        )
        .await["id"]
            .clone();

        let mut admin = Browser::new(&srv.base);
        admin.sign_in("admin@example.com", "admin-password-1").await;
        let mut contractor = Browser::new(&srv.base);
        assert_eq!(
            contractor
                .sign_in("externo@example.com", "externo-pass-1")
                .await
                .status,
            303
        );
        let mut a = live_socket(&srv, &admin).await;
        let mut c = live_socket(&srv, &contractor).await;
        a.send(Message::Text(
            json!({"watch": hidden_ticket}).to_string().into(),
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        c.send(Message::Text(
            json!({"watch": hidden_ticket}).to_string().into(),
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
        let seen = live_messages(&mut c, Duration::from_millis(1500)).await;
        assert!(
            !seen
                .iter()
                .any(|m| m["type"] == "presence" && m["ticket"] == hidden_ticket),
            "the restricted agent learnt who views a ticket outside their groups: {seen:?}"
        );
        // On their own group's ticket they do see who else is there.
        a.send(Message::Text(json!({"watch": theirs}).to_string().into()))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        c.send(Message::Text(json!({"watch": theirs}).to_string().into()))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let seen = live_messages(&mut c, Duration::from_millis(1500)).await;
        assert!(
            seen.iter()
                .any(|m| m["type"] == "presence" && m["ticket"] == theirs),
            "presence on their own ticket: {seen:?}"
        );
    }
);
