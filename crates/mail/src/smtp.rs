//! The built-in SMTP listener (RFC 5321 server side, the subset MX and
//! relay delivery use): EHLO/HELO, STARTTLS (RFC 3207, when a certificate
//! is configured), MAIL FROM (with SIZE), RCPT TO checked against our
//! addresses, DATA with dot-unstuffing and a size limit, RSET, NOOP, VRFY,
//! QUIT. A message is acknowledged with `250` only after it is durably
//! stored; processing happens afterwards, so a crash in between loses
//! nothing (the worker picks it up on restart).
//!
//! Every read is bounded before it is buffered: a command line, a line of
//! the message, the header block and the whole message each have a limit,
//! and a client that sends more is answered and, for a command line,
//! disconnected. Connections are capped in total and per source address,
//! and idle or slow clients are timed out, so hostile clients cannot grow
//! the server's memory.

use app::App;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;

/// Longest command line accepted (RFC 5321 says 512; clients send more).
const MAX_LINE: usize = 4096;
/// Longest line inside a message kept in one piece (RFC 5322 says 998);
/// longer lines are taken in pieces of this size.
const MAX_DATA_LINE: usize = 64 * 1024;
/// At most this many header fields in a message…
const MAX_HEADERS: usize = 1000;
/// …and at most this many bytes of header block.
const MAX_HEADER_BYTES: usize = 1024 * 1024;
/// Commands allowed between two stored messages, so a client cannot idle
/// forever on NOOPs (an MTA delivering many messages on one connection
/// starts again with each message).
const MAX_COMMANDS: usize = 1000;
/// A client must send a whole command line within this time…
const IDLE: Duration = Duration::from_secs(300);
/// …and a whole message within this time (RFC 5321 §4.5.3.2 asks for 10
/// minutes of patience per block; a message trickled slower is dropped).
const DATA_DEADLINE: Duration = Duration::from_secs(600);
/// One session (several messages) lasts at most this long.
const SESSION_DEADLINE: Duration = Duration::from_secs(1800);

/// What the listener needs; the addresses it accepts are the app's
/// mailbox directory, so admins' changes apply at once.
#[derive(Clone)]
pub struct SmtpConfig {
    /// The name we greet with.
    pub hostname: String,
    /// Largest message accepted, in bytes.
    pub max_size: usize,
    /// Offered as STARTTLS when set.
    pub tls: Option<Arc<ServerConfig>>,
    /// Connections served at once; more are answered `421` and closed.
    pub max_connections: usize,
    /// Connections served at once from one address.
    pub max_per_source: usize,
    /// Bytes of messages held in memory at once, over every connection
    /// (a message is buffered whole until it is stored); past it a sender
    /// is told to try again later.
    pub max_buffered: usize,
}

impl SmtpConfig {
    /// Limits for a listener called `hostname` accepting `max_size` bytes.
    pub fn new(hostname: &str, max_size: usize) -> Self {
        SmtpConfig {
            hostname: hostname.to_string(),
            max_size,
            tls: None,
            max_connections: 1000,
            max_per_source: 20,
            max_buffered: 256 * 1024 * 1024,
        }
    }
}

/// Accepts connections until `shutdown` resolves; `wake` is notified after
/// each stored message.
pub async fn serve(
    listener: TcpListener,
    app: App,
    config: SmtpConfig,
    wake: Arc<Notify>,
    shutdown: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    let slots = app::guard::Connections::new(config.max_connections, config.max_per_source);
    let budget = Arc::new(Semaphore::new(config.max_buffered / 1024));
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((mut stream, peer)) => {
                    let Some(slot) = slots.take(peer.ip(), false) else {
                        tracing::warn!(source = %peer.ip(), "SMTP connection refused: too many connections");
                        tokio::spawn(async move {
                            let _ = tokio::time::timeout(
                                Duration::from_secs(5),
                                stream.write_all(b"421 4.7.0 too many connections, try again later\r\n"),
                            )
                            .await;
                        });
                        continue;
                    };
                    let (app, config, wake, budget) = (app.clone(), config.clone(), wake.clone(), budget.clone());
                    tokio::spawn(async move {
                        let session = connection(stream, peer.ip(), app, config, wake, budget);
                        match tokio::time::timeout(SESSION_DEADLINE, session).await {
                            Ok(Err(e)) => tracing::debug!(error = %e, "SMTP session ended"),
                            Err(_) => tracing::debug!("SMTP session over its time limit"),
                            Ok(Ok(())) => {}
                        }
                        drop(slot);
                    });
                }
                Err(e) => tracing::warn!(error = %e, "SMTP accept failed"),
            },
        }
    }
}

