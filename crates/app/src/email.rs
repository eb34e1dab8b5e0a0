//! Email in: a raw message is stored durably first (the SMTP listener
//! answers 250 only after that), then processed: the sender becomes (or is
//! found as) one customer profile, the message threads onto its ticket or
//! opens a new one, and its Message-ID is remembered so a message delivered
//! twice becomes one comment. Parsing MIME is the `mail` adapter's job; it
//! hands this module an [`InboundEmail`].

use crate::tickets::{CommentInput, CommentText, TicketInput, create_in, update_in};
use crate::users::find_or_create_by_email;
use crate::{App, AppError};
use domain::{Channel, Status, TicketId, Timestamp};
use store::repo::{email, tickets};

/// Why a message is not a human writing to us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AutoKind {
    /// Out-of-office and other automatic answers (Auto-Submitted,
    /// Precedence, X-Autoreply): answering them would loop.
    AutoReply,
    /// A delivery status notification about mail we sent.
    Bounce,
}

/// A file that came with a message.
#[derive(Debug, Clone)]
pub struct InboundAttachment {
    pub file_name: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

/// A parsed inbound message, as the mail adapter reads it.
#[derive(Debug, Clone, Default)]
pub struct InboundEmail {
    /// Without angle brackets.
    pub message_id: Option<String>,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    pub subject: String,
    pub from_email: String,
    pub from_name: Option<String>,
    pub cc: Vec<(Option<String>, String)>,
    /// The text part (or the HTML's text when there is none).
    pub text: String,
    /// The HTML part as sent (sanitised before storing).
    pub html: Option<String>,
    pub attachments: Vec<InboundAttachment>,
    pub auto: Option<AutoKind>,
    /// For a bounce: the Message-ID of our message it reports on, and the
    /// receiving server's diagnostic.
    pub bounce_of: Option<String>,
    pub bounce_reason: Option<String>,
}

/// How a message threaded (recorded on the inbound message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Threading {
    /// In-Reply-To or References named a message of the ticket.
    Headers,
    /// The subject carried the ticket's `[#N]` token.
    SubjectToken,
    /// Nothing matched: a new ticket.
    New,
}

impl Threading {
    fn as_str(self) -> &'static str {
        match self {
            Threading::Headers => "threaded by In-Reply-To/References",
            Threading::SubjectToken => "threaded by the subject's ticket number",
            Threading::New => "new ticket",
        }
    }
}

/// What became of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmailOutcome {
    NewTicket(TicketId),
    Reply(TicketId, Threading),
    /// Its Message-ID was processed before.
    Duplicate(TicketId),
    /// Stored, not turned into a comment (auto-reply, bounce, our own mail).
    Ignored(&'static str),
}

/// The `[#123]` token our subjects carry.
pub fn subject_token(subject: &str) -> Option<TicketId> {
    let start = subject.find("[#")? + 2;
    let rest = &subject[start..];
    let end = rest.find(']')?;
    rest[..end].trim().parse().ok().map(TicketId)
}

/// The support addresses mail is accepted for.
#[derive(Debug, Clone, Default)]
pub struct Mailboxes {
    /// Exact addresses, lower-case.
    pub addresses: Vec<String>,
    /// Any address at these domains (lower-case).
    pub domains: Vec<String>,
}

impl Mailboxes {
    /// From `support@example.com`: that address and its whole domain.
    pub fn from_support_address(address: &str) -> Mailboxes {
        let a = address.trim().to_lowercase();
        let domains = a
            .split_once('@')
            .map(|(_, d)| vec![d.to_string()])
            .unwrap_or_default();
        Mailboxes {
            addresses: vec![a],
            domains,
        }
    }

    /// One of our own configured addresses (mail from it is our own,
    /// looping back); other addresses at our domains may be people.
    pub fn is_own_address(&self, addr: &str) -> bool {
        let a = addr.trim().trim_matches(['<', '>']).to_lowercase();
        self.addresses.contains(&a)
    }

    /// Whether mail to this recipient is ours to take.
    pub fn accepts(&self, rcpt: &str) -> bool {
        let r = rcpt.trim().trim_matches(['<', '>']).to_lowercase();
        self.addresses.contains(&r)
            || r.rsplit_once('@')
                .is_some_and(|(_, d)| self.domains.iter().any(|x| x == d))
    }
}

