//! The rulebook: everything the write path consults on every ticket change
//! (active triggers, SLA policies, schedules, routing settings, skill
//! names), compiled and kept in memory, so a ticket write costs no extra
//! query for them. A change made on this node is seen at once; one made on
//! another node within [`TTL`].

use crate::{App, AppError, FieldError};
use domain::hours::Schedule;
use domain::rules::{Condition, ConditionField, Conditions, Operator};
use domain::sla::{SlaMetric, Target};
use domain::{Priority, RuleId, ScheduleId, SlaPolicyId};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use store::Conn;
use store::repo::business_rules::{self, RuleKind};
use store::repo::{routing, schedules, settings, sla};

/// How long a rulebook is trusted before it is read again.
pub const TTL: Duration = Duration::from_secs(2);

/// A trigger or automation ready to run.
#[derive(Debug, Clone)]
pub struct CompiledRule {
    pub id: RuleId,
    pub title: String,
    pub conditions: Conditions,
    pub actions: Vec<domain::rules::Action>,
}

/// An SLA policy ready to match and measure.
#[derive(Debug, Clone)]
pub struct CompiledPolicy {
    pub id: SlaPolicyId,
    pub title: String,
    pub filter: Conditions,
    /// Targets per priority (`None`: any priority).
    pub targets: Vec<(Option<Priority>, Target)>,
    pub schedule_id: Option<ScheduleId>,
}

/// How the router behaves (an admin setting).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RoutingSettings {
    /// Route new unassigned tickets to agents automatically.
    pub enabled: bool,
    /// A case waiting this long drops its optional skills.
    pub drop_optional_after_minutes: i64,
    /// A case still waiting this long moves to its group's escalation group.
    pub escalate_after_minutes: i64,
    /// Group id (as text) → the group its waiting cases escalate to.
    pub escalation_groups: HashMap<String, i64>,
    /// An assignment the agent has not acted on after this long is re-routed.
    pub reroute_unacted_after_minutes: i64,
    /// An online agent idle this long becomes away.
    pub away_after_idle_minutes: i64,
    /// A chat offered to an agent and not accepted this long goes to
    /// someone else.
    pub chat_offer_seconds: i64,
    /// After a call ends, the agent's call capacity stays taken this long
    /// (wrap-up: notes, follow-up) before routing gives them more.
    pub call_wrap_up_seconds: i64,
}

impl Default for RoutingSettings {
    fn default() -> Self {
        RoutingSettings {
            enabled: false,
            drop_optional_after_minutes: 30,
            escalate_after_minutes: 60,
            escalation_groups: HashMap::new(),
            reroute_unacted_after_minutes: 30,
            away_after_idle_minutes: 15,
            chat_offer_seconds: 30,
            call_wrap_up_seconds: 30,
        }
    }
}

pub const ROUTING_KEY: &str = "routing.settings";

/// Everything compiled.
#[derive(Debug, Clone, Default)]
pub struct RuleBook {
    pub triggers: Vec<CompiledRule>,
    pub automations: Vec<CompiledRule>,
    pub policies: Vec<CompiledPolicy>,
    pub schedules: HashMap<ScheduleId, Schedule>,
    /// The schedule business hours mean when a policy names none.
    pub default_schedule: Option<ScheduleId>,
    pub routing: RoutingSettings,
    /// Skill (routing attribute value) id → name.
    pub skill_names: HashMap<String, String>,
    /// Whether any trigger, automation or policy looks at words.
    pub uses_words: bool,
}

impl RuleBook {
    /// The schedule a policy's business hours use, or round the clock.
    pub fn schedule(&self, id: Option<ScheduleId>) -> Schedule {
        id.or(self.default_schedule)
            .and_then(|i| self.schedules.get(&i))
            .cloned()
            .unwrap_or_else(|| Schedule::always(jiff::tz::TimeZone::UTC))
    }
}

/// The cached rulebook and when it was read.
#[derive(Debug, Default)]
pub struct RuleBookCache {
    inner: RwLock<Option<(Instant, Arc<RuleBook>)>>,
}

