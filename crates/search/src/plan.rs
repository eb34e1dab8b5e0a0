//! From parsed terms to a typed plan that the store turns into SQL: keywords
//! become conditions with typed values, repeated keywords become "any of",
//! free text becomes index terms from the analyzer.

use crate::analyze::{Language, analyze_phrase_word, analyze_query_word, query_words};
use crate::query::{Op, ParseError, Term, TermKind, parse};
use domain::{Channel, Priority, Role, Status, TicketType, Timestamp};

/// The kinds of record a search returns (`result_type` on the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultType {
    Ticket,
    User,
    Organization,
    Group,
}

impl ResultType {
    /// The word Zendesk uses in `type:` and `result_type`.
    pub fn as_str(self) -> &'static str {
        match self {
            ResultType::Ticket => "ticket",
            ResultType::User => "user",
            ResultType::Organization => "organization",
            ResultType::Group => "group",
        }
    }
}

/// A person named in a query: by id, by email, by name, `me`, or `none`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserRef {
    Me,
    None,
    Id(i64),
    Email(String),
    Name(String),
}

/// A group or organization named in a query: by id, by name, or `none`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NamedRef {
    None,
    Id(i64),
    Name(String),
}

/// Which timestamp a time condition looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeField {
    Created,
    Updated,
    Solved,
    Due,
}

/// One condition on a record, with typed values.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    Status(Op, Status),
    Priority(Op, Priority),
    PriorityNone,
    Type(TicketType),
    Tag(String),
    TagNone,
    Requester(UserRef),
    Assignee(UserRef),
    Submitter(UserRef),
    Group(NamedRef),
    Organization(NamedRef),
    Via(Channel),
    HasAttachment(bool),
    CustomField(i64, String),
    /// `from <= t < to`, both in seconds.
    Time(TimeField, Timestamp, Timestamp),
    TicketId(i64),
    Email(String),
    Role(Role),
    Name(String),
    ExternalId(String),
    /// The opposite of a condition (views' `is_not` inside `any`).
    Not(Box<Cond>),
}

impl Cond {
    /// Whether this condition can hold for records of a type; a positive
    /// condition that cannot rules that type out of the results.
    pub fn applies_to(&self, t: ResultType) -> bool {
        use ResultType::*;
        match self {
            Cond::Not(inner) => inner.applies_to(t),
            Cond::Tag(_) | Cond::TagNone => matches!(t, Ticket | User | Organization),
            Cond::Organization(_) => matches!(t, Ticket | User),
            Cond::Email(_) | Cond::Role(_) => t == User,
            Cond::Name(_) => matches!(t, User | Organization | Group),
            Cond::ExternalId(_) => matches!(t, Ticket | User | Organization),
            Cond::Time(TimeField::Created | TimeField::Updated, ..) => true,
            _ => t == Ticket,
        }
    }
}

/// Conditions joined by OR (a keyword repeated), possibly negated as a whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    pub negated: bool,
    pub any: Vec<Cond>,
}

/// Free text to find in the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextTerm {
    /// A word stored as any of these stems (prefixes of terms, if `prefix`).
    Word {
        stems: Vec<String>,
        prefix: bool,
        raw: String,
    },
    /// Words in this order, stemmed in English or in Spanish.
    Phrase {
        english: Vec<String>,
        spanish: Vec<String>,
        raw: String,
    },
}

impl TextTerm {
    /// Whether a document's analysed terms (as the index stores them, in
    /// order) contain this term, the way the text index matches it: a word
    /// as any of its stems (or a prefix), a phrase as consecutive stems.
    pub fn matches(&self, terms: &[&str]) -> bool {
        match self {
            TextTerm::Word { stems, prefix, .. } => terms.iter().any(|t| {
                stems.iter().any(|s| {
                    if *prefix {
                        t.starts_with(s.as_str())
                    } else {
                        t == s
                    }
                })
            }),
            TextTerm::Phrase {
                english, spanish, ..
            } => [english, spanish]
                .iter()
                .filter(|seq| !seq.is_empty())
                .any(|seq| {
                    terms
                        .windows(seq.len())
                        .any(|w| w.iter().zip(seq.iter()).all(|(a, b)| a == b))
                }),
        }
    }
}

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Relevance,
    CreatedAt,
    UpdatedAt,
    Priority,
    Status,
    TicketType,
}

