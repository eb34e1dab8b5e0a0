//! What the editor sends: a text saved (as a draft, published, or only
//! previewed), a file attached or removed, an earlier version restored.

use super::editor::{Typed, editor};
use super::{article_id, problems_of};
use crate::Ui;
use crate::chrome::error_page;
use crate::session::{Agent, AgentForm, AgentUpload};
use app::AppError;
use app::help_center::{ArticleInput, LOCALES, TranslationInput};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::model::TranslationOf;
use domain::{ArticleAttachmentId, ArticleId, ArticleRevisionId, SectionId, UserSegmentId};

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
