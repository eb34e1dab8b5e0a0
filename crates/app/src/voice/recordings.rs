//! Call recordings, fetched from the provider through a queue with
//! retries: the webhook that says a recording exists queues it in the
//! same transaction as the call's change, and the adapter's fetcher claims
//! what is due, fetches it with the line's credentials and keeps the bytes
//! with the call. A fetch that fails for a while is tried again with
//! growing waits (the provider's trouble, a recording not ready yet) for
//! about two days; one the provider says may not be read stops at once.
//! A recording that stops is kept as `failed` with its address and the
//! error, so it can still be fetched by hand. Agents who may see the
//! call's case play it.

use super::{DueRecording, VoiceCalls};
use crate::{App, AppError};
use domain::calls::Call;
use domain::{Actor, CallId, Timestamp};
use store::repo::voice as repo;

/// Why a recording could not be fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordingFetch {
    /// Worth trying again later.
    Temporary(String),
    /// The provider will never give it (gone, not ours).
    Permanent(String),
}

/// How long recordings are claimed by one node's fetcher.
const CLAIM_SECS: i64 = 120;

/// The wait before the next try, by tries so far: 30 s doubling, at most
/// an hour; tried for about two days.
fn next_try(attempts: i64, now: Timestamp) -> Option<Timestamp> {
    const MAX_ATTEMPTS: i64 = 60;
    if attempts + 1 >= MAX_ATTEMPTS {
        return None;
    }
    let wait = 30_i64.saturating_mul(1 << attempts.clamp(0, 7)).min(3600);
    Some(Timestamp(now.0 + wait))
}

impl App {
    /// Fetches the recordings whose time has come; returns how many were
    /// stored.
    pub async fn fetch_due_recordings(&self, voice: &dyn VoiceCalls) -> Result<usize, AppError> {
        let now = Timestamp::now();
        let due = self
            .write(move |c| {
                Box::pin(async move {
                    Ok(repo::claim_recordings(c, now, Timestamp(now.0 + CLAIM_SECS), 10).await?)
                })
            })
            .await?;
        let mut stored = 0;
        for r in due {
            if self.fetch_recording(voice, r).await? {
                stored += 1;
            }
        }
        Ok(stored)
    }

    async fn fetch_recording(
        &self,
        voice: &dyn VoiceCalls,
        r: DueRecording,
    ) -> Result<bool, AppError> {
        let creds = match r.line {
            Some(line) => self
                .voice_line_with_credentials(line)
                .await?
                .map(|(_, c)| c),
            None => None,
        };
        let got = match &creds {
            Some(creds) => voice.fetch_recording(creds, &r.url).await,
            None => Err(RecordingFetch::Permanent("its line is disconnected".into())),
        };
        let now = Timestamp::now();
        let call = r.call;
        match got {
            Ok((content_type, data)) => {
                self.write(move |c| {
                    Box::pin(async move {
                        Ok(repo::recording_fetched(c, call, &content_type, data, now).await?)
                    })
                })
                .await?;
                Ok(true)
            }
            Err(e) => {
                let (why, next) = match e {
                    RecordingFetch::Temporary(w) => (w, next_try(r.attempts, now)),
                    RecordingFetch::Permanent(w) => (w, None),
                };
                tracing::warn!(call = call.0, error = %why, "fetching a call recording failed");
                self.write(move |c| {
                    Box::pin(async move { Ok(repo::recording_failed(c, call, &why, next).await?) })
                })
                .await?;
                Ok(false)
            }
        }
    }

    /// A case's calls, oldest first, each with whether its recording is
    /// ours to play, for staff who may see the case.
    pub async fn ticket_calls(
        &self,
        actor: Actor,
        ticket: domain::TicketId,
    ) -> Result<Vec<(Call, bool)>, AppError> {
        self.ticket(actor, ticket).await?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let calls = store::repo::calls::on_ticket(c, ticket).await?;
        let fetched = repo::fetched_on_ticket(c, ticket).await?;
        Ok(calls
            .into_iter()
            .map(|k| {
                let ours = fetched.contains(&k.id);
                (k, ours)
            })
            .collect())
    }

    /// Whether agents can place calls: a voice line is connected.
    pub async fn can_place_calls(&self) -> Result<bool, AppError> {
        let mut rc = self.read().await?;
        Ok(self.voice.is_some() && repo::lines(&mut rc.conn()).await?.iter().any(|l| l.enabled))
    }

    /// A call's recording, for staff who may see the call: its type and
    /// bytes (`NotFound` until it is fetched).
    pub async fn call_recording(
        &self,
        actor: Actor,
        id: CallId,
    ) -> Result<(String, Vec<u8>), AppError> {
        self.call(actor, id).await?;
        let mut rc = self.read().await?;
        repo::recording_data(&mut rc.conn(), id)
            .await?
            .ok_or(AppError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tries_wait_longer_each_time_and_stop_after_two_days() {
        let now = Timestamp(0);
        assert_eq!(next_try(0, now), Some(Timestamp(30)));
        assert_eq!(next_try(1, now), Some(Timestamp(60)));
        assert_eq!(next_try(10, now), Some(Timestamp(3600)));
        assert_eq!(next_try(59, now), None);
    }
}
