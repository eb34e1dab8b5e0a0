//! Business hours: a weekly schedule in a time zone (split shifts, overnight
//! shifts), with holidays, and the arithmetic SLAs need: is it open now,
//! when will N business minutes have passed, and how many business minutes
//! lie between two instants. Everything is worked out on the schedule's
//! local calendar and converted to instants through its time zone, so DST
//! changes shorten or lengthen a day exactly as the clock on the wall does.

use crate::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

/// Minutes in a week; weekly intervals are minutes since Sunday 00:00, as
/// Zendesk's schedules API gives them.
pub const WEEK_MINUTES: u32 = 7 * 24 * 60;
const DAY_MINUTES: u32 = 24 * 60;
/// How far ahead arithmetic looks before deciding a target is never reached
/// (a schedule that is closed for good, or holidays all year).
const HORIZON_DAYS: i32 = 800;

/// A schedule that cannot be: intervals outside the week, or backwards.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error(
        "interval {0}-{1}: times are minutes since Sunday 00:00, from 0 to 10080, start before end"
    )]
    BadInterval(u32, u32),
    #[error("intervals {0}-{1} and {2}-{3} overlap")]
    Overlap(u32, u32, u32, u32),
    #[error("holiday from {0} to {1} ends before it starts")]
    BadHoliday(Date, Date),
}

/// Weekly opening hours in a time zone, and the dates it is closed.
#[derive(Debug, Clone)]
pub struct Schedule {
    tz: TimeZone,
    /// Sorted, non-overlapping `[start, end)` in week minutes; an interval
    /// may run past Saturday midnight into the next week (end up to
    /// 10080 + 1440) for a Saturday night shift.
    intervals: Vec<(u32, u32)>,
    /// Inclusive date ranges, on the schedule's own calendar.
    holidays: Vec<(Date, Date)>,
}

impl Schedule {
    /// Checks and builds a schedule. An interval ending past the week's end
    /// (a Saturday night shift to Sunday morning) is allowed up to a day.
    pub fn new(
        tz: TimeZone,
        mut intervals: Vec<(u32, u32)>,
        holidays: Vec<(Date, Date)>,
    ) -> Result<Schedule, ScheduleError> {
        for &(s, e) in &intervals {
            if s >= e || s >= WEEK_MINUTES || e > WEEK_MINUTES + DAY_MINUTES {
                return Err(ScheduleError::BadInterval(s, e));
            }
        }
        intervals.sort_unstable();
        for w in intervals.windows(2) {
            if w[1].0 < w[0].1 {
                return Err(ScheduleError::Overlap(w[0].0, w[0].1, w[1].0, w[1].1));
            }
        }
        if let (Some(first), Some(last)) = (intervals.first(), intervals.last())
            && last.1 > WEEK_MINUTES
            && last.1 - WEEK_MINUTES > first.0
        {
            return Err(ScheduleError::Overlap(last.0, last.1, first.0, first.1));
        }
        for &(a, b) in &holidays {
            if b < a {
                return Err(ScheduleError::BadHoliday(a, b));
            }
        }
        Ok(Schedule {
            tz,
            intervals,
            holidays,
        })
    }

    /// Open all week, every minute (what "calendar hours" means).
    pub fn always(tz: TimeZone) -> Schedule {
        Schedule {
            tz,
            intervals: vec![(0, WEEK_MINUTES)],
            holidays: vec![],
        }
    }

    fn is_holiday(&self, d: Date) -> bool {
        self.holidays.iter().any(|&(a, b)| a <= d && d <= b)
    }

