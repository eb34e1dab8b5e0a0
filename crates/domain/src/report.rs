//! Reports: the facts of one ticket as reports count them, what a viewer
//! filters by, and the arithmetic of every figure (counts, medians, p90,
//! rates). Pure: the store keeps one row of facts per ticket, folded from
//! the event log; `Report::of` computes every figure from the rows of a
//! period, so the same function recomputes them by brute force in tests.
//!
//! Definitions (each figure's tickets):
//! - created: tickets created in the period; by channel (`via`), by day
//!   and by hour of the week in the viewer's time zone;
//! - solved: tickets whose latest solve falls in the period;
//! - backlog at the end of a day: tickets created by then and not solved
//!   by then (by their latest solve);
//! - acknowledgement: minutes from creation to the first message we sent
//!   the customer about it, automatic or not; first reply: to the first
//!   public comment of an agent (automatic messages, the bot and atiende's
//!   own are not agents) — both over tickets created in the period;
//! - resolution (to the latest solve), requester wait (new, open and on
//!   hold) and agent work (new and open) over tickets solved in the
//!   period; calendar and business minutes (the default schedule);
//! - reopen rate: of the tickets solved in the period, those reopened at
//!   least once; one-touch: solved with exactly one agent reply and never
//!   reopened; replies per ticket: agent replies, mean over those solved;
//! - CSAT: good ÷ (good + bad) over the ratings of tickets solved in the
//!   period; CES: mean effort over those; per channel the rating's own.

use crate::{Channel, GroupId, OrgId, Status, TicketId, Timestamp, UserId};
use std::collections::BTreeMap;

/// One ticket's facts: what the figures count, and what only filters
/// and lists read.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketFacts {
    pub ticket: TicketId,
    pub organization: Option<OrgId>,
    pub requester: UserId,
    pub status: Status,
    pub tags: Vec<String>,
    /// What it is about (`crate::trends`); `None` until its text is read.
    pub topic: Option<crate::trends::Topic>,
    /// The request form it was made with.
    pub form: Option<crate::TicketFormId>,
    pub counted: Counted,
}

/// What the figures read of one ticket ([`Report::of`] and [`Slice`]):
/// a period's report reads only this of each row (the store keeps it
/// packed beside its columns, so a quarter's rows read fast).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Counted {
    pub created_at: Timestamp,
    pub channel: Channel,
    pub group: Option<GroupId>,
    pub assignee: Option<UserId>,
    /// The latest solve (none once reopened and not solved again).
    pub solved_at: Option<Timestamp>,
    pub ack_minutes: Option<i64>,
    /// (calendar, business) minutes.
    pub first_reply: Option<(i64, i64)>,
    pub resolution: Option<(i64, i64)>,
    pub requester_wait: (i64, i64),
    pub agent_work: (i64, i64),
    pub reopens: i64,
    pub replies: i64,
    /// Good (true) or bad, and the channel it was asked on.
    pub csat: Option<(bool, Option<Channel>)>,
    pub ces: Option<i64>,
}

impl Counted {
    /// Solved with one agent reply and never reopened.
    pub fn one_touch(&self) -> bool {
        self.solved_at.is_some() && self.replies == 1 && self.reopens == 0
    }
}

/// What a viewer narrows a report to (every filter set must hold; the
/// store applies it as SQL conditions on the facts' columns).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportFilter {
    pub channel: Option<Channel>,
    pub group: Option<GroupId>,
    pub agent: Option<UserId>,
    pub organization: Option<OrgId>,
    pub tag: Option<String>,
    /// Only the tickets about this (frequent problems' drill-down).
    pub topic: Option<crate::trends::Topic>,
    /// Only the tickets made with this request form.
    pub form: Option<crate::TicketFormId>,
}

/// A half-open period `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Timestamp,
    pub to: Timestamp,
}

impl Period {
    pub fn contains(&self, t: Timestamp) -> bool {
        self.from <= t && t < self.to
    }

    /// The period of the same length just before this one.
    pub fn previous(&self) -> Period {
        Period {
            from: Timestamp(self.from.0 - (self.to.0 - self.from.0)),
            to: self.from,
        }
    }
}

/// The median and 90th percentile (nearest rank) of some values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Spread {
    pub count: usize,
    pub median: Option<i64>,
    pub p90: Option<i64>,
}

