//! The chat channel's delivery loop: agents' replies are delivered by the
//! core as lines (`App::deliver_due_chat`, a batch in one write), as soon
//! as any commit wakes the loop — so a reply reaches the visitor without
//! waiting for a timer — and every second regardless.

use app::App;
use std::sync::Arc;
use std::time::Duration;

/// Starts the chat delivery loop (and the relay of other nodes' chat
/// signals).
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
    tokio::spawn(async move {
        loop {
            match app.deliver_due_chat().await {
                // A full batch: there may be more at once.
                Ok(n) if n >= 200 => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "chat delivery pass failed"),
            }
            let _ = tokio::time::timeout(Duration::from_secs(1), wake.notified()).await;
        }
    });
}
