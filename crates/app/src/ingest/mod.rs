//! One way in for every channel. A channel adapter checks the provider's
//! signature, stores the raw payload and turns it into an [`Inbound`]; this
//! use case does the rest, the same for every channel:
//!
//! 1. **dedupe** by (channel, channel account, the provider's message id):
//!    a redelivery lands nowhere new (a different message reusing an id,
//!    told by its fingerprint, is taken in as new);
//! 2. **identify** the customer: the sender's identity (a phone number, a
//!    WhatsApp or Telegram id, an email) finds their one profile, or makes
//!    one — race-free on both databases (insert-or-ignore, then read); the
//!    people it was also for (an email's Cc) join the conversation;
//! 3. **thread**: a thread hint (a ticket the adapter recognised, or an
//!    earlier message this one answers, theirs or ours) names the ticket;
//!    otherwise a message without a subject of its own (a chat line, a
//!    WhatsApp message) continues the customer's most recent unsolved
//!    ticket updated within the threading window, whichever channel it came
//!    from; otherwise a new ticket;
//! 4. **write** the comment through the write pipeline, `via` the channel,
//!    and remember the message with the comment it made — in one
//!    transaction, before anything goes out.
//!
//! Email takes this path too (`email::ingest` adds what only mail has:
//! noise, limits, sender authentication, and its stored raw message settled
//! in the same transaction).

mod text;

pub use text::{QUOTED_SUMMARY, Quoted};

use crate::pipeline::{Change, Hooks, WriteRequest};
use crate::tickets::{CommentInput, CommentText, TicketInput};
use crate::{App, AppError, FieldError};
use domain::user::normalize_identity;
use domain::{Channel, IdentityKind, Role, Status, TicketId, Timestamp, UserId};
use store::Conn;
use store::model::{Ticket, User};
use store::repo::inbound::{self, Landed, Taken};
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
    /// The channel account it came in on (a phone number id, a bot, a page;
    /// email is one account, `""`, whichever support address it was for).
    pub account: String,
    /// The provider's id of this message: the dedupe key. `None` where the
    /// channel gives none (an email without a Message-ID); such a message
    /// cannot be recognised when it is delivered again.
    pub external_id: Option<String>,
    /// A fingerprint of the content, where ids are not to be trusted alone
    /// (email): a different message reusing an id is then taken in as new.
    pub fingerprint: Option<String>,
    pub sender: InboundSender,
    /// Others the message was also for (an email's Cc): they join the
    /// conversation as collaborators.
    pub copied: Vec<InboundSender>,
    /// Our address it was sent to, where the channel has several (a
    /// support address): kept on a new ticket, so replies go out from it.
    pub recipient: Option<String>,
    /// In the order to try them.
    pub thread: Vec<ThreadHint>,
    /// A subject, where the channel has one (a new ticket otherwise takes
    /// the text's first line). A message with a subject of its own starts
    /// its own case unless a hint names one.
    pub subject: Option<String>,
    pub text: String,
    /// HTML from outside, sanitised before it is stored.
    pub html: Option<String>,
    /// Earlier text it quotes, kept folded.
    pub quoted: Quoted,
    /// Files too large to keep are named in the comment instead (the raw
    /// message stays stored as received).
    pub files: Vec<InboundFile>,
    /// Files the sender stored already (their upload tokens: a chat file
    /// is stored before its line, so the line can name it).
    pub uploads: Vec<String>,
    /// Labels the channel puts on the case (a chat's topic), added as
    /// tags, so triggers can route on them.
    pub tags: Vec<String>,
    /// When the provider says it was sent.
    pub sent_at: Timestamp,
    /// The adapter's id of the stored raw payload, kept for audits.
    pub raw_id: Option<i64>,
}

impl Inbound {
    /// A plain message: words from a sender on a channel account, sent
    /// now, with no hints, files or quoted text (an adapter fills in what
    /// its channel has).
    pub fn message(
        channel: Channel,
        account: impl Into<String>,
        external_id: Option<String>,
        sender: InboundSender,
        text: impl Into<String>,
    ) -> Inbound {
        Inbound {
            channel,
            account: account.into(),
            external_id,
            fingerprint: None,
            sender,
            copied: Vec::new(),
            recipient: None,
            thread: Vec::new(),
            subject: None,
            text: text.into(),
            html: None,
            quoted: Quoted::default(),
            files: Vec::new(),
            uploads: Vec::new(),
            tags: Vec::new(),
            sent_at: Timestamp::now(),
            raw_id: None,
        }
    }
}

/// How a message threaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Threaded {
    /// It opened a new ticket.
    New,
    /// The thread hint at this index named the ticket.
    Hint(usize),
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

/// A message ready to be written: checked, its sender's profile found or
/// made, its files stored, its words prepared.
pub(crate) struct Prepared {
    inbound: Inbound,
    profile: User,
    /// The dedupe key to remember, unless the message has none to trust.
    taken: Option<Taken>,
    comment: CommentInput,
    text: CommentText,
}

