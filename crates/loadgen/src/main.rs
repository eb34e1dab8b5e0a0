//! Load generator for atiende. It can start the server itself (fresh data
//! folder, so start-up time and memory are measured too) or drive one that
//! is already running, then runs bounded phases and prints throughput and
//! latency percentiles per phase:
//!
//! 1. create tickets through the API with N concurrent clients;
//! 2. add a public reply to each;
//! 3. fetch each ticket with its comments;
//! 4. search with a mix of query shapes, optionally after bulk-loading a
//!    large corpus with `atiende demo` (the fast path straight to the store).
//!
//! Every request loop is bounded in count and time and targets 127.0.0.1.

use clap::Parser;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Parser, Debug, Clone)]
#[command(about = "Benchmark an atiende server")]
struct Args {
    /// Start this atiende binary on a fresh data folder (recommended).
    #[arg(long)]
    spawn: Option<String>,
    /// Or drive a running server at this URL (needs --email and --token).
    #[arg(long)]
    url: Option<String>,
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    token: Option<String>,
    /// The account's password, for the agent workspace phase (with --url).
    #[arg(long)]
    password: Option<String>,
    /// Messages to deliver through the SMTP listener (only with --spawn).
    #[arg(long, default_value_t = 0)]
    emails: usize,
    /// Workspace pages to render of each kind (queue page, ticket page).
    #[arg(long, default_value_t = 200)]
    pages: usize,
    /// Tickets to create (and reply to, and fetch).
    #[arg(long, default_value_t = 20_000)]
    tickets: usize,
    /// Concurrent clients.
    #[arg(long, default_value_t = 32)]
    clients: usize,
    /// Tickets to bulk-load before the search phase (only with --spawn).
    #[arg(long, default_value_t = 0)]
    corpus: usize,
    /// Search queries to run.
    #[arg(long, default_value_t = 200)]
    queries: usize,
    /// Help-center articles to write before rendering the public pages.
    #[arg(long, default_value_t = 0)]
    articles: usize,
    /// Public help-center article pages to render (with --articles).
    #[arg(long, default_value_t = 1000)]
    hc_pages: usize,
    /// Chat widget connections to open (sessions and WebSockets); 0 skips
    /// the chat phase.
    #[arg(long, default_value_t = 0)]
    chat_visitors: usize,
    /// Of those, chats handed over to a person (a case each) that agents
    /// reply to.
    #[arg(long, default_value_t = 200)]
    chat_active: usize,
    /// Agents' replies a second, spread over the active chats.
    #[arg(long, default_value_t = 1000)]
    chat_rate: usize,
    /// How long the replies flow.
    #[arg(long, default_value_t = 10)]
    chat_seconds: u64,
    /// WhatsApp webhook deliveries to send (signed); 0 skips the
    /// messaging phases.
    #[arg(long, default_value_t = 0)]
    whatsapp: usize,
    /// Replies to send out on WhatsApp after the deliveries.
    #[arg(long, default_value_t = 0)]
    whatsapp_out: usize,
    /// Calls to a voice line (TwiML timed per webhook); 0 skips the phone
    /// phases.
    #[arg(long, default_value_t = 0)]
    calls: usize,
    /// Screen-pops timed after the calls (a call ringing for the signed-in
    /// agent until their page shows it).
    #[arg(long, default_value_t = 200)]
    screen_pops: usize,
    /// Port for the spawned server.
    #[arg(long, default_value_t = 18_480)]
    port: u16,
    /// Stop any phase after this many seconds.
    #[arg(long, default_value_t = 600)]
    max_seconds: u64,
}

struct Target {
    base: String,
    auth: String,
    http: reqwest::Client,
    deadline: Instant,
}

