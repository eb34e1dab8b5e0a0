//! Requests: a customer's view of their tickets (Zendesk's Requests API
//! and the portal's "my requests"). A customer sees the tickets they asked,
//! those they are copied on, and — where their organization shares tickets
//! — their organization's; only the public conversation. They reply, copy
//! others in and say a request is solved, through the one write pipeline.

use crate::pipeline::{Change, WriteRequest};
use crate::tickets::{CommentInput, CommentText, TicketInput, TicketWrite};
use crate::{App, AppError, FieldError, Paged, Paging};
use domain::{Actor, Channel, OrgId, Status, TicketId, Timestamp};
use store::Conn;
use store::model::{Comment, Ticket};
use store::paging::page_ids;
use store::repo::tickets::status_rank;
use store::repo::{comments, orgs, tickets};

/// Which of a customer's requests a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestList {
    /// Every one, any status.
    All,
    /// Not solved or closed.
    Open,
    /// Solved or closed.
    Solved,
    /// Those they are copied on (not their own).
    Ccd,
}

/// What a customer may do to a request of theirs.
#[derive(Debug, Clone, Default)]
pub struct RequestUpdate {
    /// Their reply, with upload tokens for its files.
    pub comment: Option<CommentInput>,
    /// "Consider this request solved": the requester's to say.
    pub solved: bool,
    /// People to copy in, by email address.
    pub add_ccs: Vec<String>,
}

/// A request as its page shows it: the ticket, its public conversation
/// (oldest first) and the names of those who wrote it.
#[derive(Debug, Clone)]
pub struct RequestPage {
    pub ticket: Ticket,
    pub comments: Vec<Comment>,
    pub authors: Vec<(domain::UserId, String)>,
}

/// The most comments a request page shows (the API pages through all).
const PAGE_COMMENTS: i64 = 500;

/// The organization whose tickets the actor may read besides their own:
/// theirs, when it shares tickets among its members.
async fn shared_org(c: &mut Conn<'_>, actor: &Actor) -> Result<Option<OrgId>, AppError> {
    let Some(org) = actor.org else {
        return Ok(None);
    };
    Ok(orgs::get(c, org)
        .await?
        .filter(|o| o.shared_tickets)
        .map(|o| o.id))
}

/// Whether a ticket is one of the actor's requests: asked, copied on, or
/// their sharing organization's.
fn is_request_of(t: &Ticket, actor: &Actor, shared: Option<OrgId>) -> bool {
    t.requester_id == actor.user
        || t.collaborator_ids.contains(&actor.user)
        || (shared.is_some() && t.organization_id == shared)
}

/// A live request of the actor's — or, for staff, a ticket they may see —
/// read on the caller's connection.
async fn request_in(c: &mut Conn<'_>, actor: &Actor, id: TicketId) -> Result<Ticket, AppError> {
    let shared = shared_org(c, actor).await?;
    let t = tickets::get(c, id, false)
        .await?
        .filter(|t| t.deleted_at.is_none())
        .ok_or(AppError::NotFound)?;
    let staff_sees = actor.is_staff() && crate::tickets::can_see(c, actor, &t).await?;
    if is_request_of(&t, actor, shared) || staff_sees {
        Ok(t)
    } else {
        Err(AppError::NotFound)
    }
}

