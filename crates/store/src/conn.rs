//! One connection (inside a transaction for writes) on either backend. The
//! repository functions take `&mut Conn` and so are written once.

use crate::StoreError;
use crate::value::{NullKind, Query, Row, Value};
use sqlx::{Column, PgConnection, Row as _, SqliteConnection, TypeInfo, ValueRef};

/// Which database a connection talks to, for the few places that differ
/// (text search syntax, locking).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A borrowed connection on either backend. SQLite reads go through sqlx's
/// pool; SQLite writes run on the writer's own thread with a synchronous
/// connection, so a unit's statements cost no thread hand-offs. The writer
/// also holds the unit's deferred statements (see [`Conn::exec_deferred`]).
pub enum Conn<'c> {
    Sqlite(&'c mut SqliteConnection),
    SqliteWriter(&'c mut rusqlite::Connection, &'c mut Vec<Query>),
    Postgres(&'c mut PgConnection),
}

macro_rules! bind_all {
    ($query:expr, $args:expr) => {{
        let mut query = $query;
        for a in $args {
            query = match a {
                Value::Null(NullKind::Int) => query.bind(None::<i64>),
                Value::Null(NullKind::Real) => query.bind(None::<f64>),
                Value::Null(NullKind::Bool) => query.bind(None::<bool>),
                Value::Null(NullKind::Text) => query.bind(None::<String>),
                Value::Null(NullKind::Bytes) => query.bind(None::<Vec<u8>>),
                Value::Int(v) => query.bind(v),
                Value::Real(v) => query.bind(v),
                Value::Bool(v) => query.bind(v),
                Value::Text(v) => query.bind(v),
                Value::Bytes(v) => query.bind(v),
            };
        }
        query
    }};
}

impl Conn<'_> {
    /// The backend behind this connection.
    pub fn backend(&self) -> Backend {
        match self {
            Conn::Sqlite(_) | Conn::SqliteWriter(..) => Backend::Sqlite,
            Conn::Postgres(_) => Backend::Postgres,
        }
    }

    /// Traces a statement under `atiende::sql` (the SQLite writer traces
    /// its own, with the text it really runs).
    fn trace(&self, q: &Query) {
        if !matches!(self, Conn::SqliteWriter(..)) {
            tracing::trace!(target: "atiende::sql", "{}", q.sql);
        }
    }

    /// Runs a statement; returns the number of rows it changed.
    pub async fn exec(&mut self, q: Query) -> Result<u64, StoreError> {
        self.trace(&q);
        match self {
            Conn::SqliteWriter(c, _) => crate::sqlite::sync_exec(c, &q),
            Conn::Sqlite(c) => {
                let r = bind_all!(sqlx::query(q.sql.as_ref()), q.args)
                    .execute(&mut **c)
                    .await?;
                Ok(r.rows_affected())
            }
            Conn::Postgres(c) => {
                let r = bind_all!(sqlx::query(q.sql.as_ref()), q.args)
                    .execute(&mut **c)
                    .await?;
                Ok(r.rows_affected())
            }
        }
    }

    /// Runs a statement whose effect nothing in the same transaction reads
    /// back: full-text index writes. On the SQLite writer it runs after
    /// every unit of the batch, just before the COMMIT, in the order units
    /// deferred them (and not at all if its unit fails): FTS5 flushes its
    /// pending terms to a new segment at every savepoint, so index writes
    /// made inside each unit cost a flush and a merge per unit. Elsewhere
    /// it runs at once.
    pub async fn exec_deferred(&mut self, q: Query) -> Result<(), StoreError> {
        match self {
            Conn::SqliteWriter(_, deferred) => {
                deferred.push(q);
                Ok(())
            }
            _ => self.exec(q).await.map(|_| ()),
        }
    }

    /// Runs a query and returns every row.
    pub async fn all(&mut self, q: Query) -> Result<Vec<Row>, StoreError> {
        self.trace(&q);
        match self {
            Conn::SqliteWriter(c, _) => crate::sqlite::sync_all(c, &q, usize::MAX),
            Conn::Sqlite(c) => {
                let rows = bind_all!(sqlx::query(q.sql.as_ref()), q.args)
                    .fetch_all(&mut **c)
                    .await?;
                rows.iter().map(sqlite_row).collect()
            }
            Conn::Postgres(c) => {
                let rows = bind_all!(sqlx::query(q.sql.as_ref()), q.args)
                    .fetch_all(&mut **c)
                    .await?;
                rows.iter().map(pg_row).collect()
            }
        }
    }

    /// Runs a query and returns its first row, if any.
    pub async fn opt(&mut self, q: Query) -> Result<Option<Row>, StoreError> {
        self.trace(&q);
        match self {
            Conn::SqliteWriter(c, _) => Ok(crate::sqlite::sync_all(c, &q, 1)?.pop()),
            Conn::Sqlite(c) => {
                let row = bind_all!(sqlx::query(q.sql.as_ref()), q.args)
                    .fetch_optional(&mut **c)
                    .await?;
                row.as_ref().map(sqlite_row).transpose()
            }
            Conn::Postgres(c) => {
                let row = bind_all!(sqlx::query(q.sql.as_ref()), q.args)
                    .fetch_optional(&mut **c)
                    .await?;
                row.as_ref().map(pg_row).transpose()
            }
        }
    }

    /// Runs a query that must return a row.
    pub async fn one(&mut self, q: Query) -> Result<Row, StoreError> {
        self.opt(q).await?.ok_or(StoreError::NotFound)
    }

    /// Runs an `INSERT … RETURNING id` and returns the id.
    pub async fn insert(&mut self, q: Query) -> Result<i64, StoreError> {
        match self {
            Conn::SqliteWriter(c, _) => crate::sqlite::sync_insert(c, &q),
            _ => self.one(q).await?.int(0),
        }
    }

    /// Runs a query returning a single integer (a count, an id).
    pub async fn scalar(&mut self, q: Query) -> Result<i64, StoreError> {
        self.one(q).await?.int(0)
    }
}

