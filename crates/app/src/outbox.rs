//! Outgoing email, queued in the same transaction as what it tells about:
//! the immediate acknowledgement of a new emailed ticket, and agents'
//! public replies. Each message gets our own Message-ID (remembered, so the
//! customer's answer threads back) and In-Reply-To/References to the
//! conversation so far. The `mail` adapter sends what is due.

use crate::App;
use crate::AppError;
use crate::sanitize::{escape, text_to_html};
use domain::{Timestamp, UserId};
use search::analyze::{Language, detect};
use store::Conn;
use store::model::{Comment, Ticket};
use store::repo::outbox::{self, Outbound};
use store::repo::{email, users};

/// Who our mail comes from (set when a relay is configured).
#[derive(Debug, Clone)]
pub struct MailSettings {
    pub from_address: String,
    pub from_name: String,
}

impl MailSettings {
    fn domain(&self) -> &str {
        self.from_address
            .split_once('@')
            .map_or("atiende.local", |(_, d)| d)
    }

    fn new_message_id(&self, ticket: i64, what: &str) -> String {
        format!(
            "atiende-{ticket}-{what}-{}@{}",
            crate::auth::random_token(12).to_lowercase(),
            self.domain()
        )
    }
}

/// The subject our mail carries: the ticket's number token first.
fn subject_line(t: &Ticket) -> String {
    format!("[#{}] {}", t.id, t.subject)
}

/// Queues one message and remembers its Message-ID for threading.
async fn queue(
    c: &mut Conn<'_>,
    settings: &MailSettings,
    t: &Ticket,
    to: String,
    kind: &str,
    comment: Option<&Comment>,
    text: String,
    html: String,
    now: Timestamp,
) -> Result<(), AppError> {
    let known = email::message_ids_of_ticket(c, t.id).await?;
    let message_id = settings.new_message_id(t.id.0, kind);
    outbox::enqueue(
        c,
        &Outbound {
            id: 0,
            ticket_id: t.id,
            comment_id: comment.map(|c| c.id),
            kind: kind.into(),
            to_address: to,
            subject: subject_line(t),
            message_id: message_id.clone(),
            in_reply_to: known.last().cloned(),
            references: known.join(" "),
            body_text: text,
            body_html: html,
            status: "queued".into(),
            attempts: 0,
            next_attempt_at: now,
            last_error: None,
            created_at: now,
            sent_at: None,
        },
    )
    .await?;
    email::remember_message(c, &message_id, t.id, comment.map(|c| c.id), false).await?;
    Ok(())
}

/// "We got your message": in the language the customer wrote in.
pub(crate) async fn acknowledge(
    c: &mut Conn<'_>,
    settings: &MailSettings,
    t: &Ticket,
    to: &str,
    name: &str,
    now: Timestamp,
) -> Result<(), AppError> {
    let text = match detect(&search::fold(&t.description)) {
        Language::Spanish => format!(
            "Hola {name}:\n\nHemos recibido tu mensaje y abierto el ticket #{id}. Solemos responder en un día laborable. Si quieres añadir algo, responde a este correo.\n\n{from}",
            id = t.id,
            from = settings.from_name
        ),
        _ => format!(
            "Hello {name},\n\nWe received your message and opened ticket #{id}. We usually answer within one business day. To add anything, reply to this email.\n\n{from}",
            id = t.id,
            from = settings.from_name
        ),
    };
    let html = text_to_html(&text);
    queue(
        c,
        settings,
        t,
        to.to_string(),
        "acknowledgement",
        None,
        text,
        html,
        now,
    )
    .await
}

/// An agent's public reply, to the requester.
pub(crate) async fn reply(
    c: &mut Conn<'_>,
    settings: &MailSettings,
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
    let footer = format!("\n\n--\nTicket #{}: reply to this email to continue.", t.id);
    let text = format!("{}{footer}", comment.body);
    let html = format!(
        "{}<hr><p style=\"color:#555\">{}</p>",
        comment.html_body,
        escape(footer.trim())
    );
    queue(c, settings, t, to, "reply", Some(comment), text, html, now).await
}

impl App {
    /// A ticket's outgoing mail with its delivery state (staff only).
    pub async fn ticket_outbox(
        &self,
        actor: domain::Actor,
        id: domain::TicketId,
    ) -> Result<Vec<Outbound>, AppError> {
        if !actor.is_staff() {
            return Err(AppError::NotFound);
        }
        self.ticket(actor, id).await?;
        let mut rc = self.read().await?;
        Ok(outbox::for_ticket(&mut rc.conn(), id).await?)
    }

    /// Outgoing mail not delivered yet, failed first in importance (admins).
    pub async fn unsent_outbound(&self, actor: domain::Actor) -> Result<Vec<Outbound>, AppError> {
        if !actor.is_admin() {
            return Err(AppError::forbidden("only admins see the outbox"));
        }
        let mut rc = self.read().await?;
        Ok(outbox::unsent(&mut rc.conn(), 500).await?)
    }

    /// Sends a failed message again (admins), e.g. after fixing an address.
    pub async fn retry_outbound(&self, actor: domain::Actor, id: i64) -> Result<(), AppError> {
        if !actor.is_admin() {
            return Err(AppError::forbidden("only admins retry outgoing mail"));
        }
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move { crate::error::found(outbox::requeue(c, id, now).await?) })
        })
        .await
    }

    /// Messages the sender should try now.
    pub async fn due_outbound(&self, limit: i64) -> Result<Vec<Outbound>, AppError> {
        let mut rc = self.read().await?;
        Ok(outbox::due(&mut rc.conn(), Timestamp::now(), limit).await?)
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
