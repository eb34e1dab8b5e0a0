//! The forms of the rules, SLA, routing and webhook admin pages: each
//! reads its fields, calls the use case and goes back to its page.

use super::*;

pub(super) fn kind_of(raw: &str) -> Result<RuleKind, AppError> {
    match raw {
        "trigger" => Ok(RuleKind::Trigger),
        "automation" => Ok(RuleKind::Automation),
        _ => Err(AppError::NotFound),
    }
}

pub(super) fn json_field(form: &Form, key: &str) -> Result<Json, AppError> {
    serde_json::from_str(form.get(key).unwrap_or(""))
        .map_err(|e| AppError::field(app::FieldError::invalid(key, format!("is not JSON: {e}"))))
}

pub(super) fn rule_body(form: &Form) -> Result<Json, AppError> {
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
pub(super) fn parse_holidays(schedule: domain::ScheduleId, text: &str) -> Vec<Holiday> {
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
                id: domain::HolidayId(0),
                schedule_id: schedule,
                name: if name.is_empty() { start.clone() } else { name },
                start_date: start,
                end_date: end,
            }
        })
        .collect()
}

pub(super) async fn save_schedule_form(
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
    let saved = ui
        .app
        .save_schedule(actor, id.map(domain::ScheduleId), input)
        .await?;
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

pub(super) fn policy_body(form: &Form) -> Result<Json, AppError> {
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
            chat_offer_seconds: n("chat_offer", 30)?,
            call_wrap_up_seconds: n("call_wrap_up", 30)?,
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
