//! Messaging channels' vocabulary: a connected account (a WhatsApp number,
//! a Facebook page, an Instagram account, a Telegram bot, an SMS number),
//! its credentials, the raw deliveries its provider sends us, what the
//! provider later says of a message we sent, and WhatsApp's 24-hour
//! customer-service window.

use crate::mail::Secret;
use crate::{Channel, ChannelAccountId, MessageTemplateId, Timestamp, word_enum};

/// How long after a customer's last message a business may write to them
/// freely on WhatsApp (and Messenger/Instagram); afterwards only approved
/// templates (or, on Meta, the human-agent tag) may go.
pub const SERVICE_WINDOW_SECS: i64 = 24 * 3600;

/// Meta's human-agent tag stretches the Messenger/Instagram window to
/// seven days for a person's reply.
pub const HUMAN_AGENT_WINDOW_SECS: i64 = 7 * 24 * 3600;

/// The channels a messaging account can be for.
pub const MESSAGING_CHANNELS: [Channel; 5] = [
    Channel::WhatsApp,
    Channel::Messenger,
    Channel::Instagram,
    Channel::Telegram,
    Channel::Sms,
];

/// The word a channel goes by in webhook addresses and admin pages.
pub fn channel_slug(ch: Channel) -> &'static str {
    match ch {
        Channel::Messenger => "messenger",
        Channel::Instagram => "instagram",
        other => other.as_str(),
    }
}

/// The channel a slug names, if it is a messaging channel.
pub fn channel_of_slug(slug: &str) -> Option<Channel> {
    MESSAGING_CHANNELS
        .into_iter()
        .find(|ch| channel_slug(*ch) == slug)
}

/// A connected account as everyone may read it: never its credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelAccount {
    pub id: ChannelAccountId,
    pub channel: Channel,
    pub name: String,
    /// The provider's id of the account: WhatsApp's phone number id, a
    /// page or Instagram account id, a bot's id, an SMS number in E.164.
    /// Outbound messages name it as their `account`.
    pub external_id: String,
    /// Where its provider's API is reached; `None` for the provider's own.
    /// Tests and self-hosted gateways set it.
    pub api_base: Option<String>,
    /// The answer bot answers first on this account.
    pub bot_first: bool,
    pub enabled: bool,
    pub created_at: Timestamp,
    /// The status line: the last delivery received, the last error.
    pub last_delivery_at: Option<Timestamp>,
    pub last_error: Option<String>,
    pub last_error_at: Option<Timestamp>,
}

/// An account's credentials: stored, used by its adapter, never shown
/// again after they are given (or, for the ones we make, shown once).
#[derive(Debug, Clone, Default)]
pub struct Credentials {
    /// Meta's access token (WhatsApp, a page, Instagram).
    pub access_token: Option<Secret>,
    /// Meta's app secret: signs every webhook delivery.
    pub app_secret: Option<Secret>,
    /// What Meta echoes in its verification handshake (we make it).
    pub verify_token: Option<Secret>,
    /// A Telegram bot's token.
    pub bot_token: Option<Secret>,
    /// The secret Telegram sends with every update (we make it).
    pub webhook_secret: Option<Secret>,
    /// Twilio's account SID (not secret, but kept with the token).
    pub account_sid: Option<Secret>,
    /// Twilio's auth token: signs every webhook and authenticates sends.
    pub auth_token: Option<Secret>,
}

impl Credentials {
    /// What a channel's account needs given by the admin, as field names.
    pub fn required(channel: Channel) -> &'static [&'static str] {
        match channel {
            Channel::WhatsApp | Channel::Messenger | Channel::Instagram => {
                &["access_token", "app_secret"]
            }
            Channel::Telegram => &["bot_token"],
            Channel::Sms => &["account_sid", "auth_token"],
            _ => &[],
        }
    }

    /// The credential of a field name.
    pub fn get(&self, field: &str) -> Option<&Secret> {
        match field {
            "access_token" => self.access_token.as_ref(),
            "app_secret" => self.app_secret.as_ref(),
            "verify_token" => self.verify_token.as_ref(),
            "bot_token" => self.bot_token.as_ref(),
            "webhook_secret" => self.webhook_secret.as_ref(),
            "account_sid" => self.account_sid.as_ref(),
            "auth_token" => self.auth_token.as_ref(),
            _ => None,
        }
    }

    /// Sets the credential of a field name; false for an unknown name.
    pub fn set(&mut self, field: &str, value: Secret) -> bool {
        let slot = match field {
            "access_token" => &mut self.access_token,
            "app_secret" => &mut self.app_secret,
            "verify_token" => &mut self.verify_token,
            "bot_token" => &mut self.bot_token,
            "webhook_secret" => &mut self.webhook_secret,
            "account_sid" => &mut self.account_sid,
            "auth_token" => &mut self.auth_token,
            _ => return false,
        };
        *slot = Some(value);
        true
    }

    /// Every field name with its credential, for storing.
    pub fn fields(&self) -> impl Iterator<Item = (&'static str, &Secret)> {
        FIELDS.iter().filter_map(|f| self.get(f).map(|s| (*f, s)))
    }

    /// The one credential of a field the adapter needs, or what is missing.
    pub fn need(&self, field: &'static str) -> Result<&str, MissingCredential> {
        self.get(field)
            .map(Secret::expose)
            .filter(|s| !s.is_empty())
            .ok_or(MissingCredential(field))
    }
}

/// Every credential's field name.
pub const FIELDS: [&str; 7] = [
    "access_token",
    "app_secret",
    "verify_token",
    "bot_token",
    "webhook_secret",
    "account_sid",
    "auth_token",
];

