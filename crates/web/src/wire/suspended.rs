//! Mail held in the suspended queue, as Zendesk's suspended tickets.

use app::email::SuspendedMessage;
use serde::Serialize;
use utoipa::ToSchema;

/// Who sent it, as the mail says (no profile of ours yet).
#[derive(Serialize, ToSchema)]
pub struct SuspendedAuthor<'a> {
    pub id: Option<i64>,
    pub name: &'a str,
    pub email: &'a str,
}

/// An address and its name.
#[derive(Serialize, ToSchema)]
pub struct MailAddress<'a> {
    pub address: &'a str,
    pub name: Option<&'a str>,
}

#[derive(Serialize, ToSchema)]
pub struct SuspendedSource<'a> {
    pub from: MailAddress<'a>,
    pub to: MailAddress<'a>,
    pub rel: Option<&'a str>,
}

/// How it came: always by email.
#[derive(Serialize, ToSchema)]
pub struct SuspendedVia<'a> {
    pub channel: &'static str,
    pub source: SuspendedSource<'a>,
}

/// A mail held instead of becoming a ticket, and why.
#[derive(Serialize, ToSchema)]
pub struct SuspendedTicket<'a> {
    pub id: i64,
    pub url: String,
    pub author: SuspendedAuthor<'a>,
    pub subject: &'a str,
    /// The beginning of its text.
    pub content: &'a str,
    pub cause: &'static str,
    pub cause_id: i64,
    /// What was found (the sender checks' results).
    pub cause_detail: &'a str,
    pub message_id: Option<&'a str>,
    pub recipient: &'a str,
    pub ticket_id: Option<i64>,
    pub brand_id: Option<i64>,
    pub attachments: Vec<super::Attachment<'a>>,
    pub error_messages: Option<Vec<String>>,
    pub created_at: String,
    pub updated_at: String,
    pub via: SuspendedVia<'a>,
}

pub fn suspended_ticket<'a>(base: &str, m: &'a SuspendedMessage) -> SuspendedTicket<'a> {
    SuspendedTicket {
        id: m.id.0,
        url: format!("{base}/api/v2/suspended_tickets/{}.json", m.id),
        author: SuspendedAuthor {
            id: None,
            name: m.from_name.as_deref().unwrap_or(&m.from_email),
            email: &m.from_email,
        },
        subject: &m.subject,
        content: &m.content,
        cause: m.cause.describe(),
        cause_id: m.cause.zendesk_id(),
        cause_detail: &m.detail,
        message_id: m.message_id.as_deref(),
        recipient: &m.recipient,
        ticket_id: None,
        brand_id: None,
        attachments: Vec::new(),
        error_messages: None,
        created_at: m.received_at.to_iso(),
        updated_at: m.received_at.to_iso(),
        via: SuspendedVia {
            channel: "email",
            source: SuspendedSource {
                from: MailAddress {
                    address: &m.from_email,
                    name: m.from_name.as_deref(),
                },
                to: MailAddress {
                    address: &m.recipient,
                    name: None,
                },
                rel: None,
            },
        },
    }
}
