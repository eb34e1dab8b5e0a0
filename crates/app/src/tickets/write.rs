//! Recording one ticket change: checked against the ticket as it stands,
//! then the ticket row, comment, audit, search terms and event written
//! together. Only the write pipeline calls these.

use super::*;

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
        ticket_form_id: None,
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

/// An update checked and worked out but not yet written: the pipeline
/// plans the rules' and routing's changes together, then writes them as
/// one audit.
pub(crate) struct PlannedUpdate {
    pub(crate) ticket: Ticket,
    before: Ticket,
    author: UserId,
    via: Channel,
    comment: Option<(Comment, Vec<String>)>,
    body_terms: Option<String>,
    events: Vec<AuditEvent>,
    actor: UserId,
}

impl PlannedUpdate {
    /// Whether the update changes nothing and adds no comment.
    pub(crate) fn is_empty(&self) -> bool {
        self.comment.is_none() && self.events.is_empty()
    }
}

/// Checks an update against the ticket as it stands and works out the
/// ticket it leaves, without writing.
pub(crate) async fn plan_update(
    c: &mut Conn<'_>,
    actor: Actor,
    id: TicketId,
    input: TicketInput,
    text: Option<CommentText>,
    via: Channel,
    now: Timestamp,
) -> Result<PlannedUpdate, AppError> {
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
                cm.uploads.clone(),
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
    Ok(PlannedUpdate {
        ticket: t,
        before,
        author,
        via,
        comment: new,
        body_terms,
        events,
        actor: actor.user,
    })
}

/// Writes a planned update: the ticket row, its audit, the search terms
/// and the event.
pub(crate) async fn commit_update(
    c: &mut Conn<'_>,
    p: PlannedUpdate,
    now: Timestamp,
) -> Result<TicketWrite, AppError> {
    let PlannedUpdate {
        ticket: t,
        before,
        author,
        via,
        comment,
        body_terms,
        events,
        actor,
    } = p;
    let id = t.id;
    tickets::update(c, &t, Some(&before)).await?;
    let (audit, added) = match comment {
        Some((cm, uploads)) => {
            write_audit(c, &t, author, via, Some((cm, &uploads)), events, now).await?
        }
        None => write_audit(c, &t, author, via, None, events, now).await?,
    };
    if t.subject != before.subject || t.tags != before.tags {
        reindex_full(c, &t).await?;
    } else if let Some(terms) = body_terms {
        index::append_terms(c, id, &terms).await?;
    }
    store::events::append(c, event(id, EventKind::Updated, Some(audit.id), actor, now)).await?;
    Ok(TicketWrite {
        ticket: t,
        audit,
        comment: added,
        before: Some(before),
    })
}

/// Checks and writes one update (the pipeline's first step).
pub(crate) async fn update_in(
    c: &mut Conn<'_>,
    actor: Actor,
    id: TicketId,
    input: TicketInput,
    text: Option<CommentText>,
    via: Channel,
    now: Timestamp,
) -> Result<TicketWrite, AppError> {
    let planned = plan_update(c, actor, id, input, text, via, now).await?;
    commit_update(c, planned, now).await
}
