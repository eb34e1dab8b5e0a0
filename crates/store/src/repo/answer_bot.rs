//! The answer bot's rows: the public articles it reads (with their machine
//! translations), the translations still to make, and the questions it
//! was asked with what became of them.

use crate::{Conn, StoreError, q};
use domain::{ArticleId, Timestamp, TranslationId, UserId};

/// One public article text as the bot reads it.
#[derive(Debug, Clone)]
pub struct BotText {
    pub translation: TranslationId,
    pub article: ArticleId,
    pub locale: String,
    pub title: String,
    pub body: String,
    /// Its machine translation (title, body), where one is stored.
    pub machine: Option<(String, String)>,
    /// Its sentence vectors (little-endian `f32`s, one vector after the
    /// other) and the model that made them, where stored.
    pub vectors: Option<(String, Vec<u8>)>,
    /// Other ways customers ask it, one per line (its authors').
    pub phrasings: String,
}

/// Every published translation of every public article (public: not
/// archived, for no user segment — the bot answers anyone).
pub async fn public_texts(c: &mut Conn<'_>) -> Result<Vec<BotText>, StoreError> {
    let rows = c
        .all(q(
            "SELECT t.id, t.article_id, t.locale, t.title, t.body, m.title, m.body, v.model, v.vectors, p.phrasings \
             FROM hc_translations t JOIN hc_articles a ON a.id = t.article_id \
             LEFT JOIN hc_machine_translations m ON m.translation_id = t.id \
             LEFT JOIN hc_article_vectors v ON v.translation_id = t.id \
             LEFT JOIN hc_bot_phrasings p ON p.translation_id = t.id \
             WHERE t.draft = FALSE AND a.archived_at IS NULL AND a.user_segment_id IS NULL \
             ORDER BY t.id",
        ))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(BotText {
                translation: TranslationId(r.int(0)?),
                article: ArticleId(r.int(1)?),
                locale: r.text(2)?,
                title: r.text(3)?,
                body: r.text(4)?,
                machine: match (r.opt_text(5)?, r.opt_text(6)?) {
                    (Some(t), Some(b)) => Some((t, b)),
                    _ => None,
                },
                vectors: match (r.opt_text(7)?, r.opt_bytes(8)?) {
                    (Some(model), Some(v)) => Some((model, v)),
                    _ => None,
                },
                phrasings: r.opt_text(9)?.unwrap_or_default(),
            })
        })
        .collect()
}

/// What changes when customers say whether answers helped.
pub async fn feedback_version(c: &mut Conn<'_>) -> Result<i64, StoreError> {
    c.scalar(q(
        "SELECT COUNT(*) * 1000000000 + COALESCE(MAX(updated_at), 0) FROM bot_interactions \
         WHERE resolved_article_id IS NOT NULL OR rejected_article_id IS NOT NULL",
    ))
    .await
}

/// What customers said of the bot's answers, newest first: (their
/// question, the article, whether it helped).
pub async fn feedback_given(
    c: &mut Conn<'_>,
    limit: i64,
) -> Result<Vec<(String, ArticleId, bool)>, StoreError> {
    let rows = c
        .all(
            q("SELECT enquiry, resolved_article_id, rejected_article_id FROM bot_interactions \
               WHERE resolved_article_id IS NOT NULL OR rejected_article_id IS NOT NULL ORDER BY id DESC LIMIT $1")
            .bind(limit),
        )
        .await?;
    let mut out = Vec::new();
    for r in &rows {
        let enquiry = r.text(0)?;
        if let Some(a) = r.opt_int(1)? {
            out.push((enquiry.clone(), ArticleId(a), true));
        }
        if let Some(a) = r.opt_int(2)? {
            out.push((enquiry, ArticleId(a), false));
        }
    }
    Ok(out)
}

