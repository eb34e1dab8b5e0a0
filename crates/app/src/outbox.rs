//! Outgoing email, queued in the same transaction as what it tells about:
//! the immediate acknowledgement of a new emailed ticket, and agents'
//! public replies. Each message goes out from the support address the
//! customer wrote to, with our own Message-ID (remembered, so the
//! customer's answer threads back), In-Reply-To/References to the
//! conversation so far, and the ticket's signed reply address. The words
//! come from the admin-edited templates, in the customer's language. The
//! `mail` adapter sends what is due.

use crate::App;
use crate::AppError;
use crate::email::{MailboxEntry, ReplyAddress};
use crate::mail_templates::{self, MailTemplates};
use crate::placeholders::Values;
use crate::sanitize::{escape, text_to_html};
use domain::{OutboundKind, OutboundStatus, Timestamp, UserId};
use search::analyze::Language;
use store::Conn;
use store::model::{Comment, Ticket};
use store::repo::claims::{self, Queue};
use store::repo::outbox::{self, Outbound};
use store::repo::{email, users};

/// Who our mail comes from when no support address is managed in the
/// admin pages (set when a relay is configured; without one nothing is
/// queued).
#[derive(Debug, Clone)]
pub struct MailSettings {
    pub from_address: String,
    pub from_name: String,
}

/// A new Message-ID of ours; the `atiende-` prefix lets bounces find it.
fn new_message_id(from: &str, ticket: i64, kind: OutboundKind) -> String {
    let domain = from.split_once('@').map_or("atiende.local", |(_, d)| d);
    format!(
        "atiende-{ticket}-{}-{}@{domain}",
        kind.as_str(),
        crate::auth::random_token(12).to_lowercase()
    )
}

/// The subject our mail carries: the ticket's number token first.
fn with_token(subject: &str, t: &Ticket) -> String {
    let token = format!("[#{}]", t.id);
    if subject.contains(&token) {
        subject.to_string()
    } else {
        format!("{token} {subject}")
    }
}

/// What one message needs to be queued.
struct Message<'a> {
    kind: OutboundKind,
    to: String,
    subject: String,
    comment: Option<&'a Comment>,
    text: String,
    html: String,
}

/// Everything that decides how our mail about a ticket looks on the wire.
pub(crate) struct Sender<'a> {
    pub settings: &'a MailSettings,
    pub mailbox: Option<MailboxEntry>,
    pub reply_address: &'a ReplyAddress,
}

impl Sender<'_> {
    /// The language we write to the ticket's customer in, and the
    /// ticket's placeholders in it plus `support.*`, the address we write
    /// from (the requester read once for both).
    async fn speak(&self, c: &mut Conn<'_>, t: &Ticket) -> Result<(Language, Values), AppError> {
        let requester = users::get(c, t.requester_id).await?;
        let lang = crate::language::customer(requester.as_ref(), t);
        let (address, name) = self.from();
        let values = Values::of(t, requester.as_ref(), crate::language::code(lang))
            .with("support.name", name)
            .with("support.address", address);
        Ok((lang, values))
    }

    /// (address, name) our mail comes from.
    fn from(&self) -> (String, String) {
        match &self.mailbox {
            Some(m) => (m.address.clone(), m.name.clone()),
            None => (
                self.settings.from_address.clone(),
                self.settings.from_name.clone(),
            ),
        }
    }
}

/// Queues one message and remembers its Message-ID for threading.
async fn queue(
    c: &mut Conn<'_>,
    sender: &Sender<'_>,
    t: &Ticket,
    m: Message<'_>,
    now: Timestamp,
) -> Result<(), AppError> {
    let known = email::message_ids_of_ticket(c, t.id).await?;
    let (from_address, from_name) = sender.from();
    let message_id = new_message_id(&from_address, t.id.0, m.kind);
    let reply_to = sender.reply_address.for_ticket(&from_address, t.id);
    outbox::enqueue(
        c,
        &Outbound {
            id: 0,
            ticket_id: t.id,
            comment_id: m.comment.map(|c| c.id),
            kind: m.kind,
            to_address: m.to,
            from_address: Some(from_address),
            from_name: Some(from_name),
            reply_to: Some(reply_to),
            subject: with_token(&m.subject, t),
            message_id: message_id.clone(),
            in_reply_to: known.last().cloned(),
            references: known.join(" "),
            body_text: m.text,
            body_html: m.html,
            status: OutboundStatus::Queued,
            attempts: 0,
            next_attempt_at: now,
            last_error: None,
            created_at: now,
            sent_at: None,
        },
    )
    .await?;
    email::remember_message(c, &message_id, t.id, m.comment.map(|c| c.id), false, None).await?;
    Ok(())
}

/// "We got your message", in the customer's language, unless an admin
/// turned the acknowledgement off.
pub(crate) async fn acknowledge(
    c: &mut Conn<'_>,
    sender: &Sender<'_>,
    t: &Ticket,
    to: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let templates: MailTemplates = mail_templates::load(c).await?;
    if !templates.acknowledge {
        return Ok(());
    }
    let (lang, values) = sender.speak(c, t).await?;
    let template = templates.acknowledgement(lang);
    let text = values.render(&template.body);
    let message = Message {
        kind: OutboundKind::Acknowledgement,
        to: to.to_string(),
        subject: values.render(&template.subject),
        comment: None,
        html: text_to_html(&text),
        text,
    };
    queue(c, sender, t, message, now).await
}

