//! Keeping the ticket text index current.

use crate::{Backend, Conn, StoreError, q};
use domain::TicketId;

// Index writes go through `exec_deferred`: on the SQLite writer they run
// once per batch, just before the commit, in order (see `Conn`). None of
// them reads the index back.

/// Writes the index terms of a ticket, replacing what was there.
pub async fn index_ticket(c: &mut Conn<'_>, id: TicketId, terms: &str) -> Result<(), StoreError> {
    match c.backend() {
        Backend::Sqlite => {
            c.exec_deferred(q("DELETE FROM ticket_fts WHERE rowid = $1").bind(id))
                .await?;
            c.exec_deferred(
                q("INSERT INTO ticket_fts (rowid, terms) VALUES ($1, $2)")
                    .bind(id)
                    .bind(terms),
            )
            .await?;
        }
        Backend::Postgres => {
            c.exec_deferred(q("INSERT INTO ticket_fts (ticket_id, terms) VALUES ($1, $2) ON CONFLICT (ticket_id) DO UPDATE SET terms = EXCLUDED.terms").bind(id).bind(terms))
                .await?;
        }
    }
    Ok(())
}

/// Indexes a ticket that has no terms yet.
pub async fn index_new_ticket(
    c: &mut Conn<'_>,
    id: TicketId,
    terms: &str,
) -> Result<(), StoreError> {
    let sql = match c.backend() {
        Backend::Sqlite => "INSERT INTO ticket_fts (rowid, terms) VALUES ($1, $2)",
        Backend::Postgres => "INSERT INTO ticket_fts (ticket_id, terms) VALUES ($1, $2)",
    };
    c.exec_deferred(q(sql).bind(id).bind(terms)).await
}

/// Appends terms (a new comment's) to a ticket's index entry in one
/// statement. A ticket without an entry (indexed by an older analyzer) gets
/// its whole entry when the index is rebuilt, which a version change
/// triggers; an entry past the size cap takes no more terms.
pub async fn append_terms(c: &mut Conn<'_>, id: TicketId, terms: &str) -> Result<(), StoreError> {
    let sql = match c.backend() {
        Backend::Sqlite => {
            "UPDATE ticket_fts SET terms = terms || ' ' || $2 WHERE rowid = $1 AND length(terms) < 400000"
        }
        Backend::Postgres => {
            "UPDATE ticket_fts SET terms = terms || ' ' || $2 WHERE ticket_id = $1 AND length(terms) < 400000"
        }
    };
    c.exec_deferred(q(sql).bind(id).bind(terms)).await
}

/// Drops a ticket from the index (deleted tickets never match).
pub async fn unindex_ticket(c: &mut Conn<'_>, id: TicketId) -> Result<(), StoreError> {
    let sql = match c.backend() {
        Backend::Sqlite => "DELETE FROM ticket_fts WHERE rowid = $1",
        Backend::Postgres => "DELETE FROM ticket_fts WHERE ticket_id = $1",
    };
    c.exec_deferred(q(sql).bind(id)).await
}

/// Empties the ticket index, for a rebuild.
pub async fn clear_index(c: &mut Conn<'_>) -> Result<(), StoreError> {
    c.exec_deferred(q("DELETE FROM ticket_fts")).await
}
