//! The public help center site (`/hc/{locale}/…`): pages in both
//! languages, Zendesk's addresses, and nothing that is not public — no
//! draft, internal (user-segment) or archived article, and no section that
//! holds only such articles — on any page, in search or in the sitemap.

use super::*;

pub(super) async fn make(srv: &TestServer, path: &str, key: &str, body: Json) -> Json {
    let (s, b) = srv
        .call("POST", path, &srv.admin(), Some(json!({key: body})))
        .await;
    assert_eq!(s, 201, "{path}: {b}");
    b[key].clone()
}

/// A category (in the path's locale, if given), a section of one, an
/// article of a section, made as the admin through the Help Center API.
pub(super) async fn category(srv: &TestServer, locale: &str, body: Json) -> Json {
    let prefix = if locale.is_empty() {
        String::new()
    } else {
        format!("{locale}/")
    };
    make(
        srv,
        &format!("/api/v2/help_center/{prefix}categories.json"),
        "category",
        body,
    )
    .await
}

pub(super) async fn section(srv: &TestServer, category: &Json, body: Json) -> Json {
    let path = format!(
        "/api/v2/help_center/categories/{}/sections.json",
        category["id"]
    );
    make(srv, &path, "section", body).await
}

pub(super) async fn article(srv: &TestServer, section: &Json, body: Json) -> Json {
    let path = format!(
        "/api/v2/help_center/sections/{}/articles.json",
        section["id"]
    );
    make(srv, &path, "article", body).await
}

/// A page as a visitor gets it (no credentials, redirects not followed).
pub(super) async fn visit(srv: &TestServer, path: &str, lang: &str) -> (u16, String, String) {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let r = http
        .get(format!("{}{path}", srv.base))
        .header("accept-language", lang)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    let status = r.status().as_u16();
    let location = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, location, r.text().await.unwrap_or_default())
}

/// Words that only things a visitor must never see contain.
const SECRETS: [&str; 4] = ["Borrador", "Guía interna", "Archivado", "Solo personal"];

fn shows_nothing_secret(path: &str, html: &str) {
    for s in SECRETS {
        assert!(!html.contains(s), "{path} shows “{s}”:\n{html}");
    }
}

