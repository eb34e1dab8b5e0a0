//! Every list endpoint pages both ways, as Zendesk's clients walk them:
//! offset pages (`per_page`, `next_page`, `count`) and cursor pages
//! (`page[size]`, `links.next`, `meta.has_more`). Walking two at a time
//! must meet every record of the whole list exactly once.

use super::*;
use std::collections::BTreeSet;

/// (path, key of the list).
const LISTS: &[(&str, &str)] = &[
    ("/api/v2/users.json", "users"),
    ("/api/v2/organizations.json", "organizations"),
    (
        "/api/v2/organization_memberships.json",
        "organization_memberships",
    ),
    ("/api/v2/groups.json", "groups"),
    ("/api/v2/group_memberships.json", "group_memberships"),
    ("/api/v2/tickets.json", "tickets"),
    ("/api/v2/tags.json", "tags"),
    ("/api/v2/ticket_metrics.json", "ticket_metrics"),
    ("/api/v2/ticket_fields.json", "ticket_fields"),
    ("/api/v2/ticket_forms.json", "ticket_forms"),
    ("/api/v2/macros.json", "macros"),
    ("/api/v2/views.json", "views"),
    ("/api/v2/triggers.json", "triggers"),
    ("/api/v2/automations.json", "automations"),
    ("/api/v2/slas/policies.json", "sla_policies"),
    ("/api/v2/business_hours/schedules.json", "schedules"),
    ("/api/v2/routing/attributes.json", "attributes"),
    ("/api/v2/recipient_addresses.json", "recipient_addresses"),
    ("/api/v2/satisfaction_ratings.json", "satisfaction_ratings"),
    ("/api/v2/help_center/categories.json", "categories"),
    ("/api/v2/help_center/sections.json", "sections"),
    ("/api/v2/help_center/articles.json", "articles"),
    ("/api/v2/help_center/user_segments.json", "user_segments"),
    ("/api/v2/channels/accounts.json", "accounts"),
    ("/api/v2/channels/templates.json", "templates"),
    ("/api/v2/channels/voice/lines.json", "lines"),
    ("/api/v2/channels/voice/phone_numbers.json", "phone_numbers"),
    ("/api/v2/chat/widgets.json", "widgets"),
    ("/api/v2/user_fields.json", "user_fields"),
    ("/api/v2/organization_fields.json", "organization_fields"),
    ("/api/v2/deleted_tickets.json", "deleted_tickets"),
    ("/api/v2/deleted_users.json", "deleted_users"),
    ("/api/v2/skips.json", "skips"),
    ("/api/v2/audit_logs.json", "audit_logs"),
    ("/api/v2/custom_roles.json", "custom_roles"),
    ("/api/v2/activities.json", "activities"),
    ("/api/v2/satisfaction_reasons.json", "reasons"),
    ("/api/v2/locales.json", "locales"),
];

/// Lists Zendesk pages by cursor only.
const CURSOR_ONLY: &[(&str, &str)] = &[
    ("/api/v2/webhooks.json", "webhooks"),
    ("/api/v2/ticket_audits.json", "audits"),
];

