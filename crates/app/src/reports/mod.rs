//! Reports: the figures of a period for the team (`domain::report` says
//! what each one counts), from the report facts the fold keeps
//! ([`fold`]), in the viewer's time zone, beside the same figures for
//! the period before; and the tickets behind any figure (drill-down).

pub mod fold;
pub(crate) mod topics;
pub mod weekly;

use crate::{App, AppError};
use domain::policy::Capability;
use domain::report::{LocalClock, Period, Report, ReportFilter, Slice};
use domain::{Actor, TicketId, Timestamp};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use store::repo::reports;

/// The longest period a report covers (a year and a day).
pub const MAX_DAYS: i64 = 366;

/// What the viewer asks for: local days `first..=last` in `zone`, and
/// the filters.
#[derive(Debug, Clone)]
pub struct ReportAsk {
    pub first: Date,
    pub last: Date,
    pub zone: TimeZone,
    pub filter: ReportFilter,
}

/// The viewer's calendar over a period.
pub struct Clock {
    zone: TimeZone,
    first: Date,
    days: usize,
    /// The last UTC hour placed and the zone's offset all through it, in
    /// seconds: rows come in time order, so most share their hour, and an
    /// offset lookup costs more than the arithmetic.
    hour_offset: std::cell::Cell<Option<(i64, i64)>>,
    /// Days from 1970-01-01 to `first`.
    first_days: i64,
}

/// Days from 1970-01-01 (a Thursday) to `d`.
fn epoch_days(d: Date) -> i64 {
    (d - Date::constant(1970, 1, 1)).get_days().into()
}

impl Clock {
    fn new(zone: TimeZone, first: Date, days: usize) -> Clock {
        Clock {
            zone,
            first,
            days,
            hour_offset: std::cell::Cell::new(None),
            first_days: epoch_days(first),
        }
    }

    /// The zone's offset at `t` (seconds east of UTC), from the memo when
    /// `t` is in the hour last looked up and the offset holds all through
    /// it; `None` when `t` is out of range.
    fn offset_at(&self, t: i64) -> Option<i64> {
        let hour = t.div_euclid(3600);
        if let Some((h, off)) = self.hour_offset.get()
            && h == hour
        {
            return Some(off);
        }
        let at = |s: i64| {
            jiff::Timestamp::from_second(s)
                .ok()
                .map(|ts| i64::from(self.zone.to_offset(ts).seconds()))
        };
        let off = at(t)?;
        if at(hour * 3600) == Some(off) && at(hour * 3600 + 3599) == Some(off) {
            self.hour_offset.set(Some((hour, off)));
        }
        Some(off)
    }

    /// The start of a local day, as an instant.
    fn start_of(&self, d: Date) -> Timestamp {
        Timestamp(
            d.to_zoned(self.zone.clone())
                .map(|z| z.timestamp().as_second())
                .unwrap_or(0),
        )
    }

    /// The same number of days just before (the comparison's calendar).
    fn previous(&self) -> Clock {
        Clock::new(
            self.zone.clone(),
            self.first
                .checked_sub(jiff::Span::new().days(self.days as i64))
                .unwrap_or(self.first),
            self.days,
        )
    }

    /// The local date of day `i` of the period.
    pub fn date(&self, i: usize) -> Date {
        self.first
            .checked_add(jiff::Span::new().days(i as i64))
            .unwrap_or(self.first)
    }
}

impl LocalClock for Clock {
    fn place(&self, t: Timestamp) -> (usize, usize, usize) {
        let Some(offset) = self.offset_at(t.0) else {
            return (usize::MAX, 0, 0);
        };
        let local = t.0 + offset;
        let days = local.div_euclid(86_400);
        let day = (days - self.first_days).try_into().unwrap_or(usize::MAX);
        // 1970-01-01 was a Thursday: 3 days after a Monday.
        let weekday = (days + 3).rem_euclid(7) as usize;
        let hour = (local.rem_euclid(86_400) / 3600) as usize;
        (day, weekday, hour)
    }

    fn days(&self) -> usize {
        self.days
    }
}

/// The recommendation survey's answers of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NpsFigures {
    pub promoters: usize,
    pub passives: usize,
    pub detractors: usize,
    /// % promoters − % detractors; `None` without answers.
    pub score: Option<i64>,
}

impl NpsFigures {
    fn of(scores: &[i64]) -> NpsFigures {
        use domain::survey::NpsGroup;
        let count = |g| scores.iter().filter(|s| NpsGroup::of(**s) == g).count();
        NpsFigures {
            promoters: count(NpsGroup::Promoter),
            passives: count(NpsGroup::Passive),
            detractors: count(NpsGroup::Detractor),
            score: domain::survey::net_promoter_score(scores),
        }
    }
}

/// A report with the period before for comparison.
#[derive(Debug, Clone)]
pub struct ReportView {
    pub period: Period,
    pub current: Report,
    pub previous: Report,
    /// NPS answered in each period (a relationship survey: no ticket, so
    /// no ticket filter applies).
    pub nps: (NpsFigures, NpsFigures),
    /// The local date of each day of the period.
    pub days: Vec<Date>,
}

