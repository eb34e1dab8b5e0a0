//! Mail as an attacker sends it: a forged `From:` claiming to be an agent
//! (held in the suspended queue, never posted as the agent), the same agent
//! really writing (SPF or a DKIM signature made by dkimpy, checked against a
//! DNS server of the test's own), mail with no usable sender, a Message-ID
//! reused by a different message, and hostile SMTP clients that send
//! endless lines or open too many connections.

use super::email::{Smtp, comments, processed, pyenv, queued_id, start_smtp};
use super::*;
use std::path::Path;

/// Sends `raw` through our listener from 127.0.0.1 with the Rust client;
/// returns the stored message's id.
async fn deliver(smtp: &Smtp, mail_from: &str, raw: &str) -> i64 {
    let mut c = mail::client::Client::connect(&format!("127.0.0.1:{}", smtp.port))
        .await
        .unwrap_or_else(|e| panic!("connect: {e}"));
    let reply = c
        .send(mail_from, "support@example.com", raw.as_bytes())
        .await
        .unwrap_or_else(|e| panic!("send: {e}"));
    queued_id(&format!("DATA {reply}"))
}

fn message(from: &str, subject: &str, body: &str, extra: &str) -> String {
    format!(
        "From: {from}\r\nTo: support@example.com\r\nSubject: {subject}\r\n\
         Message-ID: <{}@mail.test>\r\nDate: Fri, 04 Dec 2026 10:00:00 +0000\r\n{extra}\r\n{body}\r\n",
        app::auth::random_token(12)
    )
}

async fn ticket_for(srv: &TestServer, requester: &str) -> i64 {
    new_ticket(
        srv,
        json!({"subject": "Reembolso", "comment": {"body": "Quiero mi dinero"},
               "requester": {"name": "Cliente", "email": requester}}),
    )
    .await["id"]
        .as_i64()
        .unwrap_or_default()
}

both!(
    forged_staff_mail_is_suspended_and_recovered_by_an_admin,
    |srv| {
        let smtp = start_smtp(&srv).await;
        let (agent, agent_auth) = srv
            .user_with_token("Agente", "agente@corp.test", "agent")
            .await;
        // corp.test sends only from 192.0.2.10 and asks receivers to reject
        // the rest; the forger connects from 127.0.0.1.
        smtp.dns.txt("corp.test", "v=spf1 ip4:192.0.2.10 -all");
        smtp.dns.txt("_dmarc.corp.test", "v=DMARC1; p=reject");
        let t = ticket_for(&srv, "cliente@example.com").await;
        let raw = message(
            "Agente <agente@corp.test>",
            &format!("Re: [#{t}] Reembolso"),
            "Reembolso aprobado, te lo ingresamos hoy.",
            "Cc: complice@evil.test\r\n",
        );
        let id = deliver(&smtp, "agente@corp.test", &raw).await;
        let (status, _, outcome) = processed(&srv, id).await;
        assert_eq!(status, "suspended", "{outcome}");
        assert!(outcome.contains("spf=fail"), "{outcome}");
        assert_eq!(
            comments(&srv, t).await.len(),
            1,
            "nothing posted as the agent"
        );
        let (_, tk) = srv
            .get(&format!("/api/v2/tickets/{t}.json"), &srv.admin())
            .await;
        assert_eq!(
            tk["ticket"]["collaborator_ids"],
            json!([]),
            "the Cc did not join"
        );

        // Admins see it in Zendesk's suspended tickets API, with its cause.
        let (s, list) = srv
            .get("/api/v2/suspended_tickets.json", &srv.admin())
            .await;
        assert_eq!(s, 200, "{list}");
        let held = &list["suspended_tickets"][0];
        assert_eq!(held["id"], json!(id));
        assert_eq!(held["author"]["email"], "agente@corp.test");
        assert_eq!(held["cause"], "Sender not verified (claims to be staff)");
        assert!(
            held["subject"]
                .as_str()
                .unwrap_or("")
                .contains(&format!("[#{t}]"))
        );
        // Agents do not, and customers even less.
        let (s, _) = srv.get("/api/v2/suspended_tickets.json", &agent_auth).await;
        assert_eq!(s, 403);
        let (s, _) = srv
            .call(
                "PUT",
                &format!("/api/v2/suspended_tickets/{id}/recover.json"),
                &agent_auth,
                None,
            )
            .await;
        assert_eq!(s, 403);

        // An admin who knows the agent did write it recovers it.
        let (s, b) = srv
            .call(
                "PUT",
                &format!("/api/v2/suspended_tickets/{id}/recover.json"),
                &srv.admin(),
                None,
            )
            .await;
        assert_eq!(s, 200, "{b}");
        assert_eq!(b["ticket"]["id"], json!(t));
        let c = comments(&srv, t).await;
        assert_eq!(c.len(), 2);
        assert_eq!(c[1]["author_id"], json!(agent));
        let (_, list) = srv
            .get("/api/v2/suspended_tickets.json", &srv.admin())
            .await;
        assert_eq!(list["count"], 0);

        // Another forgery, deleted by the admin: gone from the queue.
        let id = deliver(
            &smtp,
            "agente@corp.test",
            &message("agente@corp.test", "hola", "x", ""),
        )
        .await;
        assert_eq!(processed(&srv, id).await.0, "suspended");
        let (s, _) = srv
            .call(
                "DELETE",
                &format!("/api/v2/suspended_tickets/{id}.json"),
                &srv.admin(),
                None,
            )
            .await;
        assert_eq!(s, 204);
        let (s, _) = srv
            .get(
                &format!("/api/v2/suspended_tickets/{id}.json"),
                &srv.admin(),
            )
            .await;
        assert_eq!(s, 404);
    }
);

