//! API and OAuth tokens, stored only as SHA-256 hashes.

use crate::{Conn, StoreError, q};
pub use domain::user::TokenKind;
use domain::{Timestamp, TokenId, UserId};

pub async fn insert(
    c: &mut Conn<'_>,
    user: UserId,
    kind: TokenKind,
    hash: &str,
    description: &str,
    at: Timestamp,
) -> Result<TokenId, StoreError> {
    c.insert(
        q("INSERT INTO api_tokens (user_id, kind, token_hash, description, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(user)
            .bind(kind.as_str())
            .bind(hash)
            .bind(description)
            .bind(at),
    )
    .await
    .map(TokenId)
}

/// A token's user as a caller, and whether the user is active.
fn token_actor(r: &crate::Row) -> Result<(domain::Actor, bool), StoreError> {
    let role: domain::Role = r.word(1)?;
    Ok((
        domain::Actor {
            user: UserId(r.int(0)?),
            role,
            org: r.opt_int(2)?.map(domain::OrgId),
            restricted: r.bool(4)? && role == domain::Role::Agent,
        },
        r.bool(3)?,
    ))
}

/// Who an API token belongs to, if `email` is one of that user's email
/// identities, in one query.
pub async fn api_token_user(
    c: &mut Conn<'_>,
    email: &str,
    hash: &str,
) -> Result<Option<(domain::Actor, bool)>, StoreError> {
    let row = c
        .opt(q("SELECT u.id, u.role, u.organization_id, u.active, u.restricted_to_groups FROM api_tokens t JOIN users u ON u.id = t.user_id \
                WHERE t.token_hash = $1 AND t.kind = 'api' AND EXISTS (SELECT 1 FROM identities i WHERE i.user_id = u.id AND i.kind = 'email' AND i.value = $2)")
        .bind(hash)
        .bind(email))
        .await?;
    row.as_ref().map(token_actor).transpose()
}

/// Who an OAuth token belongs to (as a caller, and whether active) and
/// what its scopes let it do.
pub async fn oauth_token_user(
    c: &mut Conn<'_>,
    hash: &str,
) -> Result<Option<(domain::Actor, bool, domain::oauth::Scopes)>, StoreError> {
    let row = c
        .opt(q("SELECT u.id, u.role, u.organization_id, u.active, u.restricted_to_groups, t.scopes FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.kind = 'oauth'").bind(hash))
        .await?;
    let Some(r) = row else {
        return Ok(None);
    };
    let (actor, active) = token_actor(&r)?;
    Ok(Some((
        actor,
        active,
        domain::oauth::Scopes::stored(&r.text(5)?),
    )))
}

/// A token as listed for admins (never the secret, which is not stored).
#[derive(Debug, Clone)]
pub struct TokenRow {
    pub id: TokenId,
    pub user_id: UserId,
    pub email: Option<String>,
    pub kind: TokenKind,
    pub description: String,
    pub created_at: Timestamp,
}

/// Every token, newest first.
pub async fn list(c: &mut Conn<'_>, limit: i64) -> Result<Vec<TokenRow>, StoreError> {
    let rows = c
        .all(q("SELECT t.id, t.user_id, u.email, t.kind, t.description, t.created_at FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.id DESC LIMIT $1").bind(limit))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(TokenRow {
                id: TokenId(r.int(0)?),
                user_id: UserId(r.int(1)?),
                email: r.opt_text(2)?,
                kind: r.word(3)?,
                description: r.text(4)?,
                created_at: Timestamp(r.int(5)?),
            })
        })
        .collect()
}

/// Revokes a token; how many were removed.
pub async fn delete(c: &mut Conn<'_>, id: TokenId) -> Result<u64, StoreError> {
    c.exec(q("DELETE FROM api_tokens WHERE id = $1").bind(id))
        .await
}
