//! Admin pages for business rules and service: triggers and automations,
//! SLA policies and schedules, routing (settings, skills, agents'
//! capacity, languages and skills), and webhooks with their delivery log.
//! Rules' conditions and actions are edited as Zendesk's JSON (what admins
//! coming from Zendesk know, and what the API takes); schedules as lines
//! like `mon 09:00-14:00`; skills as `billing:4, technical:2`.

mod forms;
pub use forms::*;

use crate::Ui;
use crate::chrome::{chrome, error_page, render};
use crate::session::{Agent, AgentForm, Form};
use crate::view::Chrome;
use app::AppError;
use app::business_hours::ScheduleInput;
use app::routing::ProfileChange;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::UserId;
use domain::model::business_rules::RuleKind;
use domain::model::schedules::Holiday;
use serde_json::{Value as Json, json};

const DAYS: [(&str, &str); 7] = [
    ("sun", "dom"),
    ("mon", "lun"),
    ("tue", "mar"),
    ("wed", "mié"),
    ("thu", "jue"),
    ("fri", "vie"),
    ("sat", "sáb"),
];

/// `[[start, end]]` week minutes as `mon 09:00-14:00` lines.
pub fn intervals_text(intervals: &[(u32, u32)]) -> String {
    intervals
        .iter()
        .map(|(s, e)| {
            let day = (s / 1440) as usize % 7;
            let hm = |m: u32| format!("{:02}:{:02}", (m % 1440) / 60, m % 60);
            format!("{} {}-{}", DAYS[day].0, hm(*s), hm(*e))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads `mon 09:00-14:00` (or `lun 09:00-14:00`) lines; an end before the
/// start runs past midnight.
pub fn parse_intervals(text: &str) -> Result<Vec<(u32, u32)>, AppError> {
    let bad = |l: &str| {
        AppError::field(app::FieldError::invalid(
            "intervals",
            format!("{l:?}: write lines like mon 09:00-14:00"),
        ))
    };
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (day, range) = line.split_once(' ').ok_or_else(|| bad(line))?;
        let d = DAYS
            .iter()
            .position(|(en, es)| {
                day.eq_ignore_ascii_case(en)
                    || day.to_lowercase() == *es
                    || day.to_lowercase() == es.replace('é', "e").replace('á', "a")
            })
            .ok_or_else(|| bad(line))? as u32;
        let (a, b) = range.trim().split_once('-').ok_or_else(|| bad(line))?;
        let minutes = |t: &str| -> Option<u32> {
            let (h, m) = t.trim().split_once(':')?;
            Some(h.parse::<u32>().ok()? * 60 + m.parse::<u32>().ok()?)
        };
        let (s, mut e) = (
            minutes(a).ok_or_else(|| bad(line))?,
            minutes(b).ok_or_else(|| bad(line))?,
        );
        if e <= s {
            e += 1440;
        }
        out.push((d * 1440 + s, d * 1440 + e));
    }
    Ok(out)
}

pub struct RuleRow {
    pub id: i64,
    /// Prefix of the form's element ids.
    pub prefix: String,
    pub kind: &'static str,
    pub title: String,
    pub active: bool,
    pub position: i64,
    pub conditions: String,
    pub actions: String,
    pub builtin: bool,
}

#[derive(Template)]
#[template(path = "admin_rules.html")]
struct RulesPage {
    chrome: Chrome,
    section: &'static str,
    secret: Option<String>,
    triggers: Vec<RuleRow>,
    automations: Vec<RuleRow>,
    fields: Vec<&'static str>,
}

pub struct ScheduleRow {
    pub id: i64,
    pub name: String,
    pub time_zone: String,
    pub hours: String,
    pub holidays: String,
}

pub struct PolicyRow {
    pub id: i64,
    pub title: String,
    pub position: i64,
    pub filter: String,
    pub metrics: String,
    pub schedule_id: i64,
}

#[derive(Template)]
#[template(path = "admin_sla.html")]
struct SlaPage {
    chrome: Chrome,
    section: &'static str,
    secret: Option<String>,
    schedules: Vec<ScheduleRow>,
    policies: Vec<PolicyRow>,
}

pub struct AttributeRow {
    pub id: String,
    pub name: String,
    pub values: Vec<(String, String)>,
}

pub struct AgentRoutingRow {
    pub id: i64,
    pub name: String,
    pub presence: &'static str,
    pub languages: String,
    pub capacity: [u32; 3],
    pub skills: String,
}

#[derive(Template)]
#[template(path = "admin_routing.html")]
struct RoutingPage {
    chrome: Chrome,
    section: &'static str,
    secret: Option<String>,
    settings: app::rulebook::RoutingSettings,
    escalations: String,
    attributes: Vec<AttributeRow>,
    agents: Vec<AgentRoutingRow>,
}

pub struct WebhookRow {
    pub id: String,
    pub name: String,
    pub endpoint: String,
    pub method: String,
    pub status: String,
    /// (status, attempts, http status, error, created)
    pub deliveries: Vec<(String, i64, String, String)>,
}

#[derive(Template)]
#[template(path = "admin_webhooks.html")]
struct WebhooksPage {
    chrome: Chrome,
    section: &'static str,
    secret: Option<String>,
    hooks: Vec<WebhookRow>,
}

fn pretty(s: &str) -> String {
    serde_json::from_str::<Json>(s)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| s.to_string())
}

async fn page(
    ui: &Ui,
    agent: &Agent,
    section: &str,
    secret: Option<String>,
) -> Result<Response, AppError> {
    let actor = agent.user.actor;
    if !actor.is_admin() {
        return Err(AppError::forbidden("only admins"));
    }
    let chrome = chrome(ui, agent, None, "", None).await?;
    Ok(match section {
        "rules" => {
            let rows =
                |kind: RuleKind, rules: Vec<domain::model::business_rules::Rule>| -> Vec<RuleRow> {
                    rules
                        .into_iter()
                        .map(|r| RuleRow {
                            prefix: format!("{}{}", kind.as_str(), r.id),
                            id: r.id.0,
                            kind: kind.as_str(),
                            title: r.title,
                            active: r.active,
                            position: r.position,
                            conditions: pretty(&r.conditions),
                            actions: pretty(&r.actions),
                            builtin: r.builtin.is_some(),
                        })
                        .collect()
                };
            let triggers = rows(
                RuleKind::Trigger,
                ui.app.business_rules(actor, RuleKind::Trigger).await?,
            );
            let automations = rows(
                RuleKind::Automation,
                ui.app.business_rules(actor, RuleKind::Automation).await?,
            );
            render(
                StatusCode::OK,
                &RulesPage {
                    chrome,
                    section: "rules",
                    secret,
                    triggers,
                    automations,
                    fields: domain::rules::ConditionField::names(),
                },
            )
        }
        "sla" => {
            let schedules = ui
                .app
                .schedules(actor)
                .await?
                .into_iter()
                .map(|(s, h)| ScheduleRow {
                    id: s.id.0,
                    name: s.name,
                    time_zone: s.time_zone,
                    hours: intervals_text(
                        &serde_json::from_str::<Vec<(u32, u32)>>(&s.intervals).unwrap_or_default(),
                    ),
                    holidays: h
                        .iter()
                        .map(|h| format!("{} {} {}", h.start_date, h.end_date, h.name))
                        .collect::<Vec<_>>()
                        .join("\n"),
                })
                .collect();
            let policies = ui
                .app
                .sla_policies(actor)
                .await?
                .into_iter()
                .map(|p| PolicyRow {
                    id: p.id.0,
                    title: p.title,
                    position: p.position,
                    filter: pretty(&p.filter),
                    metrics: pretty(&p.metrics),
                    schedule_id: p.schedule_id.map_or(0, |s| s.0),
                })
                .collect();
            render(
                StatusCode::OK,
                &SlaPage {
                    chrome,
                    section: "sla",
                    secret,
                    schedules,
                    policies,
                },
            )
        }
        "routing" => {
            let settings = ui.app.routing_settings(actor).await?;
            let escalations = settings
                .escalation_groups
                .iter()
                .map(|(a, b)| format!("{a} -> {b}"))
                .collect::<Vec<_>>()
                .join("\n");
            let values = ui.app.routing_values(actor, None).await?;
            let attributes = ui
                .app
                .routing_attributes(actor)
                .await?
                .into_iter()
                .map(|a| AttributeRow {
                    values: values
                        .iter()
                        .filter(|v| v.attribute_id.as_deref() == Some(a.id.as_str()))
                        .map(|v| (v.id.clone(), v.name.clone()))
                        .collect(),
                    id: a.id,
                    name: a.name,
                })
                .collect();
            let t = agent.t();
            let agents = ui
                .app
                .routing_team(actor)
                .await?
                .into_iter()
                .map(|(u, p, skills)| AgentRoutingRow {
                    id: u.id.0,
                    name: u.name,
                    presence: match p.presence[0] {
                        domain::routing::Presence::Online => t.presence_online,
                        domain::routing::Presence::Away => t.presence_away,
                        domain::routing::Presence::Offline => t.presence_offline,
                    },
                    languages: p.languages.join(", "),
                    capacity: p.capacity,
                    skills: skills
                        .iter()
                        .map(|(v, l)| format!("{}:{l}", v.name))
                        .collect::<Vec<_>>()
                        .join(", "),
                })
                .collect();
            render(
                StatusCode::OK,
                &RoutingPage {
                    chrome,
                    section: "routing",
                    secret,
                    settings,
                    escalations,
                    attributes,
                    agents,
                },
            )
        }
        "webhooks" => {
            let mut hooks = Vec::new();
            for w in ui.app.webhooks(actor).await? {
                let deliveries = ui
                    .app
                    .webhook_deliveries(actor, &w.id)
                    .await?
                    .into_iter()
                    .take(20)
                    .map(|d| {
                        (
                            d.status.as_str().to_string(),
                            d.attempts,
                            d.last_status.map(|s| s.to_string()).unwrap_or_default(),
                            d.last_error.unwrap_or_default(),
                        )
                    })
                    .collect();
                hooks.push(WebhookRow {
                    id: w.id,
                    name: w.name,
                    endpoint: w.endpoint,
                    method: w.http_method.as_str().into(),
                    status: w.status.as_str().into(),
                    deliveries,
                });
            }
            render(
                StatusCode::OK,
                &WebhooksPage {
                    chrome,
                    section: "webhooks",
                    secret,
                    hooks,
                },
            )
        }
        _ => return Err(AppError::NotFound),
    })
}

async fn show(ui: &Ui, agent: &Agent, section: &str) -> Response {
    page(ui, agent, section, None)
        .await
        .unwrap_or_else(|e| error_page(agent, &e))
}

fn back(section: &str) -> Response {
    Redirect::to(&format!("/agent/admin/{section}")).into_response()
}

/// After a form: back to the page, or the error in words.
fn done(agent: &Agent, section: &str, r: Result<(), AppError>) -> Response {
    match r {
        Ok(()) => back(section),
        Err(e) => error_page(agent, &e),
    }
}

pub async fn rules(State(ui): State<Ui>, agent: Agent) -> Response {
    show(&ui, &agent, "rules").await
}
pub async fn sla(State(ui): State<Ui>, agent: Agent) -> Response {
    show(&ui, &agent, "sla").await
}
pub async fn routing(State(ui): State<Ui>, agent: Agent) -> Response {
    show(&ui, &agent, "routing").await
}
pub async fn webhooks(State(ui): State<Ui>, agent: Agent) -> Response {
    show(&ui, &agent, "webhooks").await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekly_hours_read_and_write_as_lines() {
        let iv = parse_intervals("mon 09:00-14:00\nLUN 15:00-18:00\nsáb 22:00-06:00")
            .unwrap_or_default();
        assert_eq!(
            iv,
            vec![
                (1440 + 540, 1440 + 840),
                (1440 + 900, 1440 + 1080),
                (6 * 1440 + 1320, 6 * 1440 + 1800)
            ]
        );
        assert_eq!(intervals_text(&iv[..2]), "mon 09:00-14:00\nmon 15:00-18:00");
        assert!(parse_intervals("monday 9-5").is_err());
    }
}
