//! Following the event log for live pages: where the log stands now, and
//! the ticket events after a cursor (a reconnecting page catches up from
//! the cursor it last saw, so no update is missed).

use crate::{App, AppError};
use domain::{Actor, EventId};
use store::events::{self, TicketEvent};

/// Events read per wake-up; a page far behind catches up in several reads.
const BATCH: i64 = 500;

impl App {
    /// Wakes when the event log grows (a commit on this node, or a
    /// notification from another): live pages then read what is new.
    pub fn event_log_watch(&self) -> tokio::sync::watch::Receiver<u64> {
        self.db.log_watch()
    }

    /// Signals from the other nodes (PostgreSQL only; `None` on SQLite,
    /// where there is one node).
    pub fn node_signals(&self) -> Option<tokio::sync::broadcast::Receiver<String>> {
        self.db.signals()
    }

    /// Sends a signal to the other nodes (nothing on SQLite).
    pub async fn signal_nodes(&self, payload: &str) -> Result<(), AppError> {
        Ok(self.db.signal(payload).await?)
    }

    /// The newest event id.
    pub async fn event_cursor(&self) -> Result<i64, AppError> {
        let mut rc = self.read().await?;
        Ok(events::last_id(&mut rc.conn()).await?.0)
    }

    /// Ticket events after `cursor`, oldest first; staff only (end-users
    /// never follow the whole log).
    pub async fn ticket_events_after(
        &self,
        actor: Actor,
        cursor: i64,
    ) -> Result<Vec<TicketEvent>, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let mut found = events::ticket_events_after(c, EventId(cursor), BATCH).await?;
        if actor.restricted {
            // A restricted agent hears only of tickets they may see; the
            // cursor still moves past the others (the last event is kept as
            // a bare position marker when it is not visible).
            let ids: Vec<i64> = found.iter().map(|e| e.ticket.0).collect();
            let mine = crate::tickets::my_groups(c, &actor).await?;
            let visible: Vec<i64> = store::repo::tickets::get_many(c, &ids, true)
                .await?
                .iter()
                .filter(|t| actor.can_see_ticket(t.parties(), &mine))
                .map(|t| t.id.0)
                .collect();
            let last = found.last().cloned();
            found.retain(|e| visible.contains(&e.ticket.0));
            if let Some(mut l) = last
                && found.last().map(|e| e.id) != Some(l.id)
            {
                l.kind = "position".into();
                l.ticket = domain::TicketId(0);
                found.push(l);
            }
        }
        Ok(found)
    }
}
