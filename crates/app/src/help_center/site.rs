//! The help center site as a reader may read it: published articles that
//! are public or for a segment the reader is in (every one for staff), and
//! only the categories and sections that hold one (so the name of a
//! section of internal articles never shows to a customer). The site's
//! pages and its sitemap (public articles only) read through here.

use super::*;
use domain::model::TranslationOf;
use domain::model::{ArticleTitle, HelpCenterPlace};
use domain::segment::Audience;
use hc::TitlesOf;
use store::repo::translations as tr;

/// A section, how many public articles it holds, and the titles of the
/// first of them (all of them on its own page).
#[derive(Debug, Clone)]
pub struct SectionWithArticles {
    pub section: Section,
    pub count: i64,
    pub articles: Vec<ArticleTitle>,
}

/// The help center's front page in a locale: each category with its
/// sections (counted, not listed), and the promoted articles.
#[derive(Debug, Clone)]
pub struct HelpCenterHome {
    pub categories: Vec<CategoryPage>,
    pub promoted: Vec<ArticleTitle>,
}

/// A category with its sections that hold public articles.
#[derive(Debug, Clone)]
pub struct CategoryPage {
    pub category: Category,
    pub sections: Vec<SectionWithArticles>,
}

/// A section, where it is, and its public articles.
#[derive(Debug, Clone)]
pub struct SectionPage {
    pub category: Category,
    pub section: SectionWithArticles,
}

/// An article, where it is, and what else its section has.
#[derive(Debug, Clone)]
pub struct ArticlePage {
    pub category: Category,
    pub section: Section,
    pub article: Article,
    /// Other public articles of the same section, in their order.
    pub related: Vec<ArticleTitle>,
    /// Every locale the article is published in (this one included), with
    /// its title there.
    pub translations: Vec<(String, String)>,
    /// Files listed under it (images shown in its body are not listed).
    pub files: Vec<domain::model::ArticleAttachment>,
}

/// How many related articles an article page lists.
const RELATED: i64 = 5;
/// How many articles a category page lists per section (the section's
/// page lists them all).
const PER_SECTION: i64 = 10;
/// How many promoted articles the front page lists.
const PROMOTED: i64 = 10;
/// The most articles a section page lists.
const SECTION_PAGE: i64 = 1000;

