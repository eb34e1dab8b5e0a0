//! Choosing the agent for a case: among the agents available on the case's
//! work channel, those with every required skill at the required level, who
//! speak the customer's language and have capacity left; then the lowest
//! load relative to capacity, then the longest since their last
//! assignment, then round-robin by id. The decision carries its reason in
//! words, for the ticket's timeline. Pure: the caller gathers the agents'
//! state and records the decision.

use crate::{Channel, Timestamp, UserId, word_enum};
use std::cmp::Ordering;

word_enum!(
    /// What kind of work a case is for capacity: an agent may hold, say,
    /// 10 email tickets, 3 chats and 1 call at a time.
    WorkChannel {
        Email = "email",
        Chat = "chat",
        Call = "call",
    }
);

impl WorkChannel {
    /// The capacity a ticket that came by `via` uses.
    pub fn of(via: Channel) -> WorkChannel {
        match via {
            Channel::Chat
            | Channel::WhatsApp
            | Channel::Telegram
            | Channel::Messenger
            | Channel::Instagram
            | Channel::Sms => WorkChannel::Chat,
            Channel::Voice => WorkChannel::Call,
            _ => WorkChannel::Email,
        }
    }
}

word_enum!(
    /// Whether an agent takes new work: `online`, `away` (signed in, not
    /// taking work) or `offline`.
    Presence {
        Online = "online",
        Away = "away",
        Offline = "offline",
    }
);

/// A skill a case needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// The skill's id (a routing attribute value).
    pub skill: i64,
    /// Its name, for reasons ("billing").
    pub name: String,
    /// The lowest level that will do (1 to 5).
    pub min_level: u8,
    /// Dropped when the case has waited too long for someone who has it.
    pub optional: bool,
}

/// What a case needs of its agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Needs {
    pub channel: WorkChannel,
    pub skills: Vec<Requirement>,
    /// The customer's language (`es`, `en`), if known.
    pub language: Option<String>,
    /// Optional skills no longer count (the case waited long enough).
    pub drop_optional: bool,
    /// Agents who declined this case lately (or let its offer lapse).
    pub declined: Vec<UserId>,
}

/// An agent as the router sees them at one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: UserId,
    pub name: String,
    /// Online on this channel and within working hours.
    pub available: bool,
    /// `(skill id, level)`.
    pub skills: Vec<(i64, u8)>,
    pub languages: Vec<String>,
    /// Cases of this channel they may hold at once.
    pub capacity: u32,
    /// Cases of this channel they hold now.
    pub load: u32,
    pub last_assigned: Option<Timestamp>,
}

impl Candidate {
    fn level(&self, skill: i64) -> Option<u8> {
        self.skills
            .iter()
            .find(|(s, _)| *s == skill)
            .map(|(_, l)| *l)
    }

    fn speaks(&self, lang: &str) -> bool {
        self.languages.iter().any(|l| l.eq_ignore_ascii_case(lang))
    }
}

/// The router's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Assign {
        agent: UserId,
        reason: String,
    },
    /// Nobody qualifies now; the case waits in its queue.
    Wait {
        reason: String,
    },
}

fn required<'a>(needs: &'a Needs) -> impl Iterator<Item = &'a Requirement> + 'a {
    needs
        .skills
        .iter()
        .filter(move |r| !(r.optional && needs.drop_optional))
}

/// Why `c` cannot take the case, or `None` if they can.
fn unfit(needs: &Needs, c: &Candidate) -> Option<String> {
    if !c.available {
        return Some("not available".into());
    }
    if needs.declined.contains(&c.id) {
        return Some("declined it".into());
    }
    if c.load >= c.capacity {
        return Some(format!("at capacity ({}/{})", c.load, c.capacity));
    }
    if let Some(lang) = &needs.language
        && !c.speaks(lang)
    {
        return Some(format!("does not speak {lang}"));
    }
    for r in required(needs) {
        if c.level(r.skill).is_none_or(|l| l < r.min_level) {
            return Some(format!("lacks {} ≥ {}", r.name, r.min_level));
        }
    }
    None
}

/// Lower load relative to capacity first, then longest idle (never
/// assigned counts as longest), then round-robin after `last_id`.
fn rank(a: &Candidate, b: &Candidate, last_id: Option<UserId>) -> Ordering {
    let rel = (u64::from(a.load) * u64::from(b.capacity))
        .cmp(&(u64::from(b.load) * u64::from(a.capacity)));
    let idle = match (a.last_assigned, b.last_assigned) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => x.cmp(&y),
    };
    let turn = |c: &Candidate| match last_id {
        Some(l) if c.id <= l => (1, c.id),
        _ => (0, c.id),
    };
    rel.then(idle).then_with(|| turn(a).cmp(&turn(b)))
}

/// Minutes between two instants, for reasons.
fn minutes(from: Timestamp, to: Timestamp) -> i64 {
    (to.0 - from.0).max(0) / 60
}

