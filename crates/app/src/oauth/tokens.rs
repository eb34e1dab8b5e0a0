//! The tokens applications were given: listed by whose they are, read,
//! made by an admin for a client, revoked.

use super::new_secret;
use crate::auth::token_hash;
use crate::{App, AppError};
use domain::audit_log::{AdminAction, AdminChange, AdminSource};
use domain::oauth::{OAuthToken, Scopes};
use domain::policy::Capability;
use domain::{Actor, OAuthClientId, Timestamp, TokenId};
use store::repo::oauth as repo;

/// A token with its secret, shown this once.
#[derive(Debug, Clone)]
pub struct MadeToken {
    pub token: OAuthToken,
    pub secret: String,
}

/// One's own token, or anyone's for an admin; others' are not there.
fn may_see(actor: &Actor, t: &OAuthToken) -> Result<(), AppError> {
    if t.user_id == actor.user || Capability::ManageTokens.allowed(actor) {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

impl App {
    /// OAuth tokens: the caller's, or everyone's when an admin asks for
    /// `all`; of one client when named.
    pub async fn oauth_tokens(
        &self,
        actor: Actor,
        all: bool,
        client: Option<OAuthClientId>,
    ) -> Result<Vec<OAuthToken>, AppError> {
        let whose = if all {
            crate::error::require(&actor, Capability::ManageTokens)?;
            None
        } else {
            Some(actor.user)
        };
        let mut rc = self.read().await?;
        Ok(repo::tokens(&mut rc.conn(), whose, client).await?)
    }

    pub async fn oauth_token(&self, actor: Actor, id: TokenId) -> Result<OAuthToken, AppError> {
        let mut rc = self.read().await?;
        let t = repo::token_by_id(&mut rc.conn(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        may_see(&actor, &t)?;
        Ok(t)
    }

    /// The token the caller is using (`bearer`, as it came).
    pub async fn current_oauth_token(
        &self,
        actor: Actor,
        bearer: &str,
    ) -> Result<OAuthToken, AppError> {
        let mut rc = self.read().await?;
        let t = repo::token_by_hash(&mut rc.conn(), &token_hash(bearer))
            .await?
            .ok_or(AppError::NotFound)?;
        may_see(&actor, &t)?;
        Ok(t)
    }

    /// An admin makes a token for a client, to act as themselves.
    pub async fn create_oauth_token(
        &self,
        actor: Actor,
        client: OAuthClientId,
        scopes: Scopes,
    ) -> Result<MadeToken, AppError> {
        crate::error::require(&actor, Capability::ManageTokens)?;
        let (secret, hash) = new_secret(40);
        let now = Timestamp::now();
        let token = self
            .write(move |c| {
                Box::pin(async move {
                    let x = repo::client_by_id(c, client).await?.ok_or_else(|| {
                        AppError::field(crate::FieldError::invalid("client_id", "no such client"))
                    })?;
                    let id = repo::insert_token(
                        c,
                        actor.user,
                        Some(client),
                        scopes,
                        &hash,
                        &x.name,
                        now,
                    )
                    .await?;
                    let change =
                        AdminChange::new(AdminAction::Create, AdminSource::ApiToken, id.0, &x.name);
                    crate::audit_log::record(c, &actor, change, now).await?;
                    repo::token_by_id(c, id).await?.ok_or(AppError::NotFound)
                })
            })
            .await?;
        Ok(MadeToken { token, secret })
    }

    /// Revokes a token: one's own, or any for an admin.
    pub async fn revoke_oauth_token(&self, actor: Actor, id: TokenId) -> Result<(), AppError> {
        let now = Timestamp::now();
        let out = self
            .write(move |c| {
                Box::pin(async move {
                    let t = repo::token_by_id(c, id).await?.ok_or(AppError::NotFound)?;
                    may_see(&actor, &t)?;
                    crate::auth::delete_token(c, &actor, id, now).await
                })
            })
            .await;
        self.auth_cache.clear();
        out
    }
}
