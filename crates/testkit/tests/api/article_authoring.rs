//! Article authoring in the workspace over HTTP: a writer creates a draft,
//! formats it (whatever HTML is sent, what is stored is sanitised),
//! previews without saving, publishes, translates beside the source text,
//! attaches files (images shown, documents downloaded, anything that could
//! run refused), and brings an earlier version back from the history. A
//! draft's or an internal article's files are not anyone's to download.

use super::help_center_site::{category, section, visit};
use super::workspace::{Browser, hidden};
use super::*;

/// Posts a file to an article's attachments as the signed-in browser.
async fn attach(
    b: &Browser,
    csrf: &str,
    id: i64,
    name: &str,
    data: Vec<u8>,
    inline: bool,
) -> (u16, String) {
    let mut form = reqwest::multipart::Form::new()
        .text("csrf", csrf.to_string())
        .text("locale", "es")
        .part(
            "file",
            reqwest::multipart::Part::bytes(data).file_name(name.to_string()),
        );
    if inline {
        form = form.text("inline", "1");
    }
    b.post_multipart(&format!("/agent/articles/{id}/attachments"), form)
        .await
}

/// The article's text in a locale, through the API.
async fn text(srv: &TestServer, id: i64, locale: &str) -> Json {
    let (s, b) = srv
        .call(
            "GET",
            &format!("/api/v2/help_center/articles/{id}/translations/{locale}.json"),
            &srv.admin(),
            None,
        )
        .await;
    assert_eq!(s, 200, "{b}");
    b["translation"].clone()
}

/// Every `href` in a page that starts with `prefix`.
fn links(html: &str, prefix: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|h| h.starts_with(prefix))
        .map(|h| h.replace("&amp;", "&"))
        .collect()
}

