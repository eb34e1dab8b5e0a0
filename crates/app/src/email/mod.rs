//! Email in: a raw message is stored durably first (the SMTP listener
//! answers 250, and the IMAP fetcher flags the message, only after that),
//! then processed: the sender becomes (or is found as) one customer
//! profile, the message threads onto its ticket or opens a new one, and its
//! Message-ID is remembered so a message delivered twice becomes one
//! comment. Parsing MIME is the `mail` adapter's job; it hands this module
//! an [`InboundEmail`].

mod ingest;
mod mailboxes;
mod reply_address;

pub use ingest::{QUOTED_SUMMARY, SENDER_LIMIT_PER_HOUR};
mod suspended;
pub use mailboxes::{ImapInput, MailboxDirectory, MailboxEntry, MailboxInput};
pub use reply_address::ReplyAddress;
pub use suspended::SuspendedMessage;

use domain::TicketId;

/// Why a message is not a human writing to us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AutoKind {
    /// Out-of-office and other automatic answers (Auto-Submitted,
    /// Precedence, X-Autoreply): answering them would loop.
    AutoReply,
    /// A delivery status notification about mail we sent.
    Bounce,
}

/// A file that came with a message (the same as every channel's).
pub type InboundAttachment = crate::ingest::InboundFile;

/// The SMTP envelope of a message, as the listener received it.
#[derive(Debug, Clone, Default)]
pub struct Envelope {
    /// `MAIL FROM` (empty for bounces).
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    /// The client's address and greeting, kept for SPF.
    pub peer: Option<std::net::IpAddr>,
    pub helo: Option<String>,
}

/// Whether a message's `From:` is vouched for (SPF, DKIM and DMARC
/// alignment, or a trusted upstream's `Authentication-Results`); the
/// text says what was found, for the suspended queue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum SenderCheck {
    /// Not checked: only mail claiming to be from staff is.
    #[default]
    NotChecked,
    Verified(String),
    Failed(String),
}

/// Parses raw MIME into an [`InboundEmail`]: the mail adapter's job, given
/// to the app so an admin's recovery of a held message runs at once.
pub trait InboundParser: Send + Sync {
    fn parse(&self, raw: &[u8]) -> Result<InboundEmail, String>;
}

/// A parsed inbound message, as the mail adapter reads it.
#[derive(Debug, Clone, Default)]
pub struct InboundEmail {
    /// Without angle brackets.
    pub message_id: Option<String>,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    pub subject: String,
    /// When the sender says it was written (`Date:`), if it says so.
    pub date: Option<domain::Timestamp>,
    /// The `From:` address, lower-cased; empty when the message has none
    /// (the envelope sender is used then, if there is one).
    pub from_email: String,
    pub from_name: Option<String>,
    /// The To and Cc addresses (name, address): Cc'd people become
    /// collaborators, and our own addresses among them say which mailbox
    /// the message was for.
    pub to: Vec<(Option<String>, String)>,
    pub cc: Vec<(Option<String>, String)>,
    /// What the person wrote this time: the text part (or the HTML's
    /// text), without the quoted history and signature.
    pub text: String,
    /// The quoted history and signature, kept but folded in the timeline.
    pub quoted_text: Option<String>,
    /// The HTML part as sent (sanitised before storing), split the same way.
    pub html: Option<String>,
    pub quoted_html: Option<String>,
    pub attachments: Vec<InboundAttachment>,
    pub auto: Option<AutoKind>,
    /// For a bounce: the Message-ID of our message it reports on, and the
    /// receiving server's diagnostic.
    pub bounce_of: Option<String>,
    pub bounce_reason: Option<String>,
    /// Filled in by the adapter for senders that claim to be staff.
    pub sender_check: SenderCheck,
}

impl InboundEmail {
    /// What tells this message from another that reuses its Message-ID:
    /// sender, subject, text and attachments, hashed.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for part in [&self.from_email, &self.subject, &self.text] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        h.update(self.html.as_deref().unwrap_or("").as_bytes());
        for a in &self.attachments {
            h.update([0]);
            h.update(a.file_name.as_bytes());
            h.update(Sha256::digest(&a.data));
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// How a message threaded (recorded on the inbound message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Threading {
    /// In-Reply-To or References named a message of the ticket.
    Headers,
    /// It was sent to the ticket's own reply address (`support+t12-…@`).
    ReplyAddress,
    /// The subject carried the ticket's `[#N]` token.
    SubjectToken,
    /// A message without a subject continued the customer's open case.
    OpenCase,
    /// Nothing matched: a new ticket.
    New,
}

impl Threading {
    /// Every way, for reading back a recorded outcome.
    pub const ALL: &'static [Threading] = &[
        Threading::Headers,
        Threading::ReplyAddress,
        Threading::SubjectToken,
        Threading::OpenCase,
        Threading::New,
    ];

    /// The way a recorded outcome names.
    pub fn from_outcome(s: &str) -> Option<Threading> {
        Threading::ALL.iter().copied().find(|t| t.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Threading::Headers => "threaded by In-Reply-To/References",
            Threading::ReplyAddress => "threaded by the ticket's reply address",
            Threading::SubjectToken => "threaded by the subject's ticket number",
            Threading::OpenCase => "continued the customer's open case",
            Threading::New => "new ticket",
        }
    }
}

/// What became of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmailOutcome {
    NewTicket(TicketId),
    Reply(TicketId, Threading),
    /// Its Message-ID was processed before.
    Duplicate(TicketId),
    /// Stored, not turned into a comment (auto-reply, bounce, our own mail,
    /// a sender over the rate limit), or taken by another worker.
    Ignored(&'static str),
    /// Held in the suspended queue for an admin.
    Suspended(domain::SuspensionCause),
}

/// The `[#123]` token our subjects carry.
pub fn subject_token(subject: &str) -> Option<TicketId> {
    let start = subject.find("[#")? + 2;
    let rest = &subject[start..];
    let end = rest.find(']')?;
    rest[..end].trim().parse().ok().map(TicketId)
}

/// An address in the form we compare: trimmed, without angle brackets,
/// lower-case.
pub fn normalize_address(addr: &str) -> String {
    addr.trim().trim_matches(['<', '>']).to_lowercase()
}

/// `local+tag@domain` → `local@domain` (plus addressing).
pub fn without_tag(addr: &str) -> String {
    match addr.split_once('@') {
        Some((local, domain)) => {
            let local = local.split_once('+').map_or(local, |(l, _)| l);
            format!("{local}@{domain}")
        }
        None => addr.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_tokens() {
        assert_eq!(subject_token("Re: [#42] Pedido"), Some(TicketId(42)));
        assert_eq!(subject_token("[# 7 ]"), Some(TicketId(7)));
        assert_eq!(subject_token("no token"), None);
        assert_eq!(subject_token("[#x]"), None);
    }

    #[test]
    fn plus_addressing() {
        assert_eq!(
            without_tag("support+t12-ab@example.com"),
            "support@example.com"
        );
        assert_eq!(without_tag("support@example.com"), "support@example.com");
        assert_eq!(normalize_address(" <Ana@Example.COM> "), "ana@example.com");
    }
}
