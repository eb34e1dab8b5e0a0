//! The Zendesk search syntax, parsed into terms. Terms are separated by
//! spaces and ANDed; a term is a bare word, a `"quoted phrase"`, or
//! `key:value` / `key<value` / `key>value` / `key<=value` / `key>=value`
//! (also written `key:<value`), any of them negated by a leading `-`.

/// How a keyword compares its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

/// What a term asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermKind {
    /// A bare word, matched as a whole word; a trailing `*` makes it a prefix.
    Word(String),
    /// Words that must appear together, in order.
    Phrase(String),
    /// `key op value`; the key is lower-cased, the value kept as written.
    Field { key: String, op: Op, value: String },
}

/// One space-separated part of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Written with a leading `-`: the matches are excluded.
    pub negated: bool,
    pub kind: TermKind,
}

/// Why a query could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("a quote opened at character {0} is never closed")]
    UnclosedQuote(usize),
    #[error("keyword {0:?} has no value")]
    MissingValue(String),
    #[error("the query is longer than 2,000 characters")]
    TooLong,
}

/// Parses a query into its terms. The empty query has no terms.
pub fn parse(input: &str) -> Result<Vec<Term>, ParseError> {
    if input.chars().count() > 2000 {
        return Err(ParseError::TooLong);
    }
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    let mut terms = Vec::new();
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let negated = chars[i] == '-' && i + 1 < chars.len() && !chars[i + 1].is_whitespace();
        if negated {
            i += 1;
        }
        if chars[i] == '"' {
            let (text, next) = quoted(&chars, i)?;
            i = next;
            terms.push(Term {
                negated,
                kind: TermKind::Phrase(text),
            });
            continue;
        }
        let (kind, next) = bare(&chars, i)?;
        i = next;
        terms.push(Term { negated, kind });
    }
    Ok(terms)
}

/// Reads a word or a `key op value` term starting at `start`; returns it and
/// the index after it.
fn bare(chars: &[char], start: usize) -> Result<(TermKind, usize), ParseError> {
    let mut i = start;
    while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '"' {
        if i > start
            && let Some((op, len)) = operator_at(chars, i)
        {
            let key = chars[start..i].iter().collect::<String>().to_lowercase();
            i += len;
            let value = if chars.get(i) == Some(&'"') {
                let (v, next) = quoted(chars, i)?;
                i = next;
                v
            } else {
                let from = i;
                while i < chars.len() && !chars[i].is_whitespace() {
                    i += 1;
                }
                chars[from..i].iter().collect()
            };
            if value.is_empty() {
                return Err(ParseError::MissingValue(key));
            }
            return Ok((TermKind::Field { key, op, value }, i));
        }
        i += 1;
    }
    Ok((TermKind::Word(chars[start..i].iter().collect()), i))
}

/// Reads a `"…"` starting at `at`; returns its content and the index after it.
fn quoted(chars: &[char], at: usize) -> Result<(String, usize), ParseError> {
    let close = chars[at + 1..]
        .iter()
        .position(|&c| c == '"')
        .ok_or(ParseError::UnclosedQuote(at))?;
    let text = chars[at + 1..at + 1 + close].iter().collect();
    Ok((text, at + close + 2))
}

/// Recognises `:`, `<`, `>`, `<=`, `>=`, `:<`, `:>`, `:<=`, `:>=` at `i`.
fn operator_at(chars: &[char], i: usize) -> Option<(Op, usize)> {
    let at = |k: usize| chars.get(i + k).copied();
    match (at(0)?, at(1), at(2)) {
        (':', Some('<'), Some('=')) => Some((Op::Le, 3)),
        (':', Some('>'), Some('=')) => Some((Op::Ge, 3)),
        (':', Some('<'), _) => Some((Op::Le, 2)),
        (':', Some('>'), _) => Some((Op::Ge, 2)),
        (':', _, _) => Some((Op::Eq, 1)),
        ('<', Some('='), _) => Some((Op::Le, 2)),
        ('>', Some('='), _) => Some((Op::Ge, 2)),
        ('<', _, _) => Some((Op::Lt, 1)),
        ('>', _, _) => Some((Op::Gt, 1)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn field(key: &str, op: Op, value: &str) -> TermKind {
        TermKind::Field {
            key: key.into(),
            op,
            value: value.into(),
        }
    }

    #[test]
    fn parses_the_shapes_clients_send() {
        let t =
            parse(r#"status<solved tags:vip reembolso "no llega" -tags:spam subject:"hola mundo""#)
                .unwrap_or_default();
        let kinds: Vec<_> = t.iter().map(|t| (t.negated, t.kind.clone())).collect();
        assert_eq!(
            kinds,
            vec![
                (false, field("status", Op::Lt, "solved")),
                (false, field("tags", Op::Eq, "vip")),
                (false, TermKind::Word("reembolso".into())),
                (false, TermKind::Phrase("no llega".into())),
                (true, field("tags", Op::Eq, "spam")),
                (false, field("subject", Op::Eq, "hola mundo")),
            ]
        );
    }

    #[test]
    fn comparison_forms() {
        let t = parse("created>=2024-01-01 updated:<2024-02-01T00:00:00Z priority>normal")
            .unwrap_or_default();
        assert_eq!(t[0].kind, field("created", Op::Ge, "2024-01-01"));
        assert_eq!(t[1].kind, field("updated", Op::Le, "2024-02-01T00:00:00Z"));
        assert_eq!(t[2].kind, field("priority", Op::Gt, "normal"));
    }

    #[test]
    fn errors_are_reported() {
        assert_eq!(parse("\"open"), Err(ParseError::UnclosedQuote(0)));
        assert_eq!(parse("tags:"), Err(ParseError::MissingValue("tags".into())));
        assert_eq!(parse("   "), Ok(vec![]));
        assert_eq!(
            parse("-"),
            Ok(vec![Term {
                negated: false,
                kind: TermKind::Word("-".into())
            }])
        );
    }

    proptest! {
        /// Any input either parses or yields an error; it never panics.
        #[test]
        fn never_panics(s in "\\PC{0,200}") {
            let _ = parse(&s);
        }

        /// Keyword terms built from safe parts come back exactly.
        #[test]
        fn keyword_round_trip(key in "[a-z_]{1,12}", value in "[a-zA-Z0-9@._]{1,20}", neg in any::<bool>()) {
            let q = format!("{}{}:{}", if neg { "-" } else { "" }, key, value);
            let t = parse(&q);
            prop_assert_eq!(t, Ok(vec![Term { negated: neg, kind: field(&key, Op::Eq, &value) }]));
        }

        /// Quoted phrases keep their inside verbatim.
        #[test]
        fn phrase_round_trip(p in "[^\"]{0,40}") {
            let t = parse(&format!("\"{p}\""));
            prop_assert_eq!(t, Ok(vec![Term { negated: false, kind: TermKind::Phrase(p.clone()) }]));
        }
    }
}
