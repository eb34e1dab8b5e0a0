//! Help center categories, sections and articles, and the article text
//! index (FTS5 on SQLite, tsvector on PostgreSQL, both over analyzer terms).

use super::map_rows;
use crate::model::{
    Article, ArticleTitle, Category, HelpCenterKind, HelpCenterPlace, Section, Vote, VoteValue,
    Voter,
};
use crate::{Backend, Conn, Row, StoreError, Value, q};
use domain::segment::Audience;
use domain::{ArticleId, CategoryId, SectionId, Timestamp, UserId, UserSegmentId, VoteId};

const CATEGORY_COLS: &str =
    "id, name, description, locale, source_locale, position, created_at, updated_at";
const SECTION_COLS: &str = "id, category_id, parent_section_id, name, description, locale, source_locale, position, created_at, updated_at";
const ARTICLE_COLS: &str = "id, section_id, author_id, title, body, locale, source_locale, draft, promoted, position, label_names, permission_group_id, \
                            user_segment_id, comments_disabled, vote_sum, vote_count, archived_at, created_at, updated_at, edited_at";

pub(crate) fn category(r: &Row) -> Result<Category, StoreError> {
    Ok(Category {
        id: CategoryId(r.int(0)?),
        name: r.text(1)?,
        description: r.text(2)?,
        locale: r.text(3)?,
        source_locale: r.text(4)?,
        position: r.int(5)?,
        created_at: Timestamp(r.int(6)?),
        updated_at: Timestamp(r.int(7)?),
    })
}

pub(crate) fn section(r: &Row) -> Result<Section, StoreError> {
    Ok(Section {
        id: SectionId(r.int(0)?),
        category_id: CategoryId(r.int(1)?),
        parent_section_id: r.opt_int(2)?.map(SectionId),
        name: r.text(3)?,
        description: r.text(4)?,
        locale: r.text(5)?,
        source_locale: r.text(6)?,
        position: r.int(7)?,
        created_at: Timestamp(r.int(8)?),
        updated_at: Timestamp(r.int(9)?),
    })
}

pub(crate) fn article(r: &Row) -> Result<Article, StoreError> {
    Ok(Article {
        id: ArticleId(r.int(0)?),
        section_id: SectionId(r.int(1)?),
        author_id: UserId(r.int(2)?),
        title: r.text(3)?,
        body: r.text(4)?,
        locale: r.text(5)?,
        source_locale: r.text(6)?,
        draft: r.bool(7)?,
        promoted: r.bool(8)?,
        position: r.int(9)?,
        label_names: r
            .text(10)?
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        permission_group_id: r.int(11)?,
        user_segment_id: r.opt_int(12)?.map(UserSegmentId),
        comments_disabled: r.bool(13)?,
        vote_sum: r.int(14)?,
        vote_count: r.int(15)?,
        archived_at: r.opt_int(16)?.map(Timestamp),
        created_at: Timestamp(r.int(17)?),
        updated_at: Timestamp(r.int(18)?),
        edited_at: Timestamp(r.int(19)?),
    })
}

pub async fn insert_category(c: &mut Conn<'_>, x: &Category) -> Result<CategoryId, StoreError> {
    c.insert(
        q("INSERT INTO hc_categories (name, description, locale, source_locale, position, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
            .bind(&x.name)
            .bind(&x.description)
            .bind(&x.locale)
            .bind(&x.source_locale)
            .bind(x.position)
            .bind(x.created_at)
            .bind(x.updated_at),
    )
    .await
    .map(CategoryId)
}

pub async fn update_category(c: &mut Conn<'_>, x: &Category) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE hc_categories SET name = $2, description = $3, position = $4, updated_at = $5 WHERE id = $1")
            .bind(x.id)
            .bind(&x.name)
            .bind(&x.description)
            .bind(x.position)
            .bind(x.updated_at),
    )
    .await?;
    Ok(())
}

pub async fn delete_category(c: &mut Conn<'_>, id: CategoryId) -> Result<u64, StoreError> {
    c.exec(q("DELETE FROM hc_categories WHERE id = $1").bind(id))
        .await
}

pub async fn categories(c: &mut Conn<'_>, ids: &[i64]) -> Result<Vec<Category>, StoreError> {
    super::by_ids(c, "hc_categories", CATEGORY_COLS, ids, category).await
}

