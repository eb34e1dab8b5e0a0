//! OAuth for integrations, as Zendesk has it (`/api/v2/oauth/clients`,
//! `/api/v2/oauth/tokens`, `/oauth/authorizations/new`, `/oauth/tokens`):
//! admins register applications; a person lets one act for them and it
//! trades the code for a token; a confidential application gets a token
//! for the admin who registered it. Secrets, codes and tokens are shown
//! once and stored only as hashes.

mod clients;
mod grants;
mod tokens;

pub use clients::{ClientInput, MadeClient};
pub use grants::{GrantError, Granted};
pub use tokens::MadeToken;

use crate::auth::{random_token, token_hash};

/// A new secret and its stored hash.
fn new_secret(len: usize) -> (String, String) {
    let secret = random_token(len);
    let hash = token_hash(&secret);
    (secret, hash)
}
