//! Authentication and rate limiting for every API call, as middleware: the
//! caller is put in the request's extensions for handlers, and every
//! response carries `X-Rate-Limit` and `X-Rate-Limit-Remaining`.

use crate::Api;
use crate::error::ApiError;
use app::auth::Credentials;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use domain::UserId;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Requests allowed per user per minute.
#[derive(Debug, Clone, Copy)]
pub struct RateLimit {
    pub per_minute: u64,
}

impl Default for RateLimit {
    /// Generous: ordinary client loops and bulk scripts never meet it; a
    /// runaway integration does.
    fn default() -> Self {
        RateLimit {
            per_minute: 200_000,
        }
    }
}

/// Fixed one-minute windows per user.
pub struct Limiter {
    limit: RateLimit,
    windows: Mutex<HashMap<UserId, (Instant, u64)>>,
}

impl Limiter {
    pub fn new(limit: RateLimit) -> Self {
        Limiter {
            limit,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request; `Err(seconds)` if over the limit.
    fn check(&self, user: UserId) -> Result<u64, u64> {
        let now = Instant::now();
        let mut w = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if w.len() > 100_000 {
            w.retain(|_, (start, _)| now.duration_since(*start) < Duration::from_secs(60));
        }
        let entry = w.entry(user).or_insert((now, 0));
        if now.duration_since(entry.0) >= Duration::from_secs(60) {
            *entry = (now, 0);
        }
        if entry.1 >= self.limit.per_minute {
            return Err(60u64
                .saturating_sub(now.duration_since(entry.0).as_secs())
                .max(1));
        }
        entry.1 += 1;
        Ok(self.limit.per_minute - entry.1)
    }
}

/// Reads the Authorization header: Basic (token or password) or Bearer.
fn credentials(req: &Request) -> Option<Credentials> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .trim();
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

pub async fn authenticate(State(api): State<Api>, mut req: Request, next: Next) -> Response {
    let Some(creds) = credentials(&req) else {
        return ApiError::App(app::AppError::Unauthorized).into_response();
    };
    let actor = match api.app.authenticate(&creds).await {
        Ok(a) => a,
        Err(e) => return ApiError::App(e).into_response(),
    };
    let remaining = match api.limiter.check(actor.user) {
        Ok(r) => r,
        Err(secs) => return ApiError::RateLimited(secs).into_response(),
    };
    req.extensions_mut().insert(actor);
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&api.limiter.limit.per_minute.to_string()) {
        h.insert("x-rate-limit", v);
    }
    if let Ok(v) = HeaderValue::from_str(&remaining.to_string()) {
        h.insert("x-rate-limit-remaining", v);
    }
    resp
}