/// What preparing found.
pub(crate) enum Preparation {
    Ready(Box<Prepared>),
    /// Taken in before, where it landed.
    Seen(Landed),
}

/// Whether an id seen before belongs to this very message: a different
/// fingerprint means another message reusing the id.
fn same_message(seen: Option<&str>, this: Option<&str>) -> bool {
    match (seen, this) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

/// What was taken in before under a message's id.
enum Earlier {
    Nothing,
    /// This very message: where it landed.
    ThisMessage(Landed),
    /// Another message that reused the id (a different fingerprint).
    AnotherMessage,
}

async fn earlier(c: &mut Conn<'_>, p: &Inbound) -> Result<Earlier, AppError> {
    let Some(id) = &p.external_id else {
        return Ok(Earlier::Nothing);
    };
    Ok(match inbound::seen(c, p.channel, &p.account, id).await? {
        Some((l, fp)) if same_message(fp.as_deref(), p.fingerprint.as_deref()) => {
            Earlier::ThisMessage(l)
        }
        Some(_) => Earlier::AnotherMessage,
        None => Earlier::Nothing,
    })
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
        let key = (
            inbound.channel,
            inbound.account.clone(),
            inbound.external_id.clone(),
        );
        let prepared = match self.prepare_inbound(inbound, now).await? {
            Preparation::Ready(p) => p,
            Preparation::Seen(l) => return Ok(IngestOutcome::Duplicate(l)),
        };
        let hooks = self.hooks().await?;
        let written = self
            .write(move |c| Box::pin(async move { land(c, &hooks, *prepared, now).await }))
            .await;
        match (written, key) {
            (Err(AppError::Conflict(_)), (channel, account, Some(id))) => {
                let mut rc = self.read().await?;
                match inbound::landed(&mut rc.conn(), channel, &account, &id).await? {
                    Some(l) => Ok(IngestOutcome::Duplicate(l)),
                    None => Err(AppError::Conflict(
                        "the ticket changed meanwhile; try again".into(),
                    )),
                }
            }
            (other, _) => other,
        }
    }

    /// Checks a message, recognises one taken in before, finds or makes
    /// its sender's profile (its own unit) and stores its files as theirs,
    /// ready for [`land`] inside a write unit.
    pub(crate) async fn prepare_inbound(
        &self,
        mut inbound: Inbound,
        now: Timestamp,
    ) -> Result<Preparation, AppError> {
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
        if inbound
            .external_id
            .as_deref()
            .is_some_and(|id| id.trim().is_empty())
        {
            return Err(AppError::field(FieldError::blank("external_id")));
        }
        let mut taken = inbound.external_id.clone().map(|external_id| Taken {
            channel: inbound.channel,
            account: inbound.account.clone(),
            external_id,
            sender: sender.clone(),
            sent_at: inbound.sent_at,
            fingerprint: inbound.fingerprint.clone(),
            raw_id: inbound.raw_id,
        });
        if taken.is_some() {
            let mut rc = self.read().await?;
            match earlier(&mut rc.conn(), &inbound).await? {
                Earlier::ThisMessage(l) => return Ok(Preparation::Seen(l)),
                // This one is taken in; its id is not remembered again.
                Earlier::AnotherMessage => taken = None,
                Earlier::Nothing => {}
            }
        }
        let (kind, name) = (inbound.sender.kind, inbound.sender.display_name.clone());
        let profile = self
            .write(move |c| {
                Box::pin(async move {
                    find_or_create_by_identity(c, kind, &sender, name.as_deref(), now).await
                })
            })
            .await?;
        // Files are stored before the write that attaches them; if that
        // write finds the message was a duplicate after all, they stay
        // unattached and expire like any unused upload.
        let mut uploads = std::mem::take(&mut inbound.uploads);
        for f in std::mem::take(&mut inbound.files) {
            let size = f.data.len();
            match self
                .upload(
                    profile.actor(),
                    &f.file_name,
                    Some(&f.content_type),
                    f.data,
                    None,
                )
                .await
            {
                Ok((token, _)) => uploads.push(token),
                Err(AppError::Invalid(_)) => {
                    inbound.text.push_str("\n\n");
                    inbound
                        .text
                        .push_str(&text::too_large_note(&f.file_name, size));
                }
                Err(e) => return Err(e),
            }
        }
        let text = text::comment_text(&inbound.text, inbound.html.as_deref(), &inbound.quoted);
        let comment = CommentInput {
            body: Some(text.body().to_string()),
            public: Some(true),
            uploads,
            ..Default::default()
        };
        Ok(Preparation::Ready(Box::new(Prepared {
            inbound,
            profile,
            taken,
            comment,
            text,
        })))
    }
}