impl Spread {
    /// The spread of some values, without sorting them all: the value of
    /// each rank is selected (linear time; a quarter's resolution times
    /// are a hundred thousand values).
    pub fn of(mut values: Vec<i64>) -> Spread {
        let count = values.len();
        let mut at = |p: usize| {
            let rank = nearest_rank(count, p)?;
            Some(*values.select_nth_unstable(rank - 1).1)
        };
        // The higher rank first: selecting it leaves everything below it
        // to its left, where the median is selected next.
        let p90 = at(90);
        let median = at(50);
        Spread { count, median, p90 }
    }
}

/// The 1-based nearest rank of percentile `p` among `n` values.
fn nearest_rank(n: usize, p: usize) -> Option<usize> {
    (n > 0).then(|| (p * n).div_ceil(100).max(1))
}

/// The nearest-rank percentile of sorted values.
pub fn percentile(sorted: &[i64], p: usize) -> Option<i64> {
    sorted.get(nearest_rank(sorted.len(), p)? - 1).copied()
}

/// `part` of `whole` in percent, to one decimal; `None` of nothing.
pub fn percent(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

/// A time figure in calendar and business minutes.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Times {
    pub calendar: Spread,
    pub business: Spread,
}

impl Times {
    fn of(values: impl Iterator<Item = (i64, i64)>) -> Times {
        let (c, b): (Vec<i64>, Vec<i64>) = values.unzip();
        Times {
            calendar: Spread::of(c),
            business: Spread::of(b),
        }
    }
}

/// Satisfaction over some ratings.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Satisfaction {
    pub good: usize,
    pub bad: usize,
    /// Effort answers and their mean (one decimal).
    pub ces_answers: usize,
    pub ces_mean: Option<f64>,
}

impl Satisfaction {
    pub fn score(&self) -> Option<f64> {
        percent(self.good, self.good + self.bad)
    }

    fn add(&mut self, f: &Counted) {
        match f.csat {
            Some((true, _)) => self.good += 1,
            Some((false, _)) => self.bad += 1,
            None => {}
        }
    }
}

/// One agent's or group's line.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TeamLine {
    pub solved: usize,
    /// Median agent work (calendar minutes) of what they solved.
    pub handle_minutes: Option<i64>,
    pub satisfaction: Satisfaction,
}

/// Every figure of a period.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    pub created: usize,
    pub solved: usize,
    pub created_by_channel: BTreeMap<Channel, usize>,
    /// Per local day (index from the period's first day): created, solved.
    pub by_day: Vec<(usize, usize)>,
    /// Backlog at the end of each local day.
    pub backlog: Vec<i64>,
    /// Created per (weekday Monday = 0, hour).
    pub heat: [[usize; 24]; 7],
    pub ack: Spread,
    pub first_reply: Times,
    pub resolution: Times,
    pub requester_wait: Times,
    pub agent_work: Times,
    pub reopened: usize,
    pub one_touch: usize,
    pub replies: usize,
    pub satisfaction: Satisfaction,
    pub satisfaction_by_channel: BTreeMap<Channel, Satisfaction>,
    pub by_agent: BTreeMap<UserId, TeamLine>,
    pub by_group: BTreeMap<GroupId, TeamLine>,
}

/// Where a moment falls in the viewer's calendar: the local day's index
/// from the period's first day, the weekday (Monday = 0) and the hour.
pub trait LocalClock {
    fn place(&self, t: Timestamp) -> (usize, usize, usize);
    /// How many local days the period spans.
    fn days(&self) -> usize;
}