/// An RSA key made with openssl, and its public half as a DKIM record.
fn dkim_key(dir: &Path) -> (std::path::PathBuf, String) {
    super::certs::openssl(dir, &["genrsa", "-traditional", "-out", "dkim.pem", "1024"]);
    super::certs::openssl(
        dir,
        &[
            "rsa",
            "-in",
            "dkim.pem",
            "-pubout",
            "-outform",
            "DER",
            "-out",
            "dkim.pub.der",
        ],
    );
    let public = std::fs::read(dir.join("dkim.pub.der")).unwrap_or_default();
    use base64::Engine;
    let p = base64::engine::general_purpose::STANDARD.encode(public);
    (dir.join("dkim.pem"), format!("v=DKIM1; k=rsa; p={p}"))
}

/// Signs `raw` with dkimpy, as the sending domain's server would.
fn dkim_sign(key: &Path, selector: &str, domain: &str, raw: &str) -> String {
    use std::io::Write;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/email/dkim_sign.py");
    let mut child = std::process::Command::new(pyenv())
        .arg(script)
        .arg(key)
        .args([selector, domain])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("python: {e}; run scripts/test.sh"));
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(raw.as_bytes());
    }
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "dkim_sign: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

both!(staff_mail_with_spf_or_dkim_is_posted_as_the_agent, |srv| {
    let smtp = start_smtp(&srv).await;
    let (agent, _) = srv
        .user_with_token("Agente", "agente@corp.test", "agent")
        .await;
    let (other, _) = srv.user_with_token("Otra", "otra@spf.test", "agent").await;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (key, record) = dkim_key(dir.path());
    smtp.dns.txt("sel._domainkey.corp.test", &record);
    smtp.dns.txt("_dmarc.corp.test", "v=DMARC1; p=reject");
    smtp.dns.txt("spf.test", "v=spf1 ip4:127.0.0.1 -all");

    // DKIM-signed by corp.test: believed, even sent from anywhere.
    let t = ticket_for(&srv, "cliente@example.com").await;
    let raw = message(
        "Agente <agente@corp.test>",
        &format!("Re: [#{t}] Reembolso"),
        "Firmado por corp.test.",
        "",
    );
    let signed = dkim_sign(&key, "sel", "corp.test", &raw);
    let id = deliver(&smtp, "bounces@other.test", &signed).await;
    let (status, ticket, outcome) = processed(&srv, id).await;
    assert_eq!(
        (status.as_str(), ticket),
        ("processed", Some(t)),
        "{outcome}"
    );
    let c = comments(&srv, t).await;
    assert_eq!(c.last().map(|c| c["author_id"].clone()), Some(json!(agent)));

    // The same message altered after signing fails and is held.
    let tampered = signed.replace("Firmado por corp.test.", "Reembolso aprobado.");
    let id = deliver(
        &smtp,
        "bounces@other.test",
        &tampered.replace("@mail.test>", "x@mail.test>"),
    )
    .await;
    assert_eq!(processed(&srv, id).await.0, "suspended");

    // SPF: spf.test lets 127.0.0.1 send for it, and From is aligned.
    let raw = message(
        "Otra <otra@spf.test>",
        &format!("Re: [#{t}] Reembolso"),
        "Por SPF.",
        "",
    );
    let id = deliver(&smtp, "otra@spf.test", &raw).await;
    let (status, _, outcome) = processed(&srv, id).await;
    assert_eq!(status, "processed", "{outcome}");
    let c = comments(&srv, t).await;
    assert_eq!(c.last().map(|c| c["author_id"].clone()), Some(json!(other)));
});

