//! Business rules and service levels as Zendesk gives them: triggers and
//! automations, SLA policies, schedules with their holidays.

use domain::model::business_rules::{Rule, RuleKind};
use domain::model::schedules::{Holiday as HolidayRecord, ScheduleRow};
use domain::model::sla::Policy;
use serde::Serialize;
use serde_json::Value as Json;
use utoipa::ToSchema;

/// Stored JSON (conditions, actions, metrics) as the API shows it.
fn json_text(s: &str) -> Json {
    serde_json::from_str(s).unwrap_or(Json::Null)
}

/// A trigger or an automation.
#[derive(Serialize, ToSchema)]
pub struct BusinessRule<'a> {
    pub id: i64,
    pub url: String,
    pub title: &'a str,
    pub raw_title: &'a str,
    pub description: Option<&'a str>,
    pub active: bool,
    pub position: i64,
    /// `{all: [...], any: [...]}` of `{field, operator, value}`.
    #[schema(value_type = Object)]
    pub conditions: Json,
    /// `[{field, value}]`.
    #[schema(value_type = Vec<Object>)]
    pub actions: Json,
    /// One of atiende's own rules (an acknowledgement, a notification).
    pub default: bool,
    pub created_at: String,
    pub updated_at: String,
}

pub fn business_rule<'a>(base: &str, r: &'a Rule) -> BusinessRule<'a> {
    let plural = match r.kind {
        RuleKind::Trigger => "triggers",
        RuleKind::Automation => "automations",
    };
    BusinessRule {
        id: r.id.0,
        url: format!("{base}/api/v2/{plural}/{}.json", r.id),
        title: &r.title,
        raw_title: &r.title,
        description: r.description.as_deref(),
        active: r.active,
        position: r.position,
        conditions: json_text(&r.conditions),
        actions: json_text(&r.actions),
        default: r.builtin.is_some(),
        created_at: r.created_at.to_iso(),
        updated_at: r.updated_at.to_iso(),
    }
}

/// An SLA policy.
#[derive(Serialize, ToSchema)]
pub struct SlaPolicy<'a> {
    pub id: i64,
    pub url: String,
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub position: i64,
    /// Which tickets it applies to: `{all, any}` conditions.
    #[schema(value_type = Object)]
    pub filter: Json,
    /// `[{priority, metric, target, business_hours}]`.
    #[schema(value_type = Vec<Object>)]
    pub policy_metrics: Json,
    pub schedule_id: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

pub fn sla_policy<'a>(base: &str, p: &'a Policy) -> SlaPolicy<'a> {
    SlaPolicy {
        id: p.id.0,
        url: format!("{base}/api/v2/slas/policies/{}.json", p.id),
        title: &p.title,
        description: p.description.as_deref(),
        position: p.position,
        filter: json_text(&p.filter),
        policy_metrics: json_text(&p.metrics),
        schedule_id: p.schedule_id.map(|s| s.0),
        created_at: p.created_at.to_iso(),
        updated_at: p.updated_at.to_iso(),
    }
}

/// Open hours: minutes since Sunday 00:00 in the schedule's time zone.
#[derive(Serialize, ToSchema)]
pub struct Interval {
    pub start_time: u32,
    pub end_time: u32,
}

/// A day or days off.
#[derive(Serialize, ToSchema)]
pub struct Holiday<'a> {
    pub id: i64,
    pub name: &'a str,
    pub start_date: &'a str,
    pub end_date: &'a str,
}

pub fn holiday(h: &HolidayRecord) -> Holiday<'_> {
    Holiday {
        id: h.id.0,
        name: &h.name,
        start_date: &h.start_date,
        end_date: &h.end_date,
    }
}

/// Business hours.
#[derive(Serialize, ToSchema)]
pub struct Schedule<'a> {
    pub id: i64,
    pub url: String,
    pub name: &'a str,
    pub time_zone: &'a str,
    pub intervals: Vec<Interval>,
    pub holidays: Vec<Holiday<'a>>,
    pub created_at: String,
    pub updated_at: String,
}

pub fn schedule<'a>(base: &str, s: &'a ScheduleRow, holidays: &'a [HolidayRecord]) -> Schedule<'a> {
    let intervals: Vec<(u32, u32)> = serde_json::from_str(&s.intervals).unwrap_or_default();
    Schedule {
        id: s.id.0,
        url: format!("{base}/api/v2/business_hours/schedules/{}.json", s.id),
        name: &s.name,
        time_zone: &s.time_zone,
        intervals: intervals
            .into_iter()
            .map(|(start_time, end_time)| Interval {
                start_time,
                end_time,
            })
            .collect(),
        holidays: holidays.iter().map(holiday).collect(),
        created_at: s.created_at.to_iso(),
        updated_at: s.updated_at.to_iso(),
    }
}

/// An outgoing webhook (its signing secret is read apart, by admins).
#[derive(Serialize, ToSchema)]
pub struct Webhook<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub description: Option<&'a str>,
    pub endpoint: &'a str,
    /// GET, POST, PUT, PATCH or DELETE.
    pub http_method: &'static str,
    pub request_format: &'a str,
    /// active or inactive.
    pub status: &'static str,
    pub subscriptions: &'a [String],
    pub created_at: String,
    pub updated_at: String,
}