/// Which of these article texts are public now (published, of an article
/// neither archived nor for a user segment).
pub async fn still_public(
    c: &mut Conn<'_>,
    ids: &[TranslationId],
) -> Result<std::collections::HashSet<TranslationId>, StoreError> {
    let mut query = q(format!(
        "SELECT t.id FROM hc_translations t JOIN hc_articles a ON a.id = t.article_id \
         WHERE t.id IN ({}) AND t.draft = FALSE AND a.archived_at IS NULL AND a.user_segment_id IS NULL",
        crate::paging::placeholders(1, ids.len())
    ));
    for id in ids {
        query = query.bind(*id);
    }
    c.all(query)
        .await?
        .iter()
        .map(|r| Ok(TranslationId(r.int(0)?)))
        .collect()
}

/// What changes when the bot's articles change: the article texts, the
/// articles (archived, restricted), their machine translations and their
/// sentence vectors.
pub async fn version(c: &mut Conn<'_>) -> Result<(i64, i64, i64, i64), StoreError> {
    let texts = c
        .opt(q(
            "SELECT COUNT(*), COALESCE(MAX(updated_at), 0) FROM hc_translations WHERE article_id IS NOT NULL",
        ))
        .await?;
    let articles = c
        .scalar(q("SELECT COALESCE(MAX(updated_at), 0) FROM hc_articles"))
        .await?;
    let machine = c
        .scalar(q(
            "SELECT COUNT(*) * 1000000000 + COALESCE(MAX(created_at), 0) FROM hc_machine_translations",
        ))
        .await?;
    let vectors = c
        .scalar(q(
            "SELECT (SELECT COUNT(*) * 1000000000 + COALESCE(MAX(created_at), 0) FROM hc_article_vectors) \
             + (SELECT COUNT(*) * 1000000000 + COALESCE(MAX(updated_at), 0) FROM hc_bot_phrasings)",
        ))
        .await?;
    let (n, last) = match texts {
        Some(r) => (r.int(0)?, r.int(1)?),
        None => (0, 0),
    };
    Ok((n * 1_000_000_000 + last, articles, machine, vectors))
}

/// An article text whose sentence vectors are still to make (never, by
/// another model, or before its last change).
#[derive(Debug, Clone)]
pub struct Unencoded {
    pub translation: TranslationId,
    pub title: String,
    pub body: String,
    /// Other ways customers ask it, one per line.
    pub phrasings: String,
    pub updated_at: Timestamp,
}

pub async fn unencoded(
    c: &mut Conn<'_>,
    model: &str,
    limit: i64,
) -> Result<Vec<Unencoded>, StoreError> {
    let rows = c
        .all(
            q("SELECT t.id, t.title, t.body, t.updated_at, p.phrasings, p.updated_at FROM hc_translations t \
               LEFT JOIN hc_article_vectors v ON v.translation_id = t.id \
               LEFT JOIN hc_bot_phrasings p ON p.translation_id = t.id \
               WHERE t.article_id IS NOT NULL AND (v.translation_id IS NULL OR v.model <> $1 \
                 OR v.source_updated_at < t.updated_at OR v.source_updated_at < COALESCE(p.updated_at, 0)) \
               ORDER BY t.id LIMIT $2")
            .bind(model)
            .bind(limit),
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Unencoded {
                translation: TranslationId(r.int(0)?),
                title: r.text(1)?,
                body: r.text(2)?,
                phrasings: r.opt_text(4)?.unwrap_or_default(),
                // What the vectors are of: the text and the phrasings.
                updated_at: Timestamp(r.int(3)?.max(r.opt_int(5)?.unwrap_or(0))),
            })
        })
        .collect()
}

/// Stores a text's vectors (unless the text was deleted meanwhile).
pub async fn save_vectors(
    c: &mut Conn<'_>,
    translation: TranslationId,
    model: &str,
    vectors: Vec<u8>,
    source_updated_at: Timestamp,
    now: Timestamp,
) -> Result<(), StoreError> {
    c.exec(
        q("INSERT INTO hc_article_vectors (translation_id, model, vectors, source_updated_at, created_at) \
           SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM hc_translations WHERE id = $1) \
           ON CONFLICT (translation_id) DO UPDATE SET model = EXCLUDED.model, vectors = EXCLUDED.vectors, \
           source_updated_at = EXCLUDED.source_updated_at, created_at = EXCLUDED.created_at")
        .bind(translation)
        .bind(model)
        .bind(vectors)
        .bind(source_updated_at)
        .bind(now),
    )
    .await?;
    Ok(())
}

