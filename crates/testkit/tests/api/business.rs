//! Triggers, automations, webhooks, SLAs on business hours, ticket
//! metrics and macros with placeholders, through the API. Time-based work
//! (SLA breaches, automations) runs with a clock moved forward, never by
//! sleeping.

use super::*;
use domain::Timestamp;
use std::sync::{Arc, Mutex};

/// A local HTTP endpoint that records what webhooks send, answering with
/// the statuses it is given in turn (then 200).
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<(axum::http::HeaderMap, String)>>>,
}

async fn receiver(statuses: Vec<u16>) -> Receiver {
    let got: Arc<Mutex<Vec<(axum::http::HeaderMap, String)>>> = Arc::default();
    let plan = Arc::new(Mutex::new(statuses));
    let store = got.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
            let (store, plan) = (store.clone(), plan.clone());
            async move {
                store.lock().map(|mut g| g.push((headers, body))).ok();
                let code = plan
                    .lock()
                    .ok()
                    .and_then(|mut p| (!p.is_empty()).then(|| p.remove(0)))
                    .unwrap_or(200);
                axum::http::StatusCode::from_u16(code).unwrap_or(axum::http::StatusCode::OK)
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let url = format!(
        "http://{}/hook",
        listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
    );
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Receiver { url, got }
}

impl Receiver {
    async fn wait_for(&self, n: usize) -> Vec<(axum::http::HeaderMap, String)> {
        for _ in 0..400 {
            let got = self.got.lock().map(|g| g.clone()).unwrap_or_default();
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("expected {n} webhook calls");
    }
}

/// How many SLA breaches the pass announces with the clock at `at`.
async fn breaches_announced(srv: &TestServer, at: Timestamp) -> usize {
    srv.app
        .announce_sla_breaches_at(at)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The ticket's audits say that `metric` breached.
async fn assert_breach_on_timeline(srv: &TestServer, id: i64, metric: &str) {
    let (_, audits) = srv
        .get(&format!("/api/v2/tickets/{id}/audits.json"), &srv.admin())
        .await;
    assert!(
        audits
            .to_string()
            .contains(&format!("SLA breached: {metric}")),
        "{audits}"
    );
}

async fn post(srv: &TestServer, path: &str, body: Json) -> Json {
    let (s, b) = srv.call("POST", path, &srv.admin(), Some(body)).await;
    assert_eq!(s, 201, "POST {path}: {b}");
    b
}

both!(triggers_fire_once_and_call_signed_webhooks, |srv| {
    let hook_target = receiver(vec![500]).await;
    let mut sender = webhooks::Sender::new().unwrap_or_else(|e| panic!("{e}"));
    sender.first_retry = std::time::Duration::from_secs(1);
    webhooks::spawn(
        srv.app.clone(),
        sender,
        Arc::new(tokio::sync::Notify::new()),
    );

    let (_, g) = srv
        .call(
            "POST",
            "/api/v2/groups.json",
            &srv.admin(),
            Some(json!({"group": {"name": "Facturación"}})),
        )
        .await;
    let billing = g["group"]["id"].as_i64().unwrap_or_default();
    let w = post(&srv, "/api/v2/webhooks", json!({"webhook": {"name": "CRM", "endpoint": hook_target.url, "http_method": "POST", "request_format": "json", "status": "active"}})).await;
    let hook = w["webhook"]["id"].as_str().unwrap_or("").to_string();
    assert!(hook.starts_with("01"), "{w}");
    let (_, secret) = srv
        .get(
            &format!("/api/v2/webhooks/{hook}/signing_secret"),
            &srv.admin(),
        )
        .await;
    let secret = secret["signing_secret"]["secret"]
        .as_str()
        .unwrap_or("")
        .to_string();

    // A refund request goes to billing, tagged, and tells the CRM.
    post(&srv, "/api/v2/triggers.json", json!({"trigger": {
        "title": "Reembolsos a facturación",
        "conditions": {"all": [{"field": "update_type", "operator": "is", "value": "Create"}, {"field": "comment_includes_word", "operator": "includes", "value": "reembolso"}], "any": []},
        "actions": [{"field": "group_id", "value": billing.to_string()}, {"field": "current_tags", "value": "reembolso"},
                    {"field": "notification_webhook", "value": [hook, "{\"ticket\": {{ticket.id}}, \"asunto\": \"{{ticket.title}}\"}"]}]
    }})).await;
    // Two rules that would undo each other forever if rules could repeat.
    post(&srv, "/api/v2/triggers.json", json!({"trigger": {"title": "vip urgente",
        "conditions": {"all": [{"field": "current_tags", "operator": "includes", "value": "reembolso"}]},
        "actions": [{"field": "priority", "value": "urgent"}, {"field": "remove_tags", "value": "calma"}]}})).await;
    post(&srv, "/api/v2/triggers.json", json!({"trigger": {"title": "calma",
        "conditions": {"all": [{"field": "priority", "operator": "is", "value": "urgent"}]},
        "actions": [{"field": "current_tags", "value": "calma"}, {"field": "priority", "value": "high"}]}})).await;
    // A trigger that names a field it cannot have is refused with a clear 422.
    let (s, b) = srv.call("POST", "/api/v2/triggers.json", &srv.admin(), Some(json!({"trigger": {"title": "x",
        "conditions": {"all": [{"field": "colour", "operator": "is", "value": "red"}]}, "actions": [{"field": "status", "value": "open"}]}}))).await;
    assert_eq!(s, 422, "{b}");
    assert!(b.to_string().contains("colour"), "{b}");
    // So is one whose action values are wrong, or that calls a webhook that
    // does not exist: said when saving, not skipped when it fires.
    for (actions, says) in [
        (
            json!([{"field": "priority", "value": "altísima"}]),
            "priority",
        ),
        (json!([{"field": "status", "value": "archivado"}]), "status"),
        (
            json!([{"field": "notification_webhook", "value": ["no-such-hook", "{}"]}]),
            "no-such-hook",
        ),
    ] {
        let (s, b) = srv.call("POST", "/api/v2/triggers.json", &srv.admin(), Some(json!({"trigger": {"title": "x",
            "conditions": {"all": [{"field": "status", "operator": "is", "value": "open"}]}, "actions": actions}}))).await;
        assert_eq!(s, 422, "{b}");
        assert!(b.to_string().contains(says), "{b}");
    }

    let t = new_ticket(&srv, json!({"subject": "Quiero mi dinero", "comment": {"body": "Pido el reembolso del pedido 4411"}, "requester": {"email": "lucia@example.com", "name": "Lucía"}})).await;
    let id = t["id"].as_i64().unwrap_or_default();
    let (_, t) = srv
        .get(&format!("/api/v2/tickets/{id}.json"), &srv.admin())
        .await;
    assert_eq!(t["ticket"]["group_id"], billing);
    let tags: Vec<String> = t["ticket"]["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    assert!(
        tags.contains(&"reembolso".to_string()) && tags.contains(&"calma".to_string()),
        "{tags:?}"
    );
    // Each fired once, in order: urgent, then the second rule's high.
    assert_eq!(t["ticket"]["priority"], "high");
    // The trigger's changes are one audit by atiende (-1), via rule.
    let (_, audits) = srv
        .get(&format!("/api/v2/tickets/{id}/audits.json"), &srv.admin())
        .await;
    let by_rule: Vec<&Json> = audits["audits"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|a| a["author_id"] == -1)
        .collect();
    assert_eq!(by_rule.len(), 1, "{audits}");
    assert_eq!(by_rule[0]["via"]["channel"], "rule");

    // The webhook: first answered 500 and retried, then delivered, signed.
    let calls = hook_target.wait_for(2).await;
    let (headers, body) = &calls[1];
    let body_json: Json = serde_json::from_str(body).unwrap_or(Json::Null);
    assert_eq!(
        body_json,
        json!({"ticket": id, "asunto": "Quiero mi dinero"})
    );
    let stamp = headers
        .get("x-zendesk-webhook-signature-timestamp")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let sig = headers
        .get("x-zendesk-webhook-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert_eq!(
        sig,
        webhooks::signature(&secret, stamp, body),
        "the receiver can check the signature"
    );
    let mut log = Json::Null;
    for _ in 0..100 {
        let (_, l) = srv
            .get(
                &format!("/api/v2/webhooks/{hook}/invocations"),
                &srv.admin(),
            )
            .await;
        if l["invocations"][0]["status"] == "sent" {
            log = l;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(log["invocations"][0]["attempts"], 2, "{log}");
    assert_eq!(log["invocations"][0]["latest_response_status"], 200);

    // Agents cannot manage rules.
    let (_, agent) = srv.user_with_token("Bea", "bea@example.com", "agent").await;
    let (s, _) = srv.call("POST", "/api/v2/triggers.json", &agent, Some(json!({"trigger": {"title": "x", "conditions": {"all": []}, "actions": [{"field": "status", "value": "open"}]}}))).await;
    assert_eq!(s, 403);
    let (s, _) = srv.get("/api/v2/webhooks", &agent).await;
    assert_eq!(s, 403);
});

both!(sla_on_business_hours_breaches_and_fires_triggers, |srv| {
    // Madrid, Monday to Friday 9:00-14:00 and 15:00-18:00, Christmas off.
    let intervals: Vec<Json> = (1..=5)
        .flat_map(|d| {
            [
                json!({"start_time": d * 1440 + 540, "end_time": d * 1440 + 840}),
                json!({"start_time": d * 1440 + 900, "end_time": d * 1440 + 1080}),
            ]
        })
        .collect();
    let s = post(&srv, "/api/v2/business_hours/schedules.json", json!({"schedule": {"name": "Oficina Madrid", "time_zone": "Europe/Madrid", "intervals": intervals}})).await;
    let schedule = s["schedule"]["id"].as_i64().unwrap_or_default();
    post(&srv, &format!("/api/v2/business_hours/schedules/{schedule}/holidays.json"), json!({"holiday": {"name": "Navidad", "start_date": "2026-12-25", "end_date": "2026-12-25"}})).await;
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/business_hours/schedules.json",
            &srv.admin(),
            Some(json!({"schedule": {"name": "x", "time_zone": "Mars/Olympus"}})),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    // Urgent tickets: first reply within 60 business minutes.
    post(&srv, "/api/v2/slas/policies.json", json!({"sla_policy": {"title": "Urgentes",
        "filter": {"all": [{"field": "priority", "operator": "is", "value": "urgent"}], "any": []},
        "policy_metrics": [{"priority": "urgent", "metric": "first_reply_time", "target": 60, "business_hours": true},
                           {"priority": "urgent", "metric": "requester_wait_time", "target": 480, "business_hours": true}]}})).await;
    // When it breaches: a tag and a note for the team.
    post(
        &srv,
        "/api/v2/triggers.json",
        json!({"trigger": {"title": "SLA incumplido",
        "conditions": {"all": [{"field": "sla", "operator": "is", "value": "breached"}]},
        "actions": [{"field": "current_tags", "value": "sla_incumplido"}]}}),
    )
    .await;

    // The customer writes in (an agent's own ticket has no first reply to wait for).
    let (_, ana) = srv
        .user_with_token("Ana", "ana@example.com", "end-user")
        .await;
    let (s, t) = srv.call("POST", "/api/v2/tickets.json", &ana, Some(json!({"ticket": {"subject": "Caída total", "priority": "urgent", "comment": {"body": "No funciona nada"}}}))).await;
    assert_eq!(s, 201, "{t}");
    let t = t["ticket"].clone();
    let id = t["id"].as_i64().unwrap_or_default();
    let (_, sla) = srv
        .get(&format!("/api/v2/tickets/{id}/sla.json"), &srv.admin())
        .await;
    let first = sla["sla"]["policy_metrics"]
        .as_array()
        .and_then(|a| a.iter().find(|m| m["metric"] == "first_reply_time"))
        .cloned()
        .unwrap_or(Json::Null);
    assert_eq!(first["stage"], "active", "{sla}");
    // Due 60 business minutes from now on the Madrid schedule.
    let created = Timestamp::parse(t["created_at"].as_str().unwrap_or("")).unwrap_or(Timestamp(0));
    let sched = domain::hours::Schedule::new(
        jiff::tz::TimeZone::get("Europe/Madrid").unwrap_or(jiff::tz::TimeZone::UTC),
        intervals
            .iter()
            .map(|i| {
                (
                    i["start_time"].as_u64().unwrap_or(0) as u32,
                    i["end_time"].as_u64().unwrap_or(0) as u32,
                )
            })
            .collect(),
        vec![(
            jiff::civil::date(2026, 12, 25),
            jiff::civil::date(2026, 12, 25),
        )],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let due = sched.add_minutes(created, 60).unwrap_or(Timestamp(0));
    assert_eq!(first["breach_at"], due.to_iso(), "{sla}");

    // Nothing breaches before its time; after it, the breach is announced
    // once, on the ticket, and the trigger tags it.
    assert_eq!(breaches_announced(&srv, Timestamp(due.0 - 60)).await, 0);
    assert_eq!(breaches_announced(&srv, Timestamp(due.0 + 60)).await, 1);
    assert_eq!(
        breaches_announced(&srv, Timestamp(due.0 + 120)).await,
        0,
        "announced once"
    );
    let (_, after) = srv
        .get(&format!("/api/v2/tickets/{id}.json"), &srv.admin())
        .await;
    assert!(
        after["ticket"]["tags"]
            .as_array()
            .is_some_and(|a| a.contains(&json!("sla_incumplido"))),
        "{after}"
    );
    assert_breach_on_timeline(&srv, id, "first_reply_time").await;
    // The clock moves on to the next target: resolution (480 business
    // minutes) breaches later, and is announced in its turn.
    let wait_due = sched.add_minutes(created, 480).unwrap_or(Timestamp(0));
    assert_eq!(
        breaches_announced(&srv, Timestamp(wait_due.0 - 60)).await,
        0
    );
    assert_eq!(
        breaches_announced(&srv, Timestamp(wait_due.0 + 60)).await,
        1
    );
    assert_breach_on_timeline(&srv, id, "requester_wait_time").await;

    // The agent answers and solves: first reply achieved (late), metrics add up.
    let (s, _) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{id}.json"),
            &srv.admin(),
            Some(json!({"ticket": {"comment": {"body": "Lo miramos ya."}, "status": "solved"}})),
        )
        .await;
    assert_eq!(s, 200);
    let (_, sla) = srv
        .get(&format!("/api/v2/tickets/{id}/sla.json"), &srv.admin())
        .await;
    let first = sla["sla"]["policy_metrics"]
        .as_array()
        .and_then(|a| a.iter().find(|m| m["metric"] == "first_reply_time"))
        .cloned()
        .unwrap_or(Json::Null);
    assert_eq!(first["stage"], "achieved", "{sla}");
    let (s, m) = srv
        .get(&format!("/api/v2/tickets/{id}/metrics.json"), &srv.admin())
        .await;
    assert_eq!(s, 200, "{m}");
    assert_eq!(m["ticket_metric"]["replies"], 1);
    assert_eq!(m["ticket_metric"]["reopens"], 0);
    assert!(
        m["ticket_metric"]["full_resolution_time_in_minutes"]["calendar"].is_number(),
        "{m}"
    );
    // End-users see neither.
    let (s, _) = srv
        .get(&format!("/api/v2/tickets/{id}/metrics.json"), &ana)
        .await;
    assert_eq!(s, 404);
});

both!(automations_fire_once_per_ticket_state, |srv| {
    let (agent, _) = srv.user_with_token("Bea", "bea@example.com", "agent").await;
    post(&srv, "/api/v2/automations.json", json!({"automation": {"title": "Pendiente 96 h: resolver",
        "conditions": {"all": [{"field": "status", "operator": "is", "value": "pending"}, {"field": "hours_since_pending", "operator": "greater_than", "value": "96"}]},
        "actions": [{"field": "status", "value": "solved"}, {"field": "current_tags", "value": "cerrado_por_inactividad"}]}})).await;
    let (s, b) = srv.call("POST", "/api/v2/automations.json", &srv.admin(), Some(json!({"automation": {"title": "sin tiempo",
        "conditions": {"all": [{"field": "status", "operator": "is", "value": "pending"}]}, "actions": [{"field": "status", "value": "solved"}]}}))).await;
    assert_eq!(s, 422, "an automation needs a time condition: {b}");
    let t = new_ticket(&srv, json!({"subject": "Espera", "comment": {"body": "Hola"}, "assignee_id": agent, "status": "pending"})).await;
    let other = new_ticket(&srv, json!({"subject": "Abierto", "comment": {"body": "Hola"}, "assignee_id": agent, "status": "open"})).await;
    let now = Timestamp::now();
    assert_eq!(
        srv.app
            .run_automations_at(Timestamp(now.0 + 90 * 3600))
            .await
            .unwrap_or(9),
        0,
        "not yet"
    );
    // Two nodes racing on PostgreSQL fire it once between them.
    let later = Timestamp(now.0 + 97 * 3600);
    let fired = match srv.backend {
        atiende_testkit::Backend::Postgres => {
            let (_, other, _stop) = atiende_testkit::start_node(&srv.database_url).await;
            let (a, b) = tokio::join!(
                srv.app.run_automations_at(later),
                other.run_automations_at(later)
            );
            a.unwrap_or(9) + b.unwrap_or(9)
        }
        atiende_testkit::Backend::Sqlite => srv.app.run_automations_at(later).await.unwrap_or(0),
    };
    assert_eq!(fired, 1);
    assert_eq!(
        srv.app
            .run_automations_at(Timestamp(now.0 + 98 * 3600))
            .await
            .unwrap_or(9),
        0,
        "exactly once"
    );
    let (_, t) = srv
        .get(&format!("/api/v2/tickets/{}.json", t["id"]), &srv.admin())
        .await;
    assert_eq!(t["ticket"]["status"], "solved");
    assert!(
        t["ticket"]["tags"]
            .as_array()
            .is_some_and(|a| a.contains(&json!("cerrado_por_inactividad")))
    );
    let (_, o) = srv
        .get(
            &format!("/api/v2/tickets/{}.json", other["id"]),
            &srv.admin(),
        )
        .await;
    assert_eq!(o["ticket"]["status"], "open");
});

both!(macros_render_placeholders_in_the_readers_language, |srv| {
    let (s, m) = srv.call("POST", "/api/v2/macros.json", &srv.admin(), Some(json!({"macro": {"title": "Saludo", "actions": [
        {"field": "comment_value", "value": {"es": "Hola {{ticket.requester.first_name}}, tu ticket #{{ticket.id}} está {{ticket.status}}. {{current_user.first_name}}",
                                             "en": "Hi {{ticket.requester.first_name}}, ticket #{{ticket.id}} is {{ticket.status}}. {{current_user.first_name}}"}},
        {"field": "status", "value": "pending"}]}}))).await;
    assert_eq!(s, 201, "{m}");
    let mid = m["macro"]["id"].as_i64().unwrap_or_default();
    let es = new_ticket(&srv, json!({"subject": "Pedido", "comment": {"body": "Hola, mi pedido no llega y necesito ayuda"}, "requester": {"email": "lucia@example.com", "name": "Lucía Pérez"}})).await;
    let en = new_ticket(&srv, json!({"subject": "Order", "comment": {"body": "Hello, my order has not arrived and I need help"}, "requester": {"email": "john@example.com", "name": "John Smith"}})).await;
    let (_, r) = srv
        .get(
            &format!("/api/v2/tickets/{}/macros/{mid}/apply.json", es["id"]),
            &srv.admin(),
        )
        .await;
    assert_eq!(
        r["result"]["comment"]["body"],
        format!("Hola Lucía, tu ticket #{} está nuevo. Admin", es["id"])
    );
    let (_, r) = srv
        .get(
            &format!("/api/v2/tickets/{}/macros/{mid}/apply.json", en["id"]),
            &srv.admin(),
        )
        .await;
    assert_eq!(
        r["result"]["comment"]["body"],
        format!("Hi John, ticket #{} is new. Admin", en["id"])
    );
});

both!(a_trigger_changed_keeps_what_was_not_changed, |srv| {
    // Saving a rule wrote its conditions over its actions and its actions
    // into `updated_at` (one parameter too many); found while typing ids.
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/triggers.json",
            &srv.admin(),
            Some(json!({"trigger": {"title": "Urgente",
                "conditions": {"all": [{"field": "priority", "operator": "is", "value": "urgent"}]},
                "actions": [{"field": "status", "value": "open"}]}})),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let id = b["trigger"]["id"].as_i64().unwrap_or_default();
    let path = format!("/api/v2/triggers/{id}.json");
    let (s, b) = srv
        .call(
            "PUT",
            &path,
            &srv.admin(),
            Some(json!({"trigger": {"title": "Muy urgente",
                "actions": [{"field": "priority", "value": "high"}]}})),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let (s, b) = srv.get(&path, &srv.admin()).await;
    assert_eq!(s, 200, "{b}");
    let t = &b["trigger"];
    assert_eq!(t["title"], "Muy urgente");
    assert_eq!(
        t["actions"],
        json!([{"field": "priority", "value": "high"}])
    );
    assert_eq!(t["conditions"]["all"][0]["value"], "urgent", "{t}");
    assert!(
        t["updated_at"]
            .as_str()
            .is_some_and(|u| u.starts_with("20")),
        "{t}"
    );
    // And it runs with the new actions.
    let tk = new_ticket(
        &srv,
        json!({"subject": "x", "priority": "urgent", "comment": {"body": "y"}}),
    )
    .await;
    assert_eq!(tk["priority"], "high", "{tk}");
});
