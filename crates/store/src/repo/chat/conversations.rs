//! Chat conversations: their state, case, pre-chat answers, and who
//! answers them (offers, the agent, by email, what an agent has seen).

use crate::{Conn, Row, StoreError, q};
use domain::chat::{Attendance, Conversation, ConversationState};
use domain::{
    ChatConversationId, ChatLineId, ChatVisitorId, ChatWidgetId, TicketId, Timestamp, UserId,
};

const CONVERSATION_COLS: &str = "id, visitor_id, widget_id, state, locale, name, email, topic, ticket_id, started_at, updated_at, ended_at, agent_id, offered_to, offered_at, by_email, seen_line";

fn conversation_row(r: &Row) -> Result<Conversation, StoreError> {
    Ok(Conversation {
        id: ChatConversationId(r.int(0)?),
        visitor: ChatVisitorId(r.int(1)?),
        widget: ChatWidgetId(r.int(2)?),
        state: r.word::<ConversationState>(3)?,
        locale: r.text(4)?,
        name: r.opt_text(5)?,
        email: r.opt_text(6)?,
        topic: r.opt_text(7)?,
        ticket: r.opt_int(8)?.map(TicketId),
        started_at: Timestamp(r.int(9)?),
        updated_at: Timestamp(r.int(10)?),
        ended_at: r.opt_int(11)?.map(Timestamp),
        attendance: Attendance {
            agent: r.opt_int(12)?.map(UserId),
            offered_to: r.opt_int(13)?.map(UserId),
            offered_at: r.opt_int(14)?.map(Timestamp),
            by_email: r.bool(15)?,
            seen_line: r.opt_int(16)?.map(ChatLineId),
        },
    })
}

pub async fn insert_conversation(
    c: &mut Conn<'_>,
    v: &Conversation,
) -> Result<ChatConversationId, StoreError> {
    Ok(ChatConversationId(
        c.insert(
            q("INSERT INTO chat_conversations (visitor_id, widget_id, state, locale, name, email, topic, ticket_id, started_at, updated_at, ended_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id")
                .bind(v.visitor)
                .bind(v.widget)
                .bind(v.state.as_str())
                .bind(&v.locale)
                .bind(v.name.as_deref())
                .bind(v.email.as_deref())
                .bind(v.topic.as_deref())
                .bind(v.ticket)
                .bind(v.started_at)
                .bind(v.updated_at)
                .bind(v.ended_at),
        )
        .await?,
    ))
}

/// Writes a conversation's state, case, end and who answers it (not
/// what an agent has seen: [`mark_seen`] moves that alone).
pub async fn update_conversation(c: &mut Conn<'_>, v: &Conversation) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE chat_conversations SET state = $2, ticket_id = $3, updated_at = $4, ended_at = $5, agent_id = $6, offered_to = $7, offered_at = $8, by_email = $9 WHERE id = $1")
            .bind(v.id)
            .bind(v.state.as_str())
            .bind(v.ticket)
            .bind(v.updated_at)
            .bind(v.ended_at)
            .bind(v.attendance.agent)
            .bind(v.attendance.offered_to)
            .bind(v.attendance.offered_at)
            .bind(v.attendance.by_email),
    )
    .await?;
    Ok(())
}

pub async fn conversation(
    c: &mut Conn<'_>,
    id: ChatConversationId,
) -> Result<Option<Conversation>, StoreError> {
    c.opt(
        q(format!(
            "SELECT {CONVERSATION_COLS} FROM chat_conversations WHERE id = $1"
        ))
        .bind(id),
    )
    .await?
    .map(|r| conversation_row(&r))
    .transpose()
}

/// A visitor's latest conversation that has not ended.
pub async fn open_conversation_of(
    c: &mut Conn<'_>,
    visitor: ChatVisitorId,
) -> Result<Option<Conversation>, StoreError> {
    c.opt(
        q(format!(
            "SELECT {CONVERSATION_COLS} FROM chat_conversations WHERE visitor_id = $1 AND state <> 'ended' ORDER BY id DESC LIMIT 1"
        ))
        .bind(visitor),
    )
    .await?
    .map(|r| conversation_row(&r))
    .transpose()
}

