//! Who answers a chat handed to people. Routing's choice of agent is an
//! offer: the agent accepts it (or simply answers) and talks with the
//! visitor, or declines it — or lets it lapse — and the chat is routed
//! again, past them. An agent can pass a chat on to a colleague or a
//! group with a note. The visitor is told each step, and the agents'
//! workspaces hear of their offers at once ([`super::ChatHub`]'s desks).

use super::events::{ChatEvent, queue as queue_event};
use super::lines::{lang_of, new_line};
use crate::tickets::{CommentInput, TicketInput};
use crate::{App, AppError, FieldError};
use domain::chat::{Conversation, LineAuthor};
use domain::policy::Capability;
use domain::{Actor, Channel, ChatConversationId, GroupId, TicketId, Timestamp, UserId};
use i18n::Arg;
use store::repo::chat as repo;
use store::repo::users;

/// Where an agent passes a chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransferTo {
    Agent(UserId),
    /// The group's agents, through routing.
    Group(GroupId),
}

/// A chat in an agent's workspace: offered to them, or theirs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeskChat {
    pub conversation: Conversation,
    pub ticket: TicketId,
    /// Who the customer is, as the case names them.
    pub customer: String,
    /// Seconds left to accept, for an offer.
    pub offer_seconds_left: Option<i64>,
    /// The visitor wrote something no agent has seen yet.
    pub unseen: bool,
}

impl App {
    /// Offers the chat on a ticket to the agent the ticket is assigned to,
    /// unless they already have it (called where routing may have chosen:
    /// a hand-over, the queue pass, a re-route, a transfer).
    pub(crate) async fn offer_chat_on(&self, ticket: TicketId) -> Result<(), AppError> {
        let now = Timestamp::now();
        let offered = self
            .write(move |c| {
                Box::pin(async move {
                    let Some(mut conv) = repo::open_conversation_on(c, ticket).await? else {
                        return Ok(None);
                    };
                    let assignee = store::repo::tickets::get(c, ticket, false)
                        .await?
                        .and_then(|t| t.assignee_id);
                    let Some(agent) = assignee else {
                        return Ok(None);
                    };
                    let a = &conv.attendance;
                    if a.agent == Some(agent) || a.offered_to == Some(agent) {
                        return Ok(None);
                    }
                    conv.attendance.offer(agent, now);
                    let offered = repo::set_attendance(c, conv.id, &conv.attendance, now).await?;
                    Ok(offered.then_some(agent))
                })
            })
            .await?;
        if let Some(agent) = offered {
            self.desk_signal(agent).await;
        }
        Ok(())
    }

    /// The chats offered to an agent or theirs, for the workspace's tabs.
    pub async fn desk_chats(&self, actor: Actor) -> Result<Vec<DeskChat>, AppError> {
        crate::error::require(&actor, Capability::WorkTheDesk)?;
        let offer_seconds = self.rulebook().await?.routing.chat_offer_seconds;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let attended = repo::attended_by(c, actor.user).await?;
        // Their cases and customers, in one read each.
        let ids: Vec<i64> = attended
            .iter()
            .filter_map(|(v, _)| v.ticket.map(|t| t.0))
            .collect();
        let cases = store::repo::tickets::get_many(c, &ids, false).await?;
        let people: Vec<i64> = cases.iter().map(|t| t.requester_id.0).collect();
        let customers = users::get_many(c, &people).await?;
        let now = Timestamp::now();
        let mut out = Vec::with_capacity(attended.len());
        for (conv, last) in attended {
            let Some(t) = cases.iter().find(|t| Some(t.id) == conv.ticket) else {
                continue;
            };
            let customer = customers
                .iter()
                .find(|u| u.id == t.requester_id)
                .map_or_else(String::new, |u| u.name.clone());
            let unseen = last.is_some() && last > conv.attendance.seen_line;
            let offer_seconds_left = (conv.attendance.offered_to == Some(actor.user)).then(|| {
                conv.attendance
                    .offered_at
                    .map_or(0, |at| (at.0 + offer_seconds - now.0).max(0))
            });
            out.push(DeskChat {
                ticket: t.id,
                conversation: conv,
                customer,
                offer_seconds_left,
                unseen,
            });
        }
        Ok(out)
    }

