//! Report facts: one row per ticket (`report_tickets`), folded from the
//! event log by the app's reports loop, read a period at a time.

use crate::cells::{Cells, int, opt_word, text, word};
use crate::{Conn, Db, StoreError, Value, q};
use domain::report::{Period, ReportFilter, TicketFacts};
use domain::trends::Topic;
use domain::{GroupId, OrgId, TicketId, Timestamp, UserId};

const COLS: &str = "ticket_id, created_at, channel, group_id, assignee_id, organization_id, requester_id, status, tags, \
                    solved_at, ack_minutes, first_reply_minutes, first_reply_business, resolution_minutes, \
                    resolution_business, requester_wait_minutes, requester_wait_business, agent_work_minutes, \
                    agent_work_business, reopens, replies, csat, csat_channel, ces, topic";

fn facts(r: &dyn Cells) -> Result<TicketFacts, StoreError> {
    let pair = |a: Option<i64>, b: Option<i64>| a.zip(b);
    let csat = r.opt_int(21)?.map(|g| g == 1);
    Ok(TicketFacts {
        ticket: TicketId(int(r, 0)?),
        created_at: Timestamp(int(r, 1)?),
        channel: word(r, 2)?,
        group: r.opt_int(3)?.map(GroupId),
        assignee: r.opt_int(4)?.map(UserId),
        organization: r.opt_int(5)?.map(OrgId),
        requester: UserId(int(r, 6)?),
        status: word(r, 7)?,
        tags: text(r, 8)?.split_whitespace().map(str::to_string).collect(),
        solved_at: r.opt_int(9)?.map(Timestamp),
        ack_minutes: r.opt_int(10)?,
        first_reply: pair(r.opt_int(11)?, r.opt_int(12)?),
        resolution: pair(r.opt_int(13)?, r.opt_int(14)?),
        requester_wait: (int(r, 15)?, int(r, 16)?),
        agent_work: (int(r, 17)?, int(r, 18)?),
        reopens: int(r, 19)?,
        replies: int(r, 20)?,
        csat: match csat {
            Some(good) => Some((good, opt_word(r, 22)?)),
            None => None,
        },
        ces: r.opt_int(23)?,
        topic: r.opt_str(24)?.and_then(Topic::parse),
    })
}

/// Writes a ticket's facts (folded at `now`).
pub async fn upsert(c: &mut Conn<'_>, f: &TicketFacts, now: Timestamp) -> Result<(), StoreError> {
    let tags = format!(" {} ", f.tags.join(" "));
    let updates = COLS
        .split(", ")
        .skip(1)
        .chain(["folded_at"])
        .map(|col| format!("{col} = EXCLUDED.{col}"))
        .collect::<Vec<_>>()
        .join(", ");
    let placeholders = (1..=26)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    c.exec(
        q(format!(
            "INSERT INTO report_tickets ({COLS}, folded_at) VALUES ({placeholders}) \
             ON CONFLICT (ticket_id) DO UPDATE SET {updates}"
        ))
        .bind(f.ticket)
        .bind(f.created_at)
        .bind(f.channel)
        .bind(f.group)
        .bind(f.assignee)
        .bind(f.organization)
        .bind(f.requester)
        .bind(f.status)
        .bind(tags)
        .bind(f.solved_at)
        .bind(f.ack_minutes)
        .bind(f.first_reply.map(|x| x.0))
        .bind(f.first_reply.map(|x| x.1))
        .bind(f.resolution.map(|x| x.0))
        .bind(f.resolution.map(|x| x.1))
        .bind(f.requester_wait.0)
        .bind(f.requester_wait.1)
        .bind(f.agent_work.0)
        .bind(f.agent_work.1)
        .bind(f.reopens)
        .bind(f.replies)
        .bind(f.csat.map(|(good, _)| i64::from(good)))
        .bind(f.csat.and_then(|(_, on)| on))
        .bind(f.ces)
        .bind(f.topic.as_ref().map(Topic::key))
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

/// The filtered tickets created or solved in the period (a month is tens
/// of thousands of rows: read through [`Db::read_many`]).
pub async fn touching(
    db: &Db,
    period: Period,
    filter: &ReportFilter,
) -> Result<Vec<TicketFacts>, StoreError> {
    let mut args: Vec<Value> = vec![period.from.into(), period.to.into()];
    let cond = conditions(filter, &mut args);
    // Those created in it, then those solved in it that were created
    // before (nothing is solved before it is created): each through its
    // own index, no row read twice.
    let mut query = q(format!(
        "SELECT {COLS} FROM report_tickets WHERE created_at >= $1 AND created_at < $2{cond} \
         UNION ALL \
         SELECT {COLS} FROM report_tickets WHERE solved_at >= $1 AND solved_at < $2 AND created_at < $1{cond}"
    ));
    query.args = args;
    db.read_many_as(query, facts).await
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
