//! Live chat in the core. The chat adapter (`crates/chat`) serves the
//! widget and its connections and only translates; here live what a chat
//! is: widgets and the sites allowed to use them (`widgets.rs`), a
//! visitor's identity (`visitor.rs`), their lines and the bot first
//! (`lines.rs`), then a person through the one way in (`handover.rs`):
//! routing's offer to an agent, accepted, declined or passed on
//! (`attendance.rs`), files either way (`files.rs`), and agents' replies
//! delivered as lines (`delivery.rs`). Every line is stored before the widget is told it was
//! sent; the hub below only says *that* a conversation has something new,
//! and the socket reads what from the database.

mod attendance;
mod delivery;
mod events;
mod files;
mod handover;
mod integration;
mod lines;
mod visitor;
mod widgets;

pub use attendance::{DeskChat, TransferTo};
pub use files::SentFile;
pub use handover::topic_tag;
pub use lines::SentLine;
pub use visitor::{ChatSession, OpenChat, SignedIdentity, identity_signature};
pub use widgets::{NewWidget, WidgetInput};

use crate::App;
use domain::{ChatConversationId, ChatVisitorId, UserId};
use std::collections::HashMap;
use std::sync::Mutex;
use tokio::sync::broadcast;

/// Something new in a conversation, for the connections following it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatSignal {
    /// A line was stored: read the lines after your cursor.
    Line,
    /// Someone started or stopped typing.
    Typing { agent: bool, on: bool },
    /// An agent has seen the visitor's lines (read marks).
    Seen,
}

impl ChatSignal {
    fn word(self) -> &'static str {
        match self {
            ChatSignal::Line => "line",
            ChatSignal::Seen => "seen",
            ChatSignal::Typing {
                agent: true,
                on: true,
            } => "agent-typing",
            ChatSignal::Typing {
                agent: true,
                on: false,
            } => "agent-idle",
            ChatSignal::Typing {
                agent: false,
                on: true,
            } => "visitor-typing",
            ChatSignal::Typing {
                agent: false,
                on: false,
            } => "visitor-idle",
        }
    }

    fn from_word(w: &str) -> Option<ChatSignal> {
        Some(match w {
            "line" => ChatSignal::Line,
            "seen" => ChatSignal::Seen,
            "agent-typing" => ChatSignal::Typing {
                agent: true,
                on: true,
            },
            "agent-idle" => ChatSignal::Typing {
                agent: true,
                on: false,
            },
            "visitor-typing" => ChatSignal::Typing {
                agent: false,
                on: true,
            },
            "visitor-idle" => ChatSignal::Typing {
                agent: false,
                on: false,
            },
            _ => return None,
        })
    }
}

/// The prefix of chat signals between nodes.
const SIGNAL_PREFIX: &str = "chat:";
/// The prefix of signals to an agent's workspace (their chats changed).
const DESK_PREFIX: &str = "chat-desk:";

/// This node's rooms: one channel per conversation someone follows here;
/// and how many lines each visitor sent this minute.
#[derive(Default)]
pub struct ChatHub {
    rooms: Mutex<HashMap<ChatConversationId, broadcast::Sender<ChatSignal>>>,
    sent: Mutex<(i64, HashMap<ChatVisitorId, u32>)>,
    /// New visitors made this minute, per network.
    new_visitors: Mutex<(i64, HashMap<String, u32>)>,
    /// One channel per agent whose workspace is open here: their offers
    /// and chats changed.
    desks: Mutex<HashMap<UserId, broadcast::Sender<()>>>,
}

impl ChatHub {
    /// Live followers on this node: agents' desks, and visitors' chats.
    pub(crate) fn live(&self) -> (usize, usize) {
        let agents = self
            .desks
            .lock()
            .map(|d| d.values().map(broadcast::Sender::receiver_count).sum())
            .unwrap_or(0);
        let visitors = self
            .rooms
            .lock()
            .map(|r| r.values().map(broadcast::Sender::receiver_count).sum())
            .unwrap_or(0);
        (agents, visitors)
    }
}

/// Counts one more in this minute's tally for `key`; `false` past `limit`.
fn counted<K: std::hash::Hash + Eq>(
    tally: &Mutex<(i64, HashMap<K, u32>)>,
    key: K,
    limit: u32,
) -> bool {
    let minute = domain::Timestamp::now().0 / 60;
    let mut t = tally.lock().unwrap_or_else(|p| p.into_inner());
    if t.0 != minute {
        *t = (minute, HashMap::new());
    }
    let n = t.1.entry(key).or_default();
    *n = n.saturating_add(1);
    *n <= limit
}

impl ChatHub {
    /// Counts a new visitor from a network; `false` past `per_minute` in
    /// this minute (per node).
    pub fn allow_new_visitor(&self, network: &str, per_minute: u32) -> bool {
        counted(&self.new_visitors, network.to_string(), per_minute)
    }

    /// Counts a visitor's line; `false` past `per_minute` in this minute
    /// (per node: a flood is one browser on one connection).
    pub fn allow_line(&self, visitor: ChatVisitorId, per_minute: u32) -> bool {
        counted(&self.sent, visitor, per_minute)
    }

