//! What agents did and what happened to them, as Zendesk lists it: ticket
//! skips and the activity stream.

use super::{Ticket, User, ticket, user};
use domain::model::{Ticket as TicketRecord, TicketField};
use serde::Serialize;
use utoipa::ToSchema;

/// An agent passing over a ticket in play mode.
#[derive(Serialize, ToSchema)]
pub struct Skip<'a> {
    pub id: i64,
    pub ticket_id: i64,
    pub user_id: i64,
    pub reason: &'a str,
    pub created_at: String,
    pub updated_at: String,
    /// The ticket as it is now; null once it is deleted.
    pub ticket: Option<Ticket<'a>>,
}

pub fn skip<'a>(
    base: &str,
    s: &'a domain::skip::Skip,
    t: Option<&'a TicketRecord>,
    fields: &[TicketField],
) -> Skip<'a> {
    Skip {
        id: s.id.0,
        ticket_id: s.ticket_id.0,
        user_id: s.user_id.0,
        reason: &s.reason,
        created_at: s.created_at.to_iso(),
        updated_at: s.created_at.to_iso(),
        ticket: t.map(|t| ticket(base, t, fields)),
    }
}

/// The ticket an activity is about.
#[derive(Serialize, ToSchema)]
pub struct ActivityTicket<'a> {
    pub id: i64,
    pub subject: &'a str,
}

/// What an activity acted on and where: both the ticket.
#[derive(Serialize, ToSchema)]
pub struct ActivityObject<'a> {
    pub ticket: ActivityTicket<'a>,
}

/// Something someone did to one of the agent's tickets.
#[derive(Serialize, ToSchema)]
pub struct Activity<'a> {
    pub id: i64,
    pub url: String,
    /// tickets.assignment, tickets.comment or tickets.priority_increase.
    pub verb: &'static str,
    /// In the agent's language.
    pub title: &'a str,
    pub user_id: i64,
    pub actor_id: i64,
    pub created_at: String,
    pub updated_at: String,
    pub object: ActivityObject<'a>,
    pub target: ActivityObject<'a>,
    pub user: Option<User<'a>>,
    pub actor: Option<User<'a>>,
}

pub fn activity<'a>(base: &str, v: &'a app::activities::ActivityView) -> Activity<'a> {
    let a = &v.activity;
    let about = || ActivityObject {
        ticket: ActivityTicket {
            id: a.ticket_id.0,
            subject: &v.subject,
        },
    };
    Activity {
        id: a.id,
        url: format!("{base}/api/v2/activities/{}.json", a.id),
        verb: a.verb.as_str(),
        title: &v.title,
        user_id: a.user_id.0,
        actor_id: a.actor_id.0,
        created_at: a.at.to_iso(),
        updated_at: a.at.to_iso(),
        object: about(),
        target: about(),
        user: v.user.as_ref().map(|u| user(base, u)),
        actor: v.actor.as_ref().map(|u| user(base, u)),
    }
}
