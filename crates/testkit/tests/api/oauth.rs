//! OAuth for integrations end to end: an admin registers an application,
//! an agent lets it read for her in the browser, the application trades
//! the code for a token that reads and may not write; a confidential
//! application gets its own token; tokens are listed, shown and revoked;
//! codes serve once; a new secret ends the old.

use super::workspace::{Browser, hidden};
use super::*;

const REDIRECT: &str = "https://informes.example/vuelta";

/// `POST /oauth/tokens` as a form; (status, body).
async fn grant(srv: &TestServer, form: &[(&str, &str)]) -> (u16, Json) {
    let body: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let r = reqwest::Client::new()
        .post(format!("{}/oauth/tokens", srv.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("grant: {e}"));
    let status = r.status().as_u16();
    assert_eq!(
        r.headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    (status, r.json().await.unwrap_or(Json::Null))
}

/// Posts the consent form.
async fn decide(b: &mut Browser, form: Vec<(&'static str, String)>) -> super::workspace::Page {
    let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    b.post("/oauth/authorizations", &refs).await
}

/// A query parameter of a URL.
fn param(url: &str, key: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

both!(
    applications_get_tokens_by_consent_and_by_their_credentials,
    |srv| {
        let admin = srv.admin();
        // An admin registers an application; its secret is shown this once.
        let (s, c) = srv
            .call(
                "POST",
                "/api/v2/oauth/clients.json",
                &admin,
                Some(
                    json!({"client": {"name": "Informes", "identifier": "informes",
                "kind": "confidential", "redirect_uri": [REDIRECT], "company": "Datos S.L."}}),
                ),
            )
            .await;
        assert_eq!(s, 201, "{c}");
        let client_id = c["client"]["id"].as_i64().unwrap_or_default();
        let secret = c["client"]["secret"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(secret.len() >= 40, "{c}");
        let (_, shown) = srv
            .get(&format!("/api/v2/oauth/clients/{client_id}.json"), &admin)
            .await;
        assert_eq!(shown["client"]["secret"], Json::Null);
        assert_eq!(shown["client"]["redirect_uri"], json!([REDIRECT]));
        // The same identifier twice, and an address over plain HTTP: refused.
        for bad in [
            json!({"client": {"name": "Otra", "identifier": "informes", "redirect_uri": [REDIRECT]}}),
            json!({"client": {"name": "Otra", "identifier": "otra", "redirect_uri": ["http://informes.example/"]}}),
        ] {
            let (s, b) = srv
                .call("POST", "/api/v2/oauth/clients.json", &admin, Some(bad))
                .await;
            assert_eq!(s, 422, "{b}");
        }

        // An agent lets it read for her: the consent page, then back to the
        // application with a code and its state.
        srv.call(
        "POST",
        "/api/v2/users.json",
        &admin,
        Some(json!({"user": {"name": "Eva", "email": "eva@oauth.test", "role": "agent", "password": "eva-oauth-pass-1"}})),
    )
    .await;
        let mut eva = Browser::new(&srv.base);
        let ask = format!(
            "/oauth/authorizations/new?response_type=code&client_id=informes&redirect_uri={}&scope=read&state=s%C3%AD-1",
            form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect::<String>()
        );
        let before = eva.get(&ask).await;
        assert_eq!(before.status, 303, "not signed in: to the sign-in page");
        assert!(
            before.location.starts_with("/login?next="),
            "{}",
            before.location
        );
        eva.sign_in("eva@oauth.test", "eva-oauth-pass-1").await;
        let page = eva.get(&ask).await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("Informes") && page.body.contains("Datos S.L."));
        assert!(
            !page.body.contains("change what you can change")
                && !page.body.contains("cambiar lo que")
        );
        let csrf = hidden(&page.body, "csrf");
        let form = |decision: &'static str| {
            vec![
                ("csrf", csrf.clone()),
                ("client_id", "informes".to_string()),
                ("redirect_uri", REDIRECT.to_string()),
                ("scope", "read".to_string()),
                ("state", "sí-1".to_string()),
                ("decision", decision.to_string()),
            ]
        };
        let denied = decide(&mut eva, form("deny")).await;
        assert_eq!(denied.status, 303);
        assert!(denied.location.starts_with(REDIRECT), "{}", denied.location);
        assert_eq!(
            param(&denied.location, "error").as_deref(),
            Some("access_denied")
        );
        assert_eq!(param(&denied.location, "state").as_deref(), Some("sí-1"));
        let allowed = decide(&mut eva, form("allow")).await;
        assert_eq!(allowed.status, 303);
        let code = param(&allowed.location, "code").unwrap_or_default();
        assert!(!code.is_empty(), "{}", allowed.location);
        assert_eq!(param(&allowed.location, "state").as_deref(), Some("sí-1"));
        // Another address than the one registered: a page, never a redirect.
        let elsewhere = eva
        .get("/oauth/authorizations/new?response_type=code&client_id=informes&redirect_uri=https://evil.example/&scope=read")
        .await;
        assert_eq!(elsewhere.status, 400);
        assert!(elsewhere.location.is_empty());

        // The application trades the code, with its secret, for a token.
        let exchange = |code: String, secret: String| {
            let srv = &srv;
            async move {
                grant(
                    srv,
                    &[
                        ("grant_type", "authorization_code"),
                        ("code", code.as_str()),
                        ("client_id", "informes"),
                        ("client_secret", secret.as_str()),
                        ("redirect_uri", REDIRECT),
                    ],
                )
                .await
            }
        };
        let (s, wrong) = exchange(code.clone(), "not-the-secret".into()).await;
        assert_eq!((s, wrong["error"].as_str()), (401, Some("invalid_client")));
        let (s, t) = exchange(code.clone(), secret.clone()).await;
        assert_eq!(s, 200, "{t}");
        assert_eq!(t["token_type"], "bearer");
        assert_eq!(t["scope"], "read");
        let eva_token = t["access_token"].as_str().unwrap_or_default().to_string();
        let (s, again) = exchange(code, secret.clone()).await;
        assert_eq!((s, again["error"].as_str()), (400, Some("invalid_grant")));

        // It reads as Eva and may not write.
        let as_eva = Auth::Bearer(eva_token.clone());
        let (s, me) = srv.get("/api/v2/users/me.json", &as_eva).await;
        assert_eq!(
            (s, me["user"]["email"].as_str()),
            (200, Some("eva@oauth.test"))
        );
        let (s, refused) = srv
            .call(
                "POST",
                "/api/v2/tickets.json",
                &as_eva,
                Some(json!({"ticket": {"subject": "x", "comment": {"body": "y"}}})),
            )
            .await;
        assert_eq!(s, 403, "{refused}");
        assert!(refused.to_string().contains("write"), "{refused}");
        let (s, current) = srv.get("/api/v2/oauth/tokens/current.json", &as_eva).await;
        assert_eq!(s, 200, "{current}");
        assert_eq!(current["token"]["scopes"], json!(["read"]));
        assert_eq!(current["token"]["client_id"], client_id);
        assert_eq!(current["token"]["full_token"], Json::Null);

        // The application's own token, acting as the admin who registered it.
        let (s, own) = grant(
            &srv,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", "informes"),
                ("client_secret", secret.as_str()),
                ("scope", "read write"),
            ],
        )
        .await;
        assert_eq!(s, 200, "{own}");
        let as_app = Auth::Bearer(own["access_token"].as_str().unwrap_or_default().to_string());
        let (s, made) = srv
            .call(
                "POST",
                "/api/v2/tickets.json",
                &as_app,
                Some(
                    json!({"ticket": {"subject": "Informe semanal", "comment": {"body": "Listo"}}}),
                ),
            )
            .await;
        assert_eq!(s, 201, "{made}");
        let (s, bad) = grant(
            &srv,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", "informes"),
                ("client_secret", secret.as_str()),
                ("scope", "tickets:read"),
            ],
        )
        .await;
        assert_eq!((s, bad["error"].as_str()), (400, Some("invalid_scope")));

        // Tokens: one's own; everyone's for admins; an admin's for a client.
        let (_, mine) = srv.get("/api/v2/oauth/tokens.json", &as_eva).await;
        assert_eq!(mine["tokens"].as_array().map(Vec::len), Some(1), "{mine}");
        let (s, _) = srv.get("/api/v2/oauth/tokens.json?all=true", &as_eva).await;
        assert_eq!(s, 403);
        let (_, every) = srv
            .get(
                &format!("/api/v2/oauth/tokens.json?all=true&client_id={client_id}"),
                &admin,
            )
            .await;
        assert_eq!(every["tokens"].as_array().map(Vec::len), Some(2), "{every}");
        let (s, made) = srv
            .call(
                "POST",
                "/api/v2/oauth/tokens.json",
                &admin,
                Some(json!({"token": {"client_id": client_id, "scopes": ["read"]}})),
            )
            .await;
        assert_eq!(s, 201, "{made}");
        assert!(
            made["token"]["full_token"]
                .as_str()
                .is_some_and(|t| t.len() >= 40)
        );

        // Eva revokes hers: it stops working.
        let (s, _) = srv
            .call("DELETE", "/api/v2/oauth/tokens/current.json", &as_eva, None)
            .await;
        assert_eq!(s, 204);
        let (s, _) = srv.get("/api/v2/users/me.json", &as_eva).await;
        assert_eq!(s, 401);

        // A new secret ends the old one; removing the client ends its tokens.
        let (s, renewed) = srv
            .call(
                "PUT",
                &format!("/api/v2/oauth/clients/{client_id}/generate_secret.json"),
                &admin,
                None,
            )
            .await;
        assert_eq!(s, 200, "{renewed}");
        let (s, old) = grant(
            &srv,
            &[
                ("grant_type", "client_credentials"),
                ("client_id", "informes"),
                ("client_secret", secret.as_str()),
            ],
        )
        .await;
        assert_eq!((s, old["error"].as_str()), (401, Some("invalid_client")));
        let (s, _) = srv
            .call(
                "DELETE",
                &format!("/api/v2/oauth/clients/{client_id}.json"),
                &admin,
                None,
            )
            .await;
        assert_eq!(s, 204);
        let (s, _) = srv.get("/api/v2/users/me.json", &as_app).await;
        assert_eq!(s, 401);
        let (_, log) = srv
            .get(
                "/api/v2/audit_logs.json?filter%5Bsource_type%5D=oauth_client",
                &admin,
            )
            .await;
        let actions: Vec<&str> = log["audit_logs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e["action"].as_str())
            .collect();
        assert!(
            actions.contains(&"create") && actions.contains(&"destroy"),
            "{log}"
        );
    }
);

both!(the_consent_page_in_the_browser, |srv| {
    // The application's address is on this machine (a plain page of the
    // server's own, so Chromium really follows the redirect there) under
    // another origin than the consent page's: `localhost`, not
    // `127.0.0.1`, as a real application's would be another site.
    let redirect = format!("{}/healthz", srv.base.replace("127.0.0.1", "localhost"));
    assert!(redirect.starts_with("http://localhost:"), "{redirect}");
    let (s, c) = srv
        .call(
            "POST",
            "/api/v2/oauth/clients.json",
            &srv.admin(),
            Some(
                json!({"client": {"name": "Panel de datos", "identifier": "panel",
                "redirect_uri": [redirect]}}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    srv.call(
        "POST",
        "/api/v2/users.json",
        &srv.admin(),
        Some(json!({"user": {"name": "Lola", "email": "lola@oauth.test", "role": "agent", "password": "lola-oauth-pass-1"}})),
    )
    .await;
    browser_flow(
        &srv,
        "oauth_consent_flow.mjs",
        &[
            ("REDIRECT_URI", redirect.clone()),
            (
                "CLIENT_SECRET",
                c["client"]["secret"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            ),
        ],
    )
    .await;
});
