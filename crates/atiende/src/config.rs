//! Configuration: command-line flags win over `ATIENDE_*` environment
//! variables, which win over the TOML file, which wins over defaults. The
//! file is read strictly: an unknown key is an error naming that key.

use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The TOML file as written by a person; every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub listen: Option<String>,
    pub data: Option<PathBuf>,
    pub models: Option<PathBuf>,
    pub database_url: Option<String>,
    pub rate_limit_per_minute: Option<u64>,
    pub max_upload_mb: Option<u64>,
    pub log: Option<String>,
    pub smtp_listen: Option<String>,
    pub metrics_listen: Option<String>,
    pub support_address: Option<String>,
    pub smtp_relay: Option<String>,
    pub smtp_tls_cert: Option<PathBuf>,
    pub smtp_tls_key: Option<PathBuf>,
    pub tls_ca_file: Option<PathBuf>,
    pub end_user_rate_limit_per_minute: Option<u64>,
    pub chat_visitors_per_minute: Option<u64>,
    pub public_url: Option<String>,
    pub trusted_proxies: Option<Vec<String>>,
    pub dns_server: Option<String>,
    pub trust_authentication_results: Option<String>,
}

/// Flags and environment, as clap read them.
#[derive(Debug, Clone, clap::Args)]
pub struct Overrides {
    /// Address to serve HTTP on.
    #[arg(long, env = "ATIENDE_LISTEN", global = true)]
    pub listen: Option<String>,
    /// Folder for the embedded database and files.
    #[arg(long, env = "ATIENDE_DATA", global = true)]
    pub data: Option<PathBuf>,
    /// Folder of the answer bot's models, as `scripts/install-models.sh`
    /// leaves them (default: `models` in the data folder).
    #[arg(long, env = "ATIENDE_MODELS", global = true)]
    pub models: Option<PathBuf>,
    /// `postgres://…` to run on PostgreSQL (several nodes may share it).
    #[arg(long, env = "ATIENDE_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// TOML configuration file (default: ./atiende.toml if present).
    #[arg(long, env = "ATIENDE_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// API requests per agent or admin per minute before 429 (default 700).
    #[arg(long, env = "ATIENDE_RATE_LIMIT_PER_MINUTE", global = true)]
    pub rate_limit_per_minute: Option<u64>,
    /// API requests per end-user per minute before 429 (default 100).
    #[arg(long, env = "ATIENDE_END_USER_RATE_LIMIT_PER_MINUTE", global = true)]
    pub end_user_rate_limit_per_minute: Option<u64>,
    /// New chat visitors (browsers opening a widget for the first time)
    /// per network per minute before 429 (default 300).
    #[arg(long, env = "ATIENDE_CHAT_VISITORS_PER_MINUTE", global = true)]
    pub chat_visitors_per_minute: Option<u64>,
    /// The address people use, e.g. https://help.example.com: with https,
    /// cookies are marked Secure and HSTS is sent.
    #[arg(long, env = "ATIENDE_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// Reverse proxies (comma-separated addresses) whose X-Forwarded-For
    /// and X-Forwarded-Proto are believed.
    #[arg(
        long,
        env = "ATIENDE_TRUSTED_PROXIES",
        global = true,
        value_delimiter = ','
    )]
    pub trusted_proxies: Option<Vec<String>>,
    /// DNS server for checking senders (SPF, DKIM, DMARC), e.g.
    /// 127.0.0.1:53; default: the system's resolver.
    #[arg(long, env = "ATIENDE_DNS_SERVER", global = true)]
    pub dns_server: Option<String>,
    /// Trust the Authentication-Results header added by this server (its
    /// authserv-id, e.g. mx.google.com) instead of checking senders here.
    #[arg(long, env = "ATIENDE_TRUST_AUTHENTICATION_RESULTS", global = true)]
    pub trust_authentication_results: Option<String>,
    /// Largest upload, in megabytes.
    #[arg(long, env = "ATIENDE_MAX_UPLOAD_MB", global = true)]
    pub max_upload_mb: Option<u64>,
    /// Log filter, e.g. `info` or `atiende=debug`.
    #[arg(long, env = "ATIENDE_LOG", global = true)]
    pub log: Option<String>,
    /// Address for the built-in SMTP listener, e.g. 127.0.0.1:2525 (off if unset).
    #[arg(long, env = "ATIENDE_SMTP_LISTEN", global = true)]
    pub smtp_listen: Option<String>,
    /// Address for the operations metrics (Prometheus, `GET /metrics`),
    /// e.g. 127.0.0.1:9464 (off if unset). It needs no credentials: bind
    /// it where only the monitoring reaches.
    #[arg(long, env = "ATIENDE_METRICS_LISTEN", global = true)]
    pub metrics_listen: Option<String>,
    /// The support address (e.g. support@example.com): mail to it, or to
    /// any address at its domain, becomes tickets and replies.
    #[arg(long, env = "ATIENDE_SUPPORT_ADDRESS", global = true)]
    pub support_address: Option<String>,
    /// Where outgoing mail goes: `smtp://user:pass@host:587?tls=required`
    /// (STARTTLS) or `smtps://…:465`; without it nothing is emailed.
    #[arg(long, env = "ATIENDE_SMTP_RELAY", global = true)]
    pub smtp_relay: Option<String>,
    /// Certificate chain (PEM) the SMTP listener offers with STARTTLS.
    #[arg(long, env = "ATIENDE_SMTP_TLS_CERT", global = true)]
    pub smtp_tls_cert: Option<PathBuf>,
    /// Private key (PEM) of that certificate.
    #[arg(long, env = "ATIENDE_SMTP_TLS_KEY", global = true)]
    pub smtp_tls_key: Option<PathBuf>,
    /// Extra CA certificates (PEM) to trust, besides the public roots, when
    /// connecting to IMAP servers (an in-house mail server's CA).
    #[arg(long, env = "ATIENDE_TLS_CA_FILE", global = true)]
    pub tls_ca_file: Option<PathBuf>,
}