both!(the_public_help_center_shows_only_what_is_public, |srv| {
    let cat = category(
        &srv,
        "",
        json!({"name": "Cuenta", "description": "Acceso y datos de tu cuenta", "locale": "es"}),
    )
    .await;
    let sec = section(&srv, &cat, json!({"name": "Contraseñas"})).await;
    let staff_sec = section(&srv, &cat, json!({"name": "Solo personal"})).await;
    let change = article(&srv, &sec, json!({"title": "Cómo cambiar la contraseña",
        "body": "<p>Abre <b>Ajustes</b> y pulsa «Cambiar contraseña». La nueva contraseña vale al momento.</p><script>alert(1)</script>",
        "promoted": true})).await;
    let two_step = article(
        &srv,
        &sec,
        json!({"title": "Verificación en dos pasos",
        "body": "<p>Protege tu cuenta: además de la contraseña, un código por SMS.</p>"}),
    )
    .await;
    let draft = article(
        &srv,
        &sec,
        json!({"title": "Borrador: contraseñas sin caducidad",
        "body": "<p>contraseña reembolsos</p>", "draft": true}),
    )
    .await;
    let internal = article(
        &srv,
        &sec,
        json!({"title": "Guía interna de contraseñas y reembolsos",
        "body": "<p>Para agentes: contraseña maestra y reembolsos.</p>", "user_segment_id": staff_segment(&srv).await}),
    )
    .await;
    let archived = article(
        &srv,
        &sec,
        json!({"title": "Archivado: contraseñas antiguas",
        "body": "<p>contraseña</p>"}),
    )
    .await;
    let (s, _) = srv
        .call(
            "DELETE",
            &format!("/api/v2/help_center/articles/{}.json", archived["id"]),
            &srv.admin(),
            None,
        )
        .await;
    assert_eq!(s, 204);
    let staff_only = article(&srv, &staff_sec, json!({"title": "Procedimiento de escalado", "body": "<p>Solo personal</p>", "user_segment_id": staff_segment(&srv).await})).await;
    let en_cat = category(&srv, "en-us", json!({"name": "Account"})).await;
    let en_sec = section(&srv, &en_cat, json!({"name": "Passwords"})).await;
    let reset = article(&srv, &en_sec, json!({"title": "Reset your password", "body": "<p>Use the link on the sign-in page to reset your password.</p>"})).await;

    // The front door speaks the browser's language.
    let (s, to, _) = visit(&srv, "/hc", "es-ES,es;q=0.9").await;
    assert!((300..400).contains(&s) && to == "/hc/es", "{s} {to}");
    let (s, to, _) = visit(&srv, "/hc", "en-GB,en;q=0.8").await;
    assert!((300..400).contains(&s) && to == "/hc/en-us", "{s} {to}");

    // Front page: categories, sections, promoted articles; nothing secret.
    let (s, _, home) = visit(&srv, "/hc/es", "es").await;
    assert_eq!(s, 200, "{home}");
    assert!(
        home.contains("<html lang=\"es\">") && home.contains("Centro de ayuda"),
        "{home}"
    );
    assert!(
        home.contains("Cuenta") && home.contains("Contraseñas"),
        "{home}"
    );
    assert!(
        home.contains(&format!(
            "/hc/es/articles/{}-como-cambiar-la-contrasena",
            change["id"]
        )),
        "promoted: {home}"
    );
    assert!(home.contains("hreflang=\"en-us\""), "alternates: {home}");
    assert!(
        !home.contains("Account"),
        "another locale's category: {home}"
    );
    shows_nothing_secret("/hc/es", &home);
    let (s, _, en_home) = visit(&srv, "/hc/en-us", "es").await;
    assert_eq!(s, 200);
    assert!(
        en_home.contains("<html lang=\"en\">")
            && en_home.contains("Help center")
            && en_home.contains("Account"),
        "{en_home}"
    );

    // Category and section pages.
    let cat_path = format!("/hc/es/categories/{}-cuenta", cat["id"]);
    let (s, _, page) = visit(&srv, &cat_path, "es").await;
    assert_eq!(s, 200, "{page}");
    assert!(
        page.contains("Cómo cambiar la contraseña") && page.contains("Verificación en dos pasos"),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            "<link rel=\"canonical\" href=\"{}{cat_path}\">",
            srv.base
        )),
        "{page}"
    );
    shows_nothing_secret(&cat_path, &page);
    let (s, _, page) = visit(&srv, &format!("/hc/es/sections/{}", sec["id"]), "es").await;
    assert_eq!(s, 200);
    assert!(
        page.contains("aria-label=\"Estás aquí\"") && page.contains(&cat_path),
        "breadcrumbs: {page}"
    );
    shows_nothing_secret("section", &page);
    let (s, _, page) = visit(&srv, &format!("/hc/es/sections/{}", staff_sec["id"]), "es").await;
    assert_eq!(
        s, 404,
        "a section of internal articles is not there for visitors"
    );
    assert!(page.contains("Página no encontrada"), "{page}");

    // The article page.
    let path = format!(
        "/hc/es/articles/{}-como-cambiar-la-contrasena",
        change["id"]
    );
    let (s, _, page) = visit(&srv, &path, "en").await;
    assert_eq!(s, 200, "{page}");
    assert!(
        page.contains("<h1>Cómo cambiar la contraseña</h1>") && page.contains("<b>Ajustes</b>"),
        "{page}"
    );
    assert!(!page.contains("<script>alert"), "sanitised: {page}");
    assert!(
        page.contains("<meta name=\"description\" content=\"Abre Ajustes y pulsa"),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            "/hc/es/articles/{}-verificacion-en-dos-pasos",
            two_step["id"]
        )),
        "related: {page}"
    );
    assert!(page.contains("Actualizado"), "{page}");
    shows_nothing_secret(&path, &page);
    // Only the id counts in an address, as in Zendesk.
    let (s, _, _) = visit(&srv, &format!("/hc/es/articles/{}", change["id"]), "es").await;
    assert_eq!(s, 200);
    // Not public, not this locale, not an id: not found, in words.
    for (path, why) in [
        (format!("/hc/es/articles/{}", draft["id"]), "a draft"),
        (
            format!("/hc/es/articles/{}", internal["id"]),
            "an internal article",
        ),
        (
            format!("/hc/es/articles/{}", archived["id"]),
            "an archived article",
        ),
        (
            format!("/hc/es/articles/{}", staff_only["id"]),
            "a staff-only article",
        ),
        (
            format!("/hc/en-us/articles/{}", change["id"]),
            "another locale's article",
        ),
        ("/hc/es/articles/cambiar".to_string(), "no id"),
        (
            "/hc/es/articles/99999999999999999999".to_string(),
            "an id too large",
        ),
        (
            format!("/hc/es/categories/{}", en_cat["id"]),
            "another locale's category",
        ),
    ] {
        let (s, _, page) = visit(&srv, &path, "es").await;
        assert_eq!(s, 404, "{why}: {path}");
        // In the language of the address's locale.
        let words = if path.starts_with("/hc/es/") {
            "Página no encontrada"
        } else {
            "Page not found"
        };
        assert!(
            page.contains(words) && page.contains("role=\"alert\""),
            "{why}: {page}"
        );
        shows_nothing_secret(&path, &page);
    }
    // A near-miss locale goes to ours; an unknown one is not found.
    let (s, to, _) = visit(&srv, &format!("/hc/en/articles/{}", reset["id"]), "en").await;
    assert_eq!(
        (s, to.as_str()),
        (308, format!("/hc/en-us/articles/{}", reset["id"]).as_str())
    );
    // What the client wrote never goes back into a redirect (non-ASCII or
    // a line break there would not even be a valid header).
    for odd in ["42-c%C3%B3mo", "42%0d%0aSet-Cookie:%20x=1", "%E2%80%AE"] {
        let (s, to, _) = visit(&srv, &format!("/hc/en/articles/{odd}"), "en").await;
        assert!(
            s == 308 && (to == "/hc/en-us/articles/42" || to == "/hc/en-us"),
            "{odd}: {s} {to}"
        );
    }
    let (s, _, page) = visit(&srv, "/hc/fr", "en").await;
    assert_eq!(s, 404);
    assert!(page.contains("Page not found"), "{page}");

    // Search: accents folded, matches highlighted, nothing secret found.
    let (s, _, page) = visit(&srv, "/hc/es/search?query=contrasena", "es").await;
    assert_eq!(s, 200, "{page}");
    assert!(
        page.contains("Cómo cambiar la contraseña") && page.contains("<em>"),
        "{page}"
    );
    assert!(page.contains("artículos encontrados"), "{page}");
    shows_nothing_secret("search", &page);
    let (_, _, page) = visit(&srv, "/hc/es/search?query=reembolsos", "es").await;
    assert!(
        page.contains("Ningún artículo coincide con «reembolsos»"),
        "{page}"
    );
    shows_nothing_secret("search", &page);
    let (_, _, page) = visit(
        &srv,
        "/hc/en-us/search?query=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "es",
    )
    .await;
    assert!(
        !page.contains("<script>alert") && page.contains("&#60;script&#62;alert(1)"),
        "{page}"
    );
    let (s, _, page) = visit(&srv, "/hc/en-us/search?query=password&page=abc", "es").await;
    assert_eq!(s, 200);
    assert!(
        page.contains("Reset your password") && page.contains("One article found"),
        "{page}"
    );

    // The sitemap lists the public pages, with their addresses, and no other.
    let (s, _, xml) = visit(&srv, "/hc/sitemap.xml", "es").await;
    assert_eq!(s, 200, "{xml}");
    for id in [&change["id"], &two_step["id"], &reset["id"]] {
        assert!(xml.contains(&format!("/articles/{id}-")), "{id}: {xml}");
    }
    for id in [
        &draft["id"],
        &internal["id"],
        &archived["id"],
        &staff_only["id"],
    ] {
        assert!(!xml.contains(&format!("/articles/{id}-")), "{id}: {xml}");
    }
    assert!(
        !xml.contains(&format!("/sections/{}-", staff_sec["id"])),
        "{xml}"
    );
    assert!(
        xml.contains(&format!("/sections/{}-contrasenas", sec["id"])),
        "{xml}"
    );
});

