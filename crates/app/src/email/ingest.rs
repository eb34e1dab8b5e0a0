//! Storing and processing inbound messages: noise is recognised (automatic
//! replies, bounces, our own mail, a sender writing too often), the sender
//! is resolved to one profile, and the message continues its ticket (by
//! our Message-IDs, the ticket's reply address or the subject's `[#N]`)
//! or opens a new one, with Cc'd people as collaborators.

use super::{
    AutoKind, EmailOutcome, Envelope, InboundEmail, SenderCheck, Threading, subject_token,
};
use crate::pipeline::{Change, ExternalMessage, WriteRequest};
use crate::sanitize::{clean_html, escape, text_to_html};
use crate::tickets::{CommentInput, CommentText, TicketInput};
use crate::users::find_or_create_by_email;
use crate::{App, AppError};
use domain::user::normalize_email;
use domain::{
    Channel, IdentityKind, InboundStatus, Status, SuspensionCause, TicketId, Timestamp, UserId,
};
use store::repo::email::{self, Pending};
use store::repo::{outbox, tickets};

/// A sender's messages processed per hour before more are only stored:
/// a mail loop or a flood must not bury the queue.
pub const SENDER_LIMIT_PER_HOUR: i64 = 60;

/// The marker the timeline replaces with a localised "quoted text" toggle.
pub const QUOTED_SUMMARY: &str = "<summary data-quoted></summary>";