pub fn webhook(w: &domain::model::webhooks::Webhook) -> Webhook<'_> {
    Webhook {
        id: &w.id,
        name: &w.name,
        description: w.description.as_deref(),
        endpoint: &w.endpoint,
        http_method: w.http_method.as_str(),
        request_format: &w.request_format,
        status: w.status.as_str(),
        subscriptions: &w.subscriptions,
        created_at: w.created_at.to_iso(),
        updated_at: w.updated_at.to_iso(),
    }
}

/// A time in calendar and in business minutes (null until it is known).
#[derive(Serialize, ToSchema)]
pub struct Minutes {
    pub calendar: Option<i64>,
    pub business: Option<i64>,
}

fn minutes(v: Option<(i64, i64)>) -> Minutes {
    Minutes {
        calendar: v.map(|m| m.0),
        business: v.map(|m| m.1),
    }
}

/// Zendesk's ticket metric: one ticket's times (its id is the ticket's).
#[derive(Serialize, ToSchema)]
pub struct TicketMetric {
    pub id: i64,
    pub ticket_id: i64,
    pub url: String,
    pub created_at: String,
    pub updated_at: String,
    pub replies: u32,
    pub reopens: u32,
    pub solved_at: Option<String>,
    pub reply_time_in_minutes: Minutes,
    pub first_resolution_time_in_minutes: Minutes,
    pub full_resolution_time_in_minutes: Minutes,
    pub agent_wait_time_in_minutes: Minutes,
    pub requester_wait_time_in_minutes: Minutes,
    pub on_hold_time_in_minutes: Minutes,
}

pub fn ticket_metric(
    base: &str,
    t: &domain::model::Ticket,
    m: &domain::sla::Metrics,
) -> TicketMetric {
    TicketMetric {
        id: t.id.0,
        ticket_id: t.id.0,
        url: format!("{base}/api/v2/tickets/{}/metrics.json", t.id),
        created_at: t.created_at.to_iso(),
        updated_at: t.updated_at.to_iso(),
        replies: m.replies,
        reopens: m.reopens,
        solved_at: m.solved_at.map(|at| at.to_iso()),
        reply_time_in_minutes: minutes(m.reply_time),
        first_resolution_time_in_minutes: minutes(m.first_resolution_time),
        full_resolution_time_in_minutes: minutes(m.full_resolution_time),
        agent_wait_time_in_minutes: minutes(Some(m.agent_wait_time)),
        requester_wait_time_in_minutes: minutes(Some(m.requester_wait_time)),
        on_hold_time_in_minutes: minutes(Some(m.on_hold_time)),
    }
}

/// The ticket conditions attribute values may be applied on
/// (`routing/attributes/definitions`), for all of them to hold and for
/// any.
#[derive(Serialize, ToSchema)]
pub struct AttributeDefinitions {
    pub conditions_all: Vec<ConditionSubject>,
    pub conditions_any: Vec<ConditionSubject>,
}

/// One condition's field and title.
#[derive(Serialize, ToSchema)]
pub struct ConditionSubject {
    pub subject: &'static str,
    pub title: String,
}

pub fn attribute_definitions(
    all: &[app::routing::ValueCondition],
    any: &[app::routing::ValueCondition],
) -> AttributeDefinitions {
    let subjects = |list: &[app::routing::ValueCondition]| {
        list.iter()
            .map(|c| ConditionSubject {
                subject: c.subject,
                title: c.title.clone(),
            })
            .collect()
    };
    AttributeDefinitions {
        conditions_all: subjects(all),
        conditions_any: subjects(any),
    }
}

/// A routing attribute (a skill family: language, product) or one of its
/// values (a skill: Spanish, billing); on an agent or a ticket, with its
/// level and whether it is optional.
#[derive(Serialize, ToSchema)]
pub struct RoutingAttribute<'a> {
    /// A UUID, as Zendesk's.
    pub id: &'a str,
    pub name: &'a str,
    pub url: String,
    /// For a value: its attribute.
    pub attribute_id: Option<&'a str>,
    pub created_at: String,
    pub updated_at: String,
    /// On an agent: how well they know it (1–3); on a ticket: the least
    /// level it needs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
    /// On a ticket: routing may do without it when nobody has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

pub fn routing_attribute<'a>(
    base: &str,
    a: &'a domain::model::routing::Attribute,
) -> RoutingAttribute<'a> {
    let url = match &a.attribute_id {
        Some(p) => format!("{base}/api/v2/routing/attributes/{p}/values/{}.json", a.id),
        None => format!("{base}/api/v2/routing/attributes/{}.json", a.id),
    };
    RoutingAttribute {
        id: &a.id,
        name: &a.name,
        url,
        attribute_id: a.attribute_id.as_deref(),
        created_at: a.created_at.to_iso(),
        updated_at: a.updated_at.to_iso(),
        level: None,
        optional: None,
    }
}
