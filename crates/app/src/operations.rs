//! What the operations metrics read at each scrape: the work waiting and
//! failed per queue (outbox per channel, webhook calls, messaging
//! deliveries, email, routing, phone queue, recordings), IMAP mailboxes'
//! health, the writer's queue and commits, and the live connections this
//! node holds. For the operator's metrics listener, which is not the API:
//! no actor.

use crate::{App, AppError};
use store::WriteStats;
use store::repo::ops::{self, Backlog};

/// One scrape's figures.
#[derive(Debug, Clone)]
pub struct Operations {
    pub backlog: Backlog,
    pub writes: WriteStats,
    /// Agents' workspace pages following their desk on this node.
    pub live_agents: usize,
    /// Sockets following a chat on this node (visitors' widgets, and
    /// the ticket pages of the chats' agents).
    pub live_chat_followers: usize,
}

impl App {
    pub async fn operations(&self) -> Result<Operations, AppError> {
        let backlog = {
            let mut rc = self.read().await?;
            ops::backlog(&mut rc.conn()).await?
        };
        let (live_agents, live_chat_followers) = self.chat.live();
        Ok(Operations {
            backlog,
            writes: self.db.write_stats(),
            live_agents,
            live_chat_followers,
        })
    }
}
