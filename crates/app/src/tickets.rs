//! Tickets: create, update (every change is one audit), delete, merge, and
//! reading them back with their comments and audits. Each write is one unit:
//! ticket rows, comment, audit, search terms and the event log commit
//! together or not at all.

mod changes;
mod deletion;
mod merge;
mod reads;
mod write;

use changes::*;
pub use deletion::delete_in;
pub(crate) use deletion::{restore_in, scrub_in};
pub use merge::MergeNotes;
pub(crate) use merge::merge_in;
pub use reads::TicketScope;
use reads::visible_ticket;
pub(crate) use reads::{can_see, my_groups};
pub(crate) use write::{PlannedUpdate, commit_update, create_in, plan_update, update_in};

use crate::fields::{check_value, implied_tags};
use crate::pipeline::{Change, Hooks, WriteRequest};
use crate::sanitize::{clean_html, html_to_text, text_to_html};
use crate::users::{clean_tags, find_or_create_by_email};
use crate::{App, AppError, FieldError, Paged, Paging};
use domain::audit::{AuditEvent, CommentEvent};
use domain::{
    Actor, AuditId, Channel, CommentId, FieldId, GroupId, OrgId, Priority, Status, TicketFormId,
    TicketId, TicketType, Timestamp, UserId,
};
use serde_json::{Value as Json, json};
use store::Conn;
use store::events::{Entity, EventKind, NewEvent};
use store::model::{Audit, Comment, Ticket, TicketField};
use store::paging::page_ids;
use store::repo::{attachments, comments, fields, groups, orgs, search as index, tickets, users};

/// Who the ticket is for: an existing user, or someone known by email who
/// is created on the fly if new.
#[derive(Debug, Clone)]
pub enum RequesterInput {
    Id(UserId),
    Email {
        email: String,
        name: Option<String>,
        locale: Option<String>,
    },
}

/// A reply or note to add.
#[derive(Debug, Clone, Default)]
pub struct CommentInput {
    pub body: Option<String>,
    pub html_body: Option<String>,
    /// Public reply (default) or internal note.
    pub public: Option<bool>,
    /// Staff may post on behalf of someone else.
    pub author_id: Option<UserId>,
    /// Upload tokens whose files attach to this comment.
    pub uploads: Vec<String>,
    /// The channel a public reply goes out on, where the agent chose one
    /// (else the one the customer last wrote from).
    pub reply_via: Option<Channel>,
    /// The approved template the reply is, where the customer's
    /// messaging window is closed (WhatsApp); the body is its words.
    pub template: Option<domain::model::outbox::TemplateUse>,
    /// Answers the customer can tap (a messaging reply's buttons, at most
    /// [`MAX_REPLY_BUTTONS`] of at most [`MAX_BUTTON_CHARS`] characters).
    pub buttons: Vec<String>,
}

/// The most buttons one reply offers (WhatsApp takes three).
pub const MAX_REPLY_BUTTONS: usize = 3;
/// The longest button title (WhatsApp's and Messenger's limit).
pub const MAX_BUTTON_CHARS: usize = 20;

impl CommentInput {
    pub(crate) fn is_blank(&self) -> bool {
        self.body.as_deref().is_none_or(|b| b.trim().is_empty())
            && self
                .html_body
                .as_deref()
                .is_none_or(|b| html_to_text(b).trim().is_empty())
    }
}

/// The changes a caller asks for; `None` leaves a field as it is, and
/// `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct TicketInput {
    pub subject: Option<String>,
    pub comment: Option<CommentInput>,
    pub requester: Option<RequesterInput>,
    pub submitter_id: Option<UserId>,
    pub assignee_id: Option<Option<UserId>>,
    pub group_id: Option<Option<GroupId>>,
    pub organization_id: Option<Option<OrgId>>,
    pub status: Option<Status>,
    pub priority: Option<Option<Priority>>,
    pub ticket_type: Option<Option<TicketType>>,
    pub tags: Option<Vec<String>>,
    pub add_tags: Vec<String>,
    pub remove_tags: Vec<String>,
    pub custom_fields: Vec<(FieldId, Json)>,
    pub external_id: Option<Option<String>>,
    pub due_at: Option<Option<Timestamp>>,
    pub problem_id: Option<Option<TicketId>>,
    /// The request form (Zendesk's `ticket_form_id`).
    pub ticket_form_id: Option<Option<TicketFormId>>,
    pub collaborator_ids: Option<Vec<UserId>>,
    pub follower_ids: Option<Vec<UserId>>,
    /// The support address the customer wrote to (Zendesk's `recipient`):
    /// our replies go out from it.
    pub recipient: Option<String>,
    /// Audit events to record with the change (a routing decision's reason).
    pub extra_events: Vec<AuditEvent>,
    /// Refuse the update if the ticket changed after this instant.
    pub updated_stamp: Option<Timestamp>,
    /// Refuse the update if the ticket has an audit newer than this one
    /// (the workspace's check: exact, where `updated_stamp` has one-second
    /// resolution).
    pub expected_audit: Option<AuditId>,
}