/// Chooses the agent for a case, or says why it must wait.
pub fn choose(
    needs: &Needs,
    agents: &[Candidate],
    now: Timestamp,
    last_id: Option<UserId>,
) -> Decision {
    let best = agents
        .iter()
        .filter(|c| unfit(needs, c).is_none())
        .min_by(|a, b| rank(a, b, last_id));
    let Some(c) = best else {
        let mut why: Vec<String> = Vec::new();
        let available = agents.iter().filter(|c| c.available).count();
        if available == 0 {
            why.push(format!("no agent available for {}", needs.channel));
        } else {
            let mut wants: Vec<String> = required(needs)
                .map(|r| format!("{} ≥ {}", r.name, r.min_level))
                .collect();
            if let Some(l) = &needs.language {
                wants.push(format!("speaks {l}"));
            }
            wants.push(format!("capacity on {}", needs.channel));
            why.push(format!(
                "none of {available} available agents has {}",
                wants.join(", ")
            ));
        }
        let declined = agents
            .iter()
            .filter(|c| c.available && needs.declined.contains(&c.id))
            .count();
        if declined > 0 {
            why.push(format!("{declined} declined it lately"));
        }
        return Decision::Wait {
            reason: why.join("; "),
        };
    };
    let mut parts: Vec<String> = required(needs)
        .map(|r| format!("{} ≥ {}", r.name, r.min_level))
        .collect();
    if let Some(l) = &needs.language {
        parts.push(format!("speaks {l}"));
    }
    parts.push(format!("{}/{} {}", c.load, c.capacity, needs.channel));
    parts.push(match c.last_assigned {
        Some(t) => format!("idle {} min", minutes(t, now)),
        None => "first case today".into(),
    });
    if needs.drop_optional && needs.skills.iter().any(|r| r.optional) {
        parts.push("optional skills dropped after waiting".into());
    }
    Decision::Assign {
        agent: c.id,
        reason: format!("assigned to {}: {}", c.name, parts.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn agent(id: i64, skills: &[(i64, u8)], langs: &[&str], cap: u32, load: u32) -> Candidate {
        Candidate {
            id: UserId(id),
            name: format!("A{id}"),
            available: true,
            skills: skills.to_vec(),
            languages: langs.iter().map(|l| l.to_string()).collect(),
            capacity: cap,
            load,
            last_assigned: None,
        }
    }

    fn billing(level: u8, optional: bool) -> Needs {
        Needs {
            channel: WorkChannel::Email,
            skills: vec![Requirement {
                skill: 1,
                name: "billing".into(),
                min_level: level,
                optional,
            }],
            language: Some("es".into()),
            drop_optional: false,
            declined: vec![],
        }
    }

    #[test]
    fn the_most_capable_least_loaded_agent_wins_and_says_why() {
        let mut ana = agent(1, &[(1, 4)], &["es", "en"], 10, 4);
        ana.name = "Ana".into();
        ana.last_assigned = Some(Timestamp(1000));
        let busy = agent(2, &[(1, 5)], &["es"], 10, 8);
        let weak = agent(3, &[(1, 2)], &["es"], 10, 0);
        let english = agent(4, &[(1, 5)], &["en"], 10, 0);
        let d = choose(
            &billing(3, false),
            &[busy, weak, english, ana],
            Timestamp(1000 + 12 * 60),
            None,
        );
        assert_eq!(
            d,
            Decision::Assign {
                agent: UserId(1),
                reason: "assigned to Ana: billing ≥ 3, speaks es, 4/10 email, idle 12 min".into()
            }
        );
    }

    #[test]
    fn ties_go_to_the_longest_idle_then_round_robin() {
        let mut a = agent(1, &[], &[], 5, 1);
        let mut b = agent(2, &[], &[], 5, 1);
        a.last_assigned = Some(Timestamp(200));
        b.last_assigned = Some(Timestamp(100));
        let needs = Needs {
            channel: WorkChannel::Chat,
            skills: vec![],
            language: None,
            drop_optional: false,
            declined: vec![],
        };
        assert!(matches!(
            choose(&needs, &[a.clone(), b.clone()], Timestamp(300), None),
            Decision::Assign {
                agent: UserId(2),
                ..
            }
        ));
        b.last_assigned = a.last_assigned;
        let c = agent(3, &[], &[], 5, 1);
        let mut c = c;
        c.last_assigned = a.last_assigned;
        assert!(matches!(
            choose(
                &needs,
                &[a.clone(), b.clone(), c.clone()],
                Timestamp(300),
                Some(UserId(1))
            ),
            Decision::Assign {
                agent: UserId(2),
                ..
            }
        ));
        assert!(matches!(
            choose(&needs, &[a, b, c], Timestamp(300), Some(UserId(3))),
            Decision::Assign {
                agent: UserId(1),
                ..
            }
        ));
    }

    #[test]
    fn an_agent_who_declined_is_passed_by() {
        let a = agent(1, &[], &["es"], 10, 0);
        let b = agent(2, &[], &["es"], 10, 5);
        let mut needs = billing(1, true);
        needs.drop_optional = true;
        needs.declined = vec![UserId(1)];
        let both = [a.clone(), b];
        assert!(matches!(
            choose(&needs, &both, Timestamp(0), None),
            Decision::Assign {
                agent: UserId(2),
                ..
            }
        ));
        match choose(&needs, std::slice::from_ref(&a), Timestamp(0), None) {
            Decision::Wait { reason } => {
                assert!(reason.contains("1 declined it lately"), "{reason}")
            }
            d => panic!("{d:?}"),
        }
    }

    #[test]
    fn optional_skills_count_until_dropped_and_waits_explain() {
        let a = agent(1, &[], &["es"], 10, 0);
        let mut needs = billing(3, true);
        assert!(matches!(
            choose(&needs, std::slice::from_ref(&a), Timestamp(0), None),
            Decision::Wait { .. }
        ));
        needs.drop_optional = true;
        assert!(matches!(
            choose(&needs, std::slice::from_ref(&a), Timestamp(0), None),
            Decision::Assign { .. }
        ));
        let mut off = a;
        off.available = false;
        assert_eq!(
            choose(&needs, &[off], Timestamp(0), None),
            Decision::Wait {
                reason: "no agent available for email".into()
            }
        );
    }

    fn any_agent() -> impl Strategy<Value = Candidate> {
        (
            1i64..40,
            proptest::collection::vec((1i64..5, 1u8..=5), 0..4),
            any::<bool>(),
            any::<bool>(),
            0u32..6,
            0u32..8,
            proptest::option::of(0i64..10_000),
        )
            .prop_map(|(id, skills, online, es, cap, load, last)| Candidate {
                id: UserId(id),
                name: format!("A{id}"),
                available: online,
                skills,
                languages: if es {
                    vec!["es".into()]
                } else {
                    vec!["en".into()]
                },
                capacity: cap,
                load,
                last_assigned: last.map(Timestamp),
            })
    }

    fn any_needs() -> impl Strategy<Value = Needs> {
        (
            proptest::collection::vec((1i64..5, 1u8..=5, any::<bool>()), 0..3),
            proptest::option::of(prop_oneof![Just("es"), Just("en")]),
            any::<bool>(),
        )
            .prop_map(|(skills, lang, drop)| Needs {
                channel: WorkChannel::Email,
                skills: skills
                    .into_iter()
                    .map(|(s, l, o)| Requirement {
                        skill: s,
                        name: format!("s{s}"),
                        min_level: l,
                        optional: o,
                    })
                    .collect(),
                language: lang.map(str::to_string),
                drop_optional: drop,
                declined: vec![],
            })
    }

    proptest! {
        /// Never an unavailable agent, never beyond capacity, never one
        /// lacking a required skill or the language; and when someone
        /// qualifies, the case does not wait.
        #[test]
        fn assignments_respect_every_rule(needs in any_needs(), agents in proptest::collection::vec(any_agent(), 0..30)) {
            // Agents are people: one id each.
            let agents: Vec<Candidate> = agents
                .into_iter()
                .enumerate()
                .map(|(i, c)| Candidate { id: UserId(i as i64 + 1), ..c })
                .collect();
            match choose(&needs, &agents, Timestamp(20_000), None) {
                Decision::Assign { agent, .. } => {
                    let c = agents.iter().find(|c| c.id == agent);
                    prop_assert!(c.is_some());
                    let c = c.unwrap_or_else(|| unreachable!());
                    prop_assert!(c.available && c.load < c.capacity);
                    if let Some(l) = &needs.language { prop_assert!(c.speaks(l)); }
                    for r in needs.skills.iter().filter(|r| !(r.optional && needs.drop_optional)) {
                        prop_assert!(c.level(r.skill).is_some_and(|l| l >= r.min_level));
                    }
                }
                Decision::Wait { .. } => {
                    prop_assert!(agents.iter().all(|c| unfit(&needs, c).is_some()));
                }
            }
        }

        /// Every routable case is eventually assigned: once escalation has
        /// dropped its skills (and, last, its language), any available
        /// agent with capacity takes it.
        #[test]
        fn escalated_cases_always_find_someone_free(needs in any_needs(), agents in proptest::collection::vec(any_agent(), 1..30)) {
            let mut escalated = needs.clone();
            escalated.skills.clear();
            escalated.language = None;
            let someone_free = agents.iter().any(|c| c.available && c.load < c.capacity);
            let d = choose(&escalated, &agents, Timestamp(20_000), None);
            prop_assert_eq!(matches!(d, Decision::Assign { .. }), someone_free);
        }
    }
}