/// One client: a plain session, then (after STARTTLS) a new one over TLS.
async fn connection(
    stream: TcpStream,
    peer: IpAddr,
    app: App,
    config: SmtpConfig,
    wake: Arc<Notify>,
    budget: Arc<Semaphore>,
) -> std::io::Result<()> {
    let mut plain = BufReader::new(stream);
    send(
        &mut plain,
        format!("220 {} ESMTP atiende\r\n", config.hostname).as_bytes(),
    )
    .await?;
    let tls = config.tls.clone();
    let session = Session {
        app: &app,
        config: &config,
        wake: &wake,
        peer,
        budget,
    };
    match session.run(&mut plain, tls.is_some()).await? {
        Ended::Quit => Ok(()),
        Ended::StartTls => {
            let Some(tls) = tls else { return Ok(()) };
            // Anything the client pipelined after STARTTLS is discarded
            // (RFC 3207 section 4.2): it was sent in the clear.
            let stream = plain.into_inner();
            let secured = tokio::time::timeout(IDLE, TlsAcceptor::from(tls).accept(stream))
                .await
                .map_err(|_| timed_out())??;
            let mut secured = BufReader::new(secured);
            session.run(&mut secured, false).await?;
            Ok(())
        }
    }
}

/// Writes one reply and flushes it (a TLS stream holds writes otherwise).
async fn send<S: AsyncRead + AsyncWrite + Unpin>(
    r: &mut BufReader<S>,
    reply: &[u8],
) -> std::io::Result<()> {
    let w = r.get_mut();
    tokio::time::timeout(IDLE, async {
        w.write_all(reply).await?;
        w.flush().await
    })
    .await
    .map_err(|_| timed_out())?
}

fn timed_out() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::TimedOut, "client too slow")
}

/// How a session ended.
enum Ended {
    Quit,
    /// The client asked for TLS and was told to go ahead.
    StartTls,
}

/// An address from `MAIL FROM:<a@b> SIZE=…` or `RCPT TO:<a@b>`.
fn path_arg(rest: &str) -> Option<(String, &str)> {
    let rest = rest.trim_start();
    let (addr, params) = match rest.strip_prefix('<') {
        Some(r) => {
            let end = r.find('>')?;
            (&r[..end], &r[end + 1..])
        }
        None => rest.split_once(' ').unwrap_or((rest, "")),
    };
    Some((addr.trim().to_string(), params))
}

/// What one bounded read gave.
#[derive(Debug, PartialEq, Eq)]
enum Piece {
    /// A whole line, its newline included.
    Line,
    /// `limit` bytes and no newline yet: the rest of the line follows.
    Partial,
    /// The client closed the connection.
    End,
}

