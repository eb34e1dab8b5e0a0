//! The live chat phase: `visitors` widget sessions each with its own
//! WebSocket (as the widget opens them), `active` of them handed over to a
//! person (a case each), then for `seconds` agents' replies at `rate` a
//! second through the API, spread over the active chats. Measured on the
//! visitor's socket: the time from the reply's request to its line's
//! arrival. Also reported: the server's memory per idle connection and
//! any connection refused.

use crate::{Target, call, report};
use futures_util::{SinkExt, StreamExt};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

const ORIGIN: &str = "http://loadgen.test";
/// Replies in flight at once.
const IN_FLIGHT: usize = 64;

/// What the phase is asked to do.
pub struct ChatLoad {
    pub visitors: usize,
    pub active: usize,
    pub rate: usize,
    pub seconds: u64,
    /// The spawned server's process, for its memory.
    pub pid: Option<u32>,
}

/// A widget call from the load's page.
async fn widget_call(
    t: &Target,
    key: &str,
    path: &str,
    body: serde_json::Value,
) -> Result<serde_json::Value, String> {
    let r = t
        .http
        .post(format!("{}/chat/v1/{key}/{path}", t.base))
        .header("origin", ORIGIN)
        .header("content-type", "text/plain")
        .body(body.to_string())
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = r.status();
    let v: serde_json::Value = r.json().await.map_err(|e| e.to_string())?;
    if status.is_success() {
        Ok(v)
    } else {
        Err(format!("{path}: {status} {v}"))
    }
}

