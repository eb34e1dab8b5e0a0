//! The agent workspace over HTTP (sessions, CSRF, who may see what, escaping)
//! and in a real browser (headless Chromium driven by playwright-core).

use super::*;

/// A browser-like client: keeps cookies by hand, never follows redirects.
pub(super) struct Browser {
    base: String,
    http: reqwest::Client,
    cookies: std::collections::BTreeMap<String, String>,
}

pub(super) struct Page {
    pub(super) status: u16,
    pub(super) location: String,
    pub(super) set_cookies: Vec<String>,
    pub(super) body: String,
}

impl Browser {
    pub(super) fn new(base: &str) -> Browser {
        Browser {
            base: base.to_string(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap_or_else(|e| panic!("client: {e}")),
            cookies: Default::default(),
        }
    }

    async fn send(&mut self, method: &str, path: &str, form: Option<&[(&str, &str)]>) -> Page {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap_or(reqwest::Method::GET);
        let mut req = self.http.request(m, format!("{}{path}", self.base));
        let jar: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        if !jar.is_empty() {
            req = req.header("cookie", jar.join("; "));
        }
        if let Some(f) = form {
            let body: String = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(f)
                .finish();
            req = req
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body);
        }
        let r = req.send().await.unwrap_or_else(|e| panic!("{path}: {e}"));
        let status = r.status().as_u16();
        let location = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let set_cookies: Vec<String> = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect();
        for c in &set_cookies {
            if let Some((kv, _)) = c.split_once(';')
                && let Some((k, v)) = kv.split_once('=')
            {
                if v.is_empty() {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_string(), v.to_string());
                }
            }
        }
        let body = r.text().await.unwrap_or_default();
        Page {
            status,
            location,
            set_cookies,
            body,
        }
    }

    /// The cookies as a `Cookie` header, for clients of our own (sockets).
    pub(super) fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub(super) async fn get(&mut self, path: &str) -> Page {
        self.send("GET", path, None).await
    }

    pub(super) async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        self.send("POST", path, Some(form)).await
    }

    /// Posts a multipart form (fields and files) with this browser's
    /// cookies; (status, body).
    pub(super) async fn post_multipart(
        &self,
        path: &str,
        form: reqwest::multipart::Form,
    ) -> (u16, String) {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .multipart(form)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        (r.status().as_u16(), r.text().await.unwrap_or_default())
    }

    /// Signs in through the real form; returns the POST's response.
    /// A download's bytes (a GET with this browser's cookies).
    pub(super) async fn get_bytes(&mut self, path: &str) -> Vec<u8> {
        let jar: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", jar.join("; "))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(r.status().as_u16(), 200, "{path}");
        r.bytes().await.map(|b| b.to_vec()).unwrap_or_default()
    }

    pub(super) async fn sign_in(&mut self, email: &str, password: &str) -> Page {
        let form = self.get("/login").await;
        let csrf = hidden(&form.body, "csrf");
        self.post(
            "/login",
            &[
                ("email", email),
                ("password", password),
                ("csrf", &csrf),
                ("next", "/agent"),
            ],
        )
        .await
    }
}

/// A hidden input's value in a page.
pub(super) fn hidden(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    html.split(&key)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_string()
}

async fn comment_count(srv: &TestServer, id: i64) -> usize {
    let (_, b) = srv
        .get(&format!("/api/v2/tickets/{id}/comments.json"), &srv.admin())
        .await;
    b["comments"].as_array().map_or(0, Vec::len)
}

