//! An IMAP client connection: connect with implicit TLS, STARTTLS or in the
//! clear, log in (AUTHENTICATE PLAIN with an initial response where the
//! server offers it, else LOGIN), select a folder, search and fetch by UID,
//! flag or move messages, and IDLE (RFC 2177) until the folder changes.

use super::proto::{self, Completion, Response};
use base64::Engine;
use domain::ImapSecurity;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::ClientConfig;
use tokio_rustls::rustls::pki_types::ServerName;

/// A reply must come within this long (IDLE waits longer, on purpose).
const REPLY_TIMEOUT: Duration = Duration::from_secs(120);
/// Largest message we fetch; a bigger literal ends the connection.
const MAX_LITERAL: usize = 200 * 1024 * 1024;

/// Why talking to the server failed, in words for the admin page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImapError(pub String);

impl std::fmt::Display for ImapError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<std::io::Error> for ImapError {
    fn from(e: std::io::Error) -> Self {
        ImapError(format!("connection: {e}"))
    }
}

trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// What a selected folder says about itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selected {
    /// Changes when the server renumbered UIDs: earlier UIDs mean nothing.
    pub uid_validity: i64,
    pub exists: u32,
}

/// How an IDLE ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdleEnd {
    /// The folder changed (new mail, usually).
    Changed,
    /// Nothing happened for the whole wait.
    TimedOut,
}

/// A logged-in connection.
pub struct Connection {
    io: BufReader<Box<dyn Io>>,
    /// A partly read line survives a cancelled wait (IDLE in a select).
    line: Vec<u8>,
    next_tag: u32,
    pub capabilities: Vec<String>,
}

/// Reads the server's greeting or a reply line on a not-yet-boxed stream.
async fn read_plain_line(r: &mut BufReader<TcpStream>) -> Result<String, ImapError> {
    let mut buf = Vec::new();
    let n = tokio::time::timeout(REPLY_TIMEOUT, r.read_until(b'\n', &mut buf))
        .await
        .map_err(|_| ImapError("no answer from the server".into()))??;
    if n == 0 {
        return Err(ImapError("the server closed the connection".into()));
    }
    Ok(String::from_utf8_lossy(&buf).trim_end().to_string())
}

async fn tls_wrap(
    stream: TcpStream,
    host: &str,
    tls: Arc<ClientConfig>,
) -> Result<tokio_rustls::client::TlsStream<TcpStream>, ImapError> {
    let name = ServerName::try_from(host.to_string())
        .map_err(|_| ImapError(format!("{host} is not a valid server name")))?;
    TlsConnector::from(tls)
        .connect(name, stream)
        .await
        .map_err(|e| ImapError(format!("TLS with {host}: {e}")))
}

impl Connection {
    /// Connects and logs in.
    pub async fn open(
        host: &str,
        port: u16,
        security: ImapSecurity,
        username: &str,
        password: &str,
        tls: Arc<ClientConfig>,
    ) -> Result<Connection, ImapError> {
        let tcp = tokio::time::timeout(REPLY_TIMEOUT, TcpStream::connect((host, port)))
            .await
            .map_err(|_| ImapError(format!("{host}:{port} did not answer")))?
            .map_err(|e| ImapError(format!("cannot connect to {host}:{port}: {e}")))?;
        let io: Box<dyn Io> = match security {
            ImapSecurity::Tls => {
                let mut io = BufReader::new(tls_wrap(tcp, host, tls).await?);
                let mut buf = Vec::new();
                io.read_until(b'\n', &mut buf).await?;
                if !String::from_utf8_lossy(&buf).starts_with("* OK") {
                    return Err(ImapError(format!(
                        "unexpected greeting: {}",
                        String::from_utf8_lossy(&buf).trim_end()
                    )));
                }
                Box::new(io.into_inner())
            }
            ImapSecurity::StartTls | ImapSecurity::Plain => {
                let mut r = BufReader::new(tcp);
                let greeting = read_plain_line(&mut r).await?;
                if !greeting.starts_with("* OK") {
                    return Err(ImapError(format!("unexpected greeting: {greeting}")));
                }
                if security == ImapSecurity::StartTls {
                    r.get_mut().write_all(b"s0 STARTTLS\r\n").await?;
                    loop {
                        let line = read_plain_line(&mut r).await?;
                        match proto::tagged(&line, "s0") {
                            Some(Completion::Ok(_)) => break,
                            Some(_) => {
                                return Err(ImapError(format!(
                                    "the server refused STARTTLS: {line}"
                                )));
                            }
                            None => continue,
                        }
                    }
                    // Nothing sent in the clear after this point is trusted.
                    Box::new(tls_wrap(r.into_inner(), host, tls).await?)
                } else {
                    Box::new(r.into_inner())
                }
            }
        };
        let mut c = Connection {
            io: BufReader::new(io),
            line: Vec::new(),
            next_tag: 1,
            capabilities: Vec::new(),
        };
        c.refresh_capabilities().await?;
        c.login(username, password).await?;
        c.refresh_capabilities().await?;
        Ok(c)
    }