/// Everything a search asks for, ready to run.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The types to search; empty means all.
    pub types: Vec<ResultType>,
    pub clauses: Vec<Clause>,
    /// Text terms with their negation.
    pub text: Vec<(bool, TextTerm)>,
    pub sort: SortKey,
    pub descending: bool,
}

impl Plan {
    /// Whether records of this type can be in the results at all.
    pub fn wants(&self, t: ResultType) -> bool {
        (self.types.is_empty() || self.types.contains(&t))
            && self
                .clauses
                .iter()
                .filter(|c| !c.negated)
                .all(|c| c.any.iter().all(|x| x.applies_to(t)))
    }
}

/// Parses and plans a query. `now` resolves relative times (`created>2hours`).
pub fn plan(query: &str, now: Timestamp) -> Result<Plan, PlanError> {
    let terms = parse(query)?;
    let mut p = Plan {
        types: vec![],
        clauses: vec![],
        text: vec![],
        sort: SortKey::Relevance,
        descending: true,
    };
    let mut keyed: Vec<(String, Clause)> = Vec::new();
    for Term { negated, kind } in terms {
        match kind {
            TermKind::Word(w) => push_word(&mut p, negated, &w),
            TermKind::Phrase(ph) => push_phrase(&mut p, negated, &ph),
            TermKind::Field { key, op, value } => match key.as_str() {
                "type" => {
                    let t = result_type(&value).ok_or_else(|| PlanError::bad(&key, &value))?;
                    p.types.push(t);
                }
                "order_by" | "sort" => {
                    if key == "sort" {
                        p.descending = !value.eq_ignore_ascii_case("asc");
                    } else {
                        p.sort = sort_key(&value).ok_or_else(|| PlanError::bad(&key, &value))?;
                    }
                }
                "subject" | "description" | "comment" => push_phrase(&mut p, negated, &value),
                _ => {
                    let Some(cond) = condition(&key, op, &value, now)? else {
                        push_word(&mut p, negated, &format!("{key} {value}"));
                        continue;
                    };
                    if !negated
                        && let Some((_, c)) =
                            keyed.iter_mut().find(|(k, c)| *k == key && !c.negated)
                    {
                        c.any.push(cond);
                    } else {
                        keyed.push((
                            key,
                            Clause {
                                negated,
                                any: vec![cond],
                            },
                        ));
                    }
                }
            },
        }
    }
    p.clauses = keyed.into_iter().map(|(_, c)| c).collect();
    Ok(p)
}

fn push_word(p: &mut Plan, negated: bool, w: &str) {
    let prefix = w.ends_with('*');
    let words = query_words(w);
    if words.len() > 1 && !prefix {
        return push_phrase(p, negated, w);
    }
    for word in words {
        let stems = if prefix {
            vec![word.clone()]
        } else {
            analyze_query_word(&word)
        };
        if !stems.is_empty() {
            p.text.push((
                negated,
                TextTerm::Word {
                    stems,
                    prefix,
                    raw: word,
                },
            ));
        }
    }
}

fn push_phrase(p: &mut Plan, negated: bool, ph: &str) {
    let words = query_words(ph);
    let stem_all = |lang: Language| -> Vec<String> {
        words
            .iter()
            .filter_map(|w| analyze_phrase_word(lang, w))
            .collect()
    };
    let (english, spanish) = (stem_all(Language::English), stem_all(Language::Spanish));
    match (english.len(), spanish.len()) {
        (0, 0) => {}
        (a, b) if a <= 1 && b <= 1 => {
            let mut stems: Vec<String> = english.into_iter().chain(spanish).collect();
            stems.dedup();
            p.text.push((
                negated,
                TextTerm::Word {
                    stems,
                    prefix: false,
                    raw: ph.to_string(),
                },
            ));
        }
        _ => p.text.push((
            negated,
            TextTerm::Phrase {
                english,
                spanish,
                raw: ph.to_string(),
            },
        )),
    }
}

