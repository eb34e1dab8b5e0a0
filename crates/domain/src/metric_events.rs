//! Zendesk's ticket metric events (`incremental/ticket_metric_events`):
//! when each of a ticket's clocks started, paused and was fulfilled,
//! replayed from the same history the SLA targets are worked out from
//! (creation, public replies by whom, status changes).

use crate::sla::{Event, Happening};
use crate::{Status, Timestamp, word_enum};

word_enum!(
    /// The clocks Zendesk reports metric events for.
    MetricClock {
        /// Time in new and open until solved (paused while pending or on hold).
        AgentWorkTime = "agent_work_time",
        /// Between agent updates, paused while pending.
        PausableUpdateTime = "pausable_update_time",
        /// Between agent updates.
        PeriodicUpdateTime = "periodic_update_time",
        /// A customer's comment to the agent's public reply; each wait is
        /// an instance (the first is the first reply time).
        ReplyTime = "reply_time",
        /// Time the customer waits until solved (paused while pending).
        RequesterWaitTime = "requester_wait_time",
        /// Creation to solved.
        ResolutionTime = "resolution_time",
    }
);

word_enum!(
    /// What happened to a clock.
    MetricEventKind {
        Activate = "activate",
        Pause = "pause",
        Fulfill = "fulfill",
    }
);

/// One metric event, tied to the happening that caused it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetricEvent {
    /// Index into the happenings given to [`metric_events`].
    pub cause: usize,
    pub clock: MetricClock,
    /// Which wait of that clock (reply time and the update clocks start a
    /// new one after each fulfilment; the others keep the first).
    pub instance: i64,
    pub kind: MetricEventKind,
    pub at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Run {
    Idle,
    Running,
    Paused,
    Done,
}

/// One clock's state while the history is replayed.
#[derive(Debug, Clone, Copy)]
struct Clock {
    name: MetricClock,
    run: Run,
    instance: i64,
}

impl Clock {
    fn new(name: MetricClock) -> Clock {
        Clock {
            name,
            run: Run::Idle,
            instance: 0,
        }
    }

    /// Starts a new wait (or resumes a paused one).
    fn activate(&mut self, out: &mut Out) {
        match self.run {
            Run::Running => return,
            Run::Paused => {}
            Run::Idle | Run::Done => self.instance += 1,
        }
        self.run = Run::Running;
        out.push(self, MetricEventKind::Activate);
    }

    /// Resumes a paused wait, or reopens one that was fulfilled, under
    /// the same instance (the resolution-type clocks).
    fn resume(&mut self, out: &mut Out) {
        if matches!(self.run, Run::Paused | Run::Done) {
            self.run = Run::Running;
            out.push(self, MetricEventKind::Activate);
        }
    }

    fn pause(&mut self, out: &mut Out) {
        if self.run == Run::Running {
            self.run = Run::Paused;
            out.push(self, MetricEventKind::Pause);
        }
    }

    fn fulfil(&mut self, out: &mut Out) {
        if matches!(self.run, Run::Running | Run::Paused) {
            self.run = Run::Done;
            out.push(self, MetricEventKind::Fulfill);
        }
    }
}

/// Where events go, stamped with the happening being replayed.
struct Out {
    cause: usize,
    at: Timestamp,
    events: Vec<MetricEvent>,
}

impl Out {
    fn push(&mut self, clock: &Clock, kind: MetricEventKind) {
        self.events.push(MetricEvent {
            cause: self.cause,
            clock: clock.name,
            instance: clock.instance,
            kind,
            at: self.at,
        });
    }
}