    fn has(&self, cap: &str) -> bool {
        self.capabilities.iter().any(|c| c == cap)
    }

    /// Whether the server pushes changes (IDLE); else we poll.
    pub fn can_idle(&self) -> bool {
        self.has("IDLE")
    }

    async fn refresh_capabilities(&mut self) -> Result<(), ImapError> {
        let (untagged, _) = self.command("CAPABILITY").await?;
        if let Some(caps) = untagged.iter().find_map(|r| proto::capabilities(&r.text)) {
            self.capabilities = caps;
        }
        Ok(())
    }

    async fn login(&mut self, username: &str, password: &str) -> Result<(), ImapError> {
        let outcome = if self.has("AUTH=PLAIN") && self.has("SASL-IR") {
            let token = base64::engine::general_purpose::STANDARD
                .encode(format!("\0{username}\0{password}"));
            self.command_raw(
                &format!("AUTHENTICATE PLAIN {token}"),
                "AUTHENTICATE PLAIN ***",
            )
            .await
        } else {
            match (proto::quoted(username), proto::quoted(password)) {
                (Some(u), Some(p)) => {
                    self.command_raw(&format!("LOGIN {u} {p}"), "LOGIN *** ***")
                        .await
                }
                _ => {
                    return Err(ImapError(
                        "this server offers only LOGIN, which cannot carry this user name or password"
                            .into(),
                    ));
                }
            }
        };
        match outcome {
            Ok(_) => Ok(()),
            Err(ImapError(e)) => Err(ImapError(format!("login refused: {e}"))),
        }
    }

    /// Reads one response, literals included.
    async fn read_response(&mut self) -> Result<Response, ImapError> {
        let mut r = Response::default();
        loop {
            let n = self.io.read_until(b'\n', &mut self.line).await?;
            if n == 0 && !self.line.ends_with(b"\n") {
                return Err(ImapError("the server closed the connection".into()));
            }
            let line = std::mem::take(&mut self.line);
            let size = proto::literal_size(&line);
            r.text
                .push_str(String::from_utf8_lossy(&line).trim_end_matches(['\r', '\n']));
            match size {
                Some(n) if n > MAX_LITERAL => {
                    return Err(ImapError(format!("a message of {n} bytes is too large")));
                }
                Some(n) => {
                    let mut buf = vec![0u8; n];
                    self.io.read_exact(&mut buf).await?;
                    r.literals.push(buf);
                }
                None => return Ok(r),
            }
        }
    }

    async fn send_line(&mut self, line: &str) -> Result<(), ImapError> {
        let w = self.io.get_mut();
        w.write_all(line.as_bytes()).await?;
        w.write_all(b"\r\n").await?;
        w.flush().await?;
        Ok(())
    }

    /// Sends a command and reads until its completion; `shown` is how it
    /// appears in errors (without secrets).
    async fn command_raw(
        &mut self,
        cmd: &str,
        shown: &str,
    ) -> Result<(Vec<Response>, String), ImapError> {
        let tag = format!("a{}", self.next_tag);
        self.next_tag += 1;
        self.send_line(&format!("{tag} {cmd}")).await?;
        let mut untagged = Vec::new();
        loop {
            let r = tokio::time::timeout(REPLY_TIMEOUT, self.read_response())
                .await
                .map_err(|_| ImapError(format!("no answer to {shown}")))??;
            match proto::tagged(&r.text, &tag) {
                Some(Completion::Ok(info)) => return Ok((untagged, info)),
                Some(Completion::No(info) | Completion::Bad(info)) => {
                    return Err(ImapError(format!("{shown}: {info}")));
                }
                None => untagged.push(r),
            }
        }
    }

    async fn command(&mut self, cmd: &str) -> Result<(Vec<Response>, String), ImapError> {
        self.command_raw(cmd, cmd).await
    }

