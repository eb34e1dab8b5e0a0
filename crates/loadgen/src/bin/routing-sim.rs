//! A day of routing, simulated minute by minute with the router atiende
//! uses (`domain::routing::choose`), against plain round-robin on the same
//! trace: 50 agents with mixed skills, languages, capacities and shifts;
//! 10,000 tickets arriving by a daily curve, each needing a skill (and
//! sometimes an optional second one) in Spanish or English; agents work a
//! case for an exponentially distributed time (mean 12 minutes) and free
//! capacity; a case waiting long drops its optional skills (30 min), then
//! escalates to generalists (60 min: any level) and to anyone who speaks
//! the language (120 min). Reports
//! time-to-assign (p50/p99), the share of cases handled by an agent with
//! every required skill and language, the load balance (Gini of
//! assignments per unit of capacity), and how long one routing decision
//! takes with 1,000 agents online.
//!
//! Usage: `routing-sim [--tickets 10000] [--agents 50] [--seed 7]`.

use domain::routing::{Candidate, Decision, Needs, Requirement, WorkChannel, choose};
use domain::{Timestamp, UserId};
use std::time::Instant;

/// A small, seedable random source (xorshift64*), so runs repeat.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const SKILLS: [&str; 4] = ["billing", "technical", "shipping", "returns"];

struct Agent {
    id: i64,
    skills: Vec<(i64, u8)>,
    languages: Vec<String>,
    capacity: u32,
    /// Working minutes of the day `[start, end)`.
    shift: (u32, u32),
}

struct Ticket {
    arrives: u32,
    needs: Needs,
    work: u32,
}

fn agents(n: usize, rng: &mut Rng) -> Vec<Agent> {
    let shifts = [
        (7 * 60, 15 * 60),
        (9 * 60, 17 * 60),
        (9 * 60, 17 * 60),
        (14 * 60, 22 * 60),
        (0, 7 * 60),
    ];
    (0..n)
        .map(|i| {
            let mut skills = Vec::new();
            for _ in 0..1 + rng.below(3) {
                let s = rng.below(4) as i64 + 1;
                if !skills.iter().any(|(x, _)| *x == s) {
                    skills.push((s, 1 + rng.below(5) as u8));
                }
            }
            let mut languages = Vec::new();
            if rng.unit() < 0.75 {
                languages.push("es".to_string());
            }
            if languages.is_empty() || rng.unit() < 0.4 {
                languages.push("en".to_string());
            }
            Agent {
                id: i as i64 + 1,
                skills,
                languages,
                capacity: 8 + rng.below(5) as u32,
                shift: shifts[(rng.below(100) as usize * shifts.len() / 100).min(shifts.len() - 1)],
            }
        })
        .collect()
}

/// Arrivals per minute follow two daytime peaks and a quiet night.
fn trace(n: usize, rng: &mut Rng) -> Vec<Ticket> {
    let weight = |m: u32| {
        let h = f64::from(m) / 60.0;
        let bump = |c: f64, w: f64| (-((h - c) / w).powi(2)).exp();
        0.05 + bump(11.0, 1.8) + 0.8 * bump(16.5, 1.5)
    };
    let total: f64 = (0..1440).map(weight).sum();
    let mut out = Vec::with_capacity(n);
    for m in 0..1440u32 {
        let expected = weight(m) / total * n as f64;
        let mut k = expected.floor() as usize;
        if rng.unit() < expected.fract() {
            k += 1;
        }
        for _ in 0..k {
            let skill = [1, 1, 2, 2, 2, 3, 4][rng.below(7) as usize];
            let mut reqs = vec![Requirement {
                skill,
                name: SKILLS[(skill - 1) as usize].into(),
                min_level: [1, 2, 2, 3, 3, 4][rng.below(6) as usize],
                optional: false,
            }];
            if rng.unit() < 0.3 {
                let extra = rng.below(4) as i64 + 1;
                if extra != skill {
                    reqs.push(Requirement {
                        skill: extra,
                        name: SKILLS[(extra - 1) as usize].into(),
                        min_level: 2,
                        optional: true,
                    });
                }
            }
            out.push(Ticket {
                arrives: m,
                needs: Needs {
                    channel: WorkChannel::Email,
                    skills: reqs,
                    language: Some(if rng.unit() < 0.7 { "es" } else { "en" }.into()),
                    drop_optional: false,
                    declined: vec![],
                },
                work: (-(1.0 - rng.unit()).ln() * 12.0).ceil().max(1.0) as u32,
            });
        }
    }
    out
}

/// How one strategy did.
struct Report {
    waits: Vec<u32>,
    qualified: usize,
    assigned: usize,
    unassigned: usize,
    per_capacity: Vec<f64>,
}

fn percentile(v: &mut [u32], p: f64) -> u32 {
    if v.is_empty() {
        return 0;
    }
    v.sort_unstable();
    v[((v.len() - 1) as f64 * p).round() as usize]
}

fn gini(v: &[f64]) -> f64 {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    if mean == 0.0 {
        return 0.0;
    }
    let mut diff = 0.0;
    for a in v {
        for b in v {
            diff += (a - b).abs();
        }
    }
    diff / (2.0 * n * n * mean)
}

fn qualifies(a: &Agent, needs: &Needs) -> bool {
    needs
        .language
        .as_ref()
        .is_none_or(|l| a.languages.contains(l))
        && needs.skills.iter().filter(|r| !r.optional).all(|r| {
            a.skills
                .iter()
                .any(|(s, l)| *s == r.skill && *l >= r.min_level)
        })
}