impl RuleBookCache {
    fn fresh(&self) -> Option<Arc<RuleBook>> {
        let g = self.inner.read().ok()?;
        g.as_ref()
            .filter(|(at, _)| at.elapsed() < TTL)
            .map(|(_, b)| b.clone())
    }

    fn put(&self, b: Arc<RuleBook>) {
        if let Ok(mut g) = self.inner.write() {
            *g = Some((Instant::now(), b));
        }
    }

    /// Forgets the cached book (after a change on this node).
    pub fn invalidate(&self) {
        if let Ok(mut g) = self.inner.write() {
            *g = None;
        }
    }
}

/// Zendesk's `{all: [{field, operator, value}], any: [...]}`.
pub fn parse_conditions(v: &Json, what: &str) -> Result<Conditions, AppError> {
    let list = |key: &str| -> Result<Vec<Condition>, AppError> {
        let Some(items) = v.get(key) else {
            return Ok(vec![]);
        };
        let items = items.as_array().ok_or_else(|| {
            AppError::field(FieldError::invalid(what, format!("{key} must be a list")))
        })?;
        items
            .iter()
            .map(|c| {
                let name = c.get("field").and_then(Json::as_str).unwrap_or("");
                let field = ConditionField::parse(name).ok_or_else(|| {
                    AppError::field(FieldError::invalid(
                        what,
                        format!("{name}: is not a condition field"),
                    ))
                })?;
                let op = c.get("operator").and_then(Json::as_str).unwrap_or("is");
                let value = match c.get("value") {
                    Some(Json::String(s)) => s.clone(),
                    Some(Json::Null) | None => String::new(),
                    Some(Json::Array(a)) => a
                        .iter()
                        .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                        .collect::<Vec<_>>()
                        .join(" "),
                    Some(other) => other.to_string(),
                };
                let operator: Operator = op.parse().map_err(|e: domain::UnknownWord| {
                    AppError::field(FieldError::invalid(what, e.to_string()))
                })?;
                // Words match as the facts hold them: folded, lower-case.
                let value = if field.matches_words() {
                    search::fold(&value).to_lowercase()
                } else {
                    value
                };
                let cond = Condition {
                    field,
                    operator,
                    value,
                };
                cond.check()
                    .map_err(|e| AppError::field(FieldError::invalid(what, e.to_string())))?;
                Ok(cond)
            })
            .collect()
    };
    Ok(Conditions {
        all: list("all")?,
        any: list("any")?,
    })
}

/// Zendesk's `policy_metrics`: `[{priority, metric, target, business_hours}]`.
pub fn parse_targets(v: &Json) -> Result<Vec<(Option<Priority>, Target)>, AppError> {
    let bad = |why: String| AppError::field(FieldError::invalid("policy_metrics", why));
    let items = v.as_array().ok_or_else(|| bad("must be a list".into()))?;
    items
        .iter()
        .map(|m| {
            let priority = match m.get("priority").and_then(Json::as_str) {
                None | Some("") => None,
                Some(p) => Some(p.parse::<Priority>().map_err(|e| bad(e.to_string()))?),
            };
            let metric: SlaMetric = m
                .get("metric")
                .and_then(Json::as_str)
                .unwrap_or("")
                .parse()
                .map_err(|e: domain::UnknownWord| bad(e.to_string()))?;
            let minutes = m
                .get("target")
                .and_then(Json::as_i64)
                .filter(|t| *t > 0)
                .ok_or_else(|| bad("target must be a positive number of minutes".into()))?;
            let business_hours = m
                .get("business_hours")
                .and_then(Json::as_bool)
                .unwrap_or(false);
            Ok((
                priority,
                Target {
                    metric,
                    minutes,
                    business_hours,
                },
            ))
        })
        .collect()
}

/// A time zone by IANA name (`Europe/Madrid`); `UTC` if unknown.
pub fn time_zone(name: &str) -> Option<jiff::tz::TimeZone> {
    jiff::tz::TimeZone::get(name).ok()
}