/// Three of each record an admin can make with one call (and the audit
/// log's entries, skips and activities that come with them).
async fn seed(srv: &TestServer) {
    let admin = srv.admin();
    let (_, colleague) = srv
        .user_with_token("Colega", "colega@example.com", "agent")
        .await;
    for i in 0..3 {
        let posts = [
            (
                "/api/v2/organizations.json",
                json!({"organization": {"name": format!("Org {i}")}}),
            ),
            (
                "/api/v2/groups.json",
                json!({"group": {"name": format!("Grupo {i}")}}),
            ),
            (
                "/api/v2/macros.json",
                json!({"macro": {"title": format!("M {i}"), "actions": [{"field": "status", "value": "open"}]}}),
            ),
            (
                "/api/v2/views.json",
                json!({"view": {"title": format!("V {i}"), "all": [{"field": "status", "operator": "is", "value": "open"}]}}),
            ),
            (
                "/api/v2/triggers.json",
                json!({"trigger": {"title": format!("T {i}"), "conditions": {"all": [{"field": "status", "operator": "is", "value": "new"}]}, "actions": [{"field": "priority", "value": "high"}]}}),
            ),
            (
                "/api/v2/automations.json",
                json!({"automation": {"title": format!("A {i}"), "conditions": {"all": [{"field": "status", "operator": "is", "value": "pending"}, {"field": "hours_since_pending", "operator": "greater_than", "value": "96"}]}, "actions": [{"field": "status", "value": "solved"}]}}),
            ),
            (
                "/api/v2/business_hours/schedules.json",
                json!({"schedule": {"name": format!("H {i}"), "time_zone": "Europe/Madrid"}}),
            ),
            (
                "/api/v2/webhooks.json",
                json!({"webhook": {"name": format!("W {i}"), "endpoint": "http://127.0.0.1:9/x", "http_method": "POST", "request_format": "json", "status": "active"}}),
            ),
            (
                "/api/v2/routing/attributes.json",
                json!({"attribute": {"name": format!("R {i}")}}),
            ),
            (
                "/api/v2/help_center/categories.json",
                json!({"category": {"name": format!("C {i}")}}),
            ),
            (
                "/api/v2/ticket_forms.json",
                json!({"ticket_form": {"name": format!("F {i}")}}),
            ),
            (
                "/api/v2/users.json",
                json!({"user": {"name": format!("Cliente {i}"), "email": format!("c{i}@example.com")}}),
            ),
            (
                "/api/v2/user_fields.json",
                json!({"user_field": {"key": format!("u{i}"), "type": "text", "title": format!("U {i}")}}),
            ),
            (
                "/api/v2/organization_fields.json",
                json!({"organization_field": {"key": format!("o{i}"), "type": "text", "title": format!("O {i}")}}),
            ),
        ];
        for (path, body) in posts {
            let (s, b) = srv.call("POST", path, &admin, Some(body)).await;
            assert_eq!(s, 201, "{path}: {b}");
        }
        let t = new_ticket(
            srv,
            json!({"comment": {"body": format!("Caso {i}")}, "tags": [format!("etiqueta{i}"), "comun"]}),
        )
        .await;
        // A colleague hands it to the admin (their activity), who skips it.
        let (s, b) = srv
            .call(
                "PUT",
                &format!("/api/v2/tickets/{}.json", t["id"]),
                &colleague,
                Some(json!({"ticket": {"assignee_id": 1}})),
            )
            .await;
        assert_eq!(s, 200, "{b}");
        let (s, b) = srv
            .call(
                "POST",
                "/api/v2/skips.json",
                &admin,
                Some(json!({"skip": {"ticket_id": t["id"], "reason": format!("Motivo {i}")}})),
            )
            .await;
        assert_eq!(s, 201, "{b}");
        // One deleted ticket and one deleted user, and one held mail.
        let gone = new_ticket(srv, json!({"comment": {"body": format!("Borrado {i}")}})).await;
        let (s, b) = srv
            .call(
                "DELETE",
                &format!("/api/v2/tickets/{}.json", gone["id"]),
                &admin,
                None,
            )
            .await;
        assert_eq!(s, 204, "{b}");
        let (_, b) = srv
            .call(
                "POST",
                "/api/v2/users.json",
                &admin,
                Some(json!({"user": {"name": format!("Baja {i}")}})),
            )
            .await;
        let (s, b) = srv
            .call(
                "DELETE",
                &format!("/api/v2/users/{}.json", b["user"]["id"]),
                &admin,
                None,
            )
            .await;
        assert_eq!(s, 200, "{b}");
        suspend_a_mail(srv, i).await;
    }
}

