//! Call metrics, computed from the calls themselves: answered, abandoned,
//! voicemails, callbacks asked for and made, speed of answer, queue wait,
//! talk and wrap-up time, overall and per agent (Zendesk Talk's account
//! overview and agents' activity). Pure: the caller reads the calls and
//! the legs that rang agents' phones in the period.
//!
//! Definitions, so every figure can be recomputed by hand:
//! - speed of answer: from when the caller started waiting (entering the
//!   queue; the start of the call where there was no queue) to the answer;
//! - queue wait: from entering the queue to the answer or the hang-up;
//! - talk time: an answered call's length;
//! - wrap-up time: the configured wrap-up after each answered call, cut
//!   short by the agent's next answered call or by now;
//! - a callback made is an outbound call answering a callback request.

use crate::calls::{Call, CallDirection, CallOutcome};
use crate::voice::LegEnd;
use crate::{Timestamp, UserId};
use std::collections::BTreeMap;

/// One ring of an agent's phone and how it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leg {
    pub agent: UserId,
    pub ended: Option<LegEnd>,
}

/// Totals over every call of the period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overview {
    pub total_calls: i64,
    pub inbound: i64,
    pub outbound: i64,
    pub answered: i64,
    pub abandoned: i64,
    pub missed: i64,
    pub voicemails: i64,
    pub callbacks_requested: i64,
    pub callbacks_made: i64,
    pub outside_business_hours: i64,
    pub exceeded_queue_wait: i64,
    pub total_call_duration: i64,
    pub average_call_duration: i64,
    pub average_time_to_answer: i64,
    pub average_queue_wait: i64,
    pub max_queue_wait: i64,
    /// The most callers waiting at once.
    pub max_calls_waiting: i64,
    pub total_talk_time: i64,
    pub total_wrap_up_time: i64,
    pub average_wrap_up_time: i64,
}

/// One agent's calls in the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentCalls {
    pub agent: UserId,
    /// Calls they took (inbound answered, outbound made and answered).
    pub accepted: i64,
    /// Rings they let go unanswered.
    pub missed: i64,
    /// Rings refused (busy) or that could not reach them.
    pub denied: i64,
    pub callbacks_made: i64,
    pub total_talk_time: i64,
    pub average_talk_time: i64,
    pub total_wrap_up_time: i64,
    pub average_wrap_up_time: i64,
    pub total_call_duration: i64,
}

impl AgentCalls {
    /// An agent with no calls yet.
    pub fn none(agent: UserId) -> AgentCalls {
        AgentCalls {
            agent,
            accepted: 0,
            missed: 0,
            denied: 0,
            callbacks_made: 0,
            total_talk_time: 0,
            average_talk_time: 0,
            total_wrap_up_time: 0,
            average_wrap_up_time: 0,
            total_call_duration: 0,
        }
    }
}

fn average(total: i64, n: i64) -> i64 {
    if n == 0 { 0 } else { total / n }
}

/// Each answered call's wrap-up, by call id.
fn wrap_ups(calls: &[Call], wrap_up_secs: i64, now: Timestamp) -> BTreeMap<i64, i64> {
    let mut by_agent: BTreeMap<i64, Vec<&Call>> = BTreeMap::new();
    for k in calls
        .iter()
        .filter(|k| k.outcome == Some(CallOutcome::Answered))
    {
        if let Some(a) = k.agent {
            by_agent.entry(a.0).or_default().push(k);
        }
    }
    let mut out = BTreeMap::new();
    for list in by_agent.values_mut() {
        list.sort_by_key(|k| k.answered_at.unwrap_or(k.started_at).0);
        for (i, k) in list.iter().enumerate() {
            let Some(end) = k.ended_at else { continue };
            let next = list
                .get(i + 1)
                .and_then(|n| n.answered_at)
                .map_or(now.0, |t| t.0.min(now.0));
            out.insert(k.id.0, wrap_up_secs.min((next - end.0).max(0)).max(0));
        }
    }
    out
}

/// When a caller started waiting for an agent.
fn waiting_since(k: &Call) -> Timestamp {
    k.line
        .as_ref()
        .and_then(|l| l.queued_at)
        .unwrap_or(k.started_at)
}

