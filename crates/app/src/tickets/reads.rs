//! Reading tickets: one, several, lists by scope, comments and audits,
//! as the caller may see them.

use super::*;

/// The groups whose tickets a restricted agent sees; nobody else needs them.
pub(crate) async fn my_groups(c: &mut Conn<'_>, actor: &Actor) -> Result<Vec<GroupId>, AppError> {
    if actor.restricted {
        Ok(groups::group_ids_of(c, actor.user).await?)
    } else {
        Ok(vec![])
    }
}

/// Whether the actor may see this ticket (restricted agents: by group).
pub(crate) async fn can_see(c: &mut Conn<'_>, actor: &Actor, t: &Ticket) -> Result<bool, AppError> {
    let mine = my_groups(c, actor).await?;
    Ok(actor.can_see_ticket(t.parties(), &mine))
}

/// A live ticket the actor may see, read on the caller's connection.
pub(super) async fn visible_ticket(
    c: &mut Conn<'_>,
    actor: &Actor,
    id: TicketId,
) -> Result<Ticket, AppError> {
    let t = tickets::get(c, id, false)
        .await?
        .ok_or(AppError::NotFound)?;
    if can_see(c, actor, &t).await? {
        Ok(t)
    } else {
        Err(AppError::NotFound)
    }
}

/// Which tickets a list shows.
#[derive(Debug, Clone)]
pub enum TicketScope {
    All,
    Requested(UserId),
    Assigned(UserId),
    Ccd(UserId),
    Organization(OrgId),
    ExternalId(String),
}

impl App {
    /// One ticket, if the caller may see it.
    pub async fn ticket(&self, actor: Actor, id: TicketId) -> Result<Ticket, AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let t = visible_ticket(c, &actor, id).await?;
        let mut t = crate::ticket_reads::for_reader(c, &actor, vec![t]).await?;
        t.pop().ok_or(AppError::NotFound)
    }

    /// The id of a ticket's newest audit: its version, for edits that must
    /// not overwrite a change they did not see.
    pub async fn ticket_version(&self, actor: Actor, id: TicketId) -> Result<AuditId, AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        visible_ticket(c, &actor, id).await?;
        Ok(comments::last_audit_id(c, id).await?)
    }

    /// The incidents linked to a problem ticket the caller may see, as
    /// far as the caller may see them.
    pub async fn ticket_incidents(
        &self,
        actor: Actor,
        problem: TicketId,
    ) -> Result<Vec<Ticket>, AppError> {
        self.ticket(actor, problem).await?;
        let ids = {
            let mut rc = self.read().await?;
            tickets::incident_ids(&mut rc.conn(), problem).await?
        };
        self.tickets_by_ids(actor, &ids).await
    }

    /// Several tickets; unknown, deleted and invisible ones are skipped.
    pub async fn tickets_by_ids(
        &self,
        actor: Actor,
        ids: &[TicketId],
    ) -> Result<Vec<Ticket>, AppError> {
        let ids: Vec<i64> = ids.iter().map(|t| t.0).collect();
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let ts = tickets::get_many(c, &ids, false).await?;
        let mine = my_groups(c, &actor).await?;
        let seen = ts
            .into_iter()
            .filter(|t| actor.can_see_ticket(t.parties(), &mine))
            .collect();
        crate::ticket_reads::for_reader(c, &actor, seen).await
    }

    /// A page of tickets the caller may see, narrowed by `scope`.
    pub async fn list_tickets(
        &self,
        actor: Actor,
        scope: TicketScope,
        paging: Paging,
    ) -> Result<(Vec<Ticket>, Paged), AppError> {
        let mut cond = String::from("tickets t WHERE t.deleted_at IS NULL");
        let mut args: Vec<store::Value> = vec![];
        let mut add = |sql: &str, v: store::Value, args: &mut Vec<store::Value>| {
            args.push(v);
            cond.push_str(&sql.replace("$?", &format!("${}", args.len())));
        };
        if !domain::policy::reads_internal(&actor) {
            // A customer lists their own tickets, never someone else's.
            let about_someone_else = match &scope {
                TicketScope::Requested(u) | TicketScope::Assigned(u) | TicketScope::Ccd(u) => {
                    *u != actor.user
                }
                _ => false,
            };
            if about_someone_else {
                return Err(AppError::NotFound);
            }
            add(
                " AND (t.requester_id = $? OR t.id IN (SELECT ticket_id FROM ticket_collaborators WHERE user_id = $?))",
                actor.user.into(),
                &mut args,
            );
        } else if actor.restricted {
            let clause = format!(" AND {}", index::restricted_agent_sql("$?"));
            add(&clause, actor.user.into(), &mut args);
        }
        match scope {
            TicketScope::All => {}
            TicketScope::Requested(u) => add(" AND t.requester_id = $?", u.into(), &mut args),
            TicketScope::Assigned(u) => add(" AND t.assignee_id = $?", u.into(), &mut args),
            TicketScope::Ccd(u) => add(
                " AND t.id IN (SELECT ticket_id FROM ticket_collaborators WHERE user_id = $?)",
                u.into(),
                &mut args,
            ),
            TicketScope::Organization(o) => add(" AND t.organization_id = $?", o.into(), &mut args),
            TicketScope::ExternalId(e) => add(" AND t.external_id = $?", e.into(), &mut args),
        }
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let page = page_ids(c, &cond, args, paging).await?;
        let found = tickets::get_many(c, &page.ids, false).await?;
        Ok((
            crate::ticket_reads::for_reader(c, &actor, found).await?,
            page,
        ))
    }

    /// A page of a ticket's comments, oldest first. End-users never see
    /// internal notes.
    pub async fn comments(
        &self,
        actor: Actor,
        id: TicketId,
        paging: Paging,
    ) -> Result<(Vec<Comment>, Paged), AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        visible_ticket(c, &actor, id).await?;
        let cond = if domain::policy::reads_internal(&actor) {
            "comments t WHERE t.ticket_id = $1"
        } else {
            "comments t WHERE t.ticket_id = $1 AND t.public = TRUE"
        };
        let page = page_ids(c, cond, vec![id.into()], paging).await?;
        Ok((comments::get_many(c, &page.ids).await?, page))
    }

    /// A page of a ticket's audits, oldest first (staff only).
    pub async fn audits(
        &self,
        actor: Actor,
        id: TicketId,
        paging: Paging,
    ) -> Result<(Vec<Audit>, Paged), AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        visible_ticket(c, &actor, id).await?;
        let page = page_ids(
            c,
            "audits t WHERE t.ticket_id = $1",
            vec![id.into()],
            paging,
        )
        .await?;
        Ok((comments::audits_many(c, &page.ids).await?, page))
    }

    /// Every ticket's audits, a page at a time (`GET /api/v2/ticket_audits`:
    /// admins, as Zendesk allows).
    pub async fn all_audits(
        &self,
        actor: Actor,
        paging: Paging,
    ) -> Result<(Vec<Audit>, Paged), AppError> {
        if !actor.is_admin() {
            return Err(AppError::forbidden(
                "only admins may list every ticket's audits",
            ));
        }
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let page = page_ids(c, "audits t WHERE 1 = 1", vec![], paging).await?;
        Ok((comments::audits_many(c, &page.ids).await?, page))
    }
}
