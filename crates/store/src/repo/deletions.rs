//! Deleted tickets and users: who deleted a ticket and when, the lists
//! behind Zendesk's `deleted_tickets` and `deleted_users`, and deleting for
//! good, which scrubs what a person wrote or is and keeps an empty row so
//! every id that points at it still reads.

use crate::paging::{Paged, Paging, page_ids};
use crate::{Conn, StoreError, Value, q};
use domain::{TicketId, Timestamp, UserId};

/// Who deleted a ticket, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketDeletion {
    pub ticket_id: TicketId,
    pub deleted_by: Option<UserId>,
    pub deleted_at: Timestamp,
}

/// Records a ticket's deletion (again, if it was deleted and restored).
pub async fn record_ticket(c: &mut Conn<'_>, d: TicketDeletion) -> Result<(), StoreError> {
    c.exec(
        q("INSERT INTO ticket_deletions (ticket_id, deleted_by, deleted_at) VALUES ($1, $2, $3) \
           ON CONFLICT (ticket_id) DO UPDATE SET deleted_by = EXCLUDED.deleted_by, deleted_at = EXCLUDED.deleted_at")
        .bind(d.ticket_id)
        .bind(d.deleted_by)
        .bind(d.deleted_at),
    )
    .await?;
    Ok(())
}

/// Forgets a restored ticket's deletion.
pub async fn forget_ticket(c: &mut Conn<'_>, id: TicketId) -> Result<(), StoreError> {
    c.exec(q("DELETE FROM ticket_deletions WHERE ticket_id = $1").bind(id))
        .await?;
    Ok(())
}

/// The deletions of these tickets that can still be restored.
pub async fn of_tickets(c: &mut Conn<'_>, ids: &[i64]) -> Result<Vec<TicketDeletion>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut query = q(format!(
        "SELECT ticket_id, deleted_by, deleted_at FROM ticket_deletions WHERE scrubbed_at IS NULL AND ticket_id IN ({})",
        crate::paging::placeholders(1, ids.len())
    ));
    query.args = ids.iter().map(|&i| Value::Int(i)).collect();
    c.all(query)
        .await?
        .iter()
        .map(|r| {
            Ok(TicketDeletion {
                ticket_id: TicketId(r.int(0)?),
                deleted_by: r.opt_int(1)?.map(UserId),
                deleted_at: Timestamp(r.int(2)?),
            })
        })
        .collect()
}

/// One page of the tickets that can still be restored, by id; for an
/// agent restricted to their groups, only those they may see.
pub async fn page_tickets(
    c: &mut Conn<'_>,
    restricted_to: Option<UserId>,
    paging: Paging,
) -> Result<Paged, StoreError> {
    let mut from = String::from(
        "ticket_deletions d JOIN tickets t ON t.id = d.ticket_id WHERE d.scrubbed_at IS NULL AND t.deleted_at IS NOT NULL",
    );
    let mut args = vec![];
    if let Some(me) = restricted_to {
        from.push_str(" AND ");
        from.push_str(&super::search::restricted_agent_sql("$1"));
        args.push(me.into());
    }
    page_ids(c, &from, args, paging).await
}