/// Writes a prepared message inside the caller's unit: dedupe checked
/// again, threaded, the people it was also for joined, written through the
/// pipeline and remembered. A simultaneous delivery of the same message
/// that won makes this fail with a conflict (the unit rolls back).
pub(crate) async fn land(
    c: &mut Conn<'_>,
    hooks: &Hooks,
    p: Prepared,
    now: Timestamp,
) -> Result<IngestOutcome, AppError> {
    let Prepared {
        inbound,
        profile,
        taken,
        comment,
        text,
    } = p;
    // Checked again inside the unit: a delivery of the same message may
    // have been written since the read.
    if taken.is_some()
        && let Earlier::ThisMessage(l) = earlier(c, &inbound).await?
    {
        return Ok(IngestOutcome::Duplicate(l));
    }
    let target = thread(c, &inbound, &profile, now).await?;
    let copied = copied_people(c, &inbound, &profile, now).await?;
    let (change, how) = match target {
        Some((t, how)) => {
            // New people it was for join the conversation.
            let mut all = t.collaborator_ids.clone();
            for u in copied {
                if !all.contains(&u) && u != t.requester_id {
                    all.push(u);
                }
            }
            let input = TicketInput {
                comment: Some(comment),
                collaborator_ids: (all != t.collaborator_ids).then_some(all),
                add_tags: inbound.tags.clone(),
                ..Default::default()
            };
            let change = Change::Update {
                id: t.id,
                input,
                text: Some(text),
            };
            (change, how)
        }
        None => {
            let input = TicketInput {
                subject: inbound.subject.clone().filter(|s| !s.trim().is_empty()),
                collaborator_ids: Some(copied).filter(|v| !v.is_empty()),
                recipient: inbound.recipient.clone(),
                add_tags: inbound.tags.clone(),
                ..Default::default()
            };
            let change = Change::Create {
                input,
                comment,
                text,
            };
            (change, Threaded::New)
        }
    };
    let mut req = WriteRequest::new(profile.actor(), inbound.channel, change);
    req.inbound = taken;
    let w = crate::pipeline::write(c, hooks, req, now)
        .await?
        .ok_or(AppError::NotFound)?;
    let landed = Landed {
        ticket: w.ticket.id,
        comment: w.comment.as_ref().map(|c| c.id),
    };
    Ok(IngestOutcome::Landed(landed, how))
}

/// The threading window in days (admins may change it).
pub(crate) async fn threading_window_days(c: &mut Conn<'_>) -> Result<i64, AppError> {
    Ok(settings::get(c, THREADING_WINDOW_KEY)
        .await?
        .and_then(|v| v.parse().ok())
        .filter(|d: &i64| *d >= 0)
        .unwrap_or(DEFAULT_THREADING_WINDOW_DAYS))
}

/// Which ticket a message continues, if any: the first hint naming one the
/// customer may write on, else — for a message without a subject of its
/// own — their open case.
async fn thread(
    c: &mut Conn<'_>,
    inbound: &Inbound,
    profile: &User,
    now: Timestamp,
) -> Result<Option<(Ticket, Threaded)>, AppError> {
    let actor = profile.actor();
    for (i, hint) in inbound.thread.iter().enumerate() {
        let named = match hint {
            ThreadHint::Ticket(t) => Some(*t),
            ThreadHint::RepliesTo(ext) => {
                match inbound::landed(c, inbound.channel, &inbound.account, ext).await? {
                    Some(l) => Some(l.ticket),
                    // An answer to one of our messages.
                    None => outbox::ticket_of_external(c, inbound.channel, ext).await?,
                }
            }
        };
        // A closed ticket takes no more messages, and the sender must be
        // on the ticket, or a number alone would let anyone in.
        if let Some(id) = named
            && let Some(t) = tickets::get(c, id, false).await?
            && t.status != Status::Closed
            && crate::tickets::can_see(c, &actor, &t).await?
        {
            return Ok(Some((t, Threaded::Hint(i))));
        }
    }
    if inbound
        .subject
        .as_deref()
        .is_some_and(|s| !s.trim().is_empty())
    {
        return Ok(None);
    }
    let window = threading_window_days(c).await?;
    let since = Timestamp(now.0 - window * 86_400);
    let Some(id) = tickets::latest_unsolved_of(c, profile.id, since).await? else {
        return Ok(None);
    };
    Ok(tickets::get(c, id, false)
        .await?
        .map(|t| (t, Threaded::OpenCase)))
}

/// The profiles of the people a message was also for, found or made (the
/// sender and values that are not valid identities left out).
async fn copied_people(
    c: &mut Conn<'_>,
    inbound: &Inbound,
    profile: &User,
    now: Timestamp,
) -> Result<Vec<UserId>, AppError> {
    let mut ids = Vec::new();
    for s in &inbound.copied {
        let Some(value) = normalize_identity(s.kind, &s.value) else {
            continue;
        };
        let u =
            find_or_create_by_identity(c, s.kind, &value, s.display_name.as_deref(), now).await?;
        if u.id != profile.id && !ids.contains(&u.id) {
            ids.push(u.id);
        }
    }
    Ok(ids)
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
