//! Report facts: one row per ticket (`report_tickets`), folded from the
//! event log by the app's reports loop, read a period at a time.

use crate::cells::{Cells, int, opt_word, word};
use crate::{Conn, Db, StoreError, Value, q};
use domain::report::{Counted, Period, ReportFilter, TicketFacts};
use domain::trends::Topic;
use domain::{Channel, GroupId, TicketId, Timestamp, UserId};

const COLS: &str = "ticket_id, created_at, channel, group_id, assignee_id, organization_id, requester_id, status, tags, \
                    solved_at, ack_minutes, first_reply_minutes, first_reply_business, resolution_minutes, \
                    resolution_business, requester_wait_minutes, requester_wait_business, agent_work_minutes, \
                    agent_work_business, reopens, replies, csat, csat_channel, ces, topic, form_id, packed";

/// `Counted` packed as migration 45 describes: four 8-byte values, then
/// thirteen 4-byte ones, big-endian, a NULL as the type's least value.
const PACKED_LEN: usize = 4 * 8 + 13 * 4;

fn pack(n: &Counted) -> Vec<u8> {
    let mut out = Vec::with_capacity(PACKED_LEN);
    let wide = [
        Some(n.created_at.0),
        n.group.map(|g| g.0),
        n.assignee.map(|a| a.0),
        n.solved_at.map(|s| s.0),
    ];
    for v in wide {
        out.extend_from_slice(&v.unwrap_or(i64::MIN).to_be_bytes());
    }
    let pair = |p: Option<(i64, i64)>| [p.map(|x| x.0), p.map(|x| x.1)];
    let [fr, fb] = pair(n.first_reply);
    let [rc, rb] = pair(n.resolution);
    let narrow = [
        n.ack_minutes,
        fr,
        fb,
        rc,
        rb,
        Some(n.requester_wait.0),
        Some(n.requester_wait.1),
        Some(n.agent_work.0),
        Some(n.agent_work.1),
        Some(n.reopens),
        Some(n.replies),
        n.csat.map(|(good, _)| i64::from(good)),
        n.ces,
    ];
    for v in narrow {
        // Minutes and counts: i32 holds four thousand years of minutes.
        let v = v.map_or(i32::MIN, |v| {
            v.clamp(i64::from(i32::MIN) + 1, i64::from(i32::MAX)) as i32
        });
        out.extend_from_slice(&v.to_be_bytes());
    }
    out
}

fn unpack(b: &[u8], channel: Channel, csat_channel: Option<Channel>) -> Option<Counted> {
    if b.len() != PACKED_LEN {
        return None;
    }
    let wide = |i: usize| {
        let v = i64::from_be_bytes(b[i * 8..i * 8 + 8].try_into().ok()?);
        (v != i64::MIN).then_some(v)
    };
    let narrow = |i: usize| {
        let at = 32 + i * 4;
        let v = i32::from_be_bytes(b[at..at + 4].try_into().ok()?);
        (v != i32::MIN).then_some(i64::from(v))
    };
    let both = |i: usize| narrow(i).zip(narrow(i + 1));
    Some(Counted {
        created_at: Timestamp(wide(0)?),
        channel,
        group: wide(1).map(GroupId),
        assignee: wide(2).map(UserId),
        solved_at: wide(3).map(Timestamp),
        ack_minutes: narrow(0),
        first_reply: both(1),
        resolution: both(3),
        requester_wait: both(5)?,
        agent_work: both(7)?,
        reopens: narrow(9)?,
        replies: narrow(10)?,
        csat: narrow(11).map(|g| (g == 1, csat_channel)),
        ces: narrow(12),
    })
}

/// A row of `touching`: the ticket and what its figures count.
fn counted(r: &dyn Cells) -> Result<(TicketId, Counted), StoreError> {
    let ticket = TicketId(int(r, 0)?);
    let packed = r.opt_bytes(3)?.unwrap_or_default();
    let n = unpack(packed, word(r, 1)?, opt_word(r, 2)?).ok_or_else(|| {
        StoreError::Decode(format!(
            "the report facts of ticket {ticket} were written by an older atiende: run `atiende rebuild-reports`"
        ))
    })?;
    Ok((ticket, n))
}

/// Writes a ticket's facts (folded at `now`).
pub async fn upsert(c: &mut Conn<'_>, f: &TicketFacts, now: Timestamp) -> Result<(), StoreError> {
    let tags = format!(" {} ", f.tags.join(" "));
    let n = &f.counted;
    let updates = COLS
        .split(", ")
        .skip(1)
        .chain(["folded_at"])
        .map(|col| format!("{col} = EXCLUDED.{col}"))
        .collect::<Vec<_>>()
        .join(", ");
    let placeholders = (1..=28)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    c.exec(
        q(format!(
            "INSERT INTO report_tickets ({COLS}, folded_at) VALUES ({placeholders}) \
             ON CONFLICT (ticket_id) DO UPDATE SET {updates}"
        ))
        .bind(f.ticket)
        .bind(n.created_at)
        .bind(n.channel)
        .bind(n.group)
        .bind(n.assignee)
        .bind(f.organization)
        .bind(f.requester)
        .bind(f.status)
        .bind(tags)
        .bind(n.solved_at)
        .bind(n.ack_minutes)
        .bind(n.first_reply.map(|x| x.0))
        .bind(n.first_reply.map(|x| x.1))
        .bind(n.resolution.map(|x| x.0))
        .bind(n.resolution.map(|x| x.1))
        .bind(n.requester_wait.0)
        .bind(n.requester_wait.1)
        .bind(n.agent_work.0)
        .bind(n.agent_work.1)
        .bind(n.reopens)
        .bind(n.replies)
        .bind(n.csat.map(|(good, _)| i64::from(good)))
        .bind(n.csat.and_then(|(_, on)| on))
        .bind(n.ces)
        .bind(f.topic.as_ref().map(Topic::key))
        .bind(f.form)
        .bind(pack(n))
        .bind(now),
    )
    .await?;
    Ok(())
}

