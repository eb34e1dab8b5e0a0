//! Live chat's rows: widgets (their secret read apart, never with the
//! widget) and visitors here; conversations and who answers them
//! (`conversations.rs`); the lines the widget shows (`lines.rs`).

mod conversations;
mod lines;

pub use conversations::*;
pub use lines::*;

use crate::{Conn, Row, StoreError, q};
use domain::chat::{ChatVisitor, ChatWidget};
use domain::{ChatVisitorId, ChatWidgetId, Timestamp, UserId};

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
