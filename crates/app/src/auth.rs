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
    /// emails and wrong secrets all give the same `Unauthorized`.
    pub async fn authenticate(&self, creds: &Credentials) -> Result<Actor, AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let user = match creds {
            Credentials::Bearer(token) => {
                let id = tokens::owner(c, TokenKind::OAuth, &token_hash(token))
                    .await?
                    .ok_or(AppError::Unauthorized)?;
                users::get(c, id).await?
            }
            Credentials::Basic { user, secret } => {
                let (email, is_token) = match user.strip_suffix("/token") {
                    Some(e) => (e, true),
                    None => (user.as_str(), false),
                };
                let email = email.trim().to_lowercase();
                let found = users::by_identity(c, IdentityKind::Email, &email)
                    .await?
                    .ok_or(AppError::Unauthorized)?;
                let ok = if is_token {
                    tokens::owner(c, TokenKind::Api, &token_hash(secret)).await? == Some(found.id)
                } else {
                    found
                        .password_hash
                        .as_deref()
                        .is_some_and(|h| verify_password(secret, h))
                };
                ok.then_some(found)
            }
        };
        match user {
            Some(u) if u.active => Ok(Actor {
                user: u.id,
                role: u.role,
                org: u.organization_id,
            }),
            _ => Err(AppError::Unauthorized),
        }
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