pub async fn run(t: &Arc<Target>, load: ChatLoad) {
    let w = call(
        t,
        reqwest::Method::POST,
        "/api/v2/chat/widgets.json",
        Some(serde_json::json!({"widget": {"name": "Load", "allowed_origins": [ORIGIN]}})),
    )
    .await
    .unwrap_or_else(|e| crate::panic_exit(&e));
    let key = w["widget"]["key"].as_str().unwrap_or_default().to_string();

    // Sessions (each a new browser's token).
    let started = Instant::now();
    let mut tokens = Vec::with_capacity(load.visitors);
    let mut lat = Vec::new();
    let mut errors = 0;
    for chunk in (0..load.visitors).collect::<Vec<_>>().chunks(64) {
        let mut calls = Vec::new();
        for _ in chunk {
            let (t, key) = (t.clone(), key.clone());
            calls.push(tokio::spawn(async move {
                let s = Instant::now();
                let r = widget_call(&t, &key, "session", serde_json::json!({})).await;
                (s.elapsed(), r)
            }));
        }
        for c in calls {
            match c.await {
                Ok((d, Ok(v))) => {
                    lat.push(d);
                    tokens.push(v["token"].as_str().unwrap_or_default().to_string());
                }
                Ok((_, Err(e))) => {
                    errors += 1;
                    if errors <= 3 {
                        eprintln!("{e}");
                    }
                }
                Err(_) => errors += 1,
            }
        }
    }
    report("chat sessions", lat, started.elapsed(), errors);

    // Hand `active` chats over: a case each.
    let active = load.active.min(tokens.len());
    let started = Instant::now();
    let mut tickets = Vec::with_capacity(active);
    let mut lat = Vec::new();
    let mut errors = 0;
    for (i, token) in tokens.iter().take(active).enumerate() {
        let s = Instant::now();
        let body = serde_json::json!({"token": token, "client_id": format!("h{i}"), "text": "quiero hablar con una persona", "locale": "es"});
        match widget_call(t, &key, "lines", body).await {
            Ok(v) => {
                lat.push(s.elapsed());
                tickets.push(v["conversation"]["ticket_id"].as_i64().unwrap_or_default());
            }
            Err(e) => {
                errors += 1;
                if errors <= 3 {
                    eprintln!("{e}");
                }
            }
        }
    }
    report("chat hand-overs", lat, started.elapsed(), errors);

    // One socket per visitor.
    let before = load.pid.and_then(crate::rss_mb);
    let sent: Arc<Vec<AtomicU64>> = Arc::new(
        (0..load.rate * load.seconds as usize + 1)
            .map(|_| AtomicU64::new(0))
            .collect(),
    );
    let clock = Instant::now();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Duration>();
    let opened = Arc::new(AtomicUsize::new(0));
    let refused = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let url = format!(
        "{}/chat/v1/{key}/socket",
        t.base.replace("http://", "ws://")
    );
    let mut sockets = Vec::new();
    for chunk in tokens.chunks(200) {
        let mut batch = Vec::new();
        for token in chunk {
            let (url, token) = (url.clone(), token.clone());
            let (sent, tx, opened, refused) =
                (sent.clone(), tx.clone(), opened.clone(), refused.clone());
            batch.push(tokio::spawn(async move {
                let Ok(mut req) = url.into_client_request() else {
                    refused.fetch_add(1, Ordering::Relaxed);
                    return;
                };
                if let Ok(v) = ORIGIN.parse() {
                    req.headers_mut().insert("origin", v);
                }
                let Ok((mut ws, _)) = tokio_tungstenite::connect_async(req).await else {
                    refused.fetch_add(1, Ordering::Relaxed);
                    return;
                };
                let hello = serde_json::json!({"token": token, "after": 0}).to_string();
                if ws.send(Message::Text(hello.into())).await.is_err() {
                    refused.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                opened.fetch_add(1, Ordering::Relaxed);
                // Reads until the phase ends; replies carry "lg:<n>".
                while let Some(Ok(m)) = ws.next().await {
                    let Message::Text(text) = m else { continue };
                    let v: serde_json::Value =
                        serde_json::from_str(text.as_str()).unwrap_or_default();
                    for l in v["lines"].as_array().into_iter().flatten() {
                        let Some(n) = l["text"].as_str().and_then(|s| s.strip_prefix("lg:")) else {
                            continue;
                        };
                        if let Some(at) = n.parse::<usize>().ok().and_then(|n| sent.get(n)) {
                            let at = at.load(Ordering::Relaxed);
                            let now = clock.elapsed().as_micros() as u64;
                            if at > 0 && now >= at {
                                let _ = tx.send(Duration::from_micros(now - at));
                            }
                        }
                    }
                }
            }));
        }
        // Each batch is connected before the next starts.
        for _ in 0..200 {
            if opened.load(Ordering::Relaxed) + refused.load(Ordering::Relaxed)
                >= sockets.len() + batch.len()
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        sockets.extend(batch);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = load.pid.and_then(crate::rss_mb);
    let open = opened.load(Ordering::Relaxed);
    println!(
        "chat sockets           {open:>8} open {:>5} refused in {:.1} s",
        refused.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64()
    );
    if let (Some(b), Some(a)) = (before, after) {
        println!(
            "server memory          {b:.0} MB before the sockets, {a:.0} MB with them: {:.1} KB per idle connection",
            (a - b) * 1024.0 / open.max(1) as f64
        );
    }

    // Agents reply at `rate` a second, spread over the active chats.
    if tickets.is_empty() {
        return;
    }
    let total = load.rate * load.seconds as usize;
    let gate = Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT));
    let tickets = Arc::new(tickets);
    let api_lat = Arc::new(std::sync::Mutex::new(Vec::new()));
    let failed = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / load.rate.max(1) as f64));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let mut tasks = Vec::new();
    for n in 1..=total {
        tick.tick().await;
        if Instant::now() > t.deadline {
            break;
        }
        let Ok(permit) = gate.clone().acquire_owned().await else {
            break;
        };
        let (t, tickets, sent, api_lat, failed) = (
            t.clone(),
            tickets.clone(),
            sent.clone(),
            api_lat.clone(),
            failed.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let ticket = tickets[n % tickets.len()];
            let s = Instant::now();
            sent[n].store(clock.elapsed().as_micros() as u64, Ordering::Relaxed);
            let r = call(
                &t,
                reqwest::Method::PUT,
                &format!("/api/v2/tickets/{ticket}.json"),
                Some(serde_json::json!({"ticket": {"comment": {"body": format!("lg:{n}"), "public": true}}})),
            )
            .await;
            match r {
                Ok(_) => api_lat.lock().unwrap_or_else(|p| p.into_inner()).push(s.elapsed()),
                Err(e) => {
                    if failed.fetch_add(1, Ordering::Relaxed) < 3 {
                        eprintln!("{e}");
                    }
                }
            }
            drop(permit);
        }));
    }
    for task in tasks {
        let _ = task.await;
    }
    let wall = started.elapsed();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let api = std::mem::take(&mut *api_lat.lock().unwrap_or_else(|p| p.into_inner()));
    report(
        "agent replies (API)",
        api,
        wall,
        failed.load(Ordering::Relaxed),
    );
    drop(tx);
    let mut delivered = Vec::new();
    while let Ok(d) = rx.try_recv() {
        delivered.push(d);
    }
    report("reply → visitor socket", delivered, wall, 0);
    for s in sockets {
        s.abort();
    }
}