/// Runs the day; `smart` uses the router, else round-robin.
fn simulate(agents: &[Agent], tickets: &[Ticket], smart: bool) -> Report {
    let mut load = vec![0u32; agents.len()];
    let mut last: Vec<Option<i64>> = vec![None; agents.len()];
    let mut given = vec![0usize; agents.len()];
    let mut finishing: Vec<(u32, usize)> = Vec::new();
    let mut waiting: Vec<usize> = Vec::new();
    let mut next = 0;
    let mut rr = 0usize;
    let mut last_id = None;
    let mut report = Report {
        waits: vec![],
        qualified: 0,
        assigned: 0,
        unassigned: 0,
        per_capacity: vec![],
    };
    for minute in 0..(1440 + 600) {
        finishing.retain(|(at, a)| {
            if *at <= minute {
                load[*a] -= 1;
                false
            } else {
                true
            }
        });
        while next < tickets.len() && tickets[next].arrives <= minute {
            waiting.push(next);
            next += 1;
        }
        let on = |a: &Agent| {
            let m = minute % 1440;
            m >= a.shift.0 && m < a.shift.1
        };
        let mut still = Vec::new();
        for &ti in &waiting {
            let t = &tickets[ti];
            let pick = if smart {
                // As atiende does: optional skills drop after 30 minutes;
                // after 60 the case escalates to the generalists (any level
                // of the skill), after 120 to anyone who speaks the language.
                let waited = minute - t.arrives;
                let mut needs = t.needs.clone();
                needs.drop_optional = waited >= 30;
                if waited >= 60 {
                    for r in needs.skills.iter_mut() {
                        r.min_level = 1;
                    }
                }
                if waited >= 120 {
                    needs.skills.clear();
                }
                let candidates: Vec<Candidate> = agents
                    .iter()
                    .enumerate()
                    .map(|(i, a)| Candidate {
                        id: UserId(a.id),
                        name: format!("agent {}", a.id),
                        available: on(a),
                        skills: a.skills.clone(),
                        languages: a.languages.clone(),
                        capacity: a.capacity,
                        load: load[i],
                        last_assigned: last[i].map(Timestamp),
                    })
                    .collect();
                match choose(
                    &needs,
                    &candidates,
                    Timestamp(i64::from(minute) * 60),
                    last_id,
                ) {
                    Decision::Assign { agent, .. } => Some((agent.0 - 1) as usize),
                    Decision::Wait { .. } => None,
                }
            } else {
                (0..agents.len())
                    .map(|k| (rr + k) % agents.len())
                    .find(|&i| on(&agents[i]) && load[i] < agents[i].capacity)
                    .inspect(|&i| rr = i + 1)
            };
            match pick {
                Some(a) => {
                    load[a] += 1;
                    last[a] = Some(i64::from(minute) * 60);
                    last_id = Some(UserId(agents[a].id));
                    given[a] += 1;
                    finishing.push((minute + t.work, a));
                    report.waits.push(minute - t.arrives);
                    report.assigned += 1;
                    report.qualified += usize::from(qualifies(&agents[a], &t.needs));
                }
                None => still.push(ti),
            }
        }
        waiting = still;
    }
    report.unassigned = waiting.len();
    report.per_capacity = agents
        .iter()
        .zip(&given)
        .map(|(a, g)| *g as f64 / f64::from(a.capacity))
        .collect();
    report
}

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let n_tickets = arg("--tickets", 10_000) as usize;
    let n_agents = arg("--agents", 50) as usize;
    let mut rng = Rng(arg("--seed", 7).max(1));
    let team = agents(n_agents, &mut rng);
    let day = trace(n_tickets, &mut rng);
    println!("{} agents, {} tickets over one day", team.len(), day.len());
    for (name, smart) in [("skills routing", true), ("round-robin", false)] {
        let started = Instant::now();
        let mut r = simulate(&team, &day, smart);
        let p50 = percentile(&mut r.waits, 0.5);
        let p99 = percentile(&mut r.waits, 0.99);
        println!(
            "{name:<15} time to assign p50 {p50:>3} min  p99 {p99:>4} min  | every required skill and language: {:>5.1}%  | Gini of assignments per capacity: {:.3}  | left unassigned: {}  ({:.1} s)",
            100.0 * r.qualified as f64 / r.assigned.max(1) as f64,
            gini(&r.per_capacity),
            r.unassigned,
            started.elapsed().as_secs_f64()
        );
    }
    // One decision with 1,000 agents online.
    let big = agents(1000, &mut rng);
    let candidates: Vec<Candidate> = big
        .iter()
        .map(|a| Candidate {
            id: UserId(a.id),
            name: format!("agent {}", a.id),
            available: true,
            skills: a.skills.clone(),
            languages: a.languages.clone(),
            capacity: a.capacity,
            load: (a.id % 7) as u32,
            last_assigned: Some(Timestamp(a.id * 13 % 997)),
        })
        .collect();
    let mut times = Vec::with_capacity(10_000);
    for t in day.iter().cycle().take(10_000) {
        let s = Instant::now();
        std::hint::black_box(choose(
            &t.needs,
            &candidates,
            Timestamp(100_000),
            Some(UserId(500)),
        ));
        times.push(s.elapsed().as_nanos() as u32);
    }
    let p50 = percentile(&mut times, 0.5);
    let p99 = percentile(&mut times, 0.99);
    println!(
        "one routing decision, 1,000 agents online: p50 {:.1} µs, p99 {:.1} µs",
        f64::from(p50) / 1000.0,
        f64::from(p99) / 1000.0
    );
}