/// An account lacks a credential its adapter needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the account has no {0}")]
pub struct MissingCredential(pub &'static str);

word_enum!(
    /// What became of a provider's webhook delivery.
    DeliveryState {
        /// Stored, not yet read.
        Received = "received",
        /// Read: its messages taken in, its statuses applied.
        Processed = "processed",
        /// It could not be read: kept raw for inspection, shown on the
        /// account's status.
        Malformed = "malformed",
    }
);

word_enum!(
    /// Where a customer's talk with the answer bot on a messaging channel
    /// stands.
    BotSessionState {
        /// The bot answers their messages.
        Bot = "bot",
        /// They said an article answered them.
        Resolved = "resolved",
        /// A person has it: their messages go to the case.
        HandedOver = "handed_over",
    }
);

/// A talk with the bot that has been quiet this long is over: the next
/// message starts another.
pub const BOT_SESSION_IDLE_SECS: i64 = 24 * 3600;

word_enum!(
    /// What a provider said of a message we sent after it took it.
    Receipt {
        Delivered = "delivered",
        Read = "read",
    }
);

/// When a customer-service window closes, from the customer's last
/// message on the channel; `None` if they never wrote.
pub fn window_closes(last_inbound: Option<Timestamp>, window_secs: i64) -> Option<Timestamp> {
    last_inbound.map(|t| Timestamp(t.0 + window_secs))
}

/// Whether a free-form message may go now.
pub fn window_open(last_inbound: Option<Timestamp>, window_secs: i64, now: Timestamp) -> bool {
    window_closes(last_inbound, window_secs).is_some_and(|end| now.0 < end.0)
}

word_enum!(
    /// Meta's template categories.
    TemplateCategory {
        Marketing = "marketing",
        Utility = "utility",
        Authentication = "authentication",
    }
);

/// An approved WhatsApp message template: what an agent may send when
/// the customer's window is closed. Its body names parameters `{{1}}`,
/// `{{2}}`…, which the agent fills in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageTemplate {
    pub id: MessageTemplateId,
    pub name: String,
    /// Meta's language code (`es`, `en_US`).
    pub language: String,
    pub category: TemplateCategory,
    pub body: String,
    pub created_at: Timestamp,
}

/// Template names are Meta's: lower-case letters, digits and `_`.
pub fn template_name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 512
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

impl MessageTemplate {
    /// How many parameters its body names (the highest `{{n}}`).
    pub fn parameter_count(&self) -> usize {
        let mut highest = 0;
        let mut rest = self.body.as_str();
        while let Some(start) = rest.find("{{") {
            rest = &rest[start + 2..];
            if let Some(end) = rest.find("}}") {
                if let Ok(n) = rest[..end].trim().parse::<usize>() {
                    highest = highest.max(n);
                }
                rest = &rest[end + 2..];
            }
        }
        highest
    }

    /// The body with its parameters filled in, as the customer reads it;
    /// `None` unless exactly the parameters it names are given.
    pub fn render(&self, params: &[String]) -> Option<String> {
        if params.len() != self.parameter_count() {
            return None;
        }
        let mut out = self.body.clone();
        for (i, p) in params.iter().enumerate() {
            out = out.replace(&format!("{{{{{}}}}}", i + 1), p);
        }
        Some(out)
    }
}

/// What a customer's message says of their consent: a stop word alone
/// (STOP, BAJA, UNSUBSCRIBE…) opts out, a start word (START, ALTA,
/// UNSTOP) opts back in; anything else says nothing.
pub fn consent_word(text: &str) -> Option<bool> {
    let word: String = text
        .trim()
        .trim_matches(|c: char| c.is_ascii_punctuation())
        .to_uppercase();
    match word.as_str() {
        "STOP" | "STOPALL" | "UNSUBSCRIBE" | "CANCEL" | "END" | "QUIT" | "BAJA" | "PARAR"
        | "CANCELAR" => Some(false),
        "START" | "UNSTOP" | "ALTA" => Some(true),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_and_start_words_alone_change_consent() {
        assert_eq!(consent_word(" stop "), Some(false));
        assert_eq!(consent_word("Baja."), Some(false));
        assert_eq!(consent_word("START"), Some(true));
        assert_eq!(consent_word("no me deis de baja"), None);
        assert_eq!(consent_word("stop sending the wrong size"), None);
    }

    #[test]
    fn the_window_is_a_day_from_the_customers_last_message() {
        let last = Some(Timestamp(1_000));
        assert!(window_open(
            last,
            SERVICE_WINDOW_SECS,
            Timestamp(1_000 + 3600)
        ));
        assert!(!window_open(
            last,
            SERVICE_WINDOW_SECS,
            Timestamp(1_000 + SERVICE_WINDOW_SECS)
        ));
        assert!(!window_open(None, SERVICE_WINDOW_SECS, Timestamp(0)));
    }

    #[test]
    fn templates_fill_exactly_their_parameters() {
        let t = MessageTemplate {
            id: MessageTemplateId(1),
            name: "order_update".into(),
            language: "es".into(),
            category: TemplateCategory::Utility,
            body: "Hola {{1}}, tu pedido {{2}} ha salido.".into(),
            created_at: Timestamp(0),
        };
        assert_eq!(t.parameter_count(), 2);
        assert_eq!(
            t.render(&["Ana".into(), "#42".into()]).as_deref(),
            Some("Hola Ana, tu pedido #42 ha salido.")
        );
        assert_eq!(t.render(&["Ana".into()]), None);
        assert!(template_name_ok("order_update_2"));
        assert!(!template_name_ok("Order update"));
    }

    #[test]
    fn slugs_name_messaging_channels_only() {
        for ch in MESSAGING_CHANNELS {
            assert_eq!(channel_of_slug(channel_slug(ch)), Some(ch));
        }
        assert_eq!(channel_of_slug("email"), None);
    }
}
