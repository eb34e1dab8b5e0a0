//! The applications admins register.

use super::new_secret;
use crate::audit_log::note;
use crate::{App, AppError, FieldError};
use domain::audit_log::{AdminAction, AdminSource};
use domain::oauth::{ClientKind, OAuthClient, acceptable_redirect};
use domain::policy::Capability;
use domain::{Actor, OAuthClientId, Timestamp};
use store::repo::oauth as repo;

/// What an admin gives for a client; `None` keeps what is there.
#[derive(Debug, Clone, Default)]
pub struct ClientInput {
    pub name: Option<String>,
    /// What the application sends as `client_id`: letters, digits, `_`
    /// and `-`, chosen once.
    pub identifier: Option<String>,
    pub kind: Option<ClientKind>,
    pub redirect_uris: Option<Vec<String>>,
    pub company: Option<String>,
    pub description: Option<String>,
}

/// A client with its secret, shown this once.
#[derive(Debug, Clone)]
pub struct MadeClient {
    pub client: OAuthClient,
    pub secret: String,
}

/// Checks and applies an input to a client.
fn apply(x: &mut OAuthClient, input: ClientInput) -> Result<(), AppError> {
    let mut errors = Vec::new();
    if let Some(name) = input.name {
        let name = name.trim().to_string();
        if name.is_empty() {
            errors.push(FieldError::blank("name"));
        }
        x.name = name;
    }
    if let Some(kind) = input.kind {
        x.kind = kind;
    }
    if let Some(uris) = input.redirect_uris {
        let uris: Vec<String> = uris
            .into_iter()
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty())
            .collect();
        if let Some(bad) = uris.iter().find(|u| !acceptable_redirect(u)) {
            errors.push(FieldError::invalid(
                "redirect_uri",
                format!("{bad:?}: an https:// address, or http:// on localhost, without #"),
            ));
        }
        x.redirect_uris = uris;
    }
    if let Some(company) = input.company {
        x.company = company.trim().to_string();
    }
    if let Some(description) = input.description {
        x.description = description.trim().to_string();
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(errors))
    }
}

fn identifier_of(raw: Option<String>) -> Result<String, AppError> {
    let id = raw.unwrap_or_default().trim().to_string();
    let fine = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if fine {
        Ok(id)
    } else {
        Err(AppError::field(FieldError::invalid(
            "identifier",
            "letters, digits, _ and - (at most 64)",
        )))
    }
}

impl App {
    /// Every registered application (admins).
    pub async fn oauth_clients(&self, actor: Actor) -> Result<Vec<OAuthClient>, AppError> {
        crate::error::require(&actor, Capability::ManageTokens)?;
        let mut rc = self.read().await?;
        Ok(repo::clients(&mut rc.conn()).await?)
    }

    pub async fn oauth_client(
        &self,
        actor: Actor,
        id: OAuthClientId,
    ) -> Result<OAuthClient, AppError> {
        crate::error::require(&actor, Capability::ManageTokens)?;
        let mut rc = self.read().await?;
        repo::client_by_id(&mut rc.conn(), id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Registers an application; its secret is in the answer only.
    pub async fn create_oauth_client(
        &self,
        actor: Actor,
        mut input: ClientInput,
    ) -> Result<MadeClient, AppError> {
        crate::error::require(&actor, Capability::ManageTokens)?;
        let identifier = identifier_of(input.identifier.take())?;
        let now = Timestamp::now();
        let mut x = OAuthClient {
            id: OAuthClientId(0),
            name: String::new(),
            identifier,
            kind: ClientKind::Confidential,
            redirect_uris: Vec::new(),
            company: String::new(),
            description: String::new(),
            user_id: Some(actor.user),
            created_at: now,
            updated_at: now,
        };
        if input.name.is_none() {
            return Err(AppError::field(FieldError::blank("name")));
        }
        apply(&mut x, input)?;
        let (secret, hash) = new_secret(48);
        let client = self
            .write(move |c| {
                Box::pin(async move {
                    if repo::client_by_identifier(c, &x.identifier)
                        .await?
                        .is_some()
                    {
                        return Err(AppError::field(FieldError::invalid(
                            "identifier",
                            "another client has it",
                        )));
                    }
                    x.id = repo::insert_client(c, &x, &hash).await?;
                    note(
                        c,
                        &actor,
                        AdminAction::Create,
                        AdminSource::OAuthClient,
                        x.id.0,
                        &x.name,
                        now,
                    )
                    .await?;
                    Ok(x)
                })
            })
            .await?;
        Ok(MadeClient { client, secret })
    }

    /// Changes a client (its identifier stays).
    pub async fn update_oauth_client(
        &self,
        actor: Actor,
        id: OAuthClientId,
        input: ClientInput,
    ) -> Result<OAuthClient, AppError> {
        crate::error::require(&actor, Capability::ManageTokens)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let mut x = repo::client_by_id(c, id).await?.ok_or(AppError::NotFound)?;
                apply(&mut x, input)?;
                x.updated_at = now;
                repo::update_client(c, &x).await?;
                note(
                    c,
                    &actor,
                    AdminAction::Update,
                    AdminSource::OAuthClient,
                    x.id.0,
                    &x.name,
                    now,
                )
                .await?;
                Ok(x)
            })
        })
        .await
    }

    /// Gives a client a new secret (the old one stops working at once).
    pub async fn regenerate_oauth_secret(
        &self,
        actor: Actor,
        id: OAuthClientId,
    ) -> Result<MadeClient, AppError> {
        crate::error::require(&actor, Capability::ManageTokens)?;
        let (secret, hash) = new_secret(48);
        let now = Timestamp::now();
        let client = self
            .write(move |c| {
                Box::pin(async move {
                    let mut x = repo::client_by_id(c, id).await?.ok_or(AppError::NotFound)?;
                    repo::set_client_secret(c, id, &hash, now).await?;
                    x.updated_at = now;
                    note(
                        c,
                        &actor,
                        AdminAction::Update,
                        AdminSource::OAuthClient,
                        x.id.0,
                        &x.name,
                        now,
                    )
                    .await?;
                    Ok(x)
                })
            })
            .await?;
        Ok(MadeClient { client, secret })
    }

    /// Removes a client and every token given to it.
    pub async fn delete_oauth_client(
        &self,
        actor: Actor,
        id: OAuthClientId,
    ) -> Result<(), AppError> {
        crate::error::require(&actor, Capability::ManageTokens)?;
        let now = Timestamp::now();
        let out = self
            .write(move |c| {
                Box::pin(async move {
                    let x = repo::client_by_id(c, id).await?.ok_or(AppError::NotFound)?;
                    repo::delete_client(c, id).await?;
                    note(
                        c,
                        &actor,
                        AdminAction::Destroy,
                        AdminSource::OAuthClient,
                        x.id.0,
                        &x.name,
                        now,
                    )
                    .await
                })
            })
            .await;
        self.auth_cache.clear();
        out
    }
}
