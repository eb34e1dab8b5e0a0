//! Support addresses (mailboxes), their optional IMAP accounts, the lease
//! that gives one node the right to fetch an account, and the record of
//! which IMAP messages are already stored.

use super::map_rows;
use crate::{Conn, Row, StoreError, q};
pub use domain::model::mailboxes::{ImapAccount, Mailbox};
use domain::{AfterFetch, ImapSecurity, InboundEmailId, MailboxId, Secret, Timestamp};

const COLS: &str = "id, address, name, is_default, imap_host, imap_port, imap_security, imap_username, imap_password, imap_folder, imap_after, imap_move_to, \
                    imap_status, imap_checked_at, created_at, updated_at";

fn from_row(r: &Row) -> Result<Mailbox, StoreError> {
    let imap = match (r.opt_text(4)?, r.opt_word::<ImapSecurity>(6)?) {
        (Some(host), Some(security)) => Some(ImapAccount {
            host,
            port: r
                .opt_int(5)?
                .and_then(|p| u16::try_from(p).ok())
                .unwrap_or(security.default_port()),
            security,
            username: r.opt_text(7)?.unwrap_or_default(),
            password: Secret::new(r.opt_text(8)?.unwrap_or_default()),
            folder: r.text(9)?,
            after: r.word(10)?,
            move_to: r.opt_text(11)?,
        }),
        _ => None,
    };
    Ok(Mailbox {
        id: MailboxId(r.int(0)?),
        address: r.text(1)?,
        name: r.text(2)?,
        is_default: r.bool(3)?,
        imap,
        imap_status: r.opt_text(12)?,
        imap_checked_at: r.opt_int(13)?.map(Timestamp),
        created_at: Timestamp(r.int(14)?),
        updated_at: Timestamp(r.int(15)?),
    })
}

fn columns(query: crate::Query, m: &Mailbox) -> crate::Query {
    let imap = m.imap.as_ref();
    query
        .bind(m.address.as_str())
        .bind(m.name.as_str())
        .bind(m.is_default)
        .bind(imap.map(|i| i.host.clone()))
        .bind(imap.map(|i| i64::from(i.port)))
        .bind(imap.map(|i| i.security))
        .bind(imap.map(|i| i.username.clone()))
        .bind(imap.map(|i| i.password.expose().to_string()))
        .bind(imap.map_or("INBOX", |i| i.folder.as_str()))
        .bind(imap.map_or(AfterFetch::MarkSeen, |i| i.after))
        .bind(imap.and_then(|i| i.move_to.clone()))
        .bind(m.updated_at)
}

/// Inserts a mailbox; returns its id.
pub async fn insert(c: &mut Conn<'_>, m: &Mailbox) -> Result<MailboxId, StoreError> {
    let id = c
        .insert(
            columns(
                q("INSERT INTO mailboxes (address, name, is_default, imap_host, imap_port, imap_security, imap_username, imap_password, imap_folder, imap_after, \
                   imap_move_to, updated_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id"),
                m,
            )
            .bind(m.created_at),
        )
        .await?;
    Ok(MailboxId(id))
}

/// Writes every column but the fetcher's own (status, lease).
pub async fn update(c: &mut Conn<'_>, m: &Mailbox) -> Result<u64, StoreError> {
    c.exec(
        columns(
            q("UPDATE mailboxes SET address = $1, name = $2, is_default = $3, imap_host = $4, imap_port = $5, imap_security = $6, imap_username = $7, \
               imap_password = $8, imap_folder = $9, imap_after = $10, imap_move_to = $11, updated_at = $12, lease_until = NULL WHERE id = $13"),
            m,
        )
        .bind(m.id),
    )
    .await
}

/// Only one mailbox is the default.
pub async fn clear_default_except(c: &mut Conn<'_>, id: MailboxId) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE mailboxes SET is_default = $2 WHERE id <> $1 AND is_default = $3")
            .bind(id)
            .bind(false)
            .bind(true),
    )
    .await?;
    Ok(())
}

pub async fn delete(c: &mut Conn<'_>, id: MailboxId) -> Result<u64, StoreError> {
    c.exec(q("DELETE FROM mailboxes WHERE id = $1").bind(id))
        .await
}

pub async fn get(c: &mut Conn<'_>, id: MailboxId) -> Result<Option<Mailbox>, StoreError> {
    c.opt(q(format!("SELECT {COLS} FROM mailboxes WHERE id = $1")).bind(id))
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

pub async fn by_address(c: &mut Conn<'_>, address: &str) -> Result<Option<Mailbox>, StoreError> {
    c.opt(q(format!("SELECT {COLS} FROM mailboxes WHERE address = $1")).bind(address))
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// Every mailbox, the default first, then by address.
pub async fn all(c: &mut Conn<'_>) -> Result<Vec<Mailbox>, StoreError> {
    map_rows(
        c.all(q(format!(
            "SELECT {COLS} FROM mailboxes ORDER BY is_default DESC, address"
        )))
        .await?,
        from_row,
    )
}

/// Takes (or renews) the right to fetch a mailbox's IMAP account until
/// `until`; true when this node holds it. A lease that ran out (its node
/// died) can be taken by anyone.
pub async fn lease(
    c: &mut Conn<'_>,
    id: MailboxId,
    node: &str,
    now: Timestamp,
    until: Timestamp,
) -> Result<bool, StoreError> {
    let n = c
        .exec(
            q("UPDATE mailboxes SET lease_node = $2, lease_until = $4 WHERE id = $1 AND (lease_until IS NULL OR lease_until < $3 OR lease_node = $2)")
                .bind(id)
                .bind(node)
                .bind(now)
                .bind(until),
        )
        .await?;
    Ok(n == 1)
}

/// Gives a lease back (shutdown, or the account was changed).
pub async fn release(c: &mut Conn<'_>, id: MailboxId, node: &str) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE mailboxes SET lease_until = NULL WHERE id = $1 AND lease_node = $2")
            .bind(id)
            .bind(node),
    )
    .await?;
    Ok(())
}

/// What the fetcher last saw, for the admin page.
pub async fn set_status(
    c: &mut Conn<'_>,
    id: MailboxId,
    status: &str,
    at: Timestamp,
) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE mailboxes SET imap_status = $2, imap_checked_at = $3 WHERE id = $1")
            .bind(id)
            .bind(status)
            .bind(at),
    )
    .await?;
    Ok(())
}

/// The stored message for an IMAP message, if we stored it before.
pub async fn fetched(
    c: &mut Conn<'_>,
    id: MailboxId,
    uid_validity: i64,
    uid: i64,
) -> Result<Option<InboundEmailId>, StoreError> {
    c.opt(
        q("SELECT inbound_email_id FROM imap_fetched WHERE mailbox_id = $1 AND uid_validity = $2 AND uid = $3")
            .bind(id)
            .bind(uid_validity)
            .bind(uid),
    )
    .await?
    .map(|r| r.int(0).map(InboundEmailId))
    .transpose()
}

/// Remembers that an IMAP message is stored as `inbound`.
pub async fn record_fetched(
    c: &mut Conn<'_>,
    id: MailboxId,
    uid_validity: i64,
    uid: i64,
    inbound: InboundEmailId,
) -> Result<(), StoreError> {
    c.exec(
        q("INSERT INTO imap_fetched (mailbox_id, uid_validity, uid, inbound_email_id) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(uid_validity)
            .bind(uid)
            .bind(inbound),
    )
    .await?;
    Ok(())
}
