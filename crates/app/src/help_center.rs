//! The help center: categories, sections and articles that customers read
//! and agents maintain, and a relevance-ranked article search that folds
//! accents and stems Spanish and English.

mod authoring;
mod comments;
mod labels;
mod reading;
mod segments;
mod site;
mod structure;
mod translations;
mod votes;
use crate::sanitize::{clean_html, escape, html_to_text};
use crate::{App, AppError, FieldError, Paged, Paging};
pub use authoring::{ArticleForEditing, article_attachment_path, article_file_type, is_image};
use domain::model::TranslationOf;
use domain::{Actor, ArticleId, CategoryId, SectionId, Timestamp};
use search::{analyze_document, analyze_query_word, fold};
pub use segments::SegmentInput;
pub use site::{ArticlePage, CategoryPage, HelpCenterHome, SectionPage, SectionWithArticles};
use store::model::{Article, Category, Section};
use store::paging::page_ids;
use store::repo::help_center as hc;
use store::repo::translations as tr;
pub use translations::TranslationInput;

/// Locales the help center is written in; the first is the default.
pub const LOCALES: &[&str] = &["en-us", "es"];

/// `en_US`, `EN-us` → `en-us`; empty → the default locale.
pub fn normalize_locale(raw: Option<&str>) -> String {
    match raw.map(|l| l.trim().replace('_', "-").to_lowercase()) {
        Some(l) if !l.is_empty() => l,
        _ => LOCALES[0].to_string(),
    }
}

/// What a caller may set on a category or section.
#[derive(Debug, Clone, Default)]
pub struct GroupingInput {
    pub name: Option<String>,
    pub description: Option<String>,
    pub locale: Option<String>,
    pub position: Option<i64>,
    /// Sections only: the category to move to.
    pub category_id: Option<CategoryId>,
    /// Sections only: nest under another section.
    pub parent_section_id: Option<Option<SectionId>>,
}

/// What a caller may set on an article.
#[derive(Debug, Clone, Default)]
pub struct ArticleInput {
    pub title: Option<String>,
    pub body: Option<String>,
    pub locale: Option<String>,
    pub draft: Option<bool>,
    pub promoted: Option<bool>,
    pub position: Option<i64>,
    pub label_names: Option<Vec<String>>,
    pub permission_group_id: Option<i64>,
    pub user_segment_id: Option<Option<domain::UserSegmentId>>,
    pub section_id: Option<SectionId>,
    pub comments_disabled: Option<bool>,
}

/// One article search hit with a highlighted snippet.
#[derive(Debug, Clone)]
pub struct ArticleHit {
    pub article: Article,
    pub snippet: String,
}

fn staff_only(actor: &Actor) -> Result<(), AppError> {
    crate::error::require(actor, domain::policy::Capability::WorkTheDesk)
}

/// Categories and sections shape the whole help center: admins'.
fn structure_editor(actor: &Actor) -> Result<(), AppError> {
    crate::error::require(actor, domain::policy::Capability::ArrangeHelpCenter)
}

/// Articles are written by agents who see the whole desk; a
/// group-restricted agent (a contractor) does not publish for everyone.
fn article_writer(actor: &Actor) -> Result<(), AppError> {
    crate::error::require(actor, domain::policy::Capability::WriteArticles)
}

fn required_name(name: &Option<String>, field: &str) -> Result<String, AppError> {
    match name.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() => Ok(n.chars().take(255).collect()),
        _ => Err(AppError::field(FieldError::blank(field))),
    }
}

/// The words of a title for a page address (`Cómo cambiar mi contraseña`
/// → `como-cambiar-mi-contrasena`): accents folded, anything else a dash,
/// at most about 60 characters. Only the id before it is read back.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in fold(title).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            if out.len() >= 60 {
                break;
            }
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The id at the start of a page address's last part (`42-como-cambiar`
/// → 42), as Zendesk's help center addresses carry it.
pub fn id_of_slug(part: &str) -> Option<i64> {
    let digits: &str = &part[..part
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(part.len())];
    digits.parse().ok().filter(|&id| id > 0)
}

