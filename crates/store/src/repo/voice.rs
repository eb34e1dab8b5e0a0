//! Voice lines (our numbers at a voice provider, their credentials read
//! apart), the queue of calls waiting on a line, the legs that rang
//! agents' phones, and call recordings fetched from the provider.

use super::messaging::{credentials_json, credentials_of};
use crate::{Conn, Row, StoreError, q};
use domain::messaging::Credentials;
use domain::voice::{CallStage, LegEnd, VoiceLine, VoiceSettings};
use domain::{CallId, Timestamp, UserId, VoiceLineId};

const LINE_COLS: &str =
    "id, name, number, api_base, settings, enabled, created_at, last_call_at, last_error";

fn line(r: &Row) -> Result<VoiceLine, StoreError> {
    Ok(VoiceLine {
        id: VoiceLineId(r.int(0)?),
        name: r.text(1)?,
        number: r.text(2)?,
        api_base: r.opt_text(3)?,
        // Settings are written only after they are checked; a row from a
        // newer version reads with the defaults for what it does not say.
        settings: serde_json::from_str(&r.text(4)?).unwrap_or_default(),
        enabled: r.bool(5)?,
        created_at: Timestamp(r.int(6)?),
        last_call_at: r.opt_int(7)?.map(Timestamp),
        last_error: r.opt_text(8)?,
    })
}

fn settings_json(s: &VoiceSettings) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "{}".into())
}

/// Stores a new line; `None` when another line has its number.
pub async fn insert_line(
    c: &mut Conn<'_>,
    l: &VoiceLine,
    creds: &Credentials,
) -> Result<Option<VoiceLineId>, StoreError> {
    let row = c
        .opt(
            q("INSERT INTO voice_lines (name, number, credentials, api_base, settings, enabled, created_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (number) DO NOTHING RETURNING id")
            .bind(l.name.as_str())
            .bind(l.number.as_str())
            .bind(credentials_json(creds))
            .bind(l.api_base.clone())
            .bind(settings_json(&l.settings))
            .bind(l.enabled)
            .bind(l.created_at),
        )
        .await?;
    row.map(|r| r.int(0).map(VoiceLineId)).transpose()
}

/// Writes what admins set of a line, and its credentials when given.
pub async fn update_line(
    c: &mut Conn<'_>,
    l: &VoiceLine,
    creds: Option<&Credentials>,
) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE voice_lines SET name = $2, api_base = $3, settings = $4, enabled = $5 WHERE id = $1")
            .bind(l.id)
            .bind(l.name.as_str())
            .bind(l.api_base.clone())
            .bind(settings_json(&l.settings))
            .bind(l.enabled),
    )
    .await?;
    if let Some(creds) = creds {
        c.exec(
            q("UPDATE voice_lines SET credentials = $2 WHERE id = $1")
                .bind(l.id)
                .bind(credentials_json(creds)),
        )
        .await?;
    }
    Ok(())
}

pub async fn delete_line(c: &mut Conn<'_>, id: VoiceLineId) -> Result<u64, StoreError> {
    c.exec(q("DELETE FROM voice_lines WHERE id = $1").bind(id))
        .await
}

pub async fn line_by_id(
    c: &mut Conn<'_>,
    id: VoiceLineId,
) -> Result<Option<VoiceLine>, StoreError> {
    c.opt(q(format!("SELECT {LINE_COLS} FROM voice_lines WHERE id = $1")).bind(id))
        .await?
        .as_ref()
        .map(line)
        .transpose()
}

/// Every line, oldest first.
pub async fn lines(c: &mut Conn<'_>) -> Result<Vec<VoiceLine>, StoreError> {
    let rows = c
        .all(q(format!(
            "SELECT {LINE_COLS} FROM voice_lines ORDER BY id"
        )))
        .await?;
    rows.iter().map(line).collect()
}

/// A line's credentials, read only by its adapter.
pub async fn line_credentials(
    c: &mut Conn<'_>,
    id: VoiceLineId,
) -> Result<Credentials, StoreError> {
    let row = c
        .one(q("SELECT credentials FROM voice_lines WHERE id = $1").bind(id))
        .await?;
    Ok(credentials_of(&row.text(0)?))
}

/// The status line: a call came, or the provider answered with an error
/// (`None` clears it).
pub async fn note_line(
    c: &mut Conn<'_>,
    id: VoiceLineId,
    call_at: Option<Timestamp>,
    error: Option<&str>,
) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE voice_lines SET last_call_at = COALESCE($2, last_call_at), last_error = $3 WHERE id = $1")
            .bind(id)
            .bind(call_at)
            .bind(error),
    )
    .await?;
    Ok(())
}

