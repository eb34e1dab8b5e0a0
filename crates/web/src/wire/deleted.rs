//! Deleted tickets as Zendesk lists them (`deleted_tickets`).

use serde::Serialize;
use utoipa::ToSchema;

/// Who deleted a ticket.
#[derive(Serialize, ToSchema)]
pub struct DeletedBy<'a> {
    pub id: i64,
    pub name: &'a str,
}

/// A deleted ticket that can still be restored.
#[derive(Serialize, ToSchema)]
pub struct DeletedTicket<'a> {
    pub id: i64,
    pub subject: &'a str,
    pub description: &'a str,
    /// The ticket's status when it was deleted (it comes back with it).
    pub previous_state: &'static str,
    pub deleted_at: String,
    /// Null when who deleted it is not known.
    pub actor: Option<DeletedBy<'a>>,
}

pub fn deleted_ticket(d: &app::deleted::DeletedTicket) -> DeletedTicket<'_> {
    DeletedTicket {
        id: d.ticket.id.0,
        subject: &d.ticket.subject,
        description: &d.ticket.description,
        previous_state: d.ticket.status.as_str(),
        deleted_at: d.deleted_at.to_iso(),
        actor: d
            .deleted_by
            .as_ref()
            .map(|(id, name)| DeletedBy { id: id.0, name }),
    }
}
