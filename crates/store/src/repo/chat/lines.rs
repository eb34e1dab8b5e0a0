//! The lines the widget shows: stored once by the widget's id of them, or
//! once per outgoing message they deliver.

use crate::{Conn, Row, StoreError, q};
use domain::chat::{ChatLine, LineAuthor, OfferedArticle};
use domain::{ChatConversationId, ChatLineId, OutboundId, Timestamp, UserId};

const LINE_COLS: &str =
    "id, conversation_id, author, agent_id, client_id, body, articles, created_at, files";

fn line(r: &Row) -> Result<ChatLine, StoreError> {
    let articles: Vec<OfferedArticle> = serde_json::from_str(&r.text(6)?).unwrap_or_default();
    Ok(ChatLine {
        id: ChatLineId(r.int(0)?),
        conversation: ChatConversationId(r.int(1)?),
        author: r.word::<LineAuthor>(2)?,
        agent: r.opt_int(3)?.map(UserId),
        client_id: r.opt_text(4)?,
        body: r.text(5)?,
        articles,
        created_at: Timestamp(r.int(7)?),
        files: serde_json::from_str(&r.text(8)?).unwrap_or_default(),
    })
}

/// The INSERT of a line, delivering `outbound` where it does; `then` is
/// what follows the values (a conflict clause, `RETURNING id`).
fn line_insert(l: &ChatLine, outbound: Option<OutboundId>, then: &str) -> crate::Query {
    let articles = serde_json::to_string(&l.articles).unwrap_or_else(|_| "[]".into());
    let files = serde_json::to_string(&l.files).unwrap_or_else(|_| "[]".into());
    q(format!(
        "INSERT INTO chat_lines (conversation_id, author, agent_id, client_id, outbound_id, body, articles, created_at, files) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) {then}"
    ))
    .bind(l.conversation)
    .bind(l.author.as_str())
    .bind(l.agent)
    .bind(l.client_id.as_deref())
    .bind(outbound)
    .bind(&l.body)
    .bind(articles)
    .bind(l.created_at)
    .bind(files)
}

/// One line, by id.
pub async fn line_by_id(c: &mut Conn<'_>, id: ChatLineId) -> Result<Option<ChatLine>, StoreError> {
    c.opt(q(format!("SELECT {LINE_COLS} FROM chat_lines WHERE id = $1")).bind(id))
        .await?
        .map(|r| line(&r))
        .transpose()
}

/// Stores a line by the visitor, the bot or atiende.
pub async fn insert_line(c: &mut Conn<'_>, l: &ChatLine) -> Result<ChatLineId, StoreError> {
    Ok(ChatLineId(
        c.insert(line_insert(l, None, "RETURNING id")).await?,
    ))
}

/// Stores the line that delivers an outgoing message, unless one did
/// already (another node's pass): `None` then.
pub async fn insert_line_once(
    c: &mut Conn<'_>,
    l: &ChatLine,
    outbound: OutboundId,
) -> Result<Option<ChatLineId>, StoreError> {
    c.opt(line_insert(
        l,
        Some(outbound),
        "ON CONFLICT (outbound_id) DO NOTHING RETURNING id",
    ))
    .await?
    .map(|r| r.int(0).map(ChatLineId))
    .transpose()
}

/// A visitor's line by the widget's id of it.
pub async fn line_by_client_id(
    c: &mut Conn<'_>,
    conversation: ChatConversationId,
    client_id: &str,
) -> Result<Option<ChatLine>, StoreError> {
    c.opt(
        q(format!(
            "SELECT {LINE_COLS} FROM chat_lines WHERE conversation_id = $1 AND client_id = $2"
        ))
        .bind(conversation)
        .bind(client_id),
    )
    .await?
    .map(|r| line(&r))
    .transpose()
}

/// A conversation's lines after `after`, oldest first, at most `limit`.
pub async fn lines_after(
    c: &mut Conn<'_>,
    conversation: ChatConversationId,
    after: ChatLineId,
    limit: i64,
) -> Result<Vec<ChatLine>, StoreError> {
    c.all(
        q(format!(
            "SELECT {LINE_COLS} FROM chat_lines WHERE conversation_id = $1 AND id > $2 ORDER BY id LIMIT $3"
        ))
        .bind(conversation)
        .bind(after)
        .bind(limit),
    )
    .await?
    .iter()
    .map(line)
    .collect()
}