both!(pages_need_a_session_and_csrf, |srv| {
    let t = new_ticket(&srv, json!({"subject": "<script>alert(1)</script> pedido", "comment": {"html_body": "<p>hola</p><img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=1</script>"}, "requester": {"name": "Eva <b>", "email": "eva@example.com"}})).await;
    let id = t["id"].as_i64().unwrap_or_default();
    let mut anon = Browser::new(&srv.base);
    // No session: pages send the browser to sign in; other calls are refused.
    let p = anon.get("/agent").await;
    assert_eq!(
        (p.status, p.location.as_str()),
        (303, "/login?next=%2Fagent")
    );
    let p = anon.get(&format!("/agent/tickets/{id}")).await;
    assert_eq!(p.status, 303);
    let p = anon
        .post(&format!("/agent/tickets/{id}/reply"), &[("body", "x")])
        .await;
    assert_eq!(p.status, 401);
    assert_eq!(anon.get("/agent/live").await.status, 401);

    // The sign-in form is CSRF-protected too.
    let p = anon
        .post(
            "/login",
            &[
                ("email", "admin@example.com"),
                ("password", "admin-password-1"),
            ],
        )
        .await;
    assert_eq!(p.status, 403);
    // Wrong password: a clear message, no session.
    let p = anon.sign_in("admin@example.com", "wrong").await;
    assert_eq!(p.status, 401);
    assert!(p.body.contains("do not match"), "{}", p.body);
    assert!(!anon.cookies.contains_key("atiende_session"));
    // Customers cannot sign in to the workspace.
    srv.call("POST", "/api/v2/users.json", &srv.admin(), Some(json!({"user": {"name": "Cliente", "email": "cliente@example.com", "role": "end-user", "password": "customer-pass-1"}}))).await;
    let p = anon.sign_in("cliente@example.com", "customer-pass-1").await;
    assert_eq!(p.status, 401);
    assert!(p.body.contains("for agents"), "{}", p.body);

    // An agent signs in: an HttpOnly, SameSite session cookie.
    let mut agent = Browser::new(&srv.base);
    let p = agent.sign_in("admin@example.com", "admin-password-1").await;
    assert_eq!((p.status, p.location.as_str()), (303, "/agent"));
    let cookie = p
        .set_cookies
        .iter()
        .find(|c| c.starts_with("atiende_session="))
        .cloned()
        .unwrap_or_default();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let page = agent.get("/agent?queue=unsolved").await;
    assert_eq!(page.status, 200);
    // What a customer typed is escaped in lists.
    assert!(
        page.body.contains("alert(1)") && page.body.contains("pedido"),
        "the ticket is listed"
    );
    assert!(
        !page.body.contains("<script>alert(1)"),
        "its subject is escaped"
    );
    let ticket_page = agent.get(&format!("/agent/tickets/{id}")).await;
    assert_eq!(ticket_page.status, 200);
    assert!(
        !ticket_page.body.contains("onerror") && !ticket_page.body.contains("<script>window"),
        "customer HTML is sanitised"
    );
    assert!(
        ticket_page.body.contains("Eva &#60;b&#62;") && !ticket_page.body.contains("Eva <b>"),
        "names are escaped"
    );

    // A form without this session's CSRF token changes nothing.
    let before = comment_count(&srv, id).await;
    let p = agent
        .post(
            &format!("/agent/tickets/{id}/reply"),
            &[("body", "forged"), ("public", "1")],
        )
        .await;
    assert_eq!(p.status, 403);
    let p = agent
        .post(
            &format!("/agent/tickets/{id}/reply"),
            &[("body", "forged"), ("public", "1"), ("csrf", "guess")],
        )
        .await;
    assert_eq!(p.status, 403);
    assert_eq!(comment_count(&srv, id).await, before);
    // With it, the reply lands as one audited comment.
    let csrf = hidden(&ticket_page.body, "csrf");
    let p = agent
        .post(
            &format!("/agent/tickets/{id}/reply"),
            &[("body", "Hola Eva"), ("public", "0"), ("csrf", &csrf)],
        )
        .await;
    assert_eq!(
        (p.status, p.location.as_str()),
        (303, format!("/agent/tickets/{id}?done=note").as_str())
    );
    let (_, c) = srv
        .get(&format!("/api/v2/tickets/{id}/comments.json"), &srv.admin())
        .await;
    let last = &c["comments"][before];
    assert_eq!(
        (last["body"].as_str(), last["public"].as_bool()),
        (Some("Hola Eva"), Some(false))
    );

    // Saving over a newer change is refused and says so.
    let stale = hidden(&ticket_page.body, "version");
    let p = agent
        .post(
            &format!("/agent/tickets/{id}"),
            &[
                ("csrf", &csrf),
                ("version", &stale),
                ("status", "open"),
                ("priority", "urgent"),
            ],
        )
        .await;
    assert_eq!(p.status, 409, "{}", p.body);
    let (_, tk) = srv
        .get(&format!("/api/v2/tickets/{id}.json"), &srv.admin())
        .await;
    assert_eq!(tk["ticket"]["priority"], Json::Null);
    let fresh = agent.get(&format!("/agent/tickets/{id}")).await;
    let stamp = hidden(&fresh.body, "version");
    let p = agent
        .post(
            &format!("/agent/tickets/{id}"),
            &[
                ("csrf", &csrf),
                ("version", &stamp),
                ("status", "pending"),
                ("priority", "urgent"),
                ("tags", "vip"),
            ],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let (_, tk) = srv
        .get(&format!("/api/v2/tickets/{id}.json"), &srv.admin())
        .await;
    assert_eq!(
        (
            tk["ticket"]["priority"].as_str(),
            tk["ticket"]["status"].as_str()
        ),
        (Some("urgent"), Some("pending"))
    );

    // Bulk actions: status and tags on several, then merge two into one.
    let two = new_ticket(&srv, json!({"comment": {"body": "dos"}})).await["id"]
        .as_i64()
        .unwrap_or_default();
    let three = new_ticket(&srv, json!({"comment": {"body": "tres"}})).await["id"]
        .as_i64()
        .unwrap_or_default();
    let (two_s, three_s) = (two.to_string(), three.to_string());
    let p = agent
        .post(
            "/agent/bulk",
            &[
                ("csrf", &csrf),
                ("ids", &two_s),
                ("ids", &three_s),
                ("status", "open"),
                ("add_tags", "lote"),
            ],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let (_, tk) = srv
        .get(&format!("/api/v2/tickets/{three}.json"), &srv.admin())
        .await;
    assert_eq!(
        (
            tk["ticket"]["status"].as_str(),
            tk["ticket"]["tags"][0].as_str()
        ),
        (Some("open"), Some("lote"))
    );
    let p = agent
        .post(
            "/agent/bulk",
            &[
                ("csrf", &csrf),
                ("ids", &two_s),
                ("ids", &three_s),
                ("merge_into", &format!("#{two}")),
            ],
        )
        .await;
    assert_eq!(
        (p.status, p.location.as_str()),
        (303, format!("/agent/tickets/{two}?done=saved").as_str()),
        "{}",
        p.body
    );
    let (_, tk) = srv
        .get(&format!("/api/v2/tickets/{three}.json"), &srv.admin())
        .await;
    assert_eq!(
        tk["ticket"]["status"], "closed",
        "the source is closed by the merge"
    );

    // Signing out ends the session on the server, not just in the browser.
    let token = agent
        .cookies
        .get("atiende_session")
        .cloned()
        .unwrap_or_default();
    let p = agent.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(p.status, 303);
    let mut replay = Browser::new(&srv.base);
    replay.cookies.insert("atiende_session".into(), token);
    assert_eq!(replay.get("/agent").await.status, 303);
});

both!(macros_apply_from_the_reply_box_without_script, |srv| {
    let (_, m) = srv.call("POST", "/api/v2/macros.json", &srv.admin(), Some(json!({"macro": {"title": "Cerrar", "actions": [{"field": "comment_value", "value": "Lo damos por resuelto."}, {"field": "comment_mode_is_public", "value": "false"}, {"field": "priority", "value": "low"}]}}))).await;
    let mid = m["macro"]["id"].as_i64().unwrap_or_default().to_string();
    let t = new_ticket(&srv, json!({"comment": {"body": "hola"}})).await;
    let id = t["id"].as_i64().unwrap_or_default();
    let mut b = Browser::new(&srv.base);
    b.sign_in("admin@example.com", "admin-password-1").await;
    let page = b.get(&format!("/agent/tickets/{id}")).await;
    assert!(page.body.contains(">Cerrar</option>"));
    let csrf = hidden(&page.body, "csrf");
    // Without the page's script the box is empty: the macro's own text is used.
    let p = b
        .post(
            &format!("/agent/tickets/{id}/reply"),
            &[
                ("csrf", &csrf),
                ("macro", &mid),
                ("body", ""),
                ("public", "1"),
            ],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let (_, c) = srv
        .get(&format!("/api/v2/tickets/{id}/comments.json"), &srv.admin())
        .await;
    assert_eq!(
        (
            c["comments"][1]["body"].as_str(),
            c["comments"][1]["public"].as_bool()
        ),
        (Some("Lo damos por resuelto."), Some(false))
    );
    let (_, tk) = srv
        .get(&format!("/api/v2/tickets/{id}.json"), &srv.admin())
        .await;
    assert_eq!(tk["ticket"]["priority"], "low");
    let (_, audits) = srv
        .get(&format!("/api/v2/tickets/{id}/audits.json"), &srv.admin())
        .await;
    assert_eq!(
        audits["audits"].as_array().map(Vec::len),
        Some(2),
        "one audit for the macro and its comment"
    );
    // An empty box without a macro is refused with a message.
    let p = b
        .post(
            &format!("/agent/tickets/{id}/reply"),
            &[("csrf", &csrf), ("body", "  "), ("public", "1")],
        )
        .await;
    assert_eq!(p.status, 422);
});

both!(sign_in_attempts_are_limited, |srv| {
    let mut b = Browser::new(&srv.base);
    // Five free tries, then each further one waits longer (1 s, 2 s, …).
    for _ in 0..5 {
        assert_eq!(b.sign_in("admin@example.com", "guess").await.status, 401);
    }
    let p = b.sign_in("admin@example.com", "admin-password-1").await;
    assert_eq!(p.status, 429, "even the right password waits");
    assert!(p.body.contains("Too many"));
    // Another account is not locked by it.
    srv.call("POST", "/api/v2/users.json", &srv.admin(), Some(json!({"user": {"name": "Bea", "email": "bea@example.com", "role": "agent", "password": "bea-password-1"}}))).await;
    assert_eq!(
        b.sign_in("bea@example.com", "bea-password-1").await.status,
        303
    );
});

both!(customers_merge_with_preview_and_undo, |srv| {
    let a = new_ticket(&srv, json!({"comment": {"body": "primera"}, "requester": {"name": "Ana", "email": "ana@example.com"}})).await;
    let b = new_ticket(&srv, json!({"comment": {"body": "segunda"}, "requester": {"name": "Ana G.", "email": "ana.g@example.com"}})).await;
    let (ana, other) = (
        a["requester_id"].as_i64().unwrap_or_default(),
        b["requester_id"].as_i64().unwrap_or_default(),
    );
    let bid = b["id"].as_i64().unwrap_or_default();
    let mut agent = Browser::new(&srv.base);
    assert_eq!(
        agent
            .sign_in("admin@example.com", "admin-password-1")
            .await
            .status,
        303
    );
    let preview = agent
        .get(&format!(
            "/agent/customers/{other}/merge?into=ana@example.com"
        ))
        .await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(preview.body.contains("ana.g@example.com") && preview.body.contains("segunda"));
    // Previewing moves nothing.
    let (_, t) = srv
        .get(&format!("/api/v2/tickets/{bid}.json"), &srv.admin())
        .await;
    assert_eq!(t["ticket"]["requester_id"].as_i64(), Some(other));
    // Unknown target: a clear message.
    let p = agent
        .get(&format!(
            "/agent/customers/{other}/merge?into=nadie@example.com"
        ))
        .await;
    assert_eq!(p.status, 400);
    assert!(p.body.contains("No customer has that email"));
    let csrf = hidden(&preview.body, "csrf");
    let p = agent
        .post(
            &format!("/agent/customers/{other}/merge"),
            &[("csrf", &csrf), ("target", &ana.to_string())],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    let merge_page = p.location.clone();
    let (_, t) = srv
        .get(&format!("/api/v2/tickets/{bid}.json"), &srv.admin())
        .await;
    assert_eq!(
        t["ticket"]["requester_id"].as_i64(),
        Some(ana),
        "the ticket moved"
    );
    let (_, ids) = srv
        .get(
            &format!("/api/v2/users/{ana}/identities.json"),
            &srv.admin(),
        )
        .await;
    let values: Vec<&str> = ids["identities"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["value"].as_str())
        .collect();
    assert!(
        values.contains(&"ana.g@example.com") && values.contains(&"ana@example.com"),
        "{values:?}"
    );
    let (_, u) = srv
        .get(&format!("/api/v2/users/{other}.json"), &srv.admin())
        .await;
    assert_eq!(u["user"]["active"], false);
    let (_, audits) = srv
        .get(&format!("/api/v2/tickets/{bid}/audits.json"), &srv.admin())
        .await;
    assert!(
        audits.to_string().contains("requester_id"),
        "the move is audited"
    );
    // Undo puts everything back, once.
    let done = agent.get(&merge_page).await;
    let undo_csrf = hidden(&done.body, "csrf");
    let p = agent
        .post(&format!("{merge_page}/undo"), &[("csrf", &undo_csrf)])
        .await;
    assert_eq!(p.status, 303);
    let (_, t) = srv
        .get(&format!("/api/v2/tickets/{bid}.json"), &srv.admin())
        .await;
    assert_eq!(t["ticket"]["requester_id"].as_i64(), Some(other));
    let (_, u) = srv
        .get(&format!("/api/v2/users/{other}.json"), &srv.admin())
        .await;
    assert_eq!(
        (u["user"]["active"].as_bool(), u["user"]["email"].as_str()),
        (Some(true), Some("ana.g@example.com"))
    );
    let (_, ids) = srv
        .get(
            &format!("/api/v2/users/{other}/identities.json"),
            &srv.admin(),
        )
        .await;
    assert_eq!(ids["identities"][0]["primary"], true);
    let p = agent
        .post(&format!("{merge_page}/undo"), &[("csrf", &undo_csrf)])
        .await;
    assert_eq!(p.status, 400, "a merge is undone once");
});

/// The text of the `.secret` box an admin page shows once.
fn secret(html: &str) -> String {
    html.split("class=\"secret\" role=\"status\">")
        .nth(1)
        .and_then(|r| r.split('<').next())
        .and_then(|r| r.rsplit(' ').next())
        .unwrap_or_default()
        .to_string()
}

both!(
    admin_pages_manage_agents_groups_fields_views_tokens,
    |srv| {
        let mut admin = Browser::new(&srv.base);
        assert_eq!(
            admin
                .sign_in("admin@example.com", "admin-password-1")
                .await
                .status,
            303
        );
        let page = admin.get("/agent/admin/agents").await;
        assert_eq!(page.status, 200);
        let csrf = hidden(&page.body, "csrf");
        // A group, then an invited agent with a generated password shown once.
        assert_eq!(
            admin
                .post(
                    "/agent/admin/groups",
                    &[("csrf", &csrf), ("name", "Facturación")]
                )
                .await
                .status,
            303
        );
        let (_, groups) = srv.get("/api/v2/groups.json", &srv.admin()).await;
        let gid = groups["groups"][0]["id"].as_i64().unwrap_or_default();
        let p = admin
            .post(
                "/agent/admin/agents",
                &[
                    ("csrf", &csrf),
                    ("name", "Carla Ruiz"),
                    ("email", "carla@example.com"),
                    ("role", "agent"),
                    ("password", ""),
                ],
            )
            .await;
        assert_eq!(p.status, 200, "{}", p.body);
        let password = secret(&p.body);
        assert!(
            password.len() >= 16,
            "a generated password is shown: {password}"
        );
        let mut carla = Browser::new(&srv.base);
        assert_eq!(
            carla.sign_in("carla@example.com", &password).await.status,
            303
        );
        // Agents do not reach admin pages.
        assert_eq!(carla.get("/agent/admin/agents").await.status, 403);
        let carla_csrf = hidden(&carla.get("/agent").await.body, "csrf");
        assert_eq!(
            carla
                .post(
                    "/agent/admin/groups",
                    &[("csrf", &carla_csrf), ("name", "x")]
                )
                .await
                .status,
            403
        );
        // Put Carla in the group.
        let (_, found) = srv
            .get(
                "/api/v2/users/search.json?query=carla@example.com",
                &srv.admin(),
            )
            .await;
        let carla_id = found["users"][0]["id"].as_i64().unwrap_or_default();
        let gid_s = gid.to_string();
        let p = admin
            .post(
                &format!("/agent/admin/agents/{carla_id}"),
                &[
                    ("csrf", &csrf),
                    ("role", "agent"),
                    ("group", &gid_s),
                    ("active", "1"),
                ],
            )
            .await;
        assert_eq!(p.status, 303, "{}", p.body);
        let (_, m) = srv
            .get(
                &format!("/api/v2/users/{carla_id}/group_memberships.json"),
                &srv.admin(),
            )
            .await;
        assert_eq!(
            m["group_memberships"][0]["group_id"].as_i64(),
            Some(gid),
            "{m}"
        );
        // A dropdown field with options.
        let p = admin
            .post(
                "/agent/admin/fields",
                &[
                    ("csrf", &csrf),
                    ("title", "Motivo"),
                    ("type", "tagger"),
                    ("options", "Reembolso=motivo_reembolso\nEnvío=motivo_envio"),
                ],
            )
            .await;
        assert_eq!(p.status, 303, "{}", p.body);
        let (_, f) = srv.get("/api/v2/ticket_fields.json", &srv.admin()).await;
        assert!(f.to_string().contains("motivo_envio"));
        // A view appears in everyone's queue list.
        let p = admin
            .post(
                "/agent/admin/views",
                &[
                    ("csrf", &csrf),
                    ("title", "Urgentes"),
                    ("field_1", "priority"),
                    ("operator_1", "is"),
                    ("value_1", "urgent"),
                ],
            )
            .await;
        assert_eq!(p.status, 303, "{}", p.body);
        assert!(carla.get("/agent").await.body.contains("Urgentes"));
        // Deactivating Carla ends her sessions.
        let p = admin
            .post(
                &format!("/agent/admin/agents/{carla_id}"),
                &[("csrf", &csrf), ("role", "agent")],
            )
            .await;
        assert_eq!(p.status, 303);
        assert_eq!(
            carla.get("/agent").await.status,
            303,
            "a deactivated agent is signed out"
        );
        // An API token, shown once, works until revoked.
        let p = admin
            .post(
                "/agent/admin/tokens",
                &[
                    ("csrf", &csrf),
                    ("email", "admin@example.com"),
                    ("description", "integración"),
                ],
            )
            .await;
        assert_eq!(p.status, 200, "{}", p.body);
        let token = secret(&p.body);
        let auth = Auth::Token("admin@example.com".into(), token.clone());
        assert_eq!(srv.get("/api/v2/users/me.json", &auth).await.0, 200);
        let page = admin.get("/agent/admin/tokens").await;
        assert!(
            page.body.contains("integración") && !page.body.contains(&token),
            "listed without the secret"
        );
        let (_, list) = srv.get("/api/v2/users/me.json", &srv.admin()).await;
        assert_eq!(list["user"]["role"], "admin");
        let id = page
            .body
            .split("/agent/admin/tokens/")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .unwrap_or_default()
            .to_string();
        assert_eq!(
            admin
                .post(
                    &format!("/agent/admin/tokens/{id}/delete"),
                    &[("csrf", &csrf)]
                )
                .await
                .status,
            303
        );
        assert_eq!(
            srv.get("/api/v2/users/me.json", &auth).await.0,
            401,
            "a revoked token stops working"
        );
    }
);

both!(restricted_agents_see_only_their_groups, |srv| {
    let admin = srv.admin();
    let group = |name: &'static str| {
        let srv = &srv;
        let admin = admin.clone();
        async move {
            let (_, g) = srv
                .call(
                    "POST",
                    "/api/v2/groups.json",
                    &admin,
                    Some(json!({"group": {"name": name}})),
                )
                .await;
            g["group"]["id"].as_i64().unwrap_or_default()
        }
    };
    let (mine, other) = (group("Soporte").await, group("Facturación").await);
    let (s, u) = srv.call("POST", "/api/v2/users.json", &admin, Some(json!({"user": {"name": "Rita", "email": "rita@example.com", "role": "agent", "password": "rita-password-1", "ticket_restriction": "groups"}}))).await;
    assert_eq!(s, 201, "{u}");
    assert_eq!(u["user"]["ticket_restriction"], "groups");
    let rita = u["user"]["id"].as_i64().unwrap_or_default();
    let (s, _) = srv
        .call(
            "POST",
            "/api/v2/group_memberships.json",
            &admin,
            Some(json!({"group_membership": {"user_id": rita, "group_id": mine}})),
        )
        .await;
    assert_eq!(s, 201);
    let in_mine = new_ticket(
        &srv,
        json!({"subject": "Pedido de soporte", "comment": {"body": "a"}, "group_id": mine}),
    )
    .await["id"]
        .as_i64()
        .unwrap_or_default();
    let in_other = new_ticket(
        &srv,
        json!({"subject": "Factura secreta", "comment": {"body": "b"}, "group_id": other}),
    )
    .await["id"]
        .as_i64()
        .unwrap_or_default();
    let assigned = new_ticket(
        &srv,
        json!({"subject": "Asignado a Rita", "comment": {"body": "c"}, "assignee_id": rita}),
    )
    .await["id"]
        .as_i64()
        .unwrap_or_default();

    // The workspace.
    let mut b = Browser::new(&srv.base);
    assert_eq!(
        b.sign_in("rita@example.com", "rita-password-1")
            .await
            .status,
        303
    );
    assert_eq!(
        b.get(&format!("/agent/tickets/{in_mine}")).await.status,
        200
    );
    assert_eq!(
        b.get(&format!("/agent/tickets/{assigned}")).await.status,
        200
    );
    let p = b.get(&format!("/agent/tickets/{in_other}")).await;
    assert_eq!(p.status, 404);
    assert!(!p.body.contains("Factura secreta"));
    let queue = b.get("/agent?queue=unsolved").await;
    assert!(queue.body.contains("Pedido de soporte") && queue.body.contains("Asignado a Rita"));
    assert!(
        !queue.body.contains("Factura secreta"),
        "queues hide other groups' tickets"
    );
    let found = b.get("/agent/search?q=factura").await;
    assert!(
        !found.body.contains("Factura secreta"),
        "search hides them too"
    );
    let csrf = hidden(&queue.body, "csrf");
    let p = b
        .post(
            &format!("/agent/tickets/{in_other}/reply"),
            &[("csrf", &csrf), ("body", "hola"), ("public", "1")],
        )
        .await;
    assert_eq!(p.status, 404);
    assert_eq!(
        comment_count(&srv, in_other).await,
        1,
        "nothing was written"
    );
    let (other_s, mine_s) = (in_other.to_string(), in_mine.to_string());
    let p = b
        .post(
            "/agent/bulk",
            &[("csrf", &csrf), ("ids", &other_s), ("merge_into", &mine_s)],
        )
        .await;
    assert_eq!(
        p.status, 422,
        "a ticket she cannot see cannot be merged away"
    );
    let (_, tk) = srv
        .get(&format!("/api/v2/tickets/{in_other}.json"), &admin)
        .await;
    assert_ne!(tk["ticket"]["status"], "closed");

    // The API, with Rita's own token.
    let token = srv
        .app
        .create_token(domain::UserId(rita), app::auth::TokenKind::Api, "t")
        .await
        .unwrap_or_default();
    let auth = Auth::Token("rita@example.com".into(), token);
    assert_eq!(
        srv.get(&format!("/api/v2/tickets/{in_other}.json"), &auth)
            .await
            .0,
        404
    );
    assert_eq!(
        srv.get(&format!("/api/v2/tickets/{in_mine}.json"), &auth)
            .await
            .0,
        200
    );
    let (_, list) = srv.get("/api/v2/tickets.json", &auth).await;
    let ids: Vec<i64> = list["tickets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["id"].as_i64())
        .collect();
    assert_eq!(ids, vec![in_mine, assigned]);
    let (_, hits) = srv
        .get("/api/v2/search.json?query=type:ticket", &auth)
        .await;
    assert_eq!(hits["count"], 2, "{hits}");
    // She cannot lift her own restriction.
    let (s, _) = srv
        .call(
            "PUT",
            &format!("/api/v2/users/{rita}.json"),
            &auth,
            Some(json!({"user": {"ticket_restriction": null}})),
        )
        .await;
    assert_eq!(s, 403);
    // Admins see everything.
    let (_, all) = srv.get("/api/v2/tickets.json", &admin).await;
    assert_eq!(all["tickets"].as_array().map(Vec::len), Some(3));
});

both!(browser_flow, |srv| {
    let (s, _) = srv.call("POST", "/api/v2/users.json", &srv.admin(), Some(json!({"user": {"name": "Bea Ruiz", "email": "bea@example.com", "role": "agent", "password": "bea-password-1"}}))).await;
    assert_eq!(s, 201);
    let (s, m) = srv.call("POST", "/api/v2/macros.json", &srv.admin(), Some(json!({"macro": {"title": "Pedir número de pedido", "actions": [{"field": "comment_value", "value": "¿Nos das tu número de pedido?"}, {"field": "status", "value": "pending"}, {"field": "current_tags", "value": "esperando_cliente"}]}}))).await;
    assert_eq!(s, 201, "{m}");
    let subject = "Pedido 4411 no llega";
    let t = new_ticket(&srv, json!({"subject": subject, "comment": {"body": "Hola, mi pedido 4411 no ha llegado."}, "requester": {"name": "Lucía Pérez", "email": "lucia@example.com"}})).await;
    let evil = new_ticket(&srv, json!({"subject": "html", "comment": {"html_body": "<p>ok</p><img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=1</script><a href=\"javascript:window.__pwned=1\">x</a>"}, "requester": {"email": "lucia@example.com"}})).await;
    let dup = new_ticket(&srv, json!({"subject": "Otra consulta de Lucía", "comment": {"body": "Escribo desde otra dirección."}, "requester": {"name": "Lucía P.", "email": "lucia.p@example.com"}})).await;
    let dup_id = dup["id"].as_i64().unwrap_or_default().to_string();
    let backend = format!("{:?}", srv.backend).to_lowercase();
    // On PostgreSQL the second agent works on a second node: replies and
    // presence must cross nodes.
    let second_node = match srv.backend {
        atiende_testkit::Backend::Postgres => {
            Some(atiende_testkit::start_node(&srv.database_url).await)
        }
        atiende_testkit::Backend::Sqlite => None,
    };
    let base2 = second_node
        .as_ref()
        .map_or_else(|| srv.base.clone(), |(b, _, _)| b.clone());
    let artifacts = repo_root().join("target/ui-artifacts");
    let base = srv.base.clone();
    let id = t["id"].as_i64().unwrap_or_default().to_string();
    let evil_id = evil["id"].as_i64().unwrap_or_default().to_string();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .arg("agent_flow.mjs")
            .current_dir(repo_root().join("tests/ui"))
            .env("ATIENDE_URL", base)
            .env("ATIENDE_URL2", base2)
            .env("ATIENDE_EMAIL", "admin@example.com")
            .env("ATIENDE_PASSWORD", "admin-password-1")
            .env("ATIENDE_AGENT2_EMAIL", "bea@example.com")
            .env("ATIENDE_AGENT2_PASSWORD", "bea-password-1")
            .env("ATIENDE_AGENT2_NAME", "Bea Ruiz")
            .env("ATIENDE_TICKET", id)
            .env("ATIENDE_EVIL_TICKET", evil_id)
            .env("ATIENDE_DUP_TICKET", dup_id)
            .env("ATIENDE_SUBJECT", subject)
            .env("ATIENDE_BACKEND", backend)
            .env("ATIENDE_ARTIFACTS", artifacts)
            .output()
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"))
    .unwrap_or_else(|e| panic!("cannot run node ({e}); run scripts/test.sh, which installs chromium and playwright-core"));
    drop(second_node);
    assert!(
        out.status.success(),
        "browser flow failed on {:?}:\n{}\n{}",
        srv.backend,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
});
