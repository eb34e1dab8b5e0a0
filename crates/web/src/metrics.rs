//! Request rates and latencies by route family, for the operations
//! metrics (Prometheus's text format, served by the binary on its own
//! listener). A route family is the path's first three segments up to the
//! first that is not a plain word (`/api/v2/tickets`, `/agent/tickets`,
//! `/channels/voice`), so an id or a key never makes a new series; only
//! requests a route took are counted, and past a few hundred families the
//! rest count as `other`. WebSocket upgrades are counted, not timed (a
//! connection lasts as long as the page).

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

/// The most families kept apart.
const MAX_FAMILIES: usize = 300;

/// Latency buckets, in seconds (Prometheus's `le`).
const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0];

/// The methods counted apart; any other counts as `OTHER`.
const METHODS: [&str; 6] = ["GET", "POST", "PUT", "PATCH", "DELETE", "OTHER"];
const CLASSES: [&str; 5] = ["1xx", "2xx", "3xx", "4xx", "5xx"];

#[derive(Default)]
struct Series {
    /// Requests by method and status class.
    count: [[u64; CLASSES.len()]; METHODS.len()],
    /// Timed requests per bucket (not cumulative), then the rest.
    buckets: [u64; BUCKETS.len() + 1],
    sum_secs: f64,
    timed: u64,
}

fn families() -> &'static Mutex<BTreeMap<String, Series>> {
    static FAMILIES: OnceLock<Mutex<BTreeMap<String, Series>>> = OnceLock::new();
    FAMILIES.get_or_init(Mutex::default)
}

/// A segment that names a kind of thing, not one thing: lower-case
/// letters, `-`, `_`, or an API version (`v2`).
fn is_word(s: &str) -> bool {
    let version = s.len() > 1
        && s.len() <= 3
        && s.starts_with('v')
        && s[1..].bytes().all(|b| b.is_ascii_digit());
    version
        || (s.len() <= 32
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'-' || b == b'_'))
}

/// The family of a request's path: the path up to the end of its first
/// three word segments.
fn family(path: &str) -> &str {
    let mut end = 0;
    let mut seen = 0;
    for (i, seg) in path.split('/').enumerate() {
        if i == 0 {
            continue;
        }
        if seen == 3 || seg.is_empty() || !is_word(seg) {
            break;
        }
        seen += 1;
        end += 1 + seg.len();
    }
    if end == 0 { "/" } else { &path[..end] }
}

fn method_index(m: &axum::http::Method) -> usize {
    METHODS
        .iter()
        .position(|x| *x == m.as_str())
        .unwrap_or(METHODS.len() - 1)
}

fn class_index(status: u16) -> usize {
    usize::from((status / 100).clamp(1, 5) - 1)
}

/// Counts and times one request (a route layer: a route took it).
pub async fn record(req: Request, next: Next) -> Response {
    let route = family(req.uri().path()).to_string();
    let method = method_index(req.method());
    let upgrade = req.headers().contains_key("upgrade");
    let started = Instant::now();
    let resp = next.run(req).await;
    let secs = started.elapsed().as_secs_f64();
    let class = class_index(resp.status().as_u16());
    if let Ok(mut all) = families().lock() {
        let key = if all.len() >= MAX_FAMILIES && !all.contains_key(&route) {
            "other".to_string()
        } else {
            route
        };
        let s = all.entry(key).or_default();
        s.count[method][class] += 1;
        if !upgrade {
            let i = BUCKETS
                .iter()
                .position(|b| secs <= *b)
                .unwrap_or(BUCKETS.len());
            s.buckets[i] += 1;
            s.sum_secs += secs;
            s.timed += 1;
        }
    }
    resp
}

/// The request series in Prometheus's text format.
pub fn render() -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# HELP atiende_http_requests_total Requests answered, by route family, method and status class."
    );
    let _ = writeln!(out, "# TYPE atiende_http_requests_total counter");
    let Ok(all) = families().lock() else {
        return out;
    };
    for (f, s) in all.iter() {
        for (m, row) in s.count.iter().enumerate() {
            for (c, n) in row.iter().enumerate().filter(|(_, n)| **n > 0) {
                let _ = writeln!(
                    out,
                    "atiende_http_requests_total{{family=\"{f}\",method=\"{}\",status=\"{}\"}} {n}",
                    METHODS[m], CLASSES[c]
                );
            }
        }
    }
    let _ = writeln!(
        out,
        "# HELP atiende_http_request_duration_seconds Time to answer, by route family."
    );
    let _ = writeln!(
        out,
        "# TYPE atiende_http_request_duration_seconds histogram"
    );
    for (f, s) in all.iter() {
        let mut cumulative = 0;
        for (i, le) in BUCKETS.iter().enumerate() {
            cumulative += s.buckets[i];
            let _ = writeln!(
                out,
                "atiende_http_request_duration_seconds_bucket{{family=\"{f}\",le=\"{le}\"}} {cumulative}"
            );
        }
        let _ = writeln!(
            out,
            "atiende_http_request_duration_seconds_bucket{{family=\"{f}\",le=\"+Inf\"}} {}",
            s.timed
        );
        let _ = writeln!(
            out,
            "atiende_http_request_duration_seconds_sum{{family=\"{f}\"}} {}",
            s.sum_secs
        );
        let _ = writeln!(
            out,
            "atiende_http_request_duration_seconds_count{{family=\"{f}\"}} {}",
            s.timed
        );
    }
    out
}

