//! A message that goes to its provider in several parts (a long text in
//! pieces, each file on its own): each part taken is recorded, so an
//! attempt that fails halfway is retried from the part that failed and the
//! customer never gets the same words twice.

use app::App;
use app::outbox::sender::SendError;
use domain::OutboundId;
use domain::model::outbox::Outbound;

/// Where a message's parts stand during one attempt.
pub struct Progress<'a> {
    app: &'a App,
    id: OutboundId,
    total: usize,
    /// Parts taken, this attempt and before.
    done: usize,
    /// The provider's id of the first part it took: the message's.
    first: Option<String>,
}

impl<'a> Progress<'a> {
    /// A message of `total` parts, resuming where its last attempt stopped.
    pub fn of(app: &'a App, m: &Outbound, total: usize) -> Progress<'a> {
        Progress {
            app,
            id: m.id,
            total,
            done: usize::try_from(m.parts_sent).unwrap_or(0),
            first: m.external_id.clone(),
        }
    }

    /// Whether part `i` (from 0) is still to send.
    pub fn pending(&self, i: usize) -> bool {
        i >= self.done
    }

    /// Part `i` was taken, with the provider's id of it; recorded unless it
    /// was the last (then the message is sent).
    pub async fn taken(&mut self, i: usize, id: Option<String>) -> Result<(), SendError> {
        if self.first.is_none() {
            self.first = id;
        }
        self.done = i + 1;
        if self.done < self.total {
            self.app
                .outbound_progress(self.id, self.done as i64, self.first.clone())
                .await
                .map_err(|e| SendError::Temporary(e.to_string()))?;
        }
        Ok(())
    }

    /// The message's id at the provider: its first part's.
    pub fn finish(self) -> Option<String> {
        self.first
    }
}
