//! Frequent problems: topics learned from tickets' text (`text_topics`),
//! each ticket's text topic (`ticket_text_topics`), a period's tickets per
//! topic (from `report_tickets.topic`) and the spikes found
//! (`topic_spikes`).

use crate::{Conn, Row, StoreError, Value, q};
use domain::report::{Period, ReportFilter};
use domain::trends::{Spike, Topic};
use domain::{Channel, TextTopicId, TicketId, Timestamp, TopicSpikeId};
use std::collections::HashMap;

/// A topic learned from text, as stored.
#[derive(Debug, Clone)]
pub struct TextTopic {
    pub id: TextTopicId,
    /// Its centre: little-endian `f32`s.
    pub centre: Vec<u8>,
    pub size: i64,
    /// Its most frequent words with their counts, most first.
    pub words: Vec<(String, i64)>,
}

fn words_of(stored: &str) -> Vec<(String, i64)> {
    stored
        .lines()
        .filter_map(|l| {
            let (w, n) = l.rsplit_once(' ')?;
            Some((w.to_string(), n.parse().ok()?))
        })
        .collect()
}

fn stored_words(words: &[(String, i64)]) -> String {
    words
        .iter()
        .map(|(w, n)| format!("{w} {n}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn text_topic(r: &Row) -> Result<TextTopic, StoreError> {
    Ok(TextTopic {
        id: TextTopicId(r.int(0)?),
        centre: r.opt_bytes(1)?.unwrap_or_default(),
        size: r.int(2)?,
        words: words_of(&r.text(3)?),
    })
}

/// Every text topic a model made.
pub async fn text_topics(c: &mut Conn<'_>, model: &str) -> Result<Vec<TextTopic>, StoreError> {
    c.all(
        q("SELECT id, centre, size, words FROM text_topics WHERE model = $1 ORDER BY id")
            .bind(model),
    )
    .await?
    .iter()
    .map(text_topic)
    .collect()
}

/// Some text topics' words and sizes, to name them.
pub async fn text_topics_named(
    c: &mut Conn<'_>,
    ids: &[TextTopicId],
) -> Result<HashMap<TextTopicId, (Vec<(String, i64)>, i64)>, StoreError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let list = ids
        .iter()
        .map(|i| i.0.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    c.all(q(format!(
        "SELECT id, words, size FROM text_topics WHERE id IN ({list})"
    )))
    .await?
    .iter()
    .map(|r| Ok((TextTopicId(r.int(0)?), (words_of(&r.text(1)?), r.int(2)?))))
    .collect()
}

/// Keeps a new text topic; its id.
pub async fn insert_text_topic(
    c: &mut Conn<'_>,
    model: &str,
    centre: &[u8],
    size: i64,
    words: &[(String, i64)],
    now: Timestamp,
) -> Result<TextTopicId, StoreError> {
    Ok(TextTopicId(
        c.insert(
            q(
                "INSERT INTO text_topics (model, centre, size, words, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
            )
            .bind(model)
            .bind(centre.to_vec())
            .bind(size)
            .bind(stored_words(words))
            .bind(now),
        )
        .await?,
    ))
}

/// Writes a text topic's moved centre, size and words.
pub async fn update_text_topic(
    c: &mut Conn<'_>,
    id: TextTopicId,
    centre: &[u8],
    size: i64,
    words: &[(String, i64)],
    now: Timestamp,
) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE text_topics SET centre = $2, size = $3, words = $4, updated_at = $5 WHERE id = $1")
            .bind(id)
            .bind(centre.to_vec())
            .bind(size)
            .bind(stored_words(words))
            .bind(now),
    )
    .await?;
    Ok(())
}

