//! The embedded SQLite backend: a pool of readers and one writer task that
//! group-commits. Every unit of work runs inside its own savepoint, so a
//! failing unit rolls back alone, and all units of a batch are answered only
//! after the single durable COMMIT (`synchronous=FULL`, WAL) that covers them.

use crate::StoreError;
use crate::conn::Conn;
use crate::db::BoxFut;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, Executor, SqliteConnection, SqlitePool};
use std::panic::AssertUnwindSafe;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot, watch};

/// How many units one commit may cover; bounds the latency of the last one.
const MAX_BATCH: usize = 512;

/// What the writer hands back for a unit that succeeded: answer it after the
/// commit, or fail it if the commit fails.
trait Deliver: Send {
    fn ok(self: Box<Self>);
    fn fail(self: Box<Self>, e: StoreError);
}

struct Pending<T, E> {
    value: T,
    reply: oneshot::Sender<Result<T, E>>,
}

impl<T: Send, E: From<StoreError> + Send> Deliver for Pending<T, E> {
    fn ok(self: Box<Self>) {
        let _ = self.reply.send(Ok(self.value));
    }
    fn fail(self: Box<Self>, e: StoreError) {
        let _ = self.reply.send(Err(E::from(e)));
    }
}

type Job =
    Box<dyn for<'t, 'c> FnOnce(&'t mut Conn<'c>) -> BoxFut<'t, Option<Box<dyn Deliver>>> + Send>;

pub(crate) struct SqliteDb {
    pub(crate) readers: SqlitePool,
    jobs: mpsc::Sender<Job>,
    /// Bumped after every commit; live consumers wake on it.
    pub(crate) commits: watch::Sender<u64>,
    done: tokio::sync::Mutex<Option<oneshot::Receiver<()>>>,
}

impl SqliteDb {
    pub(crate) async fn open(path: &str) -> Result<SqliteDb, StoreError> {
        let base = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("cache_size", "-16000")
            .pragma("temp_store", "memory")
            .disable_statement_logging();
        let writer = base.clone().connect().await?;
        let readers = SqlitePoolOptions::new()
            .max_connections(4)
            .min_connections(1)
            .connect_with(base.read_only(true))
            .await?;
        let (jobs, rx) = mpsc::channel::<Job>(4096);
        let (commits, _) = watch::channel(0u64);
        let (done_tx, done_rx) = oneshot::channel();
        tokio::spawn(writer_loop(writer, rx, commits.clone(), done_tx));
        Ok(SqliteDb {
            readers,
            jobs,
            commits,
            done: tokio::sync::Mutex::new(Some(done_rx)),
        })
    }

    pub(crate) async fn write<T, E, F>(&self, unit: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: for<'t, 'c> FnOnce(&'t mut Conn<'c>) -> BoxFut<'t, Result<T, E>> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |conn| {
            Box::pin(async move {
                match unit(conn).await {
                    Ok(value) => Some(Box::new(Pending { value, reply }) as Box<dyn Deliver>),
                    Err(e) => {
                        let _ = reply.send(Err(e));
                        None
                    }
                }
            })
        });
        self.jobs
            .send(job)
            .await
            .map_err(|_| E::from(StoreError::WriterGone))?;
        answer.await.map_err(|_| E::from(StoreError::WriterGone))?
    }

    pub(crate) async fn close(&self) {
        // Closing the readers first is harmless; the writer stops when every
        // sender is gone, which happens as the last Db clone drops.
        self.readers.close().await;
        let done = self.done.lock().await.take();
        if let Some(done) = done {
            let _ = tokio::time::timeout(Duration::from_millis(50), done).await;
        }
    }
}

async fn writer_loop(
    mut conn: SqliteConnection,
    mut rx: mpsc::Receiver<Job>,
    commits: watch::Sender<u64>,
    done: oneshot::Sender<()>,
) {
    let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = rx.recv().await {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(j) => batch.push(j),
                Err(_) => break,
            }
        }
        run_batch(&mut conn, &mut batch).await;
        commits.send_modify(|n| *n += 1);
    }
    let _ = conn.close().await;
    let _ = done.send(());
}

async fn run_batch(conn: &mut SqliteConnection, batch: &mut Vec<Job>) {
    let mut delivered: Vec<Box<dyn Deliver>> = Vec::with_capacity(batch.len());
    if let Err(e) = conn.execute("BEGIN IMMEDIATE").await {
        tracing::error!(error = %e, "could not begin a write transaction");
        batch.clear();
        return;
    }
    for job in batch.drain(..) {
        if conn.execute("SAVEPOINT unit").await.is_err() {
            continue;
        }
        let outcome = {
            let mut c = Conn::Sqlite(conn);
            futures_catch(job(&mut c)).await
        };
        match outcome {
            Some(Some(d)) => {
                let _ = conn.execute("RELEASE unit").await;
                delivered.push(d);
            }
            _ => {
                let _ = conn.execute("ROLLBACK TO unit").await;
                let _ = conn.execute("RELEASE unit").await;
            }
        }
    }
    match conn.execute("COMMIT").await {
        Ok(_) => delivered.into_iter().for_each(|d| d.ok()),
        Err(e) => {
            tracing::error!(error = %e, "group commit failed");
            let _ = conn.execute("ROLLBACK").await;
            let msg = e.to_string();
            for d in delivered {
                d.fail(StoreError::Decode(format!("commit failed: {msg}")));
            }
        }
    }
}

/// Runs a unit, turning a panic into a failed unit instead of a dead writer.
async fn futures_catch<T>(fut: BoxFut<'_, T>) -> Option<T> {
    use futures_util::FutureExt;
    match AssertUnwindSafe(fut).catch_unwind().await {
        Ok(v) => Some(v),
        Err(_) => {
            tracing::error!("a write unit panicked; it was rolled back");
            None
        }
    }
}
