//! Live chat's rows: widgets (their secret read apart, never with the
//! widget), visitors, conversations and the lines the widget shows.

use crate::{Conn, Row, StoreError, q};
use domain::chat::{
    Attendance, ChatLine, ChatVisitor, ChatWidget, Conversation, ConversationState, LineAuthor,
    OfferedArticle,
};
use domain::{
    ChatConversationId, ChatLineId, ChatVisitorId, ChatWidgetId, OutboundId, TicketId, Timestamp,
    UserId,
};

const WIDGET_COLS: &str = "id, name, public_key, allowed_origins, ask_name, ask_email, topics, enabled, created_at, updated_at, invitations";

fn lines_of(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn widget(r: &Row) -> Result<ChatWidget, StoreError> {
    Ok(ChatWidget {
        id: ChatWidgetId(r.int(0)?),
        name: r.text(1)?,
        public_key: r.text(2)?,
        allowed_origins: lines_of(&r.text(3)?),
        ask_name: r.bool(4)?,
        ask_email: r.bool(5)?,
        topics: lines_of(&r.text(6)?),
        enabled: r.bool(7)?,
        created_at: Timestamp(r.int(8)?),
        updated_at: Timestamp(r.int(9)?),
        invitations: serde_json::from_str(&r.text(10)?).unwrap_or_default(),
    })
}

/// Stores a new widget with its secret.
pub async fn insert_widget(
    c: &mut Conn<'_>,
    w: &ChatWidget,
    secret: &str,
) -> Result<ChatWidgetId, StoreError> {
    Ok(ChatWidgetId(
        c.insert(
            q("INSERT INTO chat_widgets (name, public_key, secret, allowed_origins, ask_name, ask_email, topics, enabled, created_at, updated_at, invitations) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id")
                .bind(&w.name)
                .bind(&w.public_key)
                .bind(secret)
                .bind(w.allowed_origins.join("\n"))
                .bind(w.ask_name)
                .bind(w.ask_email)
                .bind(w.topics.join("\n"))
                .bind(w.enabled)
                .bind(w.created_at)
                .bind(w.updated_at)
                .bind(invitations_json(w)),
        )
        .await?,
    ))
}

fn invitations_json(w: &ChatWidget) -> String {
    serde_json::to_string(&w.invitations).unwrap_or_else(|_| "[]".into())
}

/// Changes what admins set of a widget (not its key or secret).
pub async fn update_widget(c: &mut Conn<'_>, w: &ChatWidget) -> Result<u64, StoreError> {
    c.exec(
        q("UPDATE chat_widgets SET name = $2, allowed_origins = $3, ask_name = $4, ask_email = $5, topics = $6, enabled = $7, updated_at = $8, invitations = $9 WHERE id = $1")
            .bind(w.id)
            .bind(&w.name)
            .bind(w.allowed_origins.join("\n"))
            .bind(w.ask_name)
            .bind(w.ask_email)
            .bind(w.topics.join("\n"))
            .bind(w.enabled)
            .bind(w.updated_at)
            .bind(invitations_json(w)),
    )
    .await
}

pub async fn delete_widget(c: &mut Conn<'_>, id: ChatWidgetId) -> Result<u64, StoreError> {
    c.exec(q("DELETE FROM chat_widgets WHERE id = $1").bind(id))
        .await
}

pub async fn widgets(c: &mut Conn<'_>) -> Result<Vec<ChatWidget>, StoreError> {
    c.all(q(format!(
        "SELECT {WIDGET_COLS} FROM chat_widgets ORDER BY id"
    )))
    .await?
    .iter()
    .map(widget)
    .collect()
}

pub async fn widget_by_id(
    c: &mut Conn<'_>,
    id: ChatWidgetId,
) -> Result<Option<ChatWidget>, StoreError> {
    c.opt(
        q(format!(
            "SELECT {WIDGET_COLS} FROM chat_widgets WHERE id = $1"
        ))
        .bind(id),
    )
    .await?
    .map(|r| widget(&r))
    .transpose()
}

pub async fn widget_by_key(
    c: &mut Conn<'_>,
    public_key: &str,
) -> Result<Option<ChatWidget>, StoreError> {
    c.opt(
        q(format!(
            "SELECT {WIDGET_COLS} FROM chat_widgets WHERE public_key = $1"
        ))
        .bind(public_key),
    )
    .await?
    .map(|r| widget(&r))
    .transpose()
}

/// The secret a site signs its users' identities with.
pub async fn widget_secret(c: &mut Conn<'_>, id: ChatWidgetId) -> Result<String, StoreError> {
    c.one(q("SELECT secret FROM chat_widgets WHERE id = $1").bind(id))
        .await?
        .text(0)
}

const VISITOR_COLS: &str = "id, widget_id, visitor_key, user_id, verified";

fn visitor(r: &Row) -> Result<ChatVisitor, StoreError> {
    Ok(ChatVisitor {
        id: ChatVisitorId(r.int(0)?),
        widget: ChatWidgetId(r.int(1)?),
        visitor_key: r.text(2)?,
        user: r.opt_int(3)?.map(UserId),
        verified: r.bool(4)?,
    })
}

pub async fn insert_visitor(
    c: &mut Conn<'_>,
    v: &ChatVisitor,
    token_hash: &str,
    now: Timestamp,
) -> Result<ChatVisitorId, StoreError> {
    Ok(ChatVisitorId(
        c.insert(
            q("INSERT INTO chat_visitors (widget_id, visitor_key, token_hash, user_id, verified, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id")
                .bind(v.widget)
                .bind(&v.visitor_key)
                .bind(token_hash)
                .bind(v.user)
                .bind(v.verified)
                .bind(now),
        )
        .await?,
    ))
}

/// The visitor a widget's token names.
pub async fn visitor_by_token(
    c: &mut Conn<'_>,
    widget: ChatWidgetId,
    token_hash: &str,
) -> Result<Option<ChatVisitor>, StoreError> {
    c.opt(
        q(format!(
            "SELECT {VISITOR_COLS} FROM chat_visitors WHERE token_hash = $1 AND widget_id = $2"
        ))
        .bind(token_hash)
        .bind(widget),
    )
    .await?
    .map(|r| visitor(&r))
    .transpose()
}

pub async fn visitor_by_id(
    c: &mut Conn<'_>,
    id: ChatVisitorId,
) -> Result<Option<ChatVisitor>, StoreError> {
    c.opt(
        q(format!(
            "SELECT {VISITOR_COLS} FROM chat_visitors WHERE id = $1"
        ))
        .bind(id),
    )
    .await?
    .map(|r| visitor(&r))
    .transpose()
}

/// The browser whose chat identity is `visitor_key` on a widget.
pub async fn visitor_by_key(
    c: &mut Conn<'_>,
    visitor_key: &str,
) -> Result<Option<ChatVisitor>, StoreError> {
    c.opt(
        q(format!(
            "SELECT {VISITOR_COLS} FROM chat_visitors WHERE visitor_key = $1"
        ))
        .bind(visitor_key),
    )
    .await?
    .map(|r| visitor(&r))
    .transpose()
}

/// The browser is this customer's, as the site signed.
pub async fn bind_visitor(
    c: &mut Conn<'_>,
    id: ChatVisitorId,
    user: UserId,
) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE chat_visitors SET user_id = $2, verified = $3 WHERE id = $1")
            .bind(id)
            .bind(user)
            .bind(true),
    )
    .await?;
    Ok(())
}

/// The profile the way in made for an anonymous browser.
pub async fn bind_profile(
    c: &mut Conn<'_>,
    id: ChatVisitorId,
    user: UserId,
) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE chat_visitors SET user_id = $2 WHERE id = $1 AND user_id IS NULL")
            .bind(id)
            .bind(user),
    )
    .await?;
    Ok(())
}

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
pub async fn attended_by(c: &mut Conn<'_>, agent: UserId) -> Result<Vec<Conversation>, StoreError> {
    let rows = c
        .all(
            q(format!(
                "SELECT {CONVERSATION_COLS} FROM chat_conversations WHERE (offered_to = $1 OR agent_id = $1) AND state = 'waiting' ORDER BY id LIMIT 50"
            ))
            .bind(agent),
        )
        .await?;
    rows.iter().map(conversation_row).collect()
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