/// An article text still to machine-translate (never, or before its
/// last change).
#[derive(Debug, Clone)]
pub struct Untranslated {
    pub translation: TranslationId,
    pub locale: String,
    pub title: String,
    pub body: String,
    pub updated_at: Timestamp,
}

pub async fn untranslated(c: &mut Conn<'_>, limit: i64) -> Result<Vec<Untranslated>, StoreError> {
    let rows = c
        .all(
            q("SELECT t.id, t.locale, t.title, t.body, t.updated_at FROM hc_translations t \
               LEFT JOIN hc_machine_translations m ON m.translation_id = t.id \
               WHERE t.article_id IS NOT NULL AND (m.translation_id IS NULL OR m.source_updated_at < t.updated_at) \
               ORDER BY t.id LIMIT $1")
            .bind(limit),
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Untranslated {
                translation: TranslationId(r.int(0)?),
                locale: r.text(1)?,
                title: r.text(2)?,
                body: r.text(3)?,
                updated_at: Timestamp(r.int(4)?),
            })
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
pub async fn save_machine_translation(
    c: &mut Conn<'_>,
    translation: TranslationId,
    locale: &str,
    title: &str,
    body: &str,
    source_updated_at: Timestamp,
    now: Timestamp,
) -> Result<(), StoreError> {
    c.exec(
        q("INSERT INTO hc_machine_translations (translation_id, locale, title, body, source_updated_at, created_at) \
           SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM hc_translations WHERE id = $1) \
           ON CONFLICT (translation_id) DO UPDATE SET locale = EXCLUDED.locale, title = EXCLUDED.title, body = EXCLUDED.body, \
           source_updated_at = EXCLUDED.source_updated_at, created_at = EXCLUDED.created_at")
        .bind(translation)
        .bind(locale)
        .bind(title)
        .bind(body)
        .bind(source_updated_at)
        .bind(now),
    )
    .await?;
    Ok(())
}

/// One question the bot was asked.
#[derive(Debug, Clone)]
pub struct Interaction {
    pub user: Option<UserId>,
    pub enquiry: String,
    pub locale: String,
    pub articles: Vec<ArticleId>,
    pub handover: bool,
    pub reason: &'static str,
    pub confidence: f64,
    pub at: Timestamp,
}

pub async fn insert_interaction(
    c: &mut Conn<'_>,
    token_hash: &str,
    i: &Interaction,
) -> Result<i64, StoreError> {
    let ids: Vec<String> = i.articles.iter().map(|a| a.0.to_string()).collect();
    c.insert(
        q("INSERT INTO bot_interactions (token_hash, user_id, enquiry, locale, article_ids, handover, reason, confidence, created_at, updated_at) \
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id")
        .bind(token_hash)
        .bind(i.user)
        .bind(i.enquiry.as_str())
        .bind(i.locale.as_str())
        .bind(ids.join(","))
        .bind(i.handover)
        .bind(i.reason)
        .bind(i.confidence)
        .bind(i.at),
    )
    .await
}

/// Records what the customer said of an answered article; `None` when the
/// token is unknown or the article was not among the answers.
pub async fn feedback(
    c: &mut Conn<'_>,
    token_hash: &str,
    article: ArticleId,
    resolved: bool,
    now: Timestamp,
) -> Result<Option<i64>, StoreError> {
    let Some(row) = c
        .opt(
            q("SELECT id, article_ids FROM bot_interactions WHERE token_hash = $1")
                .bind(token_hash),
        )
        .await?
    else {
        return Ok(None);
    };
    let id = row.int(0)?;
    let offered = row.text(1)?.split(',').any(|x| x == article.0.to_string());
    if !offered {
        return Ok(None);
    }
    let column = if resolved {
        "resolved_article_id"
    } else {
        "rejected_article_id"
    };
    c.exec(
        q(format!(
            "UPDATE bot_interactions SET {column} = $2, updated_at = $3 WHERE id = $1"
        ))
        .bind(id)
        .bind(article)
        .bind(now),
    )
    .await?;
    Ok(Some(id))
}

/// Notes that the customer opened an article the bot suggested.
pub async fn opened(
    c: &mut Conn<'_>,
    token_hash: &str,
    article: ArticleId,
    now: Timestamp,
) -> Result<u64, StoreError> {
    c.exec(
        q(
            "UPDATE bot_interactions SET opened_article_id = $2, updated_at = $3 \
           WHERE token_hash = $1 AND (',' || article_ids || ',') LIKE $4",
        )
        .bind(token_hash)
        .bind(article)
        .bind(now)
        .bind(format!("%,{},%", article.0)),
    )
    .await
}

/// Notes the request that followed the bot's suggestions (no deflection).
pub async fn followed_by(
    c: &mut Conn<'_>,
    token_hash: &str,
    ticket: domain::TicketId,
    now: Timestamp,
) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE bot_interactions SET ticket_id = $2, updated_at = $3 WHERE token_hash = $1")
            .bind(token_hash)
            .bind(ticket)
            .bind(now),
    )
    .await?;
    Ok(())
}

