//! The messaging phases: WhatsApp webhook deliveries acknowledged (each
//! signed as Meta signs it, stored before the 200), how fast they are
//! then taken in, and the outbound sender's throughput against a local
//! Cloud API stand-in (replies queued while the account is disabled, then
//! timed from enabling it until the stand-in has taken them all).

use crate::{Target, call, phase};
use hmac::Mac;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const APP_SECRET: &str = "bench-app-secret";
const NUMBER_ID: &str = "555000";

/// How many distinct customers the deliveries come from.
const CUSTOMERS: usize = 500;

fn signature(body: &str) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(APP_SECRET.as_bytes())
        .unwrap_or_else(|_| crate::panic_exit("hmac key"));
    mac.update(body.as_bytes());
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256={hex}")
}

fn delivery(i: usize) -> String {
    let from = 34_600_000_000u64 + (i % CUSTOMERS) as u64;
    serde_json::json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": NUMBER_ID},
            "contacts": [{"profile": {"name": format!("Cliente {}", i % CUSTOMERS)}, "wa_id": from.to_string()}],
            "messages": [{"from": from.to_string(), "id": format!("wamid.B{i}"), "timestamp": "1749416383",
                          "type": "text", "text": {"body": format!("Mensaje {i}: ¿dónde está mi pedido?")}}],
        }}]}],
    })
    .to_string()
}

/// A Cloud API stand-in that takes every message; counts them.
async fn stand_in() -> (String, Arc<AtomicUsize>) {
    use axum::routing::post;
    let taken = Arc::new(AtomicUsize::new(0));
    let counter = taken.clone();
    let app = axum::Router::new().route(
        "/{version}/{number}/messages",
        post(move || {
            let n = counter.fetch_add(1, Ordering::Relaxed);
            async move {
                axum::Json(serde_json::json!({
                    "messaging_product": "whatsapp",
                    "messages": [{"id": format!("wamid.OUT{n}")}],
                }))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| crate::panic_exit(&format!("stand-in: {e}")));
    let base = format!(
        "http://{}",
        listener
            .local_addr()
            .unwrap_or_else(|e| crate::panic_exit(&e.to_string()))
    );
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (base, taken)
}

async fn account_status(t: &Target, id: i64) -> serde_json::Value {
    call(
        t,
        reqwest::Method::GET,
        &format!("/api/v2/channels/accounts/{id}.json"),
        None,
    )
    .await
    .map(|v| v["account"].clone())
    .unwrap_or_default()
}

/// Runs the phases: `deliveries` inbound, then `outbound` replies.
pub async fn run(t: &Arc<Target>, deliveries: usize, outbound: usize, clients: usize) {
    let (base, taken) = stand_in().await;
    let made = call(
        t,
        reqwest::Method::POST,
        "/api/v2/channels/accounts.json",
        Some(serde_json::json!({"account": {"channel": "whatsapp", "name": "Bench", "external_id": NUMBER_ID,
            "credentials": {"access_token": "bench", "app_secret": APP_SECRET}, "api_base": base}})),
    )
    .await
    .unwrap_or_else(|e| crate::panic_exit(&e));
    let id = made["account"]["id"].as_i64().unwrap_or_default();
    let hook: Arc<str> = made["account"]["webhook_url"]
        .as_str()
        .unwrap_or_default()
        .into();

    // Inbound: signed deliveries, acknowledged once stored.
    let bodies: Arc<Vec<(String, String)>> = Arc::new(
        (0..deliveries)
            .map(|i| {
                let b = delivery(i);
                let s = signature(&b);
                (b, s)
            })
            .collect(),
    );
    let started = Instant::now();
    let h = hook.clone();
    phase(
        t,
        "whatsapp delivery ack",
        deliveries,
        clients,
        move |t, i| {
            let (hook, bodies) = (h.clone(), bodies.clone());
            async move {
                let (body, sig) = &bodies[i];
                let r = t
                    .http
                    .post(&*hook)
                    .header("content-type", "application/json")
                    .header("x-hub-signature-256", sig)
                    .body(body.clone())
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                if r.status().as_u16() == 200 {
                    Ok(serde_json::Value::Null)
                } else {
                    Err(format!("delivery: {}", r.status()))
                }
            }
        },
    )
    .await;
    loop {
        let s = account_status(t, id).await;
        let done = s["deliveries_processed"].as_u64().unwrap_or(0) as usize;
        if done >= deliveries || Instant::now() > t.deadline {
            let wall = started.elapsed().as_secs_f64();
            println!(
                "{:<22} {done:>8} taken in {:>9.0} msg/s (acknowledged to on a case, all {deliveries})",
                "whatsapp intake",
                done as f64 / wall
            );
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    if outbound == 0 {
        return;
    }

    // Outbound: replies queued while the account is disabled, then sent.
    let disable = serde_json::json!({"account": {"enabled": false}});
    let _ = call(
        t,
        reqwest::Method::PUT,
        &format!("/api/v2/channels/accounts/{id}.json"),
        Some(disable),
    )
    .await;
    let tickets: Vec<i64> = call(
        t,
        reqwest::Method::GET,
        "/api/v2/tickets.json?per_page=100&sort_by=id&sort_order=desc",
        None,
    )
    .await
    .map(|v| {
        v["tickets"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|t| t["via"]["channel"] == "whatsapp")
            .filter_map(|t| t["id"].as_i64())
            .collect()
    })
    .unwrap_or_default();
    if tickets.is_empty() {
        crate::panic_exit("no WhatsApp cases to reply to");
    }
    let tickets = Arc::new(tickets);
    phase(t, "queue whatsapp replies", outbound, clients, move |t, i| {
        let ticket = tickets[i % tickets.len()];
        async move {
            let body = serde_json::json!({"ticket": {"comment": {"body": format!("Respuesta {i}: sale hoy."), "public": true}}});
            call(&t, reqwest::Method::PUT, &format!("/api/v2/tickets/{ticket}.json"), Some(body))
                .await
                .map(|_| serde_json::Value::Null)
        }
    })
    .await;
    let before = taken.load(Ordering::Relaxed);
    let enable = serde_json::json!({"account": {"enabled": true}});
    let started = Instant::now();
    let _ = call(
        t,
        reqwest::Method::PUT,
        &format!("/api/v2/channels/accounts/{id}.json"),
        Some(enable),
    )
    .await;
    loop {
        let n = taken.load(Ordering::Relaxed) - before;
        if n >= outbound || Instant::now() > t.deadline {
            println!(
                "{:<22} {n:>8} sent     {:>9.0} msg/s (to the Cloud API stand-in)",
                "whatsapp outbound",
                n as f64 / started.elapsed().as_secs_f64()
            );
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
