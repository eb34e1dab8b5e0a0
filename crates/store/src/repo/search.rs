//! Search: keeping the ticket text index current, and turning a search
//! [`Plan`] into SQL. Conditions are the same SQL on both backends; only the
//! text match differs (FTS5 `MATCH` on SQLite, `tsvector @@ tsquery` on
//! PostgreSQL), and both match the analyzer's terms, so results agree.

mod index;
use crate::{Backend, Conn, StoreError, Value, q};
use domain::Actor;
pub use index::{append_terms, clear_index, index_new_ticket, index_ticket, unindex_ticket};
use search::plan::{
    Clause, Cond, NamedRef, Plan, ResultType, SortKey, TextTerm, TimeField, UserRef,
};
use search::query::Op;

/// What a group-restricted agent sees, as a condition on tickets `t`
/// (`me` is the placeholder holding the agent's id): their groups'
/// tickets, and those assigned to, requested by or copied to them.
pub fn restricted_agent_sql(me: &str) -> String {
    format!(
        "(t.assignee_id = {me} OR t.requester_id = {me} \
         OR t.group_id IN (SELECT g.group_id FROM group_memberships g WHERE g.user_id = {me}) \
         OR EXISTS (SELECT 1 FROM ticket_collaborators x WHERE x.ticket_id = t.id AND x.user_id = {me}))"
    )
}

/// A WHERE clause under construction, numbering its own placeholders.
struct Sql {
    backend: Backend,
    parts: Vec<String>,
    args: Vec<Value>,
    /// On SQLite, positive text drives the query from the FTS table, which
    /// yields ticket ids newest-first without sorting.
    fts_join: bool,
}

impl Sql {
    fn arg(&mut self, v: impl Into<Value>) -> String {
        self.args.push(v.into());
        format!("${}", self.args.len())
    }
}

fn op_sql(op: Op) -> &'static str {
    match op {
        Op::Eq => "=",
        Op::Lt => "<",
        Op::Le => "<=",
        Op::Gt => ">",
        Op::Ge => ">=",
    }
}

fn user_cond(s: &mut Sql, col: &str, r: &UserRef, me: i64) -> String {
    match r {
        UserRef::Me => format!("{col} = {}", s.arg(me)),
        UserRef::None => format!("{col} IS NULL"),
        UserRef::Id(id) => format!("{col} = {}", s.arg(*id)),
        UserRef::Email(e) => format!(
            "{col} IN (SELECT user_id FROM identities WHERE kind = 'email' AND value = {})",
            s.arg(e.as_str())
        ),
        UserRef::Name(n) => format!(
            "{col} IN (SELECT id FROM users WHERE LOWER(name) LIKE {})",
            s.arg(like(n))
        ),
    }
}

fn named_cond(s: &mut Sql, col: &str, r: &NamedRef, table: &str) -> String {
    match r {
        NamedRef::None => format!("{col} IS NULL"),
        NamedRef::Id(id) => format!("{col} = {}", s.arg(*id)),
        NamedRef::Name(n) => format!(
            "{col} IN (SELECT id FROM {table} WHERE LOWER(name) LIKE {})",
            s.arg(like(n))
        ),
    }
}

/// A case-folded LIKE pattern for "contains", with wildcards in the input
/// neutralised; a trailing `*` is the user's own prefix wildcard.
fn like(s: &str) -> String {
    let clean: String = s
        .to_lowercase()
        .chars()
        .filter(|c| *c != '%' && *c != '_')
        .collect();
    format!("%{}%", clean.trim_end_matches('*'))
}

fn time_col(f: TimeField, alias: &str) -> String {
    let col = match f {
        TimeField::Created => "created_at",
        TimeField::Updated => "updated_at",
        TimeField::Solved => "solved_at",
        TimeField::Due => "due_at",
    };
    format!("{alias}.{col}")
}

fn tag_cond(s: &mut Sql, alias: &str, tag: &str) -> String {
    if let Some(prefix) = tag.strip_suffix('*') {
        format!(
            "EXISTS (SELECT 1 FROM ticket_tags g WHERE g.ticket_id = {alias}.id AND g.tag LIKE {})",
            s.arg(format!("{prefix}%"))
        )
    } else {
        format!(
            "EXISTS (SELECT 1 FROM ticket_tags g WHERE g.ticket_id = {alias}.id AND g.tag = {})",
            s.arg(tag)
        )
    }
}