    /// The open windows that begin on local date `d`, as instants (seconds).
    /// A window that runs past midnight belongs to the day it starts on,
    /// and is cut where a holiday begins.
    fn windows_starting_on(&self, d: Date) -> Vec<(i64, i64)> {
        if self.is_holiday(d) {
            return vec![];
        }
        let weekday = u32::from(d.weekday().to_sunday_zero_offset().unsigned_abs());
        let day_start = weekday * DAY_MINUTES;
        let day_end = day_start + DAY_MINUTES;
        let mut out = Vec::new();
        // The intervals that start on this weekday; one may end tomorrow.
        for &(s, e) in self
            .intervals
            .iter()
            .filter(|(s, _)| (day_start..day_end).contains(s))
        {
            let start = self.instant(d, s - day_start);
            // Cut where a holiday begins after the start day.
            let mut end_minutes = e - day_start;
            let mut day = d;
            let mut covered = DAY_MINUTES;
            while end_minutes > covered {
                let Ok(next) = day.tomorrow() else { break };
                day = next;
                if self.is_holiday(day) {
                    end_minutes = covered;
                    break;
                }
                covered += DAY_MINUTES;
            }
            let end = self.instant(d, end_minutes);
            if let (Some(a), Some(b)) = (start, end)
                && a < b
            {
                out.push((a, b));
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The instant `minutes` after local midnight of `d` (a gap skipped
    /// forward, a repeated hour taken the first time, as clocks do).
    fn instant(&self, d: Date, minutes: u32) -> Option<i64> {
        let days = i64::from(minutes / DAY_MINUTES);
        let rest = minutes % DAY_MINUTES;
        let date = d.checked_add(jiff::Span::new().days(days)).ok()?;
        let dt: DateTime = date.at((rest / 60) as i8, (rest % 60) as i8, 0, 0);
        dt.to_zoned(self.tz.clone())
            .ok()
            .map(|z| z.timestamp().as_second())
    }

    fn local_date(&self, t: Timestamp) -> Option<Date> {
        jiff::Timestamp::from_second(t.0)
            .ok()
            .map(|ts| ts.to_zoned(self.tz.clone()).date())
    }

    /// How many days before a date a window still open on it may have
    /// begun: one for an overnight shift, a week for "always open" (one
    /// window from Sunday 00:00 to the next).
    fn lookback_days(&self) -> i64 {
        self.intervals
            .iter()
            .map(|&(s, e)| i64::from((e - s).div_ceil(DAY_MINUTES)))
            .max()
            .unwrap_or(1)
            .max(1)
    }

    /// Windows (as instants) that overlap `[from, …)`, in order, starting
    /// with those that began on the days before and are still open.
    fn windows_from(&self, from: Timestamp) -> impl Iterator<Item = (i64, i64)> + '_ {
        let back = self.lookback_days();
        let first = self
            .local_date(from)
            .and_then(|d| d.checked_sub(jiff::Span::new().days(back)).ok());
        let mut day = first;
        let mut n = 0;
        std::iter::from_fn(move || {
            if n > HORIZON_DAYS {
                return None;
            }
            let d = day?;
            n += 1;
            day = d.tomorrow().ok();
            Some(self.windows_starting_on(d))
        })
        .flatten()
        .filter(move |&(_, e)| e > from.0)
    }

    /// The time zone its hours are in.
    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    /// When it is next open: `t` itself when open then; `None` if it never
    /// opens within the horizon.
    pub fn next_open(&self, t: Timestamp) -> Option<Timestamp> {
        self.windows_from(t)
            .find(|&(_, e)| e > t.0)
            .map(|(s, _)| Timestamp(s.max(t.0)))
    }

    /// Whether the schedule is open at `t`.
    pub fn is_open(&self, t: Timestamp) -> bool {
        self.windows_from(Timestamp(t.0))
            .take_while(|&(s, _)| s <= t.0)
            .any(|(s, e)| s <= t.0 && t.0 < e)
    }

    /// The instant when `minutes` of open time have passed after `from`;
    /// `None` if that never happens within the horizon.
    pub fn add_minutes(&self, from: Timestamp, minutes: i64) -> Option<Timestamp> {
        let mut left = minutes.max(0) * 60;
        if left == 0 {
            return Some(from);
        }
        for (s, e) in self.windows_from(from) {
            let s = s.max(from.0);
            let len = e - s;
            if left <= len {
                return Some(Timestamp(s + left));
            }
            left -= len;
        }
        None
    }

    /// Whole open minutes between two instants (0 if `b <= a`).
    pub fn minutes_between(&self, a: Timestamp, b: Timestamp) -> i64 {
        if b.0 <= a.0 {
            return 0;
        }
        let mut secs = 0;
        for (s, e) in self.windows_from(a) {
            if s >= b.0 {
                break;
            }
            secs += e.min(b.0) - s.max(a.0);
        }
        secs / 60
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn madrid() -> TimeZone {
        TimeZone::posix("CET-1CEST,M3.5.0,M10.5.0/3").unwrap_or(TimeZone::UTC)
    }

    fn at(tz: &TimeZone, y: i16, m: i8, d: i8, h: i8, min: i8) -> Timestamp {
        let z = jiff::civil::date(y, m, d)
            .at(h, min, 0, 0)
            .to_zoned(tz.clone())
            .unwrap_or_else(|e| panic!("{e}"));
        Timestamp(z.timestamp().as_second())
    }

    /// Monday to Friday 9:00-14:00 and 15:00-18:00 (a split shift).
    fn office(tz: TimeZone) -> Schedule {
        let mut iv = vec![];
        for day in 1..=5u32 {
            iv.push((day * 1440 + 9 * 60, day * 1440 + 14 * 60));
            iv.push((day * 1440 + 15 * 60, day * 1440 + 18 * 60));
        }
        Schedule::new(tz, iv, vec![]).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn always_open_is_open_every_day_of_the_week() {
        let s = Schedule::always(TimeZone::UTC);
        for day in 6..=13 {
            for (h, m) in [(0, 0), (0, 5), (12, 0), (23, 59)] {
                let t = at(&TimeZone::UTC, 2026, 12, day, h, m);
                assert!(s.is_open(t), "12-{day} {h}:{m}");
                assert_eq!(s.next_open(t), Some(t));
                assert_eq!(s.add_minutes(t, 90), Some(Timestamp(t.0 + 5400)));
            }
        }
        let (a, b) = (
            at(&TimeZone::UTC, 2026, 12, 8, 0, 5),
            at(&TimeZone::UTC, 2026, 12, 11, 0, 5),
        );
        assert_eq!(s.minutes_between(a, b), 3 * 1440);
    }

    #[test]
    fn split_shifts_and_weekends() {
        let tz = madrid();
        let s = office(tz.clone());
        // Tue 1 Dec 2026 13:30 + 60 business minutes: 30 before lunch, 30 after.
        assert_eq!(
            s.add_minutes(at(&tz, 2026, 12, 1, 13, 30), 60),
            Some(at(&tz, 2026, 12, 1, 15, 30))
        );
        // Friday 17:00 + 120 min: 60 on Friday, 60 on Monday.
        assert_eq!(
            s.add_minutes(at(&tz, 2026, 12, 4, 17, 0), 120),
            Some(at(&tz, 2026, 12, 7, 10, 0))
        );
        assert!(!s.is_open(at(&tz, 2026, 12, 5, 10, 0)));
        assert!(s.is_open(at(&tz, 2026, 12, 7, 9, 0)));
        assert!(!s.is_open(at(&tz, 2026, 12, 7, 14, 30)));
        assert_eq!(
            s.minutes_between(at(&tz, 2026, 12, 4, 17, 0), at(&tz, 2026, 12, 7, 10, 0)),
            120
        );
    }

    #[test]
    fn the_next_opening() {
        let tz = madrid();
        let s = office(tz.clone());
        let open = at(&tz, 2026, 12, 1, 10, 0);
        assert_eq!(s.next_open(open), Some(open), "open now");
        assert_eq!(
            s.next_open(at(&tz, 2026, 12, 1, 14, 10)),
            Some(at(&tz, 2026, 12, 1, 15, 0)),
            "after lunch"
        );
        assert_eq!(
            s.next_open(at(&tz, 2026, 12, 4, 18, 0)),
            Some(at(&tz, 2026, 12, 7, 9, 0)),
            "Friday evening: Monday"
        );
        let never = Schedule::new(tz, vec![], vec![]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(never.next_open(open), None);
    }

    #[test]
    fn overnight_shifts_including_saturday_night() {
        let tz = TimeZone::UTC;
        // Every night 22:00-06:00, Saturday's running into Sunday.
        let iv: Vec<(u32, u32)> = (0..7u32)
            .map(|d| (d * 1440 + 22 * 60, d * 1440 + 30 * 60))
            .collect();
        let s = Schedule::new(tz.clone(), iv, vec![]).unwrap_or_else(|e| panic!("{e}"));
        // Saturday 5 Dec 2026 23:00 + 180 min → Sunday 02:00.
        assert_eq!(
            s.add_minutes(at(&tz, 2026, 12, 5, 23, 0), 180),
            Some(at(&tz, 2026, 12, 6, 2, 0))
        );
        assert!(s.is_open(at(&tz, 2026, 12, 6, 5, 59)));
        assert!(!s.is_open(at(&tz, 2026, 12, 6, 6, 0)));
        // Sunday 05:00 + 120 → 60 to 06:00, then from 22:00.
        assert_eq!(
            s.add_minutes(at(&tz, 2026, 12, 6, 5, 0), 120),
            Some(at(&tz, 2026, 12, 6, 23, 0))
        );
    }

    #[test]
    fn holidays_close_the_whole_day() {
        let tz = madrid();
        let christmas = jiff::civil::date(2026, 12, 25);
        let mut s = office(tz.clone());
        s.holidays.push((christmas, christmas));
        // Thursday 24 Dec 17:00 + 120: 60 on Thursday, Friday is a holiday, 60 on Monday.
        assert_eq!(
            s.add_minutes(at(&tz, 2026, 12, 24, 17, 0), 120),
            Some(at(&tz, 2026, 12, 28, 10, 0))
        );
        assert!(!s.is_open(at(&tz, 2026, 12, 25, 10, 0)));
    }

    #[test]
    fn dst_days_count_the_hours_that_exist() {
        let tz = madrid();
        // Open every day 00:00-24:00 local: on 29 Mar 2026 (spring forward)
        // the day has 23 hours, on 25 Oct 2026 (fall back) 25.
        let iv: Vec<(u32, u32)> = (0..7u32).map(|d| (d * 1440, (d + 1) * 1440)).collect();
        let s = Schedule::new(tz.clone(), iv, vec![]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            s.minutes_between(at(&tz, 2026, 3, 29, 0, 0), at(&tz, 2026, 3, 30, 0, 0)),
            23 * 60
        );
        assert_eq!(
            s.minutes_between(at(&tz, 2026, 10, 25, 0, 0), at(&tz, 2026, 10, 26, 0, 0)),
            25 * 60
        );
        // 9:00-17:00 on the spring-forward Sunday is still 8 business hours.
        let sunday = Schedule::new(tz.clone(), vec![(9 * 60, 17 * 60)], vec![])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            sunday.minutes_between(at(&tz, 2026, 3, 29, 0, 0), at(&tz, 2026, 3, 30, 0, 0)),
            8 * 60
        );
        // An interval through the missing hour (01:00-04:00) is two real hours.
        let night =
            Schedule::new(tz.clone(), vec![(60, 240)], vec![]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            night.minutes_between(at(&tz, 2026, 3, 29, 0, 0), at(&tz, 2026, 3, 30, 0, 0)),
            120
        );
    }

    #[test]
    fn bad_schedules_are_refused_and_closed_ones_never_reach() {
        assert!(Schedule::new(TimeZone::UTC, vec![(600, 500)], vec![]).is_err());
        assert!(Schedule::new(TimeZone::UTC, vec![(0, 600), (500, 700)], vec![]).is_err());
        assert!(Schedule::new(TimeZone::UTC, vec![(10_000, 11_600)], vec![]).is_err());
        let closed = Schedule::new(TimeZone::UTC, vec![], vec![]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(closed.add_minutes(Timestamp(1_800_000_000), 1), None);
    }

    fn any_schedule() -> impl Strategy<Value = Schedule> {
        // Up to 3 shifts a day on random days, some overnight.
        proptest::collection::vec((0u32..7, 0u32..1440, 1u32..900), 0..10).prop_map(|raw| {
            let mut iv: Vec<(u32, u32)> = raw
                .into_iter()
                .map(|(d, s, len)| (d * 1440 + s, d * 1440 + s + len))
                .collect();
            iv.sort_unstable();
            let mut clean: Vec<(u32, u32)> = Vec::new();
            for (s, e) in iv {
                if clean.last().is_some_and(|l| s < l.1) || e > WEEK_MINUTES {
                    continue;
                }
                clean.push((s, e));
            }
            Schedule::new(
                TimeZone::posix("CET-1CEST,M3.5.0,M10.5.0/3").unwrap_or(TimeZone::UTC),
                clean,
                vec![],
            )
            .unwrap_or_else(|_| Schedule::always(TimeZone::UTC))
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// Adding N business minutes then measuring gives N back, and the
        /// target is never earlier than the start, across DST dates.
        #[test]
        fn adding_and_measuring_agree(s in any_schedule(), start in 1_774_000_000i64..1_800_000_000, n in 0i64..5000) {
            let from = Timestamp(start);
            if let Some(due) = s.add_minutes(from, n) {
                prop_assert!(due.0 >= from.0);
                prop_assert_eq!(s.minutes_between(from, due), n);
            }
        }

        /// Business time between two instants is never more than calendar time.
        #[test]
        fn business_time_fits_in_calendar_time(s in any_schedule(), a in 1_774_000_000i64..1_800_000_000, len in 0i64..2_000_000) {
            let (a, b) = (Timestamp(a), Timestamp(a + len));
            prop_assert!(s.minutes_between(a, b) <= len / 60 + 1);
        }
    }
}
