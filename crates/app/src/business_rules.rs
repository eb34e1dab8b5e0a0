//! Triggers and automations as admins manage them (Zendesk's `triggers`
//! and `automations` APIs), the built-in triggers atiende makes at first
//! start, and the automations pass: time-based rules run by one node at a
//! time, firing exactly once per matching ticket state.

use crate::pipeline::{Change, WriteRequest};
use crate::rulebook::parse_conditions;
use crate::{App, AppError, FieldError};
use domain::audit::AuditEvent;
use domain::audit_log::{AdminAction, AdminChange, AdminSource};
use domain::rules::Action;
use domain::rules::{ConditionField, HoursSince};
use domain::{Actor, Channel, RuleId, Status, TicketId, Timestamp};
use serde_json::{Value as Json, json};
use store::Conn;
use store::model::Ticket;
use store::repo::business_rules::{self, Rule, RuleKind};
use store::repo::{comments, tickets};

/// The actions rules may take.
const ACTIONS: &[&str] = &[
    "status",
    "priority",
    "type",
    "group_id",
    "assignee_id",
    "set_tags",
    "current_tags",
    "remove_tags",
    "subject",
    "notification_user",
    "notification_group",
    "notification_webhook",
    "send_acknowledgement",
    "route",
    "add_skills",
    "set_skills",
];

fn check_actions(actions: &[(String, Json)]) -> Result<Vec<Action>, AppError> {
    if actions.is_empty() {
        return Err(AppError::field(FieldError::blank("actions")));
    }
    for (f, _) in actions {
        if !ACTIONS.contains(&f.as_str()) && !f.starts_with("custom_fields_") {
            return Err(AppError::field(FieldError::invalid(
                "actions",
                format!("{f} is not an action; known: {}", ACTIONS.join(", ")),
            )));
        }
    }
    // Values are checked now, not when the rule first fires: an admin
    // hears about `priority: altísima` while writing it.
    let typed = crate::rules::typed_actions(actions)?;
    let fields: Vec<Action> = typed
        .iter()
        .filter(|a| a.changes_ticket())
        .cloned()
        .collect();
    crate::rules::macro_effect(&fields, &[], &Actor::system())?;
    Ok(typed)
}

/// Refuses actions that call a webhook that does not exist, or one
/// subscribed to events rather than to triggers and automations (as
/// Zendesk does).
async fn check_webhooks(c: &mut Conn<'_>, actions: &[Action]) -> Result<(), AppError> {
    for a in actions {
        let Action::Webhook { id, .. } = a else {
            continue;
        };
        let why = match store::repo::webhooks::get(c, id).await? {
            None => format!("notification_webhook: there is no webhook {id:?}"),
            Some(w)
                if !w
                    .subscriptions
                    .iter()
                    .any(|s| s == domain::model::webhooks::TICKET_EVENTS) =>
            {
                format!(
                    "notification_webhook: webhook {id:?} is subscribed to events, not to {}",
                    domain::model::webhooks::TICKET_EVENTS
                )
            }
            Some(_) => continue,
        };
        return Err(AppError::field(FieldError::invalid("actions", why)));
    }
    Ok(())
}

/// Applies Zendesk's `{trigger: {...}}` / `{automation: {...}}` fields.
fn apply_json(r: &mut Rule, body: &Json) -> Result<(), AppError> {
    if let Some(t) = body.get("title").and_then(Json::as_str) {
        r.title = t.trim().to_string();
    }
    if r.title.is_empty() {
        return Err(AppError::field(FieldError::blank("title")));
    }
    if let Some(d) = body.get("description") {
        r.description = d.as_str().map(str::to_string);
    }
    if let Some(a) = body.get("active").and_then(Json::as_bool) {
        r.active = a;
    }
    if let Some(p) = body.get("position").and_then(Json::as_i64) {
        r.position = p;
    }
    if let Some(c) = body.get("conditions") {
        let parsed = parse_conditions(c, "conditions")?;
        if r.kind == RuleKind::Automation
            && !parsed
                .all
                .iter()
                .chain(parsed.any.iter())
                .any(|x| matches!(x.field, ConditionField::Hours(_)))
        {
            return Err(AppError::field(FieldError::invalid(
                "conditions",
                "an automation needs a time condition (hours_since_…)",
            )));
        }
        r.conditions = c.to_string();
    }
    if let Some(a) = body.get("actions") {
        let parsed = crate::rules::parse_actions(a)?;
        check_actions(&parsed)?;
        r.actions = a.to_string();
    }
    if r.actions == "[]" {
        return Err(AppError::field(FieldError::blank("actions")));
    }
    Ok(())
}

