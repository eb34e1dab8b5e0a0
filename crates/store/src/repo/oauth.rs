//! OAuth clients, the codes a person's consent gives them, and the tokens
//! they were given. Secrets, codes and tokens are stored only as SHA-256
//! hashes.

use crate::{Conn, Row, StoreError, q};
use domain::oauth::{OAuthClient, OAuthToken, Scopes};
use domain::{OAuthClientId, Timestamp, TokenId, UserId};

const CLIENT_COLUMNS: &str = "id, name, identifier, kind, redirect_uris, company, description, user_id, created_at, updated_at";

fn client(r: &Row) -> Result<OAuthClient, StoreError> {
    Ok(OAuthClient {
        id: OAuthClientId(r.int(0)?),
        name: r.text(1)?,
        identifier: r.text(2)?,
        kind: r.word(3)?,
        redirect_uris: r
            .text(4)?
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        company: r.text(5)?,
        description: r.text(6)?,
        user_id: r.opt_int(7)?.map(UserId),
        created_at: Timestamp(r.int(8)?),
        updated_at: Timestamp(r.int(9)?),
    })
}

pub async fn insert_client(
    c: &mut Conn<'_>,
    x: &OAuthClient,
    secret_hash: &str,
) -> Result<OAuthClientId, StoreError> {
    c.insert(
        q("INSERT INTO oauth_clients (name, identifier, secret_hash, kind, redirect_uris, company, description, user_id, created_at, updated_at) \
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id")
        .bind(x.name.as_str())
        .bind(x.identifier.as_str())
        .bind(secret_hash)
        .bind(x.kind)
        .bind(x.redirect_uris.join("\n"))
        .bind(x.company.as_str())
        .bind(x.description.as_str())
        .bind(x.user_id)
        .bind(x.created_at)
        .bind(x.updated_at),
    )
    .await
    .map(OAuthClientId)
}

/// Every client, oldest first.
pub async fn clients(c: &mut Conn<'_>) -> Result<Vec<OAuthClient>, StoreError> {
    let rows = c
        .all(q(format!(
            "SELECT {CLIENT_COLUMNS} FROM oauth_clients ORDER BY id"
        )))
        .await?;
    rows.iter().map(client).collect()
}

pub async fn client_by_id(
    c: &mut Conn<'_>,
    id: OAuthClientId,
) -> Result<Option<OAuthClient>, StoreError> {
    let row = c
        .opt(
            q(format!(
                "SELECT {CLIENT_COLUMNS} FROM oauth_clients WHERE id = $1"
            ))
            .bind(id),
        )
        .await?;
    row.as_ref().map(client).transpose()
}

/// A client by what it sends as `client_id`, with its secret's hash.
pub async fn client_by_identifier(
    c: &mut Conn<'_>,
    identifier: &str,
) -> Result<Option<(OAuthClient, String)>, StoreError> {
    let row = c
        .opt(
            q(format!(
                "SELECT {CLIENT_COLUMNS}, secret_hash FROM oauth_clients WHERE identifier = $1"
            ))
            .bind(identifier),
        )
        .await?;
    match row {
        Some(r) => Ok(Some((client(&r)?, r.text(10)?))),
        None => Ok(None),
    }
}

pub async fn update_client(c: &mut Conn<'_>, x: &OAuthClient) -> Result<u64, StoreError> {
    c.exec(
        q("UPDATE oauth_clients SET name = $1, kind = $2, redirect_uris = $3, company = $4, description = $5, updated_at = $6 WHERE id = $7")
            .bind(x.name.as_str())
            .bind(x.kind)
            .bind(x.redirect_uris.join("\n"))
            .bind(x.company.as_str())
            .bind(x.description.as_str())
            .bind(x.updated_at)
            .bind(x.id),
    )
    .await
}

