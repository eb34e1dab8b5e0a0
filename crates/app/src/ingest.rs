//! One way in for every channel. A channel adapter checks the provider's
//! signature, stores the raw payload and turns it into an [`Inbound`]; this
//! use case does the rest, the same for every channel:
//!
//! 1. **dedupe** by (channel, channel account, the provider's message id):
//!    a redelivery lands nowhere new;
//! 2. **identify** the customer: the sender's identity (a phone number, a
//!    WhatsApp or Telegram id, an email) finds their one profile, or makes
//!    one — race-free on both databases (insert-or-ignore, then read);
//! 3. **thread**: a thread hint (a ticket the adapter recognised, or an
//!    earlier message this one answers) names the ticket; otherwise the
//!    customer's most recent unsolved ticket updated within the threading
//!    window continues, whichever channel it came from; otherwise a new one;
//! 4. **write** the comment through the write pipeline, `via` the channel,
//!    and remember the message with the comment it made — in one
//!    transaction.
//!
//! Email still runs its own ingest (`email::ingest`: MIME, noise, sender
//! authentication, Message-ID threading); moving it onto this path is the
//! next step (see ARCHITECTURE.md).

use crate::pipeline::{Change, WriteRequest};
use crate::tickets::{CommentInput, CommentText, TicketInput};
use crate::{App, AppError, FieldError};
use domain::user::normalize_identity;
use domain::{Channel, IdentityKind, Role, Status, TicketId, Timestamp};
use store::Conn;
use store::model::User;
use store::repo::inbound::{self, Landed};
use store::repo::{outbox, settings, tickets, users};

/// The settings key of the threading window, in days.
pub const THREADING_WINDOW_KEY: &str = "threading_window_days";

/// How long an unsolved case stays the one a customer's new message
/// continues, unless an admin sets another window.
pub const DEFAULT_THREADING_WINDOW_DAYS: i64 = 7;

/// Who sent a message, as the channel knows them.
#[derive(Debug, Clone)]
pub struct InboundSender {
    pub kind: IdentityKind,
    /// The identity's value as the provider gives it (normalised here).
    pub value: String,
    pub display_name: Option<String>,
}

/// Something the adapter knows about which conversation a message belongs
/// to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ThreadHint {
    /// A ticket the adapter recognised (a reply address, a `[#N]` token).
    Ticket(TicketId),
    /// An earlier message this one answers: the customer's (on the same
    /// channel account) or ours (the provider's id of it).
    RepliesTo(String),
}

/// A file that came with a message.
#[derive(Debug, Clone)]
pub struct InboundFile {
    pub file_name: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

/// A message from outside, in the core's terms: what every channel adapter
/// hands to [`App::ingest`].
#[derive(Debug, Clone)]
pub struct Inbound {
    pub channel: Channel,
    /// The channel account it came in on (a phone number id, a bot, a page).
    pub account: String,
    /// The provider's id of this message: the dedupe key.
    pub external_id: String,
    pub sender: InboundSender,
    pub thread: Vec<ThreadHint>,
    /// A subject, where the channel has one (a new ticket otherwise takes
    /// the text's first line).
    pub subject: Option<String>,
    pub text: String,
    /// HTML from outside, sanitised before it is stored.
    pub html: Option<String>,
    pub files: Vec<InboundFile>,
    /// When the provider says it was sent.
    pub sent_at: Timestamp,
    /// The adapter's id of the stored raw payload, kept for audits.
    pub raw_id: Option<i64>,
}

/// How a message threaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Threaded {
    /// It opened a new ticket.
    New,
    /// A thread hint named the ticket.
    Hint,
    /// It continued the customer's open case (the threading window).
    OpenCase,
}

/// What became of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IngestOutcome {
    /// Written as a comment on a ticket.
    Landed(Landed, Threaded),
    /// Taken in before: nothing new was written.
    Duplicate(Landed),
}

