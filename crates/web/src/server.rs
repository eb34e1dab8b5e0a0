//! The HTTP server itself: accepting connections within limits (in total
//! and per source address), hyper with a deadline for request headers (a
//! client that trickles them, slowloris, is cut off) and an overall
//! deadline for request bodies, WebSocket upgrades, graceful shutdown.
//! Every request learns who the client is ([`app::guard::Client`]) and
//! every response carries the browser security headers.

use crate::Settings;
use app::guard::Client;
use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceExt as _;

/// The connection's remote address, put on every request.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub SocketAddr);

/// Serves `router` until `shutdown` resolves, then lets open requests
/// finish.
pub async fn run(
    listener: TcpListener,
    router: Router,
    settings: Settings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let open = app::guard::Connections::new(
        settings.max_connections,
        settings.max_connections_per_source,
    );
    // Told to every connection at shutdown: finish the request, then close.
    let (closing, closing_rx) = tokio::sync::watch::channel(false);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(settings.header_timeout)
        .max_buf_size(64 * 1024);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait, do not spin.
                    tracing::warn!(error = %e, "HTTP accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let trusted = settings.trusted_proxies.contains(&peer.ip());
        let Some(place) = open.take(peer.ip(), trusted) else {
            tracing::warn!(source = %peer.ip(), "HTTP connection refused: too many connections");
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut req: Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(Peer(peer));
            router.clone().oneshot(req.map(Body::new))
        });
        let conn = http
            .serve_connection(TokioIo::new(stream), service)
            .with_upgrades();
        let mut closing = closing_rx.clone();
        tokio::spawn(async move {
            tokio::pin!(conn);
            let ended = tokio::select! {
                r = conn.as_mut() => Some(r),
                _ = closing.wait_for(|c| *c) => None,
            };
            let ended = match ended {
                Some(r) => r,
                None => {
                    conn.as_mut().graceful_shutdown();
                    conn.await
                }
            };
            if let Err(e) = ended {
                tracing::debug!(error = %e, "HTTP connection ended");
            }
            drop(place);
        });
    }
    drop(listener);
    // In-flight requests finish; idle keep-alive connections close.
    let _ = closing.send(true);
    let drained = async {
        while open.open() > 0 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(30), drained).await;
    Ok(())
}

/// Who the client is: the connection's address, or, when the connection
/// comes from a trusted proxy, the last address of `X-Forwarded-For` (the
/// one that proxy appended; earlier ones are the client's own claims); HTTPS
/// when the public URL is https, or a trusted proxy says
/// `X-Forwarded-Proto: https`.
pub fn client_of(headers: &HeaderMap, peer: Option<SocketAddr>, settings: &Settings) -> Client {
    let direct = peer.map_or(IpAddr::from([127, 0, 0, 1]), |p| p.ip());
    let trusted = settings.trusted_proxies.contains(&direct);
    let header_text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let ip = if trusted {
        header_text("x-forwarded-for")
            .and_then(|v| v.rsplit(',').map(str::trim).find(|s| !s.is_empty()))
            .and_then(|s| s.parse().ok())
            .unwrap_or(direct)
    } else {
        direct
    };
    let https = settings.public_https()
        || (trusted
            && header_text("x-forwarded-proto")
                .is_some_and(|p| p.trim().eq_ignore_ascii_case("https")));
    Client { ip, https }
}

/// Middleware: puts the [`Client`] on the request, bounds the time to send
/// the body, and adds the security headers to the response.
pub async fn guard_request(
    axum::extract::State(settings): axum::extract::State<Arc<Settings>>,
    mut req: Request,
    next: Next,
) -> Response {
    let peer = req.extensions().get::<Peer>().map(|p| p.0);
    let client = client_of(req.headers(), peer, &settings);
    req.extensions_mut().insert(client);
    let (parts, body) = req.into_parts();
    let body = Body::new(DeadlineBody {
        inner: body,
        deadline: tokio::time::Instant::now() + settings.body_timeout,
        timer: None,
    });
    let mut resp = next.run(Request::from_parts(parts, body)).await;
    security_headers(resp.headers_mut(), client.https);
    if client.https {
        secure_cookies(resp.headers_mut());
    }
    resp
}

/// Marks every cookie `Secure`: the client reached us over HTTPS, so the
/// browser must never send them over plain HTTP.
fn secure_cookies(h: &mut HeaderMap) {
    let cookies: Vec<HeaderValue> = h.get_all(header::SET_COOKIE).iter().cloned().collect();
    if cookies.is_empty() {
        return;
    }
    h.remove(header::SET_COOKIE);
    for c in cookies {
        let text = c.to_str().unwrap_or_default();
        let value = if text.is_empty() || text.to_ascii_lowercase().contains("; secure") {
            c
        } else {
            HeaderValue::from_str(&format!("{text}; Secure")).unwrap_or(c)
        };
        h.append(header::SET_COOKIE, value);
    }
}

/// The browser security headers: no inline script anywhere, no framing,
/// no MIME sniffing, no full referrers to other sites.
fn security_headers(h: &mut HeaderMap, https: bool) {
    let mut set = |name: header::HeaderName, value: &'static str| {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    };
    set(
        header::CONTENT_SECURITY_POLICY,
        app::page_policy::CONTENT_SECURITY_POLICY,
    );
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "strict-origin-when-cross-origin");
    set(
        header::HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    if https {
        set(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000");
    }
}

/// A request body that must arrive whole before its deadline; a client
/// that trickles it gets an error instead of holding the request forever.
/// The timer is made only when the body is not all there already (most
/// requests' bodies arrive with their headers): no timer per request.
struct DeadlineBody {
    inner: Body,
    deadline: tokio::time::Instant,
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl http_body::Body for DeadlineBody {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(frame) => Poll::Ready(frame),
            Poll::Pending => {
                let deadline = this.deadline;
                let timer = this
                    .timer
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
                if timer.as_mut().poll(cx).is_ready() {
                    return Poll::Ready(Some(Err(axum::Error::new(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "request body too slow",
                    )))));
                }
                Poll::Pending
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}
