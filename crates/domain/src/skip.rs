//! An agent passing over a ticket in play mode, and why (Zendesk's
//! ticket skips): kept so the next ticket offered is another, and so a
//! lead can see which tickets everyone avoids.

use crate::{SkipId, TicketId, Timestamp, UserId};

/// The longest reason kept, in characters.
pub const REASON_MAX: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    pub id: SkipId,
    pub ticket_id: TicketId,
    pub user_id: UserId,
    /// As the agent wrote it, trimmed; may be empty.
    pub reason: String,
    pub created_at: Timestamp,
}

/// A reason as kept: trimmed and cut at [`REASON_MAX`] characters.
pub fn cleaned_reason(raw: &str) -> String {
    raw.trim().chars().take(REASON_MAX).collect()
}

/// Whose skips a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipScope {
    Everyone,
    By(UserId),
    Of(TicketId),
}