/// SQL for one condition on a ticket; `None` if it cannot apply to tickets.
fn ticket_cond(s: &mut Sql, c: &Cond, me: i64) -> Option<String> {
    Some(match c {
        Cond::Status(op, st) => format!(
            "t.status_rank {} {}",
            op_sql(*op),
            s.arg(crate::repo::tickets::status_rank(*st))
        ),
        Cond::Priority(op, p) => format!(
            "t.priority_rank {} {}",
            op_sql(*op),
            s.arg(crate::repo::tickets::priority_rank(*p))
        ),
        Cond::PriorityNone => "t.priority IS NULL".into(),
        Cond::Type(tt) => format!("t.type = {}", s.arg(*tt)),
        Cond::Tag(tag) => tag_cond(s, "t", tag),
        Cond::TagNone => "t.tags = ''".into(),
        Cond::Requester(r) => user_cond(s, "t.requester_id", r, me),
        Cond::Assignee(r) => user_cond(s, "t.assignee_id", r, me),
        Cond::Submitter(r) => user_cond(s, "t.submitter_id", r, me),
        Cond::Group(g) => named_cond(s, "t.group_id", g, "groups"),
        Cond::Organization(o) => named_cond(s, "t.organization_id", o, "organizations"),
        Cond::Via(ch) => format!("t.via_channel = {}", s.arg(*ch)),
        Cond::HasAttachment(b) => format!("t.has_attachments = {}", s.arg(*b)),
        Cond::CustomField(id, v) => format!(
            "EXISTS (SELECT 1 FROM ticket_field_values f WHERE f.ticket_id = t.id AND f.field_id = {} AND LOWER(f.value) = {})",
            s.arg(*id),
            s.arg(v.to_lowercase())
        ),
        Cond::Time(f, from, to) => {
            let col = time_col(*f, "t");
            format!("({col} >= {} AND {col} < {})", s.arg(*from), s.arg(*to))
        }
        Cond::TicketId(id) => format!("t.id = {}", s.arg(*id)),
        Cond::ExternalId(e) => format!("t.external_id = {}", s.arg(e.as_str())),
        Cond::Not(inner) => format!("NOT ({})", ticket_cond(s, inner, me)?),
        Cond::Email(_) | Cond::Role(_) | Cond::Name(_) => return None,
    })
}

fn user_record_cond(s: &mut Sql, c: &Cond) -> Option<String> {
    Some(match c {
        Cond::Email(e) => format!(
            "t.id IN (SELECT user_id FROM identities WHERE kind = 'email' AND value LIKE {})",
            s.arg(e.replace('*', "%"))
        ),
        Cond::Role(r) => format!("t.role = {}", s.arg(*r)),
        Cond::Name(n) => format!("LOWER(t.name) LIKE {}", s.arg(like(n))),
        Cond::ExternalId(e) => format!("t.external_id = {}", s.arg(e.as_str())),
        Cond::Organization(o) => named_cond(s, "t.organization_id", o, "organizations"),
        Cond::Tag(tag) => format!(
            "(' ' || t.tags || ' ') LIKE {}",
            s.arg(format!("% {} %", tag.trim_end_matches('*')))
        ),
        Cond::TagNone => "t.tags = ''".into(),
        Cond::Time(f @ (TimeField::Created | TimeField::Updated), from, to) => {
            let col = time_col(*f, "t");
            format!("({col} >= {} AND {col} < {})", s.arg(*from), s.arg(*to))
        }
        _ => return None,
    })
}

fn org_record_cond(s: &mut Sql, c: &Cond) -> Option<String> {
    Some(match c {
        Cond::Name(n) => format!("LOWER(t.name) LIKE {}", s.arg(like(n))),
        Cond::ExternalId(e) => format!("t.external_id = {}", s.arg(e.as_str())),
        Cond::Tag(tag) => format!(
            "(' ' || t.tags || ' ') LIKE {}",
            s.arg(format!("% {} %", tag.trim_end_matches('*')))
        ),
        Cond::TagNone => "t.tags = ''".into(),
        Cond::Time(f @ (TimeField::Created | TimeField::Updated), from, to) => {
            let col = time_col(*f, "t");
            format!("({col} >= {} AND {col} < {})", s.arg(*from), s.arg(*to))
        }
        _ => return None,
    })
}