/// The latest conversation on a ticket from one visitor.
pub async fn conversation_on_ticket(
    c: &mut Conn<'_>,
    visitor: ChatVisitorId,
    ticket: TicketId,
) -> Result<Option<Conversation>, StoreError> {
    c.opt(
        q(format!(
            "SELECT {CONVERSATION_COLS} FROM chat_conversations WHERE visitor_id = $1 AND ticket_id = $2 ORDER BY id DESC LIMIT 1"
        ))
        .bind(visitor)
        .bind(ticket),
    )
    .await?
    .map(|r| conversation_row(&r))
    .transpose()
}

/// The chat going on for a ticket, if one is.
pub async fn open_conversation_on(
    c: &mut Conn<'_>,
    ticket: TicketId,
) -> Result<Option<Conversation>, StoreError> {
    c.opt(
        q(format!(
            "SELECT {CONVERSATION_COLS} FROM chat_conversations WHERE ticket_id = $1 AND state = 'waiting' ORDER BY id DESC LIMIT 1"
        ))
        .bind(ticket),
    )
    .await?
    .map(|r| conversation_row(&r))
    .transpose()
}

/// Conversations, newest first, before `before`, in `state` if given.
pub async fn conversations_page(
    c: &mut Conn<'_>,
    state: Option<ConversationState>,
    before: Option<ChatConversationId>,
    limit: i64,
) -> Result<Vec<Conversation>, StoreError> {
    let rows = c
        .all(
            q(format!(
                "SELECT {CONVERSATION_COLS} FROM chat_conversations WHERE ($1 = '' OR state = $1) AND id < $2 ORDER BY id DESC LIMIT $3"
            ))
            .bind(state.map_or("", |s| s.as_str()))
            .bind(before.map_or(i64::MAX, |b| b.0))
            .bind(limit),
        )
        .await?;
    rows.iter().map(conversation_row).collect()
}

/// The chats handed to people that an agent is offered or talking in,
/// oldest first (the workspace's chat tabs).
pub async fn attended_by(
    c: &mut Conn<'_>,
    agent: UserId,
) -> Result<Vec<(Conversation, Option<ChatLineId>)>, StoreError> {
    // Each with the latest line its visitor wrote (for "not seen yet").
    let cols = CONVERSATION_COLS
        .split(", ")
        .map(|col| format!("v.{col}"))
        .collect::<Vec<_>>()
        .join(", ");
    let rows = c
        .all(
            q(format!(
                "SELECT {cols}, (SELECT MAX(l.id) FROM chat_lines l WHERE l.conversation_id = v.id AND l.author = 'visitor') \
                 FROM chat_conversations v WHERE (v.offered_to = $1 OR v.agent_id = $1) AND v.state = 'waiting' ORDER BY v.id LIMIT 50"
            ))
            .bind(agent),
        )
        .await?;
    let last = CONVERSATION_COLS.split(", ").count();
    rows.iter()
        .map(|r| Ok((conversation_row(r)?, r.opt_int(last)?.map(ChatLineId))))
        .collect()
}

/// Offers made before `before` and not yet answered.
pub async fn offers_made_before(
    c: &mut Conn<'_>,
    before: Timestamp,
) -> Result<Vec<Conversation>, StoreError> {
    let rows = c
        .all(
            q(format!(
                "SELECT {CONVERSATION_COLS} FROM chat_conversations WHERE offered_to IS NOT NULL AND offered_at <= $1 AND state = 'waiting' ORDER BY id LIMIT 200"
            ))
            .bind(before),
        )
        .await?;
    rows.iter().map(conversation_row).collect()
}

