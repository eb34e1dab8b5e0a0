//! OAuth for integrations, as Zendesk has it: an admin registers an
//! application (an OAuth client) with the addresses it may send people
//! back to; a person lets it act for them (the authorization code grant),
//! or a confidential client gets a token for the admin who registered it
//! (client credentials). A token carries scopes: `read` lets it make GET
//! requests, `write` everything else.

use crate::{OAuthClientId, Timestamp, UserId, word_enum};

word_enum!(
    /// Whether a client can keep a secret (a server) or not (an app on a
    /// person's device, which must not be given the client credentials
    /// grant).
    ClientKind {
        Confidential = "confidential",
        Public = "public",
    }
);

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scopes {
    /// GET requests.
    pub read: bool,
    /// Every other request.
    pub write: bool,
}

impl Scopes {
    /// Both: passwords, API tokens and tokens made before scopes.
    pub const ALL: Scopes = Scopes {
        read: true,
        write: true,
    };

    /// Nothing at all.
    pub const NONE: Scopes = Scopes {
        read: false,
        write: false,
    };

    /// Scopes as stored; unreadable ones allow nothing.
    pub fn stored(raw: &str) -> Scopes {
        Scopes::parse(raw).unwrap_or(Scopes::NONE)
    }

    /// Reads Zendesk's scope list (space- or comma-separated). Only
    /// `read` and `write` are offered: resource scopes
    /// (`tickets:read`) and `impersonate` are refused by name rather
    /// than granted more widely than asked.
    pub fn parse(raw: &str) -> Result<Scopes, String> {
        let mut s = Scopes::NONE;
        for word in raw.split([' ', ',']).filter(|w| !w.is_empty()) {
            match word {
                "read" => s.read = true,
                "write" => s.write = true,
                other => {
                    return Err(format!(
                        "the scope {other:?} is not offered (read and write are)"
                    ));
                }
            }
        }
        if !s.read && !s.write {
            return Err("name at least one scope: read, write".into());
        }
        Ok(s)
    }

    /// The scopes as Zendesk lists them.
    pub fn words(self) -> Vec<&'static str> {
        let mut out = Vec::with_capacity(2);
        if self.read {
            out.push("read");
        }
        if self.write {
            out.push("write");
        }
        out
    }

    /// As stored and as the token endpoint says them: `read write`.
    pub fn joined(self) -> String {
        self.words().join(" ")
    }

    /// Whether a request may be made: GET and HEAD are reads.
    pub fn allow(self, reading: bool) -> bool {
        if reading { self.read } else { self.write }
    }
}

/// A registered application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthClient {
    pub id: OAuthClientId,
    pub name: String,
    /// What the application sends as `client_id`.
    pub identifier: String,
    pub kind: ClientKind,
    /// Where people may be sent back with a code (exact matches).
    pub redirect_uris: Vec<String>,
    pub company: String,
    pub description: String,
    /// The admin who registered it (the client credentials grant acts for
    /// them); `None` once they are gone.
    pub user_id: Option<UserId>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A token given to an application (never its secret, which is stored
/// only as a hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthToken {
    pub id: crate::TokenId,
    pub user_id: UserId,
    /// The application it was given to; `None` for one made on the
    /// command line.
    pub client_id: Option<OAuthClientId>,
    pub scopes: Scopes,
    pub created_at: Timestamp,
}

/// An address people may be sent back to: HTTPS, or HTTP on this machine
/// (tools run on a laptop), with no fragment.
pub fn acceptable_redirect(uri: &str) -> bool {
    let lower = uri.to_ascii_lowercase();
    let local = ["http://localhost", "http://127.0.0.1", "http://[::1]"]
        .iter()
        .any(|p| {
            lower
                .strip_prefix(p)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/', '?']))
        });
    (lower.starts_with("https://") && lower.len() > "https://".len() || local)
        && !uri.contains('#')
        && !uri.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_read_and_write_only() {
        assert_eq!(Scopes::parse("read write"), Ok(Scopes::ALL));
        assert_eq!(Scopes::parse("write,read"), Ok(Scopes::ALL));
        let read = Scopes::parse("read").unwrap_or(Scopes::ALL);
        assert!(read.allow(true) && !read.allow(false));
        assert_eq!(read.joined(), "read");
        assert!(Scopes::parse("tickets:read").is_err());
        assert!(Scopes::parse("read impersonate").is_err());
        assert!(Scopes::parse("  ").is_err());
    }

    #[test]
    fn redirects_go_to_https_or_this_machine() {
        assert!(acceptable_redirect("https://tool.example/callback"));
        assert!(acceptable_redirect("http://localhost:8765/cb"));
        assert!(acceptable_redirect("http://127.0.0.1/cb?x=1"));
        assert!(!acceptable_redirect("http://tool.example/callback"));
        assert!(!acceptable_redirect("http://localhost.evil.example/cb"));
        assert!(!acceptable_redirect("https://tool.example/cb#frag"));
        assert!(!acceptable_redirect("javascript:alert(1)"));
        assert!(!acceptable_redirect("https://"));
    }
}
