//! Reading an inbound message: addresses, threading headers, the text and
//! HTML bodies in any common charset (mail-parser decodes UTF-8,
//! ISO-8859-1/15 and Windows-1252, the usual ones in Spanish mail, and
//! encoded headers), attachments and inline images, and whether a machine
//! rather than a person sent it.

use crate::quote::{split_html, split_text};
use app::email::{AutoKind, InboundAttachment, InboundEmail};
use mail_parser::{MessageParser, MimeHeaders};

/// Whether HTML shows no words (only tags, spaces and `&nbsp;`).
pub(crate) fn visible_text_is_empty(html: &str) -> bool {
    app::sanitize::html_to_text(html)
        .replace('\u{a0}', " ")
        .trim()
        .is_empty()
}

/// (name, address) pairs of an address header, addresses lower-case.
fn addresses(list: Option<&mail_parser::Address<'_>>) -> Vec<(Option<String>, String)> {
    list.map(|a| {
        a.iter()
            .filter_map(|x| Some((x.name().map(str::to_string), x.address()?.to_lowercase())))
            .collect()
    })
    .unwrap_or_default()
}

/// Why a message could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable(pub String);

/// Message-ids of a header as a list, without angle brackets.
fn ids(v: &mail_parser::HeaderValue<'_>) -> Vec<String> {
    match v {
        mail_parser::HeaderValue::Text(t) => vec![t.trim_matches(['<', '>', ' ']).to_string()],
        mail_parser::HeaderValue::TextList(l) => l
            .iter()
            .map(|t| t.trim_matches(['<', '>', ' ']).to_string())
            .collect(),
        _ => vec![],
    }
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect()
}

/// Whether headers say a machine sent it (RFC 3834 and common practice).
fn auto_kind(m: &mail_parser::Message<'_>, from: &str) -> Option<AutoKind> {
    let header = |n: &str| m.header_raw(n).map(|v| v.trim().to_ascii_lowercase());
    let local = from.split('@').next().unwrap_or("").to_ascii_lowercase();
    let report = m.content_type().is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case("multipart")
            && ct
                .subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("report"))
            && ct
                .attribute("report-type")
                .is_some_and(|r| r.eq_ignore_ascii_case("delivery-status"))
    });
    if report || local == "mailer-daemon" || local == "postmaster" {
        return Some(AutoKind::Bounce);
    }
    let auto_submitted = header("Auto-Submitted").is_some_and(|v| v != "no");
    let precedence = header("Precedence")
        .is_some_and(|v| matches!(v.as_str(), "bulk" | "junk" | "list" | "auto_reply"));
    let marked = header("X-Autoreply").is_some()
        || header("X-Autorespond").is_some()
        || header("X-Auto-Response-Suppress")
            .is_some_and(|v| v.contains("all") || v.contains("autoreply"));
    (auto_submitted || precedence || marked).then_some(AutoKind::AutoReply)
}

/// For a bounce: the first of our own Message-IDs it quotes (ours start
/// with `atiende-`) and the diagnostic the remote server gave.
fn bounce_details(raw: &[u8]) -> (Option<String>, Option<String>) {
    let text = String::from_utf8_lossy(raw);
    let ours = text.find("<atiende-").and_then(|start| {
        let rest = &text[start + 1..];
        rest.find('>').map(|end| rest[..end].to_string())
    });
    let reason = text
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("diagnostic-code:"))
        .or_else(|| {
            text.lines()
                .find(|l| l.to_ascii_lowercase().starts_with("status:"))
        })
        .map(|l| l.split_once(':').map_or(l, |(_, v)| v).trim().to_string());
    (ours, reason)
}

