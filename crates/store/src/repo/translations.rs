//! Help-center translations: the text of an article, section or category
//! in each locale, and reading those records in one locale (the record's
//! own fields with that locale's title and body laid over them).

use super::map_rows;
use crate::model::{Article, Category, Section, Translation, TranslationOf};
use crate::{Backend, Conn, Row, StoreError, Value, q};
use domain::{ArticleId, CategoryId, SectionId, Timestamp, TranslationId, UserId};

const COLS: &str = "id, article_id, section_id, category_id, locale, title, body, draft, outdated, \
                    created_by_id, updated_by_id, created_at, updated_at";

fn translation(r: &Row) -> Result<Translation, StoreError> {
    let of = match (r.opt_int(1)?, r.opt_int(2)?, r.opt_int(3)?) {
        (Some(a), _, _) => TranslationOf::Article(ArticleId(a)),
        (None, Some(s), _) => TranslationOf::Section(SectionId(s)),
        (None, None, Some(k)) => TranslationOf::Category(CategoryId(k)),
        (None, None, None) => return Err(StoreError::Decode("a translation of nothing".into())),
    };
    Ok(Translation {
        id: TranslationId(r.int(0)?),
        of,
        locale: r.text(4)?,
        title: r.text(5)?,
        body: r.text(6)?,
        draft: r.bool(7)?,
        outdated: r.bool(8)?,
        created_by_id: r.opt_int(9)?.map(UserId),
        updated_by_id: r.opt_int(10)?.map(UserId),
        created_at: Timestamp(r.int(11)?),
        updated_at: Timestamp(r.int(12)?),
    })
}

/// The column naming what a translation translates.
fn column(of: TranslationOf) -> &'static str {
    match of {
        TranslationOf::Article(_) => "article_id",
        TranslationOf::Section(_) => "section_id",
        TranslationOf::Category(_) => "category_id",
    }
}

pub async fn insert_translation(
    c: &mut Conn<'_>,
    x: &Translation,
) -> Result<TranslationId, StoreError> {
    let col = column(x.of);
    c.insert(
        q(format!(
            "INSERT INTO hc_translations ({col}, locale, title, body, draft, outdated, created_by_id, updated_by_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id"
        ))
        .bind(x.of.id())
        .bind(&x.locale)
        .bind(&x.title)
        .bind(&x.body)
        .bind(x.draft)
        .bind(x.outdated)
        .bind(x.created_by_id)
        .bind(x.updated_by_id)
        .bind(x.created_at)
        .bind(x.updated_at),
    )
    .await
    .map(TranslationId)
}

pub async fn update_translation(c: &mut Conn<'_>, x: &Translation) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE hc_translations SET title = $2, body = $3, draft = $4, outdated = $5, updated_by_id = $6, updated_at = $7 WHERE id = $1")
            .bind(x.id)
            .bind(&x.title)
            .bind(&x.body)
            .bind(x.draft)
            .bind(x.outdated)
            .bind(x.updated_by_id)
            .bind(x.updated_at),
    )
    .await?;
    Ok(())
}

pub async fn delete_translation(c: &mut Conn<'_>, id: TranslationId) -> Result<u64, StoreError> {
    if c.backend() == Backend::Sqlite {
        c.exec(q("DELETE FROM article_fts WHERE rowid = $1").bind(id))
            .await?;
    }
    c.exec(q("DELETE FROM hc_translations WHERE id = $1").bind(id))
        .await
}

/// Every translation of a record, by locale.
pub async fn translations_of(
    c: &mut Conn<'_>,
    of: TranslationOf,
) -> Result<Vec<Translation>, StoreError> {
    let col = column(of);
    map_rows(
        c.all(
            q(format!(
                "SELECT {COLS} FROM hc_translations WHERE {col} = $1 ORDER BY locale"
            ))
            .bind(of.id()),
        )
        .await?,
        translation,
    )
}