/// The built-in triggers: `(name, title, conditions, actions)`.
fn builtins() -> Vec<(&'static str, &'static str, Json, Json)> {
    vec![
        (
            "acknowledge",
            "Acknowledge new emailed tickets",
            json!({"all": [{"field": "update_type", "operator": "is", "value": "Create"}, {"field": "via_id", "operator": "is", "value": "email"}], "any": []}),
            json!([{"field": "send_acknowledgement", "value": "true"}]),
        ),
        (
            "notify_assignee",
            "Notify the assignee of an assignment",
            json!({"all": [{"field": "assignee_id", "operator": "changed", "value": ""}, {"field": "assignee_id", "operator": "is_not", "value": "current_user"}, {"field": "assignee_id", "operator": "present", "value": ""}], "any": []}),
            json!([{"field": "notification_user", "value": ["assignee_id", "[#{{ticket.id}}] Assigned to you: {{ticket.title}}", "Ticket #{{ticket.id}} ({{ticket.title}}) from {{ticket.requester.name}} is yours.\n\n{{ticket.description}}\n\n{{ticket.url}}"]}]),
        ),
        (
            "notify_assignee_reply",
            "Notify the assignee of the customer's reply",
            json!({"all": [{"field": "update_type", "operator": "is", "value": "Change"}, {"field": "role", "operator": "is", "value": "end_user"}, {"field": "comment_is_public", "operator": "is", "value": "true"}, {"field": "assignee_id", "operator": "present", "value": ""}], "any": []}),
            json!([{"field": "notification_user", "value": ["assignee_id", "[#{{ticket.id}}] New reply: {{ticket.title}}", "{{ticket.requester.name}} wrote:\n\n{{ticket.latest_comment}}\n\n{{ticket.url}}"]}]),
        ),
    ]
}