impl IngestOutcome {
    pub fn ticket(&self) -> TicketId {
        match self {
            IngestOutcome::Landed(l, _) | IngestOutcome::Duplicate(l) => l.ticket,
        }
    }
}

impl App {
    /// Takes in one message from any channel (see the module's doc).
    pub async fn ingest(&self, inbound: Inbound) -> Result<IngestOutcome, AppError> {
        self.ingest_at(inbound, Timestamp::now()).await
    }

    /// [`App::ingest`] as of `now` (tests pass a later clock).
    pub async fn ingest_at(
        &self,
        inbound: Inbound,
        now: Timestamp,
    ) -> Result<IngestOutcome, AppError> {
        let sender =
            normalize_identity(inbound.sender.kind, &inbound.sender.value).ok_or_else(|| {
                AppError::field(FieldError::invalid(
                    "sender",
                    format!(
                        "{:?} is not a valid {}",
                        inbound.sender.value,
                        inbound.sender.kind.as_str()
                    ),
                ))
            })?;
        if inbound.external_id.trim().is_empty() {
            return Err(AppError::field(FieldError::blank("external_id")));
        }
        {
            let mut rc = self.read().await?;
            let seen = inbound::landed(
                &mut rc.conn(),
                inbound.channel,
                &inbound.account,
                &inbound.external_id,
            )
            .await?;
            if let Some(l) = seen {
                return Ok(IngestOutcome::Duplicate(l));
            }
        }
        // The profile first (its own unit): files are uploaded as the
        // customer, before the write that attaches them.
        let (kind, name) = (inbound.sender.kind, inbound.sender.display_name.clone());
        let address = sender.clone();
        let profile = self
            .write(move |c| {
                Box::pin(async move {
                    find_or_create_by_identity(c, kind, &sender, name.as_deref(), now).await
                })
            })
            .await?;
        let actor = profile.actor();
        // Files are stored before the write that attaches them; if that
        // write finds the message was a duplicate after all, they stay
        // unattached and expire like any unused upload.
        let mut uploads = Vec::new();
        for f in &inbound.files {
            let (token, _) = self
                .upload(
                    actor,
                    &f.file_name,
                    Some(&f.content_type),
                    f.data.clone(),
                    None,
                )
                .await?;
            uploads.push(token);
        }
        let comment = CommentInput {
            body: Some(inbound.text.clone()).filter(|t| !t.trim().is_empty()),
            html_body: inbound.html.clone(),
            public: Some(true),
            author_id: None,
            uploads,
            reply_via: None,
        };
        let text = if comment.body.is_none() && comment.html_body.is_none() {
            // A photo or a location with no words still makes a comment.
            CommentText::prepared("(no text)".into(), "<p>(no text)</p>".into())
        } else {
            CommentText::of(&comment)?
        };
        let hooks = self.hooks().await?;
        let (channel, account, external_id) = (
            inbound.channel,
            inbound.account.clone(),
            inbound.external_id.clone(),
        );
        let written = self
            .write(move |c| {
                Box::pin(async move {
                    // Checked again inside the unit: a delivery of the same
                    // message may have been written since the read above.
                    if let Some(l) =
                        inbound::landed(c, inbound.channel, &inbound.account, &inbound.external_id)
                            .await?
                    {
                        return Ok(IngestOutcome::Duplicate(l));
                    }
                    let window = threading_window_days(c).await?;
                    let since = Timestamp(now.0 - window * 86_400);
                    let (target, how) = match thread(c, &inbound, &profile, since).await? {
                        Some((t, how)) => (Some(t), how),
                        None => (None, Threaded::New),
                    };
                    let change = match target {
                        Some(id) => Change::Update {
                            id,
                            input: TicketInput {
                                comment: Some(comment),
                                ..Default::default()
                            },
                            text: Some(text),
                        },
                        None => Change::Create {
                            input: TicketInput {
                                subject: inbound.subject.clone().filter(|s| !s.trim().is_empty()),
                                ..Default::default()
                            },
                            comment,
                            text,
                        },
                    };
                    let req = WriteRequest::new(actor, inbound.channel, change);
                    let w = crate::pipeline::write(c, &hooks, req, now)
                        .await?
                        .ok_or(AppError::NotFound)?;
                    let landed = Landed {
                        ticket: w.ticket.id,
                        comment: w.comment.as_ref().map(|c| c.id),
                    };
                    // A simultaneous delivery of the same message won (on
                    // PostgreSQL the insert waited for it to commit): this
                    // one rolls back, and the caller reads where it landed.
                    let taken = inbound::Taken {
                        channel: inbound.channel,
                        account: &inbound.account,
                        external_id: &inbound.external_id,
                        sender: &address,
                        sent_at: inbound.sent_at,
                        raw_id: inbound.raw_id,
                    };
                    if !inbound::remember(c, &taken, landed, now).await? {
                        return Err(AppError::Conflict("delivered twice at once".into()));
                    }
                    Ok(IngestOutcome::Landed(landed, how))
                })
            })
            .await;
        match written {
            Err(AppError::Conflict(_)) => {
                let mut rc = self.read().await?;
                match inbound::landed(&mut rc.conn(), channel, &account, &external_id).await? {
                    Some(l) => Ok(IngestOutcome::Duplicate(l)),
                    None => Err(AppError::Conflict(
                        "the ticket changed meanwhile; try again".into(),
                    )),
                }
            }
            other => other,
        }
    }
}

