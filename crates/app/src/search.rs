//! The search use case: one query over tickets, users, organizations and
//! groups, restricted to what the caller may see.

use crate::{App, AppError};
use domain::{Actor, Timestamp};
use search::{Plan, PlanError, ResultType, SortKey};
use store::model::{Group, Organization, Ticket, User};
use store::repo::{groups, orgs, search as sql, tickets, users};

/// One search hit, typed.
#[derive(Debug, Clone)]
pub enum Hit {
    Ticket(Ticket),
    User(User),
    Organization(Organization),
    Group(Group),
}

/// A page of hits and the total.
#[derive(Debug, Clone)]
pub struct SearchPage {
    pub hits: Vec<Hit>,
    pub count: i64,
}

/// The analyzer's output format; bump it when terms change so existing
/// databases are reindexed at start (2: tags are index terms).
pub const INDEX_VERSION: &str = "2";

/// How many results a search pages through, as Zendesk (1,000). The
/// `count` a search reports stops there too, which keeps a query matching
/// most of a million tickets cheap; `search/count` counts exactly.
pub const RESULT_CAP: i64 = 1_000;

const ORDER: [ResultType; 4] = [
    ResultType::Ticket,
    ResultType::User,
    ResultType::Organization,
    ResultType::Group,
];

/// Plans a query, with the `sort_by`/`sort_order` parameters applied.
pub fn plan_query(
    query: &str,
    sort_by: Option<&str>,
    sort_order: Option<&str>,
    only: Option<ResultType>,
) -> Result<Plan, AppError> {
    let mut plan = search::plan(query, Timestamp::now())
        .map_err(|e: PlanError| AppError::bad(e.to_string()))?;
    if let Some(s) = sort_by {
        plan.sort = search::parse_sort_key(s)
            .ok_or_else(|| AppError::bad(format!("sort_by: {s} is not a sortable field")))?;
    }
    if let Some(o) = sort_order {
        plan.descending = !o.eq_ignore_ascii_case("asc");
    } else if sort_by.is_some() && plan.sort != SortKey::Relevance {
        plan.descending = true;
    }
    if let Some(t) = only
        && !plan.types.contains(&t)
    {
        plan.types.push(t);
        plan.types.retain(|x| *x == t);
    }
    Ok(plan)
}

impl App {
    /// Runs a planned search and returns one page, offset-paged across the
    /// result types in a fixed order (tickets, users, organizations, groups).
    pub async fn search(
        &self,
        actor: Actor,
        plan: &Plan,
        offset: i64,
        limit: i64,
    ) -> Result<SearchPage, AppError> {
        if offset + limit > RESULT_CAP {
            return Err(AppError::SearchWindow(format!(
                "search results are capped at {RESULT_CAP}; narrow the query, or use search/count for the exact total"
            )));
        }
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        // A customer's text search is matched against what they may read.
        let customer_hits = if crate::ticket_reads::needs_customer_matching(&actor, plan) {
            Some(crate::ticket_reads::customer_ticket_ids(c, &actor, plan, RESULT_CAP).await?)
        } else {
            None
        };
        let mut counts = Vec::with_capacity(4);
        for kind in ORDER {
            counts.push(match (&customer_hits, kind) {
                (Some(ids), ResultType::Ticket) => ids.len() as i64,
                _ if plan.wants(kind) => {
                    sql::count_capped(c, plan, kind, &actor, RESULT_CAP).await?
                }
                _ => 0,
            });
        }
        let total = counts.iter().sum::<i64>().min(RESULT_CAP);
        let mut hits = Vec::new();
        let (mut skip, mut want) = (offset, limit);
        for (kind, n) in ORDER.into_iter().zip(counts) {
            if want <= 0 {
                break;
            }
            if skip >= n {
                skip -= n;
                continue;
            }
            let ids = match (&customer_hits, kind) {
                (Some(found), ResultType::Ticket) => found
                    .iter()
                    .skip(skip as usize)
                    .take(want as usize)
                    .copied()
                    .collect(),
                _ => sql::ids(c, plan, kind, &actor, skip, want).await?,
            };
            skip = 0;
            want -= ids.len() as i64;
            match kind {
                ResultType::Ticket => {
                    let found = tickets::get_many(c, &ids, false).await?;
                    let found = crate::ticket_reads::for_reader(c, &actor, found).await?;
                    hits.extend(found.into_iter().map(Hit::Ticket))
                }
                ResultType::User => {
                    hits.extend(users::get_many(c, &ids).await?.into_iter().map(Hit::User))
                }
                ResultType::Organization => {
                    let mut found = orgs::get_many(c, &ids).await?;
                    found.sort_by_key(|o| ids.iter().position(|i| *i == o.id.0));
                    hits.extend(found.into_iter().map(Hit::Organization));
                }
                ResultType::Group => {
                    let mut found = groups::get_many(c, &ids).await?;
                    found.sort_by_key(|g| ids.iter().position(|i| *i == g.id.0));
                    hits.extend(found.into_iter().map(Hit::Group));
                }
            }
        }
        Ok(SearchPage { hits, count: total })
    }