fn group_record_cond(s: &mut Sql, c: &Cond) -> Option<String> {
    Some(match c {
        Cond::Name(n) => format!("LOWER(t.name) LIKE {}", s.arg(like(n))),
        Cond::Time(f @ (TimeField::Created | TimeField::Updated), from, to) => {
            let col = time_col(*f, "t");
            format!("({col} >= {} AND {col} < {})", s.arg(*from), s.arg(*to))
        }
        _ => return None,
    })
}

/// Adds the clauses; a positive clause none of whose conditions apply makes
/// the whole search empty (returns false).
fn add_clauses(
    s: &mut Sql,
    clauses: &[Clause],
    mut cond: impl FnMut(&mut Sql, &Cond) -> Option<String>,
) -> bool {
    for clause in clauses {
        let parts: Vec<String> = clause.any.iter().filter_map(|c| cond(s, c)).collect();
        match (parts.is_empty(), clause.negated) {
            (true, false) => return false,
            (true, true) => {}
            (false, neg) => s.parts.push(format!(
                "{}({})",
                if neg { "NOT " } else { "" },
                parts.join(" OR ")
            )),
        }
    }
    true
}

fn fts_word(backend: Backend, t: &TextTerm) -> Option<String> {
    let alts: Vec<String> = match (t, backend) {
        (TextTerm::Word { stems, prefix, .. }, Backend::Sqlite) => stems
            .iter()
            .map(|s| format!("\"{s}\"{}", if *prefix { "*" } else { "" }))
            .collect(),
        (TextTerm::Word { stems, prefix, .. }, Backend::Postgres) => stems
            .iter()
            .map(|s| format!("{s}{}", if *prefix { ":*" } else { "" }))
            .collect(),
        (
            TextTerm::Phrase {
                english, spanish, ..
            },
            Backend::Sqlite,
        ) => [english, spanish]
            .iter()
            .filter(|v| !v.is_empty())
            .map(|v| format!("\"{}\"", v.join(" ")))
            .collect(),
        (
            TextTerm::Phrase {
                english, spanish, ..
            },
            Backend::Postgres,
        ) => [english, spanish]
            .iter()
            .filter(|v| !v.is_empty())
            .map(|v| format!("({})", v.join(" <-> ")))
            .collect(),
    };
    let mut alts = alts;
    alts.dedup();
    (!alts.is_empty()).then(|| {
        format!(
            "({})",
            alts.join(if backend == Backend::Sqlite {
                " OR "
            } else {
                " | "
            })
        )
    })
}

/// A tag clause as an FTS alternative group: `("tg…" OR "tg…")`.
fn fts_tags(backend: Backend, clause: &Clause) -> String {
    let terms: Vec<String> = clause
        .any
        .iter()
        .filter_map(|c| match c {
            Cond::Tag(t) => Some(match backend {
                Backend::Sqlite => format!("\"{}\"", search::tag_term(t)),
                Backend::Postgres => search::tag_term(t),
            }),
            _ => None,
        })
        .collect();
    format!(
        "({})",
        terms.join(if backend == Backend::Sqlite {
            " OR "
        } else {
            " | "
        })
    )
}

/// Adds text terms and plain-tag clauses as one match on the text index.
/// Positive parts are ANDed and negative ones subtracted inside the index
/// (`A NOT B` / `A & !B`), so FTS intersects posting lists instead of
/// probing rows; with no positive part, negatives become `NOT IN`.
fn add_text(s: &mut Sql, text: &[(bool, TextTerm)], tags: &[&Clause]) {
    let (fts, close) = match s.backend {
        Backend::Sqlite => ("SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH", ""),
        Backend::Postgres => (
            "SELECT ticket_id FROM ticket_fts WHERE tsv @@ to_tsquery('simple',",
            ")",
        ),
    };
    let mut positive: Vec<String> = text
        .iter()
        .filter(|(n, _)| !n)
        .filter_map(|(_, t)| fts_word(s.backend, t))
        .collect();
    positive.extend(
        tags.iter()
            .filter(|c| !c.negated)
            .map(|c| fts_tags(s.backend, c)),
    );
    let mut negative: Vec<String> = text
        .iter()
        .filter(|(n, _)| *n)
        .filter_map(|(_, t)| fts_word(s.backend, t))
        .collect();
    negative.extend(
        tags.iter()
            .filter(|c| c.negated)
            .map(|c| fts_tags(s.backend, c)),
    );
    if positive.is_empty() {
        for expr in negative {
            let p = s.arg(expr);
            s.parts.push(format!("t.id NOT IN ({fts} {p}{close})"));
        }
        return;
    }
    let expr = match s.backend {
        Backend::Sqlite => {
            let mut e = positive.join(" AND ");
            for n in &negative {
                e = format!("({e}) NOT {n}");
            }
            e
        }
        Backend::Postgres => {
            let mut e = positive.join(" & ");
            for n in &negative {
                e.push_str(&format!(" & !{n}"));
            }
            e
        }
    };
    let p = s.arg(expr);
    if s.backend == Backend::Sqlite {
        s.fts_join = true;
        s.parts.push(format!("ticket_fts MATCH {p}"));
    } else {
        s.parts.push(format!("t.id IN ({fts} {p}{close})"));
    }
}

