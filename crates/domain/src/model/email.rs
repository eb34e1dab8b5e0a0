//! Records of email as stored and as every crate reads them.

use crate::{MailboxId, SuspensionCause};

/// How a message reached us, stored with it.
#[derive(Debug, Clone, Default)]
pub struct Arrival {
    /// `MAIL FROM` (empty for bounces and fetched mail).
    pub mail_from: String,
    /// The envelope recipients, comma-separated.
    pub rcpt_to: String,
    /// The IMAP account it was fetched from (none for the SMTP listener).
    pub mailbox: Option<MailboxId>,
    /// The SMTP client's address and greeting, for SPF.
    pub peer_ip: Option<String>,
    pub helo: Option<String>,
}

/// A stored message waiting to be processed.
#[derive(Debug, Clone)]
pub struct Pending {
    pub id: crate::InboundEmailId,
    pub arrival: Arrival,
    pub raw: Vec<u8>,
    /// Set when an admin recovered it from the suspended queue, with the
    /// cause it was held for: that check is not made again.
    pub recovered_from: Option<SuspensionCause>,
}
