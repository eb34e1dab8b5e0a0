//! Reading the help center: one article, lists, search with snippets,
//! and the incremental export, as the caller may see them.

use super::*;
use store::repo::translations as tr;

impl App {
    /// One article, as written in `locale` (its source locale's text when
    /// none is named); drafts are staff's, an article for a user segment
    /// is for that segment's members and staff.
    pub async fn article(
        &self,
        actor: Actor,
        id: ArticleId,
        locale: Option<&str>,
    ) -> Result<Article, AppError> {
        let audience = self.help_center_audience(Some(&actor)).await?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let found = match locale {
            Some(l) => tr::articles_in(c, &[id.0], &normalize_locale(Some(l))).await?,
            None => hc::articles(c, &[id.0]).await?,
        };
        found
            .into_iter()
            .next()
            .filter(|a| {
                a.archived_at.is_none()
                    && audience.reads(a.user_segment_id)
                    && (!a.draft || domain::policy::reads_internal(&actor))
            })
            .ok_or(AppError::NotFound)
    }

    /// Articles of a section or category (or all), in a locale (or all),
    /// carrying every label in `labels`.
    pub async fn list_articles(
        &self,
        actor: Actor,
        section: Option<SectionId>,
        category: Option<CategoryId>,
        locale: Option<&str>,
        labels: &[String],
        paging: Paging,
    ) -> Result<(Vec<Article>, Paged), AppError> {
        let audience = self.help_center_audience(Some(&actor)).await?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        // In a locale, the articles written in it, as written there.
        let locale = locale.map(|l| normalize_locale(Some(l)));
        let mut args: Vec<store::Value> = vec![];
        let mut cond = match &locale {
            Some(l) => {
                args.push(l.clone().into());
                String::from(
                    "hc_articles t JOIN hc_translations x ON x.article_id = t.id AND x.locale = $1 \
                     WHERE t.archived_at IS NULL",
                )
            }
            None => String::from("hc_articles t WHERE t.archived_at IS NULL"),
        };
        if !domain::policy::reads_internal(&actor) {
            let draft = if locale.is_some() {
                "x.draft"
            } else {
                "t.draft"
            };
            cond.push_str(&format!(" AND {draft} = FALSE"));
        }
        cond.push_str(" AND ");
        cond.push_str(&hc::segment_clause("t", &audience));
        if let Some(s) = section {
            args.push(s.into());
            cond.push_str(&format!(" AND t.section_id = ${}", args.len()));
        }
        if let Some(cat) = category {
            args.push(cat.into());
            cond.push_str(&format!(
                " AND t.section_id IN (SELECT id FROM hc_sections WHERE category_id = ${})",
                args.len()
            ));
        }
        // Every label named (as the article search filters them).
        for l in labels {
            args.push(format!("%,{l},%").into());
            cond.push_str(&format!(
                " AND (',' || t.label_names || ',') LIKE ${}",
                args.len()
            ));
        }
        let page = page_ids(c, &cond, args, paging).await?;
        let articles = match &locale {
            Some(l) => tr::articles_in(c, &page.ids, l).await?,
            None => hc::articles(c, &page.ids).await?,
        };
        Ok((articles, page))
    }

    /// Published articles matching every word of `query` (accent-folded,
    /// stemmed in English and Spanish), in `locale` (`*` for all), best
    /// first. Staff also find drafts.
    pub async fn search_articles(
        &self,
        actor: Actor,
        query: &str,
        locale: Option<&str>,
        category: Option<CategoryId>,
        section: Option<SectionId>,
        labels: Vec<String>,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<ArticleHit>, i64), AppError> {
        let filter = hc::ArticleFilter {
            locale: match locale {
                Some("*") => None,
                other => Some(normalize_locale(other)),
            },
            category,
            section,
            labels,
            audience: self.help_center_audience(Some(&actor)).await?,
            drafts: domain::policy::reads_internal(&actor),
        };
        self.find_articles(query, filter, offset, limit).await
    }

    /// The article search behind the API, the site and the bot: every
    /// word must match (as any of its stems); `filter.staff_view` alone
    /// lets drafts and internal articles in.
    pub(super) async fn find_articles(
        &self,
        query: &str,
        filter: hc::ArticleFilter,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<ArticleHit>, i64), AppError> {
        let words = search::analyze::query_words(query);
        let groups: Vec<Vec<String>> = words
            .iter()
            .map(|w| analyze_query_word(w))
            .filter(|g| !g.is_empty())
            .collect();
        if groups.is_empty() {
            return Ok((vec![], 0));
        }
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let (ids, total) = hc::search_articles(c, &groups, &filter, offset, limit).await?;
        let hits = tr::articles_of_translations(c, &ids)
            .await?
            .into_iter()
            .map(|a| ArticleHit {
                snippet: snippet(&html_to_text(&a.body), &words),
                article: a,
            })
            .collect();
        Ok((hits, total))
    }

    /// Articles changed since a time, for incremental export.
    pub async fn articles_since(
        &self,
        actor: Actor,
        since: Timestamp,
        limit: i64,
    ) -> Result<Vec<Article>, AppError> {
        staff_only(&actor)?;
        let mut rc = self.read().await?;
        Ok(hc::articles_since(&mut rc.conn(), since, limit).await?)
    }
}
