//! Queue pages (built-in queues and admin views), search results, and bulk
//! actions on the tickets of a list.

use crate::Ui;
use crate::chrome::{chrome, error_page, render};
use crate::session::{Agent, AgentForm};
use crate::view::{
    Chrome, Clock, ListPart, enc, names, page_href, people_of, queue_title, status_choices,
    ticket_row,
};
use app::AppError;
use app::queues::Queue;
use app::tickets::TicketInput;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::model::Ticket;
use domain::{Channel, Role, Status, TicketId, UserId};
use std::collections::HashMap;

/// Tickets per page of a list.
const PER_PAGE: i64 = 25;

#[derive(Template)]
#[template(path = "queue.html")]
struct QueuePage {
    chrome: Chrome,
    title: String,
    queue_key: String,
    total: String,
    sort: String,
    sorts: Vec<(String, String)>,
    list: ListPart,
}

#[derive(Template)]
#[template(path = "ticket_list.html")]
struct ListFragment {
    chrome: Chrome,
    list: ListPart,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    total: String,
    error: Option<String>,
    list: ListPart,
}

/// The agents an agent can assign to, as `(id, name)` choices.
pub async fn agent_choices(ui: &Ui, agent: &Agent) -> Result<Vec<(String, String)>, AppError> {
    let (agents, _) = ui
        .app
        .list_users(
            agent.user.actor,
            &[Role::Agent, Role::Admin],
            None,
            None,
            app::Paging::Offset {
                page: 1,
                per_page: 200,
            },
        )
        .await?;
    Ok(agents
        .into_iter()
        .filter(|u| u.active)
        .map(|u| (u.id.0.to_string(), u.name))
        .collect())
}

async fn list_part(
    ui: &Ui,
    agent: &Agent,
    tickets: &[Ticket],
    base: &str,
    page: i64,
    has_more: bool,
) -> Result<ListPart, AppError> {
    let t = agent.t();
    let clock = Clock::new(&agent.user.time_zone);
    let people = ui
        .app
        .users_by_ids(agent.user.actor, &people_of(tickets))
        .await?;
    let names = names(&people);
    let ids: Vec<TicketId> = tickets.iter().map(|tk| tk.id).collect();
    let slas: HashMap<i64, app::sla::TicketSlaView> = ui
        .app
        .ticket_slas(&ids)
        .await?
        .into_iter()
        .map(|(id, s)| (id.0, s))
        .collect();
    let now = domain::Timestamp::now();
    Ok(ListPart {
        rows: tickets
            .iter()
            .map(|tk| {
                let mut row = ticket_row(t, &clock, &names, tk);
                row.sla = slas
                    .get(&tk.id.0)
                    .and_then(|s| crate::view::sla_badge(t, s, now));
                row
            })
            .collect(),
        back: page_href(base, page),
        page,
        prev_href: (page > 1).then(|| page_href(base, page - 1)),
        next_href: has_more.then(|| page_href(base, page + 1)),
        statuses: status_choices(t),
        agents: agent_choices(ui, agent).await?,
    })
}

/// `GET /agent?queue=…&sort=…&page=…` (`fragment=list` for the live
/// refresh of the list alone).
pub async fn queue_page(
    State(ui): State<Ui>,
    agent: Agent,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    match queue_inner(&ui, &agent, &q).await {
        Ok(r) => r,
        Err(e) => error_page(&agent, &e),
    }
}

