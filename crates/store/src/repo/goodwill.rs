//! Goodwill gestures (`goodwill_gestures`): kept per case, totalled per
//! period for the reports.

use crate::{Conn, StoreError, Value, q};
use domain::goodwill::{Currency, Gesture, GestureKind, GestureTotal, Money};
use domain::report::{Period, ReportFilter};
use domain::{AuditId, GestureId, TicketId, Timestamp, UserId};

const COLS: &str = "id, ticket_id, agent_id, kind, amount_minor, currency, reason, created_at";

fn gesture(r: &crate::Row) -> Result<Gesture, StoreError> {
    let value = match (r.opt_int(4)?, r.opt_text(5)?) {
        (Some(minor), Some(code)) => {
            Currency::parse(&code).map(|currency| Money { minor, currency })
        }
        _ => None,
    };
    Ok(Gesture {
        id: GestureId(r.int(0)?),
        ticket_id: TicketId(r.int(1)?),
        agent_id: UserId(r.int(2)?),
        kind: r.word(3)?,
        value,
        reason: r.text(6)?,
        created_at: Timestamp(r.int(7)?),
    })
}

/// Keeps a gesture, written with the audit that notes it; its id.
pub async fn insert(
    c: &mut Conn<'_>,
    g: &Gesture,
    audit: Option<AuditId>,
) -> Result<GestureId, StoreError> {
    let (minor, currency) = match &g.value {
        Some(m) => (Some(m.minor), Some(m.currency.as_str().to_string())),
        None => (None, None),
    };
    Ok(GestureId(
        c.insert(
            q("INSERT INTO goodwill_gestures (ticket_id, agent_id, kind, amount_minor, currency, reason, audit_id, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
            .bind(g.ticket_id)
            .bind(g.agent_id)
            .bind(g.kind)
            .bind(minor)
            .bind(currency)
            .bind(g.reason.clone())
            .bind(audit)
            .bind(g.created_at),
        )
        .await?,
    ))
}

/// A case's gestures, oldest first.
pub async fn of_ticket(c: &mut Conn<'_>, ticket: TicketId) -> Result<Vec<Gesture>, StoreError> {
    c.all(
        q(format!(
            "SELECT {COLS} FROM goodwill_gestures WHERE ticket_id = $1 ORDER BY created_at, id"
        ))
        .bind(ticket),
    )
    .await?
    .iter()
    .map(gesture)
    .collect()
}

/// The gestures made in the period on tickets the filter admits, as SQL:
/// the `FROM … WHERE` part and its arguments.
fn in_period(period: Period, filter: &ReportFilter) -> (String, Vec<Value>) {
    let mut args: Vec<Value> = vec![period.from.into(), period.to.into()];
    let cond = super::reports::conditions(filter, &mut args);
    let from = if cond.is_empty() {
        "FROM goodwill_gestures g WHERE g.created_at >= $1 AND g.created_at < $2".to_string()
    } else {
        format!(
            "FROM goodwill_gestures g WHERE g.created_at >= $1 AND g.created_at < $2 \
             AND g.ticket_id IN (SELECT ticket_id FROM report_tickets WHERE 1 = 1{cond})"
        )
    };
    (from, args)
}

/// The period's gestures per currency and kind (filtered by their
/// tickets), in that order.
pub async fn totals(
    c: &mut Conn<'_>,
    period: Period,
    filter: &ReportFilter,
) -> Result<Vec<GestureTotal>, StoreError> {
    let (from, args) = in_period(period, filter);
    let mut query = q(format!(
        // PostgreSQL sums BIGINTs as NUMERIC: cast back.
        "SELECT g.currency, g.kind, COUNT(*), CAST(COALESCE(SUM(g.amount_minor), 0) AS BIGINT) {from} \
         GROUP BY g.currency, g.kind"
    ));
    query.args = args;
    let mut totals = c
        .all(query)
        .await?
        .iter()
        .map(|r| {
            Ok(GestureTotal {
                currency: r.opt_text(0)?.as_deref().and_then(Currency::parse),
                kind: r.word::<GestureKind>(1)?,
                count: r.int(2)?,
                minor: r.int(3)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    totals.sort();
    Ok(totals)
}

/// The tickets of the period's gestures (filtered), newest gesture first.
pub async fn tickets(
    c: &mut Conn<'_>,
    period: Period,
    filter: &ReportFilter,
) -> Result<Vec<TicketId>, StoreError> {
    let (from, args) = in_period(period, filter);
    let mut query = q(format!(
        "SELECT g.ticket_id, MAX(g.created_at) {from} GROUP BY g.ticket_id ORDER BY 2 DESC, 1 DESC"
    ));
    query.args = args;
    c.all(query)
        .await?
        .iter()
        .map(|r| Ok(TicketId(r.int(0)?)))
        .collect()
}