impl App {
    /// Makes the built-in triggers that were never made (an admin who
    /// deleted one keeps it deleted). Run at start.
    pub async fn ensure_builtin_rules(&self) -> Result<(), AppError> {
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let mut position = business_rules::all(c, RuleKind::Trigger).await?.len() as i64;
                for (name, title, conditions, actions) in builtins() {
                    if business_rules::builtin_exists(c, name).await? {
                        continue;
                    }
                    business_rules::insert(
                        c,
                        &Rule {
                            id: RuleId(0),
                            kind: RuleKind::Trigger,
                            title: title.into(),
                            description: Some(
                                "Made by atiende; edit or turn it off as you like.".into(),
                            ),
                            active: true,
                            position,
                            conditions: conditions.to_string(),
                            actions: actions.to_string(),
                            builtin: Some(name.into()),
                            created_at: now,
                            updated_at: now,
                        },
                    )
                    .await?;
                    position += 1;
                }
                Ok(())
            })
        })
        .await?;
        self.rules_changed();
        Ok(())
    }

    pub async fn business_rules(
        &self,
        actor: Actor,
        kind: RuleKind,
    ) -> Result<Vec<Rule>, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        Ok(business_rules::all(&mut rc.conn(), kind).await?)
    }

    pub async fn business_rule(
        &self,
        actor: Actor,
        kind: RuleKind,
        id: RuleId,
    ) -> Result<Rule, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        business_rules::get(&mut rc.conn(), kind, id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Creates (`id` none) or changes a trigger or automation from JSON.
    pub async fn save_business_rule(
        &self,
        actor: Actor,
        kind: RuleKind,
        id: Option<RuleId>,
        body: Json,
    ) -> Result<Rule, AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageRules)?;
        let now = Timestamp::now();
        let saved = self
            .write(move |c| {
                Box::pin(async move {
                    let mut r = match id {
                        Some(id) => business_rules::get(c, kind, id)
                            .await?
                            .ok_or(AppError::NotFound)?,
                        None => Rule {
                            id: RuleId(0),
                            kind,
                            title: String::new(),
                            description: None,
                            active: true,
                            position: business_rules::all(c, kind).await?.len() as i64,
                            conditions: "{\"all\":[],\"any\":[]}".into(),
                            actions: "[]".into(),
                            builtin: None,
                            created_at: now,
                            updated_at: now,
                        },
                    };
                    if id.is_none() && body.get("conditions").is_none() {
                        return Err(AppError::field(FieldError::blank("conditions")));
                    }
                    apply_json(&mut r, &body)?;
                    if let Some(a) = body.get("actions") {
                        check_webhooks(
                            c,
                            &crate::rules::typed_actions(&crate::rules::parse_actions(a)?)?,
                        )
                        .await?;
                    }
                    r.updated_at = now;
                    let action = match id {
                        Some(_) => {
                            business_rules::update(c, &r).await?;
                            AdminAction::Update
                        }
                        None => {
                            r.id = business_rules::insert(c, &r).await?;
                            AdminAction::Create
                        }
                    };
                    let change = AdminChange::new(action, AdminSource::Rule, r.id.0, &r.title);
                    crate::audit_log::record(c, &actor, change, now).await?;
                    Ok(r)
                })
            })
            .await?;
        self.rules_changed();
        Ok(saved)
    }

    pub async fn delete_business_rule(
        &self,
        actor: Actor,
        kind: RuleKind,
        id: RuleId,
    ) -> Result<(), AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageRules)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let r = business_rules::get(c, kind, id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                let change =
                    AdminChange::new(AdminAction::Destroy, AdminSource::Rule, id.0, &r.title);
                crate::audit_log::record(c, &actor, change, now).await?;
                crate::error::found(business_rules::delete(c, kind, id).await?)
            })
        })
        .await?;
        self.rules_changed();
        Ok(())
    }

    /// Turns a built-in trigger on or off (the email page's switch).
    pub async fn set_builtin_active(
        &self,
        actor: Actor,
        name: &'static str,
        active: bool,
    ) -> Result<(), AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageRules)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                for mut r in business_rules::all(c, RuleKind::Trigger).await? {
                    if r.builtin.as_deref() == Some(name) {
                        r.active = active;
                        r.updated_at = now;
                        business_rules::update(c, &r).await?;
                    }
                }
                Ok(())
            })
        })
        .await?;
        self.rules_changed();
        Ok(())
    }

    /// Whether a built-in trigger exists and is on.
    pub async fn builtin_active(&self, name: &str) -> Result<bool, AppError> {
        let mut rc = self.read().await?;
        Ok(business_rules::all(&mut rc.conn(), RuleKind::Trigger)
            .await?
            .iter()
            .any(|r| r.active && r.builtin.as_deref() == Some(name)))
    }

    /// One automations pass: every active automation against the tickets
    /// it could match, each firing once per ticket state. Returns how many
    /// firings it made.
    pub async fn run_automations(&self) -> Result<usize, AppError> {
        self.run_automations_at(Timestamp::now()).await
    }

    /// [`App::run_automations`] as of `now` (tests pass a later clock).
    /// Matching runs on a read connection, once per ticket for all
    /// automations; only a match takes a write unit, which checks that the
    /// ticket did not change meanwhile and claims the firing.
    pub async fn run_automations_at(&self, now: Timestamp) -> Result<usize, AppError> {
        let hooks = self.hooks().await?;
        if hooks.book.automations.is_empty() {
            return Ok(0);
        }
        // Milestones on the ticket itself are free; the others need its audits.
        let with_audits = hooks.book.automations.iter().any(|r| {
            r.conditions
                .all
                .iter()
                .chain(r.conditions.any.iter())
                .any(|c| matches!(c.field, ConditionField::Hours(h) if !h.on_the_ticket()))
        });
        let mut fired = 0;
        let mut after = TicketId(0);
        loop {
            let matches = {
                let mut rc = self.read().await?;
                let mut conn = rc.conn();
                let ids = tickets::unclosed_ids_after(&mut conn, after, 500).await?;
                let Some(last) = ids.last() else { break };
                after = TicketId(*last);
                let mut matches = Vec::new();
                for t in tickets::get_many(&mut conn, &ids, false).await? {
                    let mut facts = crate::triggers::facts_at_rest(&t, hooks.book.uses_words);
                    facts.hours = milestones(&mut conn, &t, now, with_audits).await?;
                    for rule in &hooks.book.automations {
                        if facts.matches(&rule.conditions)
                            && !business_rules::fired(&mut conn, rule.id, t.id, t.updated_at)
                                .await?
                        {
                            matches.push((t.id, t.updated_at, rule.clone()));
                        }
                    }
                }
                matches
            };
            for (ticket, version, rule) in matches {
                let hooks = hooks.clone();
                let did = self
                    .write(move |c| {
                        Box::pin(async move {
                            let Some(t) = tickets::get(c, ticket, false).await? else {
                                return Ok(false);
                            };
                            // Changed since it matched: the next pass looks again.
                            // Claiming this ticket state first makes a second
                            // node racing here wait on the row, then back off.
                            if t.updated_at != version
                                || !business_rules::record_firing(c, rule.id, t.id, version, now)
                                    .await?
                            {
                                return Ok(false);
                            }
                            let note = AuditEvent::Automation {
                                value: format!("automation: {}", rule.title),
                            };
                            let rule_id = rule.id;
                            let change = Change::Rules {
                                ticket: t,
                                fired: vec![rule],
                                note,
                            };
                            // Triggers see the automation's change, as in Zendesk;
                            // the state it leaves is recorded so it fires once.
                            let req = WriteRequest::new(Actor::system(), Channel::Rule, change);
                            if let Some(w) = crate::pipeline::write(c, &hooks, req, now).await? {
                                business_rules::record_firing(
                                    c,
                                    rule_id,
                                    w.ticket.id,
                                    w.ticket.updated_at,
                                    now,
                                )
                                .await?;
                            }
                            Ok(true)
                        })
                    })
                    .await?;
                fired += usize::from(did);
            }
        }
        Ok(fired)
    }
}

