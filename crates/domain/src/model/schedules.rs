//! Records of schedules as stored and as every crate reads them.

use crate::{HolidayId, ScheduleId, Timestamp};

/// A schedule row.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleRow {
    pub id: ScheduleId,
    pub name: String,
    pub time_zone: String,
    /// JSON `[[start, end], ...]`, minutes since Sunday 00:00.
    pub intervals: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A holiday: closed from `start_date` to `end_date` (ISO dates, inclusive).
#[derive(Debug, Clone, PartialEq)]
pub struct Holiday {
    pub id: HolidayId,
    pub schedule_id: ScheduleId,
    pub name: String,
    pub start_date: String,
    pub end_date: String,
}
