//! Translations of articles, sections and categories (Zendesk's
//! `…/{id}/translations`): each record has one text per locale; its
//! source locale's text is the record's own, kept the same both ways.

use super::*;
use domain::TranslationId;
use domain::model::{Translation, TranslationOf};
use domain::segment::Audience;
use store::repo::translations as tr;

/// What a caller may set on a translation.
#[derive(Debug, Clone, Default)]
pub struct TranslationInput {
    pub locale: Option<String>,
    pub title: Option<String>,
    pub body: Option<String>,
    pub draft: Option<bool>,
    pub outdated: Option<bool>,
}

/// Who may change a record's translations: article writers for an
/// article's, help-center arrangers for a section's or category's.
fn translator(actor: &Actor, of: TranslationOf) -> Result<(), AppError> {
    match of {
        TranslationOf::Article(_) => article_writer(actor),
        _ => structure_editor(actor),
    }
}

/// A body as stored: an article's is sanitised HTML, a section's or
/// category's description plain text.
fn stored_body(of: TranslationOf, body: &str) -> String {
    match of {
        TranslationOf::Article(_) => clean_html(body),
        _ => body.to_string(),
    }
}

/// A known locale, or a field error naming the ones we have.
fn known_locale(raw: Option<&str>) -> Result<String, AppError> {
    let l = normalize_locale(raw);
    if LOCALES.contains(&l.as_str()) {
        Ok(l)
    } else {
        Err(AppError::field(FieldError::invalid(
            "locale",
            format!(
                "not a help-center locale; use one of {}",
                LOCALES.join(", ")
            ),
        )))
    }
}

/// The record's source locale, or `NotFound` (an archived article too).
async fn source_locale(c: &mut store::Conn<'_>, of: TranslationOf) -> Result<String, AppError> {
    let found = match of {
        TranslationOf::Article(a) => hc::articles(c, &[a.0])
            .await?
            .pop()
            .filter(|a| a.archived_at.is_none())
            .map(|a| a.source_locale),
        TranslationOf::Section(s) => hc::sections(c, &[s.0])
            .await?
            .pop()
            .map(|s| s.source_locale),
        TranslationOf::Category(k) => hc::categories(c, &[k.0])
            .await?
            .pop()
            .map(|k| k.source_locale),
    };
    found.ok_or(AppError::NotFound)
}

/// Saves a translation (new when its id is 0) and what hangs on it: an
/// article's search terms, and "outdated" on the other locales when the
/// source text changed.
pub(super) async fn save(
    c: &mut store::Conn<'_>,
    t: &mut Translation,
    source_locale: &str,
    text_changed: bool,
) -> Result<(), AppError> {
    if t.id.0 == 0 {
        t.id = tr::insert_translation(c, t).await?;
    } else {
        tr::update_translation(c, t).await?;
    }
    if let TranslationOf::Article(article) = t.of {
        // The history of changes: every saved text of an article.
        store::repo::article_authoring::record_revision(
            c,
            &domain::model::ArticleRevision {
                id: domain::ArticleRevisionId(0),
                article,
                locale: t.locale.clone(),
                title: t.title.clone(),
                body: t.body.clone(),
                draft: t.draft,
                author: t.updated_by_id,
                created_at: t.updated_at,
            },
        )
        .await?;
        tr::index_translation(
            c,
            t.id,
            &analyze_document(&t.title),
            &analyze_document(&html_to_text(&t.body)),
        )
        .await?;
    }
    if text_changed && t.locale == source_locale {
        tr::mark_outdated(c, t.of, source_locale).await?;
    }
    Ok(())
}

/// A record's translation in its source locale, made from the record's
/// own text when it is not there yet.
pub(super) async fn source_translation(
    c: &mut store::Conn<'_>,
    of: TranslationOf,
    locale: &str,
    now: Timestamp,
) -> Result<Translation, AppError> {
    Ok(tr::translation_in(c, of, locale)
        .await?
        .unwrap_or_else(|| Translation {
            id: TranslationId(0),
            of,
            locale: locale.to_string(),
            title: String::new(),
            body: String::new(),
            draft: false,
            outdated: false,
            created_by_id: None,
            updated_by_id: None,
            created_at: now,
            updated_at: now,
        }))
}

/// Copies a source-locale translation onto its record, which keeps the
/// source text as its own.
async fn mirror(c: &mut store::Conn<'_>, t: &Translation, now: Timestamp) -> Result<(), AppError> {
    match t.of {
        TranslationOf::Article(id) => {
            let mut a = hc::articles(c, &[id.0])
                .await?
                .pop()
                .ok_or(AppError::NotFound)?;
            a.title = t.title.clone();
            a.body = t.body.clone();
            a.draft = t.draft;
            a.updated_at = now;
            a.edited_at = now;
            hc::update_article(c, &a).await?;
        }
        TranslationOf::Section(id) => {
            let mut s = hc::sections(c, &[id.0])
                .await?
                .pop()
                .ok_or(AppError::NotFound)?;
            s.name = t.title.clone();
            s.description = t.body.clone();
            s.updated_at = now;
            hc::update_section(c, &s).await?;
        }
        TranslationOf::Category(id) => {
            let mut k = hc::categories(c, &[id.0])
                .await?
                .pop()
                .ok_or(AppError::NotFound)?;
            k.name = t.title.clone();
            k.description = t.body.clone();
            k.updated_at = now;
            hc::update_category(c, &k).await?;
        }
    }
    Ok(())
}

/// Whether the caller may see a record's unpublished texts (drafts) and
/// its translations at all when the article is not public.
fn sees_drafts(actor: &Actor) -> bool {
    domain::policy::reads_internal(actor)
}

