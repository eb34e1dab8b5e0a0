//! Zendesk's sessions API: the browser sessions signed in now, listed for
//! admins (everyone's) and for each person (their own), and ended one at
//! a time or all of a person's at once.

use crate::{App, AppError};
use domain::model::SessionInfo;
use domain::{Actor, Timestamp, UserId};
use store::repo::sessions;

/// Only the person or an admin sees and ends someone's sessions.
fn own_or_admin(actor: &Actor, user: UserId) -> Result<(), AppError> {
    if actor.user == user || actor.is_admin() {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

impl App {
    /// Live sessions: one person's, or everyone's (`None`, admins).
    pub async fn live_sessions(
        &self,
        actor: Actor,
        user: Option<UserId>,
    ) -> Result<Vec<SessionInfo>, AppError> {
        match user {
            Some(u) => own_or_admin(&actor, u)?,
            None => crate::error::require(&actor, domain::policy::Capability::DeactivateUsers)?,
        }
        let mut rc = self.read().await?;
        Ok(sessions::live(&mut rc.conn(), user, Timestamp::now()).await?)
    }

    /// Ends one of a person's sessions.
    pub async fn end_session(&self, actor: Actor, user: UserId, id: i64) -> Result<(), AppError> {
        own_or_admin(&actor, user)?;
        let ended = self
            .write(move |c| Box::pin(async move { Ok(sessions::delete_by_id(c, user, id).await?) }))
            .await?;
        if ended {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }

    /// Ends every session of a person: signed out everywhere.
    pub async fn end_sessions(&self, actor: Actor, user: UserId) -> Result<(), AppError> {
        own_or_admin(&actor, user)?;
        self.write(move |c| Box::pin(async move { Ok(sessions::delete_for_user(c, user).await?) }))
            .await
    }
}