/// Text terms against user, organization or group names (and user emails).
fn add_name_text(s: &mut Sql, text: &[(bool, TextTerm)], with_email: bool) {
    for (neg, t) in text {
        let raw = match t {
            TextTerm::Word { raw, .. } | TextTerm::Phrase { raw, .. } => raw,
        };
        let p = s.arg(like(raw));
        let cond = if with_email {
            format!("(LOWER(t.name) LIKE {p} OR LOWER(COALESCE(t.email, '')) LIKE {p})")
        } else {
            format!("LOWER(t.name) LIKE {p}")
        };
        s.parts
            .push(if *neg { format!("NOT {cond}") } else { cond });
    }
}

/// The `FROM … WHERE …` and its arguments for one result type, or `None` if
/// the plan cannot match records of that type.
/// The `FROM … WHERE …`, its arguments, and whether the FTS table drives it.
fn from_where(
    backend: Backend,
    plan: &Plan,
    kind: ResultType,
    actor: &Actor,
) -> Option<(String, Vec<Value>, bool)> {
    if !plan.wants(kind) {
        return None;
    }
    let mut s = Sql {
        backend,
        parts: vec![],
        args: vec![],
        fts_join: false,
    };
    let table = match kind {
        ResultType::Ticket => {
            s.parts.push("t.deleted_at IS NULL".into());
            if !actor.is_staff() {
                let me = s.arg(actor.user);
                s.parts.push(format!("(t.requester_id = {me} OR EXISTS (SELECT 1 FROM ticket_collaborators x WHERE x.ticket_id = t.id AND x.user_id = {me}))"));
            } else if actor.restricted {
                let me = s.arg(actor.user);
                s.parts.push(restricted_agent_sql(&me));
            }
            // Clauses of plain tags go to the text index with the words.
            let is_tag_clause = |c: &&Clause| {
                c.any
                    .iter()
                    .all(|x| matches!(x, Cond::Tag(t) if !t.ends_with('*')))
            };
            let tag_clauses: Vec<&Clause> = plan.clauses.iter().filter(is_tag_clause).collect();
            let rest: Vec<Clause> = plan
                .clauses
                .iter()
                .filter(|c| !is_tag_clause(c))
                .cloned()
                .collect();
            if !add_clauses(&mut s, &rest, |s, c| ticket_cond(s, c, actor.user.0)) {
                return None;
            }
            add_text(&mut s, &plan.text, &tag_clauses);
            "tickets"
        }
        // Only staff may search people, organizations and groups.
        _ if !actor.is_staff() => return None,
        ResultType::User => {
            if !add_clauses(&mut s, &plan.clauses, user_record_cond) {
                return None;
            }
            add_name_text(&mut s, &plan.text, true);
            "users"
        }
        ResultType::Organization => {
            s.parts.push("t.deleted_at IS NULL".into());
            if !add_clauses(&mut s, &plan.clauses, org_record_cond) {
                return None;
            }
            add_name_text(&mut s, &plan.text, false);
            "organizations"
        }
        ResultType::Group => {
            s.parts.push("t.deleted = FALSE".into());
            if !add_clauses(&mut s, &plan.clauses, group_record_cond) {
                return None;
            }
            add_name_text(&mut s, &plan.text, false);
            "groups"
        }
    };
    let cond = if s.parts.is_empty() {
        "1 = 1".to_string()
    } else {
        s.parts.join(" AND ")
    };
    // Text drives: CROSS JOIN keeps the FTS table as the outer loop, so the
    // planner never re-evaluates a MATCH once per row of a broad filter.
    let from = if s.fts_join {
        format!("ticket_fts CROSS JOIN {table} t ON t.id = ticket_fts.rowid")
    } else {
        format!("{table} t")
    };
    Some((format!("{from} WHERE {cond}"), s.args, s.fts_join))
}

