//! The binary as a user runs it: commands, configuration errors, first
//! start, health, a clean exit on SIGTERM, and mail surviving SIGKILL.

#[path = "it/access_log.rs"]
mod access_log;
#[path = "it/architecture.rs"]
mod architecture;
#[path = "it/metrics.rs"]
mod metrics;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_atiende");

fn run(dir: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .env("ATIENDE_DATA", dir)
        .env_remove("ATIENDE_DATABASE_URL")
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn admin_and_token_commands() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (ok, out, _) = run(dir.path(), &["migrate"]);
    assert!(ok && out.contains("schema at version"), "{out}");
    let (ok, out, err) = run(
        dir.path(),
        &[
            "admin",
            "create",
            "--email",
            "Ana@Example.com",
            "--name",
            "Ana",
        ],
    );
    assert!(ok, "{err}");
    assert!(
        out.contains("password: "),
        "a generated password is printed: {out}"
    );
    let (ok, token, _) = run(
        dir.path(),
        &["token", "create", "--email", "ana@example.com"],
    );
    assert!(ok);
    assert_eq!(
        token.trim().len(),
        40,
        "only the token is printed: {token:?}"
    );
    assert!(token.trim().chars().all(|c| c.is_ascii_alphanumeric()));
    let (ok, _, err) = run(
        dir.path(),
        &["token", "create", "--email", "nobody@example.com"],
    );
    assert!(!ok && err.contains("no user"), "{err}");
    let (ok, out, err) = run(dir.path(), &["demo", "--tickets", "50"]);
    assert!(ok && out.contains("50 tickets"), "{out}{err}");
    let (ok, out, _) = run(dir.path(), &["reindex"]);
    assert!(ok && out.contains("reindexed 50 tickets"), "{out}");
}

#[test]
fn unknown_config_keys_are_named() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("atiende.toml"),
        "listen = \"127.0.0.1:0\"\ndatabse_url = \"x\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (ok, _, err) = run(dir.path(), &["migrate"]);
    assert!(!ok && err.contains("databse_url"), "{err}");
    let (ok, _, err) = run(dir.path(), &["--listen", "not-an-address", "migrate"]);
    assert!(!ok && err.contains("listen"), "{err}");
}

