//! Email's closed sets of states: how we connect to an IMAP account, what
//! happens to a fetched message, and where an inbound or outbound message is
//! in its life. Stored as TEXT with CHECK constraints.

use crate::word_enum;

word_enum!(
    /// How the IMAP connection is secured: implicit TLS (port 993),
    /// STARTTLS on the plain port (143), or none (only for a server on the
    /// same host or a test).
    ImapSecurity {
        Tls = "tls",
        StartTls = "starttls",
        Plain = "plain",
    }
);

impl ImapSecurity {
    /// The port a server usually listens on for this security.
    pub fn default_port(self) -> u16 {
        match self {
            ImapSecurity::Tls => 993,
            ImapSecurity::StartTls | ImapSecurity::Plain => 143,
        }
    }
}

word_enum!(
    /// What we do to a message on the IMAP server once it is stored here:
    /// flag it `\Seen` (it stays in the folder), or move it to another folder.
    AfterFetch {
        MarkSeen = "mark_seen",
        Move = "move",
    }
);

word_enum!(
    /// Where a stored inbound message is: `received` until processed, then
    /// `processed` (a ticket or reply), `ignored` (auto-reply, bounce,
    /// duplicate, rate limited), `suspended` (held for an admin with its
    /// cause: unreadable, no usable sender, a sender that failed
    /// authentication) and `deleted` once an admin throws it away.
    /// `failed` is only found on messages stored before suspension existed.
    InboundStatus {
        Received = "received",
        Processed = "processed",
        Ignored = "ignored",
        Failed = "failed",
        Suspended = "suspended",
        Deleted = "deleted",
    }
);

word_enum!(
    /// Where an outgoing message is: `queued` until the relay accepts it
    /// (retried with backoff), `sent`, or `failed` (refused for good, too
    /// many attempts, or bounced afterwards).
    OutboundStatus {
        Queued = "queued",
        Sent = "sent",
        Failed = "failed",
    }
);

word_enum!(
    /// Why we write to a customer.
    OutboundKind {
        Acknowledgement = "acknowledgement",
        Reply = "reply",
        /// A trigger's notification (to the assignee, a group, anyone).
        Notification = "notification",
        /// A one-time link to sign in to the customer portal (about an
        /// account, not a ticket).
        SignIn = "sign_in",
    }
);

/// A password or key we must keep but never show: `Debug` and `Display`
/// print a placeholder, so it cannot reach a log by accident.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }

    /// The secret itself, for the one place that uses it (a login).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?} {s}"), "Secret(***) ***");
        assert_eq!(s.expose(), "hunter2");
    }
}

word_enum!(
    /// Why an inbound message was held instead of becoming a ticket
    /// (Zendesk's suspended tickets' `cause`).
    SuspensionCause {
        /// Not a MIME message we can read.
        Unreadable = "unreadable",
        /// Neither `From:` nor the envelope gives an address to answer.
        NoSender = "no_sender",
        /// It claims to come from staff but SPF/DKIM/DMARC do not say so.
        UnverifiedSender = "unverified_sender",
        /// Processing failed (a bug or an outage); an admin may retry.
        ProcessingFailed = "processing_failed",
    }
);

impl SuspensionCause {
    /// Zendesk's numeric `cause_id` for the nearest cause it has.
    pub fn zendesk_id(self) -> i64 {
        match self {
            SuspensionCause::Unreadable => 6,
            SuspensionCause::NoSender => 26,
            SuspensionCause::UnverifiedSender => 43,
            SuspensionCause::ProcessingFailed => 0,
        }
    }

    /// What an admin reads, in English.
    pub fn describe(self) -> &'static str {
        match self {
            SuspensionCause::Unreadable => "Unreadable message",
            SuspensionCause::NoSender => "No sender address",
            SuspensionCause::UnverifiedSender => "Sender not verified (claims to be staff)",
            SuspensionCause::ProcessingFailed => "Could not be processed",
        }
    }
}
