//! The reports page (`/agent/reports`): filters, then each report as a
//! chart with its table beside it (the table is what screen readers read
//! and what the downloads hold); every figure links to the tickets behind
//! it (`/agent/reports/tickets`), and every table downloads as CSV or XLSX
//! (`/agent/reports/export`). The filters an agent last used are kept for
//! their next visit.

mod charts;
mod export;
mod goodwill;
pub(super) mod names;
pub mod problems;
mod tables;

pub use export::export;

use crate::Ui;
use crate::chrome::{chrome, error_page, refused_page, render};
use crate::session::Agent;
use crate::view::Chrome;
use app::AppError;
use app::reports::ReportAsk;
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::report::{ReportFilter, Slice};
use domain::{Channel, GroupId, OrgId, TicketFormId, UserId};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use tables::Table;

/// Tickets a drill-down lists at most.
const DRILL_LIMIT: usize = 500;

/// The page's query: the period and the filters, as the form sends them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Query {
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub filter: ReportFilter,
    pub slice: Option<Slice>,
    pub table: Option<String>,
    pub format: Option<String>,
}

impl Query {
    pub(crate) fn parse(raw: &str) -> Query {
        let mut q = Query::default();
        for (k, v) in form_urlencoded::parse(raw.as_bytes()) {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            match k.as_ref() {
                "from" => q.from = v.parse().ok(),
                "to" => q.to = v.parse().ok(),
                "channel" => q.filter.channel = v.parse().ok(),
                "group" => q.filter.group = v.parse().ok().map(GroupId),
                "agent" => q.filter.agent = v.parse().ok().map(UserId),
                "organization" => q.filter.organization = v.parse().ok().map(OrgId),
                "tag" => q.filter.tag = Some(v.to_lowercase()),
                "form" => q.filter.form = v.parse().ok().map(TicketFormId),
                "topic" => q.filter.topic = domain::trends::Topic::parse(v),
                "slice" => q.slice = Slice::parse(v),
                "table" => q.table = Some(v.to_string()),
                "format" => q.format = Some(v.to_string()),
                _ => {}
            }
        }
        q
    }

