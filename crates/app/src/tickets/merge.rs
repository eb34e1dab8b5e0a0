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

pub(super) async fn merge_in(
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
        self.write(move |c| {
            Box::pin(async move { merge_in(c, actor, target, sources, notes, now).await })
        })
        .await
    }
}
