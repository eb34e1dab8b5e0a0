//! A person's identities (email addresses, phones, messaging ids): who
//! may add, verify, make primary or delete them (`domain::policy`).

use super::{subject, user_event, validate_email};
use crate::{App, AppError, FieldError};
use domain::policy::{self, IdentityRights};
use domain::{Actor, IdentityId, IdentityKind, Timestamp, UserId};
use store::model::{Identity, User};
use store::repo::users;

impl App {
    /// The identities of a user.
    pub async fn identities(&self, actor: Actor, user: UserId) -> Result<Vec<Identity>, AppError> {
        self.user(actor, user).await?;
        let mut rc = self.read().await?;
        Ok(users::identities(&mut rc.conn(), user).await?)
    }

    /// Adds an identity (email, phone, a messaging id) to a user.
    pub async fn add_identity(
        &self,
        actor: Actor,
        user: UserId,
        kind: IdentityKind,
        value: &str,
        verified: bool,
    ) -> Result<Identity, AppError> {
        let value = match kind {
            IdentityKind::Email => validate_email(value)?,
            _ if value.trim().is_empty() => {
                return Err(AppError::field(FieldError::blank("value")));
            }
            _ => domain::user::normalize_identity(kind, value).ok_or_else(|| {
                AppError::field(FieldError::invalid(
                    "value",
                    format!("{value:?} is not a valid {}", kind.as_str()),
                ))
            })?,
        };
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let u = users::get(c, user).await?.ok_or(AppError::NotFound)?;
                let rights = identity_rights(&actor, &u)?;
                if users::by_identity(c, kind, &value).await?.is_some() {
                    return Err(AppError::field(FieldError::duplicate("value", &value)));
                }
                // Only a full right verifies: one's own new address is
                // unverified until someone who may vouch for it does.
                let verified = verified && rights == IdentityRights::Full;
                let ident = users::add_identity(c, user, kind, &value, verified, now).await?;
                if kind == IdentityKind::Email && u.email.is_none() {
                    let mut u = u;
                    u.email = Some(value);
                    u.updated_at = now;
                    users::update(c, &u).await?;
                }
                store::events::append(
                    c,
                    user_event(
                        user,
                        store::events::EventKind::Updated,
                        Some(actor.user),
                        now,
                    ),
                )
                .await?;
                Ok(ident)
            })
        })
        .await
    }

    /// Changes one identity: make it primary, verify it, or delete it.
    pub async fn change_identity(
        &self,
        actor: Actor,
        user: UserId,
        id: IdentityId,
        change: IdentityChange,
    ) -> Result<Option<Identity>, AppError> {
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let owner = users::get(c, user).await?.ok_or(AppError::NotFound)?;
                let rights = identity_rights(&actor, &owner)?;
                let ident = users::identity(c, id)
                    .await?
                    .filter(|i| i.user_id == user)
                    .ok_or(AppError::NotFound)?;
                let own = rights == IdentityRights::Own;
                match change {
                    IdentityChange::MakePrimary if own && !ident.verified => {
                        return Err(AppError::forbidden(
                            "only a verified identity can become primary",
                        ));
                    }
                    IdentityChange::MakePrimary => users::make_primary(c, &ident, now).await?,
                    IdentityChange::Verify if own => {
                        return Err(AppError::forbidden("you cannot verify your own identity"));
                    }
                    IdentityChange::Verify => users::set_identity_verified(c, id, now).await?,
                    IdentityChange::Delete if ident.primary && own => {
                        return Err(AppError::forbidden(
                            "make another verified identity primary before deleting this one",
                        ));
                    }
                    IdentityChange::Delete => users::delete_identity(c, id).await?,
                }
                if ident.kind == IdentityKind::Email
                    && let Some(mut u) = users::get(c, user).await?
                {
                    u.email = users::primary_email(c, user).await?;
                    u.updated_at = now;
                    users::update(c, &u).await?;
                }
                store::events::append(
                    c,
                    user_event(
                        user,
                        store::events::EventKind::Updated,
                        Some(actor.user),
                        now,
                    ),
                )
                .await?;
                Ok(users::identity(c, id).await?)
            })
        })
        .await
    }
}

/// What `actor` may do with `owner`'s identities; none is not found for
/// someone the caller cannot see, forbidden otherwise.
fn identity_rights(actor: &Actor, owner: &User) -> Result<IdentityRights, AppError> {
    match policy::identity_rights(actor, subject(owner)) {
        IdentityRights::None if !policy::may_see_user(actor, subject(owner)) => {
            Err(AppError::NotFound)
        }
        IdentityRights::None => Err(AppError::forbidden(
            "only admins change the identities of agents and admins",
        )),
        r => Ok(r),
    }
}

/// What to do to an identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityChange {
    MakePrimary,
    Verify,
    Delete,
}
