//! The answer bot's talks with customers on messaging channels: one
//! session per account and sender until the bot answers them or hands
//! them over, and each message it took (a turn), once per provider id.

use crate::{Conn, StoreError, q};
use domain::messaging::BotSessionState;
use domain::{BotSessionId, Channel, TicketId, Timestamp};

/// A customer's talk with the bot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BotSession {
    pub id: BotSessionId,
    pub locale: String,
    pub state: BotSessionState,
    pub updated_at: Timestamp,
}

/// One message the bot took: its record of the question (hashed token)
/// and whether it offered articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BotTurn {
    pub token_hash: Option<String>,
    pub offered: bool,
}

/// Where a talk is: channel, account (the provider's id of it) and the
/// customer's address on it.
#[derive(Debug, Clone, Copy)]
pub struct Party<'a> {
    pub channel: Channel,
    pub account: &'a str,
    pub sender: &'a str,
}

/// The sender's latest talk still with the bot, if it moved since `since`.
pub async fn open_session(
    c: &mut Conn<'_>,
    p: Party<'_>,
    since: Timestamp,
) -> Result<Option<BotSession>, StoreError> {
    let row = c
        .opt(
            q("SELECT id, locale, state, updated_at FROM channel_bot_sessions \
               WHERE channel = $1 AND account = $2 AND sender = $3 AND state = $4 AND updated_at >= $5 \
               ORDER BY id DESC LIMIT 1")
            .bind(p.channel)
            .bind(p.account)
            .bind(p.sender)
            .bind(BotSessionState::Bot)
            .bind(since),
        )
        .await?;
    row.map(|r| {
        Ok(BotSession {
            id: BotSessionId(r.int(0)?),
            locale: r.text(1)?,
            state: r.word(2)?,
            updated_at: Timestamp(r.int(3)?),
        })
    })
    .transpose()
}

/// Starts a talk with the bot.
pub async fn start_session(
    c: &mut Conn<'_>,
    p: Party<'_>,
    locale: &str,
    now: Timestamp,
) -> Result<BotSessionId, StoreError> {
    c.insert(
        q("INSERT INTO channel_bot_sessions (channel, account, sender, locale, state, started_at, updated_at) \
           VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id")
        .bind(p.channel)
        .bind(p.account)
        .bind(p.sender)
        .bind(locale)
        .bind(BotSessionState::Bot)
        .bind(now),
    )
    .await
    .map(BotSessionId)
}

/// Records a message the bot took; `false` when it took it before (the
/// provider's id is known), and then nothing is written.
pub async fn add_turn(
    c: &mut Conn<'_>,
    session: BotSessionId,
    p: Party<'_>,
    external_id: &str,
    turn: &BotTurn,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let row = c
        .opt(
            q("INSERT INTO channel_bot_turns (session_id, channel, account, external_id, token_hash, offered, at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (channel, account, external_id) DO NOTHING RETURNING id")
            .bind(session)
            .bind(p.channel)
            .bind(p.account)
            .bind(external_id)
            .bind(turn.token_hash.clone())
            .bind(turn.offered)
            .bind(now),
        )
        .await?;
    if row.is_none() {
        return Ok(false);
    }
    c.exec(
        q("UPDATE channel_bot_sessions SET updated_at = $2 WHERE id = $1")
            .bind(session)
            .bind(now),
    )
    .await?;
    Ok(true)
}

/// Whether the bot took this message before.
pub async fn took(c: &mut Conn<'_>, p: Party<'_>, external_id: &str) -> Result<bool, StoreError> {
    Ok(c.opt(
        q("SELECT 1 FROM channel_bot_turns WHERE channel = $1 AND account = $2 AND external_id = $3")
            .bind(p.channel)
            .bind(p.account)
            .bind(external_id),
    )
    .await?
    .is_some())
}

/// A talk's turns, oldest first.
pub async fn turns(c: &mut Conn<'_>, session: BotSessionId) -> Result<Vec<BotTurn>, StoreError> {
    let rows = c
        .all(
            q("SELECT token_hash, offered FROM channel_bot_turns WHERE session_id = $1 ORDER BY id")
                .bind(session),
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(BotTurn {
                token_hash: r.opt_text(0)?,
                offered: r.bool(1)?,
            })
        })
        .collect()
}

/// Ends a talk: answered, or handed over onto `ticket`.
pub async fn end_session(
    c: &mut Conn<'_>,
    session: BotSessionId,
    state: BotSessionState,
    ticket: Option<TicketId>,
    now: Timestamp,
) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE channel_bot_sessions SET state = $2, ticket_id = $3, updated_at = $4 WHERE id = $1")
            .bind(session)
            .bind(state)
            .bind(ticket)
            .bind(now),
    )
    .await?;
    Ok(())
}
