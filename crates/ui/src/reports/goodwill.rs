//! The compensation report: the period's goodwill gestures per kind and
//! currency, against the period before — shown only where the team has
//! recorded any.

use super::tables::{Cell, Table};
use crate::i18n::Text;
use crate::ticket::gesture_kind_name;
use domain::goodwill::{Currency, GestureKind, GestureTotal, Money};
use domain::report::Slice;
use std::collections::BTreeMap;

/// An amount in its currency, as text and as a number for spreadsheets.
fn money(t: &Text, minor: i64, currency: Option<&Currency>) -> Cell {
    match currency {
        Some(c) => {
            let shown = Money {
                minor,
                currency: c.clone(),
            };
            Cell {
                text: format!("{} {}", shown.amount(), c.as_str()),
                number: Some(minor as f64 / 10_f64.powi(c.decimals() as i32)),
                href: None,
            }
        }
        None => Cell::text(t.goodwill_no_value),
    }
}

/// A line's (count, total in minor units) now and in the period before.
type Line = [(i64, i64); 2];

pub(super) fn table(
    t: &Text,
    (now, before): &(Vec<GestureTotal>, Vec<GestureTotal>),
    drill: &dyn Fn(Slice) -> String,
) -> Option<Table> {
    if now.is_empty() && before.is_empty() {
        return None;
    }
    // One line per kind and currency that either period has.
    let mut lines: BTreeMap<(GestureKind, Option<Currency>), Line> = BTreeMap::new();
    for (i, totals) in [now, before].into_iter().enumerate() {
        for g in totals {
            lines.entry((g.kind, g.currency.clone())).or_default()[i] = (g.count, g.minor);
        }
    }
    let all = |totals: &[GestureTotal]| totals.iter().map(|g| g.count.max(0) as usize).sum();
    let mut rows = vec![vec![
        Cell::text(t.report_goodwill_all),
        Cell::count(all(now)).to(drill(Slice::Goodwill)),
        Cell::text(""),
        Cell::count(all(before)),
        Cell::text(""),
    ]];
    for ((kind, currency), [(n, sum), (bn, bsum)]) in lines {
        let name = match &currency {
            Some(c) => format!("{} · {}", gesture_kind_name(t, kind), c.as_str()),
            None => gesture_kind_name(t, kind).to_string(),
        };
        rows.push(vec![
            Cell::text(name),
            Cell::count(n.max(0) as usize),
            money(t, sum, currency.as_ref()),
            Cell::count(bn.max(0) as usize),
            money(t, bsum, currency.as_ref()),
        ]);
    }
    Some(Table {
        id: "goodwill",
        title: t.report_goodwill.into(),
        head: vec![
            t.report_figure.into(),
            t.report_goodwill_count.into(),
            t.report_goodwill_total.into(),
            format!("{} ({})", t.report_goodwill_count, t.report_previous),
            format!("{} ({})", t.report_goodwill_total, t.report_previous),
        ],
        rows,
        chart: None,
        legend: Vec::new(),
    })
}
