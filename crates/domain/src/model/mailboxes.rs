//! Records of mailboxes as stored and as every crate reads them.

use crate::{AfterFetch, ImapSecurity, MailboxId, Secret, Timestamp};

/// An IMAP account to fetch mail from.
#[derive(Debug, Clone, PartialEq)]
pub struct ImapAccount {
    pub host: String,
    pub port: u16,
    pub security: ImapSecurity,
    pub username: String,
    pub password: Secret,
    /// The folder watched, `INBOX` unless said otherwise.
    pub folder: String,
    pub after: AfterFetch,
    /// Where fetched mail goes when `after` is `Move`.
    pub move_to: Option<String>,
}

/// A support address.
#[derive(Debug, Clone, PartialEq)]
pub struct Mailbox {
    pub id: MailboxId,
    /// Lower-case.
    pub address: String,
    /// The name our mail from this address carries.
    pub name: String,
    /// The address new tickets from other channels reply from.
    pub is_default: bool,
    pub imap: Option<ImapAccount>,
    /// The last thing the fetcher had to say ("idle", an error, …).
    pub imap_status: Option<String>,
    pub imap_checked_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}