    /// Only the number of matches.
    pub async fn search_count(&self, actor: Actor, plan: &Plan) -> Result<i64, AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let mut total = 0;
        for kind in ORDER {
            if kind == ResultType::Ticket
                && crate::ticket_reads::needs_customer_matching(&actor, plan)
            {
                total += crate::ticket_reads::customer_ticket_ids(c, &actor, plan, i64::MAX)
                    .await?
                    .len() as i64;
            } else if plan.wants(kind) {
                total += sql::count(c, plan, kind, &actor).await?;
            }
        }
        Ok(total)
    }

    /// Rebuilds the ticket index if it was built by an older analyzer
    /// (recorded in settings); a new, empty database just records the
    /// current version. Returns how many tickets were reindexed.
    pub async fn ensure_index_current(&self) -> Result<i64, AppError> {
        let (version, tickets) = {
            let mut rc = self.read().await?;
            let c = &mut rc.conn();
            let v = store::repo::settings::get(c, "ticket_index_version").await?;
            let n = c
                .scalar(store::q(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM tickets LIMIT 1) x",
                ))
                .await?;
            (v, n)
        };
        if version.as_deref() == Some(INDEX_VERSION) {
            return Ok(0);
        }
        let n = if tickets > 0 {
            self.reindex().await?
        } else {
            0
        };
        self.write(|c| {
            Box::pin(async move {
                Ok(store::repo::settings::set(c, "ticket_index_version", INDEX_VERSION).await?)
            })
        })
        .await?;
        Ok(n)
    }

    /// Rebuilds the ticket text index from the tickets and comments, in
    /// batches (for `atiende reindex` and analyzer upgrades).
    pub async fn reindex(&self) -> Result<i64, AppError> {
        self.write(|c| Box::pin(async move { Ok(sql::clear_index(c).await?) }))
            .await?;
        let mut after = 0i64;
        let mut done = 0i64;
        loop {
            let batch = self
                .write(move |c| {
                    Box::pin(async move {
                        let rows = c
                            .all(store::q("SELECT id, subject, tags FROM tickets WHERE id > $1 AND deleted_at IS NULL ORDER BY id LIMIT 500").bind(after))
                            .await?;
                        let mut last = None;
                        for r in &rows {
                            let id = domain::TicketId(r.int(0)?);
                            let bodies = store::repo::comments::bodies(c, id).await?;
                            sql::index_ticket(c, id, &crate::tickets::ticket_terms(&r.text(1)?, &store::model::split_tags(&r.text(2)?), &bodies)).await?;
                            last = Some(id.0);
                        }
                        Ok::<_, AppError>((last, rows.len() as i64))
                    })
                })
                .await?;
            done += batch.1;
            match batch.0 {
                Some(l) => after = l,
                None => break,
            }
        }
        Ok(done)
    }
}
