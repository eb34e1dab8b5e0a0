//! Admin pages for business rules and service: triggers and automations,
//! SLA policies and schedules, routing (settings, skills, agents'
//! capacity, languages and skills), and webhooks with their delivery log.
//! Rules' conditions and actions are edited as Zendesk's JSON (what admins
//! coming from Zendesk know, and what the API takes); schedules as lines
//! like `mon 09:00-14:00`; skills as `billing:4, technical:2`.

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
use serde_json::{Value as Json, json};
use store::repo::business_rules::RuleKind;
use store::repo::schedules::Holiday;

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
    fields: &'static [&'static str],
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
                |kind: RuleKind, rules: Vec<store::repo::business_rules::Rule>| -> Vec<RuleRow> {
                    rules
                        .into_iter()
                        .map(|r| RuleRow {
                            prefix: format!("{}{}", kind.as_str(), r.id),
                            id: r.id,
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
                    fields: domain::rules::FIELDS,
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
                    id: s.id,
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
                    id: p.id,
                    title: p.title,
                    position: p.position,
                    filter: pretty(&p.filter),
                    metrics: pretty(&p.metrics),
                    schedule_id: p.schedule_id.unwrap_or(0),
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
                    method: w.http_method,
                    status: w.status,
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

fn kind_of(raw: &str) -> Result<RuleKind, AppError> {
    match raw {
        "trigger" => Ok(RuleKind::Trigger),
        "automation" => Ok(RuleKind::Automation),
        _ => Err(AppError::NotFound),
    }
}

fn json_field(form: &Form, key: &str) -> Result<Json, AppError> {
    serde_json::from_str(form.get(key).unwrap_or(""))
        .map_err(|e| AppError::field(app::FieldError::invalid(key, format!("is not JSON: {e}"))))
}

fn rule_body(form: &Form) -> Result<Json, AppError> {
    Ok(json!({
        "title": form.get("title").unwrap_or(""),
        "active": form.get("active") == Some("1"),
        "position": form.get("position").and_then(|p| p.trim().parse::<i64>().ok()).unwrap_or(0),
        "conditions": json_field(form, "conditions")?,
        "actions": json_field(form, "actions")?,
    }))
}

/// `POST /agent/admin/rules/{kind}`: a new trigger or automation.
pub async fn create_rule(
    State(ui): State<Ui>,
    Path(kind): Path<String>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let r = async {
        ui.app
            .save_business_rule(agent.user.actor, kind_of(&kind)?, None, rule_body(&form)?)
            .await
            .map(|_| ())
    };
    done(&agent, "rules", r.await)
}

/// `POST /agent/admin/rules/{kind}/{id}`.
pub async fn update_rule(
    State(ui): State<Ui>,
    Path((kind, id)): Path<(String, String)>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let r = async {
        let id = id.parse().map_err(|_| AppError::NotFound)?;
        ui.app
            .save_business_rule(
                agent.user.actor,
                kind_of(&kind)?,
                Some(id),
                rule_body(&form)?,
            )
            .await
            .map(|_| ())
    };
    done(&agent, "rules", r.await)
}

/// `POST /agent/admin/rules/{kind}/{id}/delete`.
pub async fn delete_rule(
    State(ui): State<Ui>,
    Path((kind, id)): Path<(String, String)>,
    AgentForm { agent, .. }: AgentForm,
) -> Response {
    let r = async {
        let id = id.parse().map_err(|_| AppError::NotFound)?;
        ui.app
            .delete_business_rule(agent.user.actor, kind_of(&kind)?, id)
            .await
    };
    done(&agent, "rules", r.await)
}

/// `YYYY-MM-DD YYYY-MM-DD name` lines (or one date for a single day).
fn parse_holidays(schedule: i64, text: &str) -> Vec<Holiday> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut parts = l.splitn(3, ' ');
            let start = parts.next().unwrap_or("").to_string();
            let second = parts.next().unwrap_or("").to_string();
            let (end, name) = if second.parse::<jiff::civil::Date>().is_ok() {
                (second, parts.next().unwrap_or("").to_string())
            } else {
                (
                    start.clone(),
                    format!("{second} {}", parts.next().unwrap_or(""))
                        .trim()
                        .to_string(),
                )
            };
            Holiday {
                id: 0,
                schedule_id: schedule,
                name: if name.is_empty() { start.clone() } else { name },
                start_date: start,
                end_date: end,
            }
        })
        .collect()
}

