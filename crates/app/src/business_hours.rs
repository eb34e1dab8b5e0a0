//! Schedules (Zendesk's `business_hours/schedules`): weekly intervals in a
//! time zone, and holidays. SLA targets in business hours and agents'
//! working hours run on them.

use crate::rulebook::{compile_schedule, time_zone};
use crate::{App, AppError, FieldError};
use domain::audit_log::{AdminAction, AdminChange, AdminSource};
use domain::hours::{Schedule, WEEK_MINUTES};
use domain::{Actor, HolidayId, ScheduleId, Timestamp};
use store::repo::schedules::{self, Holiday, ScheduleRow};

/// A schedule as an admin gives it; `None` keeps a value.
#[derive(Debug, Clone, Default)]
pub struct ScheduleInput {
    pub name: Option<String>,
    pub time_zone: Option<String>,
    /// `(start, end)` minutes since Sunday 00:00.
    pub intervals: Option<Vec<(u32, u32)>>,
}

/// Checks a schedule by building it.
fn check(row: &ScheduleRow) -> Result<Schedule, AppError> {
    if row.name.trim().is_empty() {
        return Err(AppError::field(FieldError::blank("name")));
    }
    if time_zone(&row.time_zone).is_none() {
        return Err(AppError::field(FieldError::invalid(
            "time_zone",
            format!("{} is not a time zone (e.g. Europe/Madrid)", row.time_zone),
        )));
    }
    let intervals: Vec<(u32, u32)> = serde_json::from_str(&row.intervals).unwrap_or_default();
    if let Some(bad) = intervals.iter().find(|(s, e)| s >= e || *s >= WEEK_MINUTES) {
        return Err(AppError::field(FieldError::invalid(
            "intervals",
            format!(
                "{}-{}: start_time and end_time are minutes since Sunday 00:00, start before end",
                bad.0, bad.1
            ),
        )));
    }
    compile_schedule(row, &[]).ok_or_else(|| {
        AppError::field(FieldError::invalid(
            "intervals",
            "intervals overlap or run past the week",
        ))
    })
}

/// A holiday's dates checked: ISO dates, end not before start.
/// Refuses a reference (an SLA policy's, an agent's) to a schedule that
/// does not exist; none is fine (calendar hours, always working).
pub(crate) async fn check_schedule(
    c: &mut store::Conn<'_>,
    id: Option<ScheduleId>,
) -> Result<(), AppError> {
    match id {
        Some(id) if schedules::get(c, id).await?.is_none() => Err(AppError::field(
            FieldError::invalid("schedule_id", format!("there is no schedule {id}")),
        )),
        _ => Ok(()),
    }
}

fn check_holiday(h: &Holiday) -> Result<(), AppError> {
    if h.name.trim().is_empty() {
        return Err(AppError::field(FieldError::blank("name")));
    }
    let parse = |s: &str, f: &str| {
        s.parse::<jiff::civil::Date>().map_err(|_| {
            AppError::field(FieldError::invalid(
                f,
                format!("{s} is not a date like 2026-12-25"),
            ))
        })
    };
    if parse(&h.end_date, "end_date")? < parse(&h.start_date, "start_date")? {
        return Err(AppError::field(FieldError::invalid(
            "end_date",
            "is before start_date",
        )));
    }
    Ok(())
}

