//! The IMAP4rev1 (RFC 3501) wire format, the part a client that fetches
//! whole messages needs: responses made of lines and `{n}` literals, the
//! handful of untagged responses we read (CAPABILITY, EXISTS, SEARCH,
//! FETCH with UID and BODY[], response codes such as UIDVALIDITY), tagged
//! completions, and quoting of strings and mailbox names (modified UTF-7).
//! No I/O here: the client feeds it bytes.

/// One server response: its text, with each literal's place marked by
/// `{n}` as sent, and the literals' bytes in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Response {
    pub text: String,
    pub literals: Vec<Vec<u8>>,
}

/// If a line ends in a literal announcement (`{123}` or `{123+}`), its size.
pub fn literal_size(line: &[u8]) -> Option<usize> {
    let line = line
        .strip_suffix(b"\r\n")
        .or_else(|| line.strip_suffix(b"\n"))?;
    let line = line.strip_suffix(b"}")?;
    let open = line.iter().rposition(|b| *b == b'{')?;
    let digits = &line[open + 1..];
    let digits = digits.strip_suffix(b"+").unwrap_or(digits);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// How a tagged command completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Completion {
    Ok(String),
    No(String),
    Bad(String),
}

/// The completion of command `tag`, if `text` is it.
pub fn tagged(text: &str, tag: &str) -> Option<Completion> {
    let rest = text.strip_prefix(tag)?.strip_prefix(' ')?;
    let (word, info) = rest.split_once(' ').unwrap_or((rest, ""));
    let info = info.trim_end().to_string();
    Some(match word.to_ascii_uppercase().as_str() {
        "OK" => Completion::Ok(info),
        "NO" => Completion::No(info),
        _ => Completion::Bad(info),
    })
}

/// Untagged `* n WORD` (EXISTS, EXPUNGE, RECENT, FETCH): the number and word.
pub fn numbered(text: &str) -> Option<(u32, String)> {
    let rest = text.strip_prefix("* ")?;
    let mut it = rest.splitn(3, ' ');
    let n = it.next()?.parse().ok()?;
    let word = it.next()?.trim_end().to_ascii_uppercase();
    Some((n, word))
}

/// A bracketed response code's argument: `[UIDVALIDITY 3857529045]` → 3857529045.
pub fn code_number(text: &str, code: &str) -> Option<i64> {
    let upper = text.to_ascii_uppercase();
    let start = upper.find(&format!("[{code} "))? + code.len() + 2;
    let rest = &text[start..];
    let end = rest.find(']')?;
    rest[..end].trim().parse().ok()
}

/// The capability words of `* CAPABILITY …` or a `[CAPABILITY …]` code.
pub fn capabilities(text: &str) -> Option<Vec<String>> {
    let upper = text.to_ascii_uppercase();
    let list = if let Some(rest) = upper.strip_prefix("* CAPABILITY ") {
        rest.to_string()
    } else {
        let start = upper.find("[CAPABILITY ")? + "[CAPABILITY ".len();
        let end = upper[start..].find(']')? + start;
        upper[start..end].to_string()
    };
    Some(list.split_whitespace().map(str::to_string).collect())
}

/// The numbers of `* SEARCH 3 5 8`.
pub fn search_results(text: &str) -> Option<Vec<i64>> {
    let upper = text.to_ascii_uppercase();
    let rest = upper.strip_prefix("* SEARCH")?;
    Some(
        rest.split_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect(),
    )
}