    /// Selects a folder for reading and writing.
    pub async fn select(&mut self, folder: &str) -> Result<Selected, ImapError> {
        let (untagged, _) = self
            .command(&format!("SELECT {}", proto::mailbox_name(folder)))
            .await?;
        let uid_validity = untagged
            .iter()
            .find_map(|r| proto::code_number(&r.text, "UIDVALIDITY"))
            .unwrap_or(0);
        let exists = untagged
            .iter()
            .find_map(|r| proto::numbered(&r.text).filter(|(_, w)| w == "EXISTS"))
            .map_or(0, |(n, _)| n);
        Ok(Selected {
            uid_validity,
            exists,
        })
    }

    /// Creates a folder if it is missing (an existing one is fine).
    pub async fn ensure_folder(&mut self, folder: &str) -> Result<(), ImapError> {
        let name = proto::mailbox_name(folder);
        let _ = self.command(&format!("CREATE {name}")).await;
        Ok(())
    }

    /// UIDs matching a search (`UNSEEN`, `ALL`), ascending.
    pub async fn search(&mut self, criteria: &str) -> Result<Vec<i64>, ImapError> {
        let (untagged, _) = self.command(&format!("UID SEARCH {criteria}")).await?;
        let mut uids: Vec<i64> = untagged
            .iter()
            .filter_map(|r| proto::search_results(&r.text))
            .flatten()
            .collect();
        uids.sort_unstable();
        Ok(uids)
    }

    /// The whole message with this UID, without setting `\Seen`.
    pub async fn fetch(&mut self, uid: i64) -> Result<Option<Vec<u8>>, ImapError> {
        let (untagged, _) = self
            .command(&format!("UID FETCH {uid} (UID BODY.PEEK[])"))
            .await?;
        Ok(untagged
            .iter()
            .filter_map(proto::fetched_message)
            .find(|(u, _)| *u == uid)
            .map(|(_, body)| body))
    }

    /// Flags a message `\Seen`.
    pub async fn mark_seen(&mut self, uid: i64) -> Result<(), ImapError> {
        self.command(&format!("UID STORE {uid} +FLAGS.SILENT (\\Seen)"))
            .await?;
        Ok(())
    }

    /// Moves a message to another folder (MOVE, or COPY + delete).
    pub async fn move_to(&mut self, uid: i64, folder: &str) -> Result<(), ImapError> {
        let name = proto::mailbox_name(folder);
        if self.has("MOVE") {
            self.command(&format!("UID MOVE {uid} {name}")).await?;
            return Ok(());
        }
        self.command(&format!("UID COPY {uid} {name}")).await?;
        self.command(&format!("UID STORE {uid} +FLAGS.SILENT (\\Seen \\Deleted)"))
            .await?;
        if self.has("UIDPLUS") {
            self.command(&format!("UID EXPUNGE {uid}")).await?;
        } else {
            self.command("EXPUNGE").await?;
        }
        Ok(())
    }

    /// Waits in IDLE until the folder changes or `max` passes, then ends
    /// the IDLE. Cancel-safe: dropping the future mid-wait loses nothing
    /// but the connection's usefulness (the caller then drops it).
    pub async fn idle(&mut self, max: Duration) -> Result<IdleEnd, ImapError> {
        let tag = format!("a{}", self.next_tag);
        self.next_tag += 1;
        self.send_line(&format!("{tag} IDLE")).await?;
        // The continuation (`+ idling`); untagged data may come first.
        loop {
            let r = tokio::time::timeout(REPLY_TIMEOUT, self.read_response())
                .await
                .map_err(|_| ImapError("no answer to IDLE".into()))??;
            if r.text.starts_with('+') {
                break;
            }
            if let Some(c) = proto::tagged(&r.text, &tag) {
                return Err(ImapError(format!("IDLE refused: {c:?}")));
            }
        }
        let deadline = tokio::time::Instant::now() + max;
        let end = loop {
            match tokio::time::timeout_at(deadline, self.read_response()).await {
                Err(_) => break IdleEnd::TimedOut,
                Ok(r) => {
                    let r = r?;
                    if proto::numbered(&r.text).is_some_and(|(_, w)| w == "EXISTS" || w == "RECENT")
                    {
                        break IdleEnd::Changed;
                    }
                }
            }
        };
        self.send_line("DONE").await?;
        loop {
            let r = tokio::time::timeout(REPLY_TIMEOUT, self.read_response())
                .await
                .map_err(|_| ImapError("no answer to DONE".into()))??;
            match proto::tagged(&r.text, &tag) {
                Some(Completion::Ok(_)) => return Ok(end),
                Some(other) => return Err(ImapError(format!("IDLE ended badly: {other:?}"))),
                None => continue,
            }
        }
    }

    /// Says goodbye (best effort).
    pub async fn logout(mut self) {
        let _ = tokio::time::timeout(Duration::from_secs(5), self.command("LOGOUT")).await;
    }
}
