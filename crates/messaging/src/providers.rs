//! Provider calls that are not replies: connecting an account (a Telegram
//! bot's token checked with `getMe` and our webhook registered with
//! `setWebhook` and its secret token) and the admin's test message.

use crate::http::{Http, call};
use crate::{telegram, twilio, whatsapp};
use app::messaging::{BoxFuture, Connected, Providers};
use app::outbox::sender::SendError;
use domain::Channel;
use domain::messaging::{ChannelAccount, Credentials};
use serde_json::json;

/// A phone number as the providers take it: its digits ("+34 600-11 22
/// 33" → "34600112233").
fn phone_digits(to: &str) -> String {
    to.chars().filter(char::is_ascii_digit).collect()
}

pub struct ProviderCalls {
    http: Http,
}

impl ProviderCalls {
    pub fn new(http: Http) -> ProviderCalls {
        ProviderCalls { http }
    }

    async fn connect_telegram(
        &self,
        account: &ChannelAccount,
        creds: &Credentials,
        webhook_url: &str,
    ) -> Result<Connected, String> {
        let token = creds.need("bot_token").map_err(|e| e.to_string())?;
        let words = SendError::into_words;
        let me = telegram::result(
            call(
                self.http
                    .client
                    .get(telegram::method_url(account, token, "getMe")),
            )
            .await
            .map_err(words)?,
        )
        .map_err(words)?;
        let secret = creds.need("webhook_secret").map_err(|e| e.to_string())?;
        telegram::result(
            call(
                self.http
                    .client
                    .post(telegram::method_url(account, token, "setWebhook"))
                    .json(&json!({
                        "url": webhook_url,
                        "secret_token": secret,
                        "allowed_updates": ["message", "edited_message"],
                    })),
            )
            .await
            .map_err(words)?,
        )
        .map_err(words)?;
        Ok(Connected {
            external_id: me["id"].as_i64().map(|i| i.to_string()),
            name: me["username"].as_str().map(str::to_string),
        })
    }

    async fn test(
        &self,
        account: &ChannelAccount,
        creds: &Credentials,
        to: &str,
        text: &str,
    ) -> Result<Option<String>, SendError> {
        match account.channel {
            Channel::WhatsApp => {
                let token = creds
                    .need("access_token")
                    .map_err(|e| SendError::Permanent(e.to_string()))?;
                let msg = json!({
                    "messaging_product": "whatsapp",
                    "recipient_type": "individual",
                    "to": phone_digits(to),
                    "type": "text",
                    "text": { "preview_url": false, "body": text },
                });
                whatsapp::post_message(&self.http, account, token, &msg).await
            }
            Channel::Telegram => {
                let token = creds
                    .need("bot_token")
                    .map_err(|e| SendError::Permanent(e.to_string()))?;
                let r = telegram::result(
                    call(
                        self.http
                            .client
                            .post(telegram::method_url(account, token, "sendMessage"))
                            .json(&json!({ "chat_id": to, "text": text })),
                    )
                    .await?,
                )?;
                Ok(r["message_id"].as_i64().map(|id| format!("{to}:{id}")))
            }
            Channel::Sms => twilio::post_message(
                &self.http,
                account,
                creds,
                &format!("+{}", phone_digits(to)),
                (text, &[]),
                None,
            )
            .await
            .map(Some),
            other => Err(SendError::Permanent(format!(
                "a test message on {other} goes to someone who wrote to the account first; reply to them from a ticket"
            ))),
        }
    }
}

impl Providers for ProviderCalls {
    fn connect<'a>(
        &'a self,
        account: &'a ChannelAccount,
        credentials: &'a Credentials,
        webhook_url: &'a str,
    ) -> BoxFuture<'a, Result<Connected, String>> {
        Box::pin(async move {
            match account.channel {
                Channel::Telegram => {
                    self.connect_telegram(account, credentials, webhook_url)
                        .await
                }
                // Meta and Twilio are told our webhook in their consoles.
                _ => Ok(Connected::default()),
            }
        })
    }

    fn send_test<'a>(
        &'a self,
        account: &'a ChannelAccount,
        credentials: &'a Credentials,
        to: &'a str,
        text: &'a str,
    ) -> BoxFuture<'a, Result<Option<String>, SendError>> {
        Box::pin(self.test(account, credentials, to, text))
    }
}
