//! A row's columns read in place: [`Cells`] is what a mapping from a row to
//! a value reads, whichever backend the row came from. A read of many rows
//! (`Db::read_many_as`) maps SQLite's own rows through it, so no column is
//! copied into a [`Row`] first and no text is allocated to be parsed.

use crate::StoreError;
use crate::value::{Row, Value};

/// One row's columns.
pub trait Cells {
    /// A nullable integer column.
    fn opt_int(&self, i: usize) -> Result<Option<i64>, StoreError>;
    /// A nullable text column, borrowed.
    fn opt_str(&self, i: usize) -> Result<Option<&str>, StoreError>;
    /// A nullable binary column, borrowed.
    fn opt_bytes(&self, i: usize) -> Result<Option<&[u8]>, StoreError>;
}

fn null(i: usize) -> StoreError {
    StoreError::Decode(format!("column {i} is NULL"))
}

/// An integer column.
pub fn int(r: &dyn Cells, i: usize) -> Result<i64, StoreError> {
    r.opt_int(i)?.ok_or_else(|| null(i))
}

/// A text column, borrowed.
pub fn text(r: &dyn Cells, i: usize) -> Result<&str, StoreError> {
    r.opt_str(i)?.ok_or_else(|| null(i))
}

/// A nullable column holding one of a closed set of words.
pub fn opt_word<T: std::str::FromStr>(r: &dyn Cells, i: usize) -> Result<Option<T>, StoreError> {
    r.opt_str(i)?
        .map(|s| {
            s.parse()
                .map_err(|_| StoreError::Decode(format!("column {i}: unexpected word {s:?}")))
        })
        .transpose()
}

/// A column holding one of a closed set of words.
pub fn word<T: std::str::FromStr>(r: &dyn Cells, i: usize) -> Result<T, StoreError> {
    opt_word(r, i)?.ok_or_else(|| null(i))
}

impl Cells for Row {
    fn opt_int(&self, i: usize) -> Result<Option<i64>, StoreError> {
        Row::opt_int(self, i)
    }

    fn opt_str(&self, i: usize) -> Result<Option<&str>, StoreError> {
        match self.0.get(i) {
            None => Err(StoreError::Decode(format!("no column {i}"))),
            Some(Value::Null(_)) => Ok(None),
            Some(Value::Text(s)) => Ok(Some(s.as_str())),
            Some(other) => Err(StoreError::Decode(format!(
                "column {i}: expected text, got {other:?}"
            ))),
        }
    }

    fn opt_bytes(&self, i: usize) -> Result<Option<&[u8]>, StoreError> {
        match self.0.get(i) {
            None => Err(StoreError::Decode(format!("no column {i}"))),
            Some(Value::Null(_)) => Ok(None),
            Some(Value::Bytes(b)) => Ok(Some(b.as_slice())),
            Some(_) => Err(StoreError::Decode(format!("column {i}: expected bytes"))),
        }
    }
}

/// A row as SQLite steps it (the bulk readers').
pub(crate) struct SqliteCells<'a, 'b>(pub &'a rusqlite::Row<'b>);

impl Cells for SqliteCells<'_, '_> {
    fn opt_int(&self, i: usize) -> Result<Option<i64>, StoreError> {
        use rusqlite::types::ValueRef;
        match self.0.get_ref(i)? {
            ValueRef::Null => Ok(None),
            ValueRef::Integer(x) => Ok(Some(x)),
            ValueRef::Real(x) => Ok(Some(x as i64)),
            _ => Err(StoreError::Decode(format!("column {i}: expected integer"))),
        }
    }

    fn opt_str(&self, i: usize) -> Result<Option<&str>, StoreError> {
        use rusqlite::types::ValueRef;
        match self.0.get_ref(i)? {
            ValueRef::Null => Ok(None),
            ValueRef::Text(t) => std::str::from_utf8(t)
                .map(Some)
                .map_err(|_| StoreError::Decode(format!("column {i}: not UTF-8"))),
            _ => Err(StoreError::Decode(format!("column {i}: expected text"))),
        }
    }

    fn opt_bytes(&self, i: usize) -> Result<Option<&[u8]>, StoreError> {
        use rusqlite::types::ValueRef;
        match self.0.get_ref(i)? {
            ValueRef::Null => Ok(None),
            ValueRef::Blob(b) => Ok(Some(b)),
            _ => Err(StoreError::Decode(format!("column {i}: expected bytes"))),
        }
    }
}
