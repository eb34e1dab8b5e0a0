//! Who is asking: API tokens (Basic `email/token:TOKEN`), passwords (Basic
//! `email:password`) and OAuth bearer tokens. Tokens are stored hashed; a
//! password is checked with Argon2.

use crate::{App, AppError};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use domain::{Actor, IdentityKind, Timestamp, UserId};
use sha2::{Digest, Sha256};
pub use store::repo::tokens::TokenKind;
use store::repo::{tokens, users};

/// Credentials as they arrived, before checking. `Debug` hides secrets.
pub enum Credentials {
    Basic { user: String, secret: String },
    Bearer(String),
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credentials::Basic { user, .. } => write!(f, "Basic({user}, <redacted>)"),
            Credentials::Bearer(_) => f.write_str("Bearer(<redacted>)"),
        }
    }
}

impl Credentials {
    /// A digest of the whole credential, for the short-lived cache.
    fn cache_key(&self) -> [u8; 32] {
        let mut h = Sha256::new();
        match self {
            Credentials::Basic { user, secret } => {
                h.update(b"basic\0");
                h.update(user.as_bytes());
                h.update(b"\0");
                h.update(secret.as_bytes());
            }
            Credentials::Bearer(t) => {
                h.update(b"bearer\0");
                h.update(t.as_bytes());
            }
        }
        h.finalize().into()
    }
}

/// Successful authentications, remembered for [`AuthCache::TTL`].
#[derive(Default)]
pub struct AuthCache {
    entries: std::sync::Mutex<std::collections::HashMap<[u8; 32], (Actor, std::time::Instant)>>,
}

impl AuthCache {
    const TTL: std::time::Duration = std::time::Duration::from_secs(2);

    fn get(&self, key: &[u8; 32]) -> Option<Actor> {
        let map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        map.get(key)
            .filter(|(_, at)| at.elapsed() < Self::TTL)
            .map(|(a, _)| *a)
    }

    fn put(&self, key: [u8; 32], actor: Actor) {
        let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 10_000 {
            map.retain(|_, (_, at)| at.elapsed() < Self::TTL);
        }
        map.insert(key, (actor, std::time::Instant::now()));
    }

    /// Forgets everything (a user was changed or deactivated here).
    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

/// Random URL-safe text for tokens.
pub fn random_token(len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut bytes = vec![0u8; len];
    if getrandom::fill(&mut bytes).is_err() {
        // The OS random source failing is fatal for security; never fall back.
        panic!("the operating system's random source is unavailable");
    }
    bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

/// The stored form of a token.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// An Argon2id PHC string for a password.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|_| AppError::bad("no randomness available"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| AppError::bad(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::bad(e.to_string()))
}

fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

impl App {
    /// Checks credentials and returns the caller. Inactive users, unknown
    /// emails and wrong secrets all give the same `Unauthorized`. A success
    /// is remembered for a few seconds (keyed by a hash of the credentials),
    /// so a busy integration does not pay a query, or an Argon2 hash, per
    /// request; a revoked token or deactivated user stops working within
    /// that time.
    pub async fn authenticate(&self, creds: &Credentials) -> Result<Actor, AppError> {
        let key = creds.cache_key();
        if let Some(actor) = self.auth_cache.get(&key) {
            return Ok(actor);
        }
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let found = match creds {
            Credentials::Bearer(token) => tokens::oauth_token_user(c, &token_hash(token)).await?,
            Credentials::Basic { user, secret } => match user.strip_suffix("/token") {
                Some(email) => {
                    tokens::api_token_user(c, &email.trim().to_lowercase(), &token_hash(secret))
                        .await?
                }
                None => {
                    let email = user.trim().to_lowercase();
                    let u = users::by_identity(c, IdentityKind::Email, &email)
                        .await?
                        .ok_or(AppError::Unauthorized)?;
                    let ok = u
                        .password_hash
                        .as_deref()
                        .is_some_and(|h| verify_password(secret, h));
                    ok.then_some((u.actor(), u.active))
                }
            },
        };
        match found {
            Some((actor, true)) => {
                self.auth_cache.put(key, actor);
                Ok(actor)
            }
            _ => Err(AppError::Unauthorized),
        }
    }

    /// Every API and OAuth token (admins only), without secrets.
    pub async fn list_tokens(&self, actor: Actor) -> Result<Vec<tokens::TokenRow>, AppError> {
        if !actor.is_admin() {
            return Err(AppError::forbidden("only admins manage API tokens"));
        }
        let mut rc = self.read().await?;
        Ok(tokens::list(&mut rc.conn(), 1000).await?)
    }

    /// Revokes a token (admins only); it stops working at once on this
    /// node and within the auth cache's lifetime on others.
    pub async fn revoke_token(&self, actor: Actor, id: i64) -> Result<(), AppError> {
        if !actor.is_admin() {
            return Err(AppError::forbidden("only admins manage API tokens"));
        }
        let out = self
            .write(move |c| {
                Box::pin(async move { crate::error::found(tokens::delete(c, id).await?) })
            })
            .await;
        self.auth_cache.clear();
        out
    }

    /// Creates an API token for a user as an admin asks (the workspace's
    /// token page); returns the secret, shown once.
    pub async fn issue_token(
        &self,
        actor: Actor,
        user: UserId,
        description: &str,
    ) -> Result<String, AppError> {
        if !actor.is_admin() {
            return Err(AppError::forbidden("only admins manage API tokens"));
        }
        self.create_token(user, TokenKind::Api, description).await
    }

    /// Creates a token for a user and returns it; only its hash is kept.
    pub async fn create_token(
        &self,
        user: UserId,
        kind: TokenKind,
        description: &str,
    ) -> Result<String, AppError> {
        let token = random_token(40);
        let hash = token_hash(&token);
        let description = description.to_string();
        self.write(move |c| {
            Box::pin(async move {
                tokens::insert(c, user, kind, &hash, &description, Timestamp::now()).await?;
                Ok(())
            })
        })
        .await?;
        Ok(token)
    }
}