/// How many suggestions were opened, and how many of those were not
/// followed by a request (deflections), since a time.
pub async fn deflections_since(
    c: &mut Conn<'_>,
    since: Timestamp,
) -> Result<(i64, i64), StoreError> {
    let opened = c
        .scalar(
            q("SELECT COUNT(*) FROM bot_interactions WHERE opened_article_id IS NOT NULL AND created_at >= $1")
                .bind(since),
        )
        .await?;
    let deflected = c
        .scalar(
            q("SELECT COUNT(*) FROM bot_interactions WHERE opened_article_id IS NOT NULL AND ticket_id IS NULL AND created_at >= $1")
                .bind(since),
        )
        .await?;
    Ok((opened, deflected))
}

/// One recorded question, for admins.
#[derive(Debug, Clone)]
pub struct Asked {
    pub enquiry: String,
    pub locale: String,
    pub handover: bool,
    pub reason: String,
    pub articles: Vec<ArticleId>,
    pub resolved: Option<ArticleId>,
    pub rejected: Option<ArticleId>,
    pub opened: Option<ArticleId>,
    pub ticket: Option<domain::TicketId>,
    pub at: Timestamp,
}

const ASKED_COLS: &str = "enquiry, locale, handover, reason, article_ids, resolved_article_id, rejected_article_id, \
     opened_article_id, ticket_id, created_at";

fn asked(r: &crate::Row) -> Result<Asked, StoreError> {
    Ok(Asked {
        enquiry: r.text(0)?,
        locale: r.text(1)?,
        handover: r.bool(2)?,
        reason: r.text(3)?,
        articles: r
            .text(4)?
            .split(',')
            .filter_map(|s| s.parse().ok().map(ArticleId))
            .collect(),
        resolved: r.opt_int(5)?.map(ArticleId),
        rejected: r.opt_int(6)?.map(ArticleId),
        opened: r.opt_int(7)?.map(ArticleId),
        ticket: r.opt_int(8)?.map(domain::TicketId),
        at: Timestamp(r.int(9)?),
    })
}

/// The latest questions, newest first.
pub async fn recent(c: &mut Conn<'_>, limit: i64) -> Result<Vec<Asked>, StoreError> {
    c.all(
        q(format!(
            "SELECT {ASKED_COLS} FROM bot_interactions ORDER BY id DESC LIMIT $1"
        ))
        .bind(limit),
    )
    .await?
    .iter()
    .map(asked)
    .collect()
}

