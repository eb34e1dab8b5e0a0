//! Fuzzing on every run, within a time budget (3 s a fuzzer by default,
//! `ATIENDE_FUZZ_SECS=600` for a long run; `ATIENDE_FUZZ_SEED` replays
//! one): the API fed mutated and random JSON bodies, paths and query
//! strings on every route, search queries mutated from real ones, and the
//! SMTP listener fed random and mutated dialogues. Nothing may panic,
//! answer 5xx, or grow memory without bound; afterwards the server still
//! does its job. (The MIME parser and the query parser have property
//! tests in their crates, run on every run as well.)

use super::email::{processed, queued_id, start_smtp};
use super::route_table::API;
use super::*;
use atiende_testkit::fuzz::{self, Deadline, NASTY, Rng};

/// A path from a row's template, its placeholders filled with small ids
/// or hostile text.
fn path_of(rng: &mut Rng, template: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .map_or(rest.len(), |e| start + e + 1);
        let value = if rng.chance(3) {
            form_urlencoded::byte_serialize(rng.pick(NASTY).as_bytes()).collect::<String>()
        } else {
            (1 + rng.below(12)).to_string()
        };
        out.push_str(if value.is_empty() { "x" } else { &value });
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

const PARAMS: &[&str] = &[
    "page",
    "per_page",
    "page[size]",
    "page[after]",
    "page[before]",
    "sort_by",
    "sort_order",
    "query",
    "ids",
    "start_time",
    "cursor",
    "include",
    "locale",
    "role",
    "external_id",
    "active",
    "score",
    "type",
    "name",
    "email",
    "filename",
];

const QUERIES: &[&str] = &[
    "status<solved tags:vip \"no llega\" created>2026-01-01 assignee:me -reembolso",
    "type:user email:ana@example.com",
    "priority>=high requester:ana@example.com order_by:created sort:desc",
    "pedido* -\"no llega\" group:\"Soporte 2\" via:email",
    "type:organization name:acme*",
];

fn query_string(rng: &mut Rng) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    for _ in 0..rng.below(4) {
        let key = if rng.chance(6) {
            rng.pick(NASTY).to_string()
        } else {
            rng.pick(PARAMS).to_string()
        };
        let value = match rng.below(4) {
            0 => rng.pick(NASTY).to_string(),
            1 => {
                let seed = *rng.pick(QUERIES);
                String::from_utf8_lossy(&fuzz::mutate(rng, seed.as_bytes())).into_owned()
            }
            2 => rng.below(1_000_000).to_string(),
            _ => rng.pick(QUERIES).to_string(),
        };
        q.append_pair(&key, &value);
    }
    q.finish()
}

/// A body: the row's sample mutated, a random JSON document, or bytes.
fn body_of(rng: &mut Rng, sample: &str) -> Vec<u8> {
    match rng.below(4) {
        0 if !sample.is_empty() && sample != "file" => fuzz::mutate(rng, sample.as_bytes()),
        1 => {
            let mut v = fuzz::json_value(rng, 4);
            if let (Some(key), Some(obj)) = (sample.split('"').nth(1), v.as_object_mut()) {
                obj.insert(key.to_string(), fuzz::json_value(rng, 3));
            }
            v.to_string().into_bytes()
        }
        2 => {
            // Deep nesting: parsers must not recurse without bound.
            let depth = 10 + rng.below(2000);
            let mut s = "[".repeat(depth);
            s.push_str(&"]".repeat(depth));
            s.into_bytes()
        }
        _ => (0..rng.below(512)).map(|_| rng.next_u64() as u8).collect(),
    }
}