/// The text topics of these tickets, where decided by `model`.
pub async fn text_topics_of(
    c: &mut Conn<'_>,
    model: &str,
    tickets: &[TicketId],
) -> Result<HashMap<TicketId, TextTopicId>, StoreError> {
    if tickets.is_empty() {
        return Ok(HashMap::new());
    }
    let list = tickets
        .iter()
        .map(|i| i.0.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    c.all(
        q(format!(
            "SELECT ticket_id, topic_id FROM ticket_text_topics WHERE model = $1 AND ticket_id IN ({list})"
        ))
        .bind(model),
    )
    .await?
    .iter()
    .map(|r| Ok((TicketId(r.int(0)?), TextTopicId(r.int(1)?))))
    .collect()
}

/// Records a ticket's text topic (decided once: a second decision for
/// the same ticket and model is ignored).
pub async fn set_text_topic(
    c: &mut Conn<'_>,
    ticket: TicketId,
    topic: TextTopicId,
    model: &str,
) -> Result<(), StoreError> {
    c.exec(
        q("INSERT INTO ticket_text_topics (ticket_id, topic_id, model) VALUES ($1, $2, $3) \
           ON CONFLICT (ticket_id) DO UPDATE SET topic_id = EXCLUDED.topic_id, model = EXCLUDED.model \
           WHERE ticket_text_topics.model <> EXCLUDED.model")
        .bind(ticket)
        .bind(topic)
        .bind(model),
    )
    .await?;
    Ok(())
}

/// Forgets a deleted ticket's text topic.
pub async fn forget_ticket(c: &mut Conn<'_>, ticket: TicketId) -> Result<(), StoreError> {
    c.exec(q("DELETE FROM ticket_text_topics WHERE ticket_id = $1").bind(ticket))
        .await?;
    Ok(())
}

/// A period's new tickets per topic and channel, filtered.
pub async fn counts(
    c: &mut Conn<'_>,
    period: Period,
    filter: &ReportFilter,
) -> Result<Vec<(Topic, Channel, i64)>, StoreError> {
    let mut args: Vec<Value> = vec![period.from.into(), period.to.into()];
    let cond = super::reports::conditions(filter, &mut args);
    let mut query = q(format!(
        "SELECT topic, channel, COUNT(*) FROM report_tickets \
         WHERE created_at >= $1 AND created_at < $2 AND topic IS NOT NULL{cond} \
         GROUP BY topic, channel"
    ));
    query.args = args;
    Ok(c.all(query)
        .await?
        .iter()
        .filter_map(|r| {
            let topic = Topic::parse(&r.text(0).ok()?)?;
            Some((topic, r.word(1).ok()?, r.int(2).ok()?))
        })
        .collect())
}

/// A topic's newest tickets in a period (filtered), at most `n`.
pub async fn examples(
    c: &mut Conn<'_>,
    topic: &Topic,
    period: Period,
    filter: &ReportFilter,
    n: i64,
) -> Result<Vec<TicketId>, StoreError> {
    let mut args: Vec<Value> = vec![period.from.into(), period.to.into(), topic.key().into()];
    let cond = super::reports::conditions(filter, &mut args);
    args.push(n.into());
    let mut query = q(format!(
        "SELECT ticket_id FROM report_tickets \
         WHERE topic = $3 AND created_at >= $1 AND created_at < $2{cond} \
         ORDER BY created_at DESC, ticket_id DESC LIMIT ${}",
        args.len()
    ));
    query.args = args;
    c.all(query)
        .await?
        .iter()
        .map(|r| Ok(TicketId(r.int(0)?)))
        .collect()
}

/// New tickets per topic in `[from, to)` (every channel).
pub async fn counts_between(
    c: &mut Conn<'_>,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<(Topic, i64)>, StoreError> {
    Ok(c.all(
        q("SELECT topic, COUNT(*) FROM report_tickets \
           WHERE created_at >= $1 AND created_at < $2 AND topic IS NOT NULL GROUP BY topic")
        .bind(from)
        .bind(to),
    )
    .await?
    .iter()
    .filter_map(|r| Some((Topic::parse(&r.text(0).ok()?)?, r.int(1).ok()?)))
    .collect())
}

/// One topic's new tickets in `[from, to)`.
pub async fn count_of(
    c: &mut Conn<'_>,
    topic: &Topic,
    from: Timestamp,
    to: Timestamp,
) -> Result<i64, StoreError> {
    c.scalar(
        q("SELECT COUNT(*) FROM report_tickets WHERE topic = $1 AND created_at >= $2 AND created_at < $3")
            .bind(topic.key())
            .bind(from)
            .bind(to),
    )
    .await
}

/// Whether a spike of this topic was found at or after `since`.
pub async fn spiked_since(
    c: &mut Conn<'_>,
    topic: &Topic,
    since: Timestamp,
) -> Result<bool, StoreError> {
    Ok(c.opt(
        q("SELECT 1 FROM topic_spikes WHERE topic = $1 AND detected_at >= $2 LIMIT 1")
            .bind(topic.key())
            .bind(since),
    )
    .await?
    .is_some())
}

/// Keeps a spike found; its id.
pub async fn insert_spike(c: &mut Conn<'_>, s: &Spike) -> Result<TopicSpikeId, StoreError> {
    Ok(TopicSpikeId(
        c.insert(
            q("INSERT INTO topic_spikes (topic, name, tickets, week_before, hour_from, detected_at) \
               VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
            .bind(s.topic.key())
            .bind(s.name.as_str())
            .bind(s.tickets)
            .bind(s.week_before)
            .bind(s.hour_from)
            .bind(s.detected_at),
        )
        .await?,
    ))
}

/// The spikes found at or after `since`, newest first.
pub async fn spikes_since(c: &mut Conn<'_>, since: Timestamp) -> Result<Vec<Spike>, StoreError> {
    Ok(c.all(
        q("SELECT id, topic, name, tickets, week_before, hour_from, detected_at FROM topic_spikes \
           WHERE detected_at >= $1 ORDER BY detected_at DESC, id DESC LIMIT 50")
        .bind(since),
    )
    .await?
    .iter()
    .filter_map(|r| {
        Some(Spike {
            id: TopicSpikeId(r.int(0).ok()?),
            topic: Topic::parse(&r.text(1).ok()?)?,
            name: r.text(2).ok()?,
            tickets: r.int(3).ok()?,
            week_before: r.int(4).ok()?,
            hour_from: Timestamp(r.int(5).ok()?),
            detected_at: Timestamp(r.int(6).ok()?),
        })
    })
    .collect())
}