impl App {
    /// A page of the actor's requests, newest activity first by id.
    pub async fn requests(
        &self,
        actor: Actor,
        list: RequestList,
        paging: Paging,
    ) -> Result<(Vec<Ticket>, Paged), AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let shared = shared_org(c, &actor).await?;
        let mut args: Vec<store::Value> = vec![actor.user.into()];
        let ccd = "t.id IN (SELECT ticket_id FROM ticket_collaborators WHERE user_id = $1)";
        let mut cond = match (list, shared) {
            (RequestList::Ccd, _) => format!("tickets t WHERE {ccd}"),
            (_, Some(org)) => {
                args.push(org.into());
                format!("tickets t WHERE (t.requester_id = $1 OR {ccd} OR t.organization_id = $2)")
            }
            (_, None) => format!("tickets t WHERE (t.requester_id = $1 OR {ccd})"),
        };
        cond.push_str(" AND t.deleted_at IS NULL");
        let solved = status_rank(Status::Solved);
        match list {
            RequestList::Open => cond.push_str(&format!(" AND t.status_rank < {solved}")),
            RequestList::Solved => cond.push_str(&format!(" AND t.status_rank >= {solved}")),
            RequestList::All | RequestList::Ccd => {}
        }
        let page = page_ids(c, &cond, args, paging).await?;
        let found = tickets::get_many(c, &page.ids, false).await?;
        Ok((
            crate::ticket_reads::for_reader(c, &actor, found).await?,
            page,
        ))
    }

    /// One of the actor's requests.
    pub async fn request(&self, actor: Actor, id: TicketId) -> Result<Ticket, AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let t = request_in(c, &actor, id).await?;
        let mut t = crate::ticket_reads::for_reader(c, &actor, vec![t]).await?;
        t.pop().ok_or(AppError::NotFound)
    }

    /// A request's public conversation, oldest first (internal notes are
    /// never part of a request, whoever reads it).
    pub async fn request_comments(
        &self,
        actor: Actor,
        id: TicketId,
        paging: Paging,
    ) -> Result<(Vec<Comment>, Paged), AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        request_in(c, &actor, id).await?;
        let cond = "comments t WHERE t.ticket_id = $1 AND t.public = TRUE";
        let page = page_ids(c, cond, vec![id.into()], paging).await?;
        Ok((comments::get_many(c, &page.ids).await?, page))
    }

    /// A request with its public conversation and its authors' names.
    pub async fn request_page(&self, actor: Actor, id: TicketId) -> Result<RequestPage, AppError> {
        let ticket = self.request(actor, id).await?;
        let paging = Paging::Offset {
            page: 1,
            per_page: PAGE_COMMENTS,
        };
        let (comments, _) = self.request_comments(actor, id, paging).await?;
        let mut ids: Vec<i64> = comments.iter().map(|c| c.author_id.0).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut rc = self.read().await?;
        let authors = store::repo::users::get_many(&mut rc.conn(), &ids)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();
        Ok(RequestPage {
            ticket,
            comments,
            authors,
        })
    }

    /// One public comment of a request.
    pub async fn request_comment(
        &self,
        actor: Actor,
        id: TicketId,
        comment: domain::CommentId,
    ) -> Result<Comment, AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        request_in(c, &actor, id).await?;
        comments::get_many(c, &[comment.0])
            .await?
            .pop()
            .filter(|cm| cm.ticket_id == id && cm.public)
            .ok_or(AppError::NotFound)
    }

    /// A new request by the actor (for themselves), copying in `ccs`.
    pub async fn create_request(
        &self,
        actor: Actor,
        subject: Option<String>,
        comment: CommentInput,
        ccs: Vec<String>,
        via: Channel,
    ) -> Result<TicketWrite, AppError> {
        let text = CommentText::of(&public(comment.clone()))?;
        let now = Timestamp::now();
        let hooks = self.hooks().await?;
        self.write(move |c| {
            Box::pin(async move {
                let mut ids = Vec::new();
                for e in &ccs {
                    let u = crate::users::find_or_create_by_email(c, e, None, None, now).await?;
                    if u.id != actor.user && !ids.contains(&u.id) {
                        ids.push(u.id);
                    }
                }
                let input = TicketInput {
                    subject,
                    requester: Some(crate::tickets::RequesterInput::Id(actor.user)),
                    collaborator_ids: (!ids.is_empty()).then_some(ids),
                    ..Default::default()
                };
                let change = Change::Create {
                    input,
                    comment: public(comment),
                    text,
                };
                crate::pipeline::write(c, &hooks, WriteRequest::new(actor, via, change), now)
                    .await?
                    .ok_or(AppError::NotFound)
            })
        })
        .await
    }

    /// The actor replies to a request, copies others in, or says it is
    /// solved (only its requester, and not once it is closed).
    pub async fn update_request(
        &self,
        actor: Actor,
        id: TicketId,
        update: RequestUpdate,
        via: Channel,
    ) -> Result<TicketWrite, AppError> {
        let comment = update.comment.filter(|c| !c.is_blank()).map(public);
        if comment.is_none() && !update.solved && update.add_ccs.is_empty() {
            return Err(AppError::field(FieldError::blank("comment")));
        }
        let text = comment.as_ref().map(CommentText::of).transpose()?;
        let now = Timestamp::now();
        let hooks = self.hooks().await?;
        self.write(move |c| {
            Box::pin(async move {
                let t = request_in(c, &actor, id).await?;
                if t.status == Status::Closed {
                    return Err(AppError::field(FieldError::invalid(
                        "status",
                        "a closed request cannot change; open a new one",
                    )));
                }
                if update.solved && t.requester_id != actor.user {
                    return Err(AppError::forbidden(
                        "only the requester may mark a request solved",
                    ));
                }
                if update.solved && t.assignee_id.is_none() {
                    return Err(AppError::field(FieldError::invalid(
                        "solved",
                        "a request can be marked solved once an agent has taken it",
                    )));
                }
                let mut ccs = t.collaborator_ids.clone();
                for e in &update.add_ccs {
                    let u = crate::users::find_or_create_by_email(c, e, None, None, now).await?;
                    if u.id != t.requester_id && !ccs.contains(&u.id) {
                        ccs.push(u.id);
                    }
                }
                let input = TicketInput {
                    comment,
                    status: update.solved.then_some(Status::Solved),
                    collaborator_ids: (ccs != t.collaborator_ids).then_some(ccs),
                    ..Default::default()
                };
                let change = Change::Update { id, input, text };
                crate::pipeline::write(c, &hooks, WriteRequest::new(actor, via, change), now)
                    .await?
                    .ok_or(AppError::NotFound)
            })
        })
        .await
    }
}

/// A customer's comment is public, in their own name, whatever was sent.
fn public(mut c: CommentInput) -> CommentInput {
    c.public = Some(true);
    c.author_id = None;
    c.reply_via = None;
    c
}