/// Writes who answers a chat still handed to people (nothing for one
/// that ended meanwhile: `false`). Only these columns: a concurrent end or
/// line is not overwritten.
pub async fn set_attendance(
    c: &mut Conn<'_>,
    id: ChatConversationId,
    a: &Attendance,
    now: Timestamp,
) -> Result<bool, StoreError> {
    Ok(c.exec(
        q("UPDATE chat_conversations SET agent_id = $2, offered_to = $3, offered_at = $4, by_email = $5, updated_at = $6 WHERE id = $1 AND state = 'waiting'")
            .bind(id)
            .bind(a.agent)
            .bind(a.offered_to)
            .bind(a.offered_at)
            .bind(a.by_email)
            .bind(now),
    )
    .await?
        > 0)
}

/// Withdraws the offer of a chat to `agent`, if it still stands (`false`
/// when the agent accepted meanwhile, or it went elsewhere or ended).
pub async fn withdraw_offer(
    c: &mut Conn<'_>,
    id: ChatConversationId,
    agent: UserId,
    now: Timestamp,
) -> Result<bool, StoreError> {
    Ok(c.exec(
        q("UPDATE chat_conversations SET offered_to = NULL, offered_at = NULL, updated_at = $3 WHERE id = $1 AND offered_to = $2 AND state = 'waiting'")
            .bind(id)
            .bind(agent)
            .bind(now),
    )
    .await?
        > 0)
}

/// Ends a chat that has not ended (`false` if it had), touching nothing
/// else of it.
pub async fn end_conversation(
    c: &mut Conn<'_>,
    id: ChatConversationId,
    now: Timestamp,
) -> Result<bool, StoreError> {
    Ok(c.exec(
        q("UPDATE chat_conversations SET state = 'ended', ended_at = $2, updated_at = $2 WHERE id = $1 AND state <> 'ended'")
            .bind(id)
            .bind(now),
    )
    .await?
        > 0)
}

/// The address a visitor gave for replies by email.
pub async fn set_email(
    c: &mut Conn<'_>,
    id: ChatConversationId,
    email: &str,
) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE chat_conversations SET email = $2 WHERE id = $1")
            .bind(id)
            .bind(email),
    )
    .await?;
    Ok(())
}

/// The address a chat on a ticket continues at by email, if it does.
pub async fn reply_email_on(
    c: &mut Conn<'_>,
    ticket: TicketId,
) -> Result<Option<String>, StoreError> {
    Ok(c
        .opt(
            q("SELECT email FROM chat_conversations WHERE ticket_id = $1 AND state = 'waiting' AND by_email AND email IS NOT NULL ORDER BY id DESC LIMIT 1")
                .bind(ticket),
        )
        .await?
        .and_then(|r| r.opt_text(0).ok().flatten()))
}

/// Records that an agent has seen the conversation up to `line` (never
/// moving back).
pub async fn mark_seen(
    c: &mut Conn<'_>,
    id: ChatConversationId,
    line: ChatLineId,
) -> Result<bool, StoreError> {
    Ok(c.exec(
        q("UPDATE chat_conversations SET seen_line = $2 WHERE id = $1 AND (seen_line IS NULL OR seen_line < $2)")
            .bind(id)
            .bind(line),
    )
    .await?
        > 0)
}

/// The latest line of a conversation written by the visitor.
pub async fn last_visitor_line(
    c: &mut Conn<'_>,
    id: ChatConversationId,
) -> Result<Option<ChatLineId>, StoreError> {
    Ok(c.opt(
        q("SELECT MAX(id) FROM chat_lines WHERE conversation_id = $1 AND author = 'visitor'")
            .bind(id),
    )
    .await?
    .and_then(|r| r.opt_int(0).ok().flatten())
    .map(ChatLineId))
}

/// The latest conversation of a visitor, ended or not.
pub async fn latest_conversation_of(
    c: &mut Conn<'_>,
    visitor: ChatVisitorId,
) -> Result<Option<Conversation>, StoreError> {
    c.opt(
        q(format!(
            "SELECT {CONVERSATION_COLS} FROM chat_conversations WHERE visitor_id = $1 ORDER BY id DESC LIMIT 1"
        ))
        .bind(visitor),
    )
    .await?
    .map(|r| conversation_row(&r))
    .transpose()
}
