//! Processing stored inbound messages: parse, authenticate senders who
//! claim to be staff, then thread or open a ticket. Runs after every stored
//! message and at start (messages stored before a crash are processed after
//! the restart). What cannot be processed is suspended, never dropped.

use crate::auth::{Envelope, SenderVerifier};
use crate::parse::parse;
use app::App;
use app::email::InboundEmail;
use domain::SuspensionCause;
use domain::model::email::Pending;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Processes what is pending, then waits to be woken (or 5 s).
pub fn spawn(app: App, wake: Arc<Notify>, verifier: Arc<SenderVerifier>) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = drain(&app, &verifier).await {
                tracing::warn!(error = %e, "inbound email processing failed; retrying");
            }
            let _ = tokio::time::timeout(Duration::from_secs(5), wake.notified()).await;
        }
    });
}

/// Processes every pending message; returns how many. Messages of one
/// sender are processed in order (a reply after the message it answers);
/// different senders' messages run concurrently, so their write units share
/// group commits instead of waiting on one another.
pub async fn drain(app: &App, verifier: &SenderVerifier) -> Result<usize, app::AppError> {
    let mut done = 0;
    loop {
        let batch = app.pending_inbound_emails(500).await?;
        if batch.is_empty() {
            return Ok(done);
        }
        done += batch.len();
        let mut by_sender: HashMap<String, Vec<(Pending, InboundEmail)>> = HashMap::new();
        for mut stored in batch {
            match parse(&stored.raw) {
                Ok(mut mail) => {
                    authenticate(app, verifier, &stored, &mut mail).await?;
                    // The raw bytes are parsed; keep only what processing needs.
                    stored.raw = Vec::new();
                    by_sender
                        .entry(mail.from_email.clone())
                        .or_default()
                        .push((stored, mail))
                }
                Err(e) => {
                    app.suspend_inbound_email(stored.id, SuspensionCause::Unreadable, &e.0)
                        .await?
                }
            }
        }
        let mut tasks = tokio::task::JoinSet::new();
        for (_, mails) in by_sender {
            let app = app.clone();
            tasks.spawn(async move {
                for (stored, mail) in mails {
                    // One retry: on PostgreSQL two senders' messages may race
                    // to create the same new CC'd person.
                    let first = app.process_inbound_email(&stored, mail.clone()).await;
                    let outcome = match first {
                        Err(_) => app.process_inbound_email(&stored, mail).await,
                        ok => ok,
                    };
                    if let Err(e) = outcome {
                        tracing::warn!(id = stored.id.0, error = %e, "inbound message could not be processed");
                        app.suspend_inbound_email(
                            stored.id,
                            SuspensionCause::ProcessingFailed,
                            &e.to_string(),
                        )
                        .await?;
                    }
                }
                Ok::<_, app::AppError>(())
            });
        }
        while let Some(r) = tasks.join_next().await {
            if let Ok(Err(e)) = r {
                return Err(e);
            }
        }
    }
}

/// Checks the sender of mail that claims to be from staff (the only mail
/// whose `From:` grants anything); other senders are not looked up in DNS.
async fn authenticate(
    app: &App,
    verifier: &SenderVerifier,
    stored: &Pending,
    mail: &mut InboundEmail,
) -> Result<(), app::AppError> {
    let claimed = if mail.from_email.is_empty() {
        stored.arrival.mail_from.as_str()
    } else {
        mail.from_email.as_str()
    };
    if !app.is_staff_address(claimed).await? {
        return Ok(());
    }
    let envelope = Envelope {
        peer: stored
            .arrival
            .peer_ip
            .as_deref()
            .and_then(|p| p.parse().ok()),
        helo: stored.arrival.helo.as_deref(),
        mail_from: &stored.arrival.mail_from,
    };
    mail.sender_check = verifier.check(&stored.raw, &envelope).await;
    Ok(())
}