/// The threading window in days (admins may change it).
async fn threading_window_days(c: &mut Conn<'_>) -> Result<i64, AppError> {
    Ok(settings::get(c, THREADING_WINDOW_KEY)
        .await?
        .and_then(|v| v.parse().ok())
        .filter(|d: &i64| *d >= 0)
        .unwrap_or(DEFAULT_THREADING_WINDOW_DAYS))
}

/// Which ticket a message continues, if any: a hint naming one the customer
/// may write on, else their open case.
async fn thread(
    c: &mut Conn<'_>,
    inbound: &Inbound,
    profile: &User,
    since: Timestamp,
) -> Result<Option<(TicketId, Threaded)>, AppError> {
    let actor = profile.actor();
    for hint in &inbound.thread {
        let named = match hint {
            ThreadHint::Ticket(t) => Some(*t),
            ThreadHint::RepliesTo(ext) => {
                match inbound::landed(c, inbound.channel, &inbound.account, ext).await? {
                    Some(l) => Some(l.ticket),
                    // An answer to one of our messages (the provider's id).
                    None => outbox::ticket_of_external(c, inbound.channel, ext).await?,
                }
            }
        };
        if let Some(id) = named
            && let Some(t) = tickets::get(c, id, false).await?
            && t.status != Status::Closed
            && crate::tickets::can_see(c, &actor, &t).await?
        {
            return Ok(Some((id, Threaded::Hint)));
        }
    }
    Ok(tickets::latest_unsolved_of(c, profile.id, since)
        .await?
        .map(|t| (t, Threaded::OpenCase)))
}

/// The profile that holds this identity, or a new end-user holding it.
/// Two first messages from one new sender at once make one profile: the
/// identity is claimed with insert-or-ignore and the loser joins the winner.
pub(crate) async fn find_or_create_by_identity(
    c: &mut Conn<'_>,
    kind: IdentityKind,
    value: &str,
    name: Option<&str>,
    now: Timestamp,
) -> Result<User, AppError> {
    if kind == IdentityKind::Email {
        return crate::users::find_or_create_by_email(c, value, name, None, now).await;
    }
    if let Some(u) = users::by_identity(c, kind, value).await? {
        return Ok(u);
    }
    let name = name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or(value)
        .chars()
        .take(255)
        .collect();
    let user = crate::users::blank_user(name, Role::EndUser, now);
    crate::users::insert_with_identity(c, user, kind, value, now).await
}
