//! Following the event log for live pages: where the log stands now, and
//! the ticket events after a cursor (a reconnecting page catches up from
//! the cursor it last saw, so no update is missed).

use crate::{App, AppError};
use domain::{Actor, EventId};
use store::events::{self, TicketEvent};

/// Events read per wake-up; a page far behind catches up in several reads.
const BATCH: i64 = 500;

impl App {
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
        if !actor.is_staff() {
            return Err(AppError::forbidden("live events are for agents"));
        }
        let mut rc = self.read().await?;
        Ok(events::ticket_events_after(&mut rc.conn(), EventId(cursor), BATCH).await?)
    }
}
