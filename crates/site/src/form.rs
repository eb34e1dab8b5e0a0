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

    /// Every (name, value) pair, in order.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
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

/// Files a form may carry (a reply, a request).
pub const MAX_FILES: usize = 5;

/// The largest form body, files included: the uploads' own limit is
/// checked per file by the app.
const FORM_LIMIT: usize = 60 * 1024 * 1024;

/// A posted form (urlencoded or multipart) and the files it carries:
/// (name, the browser's type, bytes) — one more than [`MAX_FILES`] at
/// most, so the caller refuses too many in words rather than dropping any.
pub async fn read_with_files(
    req: axum::extract::Request,
) -> Result<(Form, Vec<(String, Option<String>, Vec<u8>)>), String> {
    use axum::extract::{FromRequest, Multipart};
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let body = axum::body::to_bytes(req.into_body(), FORM_LIMIT)
            .await
            .map_err(|e| e.to_string())?;
        return Ok((Form::parse(&body), Vec::new()));
    }
    let mut parts = Multipart::from_request(req, &())
        .await
        .map_err(|e| e.to_string())?;
    let mut fields = Vec::new();
    let mut files = Vec::new();
    while let Some(part) = parts.next_field().await.map_err(|e| e.to_string())? {
        let name = part.name().unwrap_or_default().to_string();
        match part.file_name().map(str::to_string) {
            Some(file) if !file.is_empty() => {
                let kind = part.content_type().map(str::to_string);
                let data = part.bytes().await.map_err(|e| e.to_string())?;
                if !data.is_empty() && files.len() <= MAX_FILES {
                    files.push((file, kind, data.to_vec()));
                }
            }
            Some(_) => {}
            None => fields.push((name, part.text().await.map_err(|e| e.to_string())?)),
        }
    }
    Ok((Form::from_pairs(fields), files))
}
