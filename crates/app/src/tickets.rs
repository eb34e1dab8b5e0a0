//! Tickets: create, update (every change is one audit), delete, merge, and
//! reading them back with their comments and audits. Each write is one unit:
//! ticket rows, comment, audit, search terms and the event log commit
//! together or not at all.

mod changes;
mod merge;
mod reads;

use changes::*;
pub use merge::MergeNotes;
pub use reads::TicketScope;
use reads::visible_ticket;
pub(crate) use reads::{can_see, my_groups};

use crate::fields::{check_value, implied_tags};
use crate::sanitize::{clean_html, html_to_text, text_to_html};
use crate::users::{clean_tags, find_or_create_by_email};
use crate::{App, AppError, FieldError, Paged, Paging};
use domain::{
    Actor, AuditId, Channel, CommentId, FieldId, GroupId, OrgId, Priority, Status, TicketId,
    TicketType, Timestamp, UserId,
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
}

impl CommentInput {
    fn is_blank(&self) -> bool {
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
    pub collaborator_ids: Option<Vec<UserId>>,
    pub follower_ids: Option<Vec<UserId>>,
    /// The support address the customer wrote to (Zendesk's `recipient`):
    /// our replies go out from it.
    pub recipient: Option<String>,
    /// Audit events to record with the change (a routing decision's reason).
    pub extra_events: Vec<Json>,
    /// Refuse the update if the ticket changed after this instant.
    pub updated_stamp: Option<Timestamp>,
    /// Refuse the update if the ticket has an audit newer than this one
    /// (the workspace's check: exact, where `updated_stamp` has one-second
    /// resolution).
    pub expected_audit: Option<AuditId>,
}

impl TicketInput {
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
        self.write(move |c| {
            Box::pin(async move {
                let w = create_in(c, actor, input, comment, text, via, now).await?;
                crate::after_write::ticket_written(c, &hooks, actor, w, now).await
            })
        })
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
        self.write(move |c| {
            Box::pin(async move {
                let w = update_in(c, actor, id, input, text, via, now).await?;
                let w = crate::after_write::ticket_written(c, &hooks, actor, w, now).await?;
                // An agent's public reply goes to the requester by email, in
                // the same transaction (the outbox sends it), from the
                // address the customer wrote to.
                if let (Some(sender), Some(cm)) = (hooks.sender(&w.ticket), &w.comment)
                    && actor.is_staff()
                {
                    crate::outbox::reply(c, &sender, &w.ticket, cm, cm.author_id, now).await?;
                }
                Ok(w)
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

/// The body of `create_ticket`, usable inside a larger unit.
pub(crate) async fn create_in(
    c: &mut Conn<'_>,
    actor: Actor,
    input: TicketInput,
    comment: CommentInput,
    mut text: CommentText,
    via: Channel,
    now: Timestamp,
) -> Result<TicketWrite, AppError> {
    let all_fields = fields_if_needed(c, &input).await?;
    let mut t = Ticket {
        id: TicketId(0),
        subject: String::new(),
        description: String::new(),
        status: Status::New,
        priority: None,
        ticket_type: None,
        requester_id: actor.user,
        submitter_id: actor.user,
        assignee_id: None,
        group_id: None,
        organization_id: actor.org,
        problem_id: None,
        external_id: None,
        via,
        tags: vec![],
        has_attachments: false,
        due_at: None,
        created_at: now,
        updated_at: now,
        solved_at: None,
        deleted_at: None,
        recipient: None,
        custom_fields: vec![],
        collaborator_ids: vec![],
        follower_ids: vec![],
    };
    apply_changes(c, &mut t, &input, &all_fields, now).await?;
    let status = input.status.unwrap_or(if t.assignee_id.is_some() {
        Status::Open
    } else {
        Status::New
    });
    apply_status(&mut t, status, &actor, now)?;
    if actor.is_staff() && t.status.is_done() {
        check_required(&all_fields, &t)?;
    }
    let author = comment.author_id.unwrap_or(t.submitter_id);
    if comment.author_id.is_some() {
        users::get(c, author)
            .await?
            .ok_or_else(|| invalid("comment.author_id", format!("user {author} does not exist")))?;
    }
    check_uploads(c, &comment.uploads, actor.user).await?;
    let body_terms = std::mem::take(&mut text.terms);
    let cm = new_comment(&t, &comment, text, author, via, now);
    if t.subject.is_empty() {
        t.subject = cm
            .body
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .take(80)
            .collect();
    }
    t.description = cm.body.clone();
    t.has_attachments = !comment.uploads.is_empty();
    t.id = tickets::insert(c, &t).await?;
    let events = field_events(None, &t);
    let mut cm = cm;
    cm.ticket_id = t.id;
    let (audit, cm) = write_audit(
        c,
        &t,
        author,
        via,
        Some((cm, &comment.uploads)),
        events,
        now,
    )
    .await?;
    index::index_new_ticket(c, t.id, &join_terms(&t.subject, &t.tags, &body_terms)).await?;
    store::events::append(
        c,
        event(t.id, EventKind::Created, Some(audit.id), actor.user, now),
    )
    .await?;
    Ok(TicketWrite {
        ticket: t,
        audit,
        comment: cm,
        before: None,
    })
}

/// The body of `update_ticket`, usable inside a larger unit (bulk jobs).
pub async fn update_in(
    c: &mut Conn<'_>,
    actor: Actor,
    id: TicketId,
    input: TicketInput,
    text: Option<CommentText>,
    via: Channel,
    now: Timestamp,
) -> Result<TicketWrite, AppError> {
    let mut t = tickets::get(c, id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    if !can_see(c, &actor, &t).await? {
        return Err(AppError::NotFound);
    }
    if t.status == Status::Closed {
        return Err(invalid("status", "closed prevents ticket update"));
    }
    if let Some(stamp) = input.updated_stamp
        && stamp != t.updated_at
    {
        return Err(AppError::Conflict(format!(
            "ticket {id} was updated at {} by someone else",
            t.updated_at.to_iso()
        )));
    }
    if let Some(expected) = input.expected_audit {
        let latest = comments::last_audit_id(c, id).await?;
        if latest != expected {
            return Err(AppError::Conflict(format!(
                "ticket {id} has a newer change (audit {latest}) than the one edited ({expected})"
            )));
        }
    }
    let before = t.clone();
    let all_fields = fields_if_needed(c, &input).await?;
    apply_changes(c, &mut t, &input, &all_fields, now).await?;
    let comment = input.comment.as_ref().filter(|cm| !cm.is_blank());
    let status = match input.status {
        Some(s) => s,
        None if t.status == Status::New
            && actor.is_staff()
            && (t.assignee_id.is_some() || comment.is_some_and(|c| c.public != Some(false))) =>
        {
            Status::Open
        }
        // The customer answering a pending or solved ticket reopens it
        // (Zendesk's rule): the ball is back in our court.
        None if !actor.is_staff()
            && matches!(t.status, Status::Pending | Status::Solved)
            && comment.is_some() =>
        {
            Status::Open
        }
        None => t.status,
    };
    if status != t.status || input.status.is_some() {
        apply_status(&mut t, status, &actor, now)?;
    }
    if actor.is_staff() && t.status.is_done() && !before.status.is_done() {
        check_required(&all_fields, &t)?;
    }
    let author = comment.and_then(|cm| cm.author_id).unwrap_or(actor.user);
    let mut body_terms = None;
    let new = match (comment, text) {
        (Some(cm), Some(mut text)) => {
            check_uploads(c, &cm.uploads, actor.user).await?;
            t.has_attachments |= !cm.uploads.is_empty();
            body_terms = Some(std::mem::take(&mut text.terms));
            Some((
                new_comment(&t, cm, text, author, via, now),
                cm.uploads.as_slice(),
            ))
        }
        (Some(_), None) => return Err(AppError::field(FieldError::blank("comment"))),
        (None, _) => None,
    };
    let mut events = field_events(Some(&before), &t);
    events.extend(input.extra_events.iter().cloned());
    if new.is_some() || !events.is_empty() {
        t.updated_at = now;
    }
    tickets::update(c, &t, Some(&before)).await?;
    let (audit, added) = write_audit(c, &t, author, via, new, events, now).await?;
    if t.subject != before.subject || t.tags != before.tags {
        reindex_full(c, &t).await?;
    } else if let Some(terms) = body_terms {
        index::append_terms(c, id, &terms).await?;
    }
    store::events::append(
        c,
        event(id, EventKind::Updated, Some(audit.id), actor.user, now),
    )
    .await?;
    Ok(TicketWrite {
        ticket: t,
        audit,
        comment: added,
        before: Some(before),
    })
}

/// The body of `delete_ticket`, usable inside a bulk job.
pub async fn delete_in(
    c: &mut Conn<'_>,
    actor: Actor,
    id: TicketId,
    now: Timestamp,
) -> Result<(), AppError> {
    let mut t = tickets::get(c, id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    // Every caller (one ticket, bulk, jobs) goes through here: a
    // group-restricted agent cannot delete what they cannot see.
    if !domain::policy::may_change_ticket_fields(&actor) || !can_see(c, &actor, &t).await? {
        return Err(AppError::NotFound);
    }
    t.deleted_at = Some(now);
    t.updated_at = now;
    tickets::update(c, &t, None).await?;
    index::unindex_ticket(c, id).await?;
    store::events::append(c, event(id, EventKind::Deleted, None, actor.user, now)).await?;
    Ok(())
}