impl TicketInput {
    /// Lays `o`'s changes over these: its fields win, its lists add up.
    pub(crate) fn merge(&mut self, o: TicketInput) {
        macro_rules! over {
            ($($f:ident),*) => { $( if o.$f.is_some() { self.$f = o.$f; } )* };
        }
        over!(
            subject,
            comment,
            requester,
            submitter_id,
            assignee_id,
            group_id,
            organization_id,
            status,
            priority,
            ticket_type,
            tags,
            external_id,
            due_at,
            problem_id,
            ticket_form_id,
            collaborator_ids,
            follower_ids,
            recipient,
            updated_stamp,
            expected_audit
        );
        self.add_tags.extend(o.add_tags);
        self.remove_tags.extend(o.remove_tags);
        self.custom_fields.extend(o.custom_fields);
        self.extra_events.extend(o.extra_events);
    }

    /// Whether anything other than a comment is asked for.
    fn changes_fields(&self) -> bool {
        self.subject.is_some()
            || self.requester.is_some()
            || self.submitter_id.is_some()
            || self.assignee_id.is_some()
            || self.group_id.is_some()
            || self.organization_id.is_some()
            || self.status.is_some()
            || self.priority.is_some()
            || self.ticket_type.is_some()
            || self.tags.is_some()
            || !self.add_tags.is_empty()
            || !self.remove_tags.is_empty()
            || !self.custom_fields.is_empty()
            || self.external_id.is_some()
            || self.due_at.is_some()
            || self.problem_id.is_some()
            || self.ticket_form_id.is_some()
            || self.collaborator_ids.is_some()
            || self.follower_ids.is_some()
            || self.recipient.is_some()
    }
}

/// What a ticket write returns: the ticket as saved, its new audit, and the
/// comment it added, if any.
#[derive(Debug, Clone)]
pub struct TicketWrite {
    pub ticket: Ticket,
    pub audit: Audit,
    pub comment: Option<Comment>,
    /// The ticket before an update (`None` for a new ticket), for the
    /// rules that react to what changed.
    pub before: Option<Ticket>,
}

/// The index terms of a ticket: its tags (as tag terms), its subject and
/// every comment, each analysed in its own language. Capped so a huge thread
/// cannot bloat the index.
pub fn ticket_terms(subject: &str, tags: &[String], bodies: &[String]) -> String {
    let mut analyzed = String::new();
    for b in bodies {
        let t = search::analyze_document(b);
        if !t.is_empty() {
            analyzed.push(' ');
            analyzed.push_str(&t);
        }
        if analyzed.len() > 400_000 {
            break;
        }
    }
    join_terms(subject, tags, &analyzed)
}

/// A ticket's index terms from its subject, tags and already analysed
/// comment text.
fn join_terms(subject: &str, tags: &[String], body_terms: &str) -> String {
    let mut terms: String = tags.iter().map(|t| search::tag_term(t) + " ").collect();
    terms.push_str(&search::analyze_document(subject));
    if !body_terms.trim().is_empty() {
        terms.push(' ');
        terms.push_str(body_terms.trim_start());
    }
    terms
}

/// Rebuilds a ticket's index terms from its tags, subject and every comment.
async fn reindex_full(c: &mut Conn<'_>, t: &Ticket) -> Result<(), AppError> {
    let bodies = comments::bodies(c, t.id).await?;
    index::index_ticket(c, t.id, &ticket_terms(&t.subject, &t.tags, &bodies)).await?;
    Ok(())
}

fn event(
    id: TicketId,
    kind: EventKind,
    audit: Option<AuditId>,
    actor: UserId,
    at: Timestamp,
) -> NewEvent {
    NewEvent {
        entity: Entity::Ticket,
        entity_id: id.0,
        kind,
        audit,
        actor: Some(actor),
        at,
    }
}

fn invalid(field: &str, why: impl Into<String>) -> AppError {
    AppError::field(FieldError::invalid(field, why))
}

async fn check_agent(c: &mut Conn<'_>, id: UserId, field: &str) -> Result<(), AppError> {
    match users::get(c, id).await? {
        Some(u) if u.role.is_staff() && u.active => Ok(()),
        Some(_) => Err(invalid(field, format!("user {id} is not an active agent"))),
        None => Err(invalid(field, format!("user {id} does not exist"))),
    }
}

