//! Paging for every list, in the two shapes Zendesk clients use: offset
//! (`page`, `per_page`, with a total count) and cursor (`page[size]`,
//! `page[after]`, `page[before]`, ordered by id). Lists give a `FROM … WHERE …`
//! fragment and get back the ids of one page.

use crate::{Conn, StoreError, Value, q};

/// Which page of a list is wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// 1-based page number and page size.
    Offset { page: i64, per_page: i64 },
    /// Ids strictly after or before a cursor id, `size` at a time.
    Cursor {
        after: Option<i64>,
        before: Option<i64>,
        size: i64,
    },
}

/// One page of ids with what the response needs to link onwards.
#[derive(Debug, Clone, Default)]
pub struct Paged {
    pub ids: Vec<i64>,
    /// Total matches (offset paging only).
    pub count: Option<i64>,
    /// More rows after this page.
    pub has_more: bool,
    /// Rows before this page.
    pub has_prev: bool,
}

/// `$start, $start+1, …` for an `IN (…)` list of `n` values.
pub fn placeholders(start: usize, n: usize) -> String {
    (start..start + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Pages through `SELECT t.id FROM {from_where}`; `from_where` must alias the
/// table `t` and contain a WHERE clause using `$1…$n` for `args`.
pub async fn page_ids(
    c: &mut Conn<'_>,
    from_where: &str,
    args: Vec<Value>,
    paging: Paging,
) -> Result<Paged, StoreError> {
    let n = args.len();
    let with = |sql: String, extra: Vec<Value>| {
        let mut query = q(sql);
        query.args = args.iter().cloned().chain(extra).collect();
        query
    };
    match paging {
        Paging::Offset { page, per_page } => {
            let page = page.max(1);
            let ids = c
                .all(with(
                    format!(
                        "SELECT t.id FROM {from_where} ORDER BY t.id LIMIT ${} OFFSET ${}",
                        n + 1,
                        n + 2
                    ),
                    vec![Value::Int(per_page), Value::Int((page - 1) * per_page)],
                ))
                .await?
                .iter()
                .map(|r| r.int(0))
                .collect::<Result<Vec<_>, _>>()?;
            let count = c
                .scalar(with(format!("SELECT COUNT(*) FROM {from_where}"), vec![]))
                .await?;
            Ok(Paged {
                has_more: page * per_page < count,
                has_prev: page > 1,
                count: Some(count),
                ids,
            })
        }
        Paging::Cursor {
            after,
            before,
            size,
        } => {
            let (cond, order, cursor) = match (before, after) {
                (Some(b), _) => (format!(" AND t.id < ${}", n + 1), "DESC", Some(b)),
                (None, Some(a)) => (format!(" AND t.id > ${}", n + 1), "ASC", Some(a)),
                (None, None) => (String::new(), "ASC", None),
            };
            let limit_at = n + 1 + usize::from(cursor.is_some());
            let mut extra: Vec<Value> = cursor.map(Value::Int).into_iter().collect();
            extra.push(Value::Int(size + 1));
            let mut ids = c
                .all(with(format!("SELECT t.id FROM {from_where}{cond} ORDER BY t.id {order} LIMIT ${limit_at}"), extra))
                .await?
                .iter()
                .map(|r| r.int(0))
                .collect::<Result<Vec<_>, _>>()?;
            let overflow = ids.len() as i64 > size;
            ids.truncate(usize::try_from(size).unwrap_or(0));
            if before.is_some() {
                ids.reverse();
                Ok(Paged {
                    ids,
                    count: None,
                    has_more: true,
                    has_prev: overflow,
                })
            } else {
                Ok(Paged {
                    ids,
                    count: None,
                    has_more: overflow,
                    has_prev: after.is_some(),
                })
            }
        }
    }
}
