//! The embedded SQLite backend: a pool of readers (sqlx) and one writer
//! thread that group-commits. The writer owns a synchronous connection and
//! polls each unit of work on its own single-threaded runtime, so a unit's
//! statements run back to back with no thread hand-offs. Every unit runs
//! inside its own savepoint, so a failing unit rolls back alone, and all
//! units of a batch are answered only after the single durable COMMIT
//! (`synchronous=FULL`, WAL) that covers them.

use crate::StoreError;
use crate::cells::{Cells, SqliteCells};
use crate::conn::Conn;
use crate::db::BoxFut;
use crate::value::{NullKind, Query, Row, Value};
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::panic::AssertUnwindSafe;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot, watch};

/// How often the writer lets SQLite refresh planner statistics.
const OPTIMIZE_EVERY: Duration = Duration::from_secs(10);

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
    pub(crate) bulk: std::sync::Arc<BulkReaders>,
    jobs: mpsc::Sender<Job>,
    /// Bumped after every commit; live consumers wake on it.
    pub(crate) commits: watch::Sender<u64>,
    done: tokio::sync::Mutex<Option<oneshot::Receiver<()>>>,
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        let unique = matches!(&e, rusqlite::Error::SqliteFailure(f, _)
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY);
        if unique {
            StoreError::Duplicate(e.to_string())
        } else {
            StoreError::Decode(format!("sqlite: {e}"))
        }
    }
}

fn open_writer(path: &str) -> Result<rusqlite::Connection, StoreError> {
    let conn = rusqlite::Connection::open(path)?;
    // An 8 MB page cache: after a b-tree split SQLite scans the whole
    // cache's hash table at the next commit (it parks a page under the
    // lock-byte page's number while sorting the split), so a bigger cache
    // costs every commit more than it saves in reads (BENCHMARKS.md).
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
         PRAGMA busy_timeout = 10000; PRAGMA cache_size = -8000; PRAGMA temp_store = memory;",
    )?;
    conn.set_prepared_statement_cache_capacity(512);
    // Keep the planner's statistics current (cheap when nothing changed).
    conn.execute_batch("PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002;")?;
    Ok(conn)
}

/// Read-only connections of our own for reads of many rows
/// (`Db::read_many_as`): sqlx's SQLite driver hands every row from its
/// worker thread to the caller, which costs more than reading the row when
/// a report reads a quarter's hundred thousand; these read on a blocking
/// thread and map each row where SQLite holds it.
pub(crate) struct BulkReaders {
    path: String,
    idle: std::sync::Mutex<Vec<rusqlite::Connection>>,
}

/// Idle bulk readers kept (more are opened when needed, then closed).
const BULK_IDLE: usize = 2;

impl BulkReaders {
    fn take(&self) -> Result<rusqlite::Connection, StoreError> {
        if let Some(c) = self.idle.lock().ok().and_then(|mut idle| idle.pop()) {
            return Ok(c);
        }
        let c = rusqlite::Connection::open_with_flags(
            &self.path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        c.execute_batch("PRAGMA busy_timeout = 10000; PRAGMA cache_size = -16000;")?;
        Ok(c)
    }

    fn give_back(&self, c: rusqlite::Connection) {
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < BULK_IDLE
        {
            idle.push(c);
        }
    }

    /// Every row of a query as `map` reads it, on a blocking thread.
    pub(crate) async fn map<T: Send + 'static>(
        self: &std::sync::Arc<Self>,
        q: Query,
        map: fn(&dyn Cells) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        let me = self.clone();
        tokio::task::spawn_blocking(move || {
            let c = me.take()?;
            let out = (|| {
                let mut stmt = prepare(&c, &q)?;
                let mut rows = stmt.raw_query();
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    out.push(map(&SqliteCells(r))?);
                }
                Ok(out)
            })();
            me.give_back(c);
            out
        })
        .await
        .map_err(|e| StoreError::Decode(format!("a bulk read stopped: {e}")))?
    }
}

