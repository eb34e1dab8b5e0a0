//! Frequent problems (`/agent/reports/problems`): the period's most
//! frequent topics of new tickets against the period before (a bar chart
//! and the table beside it: count, change, channels, examples, the
//! article that answers it or a knowledge gap), the spikes of the last
//! week, and for admins how topics and spikes are found.

use super::Query;
use super::charts::{self, Mark};
use super::tables::channel_name;
use crate::Ui;
use crate::chrome::{chrome, error_page, refused_page, render};
use crate::session::{Agent, AgentForm};
use crate::view::Chrome;
use app::AppError;
use app::trends::{Problem, TopicSource};
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::Timestamp;
use domain::trends::Spike;
use domain::trends::TrendSettings;

/// Days shown without a period asked: this week.
const DEFAULT_DAYS: i64 = 7;
/// Spikes listed: those of the last week.
const SPIKES_FOR: i64 = 7 * 24 * 3600;

/// One line of the table.
struct Line {
    name: String,
    source: &'static str,
    count: i64,
    count_href: String,
    before: i64,
    change: String,
    channels: String,
    examples: Vec<(i64, String)>,
    article: Option<(String, String)>,
}

/// A spike as listed.
pub(crate) struct SpikeLine {
    pub name: String,
    pub tickets: i64,
    pub normal: String,
    pub hour: String,
    pub href: String,
}

/// The admins' form.
struct SettingsForm {
    ignored: String,
    min_tickets: i64,
    times_normal: String,
    emails: String,
}

impl SettingsForm {
    fn of(s: &TrendSettings) -> SettingsForm {
        SettingsForm {
            ignored: s.ignored_tags.join("\n"),
            min_tickets: s.spike.min_tickets,
            times_normal: format!("{}", s.spike.times_normal),
            emails: s.alert_emails.join("\n"),
        }
    }
}

#[derive(Template)]
#[template(path = "report_problems.html")]
struct ProblemsPage {
    chrome: Chrome,
    from: String,
    to: String,
    compared: String,
    chart: String,
    lines: Vec<Line>,
    total: i64,
    spikes: Vec<SpikeLine>,
    settings: Option<SettingsForm>,
    refused: Vec<String>,
}

/// `GET /agent/reports/problems`.
pub async fn page(State(ui): State<Ui>, agent: Agent, RawQuery(raw): RawQuery) -> Response {
    let raw = raw.unwrap_or_default();
    page_inner(&ui, &agent, &raw, None)
        .await
        .unwrap_or_else(|e| error_page(&agent, &e))
}

/// `POST /agent/reports/problems`: how topics and spikes are found
/// (admins).
pub async fn settings(State(ui): State<Ui>, AgentForm { agent, form }: AgentForm) -> Response {
    let lines = |key: &str| -> Vec<String> {
        form.get(key)
            .unwrap_or("")
            .split(|c: char| c == '\n' || c == ',' || c.is_whitespace())
            .filter(|r| !r.trim().is_empty())
            .map(|r| r.trim().to_string())
            .collect()
    };
    let mut s = TrendSettings {
        ignored_tags: lines("ignored_tags"),
        alert_emails: lines("alert_emails"),
        ..TrendSettings::default()
    };
    // Unreadable numbers are kept as out of range, so the refusal says so.
    s.spike.min_tickets = form
        .get("min_tickets")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    s.spike.times_normal = form
        .get("times_normal")
        .and_then(|v| v.trim().replace(',', ".").parse().ok())
        .unwrap_or(0.0);
    match ui.app.set_trend_settings(agent.user.actor, s.clone()).await {
        Ok(_) => Redirect::to("/agent/reports/problems#h-settings").into_response(),
        Err(AppError::Invalid(errors)) => {
            let refused = errors.iter().map(|e| e.description.clone()).collect();
            refused_page(
                &agent,
                page_inner(&ui, &agent, "", Some((s, refused))).await,
            )
        }
        Err(e) => error_page(&agent, &e),
    }
}

