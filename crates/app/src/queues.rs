//! The agent's queues: the built-in ones every help desk has (my open
//! tickets, unassigned in my groups, all unsolved, pending, recently
//! solved) and the views admins define. Both compile to a search plan, so
//! they run through the same query code as search and the views API.

use crate::rules::compile_view;
use crate::{App, AppError};
use domain::{Actor, ViewId};
use serde_json::{Value as Json, json};
use store::model::Ticket;
use store::repo::{groups, search as sql, tickets};

/// Counts in the queue list stop here ("1000+"): exact counts of broad
/// queues cost a scan per page view.
pub const COUNT_CAP: i64 = 1000;

/// A queue an agent can open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    MyOpen,
    UnassignedInMyGroups,
    AllUnsolved,
    Pending,
    RecentlySolved,
    /// An admin-defined view, by id.
    View(ViewId),
}

impl Queue {
    /// The built-in queues, in the order the workspace lists them.
    pub const BUILT_IN: [Queue; 5] = [
        Queue::MyOpen,
        Queue::UnassignedInMyGroups,
        Queue::AllUnsolved,
        Queue::Pending,
        Queue::RecentlySolved,
    ];

    /// The queue's key in URLs (`/agent?queue=my-open`).
    pub fn key(self) -> String {
        match self {
            Queue::MyOpen => "my-open".into(),
            Queue::UnassignedInMyGroups => "unassigned".into(),
            Queue::AllUnsolved => "unsolved".into(),
            Queue::Pending => "pending".into(),
            Queue::RecentlySolved => "solved".into(),
            Queue::View(id) => format!("view-{id}"),
        }
    }

    pub fn from_key(s: &str) -> Option<Queue> {
        Some(match s {
            "my-open" => Queue::MyOpen,
            "unassigned" => Queue::UnassignedInMyGroups,
            "unsolved" => Queue::AllUnsolved,
            "pending" => Queue::Pending,
            "solved" => Queue::RecentlySolved,
            other => Queue::View(other.strip_prefix("view-")?.parse().ok()?),
        })
    }
}

/// One page of a queue.
#[derive(Debug, Clone)]
pub struct QueuePage {
    pub tickets: Vec<Ticket>,
    /// Capped at [`COUNT_CAP`] + 1.
    pub total: i64,
}

impl App {
    /// Zendesk view conditions for a built-in queue (a view's own, for a
    /// saved view), with its default sort.
    pub(crate) async fn queue_plan(
        &self,
        actor: Actor,
        queue: Queue,
        sort: Option<&str>,
    ) -> Result<search::plan::Plan, AppError> {
        let unsolved = json!({"field": "status", "operator": "less_than", "value": "solved"});
        let (conditions, default_sort): (Json, &str) = match queue {
            Queue::MyOpen => (
                json!({"all": [unsolved, {"field": "assignee_id", "operator": "is", "value": "current_user"}]}),
                "updated_at",
            ),
            Queue::UnassignedInMyGroups => {
                let mut rc = self.read().await?;
                let mine = groups::group_ids_of(&mut rc.conn(), actor.user).await?;
                let mut all = vec![
                    unsolved,
                    json!({"field": "assignee_id", "operator": "is", "value": ""}),
                ];
                let any: Vec<Json> = mine
                    .iter()
                    .map(|g| json!({"field": "group_id", "operator": "is", "value": g.0.to_string()}))
                    .collect();
                if any.is_empty() {
                    // In no group: the unassigned tickets no group holds.
                    all.push(json!({"field": "group_id", "operator": "is", "value": ""}));
                }
                (json!({"all": all, "any": any}), "created_at")
            }
            Queue::AllUnsolved => (json!({"all": [unsolved]}), "updated_at"),
            Queue::Pending => (
                json!({"all": [{"field": "status", "operator": "is", "value": "pending"}]}),
                "updated_at",
            ),
            Queue::RecentlySolved => (
                json!({"all": [{"field": "status", "operator": "is", "value": "solved"}]}),
                "updated_at",
            ),
            Queue::View(id) => {
                let v = self.get_view(actor, id).await?;
                let conditions: Json =
                    serde_json::from_str(&v.conditions).unwrap_or_else(|_| json!({}));
                let sort_by = sort.or(v.sort_by.as_deref()).unwrap_or("created_at");
                return compile_view(&conditions, Some(sort_by), v.sort_order);
            }
        };
        compile_view(
            &conditions,
            Some(sort.unwrap_or(default_sort)),
            store::model::SortOrder::Desc,
        )
    }

    /// One page of a queue, newest first unless `sort` says otherwise.
    pub async fn queue_page(
        &self,
        actor: Actor,
        queue: Queue,
        sort: Option<&str>,
        offset: i64,
        limit: i64,
    ) -> Result<QueuePage, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let plan = self.queue_plan(actor, queue, sort).await?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let total = sql::count_capped(
            c,
            &plan,
            search::plan::ResultType::Ticket,
            &actor,
            COUNT_CAP,
        )
        .await?;
        let ids = sql::ids(
            c,
            &plan,
            search::plan::ResultType::Ticket,
            &actor,
            offset,
            limit,
        )
        .await?;
        let tickets = tickets::get_many(c, &ids, false).await?;
        Ok(QueuePage { tickets, total })
    }

    /// How many tickets each queue holds (capped), for the queue list.
    pub async fn queue_counts(
        &self,
        actor: Actor,
        queues: &[Queue],
    ) -> Result<Vec<(Queue, i64)>, AppError> {
        let mut out = Vec::with_capacity(queues.len());
        for q in queues {
            let plan = self.queue_plan(actor, *q, None).await?;
            let mut rc = self.read().await?;
            let n = sql::count_capped(
                &mut rc.conn(),
                &plan,
                search::plan::ResultType::Ticket,
                &actor,
                COUNT_CAP,
            )
            .await?;
            out.push((*q, n));
        }
        Ok(out)
    }
}
