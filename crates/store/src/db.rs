//! The database handle: open by URL, read through a pool, write in units.

use crate::conn::{Backend, Conn};
use crate::sqlite::SqliteDb;
use crate::{StoreError, migrate};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgPool, Postgres, Sqlite};
use std::future::Future;
use std::pin::Pin;
use std::str::FromStr;
use std::sync::Arc;
use tokio::sync::{broadcast, watch};

/// A boxed future borrowing the connection it runs on.
pub type BoxFut<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The database, shared by every request of a node.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
    counters: Arc<WriteCounters>,
}

/// Writes as the operations metrics see them.
#[derive(Default)]
struct WriteCounters {
    /// Units submitted and not yet answered.
    waiting: std::sync::atomic::AtomicU64,
    /// Units committed.
    units: std::sync::atomic::AtomicU64,
}

/// What the writer has done since the node started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    /// Units waiting for their commit now (the write queue's depth).
    pub waiting: u64,
    /// Units committed.
    pub units: u64,
    /// Commits (on SQLite a commit carries a batch of units; on
    /// PostgreSQL each unit is its own).
    pub commits: u64,
}

enum Inner {
    Sqlite(SqliteDb),
    Postgres(PgPool, watch::Sender<u64>, broadcast::Sender<String>),
}

/// A pooled connection for reads.
pub enum ReadConn {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

impl ReadConn {
    /// Borrows it as a [`Conn`] for repository functions.
    pub fn conn(&mut self) -> Conn<'_> {
        match self {
            ReadConn::Sqlite(c) => Conn::Sqlite(c),
            ReadConn::Postgres(c) => Conn::Postgres(c),
        }
    }
}

impl Db {
    /// Opens (creating if needed) and migrates the database at `url`:
    /// `postgres://…` for PostgreSQL, `sqlite://path` or a bare file path for
    /// SQLite.
    pub async fn open(url: &str) -> Result<Db, StoreError> {
        let db = Self::connect(url).await?;
        migrate::run(&db).await?;
        Ok(db)
    }

