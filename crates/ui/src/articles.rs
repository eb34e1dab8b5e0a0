//! Article authoring: the list of articles, and the editor — the text in
//! each locale beside the source text, a formatting toolbar (the body is
//! sanitised HTML whatever the browser sends), drafts and publishing, a
//! preview, attached files and the history of changes with restore.

use crate::Ui;
use crate::chrome::{chrome, error_page, render};
use crate::i18n::Text;
use crate::session::{Agent, AgentForm, AgentUpload};
use crate::view::{Chrome, Clock};
use app::help_center::{ArticleForEditing, ArticleInput, LOCALES, TranslationInput};
use app::{AppError, Paging};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::model::TranslationOf;
use domain::{ArticleAttachmentId, ArticleId, ArticleRevisionId, SectionId, UserSegmentId};
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

/// A locale's tab in the editor.
struct LocaleTab {
    locale: &'static str,
    status: &'static str,
    current: bool,
}

struct HistoryRow {
    id: i64,
    locale: String,
    title: String,
    body: String,
    status: &'static str,
    author: String,
    at: String,
    at_iso: String,
}

struct FileRow {
    id: i64,
    name: String,
    href: String,
    size: String,
    inline: bool,
}

#[derive(Template)]
#[template(path = "article_edit.html")]
struct EditPage {
    chrome: Chrome,
    id: i64,
    locale: String,
    is_source: bool,
    tabs: Vec<LocaleTab>,
    /// The source text beside a translation: (title, sanitised body).
    source: Option<(String, String)>,
    title: String,
    body: String,
    /// Other ways customers ask it, one per line (for the bot).
    phrasings: String,
    draft: bool,
    exists: bool,
    sections: Vec<(i64, String)>,
    section_id: i64,
    segments: Vec<(i64, String)>,
    segment_id: i64,
    promoted: bool,
    labels: String,
    public_href: Option<String>,
    preview: Option<String>,
    problems: Vec<String>,
    files: Vec<FileRow>,
    history: Vec<HistoryRow>,
}

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    page: Option<i64>,
    /// A title to start the new article with (a knowledge gap of the bot).
    title: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct EditQuery {
    locale: Option<String>,
    /// `saved` or `restored`: what the last action did, said once.
    done: Option<String>,
}

fn article_id(raw: &str) -> Result<ArticleId, AppError> {
    raw.parse().map(ArticleId).map_err(|_| AppError::NotFound)
}

fn status_of(t: &Text, draft: bool) -> &'static str {
    if draft {
        t.article_draft
    } else {
        t.article_published
    }
}

async fn section_names(ui: &Ui) -> Result<Vec<(i64, String)>, AppError> {
    let (sections, _) = ui
        .app
        .list_sections(
            None,
            None,
            Paging::Offset {
                page: 1,
                per_page: 1000,
            },
        )
        .await?;
    Ok(sections.into_iter().map(|s| (s.id.0, s.name)).collect())
}

