//! The editor page: the text in a locale beside the source text, the
//! files, the history of changes.

use super::{article_id, section_names, status_of};
use crate::Ui;
use crate::chrome::{chrome, error_page, render};
use crate::session::Agent;
use crate::view::{Chrome, Clock};
use app::AppError;
use app::help_center::{ArticleForEditing, LOCALES};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::ArticleId;

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
pub struct EditQuery {
    locale: Option<String>,
    /// `saved` or `restored`: what the last action did, said once.
    done: Option<String>,
}

/// What the writer typed, shown again after a preview or a refused save.
pub(super) struct Typed {
    pub(super) title: String,
    pub(super) body: String,
    pub(super) phrasings: String,
    pub(super) preview: Option<String>,
    pub(super) problems: Vec<String>,
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

pub(super) async fn editor(
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
    // The authors' names, in one read.
    let mut ids: Vec<domain::UserId> = history.iter().filter_map(|r| r.author).collect();
    ids.sort_by_key(|u| u.0);
    ids.dedup();
    let authors = crate::view::names(&ui.app.users_by_ids(agent.user.actor, &ids).await?);
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