both!(api_survives_fuzzed_requests, |srv| {
    fuzz::count_panics();
    let mut rng = Rng::from_env("api fuzz");
    let (_, customer) = srv
        .user_with_token("Cliente", "fuzz@example.com", "end-user")
        .await;
    new_ticket(
        &srv,
        json!({"subject": "semilla", "comment": {"body": "pedido no llega"}}),
    )
    .await;
    let before = fuzz::rss_bytes();
    let deadline = Deadline::after(fuzz::budget(3));
    let (mut sent, mut failures) = (0u64, Vec::new());
    while !deadline.passed() {
        let (method, template, _, sample) = *rng.pick(API);
        let method = if rng.chance(10) {
            *rng.pick(&["GET", "POST", "PUT", "DELETE", "PATCH"])
        } else {
            method
        };
        let mut path = path_of(&mut rng, template);
        if rng.chance(2) {
            path = format!(
                "{path}{}{}",
                if path.contains('?') { "&" } else { "?" },
                query_string(&mut rng)
            );
        }
        if rng.chance(8) {
            let seed = *rng.pick(QUERIES);
            let q = fuzz::mutate(&mut rng, seed.as_bytes());
            path = format!(
                "/api/v2/search.json?query={}",
                form_urlencoded::byte_serialize(&q).collect::<String>()
            );
        }
        let auth = if rng.chance(3) {
            customer.clone()
        } else {
            srv.admin()
        };
        let body = (method != "GET").then(|| body_of(&mut rng, sample));
        let content_type = *rng.pick(&[
            "application/json",
            "application/json",
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
        ]);
        let r = srv
            .raw(method, &path, &auth, body.clone(), Some(content_type))
            .await;
        sent += 1;
        let status = r.status().as_u16();
        if status >= 500 {
            let text = r.text().await.unwrap_or_default();
            failures.push(format!(
                "{method} {path} -> {status} {text} (body {:?})",
                body.map(|b| String::from_utf8_lossy(&b)
                    .chars()
                    .take(200)
                    .collect::<String>())
            ));
        }
    }
    let grown = fuzz::rss_bytes().saturating_sub(before);
    eprintln!(
        "api fuzz: {sent} requests, RSS grew {} MiB, {} failures",
        grown >> 20,
        failures.len()
    );
    assert!(sent > 50, "the fuzzer ran ({sent} requests)");
    assert!(
        failures.is_empty(),
        "server errors:\n{}",
        failures.join("\n")
    );
    assert_eq!(fuzz::panics(), 0, "a panic happened while fuzzing");
    assert!(grown < 256 << 20, "RSS grew {} MiB", grown >> 20);
    // Still serving, and still right (as a new admin: the fuzzer may have
    // renamed or demoted the first one, as an admin may).
    let admin = srv
        .app
        .bootstrap_admin("after@example.com", "Después", "after-password-1")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let token = srv
        .app
        .create_token(admin.id, app::auth::TokenKind::Api, "after")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let after = Auth::Token("after@example.com".into(), token);
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/tickets.json",
            &after,
            Some(
                json!({"ticket": {"subject": "después", "comment": {"body": "zanahoria morada"}}}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let (s, b) = srv.get("/api/v2/search.json?query=zanahoria", &after).await;
    assert_eq!((s, b["count"].as_i64()), (200, Some(1)), "{b}");
});

/// Commands an SMTP client may send, for building dialogues.
const SMTP: &[&str] = &[
    "EHLO client.test",
    "HELO x",
    "MAIL FROM:<a@example.com>",
    "MAIL FROM:<> SIZE=99999999999",
    "RCPT TO:<support@example.com>",
    "RCPT TO:<nobody@elsewhere.test>",
    "DATA",
    "RSET",
    "NOOP",
    "VRFY x",
    "STARTTLS",
    "AUTH PLAIN AAAA",
    "BDAT 10 LAST",
    "QUIT",
    ".",
    "MAIL FROM:",
    "RCPT TO:<",
    "Subject: x",
    "",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_listener_survives_fuzzed_dialogues() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    fuzz::count_panics();
    let srv = TestServer::start(atiende_testkit::Backend::Sqlite).await;
    let smtp = start_smtp(&srv).await;
    let addr = format!("127.0.0.1:{}", smtp.port);
    let mut rng = Rng::from_env("smtp fuzz");
    let deadline = Deadline::after(fuzz::budget(3));
    let mut sessions = 0u64;
    while !deadline.passed() {
        let Ok(mut s) = tokio::net::TcpStream::connect(&addr).await else {
            panic!("the listener stopped accepting after {sessions} sessions");
        };
        let mut script = Vec::new();
        for _ in 0..rng.below(12) {
            let line = rng.pick(SMTP).as_bytes().to_vec();
            let line = if rng.chance(3) {
                fuzz::mutate(&mut rng, &line)
            } else {
                line
            };
            script.extend_from_slice(&line);
            script.extend_from_slice(if rng.chance(8) { b"\n" } else { b"\r\n" });
            if rng.chance(10) {
                script.extend((0..rng.below(2000)).map(|_| rng.next_u64() as u8));
            }
        }
        let _ = tokio::time::timeout(std::time::Duration::from_secs(2), s.write_all(&script)).await;
        let _ = s.shutdown().await;
        let mut sink = Vec::new();
        let _ =
            tokio::time::timeout(std::time::Duration::from_secs(2), s.read_to_end(&mut sink)).await;
        sessions += 1;
    }
    eprintln!("smtp fuzz: {sessions} sessions");
    assert!(sessions > 20);
    assert_eq!(fuzz::panics(), 0, "a panic happened while fuzzing");
    // And a real message still goes through.
    let mut c = mail::client::Client::connect(&addr)
        .await
        .unwrap_or_else(|e| panic!("connect after fuzzing: {e}"));
    let reply = c
        .send("ana@example.com", "support@example.com", b"From: ana@example.com\r\nTo: support@example.com\r\nSubject: sigue vivo\r\n\r\nhola\r\n")
        .await
        .unwrap_or_else(|e| panic!("send after fuzzing: {e}"));
    let (status, ticket, _) = processed(&srv, queued_id(&format!("DATA {reply}"))).await;
    assert_eq!(status, "processed");
    assert!(ticket.is_some());
}
