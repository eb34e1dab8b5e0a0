//! Browser sessions: a hashed cookie token, the user, a CSRF token and an
//! expiry.

use crate::{Conn, StoreError, q};
use domain::model::SessionInfo;
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

/// The digits of a token hash a session's id is read from.
const ID_DIGITS: usize = 12;

fn session_id(hash: &str) -> i64 {
    i64::from_str_radix(hash.get(..ID_DIGITS).unwrap_or("0"), 16).unwrap_or(0)
}

/// The live sessions, of one user or everyone's, newest first (at most
/// 1,000).
pub async fn live(
    c: &mut Conn<'_>,
    user: Option<UserId>,
    now: Timestamp,
) -> Result<Vec<SessionInfo>, StoreError> {
    let query = match user {
        Some(u) => q(
            "SELECT token_hash, user_id, created_at, expires_at FROM sessions \
                      WHERE expires_at > $1 AND user_id = $2 ORDER BY created_at DESC LIMIT 1000",
        )
        .bind(now)
        .bind(u),
        None => q(
            "SELECT token_hash, user_id, created_at, expires_at FROM sessions \
                   WHERE expires_at > $1 ORDER BY created_at DESC LIMIT 1000",
        )
        .bind(now),
    };
    c.all(query)
        .await?
        .iter()
        .map(|r| {
            Ok(SessionInfo {
                id: session_id(&r.text(0)?),
                user: UserId(r.int(1)?),
                created_at: Timestamp(r.int(2)?),
                expires_at: Timestamp(r.int(3)?),
            })
        })
        .collect()
}

/// Ends the user's session with this id; whether there was one.
pub async fn delete_by_id(c: &mut Conn<'_>, user: UserId, id: i64) -> Result<bool, StoreError> {
    let hashes: Vec<String> = c
        .all(q("SELECT token_hash FROM sessions WHERE user_id = $1").bind(user))
        .await?
        .iter()
        .map(|r| r.text(0))
        .collect::<Result<_, _>>()?;
    let Some(hash) = hashes.into_iter().find(|h| session_id(h) == id) else {
        return Ok(false);
    };
    delete(c, &hash).await?;
    Ok(true)
}
