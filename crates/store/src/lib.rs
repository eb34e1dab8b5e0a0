//! Persistence for atiende. One [`Db`] value, chosen at run time by the
//! database URL: an embedded SQLite file (with a single writer that commits
//! several requests together, durably) or a shared PostgreSQL (several
//! stateless nodes). Repository functions take a [`Conn`] and run the same SQL
//! on both; only text search and locking differ, in their own modules.

pub mod cells;
pub mod conn;
pub mod db;
pub mod events;
pub mod migrate;
pub mod model;
pub mod paging;
pub mod repo;
mod sqlite;
pub mod value;

pub use cells::Cells;
pub use conn::{Backend, Conn};
pub use db::{BoxFut, Db, ReadConn, WriteStats};
pub use value::{NullKind, Query, Row, Value, q};

/// Everything that can go wrong talking to the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No row where one was required.
    #[error("not found")]
    NotFound,
    /// A UNIQUE constraint refused the write; carries the database's message.
    #[error("duplicate value: {0}")]
    Duplicate(String),
    /// A column held something other than what the code expects.
    #[error("unexpected data: {0}")]
    Decode(String),
    /// The SQLite writer is gone (the server is shutting down).
    #[error("the database writer has stopped")]
    WriterGone,
    /// A migration could not be applied.
    #[error("migration {0} failed: {1}")]
    Migration(String, String),
    #[error("database error: {0}")]
    Sql(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e
            && db.is_unique_violation()
        {
            return StoreError::Duplicate(db.message().to_string());
        }
        match e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            other => StoreError::Sql(other),
        }
    }
}