impl App {
    pub async fn schedules(
        &self,
        actor: Actor,
    ) -> Result<Vec<(ScheduleRow, Vec<Holiday>)>, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        let mut conn = rc.conn();
        let all = schedules::all(&mut conn).await?;
        let holidays = schedules::all_holidays(&mut conn).await?;
        Ok(all
            .into_iter()
            .map(|s| {
                let mine = holidays
                    .iter()
                    .filter(|h| h.schedule_id == s.id)
                    .cloned()
                    .collect();
                (s, mine)
            })
            .collect())
    }

    pub async fn schedule(
        &self,
        actor: Actor,
        id: ScheduleId,
    ) -> Result<(ScheduleRow, Vec<Holiday>), AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        let mut conn = rc.conn();
        let s = schedules::get(&mut conn, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let h = schedules::holidays(&mut conn, id).await?;
        Ok((s, h))
    }

    /// Creates (`id` none) or changes a schedule.
    pub async fn save_schedule(
        &self,
        actor: Actor,
        id: Option<ScheduleId>,
        input: ScheduleInput,
    ) -> Result<ScheduleRow, AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageSchedules)?;
        let now = Timestamp::now();
        let saved = self
            .write(move |c| {
                Box::pin(async move {
                    let mut row = match id {
                        Some(id) => schedules::get(c, id).await?.ok_or(AppError::NotFound)?,
                        None => ScheduleRow {
                            id: ScheduleId(0),
                            name: String::new(),
                            time_zone: "UTC".into(),
                            // Monday to Friday, 9:00 to 17:00.
                            intervals: serde_json::to_string(
                                &(1..=5u32)
                                    .map(|d| (d * 1440 + 540, d * 1440 + 1020))
                                    .collect::<Vec<_>>(),
                            )
                            .unwrap_or_else(|_| "[]".into()),
                            created_at: now,
                            updated_at: now,
                        },
                    };
                    if let Some(n) = input.name {
                        row.name = n.trim().to_string();
                    }
                    if let Some(z) = input.time_zone {
                        row.time_zone = z.trim().to_string();
                    }
                    if let Some(iv) = input.intervals {
                        row.intervals = serde_json::to_string(&iv).unwrap_or_else(|_| "[]".into());
                    }
                    check(&row)?;
                    row.updated_at = now;
                    let action = match id {
                        Some(_) => {
                            schedules::update(c, &row).await?;
                            AdminAction::Update
                        }
                        None => {
                            row.id = schedules::insert(c, &row).await?;
                            AdminAction::Create
                        }
                    };
                    let change =
                        AdminChange::new(action, AdminSource::Schedule, row.id.0, &row.name);
                    crate::audit_log::record(c, &actor, change, now).await?;
                    Ok(row)
                })
            })
            .await?;
        self.rules_changed();
        Ok(saved)
    }

    pub async fn delete_schedule(&self, actor: Actor, id: ScheduleId) -> Result<(), AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageSchedules)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let row = schedules::get(c, id).await?.ok_or(AppError::NotFound)?;
                let change =
                    AdminChange::new(AdminAction::Destroy, AdminSource::Schedule, id.0, &row.name);
                crate::audit_log::record(c, &actor, change, now).await?;
                crate::error::found(schedules::delete(c, id).await?)
            })
        })
        .await?;
        self.rules_changed();
        Ok(())
    }

    /// Adds (`h.id` 0) or changes a holiday of a schedule.
    pub async fn save_holiday(&self, actor: Actor, mut h: Holiday) -> Result<Holiday, AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageSchedules)?;
        check_holiday(&h)?;
        let saved = self
            .write(move |c| {
                Box::pin(async move {
                    schedules::get(c, h.schedule_id)
                        .await?
                        .ok_or(AppError::NotFound)?;
                    if h.id.0 == 0 {
                        h.id = schedules::insert_holiday(c, &h).await?;
                    } else {
                        crate::error::found(schedules::update_holiday(c, &h).await?)?;
                    }
                    Ok(h)
                })
            })
            .await?;
        self.rules_changed();
        Ok(saved)
    }

    pub async fn delete_holiday(
        &self,
        actor: Actor,
        schedule: ScheduleId,
        id: HolidayId,
    ) -> Result<(), AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageSchedules)?;
        self.write(move |c| {
            Box::pin(async move {
                crate::error::found(schedules::delete_holiday(c, schedule, id).await?)
            })
        })
        .await?;
        self.rules_changed();
        Ok(())
    }
}