both!(mail_without_a_usable_sender_is_held_not_dropped, |srv| {
    let smtp = start_smtp(&srv).await;
    // No From: and a null envelope sender: nobody to answer.
    let raw = "To: support@example.com\r\nSubject: sin nadie\r\n\r\nhola\r\n";
    let id = deliver(&smtp, "", raw).await;
    let (status, _, outcome) = processed(&srv, id).await;
    assert_eq!(status, "suspended", "{outcome}");
    let (_, list) = srv
        .get("/api/v2/suspended_tickets.json", &srv.admin())
        .await;
    let held = &list["suspended_tickets"][0];
    assert_eq!(held["cause"], "No sender address");
    assert_eq!(held["subject"], "sin nadie");
    // It cannot be recovered (there is no one to answer), only deleted.
    let (s, _) = srv
        .call(
            "PUT",
            &format!("/api/v2/suspended_tickets/{id}/recover.json"),
            &srv.admin(),
            None,
        )
        .await;
    assert_eq!(s, 422);
    // A From: without a domain falls back to the envelope sender.
    let raw = "From: nadie\r\nTo: support@example.com\r\nSubject: sin dominio\r\n\r\nhola\r\n";
    let id = deliver(&smtp, "real@example.com", raw).await;
    let (status, ticket, _) = processed(&srv, id).await;
    assert_eq!(status, "processed");
    assert!(ticket.is_some());
});

both!(a_different_message_reusing_a_message_id_is_kept, |srv| {
    let smtp = start_smtp(&srv).await;
    let first = "From: ana@example.com\r\nTo: support@example.com\r\nSubject: uno\r\nMessage-ID: <same@lists.test>\r\n\r\nprimero\r\n";
    let second = "From: bob@example.com\r\nTo: support@example.com\r\nSubject: dos\r\nMessage-ID: <same@lists.test>\r\n\r\nsegundo\r\n";
    let a = deliver(&smtp, "ana@example.com", first).await;
    let (_, ta, _) = processed(&srv, a).await;
    let b = deliver(&smtp, "bob@example.com", second).await;
    let (status, tb, outcome) = processed(&srv, b).await;
    assert_eq!(status, "processed", "{outcome}");
    assert!(tb.is_some() && tb != ta, "a second ticket: {ta:?} {tb:?}");
    // The first message delivered again is still one comment.
    let again = deliver(&smtp, "ana@example.com", first).await;
    let (status, t, _) = processed(&srv, again).await;
    assert_eq!((status.as_str(), t), ("ignored", ta));
});