impl SqliteDb {
    pub(crate) async fn open(path: &str) -> Result<SqliteDb, StoreError> {
        // The writer creates the file and switches it to WAL before readers open it.
        let writer = open_writer(path)?;
        let readers = SqlitePoolOptions::new()
            .max_connections(4)
            .min_connections(1)
            .connect_with(
                SqliteConnectOptions::new()
                    .filename(path)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
                    .pragma("cache_size", "-16000")
                    .read_only(true),
            )
            .await?;
        let (jobs, rx) = mpsc::channel::<Job>(4096);
        let (commits, _) = watch::channel(0u64);
        let (done_tx, done_rx) = oneshot::channel();
        let bump = commits.clone();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || writer_thread(writer, rx, bump, done_tx))
            .map_err(|e| StoreError::Decode(format!("cannot start the writer thread: {e}")))?;
        Ok(SqliteDb {
            readers,
            bulk: std::sync::Arc::new(BulkReaders {
                path: path.to_string(),
                idle: std::sync::Mutex::new(Vec::new()),
            }),
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
        self.readers.close().await;
        let done = self.done.lock().await.take();
        if let Some(done) = done {
            let _ = tokio::time::timeout(Duration::from_millis(50), done).await;
        }
    }
}

fn writer_thread(
    mut conn: rusqlite::Connection,
    mut rx: mpsc::Receiver<Job>,
    commits: watch::Sender<u64>,
    done: oneshot::Sender<()>,
) {
    let rt = match tokio::runtime::Builder::new_current_thread().build() {
        Ok(rt) => rt,
        Err(e) => {
            tracing::error!(error = %e, "the SQLite writer cannot start");
            return;
        }
    };
    rt.block_on(async {
        let mut batch: Vec<Job> = Vec::with_capacity(MAX_BATCH);
        let mut last_optimize = std::time::Instant::now();
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
            // Tables grow from empty: refresh the planner's statistics now
            // and then, or searches get plans made for an empty database.
            if last_optimize.elapsed() > OPTIMIZE_EVERY {
                if let Err(e) = conn.execute_batch("PRAGMA optimize;") {
                    tracing::warn!(error = %e, "PRAGMA optimize failed");
                }
                last_optimize = std::time::Instant::now();
            }
        }
    });
    drop(conn);
    let _ = done.send(());
}

async fn run_batch(conn: &mut rusqlite::Connection, batch: &mut Vec<Job>) {
    let mut delivered: Vec<Box<dyn Deliver>> = Vec::with_capacity(batch.len());
    let mut deferred: Vec<Query> = Vec::new();
    if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
        tracing::error!(error = %e, "could not begin a write transaction");
        batch.clear();
        return;
    }
    for job in batch.drain(..) {
        if conn.execute_batch("SAVEPOINT unit").is_err() {
            continue;
        }
        let mut unit_deferred = Vec::new();
        let outcome = {
            let mut c = Conn::SqliteWriter(conn, &mut unit_deferred);
            catch(job(&mut c)).await
        };
        match outcome {
            Some(Some(d)) => {
                let _ = conn.execute_batch("RELEASE unit");
                delivered.push(d);
                deferred.append(&mut unit_deferred);
            }
            _ => {
                let _ = conn.execute_batch("ROLLBACK TO unit; RELEASE unit");
            }
        }
    }
    // Index writes only: a failure leaves the data right and the index one
    // entry short until `atiende reindex`, so it is reported, not fatal.
    for q in &deferred {
        if let Err(e) = sync_exec(conn, q) {
            tracing::error!(error = %e, sql = %q.sql, "a deferred index write failed");
        }
    }
    match conn.execute_batch("COMMIT") {
        Ok(()) => delivered.into_iter().for_each(|d| d.ok()),
        Err(e) => {
            tracing::error!(error = %e, "group commit failed");
            let _ = conn.execute_batch("ROLLBACK");
            let msg = e.to_string();
            for d in delivered {
                d.fail(StoreError::Decode(format!("commit failed: {msg}")));
            }
        }
    }
}

/// Runs a unit, turning a panic into a failed unit instead of a dead writer.
async fn catch<T>(fut: BoxFut<'_, T>) -> Option<T> {
    use futures_util::FutureExt;
    match AssertUnwindSafe(fut).catch_unwind().await {
        Ok(v) => Some(v),
        Err(_) => {
            tracing::error!("a write unit panicked; it was rolled back");
            None
        }
    }
}

