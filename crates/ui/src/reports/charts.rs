//! The reports' charts: SVG drawn on the server, no script. Each chart is
//! a picture of the table beside it (which screen readers read, with the
//! same links), so the SVG is hidden from them and its links are out of
//! the tab order; a click on a bar or a cell opens the tickets behind it.

use app::sanitize::escape;

/// Chart size in user units (scaled by CSS).
const W: f64 = 720.0;
const H: f64 = 220.0;
const PAD: f64 = 28.0;

/// A bar or cell: its label, value and the tickets behind it.
pub struct Mark {
    pub label: String,
    pub value: i64,
    pub href: String,
}

fn link(href: &str, title: &str, body: String) -> String {
    format!(
        "<a href=\"{}\" tabindex=\"-1\"><title>{}</title>{body}</a>",
        escape(href),
        escape(title)
    )
}

fn frame(body: String, height: f64) -> String {
    format!(
        "<svg class=\"chart\" viewBox=\"0 0 {W} {height}\" aria-hidden=\"true\" focusable=\"false\" preserveAspectRatio=\"xMidYMid meet\">{body}</svg>"
    )
}

/// Two series side by side per day (created, solved), and a line (the
/// backlog) on its own scale.
pub fn days(created: &[Mark], solved: &[Mark], backlog: &[i64]) -> String {
    let n = created.len().max(1) as f64;
    let top = created
        .iter()
        .chain(solved)
        .map(|m| m.value)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let slot = (W - 2.0 * PAD) / n;
    let bar = (slot / 2.0 - 1.0).max(1.0);
    let scale = |v: i64| (H - 2.0 * PAD) * v as f64 / top;
    let mut body = String::new();
    body.push_str(&format!(
        "<line x1=\"{PAD}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\" class=\"axis\"/>",
        y = H - PAD,
        x2 = W - PAD
    ));
    for (i, (c, s)) in created.iter().zip(solved).enumerate() {
        let x = PAD + i as f64 * slot;
        for (j, (m, class)) in [(c, "created"), (s, "solved")].into_iter().enumerate() {
            let h = scale(m.value);
            let rect = format!(
                "<rect class=\"{class}\" x=\"{:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{h:.1}\"/>",
                x + j as f64 * (bar + 1.0),
                H - PAD - h
            );
            body.push_str(&link(&m.href, &format!("{}: {}", m.label, m.value), rect));
        }
    }
    let low = backlog.iter().copied().min().unwrap_or(0).min(0);
    let high = backlog.iter().copied().max().unwrap_or(0).max(1);
    let points: Vec<String> = backlog
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let x = PAD + i as f64 * slot + slot / 2.0;
            let y = H - PAD - (H - 2.0 * PAD) * (v - low) as f64 / (high - low).max(1) as f64;
            format!("{x:.1},{y:.1}")
        })
        .collect();
    body.push_str(&format!(
        "<polyline class=\"backlog\" points=\"{}\"/>",
        points.join(" ")
    ));
    frame(body, H)
}

/// Horizontal bars, one per mark, labelled.
pub fn bars(marks: &[Mark]) -> String {
    let row = 26.0;
    let height = PAD + row * marks.len().max(1) as f64;
    let top = marks.iter().map(|m| m.value).max().unwrap_or(0).max(1) as f64;
    let left = 160.0;
    let mut body = String::new();
    for (i, m) in marks.iter().enumerate() {
        let y = PAD / 2.0 + i as f64 * row;
        let w = (W - left - PAD - 50.0) * m.value as f64 / top;
        body.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" class=\"label\" text-anchor=\"end\">{}</text>",
            left - 8.0,
            y + 15.0,
            escape(&m.label)
        ));
        let rect = format!(
            "<rect class=\"created\" x=\"{left}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{:.1}\"/><text x=\"{:.1}\" y=\"{:.1}\" class=\"label\">{}</text>",
            row - 6.0,
            left + w + 6.0,
            y + 15.0,
            m.value
        );
        body.push_str(&link(&m.href, &format!("{}: {}", m.label, m.value), rect));
    }
    frame(body, height)
}

/// A week of hours: seven rows (Monday first) of 24 cells, darker with
/// more tickets.
pub fn heat(cells: &[[Mark; 24]; 7], weekdays: &[&str]) -> String {
    let top = cells
        .iter()
        .flatten()
        .map(|m| m.value)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let left = 48.0;
    let cell = (W - left - 8.0) / 24.0;
    let mut body = String::new();
    for (h, x) in (0..24).map(|h| (h, left + h as f64 * cell)) {
        if h % 3 == 0 {
            body.push_str(&format!(
                "<text x=\"{x:.1}\" y=\"14\" class=\"label\">{h:02}</text>"
            ));
        }
    }
    for (d, row) in cells.iter().enumerate() {
        let y = 20.0 + d as f64 * (cell + 2.0);
        body.push_str(&format!(
            "<text x=\"4\" y=\"{:.1}\" class=\"label\">{}</text>",
            y + cell * 0.7,
            escape(weekdays.get(d).copied().unwrap_or(""))
        ));
        for (h, m) in row.iter().enumerate() {
            let level = m.value as f64 / top;
            let rect = format!(
                "<rect class=\"heat\" x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{cell:.1}\" fill-opacity=\"{:.2}\"/>",
                left + h as f64 * cell,
                cell - 2.0,
                0.08 + 0.92 * level
            );
            body.push_str(&link(&m.href, &format!("{}: {}", m.label, m.value), rect));
        }
    }
    frame(body, 24.0 + 7.0 * (cell + 2.0))
}
