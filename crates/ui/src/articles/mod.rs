//! Article authoring: the list of articles, and the editor — the text in
//! each locale beside the source text, a formatting toolbar (the body is
//! sanitised HTML whatever the browser sends), drafts and publishing, a
//! preview, attached files and the history of changes with restore.

mod changes;
mod editor;
mod list;

pub use changes::{delete_attachment, restore, save, upload};
pub use editor::edit;
pub use list::{create, list};

use crate::Ui;
use crate::i18n::Text;
use app::{AppError, Paging};
use domain::ArticleId;

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
