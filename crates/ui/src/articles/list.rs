//! The article list and a new draft.

use super::{problems_of, section_names, status_of};
use crate::Ui;
use crate::chrome::{chrome, error_page, render};
use crate::session::{Agent, AgentForm};
use crate::view::{Chrome, Clock};
use app::help_center::{ArticleInput, LOCALES};
use app::{AppError, Paging};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::SectionId;
use std::collections::HashMap;

/// Articles per page of the list.
const PER_PAGE: i64 = 50;

struct ArticleRow {
    id: i64,
    title: String,
    section: String,
    locale: String,
    status: &'static str,
    updated: String,
    updated_iso: String,
}

#[derive(Template)]
#[template(path = "articles.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<ArticleRow>,
    sections: Vec<(i64, String)>,
    locales: &'static [&'static str],
    /// The new article's title, filled in.
    title: String,
    prev: Option<String>,
    next: Option<String>,
    problems: Vec<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    page: Option<i64>,
    /// A title to start the new article with (a knowledge gap of the bot).
    title: Option<String>,
}

/// `GET /agent/articles`.
pub async fn list(State(ui): State<Ui>, agent: Agent, Query(q): Query<ListQuery>) -> Response {
    let title: String = q.title.unwrap_or_default().chars().take(255).collect();
    list_page(
        &ui,
        &agent,
        q.page.unwrap_or(1).max(1),
        title,
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

async fn list_page(
    ui: &Ui,
    agent: &Agent,
    page: i64,
    title: String,
    problems: Vec<String>,
    status: StatusCode,
) -> Response {
    let inner = async {
        let t = agent.t();
        let (articles, paged) = ui
            .app
            .list_articles(
                agent.user.actor,
                None,
                None,
                None,
                &[],
                Paging::Offset {
                    page,
                    per_page: PER_PAGE,
                },
            )
            .await?;
        let sections = section_names(ui).await?;
        let names: HashMap<i64, String> = sections.iter().cloned().collect();
        let clock = Clock::new(&agent.user.time_zone);
        let rows = articles
            .iter()
            .map(|a| {
                let (updated, updated_iso) = clock.show(a.updated_at);
                ArticleRow {
                    id: a.id.0,
                    title: a.title.clone(),
                    section: names.get(&a.section_id.0).cloned().unwrap_or_default(),
                    locale: a.source_locale.clone(),
                    status: status_of(t, a.draft),
                    updated,
                    updated_iso,
                }
            })
            .collect();
        Ok::<_, AppError>(render(
            status,
            &ListPage {
                chrome: chrome(ui, agent, None, "", None).await?,
                rows,
                sections,
                locales: LOCALES,
                title,
                prev: (page > 1).then(|| format!("/agent/articles?page={}", page - 1)),
                next: paged
                    .has_more
                    .then(|| format!("/agent/articles?page={}", page + 1)),
                problems,
            },
        ))
    };
    inner.await.unwrap_or_else(|e| error_page(agent, &e))
}

/// `POST /agent/articles`: a new draft, then its editor.
pub async fn create(State(ui): State<Ui>, AgentForm { agent, form }: AgentForm) -> Response {
    let section = form
        .get("section_id")
        .and_then(|s| s.parse().ok())
        .map(SectionId);
    let Some(section) = section else {
        let t = agent.t();
        let problem = format!("{}: {}", t.article_section, t.error);
        let title = form.get("title").unwrap_or("").to_string();
        return list_page(
            &ui,
            &agent,
            1,
            title,
            vec![problem],
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let input = ArticleInput {
        title: form.get("title").map(str::to_string),
        locale: form.get("locale").map(str::to_string),
        body: Some(String::new()),
        draft: Some(true),
        ..Default::default()
    };
    match ui
        .app
        .create_article(agent.user.actor, section, input)
        .await
    {
        Ok(a) => Redirect::to(&format!("/agent/articles/{}", a.id)).into_response(),
        Err(e) => match problems_of(&e) {
            Some(p) => {
                let title = form.get("title").unwrap_or("").to_string();
                list_page(&ui, &agent, 1, title, p, StatusCode::UNPROCESSABLE_ENTITY).await
            }
            None => error_page(&agent, &e),
        },
    }
}