/// The overview of `calls`; `closed(k)` says whether a call came outside
/// business hours, `queue_timeout(k)` the line's longest wait for it.
pub fn overview(
    calls: &[Call],
    wrap_up_secs: i64,
    now: Timestamp,
    closed: impl Fn(&Call) -> bool,
    queue_timeout: impl Fn(&Call) -> Option<i64>,
) -> Overview {
    let mut o = Overview {
        total_calls: calls.len() as i64,
        ..Default::default()
    };
    let (mut answer_total, mut answer_n) = (0, 0);
    let (mut wait_total, mut wait_n) = (0, 0);
    let mut waits: Vec<(i64, i64)> = Vec::new();
    for k in calls {
        match k.direction {
            CallDirection::Inbound => o.inbound += 1,
            CallDirection::Outbound => o.outbound += 1,
        }
        match k.outcome {
            Some(CallOutcome::Answered) => o.answered += 1,
            Some(CallOutcome::Abandoned) => o.abandoned += 1,
            Some(CallOutcome::Missed) => o.missed += 1,
            Some(CallOutcome::Voicemail) => o.voicemails += 1,
            Some(CallOutcome::Callback) => o.callbacks_requested += 1,
            None => {}
        }
        if k.direction == CallDirection::Outbound
            && k.callback_of.is_some()
            && k.outcome == Some(CallOutcome::Answered)
        {
            o.callbacks_made += 1;
        }
        if k.direction == CallDirection::Inbound && closed(k) {
            o.outside_business_hours += 1;
        }
        let length = k.duration_secs.unwrap_or(0).max(0);
        o.total_call_duration += length;
        if k.outcome == Some(CallOutcome::Answered) {
            o.total_talk_time += length;
        }
        if k.direction != CallDirection::Inbound {
            continue;
        }
        let since = waiting_since(k);
        if let Some(a) = k.answered_at {
            answer_total += (a.0 - since.0).max(0);
            answer_n += 1;
        }
        if let Some(q) = k.line.as_ref().and_then(|l| l.queued_at) {
            let left = k.answered_at.or(k.ended_at).unwrap_or(now);
            let wait = (left.0 - q.0).max(0);
            wait_total += wait;
            wait_n += 1;
            o.max_queue_wait = o.max_queue_wait.max(wait);
            if queue_timeout(k).is_some_and(|t| wait >= t) {
                o.exceeded_queue_wait += 1;
            }
            waits.push((q.0, left.0));
        }
    }
    let wraps = wrap_ups(calls, wrap_up_secs, now);
    o.total_wrap_up_time = wraps.values().sum();
    o.average_wrap_up_time = average(o.total_wrap_up_time, wraps.len() as i64);
    o.average_call_duration = average(o.total_call_duration, o.total_calls);
    o.average_time_to_answer = average(answer_total, answer_n);
    o.average_queue_wait = average(wait_total, wait_n);
    // The most waiting at once: a sweep over entries and exits (an exit
    // at the same second as an entry goes first).
    let mut edges: Vec<(i64, i64)> = waits
        .iter()
        .flat_map(|(a, b)| [(*a, 1), (*b, -1)])
        .collect();
    edges.sort();
    let mut waiting = 0;
    for (_, d) in edges {
        waiting += d;
        o.max_calls_waiting = o.max_calls_waiting.max(waiting);
    }
    o
}

