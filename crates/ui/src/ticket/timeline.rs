//! A ticket's timeline: its audits and comments as entries a person reads
//! (who changed what, in the agent's language and time zone).

use super::*;
use domain::audit::AuditEvent;

/// Describes one audit change in words.
pub(super) fn change_text(
    t: &Text,
    names: &HashMap<i64, String>,
    groups: &HashMap<i64, String>,
    ev: &AuditEvent,
) -> Option<String> {
    // What atiende itself decided: routing, SLA breaches, automations.
    let (field, value, previous) = match ev {
        AuditEvent::Routing { value } => return Some(format!("{}: {value}", t.routing_event)),
        AuditEvent::SlaBreach { value, .. } => return Some(format!("{}: {value}", t.sla_event)),
        AuditEvent::Automation { value } => {
            return Some(format!("{}: {value}", t.automation_event));
        }
        AuditEvent::SatisfactionRating {
            score,
            body,
            previous_score,
            ..
        } => {
            let word = |s: &str| {
                match s {
                    "good" => t.rating_good,
                    "bad" => t.rating_bad,
                    "offered" => t.rating_offered,
                    other => other,
                }
                .to_string()
            };
            let mut text = format!("{}: {}", t.rating_event, word(score));
            if let Some(p) = previous_score {
                text.push_str(&format!(" ({} {})", t.rating_was, word(p)));
            }
            if let Some(b) = body.as_deref().filter(|b| !b.trim().is_empty()) {
                text.push_str(&format!(" — «{}»", b.trim()));
            }
            return Some(text);
        }
        AuditEvent::Create { field_name, value } => (field_name.as_str(), value, None),
        AuditEvent::Change {
            field_name,
            value,
            previous_value,
        } => (field_name.as_str(), value, Some(previous_value)),
        AuditEvent::Comment(_) | AuditEvent::Other(_) => return None,
    };
    let show = |v: Option<&Json>| -> String {
        let v = match v {
            Some(Json::Null) | None => return t.none.to_string(),
            Some(v) => v,
        };
        let s = match v {
            Json::String(s) => s.clone(),
            Json::Array(a) => a
                .iter()
                .filter_map(Json::as_str)
                .collect::<Vec<_>>()
                .join(" "),
            other => other.to_string(),
        };
        match field {
            "status" => s.parse::<Status>().map_or(s, |x| t.status(x).to_string()),
            "priority" => s
                .parse::<Priority>()
                .map_or(s, |x| t.priority(x).to_string()),
            "type" => s
                .parse::<TicketType>()
                .map_or(s, |x| t.ticket_type(x).to_string()),
            "assignee_id" | "requester_id" => s
                .parse::<i64>()
                .ok()
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or(s),
            "group_id" => s
                .parse::<i64>()
                .ok()
                .and_then(|id| groups.get(&id).cloned())
                .unwrap_or(s),
            _ => s,
        }
    };
    let label = match field {
        "status" => t.status,
        "priority" => t.priority,
        "type" => t.ticket_type,
        "assignee_id" => t.assignee,
        "group_id" => t.group,
        "tags" => t.tags,
        "subject" => t.subject,
        "requester_id" => t.requester,
        "organization_id" => t.organization,
        other => other,
    };
    let value = show(Some(value));
    Some(match previous {
        Some(p) if !p.is_null() => format!("{label}: {} → {value}", show(Some(p))),
        _ => format!("{label}: {value}"),
    })
}

/// The timeline: every audit, oldest first, with its comment.
pub(super) async fn entries(
    ui: &Ui,
    agent: &Agent,
    id: TicketId,
    groups: &HashMap<i64, String>,
) -> Result<Vec<Entry>, AppError> {
    let actor = agent.user.actor;
    let t = agent.t();
    let clock = Clock::new(&agent.user.time_zone);
    let all = app::Paging::Offset {
        page: 1,
        per_page: THREAD_LIMIT,
    };
    let (audits, _) = ui.app.audits(actor, id, all).await?;
    let (comments, _) = ui.app.comments(actor, id, all).await?;
    let threading: HashMap<i64, &'static str> = ui
        .app
        .email_threading(actor, id)
        .await?
        .into_iter()
        .map(|(c, how)| (c.0, t.threading(how)))
        .collect();
    let mut people: Vec<i64> = audits.iter().map(|a| a.author_id.0).collect();
    for a in &audits {
        for ev in &a.events {
            let (value, previous) = match ev {
                AuditEvent::Create { value, .. } => (value, None),
                AuditEvent::Change {
                    value,
                    previous_value,
                    ..
                } => (value, Some(previous_value)),
                _ => continue,
            };
            if matches!(ev.field_name(), Some("assignee_id" | "requester_id")) {
                people.extend(value.as_i64());
                people.extend(previous.and_then(Json::as_i64));
            }
        }
    }
    people.sort_unstable();
    people.dedup();
    let people: Vec<domain::UserId> = people.into_iter().map(domain::UserId).collect();
    let names = names(&ui.app.users_by_ids(actor, &people).await?);
    let by_audit: HashMap<i64, &Comment> = comments.iter().map(|c| (c.audit_id.0, c)).collect();
    let mut all: Vec<(i64, Entry)> = audits
        .iter()
        .map(|a: &Audit| {
            let changes: Vec<String> = a
                .events
                .iter()
                .filter_map(|e| change_text(t, &names, groups, e))
                .collect();
            let (at, at_iso) = clock.show(a.created_at);
            let entry = Entry {
                author: if a.author_id == domain::permission::SYSTEM_USER {
                    "atiende".to_string()
                } else {
                    names.get(&a.author_id.0).cloned().unwrap_or_default()
                },
                via: by_audit.get(&a.id.0).map_or(a.via, |c| c.via).as_str(),
                at,
                at_iso,
                comment: by_audit.get(&a.id.0).map(|c| CommentView {
                    id: c.id.0,
                    public: c.public,
                    html: crate::view::localize_quoted(&c.html_body, t),
                    threading: threading.get(&c.id.0).copied(),
                    attachments: c
                        .attachments
                        .iter()
                        .map(|f| {
                            (
                                format!("/agent/attachments/{}", f.id.0),
                                f.file_name.clone(),
                            )
                        })
                        .collect(),
                }),
                call: None,
                summary: changes.first().cloned().unwrap_or_default(),
                changes,
            };
            (a.created_at.0, entry)
        })
        .collect();
    // Calls take their place among the audits by when they started.
    all.extend(super::calls::call_entries(ui, agent, id).await?);
    all.sort_by_key(|(at, _)| *at);
    Ok(all.into_iter().map(|(_, e)| e).collect())
}