/// Reads up to and including the next newline, but never more than `limit`
/// bytes into `buf` (cleared first), within `deadline`. Nothing past the
/// limit is buffered, whatever the client sends.
async fn read_piece<S: AsyncRead + Unpin>(
    r: &mut BufReader<S>,
    buf: &mut Vec<u8>,
    limit: usize,
    deadline: Instant,
) -> std::io::Result<Piece> {
    buf.clear();
    tokio::time::timeout_at(deadline, async {
        loop {
            let available = r.fill_buf().await?;
            if available.is_empty() {
                return Ok(Piece::End);
            }
            let room = limit - buf.len();
            let window = &available[..available.len().min(room)];
            if let Some(i) = window.iter().position(|b| *b == b'\n') {
                buf.extend_from_slice(&window[..=i]);
                r.consume(i + 1);
                return Ok(Piece::Line);
            }
            let n = window.len();
            buf.extend_from_slice(window);
            r.consume(n);
            if buf.len() >= limit {
                return Ok(Piece::Partial);
            }
        }
    })
    .await
    .map_err(|_| timed_out())?
}

/// One SMTP session's fixed parts.
struct Session<'a> {
    app: &'a App,
    config: &'a SmtpConfig,
    wake: &'a Notify,
    /// The client's address, kept with each message for SPF.
    peer: IpAddr,
    /// Memory for messages being received, shared by all connections.
    budget: Arc<Semaphore>,
}

impl Session<'_> {
    /// Runs commands until QUIT, the end of the stream, or STARTTLS;
    /// `offer_tls` says whether STARTTLS is on offer (a certificate is
    /// configured and the session is not already secured).
    async fn run<S: AsyncRead + AsyncWrite + Unpin>(
        &self,
        r: &mut BufReader<S>,
        offer_tls: bool,
    ) -> std::io::Result<Ended> {
        let config = self.config;
        let mut line = Vec::with_capacity(256);
        let mut helo: Option<String> = None;
        let mut from: Option<String> = None;
        let mut rcpts: Vec<String> = Vec::new();
        let mut commands = 0;
        while commands < MAX_COMMANDS {
            commands += 1;
            match read_piece(r, &mut line, MAX_LINE, Instant::now() + IDLE).await? {
                Piece::End => return Ok(Ended::Quit),
                Piece::Partial => {
                    // Not a command any client sends: stop reading it.
                    send(r, b"500 5.5.2 line too long, closing\r\n").await?;
                    return Ok(Ended::Quit);
                }
                Piece::Line => {}
            }
            let text = String::from_utf8_lossy(&line);
            let text = text.trim_end_matches(['\r', '\n']);
            let (verb, rest) = text.split_once(' ').unwrap_or((text, ""));
            let reply: String = match verb.to_ascii_uppercase().as_str() {
                "EHLO" => {
                    helo = Some(rest.trim().chars().take(255).collect());
                    format!(
                        "250-{} greets {}\r\n250-SIZE {}\r\n250-8BITMIME\r\n{}250 ENHANCEDSTATUSCODES\r\n",
                        config.hostname,
                        rest.trim(),
                        config.max_size,
                        if offer_tls { "250-STARTTLS\r\n" } else { "" }
                    )
                }
                "STARTTLS" if !offer_tls => "502 5.5.1 TLS not available\r\n".into(),
                "STARTTLS" => {
                    send(r, b"220 2.0.0 ready to start TLS\r\n").await?;
                    return Ok(Ended::StartTls);
                }
                "HELO" => {
                    helo = Some(rest.trim().chars().take(255).collect());
                    format!("250 {}\r\n", config.hostname)
                }
                "MAIL" if helo.is_none() => "503 5.5.1 say EHLO first\r\n".into(),
                "MAIL" => match rest
                    .get(..5)
                    .filter(|p| p.eq_ignore_ascii_case("FROM:"))
                    .and_then(|_| path_arg(&rest[5..]))
                {
                    Some((addr, params)) => {
                        let size = params.split_whitespace().find_map(|p| {
                            p.to_ascii_uppercase()
                                .strip_prefix("SIZE=")
                                .and_then(|v| v.parse::<usize>().ok())
                        });
                        if size.is_some_and(|s| s > config.max_size) {
                            "552 5.3.4 message too big\r\n".into()
                        } else {
                            from = Some(addr);
                            rcpts.clear();
                            "250 2.1.0 ok\r\n".into()
                        }
                    }
                    None => "501 5.5.4 syntax: MAIL FROM:<address>\r\n".into(),
                },
                "RCPT" if from.is_none() => "503 5.5.1 need MAIL first\r\n".into(),
                "RCPT" => match rest
                    .get(..3)
                    .filter(|p| p.eq_ignore_ascii_case("TO:"))
                    .and_then(|_| path_arg(&rest[3..]))
                {
                    Some((addr, _)) if self.app.mailboxes.accepts(&addr) => {
                        if rcpts.len() >= 100 {
                            "452 4.5.3 too many recipients\r\n".into()
                        } else {
                            rcpts.push(addr.to_lowercase());
                            "250 2.1.5 ok\r\n".into()
                        }
                    }
                    Some(_) => "550 5.1.1 no such mailbox here\r\n".into(),
                    None => "501 5.5.4 syntax: RCPT TO:<address>\r\n".into(),
                },
                "DATA" if rcpts.is_empty() => "503 5.5.1 need RCPT first\r\n".into(),
                "DATA" => {
                    send(r, b"354 end data with <CR><LF>.<CR><LF>\r\n").await?;
                    let reply = match read_data(r, &mut line, config.max_size, &self.budget).await?
                    {
                        Data::TooBig => "552 5.3.4 message too big\r\n".to_string(),
                        Data::Busy => {
                            "452 4.3.1 insufficient system storage, try again later\r\n".to_string()
                        }
                        Data::TooManyHeaders => "552 5.3.4 too many header fields\r\n".to_string(),
                        Data::Message(body) => {
                            let envelope = app::email::Envelope {
                                mail_from: from.clone().unwrap_or_default(),
                                rcpt_to: rcpts.clone(),
                                peer: Some(self.peer),
                                helo: helo.clone(),
                            };
                            match self.app.store_inbound_email(envelope, body).await {
                                Ok(id) => {
                                    self.wake.notify_one();
                                    commands = 0;
                                    format!("250 2.0.0 queued as {id}\r\n")
                                }
                                Err(e) => {
                                    tracing::error!(error = %e, "could not store an inbound message");
                                    "451 4.3.0 try again later\r\n".to_string()
                                }
                            }
                        }
                    };
                    from = None;
                    rcpts.clear();
                    reply
                }
                "RSET" => {
                    from = None;
                    rcpts.clear();
                    "250 2.0.0 ok\r\n".into()
                }
                "NOOP" => "250 2.0.0 ok\r\n".into(),
                "VRFY" => "252 2.1.5 cannot verify, send and see\r\n".into(),
                "QUIT" => {
                    send(r, b"221 2.0.0 bye\r\n").await?;
                    return Ok(Ended::Quit);
                }
                _ => "500 5.5.1 unknown command\r\n".into(),
            };
            send(r, reply.as_bytes()).await?;
        }
        send(r, b"421 4.7.0 too many commands, closing\r\n").await?;
        Ok(Ended::Quit)
    }
}