/// Each agent's calls, for the agents in `agents` (every agent who has
/// one, in id order).
pub fn per_agent(
    calls: &[Call],
    legs: &[Leg],
    wrap_up_secs: i64,
    now: Timestamp,
    agents: &[UserId],
) -> Vec<AgentCalls> {
    let wraps = wrap_ups(calls, wrap_up_secs, now);
    let mut out: BTreeMap<i64, AgentCalls> =
        agents.iter().map(|a| (a.0, AgentCalls::none(*a))).collect();
    for k in calls {
        let Some(a) = k.agent else { continue };
        let Some(row) = out.get_mut(&a.0) else {
            continue;
        };
        let length = k.duration_secs.unwrap_or(0).max(0);
        row.total_call_duration += length;
        if k.outcome == Some(CallOutcome::Answered) {
            row.accepted += 1;
            row.total_talk_time += length;
            row.total_wrap_up_time += wraps.get(&k.id.0).copied().unwrap_or(0);
            if k.direction == CallDirection::Outbound && k.callback_of.is_some() {
                row.callbacks_made += 1;
            }
        }
    }
    for l in legs {
        let Some(row) = out.get_mut(&l.agent.0) else {
            continue;
        };
        match l.ended {
            Some(LegEnd::NoAnswer) => row.missed += 1,
            Some(LegEnd::Busy | LegEnd::Failed) => row.denied += 1,
            _ => {}
        }
    }
    out.into_values()
        .map(|mut r| {
            r.average_talk_time = average(r.total_talk_time, r.accepted);
            r.average_wrap_up_time = average(r.total_wrap_up_time, r.accepted);
            r
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CallId;
    use crate::calls::LineCall;
    use crate::voice::CallStage;

    fn call(id: i64, started: i64) -> Call {
        let mut k = Call::first_heard(
            ("twilio".into(), format!("CA{id}")),
            CallDirection::Inbound,
            ("+34600000001".into(), "+15005550006".into()),
            Timestamp(started),
        );
        k.id = CallId(id);
        k
    }

    fn queued(mut k: Call, at: i64) -> Call {
        k.line = Some(LineCall {
            line: crate::VoiceLineId(1),
            stage: CallStage::Over,
            language: None,
            menu_choice: None,
            queued_at: Some(Timestamp(at)),
        });
        k
    }

    #[test]
    fn figures_recompute_by_hand() {
        let ana = UserId(7);
        // Answered after 30 s in the queue, 120 s of talk, ended at 170.
        let mut a = queued(call(1, 0), 20);
        a.agent = Some(ana);
        a.answered_at = Some(Timestamp(50));
        a.ended_at = Some(Timestamp(170));
        a.duration_secs = Some(120);
        a.outcome = Some(CallOutcome::Answered);
        // Abandoned after 60 s in the queue, alongside the first.
        let mut b = queued(call(2, 10), 30);
        b.ended_at = Some(Timestamp(90));
        b.duration_secs = Some(80);
        b.outcome = Some(CallOutcome::Abandoned);
        // Ana's next call, answered 10 s after her first ended: its
        // wrap-up is cut to 10 s.
        let mut c = queued(call(3, 175), 175);
        c.agent = Some(ana);
        c.answered_at = Some(Timestamp(180));
        c.ended_at = Some(Timestamp(240));
        c.duration_secs = Some(60);
        c.outcome = Some(CallOutcome::Answered);
        // A callback Ana made.
        let mut d = call(4, 300);
        d.direction = CallDirection::Outbound;
        d.agent = Some(ana);
        d.callback_of = Some(CallId(2));
        d.answered_at = Some(Timestamp(310));
        d.ended_at = Some(Timestamp(400));
        d.duration_secs = Some(90);
        d.outcome = Some(CallOutcome::Answered);
        let calls = vec![a, b, c, d];
        let o = overview(&calls, 30, Timestamp(1000), |_| false, |_| Some(45));
        assert_eq!((o.total_calls, o.inbound, o.outbound), (4, 3, 1));
        assert_eq!((o.answered, o.abandoned, o.callbacks_made), (3, 1, 1));
        assert_eq!(o.average_time_to_answer, (30 + 5) / 2);
        assert_eq!(o.average_queue_wait, (30 + 60 + 5) / 3);
        assert_eq!(o.max_queue_wait, 60);
        assert_eq!(o.exceeded_queue_wait, 1);
        assert_eq!(o.max_calls_waiting, 2);
        assert_eq!(o.total_talk_time, 120 + 60 + 90);
        assert_eq!(o.total_wrap_up_time, 10 + 30 + 30);
        let legs = [
            Leg {
                agent: ana,
                ended: Some(LegEnd::NoAnswer),
            },
            Leg {
                agent: ana,
                ended: Some(LegEnd::Answered),
            },
        ];
        let rows = per_agent(&calls, &legs, 30, Timestamp(1000), &[ana, UserId(8)]);
        assert_eq!(rows.len(), 2, "an agent with no calls has a row of zeros");
        let r = &rows[0];
        assert_eq!((r.accepted, r.missed, r.callbacks_made), (3, 1, 1));
        assert_eq!(r.average_talk_time, 90);
        assert_eq!(rows[1].accepted, 0);
    }
}
