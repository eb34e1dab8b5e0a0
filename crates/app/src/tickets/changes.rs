//! What one ticket write does: the changes checked and applied, the
//! events they make, the comment stored, one audit written.

use super::*;

/// Applies every field change except status to `t`, validating references.
pub(super) async fn apply_changes(
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
    if let Some(form) = input.ticket_form_id {
        if let Some(id) = form {
            store::repo::ticket_forms::get(c, id)
                .await?
                .ok_or_else(|| {
                    invalid("ticket_form_id", format!("ticket form {id} does not exist"))
                })?;
        }
        t.ticket_form_id = form;
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
pub(super) fn field_events(before: Option<&Ticket>, after: &Ticket) -> Vec<AuditEvent> {
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
            (
                "ticket_form_id",
                num(after.ticket_form_id.map(|v| v.0)),
                b.map(|b| num(b.ticket_form_id.map(|v| v.0))),
            ),
        ]
    };
    let mut events = Vec::new();
    for (name, value, prev) in fields {
        match prev {
            None if value.is_null() || value == json!([]) || value == json!("") => {}
            None => events.push(created(name, value)),
            Some(p) if p != value => events.push(changed(name, value, p)),
            Some(_) => {}
        }
    }
    let old: &[(FieldId, String)] = before.map_or(&[], |b| &b.custom_fields);
    for (id, v) in &after.custom_fields {
        match old.iter().find(|(f, _)| f == id) {
            None if before.is_none() => events.push(created(&id.0.to_string(), json!(v))),
            None => events.push(changed(&id.0.to_string(), json!(v), Json::Null)),
            Some((_, o)) if o != v => events.push(changed(&id.0.to_string(), json!(v), json!(o))),
            Some(_) => {}
        }
    }
    for (id, o) in old {
        if !after.custom_fields.iter().any(|(f, _)| f == id) {
            events.push(changed(&id.0.to_string(), Json::Null, json!(o)));
        }
    }
    events
}

fn created(field: &str, value: Json) -> AuditEvent {
    AuditEvent::Create {
        field_name: field.to_string(),
        value,
    }
}

fn changed(field: &str, value: Json, previous_value: Json) -> AuditEvent {
    AuditEvent::Change {
        field_name: field.to_string(),
        value,
        previous_value,
    }
}

/// Checks that every upload token exists and belongs to the author.
pub(super) async fn check_uploads(
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
pub(super) fn comment_event(cm: &Comment) -> AuditEvent {
    AuditEvent::Comment(CommentEvent {
        author_id: cm.author_id,
        body: cm.body.clone(),
        html_body: cm.html_body.clone(),
        plain_body: cm.body.clone(),
        public: cm.public,
        attachment_ids: cm.attachments.iter().map(|a| a.id).collect(),
    })
}

/// Stores a comment whose audit exists, and attaches its uploads.
pub(super) async fn store_comment(
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
pub(super) fn new_comment(
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
pub(super) async fn write_audit(
    c: &mut Conn<'_>,
    t: &Ticket,
    author: UserId,
    via: Channel,
    comment: Option<(Comment, &[String])>,
    field_events: Vec<AuditEvent>,
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
    let audit_id = comments::insert_audit(c, t.id, author, via, &events, now).await?;
    let mut stored = None;
    if let Some((mut cm, uploads)) = pending {
        cm.audit_id = audit_id;
        let cm = store_comment(c, cm, uploads).await?;
        if !uploads.is_empty() {
            events.insert(0, comment_event(&cm));
            comments::set_audit_events(c, audit_id, &events).await?;
        }
        stored = Some(cm);
    }
    let audit = Audit {
        id: audit_id,
        ticket_id: t.id,
        author_id: author,
        via,
        events,
        created_at: now,
    };
    Ok((audit, stored))
}

/// Applies a status change with Zendesk's rules; a solved ticket needs an
/// assignee, which defaults to the agent solving it.
pub(super) fn apply_status(
    t: &mut Ticket,
    to: Status,
    actor: &Actor,
    now: Timestamp,
) -> Result<(), AppError> {
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
pub(super) async fn fields_if_needed(
    c: &mut Conn<'_>,
    input: &TicketInput,
) -> Result<Vec<TicketField>, AppError> {
    if input.custom_fields.is_empty() && !input.status.is_some_and(Status::is_done) {
        return Ok(vec![]);
    }
    Ok(fields::all(c).await?)
}

pub(super) fn check_required(all_fields: &[TicketField], t: &Ticket) -> Result<(), AppError> {
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
