//! Repository functions, one module per kind of record. Each takes a `Conn`
//! (a reader, or the writer's transaction) and runs the same SQL on both
//! backends.

pub mod account;
pub mod answer_bot;
pub mod article_authoring;
pub mod attachments;
pub mod audit_logs;
pub mod business_rules;
pub mod calls;
pub mod chat;
pub mod claims;
pub mod comments;
pub mod deletions;
pub mod email;
pub mod fields;
pub mod goodwill;
pub mod groups;
pub mod hc_comments;
pub mod hc_labels;
pub mod help_center;
pub mod inbound;
pub mod jobs;
pub mod leases;
pub mod mailboxes;
pub mod messaging;
pub mod messaging_bot;
pub mod oauth;
pub mod ops;
pub mod orgs;
pub mod outbox;
pub mod profile_fields;
pub mod reports;
pub mod routing;
pub mod rules;
pub mod schedules;
pub mod search;
pub mod sessions;
pub mod settings;
pub mod sign_in_links;
pub mod skips;
pub mod sla;
pub mod surveys;
pub mod ticket_forms;
pub mod tickets;
pub mod tokens;
pub mod translations;
pub mod trends;
pub mod user_merges;
pub mod user_segments;
pub mod users;
pub mod voice;
pub mod webhooks;

use crate::{Row, StoreError};

/// Maps every row with `f`, stopping at the first error.
pub(crate) fn map_rows<T>(
    rows: Vec<Row>,
    f: impl Fn(&Row) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    rows.iter().map(f).collect()
}

/// Rows of `table` whose id is in `ids`, in id order, mapped by `f`.
pub(crate) async fn by_ids<T>(
    c: &mut crate::Conn<'_>,
    table: &str,
    cols: &str,
    ids: &[i64],
    f: fn(&Row) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut query = crate::q(format!(
        "SELECT {cols} FROM {table} WHERE id IN ({}) ORDER BY id",
        crate::paging::placeholders(1, ids.len())
    ));
    query.args = ids.iter().map(|&i| crate::Value::Int(i)).collect();
    map_rows(c.all(query).await?, f)
}
