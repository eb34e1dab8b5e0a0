//! A visitor's identity: the widget a key names on an allowed site, a
//! browser's token, or a site's signed user.

use crate::auth::{random_token, same_secret, token_hash};
use crate::{App, AppError};
use domain::chat::{ChatVisitor, ChatWidget, Conversation};
use domain::{ChatVisitorId, IdentityKind, Timestamp};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use store::repo::chat as repo;
use store::repo::users;

/// The longest name, email or topic the pre-chat form keeps.
const MAX_FIELD: usize = 200;

/// Who a site says its signed-in user is, signed with the widget's secret.
#[derive(Debug, Clone, Default)]
pub struct SignedIdentity {
    /// The site's own id of the user.
    pub external_id: String,
    pub email: String,
    pub name: Option<String>,
    /// Hex HMAC-SHA256 of `external_id:email` with the widget's secret.
    pub signature: String,
}

/// The signature a site puts on its user's identity (see
/// [`SignedIdentity`]).
pub fn identity_signature(secret: &str, external_id: &str, email: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(external_id.as_bytes());
    mac.update(b":");
    mac.update(email.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A widget opening: its key, the page's origin, the token it kept (if
/// any) and the site's signed user (if any).
#[derive(Debug, Clone, Default)]
pub struct OpenChat {
    pub key: String,
    pub origin: String,
    /// The caller's network (new visitors are limited per network).
    pub network: String,
    pub token: Option<String>,
    pub identity: Option<SignedIdentity>,
}

/// A visitor as the widget knows them.
#[derive(Debug, Clone)]
pub struct ChatSession {
    pub widget: ChatWidget,
    pub visitor: ChatVisitor,
    /// Their latest conversation (an ended one too, for its lines).
    pub conversation: Option<Conversation>,
    /// A new browser's token, for the widget to keep; `None` when the one
    /// it sent still holds.
    pub new_token: Option<String>,
}

/// A field of the pre-chat form or a site's identity, trimmed and cut
/// short; `None` when empty.
pub(super) fn short(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().chars().take(MAX_FIELD).collect::<String>())
        .filter(|v| !v.is_empty())
}

impl App {
    /// The widget a key names, if a page at `origin` may use it.
    async fn admitted_widget(&self, key: &str, origin: &str) -> Result<ChatWidget, AppError> {
        let mut rc = self.read().await?;
        let widget = repo::widget_by_key(&mut rc.conn(), key)
            .await?
            .filter(|w| w.enabled)
            .ok_or(AppError::NotFound)?;
        if !widget.admits(origin) {
            return Err(AppError::Forbidden(
                "this chat widget is not allowed on this site".into(),
            ));
        }
        Ok(widget)
    }

    /// The widget and the visitor a request names (key, origin, token).
    pub async fn chat_visitor(
        &self,
        key: &str,
        origin: &str,
        token: &str,
    ) -> Result<(ChatWidget, ChatVisitor), AppError> {
        let widget = self.admitted_widget(key, origin).await?;
        let mut rc = self.read().await?;
        let visitor = repo::visitor_by_token(&mut rc.conn(), widget.id, &token_hash(token))
            .await?
            .ok_or(AppError::Unauthorized)?;
        Ok((widget, visitor))
    }

    /// Opens the widget for a browser: the visitor its token names, or a
    /// new one; with a site's signed user, that customer (a signature that
    /// does not match is refused, never trusted in part).
    pub async fn open_chat(&self, open: OpenChat) -> Result<ChatSession, AppError> {
        let widget = self.admitted_widget(&open.key, &open.origin).await?;
        let verified = match &open.identity {
            Some(id) => Some(self.verified_customer(&widget, id).await?),
            None => None,
        };
        let known = match open.token.as_deref().filter(|t| !t.is_empty()) {
            Some(t) => {
                let mut rc = self.read().await?;
                repo::visitor_by_token(&mut rc.conn(), widget.id, &token_hash(t)).await?
            }
            None => None,
        };
        // A browser stays its visitor unless the site now signs someone in
        // on it who is not that visitor's customer: a browser that already
        // chatted as someone else (anonymous with a profile of its own, or
        // signed as another) starts afresh, so no chat moves between people.
        // A signed visitor whose site no longer signs them (they signed out;
        // a shared computer) starts afresh too: their chats stay theirs.
        let kept = known.filter(|v| match verified {
            Some(user) => v.user.is_none_or(|u| u == user),
            None => !v.verified,
        });
        let (visitor, new_token) = match kept {
            Some(v) => (v, None),
            None => {
                if !self
                    .chat
                    .allow_new_visitor(&open.network, self.limits.new_chat_visitors_per_minute)
                {
                    return Err(AppError::TooManyAttempts(60));
                }
                let token = random_token(40);
                let v = ChatVisitor {
                    id: ChatVisitorId(0),
                    widget: widget.id,
                    visitor_key: format!("v_{}", random_token(20)),
                    user: None,
                    verified: false,
                };
                let hash = token_hash(&token);
                let v = self
                    .write(move |c| {
                        Box::pin(async move {
                            let mut v = v;
                            v.id = repo::insert_visitor(c, &v, &hash, Timestamp::now()).await?;
                            Ok(v)
                        })
                    })
                    .await?;
                (v, Some(token))
            }
        };
        let visitor = match verified {
            Some(user) if visitor.user != Some(user) || !visitor.verified => {
                self.bind_visitor(visitor, user).await?
            }
            _ => visitor,
        };
        let conversation = {
            let mut rc = self.read().await?;
            repo::latest_conversation_of(&mut rc.conn(), visitor.id).await?
        };
        Ok(ChatSession {
            widget,
            visitor,
            conversation,
            new_token,
        })
    }

    /// The customer a site's signature vouches for (found or made by the
    /// email it signed).
    async fn verified_customer(
        &self,
        widget: &ChatWidget,
        id: &SignedIdentity,
    ) -> Result<domain::UserId, AppError> {
        let secret = {
            let mut rc = self.read().await?;
            repo::widget_secret(&mut rc.conn(), widget.id).await?
        };
        let expected = identity_signature(&secret, &id.external_id, &id.email);
        if id.external_id.is_empty()
            || id.email.is_empty()
            || !same_secret(&expected, &id.signature.to_ascii_lowercase())
        {
            return Err(AppError::Forbidden(
                "the identity's signature does not match".into(),
            ));
        }
        let (email, name) = (id.email.clone(), short(id.name.clone()));
        let now = Timestamp::now();
        let user = self
            .write(move |c| {
                Box::pin(async move {
                    crate::users::find_or_create_by_email(c, &email, name.as_deref(), None, now)
                        .await
                })
            })
            .await?;
        Ok(user.id)
    }

    /// Makes a browser a customer's: their chat identity goes on their
    /// profile, so the chat lands in their history.
    async fn bind_visitor(
        &self,
        visitor: ChatVisitor,
        user: domain::UserId,
    ) -> Result<ChatVisitor, AppError> {
        self.write(move |c| {
            Box::pin(async move {
                let mut v = visitor;
                repo::bind_visitor(c, v.id, user).await?;
                if users::by_identity(c, IdentityKind::ChatVisitor, &v.visitor_key)
                    .await?
                    .is_none()
                {
                    users::add_identity(
                        c,
                        user,
                        IdentityKind::ChatVisitor,
                        &v.visitor_key,
                        true,
                        Timestamp::now(),
                    )
                    .await?;
                }
                v.user = Some(user);
                v.verified = true;
                Ok(v)
            })
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_signatures_are_hmac_sha256_of_id_and_email() {
        // Computed independently, as a site's server would:
        // python3 hmac.new(b"secret", b"u-1:ana@example.com", sha256).
        let s = identity_signature("secret", "u-1", "ana@example.com");
        assert_eq!(
            s,
            "8a0a0601ac2407439f51d5135dc50558330ea1b4df158ad2037aed2c52f47b93"
        );
        assert_ne!(s, identity_signature("secret", "u-1", "otra@example.com"));
        assert_ne!(s, identity_signature("other", "u-1", "ana@example.com"));
    }
}