/// The configuration in force, every value decided.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub data: PathBuf,
    /// The answer bot's models folder (it may hold none).
    pub models: PathBuf,
    pub database_url: String,
    pub rate_limit_per_minute: u64,
    pub max_upload_bytes: usize,
    pub log: String,
    /// The SMTP listener's address, if it runs.
    pub smtp_listen: Option<SocketAddr>,
    /// The operations metrics' listener, if it runs.
    pub metrics_listen: Option<SocketAddr>,
    pub support_address: String,
    /// The relay URL; secrets in it are never logged.
    pub smtp_relay: Option<String>,
    /// Certificate and key for the listener's STARTTLS.
    pub smtp_tls: Option<(PathBuf, PathBuf)>,
    pub tls_ca_file: Option<PathBuf>,
    pub end_user_rate_limit_per_minute: u64,
    pub chat_visitors_per_minute: u64,
    pub public_url: Option<String>,
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Where sender checks ask DNS; the system's resolver when unset.
    pub dns_server: Option<SocketAddr>,
    pub trust_authentication_results: Option<String>,
}

/// Loads the file (if any) and layers flags and environment over it.
pub fn resolve(o: &Overrides) -> Result<Config, String> {
    let file = match &o.config {
        Some(p) => read_file(p)?,
        None if Path::new("atiende.toml").exists() => read_file(Path::new("atiende.toml"))?,
        None => FileConfig::default(),
    };
    let listen_text = o
        .listen
        .clone()
        .or(file.listen)
        .unwrap_or_else(|| "127.0.0.1:8080".into());
    let listen = listen_text
        .parse()
        .map_err(|_| format!("listen: {listen_text:?} is not an address like 127.0.0.1:8080"))?;
    let data = o
        .data
        .clone()
        .or(file.data)
        .unwrap_or_else(|| PathBuf::from("atiende-data"));
    let database_url = match o
        .database_url
        .clone()
        .or(file.database_url)
        .filter(|u| !u.is_empty())
    {
        Some(u) => u,
        None => data.join("atiende.db").to_string_lossy().into_owned(),
    };
    let models = o
        .models
        .clone()
        .or(file.models)
        .unwrap_or_else(|| data.join("models"));
    Ok(Config {
        listen,
        data,
        models,
        database_url,
        rate_limit_per_minute: o
            .rate_limit_per_minute
            .or(file.rate_limit_per_minute)
            .unwrap_or(700),
        end_user_rate_limit_per_minute: o
            .end_user_rate_limit_per_minute
            .or(file.end_user_rate_limit_per_minute)
            .unwrap_or(100),
        chat_visitors_per_minute: o
            .chat_visitors_per_minute
            .or(file.chat_visitors_per_minute)
            .unwrap_or(300),
        public_url: o
            .public_url
            .clone()
            .or(file.public_url)
            .filter(|u| !u.is_empty()),
        trusted_proxies: o
            .trusted_proxies
            .clone()
            .or(file.trusted_proxies)
            .unwrap_or_default()
            .iter()
            .map(|p| {
                p.trim()
                    .parse()
                    .map_err(|_| format!("trusted_proxies: {p:?} is not an IP address"))
            })
            .collect::<Result<_, _>>()?,
        dns_server: match o
            .dns_server
            .clone()
            .or(file.dns_server)
            .filter(|s| !s.is_empty())
        {
            Some(t) => {
                Some(t.parse().map_err(|_| {
                    format!("dns_server: {t:?} is not an address like 127.0.0.1:53")
                })?)
            }
            None => None,
        },
        trust_authentication_results: o
            .trust_authentication_results
            .clone()
            .or(file.trust_authentication_results)
            .filter(|s| !s.trim().is_empty()),
        max_upload_bytes: (o.max_upload_mb.or(file.max_upload_mb).unwrap_or(50) as usize)
            .saturating_mul(1024 * 1024),
        log: o.log.clone().or(file.log).unwrap_or_else(|| "info".into()),
        smtp_listen: match o
            .smtp_listen
            .clone()
            .or(file.smtp_listen)
            .filter(|s| !s.is_empty())
        {
            Some(t) => Some(t.parse().map_err(|_| {
                format!("smtp_listen: {t:?} is not an address like 127.0.0.1:2525")
            })?),
            None => None,
        },
        metrics_listen: match o
            .metrics_listen
            .clone()
            .or(file.metrics_listen)
            .filter(|s| !s.is_empty())
        {
            Some(t) => Some(t.parse().map_err(|_| {
                format!("metrics_listen: {t:?} is not an address like 127.0.0.1:9464")
            })?),
            None => None,
        },
        support_address: o
            .support_address
            .clone()
            .or(file.support_address)
            .unwrap_or_else(|| "support@atiende.local".into()),
        smtp_relay: o
            .smtp_relay
            .clone()
            .or(file.smtp_relay)
            .filter(|s| !s.is_empty()),
        smtp_tls: match (
            o.smtp_tls_cert.clone().or(file.smtp_tls_cert),
            o.smtp_tls_key.clone().or(file.smtp_tls_key),
        ) {
            (Some(c), Some(k)) => Some((c, k)),
            (None, None) => None,
            _ => {
                return Err(
                    "smtp_tls_cert and smtp_tls_key go together: give both or neither".into(),
                );
            }
        },
        tls_ca_file: o.tls_ca_file.clone().or(file.tls_ca_file),
    })
}

