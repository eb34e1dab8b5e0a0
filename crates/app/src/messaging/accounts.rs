//! Connected messaging accounts as admins manage them. Credentials are
//! given once and never shown again (nor logged: they are `Secret`s);
//! the tokens we make for the provider to send back (Meta's verify token,
//! Telegram's secret token) are shown once, in the answer that made them.
//! Each account has a status line: its last delivery, its last error, and
//! how many deliveries were read or could not be.

use super::Connected;
use crate::auth::random_token;
use crate::error::require;
use crate::{App, AppError, FieldError};
use domain::audit_log::{AdminAction, AdminChange, AdminSource};
use domain::mail::Secret;
use domain::messaging::{
    ChannelAccount, Credentials, DeliveryState, FIELDS, MESSAGING_CHANNELS, channel_slug,
};
use domain::policy::Capability;
use domain::user::normalize_identity;
use domain::{Actor, Channel, ChannelAccountId, IdentityKind, Timestamp};
use store::repo::messaging as repo;

/// What admins write of an account (`None`: leave as it is).
#[derive(Debug, Clone, Default)]
pub struct AccountInput {
    /// Only when creating.
    pub channel: Option<Channel>,
    pub name: Option<String>,
    /// The provider's id of the account: WhatsApp's phone number id, the
    /// page or Instagram account id, the SMS number. A Telegram bot's is
    /// read from its token.
    pub external_id: Option<String>,
    /// Credential field → value; given ones replace the stored ones.
    pub credentials: Vec<(String, Secret)>,
    /// `Some(None)` goes back to the provider's own API.
    pub api_base: Option<Option<String>>,
    pub bot_first: Option<bool>,
    pub enabled: Option<bool>,
}

/// An account just made, with the tokens we made shown this once.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub account: ChannelAccount,
    pub made: Vec<(&'static str, Secret)>,
    /// The path the provider delivers to (`/channels/{slug}/{id}/webhook`).
    pub webhook_path: String,
}

/// An account with its status line.
#[derive(Debug, Clone)]
pub struct AccountStatus {
    pub account: ChannelAccount,
    pub webhook_path: String,
    /// Deliveries read, waiting, and kept as malformed.
    pub processed: i64,
    pub waiting: i64,
    pub malformed: i64,
}

/// Where an account's provider delivers.
pub fn webhook_path(a: &ChannelAccount) -> String {
    format!("/channels/{}/{}/webhook", channel_slug(a.channel), a.id)
}

fn api_base_ok(base: &str) -> bool {
    (base.starts_with("https://") || base.starts_with("http://"))
        && !base.contains(char::is_whitespace)
        && base.len() <= 300
}

/// The provider's id of an account, in its one form: an SMS number in
/// E.164, a Telegram bot's id from its token (`123456:ABC…`).
fn external_id_of(
    channel: Channel,
    given: Option<&str>,
    creds: &Credentials,
) -> Result<String, FieldError> {
    if channel == Channel::Telegram {
        let token = creds.need("bot_token").unwrap_or_default();
        return token
            .split_once(':')
            .map(|(id, _)| id)
            .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
            .map(str::to_string)
            .ok_or_else(|| FieldError::invalid("bot_token", "is not a bot token (123456:ABC…)"));
    }
    let given = given.map(str::trim).unwrap_or_default();
    if given.is_empty() {
        return Err(FieldError::blank("external_id"));
    }
    if channel == Channel::Sms {
        return normalize_identity(IdentityKind::Phone, given)
            .filter(|n| n.starts_with('+'))
            .ok_or_else(|| {
                FieldError::invalid(
                    "external_id",
                    "is not a phone number in E.164 (+34600112233)",
                )
            });
    }
    if given.len() > 100 || given.contains(char::is_whitespace) {
        return Err(FieldError::invalid("external_id", "is not a provider id"));
    }
    Ok(given.to_string())
}

/// Applies what admins wrote, checking every value.
fn apply(
    a: &mut ChannelAccount,
    creds: &mut Credentials,
    input: AccountInput,
) -> Result<(), AppError> {
    let mut problems = Vec::new();
    if let Some(name) = input.name {
        let name = name.trim().to_string();
        if name.is_empty() {
            problems.push(FieldError::blank("name"));
        } else if name.chars().count() > 100 {
            problems.push(FieldError::invalid("name", "is longer than 100 characters"));
        }
        a.name = name;
    }
    for (field, value) in input.credentials {
        if !FIELDS.contains(&field.as_str()) {
            problems.push(FieldError::invalid(
                "credentials",
                format!("{field:?} is not a credential ({})", FIELDS.join(", ")),
            ));
        } else if value.expose().trim().is_empty() || value.expose().len() > 1000 {
            problems.push(FieldError::invalid(field.as_str(), "is empty or too long"));
        } else {
            creds.set(&field, Secret::new(value.expose().trim()));
        }
    }
    if let Some(base) = input.api_base {
        match base.map(|b| b.trim().trim_end_matches('/').to_string()) {
            Some(b) if b.is_empty() => a.api_base = None,
            Some(b) if api_base_ok(&b) => a.api_base = Some(b),
            Some(_) => problems.push(FieldError::invalid("api_base", "is not an http(s) address")),
            None => a.api_base = None,
        }
    }
    if let Some(b) = input.bot_first {
        a.bot_first = b;
    }
    if let Some(e) = input.enabled {
        a.enabled = e;
    }
    for field in Credentials::required(a.channel) {
        if creds.get(field).is_none() {
            problems.push(FieldError::blank(field));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(problems))
    }
}