pub async fn set_client_secret(
    c: &mut Conn<'_>,
    id: OAuthClientId,
    secret_hash: &str,
    at: Timestamp,
) -> Result<u64, StoreError> {
    c.exec(
        q("UPDATE oauth_clients SET secret_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(secret_hash)
            .bind(at)
            .bind(id),
    )
    .await
}

/// Removes a client with its codes and tokens.
pub async fn delete_client(c: &mut Conn<'_>, id: OAuthClientId) -> Result<u64, StoreError> {
    c.exec(q("DELETE FROM api_tokens WHERE client_id = $1").bind(id))
        .await?;
    c.exec(q("DELETE FROM oauth_codes WHERE client_id = $1").bind(id))
        .await?;
    c.exec(q("DELETE FROM oauth_clients WHERE id = $1").bind(id))
        .await
}

/// Stores an OAuth token given to a client (or made on the command line).
pub async fn insert_token(
    c: &mut Conn<'_>,
    user: UserId,
    client: Option<OAuthClientId>,
    granted: Scopes,
    hash: &str,
    description: &str,
    at: Timestamp,
) -> Result<TokenId, StoreError> {
    c.insert(
        q("INSERT INTO api_tokens (user_id, kind, token_hash, description, created_at, client_id, scopes) VALUES ($1, 'oauth', $2, $3, $4, $5, $6) RETURNING id")
            .bind(user)
            .bind(hash)
            .bind(description)
            .bind(at)
            .bind(client)
            .bind(granted.joined()),
    )
    .await
    .map(TokenId)
}

const TOKEN_COLUMNS: &str = "id, user_id, client_id, scopes, created_at";

fn token(r: &Row) -> Result<OAuthToken, StoreError> {
    Ok(OAuthToken {
        id: TokenId(r.int(0)?),
        user_id: UserId(r.int(1)?),
        client_id: r.opt_int(2)?.map(OAuthClientId),
        scopes: Scopes::stored(&r.text(3)?),
        created_at: Timestamp(r.int(4)?),
    })
}

/// OAuth tokens, newest first: one person's or everyone's, of one client
/// or all.
pub async fn tokens(
    c: &mut Conn<'_>,
    user: Option<UserId>,
    client: Option<OAuthClientId>,
) -> Result<Vec<OAuthToken>, StoreError> {
    let mut sql = format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE kind = 'oauth'");
    let mut query_args: Vec<crate::Value> = Vec::new();
    if let Some(u) = user {
        query_args.push(u.into());
        sql.push_str(&format!(" AND user_id = ${}", query_args.len()));
    }
    if let Some(id) = client {
        query_args.push(id.into());
        sql.push_str(&format!(" AND client_id = ${}", query_args.len()));
    }
    sql.push_str(" ORDER BY id DESC LIMIT 1000");
    let mut query = q(sql);
    for a in query_args {
        query = query.bind(a);
    }
    let rows = c.all(query).await?;
    rows.iter().map(token).collect()
}

pub async fn token_by_id(c: &mut Conn<'_>, id: TokenId) -> Result<Option<OAuthToken>, StoreError> {
    let row = c
        .opt(
            q(format!(
                "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE kind = 'oauth' AND id = $1"
            ))
            .bind(id),
        )
        .await?;
    row.as_ref().map(token).transpose()
}

pub async fn token_by_hash(c: &mut Conn<'_>, hash: &str) -> Result<Option<OAuthToken>, StoreError> {
    let row = c
        .opt(
            q(format!(
                "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE kind = 'oauth' AND token_hash = $1"
            ))
            .bind(hash),
        )
        .await?;
    row.as_ref().map(token).transpose()
}

/// A code a person's consent gave a client.
#[derive(Debug, Clone)]
pub struct Grant {
    pub client_id: OAuthClientId,
    pub user_id: UserId,
    pub redirect_uri: String,
    pub scopes: Scopes,
    pub expires_at: Timestamp,
}

pub async fn insert_code(c: &mut Conn<'_>, hash: &str, g: &Grant) -> Result<u64, StoreError> {
    c.exec(
        q("INSERT INTO oauth_codes (code_hash, client_id, user_id, redirect_uri, scopes, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(hash)
            .bind(g.client_id)
            .bind(g.user_id)
            .bind(g.redirect_uri.as_str())
            .bind(g.scopes.joined())
            .bind(g.expires_at),
    )
    .await
}

/// Takes a code: it is removed as it is read, so it serves once.
pub async fn take_code(c: &mut Conn<'_>, hash: &str) -> Result<Option<Grant>, StoreError> {
    let row = c
        .opt(q("DELETE FROM oauth_codes WHERE code_hash = $1 RETURNING client_id, user_id, redirect_uri, scopes, expires_at").bind(hash))
        .await?;
    match row {
        Some(r) => Ok(Some(Grant {
            client_id: OAuthClientId(r.int(0)?),
            user_id: UserId(r.int(1)?),
            redirect_uri: r.text(2)?,
            scopes: Scopes::stored(&r.text(3)?),
            expires_at: Timestamp(r.int(4)?),
        })),
        None => Ok(None),
    }
}

/// Forgets codes that expired unused.
pub async fn drop_expired_codes(c: &mut Conn<'_>, now: Timestamp) -> Result<u64, StoreError> {
    c.exec(q("DELETE FROM oauth_codes WHERE expires_at < $1").bind(now))
        .await
}