/// Why a query cannot be run; the message is shown to the caller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error(transparent)]
    Parse(#[from] ParseError),
    #[error("{key}: {value:?} is not a valid value")]
    BadValue { key: String, value: String },
}

impl PlanError {
    fn bad(key: &str, value: &str) -> Self {
        PlanError::BadValue {
            key: key.to_string(),
            value: value.to_string(),
        }
    }
}

fn result_type(v: &str) -> Option<ResultType> {
    Some(match v.to_ascii_lowercase().as_str() {
        "ticket" => ResultType::Ticket,
        "user" => ResultType::User,
        "organization" => ResultType::Organization,
        "group" => ResultType::Group,
        _ => return None,
    })
}

fn sort_key(v: &str) -> Option<SortKey> {
    Some(match v.to_ascii_lowercase().as_str() {
        "created" | "created_at" => SortKey::CreatedAt,
        "updated" | "updated_at" => SortKey::UpdatedAt,
        "priority" => SortKey::Priority,
        "status" => SortKey::Status,
        "ticket_type" | "type" => SortKey::TicketType,
        "relevance" => SortKey::Relevance,
        _ => return None,
    })
}

/// Maps a `sort_by` parameter to a key, for the API.
pub fn parse_sort_key(v: &str) -> Option<SortKey> {
    sort_key(v)
}

fn user_ref(v: &str) -> UserRef {
    let l = v.to_lowercase();
    match l.as_str() {
        "me" => UserRef::Me,
        "none" => UserRef::None,
        _ => match l.parse::<i64>() {
            Ok(id) => UserRef::Id(id),
            Err(_) if l.contains('@') => UserRef::Email(l),
            Err(_) => UserRef::Name(v.to_string()),
        },
    }
}

fn named_ref(v: &str) -> NamedRef {
    if v.eq_ignore_ascii_case("none") {
        NamedRef::None
    } else {
        v.parse()
            .map(NamedRef::Id)
            .unwrap_or_else(|_| NamedRef::Name(v.to_string()))
    }
}

/// One keyword term as a typed condition; `None` for keywords we do not know,
/// which are then searched as text.
fn condition(key: &str, op: Op, v: &str, now: Timestamp) -> Result<Option<Cond>, PlanError> {
    let bad = || PlanError::bad(key, v);
    Ok(Some(match key {
        "status" => Cond::Status(op, v.parse().map_err(|_| bad())?),
        "priority" if v.eq_ignore_ascii_case("none") => Cond::PriorityNone,
        "priority" => Cond::Priority(op, v.parse().map_err(|_| bad())?),
        "ticket_type" => Cond::Type(v.parse().map_err(|_| bad())?),
        "tags" | "tag" if v.eq_ignore_ascii_case("none") => Cond::TagNone,
        "tags" | "tag" => Cond::Tag(v.to_lowercase()),
        "requester" => Cond::Requester(user_ref(v)),
        "assignee" => Cond::Assignee(user_ref(v)),
        "submitter" => Cond::Submitter(user_ref(v)),
        "group" => Cond::Group(named_ref(v)),
        "organization" => Cond::Organization(named_ref(v)),
        "via" => Cond::Via(v.parse().map_err(|_| bad())?),
        "has_attachment" => Cond::HasAttachment(v.eq_ignore_ascii_case("true")),
        "created" | "updated" | "solved" | "due_date" => {
            let field = match key {
                "created" => TimeField::Created,
                "updated" => TimeField::Updated,
                "solved" => TimeField::Solved,
                _ => TimeField::Due,
            };
            let (from, to) = time_range(op, v, now).ok_or_else(bad)?;
            Cond::Time(field, from, to)
        }
        "ticket_id" | "id" => Cond::TicketId(v.parse().map_err(|_| bad())?),
        "email" => Cond::Email(v.to_lowercase()),
        "role" => Cond::Role(v.parse().map_err(|_| bad())?),
        "name" => Cond::Name(v.to_string()),
        "external_id" => Cond::ExternalId(v.to_string()),
        k if k.starts_with("custom_field_") => {
            let id = k["custom_field_".len()..].parse().map_err(|_| bad())?;
            Cond::CustomField(id, v.to_string())
        }
        _ => return Ok(None),
    }))
}

