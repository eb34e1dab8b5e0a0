//! What every API handler gets: the caller, the query parameters (decoded
//! the way both clients encode them), and the base URL for absolute links.

use crate::error::ApiError;
use app::Paging;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use domain::Actor;

/// The deepest offset page served (100 results a page: ten million).
pub const MAX_PAGE: i64 = 100_000;

/// The request context of an authenticated API call.
pub struct Ctx {
    pub actor: Actor,
    /// `scheme://host` as the client addressed us.
    pub base: String,
    /// The path without `.json`, for paging links.
    pub path: String,
    /// Decoded query parameters, in order.
    pub params: Vec<(String, String)>,
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let actor = *parts
            .extensions
            .get::<Actor>()
            .ok_or(ApiError::App(app::AppError::Unauthorized))?;
        Ok(Ctx {
            actor,
            base: base_url(parts),
            path: parts.uri.path().to_string(),
            params: parse_query(parts.uri.query()),
        })
    }
}

/// Decodes a query string: percent escapes in keys and values, `+` as space.
pub fn parse_query(q: Option<&str>) -> Vec<(String, String)> {
    q.map(|q| {
        form_urlencoded::parse(q.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    })
    .unwrap_or_default()
}

/// The base URL from `X-Forwarded-Proto/Host` or `Host`.
pub fn base_url(parts: &Parts) -> String {
    let h = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.split(',').next().unwrap_or("").trim().to_string())
    };
    let host = h("x-forwarded-host")
        .or_else(|| h("host"))
        .unwrap_or_else(|| "localhost".into());
    let scheme = h("x-forwarded-proto").unwrap_or_else(|| "http".into());
    format!("{scheme}://{host}")
}

impl Ctx {
    /// The first value of a parameter, ignoring empty and `undefined`/`None`.
    pub fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty() && *v != "undefined" && *v != "None")
    }

    /// Every value of a repeated parameter (`role[]=a&role[]=b`), comma lists split.
    pub fn params_all(&self, key: &str) -> Vec<String> {
        self.params
            .iter()
            .filter(|(k, _)| k == key)
            .flat_map(|(_, v)| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// An integer parameter; a malformed one is a 400.
    pub fn int(&self, key: &str) -> Result<Option<i64>, ApiError> {
        self.param(key)
            .map(|v| {
                v.parse::<i64>()
                    .map_err(|_| ApiError::BadRequest(format!("{key} must be a whole number")))
            })
            .transpose()
    }

    /// A point in time given as Unix seconds (`start_time`): whole, with a
    /// fraction that is dropped (Python's `timestamp()` writes
    /// `1577836800.0`), or an ISO 8601 instant (zenpy sends a sync tool's
    /// bookmark as `2020-01-01T00:00:00Z`); anything else is a 400.
    pub fn epoch(&self, key: &str) -> Result<Option<i64>, ApiError> {
        self.param(key)
            .map(|v| {
                let whole = match v.split_once('.') {
                    Some((w, frac)) if frac.bytes().all(|b| b.is_ascii_digit()) => w,
                    _ => v,
                };
                whole
                    .parse::<i64>()
                    .ok()
                    .or_else(|| domain::Timestamp::parse(v).map(|t| t.0))
                    .ok_or_else(|| {
                        ApiError::BadRequest(format!(
                            "{key} must be a Unix time in seconds or an ISO 8601 time"
                        ))
                    })
            })
            .transpose()
    }

    /// The `page` of offset paging: 1 when absent, a 400 past
    /// [`MAX_PAGE`] (deeper pages are for cursor paging, and the page
    /// arithmetic must not overflow).
    pub fn page_number(&self) -> Result<i64, ApiError> {
        let page = self.int("page")?.unwrap_or(1).max(1);
        if page > MAX_PAGE {
            return Err(ApiError::BadRequest(format!(
                "page must be at most {MAX_PAGE}; use cursor paging (page[after]) to go further"
            )));
        }
        Ok(page)
    }

    /// Whether the client asked for cursor paging.
    pub fn wants_cursor(&self) -> bool {
        self.params.iter().any(|(k, _)| k.starts_with("page["))
    }

    /// The paging the client asked for: cursor if any `page[…]` parameter is
    /// present, else offset. Page sizes are capped at 100.
    pub fn paging(&self) -> Result<Paging, ApiError> {
        if self.wants_cursor() {
            let size = self.int("page[size]")?.unwrap_or(100).clamp(1, 100);
            let cursor = |k: &str| {
                self.param(k)
                    .map(|v| {
                        crate::wire::decode_page_cursor(v).ok_or_else(|| {
                            ApiError::BadRequest(format!("{k} is not a valid cursor"))
                        })
                    })
                    .transpose()
            };
            Ok(Paging::Cursor {
                after: cursor("page[after]")?,
                before: cursor("page[before]")?,
                size,
            })
        } else {
            let per_page = self.int("per_page")?.unwrap_or(100).clamp(1, 100);
            let page = self.page_number()?;
            Ok(Paging::Offset { page, per_page })
        }
    }

    /// Paging for the lists Zendesk pages by cursor only: the cursor asked
    /// for, else the first hundred.
    pub fn cursor_paging(&self) -> Result<Paging, ApiError> {
        if self.wants_cursor() {
            return self.paging();
        }
        Ok(Paging::Cursor {
            after: None,
            before: None,
            size: 100,
        })
    }

    /// This request's URL with some parameters replaced, for paging links.
    pub fn link(&self, set: &[(&str, String)]) -> String {
        let mut ser = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.params {
            if !set.iter().any(|(s, _)| s == k)
                && !(k == "page" && set.iter().any(|(s, _)| s.starts_with("page[")))
            {
                ser.append_pair(k, v);
            }
        }
        for (k, v) in set {
            ser.append_pair(k, v);
        }
        format!(
            "{}{}.json?{}",
            self.base,
            self.path.trim_end_matches(".json"),
            ser.finish()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_query(q: &str) -> Ctx {
        Ctx {
            actor: Actor::anonymous(),
            base: "http://localhost".into(),
            path: "/api/v2/incremental/tickets".into(),
            params: parse_query(Some(q)),
        }
    }

    #[test]
    fn start_times_are_read_as_sync_tools_write_them() {
        let at = |q: &str| with_query(q).epoch("start_time").ok().flatten();
        assert_eq!(at("start_time=1577836800"), Some(1_577_836_800));
        assert_eq!(at("start_time=1577836800.0"), Some(1_577_836_800));
        assert_eq!(at("start_time=1577836800.75"), Some(1_577_836_800));
        assert_eq!(at("start_time=2020-01-01T00:00:00Z"), Some(1_577_836_800));
        assert_eq!(at("other=1"), None);
        assert!(
            with_query("start_time=yesterday")
                .epoch("start_time")
                .is_err()
        );
        assert!(with_query("start_time=12.x").epoch("start_time").is_err());
    }
}
