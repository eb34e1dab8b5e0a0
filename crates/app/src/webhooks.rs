//! Outgoing webhooks (Zendesk's `webhooks` API): endpoints that triggers
//! and automations call. Calls are queued in the same transaction as the
//! change that made them, signed with the webhook's secret, retried with
//! backoff by the sender, and logged for the admin page.

use crate::{App, AppError, FieldError};
use domain::audit_log::{AdminAction, AdminChange, AdminSource};
use domain::model::webhooks::{
    CHAT_EVENTS, SURVEY_EVENTS, TICKET_EVENTS, TREND_EVENTS, is_subscription,
};
use domain::{Actor, OutboundStatus, Secret, Timestamp, WebhookDeliveryId};
use serde_json::Value as Json;
use store::repo::claims::{self, Queue};
use store::repo::webhooks::{self, Delivery, Webhook};

/// Zendesk's webhook ids look like `01GZ…`: 26 characters.
fn new_id() -> String {
    format!("01{}", crate::auth::random_token(24).to_uppercase())
}

/// A webhook's change as the audit log keeps it: webhooks have text ids,
/// so the id goes with the name and `source_id` is 0.
fn logged(action: AdminAction, w: &Webhook) -> AdminChange {
    AdminChange::new(
        action,
        AdminSource::Webhook,
        0,
        format!("{} ({})", w.name, w.id),
    )
}