    /// Connects without migrating (for `atiende migrate` to report on).
    pub async fn connect(url: &str) -> Result<Db, StoreError> {
        let inner = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url)?.application_name("atiende");
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .min_connections(1)
                .connect_with(opts)
                .await?;
            let (tx, _) = watch::channel(0u64);
            let (signals, _) = broadcast::channel(1024);
            crate::events::spawn_pg_listener(pool.clone(), tx.clone(), signals.clone());
            Inner::Postgres(pool, tx, signals)
        } else {
            let path = url
                .strip_prefix("sqlite://")
                .or_else(|| url.strip_prefix("sqlite:"))
                .unwrap_or(url);
            Inner::Sqlite(SqliteDb::open(path).await?)
        };
        Ok(Db {
            inner: Arc::new(inner),
            counters: Arc::default(),
        })
    }

    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        match &*self.inner {
            Inner::Sqlite(_) => Backend::Sqlite,
            Inner::Postgres(..) => Backend::Postgres,
        }
    }

    /// A connection for reads. On SQLite, reads see every committed write.
    pub async fn read(&self) -> Result<ReadConn, StoreError> {
        Ok(match &*self.inner {
            Inner::Sqlite(s) => ReadConn::Sqlite(s.readers.acquire().await?),
            Inner::Postgres(p, ..) => ReadConn::Postgres(p.acquire().await?),
        })
    }

    /// Every row of a read that returns many (a report's period), each
    /// as `map` reads it: on SQLite through read-only connections of its
    /// own, straight from SQLite's rows (no row crosses threads one at a
    /// time, no column is copied first); on PostgreSQL through the pool.
    /// Sees every committed write, as [`Db::read`] does.
    pub async fn read_many_as<T: Send + 'static>(
        &self,
        q: crate::Query,
        map: fn(&dyn crate::Cells) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        match &*self.inner {
            Inner::Sqlite(s) => s.bulk.map(q, map).await,
            Inner::Postgres(p, ..) => {
                let mut c = p.acquire().await?;
                let rows = Conn::Postgres(&mut c).all(q).await?;
                rows.iter().map(|r| map(r)).collect()
            }
        }
    }

    /// Runs a unit of work in a transaction and returns once it is durably
    /// committed. On SQLite the unit joins the writer's next group commit (its
    /// own savepoint keeps it all-or-nothing); on PostgreSQL it gets its own
    /// transaction.
    /// The unit's error type may be the caller's own (a rejected business
    /// rule rolls the unit back just like a database error).
    pub async fn write<T, E, F>(&self, unit: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: for<'t, 'c> FnOnce(&'t mut Conn<'c>) -> BoxFut<'t, Result<T, E>> + Send + 'static,
    {
        use std::sync::atomic::Ordering::Relaxed;
        self.counters.waiting.fetch_add(1, Relaxed);
        let out = self.write_unit(unit).await;
        self.counters.waiting.fetch_sub(1, Relaxed);
        if out.is_ok() {
            self.counters.units.fetch_add(1, Relaxed);
        }
        out
    }

    /// What the writer has done, for the operations metrics.
    pub fn write_stats(&self) -> WriteStats {
        use std::sync::atomic::Ordering::Relaxed;
        let units = self.counters.units.load(Relaxed);
        WriteStats {
            waiting: self.counters.waiting.load(Relaxed),
            units,
            commits: match &*self.inner {
                Inner::Sqlite(s) => *s.commits.borrow(),
                Inner::Postgres(..) => units,
            },
        }
    }

    async fn write_unit<T, E, F>(&self, unit: F) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: for<'t, 'c> FnOnce(&'t mut Conn<'c>) -> BoxFut<'t, Result<T, E>> + Send + 'static,
    {
        match &*self.inner {
            Inner::Sqlite(s) => s.write(unit).await,
            Inner::Postgres(p, ..) => {
                let mut tx = p.begin().await.map_err(StoreError::from)?;
                let out = unit(&mut Conn::Postgres(&mut tx)).await;
                match out {
                    Ok(v) => {
                        tx.commit().await.map_err(StoreError::from)?;
                        Ok(v)
                    }
                    Err(e) => {
                        let _ = tx.rollback().await;
                        Err(e)
                    }
                }
            }
        }
    }

    /// Wakes when the event log may have grown (a local commit, or on
    /// PostgreSQL a NOTIFY from another node); live consumers then read on
    /// from their cursor.
    pub fn log_watch(&self) -> watch::Receiver<u64> {
        match &*self.inner {
            Inner::Sqlite(s) => s.commits.subscribe(),
            Inner::Postgres(_, w, _) => w.subscribe(),
        }
    }

    /// Sends a short signal to the other nodes (PostgreSQL NOTIFY; nothing
    /// to do on SQLite, which is one node). Not stored: for state that is
    /// only true right now, such as who is viewing a ticket.
    pub async fn signal(&self, payload: &str) -> Result<(), StoreError> {
        if let Inner::Postgres(p, ..) = &*self.inner {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(crate::events::SIGNALS)
                .bind(payload)
                .execute(p)
                .await?;
        }
        Ok(())
    }

    /// Signals from the nodes (this one's own included, as PostgreSQL
    /// delivers them to every listener); never any on SQLite.
    pub fn signals(&self) -> Option<broadcast::Receiver<String>> {
        match &*self.inner {
            Inner::Postgres(_, _, s) => Some(s.subscribe()),
            Inner::Sqlite(_) => None,
        }
    }

    /// Refreshes the query planner's statistics, after bulk loads.
    pub async fn analyze(&self) -> Result<(), StoreError> {
        self.write(|c| Box::pin(async move { c.exec(crate::q("ANALYZE")).await.map(|_| ()) }))
            .await
    }

    /// Closes every connection; the SQLite writer finishes its queue first.
    pub async fn close(&self) {
        match &*self.inner {
            Inner::Sqlite(s) => s.close().await,
            Inner::Postgres(p, ..) => p.close().await,
        }
    }

    /// The PostgreSQL pool, for the few per-backend paths (LISTEN).
    pub fn pg_pool(&self) -> Option<&PgPool> {
        match &*self.inner {
            Inner::Postgres(p, ..) => Some(p),
            Inner::Sqlite(_) => None,
        }
    }
}
