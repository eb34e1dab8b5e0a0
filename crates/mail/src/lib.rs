//! Email for atiende: reading inbound messages (MIME, charsets, threading
//! headers, auto-replies, quoted history), the two ways in (the built-in
//! SMTP listener, IMAP accounts watched with IDLE), the worker that turns
//! stored messages into tickets and replies, and the sender that empties
//! the outbox through the relay.

pub mod auth;
pub mod client;
pub mod imap;
pub mod outbox;
pub mod parse;
pub mod quote;
pub mod smtp;
pub mod tls;
pub mod worker;
