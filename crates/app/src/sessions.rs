//! Browser sessions: sign in with email and password, a random cookie
//! token (only its hash is stored), a CSRF token per session, sign out.
//! One session table for the workspace (staff only) and the customer
//! portal (anyone with an account; see `portal` for emailed links).

use crate::auth::{Credentials, random_token, token_hash};
use crate::{App, AppError};
use domain::{Actor, Timestamp};
use store::repo::sessions;

/// How long a session lasts without signing in again.
const SESSION_SECS: i64 = 7 * 86_400;

/// The session cookie's name: the workspace sets it, the help center
/// site reads it (a signed-in reader sees what is for them).
pub const SESSION_COOKIE: &str = "atiende_session";

/// A signed-in agent, as every page needs them.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub actor: Actor,
    pub csrf: String,
    pub name: String,
    /// The agent's language setting (`es`, `en-US`, ...).
    pub locale: String,
    pub time_zone: String,
}

/// Why a sign-in failed, for the message the page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginRefused {
    /// Unknown email, wrong password or deactivated user: one answer for all.
    BadCredentials,
    /// A customer account: the workspace is for agents.
    NotStaff,
    /// Too many failed attempts: wait this many seconds.
    TooManyAttempts(u64),
}

impl App {
    /// Checks an email and password and opens a session; returns the cookie
    /// token (shown to the browser once, stored hashed).
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        client: crate::guard::Client,
        known_device: bool,
    ) -> Result<Result<String, LoginRefused>, AppError> {
        let creds = Credentials::Basic {
            user: email.trim().to_string(),
            secret: password.to_string(),
        };
        let actor = match self.authenticate(&creds, client, known_device).await {
            Ok(a) => a,
            Err(AppError::Unauthorized) => return Ok(Err(LoginRefused::BadCredentials)),
            Err(AppError::TooManyAttempts(s)) => return Ok(Err(LoginRefused::TooManyAttempts(s))),
            Err(e) => return Err(e),
        };
        if !domain::policy::Capability::WorkTheDesk.allowed(&actor) {
            return Ok(Err(LoginRefused::NotStaff));
        }
        Ok(Ok(self.open_session(actor.user).await?))
    }

    /// The customer portal's sign-in with a password: anyone with an
    /// account (customers, and staff reading as themselves).
    pub async fn portal_login(
        &self,
        email: &str,
        password: &str,
        client: crate::guard::Client,
    ) -> Result<Result<String, LoginRefused>, AppError> {
        let creds = Credentials::Basic {
            user: email.trim().to_string(),
            secret: password.to_string(),
        };
        match self.authenticate(&creds, client, false).await {
            Ok(actor) => Ok(Ok(self.open_session(actor.user).await?)),
            Err(AppError::Unauthorized) => Ok(Err(LoginRefused::BadCredentials)),
            Err(AppError::TooManyAttempts(s)) => Ok(Err(LoginRefused::TooManyAttempts(s))),
            Err(e) => Err(e),
        }
    }

    /// Opens a session for a user; returns the cookie token.
    pub(crate) async fn open_session(&self, user: domain::UserId) -> Result<String, AppError> {
        let token = random_token(40);
        let hash = token_hash(&token);
        let now = Timestamp::now();
        self.write(move |c| Box::pin(async move { open_session_in(c, &hash, user, now).await }))
            .await?;
        Ok(token)
    }

    /// The agent behind a session cookie, if the session is live and the
    /// user is still active staff (a customer's portal session opens no
    /// workspace).
    pub async fn session(&self, token: &str) -> Result<Option<SessionUser>, AppError> {
        Ok(self
            .portal_session(token)
            .await?
            .filter(|u| u.actor.role.is_staff()))
    }

    /// Whoever is behind a session cookie, staff or customer, if the
    /// session is live and the user active: the customer portal's reader.
    pub async fn portal_session(&self, token: &str) -> Result<Option<SessionUser>, AppError> {
        let mut rc = self.read().await?;
        let row = sessions::get(&mut rc.conn(), &token_hash(token), Timestamp::now()).await?;
        Ok(row.filter(|r| r.active).map(|r| SessionUser {
            actor: Actor {
                user: r.user,
                role: r.role,
                org: r.org,
                restricted: r.restricted && r.role == domain::Role::Agent,
            },
            csrf: r.csrf,
            name: r.name,
            locale: r.locale,
            time_zone: r.time_zone,
        }))
    }

    /// Ends a session.
    pub async fn logout(&self, token: &str) -> Result<(), AppError> {
        let hash = token_hash(token);
        self.write(move |c| Box::pin(async move { Ok(sessions::delete(c, &hash).await?) }))
            .await
    }

    /// Sets the caller's own language (the workspace's language switch).
    pub async fn set_own_locale(&self, actor: Actor, locale: &str) -> Result<(), AppError> {
        let input = crate::users::UserInput {
            locale: Some(locale.to_string()),
            ..Default::default()
        };
        self.update_user(actor, actor.user, input).await.map(|_| ())
    }
}

/// Writes a new session (hash of the cookie token) inside the caller's
/// transaction, clearing expired ones.
pub(crate) async fn open_session_in(
    c: &mut store::Conn<'_>,
    hash: &str,
    user: domain::UserId,
    now: Timestamp,
) -> Result<(), AppError> {
    let csrf = random_token(32);
    let expires = Timestamp(now.0 + SESSION_SECS);
    sessions::delete_expired(c, now).await?;
    sessions::insert(c, hash, user, &csrf, now, expires).await?;
    Ok(())
}
