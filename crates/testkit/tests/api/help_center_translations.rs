//! Translations (Zendesk's `…/{id}/translations`): an article, section or
//! category written in Spanish and English is one record with one id; the
//! site reads each locale's text, links each page to its translation, and
//! searches each language's words; an unpublished translation stays off
//! the site, its search and its sitemap.

use super::help_center_site::{article, category, section, visit};
use super::*;

async fn translate(srv: &TestServer, path: &str, body: Json) -> (u16, Json) {
    srv.call(
        "POST",
        path,
        &srv.admin(),
        Some(json!({ "translation": body })),
    )
    .await
}

both!(an_article_reads_in_each_of_its_languages, |srv| {
    let admin = srv.admin();
    let (_, customer) = srv
        .user_with_token("Lectora", "lectora@example.com", "end-user")
        .await;
    let k = category(&srv, "en-us", json!({"name": "Billing"})).await;
    let s = section(&srv, &k, json!({"name": "Payments"})).await;
    let a = article(
        &srv,
        &s,
        json!({"title": "How to pay", "body": "<p>Pay with a credit card from your account page.</p>"}),
    )
    .await;
    let id = a["id"].as_i64().unwrap_or_default();
    let base = format!("/api/v2/help_center/articles/{id}/translations");

    // One translation to begin with: the source locale's, the article's own.
    let (st, b) = srv.call("GET", &format!("{base}.json"), &admin, None).await;
    assert_eq!(st, 200, "{b}");
    assert_eq!(b["translations"].as_array().map(Vec::len), Some(1), "{b}");
    assert_eq!(b["translations"][0]["locale"], "en-us");
    assert_eq!(b["translations"][0]["source_type"], "Article");
    assert_eq!(b["translations"][0]["source_id"], id);
    let (_, m) = srv
        .call("GET", &format!("{base}/missing.json"), &admin, None)
        .await;
    assert_eq!(m["locales"], json!(["es"]), "{m}");

    // Spanish for the category, the section and the article.
    for (path, title) in [
        (
            format!(
                "/api/v2/help_center/categories/{}/translations.json",
                k["id"]
            ),
            "Facturación",
        ),
        (
            format!("/api/v2/help_center/sections/{}/translations.json", s["id"]),
            "Pagos",
        ),
    ] {
        let (st, b) = translate(&srv, &path, json!({"locale": "es", "title": title})).await;
        assert_eq!(st, 201, "{path}: {b}");
    }
    let (st, es) = translate(
        &srv,
        &format!("{base}.json"),
        json!({"locale": "es", "title": "Cómo pagar", "body": "<p>Pague con tarjeta de crédito desde su cuenta.</p><script>x()</script>"}),
    )
    .await;
    assert_eq!(st, 201, "{es}");
    assert!(
        !es["translation"]["body"].to_string().contains("script"),
        "{es}"
    );
    // A locale it already has is an error, as is one we do not have.
    let (st, b) = translate(
        &srv,
        &format!("{base}.json"),
        json!({"locale": "es", "title": "Otra"}),
    )
    .await;
    assert!((400..500).contains(&st), "{st} {b}");
    assert!(
        b["details"]["locale"].is_array() || b["description"].is_string(),
        "{b}"
    );
    let (st, _) = translate(
        &srv,
        &format!("{base}.json"),
        json!({"locale": "fr", "title": "Payer"}),
    )
    .await;
    assert!((400..500).contains(&st), "{st}");
    let (st, _) = translate(&srv, &format!("{base}.json"), json!({"locale": "es"})).await;
    assert!(
        (400..500).contains(&st),
        "a translation with no title: {st}"
    );

    // The API reads the article in either locale under one id.
    let (_, r) = srv
        .call(
            "GET",
            &format!("/api/v2/help_center/es/articles/{id}.json"),
            &customer,
            None,
        )
        .await;
    assert_eq!(r["article"]["title"], "Cómo pagar", "{r}");
    assert_eq!(r["article"]["locale"], "es");
    assert_eq!(r["article"]["source_locale"], "en-us");
    let (_, r) = srv
        .call(
            "GET",
            &format!("/api/v2/help_center/articles/{id}.json"),
            &customer,
            None,
        )
        .await;
    assert_eq!(r["article"]["title"], "How to pay", "{r}");
    let (_, list) = srv
        .call(
            "GET",
            "/api/v2/help_center/es/sections.json",
            &customer,
            None,
        )
        .await;
    assert!(list.to_string().contains("Pagos"), "{list}");

    // The site: each locale's text, switcher and alternates to the other.
    let (st, _, html) = visit(&srv, &format!("/hc/es/articles/{id}"), "es").await;
    assert_eq!(st, 200);
    assert!(
        html.contains("Cómo pagar") && html.contains("tarjeta de crédito"),
        "{html}"
    );
    assert!(
        html.contains("Pagos") && html.contains("Facturación"),
        "breadcrumb in Spanish: {html}"
    );
    let english = format!("/hc/en-us/articles/{id}-how-to-pay");
    assert!(
        html.contains(&format!(
            "hreflang=\"en-us\" href=\"{}{english}\"",
            srv.base
        )),
        "{html}"
    );
    assert!(
        html.contains(&format!("href=\"{english}\" hreflang=\"en\"")),
        "switcher: {html}"
    );
    let (st, _, html) = visit(&srv, &english, "en").await;
    assert_eq!(st, 200);
    assert!(
        html.contains("How to pay") && !html.contains("Cómo pagar"),
        "{html}"
    );
    assert!(
        html.contains(&format!("/hc/es/articles/{id}-como-pagar")),
        "{html}"
    );
    let (_, _, home) = visit(&srv, "/hc/es", "es").await;
    assert!(
        home.contains("Facturación") && home.contains("Pagos"),
        "{home}"
    );

    // Each language's words find its own text.
    let (_, _, found) = visit(&srv, "/hc/es/search?query=tarjeta", "es").await;
    assert!(found.contains("Cómo pagar"), "{found}");
    let (_, _, found) = visit(&srv, "/hc/en-us/search?query=tarjeta", "en").await;
    // (The bot's box above the results may suggest it across languages.)
    let hits = found
        .split("<ol class=\"hits\">")
        .nth(1)
        .unwrap_or_default();
    assert!(!hits.contains("How to pay"), "{found}");
    let (_, _, found) = visit(&srv, "/hc/en-us/search?query=credit+card", "en").await;
    assert!(found.contains("How to pay"), "{found}");

    // The source changes: the Spanish text is flagged outdated until saved.
    let (st, _) = srv
        .call(
            "PUT",
            &format!("/api/v2/help_center/articles/{id}.json"),
            &admin,
            Some(json!({"article": {"body": "<p>Pay by card or bank transfer.</p>"}})),
        )
        .await;
    assert_eq!(st, 200);
    let (_, t) = srv
        .call("GET", &format!("{base}/es.json"), &admin, None)
        .await;
    assert_eq!(t["translation"]["outdated"], true, "{t}");
    let (_, t) = srv
        .call("GET", &format!("{base}/en-us.json"), &admin, None)
        .await;
    assert_eq!(t["translation"]["outdated"], false, "{t}");
    assert!(
        t["translation"]["body"]
            .to_string()
            .contains("bank transfer"),
        "{t}"
    );

    // An unpublished Spanish text leaves the Spanish site, search and
    // sitemap, and customers' lists; staff still read it.
    let (st, t) = srv
        .call("PUT", &format!("{base}/es.json"), &admin,
              Some(json!({"translation": {"draft": true, "body": "<p>Pague con tarjeta o transferencia.</p>"}})))
        .await;
    assert_eq!(st, 200, "{t}");
    assert_eq!(t["translation"]["outdated"], false, "{t}");
    let (st, _, _) = visit(&srv, &format!("/hc/es/articles/{id}"), "es").await;
    assert_eq!(st, 404);
    let (_, _, found) = visit(&srv, "/hc/es/search?query=tarjeta", "es").await;
    assert!(!found.contains("Cómo pagar"), "{found}");
    let (_, _, map) = visit(&srv, "/hc/sitemap.xml", "es").await;
    assert!(!map.contains(&format!("/hc/es/articles/{id}")), "{map}");
    assert!(map.contains(&format!("/hc/en-us/articles/{id}")), "{map}");
    let (_, _, html) = visit(&srv, &english, "en").await;
    assert!(
        !html.contains("hreflang=\"es\" href"),
        "no alternate to a draft: {html}"
    );
    let (_, list) = srv
        .call("GET", &format!("{base}.json"), &customer, None)
        .await;
    assert_eq!(
        list["translations"].as_array().map(Vec::len),
        Some(1),
        "{list}"
    );
    let (st, _) = srv
        .call("GET", &format!("{base}/es.json"), &customer, None)
        .await;
    assert_eq!(st, 404);
    let (st, _) = srv
        .call("GET", &format!("{base}/es.json"), &admin, None)
        .await;
    assert_eq!(st, 200);
    // Customers cannot write translations.
    let (st, _) = srv
        .call(
            "PUT",
            &format!("{base}/es.json"),
            &customer,
            Some(json!({"translation": {"draft": false}})),
        )
        .await;
    assert_eq!(st, 403);

    // The source locale's text cannot be deleted; another locale's can.
    let (_, all) = srv.call("GET", &format!("{base}.json"), &admin, None).await;
    let id_of = |locale: &str| {
        all["translations"]
            .as_array()
            .and_then(|ts| ts.iter().find(|t| t["locale"] == locale))
            .map(|t| t["id"].clone())
            .unwrap_or_default()
    };
    let (st, _) = srv
        .call(
            "DELETE",
            &format!("/api/v2/help_center/translations/{}.json", id_of("en-us")),
            &admin,
            None,
        )
        .await;
    assert!((400..500).contains(&st) && st != 404, "{st}");
    let (st, _) = srv
        .call(
            "DELETE",
            &format!("/api/v2/help_center/translations/{}.json", id_of("es")),
            &admin,
            None,
        )
        .await;
    assert_eq!(st, 204);
    let (_, m) = srv
        .call("GET", &format!("{base}/missing.json"), &admin, None)
        .await;
    assert_eq!(m["locales"], json!(["es"]), "{m}");
});
