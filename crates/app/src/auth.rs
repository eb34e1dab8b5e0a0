//! Who is asking: API tokens (Basic `email/token:TOKEN`), passwords (Basic
//! `email:password`) and OAuth bearer tokens. Tokens are stored hashed; a
//! password is checked with Argon2.

use crate::guard::{Client, Secret};
use crate::{App, AppError};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use domain::audit_log::{AdminAction, AdminChange, AdminSource};
use domain::oauth::Scopes;
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

/// Who is calling and what their credentials let them do (an OAuth
/// token's scopes; everything for passwords and API tokens).
pub type Caller = (Actor, Scopes);

/// Successful authentications, remembered for [`AuthCache::TTL`].
#[derive(Default)]
pub struct AuthCache {
    entries: std::sync::Mutex<std::collections::HashMap<[u8; 32], (Caller, std::time::Instant)>>,
}

impl AuthCache {
    const TTL: std::time::Duration = std::time::Duration::from_secs(2);

    fn get(&self, key: &[u8; 32]) -> Option<Caller> {
        let map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        map.get(key)
            .filter(|(_, at)| at.elapsed() < Self::TTL)
            .map(|(a, _)| *a)
    }

    fn put(&self, key: [u8; 32], actor: Caller) {
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

/// Removes a token and records who did, in the caller's write.
pub(crate) async fn delete_token(
    c: &mut store::Conn<'_>,
    actor: &Actor,
    id: domain::TokenId,
    now: Timestamp,
) -> Result<(), AppError> {
    crate::error::found(tokens::delete(c, id).await?)?;
    let change = AdminChange::new(AdminAction::Destroy, AdminSource::ApiToken, id.0, "");
    crate::audit_log::record(c, actor, change, now).await
}

/// Equal without leaking where they differ (CSRF tokens, secrets).
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
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

/// Passwords compared since start: every password sign-in compares one,
/// known account or not (so the answer's timing tells nothing).
static PASSWORD_CHECKS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many password comparisons this process made.
pub fn password_checks() -> u64 {
    PASSWORD_CHECKS.load(std::sync::atomic::Ordering::Relaxed)
}

fn verify_password(password: &str, phc: &str) -> bool {
    PASSWORD_CHECKS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    PasswordHash::new(phc).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash no password matches, checked for unknown accounts so that an
/// unknown email takes as long to refuse as a wrong password.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&random_token(24)).unwrap_or_default())
}

impl Credentials {
    /// The account the credentials name (an email, or the bearer kind) and
    /// whether a password or a token is being tried.
    fn account(&self) -> (String, Secret) {
        match self {
            Credentials::Basic { user, .. } => match user.strip_suffix("/token") {
                Some(email) => (email.trim().to_lowercase(), Secret::Token),
                None => (user.trim().to_lowercase(), Secret::Password),
            },
            Credentials::Bearer(_) => ("(bearer token)".into(), Secret::Token),
        }
    }
}

impl App {
    /// Checks credentials and returns the caller. Inactive users, unknown
    /// emails and wrong secrets all give the same `Unauthorized`. A success
    /// is remembered for a few seconds (keyed by a hash of the credentials),
    /// so a busy integration does not pay a query, or an Argon2 hash, per
    /// request; a revoked token or deactivated user stops working within
    /// that time.
    ///
    /// Every check goes through the credential guard (see `guard`): too
    /// many failures from `client` or on the account answer
    /// `TooManyAttempts` before any secret is compared.
    pub async fn authenticate(
        &self,
        creds: &Credentials,
        client: Client,
        known_device: bool,
    ) -> Result<Actor, AppError> {
        self.authenticate_call(creds, client, known_device)
            .await
            .map(|(actor, _)| actor)
    }

    /// [`App::authenticate`], with what the credentials may do: an API
    /// call checks an OAuth token's scopes against its method.
    pub async fn authenticate_call(
        &self,
        creds: &Credentials,
        client: Client,
        known_device: bool,
    ) -> Result<Caller, AppError> {
        // The guard first, even for remembered credentials: while an
        // account or address is held, nothing gets through it (it costs an
        // atomic load while no failure is recent).
        if !self.guard.is_quiet() {
            let (account, secret) = creds.account();
            self.guard
                .check(&account, client, secret, known_device)
                .map_err(|r| AppError::TooManyAttempts(r.retry_after))?;
        }
        let key = creds.cache_key();
        if let Some(actor) = self.auth_cache.get(&key) {
            return Ok(actor);
        }
        let (account, secret) = creds.account();
        match self.check_credentials(creds).await {
            Ok(actor) => {
                self.guard.succeeded(&account, client, secret);
                self.auth_cache.put(key, actor);
                Ok(actor)
            }
            Err(AppError::Unauthorized) => {
                self.guard.failed(&account, client, secret);
                Err(AppError::Unauthorized)
            }
            Err(e) => Err(e),
        }
    }

    /// Compares the secret; unknown emails, wrong secrets and inactive
    /// users all give `Unauthorized`, in about the same time.
    async fn check_credentials(&self, creds: &Credentials) -> Result<Caller, AppError> {
        /// What the database said: a token's owner, or the user a
        /// password is to be compared for (the comparison happens after
        /// the connection is given back).
        enum Lookup {
            Token(Option<(Actor, bool, Scopes)>),
            Password(Option<Box<store::model::User>>, String),
        }
        let lookup = {
            let mut rc = self.read().await?;
            let c = &mut rc.conn();
            match creds {
                Credentials::Bearer(token) => {
                    Lookup::Token(tokens::oauth_token_user(c, &token_hash(token)).await?)
                }
                Credentials::Basic { user, secret } => match user.strip_suffix("/token") {
                    Some(email) => Lookup::Token(
                        tokens::api_token_user(
                            c,
                            &email.trim().to_lowercase(),
                            &token_hash(secret),
                        )
                        .await?
                        .map(|(actor, active)| (actor, active, Scopes::ALL)),
                    ),
                    None => {
                        let email = user.trim().to_lowercase();
                        let found = users::by_identity(c, IdentityKind::Email, &email).await?;
                        Lookup::Password(found.map(Box::new), secret.clone())
                    }
                },
            }
        };
        let found = match lookup {
            Lookup::Token(found) => found,
            Lookup::Password(user, secret) => {
                // Unknown accounts are compared against a dummy hash: the
                // answer takes as long as for a wrong password.
                let hash = user
                    .as_ref()
                    .and_then(|u| u.password_hash.clone())
                    .unwrap_or_else(|| dummy_hash().to_string());
                // Argon2 is deliberately slow: off the async threads.
                let ok = tokio::task::spawn_blocking(move || verify_password(&secret, &hash))
                    .await
                    .unwrap_or(false);
                match user {
                    Some(u) if ok && u.password_hash.is_some() => {
                        Some((u.actor(), u.active, Scopes::ALL))
                    }
                    _ => None,
                }
            }
        };
        match found {
            Some((actor, true, scopes)) => Ok((actor, scopes)),
            _ => Err(AppError::Unauthorized),
        }
    }

    /// A value for the browser's device cookie after `account` signed in:
    /// a later sign-in from it is let through a lock on the account.
    pub async fn device_mark(&self, account: &str) -> Result<String, AppError> {
        let nonce = random_token(16);
        let signer = self.reply_address().await?;
        Ok(format!(
            "{nonce}.{}",
            signer.sign(
                "device",
                &format!("{}:{nonce}", account.trim().to_lowercase())
            )
        ))
    }

    /// Whether a device cookie was given to a browser that signed in as
    /// `account`.
    pub async fn is_known_device(&self, account: &str, mark: &str) -> Result<bool, AppError> {
        let Some((nonce, sig)) = mark.split_once('.') else {
            return Ok(false);
        };
        let signer = self.reply_address().await?;
        let expected = signer.sign(
            "device",
            &format!("{}:{nonce}", account.trim().to_lowercase()),
        );
        Ok(!sig.is_empty()
            && expected.len() == sig.len()
            && expected
                .bytes()
                .zip(sig.bytes())
                .fold(0u8, |a, (x, y)| a | (x ^ y))
                == 0)
    }

    /// Every API and OAuth token (admins only), without secrets.
    pub async fn list_tokens(&self, actor: Actor) -> Result<Vec<tokens::TokenRow>, AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageTokens)?;
        let mut rc = self.read().await?;
        Ok(tokens::list(&mut rc.conn(), 1000).await?)
    }

    /// Revokes a token (admins only); it stops working at once on this
    /// node and within the auth cache's lifetime on others.
    pub async fn revoke_token(&self, actor: Actor, id: domain::TokenId) -> Result<(), AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageTokens)?;
        let now = Timestamp::now();
        let out = self
            .write(move |c| Box::pin(async move { delete_token(c, &actor, id, now).await }))
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
        crate::error::require(&actor, domain::policy::Capability::ManageTokens)?;
        let token = random_token(40);
        let hash = token_hash(&token);
        let description = description.to_string();
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let id = tokens::insert(c, user, TokenKind::Api, &hash, &description, now).await?;
                let change = AdminChange::new(
                    AdminAction::Create,
                    AdminSource::ApiToken,
                    id.0,
                    &description,
                );
                crate::audit_log::record(c, &actor, change, now).await
            })
        })
        .await?;
        Ok(token)
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