impl ReportAsk {
    /// The period and its clock; refused when the days are backwards or
    /// span more than [`MAX_DAYS`].
    pub fn clock(&self) -> Result<(Period, Clock), AppError> {
        let days = (self.last - self.first).get_days() as i64 + 1;
        if !(1..=MAX_DAYS).contains(&days) {
            return Err(AppError::field(crate::FieldError::invalid(
                "period",
                format!("must be 1 to {MAX_DAYS} days, the first before the last"),
            )));
        }
        let clock = Clock::new(self.zone.clone(), self.first, days as usize);
        let after = self
            .last
            .checked_add(jiff::Span::new().days(1))
            .unwrap_or(self.last);
        let period = Period {
            from: clock.start_of(self.first),
            to: clock.start_of(after),
        };
        Ok((period, clock))
    }
}

impl App {
    /// The figures of the asked period and of the one before it (staff who
    /// see every ticket: reports count them all).
    pub async fn report(&self, actor: Actor, ask: &ReportAsk) -> Result<ReportView, AppError> {
        crate::error::require(&actor, Capability::ReadReports)?;
        let (period, clock) = ask.clock()?;
        let previous_period = period.previous();
        let days = (0..clock.days).map(|i| clock.date(i)).collect();
        let before_clock = clock.previous();
        // The two periods at once: each reads and counts on its own thread.
        let (current, previous) = tokio::try_join!(
            report_in(&self.db, period, clock, &ask.filter),
            report_in(&self.db, previous_period, before_clock, &ask.filter),
        )?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let nps_now = store::repo::surveys::nps_scores(c, (period.from, period.to)).await?;
        let nps_before =
            store::repo::surveys::nps_scores(c, (previous_period.from, previous_period.to)).await?;
        Ok(ReportView {
            period,
            current,
            previous,
            nps: (NpsFigures::of(&nps_now), NpsFigures::of(&nps_before)),
            days,
        })
    }

    /// The tickets behind a figure, newest first, at most `limit`; and how
    /// many there are.
    pub async fn report_tickets(
        &self,
        actor: Actor,
        ask: &ReportAsk,
        slice: Slice,
        limit: usize,
    ) -> Result<(Vec<TicketId>, usize), AppError> {
        crate::error::require(&actor, Capability::ReadReports)?;
        let (period, clock) = ask.clock()?;
        if slice == Slice::Goodwill {
            let mut rc = self.read().await?;
            let mut picked =
                store::repo::goodwill::tickets(&mut rc.conn(), period, &ask.filter).await?;
            let total = picked.len();
            picked.truncate(limit);
            return Ok((picked, total));
        }
        let rows = reports::touching(&self.db, period, &ask.filter).await?;
        let mut picked: Vec<TicketId> = rows
            .iter()
            .filter(|(_, n)| slice.holds(n, period, &clock))
            .map(|(ticket, _)| *ticket)
            .collect();
        picked.sort_by_key(|t| std::cmp::Reverse(*t));
        let total = picked.len();
        picked.truncate(limit);
        Ok((picked, total))
    }

    /// The report address the agent last looked at (its query), if any.
    pub async fn saved_report_query(&self, actor: Actor) -> Result<Option<String>, AppError> {
        let mut rc = self.read().await?;
        Ok(store::repo::settings::get(&mut rc.conn(), &saved_key(actor)).await?)
    }

    /// Keeps the agent's report query for their next visit (written only
    /// when it changed).
    pub async fn save_report_query(&self, actor: Actor, query: String) -> Result<(), AppError> {
        crate::error::require(&actor, Capability::ReadReports)?;
        if self.saved_report_query(actor).await?.as_deref() == Some(query.as_str()) {
            return Ok(());
        }
        let key = saved_key(actor);
        self.write(move |c| {
            Box::pin(async move { Ok(store::repo::settings::set(c, &key, &query).await?) })
        })
        .await
    }
}

/// The figures of one period from its facts (and the backlog it began
/// with), counted off the async threads (a quarter is a hundred thousand
/// rows).
async fn report_in(
    db: &store::Db,
    period: Period,
    clock: Clock,
    filter: &ReportFilter,
) -> Result<Report, AppError> {
    let rows = reports::touching(db, period, filter).await?;
    let before = {
        let mut rc = db.read().await?;
        reports::backlog_at(&mut rc.conn(), period.from, filter).await?
    };
    tokio::task::spawn_blocking(move || {
        Report::of(rows.iter().map(|(_, n)| n), period, &clock, before)
    })
    .await
    .map_err(|e| AppError::Unavailable(format!("counting a report: {e}")))
}

/// Where an agent's report query is kept.
fn saved_key(actor: Actor) -> String {
    format!("reports.query.{}", actor.user.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The memo and the arithmetic place every instant as jiff does,
    /// across a daylight-saving change and in a half-hour zone.
    #[test]
    fn place_agrees_with_the_zone_everywhere() {
        for zone in ["Europe/Madrid", "Asia/Kolkata", "America/Santiago", "UTC"] {
            let tz = TimeZone::get(zone).unwrap_or(TimeZone::UTC);
            let first = Date::constant(2026, 3, 20);
            let clock = Clock::new(tz.clone(), first, 30);
            let start = first
                .to_zoned(tz.clone())
                .map(|z| z.timestamp().as_second())
                .unwrap_or(0);
            for t in (start - 7200..start + 40 * 86_400).step_by(599) {
                let z = jiff::Timestamp::from_second(t)
                    .unwrap_or_default()
                    .to_zoned(tz.clone());
                let day = (z.date() - first).get_days();
                let expected = (
                    usize::try_from(day).unwrap_or(usize::MAX),
                    z.weekday().to_monday_zero_offset() as usize,
                    z.hour() as usize,
                );
                assert_eq!(clock.place(Timestamp(t)), expected, "{zone} at {t}");
            }
        }
    }
}
