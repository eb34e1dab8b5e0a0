//! The email phase: deliver messages through the built-in SMTP listener
//! with a realistic mix (new tickets, replies threading by In-Reply-To,
//! some with a PDF attached), measuring the listener's acknowledgements
//! (`DATA` to `250`, which the server sends after the durable commit), then
//! how long until every new message is a ticket.

use crate::{Target, report};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A 40 KB "PDF" for the messages that carry an attachment.
fn attachment() -> String {
    let raw: Vec<u8> = (0..30_000u32).map(|i| (i % 251) as u8).collect();
    let mut b64 = String::new();
    let table = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for chunk in raw.chunks(3) {
        let n = chunk.iter().fold(0u32, |a, b| (a << 8) | u32::from(*b)) << (8 * (3 - chunk.len()));
        for k in 0..4 {
            if k <= chunk.len() {
                b64.push(table[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                b64.push('=');
            }
        }
        if b64.len() % 78 == 76 {
            b64.push_str("\r\n");
        }
    }
    b64
}

/// Message `i` of the mix: every 4th is a reply to the message 3 before,
/// every 10th carries an attachment.
fn message(i: usize, pdf: &str) -> (String, Vec<u8>) {
    let from = format!("cliente{}@bench.example", i % 500);
    let reply = i % 4 == 3;
    let mut m = format!(
        "From: Cliente {} <{from}>\r\nTo: support@example.com\r\nSubject: {}Pedido {} no llega\r\nMessage-ID: <bench-{i}@bench.example>\r\n",
        i % 500,
        if reply { "Re: " } else { "" },
        if reply { i - 3 } else { i }
    );
    if reply {
        m.push_str(&format!("In-Reply-To: <bench-{}@bench.example>\r\n", i - 3));
    }
    let text = format!(
        "Hola, mi pedido número {i} no ha llegado y quiero saber cuándo llega o pedir un reembolso.\r\n"
    );
    if i % 10 == 5 {
        m.push_str("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
        m.push_str(&text);
        m.push_str("--b\r\nContent-Type: application/pdf; name=\"factura.pdf\"\r\nContent-Disposition: attachment; filename=\"factura.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        m.push_str(pdf);
        m.push_str("\r\n--b--\r\n");
    } else {
        m.push_str("Content-Type: text/plain; charset=utf-8\r\n\r\n");
        m.push_str(&text);
    }
    (from, m.into_bytes())
}

async fn ticket_count(t: &Target) -> i64 {
    crate::call(
        t,
        reqwest::Method::GET,
        "/api/v2/tickets.json?per_page=1",
        None,
    )
    .await
    .ok()
    .and_then(|v| v["count"].as_i64())
    .unwrap_or(0)
}

/// Delivers `total` messages over `clients` connections.
pub async fn run(t: &Arc<Target>, smtp: &str, total: usize, clients: usize) {
    let before = ticket_count(t).await;
    let pdf = Arc::new(attachment());
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients.max(1) {
        let (next, pdf, smtp, deadline) = (next.clone(), pdf.clone(), smtp.to_string(), t.deadline);
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut errors = 0usize;
            let Ok(mut c) = mail::client::Client::connect(&smtp).await else {
                return (lat, 1);
            };
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= total || Instant::now() > deadline {
                    return (lat, errors);
                }
                let (from, raw) = message(i, &pdf);
                let s = Instant::now();
                match c.send(&from, "support@example.com", &raw).await {
                    Ok(_) => lat.push(s.elapsed()),
                    Err(e) => {
                        errors += 1;
                        if errors <= 3 {
                            eprintln!("smtp: {e}");
                        }
                        match mail::client::Client::connect(&smtp).await {
                            Ok(n) => c = n,
                            Err(_) => return (lat, errors),
                        }
                    }
                }
            }
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for task in tasks {
        if let Ok((lat, e)) = task.await {
            all.extend(lat);
            errors += e;
        }
    }
    let acked = all.len();
    report("smtp DATA→250 (stored)", all, started.elapsed(), errors);
    // New tickets are the messages that are not replies.
    let expected = before + (0..acked).filter(|i| i % 4 != 3).count() as i64;
    let wait = Instant::now();
    while ticket_count(t).await < expected && wait.elapsed() < Duration::from_secs(300) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "smtp processed           {acked:>8} messages into tickets and replies in {elapsed:.1} s ({:.0} messages/s end to end)",
        acked as f64 / elapsed
    );
}
