//! The ticket page's customer panel: the requester's identities, the
//! identities they gave in the conversation (offered to add or merge),
//! their consent to messages per channel, and their earlier conversations
//! on every channel.

use crate::Ui;
use crate::session::Agent;
use crate::view::{Clock, TicketRow, ticket_row};
use app::AppError;
use app::tickets::TicketScope;
use domain::model::Ticket;
use std::collections::HashMap;

pub struct CustomerView {
    pub id: i64,
    pub name: String,
    pub organization: Option<String>,
    pub identities: Vec<IdentityView>,
    /// Identities the customer wrote in the conversation, not on their
    /// profile: (kind, value, another customer holding it: id and name).
    pub suggestions: Vec<(&'static str, String, Option<(i64, String)>)>,
    /// Consent to messages per channel: (channel, opted in, what said so).
    pub consents: Vec<(&'static str, bool, String)>,
    pub earlier: Vec<TicketRow>,
    /// A phone number on the profile and a voice line: click-to-call.
    pub can_call: bool,
}

pub struct IdentityView {
    pub id: i64,
    pub kind: &'static str,
    pub value: String,
}

/// A customer's latest cases on every channel, as the asking agent may
/// see them (the panel's earlier conversations, the screen-pop's).
pub async fn cases_of(
    ui: &Ui,
    actor: domain::Actor,
    customer: domain::UserId,
) -> Result<Vec<Ticket>, AppError> {
    let paging = app::Paging::Offset {
        page: 1,
        per_page: 20,
    };
    let (cases, _) = ui
        .app
        .list_tickets(actor, TicketScope::Requested(customer), paging)
        .await?;
    Ok(cases)
}

/// The panel of the ticket's requester.
pub async fn customer(ui: &Ui, agent: &Agent, tk: &Ticket) -> Result<CustomerView, AppError> {
    let actor = agent.user.actor;
    let t = agent.t();
    let clock = Clock::new(&agent.user.time_zone);
    let user = ui.app.user(actor, tk.requester_id).await?;
    let identities = ui.app.identities(actor, tk.requester_id).await?;
    let suggestions = ui
        .app
        .identity_suggestions(actor, tk.id)
        .await?
        .into_iter()
        .map(|s| {
            (
                s.kind.as_str(),
                s.value,
                s.holder.map(|(id, name)| (id.0, name)),
            )
        })
        .collect();
    let organization = match user.organization_id {
        Some(o) => ui.app.org(actor, o).await.ok().map(|o| o.name),
        None => None,
    };
    let earlier = cases_of(ui, actor, tk.requester_id).await?;
    let names = HashMap::from([(user.id.0, user.name.clone())]);
    let has_phone = identities
        .iter()
        .any(|i| i.kind == domain::IdentityKind::Phone);
    let can_call = has_phone && ui.app.can_place_calls().await?;
    Ok(CustomerView {
        can_call,
        id: user.id.0,
        name: user.name.clone(),
        organization,
        identities: identities
            .into_iter()
            .map(|i| IdentityView {
                id: i.id.0,
                kind: i.kind.as_str(),
                value: i.value,
            })
            .collect(),
        suggestions,
        consents: ui
            .app
            .consents(actor, tk.requester_id)
            .await?
            .into_iter()
            .map(|c| (t.channel(c.channel), c.opted_in, c.source))
            .collect(),
        earlier: earlier
            .iter()
            .filter(|e| e.id != tk.id)
            .map(|e| ticket_row(t, &clock, &names, e))
            .collect(),
    })
}
