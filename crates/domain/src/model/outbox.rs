//! Records of the outbox as stored and as every crate reads them: one
//! outgoing message on any channel, waiting for that channel's sender.

use crate::{Channel, CommentId, OutboundId, OutboundKind, OutboundStatus, TicketId, Timestamp};

/// One outgoing message.
#[derive(Debug, Clone, PartialEq)]
pub struct Outbound {
    pub id: OutboundId,
    /// The ticket it tells about; `None` for a message about an account
    /// (a sign-in link).
    pub ticket_id: Option<TicketId>,
    /// The reply it carries; its attachments go with it.
    pub comment_id: Option<CommentId>,
    pub kind: OutboundKind,
    /// The channel it goes out on; only that channel's sender claims it.
    pub channel: Channel,
    /// The channel account it goes out from (a WhatsApp number, a bot);
    /// `None` for email (the mailbox is `from_address`) or the channel's
    /// only account.
    pub account: Option<String>,
    /// The customer's address on the channel: an email address, a phone
    /// number, a chat or visitor id.
    pub to_address: String,
    /// The mailbox it goes out from; `None` means the configured default.
    pub from_address: Option<String>,
    pub from_name: Option<String>,
    /// Our reply address with the ticket's token, so an answer threads.
    pub reply_to: Option<String>,
    /// Empty on channels without subjects.
    pub subject: String,
    /// Our id of the message (an email's Message-ID, without angle
    /// brackets): unique, so a sender can give it to a provider as the
    /// idempotency key.
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
    /// The provider's id of the message once it took it (a WhatsApp
    /// `wamid`), so its delivery statuses and the customer's answers to it
    /// find it.
    pub external_id: Option<String>,
    /// What the provider said of it after taking it: delivered, read.
    pub receipt: Option<crate::messaging::Receipt>,
    pub receipt_at: Option<Timestamp>,
    /// The approved template it is, where the customer's window was
    /// closed (WhatsApp): the words are the template's, filled in.
    pub template: Option<TemplateUse>,
    /// Answers the customer can tap (titles), where the channel has
    /// buttons; empty for most messages.
    pub buttons: Vec<String>,
    /// How many of its parts (texts, files) the provider took before an
    /// attempt failed: the next attempt sends the rest.
    pub parts_sent: i64,
}

/// A template sent with its parameters.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TemplateUse {
    pub name: String,
    pub language: String,
    pub params: Vec<String>,
}

impl Outbound {
    /// A new message, due now, with the words and our id of it; the
    /// channel's own details (a subject, threading headers, a sender
    /// address) are filled in by whoever composes it.
    pub fn queued(
        ticket_id: impl Into<Option<TicketId>>,
        kind: OutboundKind,
        channel: Channel,
        to_address: String,
        message_id: String,
        (body_text, body_html): (String, String),
        now: Timestamp,
    ) -> Outbound {
        Outbound {
            id: OutboundId(0),
            ticket_id: ticket_id.into(),
            comment_id: None,
            kind,
            channel,
            account: None,
            to_address,
            from_address: None,
            from_name: None,
            reply_to: None,
            subject: String::new(),
            message_id,
            in_reply_to: None,
            references: String::new(),
            body_text,
            body_html,
            status: OutboundStatus::Queued,
            attempts: 0,
            next_attempt_at: now,
            last_error: None,
            created_at: now,
            sent_at: None,
            external_id: None,
            receipt: None,
            receipt_at: None,
            template: None,
            buttons: Vec::new(),
            parts_sent: 0,
        }
    }
}

/// Where an agent's reply to a customer goes: the channel and the
/// customer's address on it (and the channel account it came in on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyRoute {
    pub channel: Channel,
    pub account: Option<String>,
    pub to: String,
}
