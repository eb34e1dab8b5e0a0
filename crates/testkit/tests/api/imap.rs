//! IMAP accounts against a real Dovecot (Debian's `dovecot-imapd`, run in
//! the foreground on free loopback ports with a config of its own): mail
//! appended by a real IMAP client (Python's imaplib) becomes tickets, IDLE
//! delivers a new one in under a second, fetched mail is flagged `\Seen` or
//! moved, STARTTLS and implicit TLS are verified against a test CA, a
//! wrong password shows on the admin's status, our mail goes out from the
//! address the customer wrote to and an answer to its reply address threads.

use super::certs::{self, TestCerts};
use super::email::Sink;
use super::*;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"))
}

/// A Dovecot of our own, stopped when dropped.
pub(super) struct Dovecot {
    pub imap: u16,
    pub imaps: u16,
    pub certs: TestCerts,
    child: Child,
    dir: tempfile::TempDir,
}

impl Dovecot {
    /// Starts Dovecot with these `(user, password)` accounts.
    pub(super) async fn start(users: &[(&str, &str)]) -> Dovecot {
        Self::start_with(users, true).await
    }

    /// [`Dovecot::start`]; `idle: false` hides IDLE from the capabilities,
    /// like a server that lacks it.
    pub(super) async fn start_with(users: &[(&str, &str)], idle: bool) -> Dovecot {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let d = dir.path();
        let certs = certs::make(d);
        for sub in ["mail", "run", "state"] {
            let _ = std::fs::create_dir_all(d.join(sub));
        }
        let passwd: String = users
            .iter()
            .map(|(u, p)| format!("{u}:{{PLAIN}}{p}\n"))
            .collect();
        std::fs::write(d.join("users"), passwd).unwrap_or_else(|e| panic!("{e}"));
        let _ = Command::new("chown")
            .args(["-R", "dovecot:dovecot"])
            .arg(d.join("mail"))
            .status();
        let (imap, imaps) = (free_port(), free_port());
        let conf = format!(
            "base_dir = {dir}/run\nstate_dir = {dir}/state\nlog_path = {dir}/dovecot.log\nlisten = 127.0.0.1\nprotocols = imap\n\
             ssl = yes\nssl_cert = <{cert}\nssl_key = <{key}\ndisable_plaintext_auth = no\nauth_mechanisms = plain login\n\
             mail_location = maildir:{dir}/mail/%u\nmail_uid = dovecot\nmail_gid = dovecot\nfirst_valid_uid = 1\n\
             default_internal_user = dovecot\ndefault_login_user = dovenull\n\
             passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {dir}/users\n}}\n\
             userdb {{\n  driver = static\n  args = uid=dovecot gid=dovecot home={dir}/mail/%u\n}}\n\
             service imap-login {{\n  chroot =\n  inet_listener imap {{\n    port = {imap}\n  }}\n  inet_listener imaps {{\n    port = {imaps}\n    ssl = yes\n  }}\n}}\n\
             service anvil {{\n  chroot =\n}}\n{caps}",
            caps = if idle {
                ""
            } else {
                "protocol imap {\n  imap_capability = IMAP4rev1 SASL-IR AUTH=PLAIN UIDPLUS MOVE\n}\n"
            },
            dir = d.display(),
            cert = certs.cert.display(),
            key = certs.key.display(),
        );
        std::fs::write(d.join("dovecot.conf"), conf).unwrap_or_else(|e| panic!("{e}"));
        let child = Command::new("dovecot")
            .arg("-F")
            .arg("-c")
            .arg(d.join("dovecot.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("dovecot ({e}); run scripts/test.sh, which installs dovecot-imapd")
            });
        let started = Instant::now();
        while tokio::net::TcpStream::connect(("127.0.0.1", imaps))
            .await
            .is_err()
        {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "dovecot did not start: {}",
                std::fs::read_to_string(d.join("dovecot.log")).unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        Dovecot {
            imap,
            imaps,
            certs,
            child,
            dir,
        }
    }

    async fn tool(&self, args: Vec<String>, stdin: Vec<u8>) -> String {
        let script =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/email/imap_tool.py");
        let log = self.dir.path().join("dovecot.log");
        tokio::task::spawn_blocking(move || {
            use std::io::Write;
            let mut child = Command::new("python3")
                .arg(script)
                .args(&args)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap_or_else(|e| panic!("python3: {e}"));
            if let Some(mut s) = child.stdin.take() {
                let _ = s.write_all(&stdin);
            }
            let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
            assert!(
                out.status.success(),
                "imap_tool {args:?}: {}\n{}",
                String::from_utf8_lossy(&out.stderr),
                std::fs::read_to_string(log).unwrap_or_default()
            );
            String::from_utf8_lossy(&out.stdout).trim().to_string()
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Appends a message to a user's folder, as a mail delivery would.
    pub(super) async fn append(&self, user: &str, password: &str, folder: &str, raw: &[u8]) {
        let args = [&self.imap.to_string(), user, password, "append", folder].map(str::to_string);
        let out = self.tool(args.to_vec(), raw.to_vec()).await;
        assert!(out.starts_with("OK"), "{out}");
    }

    /// A plain message from `from` to `to`, appended to the account's INBOX.
    pub(super) async fn deliver(
        &self,
        (user, password): (&str, &str),
        from: &str,
        to: &str,
        subject: &str,
        id: &str,
        body: &str,
    ) {
        self.append(
            user,
            password,
            "INBOX",
            &message(from, to, subject, id, body),
        )
        .await
    }

    /// Waits until `n` messages of a folder match a search.
    pub(super) async fn wait_count(
        &self,
        (user, password): (&str, &str),
        folder: &str,
        criteria: &str,
        n: i64,
        what: &str,
    ) {
        let started = Instant::now();
        while self.count(user, password, folder, criteria).await != n {
            assert!(started.elapsed() < Duration::from_secs(10), "{what}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// How many messages of a folder match an IMAP search.
    pub(super) async fn count(
        &self,
        user: &str,
        password: &str,
        folder: &str,
        criteria: &str,
    ) -> i64 {
        let args = [
            &self.imap.to_string(),
            user,
            password,
            "count",
            folder,
            criteria,
        ]
        .map(str::to_string);
        self.tool(args.to_vec(), vec![]).await.parse().unwrap_or(-2)
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

/// A recipient address as the API shows it, by email.
async fn mailbox(srv: &TestServer, email: &str) -> Json {
    let (s, all) = srv
        .get("/api/v2/recipient_addresses.json", &srv.admin())
        .await;
    assert_eq!(s, 200, "{all}");
    all["recipient_addresses"]
        .as_array()
        .and_then(|a| a.iter().find(|m| m["email"] == email).cloned())
        .unwrap_or(Json::Null)
}

/// Waits until the fetcher's status for `email` starts with `prefix`.
async fn wait_status(srv: &TestServer, email: &str, prefix: &str) -> String {
    let started = Instant::now();
    loop {
        let status = mailbox(srv, email).await["imap"]["status"]
            .as_str()
            .unwrap_or("")
            .to_string();
        if status.starts_with(prefix) {
            return status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{email}: status {status:?}, expected {prefix:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits for a ticket with this subject; returns it and how long it took.
async fn wait_ticket(srv: &TestServer, subject: &str) -> (Json, Duration) {
    let started = Instant::now();
    let q = form_urlencoded::byte_serialize(format!("subject:\"{subject}\"").as_bytes())
        .collect::<String>();
    loop {
        let (_, r) = srv
            .get(&format!("/api/v2/search.json?query={q}"), &srv.admin())
            .await;
        if let Some(t) = r["results"].as_array().and_then(|a| a.first()) {
            return (t.clone(), started.elapsed());
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no ticket {subject:?} appeared"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn message(from: &str, to: &str, subject: &str, id: &str, body: &str) -> Vec<u8> {
    format!(
        "From: Lucía Pérez <{from}>\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{id}>\r\nDate: Tue, 01 Dec 2026 09:00:00 +0100\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

both!(imap_accounts_fetch_with_idle, |first| {
    let backend = first.backend;
    drop(first);
    let dovecot = Dovecot::start(&[("support", "s3cr3t"), ("ventas", "v3nt4s")]).await;
    // Outgoing mail goes to a real SMTP server, to see who it comes from.
    let relay_port = free_port();
    let maildir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let sink = Sink::start(relay_port, maildir.path().to_path_buf()).await;
    let srv = TestServer::start_with_mail(
        backend,
        Some(app::outbox::MailSettings {
            from_address: "support@example.com".into(),
            from_name: "Soporte".into(),
        }),
    )
    .await;
    let relay = mail::outbox::Relay::new(
        &format!("smtp://127.0.0.1:{relay_port}"),
        "support@example.com",
        "Soporte",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    mail::outbox::spawn(srv.app.clone(), relay, Arc::new(tokio::sync::Notify::new()));
    let wake = Arc::new(tokio::sync::Notify::new());
    super::email::start_worker(&srv.app, wake.clone()).await;
    let tls = mail::tls::client_config(Some(&dovecot.certs.ca)).unwrap_or_else(|e| panic!("{e}"));
    let mut config = mail::imap::ImapConfig::new(tls);
    config.refresh_every = Duration::from_millis(200);
    mail::imap::spawn(srv.app.clone(), config.clone(), wake);
    // On PostgreSQL a second node runs its own fetcher and worker on the
    // same database: each account is read by one of them, each message
    // lands once.
    let _second = match srv.backend {
        atiende_testkit::Backend::Postgres => {
            // Configured as the first node is (both send acknowledgements).
            let (base, app2, stop) = atiende_testkit::start_node_full(
                &srv.database_url,
                atiende_testkit::test_rate(),
                srv.app.mail.as_deref().cloned(),
            )
            .await;
            let wake2 = Arc::new(tokio::sync::Notify::new());
            super::email::start_worker(&app2, wake2.clone()).await;
            let mut config2 = config.clone();
            config2.node = "second-node".into();
            mail::imap::spawn(app2, config2, wake2);
            Some((base, stop))
        }
        atiende_testkit::Backend::Sqlite => None,
    };

    // Two accounts: STARTTLS and mark as read; implicit TLS and move.
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/recipient_addresses.json",
            &srv.admin(),
            Some(json!({"recipient_address": {"email": "support@example.com", "name": "Soporte", "default": true,
                "imap": {"host": "localhost", "port": dovecot.imap, "security": "starttls", "username": "support", "password": "s3cr3t"}}})),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    assert!(
        !b.to_string().contains("s3cr3t"),
        "the password never comes back"
    );
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/recipient_addresses.json",
            &srv.admin(),
            Some(json!({"recipient_address": {"email": "ventas@example.com", "name": "Ventas",
                "imap": {"host": "127.0.0.1", "port": dovecot.imaps, "security": "tls", "username": "ventas", "password": "v3nt4s",
                         "after": "move", "move_to": "Procesados"}}})),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let ventas_id = b["recipient_address"]["id"].as_i64().unwrap_or_default();
    wait_status(
        &srv,
        "support@example.com",
        "connected, waiting for mail (IDLE)",
    )
    .await;
    wait_status(
        &srv,
        "ventas@example.com",
        "connected, waiting for mail (IDLE)",
    )
    .await;

    // IDLE: a message appended now is a ticket in well under a second.
    let first_mail = message(
        "lucia@example.com",
        "support@example.com",
        "Pedido 4411 sin llegar",
        "imap-1@mail.example",
        "Hola, mi pedido no llega.",
    );
    dovecot
        .append("support", "s3cr3t", "INBOX", &first_mail)
        .await;
    let (t, took) = wait_ticket(&srv, "Pedido 4411 sin llegar").await;
    println!("IMAP IDLE: appended to ticket in {} ms", took.as_millis());
    assert!(took < Duration::from_secs(1), "IDLE took {took:?}");
    assert_eq!(t["via"]["channel"], "email");
    assert_eq!(t["recipient"], "support@example.com");
    // Fetched mail is flagged read on the server, and stays there.
    dovecot
        .wait_count(
            ("support", "s3cr3t"),
            "INBOX",
            "UNSEEN",
            0,
            "never flagged \\Seen",
        )
        .await;
    assert_eq!(dovecot.count("support", "s3cr3t", "INBOX", "ALL").await, 1);

    // The same message delivered again (same Message-ID) is one comment.
    dovecot
        .append("support", "s3cr3t", "INBOX", &first_mail)
        .await;
    dovecot
        .wait_count(
            ("support", "s3cr3t"),
            "INBOX",
            "UNSEEN",
            0,
            "the copy was not fetched",
        )
        .await;
    let id = t["id"].as_i64().unwrap_or_default();
    assert_eq!(super::email::comments(&srv, id).await.len(), 1);

    // The other account moves what it fetched; its ticket remembers the
    // address, and the acknowledgement comes from it, with a reply address.
    dovecot
        .deliver(
            ("ventas", "v3nt4s"),
            "ana@example.org",
            "ventas@example.com",
            "Presupuesto de 20 lámparas",
            "imap-2@mail.example",
            "¿Me enviáis un presupuesto?",
        )
        .await;
    let (t2, _) = wait_ticket(&srv, "Presupuesto de 20 lámparas").await;
    assert_eq!(t2["recipient"], "ventas@example.com");
    let started = Instant::now();
    while dovecot.count("ventas", "v3nt4s", "Procesados", "ALL").await != 1 {
        assert!(started.elapsed() < Duration::from_secs(10), "never moved");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(dovecot.count("ventas", "v3nt4s", "INBOX", "ALL").await, 0);
    let sent = sink.wait_for(2).await;
    let ack = sent
        .iter()
        .find(|m| m["to"] == "ana@example.org")
        .cloned()
        .unwrap_or_else(|| panic!("no acknowledgement to ana: {sent:?}"));
    assert_eq!(ack["from"], "Ventas <ventas@example.com>");
    let t2_id = t2["id"].as_i64().unwrap_or_default();
    let reply_to = ack["reply_to"].as_str().unwrap_or("").to_string();
    assert!(
        reply_to.contains(&format!("ventas+t{t2_id}-")),
        "{reply_to}"
    );
    assert!(
        ack["text"]
            .as_str()
            .unwrap_or("")
            .contains("Hemos recibido tu mensaje")
    );
    let lucia_ack = sent
        .iter()
        .find(|m| m["to"] == "lucia@example.com")
        .cloned()
        .unwrap_or(Json::Null);
    assert_eq!(lucia_ack["from"], "Soporte <support@example.com>");

    // Ana answers from a mail program that drops In-Reply-To and the
    // subject's number: the reply address alone threads it.
    let address = reply_to
        .rsplit_once('<')
        .map_or(reply_to.as_str(), |(_, a)| a.trim_end_matches('>'))
        .to_string();
    dovecot
        .deliver(
            ("ventas", "v3nt4s"),
            "ana@example.org",
            &address,
            "otra cosa",
            "imap-3@mail.example",
            "Y también 5 bombillas.",
        )
        .await;
    let started = Instant::now();
    loop {
        let c = super::email::comments(&srv, t2_id).await;
        if c.len() == 2 {
            assert!(c[1]["body"].as_str().unwrap_or("").contains("5 bombillas"));
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the answer did not thread: {c:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // However many nodes raced, nothing was processed twice.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(super::email::comments(&srv, t2_id).await.len(), 2);
    assert_eq!(super::email::comments(&srv, id).await.len(), 1);

    // A wrong password shows on the admin's status; fixing it resumes.
    let (s, _) = srv
        .call(
            "PUT",
            &format!("/api/v2/recipient_addresses/{ventas_id}.json"),
            &srv.admin(),
            Some(json!({"recipient_address": {"imap": {"host": "127.0.0.1", "port": dovecot.imaps, "security": "tls", "username": "ventas", "password": "wrong", "after": "move", "move_to": "Procesados"}}})),
        )
        .await;
    assert_eq!(s, 200);
    let status = wait_status(&srv, "ventas@example.com", "error").await;
    assert!(status.contains("login refused"), "{status}");
    let (s, _) = srv
        .call(
            "PUT",
            &format!("/api/v2/recipient_addresses/{ventas_id}.json"),
            &srv.admin(),
            Some(json!({"recipient_address": {"imap": {"host": "127.0.0.1", "port": dovecot.imaps, "security": "tls", "username": "ventas", "password": "v3nt4s", "after": "move", "move_to": "Procesados"}}})),
        )
        .await;
    assert_eq!(s, 200);
    wait_status(&srv, "ventas@example.com", "connected").await;

    // A server whose certificate we do not trust is refused.
    let untrusting = mail::tls::client_config(None).unwrap_or_else(|e| panic!("{e}"));
    let refused = mail::imap::client::Connection::open(
        "localhost",
        dovecot.imaps,
        domain::ImapSecurity::Tls,
        "support",
        "s3cr3t",
        untrusting,
    )
    .await;
    assert!(
        refused.as_ref().err().is_some_and(|e| e.0.contains("TLS")),
        "an untrusted certificate must be refused"
    );

    // Only admins see or change support addresses.
    let (_, agent) = srv.user_with_token("Bea", "bea@example.com", "agent").await;
    let (s, _) = srv.get("/api/v2/recipient_addresses.json", &agent).await;
    assert_eq!(s, 403);
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/recipient_addresses.json",
            &srv.admin(),
            Some(json!({"recipient_address": {"email": "no es correo", "imap": {"host": "", "username": "x"}}})),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    let fields: Vec<&str> = b["details"]
        .as_object()
        .map(|d| d.keys().map(String::as_str).collect())
        .unwrap_or_default();
    assert!(
        fields.contains(&"email")
            && fields.contains(&"imap.host")
            && fields.contains(&"imap.password"),
        "{b}"
    );
});

both!(servers_without_idle_are_polled, |srv| {
    let dovecot = Dovecot::start_with(&[("support", "s3cr3t")], false).await;
    let wake = Arc::new(tokio::sync::Notify::new());
    super::email::start_worker(&srv.app, wake.clone()).await;
    let tls = mail::tls::client_config(Some(&dovecot.certs.ca)).unwrap_or_else(|e| panic!("{e}"));
    let mut config = mail::imap::ImapConfig::new(tls);
    config.refresh_every = Duration::from_millis(200);
    config.poll_every = Duration::from_millis(300);
    mail::imap::spawn(srv.app.clone(), config, wake);
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/recipient_addresses.json",
            &srv.admin(),
            Some(json!({"recipient_address": {"email": "support@example.com", "name": "Soporte",
                "imap": {"host": "localhost", "port": dovecot.imaps, "security": "tls", "username": "support", "password": "s3cr3t"}}})),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let status = wait_status(&srv, "support@example.com", "connected").await;
    assert!(status.contains("no IDLE"), "{status}");
    dovecot
        .deliver(
            ("support", "s3cr3t"),
            "lucia@example.com",
            "support@example.com",
            "Sin IDLE",
            "poll-1@mail.example",
            "Hola.",
        )
        .await;
    let (t, took) = wait_ticket(&srv, "Sin IDLE").await;
    println!(
        "IMAP polling: appended to ticket in {} ms",
        took.as_millis()
    );
    assert_eq!(t["recipient"], "support@example.com");
});
