//! The `atiende` binary: serve, migrate, and the administrative commands.
//! Thin: it reads configuration, opens the database and hands over to the
//! library crates.

mod config;

use app::App;
use app::auth::TokenKind;
use clap::{Parser, Subcommand};
use config::{Config, Overrides};
use std::process::ExitCode;
use std::time::Instant;

/// mimalloc instead of glibc malloc: the server allocates and frees many
/// small objects per request (JSON, SQL values, strings), where glibc's
/// bins and consolidation cost a sixth of the CPU (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "atiende",
    version,
    about = "Omnichannel customer service in one binary"
)]
struct Cli {
    #[command(flatten)]
    overrides: Overrides,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app and API (the default).
    Serve,
    /// Create or upgrade the database schema, then exit.
    Migrate,
    /// Manage administrators.
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Load realistic bilingual demo data.
    Demo {
        /// How many tickets to create.
        #[arg(long, default_value_t = 2000)]
        tickets: usize,
    },
    /// Rebuild the search index from the tickets.
    Reindex,
    /// Rebuild the reports' facts from the event log.
    RebuildReports,
}

#[derive(Subcommand)]
enum AdminAction {
    /// Create an administrator; prints the password if none is given.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        password: Option<String>,
    },
}

#[derive(Subcommand)]
enum TokenAction {
    /// Print a new API token for the user with this email (and nothing else).
    Create {
        #[arg(long)]
        email: String,
        /// Make an OAuth bearer token instead of an API token.
        #[arg(long)]
        oauth: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match config::resolve(&cli.overrides) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("atiende: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    let filter = tracing_subscriber::EnvFilter::try_new(&config.log)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        // Colours only on a terminal: a log file or collector reads plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("atiende: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command.unwrap_or(Command::Serve), config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("atiende: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Creates the data folder when the database lives in it.
fn ensure_data_dir(config: &Config) -> Result<(), String> {
    if !config.database_url.starts_with("postgres") {
        std::fs::create_dir_all(&config.data)
            .map_err(|e| format!("cannot create {}: {e}", config.data.display()))?;
    }
    Ok(())
}

async fn open(config: &Config) -> Result<App, String> {
    ensure_data_dir(config)?;
    let db = store::Db::open(&config.database_url)
        .await
        .map_err(|e| format!("database: {e}"))?;
    let mut app = App::new(db);
    app.limits.max_upload_bytes = config.max_upload_bytes;
    app.limits.new_chat_visitors_per_minute =
        u32::try_from(config.chat_visitors_per_minute).unwrap_or(u32::MAX);
    app.inbound_parser = Some(std::sync::Arc::new(mail::parse::MimeParser));
    app.translator = app::answer_bot::installed_translator();
    app.meaning = std::sync::Arc::new(app::bot_vectors::SentenceEncoder::at(config.models.clone()));
    Ok(app)
}

async fn run(command: Command, config: Config) -> Result<(), String> {
    match command {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            ensure_data_dir(&config)?;
            let db = store::Db::connect(&config.database_url)
                .await
                .map_err(|e| format!("database: {e}"))?;
            let applied = store::migrate::run(&db).await.map_err(|e| e.to_string())?;
            println!(
                "schema at version {} ({} migration(s) applied)",
                store::migrate::latest(),
                applied.len()
            );
            db.close().await;
            Ok(())
        }
        Command::Admin {
            action:
                AdminAction::Create {
                    email,
                    name,
                    password,
                },
        } => {
            let app = open(&config).await?;
            let generated = password.is_none();
            let password = password.unwrap_or_else(|| app::auth::random_token(16));
            let user = app
                .bootstrap_admin(&email, &name, &password)
                .await
                .map_err(describe)?;
            println!("created admin {} <{}> (id {})", user.name, email, user.id);
            if generated {
                println!("password: {password}");
            }
            app.db.close().await;
            Ok(())
        }
        Command::Token {
            action: TokenAction::Create { email, oauth },
        } => {
            let app = open(&config).await?;
            let user = app
                .user_by_email(&email)
                .await
                .map_err(describe)?
                .ok_or_else(|| format!("no user with email {email}"))?;
            let kind = if oauth {
                TokenKind::OAuth
            } else {
                TokenKind::Api
            };
            let token = app
                .create_token(user.id, kind, "created on the command line")
                .await
                .map_err(describe)?;
            println!("{token}");
            app.db.close().await;
            Ok(())
        }
        Command::Demo { tickets } => {
            let app = open(&config).await?;
            let started = Instant::now();
            let size = app::demo::DemoSize {
                tickets,
                ..Default::default()
            };
            let n = app.load_demo(size).await.map_err(describe)?;
            println!(
                "loaded {} agents, {} customers in {} organizations and {n} tickets in {:.1}s",
                size.agents,
                size.customers,
                size.organizations,
                started.elapsed().as_secs_f64()
            );
            app.db.close().await;
            Ok(())
        }
        Command::Reindex => {
            let app = open(&config).await?;
            let n = app.reindex().await.map_err(describe)?;
            app.ensure_index_current().await.map_err(describe)?;
            println!("reindexed {n} tickets");
            app.db.close().await;
            Ok(())
        }
        Command::RebuildReports => {
            let app = open(&config).await?;
            let n = app.rebuild_reports().await.map_err(describe)?;
            println!("folded {n} tickets into the reports");
            app.db.close().await;
            Ok(())
        }
    }
}

/// Every chat widget holds a connection open: the soft limit on open files
/// goes up to the hard one where the system allows, and the start says
/// what it is.
fn raise_open_files() {
    /// What a node aims to hold: 20,000 widget connections and its own.
    const WANTED: u64 = 65_536;
    match rlimit::increase_nofile_limit(WANTED) {
        Ok(n) if n < 20_000 => tracing::warn!(
            open_files = n,
            "the open-files limit is low: at most about this many chat connections (raise the hard limit, e.g. LimitNOFILE)"
        ),
        Ok(n) => tracing::info!(open_files = n, "open-files limit"),
        Err(e) => tracing::warn!(error = %e, "the open-files limit could not be read or raised"),
    }
}

fn describe(e: app::AppError) -> String {
    match e {
        app::AppError::Invalid(fields) => fields
            .into_iter()
            .map(|f| f.description)
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

/// Email: the support addresses, the outbox sender (with a relay), the
/// inbound worker (always: it also drains messages stored before a
/// restart), the IMAP fetcher, and the SMTP listener when configured.
async fn start_mail(app: &mut App, config: &Config) -> Result<(), String> {
    app.mailboxes
        .set_configured(&config.support_address, "Support");
    app.refresh_mailboxes().await.map_err(describe)?;
    if let Some(url) = &config.smtp_relay {
        let relay = mail::outbox::Relay::new(url, &config.support_address, "Support")?;
        app.mail = Some(std::sync::Arc::new(app::outbox::MailSettings {
            from_address: config.support_address.clone(),
            from_name: "Support".into(),
        }));
        mail::outbox::spawn(
            app.clone(),
            relay,
            std::sync::Arc::new(tokio::sync::Notify::new()),
        );
        println!(
            "Outgoing mail through the configured relay as {}",
            config.support_address
        );
    }
    let wake = std::sync::Arc::new(tokio::sync::Notify::new());
    let verifier = mail::auth::SenderVerifier::new(
        config.dns_server,
        config.trust_authentication_results.clone(),
        "atiende",
    )
    .map_err(|e| e.to_string())?;
    mail::worker::spawn(app.clone(), wake.clone(), std::sync::Arc::new(verifier));
    let client_tls = mail::tls::client_config(config.tls_ca_file.as_deref())?;
    mail::imap::spawn(
        app.clone(),
        mail::imap::ImapConfig::new(client_tls),
        wake.clone(),
    );
    if let Some(addr) = config.smtp_listen {
        let smtp = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("cannot listen for SMTP on {addr}: {e}"))?;
        let tls = match &config.smtp_tls {
            Some((cert, key)) => Some(mail::tls::server_config(cert, key)?),
            None => None,
        };
        println!(
            "SMTP listener on {addr} for {}{}",
            config.support_address,
            if tls.is_some() {
                " (STARTTLS offered)"
            } else {
                ""
            }
        );
        let mut smtp_config =
            mail::smtp::SmtpConfig::new("atiende", config.max_upload_bytes.max(25 * 1024 * 1024));
        smtp_config.tls = tls;
        tokio::spawn(mail::smtp::serve(
            smtp,
            app.clone(),
            smtp_config,
            wake,
            std::future::pending::<()>(),
        ));
    }
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM. The handlers are installed when this is
/// called, not when the future is first polled: `serve` calls it first, so
/// a signal sent the moment the server answers is caught (the default
/// handler would kill the process mid-request).
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let (term, int) = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::terminate()).ok(),
            signal(SignalKind::interrupt()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = wait(term) => {},
                () = wait(int) => {},
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
        tracing::info!("shutting down: finishing in-flight requests");
    }
}

async fn serve(config: Config) -> Result<(), String> {
    let started = Instant::now();
    let shutdown = shutdown_signal();
    raise_open_files();
    let app = open(&config).await?;
    if !app.has_staff().await.map_err(describe)? {
        let password = app::auth::random_token(16);
        let email = "admin@atiende.local";
        app.bootstrap_admin(email, "Admin", &password)
            .await
            .map_err(describe)?;
        println!(
            "First start: created the administrator account.\n  email:    {email}\n  password: {password}\n(shown once; change it after signing in)"
        );
    }
    app.ensure_builtin_rules().await.map_err(describe)?;
    let reindexed = app.ensure_index_current().await.map_err(describe)?;
    if reindexed > 0 {
        tracing::info!(
            tickets = reindexed,
            "rebuilt the search index for this version"
        );
    }
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    // Every listener is bound before we say we are serving.
    let metrics = match config.metrics_listen {
        Some(at) => {
            let l = tokio::net::TcpListener::bind(at)
                .await
                .map_err(|e| format!("cannot listen on {at} for metrics: {e}"))?;
            tracing::info!(addr = %at, "operations metrics at /metrics");
            Some(l)
        }
        None => None,
    };
    let mut app = app;
    start_mail(&mut app, &config).await?;
    app.messaging = Some(messaging::providers());
    let voice = messaging::voice_calls();
    app.voice = Some(voice.clone());
    app.public_url = config
        .public_url
        .as_ref()
        .map(|u| u.trim_end_matches('/').to_string());
    // Automations, SLA breaches and the router's queue pass (one node at a
    // time), and the webhook sender.
    let node = format!("node-{}-{}", std::process::id(), app::auth::random_token(6));
    if app.translator.is_some() {
        tracing::info!("answer bot: articles are machine-translated with Apertium");
    } else {
        tracing::info!(
            "answer bot: Apertium is not installed; each article is matched in its own language only"
        );
    }
    if app.meaning.installed() {
        tracing::info!(models = %config.models.display(), "answer bot: the sentence encoder is installed (questions are also matched by meaning)");
    } else {
        tracing::info!(models = %config.models.display(), "answer bot: no sentence encoder installed (scripts/install-models.sh); matching by words only");
    }
    app::answer_bot::spawn_machine_translation(app.clone(), node.clone());
    app::periodic::spawn(app.clone(), node, app::periodic::Cadence::default());
    webhooks::spawn(
        app.clone(),
        webhooks::Sender::new()?,
        std::sync::Arc::new(tokio::sync::Notify::new()),
    );
    tracing::info!(elapsed_ms = started.elapsed().as_millis() as u64, "serving");
    println!(
        "atiende listening on http://{addr} (database: {})",
        if config.database_url.starts_with("postgres") {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );
    let settings = web::Settings {
        rate: web::RateLimit {
            per_minute: config.rate_limit_per_minute,
            end_user_per_minute: config.end_user_rate_limit_per_minute,
            ..Default::default()
        },
        public_url: config.public_url.clone(),
        trusted_proxies: config.trusted_proxies.clone(),
        ..Default::default()
    };
    if let Some(metrics) = metrics {
        let served = app.clone();
        tokio::spawn(async move {
            if let Err(e) = web::metrics::serve(metrics, served).await {
                tracing::warn!(error = %e, "the metrics listener stopped");
            }
        });
    }
    let db = app.db.clone();
    chat::spawn_sender(app.clone());
    let pages = ui::router(app.clone())
        .merge(site::router(app.clone(), config.public_url.clone()))
        .merge(chat::routes(app.clone()))
        .merge(messaging::start(
            app.clone(),
            config.public_url.clone(),
            voice,
        ));
    web::serve(listener, app, settings, pages, shutdown)
        .await
        .map_err(|e| e.to_string())?;
    db.close().await;
    Ok(())
}