/// A record's translation in one locale.
pub async fn translation_in(
    c: &mut Conn<'_>,
    of: TranslationOf,
    locale: &str,
) -> Result<Option<Translation>, StoreError> {
    let col = column(of);
    Ok(map_rows(
        c.all(
            q(format!(
                "SELECT {COLS} FROM hc_translations WHERE {col} = $1 AND locale = $2"
            ))
            .bind(of.id())
            .bind(locale),
        )
        .await?,
        translation,
    )?
    .pop())
}

pub async fn translation_by_id(
    c: &mut Conn<'_>,
    id: TranslationId,
) -> Result<Option<Translation>, StoreError> {
    Ok(map_rows(
        c.all(q(format!("SELECT {COLS} FROM hc_translations WHERE id = $1")).bind(id))
            .await?,
        translation,
    )?
    .pop())
}

/// Flags every other locale's translation of a record as outdated: its
/// source text just changed.
pub async fn mark_outdated(
    c: &mut Conn<'_>,
    of: TranslationOf,
    source_locale: &str,
) -> Result<(), StoreError> {
    let col = column(of);
    c.exec(
        q(format!(
            "UPDATE hc_translations SET outdated = TRUE WHERE {col} = $1 AND locale <> $2"
        ))
        .bind(of.id())
        .bind(source_locale),
    )
    .await?;
    Ok(())
}

/// Writes a translation's index terms, replacing what was there.
pub async fn index_translation(
    c: &mut Conn<'_>,
    id: TranslationId,
    title_terms: &str,
    body_terms: &str,
) -> Result<(), StoreError> {
    match c.backend() {
        Backend::Sqlite => {
            c.exec(q("DELETE FROM article_fts WHERE rowid = $1").bind(id))
                .await?;
            c.exec(
                q("INSERT INTO article_fts (rowid, title_terms, body_terms) VALUES ($1, $2, $3)")
                    .bind(id)
                    .bind(title_terms)
                    .bind(body_terms),
            )
            .await?;
        }
        Backend::Postgres => {
            c.exec(
                q("INSERT INTO article_fts (translation_id, title_terms, body_terms) VALUES ($1, $2, $3) \
                   ON CONFLICT (translation_id) DO UPDATE SET title_terms = EXCLUDED.title_terms, body_terms = EXCLUDED.body_terms")
                .bind(id)
                .bind(title_terms)
                .bind(body_terms),
            )
            .await?;
        }
    }
    Ok(())
}

/// A record's own fields (alias `r`) with one translation's (alias `t`)
/// title, body and locale; an article's also with its draft flag and last
/// edit.
const ARTICLE_IN_LOCALE: &str = "r.id, r.section_id, r.author_id, t.title, t.body, t.locale, r.source_locale, t.draft, r.promoted, r.position, \
     r.label_names, r.permission_group_id, r.user_segment_id, r.comments_disabled, r.vote_sum, r.vote_count, r.archived_at, \
     r.created_at, r.updated_at, t.updated_at";
const SECTION_IN_LOCALE: &str = "r.id, r.category_id, r.parent_section_id, t.title, t.body, t.locale, r.source_locale, r.position, r.created_at, r.updated_at";
const CATEGORY_IN_LOCALE: &str =
    "r.id, t.title, t.body, t.locale, r.source_locale, r.position, r.created_at, r.updated_at";

/// Records by id as written in `locale` (a record with no translation
/// there is left out): `from` joins the record (alias `r`) to its
/// translation `t`; the locale is the last parameter.
async fn by_ids_in<T>(
    c: &mut Conn<'_>,
    cols: &str,
    from: &str,
    ids: &[i64],
    locale: &str,
    f: fn(&Row) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let l = ids.len() + 1;
    let mut query = q(format!(
        "SELECT {cols} FROM {from} AND t.locale = ${l} WHERE r.id IN ({}) ORDER BY r.id",
        crate::paging::placeholders(1, ids.len())
    ));
    query.args = ids.iter().map(|&i| Value::Int(i)).collect();
    query.args.push(Value::text(locale.to_string()));
    map_rows(c.all(query).await?, f)
}