impl App {
    /// The front page of the public help center in `locale`.
    pub async fn help_center_home(
        &self,
        audience: &Audience,
        locale: &str,
    ) -> Result<HelpCenterHome, AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let categories = tr::all_categories_in(c, locale).await?;
        let sections = tr::all_sections_in(c, locale).await?;
        let counts = hc::article_counts(c, audience, locale).await?;
        let promoted =
            hc::article_titles(c, audience, locale, TitlesOf::Promoted, PROMOTED).await?;
        let categories = categories
            .into_iter()
            .map(|category| CategoryPage {
                sections: counted(&category, &sections, &counts),
                category,
            })
            .filter(|p| !p.sections.is_empty())
            .collect();
        Ok(HelpCenterHome {
            categories,
            promoted,
        })
    }

    /// A category page; `NotFound` for another locale's category or one
    /// with nothing public in it.
    pub async fn help_center_category(
        &self,
        audience: &Audience,
        locale: &str,
        id: CategoryId,
    ) -> Result<CategoryPage, AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let category = tr::categories_in_locale(c, &[id.0], locale)
            .await?
            .pop()
            .ok_or(AppError::NotFound)?;
        let sections = tr::all_sections_in(c, locale).await?;
        let counts = hc::article_counts(c, audience, locale).await?;
        let mut sections = counted(&category, &sections, &counts);
        if sections.is_empty() {
            return Err(AppError::NotFound);
        }
        for s in &mut sections {
            s.articles = hc::article_titles(
                c,
                audience,
                locale,
                TitlesOf::Section(s.section.id),
                PER_SECTION,
            )
            .await?;
        }
        Ok(CategoryPage { category, sections })
    }

    /// A section page; `NotFound` for another locale's section or one with
    /// nothing public in it.
    pub async fn help_center_section(
        &self,
        audience: &Audience,
        locale: &str,
        id: SectionId,
    ) -> Result<SectionPage, AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let section = tr::sections_in_locale(c, &[id.0], locale)
            .await?
            .pop()
            .ok_or(AppError::NotFound)?;
        let articles =
            hc::article_titles(c, audience, locale, TitlesOf::Section(id), SECTION_PAGE).await?;
        if articles.is_empty() {
            return Err(AppError::NotFound);
        }
        let category = category_in(c, section.category_id, locale).await?;
        Ok(SectionPage {
            category,
            section: SectionWithArticles {
                count: i64::try_from(articles.len()).unwrap_or(i64::MAX),
                section,
                articles,
            },
        })
    }

    /// An article page; `NotFound` for anything not public (a draft, an
    /// internal article, an archived one) and for another locale's article.
    pub async fn help_center_article(
        &self,
        audience: &Audience,
        locale: &str,
        id: ArticleId,
    ) -> Result<ArticlePage, AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let article = tr::articles_in(c, &[id.0], locale)
            .await?
            .pop()
            .filter(|a| a.archived_at.is_none() && !a.draft && audience.reads(a.user_segment_id))
            .ok_or(AppError::NotFound)?;
        let section = section_in(c, article.section_id, locale).await?;
        let category = category_in(c, section.category_id, locale).await?;
        let translations = tr::published_titles(c, TranslationOf::Article(id)).await?;
        let related = hc::article_titles(
            c,
            audience,
            locale,
            TitlesOf::Section(section.id),
            RELATED + 1,
        )
        .await?
        .into_iter()
        .filter(|a| a.id != article.id)
        .take(RELATED as usize)
        .collect();
        let files = store::repo::article_authoring::files(c, id)
            .await?
            .into_iter()
            .filter(|f| !f.inline)
            .collect();
        Ok(ArticlePage {
            category,
            section,
            article,
            related,
            translations,
            files,
        })
    }

    /// Public articles matching `query` in `locale`, best first, with
    /// highlighted snippets.
    pub async fn help_center_search(
        &self,
        audience: &Audience,
        query: &str,
        locale: &str,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<ArticleHit>, i64), AppError> {
        let filter = hc::ArticleFilter {
            locale: Some(locale.to_string()),
            audience: audience.clone(),
            ..Default::default()
        };
        self.find_articles(query, filter, offset, limit).await
    }

    /// Every public page of the help center, for the sitemap.
    pub async fn help_center_places(&self) -> Result<Vec<HelpCenterPlace>, AppError> {
        let mut rc = self.read().await?;
        Ok(hc::public_places(&mut rc.conn()).await?)
    }
}

/// A section in a locale, in its source locale's words where it has no
/// translation there (an article's breadcrumb still needs a name).
async fn section_in(
    c: &mut store::Conn<'_>,
    id: SectionId,
    locale: &str,
) -> Result<Section, AppError> {
    match tr::sections_in_locale(c, &[id.0], locale).await?.pop() {
        Some(s) => Ok(s),
        None => hc::sections(c, &[id.0])
            .await?
            .pop()
            .ok_or(AppError::NotFound),
    }
}

/// A category in a locale, as `section_in`.
async fn category_in(
    c: &mut store::Conn<'_>,
    id: CategoryId,
    locale: &str,
) -> Result<Category, AppError> {
    match tr::categories_in_locale(c, &[id.0], locale).await?.pop() {
        Some(k) => Ok(k),
        None => hc::categories(c, &[id.0])
            .await?
            .pop()
            .ok_or(AppError::NotFound),
    }
}

/// A category's sections (in their order) that hold public articles, with
/// their counts; the titles are left for the caller to list.
fn counted(
    category: &Category,
    sections: &[Section],
    counts: &[(SectionId, i64)],
) -> Vec<SectionWithArticles> {
    sections
        .iter()
        .filter(|s| s.category_id == category.id)
        .filter_map(|s| {
            let count = counts.iter().find(|(id, _)| *id == s.id)?.1;
            Some(SectionWithArticles {
                section: s.clone(),
                count,
                articles: Vec::new(),
            })
        })
        .collect()
}
