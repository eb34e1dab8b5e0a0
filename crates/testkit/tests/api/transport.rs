use super::*;

both!(json_suffix_params_and_headers, |srv| {
    let t = new_ticket(&srv, json!({"comment": {"body": "x"}})).await;
    for path in [
        format!("/api/v2/tickets/{}", t["id"]),
        format!("/api/v2/tickets/{}.json", t["id"]),
    ] {
        let r = srv
            .raw(
                "GET",
                &format!("{path}?include=None&page%5Bsize%5D=100&junk=1"),
                &srv.admin(),
                None,
                Some("application/json"),
            )
            .await;
        assert_eq!(r.status().as_u16(), 200, "{path}");
        assert!(
            r.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|c| c.starts_with("application/json"))
        );
        assert!(
            r.headers().get("retry-after").is_none(),
            "never Retry-After outside 429"
        );
        assert!(r.headers().get("x-rate-limit-remaining").is_some());
    }
    // Unknown route: JSON 404; health and OpenAPI need no credentials.
    let (s, b) = srv.get("/api/v2/nothing_here.json", &srv.admin()).await;
    assert_eq!((s, b["error"].as_str()), (404, Some("RecordNotFound")));
    let r = srv.raw("GET", "/healthz", &Auth::None, None, None).await;
    assert_eq!(r.status().as_u16(), 200);
    let (s, doc) = srv.get("/api/v2/openapi.json", &Auth::None).await;
    assert_eq!(s, 200);
    // Every documented path routes to a handler (no fallback 404 page).
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    assert!(paths.len() > 40);
    for (path, ops) in paths {
        let concrete = path
            .replace("{id}", "1")
            .replace("{identity_id}", "1")
            .replace("{token}", "tok")
            .replace("{hid}", "1")
            .replace("{vid}", "v1")
            .replace("{tid}", "1")
            .replace("{iid}", "1");
        for method in ops
            .as_object()
            .map(|o| o.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            let r = srv
                .raw(
                    &method.to_uppercase(),
                    &concrete,
                    &srv.admin(),
                    Some(b"{}".to_vec()),
                    Some("application/json"),
                )
                .await;
            let status = r.status().as_u16();
            let body: Json = r.json().await.unwrap_or(Json::Null);
            assert!(
                status != 405,
                "{method} {path} is documented but not routed"
            );
            assert!(status < 500, "{method} {path} -> {status} {body}");
            assert!(
                body.is_null() || body.is_object(),
                "{method} {path} answers a JSON object"
            );
        }
    }
});

both!(read_your_writes_everywhere, |srv| {
    for i in 0..20 {
        let t = new_ticket(
            &srv,
            json!({"subject": format!("ryw{i}"), "comment": {"body": format!("palabra{i}")}}),
        )
        .await;
        let (_, found) = srv
            .get(
                &format!("/api/v2/search.json?query=palabra{i}"),
                &srv.admin(),
            )
            .await;
        assert_eq!(
            found["results"][0]["id"], t["id"],
            "visible to search at once"
        );
        let (_, list) = srv
            .get("/api/v2/tickets.json?per_page=1&page=1", &srv.admin())
            .await;
        assert_eq!(list["count"].as_i64(), Some(i + 1));
    }
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_answers_429_with_retry_after() {
    let srv = TestServer::start(atiende_testkit::Backend::Sqlite).await;
    let (base, _app, _stop) =
        atiende_testkit::start_node_with(&srv.database_url, web::RateLimit::uniform(3)).await;
    let mut remaining = Vec::new();
    for _ in 0..3 {
        let r = srv
            .raw(
                "GET",
                &format!("{base}/api/v2/users/me.json"),
                &srv.admin(),
                None,
                None,
            )
            .await;
        assert_eq!(r.status().as_u16(), 200);
        assert!(r.headers().get("retry-after").is_none());
        remaining.push(
            r.headers()
                .get("x-rate-limit-remaining")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string(),
        );
    }
    assert_eq!(remaining, vec!["2", "1", "0"]);
    let r = srv
        .raw(
            "GET",
            &format!("{base}/api/v2/users/me.json"),
            &srv.admin(),
            None,
            None,
        )
        .await;
    assert_eq!(r.status().as_u16(), 429);
    let secs: u64 = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    assert!((1..=60).contains(&secs), "integer seconds: {secs}");
    let b: Json = r.json().await.unwrap_or(Json::Null);
    assert!(b["error"].is_string());
}

both!(bulk_user_creation, |srv| {
    let (s, job) = srv
        .call("POST", "/api/v2/users/create_many.json", &srv.admin(), Some(json!({"users": [{"name": "Uno", "email": "uno@example.com"}, {"name": "Dos", "email": "dos@example.com"}, {"name": "", "email": "tres@example.com"}]})))
        .await;
    assert_eq!(s, 200, "{job}");
    let results = job["job_status"]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        results
            .iter()
            .map(|r| r["success"].as_bool().unwrap_or(false))
            .collect::<Vec<_>>(),
        vec![true, true, false]
    );
});