#[test]
fn serves_then_exits_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let started = Instant::now();
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("ATIENDE_DATA", dir.path())
        .env_remove("ATIENDE_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut lines = BufReader::new(stdout).lines();
    let mut printed = Vec::new();
    let url = loop {
        let line = lines
            .next()
            .unwrap_or_else(|| panic!("server exited: {printed:?}"))
            .unwrap_or_default();
        printed.push(line.clone());
        if let Some(rest) = line.strip_prefix("atiende listening on ") {
            break rest
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string();
        }
    };
    assert!(
        printed.iter().any(|l| l.contains("admin@atiende.local")),
        "first start prints the admin login: {printed:?}"
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    rt.block_on(async {
        let r = reqwest::get(format!("{url}/healthz"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status().as_u16(), 200);
    });
    assert!(started.elapsed() < Duration::from_secs(10));
    let pid = child.id().to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(killed.success());
    let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
    assert!(status.success(), "exit status after SIGTERM: {status:?}");
    // A second start finds the schema and the admin, and prints no new login.
    let (ok, out, _) = run(dir.path(), &["migrate"]);
    assert!(ok && out.contains("0 migration(s) applied"), "{out}");
}

/// Starts the server on `dir` (SQLite) with `extra` arguments; returns the
/// child and the HTTP base URL once it serves.
fn start(dir: &std::path::Path, extra: &[&str]) -> (std::process::Child, String) {
    start_with_log(dir, extra, Stdio::null())
}

/// [`start`], with the server's log (its standard error) sent to `log`.
fn start_with_log(
    dir: &std::path::Path,
    extra: &[&str],
    log: Stdio,
) -> (std::process::Child, String) {
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(extra)
        .env("ATIENDE_DATA", dir)
        .env("ATIENDE_SUPPORT_ADDRESS", "support@example.com")
        .env_remove("ATIENDE_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut lines = BufReader::new(stdout).lines();
    let mut url = None;
    for line in lines.by_ref() {
        let line = line.unwrap_or_default();
        if let Some(rest) = line.strip_prefix("atiende listening on ") {
            url = rest.split_whitespace().next().map(str::to_string);
            break;
        }
    }
    // Keep reading so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (
        child,
        url.unwrap_or_else(|| panic!("the server did not start")),
    )
}

/// A free local port (bound, then released for the server to take).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn message(i: usize) -> Vec<u8> {
    format!(
        "From: cliente{}@customers.example\r\nTo: support@example.com\r\nSubject: Pedido {i}\r\nMessage-ID: <fault-{i}@customers.example>\r\n\r\nmarker-{i}-end: mi pedido {i} no llega.\r\n",
        i % 50
    )
    .into_bytes()
}

/// Every ticket's description, through the incremental export.
async fn descriptions(http: &reqwest::Client, url: &str, token: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut next =
        format!("{url}/api/v2/incremental/tickets/cursor.json?start_time=0&per_page=1000");
    loop {
        let page: serde_json::Value = http
            .get(&next)
            .basic_auth("admin@atiende.local/token", Some(token))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_default();
        out.extend(
            page["tickets"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|t| t["description"].as_str().map(str::to_string)),
        );
        match page["after_url"].as_str() {
            Some(u) if page["end_of_stream"] != true => next = u.to_string(),
            _ => return out,
        }
    }
}

/// Kill -9 while mail is being delivered: after a restart, every message the
/// listener acknowledged is on a ticket exactly once.
#[test]
fn smtp_ingest_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let smtp = format!("127.0.0.1:{}", free_port());
    let (mut child, _) = start(dir.path(), &["--smtp-listen", &smtp]);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let total = 5000usize;
    let acked: Vec<usize> = rt.block_on(async {
        let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let done = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (next, done, smtp) = (next.clone(), done.clone(), smtp.clone());
            tasks.push(tokio::spawn(async move {
                let mut mine = Vec::new();
                let Ok(mut c) = mail::client::Client::connect(&smtp).await else {
                    return mine;
                };
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= total {
                        return mine;
                    }
                    match c
                        .send(
                            &format!("cliente{}@customers.example", i % 50),
                            "support@example.com",
                            &message(i),
                        )
                        .await
                    {
                        Ok(_) => {
                            mine.push(i);
                            done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                        Err(_) => return mine,
                    }
                }
            }));
        }
        // Let delivery run, then kill the server mid-stream.
        let start = Instant::now();
        while done.load(std::sync::atomic::Ordering::Relaxed) < 1500
            && start.elapsed() < Duration::from_secs(60)
        {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let _ = Command::new("kill")
            .args(["-KILL", &child.id().to_string()])
            .status();
        let mut acked = Vec::new();
        for t in tasks {
            acked.extend(t.await.unwrap_or_default());
        }
        acked
    });
    let _ = child.wait();
    assert!(
        acked.len() > 50,
        "some mail was acknowledged before the kill: {}",
        acked.len()
    );
    assert!(acked.len() < total, "the kill happened mid-stream");

    // Restart: the worker processes what was stored before the kill.
    let (mut child, url) = start(dir.path(), &["--smtp-listen", &smtp]);
    let (ok, token, err) = run(
        dir.path(),
        &["token", "create", "--email", "admin@atiende.local"],
    );
    assert!(ok, "{err}");
    let token = token.trim().to_string();
    rt.block_on(async {
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let found = descriptions(&http, &url, &token).await;
            let count = |i: usize| {
                let marker = format!("marker-{i}-end");
                found.iter().filter(|d| d.contains(&marker)).count()
            };
            let missing: Vec<usize> = acked.iter().copied().filter(|i| count(*i) == 0).collect();
            if missing.is_empty() {
                let twice: Vec<usize> = (0..total).filter(|i| count(*i) > 1).collect();
                assert!(
                    twice.is_empty(),
                    "messages on more than one ticket: {twice:?}"
                );
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{} acknowledged messages never became tickets, e.g. {:?}",
                missing.len(),
                &missing[..missing.len().min(5)]
            );
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    });
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
}

