//! The help center's look, set by admins: its name in each language, the
//! logo, the accent colour (checked to be readable on white) and the
//! footer links.

use crate::Ui;
use crate::chrome::{chrome, error_page, render};
use crate::session::{Agent, AgentUpload};
use crate::view::Chrome;
use app::AppError;
use app::site_look::{LogoChange, LookInput};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::look::SiteLook;

#[derive(Template)]
#[template(path = "admin_look.html")]
struct LookPage {
    chrome: Chrome,
    section: &'static str,
    secret: Option<String>,
    name_es: String,
    name_en: String,
    accent: String,
    /// One "label | address" per line.
    links: String,
    logo: Option<String>,
    problems: Vec<String>,
}

fn page_of(chrome: Chrome, look: &SiteLook, problems: Vec<String>) -> LookPage {
    LookPage {
        chrome,
        section: "look",
        secret: None,
        name_es: look.names.get("es").cloned().unwrap_or_default(),
        name_en: look.names.get("en-us").cloned().unwrap_or_default(),
        accent: look.accent.clone().unwrap_or_default(),
        links: look
            .footer_links
            .iter()
            .map(|(l, u)| format!("{l} | {u}"))
            .collect::<Vec<_>>()
            .join("\n"),
        logo: look
            .logo_type
            .as_ref()
            .map(|_| format!("/hc/assets/logo?v={}", look.logo_version)),
        problems,
    }
}

/// `GET /agent/admin/look` (admins: the admin pages' layer checks).
pub async fn page(State(ui): State<Ui>, agent: Agent) -> Response {
    let inner = async {
        let look = ui.app.site_look().await?;
        let chrome = chrome(&ui, &agent, None, "", None).await?;
        Ok::<_, AppError>(render(StatusCode::OK, &page_of(chrome, &look, Vec::new())))
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}

/// `POST /agent/admin/look` (multipart: the logo is a file).
pub async fn save(
    State(ui): State<Ui>,
    AgentUpload { agent, form, files }: AgentUpload,
) -> Response {
    let links = form
        .get("links")
        .unwrap_or("")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| match l.split_once('|') {
            Some((label, url)) => (label.trim().to_string(), url.trim().to_string()),
            None => (String::new(), l.trim().to_string()),
        })
        .collect();
    let logo = match files.into_iter().find(|(field, _, _)| field == "logo") {
        Some((_, _, data)) => LogoChange::Set(data),
        None if form.get("remove_logo") == Some("1") => LogoChange::Remove,
        None => LogoChange::Keep,
    };
    let input = LookInput {
        names: vec![
            ("es".into(), form.get("name_es").unwrap_or("").to_string()),
            (
                "en-us".into(),
                form.get("name_en").unwrap_or("").to_string(),
            ),
        ],
        accent: form.get("accent").unwrap_or("").to_string(),
        footer_links: links,
        logo,
    };
    match ui.app.set_site_look(agent.user.actor, input).await {
        Ok(_) => Redirect::to("/agent/admin/look").into_response(),
        Err(AppError::Invalid(errors)) => {
            let look = ui.app.site_look().await.unwrap_or_default();
            match chrome(&ui, &agent, None, "", None).await {
                Ok(chrome) => {
                    let problems = errors.iter().map(|e| e.description.clone()).collect();
                    let mut p = page_of(chrome, &look, problems);
                    p.accent = form.get("accent").unwrap_or("").to_string();
                    p.links = form.get("links").unwrap_or("").to_string();
                    render(StatusCode::UNPROCESSABLE_ENTITY, &p)
                }
                Err(e) => error_page(&agent, &e),
            }
        }
        Err(e) => error_page(&agent, &e),
    }
}