async fn save_schedule_form(
    ui: &Ui,
    agent: &Agent,
    id: Option<i64>,
    form: &Form,
) -> Result<(), AppError> {
    let actor = agent.user.actor;
    let input = ScheduleInput {
        name: form.get("name").map(str::to_string),
        time_zone: form.get("time_zone").map(str::to_string),
        intervals: Some(parse_intervals(form.get("hours").unwrap_or(""))?),
    };
    let saved = ui.app.save_schedule(actor, id, input).await?;
    // Holidays as written replace the old ones.
    let (_, old) = ui.app.schedule(actor, saved.id).await?;
    for h in old {
        ui.app.delete_holiday(actor, saved.id, h.id).await?;
    }
    for h in parse_holidays(saved.id, form.get("holidays").unwrap_or("")) {
        ui.app.save_holiday(actor, h).await?;
    }
    Ok(())
}

/// `POST /agent/admin/sla/schedules` and `/agent/admin/sla/schedules/{id}`.
pub async fn create_schedule(
    State(ui): State<Ui>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let r = save_schedule_form(&ui, &agent, None, &form).await;
    done(&agent, "sla", r)
}
pub async fn update_schedule(
    State(ui): State<Ui>,
    Path(id): Path<String>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let r = async {
        save_schedule_form(
            &ui,
            &agent,
            Some(id.parse().map_err(|_| AppError::NotFound)?),
            &form,
        )
        .await
    };
    done(&agent, "sla", r.await)
}
pub async fn delete_schedule(
    State(ui): State<Ui>,
    Path(id): Path<String>,
    AgentForm { agent, .. }: AgentForm,
) -> Response {
    let r = async {
        ui.app
            .delete_schedule(
                agent.user.actor,
                id.parse().map_err(|_| AppError::NotFound)?,
            )
            .await
    };
    done(&agent, "sla", r.await)
}

fn policy_body(form: &Form) -> Result<Json, AppError> {
    Ok(json!({
        "title": form.get("title").unwrap_or(""),
        "position": form.get("position").and_then(|p| p.trim().parse::<i64>().ok()).unwrap_or(0),
        "filter": json_field(form, "filter")?,
        "policy_metrics": json_field(form, "metrics")?,
        "schedule_id": form.get("schedule_id").and_then(|s| s.parse::<i64>().ok()).filter(|s| *s > 0),
    }))
}

/// `POST /agent/admin/sla/policies` and `/agent/admin/sla/policies/{id}`.
pub async fn create_policy(State(ui): State<Ui>, AgentForm { agent, form }: AgentForm) -> Response {
    let r = async {
        ui.app
            .save_sla_policy(agent.user.actor, None, policy_body(&form)?)
            .await
            .map(|_| ())
    };
    done(&agent, "sla", r.await)
}
pub async fn update_policy(
    State(ui): State<Ui>,
    Path(id): Path<String>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let r = async {
        let id = id.parse().map_err(|_| AppError::NotFound)?;
        ui.app
            .save_sla_policy(agent.user.actor, Some(id), policy_body(&form)?)
            .await
            .map(|_| ())
    };
    done(&agent, "sla", r.await)
}
pub async fn delete_policy(
    State(ui): State<Ui>,
    Path(id): Path<String>,
    AgentForm { agent, .. }: AgentForm,
) -> Response {
    let r = async {
        ui.app
            .delete_sla_policy(
                agent.user.actor,
                id.parse().map_err(|_| AppError::NotFound)?,
            )
            .await
    };
    done(&agent, "sla", r.await)
}

/// `POST /agent/admin/routing/settings`.
pub async fn save_routing(State(ui): State<Ui>, AgentForm { agent, form }: AgentForm) -> Response {
    let r = async {
        // Blank means the default; anything else must be a whole number
        // (the use case refuses negatives) or a `group id -> group id` line.
        let n = |k: &str, d: i64| match form.get(k).map(str::trim) {
            None | Some("") => Ok(d),
            Some(v) => v.parse::<i64>().map_err(|_| {
                AppError::field(app::FieldError::invalid(
                    k,
                    "must be a whole number of minutes",
                ))
            }),
        };
        let mut escalation_groups = std::collections::HashMap::new();
        for line in form
            .get("escalations")
            .unwrap_or("")
            .lines()
            .filter(|l| !l.trim().is_empty())
        {
            let pair = line.split_once("->").and_then(|(a, b)| {
                Some((a.trim().parse::<i64>().ok()?, b.trim().parse::<i64>().ok()?))
            });
            let Some((from, to)) = pair else {
                return Err(AppError::field(app::FieldError::invalid(
                    "escalations",
                    format!("“{}” is not “group id -> group id”", line.trim()),
                )));
            };
            escalation_groups.insert(from.to_string(), to);
        }
        let s = app::rulebook::RoutingSettings {
            enabled: form.get("enabled") == Some("1"),
            drop_optional_after_minutes: n("drop_optional", 30)?,
            escalate_after_minutes: n("escalate", 60)?,
            escalation_groups,
            reroute_unacted_after_minutes: n("reroute", 30)?,
            away_after_idle_minutes: n("away", 15)?,
        };
        ui.app
            .set_routing_settings(agent.user.actor, s)
            .await
            .map(|_| ())
    };
    done(&agent, "routing", r.await)
}

