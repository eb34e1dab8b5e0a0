//! What the site's forms share: reading a posted form, the sign-in forms'
//! CSRF check (a random token in a cookie and in the form: no session
//! exists yet), a signed-in reader's CSRF check (their session's token),
//! the origin check, and cookies.

use crate::Site;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;

/// A posted `application/x-www-form-urlencoded` body.
pub struct Form(Vec<(String, String)>);

impl Form {
    pub fn parse(body: &[u8]) -> Form {
        Form(form_urlencoded::parse(body).into_owned().collect())
    }

    /// A form from its (name, value) pairs (a multipart body's text parts).
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Form {
        Form(pairs)
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// A field, trimmed, empty when absent.
    pub fn text(&self, key: &str) -> String {
        self.get(key).unwrap_or("").trim().to_string()
    }
}

/// The sign-in forms' CSRF cookie.
pub const SIGN_IN_CSRF_COOKIE: &str = "atiende_hc_csrf";

/// The CSRF token a sign-in form carries: the browser's (from its cookie)
/// if it has one, else a new one the response must set.
pub fn sign_in_token(headers: &HeaderMap) -> (String, bool) {
    match crate::reader::cookie(headers, SIGN_IN_CSRF_COOKIE).filter(|t| t.len() == 32) {
        Some(t) => (t, false),
        None => (app::auth::random_token(32), true),
    }
}

/// Sets the sign-in forms' CSRF cookie on a page that gave a new token.
pub fn keep_sign_in_token(resp: &mut Response, token: &str, fresh: bool) {
    if fresh {
        add_cookie(resp, &cookie(SIGN_IN_CSRF_COOKIE, token, "/hc", 3600));
    }
}

/// Whether a posted sign-in form carries the token of its cookie.
pub fn sign_in_csrf_ok(headers: &HeaderMap, form: &Form) -> bool {
    match (
        crate::reader::cookie(headers, SIGN_IN_CSRF_COOKIE),
        form.get("csrf"),
    ) {
        (Some(c), Some(f)) => same_secret(&c, f),
        _ => false,
    }
}

pub use app::auth::same_secret;

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax (the server adds `Secure`
/// for a client on HTTPS).
pub fn cookie(name: &str, value: &str, path: &str, max_age_secs: i64) -> String {
    format!("{name}={value}; Path={path}; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}")
}

pub fn add_cookie(resp: &mut Response, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// Whether a form came from one of our pages: a browser names the page's
/// origin on a POST; it must be this host (or the configured address).
pub fn same_origin(site: &Site, headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        // Clients that send no Origin are not browsers on another site.
        return true;
    };
    let ours = site.url(headers, "");
    origin == ours
        || headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .is_some_and(|h| origin == format!("https://{h}") || origin == format!("http://{h}"))
}
