//! Custom ticket fields and their dropdown options.

use super::map_rows;
use crate::model::{FieldOption, TicketField};
use crate::{Conn, Row, StoreError, q};
use domain::{FieldId, Timestamp};

const COLS: &str = "id, type, title, description, required, active, position, regexp, tag, created_at, updated_at, \
                    visible_in_portal, editable_in_portal, required_in_portal, portal_titles";

fn from_row(r: &Row) -> Result<TicketField, StoreError> {
    Ok(TicketField {
        id: FieldId(r.int(0)?),
        field_type: r.word(1)?,
        title: r.text(2)?,
        description: r.text(3)?,
        required: r.bool(4)?,
        active: r.bool(5)?,
        position: r.int(6)?,
        regexp: r.opt_text(7)?,
        tag: r.opt_text(8)?,
        options: vec![],
        created_at: Timestamp(r.int(9)?),
        updated_at: Timestamp(r.int(10)?),
        visible_in_portal: r.bool(11)?,
        editable_in_portal: r.bool(12)?,
        required_in_portal: r.bool(13)?,
        portal_titles: serde_json::from_str(&r.text(14)?)
            .map_err(|e| StoreError::Decode(format!("portal titles: {e}")))?,
    })
}

/// The form titles as stored: a JSON object of locale → title.
fn titles_json(f: &TicketField) -> String {
    serde_json::to_string(&f.portal_titles).unwrap_or_else(|_| "{}".into())
}

pub async fn insert(c: &mut Conn<'_>, f: &TicketField) -> Result<FieldId, StoreError> {
    let id = FieldId(
        c.insert(
            q("INSERT INTO ticket_fields (type, title, description, required, active, position, regexp, tag, created_at, updated_at, \
               visible_in_portal, editable_in_portal, required_in_portal, portal_titles) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id")
                .bind(f.field_type)
                .bind(&f.title)
                .bind(&f.description)
                .bind(f.required)
                .bind(f.active)
                .bind(f.position)
                .bind(f.regexp.clone())
                .bind(f.tag.clone())
                .bind(f.created_at)
                .bind(f.updated_at)
                .bind(f.visible_in_portal)
                .bind(f.editable_in_portal)
                .bind(f.required_in_portal)
                .bind(titles_json(f)),
        )
        .await?,
    );
    set_options(c, id, &f.options).await?;
    Ok(id)
}

pub async fn update(c: &mut Conn<'_>, f: &TicketField) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE ticket_fields SET title = $2, description = $3, required = $4, active = $5, position = $6, regexp = $7, tag = $8, updated_at = $9, \
           visible_in_portal = $10, editable_in_portal = $11, required_in_portal = $12, portal_titles = $13 WHERE id = $1")
            .bind(f.id)
            .bind(&f.title)
            .bind(&f.description)
            .bind(f.required)
            .bind(f.active)
            .bind(f.position)
            .bind(f.regexp.clone())
            .bind(f.tag.clone())
            .bind(f.updated_at)
            .bind(f.visible_in_portal)
            .bind(f.editable_in_portal)
            .bind(f.required_in_portal)
            .bind(titles_json(f)),
    )
    .await?;
    set_options(c, f.id, &f.options).await
}

/// Replaces the options, keeping the ids of options whose value is unchanged.
async fn set_options(
    c: &mut Conn<'_>,
    id: FieldId,
    options: &[FieldOption],
) -> Result<(), StoreError> {
    let existing = options_of(c, id).await?;
    for old in &existing {
        if !options.iter().any(|o| o.value == old.value) {
            c.exec(q("DELETE FROM ticket_field_options WHERE id = $1").bind(old.id))
                .await?;
        }
    }
    for (pos, o) in options.iter().enumerate() {
        if existing.iter().any(|e| e.value == o.value) {
            c.exec(q("UPDATE ticket_field_options SET name = $3, position = $4 WHERE field_id = $1 AND value = $2").bind(id).bind(&o.value).bind(&o.name).bind(pos)).await?;
        } else {
            c.exec(q("INSERT INTO ticket_field_options (field_id, name, value, position) VALUES ($1, $2, $3, $4)").bind(id).bind(&o.name).bind(&o.value).bind(pos)).await?;
        }
    }
    Ok(())
}

async fn options_of(c: &mut Conn<'_>, id: FieldId) -> Result<Vec<FieldOption>, StoreError> {
    map_rows(c.all(q("SELECT id, name, value, position FROM ticket_field_options WHERE field_id = $1 ORDER BY position, id").bind(id)).await?, |r| {
        Ok(FieldOption { id: r.int(0)?, name: r.text(1)?, value: r.text(2)?, position: r.int(3)? })
    })
}

/// Every field with its options, in position order.
pub async fn all(c: &mut Conn<'_>) -> Result<Vec<TicketField>, StoreError> {
    let mut fields = map_rows(
        c.all(q(format!(
            "SELECT {COLS} FROM ticket_fields ORDER BY position, id"
        )))
        .await?,
        from_row,
    )?;
    for f in &mut fields {
        if f.field_type.has_options() {
            f.options = options_of(c, f.id).await?;
        }
    }
    Ok(fields)
}

pub async fn get(c: &mut Conn<'_>, id: FieldId) -> Result<Option<TicketField>, StoreError> {
    let Some(mut f) = c
        .opt(q(format!("SELECT {COLS} FROM ticket_fields WHERE id = $1")).bind(id))
        .await?
        .as_ref()
        .map(from_row)
        .transpose()?
    else {
        return Ok(None);
    };
    f.options = options_of(c, id).await?;
    Ok(Some(f))
}

pub async fn delete(c: &mut Conn<'_>, id: FieldId) -> Result<u64, StoreError> {
    c.exec(q("DELETE FROM ticket_fields WHERE id = $1").bind(id))
        .await
}