pub async fn insert_section(c: &mut Conn<'_>, x: &Section) -> Result<SectionId, StoreError> {
    c.insert(
        q("INSERT INTO hc_sections (category_id, parent_section_id, name, description, locale, source_locale, position, created_at, updated_at) \
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
        .bind(x.category_id)
        .bind(x.parent_section_id)
        .bind(&x.name)
        .bind(&x.description)
        .bind(&x.locale)
        .bind(&x.source_locale)
        .bind(x.position)
        .bind(x.created_at)
        .bind(x.updated_at),
    )
    .await
    .map(SectionId)
}

pub async fn update_section(c: &mut Conn<'_>, x: &Section) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE hc_sections SET category_id = $2, parent_section_id = $3, name = $4, description = $5, position = $6, updated_at = $7 WHERE id = $1")
            .bind(x.id)
            .bind(x.category_id)
            .bind(x.parent_section_id)
            .bind(&x.name)
            .bind(&x.description)
            .bind(x.position)
            .bind(x.updated_at),
    )
    .await?;
    Ok(())
}

pub async fn delete_section(c: &mut Conn<'_>, id: SectionId) -> Result<u64, StoreError> {
    c.exec(q("DELETE FROM hc_sections WHERE id = $1").bind(id))
        .await
}

pub async fn sections(c: &mut Conn<'_>, ids: &[i64]) -> Result<Vec<Section>, StoreError> {
    super::by_ids(c, "hc_sections", SECTION_COLS, ids, section).await
}

fn article_values(query: crate::Query, x: &Article) -> crate::Query {
    query
        .bind(x.section_id)
        .bind(x.author_id)
        .bind(&x.title)
        .bind(&x.body)
        .bind(&x.locale)
        .bind(&x.source_locale)
        .bind(x.draft)
        .bind(x.promoted)
        .bind(x.position)
        .bind(x.label_names.join(","))
        .bind(x.permission_group_id)
        .bind(x.user_segment_id)
        .bind(x.comments_disabled)
        .bind(x.archived_at)
        .bind(x.created_at)
        .bind(x.updated_at)
        .bind(x.edited_at)
}

pub async fn insert_article(c: &mut Conn<'_>, x: &Article) -> Result<ArticleId, StoreError> {
    let sql = "INSERT INTO hc_articles (section_id, author_id, title, body, locale, source_locale, draft, promoted, position, label_names, permission_group_id, \
               user_segment_id, comments_disabled, archived_at, created_at, updated_at, edited_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id";
    c.insert(article_values(q(sql), x)).await.map(ArticleId)
}

pub async fn update_article(c: &mut Conn<'_>, x: &Article) -> Result<(), StoreError> {
    let sql = "UPDATE hc_articles SET section_id = $1, author_id = $2, title = $3, body = $4, locale = $5, source_locale = $6, draft = $7, promoted = $8, \
               position = $9, label_names = $10, permission_group_id = $11, user_segment_id = $12, comments_disabled = $13, archived_at = $14, \
               created_at = $15, updated_at = $16, edited_at = $17 WHERE id = $18";
    c.exec(article_values(q(sql), x).bind(x.id)).await?;
    Ok(())
}

pub async fn articles(c: &mut Conn<'_>, ids: &[i64]) -> Result<Vec<Article>, StoreError> {
    super::by_ids(c, "hc_articles", ARTICLE_COLS, ids, article).await
}

/// Articles changed at or after `since`, oldest first.
pub async fn articles_since(
    c: &mut Conn<'_>,
    since: Timestamp,
    limit: i64,
) -> Result<Vec<Article>, StoreError> {
    map_rows(c.all(q(format!("SELECT {ARTICLE_COLS} FROM hc_articles WHERE updated_at >= $1 ORDER BY updated_at, id LIMIT $2")).bind(since).bind(limit)).await?, article)
}

/// Filters for article search.
#[derive(Debug, Clone)]
pub struct ArticleFilter {
    /// Lower-cased locale, or `None` for every locale.
    pub locale: Option<String>,
    pub category: Option<CategoryId>,
    pub section: Option<SectionId>,
    pub labels: Vec<String>,
    /// Whose search it is: which restricted articles it may find.
    pub audience: Audience,
    /// Staff writing in the API: unpublished translations too.
    pub drafts: bool,
}

impl Default for ArticleFilter {
    fn default() -> Self {
        ArticleFilter {
            locale: None,
            category: None,
            section: None,
            labels: Vec::new(),
            audience: Audience::Anyone,
            drafts: false,
        }
    }
}

