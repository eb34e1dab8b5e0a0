//! Support addresses: the ones admins manage (each optionally with an IMAP
//! account) and the one configured at start (`ATIENDE_SUPPORT_ADDRESS`,
//! whose whole domain is accepted, for a quick start). Every node keeps
//! them in memory ([`MailboxDirectory`]) because the SMTP listener checks
//! each RCPT against them; a change is seen at once on the node that made
//! it and within seconds on the others (the fetcher refreshes it).

use super::{normalize_address, without_tag};
use crate::{App, AppError, FieldError};
use domain::audit_log::{AdminAction, AdminChange, AdminSource};
use domain::{Actor, AfterFetch, ImapSecurity, MailboxId, Secret, Timestamp};
use std::sync::RwLock;
use store::repo::mailboxes::{self, ImapAccount, Mailbox};

/// A support address as the mail paths need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailboxEntry {
    /// `None` for the address configured at start.
    pub id: Option<MailboxId>,
    pub address: String,
    pub name: String,
    pub is_default: bool,
}

#[derive(Debug, Default)]
struct Directory {
    configured: Option<MailboxEntry>,
    entries: Vec<MailboxEntry>,
}

/// Our support addresses, in memory.
#[derive(Debug, Default)]
pub struct MailboxDirectory {
    inner: RwLock<Directory>,
}

impl MailboxDirectory {
    fn read<T>(&self, f: impl FnOnce(&Directory) -> T) -> T {
        match self.inner.read() {
            Ok(d) => f(&d),
            Err(poisoned) => f(&poisoned.into_inner()),
        }
    }