impl Report {
    /// Every figure over `rows` (the filtered tickets created or solved in
    /// the period), with `backlog_before` the backlog when it began.
    pub fn of<'a>(
        rows: impl IntoIterator<Item = &'a Counted>,
        period: Period,
        clock: &dyn LocalClock,
        backlog_before: i64,
    ) -> Report {
        let mut r = Report {
            by_day: vec![(0, 0); clock.days()],
            ..Report::default()
        };
        let mut ack = Vec::new();
        let (mut first, mut resolution, mut wait, mut work) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut ces: BTreeMap<Option<Channel>, Vec<i64>> = BTreeMap::new();
        let mut handle: BTreeMap<(bool, i64), Vec<i64>> = BTreeMap::new();
        for f in rows {
            if period.contains(f.created_at) {
                r.created += 1;
                *r.created_by_channel.entry(f.channel).or_default() += 1;
                let (day, weekday, hour) = clock.place(f.created_at);
                if let Some(d) = r.by_day.get_mut(day) {
                    d.0 += 1;
                }
                r.heat[weekday][hour] += 1;
                ack.extend(f.ack_minutes);
                first.extend(f.first_reply);
            }
            let Some(solved_at) = f.solved_at.filter(|s| period.contains(*s)) else {
                continue;
            };
            r.solved += 1;
            if let Some(d) = r.by_day.get_mut(clock.place(solved_at).0) {
                d.1 += 1;
            }
            resolution.extend(f.resolution);
            wait.push(f.requester_wait);
            work.push(f.agent_work);
            r.reopened += usize::from(f.reopens > 0);
            r.one_touch += usize::from(f.one_touch());
            r.replies += f.replies.max(0) as usize;
            r.satisfaction.add(f);
            if let Some((_, asked_on)) = f.csat {
                r.satisfaction_by_channel
                    .entry(asked_on.unwrap_or(f.channel))
                    .or_default()
                    .add(f);
            }
            if let Some(e) = f.ces {
                ces.entry(None).or_default().push(e);
                let on = f.csat.and_then(|(_, c)| c).unwrap_or(f.channel);
                ces.entry(Some(on)).or_default().push(e);
            }
            let lines = [
                f.assignee.map(|a| (false, a.0)),
                f.group.map(|g| (true, g.0)),
            ];
            for key in lines.into_iter().flatten() {
                handle.entry(key).or_default().push(f.agent_work.0);
                let line = if key.0 {
                    r.by_group.entry(GroupId(key.1)).or_default()
                } else {
                    r.by_agent.entry(UserId(key.1)).or_default()
                };
                line.solved += 1;
                line.satisfaction.add(f);
            }
        }
        r.ack = Spread::of(ack);
        r.first_reply = Times::of(first.into_iter());
        r.resolution = Times::of(resolution.into_iter());
        r.requester_wait = Times::of(wait.into_iter());
        r.agent_work = Times::of(work.into_iter());
        for (on, values) in ces {
            let mean = mean(&values);
            let s = match on {
                None => &mut r.satisfaction,
                Some(c) => r.satisfaction_by_channel.entry(c).or_default(),
            };
            s.ces_answers = values.len();
            s.ces_mean = mean;
        }
        for ((is_group, id), values) in handle {
            let median = Spread::of(values).median;
            let line = if is_group {
                r.by_group.get_mut(&GroupId(id))
            } else {
                r.by_agent.get_mut(&UserId(id))
            };
            if let Some(line) = line {
                line.handle_minutes = median;
            }
        }
        // The backlog moves with each day's created and solved.
        let mut backlog = backlog_before;
        r.backlog = r
            .by_day
            .iter()
            .map(|(created, solved)| {
                backlog += *created as i64 - *solved as i64;
                backlog
            })
            .collect();
        r
    }

    pub fn reopen_rate(&self) -> Option<f64> {
        percent(self.reopened, self.solved)
    }

    pub fn one_touch_rate(&self) -> Option<f64> {
        percent(self.one_touch, self.solved)
    }

    /// Agent replies per solved ticket (one decimal).
    pub fn replies_per_ticket(&self) -> Option<f64> {
        (self.solved > 0).then(|| (self.replies as f64 * 10.0 / self.solved as f64).round() / 10.0)
    }
}

/// The tickets behind one figure (a report's drill-down), as its address
/// names them: `created`, `solved`, `created_day:3`, `solved_day:3`,
/// `channel:email`, `heat:0:9` (Monday, 09h), `agent:7`, `group:2`,
/// `reopened`, `one_touch`, `csat:good`, `csat:bad`, `goodwill`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slice {
    Created,
    Solved,
    CreatedOn(usize),
    SolvedOn(usize),
    Channel(Channel),
    Heat(usize, usize),
    Agent(UserId),
    Group(GroupId),
    Reopened,
    OneTouch,
    Rated(bool),
    /// The tickets of the period's goodwill gestures: not a fact of the
    /// ticket, so the store lists them from the gestures
    /// (`store::repo::goodwill::tickets`) and [`Slice::holds`] never does.
    Goodwill,
}

