//! Storing and processing inbound mail: what only mail has is decided
//! here — noise (automatic replies, bounces, our own mail, a sender
//! writing too often) and staff sender authentication — and the rest is
//! the one way in every channel takes (`crate::ingest`): the mail becomes
//! an `Inbound` whose thread hints are its Message-IDs, the ticket's reply
//! address and the subject's `[#N]`, whose Cc'd people join the
//! conversation, landed in the same transaction that settles the stored
//! raw message.

use super::{
    AutoKind, EmailOutcome, Envelope, InboundEmail, SenderCheck, Threading, subject_token,
};
use crate::ingest::{
    self, Inbound, InboundSender, IngestOutcome, Preparation, Quoted, ThreadHint, Threaded,
};
use crate::{App, AppError};
use domain::user::normalize_email;
use domain::{
    Channel, IdentityKind, InboundEmailId, InboundStatus, SuspensionCause, TicketId, Timestamp,
};
use store::repo::email::{self, Pending};
use store::repo::outbox;

/// A sender's messages processed per hour before more are only stored:
/// a mail loop or a flood must not bury the queue.
pub const SENDER_LIMIT_PER_HOUR: i64 = 60;

/// The marker the timeline replaces with a localised "quoted text" toggle.
pub use crate::ingest::QUOTED_SUMMARY;

/// The reason a message is stored but makes no comment, if it is noise.
fn noise(mail: &InboundEmail, own_address: bool) -> Option<&'static str> {
    match mail.auto {
        Some(AutoKind::AutoReply) => Some("ignored: automatic reply"),
        Some(AutoKind::Bounce) => Some("ignored: delivery status notification"),
        None if own_address => Some("ignored: mail from our own address"),
        None => None,
    }
}