impl App {
    /// Connects a messaging account (admins). `webhook_base` is our public
    /// address, which the provider is told where it is told by API.
    pub async fn create_channel_account(
        &self,
        actor: Actor,
        input: AccountInput,
        webhook_base: &str,
    ) -> Result<NewAccount, AppError> {
        require(&actor, Capability::ManageChannels)?;
        let channel = match input.channel {
            Some(ch) if MESSAGING_CHANNELS.contains(&ch) => ch,
            Some(ch) => {
                return Err(AppError::field(FieldError::invalid(
                    "channel",
                    format!(
                        "{ch} is not a messaging channel (whatsapp, messenger, instagram, telegram, sms)"
                    ),
                )));
            }
            None => return Err(AppError::field(FieldError::blank("channel"))),
        };
        let given_id = input.external_id.clone();
        let mut account = ChannelAccount {
            id: ChannelAccountId(0),
            channel,
            name: String::new(),
            external_id: String::new(),
            api_base: None,
            bot_first: false,
            enabled: true,
            created_at: Timestamp::now(),
            last_delivery_at: None,
            last_error: None,
            last_error_at: None,
        };
        let mut creds = Credentials::default();
        let input = AccountInput {
            name: input.name.or_else(|| Some(String::new())),
            ..input
        };
        apply(&mut account, &mut creds, input)?;
        account.external_id =
            external_id_of(channel, given_id.as_deref(), &creds).map_err(AppError::field)?;
        // The tokens the provider sends back to us are ours to make.
        let mut made = Vec::new();
        let ours = match channel {
            Channel::WhatsApp | Channel::Messenger | Channel::Instagram => Some("verify_token"),
            Channel::Telegram => Some("webhook_secret"),
            _ => None,
        };
        if let Some(field) = ours {
            let token = Secret::new(random_token(32));
            creds.set(field, token.clone());
            made.push((field, token));
        }
        let (a, c) = (account.clone(), creds.clone());
        let id = self
            .write(move |cx| Box::pin(async move { Ok(repo::insert_account(cx, &a, &c).await?) }))
            .await?
            .ok_or_else(|| {
                AppError::field(FieldError::invalid(
                    "external_id",
                    "is connected already on this channel",
                ))
            })?;
        account.id = id;
        let path = webhook_path(&account);
        if let Err(e) = self
            .connect_with_provider(&account, &creds, webhook_base, &path)
            .await
        {
            self.write(move |cx| Box::pin(async move { Ok(repo::delete_account(cx, id).await?) }))
                .await?;
            return Err(AppError::field(FieldError::invalid(
                "credentials",
                format!("the provider refused them: {e}"),
            )));
        }
        // Logged once the provider took it (a refused account is removed).
        let change = AdminChange::new(
            AdminAction::Create,
            AdminSource::ChannelAccount,
            id.0,
            &account.name,
        );
        self.write(move |cx| {
            Box::pin(
                async move { crate::audit_log::record(cx, &actor, change, Timestamp::now()).await },
            )
        })
        .await?;
        Ok(NewAccount {
            account,
            made,
            webhook_path: path,
        })
    }

    /// Registers our webhook with the provider where it is told by API.
    async fn connect_with_provider(
        &self,
        account: &ChannelAccount,
        creds: &Credentials,
        webhook_base: &str,
        path: &str,
    ) -> Result<Connected, String> {
        match &self.messaging {
            Some(p) => {
                let url = format!("{}{path}", webhook_base.trim_end_matches('/'));
                p.connect(account, creds, &url).await
            }
            None => Ok(Connected::default()),
        }
    }

