//! One way out for every channel. Whatever we write to someone — an
//! acknowledgement, an agent's public reply, a trigger's notification — is
//! a row in the outbox, queued in the same transaction as the change it
//! tells about, for one channel. Each channel has one sender (an adapter:
//! `mail` for email) that claims its due rows, hands them to the provider
//! and reports back ([`sender`]); retries, backoff and failure are the
//! same for all.
//!
//! An agent's reply goes out on the channel the customer last wrote from,
//! unless the agent chose another of the customer's channels ([`route`]).

mod email;
pub(crate) mod route;
pub mod sender;

pub use email::MailSettings;
pub(crate) use email::{Sender, acknowledge, notification, survey};

use crate::pipeline::{Hooks, ReplyChoice};
use crate::tickets::{MAX_BUTTON_CHARS, MAX_REPLY_BUTTONS};
use crate::{App, AppError, FieldError};
use domain::model::outbox::{ReplyRoute, TemplateUse};
use domain::{Channel, OutboundId, OutboundKind, TicketId, Timestamp};
use store::Conn;
use store::model::{Comment, Ticket};
use store::repo::claims::{self, Queue};
use store::repo::outbox::{self, Outbound};

/// An agent's public reply to the customer, on the channel `chosen` or,
/// without a choice, the one they last wrote from. Nothing is queued when
/// the customer cannot be reached there (no address; email without a relay).
pub(crate) async fn reply(
    c: &mut Conn<'_>,
    hooks: &Hooks,
    t: &Ticket,
    comment: &Comment,
    choice: ReplyChoice,
    now: Timestamp,
) -> Result<(), AppError> {
    if !comment.public || comment.author_id == t.requester_id {
        return Ok(());
    }
    let email_sender = hooks.sender(t);
    let Some(route) = route::choose(c, t, choice.via, email_sender.is_some()).await? else {
        return Ok(());
    };
    // A messaging channel's window: a free-form reply only while it is
    // open, else an approved template (refused with the reply otherwise).
    let template = crate::messaging::window::check(c, &route, choice.template, now).await?;
    let messaging = route.channel != Channel::Email && route.channel != Channel::Chat;
    if messaging {
        crate::messaging::consent::check(c, t.requester_id, route.channel).await?;
    }
    let buttons = checked_buttons(choice.buttons, messaging)?;
    if template.is_some() && !buttons.is_empty() {
        return Err(AppError::field(FieldError::invalid(
            "buttons",
            "cannot go with a template: an approved template has its own",
        )));
    }
    match (route.channel, email_sender) {
        (Channel::Email, Some(sender)) => email::reply(c, &sender, t, comment, route.to, now).await,
        (Channel::Email, None) => Ok(()),
        (Channel::Chat, sender) => {
            // A chat nobody could take live continues by email, at the
            // address the visitor gave; the line waits in the chat too.
            if let (Some(sender), Some(to)) =
                (sender, store::repo::chat::reply_email_on(c, t.id).await?)
            {
                email::reply(c, &sender, t, comment, to, now).await?;
            }
            queue_on_channel(c, t, comment, route, (None, Vec::new()), now).await
        }
        _ => queue_on_channel(c, t, comment, route, (template, buttons), now).await,
    }
}

/// A reply's buttons as the customer will see them: only on a messaging
/// channel, at most [`MAX_REPLY_BUTTONS`], each 1 to
/// [`MAX_BUTTON_CHARS`] characters, none twice.
fn checked_buttons(buttons: Vec<String>, messaging: bool) -> Result<Vec<String>, AppError> {
    let buttons: Vec<String> = buttons
        .into_iter()
        .map(|b| b.trim().to_string())
        .filter(|b| !b.is_empty())
        .collect();
    if buttons.is_empty() {
        return Ok(buttons);
    }
    let bad = |why: String| Err(AppError::field(FieldError::invalid("buttons", why)));
    if !messaging {
        return bad("go only on WhatsApp, Messenger, Instagram, Telegram or SMS".into());
    }
    if buttons.len() > MAX_REPLY_BUTTONS {
        return bad(format!("are at most {MAX_REPLY_BUTTONS}"));
    }
    if buttons.iter().any(|b| b.chars().count() > MAX_BUTTON_CHARS) {
        return bad(format!("are at most {MAX_BUTTON_CHARS} characters each"));
    }
    if buttons
        .iter()
        .enumerate()
        .any(|(i, b)| buttons[..i].contains(b))
    {
        return bad("must differ from each other".into());
    }
    Ok(buttons)
}

/// Queues a reply for a channel's sender: the comment's words, its files
/// (through `comment_id`), and our own id the sender may give the provider
/// as its idempotency key.
async fn queue_on_channel(
    c: &mut Conn<'_>,
    t: &Ticket,
    comment: &Comment,
    route: ReplyRoute,
    (template, buttons): (Option<TemplateUse>, Vec<String>),
    now: Timestamp,
) -> Result<(), AppError> {
    let message_id = format!(
        "atiende-{}-{}-{}",
        t.id,
        route.channel.as_str(),
        crate::auth::random_token(12).to_lowercase()
    );
    outbox::enqueue(
        c,
        &Outbound {
            comment_id: Some(comment.id),
            account: route.account,
            template,
            buttons,
            ..Outbound::queued(
                t.id,
                OutboundKind::Reply,
                route.channel,
                route.to,
                message_id,
                (comment.body.clone(), comment.html_body.clone()),
                now,
            )
        },
    )
    .await?;
    Ok(())
}

