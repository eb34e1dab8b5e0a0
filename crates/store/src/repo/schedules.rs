//! Business-hours schedules and their holidays, as stored (intervals as
//! JSON; the app turns them into a `domain::hours::Schedule`).

use super::map_rows;
use crate::{Conn, Row, StoreError, q};
pub use domain::model::schedules::{Holiday, ScheduleRow};
use domain::{HolidayId, ScheduleId, Timestamp};

const COLS: &str = "id, name, time_zone, intervals, created_at, updated_at";

fn from_row(r: &Row) -> Result<ScheduleRow, StoreError> {
    Ok(ScheduleRow {
        id: ScheduleId(r.int(0)?),
        name: r.text(1)?,
        time_zone: r.text(2)?,
        intervals: r.text(3)?,
        created_at: Timestamp(r.int(4)?),
        updated_at: Timestamp(r.int(5)?),
    })
}

fn holiday_from_row(r: &Row) -> Result<Holiday, StoreError> {
    Ok(Holiday {
        id: HolidayId(r.int(0)?),
        schedule_id: ScheduleId(r.int(1)?),
        name: r.text(2)?,
        start_date: r.text(3)?,
        end_date: r.text(4)?,
    })
}

pub async fn insert(c: &mut Conn<'_>, s: &ScheduleRow) -> Result<ScheduleId, StoreError> {
    c.insert(
        q("INSERT INTO schedules (name, time_zone, intervals, created_at, updated_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
            .bind(s.name.as_str())
            .bind(s.time_zone.as_str())
            .bind(s.intervals.as_str())
            .bind(s.created_at)
            .bind(s.updated_at),
    )
    .await
    .map(ScheduleId)
}

pub async fn update(c: &mut Conn<'_>, s: &ScheduleRow) -> Result<u64, StoreError> {
    c.exec(
        q("UPDATE schedules SET name = $2, time_zone = $3, intervals = $4, updated_at = $5 WHERE id = $1")
            .bind(s.id)
            .bind(s.name.as_str())
            .bind(s.time_zone.as_str())
            .bind(s.intervals.as_str())
            .bind(s.updated_at),
    )
    .await
}

pub async fn delete(c: &mut Conn<'_>, id: ScheduleId) -> Result<u64, StoreError> {
    c.exec(q("DELETE FROM holidays WHERE schedule_id = $1").bind(id))
        .await?;
    c.exec(q("DELETE FROM schedules WHERE id = $1").bind(id))
        .await
}

pub async fn get(c: &mut Conn<'_>, id: ScheduleId) -> Result<Option<ScheduleRow>, StoreError> {
    c.opt(q(format!("SELECT {COLS} FROM schedules WHERE id = $1")).bind(id))
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

pub async fn all(c: &mut Conn<'_>) -> Result<Vec<ScheduleRow>, StoreError> {
    map_rows(
        c.all(q(format!("SELECT {COLS} FROM schedules ORDER BY id")))
            .await?,
        from_row,
    )
}

pub async fn holidays(c: &mut Conn<'_>, schedule: ScheduleId) -> Result<Vec<Holiday>, StoreError> {
    map_rows(
        c.all(
            q("SELECT id, schedule_id, name, start_date, end_date FROM holidays WHERE schedule_id = $1 ORDER BY start_date, id")
                .bind(schedule),
        )
        .await?,
        holiday_from_row,
    )
}

/// Every holiday of every schedule (for loading them all at once).
pub async fn all_holidays(c: &mut Conn<'_>) -> Result<Vec<Holiday>, StoreError> {
    map_rows(
        c.all(q("SELECT id, schedule_id, name, start_date, end_date FROM holidays ORDER BY schedule_id, start_date, id"))
            .await?,
        holiday_from_row,
    )
}

pub async fn insert_holiday(c: &mut Conn<'_>, h: &Holiday) -> Result<HolidayId, StoreError> {
    c.insert(
        q("INSERT INTO holidays (schedule_id, name, start_date, end_date) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(h.schedule_id)
            .bind(h.name.as_str())
            .bind(h.start_date.as_str())
            .bind(h.end_date.as_str()),
    )
    .await
    .map(HolidayId)
}

pub async fn update_holiday(c: &mut Conn<'_>, h: &Holiday) -> Result<u64, StoreError> {
    c.exec(
        q("UPDATE holidays SET name = $3, start_date = $4, end_date = $5 WHERE id = $1 AND schedule_id = $2")
            .bind(h.id)
            .bind(h.schedule_id)
            .bind(h.name.as_str())
            .bind(h.start_date.as_str())
            .bind(h.end_date.as_str()),
    )
    .await
}

pub async fn delete_holiday(
    c: &mut Conn<'_>,
    schedule: ScheduleId,
    id: HolidayId,
) -> Result<u64, StoreError> {
    c.exec(
        q("DELETE FROM holidays WHERE id = $1 AND schedule_id = $2")
            .bind(id)
            .bind(schedule),
    )
    .await
}
