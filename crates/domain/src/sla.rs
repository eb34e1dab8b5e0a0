//! SLA targets and ticket metrics, worked out from a ticket's history
//! (public replies by whom, status changes) over a schedule. The same pass
//! gives Zendesk's ticket metrics (first reply time, resolution times, wait
//! times, reopens, replies) in calendar and business minutes. The automatic
//! acknowledgement is outgoing mail, not a comment, so it is never a reply.

use crate::hours::Schedule;
use crate::{Status, Timestamp, word_enum};

word_enum!(
    /// What an SLA target measures (Zendesk's metric names).
    SlaMetric {
        /// Creation to the first public reply by an agent.
        FirstReplyTime = "first_reply_time",
        /// The oldest unanswered customer comment to the next agent reply.
        NextReplyTime = "next_reply_time",
        /// Between public agent updates while the ticket is being worked.
        PeriodicUpdateTime = "periodic_update_time",
        /// Time the customer waits (new, open, on-hold) until solved:
        /// full resolution, paused while pending.
        RequesterWaitTime = "requester_wait_time",
        /// Time in new and open until solved, paused while pending or on hold.
        AgentWorkTime = "agent_work_time",
    }
);

/// One thing that happened to a ticket, for SLA purposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Happening {
    /// The ticket was created (with its first comment, by the requester
    /// unless an agent opened it on someone's behalf).
    Created { by_agent: bool },
    /// A public comment by the customer (or anyone not staff).
    CustomerComment,
    /// A public comment by an agent: a reply.
    AgentReply,
    /// The status became this.
    Status(Status),
}

/// A happening at an instant, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    pub at: Timestamp,
    pub what: Happening,
}

/// One target of a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub metric: SlaMetric,
    pub minutes: i64,
    /// Counted in the schedule's business hours, or around the clock.
    pub business_hours: bool,
}

word_enum!(
    /// A target's stage as shown.
    TargetStage {
        Active = "active",
        Paused = "paused",
        Achieved = "achieved",
        Inactive = "inactive",
    }
);

/// One target of a ticket's SLA as stored after each write and shown on
/// pages and in the API (the stored JSON has these field names).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TargetView {
    pub metric: SlaMetric,
    /// The target, in minutes.
    pub target: i64,
    pub business_hours: bool,
    pub stage: TargetStage,
    /// When an active target runs out (seconds since the epoch).
    pub breach_at: Option<i64>,
    pub breached: bool,
}

impl TargetView {
    /// A target's state as of `now`.
    pub fn of(t: &Target, state: &TargetState, now: Timestamp) -> TargetView {
        let (stage, due, breached) = match state {
            TargetState::Active { due } => {
                (TargetStage::Active, *due, due.is_some_and(|d| d.0 <= now.0))
            }
            TargetState::Paused { .. } => (TargetStage::Paused, None, false),
            TargetState::Done { breached } => (TargetStage::Achieved, None, *breached),
            TargetState::Inactive => (TargetStage::Inactive, None, false),
        };
        TargetView {
            metric: t.metric,
            target: t.minutes,
            business_hours: t.business_hours,
            stage,
            breach_at: due.map(|d| d.0),
            breached,
        }
    }

    /// When it runs out, if it is running.
    pub fn due(&self) -> Option<Timestamp> {
        self.breach_at
            .filter(|_| self.stage == TargetStage::Active)
            .map(Timestamp)
    }
}

/// Where one target stands now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetState {
    /// Running: due at this instant (if ever reachable).
    Active { due: Option<Timestamp> },
    /// Stopped the clock (e.g. pending); this much of the target is used.
    Paused { used_minutes: i64 },
    /// Met or missed; nothing more to measure for now.
    Done { breached: bool },
    /// Does not apply (yet): no reply to wait for, say.
    Inactive,
}

/// A target's state, with what it measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TargetStatus {
    pub target: Target,
    pub state: TargetState,
}

fn elapsed(s: &Schedule, business: bool, a: Timestamp, b: Timestamp) -> i64 {
    if business {
        s.minutes_between(a, b)
    } else {
        (b.0 - a.0).max(0) / 60
    }
}