/// An agent's public reply, to the requester, with the footer in the
/// customer's language; its attachments go with it.
pub(crate) async fn reply(
    c: &mut Conn<'_>,
    sender: &Sender<'_>,
    t: &Ticket,
    comment: &Comment,
    author: UserId,
    now: Timestamp,
) -> Result<(), AppError> {
    if !comment.public || author == t.requester_id {
        return Ok(());
    }
    let Some(to) = users::primary_email(c, t.requester_id).await? else {
        return Ok(());
    };
    let templates = mail_templates::load(c).await?;
    let (lang, values) = sender.speak(c, t).await?;
    let footer = values.render(templates.reply_footer(lang));
    let (text, html) = if footer.trim().is_empty() {
        (comment.body.clone(), comment.html_body.clone())
    } else {
        (
            format!("{}\n\n--\n{}", comment.body, footer.trim()),
            format!(
                "{}<hr><p style=\"color:#555\">{}</p>",
                comment.html_body,
                escape(footer.trim())
            ),
        )
    };
    let message = Message {
        kind: OutboundKind::Reply,
        to,
        subject: format!("Re: {}", t.subject),
        comment: Some(comment),
        text,
        html,
    };
    queue(c, sender, t, message, now).await
}

/// A message a trigger sends (to the assignee, a group member, anyone).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn notification(
    c: &mut Conn<'_>,
    sender: &Sender<'_>,
    t: &Ticket,
    to: String,
    subject: String,
    text: String,
    kind: OutboundKind,
    now: Timestamp,
) -> Result<(), AppError> {
    let message = Message {
        kind,
        to,
        subject,
        comment: None,
        html: text_to_html(&text),
        text,
    };
    queue(c, sender, t, message, now).await
}

impl App {
    /// A ticket's outgoing mail with its delivery state (staff only).
    pub async fn ticket_outbox(
        &self,
        actor: domain::Actor,
        id: domain::TicketId,
    ) -> Result<Vec<Outbound>, AppError> {
        crate::error::require_hidden(&actor, domain::policy::Capability::WorkTheDesk)?;
        self.ticket(actor, id).await?;
        let mut rc = self.read().await?;
        Ok(outbox::for_ticket(&mut rc.conn(), id).await?)
    }

    /// Outgoing mail not delivered yet, failed first in importance (admins).
    pub async fn unsent_outbound(&self, actor: domain::Actor) -> Result<Vec<Outbound>, AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageEmail)?;
        let mut rc = self.read().await?;
        Ok(outbox::unsent(&mut rc.conn(), 500).await?)
    }

    /// Sends a failed message again (admins), e.g. after fixing an address.
    pub async fn retry_outbound(&self, actor: domain::Actor, id: i64) -> Result<(), AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageEmail)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move { crate::error::found(outbox::requeue(c, id, now).await?) })
        })
        .await
    }

    /// Claims the messages the sender should try now: each one is held for
    /// `hold_secs`, so another node does not send it meanwhile.
    pub async fn claim_due_outbound(
        &self,
        limit: i64,
        hold_secs: i64,
    ) -> Result<Vec<Outbound>, AppError> {
        let now = Timestamp::now();
        let candidates = {
            let mut rc = self.read().await?;
            outbox::due(&mut rc.conn(), now, limit).await?
        };
        if candidates.is_empty() {
            return Ok(candidates);
        }
        self.write(move |c| {
            Box::pin(async move {
                let mut claimed = Vec::with_capacity(candidates.len());
                for m in candidates {
                    if claims::claim(c, Queue::Mail, m.id, now, Timestamp(now.0 + hold_secs))
                        .await?
                    {
                        claimed.push(m);
                    }
                }
                Ok(claimed)
            })
        })
        .await
    }

    /// The files a reply carries: (name, content type, bytes).
    pub async fn outbound_attachments(
        &self,
        m: &Outbound,
    ) -> Result<Vec<(String, String, Vec<u8>)>, AppError> {
        let Some(comment) = m.comment_id else {
            return Ok(vec![]);
        };
        let mut rc = self.read().await?;
        let mut conn = rc.conn();
        let files = store::repo::attachments::for_comments(&mut conn, &[comment.0]).await?;
        let mut out = Vec::with_capacity(files.len());
        for f in files {
            if let Some(data) = store::repo::attachments::data(&mut conn, f.id).await? {
                out.push((f.file_name, f.content_type, data));
            }
        }
        Ok(out)
    }

    /// Records a delivery attempt: sent, retry at `retry_at`, or failed.
    pub async fn outbound_attempted(
        &self,
        id: i64,
        result: Result<(), String>,
        retry_at: Option<Timestamp>,
    ) -> Result<(), AppError> {
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                match result {
                    Ok(()) => outbox::mark_sent(c, id, now).await?,
                    Err(e) => outbox::mark_attempt(c, id, &e, retry_at).await?,
                }
                Ok(())
            })
        })
        .await
    }
}