/// From `* n FETCH (UID 7 BODY[] {…})`: the UID and the message bytes.
pub fn fetched_message(r: &Response) -> Option<(i64, Vec<u8>)> {
    let (_, word) = numbered(&r.text)?;
    if word != "FETCH" {
        return None;
    }
    let upper = r.text.to_ascii_uppercase();
    let at = upper.find("UID ")? + 4;
    let uid: String = upper[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let uid = uid.parse().ok()?;
    if !upper.contains("BODY[]") {
        return None;
    }
    let body = r.literals.first()?.clone();
    Some((uid, body))
}

/// A string as an IMAP quoted string, or `None` if it must go as a literal
/// (line breaks, NUL, or bytes beyond ASCII).
pub fn quoted(s: &str) -> Option<String> {
    if s.bytes()
        .any(|b| b == b'\r' || b == b'\n' || b == 0 || b > 0x7e)
    {
        return None;
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    Some(out)
}

/// A mailbox name in modified UTF-7 (RFC 3501 section 5.1.3), quoted:
/// `Atención` → `"Atenci&APM-n"`.
pub fn mailbox_name(name: &str) -> String {
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";
    let mut out = String::new();
    let mut pending: Vec<u16> = Vec::new();
    let flush = |pending: &mut Vec<u16>, out: &mut String| {
        if pending.is_empty() {
            return;
        }
        let bytes: Vec<u8> = pending.iter().flat_map(|u| u.to_be_bytes()).collect();
        out.push('&');
        for chunk in bytes.chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            let chars = chunk.len() + 1;
            for i in 0..chars {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
        }
        out.push('-');
        pending.clear();
    };
    for c in name.chars() {
        match c {
            '&' => {
                flush(&mut pending, &mut out);
                out.push_str("&-");
            }
            ' '..='~' => {
                flush(&mut pending, &mut out);
                out.push(c);
            }
            c => {
                let mut buf = [0u16; 2];
                pending.extend_from_slice(c.encode_utf16(&mut buf));
            }
        }
    }
    flush(&mut pending, &mut out);
    quoted(&out).unwrap_or_else(|| format!("\"{out}\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_announced_at_line_ends() {
        assert_eq!(
            literal_size(b"* 1 FETCH (UID 4 BODY[] {1234}\r\n"),
            Some(1234)
        );
        assert_eq!(literal_size(b"a1 LOGIN {5+}\r\n"), Some(5));
        assert_eq!(literal_size(b"* OK [UIDVALIDITY 1] x\r\n"), None);
        assert_eq!(literal_size(b"* 1 FETCH (X {})\r\n"), None);
        assert_eq!(literal_size(b"{x}\r\n"), None);
    }

    #[test]
    fn responses_are_read() {
        assert_eq!(
            tagged("a3 OK [READ-WRITE] Select completed", "a3"),
            Some(Completion::Ok("[READ-WRITE] Select completed".into()))
        );
        assert_eq!(
            tagged("a3 NO [AUTHENTICATIONFAILED] bad", "a3"),
            Some(Completion::No("[AUTHENTICATIONFAILED] bad".into()))
        );
        assert_eq!(tagged("a31 OK x", "a3"), None);
        assert_eq!(numbered("* 23 EXISTS"), Some((23, "EXISTS".into())));
        assert_eq!(numbered("* OK still here"), None);
        assert_eq!(
            code_number("* OK [UIDVALIDITY 3857529045] UIDs valid", "UIDVALIDITY"),
            Some(3857529045)
        );
        assert_eq!(search_results("* SEARCH 2 84 882"), Some(vec![2, 84, 882]));
        assert_eq!(search_results("* SEARCH"), Some(vec![]));
        let caps = capabilities("* CAPABILITY IMAP4rev1 IDLE MOVE UIDPLUS").unwrap_or_default();
        assert!(caps.contains(&"IDLE".to_string()) && caps.contains(&"MOVE".to_string()));
        let caps =
            capabilities("a1 OK [CAPABILITY IMAP4rev1 SASL-IR IDLE] Logged in").unwrap_or_default();
        assert!(caps.contains(&"IDLE".to_string()));
    }

    #[test]
    fn fetch_responses_give_uid_and_body_in_any_order() {
        let r = Response {
            text: "* 3 FETCH (UID 17 BODY[] {5})".into(),
            literals: vec![b"hello".to_vec()],
        };
        assert_eq!(fetched_message(&r), Some((17, b"hello".to_vec())));
        let r = Response {
            text: "* 3 FETCH (BODY[] {5} UID 18)".into(),
            literals: vec![b"hello".to_vec()],
        };
        assert_eq!(fetched_message(&r).map(|m| m.0), Some(18));
        let flags = Response {
            text: "* 3 FETCH (FLAGS (\\Seen) UID 18)".into(),
            literals: vec![],
        };
        assert_eq!(fetched_message(&flags), None);
    }

    #[test]
    fn strings_and_mailbox_names_are_quoted() {
        assert_eq!(quoted("se\"cr\\et").as_deref(), Some("\"se\\\"cr\\\\et\""));
        assert_eq!(quoted("contraseña"), None);
        assert_eq!(mailbox_name("INBOX"), "\"INBOX\"");
        assert_eq!(mailbox_name("Atención"), "\"Atenci&APM-n\"");
        assert_eq!(mailbox_name("A&B"), "\"A&-B\"");
        assert_eq!(mailbox_name("日本語"), "\"&ZeVnLIqe-\"");
    }
}
