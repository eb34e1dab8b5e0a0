//! User segments: an article for a segment is read by that segment's
//! members and by staff — through the API and on the site — and by nobody
//! else: not a visitor, not another customer, not in search, the sitemap
//! or a section's count. Internal articles (the built-in staff segment)
//! are the agents' library, shown to a signed-in agent on the site.

use super::help_center_site::{article, category, section, visit};
use super::workspace::Browser;
use super::*;

fn titles(b: &Json) -> Vec<String> {
    let mut t: Vec<String> = b["articles"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| x["title"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default();
    t.sort();
    t
}

both!(segments_decide_who_reads_an_article, |srv| {
    let admin = srv.admin();
    let (_, org) = srv
        .call(
            "POST",
            "/api/v2/organizations.json",
            &admin,
            Some(json!({"organization": {"name": "Acme"}})),
        )
        .await;
    let acme = org["organization"]["id"].as_i64().unwrap_or_default();
    let (_, member) = srv
        .user_with_token("Socia", "socia@acme.test", "end-user")
        .await;
    let (_, outsider) = srv
        .user_with_token("Ajena", "ajena@example.com", "end-user")
        .await;
    let (st, u) = srv
        .call("GET", "/api/v2/users/me.json", &member, None)
        .await;
    assert_eq!(st, 200);
    let (st, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/users/{}.json", u["user"]["id"]),
            &admin,
            Some(json!({"user": {"organization_id": acme}})),
        )
        .await;
    assert_eq!(st, 200, "{b}");

    let (st, seg) = srv
        .call("POST", "/api/v2/help_center/user_segments.json", &admin,
              Some(json!({"user_segment": {"name": "Clientes de Acme", "user_type": "signed_in_users", "organization_ids": [acme]}})))
        .await;
    assert_eq!(st, 201, "{seg}");
    let seg_id = seg["user_segment"]["id"].as_i64().unwrap_or_default();
    assert_eq!(seg["user_segment"]["organization_ids"], json!([acme]));
    let staff = staff_segment(&srv).await;

    let k = category(&srv, "es", json!({"name": "Cuenta"})).await;
    let s = section(&srv, &k, json!({"name": "Tarifas"})).await;
    let public = article(
        &srv,
        &s,
        json!({"title": "Tarifas generales", "body": "<p>Las tarifas de siempre.</p>"}),
    )
    .await;
    let for_acme = article(&srv, &s, json!({"title": "Tarifas pactadas con Acme", "body": "<p>Tarifas del contrato marco.</p>", "user_segment_id": seg_id})).await;
    let internal = article(&srv, &s, json!({"title": "Guion de tarifas para agentes", "body": "<p>Tarifas: cómo negociar.</p>", "user_segment_id": staff})).await;
    let sec_path = format!("/api/v2/help_center/sections/{}/articles.json", s["id"]);

    // The API: each reader the articles meant for them.
    let (_, b) = srv.call("GET", &sec_path, &member, None).await;
    assert_eq!(
        titles(&b),
        ["Tarifas generales", "Tarifas pactadas con Acme"],
        "{b}"
    );
    let (_, b) = srv.call("GET", &sec_path, &outsider, None).await;
    assert_eq!(titles(&b), ["Tarifas generales"], "{b}");
    let (_, b) = srv.call("GET", &sec_path, &admin, None).await;
    assert_eq!(titles(&b).len(), 3, "{b}");
    for (who, id, status) in [
        (&member, &for_acme, 200),
        (&outsider, &for_acme, 404),
        (&member, &internal, 404),
        (&outsider, &public, 200),
    ] {
        let (st, _) = srv
            .call(
                "GET",
                &format!("/api/v2/help_center/articles/{}.json", id["id"]),
                who,
                None,
            )
            .await;
        assert_eq!(st, status, "article {}", id["title"]);
    }
    let search = "/api/v2/help_center/articles/search.json?query=tarifas&locale=es";
    let (_, b) = srv.call("GET", search, &member, None).await;
    assert_eq!(b["count"], 2, "{b}");
    // Without credentials, as Zendesk's Help Center API serves knowledge
    // readers: what is for everyone, and only that, the locale in the path.
    let nobody = Auth::None;
    let (st, b) = srv.call("GET", &sec_path, &nobody, None).await;
    assert_eq!(st, 200, "{b}");
    assert_eq!(titles(&b), ["Tarifas generales"], "{b}");
    let (st, b) = srv
        .call("GET", "/api/v2/help_center/es/articles.json", &nobody, None)
        .await;
    assert_eq!(st, 200, "{b}");
    assert_eq!(titles(&b), ["Tarifas generales"], "{b}");
    let (_, b) = srv.call("GET", search, &nobody, None).await;
    assert_eq!(b["count"], 1, "{b}");
    for (id, status) in [(&public, 200), (&for_acme, 404), (&internal, 404)] {
        let (st, _) = srv
            .call(
                "GET",
                &format!("/api/v2/help_center/articles/{}.json", id["id"]),
                &nobody,
                None,
            )
            .await;
        assert_eq!(st, status, "article {} without credentials", id["title"]);
    }
    let (st, _) = srv
        .call(
            "GET",
            &format!("/api/v2/help_center/articles/{}/votes.json", public["id"]),
            &nobody,
            None,
        )
        .await;
    assert_eq!(st, 401, "votes are not public");
    let (_, b) = srv.call("GET", search, &outsider, None).await;
    assert_eq!(b["count"], 1, "{b}");
    let (_, b) = srv
        .call(
            "GET",
            "/api/v2/help_center/user_segments/applicable.json",
            &member,
            None,
        )
        .await;
    let names: Vec<&str> = b["user_segments"]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["name"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        names.contains(&"Clientes de Acme") && names.contains(&"Signed-in users"),
        "{b}"
    );
    assert!(!names.contains(&"Agents and admins"), "{b}");
    let (st, _) = srv
        .call(
            "GET",
            "/api/v2/help_center/user_segments.json",
            &member,
            None,
        )
        .await;
    assert_eq!(st, 403);

    // Bad input: a segment that does not exist, the built-in ones, one in use.
    let (st, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/help_center/articles/{}.json", public["id"]),
            &admin,
            Some(json!({"article": {"user_segment_id": 999_999}})),
        )
        .await;
    assert!((400..500).contains(&st) && st != 404, "{st} {b}");
    let (st, _) = srv
        .call(
            "PUT",
            &format!("/api/v2/help_center/user_segments/{staff}.json"),
            &admin,
            Some(json!({"user_segment": {"user_type": "signed_in_users"}})),
        )
        .await;
    assert!(
        (400..500).contains(&st) && st != 404,
        "a built-in segment changed: {st}"
    );
    let (st, _) = srv
        .call(
            "DELETE",
            &format!("/api/v2/help_center/user_segments/{seg_id}.json"),
            &admin,
            None,
        )
        .await;
    assert!(
        (400..500).contains(&st) && st != 404,
        "a segment in use deleted: {st}"
    );
    let (st, b) = srv
        .call(
            "POST",
            "/api/v2/help_center/user_segments.json",
            &admin,
            Some(json!({"user_segment": {"name": "X", "user_type": "everyone"}})),
        )
        .await;
    assert!((400..500).contains(&st), "{st} {b}");

    // The site: a visitor and a customer see the public article; a signed-in
    // agent sees the internal one too, marked, on a page no cache keeps.
    for (path, shows) in [
        (format!("/hc/es/sections/{}", s["id"]), "Tarifas generales"),
        (
            "/hc/es/search?query=tarifas".to_string(),
            "Tarifas generales",
        ),
        ("/hc/es".to_string(), "Cuenta"),
    ] {
        let (st, _, html) = visit(&srv, &path, "es").await;
        assert_eq!(st, 200, "{path}");
        assert!(html.contains(shows), "{path}: {html}");
        assert!(
            !html.contains("Acme") && !html.contains("Guion"),
            "{path}: {html}"
        );
    }
    let (st, _, _) = visit(&srv, &format!("/hc/es/articles/{}", internal["id"]), "es").await;
    assert_eq!(st, 404);
    let (_, _, map) = visit(&srv, "/hc/sitemap.xml", "es").await;
    assert!(
        !map.contains(&format!("/articles/{}", internal["id"])),
        "{map}"
    );
    assert!(
        !map.contains(&format!("/articles/{}", for_acme["id"])),
        "{map}"
    );

    let mut agent = Browser::new(&srv.base);
    agent.sign_in("admin@example.com", "admin-password-1").await;
    let page = agent.get(&format!("/hc/es/sections/{}", s["id"])).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Guion de tarifas para agentes")
            && page.body.contains("Tarifas pactadas con Acme"),
        "{}",
        page.body
    );
    let page = agent
        .get(&format!("/hc/es/articles/{}", internal["id"]))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Artículo interno"), "{}", page.body);
    assert!(page.body.contains("Sesión iniciada como"), "{}", page.body);
    let page = agent.get("/hc/es/search?query=negociar").await;
    assert!(page.body.contains("Guion de tarifas"), "{}", page.body);
    let r = reqwest::Client::new()
        .get(format!("{}/hc/es/articles/{}", srv.base, internal["id"]))
        .header("cookie", agent.cookie_header())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        r.headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("private, no-store")
    );

    // An unused segment goes.
    let (st, _) = srv
        .call(
            "PUT",
            &format!("/api/v2/help_center/articles/{}.json", for_acme["id"]),
            &admin,
            Some(json!({"article": {"user_segment_id": null}})),
        )
        .await;
    assert_eq!(st, 200);
    let (st, _) = srv
        .call(
            "DELETE",
            &format!("/api/v2/help_center/user_segments/{seg_id}.json"),
            &admin,
            None,
        )
        .await;
    assert_eq!(st, 204);
});