/// Articles by id as written in `locale`; an article with no translation
/// there is left out.
pub async fn articles_in(
    c: &mut Conn<'_>,
    ids: &[i64],
    locale: &str,
) -> Result<Vec<Article>, StoreError> {
    let from = "hc_articles r JOIN hc_translations t ON t.article_id = r.id";
    by_ids_in(
        c,
        ARTICLE_IN_LOCALE,
        from,
        ids,
        locale,
        super::help_center::article,
    )
    .await
}

/// Articles as written in the locale of each translation (one per
/// translation id, in the order given; missing ones left out).
pub async fn articles_of_translations(
    c: &mut Conn<'_>,
    ids: &[i64],
) -> Result<Vec<Article>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut query = q(format!(
        "SELECT {ARTICLE_IN_LOCALE}, t.id FROM hc_translations t JOIN hc_articles r ON r.id = t.article_id WHERE t.id IN ({})",
        crate::paging::placeholders(1, ids.len())
    ));
    query.args = ids.iter().map(|&i| Value::Int(i)).collect();
    let rows = c.all(query).await?;
    let mut found = Vec::with_capacity(rows.len());
    for r in &rows {
        // The translation id follows the article's twenty columns.
        found.push((r.int(20)?, super::help_center::article(r)?));
    }
    Ok(ids
        .iter()
        .filter_map(|id| found.iter().find(|(t, _)| t == id).map(|(_, a)| a.clone()))
        .collect())
}

pub async fn sections_in_locale(
    c: &mut Conn<'_>,
    ids: &[i64],
    locale: &str,
) -> Result<Vec<Section>, StoreError> {
    let from = "hc_sections r JOIN hc_translations t ON t.section_id = r.id";
    by_ids_in(
        c,
        SECTION_IN_LOCALE,
        from,
        ids,
        locale,
        super::help_center::section,
    )
    .await
}

pub async fn categories_in_locale(
    c: &mut Conn<'_>,
    ids: &[i64],
    locale: &str,
) -> Result<Vec<Category>, StoreError> {
    let from = "hc_categories r JOIN hc_translations t ON t.category_id = r.id";
    by_ids_in(
        c,
        CATEGORY_IN_LOCALE,
        from,
        ids,
        locale,
        super::help_center::category,
    )
    .await
}

/// Every section written in a locale (of every category), in order.
pub async fn all_sections_in(c: &mut Conn<'_>, locale: &str) -> Result<Vec<Section>, StoreError> {
    map_rows(
        c.all(
            q(format!(
                "SELECT {SECTION_IN_LOCALE} FROM hc_sections r JOIN hc_translations t ON t.section_id = r.id AND t.locale = $1 \
                 ORDER BY r.position, r.id"
            ))
            .bind(locale),
        )
        .await?,
        super::help_center::section,
    )
}

/// Every category written in a locale, in order.
pub async fn all_categories_in(
    c: &mut Conn<'_>,
    locale: &str,
) -> Result<Vec<Category>, StoreError> {
    map_rows(
        c.all(
            q(format!(
                "SELECT {CATEGORY_IN_LOCALE} FROM hc_categories r JOIN hc_translations t ON t.category_id = r.id AND t.locale = $1 \
                 ORDER BY r.position, r.id"
            ))
            .bind(locale),
        )
        .await?,
        super::help_center::category,
    )
}

/// Each locale a record is published in, with its title there (for the
/// language switcher and the `hreflang` alternates).
pub async fn published_titles(
    c: &mut Conn<'_>,
    of: TranslationOf,
) -> Result<Vec<(String, String)>, StoreError> {
    let col = column(of);
    let draft = match of {
        TranslationOf::Article(_) => " AND draft = FALSE",
        _ => "",
    };
    c.all(
        q(format!(
            "SELECT locale, title FROM hc_translations WHERE {col} = $1{draft} ORDER BY locale"
        ))
        .bind(of.id()),
    )
    .await?
    .iter()
    .map(|r| Ok((r.text(0)?, r.text(1)?)))
    .collect()
}
