//! Tickets: create, update (every change is one audit), delete, merge, and
//! reading them back with their comments and audits. Each write is one unit:
//! ticket rows, comment, audit, search terms and the event log commit
//! together or not at all.

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

/// Applies every field change except status to `t`, validating references.
async fn apply_changes(
    c: &mut Conn<'_>,
    t: &mut Ticket,
    input: &TicketInput,
    all_fields: &[TicketField],
    now: Timestamp,
) -> Result<(), AppError> {
    if let Some(s) = &input.subject {
        t.subject = s.trim().chars().take(500).collect();
    }
    if let Some(r) = &input.requester {
        let u = match r {
            RequesterInput::Id(id) => users::get(c, *id)
                .await?
                .ok_or_else(|| invalid("requester_id", format!("user {id} does not exist")))?,
            RequesterInput::Email {
                email,
                name,
                locale,
            } => find_or_create_by_email(c, email, name.as_deref(), locale.as_deref(), now).await?,
        };
        t.requester_id = u.id;
        if input.organization_id.is_none() {
            t.organization_id = u.organization_id;
        }
    }
    if let Some(s) = input.submitter_id {
        users::get(c, s)
            .await?
            .ok_or_else(|| invalid("submitter_id", format!("user {s} does not exist")))?;
        t.submitter_id = s;
    }
    if let Some(a) = input.assignee_id {
        if let Some(a) = a {
            check_agent(c, a, "assignee_id").await?;
        }
        t.assignee_id = a;
    }
    if let Some(g) = input.group_id {
        if let Some(g) = g {
            groups::get(c, g)
                .await?
                .ok_or_else(|| invalid("group_id", format!("group {g} does not exist")))?;
        }
        t.group_id = g;
    }
    if let (Some(a), Some(g)) = (t.assignee_id, t.group_id)
        && (input.assignee_id.is_some() || input.group_id.is_some())
        && !groups::is_member(c, a, g).await?
    {
        if input.group_id.is_some() && input.assignee_id.is_none() {
            t.assignee_id = None;
        } else if input.group_id.is_none() {
            t.group_id = groups::default_group(c, a).await?;
        } else {
            return Err(invalid(
                "assignee_id",
                format!("agent {a} is not a member of group {g}"),
            ));
        }
    }
    if let Some(a) = t.assignee_id
        && t.group_id.is_none()
    {
        t.group_id = groups::default_group(c, a).await?;
    }
    if let Some(o) = input.organization_id {
        if let Some(o) = o {
            orgs::get(c, o).await?.ok_or_else(|| {
                invalid(
                    "organization_id",
                    format!("organization {o} does not exist"),
                )
            })?;
        }
        t.organization_id = o;
    }
    if let Some(p) = input.priority {
        t.priority = p;
    }
    if let Some(tt) = input.ticket_type {
        t.ticket_type = tt;
    }
    if let Some(e) = &input.external_id {
        t.external_id = e.clone().filter(|s| !s.is_empty());
    }
    if let Some(d) = input.due_at {
        t.due_at = d;
    }
    if let Some(r) = &input.recipient {
        t.recipient = domain::user::normalize_email(r);
    }
    if let Some(p) = input.problem_id {
        if let Some(p) = p {
            let problem = tickets::get(c, p, false)
                .await?
                .ok_or_else(|| invalid("problem_id", format!("ticket {p} does not exist")))?;
            if problem.ticket_type != Some(TicketType::Problem) || p == t.id {
                return Err(invalid(
                    "problem_id",
                    format!("ticket {p} is not a problem"),
                ));
            }
        }
        t.problem_id = p;
    }
    for (ids, field) in [
        (&input.collaborator_ids, "collaborator_ids"),
        (&input.follower_ids, "follower_ids"),
    ] {
        if let Some(ids) = ids {
            let mut ids = ids.clone();
            ids.sort();
            ids.dedup();
            let raw: Vec<i64> = ids.iter().map(|u| u.0).collect();
            if users::get_many(c, &raw).await?.len() != ids.len() {
                return Err(invalid(field, "every user must exist"));
            }
            if field == "collaborator_ids" {
                t.collaborator_ids = ids
            } else {
                t.follower_ids = ids
            }
        }
    }
    let mut tags = match &input.tags {
        Some(tags) => clean_tags(tags),
        None => t.tags.clone(),
    };
    tags.extend(clean_tags(&input.add_tags));
    let remove = clean_tags(&input.remove_tags);
    tags.retain(|x| !remove.contains(x));
    for (id, value) in &input.custom_fields {
        let field = all_fields
            .iter()
            .find(|f| f.id == *id)
            .ok_or_else(|| invalid("custom_fields", format!("field {id} does not exist")))?;
        let checked = check_value(field, value).map_err(AppError::field)?;
        let old_tags = implied_tags(field);
        tags.retain(|x| !old_tags.contains(x));
        t.custom_fields.retain(|(f, _)| f != id);
        if let Some((text, implied)) = checked {
            tags.extend(implied);
            t.custom_fields.push((*id, text));
        }
    }
    t.custom_fields.sort_by_key(|(f, _)| *f);
    t.tags = clean_tags(&tags);
    Ok(())
}