    /// A conversation handed to people, on a case the agent may work.
    async fn desk_conversation(
        &self,
        actor: Actor,
        id: ChatConversationId,
    ) -> Result<Conversation, AppError> {
        let conv = self.chat_conversation(actor, id).await?;
        if conv.ticket.is_none() {
            return Err(AppError::NotFound);
        }
        Ok(conv)
    }

    /// The agent accepts a chat offered to them: it is theirs, routing is
    /// done with it, and the visitor is told who they are talking with.
    /// Returns the ticket it is on.
    pub async fn accept_chat(
        &self,
        actor: Actor,
        id: ChatConversationId,
    ) -> Result<TicketId, AppError> {
        let conv = self.desk_conversation(actor, id).await?;
        let ticket = conv.ticket.ok_or(AppError::NotFound)?;
        if conv.attendance.offered_to != Some(actor.user) {
            return Err(AppError::field(FieldError::invalid(
                "chat",
                "this chat is no longer offered to you",
            )));
        }
        self.take_chat(conv, actor.user).await?;
        Ok(ticket)
    }

    /// `agent` talks with the visitor from now on: the attendance says so,
    /// routing is done with the case, and the visitor hears who joined.
    pub(super) async fn take_chat(
        &self,
        conv: Conversation,
        agent: UserId,
    ) -> Result<(), AppError> {
        let now = Timestamp::now();
        let (id, ticket) = (conv.id, conv.ticket);
        let agent_name = self
            .write(move |c| {
                Box::pin(async move {
                    // As it stands now: it may have ended meanwhile.
                    let Some(mut taken) = repo::conversation(c, id).await? else {
                        return Ok(None);
                    };
                    taken.attendance.accept(agent);
                    if !repo::set_attendance(c, id, &taken.attendance, now).await? {
                        return Ok(None);
                    }
                    queue_event(c, ChatEvent::Accepted, &taken, now).await?;
                    if let Some(t) = ticket {
                        crate::routing::taken_by(c, t, agent, now).await?;
                    }
                    Ok(Some(users::get(c, agent).await?.map(|u| u.name)))
                })
            })
            .await?;
        let Some(agent_name) = agent_name else {
            return Ok(());
        };
        let lang = lang_of(&conv);
        let said = i18n::with(
            lang,
            "chat-agent-joined",
            &[("name", Arg::Text(agent_name.as_deref().unwrap_or_default()))],
        );
        let mut line = new_line(conv.id, LineAuthor::System, said);
        line.agent = Some(agent);
        self.add_chat_line(line).await?;
        self.desk_signal(agent).await;
        Ok(())
    }

    /// The agent declines a chat offered to them: it goes to someone else.
    pub async fn decline_chat(&self, actor: Actor, id: ChatConversationId) -> Result<(), AppError> {
        let conv = self.desk_conversation(actor, id).await?;
        if conv.attendance.offered_to != Some(actor.user) {
            return Ok(());
        }
        self.pass_offer_on(conv, "the agent declined the chat")
            .await
    }

    /// Offers not answered in time go to someone else (run by the node
    /// that runs the queue pass). Returns how many lapsed.
    pub async fn lapse_chat_offers(&self, now: Timestamp) -> Result<usize, AppError> {
        let seconds = self.rulebook().await?.routing.chat_offer_seconds.max(5);
        let due = {
            let mut rc = self.read().await?;
            repo::offers_made_before(&mut rc.conn(), Timestamp(now.0 - seconds)).await?
        };
        let n = due.len();
        for conv in due {
            self.pass_offer_on(conv, "the agent did not accept the chat in time")
                .await?;
        }
        Ok(n)
    }