both!(a_visitor_finds_an_answer_in_either_language, |srv| {
    let cat = category(
        &srv,
        "",
        json!({"name": "Cuenta", "description": "Acceso y datos de tu cuenta", "locale": "es"}),
    )
    .await;
    let sec = section(&srv, &cat, json!({"name": "Contraseñas", "description": "Cambiar, recuperar y proteger tu contraseña"})).await;
    article(&srv, &sec, json!({"title": "Cómo cambiar la contraseña", "promoted": true,
        "body": "<p>Abre <b>Ajustes</b> y pulsa «Cambiar contraseña».</p><ol><li>Escribe la actual.</li><li>Escribe la nueva dos veces.</li></ol>"})).await;
    article(
        &srv,
        &sec,
        json!({"title": "Verificación en dos pasos",
        "body": "<p>Además de la contraseña, un código por SMS.</p>"}),
    )
    .await;
    article(
        &srv,
        &sec,
        json!({"title": "Guía interna de reembolsos", "user_segment_id": staff_segment(&srv).await,
        "body": "<p>Solo agentes: reembolsos.</p>"}),
    )
    .await;
    let en_cat = category(&srv, "en-us", json!({"name": "Account"})).await;
    let en_sec = section(&srv, &en_cat, json!({"name": "Passwords"})).await;
    article(
        &srv,
        &en_sec,
        json!({"title": "Reset your password", "body": "<p>Use the link on the sign-in page.</p>"}),
    )
    .await;
    browser_flow(&srv, "help_center_flow.mjs", &[]).await;
});

