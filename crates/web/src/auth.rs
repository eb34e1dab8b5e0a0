//! Authentication and rate limiting for every API call, as middleware: the
//! caller is put in the request's extensions for handlers, and every
//! response carries `X-Rate-Limit` and `X-Rate-Limit-Remaining`. Requests
//! without credentials count against their source address; failed
//! credentials go through the app's guard (shared with the web sign-in).

use crate::Api;
use crate::error::ApiError;
use app::auth::Credentials;
use app::guard::Client;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use domain::{Actor, Role, UserId};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Requests allowed per minute: per agent or admin, per end-user, and per
/// source address for requests without valid credentials.
#[derive(Debug, Clone, Copy)]
pub struct RateLimit {
    pub per_minute: u64,
    pub end_user_per_minute: u64,
    pub anonymous_per_minute: u64,
}

impl Default for RateLimit {
    /// In line with Zendesk's published limits (700 requests a minute for
    /// an account on its Professional plan; end-users far fewer), and well
    /// within what one node serves, so one token cannot saturate it.
    fn default() -> Self {
        RateLimit {
            per_minute: 700,
            end_user_per_minute: 100,
            anonymous_per_minute: 60,
        }
    }
}

impl RateLimit {
    /// The same limit for everyone (load tests, test servers).
    pub fn uniform(per_minute: u64) -> Self {
        RateLimit {
            per_minute,
            end_user_per_minute: per_minute,
            anonymous_per_minute: per_minute,
        }
    }
}

/// Who a window counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    User(UserId),
    Source(IpAddr),
}

/// Fixed one-minute windows per user or source.
pub struct Limiter {
    limit: RateLimit,
    windows: Mutex<HashMap<Key, (Instant, u64)>>,
}

impl Limiter {
    pub fn new(limit: RateLimit) -> Self {
        Limiter {
            limit,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request against `key`'s `limit`; `Err(seconds)` if over.
    fn check(&self, key: Key, limit: u64) -> Result<u64, u64> {
        let now = Instant::now();
        let mut w = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if w.len() > 100_000 {
            w.retain(|_, (start, _)| now.duration_since(*start) < Duration::from_secs(60));
        }
        let entry = w.entry(key).or_insert((now, 0));
        if now.duration_since(entry.0) >= Duration::from_secs(60) {
            *entry = (now, 0);
        }
        if entry.1 >= limit {
            return Err(60u64
                .saturating_sub(now.duration_since(entry.0).as_secs())
                .max(1));
        }
        entry.1 += 1;
        Ok(limit - entry.1)
    }

    pub fn limit_for(&self, role: Role) -> u64 {
        if role.is_staff() {
            self.limit.per_minute
        } else {
            self.limit.end_user_per_minute
        }
    }
}

/// Reads the Authorization header: Basic (token or password) or Bearer.
fn credentials(req: &Request) -> Option<Credentials> {
    credentials_in(req.headers())
}

/// [`credentials`] from a request's headers (the OAuth routes read the
/// bearer token a call came with, and a client's Basic credentials).
pub(crate) fn credentials_in(headers: &axum::http::HeaderMap) -> Option<Credentials> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    if let Some(b) = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))
    {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(b.trim())
            .ok()?;
        let text = String::from_utf8(decoded).ok()?;
        let (user, secret) = text.split_once(':')?;
        return Some(Credentials::Basic {
            user: user.to_string(),
            secret: secret.to_string(),
        });
    }
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))?;
    Some(Credentials::Bearer(token.trim().to_string()))
}

/// Reads anyone may make without credentials: the help center's
/// languages, categories, sections and articles (their translations and
/// attachments, an article's labels), and article search — never votes,
/// subscriptions, user segments, the list of every label or the
/// incremental export.
fn public_read(req: &Request) -> bool {
    if req.method() != axum::http::Method::GET {
        return false;
    }
    let Some(rest) = req.uri().path().strip_prefix("/api/v2/help_center/") else {
        return false;
    };
    let first = rest.split('/').next().unwrap_or("");
    matches!(first, "locales" | "categories" | "sections" | "articles")
        && !rest.contains("/votes")
        && !rest.contains("/subscriptions")
        // The list of every label is for agents, as Zendesk's is.
        && !rest.starts_with("articles/labels")
}

/// Counts a request without credentials against its source's limit (the
/// OAuth grant endpoint, where applications authenticate themselves).
pub(crate) fn limit_source(api: &Api, client: Client) -> Result<(), ApiError> {
    api.limiter
        .check(
            Key::Source(client.ip),
            api.limiter.limit.anonymous_per_minute,
        )
        .map(|_| ())
        .map_err(ApiError::RateLimited)
}

pub async fn authenticate(State(api): State<Api>, mut req: Request, next: Next) -> Response {
    let client = req
        .extensions()
        .get::<Client>()
        .copied()
        .unwrap_or_default();
    let anonymous = Key::Source(client.ip);
    let Some(creds) = credentials(&req) else {
        if let Err(secs) = api
            .limiter
            .check(anonymous, api.limiter.limit.anonymous_per_minute)
        {
            return ApiError::RateLimited(secs).into_response();
        }
        if !public_read(&req) {
            return ApiError::App(app::AppError::Unauthorized).into_response();
        }
        // The help center's public reads, as Zendesk serves them: what
        // is for everyone, to anyone.
        req.extensions_mut().insert(Actor::anonymous());
        return next.run(req).await;
    };
    let (actor, scopes) = match api.app.authenticate_call(&creds, client, false).await {
        Ok(a) => a,
        Err(e) => {
            // Failed credentials count against the source as well.
            if let Err(secs) = api
                .limiter
                .check(anonymous, api.limiter.limit.anonymous_per_minute)
            {
                return ApiError::RateLimited(secs).into_response();
            }
            return ApiError::App(e).into_response();
        }
    };
    // An OAuth token reads with `read` and writes with `write`; any token
    // may end itself.
    let reading = matches!(
        *req.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    );
    let ending_itself = |req: &Request| {
        req.method() == axum::http::Method::DELETE
            && req.uri().path().trim_end_matches(".json") == "/api/v2/oauth/tokens/current"
    };
    if !scopes.allow(reading) && !ending_itself(&req) {
        let missing = if reading { "read" } else { "write" };
        return ApiError::App(app::AppError::forbidden(&format!(
            "Missing the following required scopes: {missing}"
        )))
        .into_response();
    }
    let limit = api.limiter.limit_for(actor.role);
    let remaining = match api.limiter.check(Key::User(actor.user), limit) {
        Ok(r) => r,
        Err(secs) => return ApiError::RateLimited(secs).into_response(),
    };
    req.extensions_mut().insert(actor);
    let mut resp = next.run(req).await;
    // Who asked, for the access log.
    resp.extensions_mut().insert(actor);
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&limit.to_string()) {
        h.insert("x-rate-limit", v);
    }
    if let Ok(v) = HeaderValue::from_str(&remaining.to_string()) {
        h.insert("x-rate-limit-remaining", v);
    }
    resp
}
