//! IMAP accounts as a way in: each admin-configured account is watched
//! with IDLE (push; polling only where the server lacks IDLE). A message is
//! stored here durably before it is flagged `\Seen` or moved on the
//! server, and stored once per (account, UIDVALIDITY, UID), so neither a
//! crash nor a second node duplicates or loses one. The protocol parser
//! ([`proto`]) is apart from the connection ([`client`]) and the fetcher
//! that runs them ([`fetch`]).

pub mod client;
pub mod fetch;
pub mod proto;

pub use fetch::{ImapConfig, spawn};
