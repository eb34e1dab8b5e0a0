//! Phone calls and the events phone systems reported about them.

use crate::{Conn, Row, StoreError, q};
use domain::calls::{Call, CallEventKind, LineCall};
use domain::{CallId, Timestamp, VoiceLineId};

const COLS: &str = "id, provider, provider_call_id, direction, from_number, to_number, agent_id, customer_id, ticket_id, \
                    started_at, answered_at, ended_at, duration_secs, outcome, recording_url, transcription, \
                    line_id, stage, language, menu_choice, queued_at, callback_of, updated_at";

fn call(r: &Row) -> Result<Call, StoreError> {
    Ok(Call {
        id: CallId(r.int(0)?),
        provider: r.text(1)?,
        provider_call_id: r.text(2)?,
        direction: r.word(3)?,
        from: r.text(4)?,
        to: r.text(5)?,
        agent: r.opt_int(6)?.map(domain::UserId),
        customer: r.opt_int(7)?.map(domain::UserId),
        ticket: r.opt_int(8)?.map(domain::TicketId),
        started_at: Timestamp(r.int(9)?),
        answered_at: r.opt_int(10)?.map(Timestamp),
        ended_at: r.opt_int(11)?.map(Timestamp),
        duration_secs: r.opt_int(12)?,
        outcome: r.opt_word(13)?,
        recording_url: r.opt_text(14)?,
        transcription: r.opt_text(15)?,
        line: match (r.opt_int(16)?, r.opt_word(17)?) {
            (Some(line), Some(stage)) => Some(LineCall {
                line: VoiceLineId(line),
                stage,
                language: r.opt_text(18)?,
                menu_choice: r.opt_int(19)?.and_then(|d| u8::try_from(d).ok()),
                queued_at: r.opt_int(20)?.map(Timestamp),
            }),
            _ => None,
        },
        callback_of: r.opt_int(21)?.map(CallId),
        updated_at: Timestamp(r.int(22)?),
    })
}

/// A call by its phone system and that system's id of it.
pub async fn by_provider_id(
    c: &mut Conn<'_>,
    provider: &str,
    provider_call_id: &str,
) -> Result<Option<Call>, StoreError> {
    c.opt(
        q(format!(
            "SELECT {COLS} FROM calls WHERE provider = $1 AND provider_call_id = $2"
        ))
        .bind(provider)
        .bind(provider_call_id),
    )
    .await?
    .as_ref()
    .map(call)
    .transpose()
}

/// A call by id.
pub async fn get(c: &mut Conn<'_>, id: CallId) -> Result<Option<Call>, StoreError> {
    c.opt(q(format!("SELECT {COLS} FROM calls WHERE id = $1")).bind(id))
        .await?
        .as_ref()
        .map(call)
        .transpose()
}

/// Stores a call first reported now; `None` when another report of it
/// stored it first.
pub async fn insert(c: &mut Conn<'_>, k: &Call) -> Result<Option<CallId>, StoreError> {
    let row = c
        .opt(
            q("INSERT INTO calls (provider, provider_call_id, direction, from_number, to_number, agent_id, customer_id, started_at, \
               line_id, stage, language, callback_of, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $8) ON CONFLICT (provider, provider_call_id) DO NOTHING RETURNING id")
            .bind(k.provider.as_str())
            .bind(k.provider_call_id.as_str())
            .bind(k.direction)
            .bind(k.from.as_str())
            .bind(k.to.as_str())
            .bind(k.agent)
            .bind(k.customer)
            .bind(k.started_at)
            .bind(k.line.as_ref().map(|l| l.line))
            .bind(k.line.as_ref().map(|l| l.stage))
            .bind(k.line.as_ref().and_then(|l| l.language.clone()))
            .bind(k.callback_of),
        )
        .await?;
    row.map(|r| r.int(0).map(CallId)).transpose()
}

/// The write of everything a call now is but its identity, `WHERE` the
/// condition given (its id is `$1`; the condition's own value `$17`); it
/// changed now.
fn write_call(k: &Call, condition: &str) -> crate::Query {
    q(format!(
        "UPDATE calls SET agent_id = $2, customer_id = $3, ticket_id = $4, answered_at = $5, ended_at = $6, \
         duration_secs = $7, outcome = $8, recording_url = $9, transcription = $10, \
         stage = $11, language = $12, menu_choice = $13, queued_at = $14, provider_call_id = $15, \
         updated_at = $16 WHERE id = $1{condition}"
    ))
    .bind(k.id)
    .bind(k.agent)
    .bind(k.customer)
    .bind(k.ticket)
    .bind(k.answered_at)
    .bind(k.ended_at)
    .bind(k.duration_secs)
    .bind(k.outcome)
    .bind(k.recording_url.clone())
    .bind(k.transcription.clone())
    .bind(k.line.as_ref().map(|l| l.stage))
    .bind(k.line.as_ref().and_then(|l| l.language.clone()))
    .bind(k.line.as_ref().and_then(|l| l.menu_choice).map(i64::from))
    .bind(k.line.as_ref().and_then(|l| l.queued_at))
    .bind(k.provider_call_id.as_str())
    .bind(Timestamp::now().max(k.updated_at))
}

/// Writes what a call now is (all but its identity).
pub async fn update(c: &mut Conn<'_>, k: &Call) -> Result<(), StoreError> {
    c.exec(write_call(k, "")).await?;
    Ok(())
}

