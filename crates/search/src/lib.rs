//! Search for atiende, free of I/O: the text analyzer that turns subjects and
//! comments into index terms (lower-case, accents folded, stop words dropped,
//! Spanish or English stemming), and the Zendesk query language
//! (`status<solved tags:vip reembolso "no llega" -tags:spam`) parsed into a
//! typed plan. Both databases index the analyzer's output, so SQLite and
//! PostgreSQL find exactly the same things.

pub mod analyze;
pub mod plan;
pub mod query;

pub use analyze::{Language, analyze_document, analyze_query_word, fold, tag_term};
pub use plan::{
    Clause, Cond, NamedRef, Plan, PlanError, ResultType, SortKey, TextTerm, TimeField, UserRef,
    parse_sort_key, plan,
};
pub use query::{Op, ParseError, Term, TermKind, parse};
