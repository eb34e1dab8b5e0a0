//! Help-center user segments.

use super::map_rows;
use crate::{Conn, Row, StoreError, q};
use domain::segment::{SegmentUserType, UserSegment};
use domain::{GroupId, OrgId, Timestamp, UserSegmentId};

const COLS: &str = "id, name, user_type, organization_ids, group_ids, tags, or_tags, built_in, created_at, updated_at";

fn list(raw: &str) -> impl Iterator<Item = &str> {
    raw.split(',').filter(|s| !s.is_empty())
}

fn ids<T>(raw: &str, f: fn(i64) -> T) -> Result<Vec<T>, StoreError> {
    list(raw)
        .map(|s| {
            s.parse()
                .map(f)
                .map_err(|_| StoreError::Decode(format!("a segment list holds {s:?}")))
        })
        .collect()
}

fn joined<T: std::fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn segment(r: &Row) -> Result<UserSegment, StoreError> {
    Ok(UserSegment {
        id: UserSegmentId(r.int(0)?),
        name: r.text(1)?,
        user_type: r
            .text(2)?
            .parse::<SegmentUserType>()
            .map_err(|e| StoreError::Decode(e.to_string()))?,
        organization_ids: ids(&r.text(3)?, OrgId)?,
        group_ids: ids(&r.text(4)?, GroupId)?,
        tags: list(&r.text(5)?).map(str::to_string).collect(),
        or_tags: list(&r.text(6)?).map(str::to_string).collect(),
        built_in: r.bool(7)?,
        created_at: Timestamp(r.int(8)?),
        updated_at: Timestamp(r.int(9)?),
    })
}

fn values(query: crate::Query, x: &UserSegment) -> crate::Query {
    query
        .bind(&x.name)
        .bind(x.user_type.as_str())
        .bind(joined(&x.organization_ids))
        .bind(joined(&x.group_ids))
        .bind(x.tags.join(","))
        .bind(x.or_tags.join(","))
        .bind(x.updated_at)
}

pub async fn insert(c: &mut Conn<'_>, x: &UserSegment) -> Result<UserSegmentId, StoreError> {
    let sql = "INSERT INTO hc_user_segments (name, user_type, organization_ids, group_ids, tags, or_tags, updated_at, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
    c.insert(values(q(sql), x).bind(x.created_at))
        .await
        .map(UserSegmentId)
}

/// Changes a segment that is not built in.
pub async fn update(c: &mut Conn<'_>, x: &UserSegment) -> Result<u64, StoreError> {
    let sql = "UPDATE hc_user_segments SET name = $1, user_type = $2, organization_ids = $3, group_ids = $4, tags = $5, \
               or_tags = $6, updated_at = $7 WHERE id = $8 AND built_in = FALSE";
    c.exec(values(q(sql), x).bind(x.id)).await
}

/// Removes a segment that is not built in.
pub async fn delete(c: &mut Conn<'_>, id: UserSegmentId) -> Result<u64, StoreError> {
    c.exec(q("DELETE FROM hc_user_segments WHERE id = $1 AND built_in = FALSE").bind(id))
        .await
}

/// Every segment, built-in first (there are few: a help center has tens).
pub async fn all(c: &mut Conn<'_>) -> Result<Vec<UserSegment>, StoreError> {
    map_rows(
        c.all(q(format!(
            "SELECT {COLS} FROM hc_user_segments ORDER BY built_in DESC, id"
        )))
        .await?,
        segment,
    )
}

pub async fn by_id(c: &mut Conn<'_>, id: UserSegmentId) -> Result<Option<UserSegment>, StoreError> {
    Ok(map_rows(
        c.all(q(format!("SELECT {COLS} FROM hc_user_segments WHERE id = $1")).bind(id))
            .await?,
        segment,
    )?
    .pop())
}

/// How many articles (archived ones too) a segment restricts.
pub async fn articles_in(c: &mut Conn<'_>, id: UserSegmentId) -> Result<i64, StoreError> {
    c.scalar(q("SELECT COUNT(*) FROM hc_articles WHERE user_segment_id = $1").bind(id))
        .await
}
