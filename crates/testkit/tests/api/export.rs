use super::*;

both!(incremental_cursor_export, |srv| {
    let a = new_ticket(&srv, json!({"comment": {"body": "a"}})).await;
    let b = new_ticket(&srv, json!({"comment": {"body": "b"}})).await;
    // node sends cursor=undefined and page[size] on the first call.
    let (s, p) = srv.get("/api/v2/incremental/tickets/cursor.json?start_time=0&cursor=undefined&page%5Bsize%5D=100", &srv.admin()).await;
    assert_eq!(s, 200, "{p}");
    let got: Vec<i64> = p["tickets"]
        .as_array()
        .map(|a| a.iter().filter_map(|t| t["id"].as_i64()).collect())
        .unwrap_or_default();
    assert_eq!(
        got,
        vec![a["id"].as_i64().unwrap_or(0), b["id"].as_i64().unwrap_or(0)]
    );
    assert_eq!(p["end_of_stream"], true);
    let after = p["after_url"].as_str().unwrap_or("").to_string();
    // Nothing new: still a valid cursor to poll with.
    let (_, p2) = srv.get(&after, &srv.admin()).await;
    assert_eq!(
        (
            p2["tickets"].as_array().map(Vec::len),
            p2["end_of_stream"].as_bool()
        ),
        (Some(0), Some(true))
    );
    // Changes appear immediately, each ticket once at its latest state; deleted ones say so.
    srv.call(
        "PUT",
        &format!("/api/v2/tickets/{}.json", a["id"]),
        &srv.admin(),
        Some(json!({"ticket": {"priority": "high"}})),
    )
    .await;
    srv.call(
        "DELETE",
        &format!("/api/v2/tickets/{}.json", b["id"]),
        &srv.admin(),
        None,
    )
    .await;
    srv.call(
        "PUT",
        &format!("/api/v2/tickets/{}.json", a["id"]),
        &srv.admin(),
        Some(json!({"ticket": {"priority": "urgent"}})),
    )
    .await;
    let (_, p3) = srv
        .get(p2["after_url"].as_str().unwrap_or(""), &srv.admin())
        .await;
    let states: Vec<(i64, String, Json)> = p3["tickets"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|t| {
                    (
                        t["id"].as_i64().unwrap_or(0),
                        t["status"].as_str().unwrap_or("").to_string(),
                        t["priority"].clone(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        states,
        vec![
            (b["id"].as_i64().unwrap_or(0), "deleted".into(), Json::Null),
            (a["id"].as_i64().unwrap_or(0), "new".into(), json!("urgent"))
        ]
    );
    // Small pages end only at the end.
    let (_, small) = srv
        .get(
            "/api/v2/incremental/tickets/cursor.json?start_time=0&per_page=1",
            &srv.admin(),
        )
        .await;
    assert_eq!(
        (
            small["tickets"].as_array().map(Vec::len),
            small["end_of_stream"].as_bool()
        ),
        (Some(1), Some(false))
    );
    // A start time in the future yields nothing; time-based export answers too.
    let (_, none) = srv
        .get(
            "/api/v2/incremental/tickets/cursor.json?start_time=4102444800",
            &srv.admin(),
        )
        .await;
    assert_eq!(none["tickets"].as_array().map(Vec::len), Some(0));
    let (_, tb) = srv
        .get(
            "/api/v2/incremental/tickets.json?start_time=0",
            &srv.admin(),
        )
        .await;
    assert_eq!(
        (tb["count"].as_i64(), tb["end_of_stream"].as_bool()),
        (Some(2), Some(true))
    );
    let (_, users) = srv
        .get(
            "/api/v2/incremental/users/cursor.json?start_time=0",
            &srv.admin(),
        )
        .await;
    assert!(users["users"].as_array().is_some_and(|u| !u.is_empty()));
    let (s, _) = srv
        .get(
            "/api/v2/incremental/tickets/cursor.json?cursor=garbage!",
            &srv.admin(),
        )
        .await;
    assert_eq!(s, 400);
});
