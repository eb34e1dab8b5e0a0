//! The suspended-mail admin page: mail held instead of becoming tickets,
//! with the reason, to recover or delete. Admins only; the app checks it.

use crate::Ui;
use crate::chrome::{chrome, error_page, render};
use crate::i18n::Text;
use crate::session::{Agent, AgentForm};
use crate::view::{Chrome, Clock};
use app::AppError;
use app::email::SuspendedMessage;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::{InboundEmailId, SuspensionCause};

/// One held message as the page shows it.
struct Row {
    id: i64,
    received: String,
    received_iso: String,
    from: String,
    subject: String,
    content: String,
    cause: &'static str,
    detail: String,
    /// Unreadable mail and mail with nobody to answer can only be deleted.
    recoverable: bool,
}

#[derive(Template)]
#[template(path = "admin_suspended.html")]
struct SuspendedPage {
    chrome: Chrome,
    section: &'static str,
    secret: Option<String>,
    items: Vec<Row>,
}

fn cause_text(t: &Text, c: SuspensionCause) -> &'static str {
    match c {
        SuspensionCause::Unreadable => t.cause_unreadable,
        SuspensionCause::NoSender => t.cause_no_sender,
        SuspensionCause::UnverifiedSender => t.cause_unverified_sender,
        SuspensionCause::ProcessingFailed => t.cause_processing_failed,
    }
}

fn row(m: SuspendedMessage, t: &Text, clock: &Clock) -> Row {
    let (received, received_iso) = clock.show(m.received_at);
    Row {
        id: m.id.0,
        received,
        received_iso,
        from: match &m.from_name {
            Some(n) => format!("{n} <{}>", m.from_email),
            None => m.from_email.clone(),
        },
        subject: m.subject,
        content: m.content,
        cause: cause_text(t, m.cause),
        detail: m.detail,
        recoverable: !matches!(
            m.cause,
            SuspensionCause::Unreadable | SuspensionCause::NoSender
        ),
    }
}

/// `GET /agent/admin/suspended`.
pub async fn page(State(ui): State<Ui>, agent: Agent) -> Response {
    let inner = async {
        let held = ui
            .app
            .suspended_messages(agent.user.actor, None, None, 100)
            .await?;
        let clock = Clock::new(&agent.user.time_zone);
        let items = held
            .into_iter()
            .map(|m| row(m, agent.t(), &clock))
            .collect();
        Ok::<_, AppError>(render(
            StatusCode::OK,
            &SuspendedPage {
                chrome: chrome(&ui, &agent, None, "", None).await?,
                section: "suspended",
                secret: None,
                items,
            },
        ))
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}

/// A row button: the id from the path, the use case, then where to go.
async fn row_action<T, Fut>(
    agent: &Agent,
    raw: &str,
    run: impl FnOnce(InboundEmailId) -> Fut,
    then: impl FnOnce(T) -> Response,
) -> Response
where
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    let Ok(id) = raw.parse::<InboundEmailId>() else {
        return error_page(agent, &AppError::NotFound);
    };
    match run(id).await {
        Ok(v) => then(v),
        Err(e) => error_page(agent, &e),
    }
}

/// `POST /agent/admin/suspended/{id}/recover`: processed now; the page
/// goes to the ticket it became or continued.
pub async fn recover(
    State(ui): State<Ui>,
    Path(raw): Path<String>,
    AgentForm { agent, .. }: AgentForm,
) -> Response {
    let actor = agent.user.actor;
    row_action(
        &agent,
        &raw,
        |id| ui.app.recover_suspended(actor, id),
        |t| Redirect::to(&format!("/agent/tickets/{}", t.0)).into_response(),
    )
    .await
}

/// `POST /agent/admin/suspended/{id}/delete`.
pub async fn delete(
    State(ui): State<Ui>,
    Path(raw): Path<String>,
    AgentForm { agent, .. }: AgentForm,
) -> Response {
    let actor = agent.user.actor;
    row_action(
        &agent,
        &raw,
        |id| ui.app.delete_suspended(actor, id),
        |()| Redirect::to("/agent/admin/suspended").into_response(),
    )
    .await
}