/// How many calls wait on a line's queue for the same menu choice ahead
/// of one that started waiting at `queued_at` (ties by id).
pub async fn ahead_in_queue(
    c: &mut Conn<'_>,
    line: VoiceLineId,
    menu_choice: Option<u8>,
    queued_at: Timestamp,
    call: CallId,
) -> Result<i64, StoreError> {
    let row = c
        .one(
            q("SELECT COUNT(*) FROM calls WHERE line_id = $1 AND stage = $2 \
               AND COALESCE(menu_choice, 0) = $3 AND (queued_at < $4 OR (queued_at = $4 AND id < $5))")
            .bind(line)
            .bind(CallStage::Queued)
            .bind(menu_choice.map_or(0, i64::from))
            .bind(queued_at)
            .bind(call),
        )
        .await?;
    row.int(0)
}

/// An agent's phone starts ringing for a call.
pub async fn add_leg(
    c: &mut Conn<'_>,
    call: CallId,
    agent: UserId,
    at: Timestamp,
) -> Result<(), StoreError> {
    c.exec(
        q("INSERT INTO call_legs (call_id, agent_id, rang_at) VALUES ($1, $2, $3)")
            .bind(call)
            .bind(agent)
            .bind(at),
    )
    .await?;
    Ok(())
}

/// How the open leg of a call to an agent ended (a repeated report changes
/// nothing).
pub async fn end_leg(
    c: &mut Conn<'_>,
    call: CallId,
    agent: UserId,
    ended: LegEnd,
    at: Timestamp,
) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE call_legs SET ended = $3, ended_at = $4 WHERE call_id = $1 AND agent_id = $2 AND ended IS NULL")
            .bind(call)
            .bind(agent)
            .bind(ended)
            .bind(at),
    )
    .await?;
    Ok(())
}

/// The agents whose phone rang for a call and who did not take it.
pub async fn passed_over(c: &mut Conn<'_>, call: CallId) -> Result<Vec<UserId>, StoreError> {
    let rows = c
        .all(
            q("SELECT DISTINCT agent_id FROM call_legs WHERE call_id = $1 AND ended IN ('no-answer', 'busy', 'failed')")
                .bind(call),
        )
        .await?;
    rows.iter().map(|r| r.int(0).map(UserId)).collect()
}

/// The legs that rang agents' phones since `since`.
pub async fn legs_since(
    c: &mut Conn<'_>,
    since: Timestamp,
) -> Result<Vec<domain::call_stats::Leg>, StoreError> {
    let rows = c
        .all(q("SELECT agent_id, ended FROM call_legs WHERE rang_at >= $1 ORDER BY id").bind(since))
        .await?;
    rows.iter()
        .map(|r| {
            Ok(domain::call_stats::Leg {
                agent: UserId(r.int(0)?),
                ended: r.opt_word(1)?,
            })
        })
        .collect()
}

/// Asks an agent's page to show `path` (the latest request wins).
pub async fn set_display(
    c: &mut Conn<'_>,
    agent: UserId,
    path: &str,
    at: Timestamp,
) -> Result<(), StoreError> {
    c.exec(
        q(
            "INSERT INTO agent_displays (agent_id, path, at) VALUES ($1, $2, $3) \
           ON CONFLICT (agent_id) DO UPDATE SET path = $2, at = $3",
        )
        .bind(agent)
        .bind(path)
        .bind(at),
    )
    .await?;
    Ok(())
}

/// What an agent's page is asked to show, and when it was asked.
pub async fn display(
    c: &mut Conn<'_>,
    agent: UserId,
) -> Result<Option<(String, Timestamp)>, StoreError> {
    c.opt(q("SELECT path, at FROM agent_displays WHERE agent_id = $1").bind(agent))
        .await?
        .map(|r| Ok((r.text(0)?, Timestamp(r.int(1)?))))
        .transpose()
}

/// Forgets a request to show something, if it is still the one asked at
/// `at`; whether it was.
pub async fn forget_display(
    c: &mut Conn<'_>,
    agent: UserId,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let n = c
        .exec(
            q("DELETE FROM agent_displays WHERE agent_id = $1 AND at = $2")
                .bind(agent)
                .bind(at),
        )
        .await?;
    Ok(n == 1)
}

/// A recording to fetch, queued once per call.
pub async fn queue_recording(
    c: &mut Conn<'_>,
    call: CallId,
    url: &str,
    duration_secs: Option<i64>,
    now: Timestamp,
) -> Result<(), StoreError> {
    c.exec(
        q("INSERT INTO call_recordings (call_id, url, duration_secs, state, next_attempt_at) VALUES ($1, $2, $3, 'queued', $4) \
           ON CONFLICT (call_id) DO NOTHING")
            .bind(call)
            .bind(url)
            .bind(duration_secs)
            .bind(now),
    )
    .await?;
    Ok(())
}

