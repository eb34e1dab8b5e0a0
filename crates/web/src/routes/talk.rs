//! Zendesk Talk's API, as integrations that read Talk call it: today's
//! statistics (`/api/v2/channels/voice/stats/account_overview`,
//! `agents_overview`, `agents_activity` with `group_ids`,
//! `current_queue_activity`), agents' phone availability
//! (`/api/v2/channels/voice/availabilities/{agent_id}`), and voicemail
//! tickets (`POST /api/v2/channels/voice/tickets`), opening a case or a
//! customer in an agent's workspace (`…/agents/{id}/tickets/{id}/display`,
//! `…/users/{id}/display`), and the incremental
//! export of calls (`/api/v2/channels/voice/stats/incremental/calls`). A `start_time` (Unix
//! seconds) widens the statistics past today, as atiende's own addition.

use super::{created, ok, path_id};
use crate::Api;
use crate::body::JsonBody;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::input::Fields;
use crate::wire;
use app::voice::{AgentActivity, Display, VoicemailInput, start_of_today};
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use domain::routing::Presence;
use domain::{GroupId, TicketId, Timestamp, UserId};
use serde_json::{Value as Json, json};

pub fn routes() -> Router<Api> {
    Router::new()
        .route(
            "/api/v2/channels/voice/stats/account_overview",
            get(account_overview),
        )
        .route(
            "/api/v2/channels/voice/stats/agents_overview",
            get(agents_overview),
        )
        .route(
            "/api/v2/channels/voice/stats/agents_activity",
            get(agents_activity),
        )
        .route(
            "/api/v2/channels/voice/stats/current_queue_activity",
            get(current_queue),
        )
        .route(
            "/api/v2/channels/voice/availabilities/{id}",
            get(availability).put(set_availability),
        )
        .route("/api/v2/channels/voice/tickets", post(voicemail_ticket))
        .route(
            "/api/v2/channels/voice/stats/incremental/calls",
            get(incremental_calls),
        )
        .route(
            "/api/v2/channels/voice/agents/{agent}/users/{user}/display",
            post(display_user),
        )
        .route(
            "/api/v2/channels/voice/agents/{agent}/tickets/{ticket}/display",
            post(display_ticket),
        )
}

/// The period's start: `start_time`, else the start of today.
fn since(ctx: &Ctx) -> Result<Timestamp, ApiError> {
    Ok(ctx
        .epoch("start_time")?
        .map_or_else(|| start_of_today(Timestamp::now()), Timestamp))
}

async fn account_overview(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let o = api.app.call_overview(ctx.actor, since(&ctx)?).await?;
    ok(wire::Keyed("account_overview", wire::call_overview(&o)))
}

/// `group_ids=1,2`: agents of these groups only.
fn groups_param(ctx: &Ctx) -> Result<Vec<GroupId>, ApiError> {
    ctx.param("group_ids")
        .unwrap_or_default()
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            s.trim()
                .parse::<i64>()
                .map(GroupId)
                .map_err(|_| ApiError::BadRequest(format!("group_ids: {s} is not an id")))
        })
        .collect()
}

fn status(a: &AgentActivity) -> &'static str {
    match (a.on_call, a.presence) {
        (true, _) => "on_call",
        (false, Presence::Online) => "online",
        (false, Presence::Away) => "away",
        (false, Presence::Offline) => "offline",
    }
}

async fn agents_activity(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let rows = api
        .app
        .agents_call_activity(ctx.actor, since(&ctx)?, &groups_param(&ctx)?)
        .await?;
    let list: Vec<Json> = rows
        .iter()
        .map(|a| {
            let k = &a.calls;
            json!({
                "agent_id": k.agent.0,
                "name": a.name,
                "avatar_url": null,
                "status": status(a),
                "agent_state": a.presence.as_str(),
                "via": if a.by_phone { "phone" } else { "client" },
                "calls_accepted": k.accepted,
                "calls_missed": k.missed,
                "calls_denied": k.denied,
                "callbacks_made": k.callbacks_made,
                "total_talk_time": k.total_talk_time,
                "average_talk_time": k.average_talk_time,
                "total_wrap_up_time": k.total_wrap_up_time,
                "average_wrap_up_time": k.average_wrap_up_time,
                "total_call_duration": k.total_call_duration,
                "calls_put_on_hold": 0,
                "total_hold_time": 0,
                "average_hold_time": 0,
            })
        })
        .collect();
    ok(wire::page_whole(&ctx, "agents_activity", list)?)
}