impl App {
    /// Stores a raw message durably (one commit) before anyone answers the
    /// sender; returns its id for processing.
    pub async fn store_inbound_email(
        &self,
        envelope: Envelope,
        raw: Vec<u8>,
    ) -> Result<InboundEmailId, AppError> {
        let arrival = email::Arrival {
            mail_from: envelope.mail_from,
            rcpt_to: envelope.rcpt_to.join(", "),
            mailbox: None,
            peer_ip: envelope.peer.map(|p| p.to_string()),
            helo: envelope.helo,
        };
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move { Ok(email::insert_raw(c, &arrival, &raw, now).await?) })
        })
        .await
    }

    /// Whether mail from this address claims to be from staff, so its
    /// sender must be authenticated before it is believed.
    pub async fn is_staff_address(&self, address: &str) -> Result<bool, AppError> {
        let Some(address) = normalize_email(address) else {
            return Ok(false);
        };
        let mut rc = self.read().await?;
        Ok(
            store::repo::users::by_identity(&mut rc.conn(), IdentityKind::Email, &address)
                .await?
                .is_some_and(|u| u.role.is_staff()),
        )
    }

    /// Stored messages not yet processed (after a restart too).
    pub async fn pending_inbound_emails(&self, limit: i64) -> Result<Vec<Pending>, AppError> {
        let mut rc = self.read().await?;
        Ok(email::pending(&mut rc.conn(), limit).await?)
    }

    /// Holds a stored message in the suspended queue with its cause and a
    /// readable detail; nothing accepted is ever dropped.
    pub async fn suspend_inbound_email(
        &self,
        id: InboundEmailId,
        cause: SuspensionCause,
        detail: &str,
    ) -> Result<(), AppError> {
        let detail: String = detail.chars().take(1000).collect();
        let now = Timestamp::now();
        tracing::warn!(id = id.0, cause = cause.as_str(), detail = %detail, "inbound message suspended");
        crate::guard::Counters::bump(&self.guard.counters.suspended_messages);
        self.write(move |c| {
            Box::pin(async move {
                email::suspend(c, id, cause, &detail, now).await?;
                Ok(())
            })
        })
        .await
    }

    /// What became of a stored message: `(status, ticket, outcome)`.
    pub async fn inbound_email_outcome(
        &self,
        id: InboundEmailId,
    ) -> Result<Option<(InboundStatus, Option<TicketId>, Option<String>)>, AppError> {
        let mut rc = self.read().await?;
        Ok(email::outcome(&mut rc.conn(), id).await?)
    }

    /// How each emailed comment of a ticket threaded (staff), so the
    /// ticket shows why a reply landed on it.
    pub async fn email_threading(
        &self,
        actor: domain::Actor,
        ticket: TicketId,
    ) -> Result<Vec<(domain::CommentId, Threading)>, AppError> {
        crate::error::require_hidden(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        Ok(email::outcomes_of_ticket(&mut rc.conn(), ticket)
            .await?
            .into_iter()
            .filter_map(|(c, o)| Threading::from_outcome(&o).map(|t| (c, t)))
            .collect())
    }

    /// Records a message that makes no comment: noise, or over the limit.
    /// A bounce of our own mail marks that message failed, with the
    /// receiving server's words, on its ticket.
    async fn ignore_inbound(
        &self,
        id: InboundEmailId,
        mail: &InboundEmail,
        why: &'static str,
        now: Timestamp,
    ) -> Result<EmailOutcome, AppError> {
        let bounced = mail
            .bounce_of
            .clone()
            .filter(|_| mail.auto == Some(AutoKind::Bounce));
        let reason = mail
            .bounce_reason
            .clone()
            .unwrap_or_else(|| "bounced (no diagnostic given)".into());
        let sender = mail.from_email.to_lowercase();
        self.write(move |c| {
            Box::pin(async move {
                if !email::claim(c, id, &sender, now).await? {
                    return Ok(EmailOutcome::Ignored("taken by another worker"));
                }
                let ticket = match &bounced {
                    Some(mid) => {
                        outbox::mark_bounced(c, mid, &reason).await?;
                        outbox::ticket_of_external(c, Channel::Email, mid).await?
                    }
                    None => None,
                };
                email::finish(c, id, InboundStatus::Ignored, ticket, None, why).await?;
                Ok(EmailOutcome::Ignored(why))
            })
        })
        .await
    }

    async fn suspend(
        &self,
        id: InboundEmailId,
        cause: SuspensionCause,
        why: &str,
    ) -> Result<EmailOutcome, AppError> {
        self.suspend_inbound_email(id, cause, why).await?;
        Ok(EmailOutcome::Suspended(cause))
    }

    /// Turns a stored, parsed message into a new ticket or a reply.
    pub async fn process_inbound_email(
        &self,
        stored: &Pending,
        mail: InboundEmail,
    ) -> Result<EmailOutcome, AppError> {
        let now = Timestamp::now();
        let id = stored.id;
        let mut mail = mail;
        if mail.from_email.is_empty() {
            // No usable `From:`: answer the envelope sender, if it has one.
            match normalize_email(&stored.arrival.mail_from) {
                Some(a) => mail.from_email = a,
                None => {
                    return self
                        .suspend(
                            id,
                            SuspensionCause::NoSender,
                            "no From: and no envelope sender",
                        )
                        .await;
                }
            }
        }
        if let Some(why) = noise(&mail, self.mailboxes.is_own_address(&mail.from_email)) {
            return self.ignore_inbound(id, &mail, why, now).await;
        }
        // Mail claiming to be from staff is believed only when its sender
        // is authenticated (or an admin recovered it): a forged `From:`
        // must never post as an agent.
        if stored.recovered_from != Some(SuspensionCause::UnverifiedSender)
            && self.is_staff_address(&mail.from_email).await?
        {
            match &mail.sender_check {
                SenderCheck::Verified(_) => {}
                SenderCheck::Failed(why) => {
                    let why = format!("claims to be from staff; {why}");
                    return self
                        .suspend(id, SuspensionCause::UnverifiedSender, &why)
                        .await;
                }
                SenderCheck::NotChecked => {
                    return self
                        .suspend(
                            id,
                            SuspensionCause::UnverifiedSender,
                            "claims to be from staff; not checked",
                        )
                        .await;
                }
            }
        }
        let sender = mail.from_email.to_lowercase();
        {
            let mut rc = self.read().await?;
            let recent =
                email::processed_from(&mut rc.conn(), &sender, Timestamp(now.0 - 3600)).await?;
            if recent >= SENDER_LIMIT_PER_HOUR {
                drop(rc);
                return self
                    .ignore_inbound(id, &mail, "ignored: sender over the hourly limit", now)
                    .await;
            }
        }
        // Which of our addresses it was for: the IMAP account's, or the
        // first of ours among the envelope, To and Cc.
        let fetched_for = stored
            .arrival
            .mailbox
            .and_then(|m| self.mailboxes.by_id(m))
            .map(|e| e.address);
        let envelope: Vec<&str> = stored
            .arrival
            .rcpt_to
            .split(", ")
            .filter(|s| !s.is_empty())
            .collect();
        let recipient = fetched_for.or_else(|| {
            self.mailboxes.recipient_of(
                envelope
                    .iter()
                    .copied()
                    .chain(mail.to.iter().map(|(_, a)| a.as_str()))
                    .chain(mail.cc.iter().map(|(_, a)| a.as_str())),
            )
        });
        // A reply address (`support+t12-…@`) among the recipients.
        let reply_address = self.reply_address().await?;
        let by_address = envelope
            .iter()
            .copied()
            .chain(mail.to.iter().map(|(_, a)| a.as_str()))
            .chain(mail.cc.iter().map(|(_, a)| a.as_str()))
            .find_map(|a| reply_address.ticket_of(a));
        let (inbound, how) = self.as_inbound(stored, mail, recipient, by_address, now);
        let prepared = self.prepare_inbound(inbound, now).await?;
        let hooks = self.hooks().await?;
        self.write(move |c| {
            Box::pin(async move {
                if !email::claim(c, id, &sender, now).await? {
                    return Ok(EmailOutcome::Ignored("taken by another worker"));
                }
                let outcome = match prepared {
                    Preparation::Ready(p) => ingest::land(c, &hooks, *p, now).await?,
                    Preparation::Seen(l) => IngestOutcome::Duplicate(l),
                };
                let (status, landed, note, result) = match outcome {
                    IngestOutcome::Landed(l, threaded) => {
                        let way = match threaded {
                            Threaded::New => Threading::New,
                            Threaded::OpenCase => Threading::OpenCase,
                            Threaded::Hint(i) => how.get(i).copied().unwrap_or(Threading::Headers),
                        };
                        let result = match way {
                            Threading::New => EmailOutcome::NewTicket(l.ticket),
                            _ => EmailOutcome::Reply(l.ticket, way),
                        };
                        (InboundStatus::Processed, l, way.as_str(), result)
                    }
                    IngestOutcome::Duplicate(l) => (
                        InboundStatus::Ignored,
                        l,
                        "duplicate Message-ID",
                        EmailOutcome::Duplicate(l.ticket),
                    ),
                };
                let comment = match result {
                    EmailOutcome::Duplicate(_) => None,
                    _ => landed.comment,
                };
                email::finish(c, id, status, Some(landed.ticket), comment, note).await?;
                Ok(result)
            })
        })
        .await
    }

    /// The message in the core's terms, with how each of its thread hints
    /// threads (Message-IDs first, then the reply address, then `[#N]`).
    fn as_inbound(
        &self,
        stored: &Pending,
        mail: InboundEmail,
        recipient: Option<String>,
        by_address: Option<TicketId>,
        now: Timestamp,
    ) -> (Inbound, Vec<Threading>) {
        let sender = mail.from_email.to_lowercase();
        let mut thread = Vec::new();
        let mut how = Vec::new();
        for mid in mail.in_reply_to.iter().chain(mail.references.iter().rev()) {
            thread.push(ThreadHint::RepliesTo(mid.clone()));
            how.push(Threading::Headers);
        }
        if let Some(t) = by_address {
            thread.push(ThreadHint::Ticket(t));
            how.push(Threading::ReplyAddress);
        }
        if let Some(t) = subject_token(&mail.subject) {
            thread.push(ThreadHint::Ticket(t));
            how.push(Threading::SubjectToken);
        }
        let copied = mail
            .cc
            .iter()
            .chain(mail.to.iter())
            .map(|(_, e)| e.to_lowercase())
            .filter(|e| !self.mailboxes.is_own_address(e) && *e != sender)
            .map(|value| InboundSender {
                kind: IdentityKind::Email,
                value,
                display_name: None,
            })
            .collect();
        let fingerprint = mail.fingerprint();
        let inbound = Inbound {
            channel: Channel::Email,
            account: String::new(),
            external_id: mail.message_id.clone(),
            fingerprint: Some(fingerprint),
            sender: InboundSender {
                kind: IdentityKind::Email,
                value: mail.from_email.clone(),
                display_name: mail.from_name.clone(),
            },
            copied,
            recipient,
            thread,
            subject: Some(mail.subject.trim().to_string()).filter(|s| !s.is_empty()),
            text: mail.text,
            html: mail.html,
            quoted: Quoted {
                text: mail.quoted_text,
                html: mail.quoted_html,
            },
            files: mail.attachments,
            uploads: Vec::new(),
            tags: Vec::new(),
            sent_at: mail.date.unwrap_or(now),
            raw_id: Some(stored.id.0),
        };
        (inbound, how)
    }
}
