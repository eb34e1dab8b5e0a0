//! Groups of agents and their memberships.

use super::map_rows;
use crate::model::{Group, Membership};
use crate::paging::placeholders;
use crate::{Conn, Row, StoreError, Value, q};
use domain::{GroupId, MembershipId, Timestamp, UserId};

const COLS: &str = "id, name, description, is_public, deleted, created_at, updated_at";

fn from_row(r: &Row) -> Result<Group, StoreError> {
    Ok(Group {
        id: GroupId(r.int(0)?),
        name: r.text(1)?,
        description: r.text(2)?,
        is_public: r.bool(3)?,
        deleted: r.bool(4)?,
        created_at: Timestamp(r.int(5)?),
        updated_at: Timestamp(r.int(6)?),
    })
}

pub async fn insert(c: &mut Conn<'_>, g: &Group) -> Result<GroupId, StoreError> {
    Ok(GroupId(
        c.insert(
            q("INSERT INTO groups (name, description, is_public, deleted, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
                .bind(&g.name)
                .bind(&g.description)
                .bind(g.is_public)
                .bind(g.deleted)
                .bind(g.created_at)
                .bind(g.updated_at),
        )
        .await?,
    ))
}

pub async fn update(c: &mut Conn<'_>, g: &Group) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE groups SET name = $2, description = $3, is_public = $4, deleted = $5, updated_at = $6 WHERE id = $1")
            .bind(g.id)
            .bind(&g.name)
            .bind(&g.description)
            .bind(g.is_public)
            .bind(g.deleted)
            .bind(g.updated_at),
    )
    .await?;
    Ok(())
}

pub async fn get(c: &mut Conn<'_>, id: GroupId) -> Result<Option<Group>, StoreError> {
    c.opt(
        q(format!(
            "SELECT {COLS} FROM groups WHERE id = $1 AND deleted = $2"
        ))
        .bind(id)
        .bind(false),
    )
    .await?
    .as_ref()
    .map(from_row)
    .transpose()
}

pub async fn get_many(c: &mut Conn<'_>, ids: &[i64]) -> Result<Vec<Group>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut query = q(format!(
        "SELECT {COLS} FROM groups WHERE id IN ({}) ORDER BY id",
        placeholders(1, ids.len())
    ));
    query.args = ids.iter().map(|&i| Value::Int(i)).collect();
    map_rows(c.all(query).await?, from_row)
}

/// The live groups any of these users is a member of, by id.
pub async fn of_users(c: &mut Conn<'_>, users: &[i64]) -> Result<Vec<Group>, StoreError> {
    if users.is_empty() {
        return Ok(vec![]);
    }
    let mut query = q(format!(
        "SELECT {COLS} FROM groups WHERE deleted = FALSE AND id IN \
         (SELECT group_id FROM group_memberships WHERE user_id IN ({})) ORDER BY id",
        placeholders(1, users.len())
    ));
    query.args = users.iter().map(|&i| Value::Int(i)).collect();
    map_rows(c.all(query).await?, from_row)
}

/// Every group not deleted, by name (for lists to choose from).
pub async fn live(c: &mut Conn<'_>) -> Result<Vec<Group>, StoreError> {
    map_rows(
        c.all(q(format!(
            "SELECT {COLS} FROM groups WHERE deleted = FALSE ORDER BY name, id"
        )))
        .await?,
        from_row,
    )
}

fn membership_from_row(r: &Row) -> Result<Membership, StoreError> {
    Ok(Membership {
        id: MembershipId(r.int(0)?),
        user_id: UserId(r.int(1)?),
        group_id: GroupId(r.int(2)?),
        default: r.bool(3)?,
        created_at: Timestamp(r.int(4)?),
        updated_at: Timestamp(r.int(5)?),
    })
}

const MEMBERSHIP_COLS: &str = "id, user_id, group_id, is_default, created_at, updated_at";

pub async fn add_member(
    c: &mut Conn<'_>,
    user: UserId,
    group: GroupId,
    default: bool,
    at: Timestamp,
) -> Result<Membership, StoreError> {
    let id = c
        .insert(
            q("INSERT INTO group_memberships (user_id, group_id, is_default, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id")
                .bind(user)
                .bind(group)
                .bind(default)
                .bind(at),
        )
        .await?;
    membership(c, MembershipId(id))
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn membership(
    c: &mut Conn<'_>,
    id: MembershipId,
) -> Result<Option<Membership>, StoreError> {
    c.opt(
        q(format!(
            "SELECT {MEMBERSHIP_COLS} FROM group_memberships WHERE id = $1"
        ))
        .bind(id),
    )
    .await?
    .as_ref()
    .map(membership_from_row)
    .transpose()
}

pub async fn memberships_many(
    c: &mut Conn<'_>,
    ids: &[i64],
) -> Result<Vec<Membership>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut query = q(format!(
        "SELECT {MEMBERSHIP_COLS} FROM group_memberships WHERE id IN ({}) ORDER BY id",
        placeholders(1, ids.len())
    ));
    query.args = ids.iter().map(|&i| Value::Int(i)).collect();
    map_rows(c.all(query).await?, membership_from_row)
}

pub async fn remove_member(c: &mut Conn<'_>, id: MembershipId) -> Result<u64, StoreError> {
    c.exec(q("DELETE FROM group_memberships WHERE id = $1").bind(id))
        .await
}

/// Whether the user belongs to the group (assignment requires it).
pub async fn is_member(c: &mut Conn<'_>, user: UserId, group: GroupId) -> Result<bool, StoreError> {
    Ok(c.scalar(
        q("SELECT COUNT(*) FROM group_memberships WHERE user_id = $1 AND group_id = $2")
            .bind(user)
            .bind(group),
    )
    .await?
        > 0)
}

/// The group an agent's tickets go to when none is given.
pub async fn default_group(c: &mut Conn<'_>, user: UserId) -> Result<Option<GroupId>, StoreError> {
    Ok(c.opt(q("SELECT group_id FROM group_memberships WHERE user_id = $1 ORDER BY is_default DESC, id LIMIT 1").bind(user))
        .await?
        .map(|r| r.int(0).map(GroupId))
        .transpose()?)
}

/// The groups a user belongs to.
pub async fn group_ids_of(c: &mut Conn<'_>, user: UserId) -> Result<Vec<GroupId>, StoreError> {
    let rows = c
        .all(
            q("SELECT group_id FROM group_memberships WHERE user_id = $1 ORDER BY group_id")
                .bind(user),
        )
        .await?;
    rows.iter().map(|r| Ok(GroupId(r.int(0)?))).collect()
}

/// The agents of a group (active members).
pub async fn members(c: &mut Conn<'_>, group: GroupId) -> Result<Vec<UserId>, StoreError> {
    c.all(
        q("SELECT m.user_id FROM group_memberships m JOIN users u ON u.id = m.user_id WHERE m.group_id = $1 AND u.active = $2 ORDER BY m.user_id")
            .bind(group)
            .bind(true),
    )
    .await?
    .iter()
    .map(|r| Ok(UserId(r.int(0)?)))
    .collect()
}
