//! Views: saved ticket queues (conditions in Zendesk's shape, compiled to
//! the same search plan as `/search`), shared (admins) or personal.

use super::*;
use domain::audit_log::{AdminAction, AdminChange, AdminSource};

impl App {
    pub async fn save_view(
        &self,
        actor: Actor,
        id: Option<ViewId>,
        input: RuleInput,
    ) -> Result<View, AppError> {
        if actor.role != Role::Admin {
            return Err(AppError::forbidden("only admins define shared views"));
        }
        if let Some(cond) = &input.conditions {
            compile_view(
                cond,
                input.sort_by.clone().flatten().as_deref(),
                sort_order_of(input.sort_order.as_deref()),
            )?;
        }
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let mut v = match id {
                    Some(id) => rules::views(c, &[id.0])
                        .await?
                        .pop()
                        .ok_or(AppError::NotFound)?,
                    None => View {
                        id: ViewId(0),
                        title: String::new(),
                        description: None,
                        active: true,
                        position: 0,
                        conditions: String::new(),
                        sort_by: None,
                        sort_order: SortOrder::Desc,
                        created_at: now,
                        updated_at: now,
                    },
                };
                if let Some(t) = input.title {
                    v.title = t.trim().to_string();
                }
                if v.title.is_empty() {
                    return Err(AppError::field(FieldError::blank("title")));
                }
                if let Some(d) = input.description {
                    v.description = d;
                }
                if let Some(a) = input.active {
                    v.active = a;
                }
                if let Some(p) = input.position {
                    v.position = p;
                }
                if let Some(s) = input.sort_by {
                    v.sort_by = s;
                }
                if let Some(o) = input.sort_order {
                    v.sort_order = sort_order_of(Some(&o));
                }
                match input.conditions {
                    Some(cond) => v.conditions = cond.to_string(),
                    None if v.id.0 == 0 => {
                        return Err(AppError::field(FieldError::blank("conditions")));
                    }
                    None => {}
                }
                v.updated_at = now;
                let action = if v.id.0 == 0 {
                    AdminAction::Create
                } else {
                    AdminAction::Update
                };
                v.id = rules::save_view(c, &v).await?;
                let change = AdminChange::new(action, AdminSource::Rule, v.id.0, &v.title);
                crate::audit_log::record(c, &actor, change, now).await?;
                Ok(v)
            })
        })
        .await
    }

    pub async fn delete_view(&self, actor: Actor, id: ViewId) -> Result<(), AppError> {
        if actor.role != Role::Admin {
            return Err(AppError::forbidden("only admins delete shared views"));
        }
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let v = rules::views(c, &[id.0])
                    .await?
                    .pop()
                    .ok_or(AppError::NotFound)?;
                let change =
                    AdminChange::new(AdminAction::Destroy, AdminSource::Rule, id.0, &v.title);
                crate::audit_log::record(c, &actor, change, now).await?;
                crate::error::found(rules::delete_view(c, id).await?)
            })
        })
        .await
    }

    pub async fn get_view(&self, actor: Actor, id: ViewId) -> Result<View, AppError> {
        staff_only(&actor)?;
        let mut rc = self.read().await?;
        rules::views(&mut rc.conn(), &[id.0])
            .await?
            .pop()
            .ok_or(AppError::NotFound)
    }

    pub async fn list_views(
        &self,
        actor: Actor,
        only_active: bool,
        paging: Paging,
    ) -> Result<(Vec<View>, Paged), AppError> {
        staff_only(&actor)?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let cond = if only_active {
            "views t WHERE t.active = TRUE"
        } else {
            "views t WHERE 1 = 1"
        };
        let page = page_ids(c, cond, vec![], paging).await?;
        Ok((rules::views(c, &page.ids).await?, page))
    }

    /// Several views by id (`views/show_many`), unknown ids skipped.
    pub async fn views_by_ids(&self, actor: Actor, ids: &[ViewId]) -> Result<Vec<View>, AppError> {
        staff_only(&actor)?;
        let ids: Vec<i64> = ids.iter().map(|v| v.0).collect();
        let mut rc = self.read().await?;
        Ok(rules::views(&mut rc.conn(), &ids).await?)
    }

    /// One page of a view's tickets and their total, as the caller sees them.
    pub async fn view_tickets(
        &self,
        actor: Actor,
        id: ViewId,
        offset: i64,
        limit: i64,
    ) -> Result<(View, Vec<store::model::Ticket>, i64), AppError> {
        let v = self.get_view(actor, id).await?;
        let conditions: Json = serde_json::from_str(&v.conditions).unwrap_or_else(|_| json!({}));
        let plan = compile_view(&conditions, v.sort_by.as_deref(), v.sort_order)?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let (ids, total) = sql::ticket_page(c, &plan, &actor, offset, limit).await?;
        let ts = tickets::get_many(c, &ids, false).await?;
        Ok((v, ts, total))
    }
}

/// A view's sort order as given: `asc`, else descending (Zendesk's default).
fn sort_order_of(given: Option<&str>) -> SortOrder {
    match given.map(str::parse) {
        Some(Ok(SortOrder::Asc)) => SortOrder::Asc,
        _ => SortOrder::Desc,
    }
}