async fn page_inner(
    ui: &Ui,
    agent: &Agent,
    raw: &str,
    refused: Option<(TrendSettings, Vec<String>)>,
) -> Result<Response, AppError> {
    let actor = agent.user.actor;
    let q = Query::parse(raw);
    let mut ask = q.ask(&agent.user.time_zone);
    if q.from.is_none() {
        ask.first = ask
            .last
            .checked_sub(jiff::Span::new().days(DEFAULT_DAYS - 1))
            .unwrap_or(ask.last);
    }
    let found = ui
        .app
        .frequent_problems(actor, &ask, agent.lang.code())
        .await?;
    let spikes = ui
        .app
        .spikes_since(actor, Timestamp(Timestamp::now().0 - SPIKES_FOR))
        .await?;
    let (settings, refused) = match (actor.is_admin(), refused) {
        (false, _) => (None, Vec::new()),
        (true, Some((s, why))) => (Some(SettingsForm::of(&s)), why),
        (true, None) => (
            Some(SettingsForm::of(&ui.app.trend_settings(actor).await?)),
            Vec::new(),
        ),
    };
    let chrome = chrome(ui, agent, None, "", None).await?;
    let t = chrome.t;
    let clock = crate::view::Clock::new(&agent.user.time_zone);
    let base = q.base(&ask);
    let drill = |p: &Problem| {
        let mut s = form_urlencoded::Serializer::new(base.clone());
        s.append_pair("topic", &p.counts.topic.key());
        s.append_pair("slice", "created");
        format!("/agent/reports/tickets?{}", s.finish())
    };
    let lines: Vec<Line> = found
        .problems
        .iter()
        .map(|p| Line {
            name: p.name.clone(),
            source: match p.source {
                TopicSource::Category => t.problem_category,
                TopicSource::Tag => t.problem_tag,
                TopicSource::Text => t.problem_text,
            },
            count: p.counts.count,
            count_href: drill(p),
            before: p.counts.before,
            change: match p.counts.change_percent() {
                Some(c) => format!("{c:+} %"),
                None => t.problem_new.to_string(),
            },
            channels: p
                .counts
                .channels
                .iter()
                .map(|(c, n)| format!("{} {n}", channel_name(t, *c)))
                .collect::<Vec<_>>()
                .join(", "),
            examples: p.examples.iter().map(|(id, s)| (id.0, s.clone())).collect(),
            article: p.answering.as_ref().map(|a| {
                (
                    format!("/hc/{}/articles/{}", a.locale, a.article.0),
                    a.title.clone(),
                )
            }),
        })
        .collect();
    let marks: Vec<Mark> = found
        .problems
        .iter()
        .zip(&lines)
        .map(|(p, l)| Mark {
            label: p.name.chars().take(24).collect(),
            value: p.counts.count,
            href: l.count_href.clone(),
        })
        .collect();
    let previous = found.period.previous();
    let day = |ts| clock.show(ts).0.chars().take(10).collect::<String>();
    let page = ProblemsPage {
        from: ask.first.to_string(),
        to: ask.last.to_string(),
        compared: format!(
            "{} – {}, {} {} – {} ({})",
            ask.first,
            ask.last,
            t.report_compared,
            day(previous.from),
            day(Timestamp(previous.to.0 - 1)),
            agent.user.time_zone
        ),
        chart: if marks.is_empty() {
            String::new()
        } else {
            charts::bars(&marks)
        },
        lines,
        total: found.total,
        spikes: spikes.iter().map(|s| spike_line(&clock, s)).collect(),
        settings,
        refused,
        chrome,
    };
    Ok(render(StatusCode::OK, &page))
}

/// A spike as the workspace lists it (here and in every page's notice).
pub(crate) fn spike_line(clock: &crate::view::Clock, s: &Spike) -> SpikeLine {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("topic", &s.topic.key());
    SpikeLine {
        name: s.name.clone(),
        tickets: s.tickets,
        normal: format!("{:.1}", app::trends::spikes::normal(s)),
        hour: clock.show(s.hour_from).0,
        href: format!("/agent/reports/problems?{}", q.finish()),
    }
}
