//! Play mode: an agent works a queue one ticket at a time, the next one
//! chosen for them (the queue's order, not someone else's, not one they
//! skipped); a ticket they pass over is skipped with a reason, recorded
//! for the team (Zendesk's ticket skips).

use crate::Ui;
use crate::chrome::error_page;
use crate::session::{Agent, AgentForm};
use crate::view::enc;
use app::AppError;
use app::queues::Queue;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::TicketId;
use std::collections::HashMap;

/// The queue a play-mode request names (the agent's open tickets if none).
fn queue_of(key: Option<&str>) -> Queue {
    key.and_then(Queue::from_key).unwrap_or(Queue::MyOpen)
}

/// Where play goes next: the next ticket, or back to the queue saying
/// there is none.
async fn next(ui: &Ui, agent: &Agent, queue: Queue) -> Result<Response, AppError> {
    let key = queue.key();
    Ok(match ui.app.next_to_play(agent.user.actor, queue).await? {
        Some(id) => Redirect::to(&format!("/agent/tickets/{}?play={}", id.0, enc(&key))),
        None => Redirect::to(&format!("/agent?queue={}&done=played_out", enc(&key))),
    }
    .into_response())
}

/// `GET /agent/play?queue=…`: the next ticket to work.
pub async fn start(
    State(ui): State<Ui>,
    agent: Agent,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let queue = queue_of(q.get("queue").map(String::as_str));
    next(&ui, &agent, queue)
        .await
        .unwrap_or_else(|e| error_page(&agent, &e))
}

/// `POST /agent/play/skip` (`ticket`, `queue`, `reason`): records the skip
/// and goes on to the next ticket.
pub async fn skip(State(ui): State<Ui>, AgentForm { agent, form }: AgentForm) -> Response {
    let inner = async {
        let ticket: i64 = form
            .get("ticket")
            .and_then(|t| t.parse().ok())
            .ok_or(AppError::NotFound)?;
        let reason = form.get("reason").unwrap_or("");
        ui.app
            .skip_ticket(agent.user.actor, TicketId(ticket), reason)
            .await?;
        next(&ui, &agent, queue_of(form.get("queue"))).await
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}
