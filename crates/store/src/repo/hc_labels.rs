//! Help-center article labels as records with ids. The names an article
//! carries stay in `hc_articles.label_names`; this table gives each name
//! an id, made the first time an article is saved with it.

use super::map_rows;
use crate::model::ArticleLabel;
use crate::paging::placeholders;
use crate::{Conn, Row, StoreError, Value, q};
use domain::{LabelId, Timestamp};

const COLS: &str = "id, name, created_at, updated_at";

fn from_row(r: &Row) -> Result<ArticleLabel, StoreError> {
    Ok(ArticleLabel {
        id: LabelId(r.int(0)?),
        name: r.text(1)?,
        created_at: Timestamp(r.int(2)?),
        updated_at: Timestamp(r.int(3)?),
    })
}

/// Gives every name an id (those that have one keep it).
pub async fn ensure(c: &mut Conn<'_>, names: &[String], now: Timestamp) -> Result<(), StoreError> {
    for name in names {
        c.exec(
            q("INSERT INTO hc_labels (name, created_at, updated_at) VALUES ($1, $2, $2) ON CONFLICT (name) DO NOTHING")
                .bind(name)
                .bind(now),
        )
        .await?;
    }
    Ok(())
}

/// Every label, by id.
pub async fn all(c: &mut Conn<'_>) -> Result<Vec<ArticleLabel>, StoreError> {
    map_rows(
        c.all(q(format!("SELECT {COLS} FROM hc_labels ORDER BY id")))
            .await?,
        from_row,
    )
}

pub async fn get(c: &mut Conn<'_>, id: LabelId) -> Result<Option<ArticleLabel>, StoreError> {
    c.opt(q(format!("SELECT {COLS} FROM hc_labels WHERE id = $1")).bind(id))
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// The labels of these names, by id.
pub async fn named(c: &mut Conn<'_>, names: &[String]) -> Result<Vec<ArticleLabel>, StoreError> {
    if names.is_empty() {
        return Ok(vec![]);
    }
    let mut query = q(format!(
        "SELECT {COLS} FROM hc_labels WHERE name IN ({}) ORDER BY id",
        placeholders(1, names.len())
    ));
    query.args = names.iter().map(Value::from).collect();
    map_rows(c.all(query).await?, from_row)
}
