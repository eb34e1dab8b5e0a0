//! The screen-pop: while a call rings for an agent, the strip on every
//! workspace page shows who is calling — the profile holding the number,
//! their open cases on every channel and when they were last in touch —
//! or "unknown number" with a button that makes the profile. The strip
//! refreshes on the agent's desk signal, as it does for chats.

use crate::Ui;
use crate::chrome::error_page;
use crate::session::{Agent, AgentForm};
use crate::view::Clock;
use app::AppError;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::{CallId, Status};

/// How many of the caller's open cases the card lists.
const OPEN_CASES: usize = 3;

/// One ringing call as the strip shows it.
pub struct CallCard {
    pub id: i64,
    pub number: String,
    /// The caller's name; `None` for an unknown number.
    pub caller: Option<String>,
    /// Open cases: (id, subject, channel).
    pub open: Vec<(i64, String, &'static str)>,
    /// When they were last in touch, on which channel.
    pub last_contact: Option<(String, &'static str)>,
}

/// The calls ringing for the agent, as cards.
pub async fn cards(ui: &Ui, agent: &Agent) -> Result<Vec<CallCard>, AppError> {
    let actor = agent.user.actor;
    let t = agent.t();
    let clock = Clock::new(&agent.user.time_zone);
    let mut out = Vec::new();
    for r in ui.app.ringing_calls(actor).await? {
        let mut card = CallCard {
            id: r.call.id.0,
            number: r.call.customer_number().to_string(),
            caller: r.caller.as_ref().map(|u| u.name.clone()),
            open: Vec::new(),
            last_contact: None,
        };
        if let Some(u) = &r.caller {
            let cases = crate::ticket::cases_of(ui, actor, u.id).await?;
            card.last_contact = cases
                .iter()
                .max_by_key(|c| c.updated_at.0)
                .map(|c| (clock.show(c.updated_at).0, t.channel(c.via)));
            card.open = cases
                .iter()
                .filter(|c| c.status < Status::Solved)
                .take(OPEN_CASES)
                .map(|c| (c.id.0, c.subject.clone(), t.channel(c.via)))
                .collect();
        }
        out.push(card);
    }
    Ok(out)
}

/// `POST /agent/calls/{id}/customer`: a profile for the unknown caller.
pub async fn create_customer(
    State(ui): State<Ui>,
    Path(raw): Path<String>,
    AgentForm { agent, .. }: AgentForm,
) -> Response {
    let inner = async {
        let id = raw.parse().map(CallId).map_err(|_| AppError::NotFound)?;
        ui.app.create_caller(agent.user.actor, id).await?;
        Ok::<_, AppError>(Redirect::to("/agent").into_response())
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}
