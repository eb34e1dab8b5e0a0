//! OAuth clients and tokens as Zendesk writes them. A secret appears only
//! in the answer that made it.

use serde::Serialize;
use utoipa::ToSchema;

/// An application registered for OAuth.
#[derive(Serialize, ToSchema)]
pub struct OAuthClientRecord<'a> {
    pub id: i64,
    pub url: String,
    pub name: &'a str,
    /// What the application sends as `client_id`.
    pub identifier: &'a str,
    /// `confidential` or `public`.
    pub kind: &'static str,
    /// Where people may be sent back to.
    pub redirect_uri: &'a [String],
    pub company: &'a str,
    pub description: &'a str,
    pub user_id: Option<i64>,
    /// Only when it was just made or regenerated.
    pub secret: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

pub fn oauth_client<'a>(
    base: &str,
    x: &'a domain::oauth::OAuthClient,
    secret: Option<String>,
) -> OAuthClientRecord<'a> {
    OAuthClientRecord {
        id: x.id.0,
        url: format!("{base}/api/v2/oauth/clients/{}.json", x.id.0),
        name: &x.name,
        identifier: &x.identifier,
        kind: x.kind.as_str(),
        redirect_uri: &x.redirect_uris,
        company: &x.company,
        description: &x.description,
        user_id: x.user_id.map(|u| u.0),
        secret,
        created_at: x.created_at.to_iso(),
        updated_at: x.updated_at.to_iso(),
    }
}

/// A token given to an application.
#[derive(Serialize, ToSchema)]
pub struct OAuthTokenRecord {
    pub id: i64,
    pub url: String,
    pub user_id: i64,
    pub client_id: Option<i64>,
    /// Never the secret once made (it is stored only as a hash).
    pub token: Option<String>,
    /// The secret, only in the answer that made it.
    pub full_token: Option<String>,
    /// atiende gives no refresh tokens: tokens last until revoked.
    pub refresh_token: Option<String>,
    pub scopes: Vec<&'static str>,
    pub created_at: String,
    pub expires_at: Option<String>,
}

pub fn oauth_token(
    base: &str,
    t: &domain::oauth::OAuthToken,
    full_token: Option<String>,
) -> OAuthTokenRecord {
    OAuthTokenRecord {
        id: t.id.0,
        url: format!("{base}/api/v2/oauth/tokens/{}.json", t.id.0),
        user_id: t.user_id.0,
        client_id: t.client_id.map(|c| c.0),
        token: None,
        full_token,
        refresh_token: None,
        scopes: t.scopes.words(),
        created_at: t.created_at.to_iso(),
        expires_at: None,
    }
}
