//! Skills-based routing as stored: attributes and their values (skills,
//! with Zendesk's string ids), agents' skills with levels, tickets' needs,
//! agents' routing profiles (languages, capacity and presence per work
//! channel), each routed ticket's place in the queue, and agents' loads.

use super::map_rows;
use crate::{Conn, Row, StoreError, q};
pub use domain::model::routing::{Attribute, Profile, Route, RouteState};
use domain::routing::WorkChannel;
use domain::{TicketId, Timestamp, UserId};

/// The index of a work channel in a profile's arrays.
pub fn slot(ch: WorkChannel) -> usize {
    match ch {
        WorkChannel::Email => 0,
        WorkChannel::Chat => 1,
        WorkChannel::Call => 2,
    }
}

fn attr_from_row(r: &Row) -> Result<Attribute, StoreError> {
    Ok(Attribute {
        id: r.text(0)?,
        name: r.text(1)?,
        attribute_id: r.opt_text(2)?,
        created_at: Timestamp(r.int(3)?),
        updated_at: Timestamp(r.int(4)?),
    })
}

pub async fn attributes(c: &mut Conn<'_>) -> Result<Vec<Attribute>, StoreError> {
    map_rows(
        c.all(q("SELECT id, name, NULL, created_at, updated_at FROM routing_attributes ORDER BY name, id"))
            .await?,
        attr_from_row,
    )
}

pub async fn attribute(c: &mut Conn<'_>, id: &str) -> Result<Option<Attribute>, StoreError> {
    c.opt(
        q("SELECT id, name, NULL, created_at, updated_at FROM routing_attributes WHERE id = $1")
            .bind(id),
    )
    .await?
    .as_ref()
    .map(attr_from_row)
    .transpose()
}

pub async fn save_attribute(c: &mut Conn<'_>, a: &Attribute) -> Result<(), StoreError> {
    c.exec(
        q("INSERT INTO routing_attributes (id, name, created_at, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET name = $2, updated_at = $4")
            .bind(a.id.as_str())
            .bind(a.name.as_str())
            .bind(a.created_at)
            .bind(a.updated_at),
    )
    .await?;
    Ok(())
}

pub async fn delete_attribute(c: &mut Conn<'_>, id: &str) -> Result<u64, StoreError> {
    for table in ["agent_skills", "ticket_requirements"] {
        c.exec(q(format!("DELETE FROM {table} WHERE value_id IN (SELECT id FROM routing_attribute_values WHERE attribute_id = $1)")).bind(id))
            .await?;
    }
    c.exec(q("DELETE FROM routing_attribute_values WHERE attribute_id = $1").bind(id))
        .await?;
    c.exec(q("DELETE FROM routing_attributes WHERE id = $1").bind(id))
        .await
}

/// Values of one attribute, or of all when `attribute` is `None`.
pub async fn values(
    c: &mut Conn<'_>,
    attribute: Option<&str>,
) -> Result<Vec<Attribute>, StoreError> {
    let rows = match attribute {
        Some(a) => c
            .all(q("SELECT id, name, attribute_id, created_at, updated_at FROM routing_attribute_values WHERE attribute_id = $1 ORDER BY name, id").bind(a))
            .await?,
        None => c
            .all(q("SELECT id, name, attribute_id, created_at, updated_at FROM routing_attribute_values ORDER BY name, id"))
            .await?,
    };
    map_rows(rows, attr_from_row)
}

pub async fn value(c: &mut Conn<'_>, id: &str) -> Result<Option<Attribute>, StoreError> {
    c.opt(q("SELECT id, name, attribute_id, created_at, updated_at FROM routing_attribute_values WHERE id = $1").bind(id))
        .await?
        .as_ref()
        .map(attr_from_row)
        .transpose()
}

pub async fn save_value(c: &mut Conn<'_>, v: &Attribute) -> Result<(), StoreError> {
    c.exec(
        q("INSERT INTO routing_attribute_values (id, attribute_id, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $5) \
           ON CONFLICT (id) DO UPDATE SET name = $3, updated_at = $5")
            .bind(v.id.as_str())
            .bind(v.attribute_id.clone())
            .bind(v.name.as_str())
            .bind(v.created_at)
            .bind(v.updated_at),
    )
    .await?;
    Ok(())
}

pub async fn delete_value(c: &mut Conn<'_>, id: &str) -> Result<u64, StoreError> {
    for table in ["agent_skills", "ticket_requirements"] {
        c.exec(q(format!("DELETE FROM {table} WHERE value_id = $1")).bind(id))
            .await?;
    }
    c.exec(q("DELETE FROM routing_attribute_values WHERE id = $1").bind(id))
        .await
}