    /// Changes an account (admins); credentials given replace the stored
    /// ones and are never shown.
    pub async fn update_channel_account(
        &self,
        actor: Actor,
        id: ChannelAccountId,
        input: AccountInput,
    ) -> Result<ChannelAccount, AppError> {
        require(&actor, Capability::ManageChannels)?;
        let (mut account, mut creds) = self
            .channel_account_with_credentials(id)
            .await?
            .ok_or(AppError::NotFound)?;
        if input.channel.is_some_and(|ch| ch != account.channel) {
            return Err(AppError::field(FieldError::invalid(
                "channel",
                "cannot change; connect a new account",
            )));
        }
        let changes_creds = !input.credentials.is_empty();
        apply(&mut account, &mut creds, input)?;
        let (a, c) = (account.clone(), creds);
        self.write(move |cx| {
            Box::pin(async move {
                crate::error::found(
                    repo::update_account(cx, &a, changes_creds.then_some(&c)).await?,
                )?;
                let change = AdminChange::new(
                    AdminAction::Update,
                    AdminSource::ChannelAccount,
                    id.0,
                    &a.name,
                );
                crate::audit_log::record(cx, &actor, change, Timestamp::now()).await
            })
        })
        .await?;
        Ok(account)
    }

    pub async fn delete_channel_account(
        &self,
        actor: Actor,
        id: ChannelAccountId,
    ) -> Result<(), AppError> {
        require(&actor, Capability::ManageChannels)?;
        self.write(move |c| {
            Box::pin(async move {
                // Deliveries not read yet would be lost with the account.
                let waiting = repo::delivery_counts(c, id)
                    .await?
                    .into_iter()
                    .any(|(state, n)| state == DeliveryState::Received && n > 0);
                if waiting {
                    return Err(AppError::field(FieldError::invalid(
                        "account",
                        "has deliveries not read yet; disable it and delete it once they are read",
                    )));
                }
                crate::error::found(repo::delete_account(c, id).await?)?;
                let change =
                    AdminChange::new(AdminAction::Destroy, AdminSource::ChannelAccount, id.0, "");
                crate::audit_log::record(c, &actor, change, Timestamp::now()).await
            })
        })
        .await
    }

    /// Every account with its status line (admins).
    /// The messaging channels with an enabled account: a reply on another
    /// waits in the outbox until one is connected (the reply box says so).
    pub async fn connected_messaging_channels(&self) -> Result<Vec<domain::Channel>, AppError> {
        let mut rc = self.read().await?;
        Ok(repo::connected_channels(&mut rc.conn()).await?)
    }

    pub async fn channel_accounts(&self, actor: Actor) -> Result<Vec<AccountStatus>, AppError> {
        require(&actor, Capability::ManageChannels)?;
        let mut rc = self.read().await?;
        let mut c = rc.conn();
        let mut out = Vec::new();
        for account in repo::accounts(&mut c).await? {
            out.push(status_of(&mut c, account).await?);
        }
        Ok(out)
    }

    /// One account with its status line (admins).
    pub async fn channel_account(
        &self,
        actor: Actor,
        id: ChannelAccountId,
    ) -> Result<AccountStatus, AppError> {
        require(&actor, Capability::ManageChannels)?;
        let mut rc = self.read().await?;
        let mut c = rc.conn();
        let account = repo::account_by_id(&mut c, id)
            .await?
            .ok_or(AppError::NotFound)?;
        status_of(&mut c, account).await
    }

    /// Sends a test message from an account to `to` (admins): what the
    /// provider said, and the account's status line says it too.
    pub async fn send_channel_test(
        &self,
        actor: Actor,
        id: ChannelAccountId,
        to: &str,
    ) -> Result<Option<String>, AppError> {
        require(&actor, Capability::ManageChannels)?;
        let (account, creds) = self
            .channel_account_with_credentials(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let to = to.trim();
        if to.is_empty() {
            return Err(AppError::field(FieldError::blank("to")));
        }
        let Some(p) = &self.messaging else {
            return Err(AppError::Unavailable(
                "messaging is not wired on this server".into(),
            ));
        };
        let text = "atiende: mensaje de prueba / test message";
        match p.send_test(&account, &creds, to, text).await {
            Ok(sent) => Ok(sent),
            Err(e) => {
                let words = e.into_words();
                let now = Timestamp::now();
                let said = words.clone();
                self.write(move |c| {
                    Box::pin(async move { Ok(repo::note_error(c, id, &said, now).await?) })
                })
                .await?;
                Err(AppError::field(FieldError::invalid(
                    "to",
                    format!("the provider did not take the test message: {words}"),
                )))
            }
        }
    }
}

async fn status_of(
    c: &mut store::Conn<'_>,
    account: ChannelAccount,
) -> Result<AccountStatus, AppError> {
    let counts = repo::delivery_counts(c, account.id).await?;
    let count = |s: DeliveryState| counts.iter().find(|(k, _)| *k == s).map_or(0, |(_, n)| *n);
    Ok(AccountStatus {
        webhook_path: webhook_path(&account),
        processed: count(DeliveryState::Processed),
        waiting: count(DeliveryState::Received),
        malformed: count(DeliveryState::Malformed),
        account,
    })
}