impl App {
    /// Stores a raw message durably (one commit) before anyone answers the
    /// sender; returns its id for processing.
    pub async fn store_inbound_email(
        &self,
        mail_from: &str,
        rcpt_to: &[String],
        raw: Vec<u8>,
    ) -> Result<i64, AppError> {
        let from = mail_from.to_string();
        let to = rcpt_to.join(", ");
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move { Ok(email::insert_raw(c, &from, &to, &raw, now).await?) })
        })
        .await
    }

    /// Stored messages not yet processed (after a restart too).
    pub async fn pending_inbound_emails(
        &self,
        limit: i64,
    ) -> Result<Vec<(i64, Vec<u8>)>, AppError> {
        let mut rc = self.read().await?;
        Ok(email::pending(&mut rc.conn(), limit).await?)
    }

    /// Marks a stored message that could not be parsed; it stays stored.
    pub async fn fail_inbound_email(&self, id: i64, why: &str) -> Result<(), AppError> {
        let why = why.to_string();
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                email::finish(c, id, "failed", None, None, &why, now).await?;
                Ok(())
            })
        })
        .await
    }

    /// What became of a stored message: `(status, ticket, outcome)`.
    pub async fn inbound_email_outcome(
        &self,
        id: i64,
    ) -> Result<Option<(String, Option<TicketId>, Option<String>)>, AppError> {
        let mut rc = self.read().await?;
        Ok(email::outcome(&mut rc.conn(), id).await?)
    }

    /// Turns a stored, parsed message into a new ticket or a reply.
    pub async fn process_inbound_email(
        &self,
        id: i64,
        mail: InboundEmail,
        ours: &Mailboxes,
    ) -> Result<EmailOutcome, AppError> {
        let now = Timestamp::now();
        let ignore = match mail.auto {
            Some(AutoKind::AutoReply) => Some("ignored: automatic reply"),
            Some(AutoKind::Bounce) => Some("ignored: delivery status notification"),
            None if ours.is_own_address(&mail.from_email) => {
                Some("ignored: mail from our own address")
            }
            None => None,
        };
        if let Some(why) = ignore {
            let bounced = mail
                .bounce_of
                .clone()
                .filter(|_| mail.auto == Some(AutoKind::Bounce));
            let reason = mail
                .bounce_reason
                .clone()
                .unwrap_or_else(|| "bounced (no diagnostic given)".into());
            self.write(move |c| {
                Box::pin(async move {
                    // A bounce of our own mail marks that message failed,
                    // with the receiving server's words, on its ticket.
                    let ticket = match &bounced {
                        Some(mid) => {
                            store::repo::outbox::mark_bounced(c, mid, &reason).await?;
                            email::ticket_of_message(c, mid).await?
                        }
                        None => None,
                    };
                    email::finish(c, id, "ignored", ticket, None, why, now).await?;
                    Ok(())
                })
            })
            .await?;
            return Ok(EmailOutcome::Ignored(why));
        }
        // The sender's one profile (a known email identity on anyone wins).
        let from = mail.from_email.clone();
        let from_name = mail.from_name.clone();
        let sender = self
            .write(move |c| {
                Box::pin(async move {
                    find_or_create_by_email(c, &from, from_name.as_deref(), None, now).await
                })
            })
            .await?;
        let actor = sender.actor();
        let mut uploads = Vec::new();
        for a in &mail.attachments {
            let (token, _) = self
                .upload(
                    actor,
                    &a.file_name,
                    Some(&a.content_type),
                    a.data.clone(),
                    None,
                )
                .await?;
            uploads.push(token);
        }
        let comment = CommentInput {
            body: Some(mail.text.clone()).filter(|t| !t.trim().is_empty()),
            html_body: mail.html.clone(),
            public: Some(true),
            author_id: None,
            uploads,
        };
        let comment = if comment.body.is_none() && comment.html_body.is_none() {
            CommentInput {
                body: Some("(no text)".into()),
                ..comment
            }
        } else {
            comment
        };
        let text = CommentText::of(&comment)?;
        let ccs: Vec<String> = mail
            .cc
            .iter()
            .map(|(_, e)| e.to_lowercase())
            .filter(|e| !ours.is_own_address(e))
            .collect();
        let settings = self.mail.clone();
        self.write(move |c| {
            Box::pin(async move {
                if let Some(mid) = &mail.message_id
                    && let Some(t) = email::ticket_of_message(c, mid).await?
                {
                    email::finish(c, id, "ignored", Some(t), None, "duplicate Message-ID", now)
                        .await?;
                    return Ok(EmailOutcome::Duplicate(t));
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
                    && let Some(t) = subject_token(&mail.subject)
                {
                    thread = Some((t, Threading::SubjectToken));
                }
                let target = match thread {
                    Some((t, how)) => match tickets::get(c, t, false).await? {
                        // A closed ticket takes no more replies: a follow-up opens a new one.
                        Some(tk)
                            if tk.status != Status::Closed
                                && crate::tickets::can_see(c, &actor, &tk).await? =>
                        {
                            Some((t, how))
                        }
                        _ => None,
                    },
                    None => None,
                };
                let (ticket, comment_id, outcome) = match target {
                    Some((t, how)) => {
                        let input = TicketInput {
                            comment: Some(comment),
                            ..Default::default()
                        };
                        let w =
                            update_in(c, actor, t, input, Some(text), Channel::Email, now).await?;
                        (t, w.comment.map(|c| c.id), EmailOutcome::Reply(t, how))
                    }
                    None => {
                        let mut collaborators = Vec::new();
                        for e in &ccs {
                            if let Ok(u) = find_or_create_by_email(c, e, None, None, now).await {
                                collaborators.push(u.id);
                            }
                        }
                        let subject = mail.subject.trim().to_string();
                        let input = TicketInput {
                            subject: Some(subject).filter(|s| !s.is_empty()),
                            collaborator_ids: Some(collaborators).filter(|v| !v.is_empty()),
                            ..Default::default()
                        };
                        let w =
                            create_in(c, actor, input, comment.clone(), text, Channel::Email, now)
                                .await?;
                        (
                            w.ticket.id,
                            w.comment.map(|c| c.id),
                            EmailOutcome::NewTicket(w.ticket.id),
                        )
                    }
                };
                let how = match &outcome {
                    EmailOutcome::Reply(_, how) => *how,
                    _ => Threading::New,
                };
                if let Some(mid) = &mail.message_id {
                    email::remember_message(c, mid, ticket, comment_id, true).await?;
                }
                // The immediate acknowledgement of a new emailed ticket.
                if let (Some(s), EmailOutcome::NewTicket(_)) = (&settings, &outcome) {
                    let t = tickets::get(c, ticket, false)
                        .await?
                        .ok_or(AppError::NotFound)?;
                    let name = mail
                        .from_name
                        .clone()
                        .unwrap_or_else(|| mail.from_email.clone());
                    crate::outbox::acknowledge(c, s, &t, &mail.from_email, &name, now).await?;
                }
                email::finish(
                    c,
                    id,
                    "processed",
                    Some(ticket),
                    comment_id,
                    how.as_str(),
                    now,
                )
                .await?;
                Ok(outcome)
            })
        })
        .await
    }
}
