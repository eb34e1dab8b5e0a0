//! Replies to a chat, delivered: the chat channel's outgoing messages (an
//! agent's reply, atiende's acknowledgement) become lines of the visitor's
//! conversation on that case, told at once to whoever follows it.

use super::visitor::new_line;
use crate::App;
use crate::outbox::sender::SendError;
use domain::OutboundKind;
use domain::chat::LineAuthor;
use domain::model::outbox::Outbound;
use store::repo::chat as repo;
use store::repo::comments;

impl App {
    /// Delivers one outgoing chat message as a line; its id is the
    /// provider's id of it. A message delivered before is not again.
    pub async fn deliver_chat_message(&self, m: &Outbound) -> Result<Option<String>, SendError> {
        let temporary = |e: crate::AppError| SendError::Temporary(e.to_string());
        let (conversation, agent) = {
            let mut rc = self.read().await.map_err(temporary)?;
            let c = &mut rc.conn();
            if repo::delivered(c, m.id)
                .await
                .map_err(|e| temporary(e.into()))?
            {
                return Ok(None);
            }
            let visitor = repo::visitor_by_key(c, &m.to_address)
                .await
                .map_err(|e| temporary(e.into()))?
                .ok_or_else(|| {
                    SendError::Permanent(format!("no chat visitor {:?}", m.to_address))
                })?;
            let on_ticket = match m.ticket_id {
                Some(t) => repo::conversation_on_ticket(c, visitor.id, t)
                    .await
                    .map_err(|e| temporary(e.into()))?,
                None => None,
            };
            let conversation = match on_ticket {
                Some(conv) => conv,
                None => repo::latest_conversation_of(c, visitor.id)
                    .await
                    .map_err(|e| temporary(e.into()))?
                    .ok_or_else(|| SendError::Permanent("the visitor has no chat".into()))?,
            };
            let agent = match (m.kind, m.comment_id) {
                (OutboundKind::Reply, Some(id)) => comments::get_many(c, &[id.0])
                    .await
                    .map_err(|e| temporary(e.into()))?
                    .pop()
                    .map(|cm| cm.author_id),
                _ => None,
            };
            (conversation, agent)
        };
        let author = if m.kind == OutboundKind::Reply {
            LineAuthor::Agent
        } else {
            LineAuthor::System
        };
        let mut line = new_line(conversation.id, author, m.body_text.trim().to_string());
        line.agent = agent;
        match self.add_chat_line(line, Some(m.id)).await {
            Ok(l) => Ok(Some(format!("chat-line-{}", l.id.0))),
            // Delivered meanwhile by another node's sender.
            Err(crate::AppError::Store(store::StoreError::Duplicate(_))) => Ok(None),
            Err(e) => Err(temporary(e)),
        }
    }
}
