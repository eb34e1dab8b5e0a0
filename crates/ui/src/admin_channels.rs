//! The messaging channels' admin page: each connected account (WhatsApp,
//! Messenger, Instagram, Telegram, SMS) with its webhook address and status
//! line — last delivery, last error, deliveries read, waiting and kept as
//! malformed —, its settings, new credentials (never shown), a test
//! message, and the form that connects a new one; the tokens we make for
//! the provider are shown on the page that made them, never again. Below,
//! WhatsApp's template library.

use crate::Ui;
use crate::admin_chat::base_url;
use crate::chrome::{chrome, error_page, render};
use crate::session::{Agent, AgentForm, Form};
use crate::view::Chrome;
use app::AppError;
use app::guard::Client;
use app::messaging::{AccountInput, AccountStatus, TemplateInput};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use domain::mail::Secret;
use domain::messaging::{
    Credentials, FIELDS, MESSAGING_CHANNELS, MessageTemplate, TemplateCategory, channel_of_slug,
    channel_slug,
};
use domain::{ChannelAccountId, MessageTemplateId};

struct AccountRow {
    id: i64,
    channel: &'static str,
    name: String,
    external_id: String,
    webhook_url: String,
    api_base: String,
    bot_first: bool,
    enabled: bool,
    last_delivery: String,
    last_error: String,
    processed: i64,
    waiting: i64,
    malformed: i64,
    /// The credentials its channel needs (replaced, never shown).
    fields: Vec<&'static str>,
}

