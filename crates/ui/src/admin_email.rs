//! The email admin page: support addresses with their IMAP accounts (and
//! what the fetcher last saw), the mail texts per language, and outgoing
//! mail that was not delivered, with "send again". Admins only; the app
//! checks it again.

use crate::Ui;
use crate::chrome::{chrome, error_page, render};
use crate::session::{Agent, AgentForm, Form};
use crate::view::{Chrome, MailRow, mail_row};
use app::AppError;
use app::email::{ImapInput, MailboxInput};
use app::mail_templates::{MailTemplates, PLACEHOLDERS, Template as MailTemplate};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::model::mailboxes::Mailbox;
use domain::{AfterFetch, ImapSecurity, MailboxId, Secret};

/// A mailbox as its form shows it (the password never).
pub struct MailboxForm {
    pub id: i64,
    /// Prefix of the form's element ids.
    pub prefix: String,
    pub address: String,
    pub name: String,
    pub is_default: bool,
    pub host: String,
    pub port: String,
    pub security: String,
    pub username: String,
    pub folder: String,
    pub after: String,
    pub move_to: String,
    pub status: String,
}

impl MailboxForm {
    fn of(m: &Mailbox) -> MailboxForm {
        let imap = m.imap.as_ref();
        MailboxForm {
            id: m.id.0,
            prefix: format!("mb{}", m.id),
            address: m.address.clone(),
            name: m.name.clone(),
            is_default: m.is_default,
            host: imap.map(|i| i.host.clone()).unwrap_or_default(),
            port: imap.map(|i| i.port.to_string()).unwrap_or_default(),
            security: imap.map_or("tls", |i| i.security.as_str()).to_string(),
            username: imap.map(|i| i.username.clone()).unwrap_or_default(),
            folder: imap.map_or_else(|| "INBOX".to_string(), |i| i.folder.clone()),
            after: imap.map_or("mark_seen", |i| i.after.as_str()).to_string(),
            move_to: imap.and_then(|i| i.move_to.clone()).unwrap_or_default(),
            status: m.imap_status.clone().unwrap_or_default(),
        }
    }

    fn blank() -> MailboxForm {
        MailboxForm {
            id: 0,
            prefix: "new".into(),
            address: String::new(),
            name: "Support".into(),
            is_default: false,
            host: String::new(),
            port: String::new(),
            security: "tls".into(),
            username: String::new(),
            folder: "INBOX".into(),
            after: "mark_seen".into(),
            move_to: String::new(),
            status: String::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "admin_email.html")]
struct EmailPage {
    chrome: Chrome,
    section: &'static str,
    secret: Option<String>,
    mailboxes: Vec<MailboxForm>,
    blank: MailboxForm,
    securities: Vec<&'static str>,
    templates: MailTemplates,
    placeholders: &'static [&'static str],
    mails: Vec<MailRow>,
}

/// `GET /agent/admin/email`.
pub async fn page(State(ui): State<Ui>, agent: Agent) -> Response {
    show(&ui, &agent, None)
        .await
        .unwrap_or_else(|e| error_page(&agent, &e))
}

async fn show(ui: &Ui, agent: &Agent, secret: Option<String>) -> Result<Response, AppError> {
    let actor = agent.user.actor;
    let mailboxes = ui
        .app
        .list_mailboxes(actor)
        .await?
        .iter()
        .map(MailboxForm::of)
        .collect();
    let templates = ui.app.mail_templates(actor).await?;
    let mails = ui
        .app
        .unsent_outbound(actor)
        .await?
        .into_iter()
        .map(|m| mail_row(m, agent.t()))
        .collect();
    Ok(render(
        StatusCode::OK,
        &EmailPage {
            chrome: chrome(ui, agent, None, "", None).await?,
            section: "email",
            secret,
            mailboxes,
            blank: MailboxForm::blank(),
            securities: ImapSecurity::ALL.iter().map(|s| s.as_str()).collect(),
            templates,
            placeholders: PLACEHOLDERS,
            mails,
        },
    ))
}

fn back() -> Response {
    Redirect::to("/agent/admin/email").into_response()
}