/// The question a token was given for.
pub async fn asked_by_token(
    c: &mut Conn<'_>,
    token_hash: &str,
) -> Result<Option<Asked>, StoreError> {
    c.opt(
        q(format!(
            "SELECT {ASKED_COLS} FROM bot_interactions WHERE token_hash = $1"
        ))
        .bind(token_hash),
    )
    .await?
    .map(|r| asked(&r))
    .transpose()
}

/// Counts since a time: questions answered, handed over, and answers
/// customers said helped and did not.
pub async fn counts_since(c: &mut Conn<'_>, since: Timestamp) -> Result<[i64; 4], StoreError> {
    let mut out = [0; 4];
    let conds = [
        "handover = FALSE",
        "handover = TRUE",
        "resolved_article_id IS NOT NULL",
        "rejected_article_id IS NOT NULL",
    ];
    for (i, cond) in conds.iter().enumerate() {
        out[i] = c
            .scalar(
                q(format!(
                    "SELECT COUNT(*) FROM bot_interactions WHERE created_at >= $1 AND {cond}"
                ))
                .bind(since),
            )
            .await?;
    }
    Ok(out)
}

/// Counts of the questions asked within `[from, to)`: answered, handed
/// over, said it helped, said it did not, suggestions opened, and of
/// those no request followed (deflected).
pub async fn counts_between(
    c: &mut Conn<'_>,
    (from, to): (Timestamp, Timestamp),
) -> Result<[i64; 6], StoreError> {
    let mut out = [0; 6];
    let conds = [
        "handover = FALSE",
        "handover = TRUE",
        "resolved_article_id IS NOT NULL",
        "rejected_article_id IS NOT NULL",
        "opened_article_id IS NOT NULL",
        "opened_article_id IS NOT NULL AND ticket_id IS NULL",
    ];
    for (i, cond) in conds.iter().enumerate() {
        out[i] = c
            .scalar(
                q(format!(
                    "SELECT COUNT(*) FROM bot_interactions WHERE created_at >= $1 AND created_at < $2 AND {cond}"
                ))
                .bind(from)
                .bind(to),
            )
            .await?;
    }
    Ok(out)
}

/// The latest questions no article answered (not those asking for a
/// person), newest first: the knowledge gaps.
pub async fn unanswered(
    c: &mut Conn<'_>,
    limit: i64,
) -> Result<Vec<(String, Timestamp)>, StoreError> {
    let rows = c
        .all(
            q("SELECT enquiry, created_at FROM bot_interactions WHERE reason = 'no_good_match' ORDER BY id DESC LIMIT $1")
                .bind(limit),
        )
        .await?;
    rows.iter()
        .map(|r| Ok((r.text(0)?, Timestamp(r.int(1)?))))
        .collect()
}

/// An article text's phrasings (one per line; empty when none).
pub async fn phrasings(c: &mut Conn<'_>, translation: TranslationId) -> Result<String, StoreError> {
    Ok(c.opt(
        q("SELECT phrasings FROM hc_bot_phrasings WHERE translation_id = $1").bind(translation),
    )
    .await?
    .map(|r| r.text(0))
    .transpose()?
    .unwrap_or_default())
}

/// Sets an article text's phrasings (none: removed).
pub async fn set_phrasings(
    c: &mut Conn<'_>,
    translation: TranslationId,
    phrasings: &str,
    now: Timestamp,
) -> Result<(), StoreError> {
    if phrasings.is_empty() {
        c.exec(q("DELETE FROM hc_bot_phrasings WHERE translation_id = $1").bind(translation))
            .await?;
        // Its vectors held the phrasings: made again without them.
        c.exec(q("DELETE FROM hc_article_vectors WHERE translation_id = $1").bind(translation))
            .await?;
        return Ok(());
    }
    c.exec(
        q("INSERT INTO hc_bot_phrasings (translation_id, phrasings, updated_at) VALUES ($1, $2, $3) \
           ON CONFLICT (translation_id) DO UPDATE SET phrasings = EXCLUDED.phrasings, updated_at = EXCLUDED.updated_at")
        .bind(translation)
        .bind(phrasings)
        .bind(now),
    )
    .await?;
    Ok(())
}
