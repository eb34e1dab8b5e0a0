//! Who is signed in: the session cookie, the language the pages speak,
//! and CSRF checks on every form. (Sign-in attempts are limited by the
//! app's credential guard, shared with the API.)

use crate::Ui;
use crate::i18n::{Lang, Text, Words};
use app::sessions::SessionUser;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

pub use app::sessions::SESSION_COOKIE;
/// The language an agent picked, kept in the browser too so the sign-in
/// page speaks it.
pub const LANG_COOKIE: &str = "atiende_lang";
/// The sign-in form's CSRF cookie (double submit: no session exists yet).
pub const LOGIN_CSRF_COOKIE: &str = "atiende_login_csrf";
/// Marks a browser that signed in to an account before: it gets through a
/// lock others' guessing put on that account.
pub const DEVICE_COOKIE: &str = "atiende_device";

/// A cookie's value from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, whole site (the server
/// adds `Secure` when the client reached us over HTTPS).
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64) -> String {
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}")
}

/// The language for a request without a session: the picked one, else the
/// browser's.
pub fn browser_lang(headers: &HeaderMap) -> Lang {
    if let Some(l) = cookie(headers, LANG_COOKIE) {
        return Lang::from_locale(&l);
    }
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map_or(Lang::En, Lang::from_accept_language)
}

pub use app::auth::same_secret;

/// A signed-in agent and the language their pages use.
pub struct Agent {
    pub user: SessionUser,
    pub lang: Lang,
}

impl Agent {
    pub fn t(&self) -> &'static Text {
        self.lang.text()
    }

    /// Refuses a form whose CSRF token is not this session's. (The error is
    /// the response itself, as axum rejections are.)
    #[allow(clippy::result_large_err)]
    pub fn check_csrf(&self, sent: Option<&str>) -> Result<(), Response> {
        match sent {
            Some(s) if same_secret(s, &self.user.csrf) => Ok(()),
            _ => Err((StatusCode::FORBIDDEN, self.t().form_expired).into_response()),
        }
    }
}

impl FromRequestParts<Ui> for Agent {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, ui: &Ui) -> Result<Self, Self::Rejection> {
        let user = match cookie(&parts.headers, SESSION_COOKIE) {
            Some(token) => ui.app.session(&token).await.map_err(|e| {
                tracing::error!(error = %e, "session lookup failed");
                StatusCode::SERVICE_UNAVAILABLE.into_response()
            })?,
            None => None,
        };
        let Some(user) = user else {
            // Pages send the browser to sign in; scripts get a plain 401.
            if parts.method == Method::GET && !parts.uri.path().starts_with("/agent/live") {
                let next: String = form_urlencoded::byte_serialize(
                    parts
                        .uri
                        .path_and_query()
                        .map_or("/agent", |p| p.as_str())
                        .as_bytes(),
                )
                .collect();
                return Err(Redirect::to(&format!("/login?next={next}")).into_response());
            }
            return Err(StatusCode::UNAUTHORIZED.into_response());
        };
        let lang = match cookie(&parts.headers, LANG_COOKIE) {
            Some(l) => Lang::from_locale(&l),
            // `en-US` is every account's default, so it says nothing of a
            // choice: the browser decides until the agent picks.
            None if user.locale != "en-US" => Lang::from_locale(&user.locale),
            None => browser_lang(&parts.headers),
        };
        Ok(Agent { user, lang })
    }
}

/// Lets a request through to the page when the signed-in caller passes
/// `allowed`; otherwise the sign-in answer, or a 403 page saying `why`.
async fn gate(
    ui: Ui,
    req: axum::extract::Request,
    next: axum::middleware::Next,
    allowed: impl Fn(&domain::Actor) -> bool,
    why: &str,
) -> Response {
    let (mut parts, body) = req.into_parts();
    let agent = match Agent::from_request_parts(&mut parts, &ui).await {
        Ok(a) => a,
        Err(refused) => return refused,
    };
    if !allowed(&agent.user.actor) {
        return crate::chrome::error_page(&agent, &app::AppError::forbidden(why));
    }
    next.run(axum::extract::Request::from_parts(parts, body))
        .await
}

/// Middleware for the article pages: the caller must be signed in and
/// write articles (agents who see the whole desk, admins).
pub async fn writers_only(
    axum::extract::State(ui): axum::extract::State<Ui>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let writes = domain::policy::Capability::WriteArticles;
    gate(ui, req, next, |a| writes.allowed(a), writes.refusal()).await
}

