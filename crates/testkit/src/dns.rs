//! A small authoritative DNS server on loopback for tests (RFC 1035 over
//! UDP): it answers TXT questions from a table the test fills (SPF, DKIM
//! and DMARC records), says NXDOMAIN for names it does not know and
//! answers other types with no records. The real resolver (hickory, inside
//! `mail-auth`) talks to it exactly as it would to a public server.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::net::UdpSocket;

const TXT: u16 = 16;

/// The running server and its records.
#[derive(Clone)]
pub struct LocalDns {
    pub addr: SocketAddr,
    records: Arc<Mutex<HashMap<String, Vec<String>>>>,
}

impl LocalDns {
    /// Binds `127.0.0.1:0` and answers until the runtime ends.
    pub async fn start() -> LocalDns {
        let socket = UdpSocket::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("bind DNS: {e}"));
        let addr = socket
            .local_addr()
            .unwrap_or_else(|e| panic!("DNS addr: {e}"));
        let dns = LocalDns {
            addr,
            records: Default::default(),
        };
        let records = dns.records.clone();
        tokio::spawn(async move {
            let mut buf = [0u8; 1500];
            loop {
                let Ok((n, from)) = socket.recv_from(&mut buf).await else {
                    return;
                };
                let table = records.lock().map(|r| r.clone()).unwrap_or_default();
                if let Some(answer) = respond(&buf[..n], &table) {
                    let _ = socket.send_to(&answer, from).await;
                }
            }
        });
        dns
    }

    /// Publishes a TXT record (several calls add several strings).
    pub fn txt(&self, name: &str, value: &str) {
        if let Ok(mut r) = self.records.lock() {
            r.entry(name.trim_end_matches('.').to_lowercase())
                .or_default()
                .push(value.to_string());
        }
    }
}

/// The question's name (lower-case, no trailing dot), type, and where the
/// question ends.
fn question(msg: &[u8]) -> Option<(String, u16, usize)> {
    let mut i = 12;
    let mut labels = Vec::new();
    loop {
        let len = usize::from(*msg.get(i)?);
        i += 1;
        if len == 0 {
            break;
        }
        if len > 63 {
            return None;
        }
        labels.push(String::from_utf8_lossy(msg.get(i..i + len)?).to_lowercase());
        i += len;
    }
    let qtype = u16::from_be_bytes([*msg.get(i)?, *msg.get(i + 1)?]);
    Some((labels.join("."), qtype, i + 4))
}

/// The answer to one query, or `None` for what is not a query.
fn respond(query: &[u8], table: &HashMap<String, Vec<String>>) -> Option<Vec<u8>> {
    if query.len() < 12 || query[2] & 0x80 != 0 {
        return None;
    }
    let (name, qtype, end) = question(query)?;
    let known = table.get(&name);
    let answers: Vec<&String> = match (known, qtype) {
        (Some(v), TXT) => v.iter().collect(),
        _ => vec![],
    };
    let mut out = Vec::with_capacity(512);
    out.extend_from_slice(&query[0..2]);
    // QR, AA, RD copied; RA; NXDOMAIN for unknown names.
    out.push(0x84 | (query[2] & 0x01));
    out.push(0x80 | if known.is_some() { 0 } else { 3 });
    out.extend_from_slice(&1u16.to_be_bytes());
    out.extend_from_slice(&(answers.len() as u16).to_be_bytes());
    out.extend_from_slice(&[0, 0, 0, 0]);
    out.extend_from_slice(&query[12..end]);
    for text in answers {
        let mut rdata = Vec::new();
        for chunk in text.as_bytes().chunks(255) {
            rdata.push(chunk.len() as u8);
            rdata.extend_from_slice(chunk);
        }
        out.extend_from_slice(&[0xC0, 0x0C]);
        out.extend_from_slice(&TXT.to_be_bytes());
        out.extend_from_slice(&1u16.to_be_bytes());
        out.extend_from_slice(&60u32.to_be_bytes());
        out.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
        out.extend_from_slice(&rdata);
    }
    Some(out)
}
