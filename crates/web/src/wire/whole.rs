//! Paging over a list read whole (fields, forms, lines, widgets…: lists
//! of tens, kept in memory anyway): both of Zendesk's paging styles, as
//! [`super::page`] answers them for lists paged by the store.

use super::{cursor_page, page};
use crate::ctx::Ctx;
use crate::error::ApiError;
use app::{Paged, Paging};
use serde_json::Value as Json;

/// `records` (in the list's own order; each with its `id`) as the page
/// the request asks for: offset pages keep the list's order; cursor pages
/// go by id, as Zendesk's cursors do.
pub fn page_whole<T: serde::Serialize>(
    ctx: &Ctx,
    key: &str,
    records: Vec<T>,
) -> Result<Json, ApiError> {
    let items = with_ids(records);
    let (chosen, paged) = slice(items, ctx.paging()?);
    let ids = (
        chosen.first().map(|(id, _)| *id),
        chosen.last().map(|(id, _)| *id),
    );
    let items = chosen.into_iter().map(|(_, item)| item).collect();
    Ok(page(ctx, key, items, &paged, ids))
}

/// Like [`page_whole`], for the lists Zendesk pages by cursor only
/// (webhooks): without `page[…]` the first hundred, with `meta` and
/// `links` all the same.
pub fn page_whole_cursor<T: serde::Serialize>(
    ctx: &Ctx,
    key: &str,
    records: Vec<T>,
) -> Result<Json, ApiError> {
    let (chosen, paged) = slice(with_ids(records), ctx.cursor_paging()?);
    let ids = (
        chosen.first().map(|(id, _)| *id),
        chosen.last().map(|(id, _)| *id),
    );
    let items = chosen.into_iter().map(|(_, r)| r).collect();
    Ok(cursor_page(ctx, key, items, &paged, ids))
}

/// Each record as JSON with the key cursors go by: its numeric `id`; for
/// records whose ids are text (routing attributes' UUIDs), their place in
/// id order; for records without one (tags), their place in the list.
fn with_ids<T: serde::Serialize>(records: Vec<T>) -> Vec<(i64, Json)> {
    let items: Vec<(Option<i64>, Json)> = records
        .into_iter()
        .map(|r| {
            let r = serde_json::to_value(r).unwrap_or(Json::Null);
            (r["id"].as_i64(), r)
        })
        .collect();
    if items.iter().all(|(id, _)| id.is_some()) {
        return items
            .into_iter()
            .map(|(id, r)| (id.unwrap_or(0), r))
            .collect();
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|i| items[*i].1["id"].to_string());
    let mut place = vec![0_i64; items.len()];
    for (rank, i) in order.into_iter().enumerate() {
        place[i] = rank as i64 + 1;
    }
    items
        .into_iter()
        .zip(place)
        .map(|((_, r), key)| (key, r))
        .collect()
}

/// The records of one page, and what the answer says of the pages around.
fn slice(mut items: Vec<(i64, Json)>, paging: Paging) -> (Vec<(i64, Json)>, Paged) {
    let total = items.len();
    match paging {
        Paging::Offset { page, per_page } => {
            let per_page = usize::try_from(per_page).unwrap_or(100);
            let start = usize::try_from(page - 1)
                .unwrap_or(0)
                .saturating_mul(per_page)
                .min(total);
            let end = start.saturating_add(per_page).min(total);
            let chosen: Vec<(i64, Json)> = items.drain(start..end).collect();
            let paged = Paged {
                ids: Vec::new(),
                count: Some(total as i64),
                has_more: end < total,
                has_prev: start > 0,
            };
            (chosen, paged)
        }
        Paging::Cursor {
            after,
            before,
            size,
        } => {
            let size = usize::try_from(size).unwrap_or(100);
            items.sort_by_key(|(id, _)| *id);
            let (chosen, has_more, has_prev) = match (after, before) {
                (_, Some(b)) => {
                    let below = items.iter().take_while(|(id, _)| *id < b).count();
                    let from = below.saturating_sub(size);
                    let chosen: Vec<(i64, Json)> = items.drain(from..below).collect();
                    (chosen, below < total, from > 0)
                }
                (a, None) => {
                    let from = a.map_or(0, |a| items.iter().take_while(|(id, _)| *id <= a).count());
                    let to = from.saturating_add(size).min(total);
                    let chosen: Vec<(i64, Json)> = items.drain(from..to).collect();
                    (chosen, to < total, from > 0)
                }
            };
            let paged = Paged {
                ids: Vec::new(),
                count: None,
                has_more,
                has_prev,
            };
            (chosen, paged)
        }
    }
}