fn problems_of(e: &AppError) -> Option<Vec<String>> {
    match e {
        AppError::Invalid(errors) => Some(errors.iter().map(|e| e.description.clone()).collect()),
        _ => None,
    }
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

/// What the writer typed, shown again after a preview or a refused save.
struct Typed {
    title: String,
    body: String,
    phrasings: String,
    preview: Option<String>,
    problems: Vec<String>,
}

/// `GET /agent/articles/{id}?locale=`.
pub async fn edit(
    State(ui): State<Ui>,
    Path(raw): Path<String>,
    Query(q): Query<EditQuery>,
    agent: Agent,
) -> Response {
    let inner = async {
        let id = article_id(&raw)?;
        let flash = match q.done.as_deref() {
            Some("saved") => Some(agent.t().article_saved),
            Some("restored") => Some(agent.t().article_restored),
            _ => None,
        };
        editor(
            &ui,
            &agent,
            id,
            q.locale.as_deref(),
            None,
            StatusCode::OK,
            flash,
        )
        .await
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}

async fn editor(
    ui: &Ui,
    agent: &Agent,
    id: ArticleId,
    locale: Option<&str>,
    typed: Option<Typed>,
    status: StatusCode,
    flash: Option<&str>,
) -> Result<Response, AppError> {
    let t = agent.t();
    let ArticleForEditing {
        article,
        texts,
        history,
        files,
        phrasings,
    } = ui.app.article_for_editing(agent.user.actor, id).await?;
    let locale = match locale.map(|l| app::help_center::normalize_locale(Some(l))) {
        Some(l) if LOCALES.contains(&l.as_str()) => l,
        _ => article.source_locale.clone(),
    };
    let is_source = locale == article.source_locale;
    let text = texts.iter().find(|x| x.locale == locale);
    let tabs = LOCALES
        .iter()
        .map(|l| LocaleTab {
            locale: l,
            status: match texts.iter().find(|x| x.locale == *l) {
                None => t.article_missing,
                Some(x) if x.outdated => t.article_outdated,
                Some(x) => status_of(t, x.draft),
            },
            current: *l == locale,
        })
        .collect();
    let source = (!is_source)
        .then(|| texts.iter().find(|x| x.locale == article.source_locale))
        .flatten()
        .map(|x| (x.title.clone(), x.body.clone()));
    let segments = ui
        .app
        .user_segments(agent.user.actor)
        .await?
        .into_iter()
        .map(|s| (s.id.0, s.name))
        .collect();
    let clock = Clock::new(&agent.user.time_zone);
    let mut authors: HashMap<i64, String> = HashMap::new();
    for r in &history {
        if let Some(a) = r.author
            && !authors.contains_key(&a.0)
        {
            let name = ui
                .app
                .user(agent.user.actor, a)
                .await
                .map(|u| u.name)
                .unwrap_or_default();
            authors.insert(a.0, name);
        }
    }
    let history = history
        .iter()
        .map(|r| {
            let (at, at_iso) = clock.show(r.created_at);
            HistoryRow {
                id: r.id.0,
                locale: r.locale.clone(),
                title: r.title.clone(),
                body: r.body.clone(),
                status: status_of(t, r.draft),
                author: r
                    .author
                    .and_then(|a| authors.get(&a.0).cloned())
                    .unwrap_or_default(),
                at,
                at_iso,
            }
        })
        .collect();
    let files = files
        .iter()
        .map(|f| FileRow {
            id: f.id.0,
            href: app::help_center::article_attachment_path(f),
            name: f.file_name.clone(),
            size: human_size(f.size),
            inline: f.inline,
        })
        .collect();
    let stored_phrasings = phrasings
        .iter()
        .find(|(l, _)| *l == locale)
        .map(|(_, p)| p.clone())
        .unwrap_or_default();
    let (title, body, phrasings, preview, problems) = match typed {
        Some(x) => (x.title, x.body, x.phrasings, x.preview, x.problems),
        None => (
            text.map(|x| x.title.clone()).unwrap_or_default(),
            text.map(|x| x.body.clone()).unwrap_or_default(),
            stored_phrasings,
            None,
            Vec::new(),
        ),
    };
    let public = text.is_some_and(|x| !x.draft);
    Ok(render(
        status,
        &EditPage {
            chrome: chrome(ui, agent, None, "", flash.map(str::to_string)).await?,
            id: id.0,
            is_source,
            tabs,
            source,
            title,
            body,
            phrasings,
            draft: text.is_none_or(|x| x.draft),
            exists: text.is_some(),
            sections: section_names(ui).await?,
            section_id: article.section_id.0,
            segments,
            segment_id: article.user_segment_id.map_or(0, |s| s.0),
            promoted: article.promoted,
            labels: article.label_names.join(", "),
            public_href: public.then(|| format!("/hc/{locale}/articles/{}", id.0)),
            locale,
            preview,
            problems,
            files,
            history,
        },
    ))
}

fn human_size(bytes: i64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{} KB", b >> 10),
        b => format!("{b} B"),
    }
}

/// `POST /agent/articles/{id}`: `action` is `preview`, `draft`, `publish`
/// or `unpublish`; the text is the `locale`'s.
pub async fn save(
    State(ui): State<Ui>,
    Path(raw): Path<String>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let inner = async {
        let id = article_id(&raw)?;
        let article = ui.app.article_for_editing(agent.user.actor, id).await?;
        let locale = app::help_center::normalize_locale(form.get("locale"));
        if !LOCALES.contains(&locale.as_str()) {
            return Err(AppError::NotFound);
        }
        let title = form.get("title").unwrap_or("").to_string();
        let body = form.get("body").unwrap_or("").to_string();
        let phrasings = form.get("phrasings").unwrap_or("").to_string();
        let action = form.get("action").unwrap_or("draft");
        if action == "preview" {
            let typed = Typed {
                preview: Some(app::sanitize::clean_html(&body)),
                title,
                body,
                phrasings,
                problems: Vec::new(),
            };
            return editor(
                &ui,
                &agent,
                id,
                Some(&locale),
                Some(typed),
                StatusCode::OK,
                None,
            )
            .await;
        }
        let draft = match action {
            "publish" => false,
            "unpublish" | "draft" => true,
            _ => return Err(AppError::bad("unknown action")),
        };
        let is_source = locale == article.article.source_locale;
        let saved = if is_source {
            let segment = form
                .get("user_segment_id")
                .and_then(|s| s.parse::<i64>().ok())
                .filter(|s| *s > 0)
                .map(UserSegmentId);
            let input = ArticleInput {
                title: Some(title.clone()),
                body: Some(body.clone()),
                draft: Some(draft),
                promoted: Some(form.get("promoted") == Some("1")),
                label_names: Some(
                    form.get("labels")
                        .unwrap_or("")
                        .split(',')
                        .map(str::to_string)
                        .collect(),
                ),
                user_segment_id: Some(segment),
                section_id: form
                    .get("section_id")
                    .and_then(|s| s.parse().ok())
                    .map(SectionId),
                ..Default::default()
            };
            ui.app
                .update_article(agent.user.actor, id, input)
                .await
                .map(|_| ())
        } else {
            let input = TranslationInput {
                locale: Some(locale.clone()),
                title: Some(title.clone()),
                body: Some(body.clone()),
                draft: Some(draft),
                ..Default::default()
            };
            let of = TranslationOf::Article(id);
            if article.texts.iter().any(|x| x.locale == locale) {
                ui.app
                    .update_translation(agent.user.actor, of, &locale, input)
                    .await
                    .map(|_| ())
            } else {
                ui.app
                    .create_translation(agent.user.actor, of, input)
                    .await
                    .map(|_| ())
            }
        };
        // The text exists now: its phrasings go with it.
        let saved = match saved {
            Ok(()) => {
                ui.app
                    .set_article_phrasings(agent.user.actor, id, &locale, &phrasings)
                    .await
            }
            e => e,
        };
        match saved {
            Ok(()) => Ok(Redirect::to(&format!(
                "/agent/articles/{}?locale={locale}&done=saved",
                id.0
            ))
            .into_response()),
            Err(e) => match problems_of(&e) {
                Some(problems) => {
                    let typed = Typed {
                        title,
                        body,
                        phrasings,
                        preview: None,
                        problems,
                    };
                    refused(&ui, &agent, id, &locale, typed).await
                }
                None => Err(e),
            },
        }
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}

/// `POST /agent/articles/{id}/attachments` (multipart: `file`, `inline`).
pub async fn upload(
    State(ui): State<Ui>,
    Path(raw): Path<String>,
    AgentUpload { agent, form, files }: AgentUpload,
) -> Response {
    let inner = async {
        let id = article_id(&raw)?;
        let locale = app::help_center::normalize_locale(form.get("locale"));
        let inline = form.get("inline") == Some("1");
        let Some((_, name, data)) = files.into_iter().find(|(field, _, _)| field == "file") else {
            let t = agent.t();
            let problems = vec![format!("{}: {}", t.article_file, t.error)];
            let typed = stored_with(&ui, &agent, id, &locale, problems).await?;
            return refused(&ui, &agent, id, &locale, typed).await;
        };
        match ui
            .app
            .attach_to_article(agent.user.actor, id, &name, data, inline)
            .await
        {
            Ok(_) => Ok(
                Redirect::to(&format!("/agent/articles/{}?locale={locale}", id.0)).into_response(),
            ),
            Err(e) => match problems_of(&e) {
                Some(problems) => {
                    let typed = stored_with(&ui, &agent, id, &locale, problems).await?;
                    refused(&ui, &agent, id, &locale, typed).await
                }
                None => Err(e),
            },
        }
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}

/// The editor again, with what was typed and why it was refused.
async fn refused(
    ui: &Ui,
    agent: &Agent,
    id: ArticleId,
    locale: &str,
    typed: Typed,
) -> Result<Response, AppError> {
    editor(
        ui,
        agent,
        id,
        Some(locale),
        Some(typed),
        StatusCode::UNPROCESSABLE_ENTITY,
        None,
    )
    .await
}

/// The stored text of a locale, with problems to show over it.
async fn stored_with(
    ui: &Ui,
    agent: &Agent,
    id: ArticleId,
    locale: &str,
    problems: Vec<String>,
) -> Result<Typed, AppError> {
    let a = ui.app.article_for_editing(agent.user.actor, id).await?;
    let text = a.texts.iter().find(|x| x.locale == locale);
    Ok(Typed {
        title: text.map(|x| x.title.clone()).unwrap_or_default(),
        body: text.map(|x| x.body.clone()).unwrap_or_default(),
        phrasings: a
            .phrasings
            .iter()
            .find(|(l, _)| l == locale)
            .map(|(_, p)| p.clone())
            .unwrap_or_default(),
        preview: None,
        problems,
    })
}

/// `POST /agent/articles/{id}/attachments/{file}/delete`.
pub async fn delete_attachment(
    State(ui): State<Ui>,
    Path((raw, file)): Path<(String, String)>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let inner = async {
        let id = article_id(&raw)?;
        let file = file
            .parse()
            .map(ArticleAttachmentId)
            .map_err(|_| AppError::NotFound)?;
        ui.app
            .delete_article_attachment(agent.user.actor, id, file)
            .await?;
        let locale = app::help_center::normalize_locale(form.get("locale"));
        Ok::<_, AppError>(
            Redirect::to(&format!("/agent/articles/{}?locale={locale}", id.0)).into_response(),
        )
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}

/// `POST /agent/articles/{id}/revisions/{revision}/restore`.
pub async fn restore(
    State(ui): State<Ui>,
    Path((raw, revision)): Path<(String, String)>,
    AgentForm { agent, .. }: AgentForm,
) -> Response {
    let inner = async {
        let id = article_id(&raw)?;
        let revision = revision
            .parse()
            .map(ArticleRevisionId)
            .map_err(|_| AppError::NotFound)?;
        let t = ui
            .app
            .restore_article_revision(agent.user.actor, id, revision)
            .await?;
        Ok::<_, AppError>(
            Redirect::to(&format!(
                "/agent/articles/{}?locale={}&done=restored",
                id.0, t.locale
            ))
            .into_response(),
        )
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}
