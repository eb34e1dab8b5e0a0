//! Building the shared page frame, rendering templates, and the error page
//! every handler falls back on.

use crate::Ui;
use crate::session::Agent;
use crate::view::{Chrome, QueueLink, count_label, queue_title};
use app::AppError;
use app::queues::Queue;
use app::sanitize::escape;
use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use std::collections::HashMap;

/// Renders a template as a page, or a plain 500 if the template fails.
pub fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => (status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// What a refused form said was wrong, in one line.
pub fn refusal_words(fields: &[app::FieldError]) -> String {
    fields
        .iter()
        .map(|f| f.description.clone())
        .collect::<Vec<_>>()
        .join("; ")
}

/// A form's page built again with what was refused, answered 422; the
/// error page if it cannot be built.
pub fn refused_page(agent: &Agent, page: Result<Response, AppError>) -> Response {
    match page {
        Ok(r) => {
            let (mut parts, body) = r.into_parts();
            parts.status = StatusCode::UNPROCESSABLE_ENTITY;
            Response::from_parts(parts, body)
        }
        Err(e) => error_page(agent, &e),
    }
}

/// An app error as a readable page in the agent's language.
pub fn error_page(agent: &Agent, e: &AppError) -> Response {
    let t = agent.t();
    let (status, msg) = match e {
        AppError::NotFound => (StatusCode::NOT_FOUND, t.not_found.to_string()),
        AppError::Forbidden(_) | AppError::Unauthorized => {
            (StatusCode::FORBIDDEN, t.forbidden.to_string())
        }
        AppError::Invalid(fields) => (StatusCode::UNPROCESSABLE_ENTITY, refusal_words(fields)),
        AppError::BadRequest { message, .. } => (StatusCode::BAD_REQUEST, message.clone()),
        AppError::Conflict(m) | AppError::SearchWindow(m) => (StatusCode::CONFLICT, m.clone()),
        other => {
            tracing::error!(error = %other, "page failed");
            (StatusCode::INTERNAL_SERVER_ERROR, t.error.to_string())
        }
    };
    let body = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><link rel=\"stylesheet\" href=\"/assets/agent.css\"></head>\
         <body><main id=\"main\"><h1>{}</h1><p class=\"error\" role=\"alert\">{}</p><p><a href=\"/agent\">{}</a></p></main></body></html>",
        agent.lang.code(),
        escape(t.error),
        escape(t.error),
        escape(&msg),
        escape(t.back)
    );
    (status, Html(body)).into_response()
}

/// The frame of a page: the agent, the queue list with counts, the
/// current event log position.
pub async fn chrome(
    ui: &Ui,
    agent: &Agent,
    current: Option<Queue>,
    query: &str,
    flash: Option<String>,
) -> Result<Chrome, AppError> {
    let actor = agent.user.actor;
    let t = agent.t();
    let (views, _) = ui
        .app
        .list_views(
            actor,
            true,
            app::Paging::Offset {
                page: 1,
                per_page: 50,
            },
        )
        .await?;
    let titles: HashMap<domain::ViewId, String> =
        views.iter().map(|v| (v.id, v.title.clone())).collect();
    let mut queues: Vec<Queue> = Queue::BUILT_IN.to_vec();
    queues.extend(views.iter().map(|v| Queue::View(v.id)));
    let counts = ui.app.queue_counts(actor, &queues).await?;
    let cursor = ui.app.event_cursor().await?;
    // Presence for routing; working here counts as being active (written
    // at most once a minute).
    let profile = ui.app.own_routing_profile(actor).await?;
    let now = domain::Timestamp::now();
    if profile.last_active_at.is_none_or(|t| now.0 - t.0 >= 60) {
        ui.app.agent_active(actor.user).await?;
    }
    let (chat_tabs, has_chats) = crate::desk_chats::tabs_html(ui, agent).await?;
    let clock = crate::view::Clock::new(&agent.user.time_zone);
    let spikes = ui
        .app
        .current_spikes(actor)
        .await?
        .iter()
        .map(|s| crate::reports::problems::spike_line(&clock, s))
        .collect();
    Ok(Chrome {
        spikes,
        chat_tabs,
        has_chats,
        presence: profile.presence[0].as_str(),
        t,
        lang: agent.lang.code(),
        user_id: actor.user.0,
        user_name: agent.user.name.clone(),
        csrf: agent.user.csrf.clone(),
        cursor,
        queues: counts
            .into_iter()
            .map(|(q, n)| QueueLink {
                key: q.key(),
                title: queue_title(t, q, &titles),
                count: count_label(n),
                current: Some(q) == current,
            })
            .collect(),
        query: query.to_string(),
        flash,
        is_admin: actor.is_admin(),
        reads_reports: domain::policy::Capability::ReadReports.allowed(&actor),
    })
}
