//! The reports as tables: one list of rows per report, read by the page
//! (beside its chart) and by the downloads, so both always say the same.

use super::charts::{self, Mark};
use super::names::Names;
use crate::i18n::Text;
use app::answer_bot::BotFigures;
use app::reports::{NpsFigures, ReportView};
use domain::Channel;
use domain::call_stats::Overview;
use domain::goodwill::GestureTotal;
use domain::report::{Report, Satisfaction, Slice, Spread};
use std::collections::BTreeMap;

/// One cell: its words, its number (for spreadsheets), the tickets behind
/// it.
pub struct Cell {
    pub text: String,
    pub number: Option<f64>,
    pub href: Option<String>,
}

impl Cell {
    pub(super) fn text(s: impl Into<String>) -> Cell {
        Cell {
            text: s.into(),
            number: None,
            href: None,
        }
    }

    pub(super) fn count(n: usize) -> Cell {
        Cell {
            text: n.to_string(),
            number: Some(n as f64),
            href: None,
        }
    }

    fn whole(n: Option<i64>) -> Cell {
        Cell {
            text: n.map_or_else(|| "—".into(), |n| n.to_string()),
            number: n.map(|n| n as f64),
            href: None,
        }
    }

    fn percent(p: Option<f64>) -> Cell {
        Cell {
            text: p.map_or_else(|| "—".into(), |p| format!("{p:.1} %")),
            number: p,
            href: None,
        }
    }

    fn decimal(p: Option<f64>) -> Cell {
        Cell {
            text: p.map_or_else(|| "—".into(), |p| format!("{p:.1}")),
            number: p,
            href: None,
        }
    }

    pub(super) fn to(mut self, href: String) -> Cell {
        self.href = Some(href);
        self
    }
}