/// One API call with a token; answers the status and the JSON body.
async fn call(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    (email, token): (&str, &str),
    body: serde_json::Value,
) -> (u16, serde_json::Value) {
    let r = http
        .request(method, url)
        .basic_auth(format!("{email}/token"), Some(token))
        .json(&body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or_default())
}

/// The background work the binary starts by itself: a trigger's webhook is
/// delivered by the sender it spawns, and a case waiting for an agent is
/// assigned by its periodic routing pass once the agent comes online.
#[test]
fn serve_runs_webhooks_and_routing_in_the_background() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (mut child, url) = start(dir.path(), &[]);
    let token = |email: &str| {
        let (ok, token, err) = run(dir.path(), &["token", "create", "--email", email]);
        assert!(ok, "{err}");
        token.trim().to_string()
    };
    let admin_token = token("admin@atiende.local");
    let admin = ("admin@atiende.local", admin_token.as_str());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    rt.block_on(async {
        use reqwest::Method;
        use serde_json::json;
        // A local endpoint that records what it is sent.
        let got = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
        let store = got.clone();
        let hook_app = axum::Router::new().route(
            "/hook",
            axum::routing::post(move |body: String| {
                let store = store.clone();
                async move {
                    store.lock().map(|mut g| g.push(body)).ok();
                    axum::http::StatusCode::OK
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let endpoint = format!(
            "http://{}/hook",
            listener.local_addr().unwrap_or_else(|e| panic!("{e}"))
        );
        tokio::spawn(async move {
            let _ = axum::serve(listener, hook_app).await;
        });

        let http = reqwest::Client::new();
        let api = |path: &str| format!("{url}/api/v2/{path}");
        let (s, w) = call(&http, Method::POST, &api("webhooks"), admin, json!({"webhook": {"name": "CRM", "endpoint": endpoint, "http_method": "POST", "request_format": "json", "status": "active"}})).await;
        assert_eq!(s, 201, "{w}");
        let hook = w["webhook"]["id"].as_str().unwrap_or("").to_string();
        let (s, b) = call(&http, Method::POST, &api("triggers.json"), admin, json!({"trigger": {"title": "Avisar al CRM",
            "conditions": {"all": [{"field": "update_type", "operator": "is", "value": "Create"}]},
            "actions": [{"field": "notification_webhook", "value": [hook, "{\"ticket\": {{ticket.id}}}"]}]}})).await;
        assert_eq!(s, 201, "{b}");

        // An agent who is offline, with routing on.
        let (s, u) = call(&http, Method::POST, &api("users.json"), admin, json!({"user": {"name": "Ana", "email": "ana@example.com", "role": "agent"}})).await;
        assert_eq!(s, 201, "{u}");
        let ana = u["user"]["id"].as_i64().unwrap_or_default();
        let (s, b) = call(&http, Method::PUT, &api("routing/settings.json"), admin, json!({"routing_settings": {"enabled": true}})).await;
        assert_eq!(s, 200, "{b}");

        let (s, t) = call(&http, Method::POST, &api("tickets.json"), admin, json!({"ticket": {"subject": "Mi pedido", "comment": {"body": "No ha llegado"}, "requester": {"email": "lucia@example.com", "name": "Lucía"}}})).await;
        assert_eq!(s, 201, "{t}");
        let id = t["ticket"]["id"].as_i64().unwrap_or_default();

        // The webhook arrives without anyone driving the sender.
        let deadline = Instant::now() + Duration::from_secs(20);
        while got.lock().map(|g| g.is_empty()).unwrap_or(true) {
            assert!(Instant::now() < deadline, "the webhook never arrived");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let bodies = got.lock().map(|g| g.clone()).unwrap_or_default();
        assert_eq!(bodies, vec![format!("{{\"ticket\": {id}}}")]);

        // Nobody is online: the case waits.
        let assignee = |http: reqwest::Client| {
            let path = api(&format!("tickets/{id}.json"));
            async move {
                call(&http, Method::GET, &path, admin, json!({})).await.1["ticket"]["assignee_id"].clone()
            }
        };
        assert!(assignee(http.clone()).await.is_null());

        // Ana comes online herself; the routing pass assigns the case.
        let ana_token = token("ana@example.com");
        let (s, b) = call(&http, Method::PUT, &api(&format!("routing/agents/{ana}/profile.json")), ("ana@example.com", &ana_token), json!({"routing_profile": {"presence": "online"}})).await;
        assert_eq!(s, 200, "{b}");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if assignee(http.clone()).await == ana {
                break;
            }
            assert!(Instant::now() < deadline, "the waiting case was never routed");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    });
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
    assert!(status.success(), "{status:?}");
}

/// A widget call from a shop's page.
async fn widget_call(
    http: &reqwest::Client,
    url: &str,
    key: &str,
    path: &str,
    body: serde_json::Value,
) -> serde_json::Value {
    let r = http
        .post(format!("{url}/chat/v1/{key}/{path}"))
        .header("origin", "https://shop.example")
        .header("content-type", "text/plain")
        .body(body.to_string())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(r.status().as_u16(), 200, "{path}");
    r.json().await.unwrap_or_default()
}

/// Killed mid-chat (SIGKILL) and started again on the same data: every
/// line the widget was told was sent is there, the case has them, and an
/// agent's reply after the restart reaches the visitor.
#[test]
fn a_chat_survives_a_killed_server() {
    use serde_json::json;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (mut child, url) = start(dir.path(), &[]);
    let (ok, token, err) = run(
        dir.path(),
        &["token", "create", "--email", "admin@atiende.local"],
    );
    assert!(ok, "{err}");
    let admin_token = token.trim().to_string();
    let admin = ("admin@atiende.local", admin_token.as_str());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let http = reqwest::Client::new();
    let (key, visitor, ticket) = rt.block_on(async {
        let (s, w) = call(
            &http,
            reqwest::Method::POST,
            &format!("{url}/api/v2/chat/widgets.json"),
            admin,
            json!({"widget": {"name": "Tienda", "allowed_origins": ["https://shop.example"]}}),
        )
        .await;
        assert_eq!(s, 201, "{w}");
        let key = w["widget"]["key"].as_str().unwrap_or_default().to_string();
        let s = widget_call(&http, &url, &key, "session", json!({})).await;
        let visitor = s["token"].as_str().unwrap_or_default().to_string();
        let first = widget_call(&http, &url, &key, "lines", json!({"token": visitor, "client_id": "k1", "text": "quiero hablar con una persona", "locale": "es"})).await;
        widget_call(&http, &url, &key, "lines", json!({"token": visitor, "client_id": "k2", "text": "es por el pedido 77", "locale": "es"})).await;
        let ticket = first["conversation"]["ticket_id"].as_i64().unwrap_or_default();
        (key, visitor, ticket)
    });
    child.kill().unwrap_or_else(|e| panic!("{e}"));
    let _ = child.wait();

    let (mut child, url) = start(dir.path(), &[]);
    rt.block_on(async {
        let got = widget_call(&http, &url, &key, "poll", json!({"token": visitor, "after": 0})).await;
        let said: Vec<&str> = got["lines"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|l| l["text"].as_str())
            .collect();
        assert!(
            said.contains(&"quiero hablar con una persona") && said.contains(&"es por el pedido 77"),
            "{got}"
        );
        let (_, cs) = call(
            &http,
            reqwest::Method::GET,
            &format!("{url}/api/v2/tickets/{ticket}/comments.json"),
            admin,
            json!(null),
        )
        .await;
        assert_eq!(cs["comments"].as_array().map(Vec::len), Some(2), "{cs}");
        let last = got["lines"]
            .as_array()
            .and_then(|l| l.last())
            .and_then(|l| l["id"].as_i64())
            .unwrap_or_default();
        let (s, _) = call(
            &http,
            reqwest::Method::PUT,
            &format!("{url}/api/v2/tickets/{ticket}.json"),
            admin,
            json!({"ticket": {"comment": {"body": "Ya estoy aquí tras el reinicio", "public": true}}}),
        )
        .await;
        assert_eq!(s, 200);
        let next = widget_call(&http, &url, &key, "poll", json!({"token": visitor, "after": last})).await;
        assert!(
            next["lines"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|l| l["text"] == "Ya estoy aquí tras el reinicio"),
            "{next}"
        );
    });
    let _ = child.kill();
    let _ = child.wait();
}

/// A WhatsApp delivery as Meta sends it: one customer's first message.
fn whatsapp_delivery(i: usize) -> String {
    let from = 34_600_000_000u64 + i as u64;
    serde_json::json!({
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881", "phone_number_id": "555"},
            "contacts": [{"profile": {"name": format!("Cliente {i}")}, "wa_id": from.to_string()}],
            "messages": [{"from": from.to_string(), "id": format!("wamid.K{i}"), "timestamp": "1749416383",
                          "type": "text", "text": {"body": format!("marker-{i}-end: mi pedido no llega")}}],
        }}]}],
    })
    .to_string()
}

