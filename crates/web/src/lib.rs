//! The HTTP face of atiende: the Zendesk-compatible REST API under
//! `/api/v2`, health, and the OpenAPI document. Handlers only extract, call a
//! use case and map the result; errors become HTTP in `error.rs` alone.

pub mod access_log;
mod auth;
mod body;
mod ctx;
mod error;
mod input;
pub mod metrics;
mod openapi;
mod routes;
mod server;
mod sideload;
mod wire;

pub use auth::RateLimit;
pub use server::Peer;

use app::App;
use axum::Router;
use axum::extract::Request;
use std::future::Future;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceExt as _;

/// How the HTTP server protects itself and learns who its clients are.
#[derive(Debug, Clone)]
pub struct Settings {
    pub rate: RateLimit,
    /// The address people use (`https://help.example.com`): with https,
    /// cookies are `Secure` and HSTS is sent.
    pub public_url: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For`/`-Proto` are believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// Connections served at once, in total and from one address.
    pub max_connections: usize,
    pub max_connections_per_source: usize,
    /// A client must send its request headers within this time…
    pub header_timeout: Duration,
    /// …and its whole request body within this time.
    pub body_timeout: Duration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            rate: RateLimit::default(),
            public_url: None,
            trusted_proxies: vec![],
            max_connections: 1024,
            max_connections_per_source: 256,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(120),
        }
    }
}

impl Settings {
    /// Whether people reach us over HTTPS (so cookies can be `Secure`).
    pub fn public_https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.trim().to_ascii_lowercase().starts_with("https://"))
    }
}

/// Shared state of the API handlers.
#[derive(Clone)]
pub struct Api {
    pub app: App,
    limiter: Arc<auth::Limiter>,
}

/// Builds the whole HTTP service: the API, and `pages` (the server-rendered
/// pages, built by the `ui` crate; the binary passes them in, so this crate
/// does not depend on that one) behind the same request guard.
pub fn router(app: App, settings: Settings, pages: Router) -> Router {
    let api = Api {
        app,
        limiter: Arc::new(auth::Limiter::new(settings.rate)),
    };
    let authed = routes::api_routes().layer(axum::middleware::from_fn_with_state(
        api.clone(),
        auth::authenticate,
    ));
    Router::new()
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .route("/api/v2/openapi", axum::routing::get(openapi::document))
        .route("/oauth/tokens", axum::routing::post(routes::oauth::grant))
        .merge(authed)
        .fallback(routes::not_found)
        .with_state(api)
        .merge(pages)
        .route_layer(axum::middleware::from_fn(metrics::record))
        .layer(axum::middleware::from_fn(access_log::log))
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(settings),
            server::guard_request,
        ))
}

/// Normalises a request before routing: `X` and `X.json` are the same
/// resource, and a locale segment in Help Center paths
/// (`/help_center/es/articles`) becomes a `locale` parameter.
fn normalize_path(mut req: Request) -> Request {
    let uri = req.uri();
    let mut path = uri
        .path()
        .strip_suffix(".json")
        .unwrap_or(uri.path())
        .to_string();
    let mut query = uri.query().map(str::to_string);
    if let Some(rest) = path.strip_prefix("/api/v2/help_center/")
        && let Some((first, tail)) = rest.split_once('/')
        && is_locale(first)
    {
        let locale = first.to_string();
        path = format!("/api/v2/help_center/{tail}");
        let extra = format!("locale={locale}");
        query = Some(match query {
            Some(q) if q.split('&').any(|p| p.starts_with("locale=")) => q,
            Some(q) if !q.is_empty() => format!("{q}&{extra}"),
            _ => extra,
        });
    }
    let rebuilt = match query {
        Some(q) => format!("{path}?{q}"),
        None => path,
    };
    if rebuilt != uri.to_string()
        && let Ok(new) = rebuilt.parse()
    {
        *req.uri_mut() = new;
    }
    req
}

/// `es`, `en-us`, `pt-br`: a language with an optional region.
fn is_locale(s: &str) -> bool {
    let (lang, region) = s.split_once('-').unwrap_or((s, ""));
    lang.len() == 2
        && lang.chars().all(|c| c.is_ascii_alphabetic())
        && (region.is_empty()
            || (2..=4).contains(&region.len()) && region.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Serves until `shutdown` resolves, then finishes in-flight requests.
pub async fn serve(
    listener: TcpListener,
    app: App,
    settings: Settings,
    pages: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let routes = router(app, settings.clone(), pages);
    let normalized = Router::new().fallback_service(routes.map_request(normalize_path));
    server::run(listener, normalized, settings, shutdown).await
}
