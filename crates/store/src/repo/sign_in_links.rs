//! One-time sign-in links for the customer portal (only the token's hash
//! is stored).

use crate::{Conn, StoreError, q};
use domain::{Timestamp, UserId};

pub async fn insert(
    c: &mut Conn<'_>,
    hash: &str,
    user: UserId,
    email: &str,
    network: &str,
    now: Timestamp,
    expires: Timestamp,
) -> Result<(), StoreError> {
    c.exec(
        q("INSERT INTO sign_in_links (token_hash, user_id, email, network, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(hash)
            .bind(user)
            .bind(email)
            .bind(network)
            .bind(now)
            .bind(expires),
    )
    .await?;
    Ok(())
}

/// Links asked for an address, and by a network, since a time.
pub async fn asked_since(
    c: &mut Conn<'_>,
    email: &str,
    network: &str,
    since: Timestamp,
) -> Result<(i64, i64), StoreError> {
    let by_address = c
        .scalar(
            q("SELECT COUNT(*) FROM sign_in_links WHERE email = $1 AND created_at >= $2")
                .bind(email)
                .bind(since),
        )
        .await?;
    let by_network = c
        .scalar(
            q("SELECT COUNT(*) FROM sign_in_links WHERE network = $1 AND created_at >= $2")
                .bind(network)
                .bind(since),
        )
        .await?;
    Ok((by_address, by_network))
}

/// The user a live, unused link signs in, and the address it went to.
pub async fn peek(
    c: &mut Conn<'_>,
    hash: &str,
    now: Timestamp,
) -> Result<Option<(UserId, String)>, StoreError> {
    let row = c
        .opt(
            q("SELECT user_id, email FROM sign_in_links WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2")
                .bind(hash)
                .bind(now),
        )
        .await?;
    row.map(|r| Ok((UserId(r.int(0)?), r.text(1)?))).transpose()
}

/// Uses a link up: the user it signs in, once; `None` for a link that is
/// unknown, used or expired (two clicks at once: one wins).
pub async fn redeem(
    c: &mut Conn<'_>,
    hash: &str,
    now: Timestamp,
) -> Result<Option<(UserId, String)>, StoreError> {
    let found = peek(c, hash, now).await?;
    if found.is_none() {
        return Ok(None);
    }
    let taken = c
        .exec(
            q("UPDATE sign_in_links SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2")
                .bind(hash)
                .bind(now),
        )
        .await?;
    Ok(found.filter(|_| taken == 1))
}

/// Forgets links that expired a day ago or more.
pub async fn delete_old(c: &mut Conn<'_>, before: Timestamp) -> Result<u64, StoreError> {
    c.exec(q("DELETE FROM sign_in_links WHERE expires_at < $1").bind(before))
        .await
}