/// Holds one mail in the suspended queue.
async fn suspend_a_mail(srv: &TestServer, i: usize) {
    let raw =
        format!("From: x{i}@corp.test\r\nTo: support@example.com\r\nSubject: s{i}\r\n\r\nx\r\n");
    let envelope = app::email::Envelope {
        mail_from: format!("x{i}@corp.test"),
        rcpt_to: vec!["support@example.com".into()],
        ..Default::default()
    };
    let id = srv
        .app
        .store_inbound_email(envelope, raw.into_bytes())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    srv.app
        .suspend_inbound_email(id, domain::SuspensionCause::UnverifiedSender, "test")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

/// The records' ids as written (numbers, or UUIDs for routing
/// attributes; a tag's name).
fn ids(list: &Json) -> Vec<String> {
    list.as_array()
        .into_iter()
        .flatten()
        .map(|r| match &r["id"] {
            Json::Null => r["name"].to_string(),
            id => id.to_string(),
        })
        .collect()
}

/// Walks `path` by offset, two at a time: every record in the list's
/// order, `count` on every page.
async fn walk_offset(srv: &TestServer, path: &str, key: &str, all: &[String]) {
    let mut walked = Vec::new();
    let mut next = Some(format!("{path}?per_page=2"));
    let mut pages = 0;
    while let Some(url) = next {
        let (s, b) = srv.get(&local(&srv.base, &url), &srv.admin()).await;
        assert_eq!(s, 200, "{url}: {b}");
        assert_eq!(b["count"], json!(all.len()), "{url}: {b}");
        walked.extend(ids(&b[key]));
        next = b["next_page"].as_str().map(str::to_string);
        pages += 1;
        assert!(pages <= all.len() + 1, "{path}: offset pages never end");
    }
    assert_eq!(walked, all, "{path}: offset pages");
}

/// Walks `path` by cursor, two at a time, to `has_more: false`: every
/// record once.
async fn walk_cursor(srv: &TestServer, path: &str, key: &str, all: &[String]) {
    let mut walked = Vec::new();
    let mut next = Some(format!("{path}?page[size]=2"));
    let mut pages = 0;
    while let Some(url) = next {
        let (s, b) = srv.get(&local(&srv.base, &url), &srv.admin()).await;
        assert_eq!(s, 200, "{url}: {b}");
        let page = ids(&b[key]);
        assert!(page.len() <= 2, "{url}: {b}");
        walked.extend(page);
        let more = b["meta"]["has_more"].as_bool();
        next = b["links"]["next"].as_str().map(str::to_string);
        assert_eq!(more, Some(next.is_some()), "{url}: {b}");
        pages += 1;
        assert!(pages <= all.len() + 1, "{path}: cursor pages never end");
    }
    let once: BTreeSet<String> = walked.iter().cloned().collect();
    assert_eq!(
        once.len(),
        walked.len(),
        "{path}: a record twice: {walked:?}"
    );
    assert_eq!(
        once,
        all.iter().cloned().collect::<BTreeSet<String>>(),
        "{path}: cursor pages"
    );
}

both!(every_list_pages_both_ways, |srv| {
    seed(&srv).await;
    for (path, key) in LISTS {
        let (s, whole) = srv.get(&format!("{path}?per_page=100"), &srv.admin()).await;
        assert_eq!(s, 200, "{path}: {whole}");
        let all = ids(&whole[key]);
        assert_eq!(whole["count"], json!(all.len()), "{path}: {whole}");
        assert!(whole["next_page"].is_null(), "{path}: {whole}");
        walk_offset(&srv, path, key, &all).await;
        walk_cursor(&srv, path, key, &all).await;
    }
    for (path, key) in CURSOR_ONLY {
        let (s, whole) = srv.get(path, &srv.admin()).await;
        assert_eq!(s, 200, "{path}: {whole}");
        assert_eq!(whole["meta"]["has_more"], false, "{path}: {whole}");
        let all = ids(&whole[key]);
        assert!(all.len() >= 3, "{path}: {whole}");
        walk_cursor(&srv, path, key, &all).await;
    }
    // Held mail: newest first by `before_id`, and by cursor either way.
    let path = "/api/v2/suspended_tickets.json";
    let (s, whole) = srv.get(path, &srv.admin()).await;
    assert_eq!(s, 200, "{whole}");
    let all = ids(&whole["suspended_tickets"]);
    assert_eq!(all.len(), 3, "{whole}");
    walk_cursor(&srv, path, "suspended_tickets", &all).await;
    let (_, first) = srv.get(&format!("{path}?page[size]=2"), &srv.admin()).await;
    assert_eq!(
        ids(&first["suspended_tickets"]),
        all[..2],
        "newest first: {first}"
    );
    let next = first["links"]["next"].as_str().unwrap_or_default();
    let (_, second) = srv.get(&local(&srv.base, next), &srv.admin()).await;
    assert_eq!(ids(&second["suspended_tickets"]), all[2..], "{second}");
    let prev = second["links"]["prev"].as_str().unwrap_or_default();
    let (_, back) = srv.get(&local(&srv.base, prev), &srv.admin()).await;
    assert_eq!(
        ids(&back["suspended_tickets"]),
        all[..2],
        "back again: {back}"
    );
    let (_, by_id) = srv.get(&format!("{path}?per_page=2"), &srv.admin()).await;
    let next = by_id["next_page"].as_str().unwrap_or_default();
    let (_, rest) = srv.get(&local(&srv.base, next), &srv.admin()).await;
    assert_eq!(ids(&rest["suspended_tickets"]), all[2..], "{rest}");

    // A ticket's metric in the list is the one its ticket shows.
    let (_, listed) = srv.get("/api/v2/ticket_metrics.json", &srv.admin()).await;
    let first = &listed["ticket_metrics"][0];
    let (_, shown) = srv
        .get(
            &format!("/api/v2/tickets/{}/metrics.json", first["ticket_id"]),
            &srv.admin(),
        )
        .await;
    assert_eq!(first, &shown["ticket_metric"], "{listed}");
});

/// Follows an export's onward link from `first` to `end_of_stream`; every
/// page's records under `key`.
async fn export_walk(srv: &TestServer, first: &str, key: &str, next_key: &str) -> Vec<Json> {
    let mut out = Vec::new();
    let mut url = first.to_string();
    for _ in 0..500 {
        let (s, b) = srv.get(&local(&srv.base, &url), &srv.admin()).await;
        assert_eq!(s, 200, "{url}: {b}");
        out.extend(b[key].as_array().cloned().unwrap_or_default());
        if b["end_of_stream"] == true {
            return out;
        }
        url = b[next_key]
            .as_str()
            .unwrap_or_else(|| panic!("{url}: no {next_key}: {b}"))
            .to_string();
    }
    panic!("{first}: the export never ends");
}

both!(incremental_exports_reach_every_row_once, |srv| {
    seed(&srv).await;
    // Changes after creation: more audits, some in the same second.
    let (_, list) = srv.get("/api/v2/tickets.json", &srv.admin()).await;
    let tickets = ids(&list["tickets"]);
    for id in &tickets {
        let (s, b) = srv
            .call("PUT", &format!("/api/v2/tickets/{id}.json"), &srv.admin(),
                  Some(json!({"ticket": {"status": "open", "comment": {"body": "Lo miramos", "public": true}}})))
            .await;
        assert_eq!(s, 200, "{b}");
    }
    // Every audit, once, read two at a time through the time-based export.
    let events = export_walk(
        &srv,
        "/api/v2/incremental/ticket_events.json?start_time=0&per_page=2",
        "ticket_events",
        "next_page",
    )
    .await;
    let seen: Vec<i64> = events
        .iter()
        .map(|e| e["id"].as_i64().unwrap_or(0))
        .collect();
    let once: BTreeSet<i64> = seen.iter().copied().collect();
    assert_eq!(once.len(), seen.len(), "an event twice: {seen:?}");
    let (_, audits) = srv.get("/api/v2/ticket_audits.json", &srv.admin()).await;
    let all: BTreeSet<i64> = audits["audits"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| a["id"].as_i64().unwrap_or(0))
        .collect();
    assert_eq!(once, all, "every audit in the export");
    assert!(
        events.iter().all(|e| e["child_events"]
            .as_array()
            .is_some_and(|c| c.iter().all(|c| c["event_type"] != "Comment"))),
        "comments only when asked for"
    );
    let (_, with) = srv
        .get(
            "/api/v2/incremental/ticket_events.json?start_time=0&include=comment_events",
            &srv.admin(),
        )
        .await;
    assert!(
        with["ticket_events"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|e| e["child_events"].as_array().is_some_and(|c| c
                .iter()
                .any(|c| c["event_type"] == "Comment" && c["body"] == "Lo miramos"))),
        "{with}"
    );
    // Every ticket through the cursor export, and a sample of the first.
    let exported = export_walk(
        &srv,
        "/api/v2/incremental/tickets/cursor.json?start_time=0&per_page=2",
        "tickets",
        "after_url",
    )
    .await;
    let exported: BTreeSet<String> = exported.iter().map(|t| t["id"].to_string()).collect();
    // Deleted tickets are exported too, as Zendesk's export shows them.
    let (_, deleted) = srv.get("/api/v2/deleted_tickets.json", &srv.admin()).await;
    let deleted = ids(&deleted["deleted_tickets"]);
    assert!(!deleted.is_empty(), "the seed deletes some");
    assert_eq!(
        exported,
        tickets
            .iter()
            .chain(&deleted)
            .cloned()
            .collect::<BTreeSet<String>>()
    );
    let (s, sample) = srv
        .get(
            "/api/v2/incremental/ticket_events/sample.json?start_time=0",
            &srv.admin(),
        )
        .await;
    assert_eq!(s, 200, "{sample}");
    assert!(
        sample["ticket_events"]
            .as_array()
            .is_some_and(|a| !a.is_empty() && a.len() <= 50)
    );
});

both!(the_organizations_export_has_every_organization, |srv| {
    // Demo data is written in bulk; made by the API, one more.
    srv.app
        .load_demo(app::demo::DemoSize {
            agents: 2,
            customers: 6,
            organizations: 3,
            tickets: 4,
            max_replies: 1,
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/organizations.json",
            &srv.admin(),
            Some(json!({"organization": {"name": "Hecha a mano"}})),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let (_, all) = srv.get("/api/v2/organizations.json", &srv.admin()).await;
    let all: BTreeSet<String> = ids(&all["organizations"]).into_iter().collect();
    assert!(all.len() >= 4, "{all:?}");
    let exported = export_walk(
        &srv,
        "/api/v2/incremental/organizations.json?start_time=0&per_page=2",
        "organizations",
        "next_page",
    )
    .await;
    let exported: BTreeSet<String> = exported.iter().map(|o| o["id"].to_string()).collect();
    assert_eq!(exported, all);
});
