//! Small key/value settings kept in the database: first-start markers,
//! shared secrets, admin-edited mail templates.

use crate::{Conn, StoreError, q};

pub async fn get(c: &mut Conn<'_>, key: &str) -> Result<Option<String>, StoreError> {
    Ok(
        c.opt(q("SELECT value FROM settings WHERE key = $1").bind(key))
            .await?
            .map(|r| r.text(0))
            .transpose()?,
    )
}

pub async fn set(c: &mut Conn<'_>, key: &str, value: &str) -> Result<(), StoreError> {
    c.exec(q("DELETE FROM settings WHERE key = $1").bind(key))
        .await?;
    c.exec(
        q("INSERT INTO settings (key, value) VALUES ($1, $2)")
            .bind(key)
            .bind(value),
    )
    .await?;
    Ok(())
}

/// Sets a value only if the key has none yet (two nodes creating the same
/// secret: the first one wins, both read it back).
pub async fn insert_if_absent(c: &mut Conn<'_>, key: &str, value: &str) -> Result<(), StoreError> {
    c.exec(
        q("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
            .bind(key)
            .bind(value),
    )
    .await?;
    Ok(())
}