/// Zendesk audit events describing how `after` differs from `before` (or,
/// for a new ticket, every field it was created with).
fn field_events(before: Option<&Ticket>, after: &Ticket) -> Vec<Json> {
    let fmt_opt = |v: Option<String>| v.map_or(Json::Null, Json::String);
    let fields: Vec<(&str, Json, Option<Json>)> = {
        let b = before;
        let num = |v: Option<i64>| v.map_or(Json::Null, |n| json!(n));
        vec![
            ("subject", json!(after.subject), b.map(|b| json!(b.subject))),
            (
                "status",
                json!(after.status.as_str()),
                b.map(|b| json!(b.status.as_str())),
            ),
            (
                "priority",
                fmt_opt(after.priority.map(|p| p.as_str().into())),
                b.map(|b| fmt_opt(b.priority.map(|p| p.as_str().into()))),
            ),
            (
                "type",
                fmt_opt(after.ticket_type.map(|p| p.as_str().into())),
                b.map(|b| fmt_opt(b.ticket_type.map(|p| p.as_str().into()))),
            ),
            (
                "requester_id",
                json!(after.requester_id.0),
                b.map(|b| json!(b.requester_id.0)),
            ),
            (
                "assignee_id",
                num(after.assignee_id.map(|v| v.0)),
                b.map(|b| num(b.assignee_id.map(|v| v.0))),
            ),
            (
                "group_id",
                num(after.group_id.map(|v| v.0)),
                b.map(|b| num(b.group_id.map(|v| v.0))),
            ),
            (
                "organization_id",
                num(after.organization_id.map(|v| v.0)),
                b.map(|b| num(b.organization_id.map(|v| v.0))),
            ),
            ("tags", json!(after.tags), b.map(|b| json!(b.tags))),
            (
                "due_at",
                fmt_opt(after.due_at.map(|d| d.to_iso())),
                b.map(|b| fmt_opt(b.due_at.map(|d| d.to_iso()))),
            ),
            (
                "problem_id",
                num(after.problem_id.map(|v| v.0)),
                b.map(|b| num(b.problem_id.map(|v| v.0))),
            ),
        ]
    };
    let mut events = Vec::new();
    for (name, value, prev) in fields {
        match prev {
            None if value.is_null() || value == json!([]) || value == json!("") => {}
            None => events.push(json!({"type": "Create", "field_name": name, "value": value})),
            Some(p) if p != value => events.push(
                json!({"type": "Change", "field_name": name, "value": value, "previous_value": p}),
            ),
            Some(_) => {}
        }
    }
    let old: &[(FieldId, String)] = before.map_or(&[], |b| &b.custom_fields);
    for (id, v) in &after.custom_fields {
        match old.iter().find(|(f, _)| f == id) {
            None if before.is_none() => events.push(json!({"type": "Create", "field_name": id.0.to_string(), "value": v})),
            None => events.push(json!({"type": "Change", "field_name": id.0.to_string(), "value": v, "previous_value": null})),
            Some((_, o)) if o != v => events.push(json!({"type": "Change", "field_name": id.0.to_string(), "value": v, "previous_value": o})),
            Some(_) => {}
        }
    }
    for (id, o) in old {
        if !after.custom_fields.iter().any(|(f, _)| f == id) {
            events.push(json!({"type": "Change", "field_name": id.0.to_string(), "value": null, "previous_value": o}));
        }
    }
    events
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

/// Checks that every upload token exists and belongs to the author.
async fn check_uploads(
    c: &mut Conn<'_>,
    uploads: &[String],
    author: UserId,
) -> Result<(), AppError> {
    for token in uploads {
        let files = attachments::by_token(c, token).await?;
        if files.is_empty()
            || files
                .iter()
                .any(|f| f.uploader_id != author || f.comment_id.is_some())
        {
            return Err(invalid(
                "uploads",
                format!("{token} is not a valid upload token"),
            ));
        }
    }
    Ok(())
}

/// The audit event for a comment (ids are numbered when rendered).
fn comment_event(cm: &Comment) -> Json {
    json!({
        "type": "Comment", "author_id": cm.author_id.0, "body": cm.body, "html_body": cm.html_body,
        "plain_body": cm.body, "public": cm.public,
        "attachment_ids": cm.attachments.iter().map(|a| a.id.0).collect::<Vec<_>>(),
    })
}

/// Stores a comment whose audit exists, and attaches its uploads.
async fn store_comment(
    c: &mut Conn<'_>,
    mut cm: Comment,
    uploads: &[String],
) -> Result<Comment, AppError> {
    cm.id = comments::insert(c, &cm).await?;
    for token in uploads {
        attachments::attach_token(c, token, cm.id, cm.author_id).await?;
    }
    if !uploads.is_empty() {
        cm.attachments = attachments::for_comments(c, &[cm.id.0]).await?;
    }
    Ok(cm)
}

/// A new comment, not yet stored.
fn new_comment(
    t: &Ticket,
    input: &CommentInput,
    text: CommentText,
    author: UserId,
    via: Channel,
    now: Timestamp,
) -> Comment {
    Comment {
        id: CommentId(0),
        ticket_id: t.id,
        audit_id: AuditId(0),
        author_id: author,
        body: text.body,
        html_body: text.html_body,
        public: input.public.unwrap_or(true),
        via,
        created_at: now,
        attachments: vec![],
    }
}

/// Writes an audit with its events, and the comment it carries, if any.
/// The comment's attachment ids are known only after it is stored, so a
/// comment with uploads is recorded in the audit after them.
async fn write_audit(
    c: &mut Conn<'_>,
    t: &Ticket,
    author: UserId,
    via: Channel,
    comment: Option<(Comment, &[String])>,
    field_events: Vec<Json>,
    now: Timestamp,
) -> Result<(Audit, Option<Comment>), AppError> {
    let mut events = Vec::with_capacity(field_events.len() + 1);
    let mut pending = None;
    if let Some((cm, uploads)) = comment {
        if uploads.is_empty() {
            events.push(comment_event(&cm));
        }
        pending = Some((cm, uploads));
    }
    events.extend(field_events);
    let audit_id = comments::insert_audit(
        c,
        t.id,
        author,
        via,
        &Json::from(events.as_slice()).to_string(),
        now,
    )
    .await?;
    let mut stored = None;
    if let Some((mut cm, uploads)) = pending {
        cm.audit_id = audit_id;
        let cm = store_comment(c, cm, uploads).await?;
        if !uploads.is_empty() {
            events.insert(0, comment_event(&cm));
            comments::set_audit_events(c, audit_id, &Json::from(events.as_slice()).to_string())
                .await?;
        }
        stored = Some(cm);
    }
    let audit = Audit {
        id: audit_id,
        ticket_id: t.id,
        author_id: author,
        via,
        events: Json::Array(events).to_string(),
        created_at: now,
    };
    Ok((audit, stored))
}

/// Applies a status change with Zendesk's rules; a solved ticket needs an
/// assignee, which defaults to the agent solving it.
fn apply_status(t: &mut Ticket, to: Status, actor: &Actor, now: Timestamp) -> Result<(), AppError> {
    let next = t
        .status
        .transition(to)
        .map_err(|e| invalid("status", e.to_string()))?;
    if next == Status::Solved && t.assignee_id.is_none() {
        if actor.is_staff() && !actor.is_system() {
            t.assignee_id = Some(actor.user);
        } else {
            return Err(invalid("assignee_id", "a solved ticket needs an assignee"));
        }
    }
    if next.is_done() && !t.status.is_done() {
        t.solved_at = Some(now);
    } else if !next.is_done() {
        t.solved_at = None;
    }
    t.status = next;
    Ok(())
}

/// Custom fields are read only when the change needs them: values to check,
/// or a solve that must find required fields filled.
async fn fields_if_needed(
    c: &mut Conn<'_>,
    input: &TicketInput,
) -> Result<Vec<TicketField>, AppError> {
    if input.custom_fields.is_empty() && !input.status.is_some_and(Status::is_done) {
        return Ok(vec![]);
    }
    Ok(fields::all(c).await?)
}

fn check_required(all_fields: &[TicketField], t: &Ticket) -> Result<(), AppError> {
    for f in all_fields.iter().filter(|f| f.required && f.active) {
        if !t.custom_fields.iter().any(|(id, _)| *id == f.id) {
            return Err(invalid(
                &format!("custom_field_{}", f.id),
                "is required to solve the ticket",
            ));
        }
    }
    Ok(())
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

    /// One ticket, if the caller may see it.
    pub async fn ticket(&self, actor: Actor, id: TicketId) -> Result<Ticket, AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let t = visible_ticket(c, &actor, id).await?;
        let mut t = crate::ticket_reads::for_reader(c, &actor, vec![t]).await?;
        t.pop().ok_or(AppError::NotFound)
    }

    /// The id of a ticket's newest audit: its version, for edits that must
    /// not overwrite a change they did not see.
    pub async fn ticket_version(&self, actor: Actor, id: TicketId) -> Result<AuditId, AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        visible_ticket(c, &actor, id).await?;
        Ok(comments::last_audit_id(c, id).await?)
    }

    /// Several tickets; unknown, deleted and invisible ones are skipped.
    pub async fn tickets_by_ids(&self, actor: Actor, ids: &[i64]) -> Result<Vec<Ticket>, AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let ts = tickets::get_many(c, ids, false).await?;
        let mine = my_groups(c, &actor).await?;
        let seen = ts
            .into_iter()
            .filter(|t| actor.can_see_ticket(t.parties(), &mine))
            .collect();
        crate::ticket_reads::for_reader(c, &actor, seen).await
    }

    /// A page of tickets the caller may see, narrowed by `scope`.
    pub async fn list_tickets(
        &self,
        actor: Actor,
        scope: TicketScope,
        paging: Paging,
    ) -> Result<(Vec<Ticket>, Paged), AppError> {
        let mut cond = String::from("tickets t WHERE t.deleted_at IS NULL");
        let mut args: Vec<store::Value> = vec![];
        let mut add = |sql: &str, v: store::Value, args: &mut Vec<store::Value>| {
            args.push(v);
            cond.push_str(&sql.replace("$?", &format!("${}", args.len())));
        };
        if !domain::policy::reads_internal(&actor) {
            // A customer lists their own tickets, never someone else's.
            let about_someone_else = match &scope {
                TicketScope::Requested(u) | TicketScope::Assigned(u) | TicketScope::Ccd(u) => {
                    *u != actor.user
                }
                _ => false,
            };
            if about_someone_else {
                return Err(AppError::NotFound);
            }
            add(
                " AND (t.requester_id = $? OR t.id IN (SELECT ticket_id FROM ticket_collaborators WHERE user_id = $?))",
                actor.user.into(),
                &mut args,
            );
        } else if actor.restricted {
            let clause = format!(" AND {}", index::restricted_agent_sql("$?"));
            add(&clause, actor.user.into(), &mut args);
        }
        match scope {
            TicketScope::All => {}
            TicketScope::Requested(u) => add(" AND t.requester_id = $?", u.into(), &mut args),
            TicketScope::Assigned(u) => add(" AND t.assignee_id = $?", u.into(), &mut args),
            TicketScope::Ccd(u) => add(
                " AND t.id IN (SELECT ticket_id FROM ticket_collaborators WHERE user_id = $?)",
                u.into(),
                &mut args,
            ),
            TicketScope::Organization(o) => add(" AND t.organization_id = $?", o.into(), &mut args),
            TicketScope::ExternalId(e) => add(" AND t.external_id = $?", e.into(), &mut args),
        }
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let page = page_ids(c, &cond, args, paging).await?;
        let found = tickets::get_many(c, &page.ids, false).await?;
        Ok((
            crate::ticket_reads::for_reader(c, &actor, found).await?,
            page,
        ))
    }

    /// A page of a ticket's comments, oldest first. End-users never see
    /// internal notes.
    pub async fn comments(
        &self,
        actor: Actor,
        id: TicketId,
        paging: Paging,
    ) -> Result<(Vec<Comment>, Paged), AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        visible_ticket(c, &actor, id).await?;
        let cond = if domain::policy::reads_internal(&actor) {
            "comments t WHERE t.ticket_id = $1"
        } else {
            "comments t WHERE t.ticket_id = $1 AND t.public = TRUE"
        };
        let page = page_ids(c, cond, vec![id.into()], paging).await?;
        Ok((comments::get_many(c, &page.ids).await?, page))
    }

    /// A page of a ticket's audits, oldest first (staff only).
    pub async fn audits(
        &self,
        actor: Actor,
        id: TicketId,
        paging: Paging,
    ) -> Result<(Vec<Audit>, Paged), AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        visible_ticket(c, &actor, id).await?;
        let page = page_ids(
            c,
            "audits t WHERE t.ticket_id = $1",
            vec![id.into()],
            paging,
        )
        .await?;
        Ok((comments::audits_many(c, &page.ids).await?, page))
    }

    /// Merges `sources` into `target`: their comments move to the target,
    /// each source is closed with a note, and the target gets a note.
    pub async fn merge_tickets(
        &self,
        actor: Actor,
        target: TicketId,
        sources: Vec<TicketId>,
        notes: MergeNotes,
    ) -> Result<Ticket, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        if sources.is_empty() || sources.contains(&target) {
            return Err(invalid(
                "ids",
                "give one or more tickets other than the target",
            ));
        }
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move { merge_in(c, actor, target, sources, notes, now).await })
        })
        .await
    }
}