/// Parses a raw message.
pub fn parse(raw: &[u8]) -> Result<InboundEmail, Unreadable> {
    let m = MessageParser::default()
        .parse(raw)
        .ok_or_else(|| Unreadable("not a MIME message".into()))?;
    let from = m.from().and_then(|a| a.first());
    // No usable `From:` is not unreadable: the envelope may still say who
    // to answer (the app decides).
    let from_email = from
        .and_then(|a| a.address())
        .map(|a| a.trim().to_lowercase())
        .filter(|a| a.contains('@'))
        .unwrap_or_default();
    let from_name = from.and_then(|a| a.name()).map(str::to_string);
    let html = m.body_html(0).map(|h| h.into_owned());
    let text = m.body_text(0).map(|t| t.into_owned()).unwrap_or_default();
    let attachments = m
        .attachments()
        .map(|p| {
            // A forwarded message travels as a whole `.eml` file.
            let (default_name, default_type) = if p.is_message() {
                ("forwarded.eml", "message/rfc822")
            } else {
                ("attachment", "application/octet-stream")
            };
            InboundAttachment {
                file_name: p
                    .attachment_name()
                    .map(str::to_string)
                    .unwrap_or_else(|| default_name.into()),
                content_type: p
                    .content_type()
                    .map(|ct| match ct.subtype() {
                        Some(s) => format!("{}/{s}", ct.ctype()),
                        None => ct.ctype().to_string(),
                    })
                    .unwrap_or_else(|| default_type.into()),
                data: p.contents().to_vec(),
            }
        })
        .collect();
    let to = addresses(m.to());
    let cc = addresses(m.cc());
    let (text, quoted_text) = split_text(&text);
    let (html, quoted_html) = match html {
        Some(h) => {
            let (head, tail) = split_html(&h);
            (Some(head), tail)
        }
        None => (None, None),
    };
    let auto = auto_kind(&m, &from_email);
    let (bounce_of, bounce_reason) = match auto {
        Some(AutoKind::Bounce) => bounce_details(raw),
        _ => (None, None),
    };
    Ok(InboundEmail {
        message_id: m
            .message_id()
            .map(|s| s.trim_matches(['<', '>']).to_string()),
        in_reply_to: ids(m.in_reply_to()),
        references: ids(m.references()),
        subject: m.subject().unwrap_or("").to_string(),
        date: m.date().map(|d| domain::Timestamp(d.to_timestamp())),
        auto,
        bounce_of,
        bounce_reason,
        sender_check: Default::default(),
        from_email,
        from_name,
        to,
        cc,
        text,
        quoted_text,
        html,
        quoted_html,
        attachments,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_windows_1252_with_encoded_subject() {
        let mut raw = b"From: =?iso-8859-1?Q?Luc=EDa_P=E9rez?= <Lucia@Example.com>\r\n\
To: support@example.com\r\n\
Subject: =?windows-1252?Q?Pedido_n=BA_4411_no_lleg=F3?=\r\n\
Message-ID: <abc@mail.example.com>\r\n\
Content-Type: text/plain; charset=windows-1252\r\n\
Content-Transfer-Encoding: 8bit\r\n\r\n"
            .to_vec();
        raw.extend_from_slice(b"Hola, mi pedido no lleg\xf3 \x96 \xbfpueden ayudarme?\r\n");
        let m = parse(&raw).unwrap_or_default();
        assert_eq!(m.from_email, "lucia@example.com");
        assert_eq!(m.from_name.as_deref(), Some("Lucía Pérez"));
        assert_eq!(m.subject, "Pedido nº 4411 no llegó");
        assert!(m.text.contains("no llegó – ¿pueden"), "{}", m.text);
        assert_eq!(m.message_id.as_deref(), Some("abc@mail.example.com"));
        assert_eq!(m.auto, None);
        assert_eq!(m.date, None, "no Date: header");
    }

    #[test]
    fn the_date_header_is_when_it_was_sent() {
        let m = parse(b"From: a@example.com\r\nDate: Mon, 23 Nov 2026 09:00:00 +0100\r\nSubject: x\r\n\r\nbody\r\n")
            .unwrap_or_default();
        // 2026-11-23 08:00:00 UTC.
        assert_eq!(m.date, Some(domain::Timestamp(1_795_420_800)));
    }

    #[test]
    fn auto_replies_and_bounces_are_recognised() {
        let ooo = b"From: a@example.com\r\nAuto-Submitted: auto-replied\r\nSubject: Fuera de la oficina\r\n\r\nVuelvo el lunes\r\n";
        assert_eq!(parse(ooo).map(|m| m.auto), Ok(Some(AutoKind::AutoReply)));
        let dsn = b"From: MAILER-DAEMON@mx.example.com\r\nSubject: Undelivered\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--b--\r\n";
        assert_eq!(parse(dsn).map(|m| m.auto), Ok(Some(AutoKind::Bounce)));
    }

    #[test]
    fn no_sender_is_kept_for_the_app_to_decide() {
        // No From: is not unreadable: the envelope may name the sender.
        let m = parse(b"Subject: x\r\n\r\nbody").unwrap_or_else(|e| panic!("{}", e.0));
        assert_eq!((m.from_email.as_str(), m.subject.as_str()), ("", "x"));
        assert!(parse(b"").is_err());
        assert!(parse(&[0xff, 0xfe, 0x00, 0x0a]).is_err());
    }
}

/// The parsing path fed random and mutated input, a bounded number of
/// cases per run: it must answer (a message or `Unreadable`), never panic.
#[cfg(test)]
mod fuzz {
    use super::parse;
    use proptest::prelude::*;

    const SEED: &[u8] = b"From: =?utf-8?q?Luc=C3=ADa?= <lucia@example.com>\r\nTo: support@example.com\r\nSubject: =?windows-1252?Q?Pedido_n=BA_1?=\r\nMessage-ID: <a@b>\r\nIn-Reply-To: <x@y>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/html; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p>Hola =E1</p>\r\n--b\r\nContent-Type: application/pdf; name=\"f.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--b--\r\n";

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

        #[test]
        fn random_bytes_never_panic(raw in proptest::collection::vec(any::<u8>(), 0..4096)) {
            let _ = parse(&raw);
        }

        #[test]
        fn mutated_messages_never_panic(
            edits in proptest::collection::vec((0..SEED.len(), any::<u8>(), 0u8..3), 1..40)
        ) {
            let mut raw = SEED.to_vec();
            for (at, byte, kind) in edits {
                let at = at.min(raw.len().saturating_sub(1));
                match kind {
                    0 => raw[at] = byte,
                    1 => raw.insert(at, byte),
                    _ => { raw.remove(at); }
                }
            }
            let _ = parse(&raw);
        }
    }
}

/// The parser, as the app's port for reading held messages on request.
pub struct MimeParser;

impl app::email::InboundParser for MimeParser {
    fn parse(&self, raw: &[u8]) -> Result<InboundEmail, String> {
        parse(raw).map_err(|e| e.0)
    }
}
