//! Custom fields on users and organizations, their dropdown options, and
//! the values records hold (read with the records, in one query per batch).

use super::map_rows;
use crate::model::{FieldOption, ProfileField};
use crate::paging::placeholders;
use crate::{Conn, Row, StoreError, Value, q};
use domain::field::{FieldOwner, ProfileValue};
use domain::{ProfileFieldId, Timestamp};
use std::collections::HashMap;

const COLS: &str = "id, owner, key, type, title, description, position, active, regexp, tag, created_at, updated_at";

fn from_row(r: &Row) -> Result<ProfileField, StoreError> {
    Ok(ProfileField {
        id: ProfileFieldId(r.int(0)?),
        owner: r.word(1)?,
        key: r.text(2)?,
        field_type: r.word(3)?,
        title: r.text(4)?,
        description: r.text(5)?,
        position: r.int(6)?,
        active: r.bool(7)?,
        regexp: r.opt_text(8)?,
        tag: r.opt_text(9)?,
        options: vec![],
        created_at: Timestamp(r.int(10)?),
        updated_at: Timestamp(r.int(11)?),
    })
}

/// Adds the options of those fields that have them, in one query.
async fn with_options(
    c: &mut Conn<'_>,
    mut fields: Vec<ProfileField>,
) -> Result<Vec<ProfileField>, StoreError> {
    let ids: Vec<Value> = fields
        .iter()
        .filter(|f| f.field_type.has_options())
        .map(|f| f.id.into())
        .collect();
    if ids.is_empty() {
        return Ok(fields);
    }
    let mut query = q(format!(
        "SELECT field_id, id, name, value, position FROM profile_field_options WHERE field_id IN ({}) ORDER BY position, id",
        placeholders(1, ids.len())
    ));
    query.args = ids;
    for r in c.all(query).await? {
        let id = ProfileFieldId(r.int(0)?);
        if let Some(f) = fields.iter_mut().find(|f| f.id == id) {
            f.options.push(FieldOption {
                id: r.int(1)?,
                name: r.text(2)?,
                value: r.text(3)?,
                position: r.int(4)?,
            });
        }
    }
    Ok(fields)
}

/// An owner's fields with their options, in position order.
pub async fn all(c: &mut Conn<'_>, owner: FieldOwner) -> Result<Vec<ProfileField>, StoreError> {
    let rows = c
        .all(
            q(format!(
                "SELECT {COLS} FROM profile_fields WHERE owner = $1 ORDER BY position, id"
            ))
            .bind(owner),
        )
        .await?;
    with_options(c, map_rows(rows, from_row)?).await
}

pub async fn get(
    c: &mut Conn<'_>,
    owner: FieldOwner,
    id: ProfileFieldId,
) -> Result<Option<ProfileField>, StoreError> {
    let rows = c
        .all(
            q(format!(
                "SELECT {COLS} FROM profile_fields WHERE owner = $1 AND id = $2"
            ))
            .bind(owner)
            .bind(id),
        )
        .await?;
    Ok(with_options(c, map_rows(rows, from_row)?).await?.pop())
}

/// Whether an owner's field already has this key.
pub async fn key_taken(c: &mut Conn<'_>, owner: FieldOwner, key: &str) -> Result<bool, StoreError> {
    Ok(c.opt(
        q("SELECT 1 FROM profile_fields WHERE owner = $1 AND key = $2")
            .bind(owner)
            .bind(key),
    )
    .await?
    .is_some())
}

/// Inserts a field with its options.
pub async fn insert(c: &mut Conn<'_>, f: &ProfileField) -> Result<ProfileFieldId, StoreError> {
    let id = ProfileFieldId(
        c.insert(
            q("INSERT INTO profile_fields (owner, key, type, title, description, position, active, regexp, tag, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id")
            .bind(f.owner)
            .bind(&f.key)
            .bind(f.field_type)
            .bind(&f.title)
            .bind(&f.description)
            .bind(f.position)
            .bind(f.active)
            .bind(f.regexp.clone())
            .bind(f.tag.clone())
            .bind(f.created_at)
            .bind(f.updated_at),
        )
        .await?,
    );
    set_options(c, id, &f.options).await?;
    Ok(id)
}