/// An agent's skills: `(value id, level)`.
pub async fn agent_skills(c: &mut Conn<'_>, user: UserId) -> Result<Vec<(String, u8)>, StoreError> {
    Ok(skills_of(c, &[user])
        .await?
        .into_iter()
        .map(|(_, v, l)| (v, l))
        .collect())
}

/// The skills of these agents: `(user, value id, level)`.
pub async fn skills_of(
    c: &mut Conn<'_>,
    agents: &[UserId],
) -> Result<Vec<(UserId, String, u8)>, StoreError> {
    if agents.is_empty() {
        return Ok(vec![]);
    }
    let mut query = q(format!(
        "SELECT user_id, value_id, level FROM agent_skills WHERE user_id IN ({}) ORDER BY user_id, value_id",
        crate::paging::placeholders(1, agents.len())
    ));
    query.args = agents.iter().map(|a| crate::Value::Int(a.0)).collect();
    c.all(query)
        .await?
        .iter()
        .map(|r| {
            Ok((
                UserId(r.int(0)?),
                r.text(1)?,
                u8::try_from(r.int(2)?).unwrap_or(1),
            ))
        })
        .collect()
}

pub async fn set_agent_skills(
    c: &mut Conn<'_>,
    user: UserId,
    skills: &[(String, u8)],
) -> Result<(), StoreError> {
    c.exec(q("DELETE FROM agent_skills WHERE user_id = $1").bind(user))
        .await?;
    for (v, level) in skills {
        c.exec(
            q("INSERT INTO agent_skills (user_id, value_id, level) VALUES ($1, $2, $3)")
                .bind(user)
                .bind(v.as_str())
                .bind(i64::from(*level)),
        )
        .await?;
    }
    Ok(())
}

/// A ticket's needs: `(value id, min level, optional)`.
pub async fn requirements(
    c: &mut Conn<'_>,
    ticket: TicketId,
) -> Result<Vec<(String, u8, bool)>, StoreError> {
    let rows = c
        .all(q("SELECT value_id, min_level, optional FROM ticket_requirements WHERE ticket_id = $1 ORDER BY value_id").bind(ticket))
        .await?;
    rows.iter()
        .map(|r| Ok((r.text(0)?, u8::try_from(r.int(1)?).unwrap_or(1), r.bool(2)?)))
        .collect()
}

pub async fn set_requirements(
    c: &mut Conn<'_>,
    ticket: TicketId,
    needs: &[(String, u8, bool)],
) -> Result<(), StoreError> {
    c.exec(q("DELETE FROM ticket_requirements WHERE ticket_id = $1").bind(ticket))
        .await?;
    for (v, level, optional) in needs {
        c.exec(
            q("INSERT INTO ticket_requirements (ticket_id, value_id, min_level, optional) VALUES ($1, $2, $3, $4)")
                .bind(ticket)
                .bind(v.as_str())
                .bind(i64::from(*level))
                .bind(*optional),
        )
        .await?;
    }
    Ok(())
}

/// Tickets among `ids` whose every need some agent fulfils (Zendesk's
/// `requirements/fulfilled` for the caller).
pub async fn fulfilled(
    c: &mut Conn<'_>,
    agent: UserId,
    ids: &[i64],
) -> Result<Vec<i64>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut query = q(format!(
        "SELECT t.id FROM tickets t WHERE t.id IN ({}) AND NOT EXISTS (SELECT 1 FROM ticket_requirements r WHERE r.ticket_id = t.id AND r.optional = $1 \
         AND NOT EXISTS (SELECT 1 FROM agent_skills s WHERE s.user_id = ${} AND s.value_id = r.value_id AND s.level >= r.min_level)) ORDER BY t.id",
        crate::paging::placeholders(2, ids.len()),
        ids.len() + 2
    ));
    let mut args = vec![crate::Value::Bool(false)];
    args.extend(ids.iter().map(|&i| crate::Value::Int(i)));
    args.push(crate::Value::Int(agent.0));
    query.args = args;
    c.all(query).await?.iter().map(|r| r.int(0)).collect()
}

const PCOLS: &str = "user_id, languages, capacity_email, capacity_chat, capacity_call, presence_email, presence_chat, presence_call, schedule_id, \
                     last_assigned_at, last_active_at, updated_at";