/// A report's table.
pub struct Table {
    pub id: &'static str,
    pub title: String,
    pub head: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Its chart (SVG), when it has one.
    pub chart: Option<String>,
    /// What the chart's colours mean: (CSS class, words).
    pub legend: Vec<(&'static str, String)>,
}

/// A channel's name in the agent's words.
pub fn channel_name(t: &Text, c: Channel) -> String {
    t.channel(c).to_string()
}

/// Every table of the page, in order.
/// What the page reports beside the tickets: calls and the bot, this
/// period and the one before.
pub struct Beside {
    pub calls: (Overview, Overview),
    pub bot: (BotFigures, BotFigures),
    pub goodwill: (Vec<GestureTotal>, Vec<GestureTotal>),
}

pub fn all(t: &Text, v: &ReportView, names: &Names, beside: &Beside, base: &str) -> Vec<Table> {
    let drill = |s: Slice| format!("/agent/reports/tickets?{base}&slice={}", s.word());
    let r = &v.current;
    let p = &v.previous;
    let mut tables = vec![
        summary(t, v, &drill),
        days(t, v, &drill),
        channels(t, r, p, &drill),
        heat(t, r, &drill),
        times(t, r, p),
        quality(t, r, p, &drill),
        satisfaction(t, r, &drill),
        nps(t, &v.nps),
        team(
            t,
            "agents",
            t.report_agents,
            r.by_agent.iter().map(|(k, l)| (k.0, l)).collect(),
            &names.agents,
            |id| drill(Slice::Agent(domain::UserId(id))),
        ),
        team(
            t,
            "groups",
            t.report_groups,
            r.by_group.iter().map(|(k, l)| (k.0, l)).collect(),
            &names.groups,
            |id| drill(Slice::Group(domain::GroupId(id))),
        ),
    ];
    tables.push(bot(t, &beside.bot));
    // Only where the team takes calls.
    let (now, before) = &beside.calls;
    if now.total_calls + before.total_calls > 0 {
        tables.push(phone(t, &beside.calls));
    }
    tables.extend(super::goodwill::table(t, &beside.goodwill, &drill));
    tables
}

fn bot(t: &Text, (now, before): &(BotFigures, BotFigures)) -> Table {
    let asked = |b: &BotFigures| (b.answered + b.handed_over) as usize;
    let rate = |part: i64, whole: usize| domain::report::percent(part.max(0) as usize, whole);
    let rows = vec![
        (
            t.report_bot_asked,
            Cell::count(asked(now)),
            Cell::count(asked(before)),
        ),
        (
            t.report_bot_answered,
            Cell::whole(Some(now.answered)),
            Cell::whole(Some(before.answered)),
        ),
        (
            t.report_bot_handover_rate,
            Cell::percent(rate(now.handed_over, asked(now))),
            Cell::percent(rate(before.handed_over, asked(before))),
        ),
        (
            t.report_bot_helped,
            Cell::whole(Some(now.resolved)),
            Cell::whole(Some(before.resolved)),
        ),
        (
            t.report_bot_not_helped,
            Cell::whole(Some(now.rejected)),
            Cell::whole(Some(before.rejected)),
        ),
        (
            t.report_bot_opened,
            Cell::whole(Some(now.opened)),
            Cell::whole(Some(before.opened)),
        ),
        (
            t.report_bot_deflection_rate,
            Cell::percent(rate(now.deflected, now.opened.max(0) as usize)),
            Cell::percent(rate(before.deflected, before.opened.max(0) as usize)),
        ),
    ];
    Table {
        id: "bot",
        title: t.report_bot.into(),
        head: vec![
            t.report_figure.into(),
            t.report_value.into(),
            t.report_previous.into(),
        ],
        rows: rows
            .into_iter()
            .map(|(name, a, b)| vec![Cell::text(name), a, b])
            .collect(),
        chart: None,
        legend: Vec::new(),
    }
}

fn phone(t: &Text, (now, before): &(Overview, Overview)) -> Table {
    let row = |name: &str, a: i64, b: i64| {
        vec![Cell::text(name), Cell::whole(Some(a)), Cell::whole(Some(b))]
    };
    Table {
        id: "calls",
        title: t.report_calls.into(),
        head: vec![
            t.report_figure.into(),
            t.report_value.into(),
            t.report_previous.into(),
        ],
        rows: vec![
            row(t.report_calls_total, now.total_calls, before.total_calls),
            row(t.report_calls_answered, now.answered, before.answered),
            row(t.report_calls_abandoned, now.abandoned, before.abandoned),
            row(t.report_calls_missed, now.missed, before.missed),
            row(t.report_calls_voicemails, now.voicemails, before.voicemails),
            row(
                t.report_calls_callbacks,
                now.callbacks_requested,
                before.callbacks_requested,
            ),
            row(
                t.report_calls_answer_secs,
                now.average_time_to_answer,
                before.average_time_to_answer,
            ),
            row(
                t.report_calls_wait_secs,
                now.average_queue_wait,
                before.average_queue_wait,
            ),
        ],
        chart: None,
        legend: Vec::new(),
    }
}

fn summary(t: &Text, v: &ReportView, drill: &dyn Fn(Slice) -> String) -> Table {
    let (r, p) = (&v.current, &v.previous);
    let row = |name: &str, now: Cell, before: Cell| vec![Cell::text(name), now, before];
    let end = |r: &Report| r.backlog.last().copied();
    Table {
        id: "summary",
        title: t.report_summary.into(),
        head: vec![
            t.report_figure.into(),
            t.report_value.into(),
            t.report_previous.into(),
        ],
        rows: vec![
            row(
                t.report_created,
                Cell::count(r.created).to(drill(Slice::Created)),
                Cell::count(p.created),
            ),
            row(
                t.report_solved,
                Cell::count(r.solved).to(drill(Slice::Solved)),
                Cell::count(p.solved),
            ),
            row(
                t.report_backlog_end,
                Cell::whole(end(r)),
                Cell::whole(end(p)),
            ),
            row(
                t.report_first_reply,
                Cell::whole(r.first_reply.calendar.median),
                Cell::whole(p.first_reply.calendar.median),
            ),
            row(
                t.report_resolution,
                Cell::whole(r.resolution.calendar.median),
                Cell::whole(p.resolution.calendar.median),
            ),
            row(
                t.report_csat,
                Cell::percent(r.satisfaction.score()),
                Cell::percent(p.satisfaction.score()),
            ),
            row(
                t.report_nps,
                Cell::whole(v.nps.0.score),
                Cell::whole(v.nps.1.score),
            ),
        ],
        chart: None,
        legend: Vec::new(),
    }
}

fn days(t: &Text, v: &ReportView, drill: &dyn Fn(Slice) -> String) -> Table {
    let r = &v.current;
    let mut created = Vec::new();
    let mut solved = Vec::new();
    let rows = v
        .days
        .iter()
        .enumerate()
        .map(|(i, day)| {
            let (c, s) = r.by_day.get(i).copied().unwrap_or((0, 0));
            created.push(Mark {
                label: format!("{day} · {}", t.report_created),
                value: c as i64,
                href: drill(Slice::CreatedOn(i)),
            });
            solved.push(Mark {
                label: format!("{day} · {}", t.report_solved),
                value: s as i64,
                href: drill(Slice::SolvedOn(i)),
            });
            vec![
                Cell::text(day.to_string()),
                Cell::count(c).to(drill(Slice::CreatedOn(i))),
                Cell::count(s).to(drill(Slice::SolvedOn(i))),
                Cell::whole(r.backlog.get(i).copied()),
            ]
        })
        .collect();
    Table {
        id: "days",
        title: t.report_volume.into(),
        head: vec![
            t.report_day.into(),
            t.report_created.into(),
            t.report_solved.into(),
            t.report_backlog.into(),
        ],
        rows,
        chart: Some(charts::days(&created, &solved, &r.backlog)),
        legend: vec![
            ("created", t.report_created.into()),
            ("solved", t.report_solved.into()),
            ("backlog", t.report_backlog.into()),
        ],
    }
}

fn channels(t: &Text, r: &Report, p: &Report, drill: &dyn Fn(Slice) -> String) -> Table {
    let mut all: Vec<Channel> = r
        .created_by_channel
        .keys()
        .chain(p.created_by_channel.keys())
        .copied()
        .collect();
    all.sort();
    all.dedup();
    let count = |rep: &Report, c: Channel| rep.created_by_channel.get(&c).copied().unwrap_or(0);
    let marks: Vec<Mark> = all
        .iter()
        .map(|c| Mark {
            label: channel_name(t, *c),
            value: count(r, *c) as i64,
            href: drill(Slice::Channel(*c)),
        })
        .collect();
    Table {
        id: "channels",
        title: t.report_channels.into(),
        head: vec![
            t.report_channel.into(),
            t.report_created.into(),
            t.report_previous.into(),
        ],
        rows: all
            .iter()
            .map(|c| {
                vec![
                    Cell::text(channel_name(t, *c)),
                    Cell::count(count(r, *c)).to(drill(Slice::Channel(*c))),
                    Cell::count(count(p, *c)),
                ]
            })
            .collect(),
        chart: Some(charts::bars(&marks)),
        legend: Vec::new(),
    }
}

fn heat(t: &Text, r: &Report, drill: &dyn Fn(Slice) -> String) -> Table {
    let weekdays: Vec<&str> = t.report_weekdays.split(' ').collect();
    let cells: [[Mark; 24]; 7] = std::array::from_fn(|w| {
        std::array::from_fn(|h| Mark {
            label: format!("{} {h:02}h", weekdays.get(w).copied().unwrap_or("")),
            value: r.heat[w][h] as i64,
            href: drill(Slice::Heat(w, h)),
        })
    });
    let head = std::iter::once(t.report_day.to_string())
        .chain((0..24).map(|h| format!("{h:02}")))
        .collect();
    let rows = (0..7)
        .map(|w| {
            std::iter::once(Cell::text(weekdays.get(w).copied().unwrap_or("")))
                .chain((0..24).map(|h| Cell::count(r.heat[w][h]).to(drill(Slice::Heat(w, h)))))
                .collect()
        })
        .collect();
    Table {
        id: "heat",
        title: t.report_heat.into(),
        head,
        rows,
        chart: Some(charts::heat(&cells, &weekdays)),
        legend: Vec::new(),
    }
}

fn times(t: &Text, r: &Report, p: &Report) -> Table {
    let line = |name: &str, cal: Spread, bus: Option<Spread>, before: Spread| {
        vec![
            Cell::text(name),
            Cell::whole(cal.median),
            Cell::whole(cal.p90),
            Cell::whole(bus.and_then(|b| b.median)),
            Cell::whole(bus.and_then(|b| b.p90)),
            Cell::count(cal.count),
            Cell::whole(before.median),
        ]
    };
    let both = |name, now: domain::report::Times, before: domain::report::Times| {
        line(name, now.calendar, Some(now.business), before.calendar)
    };
    Table {
        id: "times",
        title: t.report_times.into(),
        head: vec![
            t.report_figure.into(),
            t.report_median.into(),
            t.report_p90.into(),
            t.report_median_business.into(),
            t.report_p90_business.into(),
            t.report_count.into(),
            t.report_previous.into(),
        ],
        rows: vec![
            line(t.report_ack, r.ack, None, p.ack),
            both(t.report_first_reply, r.first_reply, p.first_reply),
            both(t.report_resolution, r.resolution, p.resolution),
            both(t.report_requester_wait, r.requester_wait, p.requester_wait),
            both(t.report_agent_work, r.agent_work, p.agent_work),
        ],
        chart: None,
        legend: Vec::new(),
    }
}

fn quality(t: &Text, r: &Report, p: &Report, drill: &dyn Fn(Slice) -> String) -> Table {
    Table {
        id: "quality",
        title: t.report_quality.into(),
        head: vec![
            t.report_figure.into(),
            t.report_value.into(),
            t.report_previous.into(),
        ],
        rows: vec![
            vec![
                Cell::text(t.report_reopen_rate),
                Cell::percent(r.reopen_rate()).to(drill(Slice::Reopened)),
                Cell::percent(p.reopen_rate()),
            ],
            vec![
                Cell::text(t.report_one_touch),
                Cell::percent(r.one_touch_rate()).to(drill(Slice::OneTouch)),
                Cell::percent(p.one_touch_rate()),
            ],
            vec![
                Cell::text(t.report_replies_per_ticket),
                Cell::decimal(r.replies_per_ticket()),
                Cell::decimal(p.replies_per_ticket()),
            ],
        ],
        chart: None,
        legend: Vec::new(),
    }
}

fn satisfaction(t: &Text, r: &Report, drill: &dyn Fn(Slice) -> String) -> Table {
    let line = |name: String, s: &Satisfaction, links: bool| {
        let good = Cell::count(s.good);
        let bad = Cell::count(s.bad);
        vec![
            Cell::text(name),
            Cell::percent(s.score()),
            if links {
                good.to(drill(Slice::Rated(true)))
            } else {
                good
            },
            if links {
                bad.to(drill(Slice::Rated(false)))
            } else {
                bad
            },
            Cell::decimal(s.ces_mean),
            Cell::count(s.ces_answers),
        ]
    };
    let mut rows = vec![line(t.report_all_channels.into(), &r.satisfaction, true)];
    rows.extend(
        r.satisfaction_by_channel
            .iter()
            .map(|(c, s)| line(channel_name(t, *c), s, false)),
    );
    Table {
        id: "satisfaction",
        title: t.report_satisfaction.into(),
        head: vec![
            t.report_channel.into(),
            t.report_csat.into(),
            t.report_good.into(),
            t.report_bad.into(),
            t.report_ces.into(),
            t.report_ces_answers.into(),
        ],
        rows,
        chart: None,
        legend: Vec::new(),
    }
}

fn nps(t: &Text, (now, before): &(NpsFigures, NpsFigures)) -> Table {
    Table {
        id: "nps",
        title: t.report_nps.into(),
        head: vec![
            t.report_nps.into(),
            t.report_promoters.into(),
            t.report_passives.into(),
            t.report_detractors.into(),
            t.report_previous.into(),
        ],
        rows: vec![vec![
            Cell::whole(now.score),
            Cell::count(now.promoters),
            Cell::count(now.passives),
            Cell::count(now.detractors),
            Cell::whole(before.score),
        ]],
        chart: None,
        legend: Vec::new(),
    }
}

fn team(
    t: &Text,
    id: &'static str,
    title: &str,
    lines: BTreeMap<i64, &domain::report::TeamLine>,
    names: &BTreeMap<i64, String>,
    drill: impl Fn(i64) -> String,
) -> Table {
    Table {
        id,
        title: title.into(),
        head: vec![
            title.into(),
            t.report_solved.into(),
            t.report_handle.into(),
            t.report_csat.into(),
        ],
        rows: lines
            .iter()
            .map(|(key, line)| {
                let key = *key;
                vec![
                    Cell::text(
                        names
                            .get(&key)
                            .cloned()
                            .unwrap_or_else(|| format!("#{key}")),
                    ),
                    Cell::count(line.solved).to(drill(key)),
                    Cell::whole(line.handle_minutes),
                    Cell::percent(line.satisfaction.score()),
                ]
            })
            .collect(),
        chart: None,
        legend: Vec::new(),
    }
}
