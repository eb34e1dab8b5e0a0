use super::*;

both!(malformed_requests_get_clear_errors, |srv| {
    let admin = srv.admin();
    let post = |body: Vec<u8>| {
        srv.raw(
            "POST",
            "/api/v2/tickets.json",
            &admin,
            Some(body),
            Some("application/json"),
        )
    };
    let r = post(b"{\"ticket\": {".to_vec()).await;
    assert_eq!(r.status().as_u16(), 400);
    let b: Json = r.json().await.unwrap_or(Json::Null);
    assert_eq!(b["error"], "InvalidValue");
    let r = post(vec![b'{', 0xff, 0xfe, b'}']).await;
    assert_eq!(r.status().as_u16(), 400, "invalid UTF-8");
    let r = post(b"[1,2]".to_vec()).await;
    assert_eq!(r.status().as_u16(), 400);
    // Wrong types are named field by field.
    let (s, b) = srv.call("POST", "/api/v2/tickets.json", &srv.admin(), Some(json!({"ticket": {"comment": {"body": "x"}, "priority": 7, "tags": {"a": 1}, "assignee_id": "abc", "status": "weird"}}))).await;
    assert_eq!(s, 422, "{b}");
    for f in ["priority", "tags", "assignee_id", "status"] {
        assert!(b["details"][f].is_array(), "{f} named: {b}");
    }
    // Unknown ids.
    for path in [
        "/api/v2/tickets/999999.json",
        "/api/v2/users/999999.json",
        "/api/v2/tickets/abc.json",
        "/api/v2/organizations/0.json",
    ] {
        let (s, b) = srv.get(path, &srv.admin()).await;
        assert_eq!(
            (s, b["error"].as_str()),
            (404, Some("RecordNotFound")),
            "{path}"
        );
    }
    let (s, _) = srv
        .call(
            "POST",
            "/api/v2/tickets.json",
            &srv.admin(),
            Some(json!({"ticket": {"comment": {"body": "x"}, "requester_id": 999999}})),
        )
        .await;
    assert_eq!(s, 422);
    // Too large a body.
    let big = vec![b' '; 9 * 1024 * 1024];
    let r = post(big).await;
    assert_eq!(
        r.status().as_u16(),
        422,
        "oversize is an error node and zenpy both see"
    );
    // Nothing was half-written by any of that.
    let (_, list) = srv.get("/api/v2/tickets.json", &srv.admin()).await;
    assert_eq!(list["count"], 0);
});

both!(
    hostile_text_is_stored_verbatim_and_rendered_harmless,
    |srv| {
        let evil =
            "Robert'); DROP TABLE tickets;-- <script>alert(1)</script> ☃ 日本語 العربية 🚀 \u{0}?";
        let t = new_ticket(&srv, json!({"subject": evil, "comment": {"html_body": "<p onclick=\"x()\">hola<script>steal()</script><img src=x onerror=alert(1)></p>"}, "tags": ["ñandú", "🚀"], "requester": {"name": evil, "email": "evil@example.com"}})).await;
        let (_, got) = srv
            .get(&format!("/api/v2/tickets/{}.json", t["id"]), &srv.admin())
            .await;
        let clean = evil.replace('\0', "");
        assert_eq!(
            got["ticket"]["subject"],
            clean.trim(),
            "stored verbatim, less the NUL byte no database keeps"
        );
        let (_, cs) = srv
            .get(
                &format!("/api/v2/tickets/{}/comments.json", t["id"]),
                &srv.admin(),
            )
            .await;
        let html = cs["comments"][0]["html_body"].as_str().unwrap_or("");
        assert!(
            !html.contains("script") && !html.contains("onclick") && !html.contains("onerror"),
            "{html}"
        );
        assert!(html.contains("hola"));
        let (_, u) = srv
            .get(
                &format!("/api/v2/users/{}.json", t["requester_id"]),
                &srv.admin(),
            )
            .await;
        assert_eq!(u["user"]["name"], clean.trim());
        let (_, found) = srv
            .get(
                "/api/v2/search.json?query=type%3Aticket%20%22DROP%20TABLE%22",
                &srv.admin(),
            )
            .await;
        assert_eq!(found["count"], 1);
        let (s, _) = srv
            .get(
                "/api/v2/search.json?query=%27%3B%20DROP%20TABLE%20tickets%3B--%20%22%20OR%201%3D1",
                &srv.admin(),
            )
            .await;
        assert!(
            s == 200 || s == 400,
            "injection in the query is text or a clean error"
        );
        let (_, list) = srv.get("/api/v2/tickets.json", &srv.admin()).await;
        assert_eq!(list["count"], 1, "the table is still there");
    }
);