/// A short extract of the text around the first match, matches in `<em>`.
pub fn snippet(text: &str, words: &[String]) -> String {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let folded: Vec<String> = words
        .iter()
        .map(|w| fold(w))
        .filter(|w| w.len() >= 2)
        .collect();
    let hit = |t: &str| {
        let f = fold(t.trim_matches(|c: char| !c.is_alphanumeric()));
        folded
            .iter()
            .any(|w| f.starts_with(w.as_str()) || (f.len() >= 4 && w.starts_with(f.as_str())))
    };
    let first = tokens.iter().position(|t| hit(t)).unwrap_or(0);
    let start = first.saturating_sub(8);
    let mut out = String::new();
    if start > 0 {
        out.push_str("… ");
    }
    for (i, t) in tokens.iter().enumerate().skip(start).take(30) {
        if i > start {
            out.push(' ');
        }
        if hit(t) {
            out.push_str("<em>");
            out.push_str(&escape(t));
            out.push_str("</em>");
        } else {
            out.push_str(&escape(t));
        }
    }
    if start + 30 < tokens.len() {
        out.push_str(" …");
    }
    out
}

/// Keeps a record's source-locale translation the same as the record's
/// own text (the article API and the category and section APIs write the
/// record; readers in a locale read translations).
#[allow(clippy::too_many_arguments)]
async fn source_text(
    c: &mut store::Conn<'_>,
    of: TranslationOf,
    locale: &str,
    title: &str,
    body: &str,
    draft: bool,
    actor: Actor,
    now: Timestamp,
) -> Result<(), AppError> {
    let mut t = translations::source_translation(c, of, locale, now).await?;
    let changed = t.title != title || t.body != body;
    let is_new = t.id.0 == 0;
    if !is_new && !changed && t.draft == draft {
        return Ok(());
    }
    if is_new {
        t.created_by_id = Some(actor.user);
    }
    t.title = title.to_string();
    t.body = body.to_string();
    t.draft = draft;
    t.outdated = false;
    t.updated_by_id = Some(actor.user);
    t.updated_at = now;
    translations::save(c, &mut t, locale, changed && !is_new).await
}