/// The metric events of one ticket's history, in order.
pub fn metric_events(history: &[Event]) -> Vec<MetricEvent> {
    use MetricClock as C;
    let mut reply = Clock::new(C::ReplyTime);
    let mut periodic = Clock::new(C::PeriodicUpdateTime);
    let mut pausable = Clock::new(C::PausableUpdateTime);
    let mut wait = Clock::new(C::RequesterWaitTime);
    let mut work = Clock::new(C::AgentWorkTime);
    let mut resolution = Clock::new(C::ResolutionTime);
    let mut status = Status::New;
    let mut out = Out {
        cause: 0,
        at: Timestamp(0),
        events: Vec::new(),
    };
    for (i, e) in history.iter().enumerate() {
        out.cause = i;
        out.at = e.at;
        match e.what {
            Happening::Created { by_agent } => {
                // A ticket an agent opens for someone waits for no reply.
                if !by_agent {
                    reply.activate(&mut out);
                }
                for c in [&mut periodic, &mut pausable, &mut wait, &mut work] {
                    c.activate(&mut out);
                }
                resolution.activate(&mut out);
            }
            Happening::CustomerComment => {
                if !matches!(status, Status::Solved | Status::Closed) {
                    reply.activate(&mut out);
                }
            }
            Happening::AgentReply => {
                reply.fulfil(&mut out);
                for c in [&mut periodic, &mut pausable] {
                    let was_paused = c.run == Run::Paused;
                    c.fulfil(&mut out);
                    if !matches!(status, Status::Solved | Status::Closed) && !was_paused {
                        c.activate(&mut out);
                    }
                }
            }
            Happening::Status(to) => {
                let was_finished = matches!(status, Status::Solved | Status::Closed);
                status = to;
                match to {
                    Status::New | Status::Open => {
                        if was_finished {
                            // Reopened: the customer waits again.
                            for c in [&mut wait, &mut work, &mut resolution] {
                                c.resume(&mut out);
                            }
                            for c in [&mut periodic, &mut pausable] {
                                c.activate(&mut out);
                            }
                        } else {
                            for c in [&mut wait, &mut work] {
                                c.resume(&mut out);
                            }
                            pausable.resume(&mut out);
                        }
                    }
                    Status::Pending => {
                        for c in [&mut wait, &mut work, &mut pausable] {
                            c.pause(&mut out);
                        }
                    }
                    Status::Hold => {
                        work.pause(&mut out);
                        wait.resume(&mut out);
                        pausable.resume(&mut out);
                    }
                    Status::Solved | Status::Closed => {
                        if !was_finished {
                            for c in [
                                &mut reply,
                                &mut periodic,
                                &mut pausable,
                                &mut wait,
                                &mut work,
                                &mut resolution,
                            ] {
                                c.fulfil(&mut out);
                            }
                        }
                    }
                }
            }
        }
    }
    out.events
}

#[cfg(test)]
mod tests {
    use super::*;
    use MetricClock as C;
    use MetricEventKind as K;

    fn at(t: i64, what: Happening) -> Event {
        Event {
            at: Timestamp(t),
            what,
        }
    }

    fn of(events: &[MetricEvent], clock: MetricClock) -> Vec<(i64, MetricEventKind, i64)> {
        events
            .iter()
            .filter(|e| e.clock == clock)
            .map(|e| (e.at.0, e.kind, e.instance))
            .collect()
    }

    #[test]
    fn a_customer_ticket_answered_waited_on_and_solved() {
        let history = [
            at(0, Happening::Created { by_agent: false }),
            at(60, Happening::AgentReply),
            at(61, Happening::Status(Status::Pending)),
            at(200, Happening::CustomerComment),
            at(201, Happening::Status(Status::Open)),
            at(300, Happening::AgentReply),
            at(301, Happening::Status(Status::Solved)),
        ];
        let events = metric_events(&history);
        assert_eq!(
            of(&events, C::ReplyTime),
            [
                (0, K::Activate, 1),
                (60, K::Fulfill, 1),
                (200, K::Activate, 2),
                (300, K::Fulfill, 2)
            ]
        );
        assert_eq!(
            of(&events, C::AgentWorkTime),
            [
                (0, K::Activate, 1),
                (61, K::Pause, 1),
                (201, K::Activate, 1),
                (301, K::Fulfill, 1)
            ]
        );
        assert_eq!(
            of(&events, C::ResolutionTime),
            [(0, K::Activate, 1), (301, K::Fulfill, 1)]
        );
        // Every event points at the happening that caused it.
        assert!(events.iter().all(|e| history[e.cause].at == e.at));
    }

    #[test]
    fn a_ticket_an_agent_opens_waits_for_no_reply_until_the_customer_writes() {
        let history = [
            at(0, Happening::Created { by_agent: true }),
            at(50, Happening::CustomerComment),
            at(90, Happening::AgentReply),
        ];
        let events = metric_events(&history);
        assert_eq!(
            of(&events, C::ReplyTime),
            [(50, K::Activate, 1), (90, K::Fulfill, 1)]
        );
    }

    #[test]
    fn reopening_resumes_resolution_under_the_same_instance() {
        let history = [
            at(0, Happening::Created { by_agent: false }),
            at(10, Happening::Status(Status::Solved)),
            at(20, Happening::Status(Status::Open)),
            at(30, Happening::Status(Status::Solved)),
            at(40, Happening::Status(Status::Closed)),
        ];
        let events = metric_events(&history);
        assert_eq!(
            of(&events, C::ResolutionTime),
            [
                (0, K::Activate, 1),
                (10, K::Fulfill, 1),
                (20, K::Activate, 1),
                (30, K::Fulfill, 1)
            ]
        );
        assert_eq!(
            of(&events, C::PeriodicUpdateTime).last(),
            Some(&(30, K::Fulfill, 2))
        );
    }
}