/// Writes what a call through a line now is, only if its stage is still
/// `expected` (no other webhook of the call moved it on); `false` if not.
pub async fn update_from_stage(
    c: &mut Conn<'_>,
    k: &Call,
    expected: domain::voice::CallStage,
) -> Result<bool, StoreError> {
    let n = c
        .exec(write_call(k, " AND stage = $17").bind(expected))
        .await?;
    Ok(n == 1)
}

/// The case a call is logged on.
pub async fn set_ticket(
    c: &mut Conn<'_>,
    id: CallId,
    ticket: domain::TicketId,
) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE calls SET ticket_id = $2 WHERE id = $1")
            .bind(id)
            .bind(ticket),
    )
    .await?;
    Ok(())
}

/// Where a call's recording is (kept once known).
pub async fn set_recording_url(c: &mut Conn<'_>, id: CallId, url: &str) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE calls SET recording_url = COALESCE(recording_url, $2), updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(url)
            .bind(Timestamp::now()),
    )
    .await?;
    Ok(())
}

/// What the provider heard in a call's voicemail.
pub async fn set_transcription(c: &mut Conn<'_>, id: CallId, text: &str) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE calls SET transcription = $2, updated_at = $3 WHERE id = $1")
            .bind(id)
            .bind(text)
            .bind(Timestamp::now()),
    )
    .await?;
    Ok(())
}

/// Records that a call's system reported `kind`; `false` when it had
/// (a repeated event).
pub async fn add_event(
    c: &mut Conn<'_>,
    id: CallId,
    kind: CallEventKind,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let row = c
        .opt(
            q("INSERT INTO call_events (call_id, kind, at) VALUES ($1, $2, $3) ON CONFLICT (call_id, kind) DO NOTHING RETURNING call_id")
                .bind(id)
                .bind(kind)
                .bind(at),
        )
        .await?;
    Ok(row.is_some())
}

/// A ticket's calls, oldest first.
pub async fn on_ticket(
    c: &mut Conn<'_>,
    ticket: domain::TicketId,
) -> Result<Vec<Call>, StoreError> {
    let rows = c
        .all(
            q(format!(
                "SELECT {COLS} FROM calls WHERE ticket_id = $1 ORDER BY started_at, id"
            ))
            .bind(ticket),
        )
        .await?;
    rows.iter().map(call).collect()
}

/// Calls ringing for an agent: not answered, not over, started since
/// `since` (newest first, a few).
pub async fn ringing_for(
    c: &mut Conn<'_>,
    agent: domain::UserId,
    since: Timestamp,
) -> Result<Vec<Call>, StoreError> {
    let rows = c
        .all(
            q(format!(
                "SELECT {COLS} FROM calls WHERE agent_id = $1 AND answered_at IS NULL AND outcome IS NULL \
                 AND started_at >= $2 ORDER BY started_at DESC, id DESC LIMIT 5"
            ))
            .bind(agent)
            .bind(since),
        )
        .await?;
    rows.iter().map(call).collect()
}

/// Calls started since `since`, oldest first.
pub async fn since(c: &mut Conn<'_>, since: Timestamp) -> Result<Vec<Call>, StoreError> {
    let rows = c
        .all(
            q(format!(
                "SELECT {COLS} FROM calls WHERE started_at >= $1 ORDER BY started_at, id"
            ))
            .bind(since),
        )
        .await?;
    rows.iter().map(call).collect()
}

/// Calls waiting in a line's queue now.
pub async fn waiting(c: &mut Conn<'_>) -> Result<Vec<Call>, StoreError> {
    let rows = c
        .all(q(format!(
            "SELECT {COLS} FROM calls WHERE stage = 'queued' ORDER BY queued_at, id"
        )))
        .await?;
    rows.iter().map(call).collect()
}

/// Callback requests since `since` no call has answered yet.
pub async fn callbacks_waiting(c: &mut Conn<'_>, since: Timestamp) -> Result<i64, StoreError> {
    c.one(
        q("SELECT COUNT(*) FROM calls k WHERE k.outcome = 'callback' AND k.started_at >= $1 \
           AND NOT EXISTS (SELECT 1 FROM calls b WHERE b.callback_of = k.id AND b.outcome = 'answered')")
        .bind(since),
    )
    .await?
    .int(0)
}

/// Inbound calls through a line that ended between `since` and `before`
/// and are on no case yet (their log failed halfway, or is not for a
/// case: a hidden number, a caller who only heard a message), newest first.
pub async fn unlogged(
    c: &mut Conn<'_>,
    since: Timestamp,
    before: Timestamp,
    limit: i64,
) -> Result<Vec<Call>, StoreError> {
    let rows = c
        .all(
            q(format!(
                "SELECT {COLS} FROM calls WHERE line_id IS NOT NULL AND direction = 'inbound' AND outcome IS NOT NULL \
                 AND ticket_id IS NULL AND ended_at >= $1 AND ended_at < $2 ORDER BY ended_at DESC LIMIT $3"
            ))
            .bind(since)
            .bind(before)
            .bind(limit),
        )
        .await?;
    rows.iter().map(call).collect()
}

/// Calls changed at or after `start`, oldest change first, at most
/// `limit` (the incremental export).
pub async fn changed_since(
    c: &mut Conn<'_>,
    start: Timestamp,
    limit: i64,
) -> Result<Vec<Call>, StoreError> {
    let rows = c
        .all(
            q(format!(
                "SELECT {COLS} FROM calls WHERE updated_at >= $1 ORDER BY updated_at, id LIMIT $2"
            ))
            .bind(start)
            .bind(limit),
        )
        .await?;
    rows.iter().map(call).collect()
}
