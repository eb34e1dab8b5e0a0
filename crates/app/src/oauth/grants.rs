//! How applications get tokens: a person's consent gives a one-time code
//! (two minutes, for the address the application registered), which the
//! application trades with its secret; or a confidential application
//! trades its credentials for a token acting as the admin who registered
//! it. Failures are RFC 6749's.

use super::new_secret;
use crate::auth::{same_secret, token_hash};
use crate::{App, AppError};
use domain::oauth::{ClientKind, OAuthClient, Scopes};
use domain::{Actor, Timestamp};
use store::repo::oauth::{self as repo, Grant};

/// How long a code may wait to be traded.
const CODE_SECS: i64 = 120;

/// Why a grant was refused, in RFC 6749's words (`error`).
#[derive(Debug)]
pub enum GrantError {
    /// A parameter is missing or malformed.
    InvalidRequest(String),
    /// Unknown client or wrong secret.
    InvalidClient,
    /// The code is unknown, used, expired, or for another address.
    InvalidGrant(String),
    /// This client may not use this grant.
    UnauthorizedClient(String),
    InvalidScope(String),
    UnsupportedGrantType,
    App(AppError),
}

impl GrantError {
    /// RFC 6749's `error` code.
    pub fn code(&self) -> &'static str {
        match self {
            GrantError::InvalidRequest(_) => "invalid_request",
            GrantError::InvalidClient => "invalid_client",
            GrantError::InvalidGrant(_) => "invalid_grant",
            GrantError::UnauthorizedClient(_) => "unauthorized_client",
            GrantError::InvalidScope(_) => "invalid_scope",
            GrantError::UnsupportedGrantType => "unsupported_grant_type",
            GrantError::App(_) => "server_error",
        }
    }

    /// What a person reading it needs to know.
    pub fn description(&self) -> String {
        match self {
            GrantError::InvalidRequest(w)
            | GrantError::InvalidGrant(w)
            | GrantError::UnauthorizedClient(w)
            | GrantError::InvalidScope(w) => w.clone(),
            GrantError::InvalidClient => "client authentication failed".into(),
            GrantError::UnsupportedGrantType => {
                "grant_type must be authorization_code or client_credentials".into()
            }
            GrantError::App(_) => "the token could not be made; try again".into(),
        }
    }
}

impl From<AppError> for GrantError {
    fn from(e: AppError) -> Self {
        GrantError::App(e)
    }
}

impl From<store::StoreError> for GrantError {
    fn from(e: store::StoreError) -> Self {
        GrantError::App(e.into())
    }
}

/// A token given out: its secret (shown once) and scopes.
#[derive(Debug, Clone)]
pub struct Granted {
    pub access_token: String,
    pub scopes: Scopes,
}

/// Scopes as asked (`read write` when not said).
fn scopes_asked(raw: Option<&str>) -> Result<Scopes, GrantError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(Scopes::ALL),
        Some(s) => Scopes::parse(s).map_err(GrantError::InvalidScope),
    }
}

impl App {
    /// The application a consent page asks about, checked: it exists and
    /// the address it wants people sent back to is one it registered.
    /// `None` when the address cannot be trusted (the page then says so
    /// instead of sending anyone anywhere).
    pub async fn oauth_consent_request(
        &self,
        identifier: &str,
        redirect_uri: &str,
    ) -> Result<Option<OAuthClient>, AppError> {
        let mut rc = self.read().await?;
        let found = repo::client_by_identifier(&mut rc.conn(), identifier).await?;
        Ok(found
            .map(|(x, _)| x)
            .filter(|x| x.redirect_uris.iter().any(|u| u == redirect_uri)))
    }

