//! The customer portal's sign-in by emailed link: a customer types their
//! address, we mail a link that signs them in once, within 15 minutes.
//! The page answers the same whether the address is known or not (nobody
//! learns who our customers are), and one address, or one network, can
//! ask only so often. The mail goes through the outbox like every other.

use crate::auth::{random_token, token_hash};
use crate::guard::Client;
use crate::sanitize::escape;
use crate::{App, AppError, FieldError};
use domain::{IdentityKind, OutboundKind, Timestamp};
use i18n::{Arg, Lang};
use store::repo::{sign_in_links as links, users};

/// How long a link signs in.
pub const LINK_MINUTES: i64 = 15;
/// Links one address may be sent in an hour.
const PER_ADDRESS: i64 = 5;
/// Links one network may ask for in an hour.
const PER_NETWORK: i64 = 30;

/// What became of a request for a link. `Sent` also when the address is
/// unknown: the page must not tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkAsked {
    Sent,
    /// This network asked too often; try later.
    TooMany,
}

impl App {
    /// Who mail about an account (not a ticket) comes from: the default
    /// support address, else the relay's; `None` where no mail goes out.
    pub(crate) fn account_mail_sender(&self) -> Option<(String, String)> {
        self.mailboxes.sender_for(None).map_or_else(
            || {
                self.mail
                    .as_ref()
                    .map(|m| (m.from_address.clone(), m.from_name.clone()))
            },
            |m| Some((m.address, m.name)),
        )
    }

    /// Mails a sign-in link to `raw_email` if it is a customer's (or
    /// anyone's) address; `link_prefix` is the page address the token is
    /// appended to.
    pub async fn send_sign_in_link(
        &self,
        raw_email: &str,
        lang: Lang,
        link_prefix: &str,
        client: Client,
    ) -> Result<LinkAsked, AppError> {
        let email = domain::user::normalize_email(raw_email)
            .ok_or_else(|| AppError::field(FieldError::invalid("email", "not an email address")))?;
        let net = client.network();
        let now = Timestamp::now();
        let token = random_token(40);
        let hash = token_hash(&token);
        let link = format!("{link_prefix}{token}");
        let from = self.account_mail_sender();
        self.write(move |c| {
            Box::pin(async move {
                let hour_ago = Timestamp(now.0 - 3600);
                let (by_address, by_network) =
                    links::asked_since(c, &email, &net, hour_ago).await?;
                if by_network >= PER_NETWORK {
                    return Ok(LinkAsked::TooMany);
                }
                let user = users::by_identity(c, IdentityKind::Email, &email).await?;
                let Some(user) = user.filter(|u| u.active) else {
                    return Ok(LinkAsked::Sent);
                };
                if by_address >= PER_ADDRESS {
                    tracing::info!("sign-in link: address asked too often; none sent");
                    return Ok(LinkAsked::Sent);
                }
                let Some((from_address, from_name)) = from else {
                    tracing::warn!("sign-in link asked, but no mail relay is configured");
                    return Ok(LinkAsked::Sent);
                };
                let expires = Timestamp(now.0 + LINK_MINUTES * 60);
                links::insert(c, &hash, user.id, &email, &net, now, expires).await?;
                let args = [
                    ("link", Arg::Text(&link)),
                    ("minutes", Arg::Number(LINK_MINUTES)),
                    ("name", Arg::Text(&user.name)),
                ];
                let text = i18n::with(lang, "portal-link-text", &args);
                let html = format!(
                    "<p>{}</p><p><a href=\"{}\">{}</a></p><p>{}</p>",
                    escape(&i18n::with(lang, "portal-link-greeting", &args)),
                    escape(&link),
                    escape(&i18n::text(lang, "portal-link-action")),
                    escape(&i18n::with(lang, "portal-link-note", &args)),
                );
                crate::outbox::account_mail(
                    c,
                    (from_address, from_name),
                    email,
                    i18n::text(lang, "portal-link-subject"),
                    (text, html),
                    (OutboundKind::SignIn, "sign_in"),
                    now,
                )
                .await?;
                Ok(LinkAsked::Sent)
            })
        })
        .await
    }

    /// The address a live, unused link was sent to (the confirmation page
    /// shows it before the link is used).
    pub async fn sign_in_link_address(&self, token: &str) -> Result<Option<String>, AppError> {
        let mut rc = self.read().await?;
        Ok(
            links::peek(&mut rc.conn(), &token_hash(token), Timestamp::now())
                .await?
                .map(|(_, email)| email),
        )
    }

    /// Uses a link up and opens a session: the cookie token, or `None` for
    /// a link that is unknown, used, expired, or whose user was
    /// deactivated meanwhile.
    pub async fn redeem_sign_in_link(&self, token: &str) -> Result<Option<String>, AppError> {
        let hash = token_hash(token);
        let session = random_token(40);
        let session_hash = token_hash(&session);
        let now = Timestamp::now();
        let opened = self
            .write(move |c| {
                Box::pin(async move {
                    let Some((user, _)) = links::redeem(c, &hash, now).await? else {
                        return Ok(false);
                    };
                    if !users::get(c, user).await?.is_some_and(|u| u.active) {
                        return Ok(false);
                    }
                    links::delete_old(c, Timestamp(now.0 - 86_400)).await?;
                    crate::sessions::open_session_in(c, &session_hash, user, now).await?;
                    Ok(true)
                })
            })
            .await?;
        Ok(opened.then_some(session))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::IpAddr;

    #[test]
    fn networks_group_neighbouring_addresses() {
        let net = |ip: &str| {
            Client {
                ip: ip.parse().unwrap_or(IpAddr::from([0; 4])),
                https: false,
            }
            .network()
        };
        assert_eq!(net("192.0.2.77"), "192.0.2.0/24");
        assert_eq!(net("2001:db8:aa:1::5"), "2001:db8:aa::/48");
    }
}