/// Deletes a deleted ticket's content for good: its comments and their
/// files, its audits, tags, fields, people copied, satisfaction rating,
/// report facts and the reasons of gestures and skips; the text of the mail sent about it
/// and the raw mail it came from. The row stays, empty, so the event log,
/// calls and chats that name it still read; it is listed no more.
pub async fn scrub_ticket(
    c: &mut Conn<'_>,
    id: TicketId,
    now: Timestamp,
) -> Result<(), StoreError> {
    let by_ticket = [
        "DELETE FROM attachments WHERE comment_id IN (SELECT id FROM comments WHERE ticket_id = $1)",
        "DELETE FROM comments WHERE ticket_id = $1",
        "DELETE FROM audits WHERE ticket_id = $1",
        "DELETE FROM ticket_tags WHERE ticket_id = $1",
        "DELETE FROM ticket_field_values WHERE ticket_id = $1",
        "DELETE FROM ticket_collaborators WHERE ticket_id = $1",
        "DELETE FROM satisfaction_ratings WHERE ticket_id = $1",
        "DELETE FROM report_tickets WHERE ticket_id = $1",
        "UPDATE goodwill_gestures SET reason = '' WHERE ticket_id = $1",
        "UPDATE ticket_skips SET reason = '' WHERE ticket_id = $1",
        "UPDATE outbound_messages SET subject = '', body_text = '', body_html = '', \
         last_error = CASE WHEN status = 'queued' THEN 'the ticket was deleted permanently' ELSE last_error END, \
         status = CASE WHEN status = 'queued' THEN 'failed' ELSE status END WHERE ticket_id = $1",
        "UPDATE tickets SET subject = '', description = '', tags = '', external_id = NULL, recipient = NULL, has_attachments = FALSE WHERE id = $1",
    ];
    for sql in by_ticket {
        c.exec(q(sql).bind(id)).await?;
    }
    c.exec(
        q("UPDATE inbound_emails SET raw = $2 WHERE ticket_id = $1")
            .bind(id)
            .bind(Value::Bytes(vec![])),
    )
    .await?;
    c.exec(
        q("UPDATE ticket_deletions SET scrubbed_at = $2 WHERE ticket_id = $1")
            .bind(id)
            .bind(now),
    )
    .await?;
    Ok(())
}

/// A user deleted and not yet deleted for good (the table aliased `t`).
const DELETED_USER: &str = "t.active = FALSE AND t.scrubbed_at IS NULL";

/// One page of the deleted users not yet deleted for good, by id.
pub async fn page_users(c: &mut Conn<'_>, paging: Paging) -> Result<Paged, StoreError> {
    page_ids(c, &format!("users t WHERE {DELETED_USER}"), vec![], paging).await
}

/// How many users are deleted and not yet deleted for good.
pub async fn count_users(c: &mut Conn<'_>) -> Result<i64, StoreError> {
    c.scalar(q(format!(
        "SELECT COUNT(*) FROM users t WHERE {DELETED_USER}"
    )))
    .await
}

/// Whether a user was deleted for good.
pub async fn user_scrubbed(c: &mut Conn<'_>, id: UserId) -> Result<bool, StoreError> {
    Ok(
        c.opt(q("SELECT 1 FROM users WHERE id = $1 AND scrubbed_at IS NOT NULL").bind(id))
            .await?
            .is_some(),
    )
}

/// Deletes a deleted user's personal data for good: name, addresses,
/// every identity, notes, tags, user field values, password, sessions and
/// tokens. The row stays, named as Zendesk names such users, so their
/// tickets still read.
pub async fn scrub_user(c: &mut Conn<'_>, id: UserId, now: Timestamp) -> Result<(), StoreError> {
    for sql in [
        "DELETE FROM identities WHERE user_id = $1",
        "DELETE FROM profile_field_values WHERE entity_id = $1 AND field_id IN (SELECT id FROM profile_fields WHERE owner = 'user')",
        "DELETE FROM sessions WHERE user_id = $1",
        "DELETE FROM api_tokens WHERE user_id = $1",
        // The audit log keeps that they were changed, not their name.
        "UPDATE audit_logs SET source_label = '' WHERE source_type = 'user' AND source_id = $1",
    ] {
        c.exec(q(sql).bind(id)).await?;
    }
    c.exec(
        q("UPDATE users SET name = 'Permanently deleted user', email = NULL, phone = NULL, external_id = NULL, \
           details = NULL, notes = NULL, tags = '', password_hash = NULL, organization_id = NULL, \
           updated_at = $2, scrubbed_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now),
    )
    .await?;
    Ok(())
}