#[derive(Template)]
#[template(path = "admin_channels.html")]
struct ChannelsPage {
    chrome: Chrome,
    section: &'static str,
    /// The admin nav's one-time secret (unused: the made tokens are named).
    secret: Option<String>,
    /// What we made for the provider, shown once: (field, value).
    made: Vec<(&'static str, String)>,
    problem: Option<String>,
    notice: Option<String>,
    accounts: Vec<AccountRow>,
    channels: Vec<&'static str>,
    fields: Vec<&'static str>,
    templates: Vec<MessageTemplate>,
}

fn row(base: &str, s: &AccountStatus) -> AccountRow {
    let a = &s.account;
    AccountRow {
        id: a.id.0,
        channel: channel_slug(a.channel),
        name: a.name.clone(),
        external_id: a.external_id.clone(),
        webhook_url: format!("{base}{}", s.webhook_path),
        api_base: a.api_base.clone().unwrap_or_default(),
        bot_first: a.bot_first,
        enabled: a.enabled,
        last_delivery: a.last_delivery_at.map(|t| t.to_iso()).unwrap_or_default(),
        last_error: match (&a.last_error, a.last_error_at) {
            (Some(e), Some(at)) => format!("{} — {e}", at.to_iso()),
            (Some(e), None) => e.clone(),
            _ => String::new(),
        },
        processed: s.processed,
        waiting: s.waiting,
        malformed: s.malformed,
        fields: Credentials::required(a.channel).to_vec(),
    }
}

/// What the page says beside the accounts.
#[derive(Default)]
struct Said {
    made: Vec<(&'static str, String)>,
    problem: Option<String>,
    notice: Option<String>,
}

async fn show(
    ui: &Ui,
    agent: &Agent,
    base: &str,
    status: StatusCode,
    said: Said,
) -> Result<Response, AppError> {
    let actor = agent.user.actor;
    let accounts = ui.app.channel_accounts(actor).await?;
    let templates = ui.app.message_templates(actor).await?;
    Ok(render(
        status,
        &ChannelsPage {
            chrome: chrome(ui, agent, None, "", None).await?,
            section: "channels",
            secret: None,
            made: said.made,
            problem: said.problem,
            notice: said.notice,
            accounts: accounts.iter().map(|a| row(base, a)).collect(),
            channels: MESSAGING_CHANNELS
                .iter()
                .map(|c| channel_slug(*c))
                .collect(),
            fields: FIELDS.to_vec(),
            templates,
        },
    ))
}

/// The page again with a refusal, or the error page.
async fn refused(ui: &Ui, agent: &Agent, base: &str, e: AppError) -> Response {
    match e {
        AppError::Invalid(fields) => {
            let problem = crate::chrome::refusal_words(&fields);
            let said = Said {
                problem: Some(problem),
                ..Said::default()
            };
            show(ui, agent, base, StatusCode::UNPROCESSABLE_ENTITY, said)
                .await
                .unwrap_or_else(|e| error_page(agent, &e))
        }
        other => error_page(agent, &other),
    }
}

/// The credentials a form gives (blank ones are left as they are).
fn credentials_of(form: &Form) -> Vec<(String, Secret)> {
    FIELDS
        .iter()
        .filter_map(|f| {
            form.get(f)
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(|v| (f.to_string(), Secret::new(v)))
        })
        .collect()
}

fn id_of(id: &str) -> Result<ChannelAccountId, AppError> {
    id.parse().map_err(|_| AppError::NotFound)
}

/// `GET /agent/admin/channels`.
pub async fn page(
    State(ui): State<Ui>,
    agent: Agent,
    headers: HeaderMap,
    client: Option<Extension<Client>>,
) -> Response {
    let base = base_url(&headers, client.as_deref());
    show(&ui, &agent, &base, StatusCode::OK, Said::default())
        .await
        .unwrap_or_else(|e| error_page(&agent, &e))
}

/// `POST /agent/admin/channels`: connects an account; what we made for
/// the provider is shown on this page only.
pub async fn create(
    State(ui): State<Ui>,
    headers: HeaderMap,
    client: Option<Extension<Client>>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let base = base_url(&headers, client.as_deref());
    let channel = form.get("channel").and_then(channel_of_slug);
    if channel.is_none() {
        let e = AppError::field(app::FieldError::invalid("channel", "choose a channel"));
        return refused(&ui, &agent, &base, e).await;
    }
    let input = AccountInput {
        channel,
        name: form.get("name").map(str::to_string),
        external_id: form.get("external_id").map(str::to_string),
        credentials: credentials_of(&form),
        api_base: form.get("api_base").map(|b| Some(b.to_string())),
        bot_first: Some(form.get("bot_first").is_some()),
        enabled: Some(true),
    };
    match ui
        .app
        .create_channel_account(agent.user.actor, input, &base)
        .await
    {
        Ok(made) => {
            let said = Said {
                made: made
                    .made
                    .iter()
                    .map(|(f, s)| (*f, s.expose().to_string()))
                    .collect(),
                ..Said::default()
            };
            show(&ui, &agent, &base, StatusCode::CREATED, said)
                .await
                .unwrap_or_else(|e| error_page(&agent, &e))
        }
        Err(e) => refused(&ui, &agent, &base, e).await,
    }
}

/// `POST /agent/admin/channels/{id}`: settings, and new credentials if
/// given.
pub async fn save(
    State(ui): State<Ui>,
    Path(id): Path<String>,
    headers: HeaderMap,
    client: Option<Extension<Client>>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let base = base_url(&headers, client.as_deref());
    let input = AccountInput {
        name: form.get("name").map(str::to_string),
        credentials: credentials_of(&form),
        api_base: Some(form.get("api_base").map(str::to_string)),
        bot_first: Some(form.get("bot_first").is_some()),
        enabled: Some(form.get("enabled").is_some()),
        ..AccountInput::default()
    };
    let done = match id_of(&id) {
        Ok(id) => ui
            .app
            .update_channel_account(agent.user.actor, id, input)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    match done {
        Ok(()) => Redirect::to("/agent/admin/channels").into_response(),
        Err(e) => refused(&ui, &agent, &base, e).await,
    }
}

/// `POST /agent/admin/channels/{id}/test`: a test message to `to`.
pub async fn test(
    State(ui): State<Ui>,
    Path(id): Path<String>,
    headers: HeaderMap,
    client: Option<Extension<Client>>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let base = base_url(&headers, client.as_deref());
    let to = form.get("to").unwrap_or_default().to_string();
    let sent = match id_of(&id) {
        Ok(id) => ui.app.send_channel_test(agent.user.actor, id, &to).await,
        Err(e) => Err(e),
    };
    match sent {
        Ok(_) => {
            let said = Said {
                notice: Some(agent.t().channel_test_sent.to_string()),
                ..Said::default()
            };
            show(&ui, &agent, &base, StatusCode::OK, said)
                .await
                .unwrap_or_else(|e| error_page(&agent, &e))
        }
        Err(e) => refused(&ui, &agent, &base, e).await,
    }
}

/// `POST /agent/admin/channels/{id}/delete`.
pub async fn delete(
    State(ui): State<Ui>,
    Path(id): Path<String>,
    AgentForm { agent, .. }: AgentForm,
) -> Response {
    let done = match id_of(&id) {
        Ok(id) => ui.app.delete_channel_account(agent.user.actor, id).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(()) => Redirect::to("/agent/admin/channels").into_response(),
        Err(e) => error_page(&agent, &e),
    }
}

/// `POST /agent/admin/channels/templates`: adds an approved template.
pub async fn add_template(
    State(ui): State<Ui>,
    headers: HeaderMap,
    client: Option<Extension<Client>>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let base = base_url(&headers, client.as_deref());
    let input = TemplateInput {
        name: form.get("name").unwrap_or_default().to_string(),
        language: form.get("language").unwrap_or_default().to_string(),
        category: form
            .get("category")
            .and_then(|c| c.parse::<TemplateCategory>().ok()),
        body: form.get("body").unwrap_or_default().to_string(),
    };
    match ui
        .app
        .create_message_template(agent.user.actor, input)
        .await
    {
        Ok(_) => Redirect::to("/agent/admin/channels#templates").into_response(),
        Err(e) => refused(&ui, &agent, &base, e).await,
    }
}

/// `POST /agent/admin/channels/templates/{id}/delete`.
pub async fn delete_template(
    State(ui): State<Ui>,
    Path(id): Path<String>,
    AgentForm { agent, .. }: AgentForm,
) -> Response {
    let done = match id.parse::<i64>() {
        Ok(id) => {
            ui.app
                .delete_message_template(agent.user.actor, MessageTemplateId(id))
                .await
        }
        Err(_) => Err(AppError::NotFound),
    };
    match done {
        Ok(()) => Redirect::to("/agent/admin/channels#templates").into_response(),
        Err(e) => error_page(&agent, &e),
    }
}