/// The mailbox form as a use-case input; an empty IMAP host means none.
fn mailbox_input(form: &Form) -> Result<MailboxInput, AppError> {
    let text = |k: &str| form.get(k).map(str::trim).unwrap_or("").to_string();
    let host = text("imap_host");
    let imap = if host.is_empty() {
        None
    } else {
        let port = match text("imap_port").as_str() {
            "" => None,
            p => Some(p.parse::<u16>().map_err(|_| {
                AppError::field(app::FieldError::invalid("imap.port", "must be 1 to 65535"))
            })?),
        };
        let word = |k: &str| form.get(k).unwrap_or("").to_string();
        Some(ImapInput {
            host,
            port,
            security: word("imap_security")
                .parse::<ImapSecurity>()
                .map_err(|e| AppError::bad(e.to_string()))
                .map(Some)?,
            username: text("imap_username"),
            password: form
                .get("imap_password")
                .filter(|p| !p.is_empty())
                .map(Secret::new),
            folder: Some(text("imap_folder")),
            after: word("imap_after")
                .parse::<AfterFetch>()
                .map_err(|e| AppError::bad(e.to_string()))
                .map(Some)?,
            move_to: Some(text("imap_move_to")),
        })
    };
    Ok(MailboxInput {
        address: Some(text("email")),
        name: Some(text("name")),
        is_default: Some(form.get("default") == Some("1")),
        imap: Some(imap),
    })
}

/// `POST /agent/admin/email/mailboxes`.
pub async fn create_mailbox(
    State(ui): State<Ui>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let done = async {
        ui.app
            .create_mailbox(agent.user.actor, mailbox_input(&form)?)
            .await
    };
    match done.await {
        Ok(_) => back(),
        Err(e) => error_page(&agent, &e),
    }
}

/// `POST /agent/admin/email/mailboxes/{id}`.
pub async fn update_mailbox(
    State(ui): State<Ui>,
    Path(raw): Path<String>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let done = async {
        let id = MailboxId(raw.parse().map_err(|_| AppError::NotFound)?);
        ui.app
            .update_mailbox(agent.user.actor, id, mailbox_input(&form)?)
            .await
    };
    match done.await {
        Ok(_) => back(),
        Err(e) => error_page(&agent, &e),
    }
}

/// `POST /agent/admin/email/mailboxes/{id}/delete`.
pub async fn delete_mailbox(
    State(ui): State<Ui>,
    Path(raw): Path<String>,
    AgentForm { agent, .. }: AgentForm,
) -> Response {
    let done = async {
        let id = MailboxId(raw.parse().map_err(|_| AppError::NotFound)?);
        ui.app.delete_mailbox(agent.user.actor, id).await
    };
    match done.await {
        Ok(()) => back(),
        Err(e) => error_page(&agent, &e),
    }
}

/// `POST /agent/admin/email/templates`.
pub async fn save_templates(
    State(ui): State<Ui>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let text = |k: &str| form.get(k).unwrap_or("").replace("\r\n", "\n");
    let templates = MailTemplates {
        acknowledge: form.get("acknowledge") == Some("1"),
        acknowledgement_en: MailTemplate {
            subject: text("ack_subject_en"),
            body: text("ack_body_en"),
        },
        acknowledgement_es: MailTemplate {
            subject: text("ack_subject_es"),
            body: text("ack_body_es"),
        },
        reply_footer_en: text("footer_en"),
        reply_footer_es: text("footer_es"),
    };
    match ui.app.set_mail_templates(agent.user.actor, templates).await {
        Ok(_) => match show(&ui, &agent, Some(agent.t().saved.to_string())).await {
            Ok(r) => r,
            Err(e) => error_page(&agent, &e),
        },
        Err(e) => error_page(&agent, &e),
    }
}

/// `POST /agent/admin/email/{id}/retry`: send a failed message again.
pub async fn retry(
    State(ui): State<Ui>,
    Path(raw): Path<String>,
    AgentForm { agent, .. }: AgentForm,
) -> Response {
    let done = async {
        let id: domain::OutboundId = raw.parse().map_err(|_| AppError::NotFound)?;
        ui.app.retry_outbound(agent.user.actor, id).await
    };
    match done.await {
        Ok(()) => back(),
        Err(e) => error_page(&agent, &e),
    }
}