/// Middleware for the admin pages: the caller must be signed in (else the
/// usual sign-in answer) and an admin (else a 403 page).
pub async fn admins_only(
    axum::extract::State(ui): axum::extract::State<Ui>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    gate(ui, req, next, domain::Actor::is_admin, "only admins").await
}

/// A URL-encoded form body as ordered pairs (fields may repeat).
pub struct Form(pub Vec<(String, String)>);

impl Form {
    pub fn parse(body: &[u8]) -> Form {
        Form(
            form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn all(&self, key: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// Only same-site paths are followed after sign-in (no open redirect):
/// a path starting with one `/`, of visible ASCII only (browsers drop tabs
/// and newlines, so `/\t/evil.example` would become `//evil.example`),
/// with no backslash and nothing a URL parser reads as a host.
pub fn safe_next(next: Option<&str>) -> String {
    let ok = |n: &str| {
        n.starts_with('/')
            && !n.starts_with("//")
            && n.chars().all(|c| c.is_ascii_graphic() && c != '\\')
            && n.parse::<axum::http::Uri>()
                .is_ok_and(|u| u.scheme().is_none() && u.authority().is_none())
    };
    match next {
        Some(n) if ok(n) => n.to_string(),
        _ => "/agent".to_string(),
    }
}

/// A form posted by a signed-in agent, its CSRF token already checked:
/// every state-changing page handler takes one, so none can forget the
/// check.
pub struct AgentForm {
    pub agent: Agent,
    pub form: Form,
}

/// Largest form body accepted (a long reply is well under this).
const MAX_FORM_BYTES: usize = 1 << 20;

impl axum::extract::FromRequest<Ui> for AgentForm {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, ui: &Ui) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let agent = Agent::from_request_parts(&mut parts, ui).await?;
        let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
            .await
            .map_err(|_| (StatusCode::PAYLOAD_TOO_LARGE, agent.t().error).into_response())?;
        let form = Form::parse(&bytes);
        agent.check_csrf(form.get("csrf"))?;
        Ok(AgentForm { agent, form })
    }
}

/// A multipart form (with files) posted by a signed-in agent, its CSRF
/// token already checked.
pub struct AgentUpload {
    pub agent: Agent,
    pub form: Form,
    /// (field, file name, bytes) of each file sent.
    pub files: Vec<(String, String, Vec<u8>)>,
}

impl axum::extract::FromRequest<Ui> for AgentUpload {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, ui: &Ui) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let agent = Agent::from_request_parts(&mut parts, ui).await?;
        let bad = |agent: &Agent| (StatusCode::BAD_REQUEST, agent.t().error).into_response();
        let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
            .await
            .map_err(|_| (StatusCode::PAYLOAD_TOO_LARGE, agent.t().error).into_response())?;
        let req = axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes));
        let mut multipart = match axum::extract::Multipart::from_request(req, &()).await {
            Ok(m) => m,
            Err(_) => return Err(bad(&agent)),
        };
        let (mut fields, mut files) = (Vec::new(), Vec::new());
        loop {
            match multipart.next_field().await {
                Ok(Some(part)) => {
                    let name = part.name().unwrap_or_default().to_string();
                    match part.file_name().map(str::to_string) {
                        Some(file) => {
                            let data = part.bytes().await.map_err(|_| bad(&agent))?;
                            if !file.is_empty() && !data.is_empty() {
                                files.push((name, file, data.to_vec()));
                            }
                        }
                        None => fields.push((name, part.text().await.map_err(|_| bad(&agent))?)),
                    }
                }
                Ok(None) => break,
                Err(_) => return Err(bad(&agent)),
            }
        }
        let form = Form(fields);
        agent.check_csrf(form.get("csrf"))?;
        Ok(AgentUpload { agent, form, files })
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_is_a_path_on_this_site() {
        for bad in [
            "//evil.example/x",
            "/\t/evil.example/x",
            "/\n/evil.example",
            "/\\evil.example",
            "https://evil.example",
            "/ /evil",
            "javascript:alert(1)",
            "/a\r\nSet-Cookie: x=1",
        ] {
            assert_eq!(safe_next(Some(bad)), "/agent", "{bad:?}");
        }
        assert_eq!(
            safe_next(Some("/agent/tickets/4?x=1")),
            "/agent/tickets/4?x=1"
        );
        assert_eq!(safe_next(None), "/agent");
    }
}