async fn agents_overview(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let rows = api
        .app
        .agents_call_activity(ctx.actor, since(&ctx)?, &groups_param(&ctx)?)
        .await?;
    let n = (rows.len() as i64).max(1);
    let sum = |f: fn(&AgentActivity) -> i64| rows.iter().map(f).sum::<i64>();
    let accepted = sum(|a| a.calls.accepted);
    let talk = sum(|a| a.calls.total_talk_time);
    let wrap = sum(|a| a.calls.total_wrap_up_time);
    let per_call = |total: i64| if accepted == 0 { 0 } else { total / accepted };
    ok(json!({ "agents_overview": {
        "total_calls_accepted": accepted,
        "total_calls_missed": sum(|a| a.calls.missed),
        "total_calls_denied": sum(|a| a.calls.denied),
        "total_callbacks_made": sum(|a| a.calls.callbacks_made),
        "total_talk_time": talk,
        "total_wrap_up_time": wrap,
        "average_calls_accepted": accepted / n,
        "average_calls_missed": sum(|a| a.calls.missed) / n,
        "average_calls_denied": sum(|a| a.calls.denied) / n,
        "average_talk_time": per_call(talk),
        "average_wrap_up_time": per_call(wrap),
        "total_calls_put_on_hold": 0,
        "total_hold_time": 0,
        "average_hold_time": 0,
    }}))
}

async fn current_queue(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let q = api.app.call_queue_now(ctx.actor).await?;
    ok(json!({ "current_queue_activity": {
        "agents_online": q.agents_online,
        "calls_waiting": q.calls_waiting,
        "callbacks_waiting": q.callbacks_waiting,
        "average_wait_time": q.average_wait_time,
        "longest_wait_time": q.longest_wait_time,
    }}))
}

fn availability_json(p: Presence) -> Json {
    json!({ "availability": { "agent_state": p.as_str(), "via": "client", "avatar_url": null } })
}

async fn availability(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let p = api
        .app
        .call_availability(ctx.actor, path_id::<UserId>(&id)?)
        .await?;
    ok(availability_json(p))
}

/// `{"availability": {"agent_state": "online" | "away" | "offline"}}`.
async fn set_availability(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let mut f = Fields::new(body.record("availability")?);
    let state: Option<Presence> = f.word("agent_state").flatten();
    let state = f.finish(state)?;
    let Some(state) = state else {
        return Err(ApiError::App(app::AppError::field(app::FieldError::blank(
            "agent_state",
        ))));
    };
    let p = api
        .app
        .set_call_availability(ctx.actor, path_id::<UserId>(&id)?, state)
        .await?;
    ok(availability_json(p))
}

/// `{"ticket": {"via_id": 45, "voice_comment": {from, to, recording_url,
/// started_at, call_duration, answered_by_id, transcription_text}}}`.
async fn voicemail_ticket(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let ticket = body.record("ticket")?;
    let mut f = Fields::new(ticket);
    let comment = f.object("voice_comment").cloned().unwrap_or_default();
    f.finish(())?;
    let mut v = Fields::new(&comment);
    let input = VoicemailInput {
        from: v.string("from"),
        to: v.string("to"),
        recording_url: v.string("recording_url"),
        transcription: v.string("transcription_text"),
        duration_secs: None,
        started_at: v.time("started_at").flatten(),
        answered_by: v.id("answered_by_id").flatten(),
    };
    let mut input = v.finish(input)?;
    input.duration_secs = comment.get("call_duration").and_then(Json::as_i64);
    let id = api.app.voicemail_ticket(ctx.actor, input).await?;
    let t = api.app.ticket(ctx.actor, id).await?;
    let fields = api.app.fields_for_display().await?;
    created(wire::Keyed("ticket", wire::ticket(&ctx.base, &t, &fields)))
}