    /// The period and filters as a query string (no slice, table or
    /// format): what links add to.
    pub(crate) fn base(&self, ask: &ReportAsk) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        s.append_pair("from", &ask.first.to_string());
        s.append_pair("to", &ask.last.to_string());
        let f = &self.filter;
        if let Some(c) = f.channel {
            s.append_pair("channel", c.as_str());
        }
        if let Some(g) = f.group {
            s.append_pair("group", &g.0.to_string());
        }
        if let Some(a) = f.agent {
            s.append_pair("agent", &a.0.to_string());
        }
        if let Some(o) = f.organization {
            s.append_pair("organization", &o.0.to_string());
        }
        if let Some(t) = &f.tag {
            s.append_pair("tag", t);
        }
        if let Some(form) = f.form {
            s.append_pair("form", &form.0.to_string());
        }
        if let Some(t) = &f.topic {
            s.append_pair("topic", &t.key());
        }
        s.finish()
    }

    /// What to report on: the days asked (the last 30 by default, today
    /// included) in the agent's time zone.
    pub(crate) fn ask(&self, zone: &str) -> ReportAsk {
        let zone = TimeZone::get(zone).unwrap_or(TimeZone::UTC);
        let today = jiff::Timestamp::now().to_zoned(zone.clone()).date();
        let last = self.to.unwrap_or(today);
        let first = self
            .from
            .unwrap_or_else(|| last.checked_sub(jiff::Span::new().days(29)).unwrap_or(last));
        ReportAsk {
            first,
            last,
            zone,
            filter: self.filter.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    chrome: Chrome,
    from: String,
    to: String,
    tag: String,
    channels: Vec<(String, String, bool)>,
    groups: Vec<(String, String, bool)>,
    agents: Vec<(String, String, bool)>,
    forms: Vec<(String, String, bool)>,
    organizations: Vec<(String, String, bool)>,
    compared: String,
    tables: Vec<Table>,
    base: String,
    /// The weekly report's form, for admins.
    weekly: Option<WeeklyForm>,
    problems: Vec<String>,
}

/// The weekly report's schedule as the form shows it.
struct WeeklyForm {
    recipients: String,
    weekdays: Vec<(String, String, bool)>,
    hour: u8,
    time_zone: String,
    locales: Vec<(String, String, bool)>,
}

impl WeeklyForm {
    fn of(t: &crate::i18n::Text, s: &app::reports::weekly::WeeklySchedule) -> WeeklyForm {
        WeeklyForm {
            recipients: s.recipients.join("\n"),
            weekdays: t
                .report_weekdays
                .split(' ')
                .enumerate()
                .map(|(i, d)| (i.to_string(), d.to_string(), i == usize::from(s.weekday)))
                .collect(),
            hour: s.hour,
            time_zone: s.time_zone.clone(),
            locales: [("es", "Español"), ("en", "English")]
                .into_iter()
                .map(|(v, l)| (v.to_string(), l.to_string(), s.locale == v))
                .collect(),
        }
    }
}

/// `GET /agent/reports`: without a query, the agent's last one.
pub async fn page(State(ui): State<Ui>, agent: Agent, RawQuery(raw): RawQuery) -> Response {
    let actor = agent.user.actor;
    let raw = match raw.filter(|r| !r.is_empty()) {
        Some(r) => r,
        None => match ui.app.saved_report_query(actor).await {
            Ok(Some(saved)) if !saved.is_empty() => {
                return Redirect::to(&format!("/agent/reports?{saved}")).into_response();
            }
            _ => String::new(),
        },
    };
    match page_inner(&ui, &agent, &raw, None).await {
        Ok(r) => r,
        Err(e) => error_page(&agent, &e),
    }
}

/// `POST /agent/reports/weekly`: who gets the weekly report (admins).
pub async fn weekly(
    State(ui): State<Ui>,
    crate::session::AgentForm { agent, form }: crate::session::AgentForm,
) -> Response {
    let schedule = app::reports::weekly::WeeklySchedule {
        recipients: form
            .get("recipients")
            .unwrap_or("")
            .split(|c: char| c == '\n' || c == ',' || c.is_whitespace())
            .filter(|r| !r.trim().is_empty())
            .map(|r| r.trim().to_string())
            .collect(),
        weekday: form
            .get("weekday")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
        hour: form.get("hour").and_then(|v| v.parse().ok()).unwrap_or(8),
        time_zone: form.get("time_zone").unwrap_or("UTC").trim().to_string(),
        locale: form.get("locale").unwrap_or("es").to_string(),
    };
    let back = form.get("back").unwrap_or("").to_string();
    match ui
        .app
        .set_weekly_report_schedule(agent.user.actor, schedule.clone())
        .await
    {
        Ok(_) => Redirect::to(&format!("/agent/reports?{back}#h-weekly")).into_response(),
        Err(AppError::Invalid(errors)) => {
            let problems = errors.iter().map(|e| e.description.clone()).collect();
            refused_page(
                &agent,
                page_inner(&ui, &agent, &back, Some((schedule, problems))).await,
            )
        }
        Err(e) => error_page(&agent, &e),
    }
}

async fn page_inner(
    ui: &Ui,
    agent: &Agent,
    raw: &str,
    refused: Option<(app::reports::weekly::WeeklySchedule, Vec<String>)>,
) -> Result<Response, AppError> {
    let actor = agent.user.actor;
    let q = Query::parse(raw);
    let ask = q.ask(&agent.user.time_zone);
    let view = ui.app.report(actor, &ask).await?;
    let base = q.base(&ask);
    if !raw.is_empty() {
        ui.app.save_report_query(actor, base.clone()).await?;
    }
    let names = names::Names::load(ui, actor).await?;
    let chrome = chrome(ui, agent, None, "", None).await?;
    let t = chrome.t;
    let (weekly, problems) = match (actor.is_admin(), refused) {
        (false, _) => (None, Vec::new()),
        (true, Some((s, problems))) => (Some(WeeklyForm::of(t, &s)), problems),
        (true, None) => {
            let s = ui.app.weekly_report_schedule(actor).await?;
            (Some(WeeklyForm::of(t, &s)), Vec::new())
        }
    };
    let beside = beside(ui, agent, &view, &ask.filter).await?;
    let tables = tables::all(t, &view, &names, &beside, &base);
    let chosen = |v: Option<String>, list: Vec<(String, String)>| -> Vec<(String, String, bool)> {
        std::iter::once((String::new(), t.report_any.to_string(), v.is_none()))
            .chain(list.into_iter().map(|(id, name)| {
                let on = v.as_deref() == Some(id.as_str());
                (id, name, on)
            }))
            .collect()
    };
    let listed = |m: &std::collections::BTreeMap<i64, String>| -> Vec<(String, String)> {
        m.iter()
            .map(|(id, n)| (id.to_string(), n.clone()))
            .collect()
    };
    let f = &q.filter;
    let previous = view.period.previous();
    let clock = crate::view::Clock::new(&agent.user.time_zone);
    let day = |ts| clock.show(ts).0.chars().take(10).collect::<String>();
    let page = ReportsPage {
        from: ask.first.to_string(),
        to: ask.last.to_string(),
        tag: f.tag.clone().unwrap_or_default(),
        channels: chosen(
            f.channel.map(|c| c.as_str().to_string()),
            Channel::ALL
                .iter()
                .filter(|c| c.carries_replies() || **c == Channel::Web || **c == Channel::Voice)
                .map(|c| (c.as_str().to_string(), tables::channel_name(t, *c)))
                .collect(),
        ),
        groups: chosen(f.group.map(|g| g.0.to_string()), listed(&names.groups)),
        agents: chosen(f.agent.map(|a| a.0.to_string()), listed(&names.agents)),
        organizations: chosen(
            f.organization.map(|o| o.0.to_string()),
            listed(&names.organizations),
        ),
        forms: chosen(f.form.map(|form| form.0.to_string()), listed(&names.forms)),
        compared: format!(
            "{} – {}, {} {} – {} ({})",
            ask.first,
            ask.last,
            t.report_compared,
            day(previous.from),
            day(domain::Timestamp(previous.to.0 - 1)),
            agent.user.time_zone
        ),
        tables,
        base,
        weekly,
        problems,
        chrome,
    };
    Ok(render(StatusCode::OK, &page))
}

/// The period's calls and bot figures, and the period's before.
pub(crate) async fn beside(
    ui: &Ui,
    agent: &Agent,
    view: &app::reports::ReportView,
    filter: &ReportFilter,
) -> Result<tables::Beside, AppError> {
    let actor = agent.user.actor;
    let (p, before) = (view.period, view.period.previous());
    Ok(tables::Beside {
        calls: (
            ui.app.call_overview_between(actor, p.from, p.to).await?,
            ui.app
                .call_overview_between(actor, before.from, before.to)
                .await?,
        ),
        bot: (
            ui.app.bot_figures_between(actor, p.from, p.to).await?,
            ui.app
                .bot_figures_between(actor, before.from, before.to)
                .await?,
        ),
        goodwill: (
            ui.app.gesture_totals(actor, p, filter).await?,
            ui.app.gesture_totals(actor, before, filter).await?,
        ),
    })
}

#[derive(Template)]
#[template(path = "report_tickets.html")]
struct DrillPage {
    chrome: Chrome,
    back: String,
    heading: String,
    rows: Vec<crate::view::TicketRow>,
}

/// `GET /agent/reports/tickets?…&slice=…`: the tickets behind a figure.
pub async fn tickets(State(ui): State<Ui>, agent: Agent, RawQuery(raw): RawQuery) -> Response {
    let inner = async {
        let raw = raw.unwrap_or_default();
        let q = Query::parse(&raw);
        let slice = q.slice.ok_or(AppError::NotFound)?;
        let ask = q.ask(&agent.user.time_zone);
        let actor = agent.user.actor;
        let (ids, total) = ui
            .app
            .report_tickets(actor, &ask, slice, DRILL_LIMIT)
            .await?;
        let found = ui.app.tickets_by_ids(actor, &ids).await?;
        let mut people: Vec<UserId> = found
            .iter()
            .flat_map(|t| [Some(t.requester_id), t.assignee_id])
            .flatten()
            .collect();
        people.sort_unstable();
        people.dedup();
        let users = ui.app.users_by_ids(actor, &people).await?;
        let names = crate::view::names(&users);
        let chrome = chrome(&ui, &agent, None, "", None).await?;
        let clock = crate::view::Clock::new(&agent.user.time_zone);
        let rows = ids
            .iter()
            .filter_map(|id| found.iter().find(|t| t.id == *id))
            .map(|tk| crate::view::ticket_row(chrome.t, &clock, &names, tk))
            .collect();
        let page = DrillPage {
            back: format!("/agent/reports?{}", q.base(&ask)),
            heading: format!(
                "{} · {} – {} · {} {}",
                chrome.t.report_drill, ask.first, ask.last, total, chrome.t.report_drill_count
            ),
            rows,
            chrome,
        };
        Ok::<_, AppError>(render(StatusCode::OK, &page))
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}
