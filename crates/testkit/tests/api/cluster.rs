//! Several stateless nodes on one PostgreSQL database.

use super::*;
use atiende_testkit::{Backend, start_node};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_share_one_postgres_database() {
    let a = TestServer::start(Backend::Postgres).await;
    let (base_b, app_b, _stop_b) = start_node(&a.database_url).await;
    let mut live = app_b.db.log_watch();
    live.borrow_and_update();
    let t = new_ticket(
        &a,
        json!({"subject": "Nodo A", "comment": {"body": "escrito en el nodo A"}}),
    )
    .await;
    // Node B reads it at once, through its own pool.
    let (s, b) = a
        .get(
            &format!("{base_b}/api/v2/tickets/{}.json", t["id"]),
            &a.admin(),
        )
        .await;
    assert_eq!((s, b["ticket"]["subject"].as_str()), (200, Some("Nodo A")));
    let (_, found) = a
        .get(
            &format!("{base_b}/api/v2/search.json?query=escrito"),
            &a.admin(),
        )
        .await;
    assert_eq!(found["count"], 1);
    // And B's live consumers were woken by A's commit (LISTEN/NOTIFY).
    let woke = tokio::time::timeout(Duration::from_secs(5), live.changed()).await;
    assert!(
        matches!(woke, Ok(Ok(()))),
        "node B was not notified of node A's write"
    );
    // Writes from both nodes interleave into one ordered event log.
    let (s, _) = a
        .call(
            "PUT",
            &format!("{base_b}/api/v2/tickets/{}.json", t["id"]),
            &a.admin(),
            Some(json!({"ticket": {"comment": {"body": "respuesta desde B"}}})),
        )
        .await;
    assert_eq!(s, 200);
    let (_, export) = a
        .get(
            "/api/v2/incremental/tickets/cursor.json?start_time=0",
            &a.admin(),
        )
        .await;
    assert_eq!(export["tickets"].as_array().map(Vec::len), Some(1));
    let (_, cs) = a
        .get(
            &format!("/api/v2/tickets/{}/comments.json", t["id"]),
            &a.admin(),
        )
        .await;
    assert_eq!(cs["comments"].as_array().map(Vec::len), Some(2));
}
