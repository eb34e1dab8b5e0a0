//! Email for atiende: reading inbound messages (MIME, charsets, threading
//! headers, auto-replies), the built-in SMTP listener that receives them,
//! and the worker that turns stored messages into tickets and replies.

pub mod client;
pub mod outbox;
pub mod parse;
pub mod smtp;
pub mod worker;
