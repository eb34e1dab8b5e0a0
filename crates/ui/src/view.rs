//! View models: what the templates show, worked out from the app's records
//! (names resolved, times in the agent's zone, words in their language), so
//! templates hold no logic beyond loops and ifs.

use crate::i18n::Text;
use app::queues::{COUNT_CAP, Queue};
use domain::model::{Ticket, User};
use domain::{Priority, Status, TicketType, Timestamp};
use jiff::tz::TimeZone;
use std::collections::HashMap;

/// The frame every signed-in page shares.
pub struct Chrome {
    pub t: &'static Text,
    pub lang: &'static str,
    pub user_id: i64,
    pub user_name: String,
    pub csrf: String,
    /// The event log position the page was rendered at; live updates
    /// continue from here, so nothing between render and connect is missed.
    pub cursor: i64,
    pub queues: Vec<QueueLink>,
    pub query: String,
    pub flash: Option<String>,
    /// Admins see the admin pages' link.
    pub is_admin: bool,
    /// Reports count every ticket: staff who see them all.
    pub reads_reports: bool,
    /// `online`, `away` or `offline`: whether routing gives this agent work.
    pub presence: &'static str,
    /// The chat tabs' HTML (offers and the agent's chats), and whether
    /// there is any.
    pub chat_tabs: String,
    pub has_chats: bool,
    /// Spikes found in the last hours (staff who read reports).
    pub spikes: Vec<crate::reports::problems::SpikeLine>,
}

pub struct QueueLink {
    pub key: String,
    pub title: String,
    pub count: String,
    pub current: bool,
}

/// A queue's title in the agent's language.
pub fn queue_title(t: &Text, q: Queue, view_titles: &HashMap<domain::ViewId, String>) -> String {
    match q {
        Queue::MyOpen => t.q_my_open.into(),
        Queue::UnassignedInMyGroups => t.q_unassigned.into(),
        Queue::AllUnsolved => t.q_unsolved.into(),
        Queue::Pending => t.q_pending.into(),
        Queue::RecentlySolved => t.q_solved.into(),
        Queue::View(id) => view_titles
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("#{id}")),
    }
}

/// "1000+" past the cap.
pub fn count_label(n: i64) -> String {
    if n > COUNT_CAP {
        format!("{COUNT_CAP}+")
    } else {
        n.to_string()
    }
}

/// Times on pages: the agent's zone, minutes precision.
pub struct Clock {
    tz: TimeZone,
}

impl Clock {
    pub fn new(zone: &str) -> Clock {
        Clock {
            tz: TimeZone::get(zone).unwrap_or(TimeZone::UTC),
        }
    }

    /// `(shown, ISO 8601 for the datetime attribute)`.
    pub fn show(&self, ts: Timestamp) -> (String, String) {
        match jiff::Timestamp::from_second(ts.0) {
            Ok(t) => {
                let z = t.to_zoned(self.tz.clone());
                (z.strftime("%Y-%m-%d %H:%M").to_string(), t.to_string())
            }
            Err(_) => (String::new(), String::new()),
        }
    }
}

/// One row of a ticket list.
pub struct TicketRow {
    pub id: i64,
    pub subject: String,
    pub requester: String,
    pub status: &'static str,
    pub status_key: &'static str,
    pub priority: &'static str,
    pub assignee: String,
    pub updated: String,
    pub updated_iso: String,
    pub via: &'static str,
    /// The next SLA target: time left (or overdue) and its colour.
    pub sla: Option<SlaBadge>,
}

/// An SLA target as the lists and the ticket page show it.
#[derive(Debug, Clone)]
pub struct SlaBadge {
    /// `2 h 05 m` left, or `-15 m` overdue.
    pub text: String,
    /// What the target measures, in the agent's language.
    pub metric: &'static str,
    /// `sla-ok`, `sla-soon` (amber: under a quarter of the target, or
    /// under an hour, left) or `sla-late` (red).
    pub class: &'static str,
}

/// The badge for the soonest target of a ticket's SLA.
pub fn sla_badge(t: &Text, sla: &app::sla::TicketSlaView, now: Timestamp) -> Option<SlaBadge> {
    let next = sla.next()?;
    let (due, target) = (next.due()?, next.target);
    let left = (due.0 - now.0) / 60;
    let class = if left < 0 {
        "sla-late"
    } else if left * 4 < target || left < 60 {
        "sla-soon"
    } else {
        "sla-ok"
    };
    let abs = left.abs();
    let text = format!(
        "{}{}",
        if left < 0 { "-" } else { "" },
        if abs >= 60 {
            format!("{} h {:02} m", abs / 60, abs % 60)
        } else {
            format!("{abs} m")
        }
    );
    Some(SlaBadge {
        text,
        metric: t.sla_metric(next.metric),
        class,
    })
}