/// Mail about an account, not a ticket (a sign-in link, a relationship
/// survey): from `(address, name)`, with a Message-ID naming `what`.
pub(crate) async fn account_mail(
    c: &mut Conn<'_>,
    (from_address, from_name): (String, String),
    to: String,
    subject: String,
    body: (String, String),
    (kind, what): (OutboundKind, &str),
    now: Timestamp,
) -> Result<(), AppError> {
    let domain = from_address
        .split_once('@')
        .map_or("atiende.local", |(_, d)| d);
    let message_id = format!(
        "atiende-account-{what}-{}@{domain}",
        crate::auth::random_token(12).to_lowercase()
    );
    outbox::enqueue(
        c,
        &Outbound {
            from_address: Some(from_address),
            from_name: Some(from_name),
            subject,
            ..Outbound::queued(None, kind, Channel::Email, to, message_id, body, now)
        },
    )
    .await?;
    Ok(())
}

impl App {
    /// A ticket's outgoing messages with their delivery state (staff only).
    pub async fn ticket_outbox(
        &self,
        actor: domain::Actor,
        id: TicketId,
    ) -> Result<Vec<Outbound>, AppError> {
        crate::error::require_hidden(&actor, domain::policy::Capability::WorkTheDesk)?;
        self.ticket(actor, id).await?;
        let mut rc = self.read().await?;
        Ok(outbox::for_ticket(&mut rc.conn(), id).await?)
    }

    /// Where a reply on this ticket can go (staff only): the customer's
    /// channels we can reach them on, the one a reply takes by default
    /// first.
    pub async fn reply_routes(
        &self,
        actor: domain::Actor,
        id: TicketId,
    ) -> Result<Vec<ReplyRoute>, AppError> {
        crate::error::require_hidden(&actor, domain::policy::Capability::WorkTheDesk)?;
        let t = self.ticket(actor, id).await?;
        let email_ready = self.mail.is_some();
        let mut rc = self.read().await?;
        route::all(&mut rc.conn(), &t, email_ready).await
    }

    /// Outgoing messages not delivered yet, failed first in importance (admins).
    pub async fn unsent_outbound(&self, actor: domain::Actor) -> Result<Vec<Outbound>, AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageEmail)?;
        let mut rc = self.read().await?;
        Ok(outbox::unsent(&mut rc.conn(), 500).await?)
    }

    /// Sends a failed message again (admins), e.g. after fixing an address.
    pub async fn retry_outbound(
        &self,
        actor: domain::Actor,
        id: OutboundId,
    ) -> Result<(), AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageEmail)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move { crate::error::found(outbox::requeue(c, id, now).await?) })
        })
        .await
    }

    /// Claims the messages of one channel its sender should try now: each
    /// is held for `hold_secs`, so another node does not send it meanwhile.
    pub async fn claim_due_outbound(
        &self,
        channel: Channel,
        limit: i64,
        hold_secs: i64,
    ) -> Result<Vec<Outbound>, AppError> {
        let now = Timestamp::now();
        let candidates = {
            let mut rc = self.read().await?;
            outbox::due(&mut rc.conn(), channel, now, limit).await?
        };
        if candidates.is_empty() {
            return Ok(candidates);
        }
        self.write(move |c| {
            Box::pin(async move {
                let mut claimed = Vec::with_capacity(candidates.len());
                for m in candidates {
                    if claims::claim(c, Queue::Outbox, m.id.0, now, Timestamp(now.0 + hold_secs))
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

    /// The files a reply carries.
    pub async fn outbound_attachments(
        &self,
        m: &Outbound,
    ) -> Result<Vec<sender::OutboundFile>, AppError> {
        let Some(comment) = m.comment_id else {
            return Ok(vec![]);
        };
        let mut rc = self.read().await?;
        let mut conn = rc.conn();
        let files = store::repo::attachments::for_comments(&mut conn, &[comment.0]).await?;
        let mut out = Vec::with_capacity(files.len());
        for f in files {
            if let Some(data) = store::repo::attachments::data(&mut conn, f.id).await? {
                out.push(sender::OutboundFile {
                    name: f.file_name,
                    content_type: f.content_type,
                    data,
                });
            }
        }
        Ok(out)
    }

    /// Records that a message's provider took its first `parts` parts (the
    /// first one's id of it, where it gave one), so a retry sends the rest.
    pub async fn outbound_progress(
        &self,
        id: OutboundId,
        parts: i64,
        external_id: Option<String>,
    ) -> Result<(), AppError> {
        self.write(move |c| {
            Box::pin(async move {
                outbox::progress(c, id, parts, external_id.as_deref()).await?;
                Ok(())
            })
        })
        .await
    }

    /// Puts a claimed message back to wait until `at` without counting an
    /// attempt (its provider asked us to slow down).
    pub async fn outbound_held(&self, id: OutboundId, at: Timestamp) -> Result<(), AppError> {
        self.write(move |c| {
            Box::pin(async move {
                outbox::hold(c, id, at).await?;
                Ok(())
            })
        })
        .await
    }

    /// Records a delivery attempt: sent (with the provider's id of the
    /// message, if it gave one), retry at `retry_at`, or failed.
    pub async fn outbound_attempted(
        &self,
        id: OutboundId,
        result: Result<Option<String>, String>,
        retry_at: Option<Timestamp>,
    ) -> Result<(), AppError> {
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                match result {
                    Ok(external) => outbox::mark_sent(c, id, now, external.as_deref()).await?,
                    Err(e) => outbox::mark_attempt(c, id, &e, retry_at).await?,
                }
                Ok(())
            })
        })
        .await
    }
}