use atiende_testkit::fuzz::rss_bytes as rss;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_memory_stays_flat_under_hostile_connections() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let srv = TestServer::start(atiende_testkit::Backend::Sqlite).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    srv.app
        .mailboxes
        .set_configured("support@example.com", "Soporte");
    let mut config = mail::smtp::SmtpConfig::new("atiende.test", 5 * 1024 * 1024);
    // All 200 come from 127.0.0.1: let them all in, to test the reads;
    // messages in flight may hold 32 MiB between them.
    config.max_per_source = 1000;
    config.max_buffered = 32 << 20;
    let wake = std::sync::Arc::new(tokio::sync::Notify::new());
    tokio::spawn(mail::smtp::serve(
        listener,
        srv.app.clone(),
        config,
        wake,
        std::future::pending::<()>(),
    ));
    let before = rss();
    // 200 clients each try to send 8 MiB without a newline, as a command
    // and inside DATA; before the fix each was buffered whole (1.6 GiB).
    static CHUNK: [u8; 64 * 1024] = [b'A'; 64 * 1024];
    let chunk = &CHUNK[..];
    let mut clients = tokio::task::JoinSet::new();
    for i in 0..200 {
        clients.spawn(async move {
            let Ok(mut s) = tokio::net::TcpStream::connect(addr).await else {
                return 0usize;
            };
            let mut greeting = [0u8; 512];
            let _ = s.read(&mut greeting).await;
            if i % 2 == 1 {
                let _ = s
                    .write_all(b"EHLO x\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<support@example.com>\r\nDATA\r\n")
                    .await;
            }
            let mut sent = 0;
            for _ in 0..128 {
                match tokio::time::timeout(std::time::Duration::from_secs(5), s.write_all(chunk)).await {
                    Ok(Ok(())) => sent += chunk.len(),
                    _ => break,
                }
            }
            sent
        });
    }
    let mut sent = 0;
    while let Some(n) = clients.join_next().await {
        sent += n.unwrap_or(0);
    }
    let grown = rss().saturating_sub(before);
    eprintln!(
        "hostile SMTP: {} MiB sent by 200 clients, RSS grew {} MiB",
        sent >> 20,
        grown >> 20
    );
    assert!(
        sent > 200 << 20,
        "the clients sent their endless lines ({sent} bytes)"
    );
    // Before the fix every client's line was buffered whole (> 1 GiB).
    assert!(grown < 128 << 20, "RSS grew {} MiB", grown >> 20);

    // With the default limits, one address gets 20 connections; the 21st
    // is told to come back later.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(mail::smtp::serve(
        listener,
        srv.app.clone(),
        mail::smtp::SmtpConfig::new("atiende.test", 1024),
        std::sync::Arc::new(tokio::sync::Notify::new()),
        std::future::pending::<()>(),
    ));
    let mut held = Vec::new();
    for _ in 0..20 {
        let mut s = tokio::net::TcpStream::connect(addr)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let mut b = [0u8; 64];
        let n = s.read(&mut b).await.unwrap_or(0);
        assert!(b[..n].starts_with(b"220"));
        held.push(s);
    }
    let mut s = tokio::net::TcpStream::connect(addr)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut b = [0u8; 64];
    let n = s.read(&mut b).await.unwrap_or(0);
    assert!(
        b[..n].starts_with(b"421"),
        "{}",
        String::from_utf8_lossy(&b[..n])
    );
    drop(held);
}

/// CPython's own email test messages (Debian's `libpython3-testsuite`).
fn cpython_corpus() -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    for dir in std::fs::read_dir("/usr/lib")
        .into_iter()
        .flatten()
        .flatten()
    {
        let data = dir.path().join("test/test_email/data");
        let name = dir.file_name().to_string_lossy().into_owned();
        if !name.starts_with("python3") || !data.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&data).into_iter().flatten().flatten() {
            let file = f.file_name().to_string_lossy().into_owned();
            if file.starts_with("msg_") && file.ends_with(".txt") {
                found.push((file, std::fs::read(f.path()).unwrap_or_default()));
            }
        }
        if !found.is_empty() {
            break;
        }
    }
    found.sort();
    found
}