fn sqlite_row(row: &sqlx::sqlite::SqliteRow) -> Result<Row, StoreError> {
    let mut out = Vec::with_capacity(row.len());
    for i in 0..row.len() {
        let raw = row.try_get_raw(i)?;
        if raw.is_null() {
            out.push(Value::Null(NullKind::Text));
            continue;
        }
        let info = raw.type_info();
        out.push(match info.name() {
            "INTEGER" | "BOOLEAN" | "INT8" | "BIGINT" | "INT" => Value::Int(row.try_get(i)?),
            "REAL" | "FLOAT" | "DOUBLE" => Value::Real(row.try_get(i)?),
            "BLOB" => Value::Bytes(row.try_get(i)?),
            _ => Value::Text(row.try_get(i)?),
        });
    }
    Ok(Row(out))
}

fn pg_row(row: &sqlx::postgres::PgRow) -> Result<Row, StoreError> {
    let mut out = Vec::with_capacity(row.len());
    for (i, col) in row.columns().iter().enumerate() {
        let raw = row.try_get_raw(i)?;
        if raw.is_null() {
            out.push(Value::Null(NullKind::Text));
            continue;
        }
        out.push(match col.type_info().name() {
            "INT8" => Value::Int(row.try_get(i)?),
            "INT4" => Value::Int(row.try_get::<i32, _>(i)?.into()),
            "INT2" => Value::Int(row.try_get::<i16, _>(i)?.into()),
            "BOOL" => Value::Bool(row.try_get(i)?),
            "FLOAT8" => Value::Real(row.try_get(i)?),
            "FLOAT4" => Value::Real(row.try_get::<f32, _>(i)?.into()),
            "BYTEA" => Value::Bytes(row.try_get(i)?),
            _ => Value::Text(row.try_get(i)?),
        });
    }
    Ok(Row(out))
}
