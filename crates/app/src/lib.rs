//! The use cases of atiende: what an agent, a customer or an integration can
//! do, with the permission checks and validation that go with each. Entry
//! points (the HTTP API, pages, channels) translate their input into these
//! calls and their results back out; no rule lives in an entry point.

pub mod account;
pub mod activities;
pub mod answer_bot;
pub mod audit_log;
pub mod auth;
pub mod bot_vectors;
pub mod business_hours;
pub mod business_rules;
pub mod calls;
pub mod chat;
pub mod deleted;
pub mod demo;
pub mod email;
pub mod error;
pub mod export;
pub mod fields;
pub mod goodwill;
pub mod groups;
pub mod guard;
pub mod handover;
pub mod help_center;
pub mod ingest;
pub mod jobs;
pub mod language;
pub mod live;
pub mod mail_templates;
pub mod messaging;
pub mod metric_events;
pub mod oauth;
pub mod operations;
pub mod orgs;
pub mod outbox;
pub mod page_policy;
pub mod periodic;
pub mod pipeline;
pub mod placeholders;
pub mod portal;
pub mod profile_field_options;
pub mod profile_fields;
pub mod queues;
pub mod reports;
pub mod requests;
pub mod roles;
pub mod routing;
pub mod rulebook;
pub mod rules;
pub mod sanitize;
pub mod search;
pub mod session_admin;
pub mod sessions;
pub mod site_look;
pub mod skips;
pub mod sla;
pub mod surveys;
pub mod ticket_forms;
pub mod ticket_reads;
pub mod tickets;
pub mod trends;
pub mod triggers;
pub mod uploads;
pub mod user_merge;
pub mod users;
pub mod voice;
pub mod web_requests;
pub mod webhooks;

pub use error::{AppError, FieldError};
pub use store::paging::{Paged, Paging};

use store::{BoxFut, Conn, Db};

/// Limits that protect the server from oversized input.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest accepted upload, in bytes.
    pub max_upload_bytes: usize,
    /// How long an upload token stays valid before it is attached.
    pub upload_ttl_secs: i64,
    /// Browsers opening a chat widget for the first time, per network per
    /// minute (a flood of new visitors is refused, each being a row).
    pub new_chat_visitors_per_minute: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_upload_bytes: 50 * 1024 * 1024,
            upload_ttl_secs: 3 * 86_400,
            new_chat_visitors_per_minute: 300,
        }
    }
}

/// Everything the use cases need; cheap to clone into every request.
#[derive(Clone)]
pub struct App {
    pub db: Db,
    pub limits: Limits,
    /// Recent successful authentications.
    pub(crate) auth_cache: std::sync::Arc<auth::AuthCache>,
    /// Limits on guessing credentials, and the security counters.
    pub guard: std::sync::Arc<guard::CredentialGuard>,
    /// The custom fields, for rendering tickets without a query each time.
    pub(crate) field_cache: std::sync::Arc<fields::FieldCache>,
    /// Outgoing email's sender; `None` when no relay is configured (then
    /// nothing is queued).
    pub mail: Option<std::sync::Arc<outbox::MailSettings>>,
    /// Our support addresses, for the SMTP listener's RCPT checks and for
    /// choosing the address our mail comes from.
    pub mailboxes: std::sync::Arc<email::MailboxDirectory>,
    /// Signs and checks tickets' reply addresses; loaded on first use.
    pub(crate) reply_address: std::sync::Arc<tokio::sync::OnceCell<email::ReplyAddress>>,
    /// Triggers, SLA policies, schedules and routing settings, compiled.
    pub(crate) rulebook: std::sync::Arc<rulebook::RuleBookCache>,
    /// Woken when an agent's presence changes: the queue pass runs sooner.
    pub routing_wake: std::sync::Arc<tokio::sync::Notify>,
    /// Reads raw mail (the mail adapter's parser), for recovering held
    /// messages on request; `None` where no mail is read.
    pub inbound_parser: Option<std::sync::Arc<dyn email::InboundParser>>,
    /// The answer bot's index of the help center.
    pub(crate) bot: std::sync::Arc<answer_bot::BotIndex>,
    /// Machine translation of articles for the bot; `None` where Apertium
    /// is not installed (the bot then matches each article in its own
    /// language only).
    pub translator: Option<std::sync::Arc<dyn answer_bot::Translator>>,
    /// The bot's sentence encoder, where installed (the bot then also
    /// matches questions and articles by meaning).
    pub meaning: std::sync::Arc<bot_vectors::SentenceEncoder>,
    /// The help center's look, cached.
    pub(crate) look: std::sync::Arc<site_look::LookCache>,
    /// This node's followers of chat conversations.
    pub(crate) chat: std::sync::Arc<chat::ChatHub>,
    /// Calls to messaging providers that are not messages (connecting an
    /// account, a test message); `None` where the adapter is not wired.
    pub messaging: Option<std::sync::Arc<dyn messaging::Providers>>,
    /// Where customers reach this help desk from outside (`https://…`),
    /// for links in messages that are not pages: the bot's articles on a
    /// messaging channel. `None` leaves such links out.
    pub public_url: Option<String>,
    /// The voice provider's API (placing calls, fetching recordings);
    /// `None` where the adapter is not wired.
    pub voice: Option<std::sync::Arc<dyn voice::VoiceCalls>>,
}

impl App {
    pub fn new(db: Db) -> Self {
        App {
            db,
            limits: Limits::default(),
            auth_cache: Default::default(),
            guard: Default::default(),
            field_cache: Default::default(),
            mail: None,
            mailboxes: Default::default(),
            reply_address: Default::default(),
            rulebook: Default::default(),
            routing_wake: Default::default(),
            inbound_parser: None,
            bot: Default::default(),
            translator: None,
            meaning: Default::default(),
            look: Default::default(),
            chat: Default::default(),
            messaging: None,
            public_url: None,
            voice: None,
        }
    }

    /// Runs a unit of work in one transaction; an `AppError` rolls it back.
    pub async fn write<T, F>(&self, unit: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: for<'t, 'c> FnOnce(&'t mut Conn<'c>) -> BoxFut<'t, Result<T, AppError>> + Send + 'static,
    {
        self.db.write(unit).await
    }

    /// A connection for reads.
    pub async fn read(&self) -> Result<store::ReadConn, AppError> {
        Ok(self.db.read().await?)
    }
}