both!(cpython_email_corpus_never_vanishes, |srv| {
    let corpus = cpython_corpus();
    assert!(
        corpus.len() >= 40,
        "CPython's email corpus is missing ({} files); run scripts/test.sh, which installs libpython3.11-testsuite",
        corpus.len()
    );
    let smtp = start_smtp(&srv).await;
    let mut c = mail::client::Client::connect(&format!("127.0.0.1:{}", smtp.port))
        .await
        .unwrap_or_else(|e| panic!("connect: {e}"));
    let mut outcomes = Vec::new();
    for (name, raw) in &corpus {
        // A null envelope sender (as bounces have): mail without a usable
        // From: then has nobody to answer and must be held, not dropped.
        let reply = c
            .send("", "support@example.com", raw)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let id = queued_id(&format!("DATA {reply}"));
        outcomes.push((name.clone(), processed(&srv, id).await));
    }
    let by = |status: &str| outcomes.iter().filter(|(_, o)| o.0 == status).count();
    let summary: Vec<String> = outcomes
        .iter()
        .map(|(n, (s, t, o))| format!("{n}: {s} {t:?} {o}"))
        .collect();
    eprintln!("{}", summary.join("\n"));
    assert_eq!(by("failed"), 0, "{summary:#?}");
    assert_eq!(
        by("processed") + by("ignored") + by("suspended"),
        corpus.len(),
        "{summary:#?}"
    );
    // A message counts as a redelivery only when an earlier one had the
    // same Message-ID, sender, subject and body (CPython's corpus has
    // both: copies with other headers, and different messages reusing
    // one Message-ID).
    let essence = |raw: &[u8]| {
        let text = String::from_utf8_lossy(raw).replace("\r\n", "\n");
        let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
        let field = |name: &str| {
            head.lines()
                .find(|l| l.to_ascii_lowercase().starts_with(&format!("{name}:")))
                .map(|l| l.to_string())
        };
        (
            field("message-id"),
            field("from"),
            field("subject"),
            body.to_string(),
        )
    };
    for (i, (name, (_, _, outcome))) in outcomes.iter().enumerate() {
        if outcome.contains("duplicate Message-ID") {
            let mine = essence(&corpus[i].1);
            assert!(
                corpus[..i].iter().any(|(_, raw)| essence(raw) == mine),
                "{name} was dropped as a duplicate of a different message"
            );
        }
    }
    // Every held message is in the admins' queue, with its reason.
    let (_, list) = srv
        .get("/api/v2/suspended_tickets.json", &srv.admin())
        .await;
    assert_eq!(
        list["count"].as_u64(),
        Some(by("suspended") as u64),
        "{list}"
    );
    assert!(by("processed") >= 30, "{summary:#?}");
});

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_connection_carries_many_messages_but_not_endless_chatter() {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
    let srv = TestServer::start(atiende_testkit::Backend::Sqlite).await;
    let smtp = start_smtp(&srv).await;
    let addr = format!("127.0.0.1:{}", smtp.port);
    // An MTA delivering its queue: 300 messages, over 1,000 commands.
    let mut c = mail::client::Client::connect(&addr)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    for i in 0..300 {
        let raw = format!(
            "From: m{i}@example.com\r\nTo: support@example.com\r\nSubject: n{i}\r\n\r\nhola\r\n"
        );
        c.send(
            &format!("m{i}@example.com"),
            "support@example.com",
            raw.as_bytes(),
        )
        .await
        .unwrap_or_else(|e| panic!("message {i}: {e}"));
    }
    // A client that only chatters is cut off.
    let s = tokio::net::TcpStream::connect(&addr)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let (r, mut w) = s.into_split();
    let mut r = tokio::io::BufReader::new(r);
    let _ = w.write_all("NOOP\r\n".repeat(1100).as_bytes()).await;
    let mut last = String::new();
    let mut line = String::new();
    while matches!(r.read_line(&mut line).await, Ok(n) if n > 0) {
        last = line.clone();
        line.clear();
    }
    assert!(last.starts_with("421"), "{last}");
}
