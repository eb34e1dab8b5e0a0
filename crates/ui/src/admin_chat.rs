//! The chat widgets' admin page: each widget's key and the snippet to
//! paste, its allowed sites, pre-chat form, topics and invitations; a new
//! widget's secret is shown on the page that made it, and never again.

use crate::Ui;
use crate::chrome::{chrome, error_page, render};
use crate::session::{Agent, AgentForm, Form};
use crate::view::Chrome;
use app::AppError;
use app::chat::WidgetInput;
use app::guard::Client;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::ChatWidgetId;
use domain::chat::{ChatWidget, Invitation};

struct WidgetRow {
    id: i64,
    name: String,
    key: String,
    snippet: String,
    origins: String,
    ask_name: bool,
    ask_email: bool,
    topics: String,
    /// One per line: `path | seconds | Spanish | English`.
    invitations: String,
    enabled: bool,
}

#[derive(Template)]
#[template(path = "admin_chat.html")]
struct ChatPage {
    chrome: Chrome,
    section: &'static str,
    /// The admin nav's one-time secret (unused here: the widget's own
    /// line says what the secret is for).
    secret: Option<String>,
    shown_secret: Option<String>,
    problem: Option<String>,
    widgets: Vec<WidgetRow>,
}

fn row(base: &str, w: &ChatWidget) -> WidgetRow {
    WidgetRow {
        id: w.id.0,
        name: w.name.clone(),
        key: w.public_key.clone(),
        snippet: format!(
            "<script type=\"module\" src=\"{base}/chat/widget.js\" data-key=\"{}\"></script>",
            w.public_key
        ),
        origins: w.allowed_origins.join("\n"),
        ask_name: w.ask_name,
        ask_email: w.ask_email,
        topics: w.topics.join("\n"),
        invitations: w
            .invitations
            .iter()
            .map(|i| {
                format!(
                    "{} | {} | {} | {}",
                    i.path, i.after_seconds, i.message_es, i.message_en
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
        enabled: w.enabled,
    }
}

/// Reads the invitations' lines; a line that is not `path | seconds |
/// Spanish | English` is an error naming it.
fn invitations(text: &str) -> Result<Vec<Invitation>, AppError> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let seconds = parts.get(1).and_then(|s| s.parse::<u32>().ok());
        match (parts.as_slice(), seconds) {
            ([path, _, es, en], Some(after_seconds)) => out.push(Invitation {
                path: path.to_string(),
                after_seconds,
                message_es: es.to_string(),
                message_en: en.to_string(),
            }),
            _ => {
                return Err(AppError::field(app::FieldError::invalid(
                    "invitations",
                    format!("{line:?} is not path | seconds | Spanish | English"),
                )));
            }
        }
    }
    Ok(out)
}

fn lines(text: Option<&str>) -> Vec<String> {
    text.unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// This server as the agent reached it: the snippet's scripts come from
/// here.
pub(crate) fn base_url(headers: &HeaderMap, client: Option<&Client>) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if client.is_some_and(|c| c.https) {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

async fn show(
    ui: &Ui,
    agent: &Agent,
    base: &str,
    status: StatusCode,
    shown_secret: Option<String>,
    problem: Option<String>,
) -> Result<Response, AppError> {
    let widgets = ui.app.chat_widgets(agent.user.actor).await?;
    Ok(render(
        status,
        &ChatPage {
            chrome: chrome(ui, agent, None, "", None).await?,
            section: "chat",
            secret: None,
            shown_secret,
            problem,
            widgets: widgets.iter().map(|w| row(base, w)).collect(),
        },
    ))
}

/// A refusal shown on the page, or the error page.
async fn refused(ui: &Ui, agent: &Agent, base: &str, e: AppError) -> Response {
    match e {
        AppError::Invalid(fields) => {
            let why = crate::chrome::refusal_words(&fields);
            show(
                ui,
                agent,
                base,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(why),
            )
            .await
            .unwrap_or_else(|e| error_page(agent, &e))
        }
        other => error_page(agent, &other),
    }
}

/// `GET /agent/admin/chat`.
pub async fn page(
    State(ui): State<Ui>,
    agent: Agent,
    headers: HeaderMap,
    client: Option<Extension<Client>>,
) -> Response {
    let base = base_url(&headers, client.as_deref());
    show(&ui, &agent, &base, StatusCode::OK, None, None)
        .await
        .unwrap_or_else(|e| error_page(&agent, &e))
}

/// `POST /agent/admin/chat`: a new widget, its secret shown on this page.
pub async fn create(
    State(ui): State<Ui>,
    headers: HeaderMap,
    client: Option<Extension<Client>>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let base = base_url(&headers, client.as_deref());
    let input = WidgetInput {
        name: Some(form.get("name").unwrap_or_default().to_string()),
        allowed_origins: Some(lines(form.get("origins"))),
        ..Default::default()
    };
    match ui.app.create_chat_widget(agent.user.actor, input).await {
        Ok(made) => {
            let secret = made.secret.expose().to_string();
            show(&ui, &agent, &base, StatusCode::CREATED, Some(secret), None)
                .await
                .unwrap_or_else(|e| error_page(&agent, &e))
        }
        Err(e) => refused(&ui, &agent, &base, e).await,
    }
}

fn input_of(form: &Form) -> Result<WidgetInput, AppError> {
    Ok(WidgetInput {
        name: Some(form.get("name").unwrap_or_default().to_string()),
        allowed_origins: Some(lines(form.get("origins"))),
        ask_name: Some(form.get("ask_name").is_some()),
        ask_email: Some(form.get("ask_email").is_some()),
        topics: Some(lines(form.get("topics"))),
        invitations: Some(invitations(form.get("invitations").unwrap_or_default())?),
        enabled: Some(form.get("enabled").is_some()),
    })
}

/// `POST /agent/admin/chat/{id}`.
pub async fn save(
    State(ui): State<Ui>,
    Path(id): Path<String>,
    headers: HeaderMap,
    client: Option<Extension<Client>>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let base = base_url(&headers, client.as_deref());
    let Ok(id) = id.parse::<i64>() else {
        return error_page(&agent, &AppError::NotFound);
    };
    let done = match input_of(&form) {
        Ok(input) => ui
            .app
            .update_chat_widget(agent.user.actor, ChatWidgetId(id), input)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    match done {
        Ok(()) => Redirect::to("/agent/admin/chat").into_response(),
        Err(e) => refused(&ui, &agent, &base, e).await,
    }
}

/// `POST /agent/admin/chat/{id}/delete`.
pub async fn delete(
    State(ui): State<Ui>,
    Path(id): Path<String>,
    AgentForm { agent, .. }: AgentForm,
) -> Response {
    let Ok(id) = id.parse::<i64>() else {
        return error_page(&agent, &AppError::NotFound);
    };
    match ui
        .app
        .delete_chat_widget(agent.user.actor, ChatWidgetId(id))
        .await
    {
        Ok(()) => Redirect::to("/agent/admin/chat").into_response(),
        Err(e) => error_page(&agent, &e),
    }
}