impl App {
    /// A record's translations, by locale. Readers who are not staff see
    /// only the published translations of a public article.
    pub async fn translations(
        &self,
        actor: Actor,
        of: TranslationOf,
    ) -> Result<Vec<Translation>, AppError> {
        let audience = self.help_center_audience(Some(&actor)).await?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        readable(c, &audience, of).await?;
        let all = tr::translations_of(c, of).await?;
        Ok(all
            .into_iter()
            .filter(|t| sees_drafts(&actor) || !t.draft)
            .collect())
    }

    /// A record's translation in one locale.
    pub async fn translation(
        &self,
        actor: Actor,
        of: TranslationOf,
        locale: &str,
    ) -> Result<Translation, AppError> {
        let audience = self.help_center_audience(Some(&actor)).await?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        readable(c, &audience, of).await?;
        tr::translation_in(c, of, &normalize_locale(Some(locale)))
            .await?
            .filter(|t| sees_drafts(&actor) || !t.draft)
            .ok_or(AppError::NotFound)
    }

    /// The help-center locales a record is not written in yet.
    pub async fn missing_translations(
        &self,
        actor: Actor,
        of: TranslationOf,
    ) -> Result<Vec<&'static str>, AppError> {
        staff_only(&actor)?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        source_locale(c, of).await?;
        let have = tr::translations_of(c, of).await?;
        Ok(LOCALES
            .iter()
            .copied()
            .filter(|l| !have.iter().any(|t| t.locale == *l))
            .collect())
    }

    /// Adds a record's text in a new locale; a locale it already has is a
    /// field error (update that one instead).
    pub async fn create_translation(
        &self,
        actor: Actor,
        of: TranslationOf,
        input: TranslationInput,
    ) -> Result<Translation, AppError> {
        translator(&actor, of)?;
        let locale = known_locale(input.locale.as_deref())?;
        let title = required_name(&input.title, "title")?;
        let body = stored_body(of, input.body.as_deref().unwrap_or(""));
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let source = source_locale(c, of).await?;
                if tr::translation_in(c, of, &locale).await?.is_some() {
                    return Err(AppError::field(FieldError::invalid(
                        "locale",
                        format!("there is already a translation in {locale}"),
                    )));
                }
                let mut t = Translation {
                    id: TranslationId(0),
                    of,
                    locale,
                    title,
                    body,
                    draft: matches!(of, TranslationOf::Article(_)) && input.draft.unwrap_or(false),
                    outdated: false,
                    created_by_id: Some(actor.user),
                    updated_by_id: Some(actor.user),
                    created_at: now,
                    updated_at: now,
                };
                save(c, &mut t, &source, false).await?;
                Ok(t)
            })
        })
        .await
        .inspect(|_| self.bot.forget())
    }

    /// Changes a record's text in one locale; the source locale's change
    /// is the record's own and flags the other locales as outdated.
    pub async fn update_translation(
        &self,
        actor: Actor,
        of: TranslationOf,
        locale: &str,
        input: TranslationInput,
    ) -> Result<Translation, AppError> {
        translator(&actor, of)?;
        let locale = normalize_locale(Some(locale));
        let body = input.body.as_deref().map(|b| stored_body(of, b));
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let source = source_locale(c, of).await?;
                let mut t = tr::translation_in(c, of, &locale)
                    .await?
                    .ok_or(AppError::NotFound)?;
                let before = (t.title.clone(), t.body.clone());
                if input.title.is_some() {
                    t.title = required_name(&input.title, "title")?;
                }
                if let Some(b) = body {
                    t.body = b;
                }
                if let (Some(d), TranslationOf::Article(_)) = (input.draft, of) {
                    t.draft = d;
                }
                let text_changed = before != (t.title.clone(), t.body.clone());
                // Saving a translation's text brings it up to date unless
                // the caller says otherwise; the source is never outdated.
                t.outdated = t.locale != source && input.outdated.unwrap_or(false);
                t.updated_by_id = Some(actor.user);
                t.updated_at = now;
                save(c, &mut t, &source, text_changed).await?;
                if t.locale == source {
                    mirror(c, &t, now).await?;
                }
                Ok(t)
            })
        })
        .await
        .inspect(|_| self.bot.forget())
    }

    /// Removes a translation; the source locale's cannot be removed (the
    /// record itself would have no text).
    pub async fn delete_translation(
        &self,
        actor: Actor,
        id: TranslationId,
    ) -> Result<(), AppError> {
        self.write(move |c| {
            Box::pin(async move {
                let t = tr::translation_by_id(c, id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                translator(&actor, t.of)?;
                if t.locale == source_locale(c, t.of).await? {
                    return Err(AppError::field(FieldError::invalid(
                        "locale",
                        "the source locale's translation cannot be deleted; delete the record instead",
                    )));
                }
                crate::error::found(tr::delete_translation(c, id).await?)
            })
        })
        .await
        .inspect(|_| self.bot.forget())
    }
}

/// `NotFound` unless the audience may read the record: any section or
/// category; an article not archived and public or for a segment it is in.
async fn readable(
    c: &mut store::Conn<'_>,
    audience: &Audience,
    of: TranslationOf,
) -> Result<(), AppError> {
    source_locale(c, of).await?;
    if let TranslationOf::Article(id) = of {
        let a = hc::articles(c, &[id.0])
            .await?
            .pop()
            .ok_or(AppError::NotFound)?;
        if a.archived_at.is_some() || !audience.reads(a.user_segment_id) {
            return Err(AppError::NotFound);
        }
    }
    Ok(())
}
