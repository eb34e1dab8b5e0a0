//! Users and their identities.

use super::map_rows;
use crate::model::{Identity, User, join_tags, split_tags};
use crate::paging::placeholders;
use crate::{Conn, Row, StoreError, Value, q};
use domain::field::FieldOwner;
use domain::{IdentityId, IdentityKind, OrgId, Timestamp, UserId};

const COLS: &str = "id, name, email, role, active, verified, organization_id, default_group_id, locale, time_zone, phone, external_id, details, notes, tags, password_hash, created_at, updated_at, restricted_to_groups";

fn from_row(r: &Row) -> Result<User, StoreError> {
    Ok(User {
        id: UserId(r.int(0)?),
        name: r.text(1)?,
        email: r.opt_text(2)?,
        role: r.word(3)?,
        active: r.bool(4)?,
        verified: r.bool(5)?,
        organization_id: r.opt_int(6)?.map(OrgId),
        default_group_id: r.opt_int(7)?.map(domain::GroupId),
        locale: r.text(8)?,
        time_zone: r.text(9)?,
        phone: r.opt_text(10)?,
        external_id: r.opt_text(11)?,
        details: r.opt_text(12)?,
        notes: r.opt_text(13)?,
        tags: split_tags(&r.text(14)?),
        password_hash: r.opt_text(15)?,
        created_at: Timestamp(r.int(16)?),
        updated_at: Timestamp(r.int(17)?),
        restricted_to_groups: r.bool(18)?,
        fields: vec![],
    })
}

/// Adds the user fields' values to users read, in one query. Reads the
/// API answers with call it; the core's own reads (the write path) leave
/// the values out, as they never need them.
pub async fn with_fields(c: &mut Conn<'_>, mut users: Vec<User>) -> Result<Vec<User>, StoreError> {
    let ids: Vec<i64> = users.iter().map(|u| u.id.0).collect();
    let mut values = super::profile_fields::values_of(c, FieldOwner::User, &ids).await?;
    for u in &mut users {
        if let Some(v) = values.remove(&u.id.0) {
            u.fields = v;
        }
    }
    Ok(users)
}

/// Inserts a user (its `id` is ignored) and returns the new id.
pub async fn insert(c: &mut Conn<'_>, u: &User) -> Result<UserId, StoreError> {
    let id = c
        .insert(
            q("INSERT INTO users (name, email, role, active, verified, organization_id, default_group_id, locale, time_zone, phone, external_id, details, notes, tags, password_hash, created_at, updated_at, restricted_to_groups) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id")
            .bind(&u.name)
            .bind(u.email.clone())
            .bind(u.role)
            .bind(u.active)
            .bind(u.verified)
            .bind(u.organization_id)
            .bind(u.default_group_id)
            .bind(&u.locale)
            .bind(&u.time_zone)
            .bind(u.phone.clone())
            .bind(u.external_id.clone())
            .bind(u.details.clone())
            .bind(u.notes.clone())
            .bind(join_tags(&u.tags))
            .bind(u.password_hash.clone())
            .bind(u.created_at)
            .bind(u.updated_at)
            .bind(u.restricted_to_groups),
        )
        .await?;
    Ok(UserId(id))
}

/// Writes every column of an existing user.
pub async fn update(c: &mut Conn<'_>, u: &User) -> Result<(), StoreError> {
    let n = c
        .exec(
            q("UPDATE users SET name = $2, email = $3, role = $4, active = $5, verified = $6, organization_id = $7, default_group_id = $8, locale = $9, time_zone = $10, \
               phone = $11, external_id = $12, details = $13, notes = $14, tags = $15, password_hash = $16, updated_at = $17, restricted_to_groups = $18 WHERE id = $1")
            .bind(u.id)
            .bind(&u.name)
            .bind(u.email.clone())
            .bind(u.role)
            .bind(u.active)
            .bind(u.verified)
            .bind(u.organization_id)
            .bind(u.default_group_id)
            .bind(&u.locale)
            .bind(&u.time_zone)
            .bind(u.phone.clone())
            .bind(u.external_id.clone())
            .bind(u.details.clone())
            .bind(u.notes.clone())
            .bind(join_tags(&u.tags))
            .bind(u.password_hash.clone())
            .bind(u.updated_at)
            .bind(u.restricted_to_groups),
        )
        .await?;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub async fn get(c: &mut Conn<'_>, id: UserId) -> Result<Option<User>, StoreError> {
    c.opt(q(format!("SELECT {COLS} FROM users WHERE id = $1")).bind(id))
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// Users by id, in the order of `ids`, skipping unknown ones.
pub async fn get_many(c: &mut Conn<'_>, ids: &[i64]) -> Result<Vec<User>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut query = q(format!(
        "SELECT {COLS} FROM users WHERE id IN ({})",
        placeholders(1, ids.len())
    ));
    query.args = ids.iter().map(|&i| Value::Int(i)).collect();
    let users = map_rows(c.all(query).await?, from_row)?;
    Ok(ids
        .iter()
        .filter_map(|id| users.iter().find(|u| u.id.0 == *id).cloned())
        .collect())
}

