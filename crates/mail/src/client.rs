//! A minimal SMTP client for delivering test and benchmark traffic to our
//! own listener (one connection, many messages, plain TCP). Real outbound
//! mail goes through a relay with TLS, not through this.

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// One open SMTP session.
pub struct Client {
    r: BufReader<tokio::net::tcp::OwnedReadHalf>,
    w: tokio::net::tcp::OwnedWriteHalf,
    line: String,
}

impl Client {
    /// Connects and greets.
    pub async fn connect(addr: &str) -> std::io::Result<Client> {
        let s = TcpStream::connect(addr).await?;
        s.set_nodelay(true)?;
        let (r, w) = s.into_split();
        let mut c = Client {
            r: BufReader::new(r),
            w,
            line: String::new(),
        };
        c.expect(220).await?;
        c.command("EHLO client.test", 250).await?;
        Ok(c)
    }

    /// Reads a (possibly multi-line) reply; returns its last line.
    async fn reply(&mut self) -> std::io::Result<String> {
        loop {
            self.line.clear();
            if self.r.read_line(&mut self.line).await? == 0 {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "server closed",
                ));
            }
            if self.line.as_bytes().get(3) != Some(&b'-') {
                return Ok(self.line.trim_end().to_string());
            }
        }
    }

    async fn expect(&mut self, code: u16) -> std::io::Result<String> {
        let r = self.reply().await?;
        if r.starts_with(&code.to_string()) {
            Ok(r)
        } else {
            Err(std::io::Error::other(format!("expected {code}, got {r}")))
        }
    }

    async fn command(&mut self, cmd: &str, code: u16) -> std::io::Result<String> {
        self.w.write_all(format!("{cmd}\r\n").as_bytes()).await?;
        self.expect(code).await
    }

    /// Sends one message; returns the server's final reply (`250 … queued
    /// as N`) once the server has acknowledged it.
    pub async fn send(&mut self, from: &str, to: &str, raw: &[u8]) -> std::io::Result<String> {
        self.command(&format!("MAIL FROM:<{from}>"), 250).await?;
        self.command(&format!("RCPT TO:<{to}>"), 250).await?;
        self.command("DATA", 354).await?;
        let mut data = Vec::with_capacity(raw.len() + 16);
        for line in raw.split_inclusive(|b| *b == b'\n') {
            if line.first() == Some(&b'.') {
                data.push(b'.');
            }
            data.extend_from_slice(line);
        }
        if !data.ends_with(b"\r\n") {
            data.extend_from_slice(b"\r\n");
        }
        data.extend_from_slice(b".\r\n");
        self.w.write_all(&data).await?;
        self.expect(250).await
    }
}