fn meta_signature(secret: &str, body: &str) -> String {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    mac.update(body.as_bytes());
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256={hex}")
}

/// Kill -9 during a flood of WhatsApp deliveries: after a restart, every
/// delivery the webhook answered 200 is a message on a case, once.
#[test]
fn whatsapp_deliveries_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (mut child, url) = start(dir.path(), &[]);
    let (ok, token, err) = run(
        dir.path(),
        &["token", "create", "--email", "admin@atiende.local"],
    );
    assert!(ok, "{err}");
    let token = token.trim().to_string();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let secret = "flood-app-secret";
    let http = reqwest::Client::new();
    let hook = rt.block_on(async {
        let (s, made) = call(
            &http,
            reqwest::Method::POST,
            &format!("{url}/api/v2/channels/accounts.json"),
            ("admin@atiende.local", &token),
            serde_json::json!({"account": {"channel": "whatsapp", "name": "WA", "external_id": "555",
                "credentials": {"access_token": "t", "app_secret": secret}, "api_base": "http://127.0.0.1:9"}}),
        )
        .await;
        assert_eq!(s, 201, "{made}");
        made["account"]["webhook_url"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    });
    let total = 3000usize;
    let acked: Vec<usize> = rt.block_on(async {
        let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let done = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (next, done, hook, http) = (next.clone(), done.clone(), hook.clone(), http.clone());
            tasks.push(tokio::spawn(async move {
                let mut mine = Vec::new();
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= total {
                        return mine;
                    }
                    let body = whatsapp_delivery(i);
                    let sent = http
                        .post(&hook)
                        .header("content-type", "application/json")
                        .header("x-hub-signature-256", meta_signature(secret, &body))
                        .body(body)
                        .send()
                        .await;
                    match sent {
                        Ok(r) if r.status().as_u16() == 200 => {
                            mine.push(i);
                            done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                        _ => return mine,
                    }
                }
            }));
        }
        let start = Instant::now();
        while done.load(std::sync::atomic::Ordering::Relaxed) < 800
            && start.elapsed() < Duration::from_secs(60)
        {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let _ = Command::new("kill")
            .args(["-KILL", &child.id().to_string()])
            .status();
        let mut acked = Vec::new();
        for t in tasks {
            acked.extend(t.await.unwrap_or_default());
        }
        acked
    });
    let _ = child.wait();
    assert!(
        acked.len() > 50,
        "deliveries acknowledged before the kill: {}",
        acked.len()
    );
    assert!(acked.len() < total, "the kill happened mid-flood");

    // Restart: what was stored and not yet read is read now.
    let (mut child, url) = start(dir.path(), &[]);
    rt.block_on(async {
        let deadline = Instant::now() + Duration::from_secs(180);
        loop {
            let found = descriptions(&http, &url, &token).await;
            let count = |i: usize| {
                let marker = format!("marker-{i}-end");
                found.iter().filter(|d| d.contains(&marker)).count()
            };
            let missing: Vec<usize> = acked.iter().copied().filter(|i| count(*i) == 0).collect();
            if missing.is_empty() {
                let twice: Vec<usize> = (0..total).filter(|i| count(*i) > 1).collect();
                assert!(
                    twice.is_empty(),
                    "messages on more than one case: {twice:?}"
                );
                break;
            }
            assert!(
                Instant::now() < deadline,
                "{} acknowledged deliveries never became messages, e.g. {:?}",
                missing.len(),
                &missing[..missing.len().min(5)]
            );
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    });
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
}
