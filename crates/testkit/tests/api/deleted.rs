//! What was deleted (`deleted_tickets`, `deleted_users`): a deleted
//! ticket is listed with who deleted it, comes back whole (lists, search,
//! tags), or goes for good with its content; a deleted user is listed,
//! counted, restored, or scrubbed for good.

use super::*;

/// The ids a list answer holds under `key`.
fn ids(b: &Json, key: &str) -> Vec<i64> {
    b[key]
        .as_array()
        .map(|a| a.iter().filter_map(|x| x["id"].as_i64()).collect())
        .unwrap_or_default()
}

/// The ids of a search for `word`.
async fn found(srv: &TestServer, word: &str) -> Vec<i64> {
    let (s, b) = srv
        .get(&format!("/api/v2/search.json?query={word}"), &srv.admin())
        .await;
    assert_eq!(s, 200, "{b}");
    ids(&b, "results")
}

both!(deleted_tickets_come_back_whole_or_go_for_good, |srv| {
    let admin = srv.admin();
    let (_, me) = srv.get("/api/v2/users/me.json", &admin).await;
    let me = me["user"]["id"].as_i64().unwrap_or_default();
    let mut made = vec![];
    for word in ["zarzamora", "frambuesa", "arandano"] {
        let t = new_ticket(
            &srv,
            json!({"subject": format!("Pedido {word}"), "tags": ["vip"], "status": "open",
                   "comment": {"body": format!("Mi pedido de {word} no llega")}}),
        )
        .await;
        made.push(t["id"].as_i64().unwrap_or_default());
    }
    let (keep, gone, third) = (made[0], made[1], made[2]);
    assert_eq!(found(&srv, "zarzamora").await, vec![keep]);

    let (s, b) = srv.get("/api/v2/deleted_tickets.json", &admin).await;
    assert_eq!((s, b["count"].as_i64()), (200, Some(0)), "{b}");
    for id in [keep, gone, third] {
        let (s, b) = srv
            .call(
                "DELETE",
                &format!("/api/v2/tickets/{id}.json"),
                &admin,
                None,
            )
            .await;
        assert_eq!(s, 204, "{b}");
    }
    // Deleted: out of reach and out of search, listed with who did it.
    let (s, _) = srv
        .get(&format!("/api/v2/tickets/{keep}.json"), &admin)
        .await;
    assert_eq!(s, 404);
    assert!(found(&srv, "zarzamora").await.is_empty());
    let (s, b) = srv.get("/api/v2/deleted_tickets.json", &admin).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(ids(&b, "deleted_tickets"), vec![keep, gone, third], "{b}");
    let first = &b["deleted_tickets"][0];
    assert_eq!(first["subject"], "Pedido zarzamora", "{b}");
    assert_eq!(first["previous_state"], "open", "{b}");
    assert_eq!(first["actor"]["id"], me, "{b}");
    assert!(first["deleted_at"].as_str().is_some(), "{b}");
    // Both paging styles, one at a time.
    let (_, b) = srv
        .get("/api/v2/deleted_tickets.json?per_page=1&page=2", &admin)
        .await;
    assert_eq!(ids(&b, "deleted_tickets"), vec![gone], "{b}");
    assert_eq!(b["count"], 3, "{b}");
    let (_, b) = srv
        .get("/api/v2/deleted_tickets.json?page[size]=2", &admin)
        .await;
    assert_eq!(ids(&b, "deleted_tickets"), vec![keep, gone], "{b}");
    assert_eq!(b["meta"]["has_more"], true, "{b}");

    // Restored: as it was, found again, listed no more; once only.
    let (s, _) = srv
        .call(
            "PUT",
            &format!("/api/v2/deleted_tickets/{keep}/restore.json"),
            &admin,
            None,
        )
        .await;
    assert_eq!(s, 200);
    let (s, b) = srv
        .get(&format!("/api/v2/tickets/{keep}.json"), &admin)
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["ticket"]["status"], "open", "{b}");
    assert_eq!(b["ticket"]["tags"], json!(["vip"]), "{b}");
    assert_eq!(found(&srv, "zarzamora").await, vec![keep]);
    let (s, _) = srv
        .call(
            "PUT",
            &format!("/api/v2/deleted_tickets/{keep}/restore.json"),
            &admin,
            None,
        )
        .await;
    assert_eq!(s, 404);
    // Many at once: all or none.
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/deleted_tickets/restore_many.json?ids={third},{keep}"),
            &admin,
            None,
        )
        .await;
    assert_eq!(s, 404, "{keep} is not deleted: {b}");
    let (s, b) = srv
        .get(&format!("/api/v2/tickets/{third}.json"), &admin)
        .await;
    assert_eq!(s, 404, "nothing restored: {b}");

    // For good: a job, its content gone, no way back.
    let (s, b) = srv
        .call(
            "DELETE",
            &format!("/api/v2/deleted_tickets/destroy_many.json?ids={gone},{keep}"),
            &admin,
            None,
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let results = &b["job_status"]["results"];
    assert_eq!(b["job_status"]["status"], "completed", "{b}");
    assert_eq!(results[0]["success"], true, "{b}");
    assert_eq!(results[1]["success"], false, "{keep} is not deleted: {b}");
    let (_, b) = srv.get("/api/v2/deleted_tickets.json", &admin).await;
    assert_eq!(ids(&b, "deleted_tickets"), vec![third], "{b}");
    let (s, _) = srv
        .call(
            "PUT",
            &format!("/api/v2/deleted_tickets/{gone}/restore.json"),
            &admin,
            None,
        )
        .await;
    assert_eq!(s, 404);
    let (s, b) = srv
        .get(
            "/api/v2/incremental/ticket_events.json?start_time=0&include=comment_events",
            &admin,
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let events = b["ticket_events"].as_array().cloned().unwrap_or_default();
    assert!(
        events.iter().all(|e| e["ticket_id"] != gone),
        "its audits are gone: {b}"
    );
    assert!(events.iter().any(|e| e["ticket_id"] == keep), "{b}");
    let (s, b) = srv
        .call(
            "DELETE",
            &format!("/api/v2/deleted_tickets/{third}.json"),
            &admin,
            None,
        )
        .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["job_status"]["results"][0]["success"], true, "{b}");
    let (_, b) = srv.get("/api/v2/deleted_tickets.json", &admin).await;
    assert_eq!(b["count"], 0, "{b}");
});

