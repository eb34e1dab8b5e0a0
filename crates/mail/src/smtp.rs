//! The built-in SMTP listener (RFC 5321 server side, the subset MX and
//! relay delivery use): EHLO/HELO, STARTTLS (RFC 3207, when a certificate
//! is configured), MAIL FROM (with SIZE), RCPT TO checked against our
//! addresses, DATA with dot-unstuffing and a size limit, RSET, NOOP, VRFY,
//! QUIT. A message is acknowledged with `250` only after it is durably
//! stored; processing happens afterwards, so a crash in between loses
//! nothing (the worker picks it up on restart).

use app::App;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;

/// Longest command line accepted (RFC 5321 says 512; clients send more).
const MAX_LINE: usize = 4096;
/// An idle client is dropped after this long.
const IDLE: Duration = Duration::from_secs(300);

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
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let (app, config, wake) = (app.clone(), config.clone(), wake.clone());
                    tokio::spawn(async move {
                        if let Err(e) = connection(stream, app, config, wake).await {
                            tracing::debug!(error = %e, "SMTP session ended");
                        }
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
    app: App,
    config: SmtpConfig,
    wake: Arc<Notify>,
) -> std::io::Result<()> {
    let mut plain = BufReader::new(stream);
    send(
        &mut plain,
        format!("220 {} ESMTP atiende\r\n", config.hostname).as_bytes(),
    )
    .await?;
    let tls = config.tls.clone();
    match session(&mut plain, &app, &config, &wake, tls.is_some()).await? {
        Ended::Quit => Ok(()),
        Ended::StartTls => {
            let Some(tls) = tls else { return Ok(()) };
            // Anything the client pipelined after STARTTLS is discarded
            // (RFC 3207 section 4.2): it was sent in the clear.
            let stream = plain.into_inner();
            let secured = TlsAcceptor::from(tls).accept(stream).await?;
            let mut secured = BufReader::new(secured);
            session(&mut secured, &app, &config, &wake, false).await?;
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
    w.write_all(reply).await?;
    w.flush().await
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

/// Reads one line (up to `MAX_LINE`); `None` at end of stream.
async fn read_line<S: AsyncRead + Unpin>(
    r: &mut BufReader<S>,
    buf: &mut Vec<u8>,
) -> std::io::Result<Option<bool>> {
    buf.clear();
    let n = tokio::time::timeout(IDLE, r.read_until(b'\n', buf))
        .await
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "idle"))??;
    if n == 0 {
        return Ok(None);
    }
    Ok(Some(buf.len() <= MAX_LINE))
}

/// Runs commands until QUIT, the end of the stream, or STARTTLS;
/// `offer_tls` says whether STARTTLS is on offer (a certificate is
/// configured and the session is not already secured).
async fn session<S: AsyncRead + AsyncWrite + Unpin>(
    r: &mut BufReader<S>,
    app: &App,
    config: &SmtpConfig,
    wake: &Notify,
    offer_tls: bool,
) -> std::io::Result<Ended> {
    let mut line = Vec::with_capacity(256);
    let mut greeted = false;
    let mut from: Option<String> = None;
    let mut rcpts: Vec<String> = Vec::new();
    loop {
        let Some(fits) = read_line(r, &mut line).await? else {
            return Ok(Ended::Quit);
        };
        if !fits {
            send(r, b"500 5.5.2 line too long\r\n").await?;
            continue;
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        let (verb, rest) = text.split_once(' ').unwrap_or((text, ""));
        let reply: String = match verb.to_ascii_uppercase().as_str() {
            "EHLO" => {
                greeted = true;
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
                greeted = true;
                format!("250 {}\r\n", config.hostname)
            }
            "MAIL" if !greeted => "503 5.5.1 say EHLO first\r\n".into(),
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
                Some((addr, _)) if app.mailboxes.accepts(&addr) => {
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
                let (body, too_big) = read_data(r, &mut line, config.max_size).await?;
                let reply = if too_big {
                    "552 5.3.4 message too big\r\n".to_string()
                } else {
                    match app
                        .store_inbound_email(from.as_deref().unwrap_or(""), &rcpts, body)
                        .await
                    {
                        Ok(id) => {
                            wake.notify_one();
                            format!("250 2.0.0 queued as {id}\r\n")
                        }
                        Err(e) => {
                            tracing::error!(error = %e, "could not store an inbound message");
                            "451 4.3.0 try again later\r\n".to_string()
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
}

/// Reads a message up to the lone dot, undoing dot-stuffing; past
/// `max_size` it keeps reading (to stay in step) but keeps nothing.
async fn read_data<S: AsyncRead + Unpin>(
    r: &mut BufReader<S>,
    line: &mut Vec<u8>,
    max_size: usize,
) -> std::io::Result<(Vec<u8>, bool)> {
    let mut body = Vec::with_capacity(8192);
    let mut too_big = false;
    loop {
        line.clear();
        let n = tokio::time::timeout(IDLE, r.read_until(b'\n', line))
            .await
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "idle"))??;
        if n == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "connection closed in DATA",
            ));
        }
        if line.as_slice() == b".\r\n" || line.as_slice() == b".\n" {
            return Ok((body, too_big));
        }
        let content = if line.first() == Some(&b'.') {
            &line[1..]
        } else {
            &line[..]
        };
        if body.len() + content.len() > max_size {
            too_big = true;
            body.clear();
        }
        if !too_big {
            body.extend_from_slice(content);
        }
    }
}