/// A recording waiting to be fetched.
#[derive(Debug, Clone)]
pub struct DueRecording {
    pub call: CallId,
    pub url: String,
    pub attempts: i64,
    pub line: Option<VoiceLineId>,
}

/// Claims recordings whose time has come until `claim_until` (another node
/// does not take them meanwhile).
pub async fn claim_recordings(
    c: &mut Conn<'_>,
    now: Timestamp,
    claim_until: Timestamp,
    limit: i64,
) -> Result<Vec<DueRecording>, StoreError> {
    let rows = c
        .all(
            q("SELECT r.call_id, r.url, r.attempts, k.line_id FROM call_recordings r JOIN calls k ON k.id = r.call_id \
               WHERE r.state = 'queued' AND r.next_attempt_at <= $1 AND (r.claimed_until IS NULL OR r.claimed_until < $1) \
               ORDER BY r.next_attempt_at LIMIT $2")
            .bind(now)
            .bind(limit),
        )
        .await?;
    let mut out = Vec::new();
    for r in &rows {
        let call = CallId(r.int(0)?);
        let taken = c
            .exec(
                q("UPDATE call_recordings SET claimed_until = $3 WHERE call_id = $1 AND state = 'queued' \
                   AND (claimed_until IS NULL OR claimed_until < $2)")
                .bind(call)
                .bind(now)
                .bind(claim_until),
            )
            .await?;
        if taken == 1 {
            out.push(DueRecording {
                call,
                url: r.text(1)?,
                attempts: r.int(2)?,
                line: r.opt_int(3)?.map(VoiceLineId),
            });
        }
    }
    Ok(out)
}

/// A recording's bytes are ours.
pub async fn recording_fetched(
    c: &mut Conn<'_>,
    call: CallId,
    content_type: &str,
    data: Vec<u8>,
    now: Timestamp,
) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE call_recordings SET state = 'fetched', content_type = $2, data = $3, fetched_at = $4, \
           attempts = attempts + 1, last_error = NULL, claimed_until = NULL WHERE call_id = $1")
        .bind(call)
        .bind(content_type)
        .bind(data)
        .bind(now),
    )
    .await?;
    Ok(())
}

/// A fetch failed: tried again at `next` (or never, when `next` is `None`).
pub async fn recording_failed(
    c: &mut Conn<'_>,
    call: CallId,
    error: &str,
    next: Option<Timestamp>,
) -> Result<(), StoreError> {
    let state = if next.is_some() { "queued" } else { "failed" };
    c.exec(
        q("UPDATE call_recordings SET attempts = attempts + 1, last_error = $2, state = $3, \
           next_attempt_at = COALESCE($4, next_attempt_at), claimed_until = NULL WHERE call_id = $1")
        .bind(call)
        .bind(error)
        .bind(state)
        .bind(next),
    )
    .await?;
    Ok(())
}

/// A recording as it stands: `(state, content type, duration)`.
pub async fn recording_state(
    c: &mut Conn<'_>,
    call: CallId,
) -> Result<Option<(String, Option<String>, Option<i64>)>, StoreError> {
    c.opt(
        q("SELECT state, content_type, duration_secs FROM call_recordings WHERE call_id = $1")
            .bind(call),
    )
    .await?
    .map(|r| Ok((r.text(0)?, r.opt_text(1)?, r.opt_int(2)?)))
    .transpose()
}

/// Which of a case's calls have their recording fetched.
pub async fn fetched_on_ticket(
    c: &mut Conn<'_>,
    ticket: domain::TicketId,
) -> Result<Vec<CallId>, StoreError> {
    let rows = c
        .all(
            q(
                "SELECT r.call_id FROM call_recordings r JOIN calls k ON k.id = r.call_id \
               WHERE k.ticket_id = $1 AND r.state = 'fetched'",
            )
            .bind(ticket),
        )
        .await?;
    rows.iter().map(|r| r.int(0).map(CallId)).collect()
}

/// A fetched recording's bytes and type.
pub async fn recording_data(
    c: &mut Conn<'_>,
    call: CallId,
) -> Result<Option<(String, Vec<u8>)>, StoreError> {
    let Some(r) = c
        .opt(
            q("SELECT content_type, data FROM call_recordings WHERE call_id = $1 AND state = 'fetched'")
                .bind(call),
        )
        .await?
    else {
        return Ok(None);
    };
    Ok(match (r.opt_text(0)?, r.opt_bytes(1)?) {
        (Some(t), Some(d)) => Some((t, d)),
        _ => None,
    })
}
