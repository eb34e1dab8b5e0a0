//! Records of outbox as stored and as every crate reads them.

use crate::{CommentId, OutboundKind, OutboundStatus, TicketId, Timestamp};

/// One outgoing message.
#[derive(Debug, Clone, PartialEq)]
pub struct Outbound {
    pub id: i64,
    pub ticket_id: TicketId,
    /// The reply it carries; its attachments go with it.
    pub comment_id: Option<CommentId>,
    pub kind: OutboundKind,
    pub to_address: String,
    /// The mailbox it goes out from; `None` means the configured default.
    pub from_address: Option<String>,
    pub from_name: Option<String>,
    /// Our reply address with the ticket's token, so an answer threads.
    pub reply_to: Option<String>,
    pub subject: String,
    /// Without angle brackets.
    pub message_id: String,
    pub in_reply_to: Option<String>,
    /// Space-separated message-ids, oldest first.
    pub references: String,
    pub body_text: String,
    pub body_html: String,
    pub status: OutboundStatus,
    pub attempts: i64,
    pub next_attempt_at: Timestamp,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
}
