//! The customer panel's actions: adding and removing identities, and
//! merging two customer profiles with a preview first and an undo after.

use crate::Ui;
use crate::chrome::{chrome, error_page, render};
use crate::session::{Agent, AgentForm, safe_next};
use crate::view::Chrome;
use app::AppError;
use app::users::IdentityChange;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::{IdentityId, IdentityKind, UserId};
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "merge_preview.html")]
struct PreviewPage {
    chrome: Chrome,
    source_id: i64,
    source_name: String,
    target_id: i64,
    target_name: String,
    identities: Vec<(&'static str, String)>,
    tickets: Vec<(i64, String)>,
    back: String,
}

#[derive(Template)]
#[template(path = "merge_done.html")]
struct DonePage {
    chrome: Chrome,
    merge_id: i64,
    source_name: String,
    target_name: String,
    undone: bool,
    tickets: Vec<(i64, String)>,
}

fn user_id(raw: &str) -> Result<UserId, AppError> {
    raw.parse().map(UserId).map_err(|_| AppError::NotFound)
}

/// `POST /agent/customers/{id}/identities`: kind + value.
pub async fn add_identity(
    State(ui): State<Ui>,
    Path(raw): Path<String>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let inner = async {
        let user = user_id(&raw)?;
        let kind: IdentityKind = form
            .get("kind")
            .unwrap_or("")
            .parse()
            .map_err(|e: domain::UnknownWord| AppError::bad(e.to_string()))?;
        ui.app
            .add_identity(
                agent.user.actor,
                user,
                kind,
                form.get("value").unwrap_or(""),
                false,
            )
            .await?;
        Ok::<_, AppError>(Redirect::to(&safe_next(form.get("back"))).into_response())
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}

/// `POST /agent/customers/{id}/identities/{identity}/delete`.
pub async fn delete_identity(
    State(ui): State<Ui>,
    Path((raw, ident)): Path<(String, String)>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let inner = async {
        let user = user_id(&raw)?;
        let ident = ident
            .parse()
            .map(IdentityId)
            .map_err(|_| AppError::NotFound)?;
        ui.app
            .change_identity(agent.user.actor, user, ident, IdentityChange::Delete)
            .await?;
        Ok::<_, AppError>(Redirect::to(&safe_next(form.get("back"))).into_response())
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}

/// `GET /agent/customers/{id}/merge?into=EMAIL|ID`: what would move.
pub async fn preview(
    State(ui): State<Ui>,
    agent: Agent,
    Path(raw): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let inner = async {
        let source = user_id(&raw)?;
        let into = q.get("into").map(|s| s.trim()).unwrap_or("");
        let target = match into.parse::<i64>() {
            Ok(id) => UserId(id),
            Err(_) => match ui.app.user_by_email(into).await {
                Ok(Some(u)) => u.id,
                Ok(None) | Err(AppError::Invalid(_)) => {
                    return Err(AppError::bad(agent.t().no_such_customer));
                }
                Err(e) => return Err(e),
            },
        };
        let p = ui
            .app
            .preview_user_merge(agent.user.actor, source, target)
            .await?;
        let tickets = ui.app.tickets_by_ids(agent.user.actor, &p.tickets).await?;
        let page = PreviewPage {
            chrome: chrome(&ui, &agent, None, "", None).await?,
            source_id: p.source.id.0,
            source_name: p.source.name,
            target_id: p.target.id.0,
            target_name: p.target.name,
            identities: p
                .identities
                .into_iter()
                .map(|i| (i.kind.as_str(), i.value))
                .collect(),
            tickets: tickets.into_iter().map(|t| (t.id.0, t.subject)).collect(),
            back: safe_next(q.get("back").map(String::as_str)),
        };
        Ok::<_, AppError>(render(StatusCode::OK, &page))
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}

/// `POST /agent/customers/{id}/merge`: merges into `target`.
pub async fn merge(
    State(ui): State<Ui>,
    Path(raw): Path<String>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let inner = async {
        let source = user_id(&raw)?;
        let target = user_id(form.get("target").unwrap_or(""))?;
        let id = ui.app.merge_users(agent.user.actor, source, target).await?;
        Ok::<_, AppError>(Redirect::to(&format!("/agent/customers/merges/{id}")).into_response())
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}

/// `GET /agent/customers/merges/{id}`: the merge, with its undo button.
pub async fn done(State(ui): State<Ui>, agent: Agent, Path(raw): Path<String>) -> Response {
    let inner = async {
        let id: domain::UserMergeId = raw.parse().map_err(|_| AppError::NotFound)?;
        let m = ui.app.user_merge(agent.user.actor, id).await?;
        let people = ui
            .app
            .users_by_ids(agent.user.actor, &[m.source, m.target])
            .await?;
        let name = |u: UserId| {
            people
                .iter()
                .find(|p| p.id == u)
                .map(|p| p.name.clone())
                .unwrap_or_default()
        };
        let tickets = ui.app.tickets_by_ids(agent.user.actor, &m.tickets).await?;
        let page = DonePage {
            chrome: chrome(&ui, &agent, None, "", None).await?,
            merge_id: id.0,
            source_name: name(m.source),
            target_name: name(m.target),
            undone: m.undone_at.is_some(),
            tickets: tickets.into_iter().map(|t| (t.id.0, t.subject)).collect(),
        };
        Ok::<_, AppError>(render(StatusCode::OK, &page))
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}

/// `POST /agent/customers/merges/{id}/undo`.
pub async fn undo(
    State(ui): State<Ui>,
    Path(raw): Path<String>,
    AgentForm { agent, .. }: AgentForm,
) -> Response {
    let inner = async {
        let id: domain::UserMergeId = raw.parse().map_err(|_| AppError::NotFound)?;
        ui.app.undo_user_merge(agent.user.actor, id).await?;
        Ok::<_, AppError>(Redirect::to(&format!("/agent/customers/merges/{id}")).into_response())
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}
