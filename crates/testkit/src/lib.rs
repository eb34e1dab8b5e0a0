//! Test kit: hands each test a running atiende on `127.0.0.1:0`, over a
//! temporary SQLite file or a fresh PostgreSQL database, with an admin and
//! its API token, and a small HTTP client that speaks the API. Tests never
//! sleep for readiness: the listener is bound before the server task starts.

pub mod dns;
pub mod form;
pub mod fuzz;
pub mod telegram;
pub mod twilio;
pub mod whatsapp;

use serde_json::Value as Json;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::oneshot;

/// Which database a test server runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server tests create their databases on.
pub fn pg_admin_url() -> String {
    std::env::var("ATIENDE_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A running server and the means to call it.
pub struct TestServer {
    pub base: String,
    pub app: app::App,
    pub backend: Backend,
    pub admin_email: String,
    pub admin_token: String,
    /// The database URL, so a test can start a second node on it.
    pub database_url: String,
    http: reqwest::Client,
    shutdown: Option<oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

/// A fresh, empty database URL for the backend.
pub async fn fresh_database(backend: Backend, dir: &std::path::Path) -> String {
    match backend {
        Backend::Sqlite => dir.join("atiende.db").to_string_lossy().into_owned(),
        Backend::Postgres => {
            use sqlx::Connection;
            let admin = pg_admin_url();
            let name = format!(
                "atiende_t_{}_{}_{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::SeqCst),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.subsec_nanos())
                    .unwrap_or(0)
            );
            let mut c = sqlx::PgConnection::connect(&admin)
                .await
                .unwrap_or_else(|e| panic!("PostgreSQL is required for this test ({admin}): {e}"));
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut c)
                .await
                .unwrap_or_else(|e| panic!("create database: {e}"));
            let _ = c.close().await;
            match admin.rsplit_once('/') {
                Some((server, _)) => format!("{server}/{name}"),
                None => format!("{admin}/{name}"),
            }
        }
    }
}

/// Starts a server on `url` (migrating it) and returns its base URL and a
/// shutdown handle.
pub async fn start_node(url: &str) -> (String, app::App, oneshot::Sender<()>) {
    start_node_with(url, test_rate()).await
}

/// Test servers' API limit: far above what any test sends, so only the
/// tests about limits meet one.
pub fn test_rate() -> web::RateLimit {
    web::RateLimit::uniform(1_000_000)
}

/// [`start_node`] with a given rate limit.
pub async fn start_node_with(
    url: &str,
    rate: web::RateLimit,
) -> (String, app::App, oneshot::Sender<()>) {
    start_node_full(url, rate, None).await
}

/// [`start_node_with`], with outgoing mail configured.
pub async fn start_node_full(
    url: &str,
    rate: web::RateLimit,
    mail: Option<app::outbox::MailSettings>,
) -> (String, app::App, oneshot::Sender<()>) {
    let settings = web::Settings {
        rate,
        ..Default::default()
    };
    start_node_settings(url, settings, mail).await
}

/// A node with the server settings given (limits, timeouts, proxies).
pub async fn start_node_settings(
    url: &str,
    settings: web::Settings,
    mail: Option<app::outbox::MailSettings>,
) -> (String, app::App, oneshot::Sender<()>) {
    let db = store::Db::open(url)
        .await
        .unwrap_or_else(|e| panic!("open {url}: {e}"));
    let mut app = app::App::new(db);
    app.mail = mail.map(std::sync::Arc::new);
    app.inbound_parser = Some(std::sync::Arc::new(mail::parse::MimeParser));
    app.messaging = Some(messaging::providers());
    let voice = messaging::voice_calls();
    app.voice = Some(voice.clone());
    // The bot's sentence encoder where installed (scripts/test.sh does);
    // loaded only by the tests that ask the bot.
    if let Some(models) = app::bot_vectors::models_from_env() {
        app.meaning = std::sync::Arc::new(app::bot_vectors::SentenceEncoder::at(models));
    }
    app.ensure_builtin_rules()
        .await
        .unwrap_or_else(|e| panic!("built-in rules: {e}"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let addr = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("addr: {e}"));
    // Links in messages (the bot's articles on a messaging channel) and
    // the addresses providers are given (Twilio's status callbacks, MMS
    // media) point at this server unless the settings name another.
    let public_url = settings
        .public_url
        .clone()
        .or_else(|| Some(format!("http://{addr}")));
    app.public_url = public_url.clone();
    let (tx, rx) = oneshot::channel::<()>();
    let served = app.clone();
    chat::spawn_sender(app.clone());
    tokio::spawn(async move {
        let pages = ui::router(served.clone())
            .merge(site::router(served.clone(), settings.public_url.clone()))
            .merge(chat::routes(served.clone()))
            .merge(messaging::start(served.clone(), public_url, voice));
        let _ = web::serve(listener, served, settings, pages, async move {
            let _ = rx.await;
        })
        .await;
    });
    (format!("http://{addr}"), app, tx)
}

impl TestServer {
    /// A server on a fresh database with an admin `admin@example.com`.
    pub async fn start(backend: Backend) -> TestServer {
        Self::start_with_mail(backend, None).await
    }

    /// [`TestServer::start`], sending mail as `mail` says.
    pub async fn start_with_mail(
        backend: Backend,
        mail: Option<app::outbox::MailSettings>,
    ) -> TestServer {
        let settings = web::Settings {
            rate: test_rate(),
            ..Default::default()
        };
        Self::start_full(backend, settings, mail).await
    }

    /// [`TestServer::start`] with the server settings given.
    pub async fn start_with_settings(backend: Backend, settings: web::Settings) -> TestServer {
        Self::start_full(backend, settings, None).await
    }

    async fn start_full(
        backend: Backend,
        settings: web::Settings,
        mail: Option<app::outbox::MailSettings>,
    ) -> TestServer {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let url = fresh_database(backend, dir.path()).await;
        let (base, app, shutdown) = start_node_settings(&url, settings, mail).await;
        let admin = app
            .bootstrap_admin("admin@example.com", "Admin", "admin-password-1")
            .await
            .unwrap_or_else(|e| panic!("admin: {e}"));
        let token = app
            .create_token(admin.id, app::auth::TokenKind::Api, "tests")
            .await
            .unwrap_or_else(|e| panic!("token: {e}"));
        TestServer {
            base,
            app,
            backend,
            admin_email: "admin@example.com".into(),
            admin_token: token,
            database_url: url,
            http: reqwest::Client::new(),
            shutdown: Some(shutdown),
            _dir: dir,
        }
    }

    /// Basic credentials for the admin.
    pub fn admin(&self) -> Auth {
        Auth::Token(self.admin_email.clone(), self.admin_token.clone())
    }

    /// Creates a user with a role and returns its id and token credentials.
    pub async fn user_with_token(&self, name: &str, email: &str, role: &str) -> (i64, Auth) {
        let (status, body) = self
            .call(
                "POST",
                "/api/v2/users.json",
                &self.admin(),
                Some(serde_json::json!({"user": {"name": name, "email": email, "role": role}})),
            )
            .await;
        assert_eq!(status, 201, "create user: {body}");
        let id = body["user"]["id"].as_i64().unwrap_or_default();
        let token = self
            .app
            .create_token(domain::UserId(id), app::auth::TokenKind::Api, "tests")
            .await
            .unwrap_or_else(|e| panic!("token: {e}"));
        (id, Auth::Token(email.to_string(), token))
    }

    /// Calls the API and returns the status and JSON body (`null` if none).
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        auth: &Auth,
        body: Option<Json>,
    ) -> (u16, Json) {
        let r = self
            .raw(
                method,
                path,
                auth,
                body.map(|b| b.to_string().into_bytes()),
                Some("application/json"),
            )
            .await;
        let status = r.status().as_u16();
        let text = r.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Json::Null))
    }

    pub async fn get(&self, path: &str, auth: &Auth) -> (u16, Json) {
        self.call("GET", path, auth, None).await
    }

    /// Sends raw bytes and returns the whole response.
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        auth: &Auth,
        body: Option<Vec<u8>>,
        content_type: Option<&str>,
    ) -> reqwest::Response {
        let url = if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.base)
        };
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap_or(reqwest::Method::GET);
        let mut req = self.http.request(m, url);
        req = match auth {
            Auth::None => req,
            Auth::Token(email, token) => req.basic_auth(format!("{email}/token"), Some(token)),
            Auth::Password(email, p) => req.basic_auth(email, Some(p)),
            Auth::Bearer(t) => req.bearer_auth(t),
        };
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        if let Some(b) = body {
            req = req.body(b);
        }
        req.send()
            .await
            .unwrap_or_else(|e| panic!("request failed: {e}"))
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(s) = self.shutdown.take() {
            let _ = s.send(());
        }
    }
}

/// Credentials a test call uses.
#[derive(Debug, Clone)]
pub enum Auth {
    None,
    Token(String, String),
    Password(String, String),
    Bearer(String),
}

/// Runs a test body once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! both {
    ($name:ident, |$srv:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            async fn run($srv: $crate::TestServer) $body
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                run($crate::TestServer::start($crate::Backend::Sqlite).await).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                run($crate::TestServer::start($crate::Backend::Postgres).await).await;
            }
        }
    };
}