fn due(s: &Schedule, business: bool, from: Timestamp, minutes: i64) -> Option<Timestamp> {
    if business {
        s.add_minutes(from, minutes)
    } else {
        Some(Timestamp(from.0 + minutes.max(0) * 60))
    }
}

/// Which statuses a pausable metric counts in.
fn counts_in(metric: SlaMetric, st: Status) -> bool {
    match metric {
        SlaMetric::RequesterWaitTime => matches!(st, Status::New | Status::Open | Status::Hold),
        SlaMetric::AgentWorkTime => matches!(st, Status::New | Status::Open),
        _ => false,
    }
}

/// Where a target stands after `events` (in order). An active target's
/// due instant says all there is about time; callers compare it with now.
pub fn evaluate(target: Target, events: &[Event], s: &Schedule) -> TargetState {
    let b = target.business_hours;
    match target.metric {
        SlaMetric::FirstReplyTime => {
            let Some(created) = events
                .iter()
                .find(|e| matches!(e.what, Happening::Created { .. }))
            else {
                return TargetState::Inactive;
            };
            if let Happening::Created { by_agent: true } = created.what {
                return TargetState::Inactive;
            }
            let due_at = due(s, b, created.at, target.minutes);
            for e in events {
                match e.what {
                    Happening::AgentReply => {
                        return TargetState::Done {
                            breached: elapsed(s, b, created.at, e.at) > target.minutes,
                        };
                    }
                    Happening::Status(st) if st.is_done() => {
                        return TargetState::Done {
                            breached: due_at.is_some_and(|d| e.at > d),
                        };
                    }
                    _ => {}
                }
            }
            TargetState::Active { due: due_at }
        }
        SlaMetric::NextReplyTime => {
            let mut replied = false;
            let mut waiting: Option<Timestamp> = None;
            let mut last = TargetState::Inactive;
            for e in events {
                match e.what {
                    Happening::AgentReply => {
                        if let Some(w) = waiting.take() {
                            last = TargetState::Done {
                                breached: elapsed(s, b, w, e.at) > target.minutes,
                            };
                        }
                        replied = true;
                    }
                    Happening::CustomerComment if replied && waiting.is_none() => {
                        waiting = Some(e.at)
                    }
                    Happening::Status(st) if st.is_done() => waiting = None,
                    _ => {}
                }
            }
            match waiting {
                Some(w) => TargetState::Active {
                    due: due(s, b, w, target.minutes),
                },
                None => last,
            }
        }
        SlaMetric::PeriodicUpdateTime => {
            let mut since: Option<Timestamp> = None;
            let mut status = Status::New;
            let mut last = TargetState::Inactive;
            for e in events {
                match e.what {
                    Happening::Created { .. } => since = Some(e.at),
                    Happening::AgentReply => {
                        if let Some(from) = since {
                            last = TargetState::Done {
                                breached: elapsed(s, b, from, e.at) > target.minutes,
                            };
                        }
                        since = Some(e.at);
                    }
                    Happening::Status(st) => status = st,
                    Happening::CustomerComment => {}
                }
            }
            match since {
                Some(from) if !status.is_done() && status != Status::Pending => {
                    TargetState::Active {
                        due: due(s, b, from, target.minutes),
                    }
                }
                _ => last,
            }
        }
        SlaMetric::RequesterWaitTime | SlaMetric::AgentWorkTime => {
            let mut status = Status::New;
            let mut counting_since: Option<Timestamp> = None;
            let mut used = 0i64;
            for e in events {
                let next = match e.what {
                    Happening::Created { .. } => Some(Status::New),
                    Happening::Status(st) => Some(st),
                    _ => None,
                };
                let Some(next) = next else { continue };
                if let Some(from) = counting_since.take() {
                    used += elapsed(s, b, from, e.at);
                }
                if next.is_done() {
                    return TargetState::Done {
                        breached: used > target.minutes,
                    };
                }
                status = next;
                if counts_in(target.metric, status) {
                    counting_since = Some(e.at);
                }
            }
            match counting_since {
                Some(from) => TargetState::Active {
                    due: due(s, b, from, target.minutes - used),
                },
                None if used > 0 || status == Status::Pending || status == Status::Hold => {
                    TargetState::Paused { used_minutes: used }
                }
                None => TargetState::Inactive,
            }
        }
    }
}