fn apply(w: &mut Webhook, body: &Json) -> Result<(), AppError> {
    let text = |k: &str| {
        body.get(k)
            .and_then(Json::as_str)
            .map(|s| s.trim().to_string())
    };
    if let Some(n) = text("name") {
        w.name = n;
    }
    if let Some(d) = body.get("description") {
        w.description = d.as_str().map(str::to_string);
    }
    if let Some(e) = text("endpoint") {
        w.endpoint = e;
    }
    let mut errors = Vec::new();
    if let Some(m) = text("http_method") {
        match m.to_ascii_uppercase().parse() {
            Ok(m) => w.http_method = m,
            Err(_) => errors.push(FieldError::invalid(
                "http_method",
                "must be POST, PUT, PATCH, GET or DELETE",
            )),
        }
    }
    if let Some(f) = text("request_format") {
        w.request_format = f;
    }
    if let Some(s) = text("status") {
        match s.parse() {
            Ok(s) => w.status = s,
            Err(_) => errors.push(FieldError::invalid("status", "must be active or inactive")),
        }
    }
    if let Some(list) = body.get("subscriptions") {
        let names: Option<Vec<String>> = list.as_array().map(|l| {
            l.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        });
        match names {
            Some(n) if !n.is_empty() && n.iter().all(|x| is_subscription(x)) => {
                w.subscriptions = n;
            }
            _ => errors.push(FieldError::invalid(
                "subscriptions",
                format!(
                    "must be a list of {TICKET_EVENTS}, {}, {}, {}",
                    CHAT_EVENTS.join(", "),
                    SURVEY_EVENTS.join(", "),
                    TREND_EVENTS.join(", ")
                ),
            )),
        }
    }
    if w.name.is_empty() {
        errors.push(FieldError::blank("name"));
    }
    if !(w.endpoint.starts_with("https://") || w.endpoint.starts_with("http://")) {
        errors.push(FieldError::invalid(
            "endpoint",
            "must be an http:// or https:// URL",
        ));
    }
    if w.request_format != "json" {
        errors.push(FieldError::invalid(
            "request_format",
            "must be json (atiende sends JSON bodies)",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(errors))
    }
}

impl App {
    pub async fn webhooks(&self, actor: Actor) -> Result<Vec<Webhook>, AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageWebhooks)?;
        let mut rc = self.read().await?;
        Ok(webhooks::all(&mut rc.conn()).await?)
    }

    pub async fn webhook(&self, actor: Actor, id: &str) -> Result<Webhook, AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageWebhooks)?;
        let mut rc = self.read().await?;
        webhooks::get(&mut rc.conn(), id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Creates (`id` none) or changes a webhook from Zendesk's JSON.
    pub async fn save_webhook(
        &self,
        actor: Actor,
        id: Option<String>,
        body: Json,
    ) -> Result<Webhook, AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageWebhooks)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let mut w = match &id {
                    Some(id) => webhooks::get(c, id).await?.ok_or(AppError::NotFound)?,
                    None => Webhook {
                        id: new_id(),
                        name: String::new(),
                        description: None,
                        endpoint: String::new(),
                        http_method: domain::model::webhooks::HttpMethod::Post,
                        request_format: "json".into(),
                        status: domain::model::webhooks::WebhookStatus::Active,
                        signing_secret: Secret::new(crate::auth::random_token(40)),
                        subscriptions: vec![TICKET_EVENTS.to_string()],
                        created_at: now,
                        updated_at: now,
                    },
                };
                apply(&mut w, &body)?;
                w.updated_at = now;
                let action = match id {
                    Some(_) => {
                        webhooks::update(c, &w).await?;
                        AdminAction::Update
                    }
                    None => {
                        webhooks::insert(c, &w).await?;
                        AdminAction::Create
                    }
                };
                crate::audit_log::record(c, &actor, logged(action, &w), now).await?;
                Ok(w)
            })
        })
        .await
    }

    pub async fn delete_webhook(&self, actor: Actor, id: String) -> Result<(), AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageWebhooks)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let w = webhooks::get(c, &id).await?.ok_or(AppError::NotFound)?;
                crate::audit_log::record(c, &actor, logged(AdminAction::Destroy, &w), now).await?;
                crate::error::found(webhooks::delete(c, &id).await?)
            })
        })
        .await
    }

    /// A new signing secret (the old one stops working at once).
    pub async fn reset_webhook_secret(
        &self,
        actor: Actor,
        id: String,
    ) -> Result<Webhook, AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageWebhooks)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let mut w = webhooks::get(c, &id).await?.ok_or(AppError::NotFound)?;
                w.signing_secret = Secret::new(crate::auth::random_token(40));
                w.updated_at = now;
                webhooks::update(c, &w).await?;
                crate::audit_log::record(c, &actor, logged(AdminAction::Update, &w), now).await?;
                Ok(w)
            })
        })
        .await
    }

    /// A webhook's calls, newest first (the delivery log).
    pub async fn webhook_deliveries(
        &self,
        actor: Actor,
        id: &str,
    ) -> Result<Vec<Delivery>, AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageWebhooks)?;
        let mut rc = self.read().await?;
        let mut conn = rc.conn();
        webhooks::get(&mut conn, id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(webhooks::deliveries(&mut conn, id, 200).await?)
    }

    /// Queues a test call (the admin's "send a test").
    pub async fn test_webhook(
        &self,
        actor: Actor,
        id: String,
        body: String,
    ) -> Result<WebhookDeliveryId, AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageWebhooks)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                webhooks::get(c, &id).await?.ok_or(AppError::NotFound)?;
                Ok(webhooks::enqueue(c, &id, None, None, &body, now).await?)
            })
        })
        .await
    }

    /// Claims the calls the sender should make now, each with its webhook.
    pub async fn claim_due_webhooks(
        &self,
        limit: i64,
        hold_secs: i64,
    ) -> Result<Vec<(Delivery, Webhook)>, AppError> {
        let now = Timestamp::now();
        let due = {
            let mut rc = self.read().await?;
            webhooks::due(&mut rc.conn(), now, limit).await?
        };
        if due.is_empty() {
            return Ok(vec![]);
        }
        self.write(move |c| {
            Box::pin(async move {
                let mut out = Vec::new();
                for d in due {
                    let Some(hook) = webhooks::get(c, &d.webhook_id).await? else {
                        webhooks::attempted(
                            c,
                            d.id,
                            None,
                            Some("the webhook was deleted"),
                            OutboundStatus::Failed,
                            None,
                            now,
                        )
                        .await?;
                        continue;
                    };
                    if claims::claim(
                        c,
                        Queue::Webhooks,
                        d.id.0,
                        now,
                        Timestamp(now.0 + hold_secs),
                    )
                    .await?
                    {
                        out.push((d, hook));
                    }
                }
                Ok(out)
            })
        })
        .await
    }

    /// Records a call's outcome: sent, retry at `retry_at`, or failed.
    pub async fn webhook_attempted(
        &self,
        id: WebhookDeliveryId,
        status: Option<u16>,
        error: Option<String>,
        outcome: OutboundStatus,
        retry_at: Option<Timestamp>,
    ) -> Result<(), AppError> {
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                webhooks::attempted(
                    c,
                    id,
                    status.map(i64::from),
                    error.as_deref(),
                    outcome,
                    retry_at,
                    now,
                )
                .await?;
                Ok(())
            })
        })
        .await
    }
}