/// "Relevance" for tickets is newest first: the order FTS5 streams rowids
/// in and the primary key walks, so a page needs no sort over all matches.
/// With a created/updated range and no text, the newest by that time come
/// first, read backwards from that time's index.
fn order_by(kind: ResultType, plan: &Plan, fts: bool) -> String {
    let (sort, descending) = (plan.sort, plan.descending);
    let dir = if descending { "DESC" } else { "ASC" };
    let ranged = |field: TimeField| {
        plan.clauses.iter().any(|c| {
            !c.negated && c.any.len() == 1 && matches!(c.any[0], Cond::Time(f, ..) if f == field)
        })
    };
    let key = match (kind, sort) {
        (ResultType::Ticket, SortKey::Relevance) if fts => return "ticket_fts.rowid DESC".into(),
        (ResultType::Ticket, SortKey::Relevance) if ranged(TimeField::Created) => {
            return "t.created_at DESC, t.id DESC".into();
        }
        (ResultType::Ticket, SortKey::Relevance) if ranged(TimeField::Updated) => {
            return "t.updated_at DESC, t.id DESC".into();
        }
        (ResultType::Ticket, SortKey::Relevance) => return "t.id DESC".into(),
        (ResultType::Ticket, SortKey::Priority) => "COALESCE(t.priority_rank, -1)",
        (ResultType::Ticket, SortKey::Status) => "t.status_rank",
        (ResultType::Ticket, SortKey::TicketType) => "COALESCE(t.type, '')",
        (_, SortKey::CreatedAt) => "t.created_at",
        (_, SortKey::UpdatedAt | SortKey::Relevance) => "t.updated_at",
        _ => "t.id",
    };
    format!("{key} {dir}, t.id {dir}")
}

/// A page of matching ticket ids and their total (views).
pub async fn ticket_page(
    c: &mut Conn<'_>,
    plan: &Plan,
    actor: &Actor,
    offset: i64,
    limit: i64,
) -> Result<(Vec<i64>, i64), StoreError> {
    let total = count(c, plan, ResultType::Ticket, actor).await?;
    Ok((
        ids(c, plan, ResultType::Ticket, actor, offset, limit).await?,
        total,
    ))
}

/// How many records of a type match.
pub async fn count(
    c: &mut Conn<'_>,
    plan: &Plan,
    kind: ResultType,
    actor: &Actor,
) -> Result<i64, StoreError> {
    let Some((fw, args, _)) = from_where(c.backend(), plan, kind, actor) else {
        return Ok(0);
    };
    let mut query = q(format!("SELECT COUNT(*) FROM {fw}"));
    query.args = args;
    c.scalar(query).await
}

/// How many records of a type match, counting no further than `cap + 1`,
/// so a query that matches most of a million tickets stays cheap.
pub async fn count_capped(
    c: &mut Conn<'_>,
    plan: &Plan,
    kind: ResultType,
    actor: &Actor,
    cap: i64,
) -> Result<i64, StoreError> {
    let Some((fw, mut args, _)) = from_where(c.backend(), plan, kind, actor) else {
        return Ok(0);
    };
    let n = args.len();
    args.push(Value::Int(cap + 1));
    let mut query = q(format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM {fw} LIMIT ${}) capped",
        n + 1
    ));
    query.args = args;
    c.scalar(query).await
}

/// One page of matching ids of a type. "Relevance" orders by most recently
/// updated, which is what agents want from a help desk search and is the
/// same on both backends.
pub async fn ids(
    c: &mut Conn<'_>,
    plan: &Plan,
    kind: ResultType,
    actor: &Actor,
    offset: i64,
    limit: i64,
) -> Result<Vec<i64>, StoreError> {
    let Some((fw, mut args, fts)) = from_where(c.backend(), plan, kind, actor) else {
        return Ok(vec![]);
    };
    let n = args.len();
    args.push(Value::Int(limit));
    args.push(Value::Int(offset));
    let mut query = q(format!(
        "SELECT t.id FROM {fw} ORDER BY {} LIMIT ${} OFFSET ${}",
        order_by(kind, plan, fts),
        n + 1,
        n + 2
    ));
    query.args = args;
    c.all(query).await?.iter().map(|r| r.int(0)).collect()
}
