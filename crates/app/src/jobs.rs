//! Bulk operations that answer with a job status. Each item is its own unit
//! (one failing ticket does not undo the others) and the job status records
//! every item's outcome; the work is done and durable before the job status
//! is returned, so a client that polls sees it completed.

use crate::pipeline::{Change, WriteRequest};
use crate::tickets::{TicketInput, delete_in};
use crate::{App, AppError};
use domain::{Actor, Channel, TicketId, Timestamp};
use serde_json::{Value as Json, json};
use store::model::JobStatus;
use store::repo::jobs;

/// What went wrong with one item, for the job's results.
pub(crate) fn describe(e: &AppError) -> String {
    match e {
        AppError::Invalid(fields) => fields
            .iter()
            .map(|f| f.description.clone())
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

impl App {
    pub(crate) async fn finish_job(
        &self,
        actor: Actor,
        kind: &str,
        results: Vec<Json>,
    ) -> Result<JobStatus, AppError> {
        let now = Timestamp::now();
        let total = results.len() as i64;
        let failed = results
            .iter()
            .filter(|r| r["success"] == json!(false))
            .count();
        let job = JobStatus {
            id: crate::auth::random_token(24),
            kind: kind.into(),
            status: domain::model::JobState::Completed,
            total,
            progress: total,
            message: Some(format!("Completed at {} ({failed} failed)", now.to_iso())),
            results: Json::Array(results).to_string(),
            created_at: now,
            updated_at: now,
            owner_id: Some(actor.user),
        };
        let stored = job.clone();
        self.write(move |c| Box::pin(async move { Ok(jobs::upsert(c, &stored).await?) }))
            .await?;
        Ok(job)
    }

    /// Applies one change set to each ticket, or one per ticket.
    pub async fn update_many_tickets(
        &self,
        actor: Actor,
        items: Vec<(TicketId, TicketInput)>,
    ) -> Result<JobStatus, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut results = Vec::with_capacity(items.len());
        let hooks = self.hooks().await?;
        for (id, input) in items {
            let now = Timestamp::now();
            let hooks = hooks.clone();
            let r = match crate::tickets::CommentText::of_update(&input) {
                Ok(text) => {
                    let change = Change::Update { id, input, text };
                    self.write_ticket(hooks, WriteRequest::new(actor, Channel::Api, change), now)
                        .await
                }
                Err(e) => Err(e),
            };
            results.push(match r {
                Ok(_) => json!({"id": id.0, "action": "update", "success": true, "status": "Updated"}),
                Err(e) => json!({"id": id.0, "action": "update", "success": false, "status": "Failed", "errors": describe(&e)}),
            });
        }
        self.finish_job(actor, "bulk_update", results).await
    }

    /// Creates each ticket in turn.
    pub async fn create_many_tickets(
        &self,
        actor: Actor,
        inputs: Vec<TicketInput>,
    ) -> Result<JobStatus, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut results = Vec::with_capacity(inputs.len());
        for (index, input) in inputs.into_iter().enumerate() {
            results.push(match self.create_ticket(actor, input, Channel::Api).await {
                Ok(w) => json!({"id": w.ticket.id.0, "index": index, "action": "create", "success": true, "status": "Created"}),
                Err(e) => json!({"index": index, "action": "create", "success": false, "status": "Failed", "errors": describe(&e)}),
            });
        }
        self.finish_job(actor, "bulk_create", results).await
    }

    /// Creates each user in turn.
    pub async fn create_many_users(
        &self,
        actor: Actor,
        inputs: Vec<crate::users::UserInput>,
    ) -> Result<JobStatus, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut results = Vec::with_capacity(inputs.len());
        for (index, input) in inputs.into_iter().enumerate() {
            results.push(match self.create_user(actor, input).await {
                Ok(u) => json!({"id": u.id.0, "index": index, "action": "create", "success": true, "status": "Created", "email": u.email}),
                Err(e) => json!({"index": index, "action": "create", "success": false, "status": "Failed", "errors": describe(&e)}),
            });
        }
        self.finish_job(actor, "bulk_create_users", results).await
    }

    /// Deletes each ticket in turn.
    pub async fn destroy_many_tickets(
        &self,
        actor: Actor,
        ids: Vec<TicketId>,
    ) -> Result<JobStatus, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut results = Vec::with_capacity(ids.len());
        for id in ids {
            let now = Timestamp::now();
            let r = self
                .write(move |c| Box::pin(async move { delete_in(c, actor, id, now).await }))
                .await;
            results.push(match r {
                Ok(()) => json!({"id": id.0, "action": "delete", "success": true, "status": "Deleted"}),
                Err(e) => json!({"id": id.0, "action": "delete", "success": false, "status": "Failed", "errors": describe(&e)}),
            });
        }
        self.finish_job(actor, "bulk_delete", results).await
    }

    /// Records a merge as a completed job, as Zendesk answers merges.
    pub async fn merge_job(
        &self,
        actor: Actor,
        target: TicketId,
        sources: Vec<TicketId>,
        notes: crate::tickets::MergeNotes,
    ) -> Result<JobStatus, AppError> {
        let result = match self
            .merge_tickets(actor, target, sources.clone(), notes)
            .await
        {
            Ok(_) => {
                json!({"id": target.0, "action": "merge", "success": true, "status": "Merged", "source_ids": sources.iter().map(|s| s.0).collect::<Vec<_>>()})
            }
            Err(e @ (AppError::Forbidden(_) | AppError::NotFound)) => return Err(e),
            Err(e) => {
                json!({"id": target.0, "action": "merge", "success": false, "status": "Failed", "errors": describe(&e)})
            }
        };
        self.finish_job(actor, "merge", vec![result]).await
    }

    /// A job status by id: its creator's and admins' to read (the results
    /// name tickets and errors of someone's bulk change).
    pub async fn job_status(&self, actor: Actor, id: &str) -> Result<JobStatus, AppError> {
        let mut rc = self.read().await?;
        jobs::get(&mut rc.conn(), id)
            .await?
            .filter(|j| domain::policy::may_read_job(&actor, j.owner_id))
            .ok_or(AppError::NotFound)
    }
}