    fn write(&self, f: impl FnOnce(&mut Directory)) {
        match self.inner.write() {
            Ok(mut d) => f(&mut d),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }

    /// The address given at start; mail to any address at its domain is ours.
    pub fn set_configured(&self, address: &str, name: &str) {
        let entry = MailboxEntry {
            id: None,
            address: normalize_address(address),
            name: name.to_string(),
            is_default: false,
        };
        self.write(|d| d.configured = Some(entry));
    }

    /// Replaces the admin-managed addresses.
    pub fn replace(&self, entries: Vec<MailboxEntry>) {
        self.write(|d| d.entries = entries);
    }

    /// Our exact addresses (plus tags ignored), the configured one included.
    pub fn find(&self, addr: &str) -> Option<MailboxEntry> {
        let a = without_tag(&normalize_address(addr));
        self.read(|d| {
            d.entries
                .iter()
                .chain(d.configured.iter())
                .find(|e| e.address == a)
                .cloned()
        })
    }

    /// An admin-managed mailbox by id.
    pub fn by_id(&self, id: MailboxId) -> Option<MailboxEntry> {
        self.read(|d| d.entries.iter().find(|e| e.id == Some(id)).cloned())
    }

    /// One of our own addresses: mail from it is our own, looping back.
    pub fn is_own_address(&self, addr: &str) -> bool {
        self.find(addr).is_some()
    }

    /// Whether mail to this recipient is ours to take.
    pub fn accepts(&self, rcpt: &str) -> bool {
        if self.find(rcpt).is_some() {
            return true;
        }
        let r = normalize_address(rcpt);
        let domain = r.rsplit_once('@').map(|(_, d)| d.to_string());
        self.read(|d| {
            d.configured
                .as_ref()
                .is_some_and(|c| c.address.rsplit_once('@').map(|(_, cd)| cd) == domain.as_deref())
        })
    }

    /// Which of our addresses a message was for: the first of the envelope
    /// recipients, then of To and Cc, that is one of ours.
    pub fn recipient_of<'a>(
        &self,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Option<String> {
        let mut first_accepted = None;
        for c in candidates {
            if let Some(e) = self.find(c) {
                return Some(e.address);
            }
            if first_accepted.is_none() && self.accepts(c) {
                first_accepted = Some(without_tag(&normalize_address(c)));
            }
        }
        first_accepted
    }

    /// The address our mail about a ticket comes from: the one the customer
    /// wrote to, else the default mailbox, else the configured address.
    pub fn sender_for(&self, recipient: Option<&str>) -> Option<MailboxEntry> {
        if let Some(e) = recipient.and_then(|r| self.find(r)) {
            return Some(e);
        }
        self.read(|d| {
            d.entries
                .iter()
                .find(|e| e.is_default)
                .or(d.configured.as_ref())
                .or(d.entries.first())
                .cloned()
        })
    }
}

/// An IMAP account as an admin sets it; `password: None` keeps the stored one.
#[derive(Debug, Clone, Default)]
pub struct ImapInput {
    pub host: String,
    pub port: Option<u16>,
    pub security: Option<ImapSecurity>,
    pub username: String,
    pub password: Option<Secret>,
    pub folder: Option<String>,
    pub after: Option<AfterFetch>,
    pub move_to: Option<String>,
}

/// A mailbox as an admin creates or changes it; `None` leaves a value.
#[derive(Debug, Clone, Default)]
pub struct MailboxInput {
    pub address: Option<String>,
    pub name: Option<String>,
    pub is_default: Option<bool>,
    /// `Some(None)` removes the IMAP account.
    pub imap: Option<Option<ImapInput>>,
}

/// Applies the input over `m`, collecting every invalid field.
fn apply(m: &mut Mailbox, input: MailboxInput) -> Result<(), AppError> {
    let mut errors = Vec::new();
    if let Some(a) = input.address {
        match domain::user::normalize_email(&a) {
            Some(a) if !a.contains('+') => m.address = a,
            _ => errors.push(FieldError::invalid(
                "email",
                format!("{a} is not a valid support address"),
            )),
        }
    }
    if let Some(n) = input.name {
        m.name = n.trim().to_string();
    }
    if m.name.is_empty() {
        errors.push(FieldError::blank("name"));
    }
    if let Some(d) = input.is_default {
        m.is_default = d;
    }
    match input.imap {
        None => {}
        Some(None) => m.imap = None,
        Some(Some(i)) => {
            let security = i.security.unwrap_or(ImapSecurity::Tls);
            let after = i.after.unwrap_or(AfterFetch::MarkSeen);
            let keep = m.imap.as_ref().map(|old| old.password.clone());
            let password = i.password.or(keep).unwrap_or_default();
            if i.host.trim().is_empty() {
                errors.push(FieldError::blank("imap.host"));
            }
            if i.username.trim().is_empty() {
                errors.push(FieldError::blank("imap.username"));
            }
            if password.expose().is_empty() {
                errors.push(FieldError::blank("imap.password"));
            }
            let move_to = i
                .move_to
                .map(|f| f.trim().to_string())
                .filter(|f| !f.is_empty());
            if after == AfterFetch::Move && move_to.is_none() {
                errors.push(FieldError::blank("imap.move_to"));
            }
            if i.port == Some(0) {
                errors.push(FieldError::invalid("imap.port", "must be 1 to 65535"));
            }
            m.imap = Some(ImapAccount {
                host: i.host.trim().to_string(),
                port: i.port.unwrap_or(security.default_port()),
                security,
                username: i.username.trim().to_string(),
                password,
                folder: i
                    .folder
                    .map(|f| f.trim().to_string())
                    .filter(|f| !f.is_empty())
                    .unwrap_or_else(|| "INBOX".into()),
                after,
                move_to,
            });
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(errors))
    }
}

impl App {
    /// Every admin-managed mailbox (admins).
    pub async fn list_mailboxes(&self, actor: Actor) -> Result<Vec<Mailbox>, AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageEmail)?;
        let mut rc = self.read().await?;
        Ok(mailboxes::all(&mut rc.conn()).await?)
    }

    /// One mailbox (admins).
    pub async fn mailbox(&self, actor: Actor, id: MailboxId) -> Result<Mailbox, AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageEmail)?;
        let mut rc = self.read().await?;
        mailboxes::get(&mut rc.conn(), id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Adds a support address (admins).
    pub async fn create_mailbox(
        &self,
        actor: Actor,
        input: MailboxInput,
    ) -> Result<Mailbox, AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageEmail)?;
        if input.address.is_none() {
            return Err(AppError::field(FieldError::blank("email")));
        }
        let now = Timestamp::now();
        let mut m = Mailbox {
            id: MailboxId(0),
            address: String::new(),
            name: "Support".into(),
            is_default: false,
            imap: None,
            imap_status: None,
            imap_checked_at: None,
            created_at: now,
            updated_at: now,
        };
        apply(&mut m, input)?;
        let saved = self
            .write(move |c| {
                Box::pin(async move {
                    if mailboxes::by_address(c, &m.address).await?.is_some() {
                        return Err(AppError::field(FieldError::duplicate("email", &m.address)));
                    }
                    m.id = mailboxes::insert(c, &m).await?;
                    if m.is_default {
                        mailboxes::clear_default_except(c, m.id).await?;
                    }
                    let change = AdminChange::new(
                        AdminAction::Create,
                        AdminSource::SupportAddress,
                        m.id.0,
                        &m.address,
                    );
                    crate::audit_log::record(c, &actor, change, now).await?;
                    Ok(m)
                })
            })
            .await?;
        self.refresh_mailboxes().await?;
        Ok(saved)
    }

    /// Changes a support address or its IMAP account (admins). A changed
    /// account is picked up by the fetcher within seconds.
    pub async fn update_mailbox(
        &self,
        actor: Actor,
        id: MailboxId,
        input: MailboxInput,
    ) -> Result<Mailbox, AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageEmail)?;
        let now = Timestamp::now();
        let saved = self
            .write(move |c| {
                Box::pin(async move {
                    let mut m = mailboxes::get(c, id).await?.ok_or(AppError::NotFound)?;
                    let before = m.address.clone();
                    apply(&mut m, input)?;
                    if m.address != before && mailboxes::by_address(c, &m.address).await?.is_some()
                    {
                        return Err(AppError::field(FieldError::duplicate("email", &m.address)));
                    }
                    m.updated_at = now;
                    mailboxes::update(c, &m).await?;
                    if m.is_default {
                        mailboxes::clear_default_except(c, m.id).await?;
                    }
                    let change = AdminChange::new(
                        AdminAction::Update,
                        AdminSource::SupportAddress,
                        id.0,
                        &m.address,
                    );
                    crate::audit_log::record(c, &actor, change, now).await?;
                    Ok(m)
                })
            })
            .await?;
        self.refresh_mailboxes().await?;
        Ok(saved)
    }

    /// Removes a support address (admins); its stored mail stays.
    pub async fn delete_mailbox(&self, actor: Actor, id: MailboxId) -> Result<(), AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageEmail)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let m = mailboxes::get(c, id).await?.ok_or(AppError::NotFound)?;
                let change = AdminChange::new(
                    AdminAction::Destroy,
                    AdminSource::SupportAddress,
                    id.0,
                    &m.address,
                );
                crate::audit_log::record(c, &actor, change, now).await?;
                crate::error::found(mailboxes::delete(c, id).await?)
            })
        })
        .await?;
        self.refresh_mailboxes().await
    }

    /// Reloads the admin-managed addresses into this node's directory.
    pub async fn refresh_mailboxes(&self) -> Result<(), AppError> {
        self.reload_mailboxes().await.map(|_| ())
    }

    /// Rereads the mailboxes (secrets included), puts them in this node's
    /// directory, and returns those with an IMAP account (the fetcher's
    /// work list): one read for both.
    pub async fn reload_mailboxes(&self) -> Result<Vec<Mailbox>, AppError> {
        let mut rc = self.read().await?;
        let all = mailboxes::all(&mut rc.conn()).await?;
        self.mailboxes.replace(
            all.iter()
                .map(|m| MailboxEntry {
                    id: Some(m.id),
                    address: m.address.clone(),
                    name: m.name.clone(),
                    is_default: m.is_default,
                })
                .collect(),
        );
        Ok(all.into_iter().filter(|m| m.imap.is_some()).collect())
    }

    /// Takes or renews this node's right to fetch a mailbox.
    pub async fn lease_mailbox(
        &self,
        id: MailboxId,
        node: &str,
        for_secs: i64,
    ) -> Result<bool, AppError> {
        let node = node.to_string();
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                Ok(mailboxes::lease(c, id, &node, now, Timestamp(now.0 + for_secs)).await?)
            })
        })
        .await
    }

    /// Gives up this node's lease on a mailbox.
    pub async fn release_mailbox(&self, id: MailboxId, node: &str) -> Result<(), AppError> {
        let node = node.to_string();
        self.write(move |c| Box::pin(async move { Ok(mailboxes::release(c, id, &node).await?) }))
            .await
    }

    /// Records what the fetcher saw (shown on the admin page).
    pub async fn set_mailbox_status(&self, id: MailboxId, status: &str) -> Result<(), AppError> {
        let status = status.chars().take(500).collect::<String>();
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move { Ok(mailboxes::set_status(c, id, &status, now).await?) })
        })
        .await
    }

    /// Stores a message fetched over IMAP, once per (mailbox, UIDVALIDITY,
    /// UID), durably, before the fetcher flags or moves it on the server.
    /// Returns the stored message's id and whether it was new.
    pub async fn store_fetched_email(
        &self,
        mailbox: MailboxId,
        rcpt: String,
        uid_validity: i64,
        uid: i64,
        raw: Vec<u8>,
    ) -> Result<(domain::InboundEmailId, bool), AppError> {
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                if let Some(id) = mailboxes::fetched(c, mailbox, uid_validity, uid).await? {
                    return Ok((id, false));
                }
                let arrival = store::repo::email::Arrival {
                    rcpt_to: rcpt,
                    mailbox: Some(mailbox),
                    ..Default::default()
                };
                let id = store::repo::email::insert_raw(c, &arrival, &raw, now).await?;
                mailboxes::record_fetched(c, mailbox, uid_validity, uid, id).await?;
                Ok((id, true))
            })
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: i64, address: &str, default: bool) -> MailboxEntry {
        MailboxEntry {
            id: Some(MailboxId(id)),
            address: address.into(),
            name: format!("Name {id}"),
            is_default: default,
        }
    }

    #[test]
    fn directory_accepts_ours_and_picks_senders() {
        let d = MailboxDirectory::default();
        d.set_configured("support@example.com", "Soporte");
        d.replace(vec![
            entry(1, "ventas@shop.example", false),
            entry(2, "help@shop.example", true),
        ]);
        assert!(d.accepts("anything@example.com"));
        assert!(d.accepts("<Ventas+t1-abc@Shop.Example>"));
        assert!(!d.accepts("other@shop.example"));
        assert!(!d.accepts("x@elsewhere.example"));
        assert!(d.is_own_address("help@shop.example"));
        assert!(!d.is_own_address("anything@example.com"));
        assert_eq!(
            d.recipient_of(["x@elsewhere.example", "ventas@shop.example"]),
            Some("ventas@shop.example".into())
        );
        assert_eq!(
            d.recipient_of(["ayuda@example.com"]),
            Some("ayuda@example.com".into())
        );
        assert_eq!(
            d.sender_for(Some("ventas@shop.example")).map(|e| e.id),
            Some(Some(MailboxId(1)))
        );
        assert_eq!(d.sender_for(None).map(|e| e.id), Some(Some(MailboxId(2))));
        assert_eq!(
            d.sender_for(Some("ayuda@example.com")).map(|e| e.id),
            Some(Some(MailboxId(2)))
        );
    }
}
