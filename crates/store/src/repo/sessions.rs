//! Browser sessions: a hashed cookie token, the user, a CSRF token and an
//! expiry.

use crate::{Conn, StoreError, q};
use domain::{OrgId, Role, Timestamp, UserId};

/// What a live session resolves to.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub user: UserId,
    pub role: Role,
    pub org: Option<OrgId>,
    pub active: bool,
    pub restricted: bool,
    pub csrf: String,
    pub name: String,
    pub locale: String,
    pub time_zone: String,
}

pub async fn insert(
    c: &mut Conn<'_>,
    hash: &str,
    user: UserId,
    csrf: &str,
    now: Timestamp,
    expires: Timestamp,
) -> Result<(), StoreError> {
    c.exec(
        q("INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(hash)
            .bind(user)
            .bind(csrf)
            .bind(now)
            .bind(expires),
    )
    .await?;
    Ok(())
}

/// The session behind a token hash, if it has not expired.
pub async fn get(
    c: &mut Conn<'_>,
    hash: &str,
    now: Timestamp,
) -> Result<Option<SessionRow>, StoreError> {
    let row = c
        .opt(q("SELECT u.id, u.role, u.organization_id, u.active, s.csrf, u.name, u.locale, u.time_zone, u.restricted_to_groups \
                FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2")
            .bind(hash)
            .bind(now))
        .await?;
    row.map(|r| {
        Ok(SessionRow {
            user: UserId(r.int(0)?),
            role: r.word(1)?,
            org: r.opt_int(2)?.map(OrgId),
            active: r.bool(3)?,
            csrf: r.text(4)?,
            name: r.text(5)?,
            locale: r.text(6)?,
            time_zone: r.text(7)?,
            restricted: r.bool(8)?,
        })
    })
    .transpose()
}

pub async fn delete(c: &mut Conn<'_>, hash: &str) -> Result<(), StoreError> {
    c.exec(q("DELETE FROM sessions WHERE token_hash = $1").bind(hash))
        .await?;
    Ok(())
}

/// Drops expired sessions (run now and then by logins).
pub async fn delete_expired(c: &mut Conn<'_>, now: Timestamp) -> Result<(), StoreError> {
    c.exec(q("DELETE FROM sessions WHERE expires_at <= $1").bind(now))
        .await?;
    Ok(())
}

/// Ends every session of a user (deactivated, or password changed).
pub async fn delete_for_user(c: &mut Conn<'_>, user: UserId) -> Result<(), StoreError> {
    c.exec(q("DELETE FROM sessions WHERE user_id = $1").bind(user))
        .await?;
    Ok(())
}