fn profile_from_row(r: &Row) -> Result<Profile, StoreError> {
    let cap = |i: usize| -> Result<u32, StoreError> { Ok(u32::try_from(r.int(i)?).unwrap_or(0)) };
    Ok(Profile {
        user_id: UserId(r.int(0)?),
        languages: r
            .text(1)?
            .split(',')
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        capacity: [cap(2)?, cap(3)?, cap(4)?],
        presence: [r.word(5)?, r.word(6)?, r.word(7)?],
        schedule_id: r.opt_int(8)?,
        last_assigned_at: r.opt_int(9)?.map(Timestamp),
        last_active_at: r.opt_int(10)?.map(Timestamp),
        updated_at: Timestamp(r.int(11)?),
    })
}

pub async fn profile(c: &mut Conn<'_>, user: UserId) -> Result<Option<Profile>, StoreError> {
    c.opt(
        q(format!(
            "SELECT {PCOLS} FROM agent_routing WHERE user_id = $1"
        ))
        .bind(user),
    )
    .await?
    .as_ref()
    .map(profile_from_row)
    .transpose()
}

/// Every agent's profile.
pub async fn profiles(c: &mut Conn<'_>) -> Result<Vec<Profile>, StoreError> {
    map_rows(
        c.all(q(format!(
            "SELECT {PCOLS} FROM agent_routing ORDER BY user_id"
        )))
        .await?,
        profile_from_row,
    )
}

pub async fn save_profile(c: &mut Conn<'_>, p: &Profile) -> Result<(), StoreError> {
    c.exec(
        q("INSERT INTO agent_routing (user_id, languages, capacity_email, capacity_chat, capacity_call, presence_email, presence_chat, presence_call, schedule_id, \
           last_assigned_at, last_active_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
           ON CONFLICT (user_id) DO UPDATE SET languages = $2, capacity_email = $3, capacity_chat = $4, capacity_call = $5, presence_email = $6, presence_chat = $7, \
           presence_call = $8, schedule_id = $9, last_assigned_at = $10, last_active_at = $11, updated_at = $12")
            .bind(p.user_id)
            .bind(p.languages.join(","))
            .bind(i64::from(p.capacity[0]))
            .bind(i64::from(p.capacity[1]))
            .bind(i64::from(p.capacity[2]))
            .bind(p.presence[0].as_str())
            .bind(p.presence[1].as_str())
            .bind(p.presence[2].as_str())
            .bind(p.schedule_id)
            .bind(p.last_assigned_at)
            .bind(p.last_active_at)
            .bind(p.updated_at),
    )
    .await?;
    Ok(())
}

/// Open work per agent and channel, `(agent, via channel word, count)`:
/// their tickets in new or open (an index seek each), and for chat the
/// live chats they are offered or in.
pub async fn loads(
    c: &mut Conn<'_>,
    agents: &[UserId],
    calls_since: Timestamp,
) -> Result<Vec<(UserId, String, i64)>, StoreError> {
    if agents.is_empty() {
        return Ok(vec![]);
    }
    // A chat weighs while it is live (offered to the agent or theirs), not
    // while its case stays open after it ended; a call while it is live
    // and for its wrap-up (it ended after `calls_since`), not the case it
    // was logged on; a call ringing an agent's phone weighs as well, so
    // that two callers do not ring one agent.
    let list = crate::paging::placeholders(1, agents.len());
    let mut query = q(format!(
        "SELECT assignee_id, via_channel, COUNT(*) FROM tickets WHERE assignee_id IN ({list}) AND status_rank <= ${} AND deleted_at IS NULL AND via_channel NOT IN ('chat', 'voice') \
         GROUP BY assignee_id, via_channel \
         UNION ALL SELECT COALESCE(agent_id, offered_to), 'chat', COUNT(*) FROM chat_conversations WHERE state = 'waiting' AND (agent_id IN ({list}) OR (agent_id IS NULL AND offered_to IN ({list}))) \
         GROUP BY COALESCE(agent_id, offered_to) \
         UNION ALL SELECT agent_id, 'voice', COUNT(*) FROM calls WHERE agent_id IN ({list}) \
         AND ((answered_at IS NOT NULL AND (ended_at IS NULL OR ended_at > ${})) OR stage = 'ringing') \
         GROUP BY agent_id",
        agents.len() + 1,
        agents.len() + 2
    ));
    let mut args: Vec<crate::Value> = agents.iter().map(|a| crate::Value::Int(a.0)).collect();
    args.push(crate::Value::Int(1));
    args.push(crate::Value::Int(calls_since.0));
    query.args = args;
    let rows = c.all(query).await?;
    rows.iter()
        .map(|r| Ok((UserId(r.int(0)?), r.text(1)?, r.int(2)?)))
        .collect()
}

const RCOLS: &str = "ticket_id, state, group_id, work_channel, language, queued_at, assigned_at, assignee_id, optional_dropped, escalations, last_reason, updated_at";

fn route_from_row(r: &Row) -> Result<Route, StoreError> {
    Ok(Route {
        ticket_id: TicketId(r.int(0)?),
        state: RouteState::parse(&r.text(1)?),
        group_id: r.opt_int(2)?,
        channel: r.word(3)?,
        language: r.opt_text(4)?,
        queued_at: Timestamp(r.int(5)?),
        assigned_at: r.opt_int(6)?.map(Timestamp),
        assignee_id: r.opt_int(7)?.map(UserId),
        optional_dropped: r.bool(8)?,
        escalations: r.int(9)?,
        last_reason: r.opt_text(10)?,
        updated_at: Timestamp(r.int(11)?),
    })
}

pub async fn route(c: &mut Conn<'_>, ticket: TicketId) -> Result<Option<Route>, StoreError> {
    c.opt(
        q(format!(
            "SELECT {RCOLS} FROM ticket_routing WHERE ticket_id = $1"
        ))
        .bind(ticket),
    )
    .await?
    .as_ref()
    .map(route_from_row)
    .transpose()
}

/// A waiting case queued from `since` when that is earlier (a caller who
/// asked to be called back keeps their place).
pub async fn keep_place(
    c: &mut Conn<'_>,
    ticket: TicketId,
    since: Timestamp,
) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE ticket_routing SET queued_at = $2 WHERE ticket_id = $1 AND state = 'waiting' AND queued_at > $2")
            .bind(ticket)
            .bind(since),
    )
    .await?;
    Ok(())
}