impl Slice {
    pub fn parse(raw: &str) -> Option<Slice> {
        let mut parts = raw.split(':');
        let head = parts.next()?;
        let mut num = || parts.next().and_then(|p| p.parse::<i64>().ok());
        Some(match head {
            "created" => Slice::Created,
            "solved" => Slice::Solved,
            "created_day" => Slice::CreatedOn(usize::try_from(num()?).ok()?),
            "solved_day" => Slice::SolvedOn(usize::try_from(num()?).ok()?),
            "channel" => Slice::Channel(raw.strip_prefix("channel:")?.parse().ok()?),
            "heat" => {
                let (w, h) = (num()?, num()?);
                if !(0..7).contains(&w) || !(0..24).contains(&h) {
                    return None;
                }
                Slice::Heat(w as usize, h as usize)
            }
            "agent" => Slice::Agent(UserId(num()?)),
            "group" => Slice::Group(GroupId(num()?)),
            "reopened" => Slice::Reopened,
            "one_touch" => Slice::OneTouch,
            "goodwill" => Slice::Goodwill,
            "csat" => match raw.strip_prefix("csat:")? {
                "good" => Slice::Rated(true),
                "bad" => Slice::Rated(false),
                _ => return None,
            },
            _ => return None,
        })
    }

    /// Its address form (what [`Slice::parse`] reads).
    pub fn word(&self) -> String {
        match self {
            Slice::Created => "created".into(),
            Slice::Solved => "solved".into(),
            Slice::CreatedOn(d) => format!("created_day:{d}"),
            Slice::SolvedOn(d) => format!("solved_day:{d}"),
            Slice::Channel(c) => format!("channel:{}", c.as_str()),
            Slice::Heat(w, h) => format!("heat:{w}:{h}"),
            Slice::Agent(a) => format!("agent:{}", a.0),
            Slice::Group(g) => format!("group:{}", g.0),
            Slice::Reopened => "reopened".into(),
            Slice::OneTouch => "one_touch".into(),
            Slice::Goodwill => "goodwill".into(),
            Slice::Rated(good) => format!("csat:{}", if *good { "good" } else { "bad" }),
        }
    }

    /// Whether a ticket is behind the figure: counted by it exactly as
    /// [`Report::of`] counts.
    pub fn holds(&self, f: &Counted, period: Period, clock: &dyn LocalClock) -> bool {
        let created = period.contains(f.created_at);
        let solved = f.solved_at.filter(|s| period.contains(*s));
        match *self {
            Slice::Created => created,
            Slice::Solved => solved.is_some(),
            Slice::CreatedOn(d) => created && clock.place(f.created_at).0 == d,
            Slice::SolvedOn(d) => solved.is_some_and(|s| clock.place(s).0 == d),
            Slice::Channel(c) => created && f.channel == c,
            Slice::Heat(w, h) => {
                let (_, weekday, hour) = clock.place(f.created_at);
                created && weekday == w && hour == h
            }
            Slice::Agent(a) => solved.is_some() && f.assignee == Some(a),
            Slice::Group(g) => solved.is_some() && f.group == Some(g),
            Slice::Reopened => solved.is_some() && f.reopens > 0,
            Slice::OneTouch => solved.is_some() && f.one_touch(),
            Slice::Rated(good) => solved.is_some() && f.csat.is_some_and(|(g, _)| g == good),
            Slice::Goodwill => false,
        }
    }
}

/// The mean of some values, to one decimal.
pub fn mean(values: &[i64]) -> Option<f64> {
    (!values.is_empty()).then(|| {
        let sum: i64 = values.iter().sum();
        (sum as f64 * 10.0 / values.len() as f64).round() / 10.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_read_back_what_they_write() {
        for s in [
            Slice::Created,
            Slice::SolvedOn(4),
            Slice::Channel(Channel::WhatsApp),
            Slice::Heat(6, 23),
            Slice::Agent(UserId(7)),
            Slice::Rated(false),
        ] {
            assert_eq!(Slice::parse(&s.word()), Some(s));
        }
        assert_eq!(Slice::parse("heat:7:0"), None);
        assert_eq!(Slice::parse("nonsense"), None);
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let v: Vec<i64> = (1..=10).collect();
        assert_eq!(percentile(&v, 50), Some(5));
        assert_eq!(percentile(&v, 90), Some(9));
        assert_eq!(percentile(&[7], 90), Some(7));
        assert_eq!(percentile(&[], 50), None);
        // Selected as the sorted list would give them, in any order.
        let mixed = vec![9, 1, 8, 2, 7, 3, 10, 4, 6, 5, 5];
        let mut sorted = mixed.clone();
        sorted.sort_unstable();
        let s = Spread::of(mixed);
        assert_eq!(
            (s.count, s.median, s.p90),
            (11, percentile(&sorted, 50), percentile(&sorted, 90))
        );
        assert_eq!(Spread::of(vec![]), Spread::default());
        assert_eq!(percent(1, 3), Some(33.3));
        assert_eq!(mean(&[1, 2]), Some(1.5));
    }
}
