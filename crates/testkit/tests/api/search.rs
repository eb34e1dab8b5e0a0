use super::*;

async fn ids(srv: &TestServer, q: &str) -> Vec<i64> {
    let mut url = reqwest::Url::parse(&format!("{}/api/v2/search.json", srv.base))
        .unwrap_or_else(|e| panic!("{e}"));
    url.query_pairs_mut()
        .append_pair("query", q)
        .append_pair("sort_by", "created_at")
        .append_pair("sort_order", "asc");
    let (s, b) = srv.get(url.as_str(), &srv.admin()).await;
    assert_eq!(s, 200, "{q}: {b}");
    b["results"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|r| r["result_type"] == "ticket")
                .filter_map(|r| r["id"].as_i64())
                .collect()
        })
        .unwrap_or_default()
}

both!(query_language, |srv| {
    let (agent, agent_auth) = srv
        .user_with_token("Marta", "marta@example.com", "agent")
        .await;
    let a = new_ticket(&srv, json!({"subject": "No llega el paquete", "comment": {"body": "Mis pedidos no llegan y quiero un reembolso"}, "tags": ["vip", "envio"], "priority": "urgent", "requester": {"email": "ana@example.com", "name": "Ana"}})).await["id"].as_i64().unwrap_or_default();
    let b = new_ticket(&srv, json!({"subject": "Refund request", "comment": {"body": "I was charged twice, please refund the duplicate charges"}, "tags": ["billing"], "priority": "low"})).await["id"].as_i64().unwrap_or_default();
    let c = new_ticket(&srv, json!({"subject": "Canción de la aplicación", "comment": {"body": "La canción no suena en el móvil"}, "tags": ["app"]})).await["id"].as_i64().unwrap_or_default();
    srv.call(
        "PUT",
        &format!("/api/v2/tickets/{b}.json"),
        &agent_auth,
        Some(json!({"ticket": {"status": "solved", "assignee_id": agent}})),
    )
    .await;
    assert_eq!(ids(&srv, "reembolsos").await, vec![a], "Spanish stemming");
    assert_eq!(ids(&srv, "refunding").await, vec![b], "English stemming");
    assert_eq!(
        ids(&srv, "cancion movil").await,
        vec![c],
        "accent folding, words ANDed"
    );
    assert_eq!(ids(&srv, "CANCIÓN").await, vec![c], "case and accents");
    assert_eq!(ids(&srv, "\"no llegan\"").await, vec![a], "phrase");
    assert_eq!(
        ids(&srv, "\"llegan no\"").await,
        Vec::<i64>::new(),
        "phrase order matters"
    );
    assert_eq!(ids(&srv, "status<solved").await, vec![a, c]);
    assert_eq!(ids(&srv, "status>=solved").await, vec![b]);
    assert_eq!(ids(&srv, "tags:vip").await, vec![a]);
    assert_eq!(
        ids(&srv, "tags:vip tags:billing").await,
        vec![a, b],
        "same keyword repeated is OR"
    );
    assert_eq!(
        ids(&srv, "-tags:vip type:ticket").await,
        vec![b, c],
        "negation"
    );
    assert_eq!(ids(&srv, "priority>normal").await, vec![a]);
    assert_eq!(ids(&srv, "requester:ana@example.com").await, vec![a]);
    assert_eq!(ids(&srv, &format!("assignee:{agent}")).await, vec![b]);
    assert_eq!(ids(&srv, "assignee:none type:ticket").await, vec![a, c]);
    assert_eq!(ids(&srv, "reembolso -tags:vip").await, Vec::<i64>::new());
    assert_eq!(ids(&srv, "refund*").await, vec![b], "prefix");
    assert_eq!(
        ids(&srv, "created>2000-01-01 created<2100-01-01 type:ticket").await,
        vec![a, b, c]
    );
    assert_eq!(ids(&srv, "created<2000-01-01").await, Vec::<i64>::new());
    assert_eq!(ids(&srv, "solved>2000-01-01").await, vec![b]);
    // Results carry result_type; users are found too; a bad query is a 400.
    let (_, r) = srv
        .get(
            "/api/v2/search.json?query=type%3Auser%20marta",
            &srv.admin(),
        )
        .await;
    assert_eq!(
        (r["count"].as_i64(), r["results"][0]["result_type"].as_str()),
        (Some(1), Some("user")),
        "{r}"
    );
    let (s, r) = srv
        .get("/api/v2/search.json?query=status%3Aweird", &srv.admin())
        .await;
    assert_eq!((s, r["error"].as_str()), (400, Some("InvalidValue")));
    let (_, n) = srv
        .get(
            "/api/v2/search/count.json?query=type%3Aticket",
            &srv.admin(),
        )
        .await;
    assert_eq!(n["count"], 3);
    // Offset paging of results.
    let (_, p) = srv
        .get(
            "/api/v2/search.json?query=type%3Aticket&per_page=2",
            &srv.admin(),
        )
        .await;
    assert_eq!(
        (
            p["results"].as_array().map(Vec::len),
            p["next_page"].as_str().is_some()
        ),
        (Some(2), true)
    );
});

both!(reindex_rebuilds_the_same_results, |srv| {
    new_ticket(
        &srv,
        json!({"subject": "Factura duplicada", "comment": {"body": "me cobraron dos veces"}}),
    )
    .await;
    assert_eq!(ids(&srv, "cobraron").await.len(), 1);
    let n = srv.app.reindex().await.unwrap_or(-1);
    assert_eq!(n, 1);
    assert_eq!(ids(&srv, "cobraron").await.len(), 1);
    assert_eq!(ids(&srv, "factura").await.len(), 1);
});