/// Published article translations matching every term group (each group:
/// alternative stems, any of which may match), best first: more matches in
/// the title rank higher, then more recent. Returns one page of
/// translation ids and the total.
pub async fn search_articles(
    c: &mut Conn<'_>,
    groups: &[Vec<String>],
    f: &ArticleFilter,
    offset: i64,
    limit: i64,
) -> Result<(Vec<i64>, i64), StoreError> {
    let mut args: Vec<Value> = Vec::new();
    let arg = |v: Value, args: &mut Vec<Value>| {
        args.push(v);
        format!("${}", args.len())
    };
    let mut conds = vec![
        "a.archived_at IS NULL".to_string(),
        segment_clause("a", &f.audience),
    ];
    if !f.drafts {
        conds.push("t.draft = FALSE".into());
    }
    if let Some(l) = &f.locale {
        conds.push(format!("t.locale = {}", arg(l.clone().into(), &mut args)));
    }
    if let Some(s) = f.section {
        conds.push(format!("a.section_id = {}", arg(s.into(), &mut args)));
    }
    if let Some(cat) = f.category {
        conds.push(format!(
            "a.section_id IN (SELECT id FROM hc_sections WHERE category_id = {})",
            arg(cat.into(), &mut args)
        ));
    }
    for l in &f.labels {
        conds.push(format!(
            "(',' || a.label_names || ',') LIKE {}",
            arg(format!("%,{l},%").into(), &mut args)
        ));
    }
    let (join, rank) = match c.backend() {
        Backend::Sqlite => {
            let expr = groups
                .iter()
                .map(|g| {
                    format!(
                        "({})",
                        g.iter()
                            .map(|s| format!("\"{s}\""))
                            .collect::<Vec<_>>()
                            .join(" OR ")
                    )
                })
                .collect::<Vec<_>>()
                .join(" AND ");
            let p = arg(expr.into(), &mut args);
            (
                // The text match leads (CROSS JOIN fixes SQLite's join
                // order): driven from an index of the articles instead, it
                // would run the whole match once per article.
                format!(
                    "article_fts x CROSS JOIN hc_translations t ON t.id = x.rowid AND article_fts MATCH {p} \
                     CROSS JOIN hc_articles a ON a.id = t.article_id"
                ),
                "bm25(article_fts, 4.0, 1.0)".to_string(),
            )
        }
        Backend::Postgres => {
            let expr = groups
                .iter()
                .map(|g| format!("({})", g.join(" | ")))
                .collect::<Vec<_>>()
                .join(" & ");
            let p = arg(expr.into(), &mut args);
            (
                format!(
                    "article_fts x JOIN hc_translations t ON t.id = x.translation_id AND x.tsv @@ to_tsquery('simple', {p}) \
                     JOIN hc_articles a ON a.id = t.article_id"
                ),
                format!("-ts_rank(x.tsv, to_tsquery('simple', {p}))"),
            )
        }
    };
    let from = format!("{join} WHERE {}", conds.join(" AND "));
    let mut count = q(format!("SELECT COUNT(*) FROM {from}"));
    count.args = args.clone();
    let total = c.scalar(count).await?;
    let n = args.len();
    let mut page = q(format!(
        "SELECT t.id FROM {from} ORDER BY {rank}, t.updated_at DESC, t.id LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    ));
    page.args = args;
    page.args.push(Value::Int(limit));
    page.args.push(Value::Int(offset));
    let ids = c
        .all(page)
        .await?
        .iter()
        .map(|r| r.int(0))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((ids, total))
}

/// What makes an article `a` in the locale of its translation `t` one an
/// audience reads on the site: that translation published, the article
/// not archived, and public or for a segment the audience is in. For
/// `Audience::Anyone` this mirrors `Article::is_public`.
fn readable(a: &str, t: &str, audience: &Audience) -> String {
    format!(
        "{a}.archived_at IS NULL AND {t}.draft = FALSE AND {}",
        segment_clause(a, audience)
    )
}

/// The articles (alias `a`) an audience may read by segment. The ids are
/// numbers from the database, written into the statement as such.
pub fn segment_clause(a: &str, audience: &Audience) -> String {
    match audience {
        Audience::Staff => "1 = 1".to_string(),
        Audience::Member(ids) if !ids.is_empty() => format!(
            "({a}.user_segment_id IS NULL OR {a}.user_segment_id IN ({}))",
            ids.iter()
                .map(|i| i.0.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ => format!("{a}.user_segment_id IS NULL"),
    }
}

/// The titles of the articles an audience reads in a locale (of one section, or the
/// promoted ones of every section), promoted first and then in their
/// order, at most `limit`.
pub async fn article_titles(
    c: &mut Conn<'_>,
    audience: &Audience,
    locale: &str,
    of: TitlesOf,
    limit: i64,
) -> Result<Vec<ArticleTitle>, StoreError> {
    let which = match of {
        TitlesOf::Section(_) => "a.section_id = $3",
        TitlesOf::Promoted => "a.promoted = TRUE",
    };
    // The articles lead: a section's, or the few promoted ones, each then
    // looked up in the locale. SQLite takes CROSS JOIN as "in this order";
    // PostgreSQL plans a plain join well (and allows no ON on CROSS JOIN).
    let join = match c.backend() {
        Backend::Sqlite => "CROSS JOIN",
        Backend::Postgres => "JOIN",
    };
    let mut query = q(format!(
        "SELECT a.id, a.section_id, t.locale, t.title, a.promoted \
         FROM hc_articles a {join} hc_translations t ON t.article_id = a.id AND t.locale = $1 \
         WHERE {} AND {which} ORDER BY a.promoted DESC, a.position, t.title, a.id LIMIT $2",
        readable("a", "t", audience),
    ))
    .bind(locale)
    .bind(limit);
    if let TitlesOf::Section(s) = of {
        query = query.bind(s);
    }
    map_rows(c.all(query).await?, |r| {
        Ok(ArticleTitle {
            id: ArticleId(r.int(0)?),
            section_id: SectionId(r.int(1)?),
            locale: r.text(2)?,
            title: r.text(3)?,
            promoted: r.bool(4)?,
        })
    })
}

/// Which articles' titles to list.
#[derive(Debug, Clone, Copy)]
pub enum TitlesOf {
    Section(SectionId),
    Promoted,
}

/// How many articles an audience reads each section of a locale holds
/// (sections with none are not listed).
pub async fn article_counts(
    c: &mut Conn<'_>,
    audience: &Audience,
    locale: &str,
) -> Result<Vec<(SectionId, i64)>, StoreError> {
    let rows = c
        .all(
            q(format!(
                "SELECT a.section_id, COUNT(*) FROM hc_translations t JOIN hc_articles a ON a.id = t.article_id \
                 WHERE t.locale = $1 AND {} GROUP BY a.section_id",
                readable("a", "t", audience)
            ))
            .bind(locale),
        )
        .await?;
    rows.iter()
        .map(|r| Ok((SectionId(r.int(0)?), r.int(1)?)))
        .collect()
}

/// Every public article translation, and every category and section
/// translation whose locale holds one, with when it last changed: the
/// sitemap's entries.
pub async fn public_places(c: &mut Conn<'_>) -> Result<Vec<HelpCenterPlace>, StoreError> {
    let public = readable("a", "t", &Audience::Anyone);
    let rows = c
        .all(q(format!(
            "SELECT 'article', a.id, t.locale, t.title, t.updated_at \
               FROM hc_translations t JOIN hc_articles a ON a.id = t.article_id WHERE {public} \
             UNION ALL SELECT 'section', s.section_id, s.locale, s.title, s.updated_at FROM hc_translations s \
               WHERE s.section_id IS NOT NULL AND EXISTS (SELECT 1 FROM hc_articles a JOIN hc_translations t \
                 ON t.article_id = a.id AND t.locale = s.locale WHERE a.section_id = s.section_id AND {public}) \
             UNION ALL SELECT 'category', k.category_id, k.locale, k.title, k.updated_at FROM hc_translations k \
               WHERE k.category_id IS NOT NULL AND EXISTS (SELECT 1 FROM hc_sections x JOIN hc_articles a ON a.section_id = x.id \
                 JOIN hc_translations t ON t.article_id = a.id AND t.locale = k.locale \
                 WHERE x.category_id = k.category_id AND {public}) \
             ORDER BY 1, 2, 3"
        )))
        .await?;
    rows.iter()
        .map(|r| {
            let kind = match r.text(0)?.as_str() {
                "article" => HelpCenterKind::Article,
                "section" => HelpCenterKind::Section,
                _ => HelpCenterKind::Category,
            };
            Ok(HelpCenterPlace {
                kind,
                id: r.int(1)?,
                locale: r.text(2)?,
                title: r.text(3)?,
                updated_at: Timestamp(r.int(4)?),
            })
        })
        .collect()
}

const VOTE_COLS: &str = "id, article_id, user_id, visitor, locale, value, created_at, updated_at";

fn vote(r: &Row) -> Result<Vote, StoreError> {
    let voter = match (r.opt_int(2)?, r.opt_text(3)?) {
        (Some(u), _) => Voter::User(UserId(u)),
        (None, Some(v)) => Voter::Visitor(v),
        (None, None) => return Err(StoreError::Decode("a vote with no voter".into())),
    };
    Ok(Vote {
        id: VoteId(r.int(0)?),
        article_id: ArticleId(r.int(1)?),
        voter,
        locale: r.text(4)?,
        value: VoteValue::from_number(r.int(5)?)
            .ok_or_else(|| StoreError::Decode("a vote neither up nor down".into()))?,
        created_at: Timestamp(r.int(6)?),
        updated_at: Timestamp(r.int(7)?),
    })
}

/// Records a reader's answer, replacing their earlier one on the article,
/// and brings the article's sum and count up to date. Returns the vote.
pub async fn cast_vote(
    c: &mut Conn<'_>,
    article: ArticleId,
    voter: &Voter,
    locale: &str,
    value: VoteValue,
    now: Timestamp,
) -> Result<Vote, StoreError> {
    let (column, who): (&str, Value) = match voter {
        Voter::User(u) => ("user_id", (*u).into()),
        Voter::Visitor(v) => ("visitor", v.clone().into()),
    };
    c.exec(
        q(format!(
            "INSERT INTO hc_votes (article_id, {column}, locale, value, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) \
             ON CONFLICT (article_id, {column}) WHERE {column} IS NOT NULL \
             DO UPDATE SET value = EXCLUDED.value, locale = EXCLUDED.locale, updated_at = EXCLUDED.updated_at"
        ))
        .bind(article)
        .bind(who.clone())
        .bind(locale)
        .bind(value.number())
        .bind(now),
    )
    .await?;
    recount(c, article).await?;
    let rows = c
        .all(
            q(format!(
                "SELECT {VOTE_COLS} FROM hc_votes WHERE article_id = $1 AND {column} = $2"
            ))
            .bind(article)
            .bind(who),
        )
        .await?;
    map_rows(rows, vote)?
        .pop()
        .ok_or_else(|| StoreError::Decode("the vote just cast is not there".into()))
}

/// Removes a vote; the article's sum and count follow. Returns the vote
/// removed, if there was one.
pub async fn delete_vote(c: &mut Conn<'_>, id: VoteId) -> Result<Option<Vote>, StoreError> {
    let Some(v) = votes_by_id(c, id).await? else {
        return Ok(None);
    };
    c.exec(q("DELETE FROM hc_votes WHERE id = $1").bind(id))
        .await?;
    recount(c, v.article_id).await?;
    Ok(Some(v))
}

pub async fn votes_by_id(c: &mut Conn<'_>, id: VoteId) -> Result<Option<Vote>, StoreError> {
    let rows = c
        .all(q(format!("SELECT {VOTE_COLS} FROM hc_votes WHERE id = $1")).bind(id))
        .await?;
    Ok(map_rows(rows, vote)?.pop())
}

/// An article's votes, oldest first.
pub async fn article_votes(c: &mut Conn<'_>, article: ArticleId) -> Result<Vec<Vote>, StoreError> {
    map_rows(
        c.all(
            q(format!(
                "SELECT {VOTE_COLS} FROM hc_votes WHERE article_id = $1 ORDER BY id LIMIT 1000"
            ))
            .bind(article),
        )
        .await?,
        vote,
    )
}

/// Brings an article's `vote_sum` and `vote_count` up to date (not its
/// `updated_at`: a vote is not an edit).
async fn recount(c: &mut Conn<'_>, article: ArticleId) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE hc_articles SET vote_sum = (SELECT COALESCE(SUM(value), 0) FROM hc_votes WHERE article_id = $1), \
           vote_count = (SELECT COUNT(*) FROM hc_votes WHERE article_id = $1) WHERE id = $1")
        .bind(article),
    )
    .await?;
    Ok(())
}
