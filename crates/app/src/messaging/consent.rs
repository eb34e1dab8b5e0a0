//! Customers' consent to messages, per messaging channel: a customer who
//! writes first has opted in; a stop word alone (STOP, BAJA…) opts them
//! out and a start word back in (`domain::messaging::consent_word`). A
//! reply to a customer who opted out of its channel is refused with the
//! reply, saying so. The customer panel shows what was recorded.

use crate::ingest::InboundSender;
use crate::{App, AppError, FieldError};
use domain::messaging::consent_word;
use domain::user::normalize_identity;
use domain::{Actor, Channel, Timestamp, UserId};
use store::Conn;
use store::repo::{messaging as repo, users};

/// One channel's consent as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    pub channel: Channel,
    pub opted_in: bool,
    /// What said so: `wrote first`, `STOP`, an agent.
    pub source: String,
    pub changed_at: Timestamp,
}

/// Refuses a reply on a channel the customer opted out of.
pub(crate) async fn check(
    c: &mut Conn<'_>,
    customer: UserId,
    channel: Channel,
) -> Result<(), AppError> {
    match repo::consent(c, customer, channel).await? {
        Some((false, source, at)) => Err(AppError::field(FieldError::invalid(
            "reply_via",
            format!(
                "the customer opted out of {} ({source}, {}): nothing more goes to them there",
                channel.as_str(),
                at.to_iso()
            ),
        ))),
        _ => Ok(()),
    }
}

impl App {
    /// Records what a customer's message says of their consent on its
    /// channel (after the message is taken in).
    pub(crate) async fn note_consent(
        &self,
        channel: Channel,
        sender: &InboundSender,
        text: &str,
        at: Timestamp,
    ) -> Result<(), AppError> {
        let Some(value) = normalize_identity(sender.kind, &sender.value) else {
            return Ok(());
        };
        let word = consent_word(text);
        let (user, known) = {
            let mut rc = self.read().await?;
            let mut c = rc.conn();
            let Some(user) = users::by_identity(&mut c, sender.kind, &value).await? else {
                return Ok(());
            };
            let known = repo::consent(&mut c, user.id, channel).await?;
            (user.id, known.map(|(opted_in, _, _)| opted_in))
        };
        // Most messages change nothing: write only when one does.
        let (opted_in, source, only_if_unknown) = match (word, known) {
            (None, Some(_)) => return Ok(()),
            (Some(w), Some(k)) if w == k => return Ok(()),
            (Some(w), _) => (w, text.trim().to_uppercase(), false),
            (None, None) => (true, "wrote first".to_string(), true),
        };
        self.write(move |c| {
            Box::pin(async move {
                repo::set_consent(c, user, channel, opted_in, &source, at, only_if_unknown).await?;
                Ok(())
            })
        })
        .await
    }

    /// A customer's recorded consents (staff).
    pub async fn consents(&self, actor: Actor, user: UserId) -> Result<Vec<Consent>, AppError> {
        crate::error::require_hidden(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        Ok(repo::consents(&mut rc.conn(), user)
            .await?
            .into_iter()
            .map(|(channel, opted_in, source, changed_at)| Consent {
                channel,
                opted_in,
                source,
                changed_at,
            })
            .collect())
    }
}