/// A comment's text, sanitised HTML and index terms, worked out before the
/// write unit: sanitising and stemming are the costly part of a reply, and
/// on SQLite every unit runs on the one writer thread.
#[derive(Debug, Clone)]
pub struct CommentText {
    body: String,
    html_body: String,
    terms: String,
}

impl CommentText {
    pub fn of(input: &CommentInput) -> Result<CommentText, AppError> {
        let (body, html_body) = match (&input.html_body, &input.body) {
            (Some(h), _) if !h.trim().is_empty() => {
                let clean = clean_html(h);
                (html_to_text(&clean), clean)
            }
            (_, Some(b)) => (b.clone(), text_to_html(b)),
            _ => return Err(AppError::field(FieldError::blank("comment"))),
        };
        let terms = search::analyze_document(&body);
        Ok(CommentText {
            body,
            html_body,
            terms,
        })
    }

    /// A text and HTML already prepared by a channel (the HTML sanitised
    /// by the channel, e.g. email with its quoted history folded).
    pub fn prepared(body: String, html_body: String) -> CommentText {
        let terms = search::analyze_document(&body);
        CommentText {
            body,
            html_body,
            terms,
        }
    }

    /// The plain text.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// The sanitised HTML.
    pub fn html_body(&self) -> &str {
        &self.html_body
    }

    /// The text of the comment an update adds, if it adds one.
    pub fn of_update(input: &TicketInput) -> Result<Option<CommentText>, AppError> {
        input
            .comment
            .as_ref()
            .filter(|cm| !cm.is_blank())
            .map(CommentText::of)
            .transpose()
    }
}

impl App {
    /// Opens a ticket. End-users open tickets for themselves only; a comment
    /// (or description) is required.
    pub async fn create_ticket(
        &self,
        actor: Actor,
        mut input: TicketInput,
        via: Channel,
    ) -> Result<TicketWrite, AppError> {
        let comment = input
            .comment
            .take()
            .filter(|c| !c.is_blank())
            .ok_or_else(|| AppError::field(FieldError::blank("comment")))?;
        if !domain::policy::may_change_ticket_fields(&actor) {
            if input.assignee_id.is_some()
                || input.group_id.is_some()
                || input.submitter_id.is_some()
                || input.status.is_some()
                || comment.author_id.is_some()
            {
                return Err(AppError::forbidden(
                    "end-users cannot set assignee, group, submitter, status or author",
                ));
            }
            input.requester = Some(RequesterInput::Id(actor.user));
        }
        let text = CommentText::of(&comment)?;
        let now = Timestamp::now();
        let hooks = self.hooks().await?;
        let change = Change::Create {
            input,
            comment,
            text,
        };
        self.write_ticket(hooks, WriteRequest::new(actor, via, change), now)
            .await
    }

    /// Changes a ticket and/or adds a comment, as one audit. End-users may
    /// only comment on their own tickets.
    pub async fn update_ticket(
        &self,
        actor: Actor,
        id: TicketId,
        input: TicketInput,
        via: Channel,
    ) -> Result<TicketWrite, AppError> {
        if !domain::policy::may_change_ticket_fields(&actor)
            && (input.changes_fields()
                || input
                    .comment
                    .as_ref()
                    .is_some_and(|c| c.author_id.is_some() || c.public == Some(false)))
        {
            return Err(AppError::forbidden(
                "end-users may only add public comments",
            ));
        }
        let text = CommentText::of_update(&input)?;
        let now = Timestamp::now();
        let hooks = self.hooks().await?;
        let change = Change::Update { id, input, text };
        self.write_ticket(hooks, WriteRequest::new(actor, via, change), now)
            .await
    }

    /// Runs one change through the write pipeline in its own transaction.
    pub(crate) async fn write_ticket(
        &self,
        hooks: Hooks,
        req: WriteRequest,
        now: Timestamp,
    ) -> Result<TicketWrite, AppError> {
        self.write(move |c| {
            Box::pin(async move {
                crate::pipeline::write(c, &hooks, req, now)
                    .await?
                    .ok_or(AppError::NotFound)
            })
        })
        .await
    }

    /// Soft-deletes a ticket: gone from reads and search, kept for export.
    pub async fn delete_ticket(&self, actor: Actor, id: TicketId) -> Result<(), AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let now = Timestamp::now();
        self.write(move |c| Box::pin(async move { delete_in(c, actor, id, now).await }))
            .await
    }
}