/// Prepares (cached) and binds `$N` parameters by their number: SQLite
/// numbers named parameters by first appearance, not by N.
fn prepare<'a>(
    conn: &'a rusqlite::Connection,
    q: &Query,
) -> Result<rusqlite::CachedStatement<'a>, StoreError> {
    prepare_sql(conn, &q.sql, q)
}

/// [`prepare`] with the statement's text given apart from its query.
fn prepare_sql<'a>(
    conn: &'a rusqlite::Connection,
    sql: &str,
    q: &Query,
) -> Result<rusqlite::CachedStatement<'a>, StoreError> {
    tracing::trace!(target: "atiende::sql", "{sql}");
    let mut stmt = conn.prepare_cached(sql)?;
    for i in 1..=stmt.parameter_count() {
        let n = stmt
            .parameter_name(i)
            .and_then(|name| {
                name.trim_start_matches(['$', '?', ':', '@'])
                    .parse::<usize>()
                    .ok()
            })
            .unwrap_or(i);
        let v = q.args.get(n - 1).ok_or_else(|| {
            StoreError::Decode(format!("no value for parameter ${n} in: {}", q.sql))
        })?;
        match v {
            Value::Null(_) => stmt.raw_bind_parameter(i, rusqlite::types::Null)?,
            Value::Int(x) => stmt.raw_bind_parameter(i, x)?,
            Value::Real(x) => stmt.raw_bind_parameter(i, x)?,
            Value::Bool(x) => stmt.raw_bind_parameter(i, x)?,
            Value::Text(x) => stmt.raw_bind_parameter(i, x.as_str())?,
            Value::Bytes(x) => stmt.raw_bind_parameter(i, x.as_slice())?,
        }
    }
    Ok(stmt)
}

pub(crate) fn sync_exec(conn: &mut rusqlite::Connection, q: &Query) -> Result<u64, StoreError> {
    let mut stmt = prepare(conn, q)?;
    let mut rows = stmt.raw_query();
    while rows.next()?.is_some() {}
    drop(rows);
    Ok(conn.changes())
}

/// Runs an `INSERT INTO … RETURNING id` and returns the new id. SQLite
/// gathers RETURNING rows in an ephemeral b-tree that it opens and closes
/// for every statement (about 3 % of the CPU spent per ticket created);
/// every table atiende inserts into this way has `id INTEGER PRIMARY KEY`,
/// so the id is the rowid SQLite just assigned, read without the clause.
/// Anything else (an upsert, `OR IGNORE`) keeps its RETURNING.
pub(crate) fn sync_insert(conn: &mut rusqlite::Connection, q: &Query) -> Result<i64, StoreError> {
    let plain = q
        .sql
        .trim_end()
        .strip_suffix("RETURNING id")
        .filter(|s| s.trim_start().starts_with("INSERT INTO ") && !s.contains("ON CONFLICT"));
    let Some(sql) = plain else {
        return sync_all(conn, q, 1)?
            .pop()
            .ok_or(StoreError::NotFound)?
            .int(0);
    };
    let changed = prepare_sql(conn, sql, q)?.raw_execute()?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(conn.last_insert_rowid())
}

pub(crate) fn sync_all(
    conn: &mut rusqlite::Connection,
    q: &Query,
    limit: usize,
) -> Result<Vec<Row>, StoreError> {
    let mut stmt = prepare(conn, q)?;
    let width = stmt.column_count();
    let mut rows = stmt.raw_query();
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let mut vals = Vec::with_capacity(width);
        for i in 0..width {
            vals.push(match r.get_ref(i)? {
                rusqlite::types::ValueRef::Null => Value::Null(NullKind::Text),
                rusqlite::types::ValueRef::Integer(x) => Value::Int(x),
                rusqlite::types::ValueRef::Real(x) => Value::Real(x),
                rusqlite::types::ValueRef::Text(t) => {
                    Value::Text(String::from_utf8_lossy(t).into_owned())
                }
                rusqlite::types::ValueRef::Blob(b) => Value::Bytes(b.to_vec()),
            });
        }
        out.push(Row(vals));
        if out.len() >= limit {
            break;
        }
    }
    Ok(out)
}
