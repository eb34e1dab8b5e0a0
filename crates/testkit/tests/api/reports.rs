//! Reports are exact: a generated history of 60 days (tickets on several
//! channels, agents' and customers' replies, solves, reopens, ratings) is
//! written with its own instants, folded from the event log, and every
//! figure of the report is compared with the same figure computed by brute
//! force from the generator's plan — which knows what happened without
//! reading anything atiende wrote.

use super::*;
use app::reports::ReportAsk;
use domain::audit::{AuditEvent, CommentEvent};
use domain::report::ReportFilter;
use domain::{Channel, GroupId, Status, TicketFormId, TicketId, Timestamp, UserId};
use std::collections::BTreeMap;

/// A deterministic generator.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// One thing that happened to a planned ticket.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Step {
    AgentReply,
    CustomerReply,
    Status(Status),
}

/// A ticket as the generator planned it.
#[derive(Debug, Clone)]
struct Planned {
    created: i64,
    channel: Channel,
    agent: Option<UserId>,
    group: Option<GroupId>,
    tags: Vec<String>,
    form: Option<TicketFormId>,
    steps: Vec<(i64, Step)>,
    rating: Option<bool>,
}

impl Planned {
    /// The latest solve that no reopen followed.
    fn solved_at(&self) -> Option<i64> {
        let mut solved = None;
        for (at, s) in &self.steps {
            if let Step::Status(st) = s {
                solved = st.is_done().then_some(*at);
            }
        }
        solved
    }

    fn agent_replies(&self) -> Vec<i64> {
        self.steps
            .iter()
            .filter(|(_, s)| *s == Step::AgentReply)
            .map(|(at, _)| *at)
            .collect()
    }

    fn reopens(&self) -> usize {
        let mut done = false;
        let mut n = 0;
        for (_, s) in &self.steps {
            if let Step::Status(st) = s {
                if done && !st.is_done() {
                    n += 1;
                }
                done = st.is_done();
            }
        }
        n
    }

    /// Minutes in (new, open, hold) and in (new, open) until `end`.
    fn waits(&self, end: i64) -> (i64, i64) {
        let (mut status, mut since) = (Status::New, self.created);
        let (mut wait, mut work) = (0, 0);
        let mut add = |st: Status, from: i64, to: i64| {
            let m = (to - from).max(0) / 60;
            match st {
                Status::New | Status::Open => {
                    wait += m;
                    work += m;
                }
                Status::Hold => wait += m,
                _ => {}
            }
        };
        for (at, s) in &self.steps {
            if let Step::Status(st) = s
                && *st != status
            {
                add(status, since, *at);
                status = *st;
                since = *at;
            }
        }
        add(status, since, end);
        (wait, work)
    }
}

/// Plans `n` tickets over the 60 days before `now`.
fn plan(
    n: usize,
    now: i64,
    agents: &[UserId],
    groups: &[GroupId],
    forms: &[TicketFormId],
) -> Vec<Planned> {
    let mut rng = Rng(0x5eed_1234_abcd);
    let channels = [
        Channel::Email,
        Channel::Web,
        Channel::Chat,
        Channel::WhatsApp,
        Channel::Sms,
    ];
    (0..n)
        .map(|_| {
            let created = now - 60 * 86_400 + rng.below(59 * 86_400) as i64;
            let agent_i = rng.below(agents.len() as u64 + 1) as usize;
            let agent = agents.get(agent_i).copied();
            let mut steps = Vec::new();
            let mut at = created;
            if agent.is_some() {
                steps.push((at + 60, Step::Status(Status::Open)));
                at += 60;
                for _ in 0..rng.below(6) {
                    at += 300 + rng.below(2 * 86_400) as i64;
                    let step = match rng.below(7) {
                        0 | 1 | 2 => Step::AgentReply,
                        3 => Step::CustomerReply,
                        4 => Step::Status(Status::Pending),
                        5 => Step::Status(Status::Hold),
                        _ => Step::Status(Status::Open),
                    };
                    steps.push((at, step));
                }
                if rng.below(3) > 0 {
                    at += 600 + rng.below(86_400) as i64;
                    steps.push((at, Step::Status(Status::Solved)));
                    if rng.below(5) == 0 {
                        at += 3_600 + rng.below(86_400) as i64;
                        steps.push((at, Step::Status(Status::Open)));
                        at += 600 + rng.below(86_400) as i64;
                        steps.push((at, Step::AgentReply));
                        if rng.below(2) == 0 {
                            at += 600;
                            steps.push((at, Step::Status(Status::Solved)));
                        }
                    }
                }
            }
            steps.retain(|(t, _)| *t < now);
            let tags = if rng.below(4) == 0 {
                vec!["vip".to_string()]
            } else {
                Vec::new()
            };
            let rated = steps
                .iter()
                .any(|(_, s)| *s == Step::Status(Status::Solved));
            Planned {
                created,
                channel: channels[rng.below(channels.len() as u64) as usize],
                agent,
                group: agent.map(|_| groups[agent_i % groups.len()]),
                tags,
                form: forms
                    .get(rng.below(forms.len() as u64 + 1) as usize)
                    .copied(),
                rating: (rated && rng.below(2) == 0).then(|| rng.below(3) > 0),
                steps,
            }
        })
        .collect()
}