async fn queue_inner(
    ui: &Ui,
    agent: &Agent,
    q: &HashMap<String, String>,
) -> Result<Response, AppError> {
    let t = agent.t();
    let queue = q
        .get("queue")
        .and_then(|k| Queue::from_key(k))
        .unwrap_or(Queue::MyOpen);
    let sort = q
        .get("sort")
        .filter(|s| ["updated_at", "created_at", "priority", "status"].contains(&s.as_str()))
        .cloned()
        .unwrap_or_else(|| "updated_at".into());
    let page: i64 = q
        .get("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
        .clamp(1, 1000);
    let found = ui
        .app
        .queue_page(
            agent.user.actor,
            queue,
            Some(&sort),
            (page - 1) * PER_PAGE,
            PER_PAGE,
        )
        .await?;
    let base = format!("/agent?queue={}&sort={}", queue.key(), enc(&sort));
    let list = list_part(
        ui,
        agent,
        &found.tickets,
        &base,
        page,
        found.total > page * PER_PAGE,
    )
    .await?;
    let chrome = chrome(ui, agent, Some(queue), "", flash(q, agent)).await?;
    if q.get("fragment").map(String::as_str) == Some("list") {
        return Ok(render(StatusCode::OK, &ListFragment { chrome, list }));
    }
    let titles: HashMap<domain::ViewId, String> = chrome
        .queues
        .iter()
        .filter_map(|l| {
            let id = l.key.strip_prefix("view-")?.parse().ok()?;
            Some((id, l.title.clone()))
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &QueuePage {
            title: queue_title(t, queue, &titles),
            queue_key: queue.key(),
            total: crate::view::count_label(found.total),
            sort,
            sorts: vec![
                ("updated_at".into(), t.updated.into()),
                ("created_at".into(), t.created.into()),
                ("priority".into(), t.priority.into()),
                ("status".into(), t.status.into()),
            ],
            list,
            chrome,
        },
    ))
}

/// A confirmation carried across a redirect (`?done=saved`).
pub fn flash(q: &HashMap<String, String>, agent: &Agent) -> Option<String> {
    let t = agent.t();
    Some(
        match q.get("done").map(String::as_str)? {
            "saved" => t.saved,
            "reply" => t.reply_added,
            "note" => t.note_added,
            "calling" => t.call_placed,
            "goodwill" => t.goodwill_recorded,
            "played_out" => t.play_none_left,
            _ => return None,
        }
        .to_string(),
    )
}

/// `GET /agent/search?q=…&page=…`: tickets matching the API's query syntax.
pub async fn search_page(
    State(ui): State<Ui>,
    agent: Agent,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let query = q.get("q").cloned().unwrap_or_default();
    let page: i64 = q
        .get("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
        .clamp(1, 40);
    let inner = async {
        let (tickets, total, error) = match app::search::plan_query(
            &query,
            None,
            None,
            Some(search::plan::ResultType::Ticket),
        ) {
            Ok(plan) if !query.trim().is_empty() => {
                let found = ui
                    .app
                    .search(agent.user.actor, &plan, (page - 1) * PER_PAGE, PER_PAGE)
                    .await?;
                let tickets: Vec<Ticket> = found
                    .hits
                    .into_iter()
                    .filter_map(|h| match h {
                        app::search::Hit::Ticket(t) => Some(t),
                        _ => None,
                    })
                    .collect();
                (tickets, found.count, None)
            }
            Ok(_) => (vec![], 0, None),
            Err(e) => (vec![], 0, Some(error_text(&e))),
        };
        let base = format!("/agent/search?q={}", enc(&query));
        let list = list_part(&ui, &agent, &tickets, &base, page, total > page * PER_PAGE).await?;
        let chrome = chrome(&ui, &agent, None, &query, None).await?;
        Ok::<_, AppError>(render(
            StatusCode::OK,
            &SearchPage {
                chrome,
                total: crate::view::count_label(total),
                error,
                list,
            },
        ))
    };
    match inner.await {
        Ok(r) => r,
        Err(e) => error_page(&agent, &e),
    }
}

fn error_text(e: &AppError) -> String {
    match e {
        AppError::BadRequest { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

/// `POST /agent/bulk`: status, assignee and added tags on every selected
/// ticket, each as its own audited update.
pub async fn bulk(State(ui): State<Ui>, AgentForm { agent, form }: AgentForm) -> Response {
    let mut input = TicketInput::default();
    if let Some(s) = form.get("status").filter(|s| !s.is_empty()) {
        match s.parse::<Status>() {
            Ok(s) => input.status = Some(s),
            Err(e) => return (StatusCode::UNPROCESSABLE_ENTITY, e.to_string()).into_response(),
        }
    }
    if let Some(a) = form.get("assignee_id").and_then(|a| a.parse().ok()) {
        input.assignee_id = Some(Some(UserId(a)));
    }
    input.add_tags = form
        .get("add_tags")
        .unwrap_or("")
        .split([' ', ','])
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    let selected: Vec<TicketId> = form
        .all("ids")
        .iter()
        .filter_map(|i| i.trim().parse().ok())
        .map(TicketId)
        .collect();
    // Merge the selected tickets into one (the target may be among them).
    if let Some(target) = form
        .get("merge_into")
        .map(|t| t.trim().trim_start_matches('#'))
        .filter(|t| !t.is_empty())
    {
        let Ok(target) = target.parse().map(TicketId) else {
            return error_page(&agent, &AppError::bad("merge into: give a ticket number"));
        };
        let sources: Vec<TicketId> = selected.iter().copied().filter(|s| *s != target).collect();
        if let Err(e) = ui
            .app
            .merge_tickets(
                agent.user.actor,
                target,
                sources,
                app::tickets::MergeNotes::default(),
            )
            .await
        {
            return error_page(&agent, &e);
        }
        return Redirect::to(&format!("/agent/tickets/{}?done=saved", target.0)).into_response();
    }
    for id in selected.iter().map(|t| t.0) {
        if let Err(e) = ui
            .app
            .update_ticket(agent.user.actor, TicketId(id), input.clone(), Channel::Web)
            .await
        {
            return error_page(&agent, &e);
        }
    }
    let back = crate::session::safe_next(form.get("back"));
    let sep = if back.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{back}{sep}done=saved")).into_response()
}
