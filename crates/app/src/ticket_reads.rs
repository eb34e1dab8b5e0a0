//! What a customer may read of their tickets, applied on every way out
//! (one ticket, lists, search): never an internal note's text, so a ticket
//! opened with an internal first comment shows no description, and a text
//! search matches only the subject and public comments (an internal note
//! must not move a count); tags are staff's working notes and are not
//! shown either. Staff read everything.

use crate::AppError;
use domain::Actor;
use search::plan::Cond;
use search::{Plan, ResultType};
use store::Conn;
use store::model::Ticket;
use store::repo::{comments, search as sql, tickets};

/// `tickets` as `actor` may read them.
pub(crate) async fn for_reader(
    c: &mut Conn<'_>,
    actor: &Actor,
    mut list: Vec<Ticket>,
) -> Result<Vec<Ticket>, AppError> {
    if domain::policy::reads_internal(actor) || list.is_empty() {
        return Ok(list);
    }
    let ids: Vec<i64> = list.iter().map(|t| t.id.0).collect();
    let private = comments::private_descriptions(c, &ids).await?;
    for t in &mut list {
        if private.contains(&t.id) {
            t.description = String::new();
        }
        t.tags.clear();
    }
    Ok(list)
}

/// Whether a customer's search must be matched here rather than by the
/// text index (which holds internal notes' words too).
pub(crate) fn needs_customer_matching(actor: &Actor, plan: &Plan) -> bool {
    !domain::policy::reads_internal(actor)
        && plan.wants(ResultType::Ticket)
        && (!plan.text.is_empty() || has_tags(plan))
}

fn has_tags(plan: &Plan) -> bool {
    plan.clauses.iter().any(|c| {
        c.any
            .iter()
            .any(|x| matches!(x, Cond::Tag(_) | Cond::TagNone))
    })
}

/// The ids of a customer's tickets matching `plan`, in the plan's order:
/// the other conditions by SQL (already limited to their own tickets),
/// the text against what they may read. Tags are staff's, so a query
/// naming tags matches nothing.
pub(crate) async fn customer_ticket_ids(
    c: &mut Conn<'_>,
    actor: &Actor,
    plan: &Plan,
    cap: i64,
) -> Result<Vec<i64>, AppError> {
    if has_tags(plan) {
        return Ok(vec![]);
    }
    let mut conditions = plan.clone();
    let text = std::mem::take(&mut conditions.text);
    let candidates = sql::ids(c, &conditions, ResultType::Ticket, actor, 0, cap).await?;
    let mut found = Vec::new();
    for t in tickets::get_many(c, &candidates, false).await? {
        let bodies = comments::public_bodies(c, t.id).await?;
        let terms = crate::tickets::ticket_terms(&t.subject, &[], &bodies);
        let terms: Vec<&str> = terms.split_whitespace().collect();
        if text
            .iter()
            .all(|(negated, term)| term.matches(&terms) != *negated)
        {
            found.push(t.id.0);
        }
    }
    // `get_many` may reorder; keep the plan's order.
    found.sort_by_key(|id| candidates.iter().position(|c| c == id));
    Ok(found)
}
