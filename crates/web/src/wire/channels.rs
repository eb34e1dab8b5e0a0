//! Messaging accounts and templates as the API answers with them. An
//! account's credentials are never in an answer; the tokens we make for
//! the provider are in the answer that made the account only.

use app::messaging::AccountStatus;
use domain::messaging::{MessageTemplate as TemplateRecord, channel_slug};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct ChannelAccount<'a> {
    pub id: i64,
    pub url: String,
    /// `whatsapp`, `messenger`, `instagram`, `telegram` or `sms`.
    pub channel: &'static str,
    pub name: &'a str,
    /// The provider's id of the account (phone number id, page id, bot
    /// id, SMS number).
    pub external_id: &'a str,
    /// Where the provider is to deliver (give it to the provider's
    /// console; Telegram is told by us).
    pub webhook_url: String,
    pub api_base: Option<&'a str>,
    pub bot_first: bool,
    pub enabled: bool,
    /// The status line.
    pub last_delivery_at: Option<String>,
    pub last_error: Option<&'a str>,
    pub last_error_at: Option<String>,
    pub deliveries_processed: i64,
    pub deliveries_waiting: i64,
    pub deliveries_malformed: i64,
    pub created_at: String,
}

pub fn channel_account<'a>(base: &str, s: &'a AccountStatus) -> ChannelAccount<'a> {
    let a = &s.account;
    ChannelAccount {
        id: a.id.0,
        url: format!("{base}/api/v2/channels/accounts/{}.json", a.id),
        channel: channel_slug(a.channel),
        name: &a.name,
        external_id: &a.external_id,
        webhook_url: format!("{base}{}", s.webhook_path),
        api_base: a.api_base.as_deref(),
        bot_first: a.bot_first,
        enabled: a.enabled,
        last_delivery_at: a.last_delivery_at.map(|t| t.to_iso()),
        last_error: a.last_error.as_deref(),
        last_error_at: a.last_error_at.map(|t| t.to_iso()),
        deliveries_processed: s.processed,
        deliveries_waiting: s.waiting,
        deliveries_malformed: s.malformed,
        created_at: a.created_at.to_iso(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct MessageTemplate<'a> {
    pub id: i64,
    pub name: &'a str,
    pub language: &'a str,
    /// `marketing`, `utility` or `authentication`.
    pub category: &'static str,
    /// With `{{1}}`, `{{2}}`… for its parameters.
    pub body: &'a str,
    pub parameters: usize,
    pub created_at: String,
}

pub fn message_template(t: &TemplateRecord) -> MessageTemplate<'_> {
    MessageTemplate {
        id: t.id.0,
        name: &t.name,
        language: &t.language,
        category: t.category.as_str(),
        body: &t.body,
        parameters: t.parameter_count(),
        created_at: t.created_at.to_iso(),
    }
}
