//! "Was this article helpful?" on the public site: a visitor answers with
//! one of two buttons (a plain form, no script); their browser keeps a
//! random visitor id so a second answer replaces the first.

use crate::Site;
use crate::locale::SiteLocale;
use app::help_center::id_of_slug;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::model::VoteValue;

/// The cookie that carries the visitor id (help-center pages only).
const VISITOR_COOKIE: &str = "atiende_hc_visitor";
/// A year: long enough that a returning reader changes, not adds, a vote.
const VISITOR_MAX_AGE: u32 = 365 * 24 * 3600;

pub async fn vote(
    State(site): State<Site>,
    Path((locale, part)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (Some(l), Some(id)) = (SiteLocale::exact(&locale), id_of_slug(&part)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    // A form posted from another site is refused: votes are cast here.
    if !crate::form::same_origin(&site, &headers) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let value = form_urlencoded::parse(&body)
        .find(|(k, _)| k == "value")
        .and_then(|(_, v)| match v.as_ref() {
            "up" => Some(VoteValue::Up),
            "down" => Some(VoteValue::Down),
            _ => None,
        });
    let Some(value) = value else {
        return (StatusCode::BAD_REQUEST, "choose yes or no").into_response();
    };
    let (visitor, fresh) = match visitor_of(&headers) {
        Some(v) => (v, false),
        None => (new_visitor(), true),
    };
    // Back to the article by its id alone: nothing the client wrote goes
    // into the redirect.
    let back = format!("/hc/{}/articles/{id}", l.code());
    match site
        .app
        .vote_as_visitor(&visitor, domain::ArticleId(id), l.code(), value)
        .await
    {
        Ok(_) => {
            let mut r = Redirect::to(&format!("{back}?voted=1#vote")).into_response();
            if fresh {
                let cookie = format!(
                    "{VISITOR_COOKIE}={visitor}; Path=/hc; HttpOnly; SameSite=Lax; Max-Age={VISITOR_MAX_AGE}"
                );
                if let Ok(v) = HeaderValue::from_str(&cookie) {
                    r.headers_mut().append(header::SET_COOKIE, v);
                }
            }
            r
        }
        Err(app::AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "a help-center vote failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The visitor id the browser sent back, if it is one we could have given.
fn visitor_of(headers: &HeaderMap) -> Option<String> {
    crate::reader::cookie(headers, VISITOR_COOKIE)
        .filter(|v| v.len() == 32 && v.chars().all(|c| c.is_ascii_hexdigit()))
}

/// 128 random bits, as hex.
fn new_visitor() -> String {
    let mut raw = [0u8; 16];
    if getrandom::fill(&mut raw).is_err() {
        // No randomness: fall back on the clock (a vote is low-stakes).
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        raw = nanos.to_le_bytes();
    }
    raw.iter().map(|b| format!("{b:02x}")).collect()
}
