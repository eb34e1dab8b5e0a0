//! Outgoing email, queued in the same transaction as what it tells about:
//! the immediate acknowledgement of a new emailed ticket, agents' public
//! replies that go out by email, and triggers' notifications. Each message goes out from the support address the
//! customer wrote to, with our own Message-ID (remembered, so the
//! customer's answer threads back), In-Reply-To/References to the
//! conversation so far, and the ticket's signed reply address. The words
//! come from the admin-edited templates, in the customer's language. The
//! `mail` adapter sends what is due.

use crate::AppError;
use crate::email::{MailboxEntry, ReplyAddress};
use crate::mail_templates::{self, MailTemplates};
use crate::placeholders::Values;
use crate::sanitize::{escape, text_to_html};
use domain::{Channel, OutboundKind, Timestamp};
use search::analyze::Language;
use store::Conn;
use store::model::{Comment, Ticket};
use store::repo::outbox::{self, Outbound};
use store::repo::{inbound, users};

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

/// Queues one message; its Message-ID, kept on the outbox row, threads
/// the customer's answer back.
async fn queue(
    c: &mut Conn<'_>,
    sender: &Sender<'_>,
    t: &Ticket,
    m: Message<'_>,
    now: Timestamp,
) -> Result<(), AppError> {
    let known = inbound::email_thread_of(c, t.id).await?;
    let (from_address, from_name) = sender.from();
    let message_id = new_message_id(&from_address, t.id.0, m.kind);
    let reply_to = sender.reply_address.for_ticket(&from_address, t.id);
    outbox::enqueue(
        c,
        &Outbound {
            comment_id: m.comment.map(|c| c.id),
            from_address: Some(from_address),
            from_name: Some(from_name),
            reply_to: Some(reply_to),
            subject: with_token(&m.subject, t),
            in_reply_to: known.last().cloned(),
            references: known.join(" "),
            ..Outbound::queued(
                t.id,
                m.kind,
                Channel::Email,
                m.to,
                message_id.clone(),
                (m.text, m.html),
                now,
            )
        },
    )
    .await?;
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

/// An agent's public reply by email to `to` (the requester's address),
/// with the footer in the customer's language; its attachments go with it.
pub(crate) async fn reply(
    c: &mut Conn<'_>,
    sender: &Sender<'_>,
    t: &Ticket,
    comment: &Comment,
    to: String,
    now: Timestamp,
) -> Result<(), AppError> {
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

/// A survey about the ticket (its words and links made by the caller),
/// threaded with the conversation like every mail about it.
pub(crate) async fn survey(
    c: &mut Conn<'_>,
    sender: &Sender<'_>,
    t: &Ticket,
    to: String,
    subject: String,
    (text, html): (String, String),
    now: Timestamp,
) -> Result<(), AppError> {
    let message = Message {
        kind: OutboundKind::Notification,
        to,
        subject,
        comment: None,
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