    /// Withdraws an offer and routes the chat again, past its agent.
    async fn pass_offer_on(&self, conv: Conversation, why: &str) -> Result<(), AppError> {
        let (Some(agent), Some(ticket)) = (conv.attendance.offered_to, conv.ticket) else {
            return Ok(());
        };
        let (id, now) = (conv.id, Timestamp::now());
        let withdrawn = self
            .write(move |c| {
                Box::pin(async move { Ok(repo::withdraw_offer(c, id, agent, now).await?) })
            })
            .await?;
        if !withdrawn {
            // Accepted, passed on or ended meanwhile: nothing to route.
            return Ok(());
        }
        self.desk_signal(agent).await;
        self.reroute_declined(ticket, agent, why.to_string())
            .await?;
        self.offer_chat_on(ticket).await
    }

    /// Passes a chat on to a colleague or a group, with a note for them
    /// (an internal comment on the case); the visitor is told.
    pub async fn transfer_chat(
        &self,
        actor: Actor,
        ticket: TicketId,
        to: TransferTo,
        note: String,
    ) -> Result<(), AppError> {
        crate::error::require(&actor, Capability::WorkTheDesk)?;
        self.ticket(actor, ticket).await?;
        let conv = {
            let mut rc = self.read().await?;
            repo::open_conversation_on(&mut rc.conn(), ticket).await?
        };
        let Some(conv) = conv else {
            return Err(AppError::field(FieldError::invalid(
                "chat",
                "no chat is going on for this ticket",
            )));
        };
        let before = (conv.attendance.agent, conv.attendance.offered_to);
        let comment = (!note.trim().is_empty()).then(|| CommentInput {
            body: Some(note),
            public: Some(false),
            ..Default::default()
        });
        let input = match to {
            TransferTo::Agent(a) => TicketInput {
                assignee_id: Some(Some(a)),
                comment,
                ..Default::default()
            },
            TransferTo::Group(g) => TicketInput {
                group_id: Some(Some(g)),
                assignee_id: Some(None),
                comment,
                ..Default::default()
            },
        };
        // The write checks the agent and group as any assignment does.
        self.update_ticket(actor, ticket, input, Channel::Web)
            .await?;
        let lang = lang_of(&conv);
        let (id, now) = (conv.id, Timestamp::now());
        self.write(move |c| {
            Box::pin(async move {
                let Some(mut conv) = repo::conversation(c, id).await? else {
                    return Ok(());
                };
                // Nobody has it until the next agent accepts.
                conv.attendance.agent = None;
                conv.attendance.withdraw();
                if repo::set_attendance(c, id, &conv.attendance, now).await? {
                    queue_event(c, ChatEvent::Transferred, &conv, now).await?;
                }
                Ok(())
            })
        })
        .await?;
        self.add_chat_line(new_line(
            id,
            LineAuthor::System,
            i18n::text(lang, "chat-transferring"),
        ))
        .await?;
        for agent in [before.0, before.1].into_iter().flatten() {
            self.desk_signal(agent).await;
        }
        self.offer_chat_on(ticket).await
    }
}

impl App {
    /// An agent's page shows the chat: the visitor's lines so far are seen
    /// (their read marks), and the widget is told.
    pub async fn chat_seen(&self, conversation: ChatConversationId) -> Result<(), AppError> {
        // Read first: most signals (an agent's own line, typing's echo) move
        // nothing, and need no write.
        let newer = {
            let mut rc = self.read().await?;
            let c = &mut rc.conn();
            let seen = repo::conversation(c, conversation)
                .await?
                .and_then(|v| v.attendance.seen_line);
            repo::last_visitor_line(c, conversation)
                .await?
                .filter(|last| Some(*last) > seen)
        };
        let Some(line) = newer else {
            return Ok(());
        };
        let moved = self
            .write(move |c| {
                Box::pin(async move { Ok(repo::mark_seen(c, conversation, line).await?) })
            })
            .await?;
        if moved {
            self.chat_signal(conversation, super::ChatSignal::Seen)
                .await;
        }
        Ok(())
    }
}
