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

/// A change to the desk's set-up, as Zendesk's audit log lists it.
#[derive(Serialize, ToSchema)]
pub struct AuditLog<'a> {
    pub id: i64,
    pub url: String,
    pub actor_id: i64,
    pub actor_name: &'a str,
    /// create, update or destroy.
    pub action: &'static str,
    /// The action in the reader's language.
    pub action_label: &'a str,
    /// rule, ticket_field, user_field, organization_field, ticket_form,
    /// group, sla_policy, schedule, webhook, api_token, user,
    /// organization, ticket, support_address, chat_widget,
    /// channel_account or voice_line.
    pub source_type: &'static str,
    pub source_id: i64,
    pub source_label: &'a str,
    pub change_description: &'a str,
    /// Not recorded.
    pub ip_address: Option<&'a str>,
    pub created_at: String,
}

pub fn audit_log<'a>(base: &str, v: &'a app::audit_log::AuditLogView) -> AuditLog<'a> {
    let e = &v.entry;
    AuditLog {
        id: e.id,
        url: format!("{base}/api/v2/audit_logs/{}.json", e.id),
        actor_id: e.actor_id.0,
        actor_name: &v.actor_name,
        action: e.change.action.as_str(),
        action_label: &v.action_label,
        source_type: e.change.source.as_str(),
        source_id: e.change.source_id,
        source_label: &e.change.label,
        change_description: &v.description,
        ip_address: None,
        created_at: e.created_at.to_iso(),
    }
}

/// A browser session signed in now.
#[derive(Serialize, ToSchema)]
pub struct Session {
    pub id: i64,
    pub url: String,
    pub user_id: i64,
    pub authenticated_at: String,
    /// Not tracked: null.
    pub last_seen_at: Option<String>,
    /// When it ends unless the person signs out first.
    pub expires_at: String,
}

pub fn session(base: &str, s: &domain::model::SessionInfo) -> Session {
    Session {
        id: s.id,
        url: format!("{base}/api/v2/users/{}/sessions/{}.json", s.user.0, s.id),
        user_id: s.user.0,
        authenticated_at: s.created_at.to_iso(),
        last_seen_at: None,
        expires_at: s.expires_at.to_iso(),
    }
}
