//! Named leases: the right, for a while, to run a periodic job (the
//! automations pass, the SLA breach watcher, the router's queue pass). With
//! several nodes one holds each; if it dies the lease runs out and another
//! takes over.

use crate::{Conn, StoreError, q};
use domain::Timestamp;

/// Takes or renews `name` for `node` until `until`; true if this node holds it.
pub async fn take(
    c: &mut Conn<'_>,
    name: &str,
    node: &str,
    now: Timestamp,
    until: Timestamp,
) -> Result<bool, StoreError> {
    c.exec(
        q("INSERT INTO leases (name, node, until) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(node)
            .bind(until),
    )
    .await?;
    let n = c
        .exec(
            q("UPDATE leases SET node = $2, until = $4 WHERE name = $1 AND (node = $2 OR until < $3)")
                .bind(name)
                .bind(node)
                .bind(now)
                .bind(until),
        )
        .await?;
    Ok(n == 1)
}
