//! The chat as integrations read and drive it (`/api/v2/chat/…`): the
//! conversations and their lines for staff, and an agent's reply, which is
//! a public comment on the chat's case like any other (the one write path;
//! the chat channel delivers it as a line).

use crate::tickets::{CommentInput, TicketInput};
use crate::{App, AppError, FieldError};
use domain::chat::{ChatLine, Conversation, ConversationState};
use domain::policy::Capability;
use domain::{Actor, Channel, ChatConversationId, ChatLineId, CommentId};
use store::repo::chat as repo;

/// The most conversations one page lists.
const PAGE: i64 = 100;

impl App {
    /// Conversations, newest first, before `before` (a cursor), in `state`
    /// if given. A group-restricted agent sees those on cases they may see.
    pub async fn chat_conversations(
        &self,
        actor: Actor,
        state: Option<ConversationState>,
        before: Option<ChatConversationId>,
        limit: i64,
    ) -> Result<Vec<Conversation>, AppError> {
        crate::error::require(&actor, Capability::WorkTheDesk)?;
        let found = {
            let mut rc = self.read().await?;
            repo::conversations_page(&mut rc.conn(), state, before, limit.clamp(1, PAGE)).await?
        };
        if !actor.restricted {
            return Ok(found);
        }
        let mut out = Vec::with_capacity(found.len());
        for c in found {
            if let Some(t) = c.ticket
                && self.ticket(actor, t).await.is_ok()
            {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// One conversation, for staff who may see its case (a chat still with
    /// the bot has none: unrestricted staff only).
    pub async fn chat_conversation(
        &self,
        actor: Actor,
        id: ChatConversationId,
    ) -> Result<Conversation, AppError> {
        crate::error::require(&actor, Capability::WorkTheDesk)?;
        let conv = {
            let mut rc = self.read().await?;
            repo::conversation(&mut rc.conn(), id).await?
        };
        let conv = conv.ok_or(AppError::NotFound)?;
        match conv.ticket {
            Some(t) => {
                self.ticket(actor, t).await?;
            }
            None if actor.restricted => return Err(AppError::NotFound),
            None => {}
        }
        Ok(conv)
    }

    /// A conversation's lines after `after`.
    pub async fn chat_conversation_lines(
        &self,
        actor: Actor,
        id: ChatConversationId,
        after: ChatLineId,
    ) -> Result<Vec<ChatLine>, AppError> {
        self.chat_conversation(actor, id).await?;
        let mut rc = self.read().await?;
        Ok(repo::lines_after(&mut rc.conn(), id, after, 500).await?)
    }

    /// An agent's reply in a chat handed to people: a public comment on its
    /// case, delivered to the widget as a line. Returns the comment's id.
    pub async fn chat_reply(
        &self,
        actor: Actor,
        id: ChatConversationId,
        text: String,
    ) -> Result<Option<CommentId>, AppError> {
        let conv = self.chat_conversation(actor, id).await?;
        let (Some(ticket), ConversationState::Waiting) = (conv.ticket, conv.state) else {
            return Err(AppError::field(FieldError::invalid(
                "conversation",
                "only a chat handed to people and not ended takes replies",
            )));
        };
        if text.trim().is_empty() {
            return Err(AppError::field(FieldError::blank("text")));
        }
        let input = TicketInput {
            comment: Some(CommentInput {
                body: Some(text),
                public: Some(true),
                reply_via: Some(Channel::Chat),
                ..Default::default()
            }),
            ..Default::default()
        };
        let written = self
            .update_ticket(actor, ticket, input, Channel::Api)
            .await?;
        Ok(written.comment.map(|c| c.id))
    }
}