    /// A signed-in person lets an application act for them: a one-time
    /// code for the address it registered.
    pub async fn grant_oauth_code(
        &self,
        actor: Actor,
        identifier: &str,
        redirect_uri: &str,
        scope: Option<&str>,
    ) -> Result<String, GrantError> {
        let scopes = scopes_asked(scope)?;
        let client = self
            .oauth_consent_request(identifier, redirect_uri)
            .await?
            .ok_or_else(|| GrantError::InvalidRequest("unknown client or address".into()))?;
        let (code, hash) = new_secret(40);
        let now = Timestamp::now();
        let grant = Grant {
            client_id: client.id,
            user_id: actor.user,
            redirect_uri: redirect_uri.to_string(),
            scopes,
            expires_at: Timestamp(now.0 + CODE_SECS),
        };
        self.write(move |c| {
            Box::pin(async move {
                repo::drop_expired_codes(c, now).await?;
                repo::insert_code(c, &hash, &grant).await?;
                Ok(())
            })
        })
        .await?;
        Ok(code)
    }

    /// The client named, if its secret is right.
    async fn authenticated_client(
        &self,
        identifier: &str,
        secret: &str,
    ) -> Result<OAuthClient, GrantError> {
        let mut rc = self.read().await?;
        let (client, hash) = repo::client_by_identifier(&mut rc.conn(), identifier)
            .await?
            .ok_or(GrantError::InvalidClient)?;
        if same_secret(&token_hash(secret), &hash) {
            Ok(client)
        } else {
            Err(GrantError::InvalidClient)
        }
    }

    /// Trades a code for a token (`grant_type=authorization_code`).
    pub async fn exchange_oauth_code(
        &self,
        identifier: &str,
        secret: &str,
        code: &str,
        redirect_uri: &str,
    ) -> Result<Granted, GrantError> {
        let client = self.authenticated_client(identifier, secret).await?;
        let (access_token, hash) = new_secret(40);
        let now = Timestamp::now();
        let (code_hash, redirect_uri) = (token_hash(code), redirect_uri.to_string());
        let name = client.name.clone();
        let scopes = self
            .write(move |c| {
                Box::pin(async move {
                    // Taken as it is read: a code serves once, even when
                    // the rest is refused.
                    let Some(g) = repo::take_code(c, &code_hash).await? else {
                        return Ok(Err("the code is unknown or was used"));
                    };
                    if g.client_id != client.id || g.redirect_uri != redirect_uri {
                        return Ok(Err("the code was given to another client or address"));
                    }
                    if g.expires_at.0 < now.0 {
                        return Ok(Err("the code expired"));
                    }
                    repo::insert_token(c, g.user_id, Some(client.id), g.scopes, &hash, &name, now)
                        .await?;
                    Ok(Ok(g.scopes))
                })
            })
            .await?
            .map_err(|why| GrantError::InvalidGrant(why.into()))?;
        Ok(Granted {
            access_token,
            scopes,
        })
    }

    /// A confidential client's own token, acting as the admin who
    /// registered it (`grant_type=client_credentials`).
    pub async fn oauth_client_credentials(
        &self,
        identifier: &str,
        secret: &str,
        scope: Option<&str>,
    ) -> Result<Granted, GrantError> {
        let scopes = scopes_asked(scope)?;
        let client = self.authenticated_client(identifier, secret).await?;
        if client.kind != ClientKind::Confidential {
            return Err(GrantError::UnauthorizedClient(
                "a public client cannot keep a secret: it asks a person instead".into(),
            ));
        }
        let owner = client.user_id.ok_or_else(|| {
            GrantError::UnauthorizedClient("the admin who registered this client is gone".into())
        })?;
        let (access_token, hash) = new_secret(40);
        let now = Timestamp::now();
        let issued = self
            .write(move |c| {
                Box::pin(async move {
                    let admin = store::repo::users::get(c, owner)
                        .await?
                        .is_some_and(|u| u.active && u.role == domain::Role::Admin);
                    if admin {
                        repo::insert_token(
                            c,
                            owner,
                            Some(client.id),
                            scopes,
                            &hash,
                            &client.name,
                            now,
                        )
                        .await?;
                    }
                    Ok(admin)
                })
            })
            .await?;
        if !issued {
            return Err(GrantError::UnauthorizedClient(
                "the admin who registered this client is no longer an active admin".into(),
            ));
        }
        Ok(Granted {
            access_token,
            scopes,
        })
    }
}