pub async fn save_route(c: &mut Conn<'_>, r: &Route) -> Result<(), StoreError> {
    c.exec(
        q("INSERT INTO ticket_routing (ticket_id, state, group_id, work_channel, language, queued_at, assigned_at, assignee_id, optional_dropped, escalations, \
           last_reason, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (ticket_id) DO UPDATE SET state = $2, group_id = $3, \
           work_channel = $4, language = $5, queued_at = $6, assigned_at = $7, assignee_id = $8, optional_dropped = $9, escalations = $10, last_reason = $11, updated_at = $12")
            .bind(r.ticket_id)
            .bind(r.state.as_str())
            .bind(r.group_id)
            .bind(r.channel.as_str())
            .bind(r.language.clone())
            .bind(r.queued_at)
            .bind(r.assigned_at)
            .bind(r.assignee_id)
            .bind(r.optional_dropped)
            .bind(r.escalations)
            .bind(r.last_reason.clone())
            .bind(r.updated_at),
    )
    .await?;
    Ok(())
}

/// Routed tickets in a state, oldest first.
pub async fn routes_in(
    c: &mut Conn<'_>,
    state: RouteState,
    limit: i64,
) -> Result<Vec<Route>, StoreError> {
    map_rows(
        c.all(
            q(format!(
                "SELECT {RCOLS} FROM ticket_routing WHERE state = $1 ORDER BY queued_at, ticket_id LIMIT $2"
            ))
            .bind(state.as_str())
            .bind(limit),
        )
        .await?,
        route_from_row,
    )
}

/// Remembers that an agent declined a case (or let its offer lapse).
pub async fn record_decline(
    c: &mut Conn<'_>,
    ticket: TicketId,
    agent: UserId,
    at: Timestamp,
) -> Result<(), StoreError> {
    c.exec(
        q("INSERT INTO routing_declines (ticket_id, agent_id, declined_at) VALUES ($1, $2, $3) ON CONFLICT (ticket_id, agent_id) DO UPDATE SET declined_at = excluded.declined_at")
            .bind(ticket)
            .bind(agent)
            .bind(at),
    )
    .await?;
    Ok(())
}

/// The agents who declined a case since `since`.
pub async fn declined_since(
    c: &mut Conn<'_>,
    ticket: TicketId,
    since: Timestamp,
) -> Result<Vec<UserId>, StoreError> {
    let rows = c
        .all(
            q("SELECT agent_id FROM routing_declines WHERE ticket_id = $1 AND declined_at >= $2 ORDER BY agent_id")
                .bind(ticket)
                .bind(since),
        )
        .await?;
    rows.iter().map(|r| Ok(UserId(r.int(0)?))).collect()
}