/// The user owning an identity of this kind and value.
pub async fn by_identity(
    c: &mut Conn<'_>,
    kind: IdentityKind,
    value: &str,
) -> Result<Option<User>, StoreError> {
    c.opt(q(format!("SELECT {COLS} FROM users WHERE id = (SELECT user_id FROM identities WHERE kind = $1 AND value = $2)")).bind(kind).bind(value))
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

pub async fn by_external_id(
    c: &mut Conn<'_>,
    external_id: &str,
) -> Result<Option<User>, StoreError> {
    c.opt(q(format!("SELECT {COLS} FROM users WHERE external_id = $1")).bind(external_id))
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

/// Users whose name contains, or whose email equals, `text` (case-folded).
pub async fn search(c: &mut Conn<'_>, text: &str, limit: i64) -> Result<Vec<User>, StoreError> {
    let needle = text.trim().to_lowercase();
    let like = format!("%{}%", needle.replace('%', "").replace('_', ""));
    let found = map_rows(
        c.all(
            q(format!(
                "SELECT {COLS} FROM users WHERE LOWER(name) LIKE $1 OR email = $2 \
                 OR id IN (SELECT user_id FROM identities WHERE value = $2) ORDER BY id LIMIT $3"
            ))
            .bind(like)
            .bind(needle)
            .bind(limit),
        )
        .await?,
        from_row,
    )?;
    with_fields(c, found).await
}

/// Active users whose name begins with `prefix` (case-folded), by name.
pub async fn by_name_prefix(
    c: &mut Conn<'_>,
    prefix: &str,
    limit: i64,
) -> Result<Vec<User>, StoreError> {
    let folded = prefix.trim().to_lowercase().replace(['%', '_'], "");
    // SQLite's LOWER folds ASCII only: "Ángela" is matched as written too.
    let mut chars = folded.chars();
    let capitalised: String = chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    let found = map_rows(
        c.all(
            q(format!(
                "SELECT {COLS} FROM users WHERE active = TRUE AND (LOWER(name) LIKE $1 OR name LIKE $2) ORDER BY LOWER(name), id LIMIT $3"
            ))
            .bind(format!("{folded}%"))
            .bind(format!("{capitalised}%"))
            .bind(limit),
        )
        .await?,
        from_row,
    )?;
    with_fields(c, found).await
}

fn identity_from_row(r: &Row) -> Result<Identity, StoreError> {
    Ok(Identity {
        id: IdentityId(r.int(0)?),
        user_id: UserId(r.int(1)?),
        kind: r.word(2)?,
        value: r.text(3)?,
        primary: r.bool(4)?,
        verified: r.bool(5)?,
        created_at: Timestamp(r.int(6)?),
        updated_at: Timestamp(r.int(7)?),
    })
}

const IDENTITY_COLS: &str =
    "id, user_id, kind, value, is_primary, verified, created_at, updated_at";

/// The identities of several users, by user then id.
pub async fn identities_of_many(
    c: &mut Conn<'_>,
    users: &[i64],
) -> Result<Vec<Identity>, StoreError> {
    if users.is_empty() {
        return Ok(vec![]);
    }
    let mut query = q(format!(
        "SELECT {IDENTITY_COLS} FROM identities WHERE user_id IN ({}) ORDER BY user_id, id",
        placeholders(1, users.len())
    ));
    query.args = users.iter().map(|&i| Value::Int(i)).collect();
    map_rows(c.all(query).await?, identity_from_row)
}

/// Adds an identity; the first of its kind becomes primary.
pub async fn add_identity(
    c: &mut Conn<'_>,
    user: UserId,
    kind: IdentityKind,
    value: &str,
    verified: bool,
    at: Timestamp,
) -> Result<Identity, StoreError> {
    let has_primary = c
        .scalar(q("SELECT COUNT(*) FROM identities WHERE user_id = $1 AND kind = $2 AND is_primary = $3").bind(user).bind(kind).bind(true))
        .await?
        > 0;
    let id = c
        .insert(
            q("INSERT INTO identities (user_id, kind, value, is_primary, verified, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id")
                .bind(user)
                .bind(kind)
                .bind(value)
                .bind(!has_primary)
                .bind(verified)
                .bind(at),
        )
        .await?;
    identity(c, IdentityId(id))
        .await?
        .ok_or(StoreError::NotFound)
}

/// Gives a brand-new user their first identity of a kind, unless another
/// transaction claimed that value first: then nothing is written and
/// `false` comes back (on PostgreSQL the statement waits for that other
/// transaction, so the caller can read its user at once). Race-free on
/// both backends, where inserting blindly would fail one of two
/// simultaneous first contacts with a duplicate key.
pub async fn claim_first_identity(
    c: &mut Conn<'_>,
    user: UserId,
    kind: IdentityKind,
    value: &str,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let n = c
        .exec(
            q("INSERT INTO identities (user_id, kind, value, is_primary, verified, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (kind, value) DO NOTHING")
                .bind(user)
                .bind(kind)
                .bind(value)
                .bind(true)
                .bind(false)
                .bind(at),
        )
        .await?;
    Ok(n == 1)
}

/// Removes a user created in this same unit that turned out not to be
/// needed (it lost a race for its identity); nothing refers to it yet.
pub async fn forget_new(c: &mut Conn<'_>, user: UserId) -> Result<(), StoreError> {
    c.exec(q("DELETE FROM users WHERE id = $1").bind(user))
        .await?;
    Ok(())
}

pub async fn identity(c: &mut Conn<'_>, id: IdentityId) -> Result<Option<Identity>, StoreError> {
    c.opt(
        q(format!(
            "SELECT {IDENTITY_COLS} FROM identities WHERE id = $1"
        ))
        .bind(id),
    )
    .await?
    .as_ref()
    .map(identity_from_row)
    .transpose()
}

pub async fn identities(c: &mut Conn<'_>, user: UserId) -> Result<Vec<Identity>, StoreError> {
    map_rows(
        c.all(
            q(format!(
                "SELECT {IDENTITY_COLS} FROM identities WHERE user_id = $1 ORDER BY id"
            ))
            .bind(user),
        )
        .await?,
        identity_from_row,
    )
}

/// Makes one identity the primary of its kind, demoting the others.
pub async fn make_primary(
    c: &mut Conn<'_>,
    ident: &Identity,
    at: Timestamp,
) -> Result<(), StoreError> {
    c.exec(q("UPDATE identities SET is_primary = $3, updated_at = $4 WHERE user_id = $1 AND kind = $2").bind(ident.user_id).bind(ident.kind).bind(false).bind(at))
        .await?;
    c.exec(
        q("UPDATE identities SET is_primary = $2, updated_at = $3 WHERE id = $1")
            .bind(ident.id)
            .bind(true)
            .bind(at),
    )
    .await?;
    Ok(())
}

pub async fn set_identity_verified(
    c: &mut Conn<'_>,
    id: IdentityId,
    at: Timestamp,
) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE identities SET verified = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(true)
            .bind(at),
    )
    .await?;
    Ok(())
}

pub async fn delete_identity(c: &mut Conn<'_>, id: IdentityId) -> Result<(), StoreError> {
    c.exec(q("DELETE FROM identities WHERE id = $1").bind(id))
        .await?;
    Ok(())
}

/// The primary email of a user after identities changed.
pub async fn primary_email(c: &mut Conn<'_>, user: UserId) -> Result<Option<String>, StoreError> {
    Ok(c.opt(q("SELECT value FROM identities WHERE user_id = $1 AND kind = 'email' ORDER BY is_primary DESC, id LIMIT 1").bind(user))
        .await?
        .map(|r| r.text(0))
        .transpose()?)
}

/// Every active agent and admin, by id.
pub async fn staff(c: &mut Conn<'_>) -> Result<Vec<User>, StoreError> {
    map_rows(
        c.all(q(format!(
            "SELECT {COLS} FROM users WHERE role IN ('agent', 'admin') AND active = TRUE ORDER BY id"
        )))
        .await?,
        from_row,
    )
}

/// Total users, for first-start checks.
pub async fn count_staff(c: &mut Conn<'_>) -> Result<i64, StoreError> {
    c.scalar(q(
        "SELECT COUNT(*) FROM users WHERE role IN ('agent', 'admin')",
    ))
    .await
}