/// Hours since a ticket's milestones, from its audits.
/// The audits are read only when some automation measures a milestone only
/// they record (`with_audits`).
async fn milestones(
    c: &mut Conn<'_>,
    t: &Ticket,
    now: Timestamp,
    with_audits: bool,
) -> Result<std::collections::HashMap<HoursSince, f64>, AppError> {
    let hours = |at: Timestamp| (now.0 - at.0) as f64 / 3600.0;
    let mut m = std::collections::HashMap::new();
    m.insert(HoursSince::Created, hours(t.created_at));
    m.insert(HoursSince::Update, hours(t.updated_at));
    if let Some(s) = t.solved_at {
        m.insert(HoursSince::Solved, hours(s));
    }
    let audits = if with_audits {
        comments::audits_of(c, t.id).await?
    } else {
        vec![]
    };
    for a in &audits {
        for e in &a.events {
            let (field, value) = match e {
                AuditEvent::Create { field_name, value }
                | AuditEvent::Change {
                    field_name, value, ..
                } => (field_name.as_str(), value.as_str().unwrap_or("")),
                _ => ("", ""),
            };
            match (field, value) {
                ("status", "pending") if t.status == Status::Pending => {
                    m.insert(HoursSince::Pending, hours(a.created_at));
                }
                ("status", "open") if t.status == Status::Open => {
                    m.insert(HoursSince::Open, hours(a.created_at));
                }
                ("assignee_id", v) if !v.is_empty() => {
                    m.insert(HoursSince::Assigned, hours(a.created_at));
                }
                _ => {}
            }
            if matches!(e, AuditEvent::Comment(_)) {
                let who = if a.author_id == t.requester_id {
                    HoursSince::RequesterUpdate
                } else {
                    HoursSince::AssigneeUpdate
                };
                if a.author_id == t.requester_id || Some(a.author_id) == t.assignee_id {
                    m.insert(who, hours(a.created_at));
                }
            }
        }
    }
    if t.status == Status::Pending && !m.contains_key(&HoursSince::Pending) {
        m.insert(HoursSince::Pending, hours(t.updated_at));
    }
    if t.status == Status::Open && !m.contains_key(&HoursSince::Open) {
        m.insert(HoursSince::Open, hours(t.created_at));
    }
    Ok(m)
}
