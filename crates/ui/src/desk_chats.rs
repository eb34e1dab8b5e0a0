//! The agent's chats: a tab strip on every workspace page with the chats
//! offered to them (accept or decline, with the seconds left) and the ones
//! they are in (a dot for lines they have not seen) — and, first, the
//! calls ringing for them (`desk_calls.rs`); and passing a chat on to a
//! colleague or a group from the ticket page.

use crate::Ui;
use crate::chrome::error_page;
use crate::i18n::Text;
use crate::session::{Agent, AgentForm};
use app::AppError;
use app::chat::{DeskChat, TransferTo};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::{ChatConversationId, GroupId, TicketId, UserId};

/// One tab.
pub struct ChatTab {
    pub id: i64,
    pub ticket: i64,
    pub customer: String,
    pub offer_left: Option<i64>,
    pub unseen: bool,
}

impl From<DeskChat> for ChatTab {
    fn from(d: DeskChat) -> ChatTab {
        ChatTab {
            id: d.conversation.id.0,
            ticket: d.ticket.0,
            customer: d.customer,
            offer_left: d.offer_seconds_left,
            unseen: d.unseen,
        }
    }
}

#[derive(Template)]
#[template(path = "chat_tabs.html")]
struct Tabs<'a> {
    t: &'static Text,
    csrf: &'a str,
    calls: Vec<crate::desk_calls::CallCard>,
    chats: Vec<ChatTab>,
    /// Where a phone system asked to take the agent (a case, a customer).
    open: Option<String>,
}

/// The strip's HTML for an agent, and whether it has any tab.
pub async fn tabs_html(ui: &Ui, agent: &Agent) -> Result<(String, bool), AppError> {
    let chats: Vec<ChatTab> = ui
        .app
        .desk_chats(agent.user.actor)
        .await?
        .into_iter()
        .map(ChatTab::from)
        .collect();
    let calls = crate::desk_calls::cards(ui, agent).await?;
    let open = ui.app.take_display(agent.user.actor).await?;
    let any = !chats.is_empty() || !calls.is_empty();
    let html = Tabs {
        t: agent.t(),
        csrf: &agent.user.csrf,
        calls,
        chats,
        open,
    }
    .render()
    .map_err(|e| AppError::Unavailable(format!("the chat tabs: {e}")))?;
    Ok((html, any))
}

/// `GET /agent/chats/tabs`: the strip, for the page to refresh it.
pub async fn tabs(State(ui): State<Ui>, agent: Agent) -> Response {
    match tabs_html(&ui, &agent).await {
        Ok((html, _)) => ([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response(),
        Err(e) => error_page(&agent, &e),
    }
}

fn conversation_id(raw: &str) -> Result<ChatConversationId, AppError> {
    raw.parse()
        .map(ChatConversationId)
        .map_err(|_| AppError::NotFound)
}

/// `POST /agent/chats/{id}/accept`: to the chat's ticket.
pub async fn accept(
    State(ui): State<Ui>,
    Path(raw): Path<String>,
    AgentForm { agent, .. }: AgentForm,
) -> Response {
    let inner = async {
        let ticket = ui
            .app
            .accept_chat(agent.user.actor, conversation_id(&raw)?)
            .await?;
        Ok::<_, AppError>(Redirect::to(&format!("/agent/tickets/{}", ticket.0)).into_response())
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}

/// `POST /agent/chats/{id}/decline`: back to the queue.
pub async fn decline(
    State(ui): State<Ui>,
    Path(raw): Path<String>,
    AgentForm { agent, .. }: AgentForm,
) -> Response {
    let inner = async {
        ui.app
            .decline_chat(agent.user.actor, conversation_id(&raw)?)
            .await?;
        Ok::<_, AppError>(Redirect::to("/agent").into_response())
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}

/// `agent:5` or `group:3`, as the transfer form's choice says.
fn transfer_target(raw: &str) -> Result<TransferTo, AppError> {
    let bad = || AppError::field(app::FieldError::invalid("to", "choose an agent or a group"));
    let (kind, id) = raw.split_once(':').ok_or_else(bad)?;
    let id: i64 = id.parse().map_err(|_| bad())?;
    match kind {
        "agent" => Ok(TransferTo::Agent(UserId(id))),
        "group" => Ok(TransferTo::Group(GroupId(id))),
        _ => Err(bad()),
    }
}

/// `POST /agent/tickets/{id}/chat/transfer` `to=agent:5|group:3&note=…`.
pub async fn transfer(
    State(ui): State<Ui>,
    Path(raw): Path<String>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let inner = async {
        let ticket: TicketId = raw.parse().map(TicketId).map_err(|_| AppError::NotFound)?;
        let to = transfer_target(form.get("to").unwrap_or_default())?;
        let note = form.get("note").unwrap_or_default().to_string();
        ui.app
            .transfer_chat(agent.user.actor, ticket, to, note)
            .await?;
        Ok::<_, AppError>(Redirect::to(&format!("/agent/tickets/{}", ticket.0)).into_response())
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_transfer_form_names_an_agent_or_a_group() {
        assert_eq!(
            transfer_target("agent:5").unwrap(),
            TransferTo::Agent(UserId(5))
        );
        assert_eq!(
            transfer_target("group:3").unwrap(),
            TransferTo::Group(GroupId(3))
        );
        for bad in ["", "agent", "agent:x", "team:3", "group:"] {
            assert!(transfer_target(bad).is_err(), "{bad}");
        }
    }
}
