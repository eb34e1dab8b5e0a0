//! Who reads a page: a visitor, or someone signed in (a customer through
//! the portal, an agent through the workspace: one session cookie) whose
//! audience lets restricted articles in. A page made for a signed-in
//! reader is theirs alone: no shared cache keeps it.

use crate::Site;
use app::sessions::SESSION_COOKIE;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use domain::Actor;
use domain::segment::Audience;
use std::convert::Infallible;

pub struct Reader {
    pub audience: Audience,
    /// The signed-in reader's name.
    pub name: Option<String>,
    /// Who they are and their session's CSRF token, when signed in.
    pub session: Option<(Actor, String)>,
    /// How the help center looks (the admins' name, colour, logo, links).
    pub look: domain::look::SiteLook,
}

impl Reader {
    pub fn signed_in(&self) -> bool {
        self.name.is_some()
    }
}

/// A cookie's value from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

impl FromRequestParts<Site> for Reader {
    type Rejection = Infallible;

    /// Never refuses: a missing, expired or unreadable session reads as a
    /// visitor (who sees less, never more).
    async fn from_request_parts(parts: &mut Parts, site: &Site) -> Result<Self, Infallible> {
        let look = site.app.site_look().await.unwrap_or_else(|e| {
            tracing::warn!(error = %e, "help center: the look could not be read");
            domain::look::SiteLook::default()
        });
        let anyone = Reader {
            audience: Audience::Anyone,
            name: None,
            session: None,
            look: look.clone(),
        };
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Ok(anyone);
        };
        let user = match site.app.portal_session(&token).await {
            Ok(Some(u)) => u,
            Ok(None) => return Ok(anyone),
            Err(e) => {
                tracing::warn!(error = %e, "help center: session lookup failed; reading as a visitor");
                return Ok(anyone);
            }
        };
        match site.app.help_center_audience(Some(&user.actor)).await {
            Ok(audience) => Ok(Reader {
                audience,
                name: Some(user.name),
                session: Some((user.actor, user.csrf)),
                look,
            }),
            Err(e) => {
                tracing::warn!(error = %e, "help center: audience failed; reading as a visitor");
                Ok(anyone)
            }
        }
    }
}
