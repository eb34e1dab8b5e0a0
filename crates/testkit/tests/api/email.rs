//! Email in through the built-in SMTP listener, driven by a real SMTP
//! client (Python's smtplib): new tickets, threading, duplicates, charsets,
//! attachments, auto-replies and refused recipients.

use super::*;
use std::path::PathBuf;
use std::sync::Arc;

pub(super) struct Smtp {
    pub(super) port: u16,
    /// Set when the listener offers STARTTLS: the client upgrades, trusting it.
    pub(super) ca: Option<PathBuf>,
    /// The DNS the sender checks ask (SPF, DKIM, DMARC records).
    pub(super) dns: atiende_testkit::dns::LocalDns,
}

/// Starts the inbound worker for `app`, checking senders against a DNS
/// server of the test's own; returns that server.
pub(super) async fn start_worker(
    app: &app::App,
    wake: Arc<tokio::sync::Notify>,
) -> atiende_testkit::dns::LocalDns {
    let dns = atiende_testkit::dns::LocalDns::start().await;
    let verifier = mail::auth::SenderVerifier::new(Some(dns.addr), None, "atiende.test")
        .unwrap_or_else(|e| panic!("verifier: {e}"));
    mail::worker::spawn(app.clone(), wake, Arc::new(verifier));
    dns
}

pub(super) async fn start_smtp(srv: &TestServer) -> Smtp {
    start_smtp_with(srv, None).await
}

/// The listener (with STARTTLS when `tls` is given) and the worker, for
/// `support@example.com` and its domain.
pub(super) async fn start_smtp_with(
    srv: &TestServer,
    tls: Option<Arc<mail::tls::ServerConfig>>,
) -> Smtp {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
    srv.app
        .mailboxes
        .set_configured("support@example.com", "Soporte");
    let wake = Arc::new(tokio::sync::Notify::new());
    let dns = start_worker(&srv.app, wake.clone()).await;
    let mut config = mail::smtp::SmtpConfig::new("atiende.test", 5 * 1024 * 1024);
    config.tls = tls;
    tokio::spawn(mail::smtp::serve(
        listener,
        srv.app.clone(),
        config,
        wake,
        std::future::pending::<()>(),
    ));
    Smtp {
        port,
        ca: None,
        dns,
    }
}

/// Sends `raw` with smtplib; returns the lines it printed.
pub(super) async fn send(smtp: &Smtp, from: &str, to: &[&str], raw: Vec<u8>) -> String {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/email/send.py");
    let mut args = vec![
        script.to_string_lossy().into_owned(),
        "127.0.0.1".into(),
        smtp.port.to_string(),
        from.into(),
    ];
    args.extend(to.iter().map(|t| t.to_string()));
    let ca = smtp.ca.clone();
    let out = tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut cmd = std::process::Command::new("python3");
        if let Some(ca) = ca {
            cmd.env("ATIENDE_STARTTLS_CA", ca);
        }
        let mut child = cmd
            .args(&args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("python3: {e}"));
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(&raw);
        }
        child
            .wait_with_output()
            .unwrap_or_else(|e| panic!("python3: {e}"))
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "send.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The stored message's id from `250 2.0.0 queued as N`.
pub(super) fn queued_id(out: &str) -> i64 {
    out.lines()
        .find(|l| l.starts_with("DATA 250"))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("not queued: {out}"))
}