fn read_file(p: &Path) -> Result<FileConfig, String> {
    let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {}", p.display(), e.message()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none() -> Overrides {
        Overrides {
            listen: None,
            data: None,
            models: None,
            database_url: None,
            config: None,
            rate_limit_per_minute: None,
            max_upload_mb: None,
            log: None,
            smtp_listen: None,
            metrics_listen: None,
            support_address: None,
            smtp_relay: None,
            smtp_tls_cert: None,
            smtp_tls_key: None,
            tls_ca_file: None,
            end_user_rate_limit_per_minute: None,
            chat_visitors_per_minute: None,
            public_url: None,
            trusted_proxies: None,
            dns_server: None,
            trust_authentication_results: None,
        }
    }

    #[test]
    fn unknown_keys_are_named() {
        let err = toml::from_str::<FileConfig>("listen = \"127.0.0.1:1\"\nlistne = 3")
            .map(|_| ())
            .unwrap_err()
            .message()
            .to_string();
        assert!(err.contains("listne"), "{err}");
    }

    #[test]
    fn flags_win_over_the_file() {
        let dir = std::env::temp_dir().join(format!("atiende-cfg-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let file = dir.join("a.toml");
        let _ = std::fs::write(&file, "listen = \"127.0.0.1:9000\"\ndata = \"/tmp/x\"\n");
        let mut o = none();
        o.config = Some(file);
        o.listen = Some("127.0.0.1:9001".into());
        let c = resolve(&o).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.listen.port(), 9001);
        assert_eq!(c.data, PathBuf::from("/tmp/x"));
        assert!(c.database_url.ends_with("atiende.db"));
    }
}