/// Names of users by id, for showing who is who.
pub fn names(users: &[User]) -> HashMap<i64, String> {
    users.iter().map(|u| (u.id.0, u.name.clone())).collect()
}

pub fn ticket_row(t: &Text, clock: &Clock, names: &HashMap<i64, String>, tk: &Ticket) -> TicketRow {
    let (updated, updated_iso) = clock.show(tk.updated_at);
    TicketRow {
        id: tk.id.0,
        subject: tk.subject.clone(),
        requester: names.get(&tk.requester_id.0).cloned().unwrap_or_default(),
        status: t.status(tk.status),
        status_key: tk.status.as_str(),
        priority: tk.priority.map_or(t.none, |p| t.priority(p)),
        assignee: tk
            .assignee_id
            .and_then(|a| names.get(&a.0).cloned())
            .unwrap_or_else(|| t.none.to_string()),
        updated,
        updated_iso,
        via: tk.via.as_str(),
        sla: None,
    }
}

/// The people a list of tickets mentions.
pub fn people_of(tickets: &[Ticket]) -> Vec<domain::UserId> {
    let mut ids: Vec<domain::UserId> = tickets
        .iter()
        .flat_map(|t| [Some(t.requester_id), t.assignee_id])
        .flatten()
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// A list of tickets with paging and bulk-action choices.
pub struct ListPart {
    pub rows: Vec<TicketRow>,
    pub back: String,
    pub page: i64,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    pub statuses: Vec<(String, String)>,
    pub agents: Vec<(String, String)>,
}

/// Status choices an agent can set (never back to new).
pub fn status_choices(t: &Text) -> Vec<(String, String)> {
    Status::ALL
        .iter()
        .filter(|s| **s != Status::New)
        .map(|s| (s.as_str().to_string(), t.status(*s).to_string()))
        .collect()
}

pub fn priority_choices(t: &Text) -> Vec<(String, String)> {
    Priority::ALL
        .iter()
        .map(|p| (p.as_str().to_string(), t.priority(*p).to_string()))
        .collect()
}

pub fn type_choices(t: &Text) -> Vec<(String, String)> {
    TicketType::ALL
        .iter()
        .map(|p| (p.as_str().to_string(), t.ticket_type(*p).to_string()))
        .collect()
}

/// Link to another page of the same list.
pub fn page_href(base: &str, page: i64) -> String {
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}page={page}")
}

/// Query-string encoding of a value.
pub fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// One outgoing message as pages list it.
pub struct MailRow {
    pub id: i64,
    pub ticket: Option<i64>,
    /// What it is, in the agent's language.
    pub kind: &'static str,
    /// The channel it goes out on, in the agent's language.
    pub channel: &'static str,
    pub to: String,
    pub subject: String,
    /// `queued`, `sent` or `failed`: the style class.
    pub status: &'static str,
    /// The status in the agent's language.
    pub status_label: &'static str,
    pub failed: bool,
    pub attempts: i64,
    pub error: String,
    /// What the provider said after taking it (delivered, read), in the
    /// agent's language; empty when it said nothing.
    pub receipt: &'static str,
}

pub fn mail_row(m: domain::model::outbox::Outbound, t: &Text) -> MailRow {
    use domain::{OutboundKind, OutboundStatus};
    MailRow {
        id: m.id.0,
        ticket: m.ticket_id.map(|t| t.0),
        kind: match m.kind {
            OutboundKind::Acknowledgement => t.mail_acknowledgement,
            OutboundKind::Reply => t.mail_reply,
            OutboundKind::Notification => t.mail_notification,
            OutboundKind::SignIn => t.mail_sign_in,
        },
        channel: t.channel(m.channel),
        to: m.to_address,
        subject: m.subject,
        status: m.status.as_str(),
        status_label: match m.status {
            OutboundStatus::Queued => t.mail_queued,
            OutboundStatus::Sent => t.mail_sent,
            OutboundStatus::Failed => t.mail_failed,
        },
        failed: m.status == OutboundStatus::Failed,
        attempts: m.attempts,
        error: m.last_error.unwrap_or_default(),
        receipt: match m.receipt {
            Some(domain::messaging::Receipt::Delivered) => t.reply_receipt_delivered,
            Some(domain::messaging::Receipt::Read) => t.reply_receipt_read,
            None => "",
        },
    }
}

/// A comment's HTML with the email channel's folded quote given its
/// label in the agent's language.
pub fn localize_quoted(html: &str, t: &Text) -> String {
    if html.contains(app::email::QUOTED_SUMMARY) {
        html.replace(
            app::email::QUOTED_SUMMARY,
            &format!("<summary>{}</summary>", t.quoted_text),
        )
    } else {
        html.to_string()
    }
}
