use super::*;

async fn make(srv: &TestServer, path: &str, key: &str, body: Json) -> Json {
    let (s, b) = srv
        .call("POST", path, &srv.admin(), Some(json!({key: body})))
        .await;
    assert_eq!(s, 201, "{path}: {b}");
    b[key].clone()
}

async fn search(srv: &TestServer, q: &str, locale: &str) -> (Vec<i64>, Json) {
    let mut url = reqwest::Url::parse(&format!(
        "{}/api/v2/help_center/articles/search.json",
        srv.base
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    url.query_pairs_mut()
        .append_pair("query", q)
        .append_pair("locale", locale);
    let (s, b) = srv.get(url.as_str(), &srv.admin()).await;
    assert_eq!(s, 200, "{b}");
    let ids = b["results"]
        .as_array()
        .map(|a| a.iter().filter_map(|r| r["id"].as_i64()).collect())
        .unwrap_or_default();
    (ids, b)
}

both!(categories_sections_articles_and_search, |srv| {
    let cat = make(
        &srv,
        "/api/v2/help_center/categories.json",
        "category",
        json!({"name": "Cuenta", "description": "Acceso y datos", "locale": "es", "position": 1}),
    )
    .await;
    assert_eq!(
        (cat["locale"].as_str(), cat["source_locale"].as_str()),
        (Some("es"), Some("es"))
    );
    let sec = make(
        &srv,
        &format!("/api/v2/help_center/categories/{}/sections.json", cat["id"]),
        "section",
        json!({"name": "Contraseñas", "category_id": cat["id"]}),
    )
    .await;
    assert_eq!(
        (sec["category_id"].clone(), sec["locale"].as_str()),
        (cat["id"].clone(), Some("es")),
        "a section inherits its category's locale"
    );
    let spath = format!("/api/v2/help_center/sections/{}/articles.json", sec["id"]);
    let a1 = make(&srv, &spath, "article", json!({"title": "Cómo cambiar la contraseña", "body": "<p>Abra <b>Ajustes</b> y pulse Cambiar contraseña.</p><script>alert(1)</script>", "label_names": ["acceso"]})).await;
    assert!(
        !a1["body"].as_str().unwrap_or("").contains("script"),
        "bodies are sanitised"
    );
    assert_eq!(
        (
            a1["draft"].as_bool(),
            a1["permission_group_id"].as_i64(),
            a1["locale"].as_str()
        ),
        (Some(false), Some(1), Some("es"))
    );
    let a2 = make(&srv, &spath, "article", json!({"title": "Verificación en dos pasos", "body": "<p>Active la verificación para proteger su cuenta. Los códigos llegan por SMS.</p>"})).await;
    let draft = make(&srv, &spath, "article", json!({"title": "Borrador de contraseñas nuevas", "body": "<p>contraseñas</p>", "draft": true})).await;
    let en_cat = make(
        &srv,
        "/api/v2/help_center/en-us/categories.json",
        "category",
        json!({"name": "Account"}),
    )
    .await;
    assert_eq!(en_cat["locale"], "en-us", "locale from the path");
    let en_sec = make(
        &srv,
        &format!(
            "/api/v2/help_center/categories/{}/sections.json",
            en_cat["id"]
        ),
        "section",
        json!({"name": "Passwords"}),
    )
    .await;
    let en = make(&srv, &format!("/api/v2/help_center/sections/{}/articles.json", en_sec["id"]), "article", json!({"title": "Resetting your password", "body": "<p>Use the reset link we email you. Passwords must have 12 characters.</p>"})).await;

    // Stemming and accent folding in both languages, scoped to the locale.
    let (ids, body) = search(&srv, "contrasenas", "es").await;
    assert_eq!(ids.len(), 2, "the article and the draft, for staff: {body}");
    assert!(ids.contains(&a1["id"].as_i64().unwrap_or(0)), "{body}");
    assert_eq!(body["results"][0]["result_type"], "article");
    assert!(
        body["results"][0]["snippet"]
            .as_str()
            .is_some_and(|s| s.contains("<em>")),
        "{body}"
    );
    let (ids, _) = search(&srv, "códigos", "es").await;
    assert_eq!(
        ids,
        vec![a2["id"].as_i64().unwrap_or(0)],
        "a word in only one article finds exactly it"
    );
    let (ids, _) = search(&srv, "password reset", "en-us").await;
    assert_eq!(ids, vec![en["id"].as_i64().unwrap_or(0)]);
    let (ids, _) = search(&srv, "passwords", "es").await;
    assert!(ids.is_empty(), "locale scoping");
    let (ids, b) = search(&srv, "password", "*").await;
    assert_eq!(ids.len(), 1, "all locales: {b}");
    // Drafts: staff see them in search; end-users do not, anywhere.
    let (ids, _) = search(&srv, "borrador", "es").await;
    assert_eq!(ids, vec![draft["id"].as_i64().unwrap_or(0)]);
    let (_, reader) = srv
        .user_with_token("Lectora", "lectora@example.com", "end-user")
        .await;
    let (s, _) = srv
        .get(
            &format!("/api/v2/help_center/articles/{}.json", draft["id"]),
            &reader,
        )
        .await;
    assert_eq!(s, 404);
    let (s, found) = srv
        .get(
            "/api/v2/help_center/articles/search.json?query=borrador&locale=es",
            &reader,
        )
        .await;
    assert_eq!((s, found["count"].as_i64()), (200, Some(0)));
    let (s, _) = srv
        .call(
            "POST",
            &spath,
            &reader,
            Some(json!({"article": {"title": "x", "body": "y"}})),
        )
        .await;
    assert_eq!(s, 403, "end-users cannot write articles");

    // Section lists: zenpy's cursor form and node's offset form.
    let (_, list) = srv
        .get(
            &format!(
                "/api/v2/help_center/sections/{}/articles.json?locale=es&page%5Bsize%5D=100",
                sec["id"]
            ),
            &srv.admin(),
        )
        .await;
    assert_eq!(list["articles"].as_array().map(Vec::len), Some(3));
    let (_, list) = srv
        .get(
            &format!(
                "/api/v2/help_center/es/sections/{}/articles.json",
                sec["id"]
            ),
            &reader,
        )
        .await;
    assert_eq!(list["count"], 2, "no drafts for readers: {list}");

    // Update re-indexes; archive removes from lists and search.
    let apath = format!("/api/v2/help_center/articles/{}.json", a2["id"]);
    let (s, b) = srv.call("PUT", &apath, &srv.admin(), Some(json!({"article": {"title": "Verificación con llave de seguridad", "body": "<p>Use una llave física.</p>"}}))).await;
    assert_eq!(s, 200, "{b}");
    assert!(search(&srv, "códigos", "es").await.0.is_empty());
    assert_eq!(
        search(&srv, "llave", "es").await.0,
        vec![a2["id"].as_i64().unwrap_or(0)]
    );
    let (s, _) = srv.call("DELETE", &apath, &srv.admin(), None).await;
    assert_eq!(s, 204);
    assert!(search(&srv, "llave", "es").await.0.is_empty());
    let (s, _) = srv.get(&apath, &srv.admin()).await;
    assert_eq!(s, 404);
    let (_, inc) = srv
        .get(
            "/api/v2/help_center/incremental/articles.json?start_time=0",
            &srv.admin(),
        )
        .await;
    assert_eq!(inc["articles"].as_array().map(Vec::len), Some(4), "{inc}");
    let (_, loc) = srv.get("/api/v2/help_center/locales.json", &reader).await;
    assert_eq!(loc["default_locale"], "en-us");
});

both!(article_labels_have_ids_and_filter_lists, |srv| {
    let cat = make(
        &srv,
        "/api/v2/help_center/categories.json",
        "category",
        json!({"name": "Envíos", "locale": "es"}),
    )
    .await;
    let sec = make(
        &srv,
        &format!("/api/v2/help_center/categories/{}/sections.json", cat["id"]),
        "section",
        json!({"name": "Plazos"}),
    )
    .await;
    let spath = format!("/api/v2/help_center/sections/{}/articles.json", sec["id"]);
    let a1 = make(&srv, &spath, "article", json!({"title": "Plazos de entrega", "body": "<p>Tres días.</p>", "label_names": ["envios", " urgente ", "envios", "a,b"]})).await;
    let a2 = make(&srv, &spath, "article", json!({"title": "Envío internacional", "body": "<p>Diez días.</p>", "label_names": ["envios"]})).await;
    assert_eq!(
        a1["label_names"],
        json!(["envios", "urgente"]),
        "cleaned: {a1}"
    );
    let admin = srv.admin();
    let (s, b) = srv
        .get("/api/v2/help_center/articles/labels.json", &admin)
        .await;
    assert_eq!(s, 200, "{b}");
    let names: Vec<&str> = b["labels"]
        .as_array()
        .map(|l| l.iter().filter_map(|x| x["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, vec!["envios", "urgente"], "each name once: {b}");
    let urgent = b["labels"][1]["id"].as_i64().unwrap_or_default();
    let (s, b) = srv
        .get(
            &format!("/api/v2/help_center/articles/labels/{urgent}.json"),
            &admin,
        )
        .await;
    assert_eq!((s, &b["label"]["name"]), (200, &json!("urgente")), "{b}");
    // Without credentials: an article's labels, never the whole list.
    let (s, b) = srv
        .get(
            &format!("/api/v2/help_center/articles/{}/labels.json", a1["id"]),
            &Auth::None,
        )
        .await;
    assert_eq!((s, b["count"].as_i64()), (200, Some(2)), "{b}");
    let (s, _) = srv
        .get("/api/v2/help_center/articles/labels.json", &Auth::None)
        .await;
    assert_eq!(s, 401);

    // Added and taken off through the article; lists filter by them.
    let (s, b) = srv
        .call(
            "POST",
            &format!("/api/v2/help_center/articles/{}/labels.json", a2["id"]),
            &admin,
            Some(json!({"label": {"name": "internacional"}})),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let intl = b["label"]["id"].as_i64().unwrap_or_default();
    let listed = |q: &'static str| {
        let srv = &srv;
        async move {
            let (s, b) = srv
                .get(
                    &format!("/api/v2/help_center/articles.json?{q}"),
                    &Auth::None,
                )
                .await;
            assert_eq!(s, 200, "{b}");
            b["articles"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x["id"].as_i64())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        }
    };
    let (id1, id2) = (a1["id"].as_i64(), a2["id"].as_i64());
    assert_eq!(
        listed("label_names=envios").await,
        vec![id1.unwrap_or(0), id2.unwrap_or(0)]
    );
    assert_eq!(
        listed("label_names=envios,internacional").await,
        vec![id2.unwrap_or(0)]
    );
    let (s, _) = srv
        .call(
            "DELETE",
            &format!(
                "/api/v2/help_center/articles/{}/labels/{intl}.json",
                a2["id"]
            ),
            &admin,
            None,
        )
        .await;
    assert_eq!(s, 204);
    assert!(listed("label_names=internacional").await.is_empty());
    let (s, _) = srv
        .call(
            "DELETE",
            &format!(
                "/api/v2/help_center/articles/{}/labels/{intl}.json",
                a2["id"]
            ),
            &admin,
            None,
        )
        .await;
    assert_eq!(s, 404, "it has it no more");
});
