//! Merging tickets into one: comments, requesters and followers moved,
//! the merged ones closed with a note.

use super::*;

/// The notes a merge leaves; `None` uses the default wording.
#[derive(Debug, Clone, Default)]
pub struct MergeNotes {
    pub target_comment: Option<String>,
    pub source_comment: Option<String>,
    pub target_public: bool,
    pub source_public: bool,
}

/// Records a merge: each source closed with a note, the target with its
/// note; returns every write, the target's last.
pub(crate) async fn merge_in(
    c: &mut Conn<'_>,
    actor: Actor,
    target: TicketId,
    sources: Vec<TicketId>,
    notes: MergeNotes,
    via: Channel,
    now: Timestamp,
) -> Result<Vec<TicketWrite>, AppError> {
    let mut writes = Vec::with_capacity(sources.len() + 1);
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
        let cm = new_comment(&s, &note, CommentText::of(&note)?, actor.user, via, now);
        if s.assignee_id.is_none() {
            s.assignee_id = Some(actor.user);
        }
        s.status = Status::Closed;
        s.solved_at = s.solved_at.or(Some(now));
        s.updated_at = now;
        tickets::update(c, &s, Some(&before)).await?;
        let (audit, comment) = write_audit(
            c,
            &s,
            actor.user,
            via,
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
        writes.push(TicketWrite {
            ticket: s,
            audit,
            comment,
            before: Some(before),
        });
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
    let cm = new_comment(&t, &note, CommentText::of(&note)?, actor.user, via, now);
    t.updated_at = now;
    tickets::update(c, &t, Some(&target_before)).await?;
    let (audit, comment) =
        write_audit(c, &t, actor.user, via, Some((cm, &[])), vec![], now).await?;
    reindex_full(c, &t).await?;
    store::events::append(
        c,
        event(target, EventKind::Updated, Some(audit.id), actor.user, now),
    )
    .await?;
    writes.push(TicketWrite {
        ticket: t,
        audit,
        comment,
        before: Some(target_before),
    });
    Ok(writes)
}

impl App {
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
        let hooks = self.hooks().await?;
        let change = Change::Merge {
            target,
            sources,
            notes,
        };
        let w = self
            .write_ticket(hooks, WriteRequest::new(actor, Channel::Merge, change), now)
            .await?;
        Ok(w.ticket)
    }
}