/// `POST /agent/admin/routing/attributes` (a new attribute with its values,
/// one per line) and `/agent/admin/routing/attributes/{id}/delete`.
pub async fn create_attribute(
    State(ui): State<Ui>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let r = async {
        let actor = agent.user.actor;
        let a = ui
            .app
            .save_routing_attribute(actor, None, form.get("name").unwrap_or("").to_string())
            .await?;
        for v in form
            .get("values")
            .unwrap_or("")
            .split([',', '\n'])
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            ui.app
                .save_routing_value(actor, a.id.clone(), None, v.to_string())
                .await?;
        }
        Ok(())
    };
    done(&agent, "routing", r.await)
}
pub async fn delete_attribute(
    State(ui): State<Ui>,
    Path(id): Path<String>,
    AgentForm { agent, .. }: AgentForm,
) -> Response {
    let r = ui.app.delete_routing_attribute(agent.user.actor, id).await;
    done(&agent, "routing", r)
}

/// `POST /agent/admin/routing/agents/{id}`: languages, capacities, skills.
pub async fn save_agent_routing(
    State(ui): State<Ui>,
    Path(id): Path<String>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let r = async {
        let actor = agent.user.actor;
        let user = UserId(id.parse().map_err(|_| AppError::NotFound)?);
        let cap = |k: &str| form.get(k).and_then(|v| v.trim().parse::<u32>().ok());
        let change = ProfileChange {
            capacity: [
                cap("capacity_email"),
                cap("capacity_chat"),
                cap("capacity_call"),
            ],
            languages: Some(
                form.get("languages")
                    .unwrap_or("")
                    .split([',', ' '])
                    .map(str::to_string)
                    .filter(|l| !l.is_empty())
                    .collect(),
            ),
            ..Default::default()
        };
        ui.app.update_routing_profile(actor, user, change).await?;
        let values = ui.app.routing_values(actor, None).await?;
        let mut skills = Vec::new();
        for part in form
            .get("skills")
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let (name, level) = part.split_once(':').unwrap_or((part, "3"));
            let v = values
                .iter()
                .find(|v| v.name.eq_ignore_ascii_case(name.trim()))
                .ok_or_else(|| {
                    AppError::field(app::FieldError::invalid(
                        "skills",
                        format!("{} is not a skill", name.trim()),
                    ))
                })?;
            skills.push((v.id.clone(), level.trim().parse::<u8>().unwrap_or(3)));
        }
        ui.app.set_agent_skills(actor, user, skills).await
    };
    done(&agent, "routing", r.await)
}

/// `POST /agent/admin/webhooks`, `/agent/admin/webhooks/{id}/delete` and
/// `/agent/admin/webhooks/{id}/test`.
pub async fn create_webhook(
    State(ui): State<Ui>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let body = json!({
        "name": form.get("name").unwrap_or(""),
        "endpoint": form.get("endpoint").unwrap_or(""),
        "http_method": form.get("http_method").unwrap_or("POST"),
        "status": "active",
    });
    let r = ui
        .app
        .save_webhook(agent.user.actor, None, body)
        .await
        .map(|_| ());
    done(&agent, "webhooks", r)
}
pub async fn delete_webhook(
    State(ui): State<Ui>,
    Path(id): Path<String>,
    AgentForm { agent, .. }: AgentForm,
) -> Response {
    let r = ui.app.delete_webhook(agent.user.actor, id).await;
    done(&agent, "webhooks", r)
}
pub async fn test_webhook(
    State(ui): State<Ui>,
    Path(id): Path<String>,
    AgentForm { agent, .. }: AgentForm,
) -> Response {
    let r = ui
        .app
        .test_webhook(agent.user.actor, id, json!({"test": true}).to_string())
        .await
        .map(|_| ());
    done(&agent, "webhooks", r)
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
