//! The fetcher: one task per IMAP account this node holds the lease for.
//! It stores each new message (durably, once), then flags or moves it on
//! the server, wakes the inbound worker, and waits in IDLE. Every
//! `lease_secs / 3` it ends the IDLE, renews its lease and looks again,
//! which doubles as a safety net for a server that missed a notification.
//! A supervisor starts, restarts (after an admin's change) and stops the
//! tasks, and refreshes this node's mailbox directory.

use super::client::{Connection, IdleEnd, ImapError};
use app::App;
use domain::model::mailboxes::Mailbox;
use domain::{AfterFetch, MailboxId, Timestamp};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tokio::task::JoinHandle;
use tokio_rustls::rustls::ClientConfig;

/// How the fetcher behaves.
#[derive(Clone)]
pub struct ImapConfig {
    /// This node's name in leases (unique per process).
    pub node: String,
    pub tls: Arc<ClientConfig>,
    /// How often a server without IDLE is asked for new mail.
    pub poll_every: Duration,
    /// How long a lease lasts; it is renewed every third of that.
    pub lease_secs: i64,
    /// How often the account list and the mailbox directory are reread.
    pub refresh_every: Duration,
}

impl ImapConfig {
    /// Defaults for a server: a node name from the host and process id.
    pub fn new(tls: Arc<ClientConfig>) -> ImapConfig {
        ImapConfig {
            node: format!("node-{}-{}", std::process::id(), app::auth::random_token(6)),
            tls,
            poll_every: Duration::from_secs(60),
            lease_secs: 90,
            refresh_every: Duration::from_secs(10),
        }
    }
}

/// Starts the supervisor; `wake` is the inbound worker's.
pub fn spawn(app: App, config: ImapConfig, wake: Arc<Notify>) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut running: HashMap<MailboxId, (Timestamp, JoinHandle<()>)> = HashMap::new();
        loop {
            match app.reload_mailboxes().await {
                Ok(accounts) => {
                    let ids: Vec<MailboxId> = accounts.iter().map(|m| m.id).collect();
                    running.retain(|id, (_, task)| {
                        let keep = ids.contains(id);
                        if !keep {
                            task.abort();
                        }
                        keep
                    });
                    for m in accounts {
                        let current = running.get(&m.id).map(|(u, _)| *u);
                        if current == Some(m.updated_at) {
                            continue;
                        }
                        if let Some((_, old)) = running.remove(&m.id) {
                            old.abort();
                            let _ = app.release_mailbox(m.id, &config.node).await;
                        }
                        let updated = m.updated_at;
                        let task = tokio::spawn(watch(
                            app.clone(),
                            m.clone(),
                            config.clone(),
                            wake.clone(),
                        ));
                        running.insert(m.id, (updated, task));
                    }
                }
                Err(e) => tracing::warn!(error = %e, "cannot reread the support addresses"),
            }
            tokio::time::sleep(config.refresh_every).await;
        }
    })
}

/// Keeps one account fetched for as long as this node holds its lease.
async fn watch(app: App, mailbox: Mailbox, config: ImapConfig, wake: Arc<Notify>) {
    let mut backoff = Duration::from_secs(1);
    let mut status = Status::new(&app, mailbox.id);
    loop {
        match app
            .lease_mailbox(mailbox.id, &config.node, config.lease_secs)
            .await
        {
            Ok(true) => {}
            Ok(false) => {
                // Another node reads this account; be ready to take over.
                tokio::time::sleep(Duration::from_secs((config.lease_secs / 3).max(1) as u64))
                    .await;
                continue;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot take the IMAP lease");
                tokio::time::sleep(backoff).await;
                continue;
            }
        }
        match session(&app, &mailbox, &config, &wake, &mut status).await {
            Ok(()) => backoff = Duration::from_secs(1),
            Err(e) => {
                tracing::warn!(mailbox = %mailbox.address, error = %e, "IMAP account failed");
                status.set(&format!("error: {e}")).await;
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(60));
            }
        }
    }
}

/// The status line shown to admins, written only when it changes.
struct Status {
    app: App,
    id: MailboxId,
    last: String,
}

impl Status {
    fn new(app: &App, id: MailboxId) -> Status {
        Status {
            app: app.clone(),
            id,
            last: String::new(),
        }
    }

    async fn set(&mut self, s: &str) {
        if self.last != s {
            self.last = s.to_string();
            if let Err(e) = self.app.set_mailbox_status(self.id, s).await {
                tracing::warn!(error = %e, "cannot record the IMAP status");
            }
        }
    }
}

/// Connects, then fetches and waits until the lease is lost (Ok) or the
/// connection fails (Err).
async fn session(
    app: &App,
    mailbox: &Mailbox,
    config: &ImapConfig,
    wake: &Notify,
    status: &mut Status,
) -> Result<(), ImapError> {
    let Some(account) = &mailbox.imap else {
        return Ok(());
    };
    let mut conn = Connection::open(
        &account.host,
        account.port,
        account.security,
        &account.username,
        account.password.expose(),
        config.tls.clone(),
    )
    .await?;
    let selected = conn.select(&account.folder).await?;
    let move_to = match (account.after, &account.move_to) {
        (AfterFetch::Move, Some(f)) => {
            conn.ensure_folder(f).await?;
            Some(f.clone())
        }
        _ => None,
    };
    let criteria = if move_to.is_some() { "ALL" } else { "UNSEEN" };
    let renew = Duration::from_secs((config.lease_secs / 3).max(1) as u64);
    loop {
        for uid in conn.search(criteria).await? {
            let Some(raw) = conn.fetch(uid).await? else {
                continue;
            };
            let (_, new) = app
                .store_fetched_email(
                    mailbox.id,
                    mailbox.address.clone(),
                    selected.uid_validity,
                    uid,
                    raw,
                )
                .await
                .map_err(|e| ImapError(format!("cannot store a message: {e}")))?;
            if new {
                wake.notify_one();
            }
            // Only now, with the message stored, does the server hear of it.
            match &move_to {
                Some(folder) => conn.move_to(uid, folder).await?,
                None => conn.mark_seen(uid).await?,
            }
        }
        let held = app
            .lease_mailbox(mailbox.id, &config.node, config.lease_secs)
            .await
            .map_err(|e| ImapError(format!("cannot renew the lease: {e}")))?;
        if !held {
            conn.logout().await;
            return Ok(());
        }
        if conn.can_idle() {
            status.set("connected, waiting for mail (IDLE)").await;
            if conn.idle(renew).await? == IdleEnd::TimedOut {
                continue;
            }
        } else {
            status
                .set(&format!(
                    "connected, checking every {} s (the server has no IDLE)",
                    config.poll_every.as_secs()
                ))
                .await;
            tokio::time::sleep(config.poll_every.min(renew)).await;
        }
    }
}