/// The comment's stored text and HTML: what was written this time, then the
/// quoted history and signature, kept whole but folded in a `<details>`.
fn comment_text(mail: &InboundEmail) -> Result<CommentText, AppError> {
    let text = mail.text.trim_end();
    let body = match &mail.quoted_text {
        Some(q) if !q.trim().is_empty() => format!("{text}\n\n{}", q.trim_end()),
        _ => text.to_string(),
    };
    let body = if body.trim().is_empty() {
        "(no text)".to_string()
    } else {
        body
    };
    let head = match &mail.html {
        Some(h) if !h.trim().is_empty() => clean_html(h),
        _ if text.is_empty() => String::new(),
        _ => text_to_html(text),
    };
    let folded = match (&mail.quoted_html, &mail.quoted_text) {
        (Some(h), _) if !h.trim().is_empty() => Some(clean_html(h)),
        (_, Some(q)) if !q.trim().is_empty() => Some(format!(
            "<pre class=\"quoted-text\">{}</pre>",
            escape(q.trim_end())
        )),
        _ => None,
    };
    let html = match folded {
        Some(f) => format!("{head}<details class=\"quoted\">{QUOTED_SUMMARY}{f}</details>"),
        None if head.is_empty() => text_to_html(&body),
        None => head,
    };
    Ok(CommentText::prepared(body, html))
}

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
    ) -> Result<i64, AppError> {
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
        id: i64,
        cause: SuspensionCause,
        detail: &str,
    ) -> Result<(), AppError> {
        let detail: String = detail.chars().take(1000).collect();
        let now = Timestamp::now();
        tracing::warn!(id, cause = cause.as_str(), detail = %detail, "inbound message suspended");
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
        id: i64,
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
        id: i64,
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
                        email::ticket_of_message(c, mid).await?
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
        id: i64,
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
        // The sender's one profile (a known email identity on anyone wins).
        let from = mail.from_email.clone();
        let from_name = mail.from_name.clone();
        let profile = self
            .write(move |c| {
                Box::pin(async move {
                    find_or_create_by_email(c, &from, from_name.as_deref(), None, now).await
                })
            })
            .await?;
        let actor = profile.actor();
        let mut uploads = Vec::new();
        let mut too_large = Vec::new();
        for a in &mail.attachments {
            match self
                .upload(
                    actor,
                    &a.file_name,
                    Some(&a.content_type),
                    a.data.clone(),
                    None,
                )
                .await
            {
                Ok((token, _)) => uploads.push(token),
                // Too large to keep as an attachment: say so on the comment
                // (the whole message stays stored as received).
                Err(AppError::Invalid(_)) => too_large.push(format!(
                    "[{} ({} bytes) was too large to attach; the original message is kept.]",
                    a.file_name,
                    a.data.len()
                )),
                Err(e) => return Err(e),
            }
        }
        for note in too_large {
            mail.text.push_str("\n\n");
            mail.text.push_str(&note);
        }
        let fingerprint = mail.fingerprint();
        let text = comment_text(&mail)?;
        let comment = CommentInput {
            body: Some(text.body().to_string()),
            html_body: None,
            public: Some(true),
            author_id: None,
            uploads,
            reply_via: None,
        };
        let ccs: Vec<String> = mail
            .cc
            .iter()
            .chain(mail.to.iter())
            .map(|(_, e)| e.to_lowercase())
            .filter(|e| !self.mailboxes.is_own_address(e) && *e != sender)
            .collect();
        let hooks = self.hooks().await?;
        self.write(move |c| {
            Box::pin(async move {
                if !email::claim(c, id, &sender, now).await? {
                    return Ok(EmailOutcome::Ignored("taken by another worker"));
                }
                // A Message-ID seen before is a redelivery only if the message
                // is the same; a different message reusing it is kept (its
                // Message-ID is then not remembered again).
                let mut message_id = mail.message_id.clone();
                if let Some(mid) = &mail.message_id
                    && let Some((t, inbound, seen)) = email::seen_message(c, mid).await?
                {
                    let same = inbound && seen.as_deref().is_none_or(|f| f == fingerprint);
                    if same {
                        email::finish(
                            c,
                            id,
                            InboundStatus::Ignored,
                            Some(t),
                            None,
                            "duplicate Message-ID",
                        )
                        .await?;
                        return Ok(EmailOutcome::Duplicate(t));
                    }
                    message_id = None;
                }
                // Which ticket, if any, this continues.
                let mut thread = None;
                for mid in mail.in_reply_to.iter().chain(mail.references.iter().rev()) {
                    if let Some(t) = email::ticket_of_message(c, mid).await? {
                        thread = Some((t, Threading::Headers));
                        break;
                    }
                }
                if thread.is_none()
                    && let Some(t) = by_address
                {
                    thread = Some((t, Threading::ReplyAddress));
                }
                if thread.is_none()
                    && let Some(t) = subject_token(&mail.subject)
                {
                    thread = Some((t, Threading::SubjectToken));
                }
                let target = match thread {
                    Some((t, how)) => match tickets::get(c, t, false).await? {
                        // A closed ticket takes no more replies: a follow-up
                        // opens a new one; and the sender must be on the
                        // ticket, or the number alone would let anyone in.
                        Some(tk)
                            if tk.status != Status::Closed
                                && crate::tickets::can_see(c, &actor, &tk).await? =>
                        {
                            Some((tk, how))
                        }
                        _ => None,
                    },
                    None => None,
                };
                let mut collaborators: Vec<UserId> = Vec::new();
                for e in &ccs {
                    if let Ok(u) = find_or_create_by_email(c, e, None, None, now).await {
                        collaborators.push(u.id);
                    }
                }
                // The Message-ID is remembered with the comment before the
                // triggers' acknowledgement goes out, so our answer threads.
                let external_message = message_id.map(|id| ExternalMessage {
                    id,
                    fingerprint: fingerprint.clone(),
                });
                let (change, outcome) = match target {
                    Some((tk, how)) => {
                        // New Cc'd people join the conversation.
                        let mut all = tk.collaborator_ids.clone();
                        for u in collaborators.iter().copied() {
                            if !all.contains(&u) && u != tk.requester_id {
                                all.push(u);
                            }
                        }
                        let input = TicketInput {
                            comment: Some(comment),
                            collaborator_ids: (all != tk.collaborator_ids).then_some(all),
                            ..Default::default()
                        };
                        let t = tk.id;
                        let change = Change::Update {
                            id: t,
                            input,
                            text: Some(text),
                        };
                        (change, Some(EmailOutcome::Reply(t, how)))
                    }
                    None => {
                        let subject = mail.subject.trim().to_string();
                        let input = TicketInput {
                            subject: Some(subject).filter(|s| !s.is_empty()),
                            collaborator_ids: Some(collaborators).filter(|v| !v.is_empty()),
                            recipient: recipient.clone(),
                            ..Default::default()
                        };
                        let change = Change::Create {
                            input,
                            comment,
                            text,
                        };
                        (change, None)
                    }
                };
                let mut req = WriteRequest::new(actor, Channel::Email, change);
                req.external_message = external_message;
                let written = crate::pipeline::write(c, &hooks, req, now)
                    .await?
                    .ok_or(AppError::NotFound)?;
                let ticket = written.ticket.id;
                let comment_id = written.comment.as_ref().map(|c| c.id);
                let outcome = outcome.unwrap_or(EmailOutcome::NewTicket(ticket));
                let how = match &outcome {
                    EmailOutcome::Reply(_, how) => *how,
                    _ => Threading::New,
                };
                email::finish(
                    c,
                    id,
                    InboundStatus::Processed,
                    Some(ticket),
                    comment_id,
                    how.as_str(),
                )
                .await?;
                Ok(outcome)
            })
        })
        .await
    }
}
