//! Frequent problems and spikes: a generated fortnight of tickets (a
//! category chosen on some, a telling tag on others, only text on the
//! rest, in Spanish and English) is written with its own instants and
//! folded; this week's top topics are compared with a count from the plan
//! (count, the week before, channels, newest examples), the text topics
//! come from what the tickets say, an answered problem names its article
//! and an unanswered one is a knowledge gap. A burst of tickets in the
//! last hour is a spike, told once to a webhook, by email through the
//! real relay and in the workspace's pages.

use super::email::{Relayed, with_relay};
use super::help_center_site::{article, category, section};
use super::workspace::Browser;
use super::*;
use app::reports::ReportAsk;
use domain::audit::{AuditEvent, CommentEvent};
use domain::report::{ReportFilter, Slice};
use domain::trends::Topic;
use domain::{Channel, FieldId, TicketId, Timestamp, UserId};

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

/// A ticket to write: when, on what channel, what it says and what
/// people set on it.
#[derive(Clone)]
struct Planned {
    created: i64,
    channel: Channel,
    subject: &'static str,
    description: &'static str,
    tags: Vec<String>,
    category: Option<(FieldId, &'static str)>,
}

/// Writes a ticket as its first audit and its event, at its instant.
async fn write(srv: &TestServer, customer: UserId, p: Planned) -> TicketId {
    srv.app
        .write(move |c| {
            Box::pin(async move {
                let t = store::model::Ticket {
                    subject: p.subject.into(),
                    description: p.description.into(),
                    tags: p.tags.clone(),
                    custom_fields: p
                        .category
                        .iter()
                        .map(|(f, v)| (*f, v.to_string()))
                        .collect(),
                    ..ticket_at(customer, p.channel, p.created)
                };
                let id = store::repo::tickets::insert(c, &t).await?;
                let first = vec![AuditEvent::Comment(CommentEvent {
                    author_id: customer,
                    body: p.description.into(),
                    html_body: format!("<p>{}</p>", p.description),
                    plain_body: p.description.into(),
                    public: true,
                    attachment_ids: vec![],
                })];
                store::repo::comments::insert_audit(
                    c,
                    id,
                    customer,
                    p.channel,
                    &first,
                    Timestamp(p.created),
                )
                .await?;
                store::events::append(
                    c,
                    store::events::NewEvent {
                        entity: store::events::Entity::Ticket,
                        entity_id: id.0,
                        kind: store::events::EventKind::Created,
                        audit: None,
                        actor: Some(customer),
                        at: Timestamp(p.created),
                    },
                )
                .await?;
                Ok::<_, app::AppError>(id)
            })
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Folds every event (a pass folds up to 2,000).
async fn fold(srv: &TestServer) {
    while srv
        .app
        .fold_reports()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        > 0
    {}
}

/// A returns problem, said in several ways and both languages.
const RETURNS: [(&str, &str); 6] = [
    (
        "Devolución",
        "Quiero devolver un producto que compré la semana pasada, ¿cómo lo hago?",
    ),
    (
        "Devolver un pedido",
        "¿Cómo puedo devolver el producto? No me queda bien",
    ),
    ("Return", "How do I return a product I bought online?"),
    (
        "Devolución de zapatillas",
        "Quiero devolver unas zapatillas, ¿cómo se hace la devolución?",
    ),
    (
        "Return an item",
        "I want to return an item, how can I send it back?",
    ),
    (
        "Devolver",
        "Necesito devolver un artículo que no me gusta, ¿cómo lo devuelvo?",
    ),
];
/// A problem no article answers.
const DOUBLE_CHARGE: [(&str, &str); 3] = [
    (
        "Cobro doble",
        "Me habéis cobrado dos veces el mismo pedido en la tarjeta",
    ),
    (
        "Cargo duplicado",
        "Tengo un cargo duplicado en mi tarjeta de crédito por la misma compra",
    ),
    (
        "Charged twice",
        "You charged my credit card twice for the same order",
    ),
];

both!(top_problems_this_week_against_last, |srv| {
    let admin = srv.admin();
    let actor = admin_actor(&srv).await;
    let (s, b) = srv
        .call("POST", "/api/v2/ticket_fields.json", &admin, Some(json!({"ticket_field": {"type": "tagger", "title": "Motivo", "custom_field_options": [{"name": "Envío tarde", "value": "motivo_envio"}, {"name": "Factura", "value": "motivo_factura"}]}})))
        .await;
    assert_eq!(s, 201, "{b}");
    let motivo = FieldId(b["ticket_field"]["id"].as_i64().unwrap_or_default());
    // `vip` says nothing of the problem.
    srv.app
        .set_trend_settings(
            actor,
            domain::trends::TrendSettings {
                ignored_tags: vec!["VIP".into()],
                ..Default::default()
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let cat = category(&srv, "es", json!({"name": "Pedidos"})).await;
    let sec = section(&srv, &cat, json!({"name": "Devoluciones"})).await;
    let returns_article = article(&srv, &sec, json!({"title": "Cómo devolver un producto",
        "body": "<p>Tienes 30 días para devolver un producto sin usar. Entra en Mi cuenta, elige el pedido y pulsa «Devolver artículos». Imprime la etiqueta de devolución y entrega el paquete en correos.</p>"}))
    .await["id"]
        .as_i64()
        .unwrap_or_default();
    let (customer, _) = srv
        .user_with_token("Cliente", "cliente@example.com", "end-user")
        .await;
    let customer = UserId(customer);

    // The plan: this week (the last 7 UTC days) and the week before.
    let now = Timestamp::now().0;
    let today = jiff::Timestamp::from_second(now)
        .unwrap_or_else(|e| panic!("{e}"))
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    let first = today
        .checked_sub(jiff::Span::new().days(6))
        .unwrap_or(today);
    let week_start = jiff::civil::Date::to_zoned(first, jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp().as_second())
        .unwrap_or(0);
    let this_week = |i: i64| week_start + HOUR + i * 5 * HOUR;
    let week_before = |i: i64| week_start - 7 * DAY + HOUR + i * 4 * HOUR;
    let mut plan: Vec<Planned> = Vec::new();
    let channels = [Channel::Email, Channel::Web, Channel::WhatsApp];
    for (i, (subject, description)) in RETURNS.iter().enumerate() {
        plan.push(Planned {
            created: if i < 4 {
                this_week(i as i64)
            } else {
                week_before(i as i64)
            },
            channel: channels[i % 3],
            subject,
            description,
            tags: vec!["vip".into()],
            category: None,
        });
    }
    for (i, (subject, description)) in DOUBLE_CHARGE.iter().enumerate() {
        plan.push(Planned {
            created: this_week(10 + i as i64),
            channel: Channel::Email,
            subject,
            description,
            tags: vec![],
            category: None,
        });
    }
    // Late deliveries by category: 5 this week, 2 the week before; its
    // tag is set too (the category comes first).
    for i in 0..7 {
        plan.push(Planned {
            created: if i < 5 {
                this_week(14 + i)
            } else {
                week_before(20 + i)
            },
            channel: if i % 2 == 0 {
                Channel::Web
            } else {
                Channel::Email
            },
            subject: "Mi pedido llega tarde",
            description: "El pedido iba a llegar el lunes",
            tags: vec!["motivo_envio".into()],
            category: Some((motivo, "motivo_envio")),
        });
    }
    // A telling tag: 2 this week, 3 the week before.
    for i in 0..5 {
        plan.push(Planned {
            created: if i < 2 {
                this_week(20 + i)
            } else {
                week_before(30 + i)
            },
            channel: Channel::Chat,
            subject: "Consulta",
            description: "Una pregunta sobre la web",
            tags: vec!["vip".into(), "web_lenta".into()],
            category: None,
        });
    }
    let mut written = Vec::new();
    for p in plan.clone() {
        written.push((write(&srv, customer, p.clone()).await, p));
    }
    fold(&srv).await;

    let ask = ReportAsk {
        first,
        last: today,
        zone: jiff::tz::TimeZone::UTC,
        filter: ReportFilter::default(),
    };
    let found = srv
        .app
        .frequent_problems(actor, &ask, "es")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let in_week = |t: i64| t >= found.period.from.0 && t < found.period.to.0;
    let in_before = |t: i64| {
        let b = found.period.previous();
        t >= b.from.0 && t < b.to.0
    };
    assert_eq!(
        found.total,
        plan.iter().filter(|p| in_week(p.created)).count() as i64
    );
    let line = |name: &str| {
        found
            .problems
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| {
                panic!(
                    "no {name}: {:?}",
                    found.problems.iter().map(|p| &p.name).collect::<Vec<_>>()
                )
            })
    };
    // The category, named by its field and option, ahead of its tag.
    let late = line("Motivo: Envío tarde");
    assert_eq!(
        late.counts.topic,
        Topic::Category {
            field: motivo,
            value: "motivo_envio".into()
        }
    );
    assert_eq!((late.counts.count, late.counts.before), (5, 2));
    assert_eq!(late.counts.change_percent(), Some(150));
    assert_eq!(
        late.counts.channels,
        vec![(Channel::Web, 3), (Channel::Email, 2)]
    );
    // The newest three, newest first.
    let mut newest: Vec<(i64, TicketId)> = written
        .iter()
        .filter(|(_, p)| p.category.is_some() && in_week(p.created))
        .map(|(id, p)| (p.created, *id))
        .collect();
    newest.sort_by(|a, b| b.cmp(a));
    let examples: Vec<TicketId> = late.examples.iter().map(|(id, _)| *id).collect();
    assert_eq!(
        examples,
        newest.iter().take(3).map(|(_, id)| *id).collect::<Vec<_>>()
    );
    // The tag past the ignored one.
    let slow = line("web_lenta");
    assert_eq!((slow.counts.count, slow.counts.before), (2, 3));
    // The text: the returns (four this week in two languages, two the
    // week before) are one topic, the double charges another.
    let text_lines: Vec<&app::trends::Problem> = found
        .problems
        .iter()
        .filter(|p| matches!(p.counts.topic, Topic::Text(_)))
        .collect();
    let returns = text_lines
        .iter()
        .find(|p| p.name.contains("devolver"))
        .unwrap_or_else(|| {
            panic!(
                "no returns topic: {:?}",
                text_lines
                    .iter()
                    .map(|p| (&p.name, p.counts.count))
                    .collect::<Vec<_>>()
            )
        });
    let planned_returns = |f: &dyn Fn(i64) -> bool| {
        plan.iter()
            .filter(|p| RETURNS.iter().any(|r| r.0 == p.subject) && f(p.created))
            .count() as i64
    };
    assert_eq!(
        returns.counts.count,
        planned_returns(&in_week),
        "{:?}",
        text_lines
            .iter()
            .map(|p| (&p.name, p.counts.count))
            .collect::<Vec<_>>()
    );
    assert_eq!(returns.counts.before, planned_returns(&in_before));
    let answering = returns
        .answering
        .as_ref()
        .unwrap_or_else(|| panic!("the returns article answers it"));
    assert_eq!(answering.article.0, returns_article);
    let charges = text_lines
        .iter()
        .find(|p| {
            p.examples
                .iter()
                .any(|(_, s)| DOUBLE_CHARGE.iter().any(|d| d.0 == s))
        })
        .unwrap_or_else(|| panic!("no charges topic"));
    assert_eq!(
        charges.counts.count,
        3,
        "{:?}",
        text_lines
            .iter()
            .map(|p| (&p.name, p.counts.count))
            .collect::<Vec<_>>()
    );
    assert_eq!(charges.answering, None, "no article: a knowledge gap");
    // Most tickets first.
    let counts: Vec<i64> = found.problems.iter().map(|p| p.counts.count).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");

    // Each figure's tickets: the topic as a report filter.
    let mut drill = ask.clone();
    drill.filter.topic = Some(returns.counts.topic.clone());
    let (ids, total) = srv
        .app
        .report_tickets(actor, &drill, Slice::Created, 100)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(total as i64, returns.counts.count);
    assert!(ids.iter().all(|id| {
        written
            .iter()
            .any(|(w, p)| w == id && RETURNS.iter().any(|r| r.0 == p.subject))
    }));

    // A rebuild keeps every ticket's topic (the text is not read again).
    srv.app
        .rebuild_reports()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let again = srv
        .app
        .frequent_problems(actor, &ask, "es")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let key = |p: &app::trends::Problem| (p.counts.topic.clone(), p.counts.count, p.counts.before);
    assert_eq!(
        again.problems.iter().map(key).collect::<Vec<_>>(),
        found.problems.iter().map(key).collect::<Vec<_>>()
    );

    // The page: the table, the drill-down link and the gap, for staff
    // who read reports; refused to others.
    let mut b = Browser::new(&srv.base);
    b.sign_in("admin@example.com", "admin-password-1").await;
    let page = b
        .get(&format!("/agent/reports/problems?from={first}&to={today}"))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Motivo: Envío tarde"), "{}", page.body);
    assert!(
        page.body.contains("No article: a knowledge gap"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains(&format!("/hc/es/articles/{returns_article}")),
        "{}",
        page.body
    );
    assert!(page.body.contains("<svg class=\"chart\""));
    let link = format!("topic={}", late.counts.topic.key().replace(':', "%3A"));
    assert!(page.body.contains(&link), "{link} in {}", page.body);
    let listed = b
        .get(&format!(
            "/agent/reports/tickets?from={first}&to={today}&{link}&slice=created"
        ))
        .await;
    assert_eq!(
        listed.body.matches("class=\"ticket-link\"").count(),
        5,
        "{}",
        listed.body
    );
});

both!(
    a_spike_is_told_once_by_webhook_mail_and_workspace,
    |first| {
        let backend = first.backend;
        drop(first);
        let Relayed {
            srv,
            sink,
            maildir: _maildir,
            ..
        } = with_relay(backend).await;
        let admin = srv.admin();
        let actor = admin_actor(&srv).await;
        // Settings are checked: a spike of one ticket is refused in words.
        let mut b = Browser::new(&srv.base);
        b.sign_in("admin@example.com", "admin-password-1").await;
        let form = b.get("/agent/reports/problems").await;
        let csrf = super::workspace::hidden(&form.body, "csrf");
        let refused = b
            .post(
                "/agent/reports/problems",
                &[
                    ("csrf", &csrf),
                    ("min_tickets", "1"),
                    ("times_normal", "3"),
                    ("alert_emails", "ops@example.com"),
                ],
            )
            .await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(
            refused.body.contains("between 2 and 100000"),
            "{}",
            refused.body
        );
        let saved = b
            .post(
                "/agent/reports/problems",
                &[
                    ("csrf", &csrf),
                    ("min_tickets", "5"),
                    ("times_normal", "3"),
                    ("alert_emails", "ops@example.com"),
                    ("ignored_tags", ""),
                ],
            )
            .await;
        assert_eq!(saved.status, 303, "{}", saved.body);
        let (s, h) = srv
        .call("POST", "/api/v2/webhooks.json", &admin,
              Some(json!({"webhook": {"name": "Picos", "endpoint": "http://127.0.0.1:9/hook", "http_method": "POST", "request_format": "json", "status": "active", "subscriptions": ["topic.spike"]}})))
        .await;
        assert_eq!(s, 201, "{h}");
        let hook = h["webhook"]["id"].as_str().unwrap_or_default().to_string();
        let (customer, _) = srv
            .user_with_token("Cliente", "cliente@example.com", "end-user")
            .await;
        let customer = UserId(customer);
        let now = Timestamp::now().0;
        let tagged = |created: i64, tag: &str| Planned {
            created,
            channel: Channel::Web,
            subject: "No funciona",
            description: "La web no carga",
            tags: vec![tag.to_string()],
            category: None,
        };
        // An outage: 2 in the week before, 6 in the last hour. A busy topic:
        // 336 in the week before (2 an hour), 5 in the last hour (not 3×).
        let mut plan = Vec::new();
        for i in 0..2 {
            plan.push(tagged(now - 2 * DAY - i * HOUR, "caida"));
        }
        for i in 0..6 {
            plan.push(tagged(now - 50 * 60 + i * 60, "caida"));
        }
        for i in 0..336 {
            plan.push(tagged(now - HOUR - 60 - i * 1800, "envios"));
        }
        for i in 0..5 {
            plan.push(tagged(now - 40 * 60 + i * 60, "envios"));
        }
        for p in plan {
            write(&srv, customer, p).await;
        }
        fold(&srv).await;
        assert_eq!(
            srv.app
                .detect_spikes_at(Timestamp(now))
                .await
                .unwrap_or_else(|e| panic!("{e}")),
            1
        );
        // Once: the next passes find it again and say nothing.
        assert_eq!(
            srv.app
                .detect_spikes_at(Timestamp(now + 60))
                .await
                .unwrap_or_else(|e| panic!("{e}")),
            0
        );
        let spikes = srv
            .app
            .spikes_since(actor, Timestamp(now - DAY))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(spikes.len(), 1, "{spikes:?}");
        assert_eq!(spikes[0].topic, Topic::Tag("caida".into()));
        assert_eq!((spikes[0].tickets, spikes[0].week_before), (6, 2));
        // The webhook's call.
        let calls = srv
            .app
            .webhook_deliveries(actor, &hook)
            .await
            .unwrap_or_default();
        assert_eq!(calls.len(), 1);
        let body: Json = serde_json::from_str(&calls[0].body).unwrap_or_default();
        assert_eq!(body["type"], "topic.spike");
        assert_eq!(body["detail"]["topic"], "tag:caida");
        assert_eq!(body["detail"]["tickets"], 6);
        // The mail, through the relay.
        let mail = {
            let mut found = None;
            for _ in 0..100 {
                found = sink
                    .received()
                    .await
                    .into_iter()
                    .find(|m| m["subject"].as_str().unwrap_or_default().contains("caida"));
                if found.is_some() {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            found.unwrap_or_else(|| panic!("no spike mail"))
        };
        assert_eq!(mail["to"], "ops@example.com", "{mail}");
        assert!(
            mail["text"]
                .as_str()
                .unwrap_or_default()
                .contains("6 casos nuevos"),
            "{mail}"
        );
        // The workspace: every page tells staff who read reports.
        let desk = b.get("/agent").await;
        assert!(
            desk.body.contains("class=\"spike-notice\""),
            "{}",
            desk.body
        );
        assert!(desk.body.contains("caida"));
        let list = b.get("/agent/reports/problems").await;
        assert!(list.body.contains("6 tickets in an hour"), "{}", list.body);
    }
);