/// A call as Talk's incremental export shows it.
fn talk_call(k: &domain::calls::Call) -> Json {
    use domain::calls::{CallDirection, CallOutcome};
    let waited_from = k.line.as_ref().and_then(|l| l.queued_at);
    let wait_time = waited_from.map(|q| (k.answered_at.or(k.ended_at).unwrap_or(q).0 - q.0).max(0));
    let answered = k.outcome == Some(CallOutcome::Answered);
    json!({
        "id": k.id.0,
        "created_at": k.started_at.to_iso(),
        "updated_at": k.updated_at.to_iso(),
        "direction": match k.direction {
            CallDirection::Inbound => "inbound",
            CallDirection::Outbound => "outbound",
        },
        "phone_number_id": k.line.as_ref().map(|l| l.line.0),
        "phone_number": match k.direction {
            CallDirection::Inbound => &k.to,
            CallDirection::Outbound => &k.from,
        },
        "customer_id": k.customer.map(|u| u.0),
        "agent_id": k.agent.map(|u| u.0),
        "ticket_id": k.ticket.map(|t| t.0),
        "completion_status": match k.outcome {
            Some(CallOutcome::Answered) => "completed",
            Some(CallOutcome::Missed) => "missed",
            Some(CallOutcome::Voicemail) => "voicemail",
            Some(CallOutcome::Abandoned) => "abandoned_in_queue",
            Some(CallOutcome::Callback) => "callback_requested",
            None => "in_progress",
        },
        "duration": k.duration_secs,
        "talk_time": if answered { k.duration_secs } else { None },
        "wait_time": wait_time,
        "time_to_answer": k.answered_at.map(|a| (a.0 - waited_from.unwrap_or(k.started_at).0).max(0)),
        "voicemail": k.outcome == Some(CallOutcome::Voicemail),
        "callback": k.outcome == Some(CallOutcome::Callback),
        "callback_source": k.callback_of.map(|c| c.0),
        "hold_time": 0,
    })
}

/// `?start_time=` (Unix seconds, required), `per_page` (at most 1,000).
async fn incremental_calls(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    // Who is asking, before what they asked is read.
    app::export::may_export(&ctx.actor)?;
    let start = ctx
        .epoch("start_time")?
        .ok_or_else(|| ApiError::BadRequest("start_time is required".into()))?;
    let per_page = ctx.int("per_page")?.unwrap_or(1000);
    let page = api
        .app
        .export_calls(ctx.actor, Timestamp(start), per_page)
        .await?;
    let calls: Vec<Json> = page.calls.iter().map(talk_call).collect();
    let n = calls.len();
    let next = format!(
        "{}/api/v2/channels/voice/stats/incremental/calls.json?start_time={}",
        ctx.base, page.end_time.0
    );
    ok(json!({
        "calls": calls,
        "count": n,
        "end_time": page.end_time.0,
        "next_page": if page.end_of_stream { Json::Null } else { json!(next) },
        "end_of_stream": page.end_of_stream,
    }))
}

/// Talk Partner Edition: open a customer (their cases) in an agent's
/// workspace.
async fn display_user(
    State(api): State<Api>,
    ctx: Ctx,
    Path((agent, user)): Path<(String, String)>,
) -> ApiResult {
    let what = Display::User(path_id::<UserId>(&user)?);
    api.app
        .display_to_agent(ctx.actor, path_id::<UserId>(&agent)?, what)
        .await?;
    ok(json!({}))
}

/// Talk Partner Edition: open a case in an agent's workspace.
async fn display_ticket(
    State(api): State<Api>,
    ctx: Ctx,
    Path((agent, ticket)): Path<(String, String)>,
) -> ApiResult {
    let what = Display::Ticket(path_id::<TicketId>(&ticket)?);
    api.app
        .display_to_agent(ctx.actor, path_id::<UserId>(&agent)?, what)
        .await?;
    ok(json!({}))
}
