//! The chat channel's sender: an outgoing chat message is delivered by
//! storing it as a line of the visitor's conversation (the widget is told
//! at once). It runs the outbox's one send loop, woken by every commit so
//! an agent's reply reaches the visitor without waiting for the loop's
//! second.

use app::App;
use app::outbox::sender::{ChannelSender, OutboundFile, RetryPolicy, SendError, spawn};
use domain::Channel;
use domain::model::outbox::Outbound;
use std::sync::Arc;
use std::time::Duration;

struct ChatSender {
    app: App,
}

impl ChannelSender for ChatSender {
    fn channel(&self) -> Channel {
        Channel::Chat
    }

    async fn send(
        &self,
        message: &Outbound,
        _files: Vec<OutboundFile>,
    ) -> Result<Option<String>, SendError> {
        self.app.deliver_chat_message(message).await
    }
}

/// Starts the chat sender (and the relay of other nodes' chat signals).
pub fn spawn_sender(app: App) {
    app::chat::spawn_relay(app.clone());
    let wake = Arc::new(tokio::sync::Notify::new());
    let mut log = app.event_log_watch();
    let waker = wake.clone();
    tokio::spawn(async move {
        while log.changed().await.is_ok() {
            waker.notify_one();
        }
    });
    let retry = RetryPolicy {
        first_retry: Duration::from_secs(5),
        max_attempts: 8,
    };
    spawn(app.clone(), ChatSender { app }, retry, wake);
}