/// Waits until the worker processed message `id`: `(status, ticket, outcome)`.
pub(super) async fn processed(srv: &TestServer, id: i64) -> (String, Option<i64>, String) {
    for _ in 0..200 {
        if let Ok(Some((status, ticket, outcome))) = srv
            .app
            .inbound_email_outcome(domain::InboundEmailId(id))
            .await
            && status != domain::InboundStatus::Received
        {
            return (
                status.as_str().to_string(),
                ticket.map(|t| t.0),
                outcome.unwrap_or_default(),
            );
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("message {id} was not processed");
}

pub(super) async fn comments(srv: &TestServer, ticket: i64) -> Vec<Json> {
    let (_, c) = srv
        .get(
            &format!("/api/v2/tickets/{ticket}/comments.json"),
            &srv.admin(),
        )
        .await;
    c["comments"].as_array().cloned().unwrap_or_default()
}

fn gmail_new() -> Vec<u8> {
    b"Return-Path: <lucia@example.com>\r\n\
From: =?UTF-8?Q?Luc=C3=ADa_P=C3=A9rez?= <lucia@example.com>\r\n\
To: Soporte <support@example.com>\r\n\
Cc: Pedro <pedro@example.com>\r\n\
Subject: =?UTF-8?Q?Mi_pedido_no_lleg=C3=B3?=\r\n\
Message-ID: <CAF1a2b3c4@mail.gmail.com>\r\n\
Date: Mon, 23 Nov 2026 09:00:00 +0100\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/alternative; boundary=\"000000000000abc\"\r\n\
\r\n\
--000000000000abc\r\n\
Content-Type: text/plain; charset=\"UTF-8\"\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
Hola, mi pedido 4411 no ha llegado todav=C3=ADa.\r\n\
\r\n\
--000000000000abc\r\n\
Content-Type: text/html; charset=\"UTF-8\"\r\n\
\r\n\
<div dir=\"ltr\">Hola, mi pedido <b>4411</b> no ha llegado todav\xc3\xada.<script>alert(1)</script></div>\r\n\
--000000000000abc--\r\n"
        .to_vec()
}

both!(email_through_the_smtp_listener, |srv| {
    let smtp = start_smtp(&srv).await;
    // A new message becomes a ticket for the sender, CCs as collaborators.
    let out = send(
        &smtp,
        "lucia@example.com",
        &["support@example.com"],
        gmail_new(),
    )
    .await;
    let first = queued_id(&out);
    let (status, ticket, why) = processed(&srv, first).await;
    assert_eq!((status.as_str(), why.as_str()), ("processed", "new ticket"));
    let ticket = ticket.unwrap_or_default();
    let (_, t) = srv
        .get(&format!("/api/v2/tickets/{ticket}.json"), &srv.admin())
        .await;
    assert_eq!(t["ticket"]["subject"], "Mi pedido no llegó");
    assert_eq!(t["ticket"]["via"]["channel"], "email");
    assert_eq!(
        t["ticket"]["collaborator_ids"].as_array().map(Vec::len),
        Some(1)
    );
    let (_, requester) = srv
        .get(
            &format!("/api/v2/users/{}.json", t["ticket"]["requester_id"]),
            &srv.admin(),
        )
        .await;
    assert_eq!(
        (
            requester["user"]["email"].as_str(),
            requester["user"]["name"].as_str()
        ),
        (Some("lucia@example.com"), Some("Lucía Pérez"))
    );
    let c = comments(&srv, ticket).await;
    assert!(c[0]["body"].as_str().unwrap_or("").contains("todavía"));
    assert!(
        !c[0]["html_body"].as_str().unwrap_or("").contains("<script"),
        "HTML is sanitised"
    );

    // The same message delivered twice is one comment.
    let again = queued_id(
        &send(
            &smtp,
            "lucia@example.com",
            &["support@example.com"],
            gmail_new(),
        )
        .await,
    );
    let (status, t2, why) = processed(&srv, again).await;
    assert_eq!(
        (status.as_str(), t2, why.as_str()),
        ("ignored", Some(ticket), "duplicate Message-ID")
    );
    assert_eq!(comments(&srv, ticket).await.len(), 1);

    // A reply threads by In-Reply-To.
    let reply = b"From: lucia@example.com\r\nTo: support@example.com\r\nSubject: Re: Mi pedido\r\nMessage-ID: <reply-1@mail.gmail.com>\r\nIn-Reply-To: <CAF1a2b3c4@mail.gmail.com>\r\nReferences: <CAF1a2b3c4@mail.gmail.com>\r\n\r\nSigo esperando.\r\n\r\n> Hola, mi pedido 4411\r\n".to_vec();
    let id = queued_id(&send(&smtp, "lucia@example.com", &["support@example.com"], reply).await);
    assert_eq!(
        processed(&srv, id).await,
        (
            "processed".into(),
            Some(ticket),
            "threaded by In-Reply-To/References".into()
        )
    );

    // A reply in Windows-1252 (Outlook in Spanish) threads by the subject's ticket number.
    let mut outlook = format!("From: \"Lucia\" <lucia@example.com>\r\nTo: support@example.com\r\nSubject: RE: [#{ticket}] Mi pedido\r\nMessage-ID: <AM0PR01MB@outlook.com>\r\nContent-Type: text/plain; charset=\"windows-1252\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n").into_bytes();
    outlook.extend_from_slice(b"\xbfAlguna novedad? Gracias \x96 Luc\xeda\r\n");
    let id = queued_id(
        &send(
            &smtp,
            "lucia@example.com",
            &["support@example.com"],
            outlook,
        )
        .await,
    );
    assert_eq!(
        processed(&srv, id).await.2,
        "threaded by the subject's ticket number"
    );
    let c = comments(&srv, ticket).await;
    assert_eq!(c.len(), 3);
    assert!(
        c[2]["body"]
            .as_str()
            .unwrap_or("")
            .contains("¿Alguna novedad? Gracias – Lucía"),
        "{}",
        c[2]["body"]
    );

    // Someone else using the ticket number does not get into Lucía's ticket.
    let stranger = format!("From: mallory@example.net\r\nTo: support@example.com\r\nSubject: Re: [#{ticket}]\r\nMessage-ID: <m1@example.net>\r\n\r\nhola\r\n").into_bytes();
    let id = queued_id(
        &send(
            &smtp,
            "mallory@example.net",
            &["support@example.com"],
            stranger,
        )
        .await,
    );
    let (_, other, why) = processed(&srv, id).await;
    assert_eq!(why, "new ticket");
    assert_ne!(other, Some(ticket));

    // An out-of-office answer is stored but makes no ticket.
    let ooo = b"From: lucia@example.com\r\nTo: support@example.com\r\nSubject: Fuera de la oficina\r\nAuto-Submitted: auto-replied\r\nMessage-ID: <ooo@example.com>\r\n\r\nVuelvo el lunes.\r\n".to_vec();
    let id = queued_id(&send(&smtp, "lucia@example.com", &["support@example.com"], ooo).await);
    assert_eq!(
        processed(&srv, id).await,
        ("ignored".into(), None, "ignored: automatic reply".into())
    );

    // An attachment (Outlook shape) and no Message-ID at all.
    let attached = b"From: ana@example.com\r\nTo: ayuda@example.com\r\nSubject: Factura\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nAdjunto la factura.\r\n--b1\r\nContent-Type: application/pdf; name=\"factura.pdf\"\r\nContent-Disposition: attachment; filename=\"factura.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJcOkw7zDtsOfCjEgMCBvYmoK\r\n--b1--\r\n".to_vec();
    let id = queued_id(&send(&smtp, "ana@example.com", &["ayuda@example.com"], attached).await);
    let (_, t3, _) = processed(&srv, id).await;
    let c = comments(&srv, t3.unwrap_or_default()).await;
    assert_eq!(c[0]["attachments"][0]["file_name"], "factura.pdf");
    assert_eq!(c[0]["attachments"][0]["content_type"], "application/pdf");

    // Mail for other domains is refused at RCPT; mail without a From:
    // answers the envelope sender (nothing accepted is set aside unseen).
    let out = send(
        &smtp,
        "x@example.com",
        &["someone@elsewhere.example"],
        b"Subject: x\r\n\r\nx\r\n".to_vec(),
    )
    .await;
    assert!(out.contains("RCPT 550"), "{out}");
    let id = queued_id(
        &send(
            &smtp,
            "x@example.com",
            &["support@example.com"],
            b"Subject: sin remitente\r\n\r\nx\r\n".to_vec(),
        )
        .await,
    );
    let (status, ticket, _) = processed(&srv, id).await;
    assert_eq!(status, "processed");
    let (_, t) = srv
        .get(
            &format!("/api/v2/tickets/{}.json", ticket.unwrap_or_default()),
            &srv.admin(),
        )
        .await;
    let (_, who) = srv
        .get(
            &format!("/api/v2/users/{}.json", t["ticket"]["requester_id"]),
            &srv.admin(),
        )
        .await;
    assert_eq!(who["user"]["email"], "x@example.com");
});

pub(super) fn pyenv() -> String {
    std::env::var("ATIENDE_TEST_PYTHON").unwrap_or_else(|_| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../target/pyenv/bin/python")
            .to_string_lossy()
            .into_owned()
    })
}

/// A real SMTP server (aiosmtpd) storing what it receives in a Maildir.
pub(super) struct Sink {
    dir: PathBuf,
    child: std::process::Child,
}

impl Sink {
    pub(super) async fn start(port: u16, dir: PathBuf) -> Sink {
        for sub in ["tmp", "new", "cur"] {
            let _ = std::fs::create_dir_all(dir.join(sub));
        }
        let child = std::process::Command::new(pyenv())
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(&dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("aiosmtpd ({e}); run scripts/test.sh, which installs it"));
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        Sink { dir, child }
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// What arrived, decoded by Python's email package.
    pub(super) async fn received(&self) -> Vec<Json> {
        let dir = self.dir.clone();
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/email/read.py");
        let out = tokio::task::spawn_blocking(move || {
            std::process::Command::new(pyenv())
                .arg(script)
                .arg(dir)
                .output()
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|e| panic!("{e}"));
        serde_json::from_slice::<Json>(&out.stdout)
            .ok()
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default()
    }

    pub(super) async fn wait_for(&self, n: usize) -> Vec<Json> {
        for _ in 0..200 {
            let got = self.received().await;
            if got.len() >= n {
                return got;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!(
            "expected {n} messages at the relay, got {:?}",
            self.received().await
        );
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A server whose mail goes out through a real SMTP relay (aiosmtpd
/// storing what it gets in a Maildir), and that relay.
pub(super) struct Relayed {
    pub srv: TestServer,
    pub sink: Sink,
    pub maildir: tempfile::TempDir,
    pub port: u16,
}

pub(super) async fn with_relay(backend: atiende_testkit::Backend) -> Relayed {
    let srv = start_with_support_mail(backend).await;
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        l.local_addr().map(|a| a.port()).unwrap_or_default()
    };
    let maildir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let sink = Sink::start(port, maildir.path().to_path_buf()).await;
    let mut relay = mail::outbox::Relay::new(
        &format!("smtp://127.0.0.1:{port}"),
        "support@example.com",
        "Soporte",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    relay.first_retry = std::time::Duration::from_secs(1);
    mail::outbox::spawn(srv.app.clone(), relay, Arc::new(tokio::sync::Notify::new()));
    Relayed {
        srv,
        sink,
        maildir,
        port,
    }
}

both!(replies_go_out_through_the_outbox, |first| {
    let backend = first.backend;
    drop(first);
    let Relayed {
        srv,
        mut sink,
        maildir,
        port: relay_port,
    } = with_relay(backend).await;
    let smtp = start_smtp(&srv).await;

    // A new emailed ticket is acknowledged at once, in the customer's language.
    let id = queued_id(
        &send(
            &smtp,
            "lucia@example.com",
            &["support@example.com"],
            gmail_new(),
        )
        .await,
    );
    let ticket = processed(&srv, id).await.1.unwrap_or_default();
    let admin = admin_actor(&srv).await;
    let got = sink.wait_for(1).await;
    let ack = &got[0];
    assert_eq!(ack["to"], "lucia@example.com");
    assert_eq!(ack["subject"], format!("[#{ticket}] Mi pedido no llegó"));
    assert!(
        ack["text"]
            .as_str()
            .unwrap_or("")
            .contains("Hemos recibido tu mensaje"),
        "{ack}"
    );
    assert_eq!(ack["in_reply_to"], "<CAF1a2b3c4@mail.gmail.com>");
    assert!(ack["has_html"].as_bool().unwrap_or(false));

    // An agent's public reply goes out threaded; an internal note does not.
    let upload = srv
        .raw(
            "POST",
            "/api/v2/uploads.json?filename=guia-envio.pdf",
            &srv.admin(),
            Some(b"%PDF-1.4 guia".to_vec()),
            Some("application/pdf"),
        )
        .await;
    let upload: Json =
        serde_json::from_str(&upload.text().await.unwrap_or_default()).unwrap_or(Json::Null);
    let guide = upload["upload"]["token"].as_str().unwrap_or("").to_string();
    let (s, _) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{ticket}.json"),
            &srv.admin(),
            Some(json!({"ticket": {"comment": {"body": "Nota interna", "public": false}}})),
        )
        .await;
    assert_eq!(s, 200);
    let (s, _) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{ticket}.json"),
            &srv.admin(),
            Some(
                json!({"ticket": {"comment": {"body": "Tu pedido sale hoy.", "uploads": [guide]}}}),
            ),
        )
        .await;
    assert_eq!(s, 200);
    let got = sink.wait_for(2).await;
    assert_eq!(got.len(), 2, "the note is not emailed");
    let reply = &got[1];
    assert_eq!(
        reply["attachments"],
        json!(["guia-envio.pdf"]),
        "the reply's file goes with it"
    );
    assert_eq!(reply["from"], "Soporte <support@example.com>");
    assert!(
        reply["reply_to"]
            .as_str()
            .unwrap_or("")
            .contains(&format!("support+t{ticket}-")),
        "{reply}"
    );
    assert!(
        reply["text"]
            .as_str()
            .unwrap_or("")
            .contains("Tu pedido sale hoy.")
    );
    assert!(
        reply["references"]
            .as_str()
            .unwrap_or("")
            .contains("CAF1a2b3c4@mail.gmail.com")
    );

    // The customer answers our reply: it threads onto the ticket by our Message-ID.
    let ours = reply["message_id"]
        .as_str()
        .unwrap_or("")
        .trim_matches(['<', '>'])
        .to_string();
    let answer = format!("From: lucia@example.com\r\nTo: support@example.com\r\nSubject: Re: [#{ticket}] pedido\r\nMessage-ID: <answer-2@mail.gmail.com>\r\nIn-Reply-To: <{ours}>\r\n\r\n¡Gracias!\r\n").into_bytes();
    let id = queued_id(&send(&smtp, "lucia@example.com", &["support@example.com"], answer).await);
    assert_eq!(
        processed(&srv, id).await.2,
        "threaded by In-Reply-To/References"
    );

    // A delivery status notification about our reply marks it failed, with
    // the remote server's diagnostic, on its ticket; it makes no comment.
    let before = comments(&srv, ticket).await.len();
    let dsn = format!("From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\r\nTo: support@example.com\r\nSubject: Undelivered Mail Returned to Sender\r\nMessage-ID: <dsn-1@mx.example.net>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"R\"\r\n\r\n--R\r\nContent-Type: text/plain\r\n\r\nThis is the mail system at host mx.example.net.\r\n--R\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\nFinal-Recipient: rfc822; lucia@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 <lucia@example.com>: user unknown\r\n--R\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <{ours}>\r\nSubject: [#{ticket}] Mi pedido\r\n--R--\r\n").into_bytes();
    let id = queued_id(&send(&smtp, "", &["support@example.com"], dsn).await);
    let (status, on, why) = processed(&srv, id).await;
    assert_eq!(
        (status.as_str(), on, why.as_str()),
        (
            "ignored",
            Some(ticket),
            "ignored: delivery status notification"
        )
    );
    assert_eq!(comments(&srv, ticket).await.len(), before);
    let bounced = srv
        .app
        .ticket_outbox(admin, domain::TicketId(ticket))
        .await
        .unwrap_or_default()
        .into_iter()
        .find(|m| m.message_id == ours)
        .unwrap_or_else(|| panic!("our reply is in the outbox"));
    assert_eq!(bounced.status, domain::OutboundStatus::Failed);
    assert_eq!(
        bounced.last_error.as_deref(),
        Some("smtp; 550 5.1.1 <lucia@example.com>: user unknown")
    );

    // The relay is down: the reply waits (attempt and error recorded), then goes when it is back.
    sink.stop();
    let (s, _) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{ticket}.json"),
            &srv.admin(),
            Some(json!({"ticket": {"comment": {"body": "Segundo aviso."}}})),
        )
        .await;
    assert_eq!(s, 200);
    let mut waited = None;
    for _ in 0..100 {
        let outbox = srv
            .app
            .ticket_outbox(admin, domain::TicketId(ticket))
            .await
            .unwrap_or_default();
        if let Some(m) = outbox
            .iter()
            .find(|m| m.body_text.contains("Segundo aviso") && m.attempts > 0)
        {
            waited = Some(m.clone());
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let waited = waited.unwrap_or_else(|| panic!("the failed attempt was not recorded"));
    assert_eq!(waited.status, domain::OutboundStatus::Queued);
    assert!(waited.last_error.is_some());
    let sink = Sink::start(relay_port, maildir.path().to_path_buf()).await;
    let got = sink.wait_for(3).await;
    assert!(
        got[2]["text"]
            .as_str()
            .unwrap_or("")
            .contains("Segundo aviso.")
    );
    let outbox = srv
        .app
        .ticket_outbox(admin, domain::TicketId(ticket))
        .await
        .unwrap_or_default();
    assert!(
        outbox
            .iter()
            .all(|m| m.status == domain::OutboundStatus::Sent || m.message_id == ours),
        "{outbox:?}"
    );
    assert_eq!(outbox.len(), 3, "each message once");

    // A message the relay refused for good shows on the ticket and on the
    // admin page with the server's reply, and can be sent again.
    let mut sink = sink;
    sink.stop();
    let (s, _) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{ticket}.json"),
            &srv.admin(),
            Some(json!({"ticket": {"comment": {"body": "Tercer aviso."}}})),
        )
        .await;
    assert_eq!(s, 200);
    let third = srv
        .app
        .ticket_outbox(admin, domain::TicketId(ticket))
        .await
        .unwrap_or_default()
        .into_iter()
        .find(|m| m.body_text.contains("Tercer aviso"))
        .map(|m| m.id)
        .unwrap_or_else(|| panic!("the third reply is in the outbox"));
    srv.app
        .outbound_attempted(third, Err("550 5.1.1 mailbox unavailable".into()), None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut b = super::workspace::Browser::new(&srv.base);
    b.sign_in("admin@example.com", "admin-password-1").await;
    let page = b.get(&format!("/agent/tickets/{ticket}")).await;
    assert!(
        page.body.contains("mail-failed") && page.body.contains("550 5.1.1 mailbox unavailable"),
        "failed mail shows on the ticket"
    );
    let admin_page = b.get("/agent/admin/email").await;
    assert_eq!(admin_page.status, 200);
    assert!(admin_page.body.contains("550 5.1.1 mailbox unavailable"));
    let csrf = super::workspace::hidden(&admin_page.body, "csrf");
    assert_eq!(
        b.post(
            &format!("/agent/admin/email/{third}/retry"),
            &[("csrf", &csrf)]
        )
        .await
        .status,
        303
    );
    let sink = Sink::start(relay_port, maildir.path().to_path_buf()).await;
    let got = sink.wait_for(4).await;
    assert!(
        got[3]["text"]
            .as_str()
            .unwrap_or("")
            .contains("Tercer aviso.")
    );

    // Our own mail coming back (a loop through a forwarder) makes nothing.
    let looped = b"From: Soporte <support@example.com>\r\nTo: support@example.com\r\nSubject: [#1] Re: pedido\r\nMessage-ID: <loop-own@example.com>\r\n\r\nbucle\r\n".to_vec();
    let id = queued_id(
        &send(
            &smtp,
            "support@example.com",
            &["support@example.com"],
            looped,
        )
        .await,
    );
    assert_eq!(
        processed(&srv, id).await,
        (
            "ignored".into(),
            None,
            "ignored: mail from our own address".into()
        )
    );

    // An admin turns the acknowledgement off: new emailed tickets get none.
    let mut texts = srv
        .app
        .mail_templates(admin)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    texts.acknowledge = false;
    srv.app
        .set_mail_templates(admin, texts)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let quiet = b"From: ana@example.org\r\nTo: support@example.com\r\nSubject: Sin acuse\r\nMessage-ID: <quiet-1@example.org>\r\n\r\nHola\r\n".to_vec();
    let id = queued_id(&send(&smtp, "ana@example.org", &["support@example.com"], quiet).await);
    let quiet_ticket = processed(&srv, id).await.1.unwrap_or_default();
    assert!(
        srv.app
            .ticket_outbox(admin, domain::TicketId(quiet_ticket))
            .await
            .unwrap_or_default()
            .is_empty(),
        "no acknowledgement while it is off"
    );
});

/// A plain message from Lucía with the given subject line and Message-ID.
fn lucia_plain(subject: &str, message_id: &str, text: &str) -> Vec<u8> {
    format!(
        "From: Lucia <lucia@example.com>\r\nTo: support@example.com\r\n{subject}Message-ID: <{message_id}>\r\n\
Date: Mon, 23 Nov 2026 10:00:00 +0100\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n"
    )
    .into_bytes()
}

/// Sends Lucía's `raw` to the support address; the stored message's id.
async fn to_support(smtp: &Smtp, raw: Vec<u8>) -> i64 {
    queued_id(&send(smtp, "lucia@example.com", &["support@example.com"], raw).await)
}

both!(email_takes_the_one_way_in_like_every_channel, |srv| {
    let smtp = start_smtp(&srv).await;
    let first = to_support(&smtp, gmail_new()).await;
    let (_, ticket, _) = processed(&srv, first).await;
    let ticket = ticket.unwrap_or_default();
    // A mail with a subject of its own starts its own case, as mail always
    // did, even while her first one is open.
    let other = to_support(
        &smtp,
        lucia_plain(
            "Subject: Otra cosa\r\n",
            "otra-1@example.com",
            "Una factura",
        ),
    )
    .await;
    let (_, second, why) = processed(&srv, other).await;
    assert_eq!(why, "new ticket");
    assert_ne!(second, Some(ticket));
    // One without a subject continues her most recent open case (the
    // threading window every channel shares), and says so on the ticket.
    let bare = to_support(
        &smtp,
        lucia_plain("", "sin-asunto-1@example.com", "Y otra cosa más"),
    )
    .await;
    let (status, landed, why) = processed(&srv, bare).await;
    assert_eq!(
        (status.as_str(), landed, why.as_str()),
        ("processed", second, "continued the customer's open case")
    );
    // The same mail delivered again (same Message-ID, same content) is a
    // duplicate; the Message-ID is now in the one table every channel's
    // messages are in.
    let again = to_support(
        &smtp,
        lucia_plain("", "sin-asunto-1@example.com", "Y otra cosa más"),
    )
    .await;
    let (status, dup_ticket, why) = processed(&srv, again).await;
    assert_eq!(
        (status.as_str(), dup_ticket, why.as_str()),
        ("ignored", second, "duplicate Message-ID")
    );
});
