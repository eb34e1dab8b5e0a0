//! The ticket's own reply address: our mail carries
//! `Reply-To: support+t42-9f3a1c07be@example.com`, so an answer threads
//! even when the customer's mail program drops In-Reply-To and rewrites the
//! subject. The tag is signed (HMAC-SHA256 with a secret kept in the
//! database, shared by every node), so nobody can write into a ticket by
//! guessing its number.

use crate::{App, AppError};
use domain::TicketId;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use store::repo::settings;

const SECRET_KEY: &str = "mail.reply_secret";
/// Hex digits of the signature: 40 bits, enough against guessing by mail.
const SIG_LEN: usize = 10;

/// Makes and checks reply addresses.
#[derive(Clone)]
pub struct ReplyAddress {
    secret: Vec<u8>,
}

impl std::fmt::Debug for ReplyAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReplyAddress(***)")
    }
}

impl ReplyAddress {
    pub fn new(secret: &[u8]) -> ReplyAddress {
        ReplyAddress {
            secret: secret.to_vec(),
        }
    }

    fn signature(&self, ticket: TicketId) -> String {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.secret) else {
            return String::new();
        };
        mac.update(format!("ticket:{}", ticket.0).as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()[..SIG_LEN]
            .to_string()
    }

    /// A hex HMAC of `purpose:text` with the same shared secret, for other
    /// short signed values (the purpose keeps their signatures apart).
    pub fn sign(&self, purpose: &str, text: &str) -> String {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.secret) else {
            return String::new();
        };
        mac.update(purpose.as_bytes());
        mac.update(b":");
        mac.update(text.as_bytes());
        mac.finalize().into_bytes()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// `local+tN-sig@domain` for a mailbox address `local@domain`.
    pub fn for_ticket(&self, mailbox: &str, ticket: TicketId) -> String {
        let (local, domain) = mailbox.split_once('@').unwrap_or((mailbox, "invalid"));
        let local = local.split_once('+').map_or(local, |(l, _)| l);
        format!("{local}+t{}-{}@{domain}", ticket.0, self.signature(ticket))
    }

    /// The ticket an address names, if its signature is ours.
    pub fn ticket_of(&self, address: &str) -> Option<TicketId> {
        let local = address.split_once('@')?.0;
        let tag = local.split_once('+')?.1.to_ascii_lowercase();
        let (id, sig) = tag.strip_prefix('t')?.split_once('-')?;
        let ticket = TicketId(id.parse().ok()?);
        let expected = self.signature(ticket);
        // Compare without an early exit, so timing says nothing.
        let same = sig.len() == expected.len()
            && sig
                .bytes()
                .zip(expected.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        same.then_some(ticket)
    }
}

impl App {
    /// The reply-address signer, with the secret read (or created once, by
    /// whichever node is first) from the database.
    pub async fn reply_address(&self) -> Result<ReplyAddress, AppError> {
        self.reply_address
            .get_or_try_init(|| async {
                let fresh = crate::auth::random_token(32);
                let secret = self
                    .write(move |c| {
                        Box::pin(async move {
                            if let Some(s) = settings::get(c, SECRET_KEY).await? {
                                return Ok(s);
                            }
                            settings::insert_if_absent(c, SECRET_KEY, &fresh).await?;
                            Ok(settings::get(c, SECRET_KEY).await?.unwrap_or(fresh))
                        })
                    })
                    .await?;
                Ok::<_, AppError>(ReplyAddress::new(secret.as_bytes()))
            })
            .await
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_round_trip_and_resist_forgery() {
        let r = ReplyAddress::new(b"secret");
        let a = r.for_ticket("support@example.com", TicketId(42));
        assert!(
            a.starts_with("support+t42-") && a.ends_with("@example.com"),
            "{a}"
        );
        assert_eq!(r.ticket_of(&a), Some(TicketId(42)));
        assert_eq!(r.ticket_of(&a.to_uppercase()), Some(TicketId(42)));
        let forged = a.replace("t42-", "t43-");
        assert_eq!(r.ticket_of(&forged), None);
        assert_eq!(ReplyAddress::new(b"other").ticket_of(&a), None);
        assert_eq!(r.ticket_of("support@example.com"), None);
        assert_eq!(r.ticket_of("support+t42@example.com"), None);
    }
}