    /// Follows a conversation (a widget's or an agent's connection).
    pub fn follow(&self, conversation: ChatConversationId) -> broadcast::Receiver<ChatSignal> {
        let mut rooms = self.rooms.lock().unwrap_or_else(|p| p.into_inner());
        // Rooms nobody follows any more go, so the map stays as large as
        // the connections.
        if rooms.len() > 64 && rooms.len().is_power_of_two() {
            rooms.retain(|_, s| s.receiver_count() > 0);
        }
        rooms
            .entry(conversation)
            .or_insert_with(|| broadcast::channel(32).0)
            .subscribe()
    }

    /// Tells this node's followers of a conversation.
    fn tell(&self, conversation: ChatConversationId, signal: ChatSignal) {
        let rooms = self.rooms.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(room) = rooms.get(&conversation) {
            let _ = room.send(signal);
        }
    }

    /// Follows an agent's chats (their workspace's tabs).
    pub fn follow_desk(&self, agent: UserId) -> broadcast::Receiver<()> {
        let mut desks = self.desks.lock().unwrap_or_else(|p| p.into_inner());
        if desks.len() > 64 && desks.len().is_power_of_two() {
            desks.retain(|_, s| s.receiver_count() > 0);
        }
        desks
            .entry(agent)
            .or_insert_with(|| broadcast::channel(8).0)
            .subscribe()
    }

    fn tell_desk(&self, agent: UserId) {
        let desks = self.desks.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(d) = desks.get(&agent) {
            let _ = d.send(());
        }
    }

    /// How many conversations are followed on this node.
    pub fn rooms(&self) -> usize {
        self.rooms
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .filter(|s| s.receiver_count() > 0)
            .count()
    }
}

impl App {
    /// Tells everyone following a conversation, on every node.
    /// On PostgreSQL the signal goes through the database, which delivers
    /// it to every node (this one too, through [`spawn_relay`]).
    pub async fn chat_signal(&self, conversation: ChatConversationId, signal: ChatSignal) {
        if self.db.backend() == store::Backend::Sqlite {
            self.chat.tell(conversation, signal);
            return;
        }
        let payload = format!("{SIGNAL_PREFIX}{}:{}", conversation.0, signal.word());
        if let Err(e) = self.signal_nodes(&payload).await {
            // Followers here still hear of it; other nodes' read on their
            // next wake-up (a socket also reads every 25 s).
            tracing::warn!(error = %e, "chat signal not sent to the other nodes");
            self.chat.tell(conversation, signal);
        }
    }

    /// Tells an agent's open workspaces, on every node, that their chats
    /// changed (an offer came or went).
    pub async fn desk_signal(&self, agent: UserId) {
        if self.db.backend() == store::Backend::Sqlite {
            self.chat.tell_desk(agent);
            return;
        }
        if let Err(e) = self
            .signal_nodes(&format!("{DESK_PREFIX}{}", agent.0))
            .await
        {
            tracing::warn!(error = %e, "desk signal not sent to the other nodes");
            self.chat.tell_desk(agent);
        }
    }

    /// Follows an agent's chats on this node.
    pub fn follow_desk(&self, agent: UserId) -> broadcast::Receiver<()> {
        self.chat.follow_desk(agent)
    }

    /// The chat going on for a ticket the agent may see (for the ticket
    /// page to follow the customer's typing, and tell them of the agent's).
    pub async fn chat_on_ticket(
        &self,
        actor: domain::Actor,
        ticket: domain::TicketId,
    ) -> Result<Option<domain::chat::Conversation>, crate::AppError> {
        self.ticket(actor, ticket).await?;
        let mut rc = self.read().await?;
        Ok(store::repo::chat::open_conversation_on(&mut rc.conn(), ticket).await?)
    }

    /// Follows a conversation's signals on this node.
    pub fn follow_chat(&self, conversation: ChatConversationId) -> broadcast::Receiver<ChatSignal> {
        self.chat.follow(conversation)
    }
}

/// Passes the other nodes' chat signals to this node's followers
/// (PostgreSQL; nothing to do on SQLite, where there is one node).
pub fn spawn_relay(app: App) {
    let Some(mut signals) = app.node_signals() else {
        return;
    };
    tokio::spawn(async move {
        loop {
            match signals.recv().await {
                Ok(payload) => {
                    if let Some(agent) = payload.strip_prefix(DESK_PREFIX) {
                        if let Ok(id) = agent.parse() {
                            app.chat.tell_desk(UserId(id));
                        }
                        continue;
                    }
                    let Some(rest) = payload.strip_prefix(SIGNAL_PREFIX) else {
                        continue;
                    };
                    let Some((id, word)) = rest.split_once(':') else {
                        continue;
                    };
                    if let (Ok(id), Some(signal)) = (id.parse(), ChatSignal::from_word(word)) {
                        app.chat.tell(ChatConversationId(id), signal);
                    }
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => break,
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floods_are_counted_per_visitor_and_per_network() {
        let hub = ChatHub::default();
        assert!((0..3).all(|_| hub.allow_line(ChatVisitorId(1), 3)));
        assert!(!hub.allow_line(ChatVisitorId(1), 3));
        assert!(hub.allow_line(ChatVisitorId(2), 3), "another visitor");
        assert!((0..2).all(|_| hub.allow_new_visitor("10.0.0.0/24", 2)));
        assert!(!hub.allow_new_visitor("10.0.0.0/24", 2));
        assert!(hub.allow_new_visitor("10.0.1.0/24", 2), "another network");
    }
}
