//! Triggers and automations as admins manage them (Zendesk's `triggers`
//! and `automations` APIs), the built-in triggers atiende makes at first
//! start, and the automations pass: time-based rules run by one node at a
//! time, firing exactly once per matching ticket state.

use crate::after_write::{Hooks, ticket_written};
use crate::rulebook::parse_conditions;
use crate::tickets::{TicketWrite, update_in};
use crate::{App, AppError, FieldError};
use domain::rules::{UpdateType, is_time_field};
use domain::{Actor, Channel, Status, TicketId, Timestamp};
use serde_json::{Value as Json, json};
use store::Conn;
use store::model::Ticket;
use store::repo::business_rules::{self, Rule, RuleKind};
use store::repo::{comments, tickets};

fn admin_only(actor: &Actor) -> Result<(), AppError> {
    if actor.is_admin() {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "only admins manage triggers and automations",
        ))
    }
}

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

fn check_actions(actions: &[(String, Json)]) -> Result<(), AppError> {
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
                .any(|x| is_time_field(&x.field))
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
                            id: 0,
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
        if !actor.is_staff() {
            return Err(AppError::forbidden("only agents see business rules"));
        }
        let mut rc = self.read().await?;
        Ok(business_rules::all(&mut rc.conn(), kind).await?)
    }

    pub async fn business_rule(
        &self,
        actor: Actor,
        kind: RuleKind,
        id: i64,
    ) -> Result<Rule, AppError> {
        if !actor.is_staff() {
            return Err(AppError::forbidden("only agents see business rules"));
        }
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
        id: Option<i64>,
        body: Json,
    ) -> Result<Rule, AppError> {
        admin_only(&actor)?;
        let now = Timestamp::now();
        let saved = self
            .write(move |c| {
                Box::pin(async move {
                    let mut r = match id {
                        Some(id) => business_rules::get(c, kind, id)
                            .await?
                            .ok_or(AppError::NotFound)?,
                        None => Rule {
                            id: 0,
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
                    r.updated_at = now;
                    match id {
                        Some(_) => {
                            business_rules::update(c, &r).await?;
                        }
                        None => r.id = business_rules::insert(c, &r).await?,
                    }
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
        id: i64,
    ) -> Result<(), AppError> {
        admin_only(&actor)?;
        self.write(move |c| {
            Box::pin(async move { crate::error::found(business_rules::delete(c, kind, id).await?) })
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
        admin_only(&actor)?;
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
    pub async fn run_automations_at(&self, now: Timestamp) -> Result<usize, AppError> {
        let hooks = self.hooks().await?;
        if hooks.book.automations.is_empty() {
            return Ok(0);
        }
        let mut fired = 0;
        let mut after = 0i64;
        loop {
            // Open (not closed) tickets, a page at a time.
            let page: Vec<Ticket> = {
                let mut rc = self.read().await?;
                tickets::unclosed_after(&mut rc.conn(), TicketId(after), 500).await?
            };
            let Some(last) = page.last() else { break };
            after = last.id.0;
            for t in page {
                for rule in hooks.book.automations.clone() {
                    let hooks = hooks.clone();
                    let ticket = t.id;
                    let did = self
                        .write(move |c| {
                            Box::pin(async move {
                                let Some(t) = tickets::get(c, ticket, false).await? else {
                                    return Ok(false);
                                };
                                if business_rules::fired(c, rule.id, t.id, t.updated_at).await? {
                                    return Ok(false);
                                }
                                let mut facts = crate::triggers::facts(
                                    &t,
                                    Some(&t),
                                    None,
                                    &Actor::system(),
                                    UpdateType::Change,
                                    hooks.book.uses_words,
                                );
                                facts.hours = milestones(c, &t, now).await?;
                                if !facts.matches(&rule.conditions) {
                                    return Ok(false);
                                }
                                // Claim this ticket state first: a second node
                                // racing here waits on the row, then backs off.
                                if !business_rules::record_firing(
                                    c,
                                    rule.id,
                                    t.id,
                                    t.updated_at,
                                    now,
                                )
                                .await?
                                {
                                    return Ok(false);
                                }
                                let w = fire_automation(c, &hooks, &rule, t, now).await?;
                                business_rules::record_firing(
                                    c,
                                    rule.id,
                                    w.ticket.id,
                                    w.ticket.updated_at,
                                    now,
                                )
                                .await?;
                                Ok(true)
                            })
                        })
                        .await?;
                    fired += usize::from(did);
                }
            }
        }
        Ok(fired)
    }
}

/// Applies an automation's actions to a ticket (as atiende), then the
/// usual after-write work (triggers see the change).
async fn fire_automation(
    c: &mut Conn<'_>,
    hooks: &Hooks,
    rule: &crate::rulebook::CompiledRule,
    t: Ticket,
    now: Timestamp,
) -> Result<TicketWrite, AppError> {
    let field_actions: Vec<(String, Json)> = rule
        .actions
        .iter()
        .filter(|(f, _)| {
            !f.starts_with("notification_")
                && f != "route"
                && f != "send_acknowledgement"
                && !f.ends_with("_skills")
        })
        .cloned()
        .collect();
    let effect = crate::rules::macro_effect(&field_actions, &t.tags, &Actor::system())?;
    let mut input = effect.into_input();
    input.extra_events =
        vec![json!({"type": "Automation", "value": format!("automation: {}", rule.title)})];
    let w = match update_in(c, Actor::system(), t.id, input, None, Channel::Rule, now).await {
        Ok(w) => w,
        Err(e @ (AppError::Invalid(_) | AppError::Forbidden(_) | AppError::Conflict(_))) => {
            tracing::warn!(ticket = %t.id, rule = rule.id, error = %e, "an automation's changes do not fit the ticket; skipped");
            return Ok(TicketWrite {
                ticket: t.clone(),
                audit: store::model::Audit {
                    id: domain::AuditId(0),
                    ticket_id: t.id,
                    author_id: domain::permission::SYSTEM_USER,
                    via: Channel::Rule,
                    events: "[]".into(),
                    created_at: now,
                },
                comment: None,
                before: Some(t),
            });
        }
        Err(e) => return Err(e),
    };
    // Notifications and webhooks of the automation itself, then triggers.
    let side: Vec<(String, Json)> = rule
        .actions
        .iter()
        .filter(|(f, _)| !field_actions.iter().any(|(g, _)| g == f))
        .cloned()
        .collect();
    let mut w = w;
    if !side.is_empty() {
        let only_side = crate::rulebook::CompiledRule {
            id: rule.id,
            title: rule.title.clone(),
            conditions: rule.conditions.clone(),
            actions: side,
        };
        crate::after_write::apply_side_effects(
            c,
            hooks,
            &mut w,
            &[only_side],
            &Actor::system(),
            now,
        )
        .await?;
    }
    ticket_written(c, hooks, Actor::system(), w, now).await
}

/// Hours since a ticket's milestones, from its audits.
async fn milestones(
    c: &mut Conn<'_>,
    t: &Ticket,
    now: Timestamp,
) -> Result<std::collections::HashMap<String, f64>, AppError> {
    let hours = |at: Timestamp| (now.0 - at.0) as f64 / 3600.0;
    let mut m = std::collections::HashMap::new();
    m.insert("hours_since_created".to_string(), hours(t.created_at));
    m.insert("hours_since_update".to_string(), hours(t.updated_at));
    if let Some(s) = t.solved_at {
        m.insert("hours_since_solved".to_string(), hours(s));
    }
    let audits = comments::audits_of(c, t.id).await?;
    for a in &audits {
        let events: Vec<Json> = serde_json::from_str(&a.events).unwrap_or_default();
        for e in &events {
            let field = e.get("field_name").and_then(Json::as_str).unwrap_or("");
            let value = e.get("value").and_then(Json::as_str).unwrap_or("");
            match (field, value) {
                ("status", "pending") if t.status == Status::Pending => {
                    m.insert("hours_since_pending".into(), hours(a.created_at));
                }
                ("status", "open") if t.status == Status::Open => {
                    m.insert("hours_since_open".into(), hours(a.created_at));
                }
                ("assignee_id", v) if !v.is_empty() => {
                    m.insert("hours_since_assigned".into(), hours(a.created_at));
                }
                _ => {}
            }
            if e.get("type").and_then(Json::as_str) == Some("Comment") {
                let who = if a.author_id == t.requester_id {
                    "hours_since_requester_update"
                } else {
                    "hours_since_assignee_update"
                };
                if a.author_id == t.requester_id || Some(a.author_id) == t.assignee_id {
                    m.insert(who.into(), hours(a.created_at));
                }
            }
        }
    }
    if t.status == Status::Pending && !m.contains_key("hours_since_pending") {
        m.insert("hours_since_pending".into(), hours(t.updated_at));
    }
    if t.status == Status::Open && !m.contains_key("hours_since_open") {
        m.insert("hours_since_open".into(), hours(t.created_at));
    }
    Ok(m)
}