both!(writers_draft_translate_attach_and_restore_articles, |srv| {
    let cat = category(&srv, "es", json!({"name": "Ayuda"})).await;
    let sec = section(&srv, &cat, json!({"name": "Cuenta"})).await;
    let sec_id = sec["id"].as_i64().unwrap_or_default().to_string();
    let mut b = Browser::new(&srv.base);
    b.sign_in("admin@example.com", "admin-password-1").await;
    let list = b.get("/agent/articles").await;
    assert_eq!(list.status, 200, "{}", list.body);
    let csrf = hidden(&list.body, "csrf");

    // A new article is a draft, then its editor.
    let bad = b
        .post(
            "/agent/articles",
            &[
                ("csrf", &csrf),
                ("title", ""),
                ("section_id", &sec_id),
                ("locale", "es"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "a title is required: {}", bad.body);
    let made = b
        .post(
            "/agent/articles",
            &[
                ("csrf", &csrf),
                ("title", "Cambiar la contraseña"),
                ("section_id", &sec_id),
                ("locale", "es"),
            ],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let id: i64 = made
        .location
        .trim_start_matches("/agent/articles/")
        .parse()
        .unwrap_or_else(|_| panic!("{}", made.location));
    let editor = format!("/agent/articles/{id}");

    // Whatever HTML is sent, the stored body is sanitised.
    let body = "<h2>Pasos</h2><p onclick=\"steal()\">Entra en <strong>Mi cuenta</strong><script>alert(1)</script></p><ul><li>Pulsa «Cambiar»</li></ul>";
    let saved = b
        .post(
            &editor,
            &[
                ("csrf", &csrf),
                ("locale", "es"),
                ("title", "Cambiar la contraseña"),
                ("body", body),
                ("action", "draft"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let es = text(&srv, id, "es").await;
    let stored = es["body"].as_str().unwrap_or_default();
    assert!(
        stored.contains("<strong>Mi cuenta</strong>") && stored.contains("<h2>"),
        "{stored}"
    );
    assert!(
        !stored.contains("script") && !stored.contains("onclick"),
        "{stored}"
    );
    assert_eq!(es["draft"], true);
    let (s, _, _) = visit(&srv, &format!("/hc/es/articles/{id}"), "es").await;
    assert_eq!(s, 404, "a draft is not on the site");

    // A preview shows the sanitised text and saves nothing.
    let preview = b
        .post(
            &editor,
            &[
                ("csrf", &csrf),
                ("locale", "es"),
                ("title", "Cambiar la contraseña"),
                (
                    "body",
                    "<p>Texto <em>nuevo</em><img src=x onerror=alert(1)></p>",
                ),
                ("action", "preview"),
            ],
        )
        .await;
    assert_eq!(preview.status, 200);
    let shown = preview
        .body
        .split("id=\"preview-title\"")
        .nth(1)
        .unwrap_or_default();
    assert!(shown.contains("Texto <em>nuevo</em>"), "{}", preview.body);
    assert!(
        !shown.contains("onerror"),
        "the preview is sanitised: {shown}"
    );
    assert!(
        !preview.body.contains("<img src=x onerror"),
        "what was typed is shown back as text only"
    );
    assert_eq!(text(&srv, id, "es").await["body"], es["body"], "not saved");

    // Published: on the site.
    let published = b
        .post(
            &editor,
            &[
                ("csrf", &csrf),
                ("locale", "es"),
                ("title", "Cambiar la contraseña"),
                (
                    "body",
                    "<p>Entra en <strong>Mi cuenta</strong> y pulsa «Cambiar».</p>",
                ),
                ("action", "publish"),
                ("section_id", &sec_id),
                ("user_segment_id", "0"),
            ],
        )
        .await;
    assert_eq!(published.status, 303, "{}", published.body);
    let (s, _, page) = visit(&srv, &format!("/hc/es/articles/{id}"), "es").await;
    assert_eq!(s, 200);
    assert!(page.contains("Mi cuenta"));

    // Other ways customers ask it: the bot finds the article by them.
    let ask = |q: &'static str| {
        let srv = &srv;
        async move {
            let (s, b) = srv
                .call(
                    "POST",
                    "/api/v2/answer_bot/answers/articles.json",
                    &srv.admin(),
                    Some(json!({"enquiry": q, "locale": "es"})),
                )
                .await;
            assert_eq!(s, 200, "{b}");
            b["articles"][0]["article_id"].as_i64()
        }
    };
    assert_eq!(ask("me he quedado fuera sin poder entrar").await, None);
    let phrased = b
        .post(
            &editor,
            &[
                ("csrf", &csrf),
                ("locale", "es"),
                ("title", "Cambiar la contraseña"),
                (
                    "body",
                    "<p>Entra en <strong>Mi cuenta</strong> y pulsa «Cambiar».</p>",
                ),
                ("action", "publish"),
                ("section_id", &sec_id),
                ("user_segment_id", "0"),
                (
                    "phrasings",
                    "me he quedado fuera sin poder entrar\n\n  no recuerdo la clave  ",
                ),
            ],
        )
        .await;
    assert_eq!(phrased.status, 303, "{}", phrased.body);
    let page = b.get(&editor).await;
    assert!(
        page.body
            .contains("me he quedado fuera sin poder entrar\nno recuerdo la clave</textarea>"),
        "stored cleaned: {}",
        page.body
    );
    // (Their vectors too, where the encoder is installed.)
    while let Ok(n) = srv.app.encode_pending_articles().await {
        if n == 0 {
            break;
        }
    }
    assert_eq!(ask("me he quedado fuera sin poder entrar").await, Some(id));

    // Translated beside the source text.
    let en_editor = b.get(&format!("{editor}?locale=en-us")).await;
    assert_eq!(en_editor.status, 200);
    assert!(
        en_editor.body.contains("Texto original") || en_editor.body.contains("Source text"),
        "{}",
        en_editor.body
    );
    assert!(
        en_editor.body.contains("pulsa «Cambiar»"),
        "the source text is shown: {}",
        en_editor.body
    );
    let translated = b
        .post(
            &editor,
            &[
                ("csrf", &csrf),
                ("locale", "en-us"),
                ("title", "Change your password"),
                ("body", "<p>Go to <strong>My account</strong>.</p>"),
                ("action", "publish"),
            ],
        )
        .await;
    assert_eq!(translated.status, 303, "{}", translated.body);
    let en = text(&srv, id, "en-us").await;
    assert_eq!(en["title"], "Change your password");
    assert_eq!(en["draft"], false);
    let (s, _, page) = visit(&srv, &format!("/hc/en-us/articles/{id}"), "en").await;
    assert_eq!(s, 200);
    assert!(page.contains("My account"));

    // Files: an image shown in the body, a document listed under it;
    // anything that could run refused.
    let (s, _) = attach(&b, &csrf, id, "diagrama.png", TINY_PNG.to_vec(), true).await;
    assert_eq!(s, 303);
    let (s, _) = attach(
        &b,
        &csrf,
        id,
        "guia.pdf",
        b"%PDF-1.4\n%fake\n".to_vec(),
        false,
    )
    .await;
    assert_eq!(s, 303);
    for bad in ["pagina.html", "dibujo.svg", "script.js"] {
        let (s, body) = attach(
            &b,
            &csrf,
            id,
            bad,
            b"<script>alert(1)</script>".to_vec(),
            false,
        )
        .await;
        assert_eq!(s, 422, "{bad}: {body}");
        assert!(body.contains("PDF"), "says what is allowed: {body}");
    }
    let page = b.get(&editor).await;
    let files = links(&page.body, "/hc/article_attachments/");
    assert_eq!(files.len(), 2, "{files:?}");
    let (s, _, public) = visit(&srv, &format!("/hc/es/articles/{id}"), "es").await;
    assert_eq!(s, 200);
    let listed = links(&public, "/hc/article_attachments/");
    assert_eq!(listed.len(), 1, "only the document is listed: {listed:?}");
    assert!(listed[0].ends_with("/guia.pdf"));
    let http = reqwest::Client::new();
    let pdf = http
        .get(format!("{}{}", srv.base, listed[0]))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(
        pdf.headers()["content-disposition"]
            .to_str()
            .unwrap_or_default()
            .starts_with("attachment")
    );
    assert_eq!(pdf.headers()["x-content-type-options"], "nosniff");
    let png_link = files
        .iter()
        .find(|f| f.ends_with(".png"))
        .cloned()
        .unwrap_or_default();
    let png = http
        .get(format!("{}{png_link}", srv.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(png.headers()["content-type"], "image/png");
    assert!(
        png.headers()["content-disposition"]
            .to_str()
            .unwrap_or_default()
            .starts_with("inline")
    );
    // Removed: gone.
    let pdf_id = listed[0].split('/').nth(3).unwrap_or_default().to_string();
    let removed = b
        .post(
            &format!("{editor}/attachments/{pdf_id}/delete"),
            &[("csrf", &csrf), ("locale", "es")],
        )
        .await;
    assert_eq!(removed.status, 303);
    let (s, _, _) = visit(&srv, &listed[0], "es").await;
    assert_eq!(s, 404);

    // The history: every saved text, each can come back.
    let page = b.get(&editor).await;
    let restores: Vec<String> = page
        .body
        .split("action=\"")
        .skip(1)
        .filter_map(|r| r.split('"').next())
        .filter(|a| a.contains("/revisions/"))
        .map(str::to_string)
        .collect();
    assert!(
        restores.len() >= 4,
        "created, draft, published, English: {restores:?}"
    );
    // The oldest Spanish one: the empty draft as created. The one after it
    // has the sanitised formatting.
    let es_draft = restores[restores.len() - 2].clone();
    let back = b.post(&es_draft, &[("csrf", &csrf)]).await;
    assert_eq!(back.status, 303, "{}", back.body);
    assert!(back.location.contains("done=restored"));
    let es = text(&srv, id, "es").await;
    assert!(
        es["body"]
            .as_str()
            .unwrap_or_default()
            .contains("<h2>Pasos</h2>"),
        "{es}"
    );
    assert_eq!(es["draft"], false, "restoring keeps it published");
    let after = b.get(&editor).await;
    let count = after.body.matches("/revisions/").count();
    assert_eq!(
        count,
        restores.len() + 1,
        "the restore is in the history too"
    );
    let (s, _, _) = visit(&srv, "/agent/articles/999999", "es").await;
    assert_eq!(s, 303, "anonymous is sent to sign in");
    let missing = b.get("/agent/articles/999999").await;
    assert_eq!(missing.status, 404);
    let junk = b.get("/agent/articles/abc").await;
    assert_eq!(junk.status, 404);
});

both!(files_of_drafts_and_internal_articles_stay_private, |srv| {
    let cat = category(&srv, "es", json!({"name": "Ayuda"})).await;
    let sec = section(&srv, &cat, json!({"name": "Cuenta"})).await;
    let staff = staff_segment(&srv).await;
    let article = |body: Json| {
        let srv = &srv;
        let sec = sec.clone();
        async move {
            super::help_center_site::article(srv, &sec, body).await["id"]
                .as_i64()
                .unwrap_or_default()
        }
    };
    let draft = article(json!({"title": "Borrador", "body": "<p>x</p>", "draft": true})).await;
    let internal =
        article(json!({"title": "Interno", "body": "<p>x</p>", "user_segment_id": staff})).await;
    let admin = admin_actor(&srv).await;
    let mut paths = Vec::new();
    for id in [draft, internal] {
        let f = srv
            .app
            .attach_to_article(
                admin,
                domain::ArticleId(id),
                "plan.pdf",
                b"%PDF-1.4".to_vec(),
                false,
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        paths.push(app::help_center::article_attachment_path(&f));
    }
    for p in &paths {
        let (s, _, _) = visit(&srv, p, "es").await;
        assert_eq!(s, 404, "{p} is not public");
    }
    // A signed-in agent reads both (a writer, and staff read internal).
    let mut b = Browser::new(&srv.base);
    b.sign_in("admin@example.com", "admin-password-1").await;
    for p in &paths {
        assert_eq!(b.get(p).await.status, 200, "{p}");
    }
    let (s, _, _) = visit(&srv, "/hc/article_attachments/999999/x.pdf", "es").await;
    assert_eq!(s, 404);
    let (s, _, _) = visit(&srv, "/hc/article_attachments/abc/x.pdf", "es").await;
    assert_eq!(s, 404);
});

both!(a_writer_authors_an_article_in_the_browser, |srv| {
    let cat = category(&srv, "es", json!({"name": "Pedidos"})).await;
    section(&srv, &cat, json!({"name": "Envíos"})).await;
    browser_flow(&srv, "article_authoring_flow.mjs", &[]).await;
});

/// A multipart body with one file and the `inline` field, as Zendesk's
/// clients send it to the article attachments endpoint.
fn multipart(name: &str, data: &[u8], inline: bool) -> (Vec<u8>, String) {
    let boundary = "atiende-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"inline\"\r\n\r\n{inline}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (body, format!("multipart/form-data; boundary={boundary}"))
}

both!(article_files_through_the_zendesk_api, |srv| {
    let cat = category(&srv, "es", json!({"name": "Ayuda"})).await;
    let sec = section(&srv, &cat, json!({"name": "Cuenta"})).await;
    let public = super::help_center_site::article(
        &srv,
        &sec,
        json!({"title": "Factura", "body": "<p>x</p>"}),
    )
    .await["id"]
        .as_i64()
        .unwrap_or_default();
    let draft = super::help_center_site::article(
        &srv,
        &sec,
        json!({"title": "Borrador", "body": "<p>x</p>", "draft": true}),
    )
    .await["id"]
        .as_i64()
        .unwrap_or_default();
    let post = |article: i64, name: &'static str, data: &'static [u8], inline: bool, who: Auth| {
        let srv = &srv;
        async move {
            let (body, ct) = multipart(name, data, inline);
            let r = srv
                .raw(
                    "POST",
                    &format!("/api/v2/help_center/articles/{article}/attachments.json"),
                    &who,
                    Some(body),
                    Some(&ct),
                )
                .await;
            let status = r.status().as_u16();
            (status, r.json::<Json>().await.unwrap_or_default())
        }
    };

    let (s, image) = post(public, "logo.png", TINY_PNG, true, srv.admin()).await;
    assert_eq!(s, 201, "{image}");
    let image = &image["article_attachment"];
    assert_eq!(image["inline"], true, "{image}");
    assert_eq!(image["content_type"], "image/png");
    assert_eq!(image["article_id"], public);
    let (s, pdf) = post(
        public,
        "C:\\docs\\plan.pdf",
        b"%PDF-1.4",
        false,
        srv.admin(),
    )
    .await;
    assert_eq!(s, 201, "{pdf}");
    let pdf = &pdf["article_attachment"];
    assert_eq!(
        pdf["file_name"], "plan.pdf",
        "only the last segment of a path"
    );
    assert_eq!(pdf["inline"], false);
    let (s, _) = post(draft, "plan.pdf", b"%PDF-1.4", false, srv.admin()).await;
    assert_eq!(s, 201);

    // Refused: something that would run in a browser, an empty file, no file.
    let (s, e) = post(
        public,
        "x.html",
        b"<script>alert(1)</script>",
        false,
        srv.admin(),
    )
    .await;
    assert_eq!(s, 422, "{e}");
    let (s, e) = post(public, "x.pdf", b"", false, srv.admin()).await;
    assert_eq!(s, 422, "{e}");
    let (s, e) = srv
        .call(
            "POST",
            &format!("/api/v2/help_center/articles/{public}/attachments.json"),
            &srv.admin(),
            Some(json!({"file": "nope"})),
        )
        .await;
    assert_eq!(s, 422, "a JSON body carries no file: {e}");

    // Lists: all, the body's images, the files listed under it.
    let list = |path: String, who: Auth| {
        let srv = &srv;
        async move {
            let (s, b) = srv.call("GET", &path, &who, None).await;
            assert_eq!(s, 200, "{path}: {b}");
            b["article_attachments"]
                .as_array()
                .map(|l| l.iter().map(|f| f["file_name"].clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        }
    };
    let base = format!("/api/v2/help_center/articles/{public}/attachments");
    assert_eq!(
        list(format!("{base}.json"), srv.admin()).await,
        vec![json!("logo.png"), json!("plan.pdf")]
    );
    assert_eq!(
        list(format!("{base}/inline.json"), srv.admin()).await,
        vec![json!("logo.png")]
    );
    assert_eq!(
        list(format!("{base}/block.json"), srv.admin()).await,
        vec![json!("plan.pdf")]
    );

    // A customer reads a public article's files, and the file itself.
    let (_, reader) = srv
        .user_with_token("Lectora", "lectora-files@example.com", "end-user")
        .await;
    assert_eq!(list(format!("{base}.json"), reader.clone()).await.len(), 2);
    let url = pdf["content_url"].as_str().unwrap_or_default();
    let got = srv.raw("GET", url, &Auth::None, None, None).await;
    assert_eq!(got.status().as_u16(), 200, "{url}");
    assert_eq!(got.bytes().await.unwrap_or_default().as_ref(), b"%PDF-1.4");
    // … not a draft's, and cannot change anything.
    let (s, _) = srv
        .call(
            "GET",
            &format!("/api/v2/help_center/articles/{draft}/attachments.json"),
            &reader,
            None,
        )
        .await;
    assert_eq!(s, 404, "a draft's files are not a customer's");
    let (s, _) = post(public, "plan.pdf", b"%PDF-1.4", false, reader.clone()).await;
    assert_eq!(s, 403);

    // One file, by its id or under its article (another article's is 404).
    let id = pdf["id"].as_i64().unwrap_or_default();
    let (s, one) = srv
        .call(
            "GET",
            &format!("/api/v2/help_center/articles/attachments/{id}.json"),
            &reader,
            None,
        )
        .await;
    assert_eq!(s, 200, "{one}");
    assert_eq!(one["article_attachment"]["size"], 8);
    let (s, _) = srv
        .call("GET", &format!("{base}/{id}.json"), &srv.admin(), None)
        .await;
    assert_eq!(s, 200);
    let (s, _) = srv
        .call(
            "GET",
            &format!("/api/v2/help_center/articles/{draft}/attachments/{id}.json"),
            &srv.admin(),
            None,
        )
        .await;
    assert_eq!(s, 404);

    // Deleting: staff only; then it is gone, from the list and the site.
    let one = format!("/api/v2/help_center/articles/attachments/{id}.json");
    let (s, _) = srv.call("DELETE", &one, &reader, None).await;
    assert_eq!(s, 403);
    let (s, _) = srv.call("DELETE", &one, &srv.admin(), None).await;
    assert_eq!(s, 204);
    let (s, _) = srv.call("GET", &one, &srv.admin(), None).await;
    assert_eq!(s, 404);
    assert_eq!(
        list(format!("{base}.json"), srv.admin()).await,
        vec![json!("logo.png")]
    );
    let got = srv.raw("GET", url, &Auth::None, None, None).await;
    assert_eq!(got.status().as_u16(), 404);
});
