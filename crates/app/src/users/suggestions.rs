//! Identities a customer gives in the conversation: an email address or a
//! phone number written in their messages on a ticket (a Telegram or
//! Messenger customer saying "I'm ana@example.com"). The agent is shown
//! them beside the customer's profile: one click adds one to the profile,
//! or — when another customer already holds it — opens the merge of the
//! two, so one person keeps one history. Nothing is linked without an
//! agent's click.

use crate::{App, AppError};
use domain::policy::Capability;
use domain::user::normalize_identity;
use domain::{Actor, IdentityKind, TicketId, UserId};
use std::sync::LazyLock;
use store::repo::{comments, users};

/// How many of the customer's latest messages are read for them.
const MESSAGES_READ: i64 = 50;

static EMAIL: LazyLock<regex_lite::Regex> = LazyLock::new(|| {
    regex_lite::Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
        .unwrap_or_else(|_| unreachable!("a fixed pattern"))
});
static PHONE: LazyLock<regex_lite::Regex> = LazyLock::new(|| {
    regex_lite::Regex::new(r"\+?\(?\d[\d\s().-]{7,18}\d")
        .unwrap_or_else(|_| unreachable!("a fixed pattern"))
});

/// One identity found in the conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub kind: IdentityKind,
    pub value: String,
    /// Another customer who holds it already: (id, name).
    pub holder: Option<(UserId, String)>,
}

/// Emails and phone numbers in a text, each in its one stored form.
pub fn identities_in(text: &str) -> Vec<(IdentityKind, String)> {
    let mut out: Vec<(IdentityKind, String)> = Vec::new();
    let mut push = |kind, value: Option<String>| {
        if let Some(v) = value
            && !out.iter().any(|(k, x)| *k == kind && *x == v)
        {
            out.push((kind, v));
        }
    };
    for m in EMAIL.find_iter(text) {
        push(
            IdentityKind::Email,
            normalize_identity(IdentityKind::Email, m.as_str()),
        );
    }
    let without_emails = EMAIL.replace_all(text, " ");
    for m in PHONE.find_iter(&without_emails) {
        let digits = m.as_str().chars().filter(char::is_ascii_digit).count();
        if (9..=15).contains(&digits) {
            push(
                IdentityKind::Phone,
                normalize_identity(IdentityKind::Phone, m.as_str()),
            );
        }
    }
    out
}

impl App {
    /// The identities the ticket's requester wrote in it that are not on
    /// their profile yet (staff).
    pub async fn identity_suggestions(
        &self,
        actor: Actor,
        ticket: TicketId,
    ) -> Result<Vec<Suggestion>, AppError> {
        crate::error::require_hidden(&actor, Capability::WorkTheDesk)?;
        let t = self.ticket(actor, ticket).await?;
        let mut rc = self.read().await?;
        let mut c = rc.conn();
        let own = users::identities(&mut c, t.requester_id).await?;
        let bodies =
            comments::public_bodies_by(&mut c, t.id, t.requester_id, MESSAGES_READ).await?;
        let mut found: Vec<(IdentityKind, String)> = Vec::new();
        for body in &bodies {
            for (kind, value) in identities_in(body) {
                let mine = own.iter().any(|i| {
                    i.value == value
                        && (i.kind == kind
                            || (kind == IdentityKind::Phone && i.kind == IdentityKind::WhatsApp))
                });
                if !mine && !found.contains(&(kind, value.clone())) {
                    found.push((kind, value));
                }
            }
        }
        let mut out = Vec::with_capacity(found.len());
        for (kind, value) in found.into_iter().take(5) {
            let holder = users::by_identity(&mut c, kind, &value)
                .await?
                .filter(|u| u.id != t.requester_id && !u.role.is_staff())
                .map(|u| (u.id, u.name));
            out.push(Suggestion {
                kind,
                value,
                holder,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_and_phone_numbers_are_found_in_their_one_form() {
        let found = identities_in(
            "Soy Ana, mi correo es Ana.Ruiz@Example.com y mi móvil +34 600 11 22 33 (pedido 12345).",
        );
        assert_eq!(
            found,
            [
                (IdentityKind::Email, "ana.ruiz@example.com".to_string()),
                (IdentityKind::Phone, "+34600112233".to_string()),
            ]
        );
        assert!(identities_in("order 12345, 2026-12-04").is_empty());
    }
}