/// The groups whose tickets a restricted agent sees; nobody else needs them.
pub(crate) async fn my_groups(c: &mut Conn<'_>, actor: &Actor) -> Result<Vec<GroupId>, AppError> {
    if actor.restricted {
        Ok(groups::group_ids_of(c, actor.user).await?)
    } else {
        Ok(vec![])
    }
}

/// Whether the actor may see this ticket (restricted agents: by group).
pub(crate) async fn can_see(c: &mut Conn<'_>, actor: &Actor, t: &Ticket) -> Result<bool, AppError> {
    let mine = my_groups(c, actor).await?;
    Ok(actor.can_see_ticket(t.parties(), &mine))
}

/// A live ticket the actor may see, read on the caller's connection.
async fn visible_ticket(c: &mut Conn<'_>, actor: &Actor, id: TicketId) -> Result<Ticket, AppError> {
    let t = tickets::get(c, id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    if can_see(c, actor, &t).await? {
        Ok(t)
    } else {
        Err(AppError::NotFound)
    }
}

/// Which tickets a list shows.
#[derive(Debug, Clone)]
pub enum TicketScope {
    All,
    Requested(UserId),
    Assigned(UserId),
    Ccd(UserId),
    Organization(OrgId),
    ExternalId(String),
}

/// The notes a merge leaves; `None` uses the default wording.
#[derive(Debug, Clone, Default)]
pub struct MergeNotes {
    pub target_comment: Option<String>,
    pub source_comment: Option<String>,
    pub target_public: bool,
    pub source_public: bool,
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

async fn merge_in(
    c: &mut Conn<'_>,
    actor: Actor,
    target: TicketId,
    sources: Vec<TicketId>,
    notes: MergeNotes,
    now: Timestamp,
) -> Result<Ticket, AppError> {
    let mut t = visible_ticket(c, &actor, target).await?;
    if t.status == Status::Closed {
        return Err(invalid(
            "target",
            "a closed ticket cannot be a merge target",
        ));
    }
    let target_before = t.clone();
    let list = sources
        .iter()
        .map(|s| format!("#{s}"))
        .collect::<Vec<_>>()
        .join(", ");
    for sid in &sources {
        let mut s = tickets::get(c, *sid, false)
            .await?
            .ok_or_else(|| invalid("ids", format!("ticket {sid} does not exist")))?;
        if !can_see(c, &actor, &s).await? {
            return Err(invalid("ids", format!("ticket {sid} does not exist")));
        }
        if s.status == Status::Closed {
            return Err(invalid(
                "ids",
                format!("ticket {sid} is closed and cannot be merged"),
            ));
        }
        comments::move_all(c, *sid, target).await?;
        t.has_attachments |= s.has_attachments;
        for cc in &s.collaborator_ids {
            if !t.collaborator_ids.contains(cc) {
                t.collaborator_ids.push(*cc);
            }
        }
        let before = s.clone();
        let body = notes
            .source_comment
            .clone()
            .filter(|b| !b.trim().is_empty())
            .unwrap_or_else(|| {
                format!("This request was closed and merged into request #{target}.")
            });
        let note = CommentInput {
            body: Some(body),
            public: Some(notes.source_public),
            ..Default::default()
        };
        let cm = new_comment(
            &s,
            &note,
            CommentText::of(&note)?,
            actor.user,
            Channel::Merge,
            now,
        );
        if s.assignee_id.is_none() {
            s.assignee_id = Some(actor.user);
        }
        s.status = Status::Closed;
        s.solved_at = s.solved_at.or(Some(now));
        s.updated_at = now;
        tickets::update(c, &s, Some(&before)).await?;
        let (audit, _) = write_audit(
            c,
            &s,
            actor.user,
            Channel::Merge,
            Some((cm, &[])),
            field_events(Some(&before), &s),
            now,
        )
        .await?;
        reindex_full(c, &s).await?;
        store::events::append(
            c,
            event(*sid, EventKind::Merged, Some(audit.id), actor.user, now),
        )
        .await?;
    }
    let body = notes
        .target_comment
        .filter(|b| !b.trim().is_empty())
        .unwrap_or_else(|| format!("Requests {list} were closed and merged into this request."));
    let note = CommentInput {
        body: Some(body),
        public: Some(notes.target_public),
        ..Default::default()
    };
    let cm = new_comment(
        &t,
        &note,
        CommentText::of(&note)?,
        actor.user,
        Channel::Merge,
        now,
    );
    t.updated_at = now;
    tickets::update(c, &t, Some(&target_before)).await?;
    let (audit, _) = write_audit(
        c,
        &t,
        actor.user,
        Channel::Merge,
        Some((cm, &[])),
        vec![],
        now,
    )
    .await?;
    reindex_full(c, &t).await?;
    store::events::append(
        c,
        event(target, EventKind::Updated, Some(audit.id), actor.user, now),
    )
    .await?;
    Ok(t)
}