const MIN: i64 = i64::MIN / 4;
const MAX: i64 = i64::MAX / 4;

/// A time value as a half-open range: a date means that whole day, a relative
/// time (`2hours`, `1week`) means that long before `now`.
fn time_range(op: Op, v: &str, now: Timestamp) -> Option<(Timestamp, Timestamp)> {
    let (at, span) = if let Some(t) = relative(v, now) {
        (t, 1)
    } else {
        let t = Timestamp::parse(v)?;
        (t, if v.trim().len() <= 10 { 86_400 } else { 1 })
    };
    let (from, to) = match op {
        Op::Eq => (at.0, at.0 + span),
        Op::Lt => (MIN, at.0),
        Op::Le => (MIN, at.0 + span),
        Op::Gt => (at.0 + span, MAX),
        Op::Ge => (at.0, MAX),
    };
    Some((Timestamp(from), Timestamp(to)))
}

fn relative(v: &str, now: Timestamp) -> Option<Timestamp> {
    let digits: String = v.chars().take_while(char::is_ascii_digit).collect();
    let n: i64 = digits.parse().ok()?;
    let unit = v[digits.len()..].trim_end_matches('s').to_ascii_lowercase();
    let secs = match unit.as_str() {
        "minute" | "min" => 60,
        "hour" | "h" => 3_600,
        "day" | "d" => 86_400,
        "week" | "w" => 604_800,
        "month" => 2_592_000,
        "year" => 31_536_000,
        _ => return None,
    };
    Some(Timestamp(now.0 - n.checked_mul(secs)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(q: &str) -> Plan {
        plan(q, Timestamp(1_700_000_000)).unwrap_or_else(|e| panic!("{q}: {e}"))
    }

    #[test]
    fn repeated_keywords_are_alternatives_and_negations_stand_alone() {
        let plan = p("tags:a tags:b -tags:c status<solved");
        assert_eq!(plan.clauses.len(), 3);
        assert_eq!(
            plan.clauses[0].any,
            vec![Cond::Tag("a".into()), Cond::Tag("b".into())]
        );
        assert!(plan.clauses[1].negated);
        assert_eq!(
            plan.clauses[2].any,
            vec![Cond::Status(Op::Lt, Status::Solved)]
        );
    }

    #[test]
    fn text_becomes_stems_and_phrases() {
        let plan = p("Reembolsos \"no llega el paquete\"");
        assert!(
            matches!(&plan.text[0].1, TextTerm::Word { stems, .. } if stems.contains(&"reembols".to_string()))
        );
        assert!(matches!(&plan.text[1].1, TextTerm::Phrase { spanish, .. } if spanish.len() == 3));
    }

    #[test]
    fn dates_and_relative_times() {
        let plan = p("created:2023-11-14 updated>2hours");
        assert_eq!(
            plan.clauses[0].any[0],
            Cond::Time(
                TimeField::Created,
                Timestamp(1_699_920_000),
                Timestamp(1_700_006_400)
            )
        );
        assert_eq!(
            plan.clauses[1].any[0],
            Cond::Time(TimeField::Updated, Timestamp(1_699_992_801), Timestamp(MAX))
        );
    }

    #[test]
    fn bad_values_are_errors_and_types_are_inferred() {
        assert!(plan("status:whatever", Timestamp(0)).is_err());
        let plan = p("email:ana@example.com");
        assert!(plan.wants(ResultType::User) && !plan.wants(ResultType::Ticket));
        assert!(p("type:ticket").wants(ResultType::Ticket));
        assert!(!p("type:ticket").wants(ResultType::User));
    }
}