struct Server {
    child: Child,
    data: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

fn rss_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn run_cli(bin: &str, data: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new(bin)
        .args(args)
        .env("ATIENDE_DATA", data)
        .env("ATIENDE_LOG", "warn")
        .output();
    match out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).trim().to_string(),
        Ok(o) => panic_exit(&format!(
            "{bin} {args:?} failed: {}",
            String::from_utf8_lossy(&o.stderr)
        )),
        Err(e) => panic_exit(&format!("cannot run {bin}: {e}")),
    }
}

fn panic_exit(msg: &str) -> ! {
    eprintln!("loadgen: {msg}");
    std::process::exit(1)
}

async fn wait_healthy(http: &reqwest::Client, base: &str, started: Instant) -> Duration {
    loop {
        if let Ok(r) = http.get(format!("{base}/healthz")).send().await
            && r.status().is_success()
        {
            return started.elapsed();
        }
        if started.elapsed() > Duration::from_secs(30) {
            panic_exit("server did not become healthy in 30 s");
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

fn start_server(bin: &str, data: &std::path::Path, port: u16) -> Child {
    Command::new(bin)
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--smtp-listen",
            &format!("127.0.0.1:{}", port + 1),
        ])
        .env("ATIENDE_SUPPORT_ADDRESS", "support@example.com")
        // One token drives the whole load: lift the per-user API limit
        // (700 a minute by default) for the benchmark only.
        .env("ATIENDE_RATE_LIMIT_PER_MINUTE", "1000000000")
        // Every chat visitor comes from 127.0.0.1: lift the limit on new
        // ones per network likewise.
        .env("ATIENDE_CHAT_VISITORS_PER_MINUTE", "1000000000")
        .env("ATIENDE_DATA", data)
        .env("ATIENDE_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic_exit(&format!("cannot start {bin}: {e}")))
}

/// Latencies of one phase, reported as throughput and percentiles.
mod chat;
mod email;
mod help_center;
mod messaging;
mod pages;
mod voice;

fn report(name: &str, mut lat: Vec<Duration>, wall: Duration, errors: usize) {
    lat.sort();
    let pct = |p: f64| {
        lat.get(((lat.len() as f64 - 1.0) * p).round() as usize)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    let n = lat.len();
    println!(
        "{name:<22} {n:>8} ok {errors:>5} err  {:>9.0} req/s   p50 {:>7.2} ms   p95 {:>7.2} ms   p99 {:>7.2} ms   max {:>7.2} ms",
        n as f64 / wall.as_secs_f64().max(1e-9),
        pct(0.5),
        pct(0.95),
        pct(0.99),
        pct(1.0)
    );
}

/// Runs `total` requests over `clients` workers; `make` builds request i.
async fn phase<F, Fut>(
    t: &Arc<Target>,
    name: &str,
    total: usize,
    clients: usize,
    make: F,
) -> Vec<serde_json::Value>
where
    F: Fn(Arc<Target>, usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<serde_json::Value, String>> + Send,
{
    let make = Arc::new(make);
    let started = Instant::now();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..clients.max(1) {
        let (t, make, next) = (t.clone(), make.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut out = Vec::new();
            let mut errors = 0usize;
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= total || Instant::now() > t.deadline {
                    break;
                }
                let s = Instant::now();
                match make(t.clone(), i).await {
                    Ok(v) => {
                        lat.push(s.elapsed());
                        out.push((i, v));
                    }
                    Err(e) => {
                        errors += 1;
                        if errors <= 3 {
                            eprintln!("{e}");
                        }
                    }
                }
            }
            (lat, out, errors)
        }));
    }
    let mut all_lat = Vec::new();
    let mut all_out = Vec::new();
    let mut errors = 0;
    for task in tasks {
        if let Ok((lat, out, e)) = task.await {
            all_lat.extend(lat);
            all_out.extend(out);
            errors += e;
        }
    }
    report(name, all_lat, started.elapsed(), errors);
    all_out.sort_by_key(|(i, _)| *i);
    all_out.into_iter().map(|(_, v)| v).collect()
}

async fn call(
    t: &Target,
    method: reqwest::Method,
    path: &str,
    body: Option<serde_json::Value>,
) -> Result<serde_json::Value, String> {
    let mut req = t
        .http
        .request(method, format!("{}{path}", t.base))
        .header("authorization", &t.auth);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.map_err(|e| e.to_string())?;
    let status = r.status();
    let v: serde_json::Value = r.json().await.unwrap_or(serde_json::Value::Null);
    if status.is_success() {
        Ok(v)
    } else {
        Err(format!("{path}: {status} {v}"))
    }
}

const PRIORITIES: [&str; 4] = ["low", "normal", "high", "urgent"];

const WORDS: &[&str] = &[
    "pedido",
    "reembolso",
    "factura",
    "contraseña",
    "suscripción",
    "refund",
    "password",
    "order",
    "charged",
    "export",
    "envío",
    "app",
];

fn query(i: usize) -> String {
    let w = WORDS[i % WORDS.len()];
    match i % 10 {
        0 => w.to_string(),
        1 => format!("{w} status<solved"),
        2 => "\"no ha llegado\"".into(),
        3 => format!("tags:vip {w}"),
        4 => "status:open priority>normal".into(),
        5 => format!("{w} -tags:espanol"),
        6 => "created>2026-10-01 status<solved type:ticket".into(),
        7 => "assignee:none type:ticket".into(),
        8 => format!("\"{w}\" tags:envio tags:pedido"),
        _ => format!("{w} {} status:pending", WORDS[(i + 3) % WORDS.len()]),
    }
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.clients * 2)
        .build()
        .unwrap_or_else(|e| panic_exit(&e.to_string()));
    let mut server: Option<Server> = None;
    let (base, email, token) = match (&args.spawn, &args.url) {
        (Some(bin), _) => {
            let data = std::env::temp_dir().join(format!("atiende-bench-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&data);
            run_cli(bin, &data, &["migrate"]);
            run_cli(
                bin,
                &data,
                &[
                    "admin",
                    "create",
                    "--email",
                    "bench@example.com",
                    "--name",
                    "Bench",
                    "--password",
                    "bench-password",
                ],
            );
            let token = run_cli(
                bin,
                &data,
                &["token", "create", "--email", "bench@example.com"],
            );
            if args.corpus > 0 {
                let started = Instant::now();
                let out = run_cli(bin, &data, &["demo", "--tickets", &args.corpus.to_string()]);
                println!(
                    "bulk load: {out} ({:.0} tickets/s)",
                    args.corpus as f64 / started.elapsed().as_secs_f64()
                );
            }
            let base = format!("http://127.0.0.1:{}", args.port);
            let started = Instant::now();
            let child = start_server(bin, &data, args.port);
            let ready = wait_healthy(&http, &base, started).await;
            println!("start to serving: {:.0} ms", ready.as_secs_f64() * 1000.0);
            tokio::time::sleep(Duration::from_millis(500)).await;
            if let Some(mb) = rss_mb(child.id()) {
                println!("idle RSS: {mb:.1} MB");
            }
            server = Some(Server { child, data });
            (base, "bench@example.com".to_string(), token)
        }
        (None, Some(url)) => (
            url.clone(),
            args.email.clone().unwrap_or_default(),
            args.token.clone().unwrap_or_default(),
        ),
        _ => panic_exit("give --spawn PATH_TO_ATIENDE or --url URL --email E --token T"),
    };
    use base64::Engine;
    let auth = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{email}/token:{token}"))
    );
    let t = Arc::new(Target {
        base,
        auth,
        http,
        deadline: Instant::now() + Duration::from_secs(args.max_seconds),
    });

    let created = phase(&t, "create ticket", args.tickets, args.clients, |t, i| async move {
        let body = serde_json::json!({"ticket": {
            "subject": format!("Pedido {i} no llega"),
            "comment": {"body": format!("Hola, mi pedido número {i} no ha llegado y quiero saber cuándo llega o pedir un reembolso.")},
            "requester": {"name": format!("Cliente {}", i % 500), "email": format!("cliente{}@bench.example", i % 500)},
            "priority": PRIORITIES[i % 4],
            "tags": ["bench", if i % 3 == 0 { "vip" } else { "standard" }],
        }});
        call(&t, reqwest::Method::POST, "/api/v2/tickets.json", Some(body)).await.map(|v| v["ticket"]["id"].clone())
    })
    .await;
    let ids: Arc<Vec<i64>> = Arc::new(
        created
            .iter()
            .filter_map(serde_json::Value::as_i64)
            .collect(),
    );

    let n = ids.len();
    let reply_ids = ids.clone();
    phase(&t, "add reply", n, args.clients, move |t, i| {
        let id = reply_ids[i];
        async move {
            let body = serde_json::json!({"ticket": {"comment": {"body": "Gracias por escribirnos; ya estamos revisando su pedido.", "public": true}, "status": "pending"}});
            call(&t, reqwest::Method::PUT, &format!("/api/v2/tickets/{id}.json"), Some(body)).await.map(|_| serde_json::Value::Null)
        }
    })
    .await;

    let fetch_ids = ids.clone();
    phase(&t, "fetch ticket+comments", n, args.clients, move |t, i| {
        let id = fetch_ids[i];
        async move {
            call(
                &t,
                reqwest::Method::GET,
                &format!("/api/v2/tickets/{id}.json"),
                None,
            )
            .await?;
            call(
                &t,
                reqwest::Method::GET,
                &format!("/api/v2/tickets/{id}/comments.json"),
                None,
            )
            .await
            .map(|_| serde_json::Value::Null)
        }
    })
    .await;

    phase(
        &t,
        "search",
        args.queries,
        args.clients.min(8),
        |t, i| async move {
            let mut url = reqwest::Url::parse(&format!("{}/api/v2/search.json", t.base))
                .map_err(|e| e.to_string())?;
            url.query_pairs_mut()
                .append_pair("query", &query(i))
                .append_pair("per_page", "25");
            let r = t
                .http
                .get(url)
                .header("authorization", &t.auth)
                .send()
                .await
                .map_err(|e| e.to_string())?;
            if r.status().is_success() {
                Ok(serde_json::Value::Null)
            } else {
                Err(format!("search {}: {}", query(i), r.status()))
            }
        },
    )
    .await;

    if args.emails > 0 && server.is_some() {
        let smtp = format!("127.0.0.1:{}", args.port + 1);
        email::run(&t, &smtp, args.emails, args.clients).await;
    }

    if args.pages > 0 {
        let password = args
            .password
            .clone()
            .unwrap_or_else(|| "bench-password".to_string());
        pages::run(&t, &email, &password, args.pages, args.clients.min(8)).await;
    }

    if args.chat_visitors > 0 {
        let load = chat::ChatLoad {
            visitors: args.chat_visitors,
            active: args.chat_active,
            rate: args.chat_rate,
            seconds: args.chat_seconds,
            pid: server.as_ref().map(|s| s.child.id()),
        };
        chat::run(&t, load).await;
    }
    if args.whatsapp > 0 {
        messaging::run(&t, args.whatsapp, args.whatsapp_out, args.clients).await;
    }
    if args.calls > 0 {
        let password = args
            .password
            .clone()
            .unwrap_or_else(|| "bench-password".to_string());
        voice::run(
            &t,
            args.calls,
            args.screen_pops,
            args.clients,
            (&email, &password),
        )
        .await;
    }
    if args.articles > 0 {
        help_center::run(&t, args.articles, args.hc_pages, args.clients.min(8)).await;
    }

    if let Some(s) = &server
        && let Some(mb) = rss_mb(s.child.id())
    {
        println!("RSS after load: {mb:.1} MB");
    }
}