/// Forgets a ticket (deleted).
pub async fn remove(c: &mut Conn<'_>, ticket: TicketId) -> Result<(), StoreError> {
    c.exec(q("DELETE FROM report_tickets WHERE ticket_id = $1").bind(ticket))
        .await?;
    Ok(())
}

/// Forgets every ticket (a rebuild starts here).
pub async fn clear(c: &mut Conn<'_>) -> Result<(), StoreError> {
    c.exec(q("DELETE FROM report_tickets")).await?;
    Ok(())
}

/// The filter as SQL conditions after `args`' values.
pub(crate) fn conditions(filter: &ReportFilter, args: &mut Vec<Value>) -> String {
    let mut sql = String::new();
    let mut add = |col: &str, v: Value, args: &mut Vec<Value>| {
        args.push(v);
        sql.push_str(&format!(" AND {col} ${}", args.len()));
    };
    if let Some(ch) = filter.channel {
        add("channel =", ch.into(), args);
    }
    if let Some(g) = filter.group {
        add("group_id =", g.into(), args);
    }
    if let Some(a) = filter.agent {
        add("assignee_id =", a.into(), args);
    }
    if let Some(o) = filter.organization {
        add("organization_id =", o.into(), args);
    }
    if let Some(form) = filter.form {
        add("form_id =", form.into(), args);
    }
    if let Some(t) = &filter.topic {
        add("topic =", t.key().into(), args);
    }
    if let Some(t) = &filter.tag {
        add(
            "tags LIKE",
            format!("% {} %", t.replace(['%', '_'], "")).into(),
            args,
        );
    }
    sql
}

/// The filtered tickets created or solved in the period, with what their
/// figures count (a quarter is a hundred thousand rows: read packed,
/// through [`Db::read_many_as`]).
pub async fn touching(
    db: &Db,
    period: Period,
    filter: &ReportFilter,
) -> Result<Vec<(TicketId, Counted)>, StoreError> {
    let mut args: Vec<Value> = vec![period.from.into(), period.to.into()];
    let cond = conditions(filter, &mut args);
    // Those created in it, then those solved in it that were created
    // before (nothing is solved before it is created): each through its
    // own index, no row read twice.
    const READ: &str = "ticket_id, channel, csat_channel, packed";
    let mut query = q(format!(
        "SELECT {READ} FROM report_tickets WHERE created_at >= $1 AND created_at < $2{cond} \
         UNION ALL \
         SELECT {READ} FROM report_tickets WHERE solved_at >= $1 AND solved_at < $2 AND created_at < $1{cond}"
    ));
    query.args = args;
    db.read_many_as(query, counted).await
}

/// The filtered backlog at `at`: created before it and not solved before
/// it (by the latest solve) — the open ones and those solved since, each
/// read through its own index, so the count never walks the history.
pub async fn backlog_at(
    c: &mut Conn<'_>,
    at: Timestamp,
    filter: &ReportFilter,
) -> Result<i64, StoreError> {
    let mut args: Vec<Value> = vec![at.into()];
    let cond = conditions(filter, &mut args);
    let mut open = q(format!(
        "SELECT COUNT(*) FROM report_tickets WHERE solved_at IS NULL AND created_at < $1{cond}"
    ));
    open.args = args.clone();
    let mut solved_since = q(format!(
        "SELECT COUNT(*) FROM report_tickets WHERE solved_at >= $1 AND created_at < $1{cond}"
    ));
    solved_since.args = args;
    Ok(c.scalar(open).await? + c.scalar(solved_since).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What is packed reads back the same, NULLs and extremes included.
    #[test]
    fn packed_facts_read_back() {
        let full = Counted {
            created_at: Timestamp(1_780_000_000),
            channel: Channel::WhatsApp,
            group: Some(GroupId(i64::MAX)),
            assignee: Some(UserId(7)),
            solved_at: Some(Timestamp(1_780_090_000)),
            ack_minutes: Some(0),
            first_reply: Some((12, 3)),
            resolution: Some((1_500, 400)),
            requester_wait: (900, 300),
            agent_work: (-1, 0),
            reopens: 2,
            replies: 4,
            csat: Some((false, Some(Channel::Email))),
            ces: Some(6),
        };
        let empty = Counted {
            group: None,
            assignee: None,
            solved_at: None,
            ack_minutes: None,
            first_reply: None,
            resolution: None,
            csat: None,
            ces: None,
            ..full
        };
        for n in [full, empty] {
            let b = pack(&n);
            assert_eq!(b.len(), PACKED_LEN);
            let on = n.csat.and_then(|(_, c)| c);
            assert_eq!(unpack(&b, n.channel, on), Some(n));
        }
        assert_eq!(unpack(&[0; 10], Channel::Email, None), None);
    }
}