/// Writes a planned ticket as its audits, its rating and its event.
async fn write(srv: &TestServer, customer: UserId, p: Planned) -> TicketId {
    srv.app
        .write(move |c| {
            Box::pin(async move {
                let last = p.steps.last().map_or(p.created, |(at, _)| *at);
                let status = p
                    .steps
                    .iter()
                    .rev()
                    .find_map(|(_, s)| match s {
                        Step::Status(st) => Some(*st),
                        _ => None,
                    })
                    .unwrap_or(Status::New);
                let t = store::model::Ticket {
                    subject: "Informe".into(),
                    description: "Detalles".into(),
                    status,
                    assignee_id: p.agent,
                    group_id: p.group,
                    tags: p.tags.clone(),
                    ticket_form_id: p.form,
                    updated_at: Timestamp(last),
                    solved_at: p.solved_at().map(Timestamp),
                    ..ticket_at(customer, p.channel, p.created)
                };
                let id = store::repo::tickets::insert(c, &t).await?;
                let comment = |author: UserId| {
                    AuditEvent::Comment(CommentEvent {
                        author_id: author,
                        body: "texto".into(),
                        html_body: "<p>texto</p>".into(),
                        plain_body: "texto".into(),
                        public: true,
                        attachment_ids: vec![],
                    })
                };
                let first = vec![
                    comment(customer),
                    AuditEvent::Create {
                        field_name: "status".into(),
                        value: "new".into(),
                    },
                ];
                store::repo::comments::insert_audit(
                    c,
                    id,
                    customer,
                    p.channel,
                    &first,
                    Timestamp(p.created),
                )
                .await?;
                let mut status = Status::New;
                for (at, s) in &p.steps {
                    let (author, events) = match s {
                        Step::AgentReply => (
                            p.agent.unwrap_or(customer),
                            vec![comment(p.agent.unwrap_or(customer))],
                        ),
                        Step::CustomerReply => (customer, vec![comment(customer)]),
                        Step::Status(st) => {
                            let e = AuditEvent::Change {
                                field_name: "status".into(),
                                value: st.as_str().into(),
                                previous_value: status.as_str().into(),
                            };
                            status = *st;
                            (p.agent.unwrap_or(customer), vec![e])
                        }
                    };
                    store::repo::comments::insert_audit(
                        c,
                        id,
                        author,
                        p.channel,
                        &events,
                        Timestamp(*at),
                    )
                    .await?;
                }
                if let Some(good) = p.rating {
                    let r = store::model::SatisfactionRating {
                        id: domain::RatingId(0),
                        ticket_id: id,
                        requester_id: customer,
                        assignee_id: p.agent,
                        group_id: p.group,
                        score: if good {
                            domain::model::RatingScore::Good
                        } else {
                            domain::model::RatingScore::Bad
                        },
                        comment: None,
                        created_at: Timestamp(last),
                        updated_at: Timestamp(last),
                        reason_code: 0,
                        channel: Some(Channel::Email),
                    };
                    store::repo::rules::upsert_rating(c, &r).await?;
                }
                store::events::append(
                    c,
                    store::events::NewEvent {
                        entity: store::events::Entity::Ticket,
                        entity_id: id.0,
                        kind: store::events::EventKind::Created,
                        audit: None,
                        actor: Some(customer),
                        at: Timestamp(last),
                    },
                )
                .await?;
                Ok::<_, app::AppError>(id)
            })
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Nearest-rank median and p90, written again here.
fn spread(mut v: Vec<i64>) -> (usize, Option<i64>, Option<i64>) {
    v.sort_unstable();
    let at = |p: usize| {
        if v.is_empty() {
            None
        } else {
            let rank = ((p * v.len()) as f64 / 100.0).ceil().max(1.0) as usize;
            Some(v[rank - 1])
        }
    };
    (v.len(), at(50), at(90))
}

/// A generated history of `n` tickets, written and folded: the agents,
/// the groups and each ticket's plan.
async fn history(
    srv: &TestServer,
    n: usize,
) -> (Vec<UserId>, Vec<GroupId>, BTreeMap<TicketId, Planned>) {
    let admin = srv.admin();
    let mut agents = Vec::new();
    for i in 0..3 {
        let (id, _) = srv
            .user_with_token(
                &format!("Agente {i}"),
                &format!("agente{i}@example.com"),
                "agent",
            )
            .await;
        agents.push(UserId(id));
    }
    let mut groups = Vec::new();
    for name in ["Ventas", "Soporte"] {
        let (s, b) = srv
            .call(
                "POST",
                "/api/v2/groups.json",
                &admin,
                Some(json!({"group": {"name": name}})),
            )
            .await;
        assert_eq!(s, 201, "{b}");
        groups.push(GroupId(b["group"]["id"].as_i64().unwrap_or_default()));
    }
    let mut forms = Vec::new();
    for name in ["Pedidos", "Facturas"] {
        forms.push(TicketFormId(new_ticket_form(srv, name).await));
    }
    let (customer, _) = srv
        .user_with_token("Cliente", "cliente@example.com", "end-user")
        .await;
    let now = Timestamp::now().0;
    let planned = plan(n, now, &agents, &groups, &forms);
    let mut by_id = BTreeMap::new();
    for p in planned {
        let id = write(srv, UserId(customer), p.clone()).await;
        by_id.insert(id, p);
    }
    srv.app
        .fold_reports()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    (agents, groups, by_id)
}

both!(
    every_figure_matches_a_brute_force_count_of_the_history,
    |srv| {
        let (agents, groups, by_id) = history(&srv, 300).await;
        let now = Timestamp::now().0;
        let actor = admin_actor(&srv).await;
        // The last 30 whole UTC days, then only the VIP tickets of one group.
        let today = jiff::Timestamp::from_second(now)
            .unwrap_or_else(|e| panic!("{e}"))
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date();
        let first = today
            .checked_sub(jiff::Span::new().days(30))
            .unwrap_or(today);
        let last = today
            .checked_sub(jiff::Span::new().days(1))
            .unwrap_or(today);
        for filter in [
            ReportFilter::default(),
            ReportFilter {
                group: Some(groups[1]),
                tag: Some("vip".into()),
                ..ReportFilter::default()
            },
            ReportFilter {
                form: by_id.values().find_map(|p| p.form),
                ..ReportFilter::default()
            },
        ] {
            let ask = ReportAsk {
                first,
                last,
                zone: jiff::tz::TimeZone::UTC,
                filter: filter.clone(),
            };
            let view = srv
                .app
                .report(actor, &ask)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let r = &view.current;
            let (from, to) = (view.period.from.0, view.period.to.0);
            let inside = |t: i64| from <= t && t < to;
            let mine: Vec<&Planned> = by_id
                .values()
                .filter(|p| filter.group.is_none_or(|g| p.group == Some(g)))
                .filter(|p| filter.tag.as_ref().is_none_or(|t| p.tags.contains(t)))
                .filter(|p| filter.form.is_none_or(|f| p.form == Some(f)))
                .collect();
            let created: Vec<&&Planned> = mine.iter().filter(|p| inside(p.created)).collect();
            let solved: Vec<&&Planned> = mine
                .iter()
                .filter(|p| p.solved_at().is_some_and(inside))
                .collect();
            assert_eq!(r.created, created.len(), "{filter:?}");
            assert_eq!(r.solved, solved.len(), "{filter:?}");
            let mut by_channel = BTreeMap::new();
            for p in &created {
                *by_channel.entry(p.channel).or_insert(0usize) += 1;
            }
            assert_eq!(r.created_by_channel, by_channel);
            let first_reply = spread(
                created
                    .iter()
                    .filter_map(|p| p.agent_replies().first().map(|a| (a - p.created) / 60))
                    .collect(),
            );
            assert_eq!(
                (
                    r.first_reply.calendar.count,
                    r.first_reply.calendar.median,
                    r.first_reply.calendar.p90
                ),
                first_reply
            );
            // Business minutes (the default schedule's arithmetic is
            // tested with the schedules): the same tickets, never more.
            assert_eq!(r.first_reply.business.count, r.first_reply.calendar.count);
            assert!(r.first_reply.business.median <= r.first_reply.calendar.median);
            let resolution = spread(
                solved
                    .iter()
                    .filter_map(|p| p.solved_at().map(|s| (s - p.created) / 60))
                    .collect(),
            );
            assert_eq!(
                (
                    r.resolution.calendar.count,
                    r.resolution.calendar.median,
                    r.resolution.calendar.p90
                ),
                resolution
            );
            let waits: Vec<(i64, i64)> = solved
                .iter()
                .map(|p| p.waits(p.solved_at().unwrap_or(0)))
                .collect();
            let wait = spread(waits.iter().map(|w| w.0).collect());
            let work = spread(waits.iter().map(|w| w.1).collect());
            assert_eq!(
                (
                    r.requester_wait.calendar.count,
                    r.requester_wait.calendar.median,
                    r.requester_wait.calendar.p90
                ),
                wait
            );
            assert_eq!(
                (
                    r.agent_work.calendar.count,
                    r.agent_work.calendar.median,
                    r.agent_work.calendar.p90
                ),
                work
            );
            assert_eq!(
                r.reopened,
                solved.iter().filter(|p| p.reopens() > 0).count()
            );
            assert_eq!(
                r.one_touch,
                solved
                    .iter()
                    .filter(|p| p.reopens() == 0 && p.agent_replies().len() == 1)
                    .count()
            );
            assert_eq!(
                r.replies,
                solved
                    .iter()
                    .map(|p| p.agent_replies().len())
                    .sum::<usize>()
            );
            let good = solved.iter().filter(|p| p.rating == Some(true)).count();
            let bad = solved.iter().filter(|p| p.rating == Some(false)).count();
            assert_eq!((r.satisfaction.good, r.satisfaction.bad), (good, bad));
            for (i, agent) in agents.iter().enumerate() {
                let theirs = solved.iter().filter(|p| p.agent == Some(*agent)).count();
                assert_eq!(
                    r.by_agent.get(agent).map_or(0, |l| l.solved),
                    theirs,
                    "agent {i}"
                );
            }
            let day_total: usize = r.by_day.iter().map(|d| d.0).sum();
            assert_eq!(day_total, r.created, "every created ticket falls on a day");
            let backlog = mine.iter().filter(|p| p.created < to).count() as i64
                - mine
                    .iter()
                    .filter(|p| p.solved_at().is_some_and(|s| s < to))
                    .count() as i64;
            assert_eq!(r.backlog.last().copied(), Some(backlog), "{filter:?}");
            let heat: usize = r.heat.iter().flatten().sum();
            assert_eq!(heat, r.created);
            assert_eq!(r.ack.count, 0, "nothing was sent to these customers");
        }
        // A rebuild folds the same facts again.
        let before = srv
            .app
            .report(
                actor,
                &ReportAsk {
                    first,
                    last,
                    zone: jiff::tz::TimeZone::UTC,
                    filter: ReportFilter::default(),
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        srv.app
            .rebuild_reports()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let after = srv
            .app
            .report(
                actor,
                &ReportAsk {
                    first,
                    last,
                    zone: jiff::tz::TimeZone::UTC,
                    filter: ReportFilter::default(),
                },
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(before.current, after.current);
    }
);

/// Runs `tests/clients/read_export.py` on a downloaded file: its rows.
async fn opened(name: &str, bytes: Vec<u8>) -> Json {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(super::email::pyenv())
            .arg(repo_root().join("tests/clients/read_export.py"))
            .arg(&path)
            .output()
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"))
    .unwrap_or_else(|e| panic!("python: {e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"))
}

both!(the_reports_page_drills_down_and_downloads, |srv| {
    use super::workspace::Browser;
    let (_, _, by_id) = history(&srv, 120).await;
    let now = Timestamp::now().0;
    let today = jiff::Timestamp::from_second(now)
        .unwrap_or_else(|e| panic!("{e}"))
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    let first = today
        .checked_sub(jiff::Span::new().days(29))
        .unwrap_or(today);
    let query = format!("from={first}&to={today}");
    // A call answered today: the calls' table appears.
    for event in ["ringing", "answered", "ended"] {
        let (s, b) = srv
            .call("POST", "/api/v2/calls/events.json", &srv.admin(),
                  Some(json!({"call_event": {"event": event, "provider": "centralita", "call_id": "R-1",
                      "from": "+34611000999", "to": "+34910000000"}})))
            .await;
        assert_eq!(s, 200, "{b}");
    }
    let (s, org) = srv
        .call(
            "POST",
            "/api/v2/organizations.json",
            &srv.admin(),
            Some(json!({"organization": {"name": "Acme Ibérica"}})),
        )
        .await;
    assert_eq!(s, 201, "{org}");
    let mut b = Browser::new(&srv.base);
    b.sign_in("admin@example.com", "admin-password-1").await;
    let page = b.get(&format!("/agent/reports?{query}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("id=\"h-calls\""), "{}", page.body);
    assert!(page.body.contains("id=\"h-bot\""), "{}", page.body);
    assert!(
        page.body.contains("<svg class=\"chart\""),
        "charts drawn on the server"
    );
    // The tickets behind "created": as many as the figure says.
    let from = jiff::civil::Date::to_zoned(first, jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp().as_second())
        .unwrap_or(0);
    let created = by_id.values().filter(|p| p.created >= from).count();
    let drill = b
        .get(&format!("/agent/reports/tickets?{query}&slice=created"))
        .await;
    assert_eq!(drill.status, 200, "{}", drill.body);
    let listed = drill.body.matches("class=\"ticket-link\"").count();
    assert_eq!(listed, created, "{}", drill.body);
    // Narrowed to a request form: the filter is offered and counts only
    // the tickets made with it.
    assert!(page.body.contains("id=\"r-form\""), "{}", page.body);
    assert!(
        page.body.contains("id=\"r-organization\"") && page.body.contains("Acme Ibérica"),
        "{}",
        page.body
    );
    let form = by_id
        .values()
        .find_map(|p| p.form)
        .unwrap_or(TicketFormId(0));
    let with_form = by_id
        .values()
        .filter(|p| p.created >= from && p.form == Some(form))
        .count();
    let drill = b
        .get(&format!(
            "/agent/reports/tickets?{query}&form={form}&slice=created"
        ))
        .await;
    let listed = drill.body.matches("class=\"ticket-link\"").count();
    assert_eq!(listed, with_form, "{}", drill.body);
    // The last visit's filters come back without a query.
    let again = b.get("/agent/reports").await;
    assert_eq!(again.status, 303);
    assert!(
        again.location.contains(&format!("from={first}")),
        "{}",
        again.location
    );
    // The downloads, opened as a spreadsheet program would.
    let csv = b
        .get_bytes(&format!(
            "/agent/reports/export?{query}&table=days&format=csv"
        ))
        .await;
    let xlsx = b
        .get_bytes(&format!(
            "/agent/reports/export?{query}&table=days&format=xlsx"
        ))
        .await;
    let csv = opened("days.csv", csv).await;
    let xlsx = opened("days.xlsx", xlsx).await;
    let csv_rows = csv["rows"].as_array().cloned().unwrap_or_default();
    let xlsx_rows = xlsx["rows"].as_array().cloned().unwrap_or_default();
    assert_eq!(csv_rows.len(), 31, "a header and 30 days: {csv}");
    assert_eq!(xlsx_rows.len(), 31, "{xlsx}");
    assert_eq!(xlsx["sheet"], "days");
    for (c, x) in csv_rows.iter().zip(&xlsx_rows).skip(1) {
        // The same day and counts; numbers are numbers in the spreadsheet.
        assert_eq!(c[0], x[0]);
        assert_eq!(
            c[1].as_str().and_then(|v| v.parse::<f64>().ok()),
            x[1].as_f64(),
            "{c} {x}"
        );
    }
    let total: f64 = xlsx_rows.iter().skip(1).filter_map(|r| r[1].as_f64()).sum();
    assert_eq!(total as usize, created, "every created ticket on its day");
    browser_flow(&srv, "reports_flow.mjs", &[("REPORT_QUERY", query)]).await;
});

both!(the_weekly_report_is_mailed_once_a_week, |first| {
    use super::email::{Relayed, with_relay};
    use app::reports::weekly::WeeklySchedule;
    let backend = first.backend;
    drop(first);
    let Relayed {
        srv,
        sink,
        maildir: _maildir,
        ..
    } = with_relay(backend).await;
    history(&srv, 40).await;
    let admin = admin_actor(&srv).await;
    let refused = srv
        .app
        .set_weekly_report_schedule(
            admin,
            WeeklySchedule {
                recipients: vec!["no es un correo".into()],
                ..WeeklySchedule::default()
            },
        )
        .await;
    assert!(
        matches!(refused, Err(app::AppError::Invalid(_))),
        "{refused:?}"
    );
    let now = Timestamp::now();
    // Due every day at this hour (the weekday it is now, an hour ago).
    let z = jiff::Timestamp::from_second(now.0)
        .unwrap_or_else(|e| panic!("{e}"))
        .to_zoned(jiff::tz::TimeZone::UTC);
    let schedule = WeeklySchedule {
        recipients: vec!["Jefa@Example.com".into(), "jefa@example.com".into()],
        weekday: z.weekday().to_monday_zero_offset() as u8,
        // jiff's hour is an i8: at midnight the hour before is yesterday's,
        // and the schedule names this day's first hour instead.
        hour: (z.hour() - 1).max(0) as u8,
        time_zone: "UTC".into(),
        locale: "es".into(),
    };
    let kept = srv
        .app
        .set_weekly_report_schedule(admin, schedule)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(kept.recipients, ["jefa@example.com"], "one form, once");
    if z.hour() == 0 {
        return; // the hour before is yesterday's: nothing is due yet
    }
    assert!(srv.app.send_weekly_report_at(now).await.unwrap_or(false));
    assert!(
        !srv.app.send_weekly_report_at(now).await.unwrap_or(true),
        "once a week"
    );
    let mut mails = Vec::new();
    for _ in 0..100 {
        mails = sink
            .received()
            .await
            .into_iter()
            .filter(|m| {
                m["subject"]
                    .as_str()
                    .unwrap_or_default()
                    .starts_with("Informe semanal")
            })
            .collect();
        if !mails.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0]["to"], "jefa@example.com");
    let text = mails[0]["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("Tickets creados:") && text.contains("Semana anterior"),
        "{text}"
    );
    assert!(text.contains("/agent/reports?from="), "{text}");
});

/// Every ticket's packed facts, by ticket.
async fn packed_facts(srv: &TestServer) -> Vec<(i64, Option<Vec<u8>>)> {
    srv.app
        .write(|c| {
            Box::pin(async move {
                let rows = c
                    .all(store::q(
                        "SELECT ticket_id, packed FROM report_tickets ORDER BY ticket_id",
                    ))
                    .await?;
                let mut out = Vec::new();
                for r in rows {
                    out.push((r.int(0)?, r.opt_bytes(1)?));
                }
                Ok::<_, app::AppError>(out)
            })
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

both!(the_migration_packs_facts_as_the_fold_does, |srv| {
    // Facts folded by this atiende are packed by its own code; facts that
    // were already folded when the packed column came were packed by the
    // migration's SQL. Both must give the same bytes.
    history(&srv, 60).await;
    let migration = match srv.backend {
        atiende_testkit::Backend::Sqlite => {
            include_str!("../../../store/migrations/0045_report_packed.sqlite.sql")
        }
        atiende_testkit::Backend::Postgres => {
            include_str!("../../../store/migrations/0045_report_packed.postgres.sql")
        }
    };
    let update = migration
        .split_once("UPDATE report_tickets")
        .map(|(_, rest)| format!("UPDATE report_tickets{rest}"))
        .unwrap_or_default();
    let by_fold = packed_facts(&srv).await;
    assert_eq!(by_fold.len(), 60);
    assert!(by_fold.iter().all(|(_, b)| b.is_some()));
    srv.app
        .write(move |c| {
            Box::pin(async move {
                c.exec(store::q(update)).await?;
                Ok::<_, app::AppError>(())
            })
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let by_sql = packed_facts(&srv).await;
    assert_eq!(by_sql, by_fold);
});