impl App {
    pub async fn create_article(
        &self,
        actor: Actor,
        section_id: SectionId,
        input: ArticleInput,
    ) -> Result<Article, AppError> {
        article_writer(&actor)?;
        let title = required_name(&input.title, "title")?;
        let body = clean_html(input.body.as_deref().unwrap_or(""));
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let sec = hc::sections(c, &[section_id.0])
                    .await?
                    .pop()
                    .ok_or(AppError::NotFound)?;
                segments::check_segment(c, input.user_segment_id.flatten()).await?;
                let locale = input
                    .locale
                    .as_deref()
                    .map_or(sec.locale.clone(), |l| normalize_locale(Some(l)));
                let mut a = Article {
                    id: ArticleId(0),
                    section_id,
                    author_id: actor.user,
                    title,
                    body,
                    source_locale: locale.clone(),
                    locale,
                    draft: input.draft.unwrap_or(false),
                    promoted: input.promoted.unwrap_or(false),
                    position: input.position.unwrap_or(0),
                    label_names: labels::cleaned(&input.label_names.unwrap_or_default()),
                    permission_group_id: input.permission_group_id.unwrap_or(1),
                    user_segment_id: input.user_segment_id.flatten(),
                    comments_disabled: input.comments_disabled.unwrap_or(false),
                    vote_sum: 0,
                    vote_count: 0,
                    archived_at: None,
                    created_at: now,
                    updated_at: now,
                    edited_at: now,
                };
                a.id = hc::insert_article(c, &a).await?;
                store::repo::hc_labels::ensure(c, &a.label_names, now).await?;
                source_text(
                    c,
                    TranslationOf::Article(a.id),
                    &a.locale,
                    &a.title,
                    &a.body,
                    a.draft,
                    actor,
                    now,
                )
                .await?;
                Ok(a)
            })
        })
        .await
        .inspect(|_| self.bot.forget())
    }

    pub async fn update_article(
        &self,
        actor: Actor,
        id: ArticleId,
        input: ArticleInput,
    ) -> Result<Article, AppError> {
        article_writer(&actor)?;
        let body = input.body.as_deref().map(clean_html);
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let mut a = hc::articles(c, &[id.0])
                    .await?
                    .pop()
                    .filter(|a| a.archived_at.is_none())
                    .ok_or(AppError::NotFound)?;
                if input.title.is_some() {
                    a.title = required_name(&input.title, "title")?;
                }
                if let Some(b) = body {
                    a.body = b;
                    a.edited_at = now;
                }
                if let Some(s) = input.section_id {
                    hc::sections(c, &[s.0]).await?.pop().ok_or_else(|| {
                        AppError::field(FieldError::invalid("section_id", "no such section"))
                    })?;
                    a.section_id = s;
                }
                if let Some(v) = input.draft {
                    a.draft = v;
                }
                if let Some(v) = input.promoted {
                    a.promoted = v;
                }
                if let Some(v) = input.position {
                    a.position = v;
                }
                if let Some(v) = input.label_names {
                    a.label_names = labels::cleaned(&v);
                    store::repo::hc_labels::ensure(c, &a.label_names, now).await?;
                }
                if let Some(v) = input.permission_group_id {
                    a.permission_group_id = v;
                }
                if let Some(v) = input.user_segment_id {
                    segments::check_segment(c, v).await?;
                    a.user_segment_id = v;
                }
                if let Some(v) = input.comments_disabled {
                    a.comments_disabled = v;
                }
                a.updated_at = now;
                hc::update_article(c, &a).await?;
                source_text(
                    c,
                    TranslationOf::Article(a.id),
                    &a.source_locale,
                    &a.title,
                    &a.body,
                    a.draft,
                    actor,
                    now,
                )
                .await?;
                Ok(a)
            })
        })
        .await
        .inspect(|_| self.bot.forget())
    }

    /// Archives an article: it leaves lists and search but is kept.
    pub async fn archive_article(&self, actor: Actor, id: ArticleId) -> Result<(), AppError> {
        article_writer(&actor)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let mut a = hc::articles(c, &[id.0])
                    .await?
                    .pop()
                    .filter(|a| a.archived_at.is_none())
                    .ok_or(AppError::NotFound)?;
                a.archived_at = Some(now);
                a.updated_at = now;
                hc::update_article(c, &a).await?;
                Ok(())
            })
        })
        .await
        .inspect(|_| self.bot.forget())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_fold_accents_and_give_the_id_back() {
        assert_eq!(
            slug("¿Cómo cambio mi contraseña?"),
            "como-cambio-mi-contrasena"
        );
        assert_eq!(
            slug("Reset a password — quickly!"),
            "reset-a-password-quickly"
        );
        assert_eq!(slug("!!!"), "");
        assert!(slug(&"palabra ".repeat(40)).len() <= 68);
        assert_eq!(id_of_slug("42-como-cambiar"), Some(42));
        assert_eq!(id_of_slug("42"), Some(42));
        assert_eq!(id_of_slug("abc"), None);
        assert_eq!(id_of_slug("0-x"), None);
        assert_eq!(id_of_slug("99999999999999999999999"), None);
    }

    #[test]
    fn snippets_highlight_matches() {
        let s = snippet(
            "Para cambiar la contraseña abra Ajustes y pulse <Cambiar>",
            &["contrasena".into()],
        );
        assert!(s.contains("<em>contraseña</em>"), "{s}");
        assert!(s.contains("&lt;Cambiar&gt;"), "{s}");
        assert_eq!(normalize_locale(Some("EN_us")), "en-us");
        assert_eq!(normalize_locale(None), "en-us");
    }
}
