//! Custom fields on users and organizations (`user_fields`,
//! `organization_fields`): admins define them; values are checked against
//! their field, typed on the way out, and read wherever the record is —
//! one user, lists, the incremental exports.

use super::*;

async fn post(srv: &TestServer, path: &str, body: Json) -> (u16, Json) {
    srv.call("POST", path, &srv.admin(), Some(body)).await
}

both!(user_and_organization_fields_hold_typed_values, |srv| {
    let admin = srv.admin();
    let mut ids = vec![];
    for field in [
        json!({"key": "plan", "type": "dropdown", "title": "Plan", "custom_field_options": [{"name": "Básico", "value": "basic"}, {"name": "Premium", "value": "premium"}]}),
        json!({"key": "vip", "type": "checkbox", "title": "VIP", "tag": "vip"}),
        json!({"key": "seats", "type": "integer", "title": "Puestos"}),
        json!({"key": "renews", "type": "date", "title": "Renueva"}),
    ] {
        let (s, b) = post(
            &srv,
            "/api/v2/user_fields.json",
            json!({"user_field": field}),
        )
        .await;
        assert_eq!(s, 201, "{b}");
        ids.push(b["user_field"]["id"].as_i64().unwrap_or_default());
    }
    // Keys are unique and plain; a type is needed.
    for (field, why) in [
        (
            json!({"key": "plan", "type": "text", "title": "Otro"}),
            "taken",
        ),
        (
            json!({"key": "mal clave", "type": "text", "title": "Otro"}),
            "space",
        ),
        (json!({"key": "otro", "title": "Otro"}), "no type"),
        (
            json!({"key": "menu", "type": "dropdown", "title": "Menú"}),
            "no options",
        ),
    ] {
        let (s, b) = post(
            &srv,
            "/api/v2/user_fields.json",
            json!({"user_field": field}),
        )
        .await;
        assert_eq!(s, 422, "{why}: {b}");
    }
    let (s, b) = srv.get("/api/v2/user_fields.json", &admin).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["count"], 4, "{b}");
    assert_eq!(b["user_fields"][0]["type"], "dropdown", "{b}");
    assert_eq!(
        b["user_fields"][0]["custom_field_options"][1]["value"], "premium",
        "{b}"
    );

    // Values in, typed out.
    let (s, b) = post(
        &srv,
        "/api/v2/users.json",
        json!({"user": {"name": "Lucía", "email": "lucia@example.com",
               "user_fields": {"plan": "premium", "vip": true, "seats": "12", "renews": "2027-01-31"}}}),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    let lucia = b["user"]["id"].as_i64().unwrap_or_default();
    let want = json!({"plan": "premium", "vip": true, "seats": 12, "renews": "2027-01-31"});
    assert_eq!(b["user"]["user_fields"], want, "{b}");
    for (fields, why) in [
        (json!({"plan": "gold"}), "not an option"),
        (json!({"seats": "doce"}), "not a number"),
        (json!({"nope": "x"}), "no such key"),
    ] {
        let (s, b) = srv
            .call(
                "PUT",
                &format!("/api/v2/users/{lucia}.json"),
                &admin,
                Some(json!({"user": {"user_fields": fields}})),
            )
            .await;
        assert_eq!(s, 422, "{why}: {b}");
    }
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/users/{lucia}.json"),
            &admin,
            Some(json!({"user": {"user_fields": {"seats": null, "plan": "basic"}}})),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    // A cleared field is listed as null, as Zendesk lists every key.
    let want = json!({"plan": "basic", "vip": true, "renews": "2027-01-31", "seats": null});
    assert_eq!(b["user"]["user_fields"], want, "{b}");
    // Read back wherever the user is read.
    let (_, b) = srv
        .get(&format!("/api/v2/users/{lucia}.json"), &admin)
        .await;
    assert_eq!(b["user"]["user_fields"], want, "{b}");
    let (_, b) = srv
        .get(&format!("/api/v2/users/show_many.json?ids={lucia}"), &admin)
        .await;
    assert_eq!(b["users"][0]["user_fields"], want, "{b}");
    let (_, b) = srv
        .get("/api/v2/incremental/users.json?start_time=0", &admin)
        .await;
    let exported = b["users"]
        .as_array()
        .and_then(|u| u.iter().find(|x| x["id"] == lucia).cloned())
        .unwrap_or_default();
    assert_eq!(exported["user_fields"], want, "{b}");
    // The customer themself may not set them.
    let (_, own) = srv
        .user_with_token("Pablo", "pablo@example.com", "end-user")
        .await;
    let (_, me) = srv.get("/api/v2/users/me.json", &own).await;
    let me = me["user"]["id"].as_i64().unwrap_or_default();
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/users/{me}.json"),
            &own,
            Some(json!({"user": {"user_fields": {"vip": true}}})),
        )
        .await;
    assert_eq!(s, 403, "{b}");

    // A field's key and type stay; the rest changes; order and deletion.
    let plan = format!("/api/v2/user_fields/{}.json", ids[0]);
    let (s, b) = srv
        .call(
            "PUT",
            &plan,
            &admin,
            Some(json!({"user_field": {"type": "text"}})),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    let (s, b) = srv
        .call(
            "PUT",
            &plan,
            &admin,
            Some(json!({"user_field": {"title": "Plan contratado"}})),
        )
        .await;
    assert_eq!(
        (s, &b["user_field"]["title"]),
        (200, &json!("Plan contratado"))
    );
    let reversed: Vec<i64> = ids.iter().rev().copied().collect();
    let (s, b) = srv
        .call(
            "PUT",
            "/api/v2/user_fields/reorder.json",
            &admin,
            Some(json!({"user_field_ids": reversed})),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let (_, b) = srv.get("/api/v2/user_fields.json", &admin).await;
    assert_eq!(b["user_fields"][0]["key"], "renews", "{b}");
    let (s, b) = srv
        .call(
            "PUT",
            "/api/v2/user_fields/reorder.json",
            &admin,
            Some(json!({"user_field_ids": [ids[0]]})),
        )
        .await;
    assert_eq!(s, 422, "every field once: {b}");
    let (s, _) = srv.call("DELETE", &plan, &admin, None).await;
    assert_eq!(s, 204);
    let (_, b) = srv
        .get(&format!("/api/v2/users/{lucia}.json"), &admin)
        .await;
    assert_eq!(
        b["user"]["user_fields"],
        json!({"vip": true, "renews": "2027-01-31", "seats": null}),
        "{b}"
    );

    // Organizations alike.
    let (s, b) = post(
        &srv,
        "/api/v2/organization_fields.json",
        json!({"organization_field": {"key": "sector", "type": "text", "title": "Sector"}}),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    assert!(
        b["organization_field"]["url"]
            .as_str()
            .is_some_and(|u| u.contains("/organization_fields/")),
        "{b}"
    );
    let (s, b) = post(
        &srv,
        "/api/v2/organizations.json",
        json!({"organization": {"name": "Ferretería Sol", "organization_fields": {"sector": "retail"}}}),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    let org = b["organization"]["id"].as_i64().unwrap_or_default();
    assert_eq!(
        b["organization"]["organization_fields"],
        json!({"sector": "retail"})
    );
    let (_, b) = srv
        .get(&format!("/api/v2/organizations/{org}.json"), &admin)
        .await;
    assert_eq!(
        b["organization"]["organization_fields"],
        json!({"sector": "retail"})
    );
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/organizations/{org}.json"),
            &admin,
            Some(json!({"organization": {"organization_fields": {"plan": "x"}}})),
        )
        .await;
    assert_eq!(s, 422, "a user field is not an organization's: {b}");
    let (_, b) = srv
        .get(
            "/api/v2/incremental/organizations.json?start_time=0",
            &admin,
        )
        .await;
    let exported = b["organizations"]
        .as_array()
        .and_then(|o| o.iter().find(|x| x["id"] == org).cloned())
        .unwrap_or_default();
    assert_eq!(
        exported["organization_fields"],
        json!({"sector": "retail"}),
        "{b}"
    );
});

both!(dropdown_options_one_at_a_time, |srv| {
    let admin = srv.admin();
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/organization_fields.json",
            &admin,
            Some(
                json!({"organization_field": {"key": "tier", "type": "dropdown", "title": "Nivel",
                          "custom_field_options": [{"name": "Oro", "value": "oro"}]}}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let field = b["organization_field"]["id"].as_i64().unwrap_or_default();
    let oro = b["organization_field"]["custom_field_options"][0]["id"]
        .as_i64()
        .unwrap_or_default();
    let options = format!("/api/v2/organization_fields/{field}/options.json");
    // A new one: 201; the same one renamed: 200, same id.
    let (s, b) = srv
        .call(
            "POST",
            &options,
            &admin,
            Some(json!({"custom_field_option": {"name": "Plata", "value": "plata"}})),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let plata = b["custom_field_option"]["id"].as_i64().unwrap_or_default();
    let (s, b) = srv
        .call(
            "POST",
            &options,
            &admin,
            Some(json!({"custom_field_option": {"id": oro, "name": "Oro viejo", "value": "oro"}})),
        )
        .await;
    assert_eq!(
        (s, &b["custom_field_option"]["id"]),
        (200, &json!(oro)),
        "{b}"
    );
    let (_, list) = srv.get(&options, &admin).await;
    let names: Vec<&str> = list["custom_field_options"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o["name"].as_str())
        .collect();
    assert_eq!(names, ["Oro viejo", "Plata"]);
    // Twice the same value, or an option that is not there: refused.
    let (s, _) = srv
        .call(
            "POST",
            &options,
            &admin,
            Some(json!({"custom_field_option": {"name": "Otra", "value": "plata"}})),
        )
        .await;
    assert_eq!(s, 422);
    let (s, _) = srv
        .call(
            "POST",
            &options,
            &admin,
            Some(json!({"custom_field_option": {"id": 999_999, "name": "x", "value": "x"}})),
        )
        .await;
    assert_eq!(s, 404);
    let one = format!("/api/v2/organization_fields/{field}/options/{plata}.json");
    let (s, b) = srv.get(&one, &admin).await;
    assert_eq!(
        (s, &b["custom_field_option"]["value"]),
        (200, &json!("plata"))
    );
    assert_eq!(srv.call("DELETE", &one, &admin, None).await.0, 204);
    let (s, _) = srv.get(&one, &admin).await;
    assert_eq!(s, 404);
    // Agents read them; only admins change them.
    let (_, eva) = srv
        .user_with_token("Eva", "eva@opciones.test", "agent")
        .await;
    assert_eq!(srv.get(&options, &eva).await.0, 200);
    let (s, _) = srv
        .call(
            "POST",
            &options,
            &eva,
            Some(json!({"custom_field_option": {"name": "Bronce", "value": "bronce"}})),
        )
        .await;
    assert_eq!(s, 403);
});
