//! Article authoring in the workspace: what the editor shows (the texts
//! in every locale, the history of changes, the attached files), bringing
//! an earlier text back, and attaching files. Texts are written through
//! the translations use cases, so the history, the search index and the
//! "outdated" marks follow every save.

use super::{TranslationInput, article_writer};
use crate::uploads::clean_file_name;
use crate::{App, AppError, FieldError};
use domain::model::{ArticleAttachment as ArticleFile, ArticleRevision as Revision};
use domain::model::{Translation, TranslationOf};
use domain::segment::Audience;
use domain::{Actor, ArticleAttachmentId, ArticleId, ArticleRevisionId, Timestamp};
use store::model::Article;
use store::repo::answer_bot as bot;
use store::repo::article_authoring as repo;
use store::repo::help_center as hc;

/// How many revisions the editor lists.
const HISTORY: i64 = 50;

/// Files an article may carry: images shown in its body, and documents a
/// reader downloads. Anything that would run in a browser is refused.
const ALLOWED: &[(&str, &str)] = &[
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    ("pdf", "application/pdf"),
    ("txt", "text/plain"),
    ("csv", "text/csv"),
    ("zip", "application/zip"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("odt", "application/vnd.oasis.opendocument.text"),
];

/// The content type of an allowed file name, by its extension.
pub fn article_file_type(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_lowercase();
    ALLOWED.iter().find(|(e, _)| *e == ext).map(|(_, t)| *t)
}

/// Whether a stored file is an image a page may show inline.
pub fn is_image(content_type: &str) -> bool {
    matches!(
        content_type,
        "image/png" | "image/jpeg" | "image/gif" | "image/webp"
    )
}

/// Where the help center serves an article's file (the name is only for
/// the reader and their browser; the id finds it).
pub fn article_attachment_path(f: &ArticleFile) -> String {
    format!(
        "/hc/article_attachments/{}/{}",
        f.id,
        crate::uploads::path_segment(&f.file_name)
    )
}

/// Everything the article editor shows.
#[derive(Debug, Clone)]
pub struct ArticleForEditing {
    pub article: Article,
    /// Its text in every locale it has one, the source locale's first.
    pub texts: Vec<Translation>,
    /// Newest first, every locale.
    pub history: Vec<Revision>,
    pub files: Vec<ArticleFile>,
    /// Per locale with a text: other ways customers ask it (one per line).
    pub phrasings: Vec<(String, String)>,
}

impl App {
    /// An article as its writers edit it (archived ones are gone).
    pub async fn article_for_editing(
        &self,
        actor: Actor,
        id: ArticleId,
    ) -> Result<ArticleForEditing, AppError> {
        article_writer(&actor)?;
        let mut texts = self.translations(actor, TranslationOf::Article(id)).await?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let article = hc::articles(c, &[id.0])
            .await?
            .pop()
            .filter(|a| a.archived_at.is_none())
            .ok_or(AppError::NotFound)?;
        texts.sort_by_key(|t| (t.locale != article.source_locale, t.locale.clone()));
        let mut phrasings = Vec::new();
        for t in &texts {
            phrasings.push((t.locale.clone(), bot::phrasings(c, t.id).await?));
        }
        Ok(ArticleForEditing {
            phrasings,
            texts,
            history: repo::revisions(c, id, HISTORY).await?,
            files: repo::files(c, id).await?,
            article,
        })
    }

    /// Sets the other ways customers ask what the article's text in
    /// `locale` answers (one per line; the bot reads at most
    /// `answer::MAX_PHRASINGS`). `NotFound` where it has no text there.
    pub async fn set_article_phrasings(
        &self,
        actor: Actor,
        id: ArticleId,
        locale: &str,
        phrasings: &str,
    ) -> Result<(), AppError> {
        article_writer(&actor)?;
        let cleaned = answer::phrasings_of(phrasings).join("\n");
        let locale = super::normalize_locale(Some(locale));
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let t = store::repo::translations::translation_in(
                    c,
                    TranslationOf::Article(id),
                    &locale,
                )
                .await?
                .ok_or(AppError::NotFound)?;
                if bot::phrasings(c, t.id).await? != cleaned {
                    bot::set_phrasings(c, t.id, &cleaned, now).await?;
                }
                Ok(())
            })
        })
        .await
        .inspect(|_| self.bot.forget())
    }

    /// Brings an earlier text back as the article's text in that locale
    /// (a new revision; the draft flag stays as it is now).
    pub async fn restore_article_revision(
        &self,
        actor: Actor,
        id: ArticleId,
        revision: ArticleRevisionId,
    ) -> Result<Translation, AppError> {
        article_writer(&actor)?;
        let r = {
            let mut rc = self.read().await?;
            repo::revision_of(&mut rc.conn(), id, revision)
                .await?
                .ok_or(AppError::NotFound)?
        };
        let input = TranslationInput {
            title: Some(r.title),
            body: Some(r.body),
            ..Default::default()
        };
        match self
            .update_translation(actor, TranslationOf::Article(id), &r.locale, input.clone())
            .await
        {
            // The locale's text was deleted since: it comes back.
            Err(AppError::NotFound) => {
                self.create_translation(
                    actor,
                    TranslationOf::Article(id),
                    TranslationInput {
                        locale: Some(r.locale),
                        draft: Some(true),
                        ..input
                    },
                )
                .await
            }
            other => other,
        }
    }

    /// Attaches a file to an article: an image to show in its body
    /// (`inline`) or a document listed under it.
    pub async fn attach_to_article(
        &self,
        actor: Actor,
        id: ArticleId,
        file_name: &str,
        data: Vec<u8>,
        inline: bool,
    ) -> Result<ArticleFile, AppError> {
        article_writer(&actor)?;
        if data.is_empty() {
            return Err(AppError::field(FieldError::blank("file")));
        }
        if data.len() > self.limits.max_upload_bytes {
            return Err(AppError::field(FieldError::invalid(
                "file",
                format!("is larger than {} bytes", self.limits.max_upload_bytes),
            )));
        }
        let name = clean_file_name(file_name);
        let content_type = article_file_type(&name).ok_or_else(|| {
            AppError::field(FieldError::invalid(
                "file",
                "must be an image (PNG, JPEG, GIF, WebP) or a document (PDF, text, CSV, ZIP, Word, Excel, OpenDocument)",
            ))
        })?;
        let mut f = ArticleFile {
            id: ArticleAttachmentId(0),
            article: id,
            file_name: name,
            content_type: content_type.to_string(),
            size: data.len() as i64,
            inline: inline && is_image(content_type),
            author: (!actor.is_system()).then_some(actor.user),
            created_at: Timestamp::now(),
        };
        self.write(move |c| {
            Box::pin(async move {
                hc::articles(c, &[id.0])
                    .await?
                    .pop()
                    .filter(|a| a.archived_at.is_none())
                    .ok_or(AppError::NotFound)?;
                f.id = repo::insert_file(c, &f, data).await?;
                Ok(f)
            })
        })
        .await
    }

    pub async fn delete_article_attachment(
        &self,
        actor: Actor,
        article: ArticleId,
        id: ArticleAttachmentId,
    ) -> Result<(), AppError> {
        article_writer(&actor)?;
        self.write(move |c| {
            Box::pin(async move {
                match repo::delete_file(c, article, id).await? {
                    0 => Err(AppError::NotFound),
                    _ => Ok(()),
                }
            })
        })
        .await
    }

    /// An article's files, for whoever may read the article (Zendesk's
    /// article attachments list; `inline` keeps only images shown in the
    /// body, or only the files listed under it).
    pub async fn article_files(
        &self,
        actor: Actor,
        id: ArticleId,
        inline: Option<bool>,
    ) -> Result<Vec<ArticleFile>, AppError> {
        self.article(actor, id, None).await?;
        let mut rc = self.read().await?;
        let mut files = repo::files(&mut rc.conn(), id).await?;
        if let Some(inline) = inline {
            files.retain(|f| f.inline == inline);
        }
        Ok(files)
    }

    /// One file's description, for whoever may read its article.
    pub async fn article_file(
        &self,
        actor: Actor,
        id: ArticleAttachmentId,
    ) -> Result<ArticleFile, AppError> {
        let file = {
            let mut rc = self.read().await?;
            repo::file_by_id(&mut rc.conn(), id)
                .await?
                .ok_or(AppError::NotFound)?
        };
        self.article(actor, file.article, None).await?;
        Ok(file)
    }

    /// Deletes a file named by its own id (the API's way).
    pub async fn delete_article_file(
        &self,
        actor: Actor,
        id: ArticleAttachmentId,
    ) -> Result<(), AppError> {
        article_writer(&actor)?;
        let article = self.article_file(actor, id).await?.article;
        self.delete_article_attachment(actor, article, id).await
    }

    /// A file with its bytes, for a reader of its article (published, not
    /// archived, in their audience; writers also read drafts' files).
    pub async fn article_attachment(
        &self,
        audience: &Audience,
        writer: Option<&Actor>,
        id: ArticleAttachmentId,
    ) -> Result<(ArticleFile, Vec<u8>), AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let (file, data) = repo::file_with_data(c, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let article = hc::articles(c, &[file.article.0])
            .await?
            .pop()
            .filter(|a| a.archived_at.is_none())
            .ok_or(AppError::NotFound)?;
        let writes = writer.is_some_and(|a| article_writer(a).is_ok());
        if !writes && (article.draft || !audience.reads(article.user_segment_id)) {
            return Err(AppError::NotFound);
        }
        Ok((file, data))
    }
}