/// Writes what may change of a field (its key and type stay).
pub async fn update(c: &mut Conn<'_>, f: &ProfileField) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE profile_fields SET title = $2, description = $3, position = $4, active = $5, regexp = $6, tag = $7, updated_at = $8 WHERE id = $1")
            .bind(f.id)
            .bind(&f.title)
            .bind(&f.description)
            .bind(f.position)
            .bind(f.active)
            .bind(f.regexp.clone())
            .bind(f.tag.clone())
            .bind(f.updated_at),
    )
    .await?;
    set_options(c, f.id, &f.options).await
}

/// Replaces the options, keeping the ids of those whose value stays.
async fn set_options(
    c: &mut Conn<'_>,
    id: ProfileFieldId,
    options: &[FieldOption],
) -> Result<(), StoreError> {
    let kept: Vec<Value> = options.iter().map(|o| Value::from(&o.value)).collect();
    let mut query = q(if kept.is_empty() {
        "DELETE FROM profile_field_options WHERE field_id = $1".to_string()
    } else {
        format!(
            "DELETE FROM profile_field_options WHERE field_id = $1 AND value NOT IN ({})",
            placeholders(2, kept.len())
        )
    });
    query.args = std::iter::once(id.into()).chain(kept).collect();
    c.exec(query).await?;
    for (pos, o) in options.iter().enumerate() {
        c.exec(
            q("INSERT INTO profile_field_options (field_id, name, value, position) VALUES ($1, $2, $3, $4) \
               ON CONFLICT (field_id, value) DO UPDATE SET name = EXCLUDED.name, position = EXCLUDED.position")
            .bind(id)
            .bind(&o.name)
            .bind(&o.value)
            .bind(pos as i64),
        )
        .await?;
    }
    Ok(())
}

/// Deletes a field and every value of it.
pub async fn delete(c: &mut Conn<'_>, id: ProfileFieldId) -> Result<u64, StoreError> {
    c.exec(q("DELETE FROM profile_field_values WHERE field_id = $1").bind(id))
        .await?;
    c.exec(q("DELETE FROM profile_field_options WHERE field_id = $1").bind(id))
        .await?;
    c.exec(q("DELETE FROM profile_fields WHERE id = $1").bind(id))
        .await
}

/// The values the records `ids` of `owner` hold, by record id.
pub async fn values_of(
    c: &mut Conn<'_>,
    owner: FieldOwner,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<ProfileValue>>, StoreError> {
    let mut out: HashMap<i64, Vec<ProfileValue>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let active = c
        .all(
            q("SELECT key, type FROM profile_fields WHERE owner = $1 AND active = TRUE ORDER BY position, id")
                .bind(owner),
        )
        .await?;
    if active.is_empty() {
        return Ok(out);
    }
    let mut query = q(format!(
        "SELECT v.entity_id, f.key, v.value FROM profile_field_values v JOIN profile_fields f ON f.id = v.field_id \
         WHERE f.owner = $1 AND f.active = TRUE AND v.entity_id IN ({})",
        placeholders(2, ids.len())
    ));
    query.args = std::iter::once(owner.into())
        .chain(ids.iter().map(|&i| Value::Int(i)))
        .collect();
    let mut set: HashMap<(i64, String), String> = HashMap::new();
    for r in c.all(query).await? {
        set.insert((r.int(0)?, r.text(1)?), r.text(2)?);
    }
    for &id in ids {
        let mut values = Vec::with_capacity(active.len());
        for f in &active {
            let key = f.text(0)?;
            let value = set.remove(&(id, key.clone()));
            values.push(ProfileValue {
                key,
                field_type: f.word(1)?,
                value,
            });
        }
        out.insert(id, values);
    }
    Ok(out)
}

/// Sets (`Some`) or clears (`None`) values of one record.
pub async fn set_values(
    c: &mut Conn<'_>,
    entity: i64,
    values: &[(ProfileFieldId, Option<String>)],
) -> Result<(), StoreError> {
    for (field, value) in values {
        match value {
            Some(v) => {
                c.exec(
                    q("INSERT INTO profile_field_values (field_id, entity_id, value) VALUES ($1, $2, $3) \
                       ON CONFLICT (field_id, entity_id) DO UPDATE SET value = EXCLUDED.value")
                    .bind(*field)
                    .bind(entity)
                    .bind(v),
                )
                .await?;
            }
            None => {
                c.exec(
                    q("DELETE FROM profile_field_values WHERE field_id = $1 AND entity_id = $2")
                        .bind(*field)
                        .bind(entity),
                )
                .await?;
            }
        }
    }
    Ok(())
}