both!(deleted_users_are_listed_restored_or_scrubbed, |srv| {
    let admin = srv.admin();
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/user_fields.json",
            &admin,
            Some(json!({"user_field": {"key": "dni", "type": "text", "title": "DNI"}})),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/users.json",
            &admin,
            Some(json!({"user": {"name": "Marta Ruiz", "email": "marta@example.com", "phone": "+34600111222", "notes": "VIP", "user_fields": {"dni": "12345678Z"}}})),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let id = b["user"]["id"].as_i64().unwrap_or_default();
    let (s, b) = srv
        .call(
            "DELETE",
            &format!("/api/v2/deleted_users/{id}.json"),
            &admin,
            None,
        )
        .await;
    assert_eq!(s, 404, "not deleted yet: {b}");
    let (s, _) = srv
        .call("DELETE", &format!("/api/v2/users/{id}.json"), &admin, None)
        .await;
    assert_eq!(s, 200);
    let (s, b) = srv.get("/api/v2/deleted_users.json", &admin).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(ids(&b, "deleted_users"), vec![id], "{b}");
    assert_eq!(b["deleted_users"][0]["active"], false, "{b}");
    let (_, b) = srv.get("/api/v2/deleted_users/count.json", &admin).await;
    assert_eq!(b["count"]["value"], 1, "{b}");
    let (s, b) = srv
        .get(&format!("/api/v2/deleted_users/{id}.json"), &admin)
        .await;
    assert_eq!((s, &b["deleted_user"]["name"]), (200, &json!("Marta Ruiz")));
    assert_eq!(b["deleted_user"]["user_fields"]["dni"], "12345678Z", "{b}");

    // Restored: active again, no longer listed.
    let restore = format!("/api/v2/deleted_users/{id}/restore.json");
    let (s, b) = srv.call("PUT", &restore, &admin, None).await;
    assert_eq!((s, &b["user"]["active"]), (200, &json!(true)), "{b}");
    let (s, _) = srv.call("PUT", &restore, &admin, None).await;
    assert_eq!(s, 404, "not deleted any more");
    let (_, b) = srv.get("/api/v2/deleted_users/count.json", &admin).await;
    assert_eq!(b["count"]["value"], 0, "{b}");

    // Deleted for good: nothing personal is left, and there is no way back.
    srv.call("DELETE", &format!("/api/v2/users/{id}.json"), &admin, None)
        .await;
    let (s, b) = srv
        .call(
            "DELETE",
            &format!("/api/v2/deleted_users/{id}.json"),
            &admin,
            None,
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let u = &b["deleted_user"];
    assert_eq!(u["name"], "Permanently deleted user", "{b}");
    let (_, b) = srv.get(&format!("/api/v2/users/{id}.json"), &admin).await;
    assert_eq!(
        b["user"]["user_fields"],
        json!({"dni": null}),
        "nothing of them is left: {b}"
    );
    assert_eq!(
        (&u["email"], &u["phone"], &u["notes"]),
        (&Json::Null, &Json::Null, &Json::Null),
        "{b}"
    );
    let (s, _) = srv
        .get(&format!("/api/v2/deleted_users/{id}.json"), &admin)
        .await;
    assert_eq!(s, 404);
    let (s, b) = srv
        .get(&format!("/api/v2/users/{id}/identities.json"), &admin)
        .await;
    assert_eq!((s, b["count"].as_i64()), (200, Some(0)), "{b}");
    let (s, b) = srv
        .get("/api/v2/users/search.json?query=marta@example.com", &admin)
        .await;
    assert_eq!((s, ids(&b, "users")), (200, vec![]), "{b}");
    let (s, b) = srv.call("PUT", &restore, &admin, None).await;
    assert_eq!(s, 404, "{b}");
    // The address is free for someone new.
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/users.json",
            &admin,
            Some(json!({"user": {"name": "Marta", "email": "marta@example.com"}})),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    assert_ne!(b["user"]["id"], id, "{b}");
});