/// Every target's state, and the nearest due instant among active ones.
pub fn evaluate_all(
    targets: &[Target],
    events: &[Event],
    s: &Schedule,
) -> (Vec<TargetStatus>, Option<Timestamp>) {
    let states: Vec<TargetStatus> = targets
        .iter()
        .map(|t| TargetStatus {
            target: *t,
            state: evaluate(*t, events, s),
        })
        .collect();
    let next = states
        .iter()
        .filter_map(|t| match t.state {
            TargetState::Active { due } => due,
            _ => None,
        })
        .min();
    (states, next)
}

/// Zendesk's ticket metrics, in (calendar, business) minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Metrics {
    pub reply_time: Option<(i64, i64)>,
    pub first_resolution_time: Option<(i64, i64)>,
    pub full_resolution_time: Option<(i64, i64)>,
    pub agent_wait_time: (i64, i64),
    pub requester_wait_time: (i64, i64),
    pub on_hold_time: (i64, i64),
    pub reopens: u32,
    pub replies: u32,
    pub solved_at: Option<Timestamp>,
    pub initially_assigned_at: Option<Timestamp>,
}

/// The metrics of a ticket's history, up to `now`.
pub fn metrics(events: &[Event], s: &Schedule, now: Timestamp) -> Metrics {
    let mut m = Metrics::default();
    let both = |a: Timestamp, b: Timestamp| ((b.0 - a.0).max(0) / 60, s.minutes_between(a, b));
    let add = |acc: &mut (i64, i64), (c, b): (i64, i64)| {
        acc.0 += c;
        acc.1 += b;
    };
    let Some(created) = events
        .iter()
        .find(|e| matches!(e.what, Happening::Created { .. }))
        .map(|e| e.at)
    else {
        return m;
    };
    let mut status = Status::New;
    let mut since = created;
    let mut was_solved = false;
    for e in events {
        match e.what {
            Happening::AgentReply => {
                m.replies += 1;
                if m.reply_time.is_none() {
                    m.reply_time = Some(both(created, e.at));
                }
            }
            Happening::Status(next) if next != status => {
                let span = both(since, e.at);
                match status {
                    Status::Pending => add(&mut m.agent_wait_time, span),
                    Status::Hold => {
                        add(&mut m.on_hold_time, span);
                        add(&mut m.requester_wait_time, span);
                    }
                    Status::New | Status::Open => add(&mut m.requester_wait_time, span),
                    _ => {}
                }
                if next == Status::Solved {
                    if m.first_resolution_time.is_none() {
                        m.first_resolution_time = Some(both(created, e.at));
                    }
                    m.full_resolution_time = Some(both(created, e.at));
                    m.solved_at = Some(e.at);
                    was_solved = true;
                } else if was_solved && !next.is_done() {
                    m.reopens += 1;
                    m.full_resolution_time = None;
                    m.solved_at = None;
                    was_solved = false;
                }
                status = next;
                since = e.at;
            }
            _ => {}
        }
    }
    // The span still running.
    let span = both(since, now);
    match status {
        Status::Pending => add(&mut m.agent_wait_time, span),
        Status::Hold => {
            add(&mut m.on_hold_time, span);
            add(&mut m.requester_wait_time, span);
        }
        Status::New | Status::Open => add(&mut m.requester_wait_time, span),
        _ => {}
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::tz::TimeZone;

    const H: i64 = 3600;
    /// Monday 7 Dec 2026 08:00 UTC.
    const MON: i64 = 1_796_630_400;

    fn office() -> Schedule {
        let iv = (1..=5u32)
            .map(|d| (d * 1440 + 9 * 60, d * 1440 + 17 * 60))
            .collect();
        Schedule::new(TimeZone::UTC, iv, vec![]).unwrap_or_else(|e| panic!("{e}"))
    }

    fn ev(h: i64, what: Happening) -> Event {
        Event {
            at: Timestamp(MON + h * H),
            what,
        }
    }

    #[test]
    fn monday_is_the_eighth_at_eight() {
        let z = jiff::Timestamp::from_second(MON)
            .unwrap_or_else(|e| panic!("{e}"))
            .to_zoned(TimeZone::UTC);
        assert_eq!((z.weekday(), z.hour()), (jiff::civil::Weekday::Monday, 8));
    }

    #[test]
    fn first_reply_in_business_hours_and_the_ack_does_not_count() {
        let t = Target {
            metric: SlaMetric::FirstReplyTime,
            minutes: 120,
            business_hours: true,
        };
        let created = [ev(0, Happening::Created { by_agent: false })];
        // Created at 08:00 (closed): the 2 business hours run 09:00-11:00.
        assert_eq!(
            evaluate(t, &created, &office()),
            TargetState::Active {
                due: Some(Timestamp(MON + 3 * H))
            }
        );
        let replied = [created[0], ev(2, Happening::AgentReply)];
        assert_eq!(
            evaluate(t, &replied, &office()),
            TargetState::Done { breached: false }
        );
        let late = [created[0], ev(4, Happening::AgentReply)];
        assert_eq!(
            evaluate(t, &late, &office()),
            TargetState::Done { breached: true }
        );
    }

    #[test]
    fn next_reply_waits_for_the_oldest_unanswered_comment() {
        let t = Target {
            metric: SlaMetric::NextReplyTime,
            minutes: 60,
            business_hours: false,
        };
        let s = Schedule::always(TimeZone::UTC);
        let evs = [
            ev(0, Happening::Created { by_agent: false }),
            ev(1, Happening::AgentReply),
            ev(2, Happening::CustomerComment),
            ev(3, Happening::CustomerComment),
        ];
        assert_eq!(
            evaluate(t, &evs, &s),
            TargetState::Active {
                due: Some(Timestamp(MON + 3 * H))
            }
        );
        // No agent reply yet: first reply time's business, not next reply's.
        assert_eq!(evaluate(t, &evs[..1], &s), TargetState::Inactive);
    }

    #[test]
    fn requester_wait_pauses_while_pending() {
        let t = Target {
            metric: SlaMetric::RequesterWaitTime,
            minutes: 300,
            business_hours: false,
        };
        let s = Schedule::always(TimeZone::UTC);
        let evs = [
            ev(0, Happening::Created { by_agent: false }),
            ev(2, Happening::Status(Status::Pending)),
            ev(10, Happening::Status(Status::Open)),
        ];
        // 2 hours used before pending; 3 left from hour 10.
        assert_eq!(
            evaluate(t, &evs, &s),
            TargetState::Active {
                due: Some(Timestamp(MON + 13 * H))
            }
        );
        assert_eq!(
            evaluate(t, &evs[..2], &s),
            TargetState::Paused { used_minutes: 120 }
        );
        let (_, next) = evaluate_all(&[t], &evs, &s);
        assert_eq!(next, Some(Timestamp(MON + 13 * H)));
    }

    #[test]
    fn metrics_count_replies_reopens_and_waits() {
        let s = office();
        let evs = [
            ev(1, Happening::Created { by_agent: false }),
            ev(2, Happening::AgentReply),
            ev(2, Happening::Status(Status::Pending)),
            ev(4, Happening::Status(Status::Solved)),
            ev(5, Happening::Status(Status::Open)),
            ev(6, Happening::AgentReply),
            ev(6, Happening::Status(Status::Solved)),
        ];
        let m = metrics(&evs, &s, Timestamp(MON + 7 * H));
        assert_eq!(m.replies, 2);
        assert_eq!(m.reopens, 1);
        assert_eq!(m.reply_time, Some((60, 60)));
        assert_eq!(m.first_resolution_time, Some((180, 180)));
        assert_eq!(m.full_resolution_time, Some((300, 300)));
        assert_eq!(m.agent_wait_time, (120, 120));
        assert_eq!(m.requester_wait_time, (120, 120));
    }
}
