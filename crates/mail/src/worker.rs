//! Processing stored inbound messages: parse, then thread or open a ticket.
//! Runs after every stored message and at start (messages stored before a
//! crash are processed after the restart).

use crate::parse::parse;
use app::App;
use app::email::Mailboxes;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Processes what is pending, then waits to be woken (or 5 s).
pub fn spawn(app: App, mailboxes: Mailboxes, wake: Arc<Notify>) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = drain(&app, &mailboxes).await {
                tracing::warn!(error = %e, "inbound email processing failed; retrying");
            }
            let _ = tokio::time::timeout(Duration::from_secs(5), wake.notified()).await;
        }
    });
}

/// Processes every pending message; returns how many.
pub async fn drain(app: &App, mailboxes: &Mailboxes) -> Result<usize, app::AppError> {
    let mut done = 0;
    loop {
        let batch = app.pending_inbound_emails(100).await?;
        if batch.is_empty() {
            return Ok(done);
        }
        for (id, raw) in batch {
            match parse(&raw) {
                Ok(mail) => {
                    if let Err(e) = app.process_inbound_email(id, mail, mailboxes).await {
                        tracing::warn!(id, error = %e, "inbound message could not be processed");
                        app.fail_inbound_email(id, &e.to_string()).await?;
                    }
                }
                Err(e) => app.fail_inbound_email(id, &e.0).await?,
            }
            done += 1;
        }
    }
}
