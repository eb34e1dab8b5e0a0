//! The clockwork: automations and surveys every minute, the reports'
//! fold of the event log every few seconds, the SLA breach watcher every
//! few seconds, the router's queue pass (with chat offers not accepted in
//! time) every few seconds (and at once when an agent's presence changes). Each job runs on the node holding its
//! lease, so with several nodes each pass runs once; if that node dies its
//! lease runs out and another takes over.

use crate::{App, AppError};
use domain::Timestamp;
use std::time::{Duration, Instant};
use store::repo::leases;

/// How long a node holds a job's lease; renewed at every pass.
const LEASE_SECS: i64 = 30;

impl App {
    /// Takes or renews a named lease for this node.
    pub async fn take_lease(&self, name: &str, node: &str, secs: i64) -> Result<bool, AppError> {
        let (name, node) = (name.to_string(), node.to_string());
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                Ok(leases::take(c, &name, &node, now, Timestamp(now.0 + secs)).await?)
            })
        })
        .await
    }
}

/// How often each job runs.
#[derive(Debug, Clone)]
pub struct Cadence {
    pub automations: Duration,
    pub sla: Duration,
    pub routing: Duration,
}

impl Default for Cadence {
    fn default() -> Self {
        Cadence {
            automations: Duration::from_secs(60),
            sla: Duration::from_secs(10),
            routing: Duration::from_secs(5),
        }
    }
}

/// Runs the jobs for as long as the process lives.
pub fn spawn(app: App, node: String, cadence: Cadence) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let start = Instant::now() - cadence.automations;
        let (mut autos, mut sla, mut surveys) = (start, start, start);
        loop {
            let tick = cadence.routing.min(cadence.sla);
            let _ = tokio::time::timeout(tick, app.routing_wake.notified()).await;
            let jobs: [(&str, bool); 5] = [
                ("automations", autos.elapsed() >= cadence.automations),
                ("surveys", surveys.elapsed() >= cadence.automations),
                ("sla", sla.elapsed() >= cadence.sla),
                ("routing", true),
                ("reports", true),
            ];
            for (job, due) in jobs {
                if !due {
                    continue;
                }
                match app.take_lease(job, &node, LEASE_SECS).await {
                    Ok(true) => {}
                    Ok(false) => continue,
                    Err(e) => {
                        tracing::warn!(job, error = %e, "cannot take the lease");
                        continue;
                    }
                }
                let result = match job {
                    "automations" => {
                        autos = Instant::now();
                        app.run_automations().await
                    }
                    "sla" => {
                        sla = Instant::now();
                        app.announce_sla_breaches().await
                    }
                    "surveys" => {
                        surveys = Instant::now();
                        app.send_due_surveys().await
                    }
                    "reports" => app.reports_pass(Timestamp::now()).await,
                    _ => match app.lapse_chat_offers(Timestamp::now()).await {
                        Ok(lapsed) => app.routing_pass().await.map(|n| n + lapsed),
                        Err(e) => Err(e),
                    },
                };
                match result {
                    Ok(n) if n > 0 => tracing::info!(job, n, "periodic job did work"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(job, error = %e, "periodic job failed"),
                }
            }
        }
    })
}