/// Posts the article page's "was this helpful?" form; returns the status,
/// where it sends the browser, and the visitor cookie it sets.
async fn answer(
    srv: &TestServer,
    path: &str,
    value: &str,
    cookie: Option<&str>,
    origin: Option<&str>,
) -> (u16, String, Option<String>) {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let mut req = http
        .post(format!("{}{path}/vote", srv.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("value={value}"));
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    if let Some(o) = origin {
        req = req.header("origin", o);
    }
    let r = req.send().await.unwrap_or_else(|e| panic!("{e}"));
    let cookie = r
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_string);
    let to = r
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (r.status().as_u16(), to, cookie)
}

async fn votes_of(srv: &TestServer, id: &Json) -> (i64, i64) {
    let (s, a) = srv
        .get(
            &format!("/api/v2/help_center/articles/{id}.json"),
            &srv.admin(),
        )
        .await;
    assert_eq!(s, 200, "{a}");
    (
        a["article"]["vote_sum"].as_i64().unwrap_or(-99),
        a["article"]["vote_count"].as_i64().unwrap_or(-99),
    )
}

both!(readers_say_whether_an_article_helped, |srv| {
    let cat = category(&srv, "", json!({"name": "Pagos", "locale": "es"})).await;
    let sec = section(&srv, &cat, json!({"name": "Facturas"})).await;
    let public = article(
        &srv,
        &sec,
        json!({"title": "Descargar una factura", "body": "<p>Desde Mis pedidos.</p>"}),
    )
    .await;
    let internal = article(
        &srv,
        &sec,
        json!({"title": "Anular facturas", "body": "<p>Solo agentes.</p>", "user_segment_id": staff_segment(&srv).await}),
    )
    .await;
    let page = format!("/hc/es/articles/{}-descargar-una-factura", public["id"]);

    // A visitor says yes: sent back to the article, given a visitor id.
    let (s, to, cookie) = answer(&srv, &page, "up", None, Some(&srv.base)).await;
    assert_eq!(
        (s, to.as_str()),
        (
            303,
            format!("/hc/es/articles/{}?voted=1#vote", public["id"]).as_str()
        )
    );
    let cookie = cookie.unwrap_or_else(|| panic!("no visitor cookie"));
    assert!(
        cookie.starts_with("atiende_hc_visitor=")
            && cookie.len() == "atiende_hc_visitor=".len() + 32,
        "{cookie}"
    );
    assert_eq!(votes_of(&srv, &public["id"]).await, (1, 1));
    // The same visitor changes their mind: replaced, not added.
    let (s, _, again) = answer(&srv, &page, "down", Some(&cookie), None).await;
    assert_eq!((s, again), (303, None));
    assert_eq!(votes_of(&srv, &public["id"]).await, (-1, 1));
    // Another visitor (and a cookie that is not one we gave) count apart.
    let (s, _, _) = answer(&srv, &page, "up", Some("atiende_hc_visitor=<script>"), None).await;
    assert_eq!(s, 303);
    assert_eq!(votes_of(&srv, &public["id"]).await, (0, 2));
    let (_, _, html) = visit(&srv, &format!("{page}?voted=1"), "es").await;
    assert!(
        html.contains("Gracias por tu respuesta")
            && html.contains("A 1 de 2 les ha resultado útil"),
        "{html}"
    );
    // Refused: another site's form, a value that is not yes or no, an
    // article that is not public, one that does not exist.
    let (s, _, _) = answer(&srv, &page, "up", None, Some("https://evil.example")).await;
    assert_eq!(s, 403);
    let (s, _, _) = answer(&srv, &page, "maybe", None, None).await;
    assert_eq!(s, 400);
    let (s, _, _) = answer(&srv, "/hc/es/articles/%E2%80%AE%0d%0a", "up", None, None).await;
    assert_eq!(s, 404);
    let (s, _, _) = answer(
        &srv,
        &format!("/hc/es/articles/{}", internal["id"]),
        "up",
        None,
        None,
    )
    .await;
    assert_eq!(s, 404);
    let (s, _, _) = answer(&srv, "/hc/es/articles/999999", "up", None, None).await;
    assert_eq!(s, 404);
    assert_eq!(
        votes_of(&srv, &public["id"]).await,
        (0, 2),
        "nothing refused was counted"
    );

    // Zendesk's votes API for signed-in users.
    let (_, customer) = srv
        .user_with_token("Marta Gil", "marta@example.com", "end-user")
        .await;
    let (s, v) = srv
        .call(
            "POST",
            &format!("/api/v2/help_center/articles/{}/up.json", public["id"]),
            &customer,
            None,
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(
        (
            v["vote"]["value"].as_i64(),
            v["vote"]["item_type"].as_str(),
            v["vote"]["item_id"].clone()
        ),
        (Some(1), Some("Article"), public["id"].clone())
    );
    let (s, again) = srv
        .call(
            "POST",
            &format!("/api/v2/help_center/articles/{}/down.json", public["id"]),
            &customer,
            None,
        )
        .await;
    assert_eq!(
        (
            s,
            again["vote"]["id"].clone(),
            again["vote"]["value"].as_i64()
        ),
        (200, v["vote"]["id"].clone(), Some(-1)),
        "one vote per user"
    );
    let (s, mine) = srv
        .call(
            "POST",
            &format!("/api/v2/help_center/articles/{}/up.json", public["id"]),
            &srv.admin(),
            None,
        )
        .await;
    assert_eq!(s, 200);
    assert_eq!(votes_of(&srv, &public["id"]).await, (0, 4));
    let (s, list) = srv
        .get(
            &format!("/api/v2/help_center/articles/{}/votes.json", public["id"]),
            &srv.admin(),
        )
        .await;
    assert_eq!(
        (s, list["votes"].as_array().map(Vec::len)),
        (200, Some(4)),
        "{list}"
    );
    let (s, _) = srv
        .get(
            &format!("/api/v2/help_center/articles/{}/votes.json", public["id"]),
            &customer,
        )
        .await;
    assert_eq!(s, 403, "customers do not list who voted");
    let (s, _) = srv
        .get(
            &format!("/api/v2/help_center/votes/{}.json", mine["vote"]["id"]),
            &customer,
        )
        .await;
    assert_eq!(s, 404, "another person's vote");
    let (s, _) = srv
        .call(
            "POST",
            &format!("/api/v2/help_center/articles/{}/up.json", internal["id"]),
            &customer,
            None,
        )
        .await;
    assert_eq!(s, 404, "an internal article is not there for customers");
    let (s, _) = srv
        .call(
            "DELETE",
            &format!("/api/v2/help_center/votes/{}.json", v["vote"]["id"]),
            &customer,
            None,
        )
        .await;
    assert_eq!(s, 204);
    assert_eq!(votes_of(&srv, &public["id"]).await, (1, 3), "taken back");
});
