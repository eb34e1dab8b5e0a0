//! A report's table as a file: CSV (UTF-8, with the byte-order mark that
//! spreadsheets look for) or XLSX (numbers as numbers), every row, named
//! by table and period. Text that a spreadsheet would run as a formula
//! (`=`, `+`, `-`, `@` first) is written with a leading apostrophe.

use super::Query;
use super::tables::{self, Table};
use crate::Ui;
use crate::chrome::error_page;
use crate::session::Agent;
use app::AppError;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// Text a spreadsheet will not run.
fn inert(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) && text.parse::<f64>().is_err() {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn csv(t: &Table) -> Vec<u8> {
    let field = |s: &str| {
        let s = inert(s);
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s
        }
    };
    let mut out = String::from("\u{feff}");
    let line = |cells: Vec<String>| cells.join(",") + "\r\n";
    out.push_str(&line(t.head.iter().map(|h| field(h)).collect()));
    for row in &t.rows {
        out.push_str(&line(
            row.iter()
                .map(|c| match c.number {
                    Some(n) => n.to_string(),
                    None => field(&c.text),
                })
                .collect(),
        ));
    }
    out.into_bytes()
}

fn xlsx(t: &Table) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name(t.id)?;
    for (col, h) in t.head.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, inert(h), &bold)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (col, c) in row.iter().enumerate() {
            match c.number {
                Some(n) => sheet.write_number(r, col as u16, n)?,
                None => sheet.write_string(r, col as u16, inert(&c.text))?,
            };
        }
    }
    book.save_to_buffer()
}

/// `GET /agent/reports/export?…&table=days&format=csv|xlsx`.
pub async fn export(State(ui): State<Ui>, agent: Agent, RawQuery(raw): RawQuery) -> Response {
    let inner = async {
        let q = Query::parse(&raw.unwrap_or_default());
        let ask = q.ask(&agent.user.time_zone);
        let actor = agent.user.actor;
        let view = ui.app.report(actor, &ask).await?;
        let names = super::names::Names::load(&ui, actor).await?;
        let base = q.base(&ask);
        let wanted = q.table.as_deref().unwrap_or("days");
        let beside = super::beside(&ui, &agent, &view, &ask.filter).await?;
        let table = tables::all(agent.t(), &view, &names, &beside, &base)
            .into_iter()
            .find(|t| t.id == wanted)
            .ok_or(AppError::NotFound)?;
        let name = format!("atiende-{}-{}-{}", table.id, ask.first, ask.last);
        let (body, kind, ext) = match q.format.as_deref() {
            Some("xlsx") => (
                xlsx(&table).map_err(|e| AppError::Unavailable(e.to_string()))?,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "xlsx",
            ),
            _ => (csv(&table), "text/csv; charset=utf-8", "csv"),
        };
        let mut resp = body.into_response();
        let h = resp.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}.{ext}\"")) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        Ok::<_, AppError>(resp)
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_written_as_text_and_numbers_stay_numbers() {
        assert_eq!(inert("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(inert("-12.5"), "-12.5");
        assert_eq!(inert("Ana"), "Ana");
    }
}
