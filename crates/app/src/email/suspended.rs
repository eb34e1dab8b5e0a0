//! The suspended-mail queue (Zendesk's suspended tickets): messages we
//! accepted but will not turn into tickets on our own — unreadable, with no
//! address to answer, or claiming to be from staff without proof. Admins
//! read them with their cause, recover them (processed at once, the check
//! that held them waived) or delete them.

use super::{EmailOutcome, InboundParser};
use crate::error::require;
use crate::{App, AppError};
use domain::{Actor, InboundEmailId, InboundStatus, SuspensionCause, TicketId, Timestamp};
use store::repo::email::{self, Pending};

/// A held message as admins see it.
#[derive(Debug, Clone)]
pub struct SuspendedMessage {
    pub id: InboundEmailId,
    pub received_at: Timestamp,
    pub cause: SuspensionCause,
    /// What was found (e.g. `claims to be from staff; spf=fail …`).
    pub detail: String,
    /// From the message's `From:` (else the envelope), when readable.
    pub from_email: String,
    pub from_name: Option<String>,
    pub subject: String,
    /// The beginning of the text.
    pub content: String,
    pub message_id: Option<String>,
    /// The address it was sent to.
    pub recipient: String,
}

fn view(
    p: &Pending,
    at: Timestamp,
    cause: SuspensionCause,
    detail: String,
    parser: Option<&dyn InboundParser>,
) -> SuspendedMessage {
    let parsed = parser.and_then(|x| x.parse(&p.raw).ok());
    let from_email = parsed
        .as_ref()
        .map(|m| m.from_email.clone())
        .filter(|f| !f.is_empty())
        .unwrap_or_else(|| p.arrival.mail_from.clone());
    SuspendedMessage {
        id: p.id,
        received_at: at,
        cause,
        detail,
        from_email,
        from_name: parsed.as_ref().and_then(|m| m.from_name.clone()),
        subject: parsed
            .as_ref()
            .map(|m| m.subject.clone())
            .unwrap_or_default(),
        content: parsed
            .as_ref()
            .map(|m| m.text.chars().take(2000).collect())
            .unwrap_or_else(|| String::from_utf8_lossy(&p.raw).chars().take(2000).collect()),
        message_id: parsed.and_then(|m| m.message_id),
        recipient: p
            .arrival
            .rcpt_to
            .split(", ")
            .next()
            .unwrap_or("")
            .to_string(),
    }
}

impl App {
    /// Held messages, newest first (admins only): those older than
    /// `before`, or the `limit` just newer than `newer_than`.
    pub async fn suspended_messages(
        &self,
        actor: Actor,
        before: Option<i64>,
        newer_than: Option<i64>,
        limit: i64,
    ) -> Result<Vec<SuspendedMessage>, AppError> {
        require(&actor, domain::policy::Capability::ManageSuspendedMail)?;
        let mut rc = self.read().await?;
        // One more than a full page of 100, so a caller can tell there are more.
        let rows =
            email::suspended(&mut rc.conn(), before, newer_than, limit.clamp(1, 101)).await?;
        let parser = self.inbound_parser.as_deref();
        Ok(rows
            .into_iter()
            .map(|(p, at, cause, detail)| view(&p, at, cause, detail, parser))
            .collect())
    }

    /// One held message (admins only).
    pub async fn suspended_message(
        &self,
        actor: Actor,
        id: InboundEmailId,
    ) -> Result<SuspendedMessage, AppError> {
        require(&actor, domain::policy::Capability::ManageSuspendedMail)?;
        let mut rc = self.read().await?;
        match email::stored(&mut rc.conn(), id).await? {
            Some((InboundStatus::Suspended, at, p)) => {
                let cause = p.recovered_from.ok_or(AppError::NotFound)?;
                let detail = email::outcome(&mut rc.conn(), id)
                    .await?
                    .and_then(|(_, _, o)| o)
                    .unwrap_or_default();
                Ok(view(&p, at, cause, detail, self.inbound_parser.as_deref()))
            }
            _ => Err(AppError::NotFound),
        }
    }

    /// Recovers a held message: it is processed now as if it had passed the
    /// check that held it, and the ticket it went to is returned. Messages
    /// with nothing to read or nobody to answer cannot be recovered.
    pub async fn recover_suspended(
        &self,
        actor: Actor,
        id: InboundEmailId,
    ) -> Result<TicketId, AppError> {
        let held = self.suspended_message(actor, id).await?;
        if matches!(
            held.cause,
            SuspensionCause::Unreadable | SuspensionCause::NoSender
        ) {
            return Err(AppError::field(crate::FieldError::invalid(
                "base",
                format!(
                    "{}: there is nothing to make a ticket from",
                    held.cause.describe()
                ),
            )));
        }
        let Some(parser) = self.inbound_parser.clone() else {
            return Err(AppError::bad("this server does not read mail"));
        };
        if !self
            .write(move |c| Box::pin(async move { Ok(email::recover(c, id).await?) }))
            .await?
        {
            return Err(AppError::NotFound);
        }
        tracing::info!(
            id = id.0,
            admin = actor.user.0,
            "suspended message recovered"
        );
        let stored = {
            let mut rc = self.read().await?;
            email::stored(&mut rc.conn(), id)
                .await?
                .ok_or(AppError::NotFound)?
                .2
        };
        let mail = match parser.parse(&stored.raw) {
            Ok(m) => m,
            Err(e) => {
                self.suspend_inbound_email(id, SuspensionCause::Unreadable, &e)
                    .await?;
                return Err(AppError::bad(e));
            }
        };
        match self.process_inbound_email(&stored, mail).await? {
            EmailOutcome::NewTicket(t) | EmailOutcome::Reply(t, _) | EmailOutcome::Duplicate(t) => {
                Ok(t)
            }
            EmailOutcome::Suspended(c) => Err(AppError::bad(c.describe())),
            EmailOutcome::Ignored(why) => Err(AppError::bad(why)),
        }
    }

    /// Recovers several held messages (admins only), in order; stops at
    /// the first that cannot be.
    pub async fn recover_suspended_many(
        &self,
        actor: Actor,
        ids: &[InboundEmailId],
    ) -> Result<Vec<TicketId>, AppError> {
        require(&actor, domain::policy::Capability::ManageSuspendedMail)?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.recover_suspended(actor, *id).await?);
        }
        Ok(out)
    }

    /// Deletes several held messages (admins only).
    pub async fn delete_suspended_many(
        &self,
        actor: Actor,
        ids: &[InboundEmailId],
    ) -> Result<(), AppError> {
        require(&actor, domain::policy::Capability::ManageSuspendedMail)?;
        for id in ids {
            self.delete_suspended(actor, *id).await?;
        }
        Ok(())
    }

    /// Deletes a held message's content (admins only); the record stays.
    pub async fn delete_suspended(&self, actor: Actor, id: InboundEmailId) -> Result<(), AppError> {
        require(&actor, domain::policy::Capability::ManageSuspendedMail)?;
        let gone = self
            .write(move |c| Box::pin(async move { Ok(email::delete_suspended(c, id).await?) }))
            .await?;
        if gone {
            tracing::info!(id = id.0, admin = actor.user.0, "suspended message deleted");
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }
}
