//! Messaging channels (WhatsApp, Messenger, Instagram, Telegram, SMS) in
//! the core: connected accounts (`accounts.rs`), the raw deliveries their
//! providers send and what is read from them (`intake.rs`), WhatsApp's
//! customer-service window and templates (`window.rs`), consent
//! (`consent.rs`), and the answer bot first where an account asks for it
//! (`bot.rs`).
//!
//! The adapter (`crates/messaging`) checks each delivery's signature,
//! hands its bytes to [`App::store_channel_delivery`] before answering the
//! provider, and reads it afterwards into [`ChannelEvent`]s: messages go
//! through [`App::ingest`] like every channel's, receipts land on the
//! outbox row they tell about. Provider calls that are not a message
//! (connecting a Telegram bot's webhook, a test message) go through the
//! [`Providers`] port the adapter implements.

mod accounts;
mod bot;
pub(crate) mod consent;
mod intake;
pub(crate) mod window;

pub use accounts::{AccountInput, AccountStatus, NewAccount};
pub use consent::Consent;
pub use intake::{ChannelEvent, Stored};
pub use store::repo::messaging::PendingDelivery;
pub use window::{ReplyWindow, TemplateInput};

use crate::ingest::Inbound;
use crate::outbox::sender::SendError;
use domain::messaging::{ChannelAccount, Credentials};
use std::future::Future;
use std::pin::Pin;

/// A boxed future, for the object-safe port.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What connecting an account with its provider found.
#[derive(Debug, Clone, Default)]
pub struct Connected {
    /// The provider's id of the account, where it tells it (a Telegram
    /// bot's id from `getMe`).
    pub external_id: Option<String>,
    /// A name for it, where the provider has one (the bot's username).
    pub name: Option<String>,
}

/// Calls to a provider that are not messages: the messaging adapter
/// implements it; `App::messaging` holds it where the adapter is wired.
pub trait Providers: Send + Sync + 'static {
    /// Checks the credentials and registers our webhook where the provider
    /// is told it by API (Telegram's `setWebhook` with the secret token);
    /// `webhook_url` is where the provider is to send deliveries.
    fn connect<'a>(
        &'a self,
        account: &'a ChannelAccount,
        credentials: &'a Credentials,
        webhook_url: &'a str,
    ) -> BoxFuture<'a, Result<Connected, String>>;

    /// Sends a test message to `to` (a phone number, a chat id).
    fn send_test<'a>(
        &'a self,
        account: &'a ChannelAccount,
        credentials: &'a Credentials,
        to: &'a str,
        text: &'a str,
    ) -> BoxFuture<'a, Result<Option<String>, SendError>>;
}

/// Why a delivery could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// It is not what the provider sends: kept raw, shown on the account's
    /// status, never read again.
    Malformed(String),
    /// Something it needs could not be reached now (a media download):
    /// read again later.
    Temporary(String),
}

/// What a delivery says: messages from customers and what the provider
/// says of messages we sent.
pub type Events = Vec<ChannelEvent>;

impl ChannelEvent {
    /// A customer's message.
    pub fn message(inbound: Inbound) -> ChannelEvent {
        ChannelEvent::Message(Box::new(inbound))
    }
}