fn gauge(out: &mut String, name: &str, help: &str, kind: &str, rows: &[(String, i64)]) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
    for (labels, v) in rows {
        if labels.is_empty() {
            let _ = writeln!(out, "{name} {v}");
        } else {
            let _ = writeln!(out, "{name}{{{labels}}} {v}");
        }
    }
}

fn n(v: impl TryInto<i64>) -> i64 {
    v.try_into().unwrap_or(i64::MAX)
}

/// One scrape's queues, health, writer and live connections, in
/// Prometheus's text format.
pub fn render_operations(o: &app::operations::Operations) -> String {
    let b = &o.backlog;
    let mut out = String::new();
    let outbox: Vec<(String, i64)> = b
        .outbox
        .iter()
        .map(|(ch, st, v)| (format!("channel=\"{ch}\",status=\"{st}\""), *v))
        .collect();
    gauge(
        &mut out,
        "atiende_outbox_messages",
        "Outgoing messages queued or failed, per channel.",
        "gauge",
        &outbox,
    );
    let by = |label: &str, rows: &[(String, i64)]| -> Vec<(String, i64)> {
        rows.iter()
            .map(|(k, v)| (format!("{label}=\"{k}\""), *v))
            .collect()
    };
    gauge(
        &mut out,
        "atiende_webhook_calls",
        "Webhook calls queued or failed.",
        "gauge",
        &by("status", &b.webhooks),
    );
    gauge(
        &mut out,
        "atiende_channel_deliveries",
        "Messaging deliveries stored and not read yet (received) or kept as malformed.",
        "gauge",
        &by("state", &b.channel_deliveries),
    );
    gauge(
        &mut out,
        "atiende_inbound_email_waiting",
        "Received email not processed yet.",
        "gauge",
        &[(String::new(), b.inbound_email)],
    );
    gauge(
        &mut out,
        "atiende_routing_queue",
        "Cases waiting in routing's queue.",
        "gauge",
        &[(String::new(), b.routing_waiting)],
    );
    gauge(
        &mut out,
        "atiende_phone_queue",
        "Callers waiting in a phone line's queue.",
        "gauge",
        &[(String::new(), b.calls_waiting)],
    );
    gauge(
        &mut out,
        "atiende_call_recordings",
        "Call recordings waiting to be fetched or failed.",
        "gauge",
        &by("state", &b.recordings),
    );
    gauge(
        &mut out,
        "atiende_imap_mailboxes",
        "IMAP mailboxes, all and those whose last attempt failed.",
        "gauge",
        &[
            ("health=\"all\"".into(), b.imap_mailboxes),
            ("health=\"failing\"".into(), b.imap_failing),
        ],
    );
    gauge(
        &mut out,
        "atiende_write_queue",
        "Writes waiting for their commit on this node.",
        "gauge",
        &[(String::new(), n(o.writes.waiting))],
    );
    gauge(
        &mut out,
        "atiende_write_units_total",
        "Writes committed by this node.",
        "counter",
        &[(String::new(), n(o.writes.units))],
    );
    gauge(
        &mut out,
        "atiende_commits_total",
        "Commits by this node (on SQLite a commit carries a batch of writes).",
        "counter",
        &[(String::new(), n(o.writes.commits))],
    );
    gauge(
        &mut out,
        "atiende_live_connections",
        "Live sockets on this node: agents' workspaces, and chats followed.",
        "gauge",
        &[
            ("kind=\"agent\"".into(), n(o.live_agents)),
            ("kind=\"chat\"".into(), n(o.live_chat_followers)),
        ],
    );
    out
}

/// Serves `GET /metrics` on the operator's own listener (not the API's:
/// it needs no credentials, so bind it where only the monitoring reaches).
pub async fn serve(listener: tokio::net::TcpListener, app: app::App) -> std::io::Result<()> {
    let scrape = move || {
        let app = app.clone();
        async move {
            let ops = match app.operations().await {
                Ok(o) => render_operations(&o),
                Err(e) => {
                    tracing::warn!(error = %e, "reading the operations metrics failed");
                    String::new()
                }
            };
            (
                [(
                    axum::http::header::CONTENT_TYPE,
                    "text/plain; version=0.0.4",
                )],
                format!("{}{ops}", render()),
            )
        }
    };
    let router = axum::Router::new().route("/metrics", axum::routing::get(scrape));
    axum::serve(listener, router).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_stop_at_the_first_parameter() {
        assert_eq!(family("/api/v2/tickets/5/comments"), "/api/v2/tickets");
        assert_eq!(family("/agent/tickets/5"), "/agent/tickets");
        assert_eq!(family("/channels/voice/3/incoming"), "/channels/voice");
        assert_eq!(family("/chat/v1/wk_AbC123/lines"), "/chat/v1");
        assert_eq!(family("/healthz"), "/healthz");
        assert_eq!(family("/"), "/");
        assert_eq!(CLASSES[class_index(204)], "2xx");
        assert_eq!(CLASSES[class_index(503)], "5xx");
    }
}
