//! Organizations and the email domains that attach users to them.

use super::map_rows;
use crate::model::{Organization, join_tags, split_tags};
use crate::paging::placeholders;
use crate::{Conn, Row, StoreError, Value, q};
use domain::{GroupId, OrgId, Timestamp};

const COLS: &str =
    "id, name, details, notes, external_id, group_id, shared_tickets, tags, created_at, updated_at";

fn from_row(r: &Row) -> Result<Organization, StoreError> {
    Ok(Organization {
        id: OrgId(r.int(0)?),
        name: r.text(1)?,
        details: r.opt_text(2)?,
        notes: r.opt_text(3)?,
        external_id: r.opt_text(4)?,
        group_id: r.opt_int(5)?.map(GroupId),
        shared_tickets: r.bool(6)?,
        tags: split_tags(&r.text(7)?),
        domain_names: vec![],
        created_at: Timestamp(r.int(8)?),
        updated_at: Timestamp(r.int(9)?),
        fields: vec![],
    })
}

/// Names are unique without regard to case or surrounding space.
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Adds each organization's domains and field values.
async fn with_domains(
    c: &mut Conn<'_>,
    mut orgs: Vec<Organization>,
) -> Result<Vec<Organization>, StoreError> {
    if orgs.is_empty() {
        return Ok(orgs);
    }
    let mut query = q(format!(
        "SELECT organization_id, domain FROM organization_domains WHERE organization_id IN ({}) ORDER BY domain",
        placeholders(1, orgs.len())
    ));
    query.args = orgs.iter().map(|o| Value::Int(o.id.0)).collect();
    for r in c.all(query).await? {
        let id = r.int(0)?;
        if let Some(o) = orgs.iter_mut().find(|o| o.id.0 == id) {
            o.domain_names.push(r.text(1)?);
        }
    }
    // And the organization fields' values.
    let ids: Vec<i64> = orgs.iter().map(|o| o.id.0).collect();
    let mut values =
        super::profile_fields::values_of(c, domain::field::FieldOwner::Organization, &ids).await?;
    for o in &mut orgs {
        if let Some(v) = values.remove(&o.id.0) {
            o.fields = v;
        }
    }
    Ok(orgs)
}

pub async fn insert(c: &mut Conn<'_>, o: &Organization) -> Result<OrgId, StoreError> {
    let id = OrgId(
        c.insert(
            q("INSERT INTO organizations (name, name_key, details, notes, external_id, group_id, shared_tickets, tags, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id")
            .bind(o.name.trim())
            .bind(name_key(&o.name))
            .bind(o.details.clone())
            .bind(o.notes.clone())
            .bind(o.external_id.clone())
            .bind(o.group_id)
            .bind(o.shared_tickets)
            .bind(join_tags(&o.tags))
            .bind(o.created_at)
            .bind(o.updated_at),
        )
        .await?,
    );
    set_domains(c, id, &o.domain_names).await?;
    Ok(id)
}

pub async fn update(c: &mut Conn<'_>, o: &Organization) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE organizations SET name = $2, name_key = $3, details = $4, notes = $5, external_id = $6, group_id = $7, shared_tickets = $8, tags = $9, updated_at = $10 WHERE id = $1")
            .bind(o.id)
            .bind(o.name.trim())
            .bind(name_key(&o.name))
            .bind(o.details.clone())
            .bind(o.notes.clone())
            .bind(o.external_id.clone())
            .bind(o.group_id)
            .bind(o.shared_tickets)
            .bind(join_tags(&o.tags))
            .bind(o.updated_at),
    )
    .await?;
    set_domains(c, o.id, &o.domain_names).await
}

async fn set_domains(c: &mut Conn<'_>, id: OrgId, domains: &[String]) -> Result<(), StoreError> {
    c.exec(q("DELETE FROM organization_domains WHERE organization_id = $1").bind(id))
        .await?;
    for d in domains {
        c.exec(
            q("INSERT INTO organization_domains (domain, organization_id) VALUES ($1, $2)")
                .bind(d.trim().to_lowercase())
                .bind(id),
        )
        .await?;
    }
    Ok(())
}

/// Marks an organization deleted and detaches its users and domains.
pub async fn delete(c: &mut Conn<'_>, id: OrgId, at: Timestamp) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE users SET organization_id = NULL, updated_at = $2 WHERE organization_id = $1")
            .bind(id)
            .bind(at),
    )
    .await?;
    c.exec(q("DELETE FROM organization_domains WHERE organization_id = $1").bind(id))
        .await?;
    // Free the unique name and external id for reuse, as Zendesk does.
    c.exec(q("UPDATE organizations SET deleted_at = $2, name_key = name_key || ' #deleted ' || CAST(id AS TEXT), external_id = NULL WHERE id = $1").bind(id).bind(at))
        .await?;
    Ok(())
}

pub async fn get(c: &mut Conn<'_>, id: OrgId) -> Result<Option<Organization>, StoreError> {
    let rows = c
        .all(
            q(format!(
                "SELECT {COLS} FROM organizations WHERE id = $1 AND deleted_at IS NULL"
            ))
            .bind(id),
        )
        .await?;
    Ok(with_domains(c, map_rows(rows, from_row)?).await?.pop())
}

pub async fn get_many(c: &mut Conn<'_>, ids: &[i64]) -> Result<Vec<Organization>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut query = q(format!(
        "SELECT {COLS} FROM organizations WHERE deleted_at IS NULL AND id IN ({}) ORDER BY id",
        placeholders(1, ids.len())
    ));
    query.args = ids.iter().map(|&i| Value::Int(i)).collect();
    let orgs = map_rows(c.all(query).await?, from_row)?;
    with_domains(c, orgs).await
}

/// The organization that claims an email domain.
pub async fn by_domain(c: &mut Conn<'_>, domain: &str) -> Result<Option<OrgId>, StoreError> {
    Ok(
        c.opt(q("SELECT organization_id FROM organization_domains WHERE domain = $1").bind(domain))
            .await?
            .map(|r| r.int(0).map(OrgId))
            .transpose()?,
    )
}

pub async fn by_external_id(
    c: &mut Conn<'_>,
    external_id: &str,
) -> Result<Option<Organization>, StoreError> {
    let rows = c
        .all(
            q(format!(
                "SELECT {COLS} FROM organizations WHERE deleted_at IS NULL AND external_id = $1"
            ))
            .bind(external_id),
        )
        .await?;
    Ok(with_domains(c, map_rows(rows, from_row)?).await?.pop())
}

pub async fn by_name(c: &mut Conn<'_>, name: &str) -> Result<Option<Organization>, StoreError> {
    let rows = c
        .all(
            q(format!(
                "SELECT {COLS} FROM organizations WHERE name_key = $1"
            ))
            .bind(name_key(name)),
        )
        .await?;
    Ok(with_domains(c, map_rows(rows, from_row)?).await?.pop())
}

/// Organizations whose name begins with `prefix` (case aside), by name,
/// at most `limit` (Zendesk's `organizations/autocomplete`).
pub async fn by_name_prefix(
    c: &mut Conn<'_>,
    prefix: &str,
    limit: i64,
) -> Result<Vec<Organization>, StoreError> {
    let pattern = format!("{}%", name_key(prefix).replace(['%', '_'], ""));
    let rows = c
        .all(
            q(format!(
                "SELECT {COLS} FROM organizations WHERE deleted_at IS NULL AND name_key LIKE $1 ORDER BY name_key, id LIMIT $2"
            ))
            .bind(pattern)
            .bind(limit),
        )
        .await?;
    with_domains(c, map_rows(rows, from_row)?).await
}
