//! Job statuses that clients poll after bulk requests.

use crate::model::JobStatus;
use crate::{Conn, Row, StoreError, q};
use domain::Timestamp;

const COLS: &str =
    "id, kind, status, total, progress, message, results, created_at, updated_at, owner_id";

fn from_row(r: &Row) -> Result<JobStatus, StoreError> {
    Ok(JobStatus {
        id: r.text(0)?,
        kind: r.text(1)?,
        status: r.word(2)?,
        total: r.int(3)?,
        progress: r.int(4)?,
        message: r.opt_text(5)?,
        results: r.text(6)?,
        created_at: Timestamp(r.int(7)?),
        updated_at: Timestamp(r.int(8)?),
        owner_id: r.opt_int(9)?.map(domain::UserId),
    })
}

pub async fn upsert(c: &mut Conn<'_>, j: &JobStatus) -> Result<(), StoreError> {
    c.exec(q("DELETE FROM job_statuses WHERE id = $1").bind(&j.id))
        .await?;
    c.exec(
        q("INSERT INTO job_statuses (id, kind, status, total, progress, message, results, created_at, updated_at, owner_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
            .bind(&j.id)
            .bind(&j.kind)
            .bind(j.status)
            .bind(j.total)
            .bind(j.progress)
            .bind(j.message.clone())
            .bind(&j.results)
            .bind(j.created_at)
            .bind(j.updated_at)
            .bind(j.owner_id),
    )
    .await?;
    Ok(())
}

pub async fn get(c: &mut Conn<'_>, id: &str) -> Result<Option<JobStatus>, StoreError> {
    c.opt(q(format!("SELECT {COLS} FROM job_statuses WHERE id = $1")).bind(id))
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}