/// Builds a schedule from its stored form.
pub fn compile_schedule(
    row: &schedules::ScheduleRow,
    holidays: &[schedules::Holiday],
) -> Option<Schedule> {
    let tz = time_zone(&row.time_zone)?;
    let intervals: Vec<(u32, u32)> = serde_json::from_str(&row.intervals).ok()?;
    let days = holidays
        .iter()
        .filter_map(|h| Some((h.start_date.parse().ok()?, h.end_date.parse().ok()?)))
        .collect();
    Schedule::new(tz, intervals, days).ok()
}

async fn load(c: &mut Conn<'_>) -> Result<RuleBook, AppError> {
    let compile = |rules: Vec<business_rules::Rule>| -> Vec<CompiledRule> {
        rules
            .into_iter()
            .filter(|r| r.active)
            .filter_map(|r| {
                let conditions = serde_json::from_str::<Json>(&r.conditions).ok()?;
                let conditions = parse_conditions(&conditions, "conditions").ok()?;
                let actions = serde_json::from_str::<Json>(&r.actions).ok()?;
                let actions = crate::rules::parse_actions(&actions)
                    .and_then(|pairs| crate::rules::typed_actions(&pairs));
                let actions = match actions {
                    Ok(a) => a,
                    Err(e) => {
                        tracing::warn!(rule = r.id.0, error = %e, "a stored rule's actions do not parse; it is skipped");
                        return None;
                    }
                };
                Some(CompiledRule {
                    id: r.id,
                    title: r.title,
                    conditions,
                    actions,
                })
            })
            .collect()
    };
    let triggers = compile(business_rules::all(c, RuleKind::Trigger).await?);
    let automations = compile(business_rules::all(c, RuleKind::Automation).await?);
    let policies: Vec<CompiledPolicy> = sla::all(c)
        .await?
        .into_iter()
        .filter_map(|p| {
            let filter = parse_conditions(&serde_json::from_str(&p.filter).ok()?, "filter").ok()?;
            let targets = parse_targets(&serde_json::from_str(&p.metrics).ok()?).ok()?;
            Some(CompiledPolicy {
                id: p.id,
                title: p.title,
                filter,
                targets,
                schedule_id: p.schedule_id,
            })
        })
        .collect();
    let rows = schedules::all(c).await?;
    let holidays = schedules::all_holidays(c).await?;
    let mut compiled = HashMap::new();
    for r in &rows {
        let mine: Vec<_> = holidays
            .iter()
            .filter(|h| h.schedule_id == r.id)
            .cloned()
            .collect();
        if let Some(s) = compile_schedule(r, &mine) {
            compiled.insert(r.id, s);
        }
    }
    let routing = settings::get(c, ROUTING_KEY)
        .await?
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    let skill_names = routing::values(c, None)
        .await?
        .into_iter()
        .map(|v| (v.id, v.name))
        .collect();
    let uses_words = triggers
        .iter()
        .chain(automations.iter())
        .map(|r| &r.conditions)
        .chain(policies.iter().map(|p: &CompiledPolicy| &p.filter))
        .any(|c| {
            c.all
                .iter()
                .chain(c.any.iter())
                .any(|x| x.field.matches_words())
        });
    Ok(RuleBook {
        uses_words,
        triggers,
        automations,
        policies,
        default_schedule: rows.first().map(|r| r.id),
        schedules: compiled,
        routing,
        skill_names,
    })
}

impl App {
    /// The rulebook in force (read again when older than [`TTL`]).
    pub async fn rulebook(&self) -> Result<Arc<RuleBook>, AppError> {
        if let Some(b) = self.rulebook.fresh() {
            return Ok(b);
        }
        let mut rc = self.read().await?;
        let book = Arc::new(load(&mut rc.conn()).await?);
        self.rulebook.put(book.clone());
        Ok(book)
    }

    /// Marks the rulebook stale after a change to rules, SLAs, schedules
    /// or routing settings.
    pub(crate) fn rules_changed(&self) {
        self.rulebook.invalidate();
    }
}