/// A message as DATA ended.
enum Data {
    Message(Vec<u8>),
    /// Over the size limit: nothing was kept.
    TooBig,
    /// Over the header count or header size limit: nothing was kept.
    TooManyHeaders,
    /// Too much mail is being received at once: try again later.
    Busy,
}

/// Reads a message up to the lone dot, undoing dot-stuffing. Past a limit
/// it keeps reading (to stay in step with the client) but keeps nothing.
async fn read_data<S: AsyncRead + Unpin>(
    r: &mut BufReader<S>,
    piece: &mut Vec<u8>,
    max_size: usize,
    budget: &Arc<Semaphore>,
) -> std::io::Result<Data> {
    let deadline = Instant::now() + DATA_DEADLINE;
    let mut body = Vec::with_capacity(8192);
    // The share of the memory budget this message holds, in KiB.
    let mut held: Option<OwnedSemaphorePermit> = None;
    let mut refused: Option<Data> = None;
    // Where we are: at the start of a line, and still in the header block.
    let mut line_start = true;
    let mut in_headers = true;
    let mut headers = 0usize;
    loop {
        let got = read_piece(r, piece, MAX_DATA_LINE, deadline).await?;
        if got == Piece::End {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "connection closed in DATA",
            ));
        }
        if line_start && (piece.as_slice() == b".\r\n" || piece.as_slice() == b".\n") {
            return Ok(refused.unwrap_or(Data::Message(body)));
        }
        let content = if line_start && piece.first() == Some(&b'.') {
            &piece[1..]
        } else {
            &piece[..]
        };
        if in_headers && line_start {
            if content == b"\r\n" || content == b"\n" {
                in_headers = false;
            } else if !matches!(content.first(), Some(b' ' | b'\t')) {
                headers += 1;
            }
            if in_headers && (headers > MAX_HEADERS || body.len() > MAX_HEADER_BYTES) {
                refused.get_or_insert(Data::TooManyHeaders);
            }
        }
        if refused.is_none() && body.len() + content.len() > max_size {
            refused = Some(Data::TooBig);
        }
        if refused.is_none() {
            // The budget counts what the buffer really holds: its capacity.
            body.reserve(content.len());
            let want = body.capacity().div_ceil(1024) as u32;
            let have = held.as_ref().map_or(0, |p| p.num_permits() as u32);
            if want > have {
                match budget.clone().try_acquire_many_owned(want - have) {
                    Ok(more) => match held.as_mut() {
                        Some(p) => p.merge(more),
                        None => held = Some(more),
                    },
                    Err(_) => refused = Some(Data::Busy),
                }
            }
        }
        if refused.is_some() {
            body = Vec::new();
            held = None;
        } else {
            body.extend_from_slice(content);
        }
        line_start = got == Piece::Line;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn pieces(input: &[u8], limit: usize) -> Vec<(Piece, Vec<u8>)> {
        let mut r = BufReader::with_capacity(7, input);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        loop {
            let p = read_piece(&mut r, &mut buf, limit, Instant::now() + IDLE)
                .await
                .unwrap_or(Piece::End);
            if p == Piece::End {
                return out;
            }
            out.push((p, buf.clone()));
        }
    }

    #[tokio::test]
    async fn reads_are_bounded_whatever_the_buffering() {
        let got = pieces(b"EHLO x\r\nAAAAAAAAAAAAAAAAAAAAAAAAA\r\nQUIT\r\n", 10).await;
        assert_eq!(got[0], (Piece::Line, b"EHLO x\r\n".to_vec()));
        assert_eq!(got[1], (Piece::Partial, b"AAAAAAAAAA".to_vec()));
        assert!(got.iter().all(|(_, b)| b.len() <= 10));
        assert_eq!(got.last().map(|g| g.1.clone()), Some(b"QUIT\r\n".to_vec()));
    }

    #[tokio::test]
    async fn data_keeps_long_lines_whole_and_refuses_header_floods() {
        let long = "x".repeat(MAX_DATA_LINE * 2 + 5);
        let msg = format!("Subject: a\r\n\r\n{long}\r\n..dot\r\n.\r\n");
        let mut r = BufReader::new(msg.as_bytes());
        let mut buf = Vec::new();
        let budget = Arc::new(Semaphore::new(1 << 20));
        match read_data(&mut r, &mut buf, 1 << 20, &budget).await {
            Ok(Data::Message(body)) => {
                assert_eq!(
                    body,
                    format!("Subject: a\r\n\r\n{long}\r\n.dot\r\n").into_bytes()
                )
            }
            _ => panic!("message expected"),
        }
        let flood = "X-A: b\r\n".repeat(MAX_HEADERS + 1) + "\r\nbody\r\n.\r\n";
        let mut r = BufReader::new(flood.as_bytes());
        assert!(matches!(
            read_data(&mut r, &mut buf, 1 << 20, &budget).await,
            Ok(Data::TooManyHeaders)
        ));
    }
}
