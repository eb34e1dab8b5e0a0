//! Realistic bilingual demo data: agents in groups, customers in
//! organizations, and tickets over the last 90 days with replies, internal
//! notes and tags, in Spanish and English. Written in large units straight
//! through the store (the same rows, audits, index terms and events that the
//! use cases write), so loading thousands of tickets takes seconds.

mod words;

use crate::tickets::ticket_terms;
use crate::{App, AppError};
use domain::audit::{AuditEvent, CommentEvent};
use domain::{
    AuditId, Channel, CommentId, GroupId, IdentityKind, OrgId, Priority, Role, Status, TicketId,
    TicketType, Timestamp, UserId,
};
use store::events::{Entity, EventKind, NewEvent};
use store::model::{Comment, Group, Organization, Ticket, User};
use store::repo::{comments, groups, orgs, search, tickets, users};
use words::*;

/// How much to generate.
#[derive(Debug, Clone, Copy)]
pub struct DemoSize {
    pub agents: usize,
    pub customers: usize,
    pub organizations: usize,
    pub tickets: usize,
    /// Replies and notes per ticket, at most.
    pub max_replies: usize,
}

impl Default for DemoSize {
    fn default() -> Self {
        DemoSize {
            agents: 10,
            customers: 200,
            organizations: 20,
            tickets: 2000,
            max_replies: 4,
        }
    }
}

/// A small deterministic generator, so demo data is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn person(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(FIRST), rng.pick(LAST))
}

fn slug(s: &str) -> String {
    ::search::fold(s)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

impl App {
    /// Loads demo data; returns how many tickets were created. Safe to run
    /// again: it adds a new batch with fresh addresses.
    pub async fn load_demo(&self, size: DemoSize) -> Result<usize, AppError> {
        // Bring an older index up to date first; what is loaded is current.
        self.ensure_index_current().await?;
        let now = Timestamp::now();
        let run = now.0 % 100_000;
        let (agents, group_ids, org_ids, customers) = self
            .write(move |c| {
                Box::pin(async move {
                    let mut rng = Rng(0x5eed_u64 ^ run as u64);
                    let mut group_ids = Vec::new();
                    for (name, description) in GROUPS {
                        let g = Group {
                            id: GroupId(0),
                            name: (*name).into(),
                            description: (*description).into(),
                            is_public: true,
                            deleted: false,
                            created_at: now,
                            updated_at: now,
                        };
                        group_ids.push(groups::insert(c, &g).await?);
                    }
                    let mut agents = Vec::new();
                    for i in 0..size.agents {
                        let name = person(&mut rng);
                        let email = format!(
                            "{}.{i}.{run}@agents.atiende.example",
                            slug(&name).to_lowercase()
                        );
                        let id = insert_person(
                            c,
                            &name,
                            &email,
                            Role::Agent,
                            None,
                            if i % 2 == 0 { "es" } else { "en-US" },
                            now,
                        )
                        .await?;
                        groups::add_member(c, id, group_ids[i % group_ids.len()], true, now)
                            .await?;
                        agents.push(id);
                    }
                    let mut org_ids = Vec::new();
                    for i in 0..size.organizations {
                        let base = COMPANIES[i % COMPANIES.len()];
                        let name = format!(
                            "{base} {} {run}-{i}",
                            if i % 2 == 0 { "S.A." } else { "Ltd" }
                        );
                        let domain = format!("{}{i}-{run}.example", slug(base).to_lowercase());
                        let o = Organization {
                            id: OrgId(0),
                            name,
                            details: None,
                            notes: None,
                            external_id: None,
                            group_id: None,
                            shared_tickets: false,
                            tags: vec![if i % 3 == 0 {
                                "vip".into()
                            } else {
                                "standard".into()
                            }],
                            domain_names: vec![domain],
                            fields: vec![],
                            created_at: now,
                            updated_at: now,
                        };
                        let id = orgs::insert(c, &o).await?;
                        // In the event log like every organization, so
                        // the incremental export has it.
                        record_created(c, Entity::Organization, id.0, now).await?;
                        org_ids.push((id, o.domain_names[0].clone()));
                    }
                    let mut customers = Vec::new();
                    for i in 0..size.customers {
                        let name = person(&mut rng);
                        let (org, domain) = org_ids[i % org_ids.len().max(1)].clone();
                        let email = format!("{}{i}@{domain}", slug(&name).to_lowercase());
                        let id = insert_person(
                            c,
                            &name,
                            &email,
                            Role::EndUser,
                            Some(org),
                            if i % 2 == 0 { "es" } else { "en-US" },
                            now,
                        )
                        .await?;
                        customers.push((id, org));
                    }
                    Ok::<_, AppError>((agents, group_ids, org_ids, customers))
                })
            })
            .await?;
        let _ = org_ids;
        // Small units (large ones make SQLite's per-statement savepoints
        // costly), several in flight so the writer commits them in groups.
        use futures_util::StreamExt;
        let batch = 25usize;
        let (agents, group_ids, customers) = (
            std::sync::Arc::new(agents),
            std::sync::Arc::new(group_ids),
            std::sync::Arc::new(customers),
        );
        let units = (0..size.tickets).step_by(batch).map(|start| {
            let n = batch.min(size.tickets - start);
            let (agents, group_ids, customers) =
                (agents.clone(), group_ids.clone(), customers.clone());
            let seed = 0x1234_5678_u64 ^ (start as u64) ^ ((run as u64) << 20);
            let app = self.clone();
            async move {
                app.write(move |c| {
                    Box::pin(async move {
                        let mut rng = Rng(seed | 1);
                        for _ in 0..n {
                            demo_ticket(
                                c,
                                &mut rng,
                                &agents,
                                &group_ids,
                                &customers,
                                size.max_replies,
                                now,
                            )
                            .await?;
                        }
                        Ok::<_, AppError>(n)
                    })
                })
                .await
            }
        });
        let mut made = 0usize;
        let mut results = futures_util::stream::iter(units).buffer_unordered(16);
        while let Some(r) = results.next().await {
            made += r?;
        }
        // Fresh planner statistics, so searches over the new data pick good plans.
        self.db.analyze().await?;
        Ok(made)
    }
}

/// The event log's "created" for a record the demo wrote, by nobody.
async fn record_created(
    c: &mut store::Conn<'_>,
    entity: Entity,
    id: i64,
    at: Timestamp,
) -> Result<(), AppError> {
    store::events::append(
        c,
        NewEvent {
            entity,
            entity_id: id,
            kind: EventKind::Created,
            audit: None,
            actor: None,
            at,
        },
    )
    .await?;
    Ok(())
}

async fn insert_person(
    c: &mut store::Conn<'_>,
    name: &str,
    email: &str,
    role: Role,
    org: Option<OrgId>,
    locale: &str,
    now: Timestamp,
) -> Result<UserId, AppError> {
    let u = User {
        id: UserId(0),
        name: name.into(),
        email: Some(email.into()),
        role,
        active: true,
        verified: true,
        organization_id: org,
        default_group_id: None,
        locale: locale.into(),
        time_zone: "Europe/Madrid".into(),
        phone: None,
        external_id: None,
        details: None,
        notes: None,
        tags: vec![],
        password_hash: None,
        created_at: now,
        updated_at: now,
        restricted_to_groups: false,
        fields: vec![],
    };
    let id = users::insert(c, &u).await?;
    users::add_identity(c, id, IdentityKind::Email, email, true, now).await?;
    record_created(c, Entity::User, id.0, now).await?;
    Ok(id)
}

async fn demo_ticket(
    c: &mut store::Conn<'_>,
    rng: &mut Rng,
    agents: &[UserId],
    group_ids: &[GroupId],
    customers: &[(UserId, OrgId)],
    max_replies: usize,
    now: Timestamp,
) -> Result<(), AppError> {
    let (lang, subject, body, tags) = *rng.pick(ISSUES);
    let (requester, org) = *rng.pick(customers);
    let created = Timestamp(now.0 - (rng.below(90 * 86_400) as i64) - 3_600);
    let agent_i = rng.below(agents.len());
    let assignee = (rng.below(5) > 0).then(|| agents[agent_i]);
    let status = *rng.pick(&[
        Status::New,
        Status::Open,
        Status::Open,
        Status::Pending,
        Status::Hold,
        Status::Solved,
        Status::Solved,
        Status::Closed,
    ]);
    let status = if assignee.is_none() {
        Status::New
    } else {
        status
    };
    let mut t = Ticket {
        id: TicketId(0),
        subject: subject.into(),
        description: body.into(),
        status,
        priority: Some(*rng.pick(&[
            Priority::Low,
            Priority::Normal,
            Priority::Normal,
            Priority::High,
            Priority::Urgent,
        ])),
        ticket_type: Some(*rng.pick(&[
            TicketType::Question,
            TicketType::Incident,
            TicketType::Question,
            TicketType::Task,
        ])),
        requester_id: requester,
        submitter_id: requester,
        assignee_id: assignee,
        group_id: assignee.map(|_| group_ids[agent_i % group_ids.len()]),
        organization_id: Some(org),
        problem_id: None,
        ticket_form_id: None,
        external_id: None,
        via: *rng.pick(&[
            Channel::Email,
            Channel::Web,
            Channel::Chat,
            Channel::WhatsApp,
            Channel::Api,
        ]),
        tags: tags.split(' ').map(str::to_string).collect(),
        has_attachments: false,
        due_at: None,
        created_at: created,
        updated_at: created,
        solved_at: None,
        deleted_at: None,
        recipient: None,
        custom_fields: vec![],
        collaborator_ids: vec![],
        follower_ids: vec![],
    };
    t.tags.push(if lang == "es" {
        "espanol".into()
    } else {
        "english".into()
    });
    t.tags.sort();
    // Decide the whole conversation first, so each row is written once.
    let mut thread = vec![(requester, body, true, created)];
    let mut at = created;
    if let Some(agent) = assignee {
        for i in 0..rng.below(max_replies + 1) {
            at = Timestamp((at.0 + 600 + rng.below(2 * 86_400) as i64).min(now.0));
            let (author, text, public) = match (i % 2, rng.below(6)) {
                (_, 0) => (agent, *rng.pick(NOTES), false),
                (0, _) => (
                    agent,
                    if lang == "es" {
                        *rng.pick(AGENT_REPLIES_ES)
                    } else {
                        *rng.pick(AGENT_REPLIES_EN)
                    },
                    true,
                ),
                _ => (
                    requester,
                    if lang == "es" {
                        *rng.pick(CUSTOMER_REPLIES_ES)
                    } else {
                        *rng.pick(CUSTOMER_REPLIES_EN)
                    },
                    true,
                ),
            };
            thread.push((author, text, public, at));
        }
    }
    t.updated_at = at;
    if status.is_done() {
        t.solved_at = Some(at);
    }
    t.id = tickets::insert(c, &t).await?;
    let mut first = None;
    for (i, (author, text, public, at)) in thread.iter().enumerate() {
        let mut events = vec![AuditEvent::Comment(CommentEvent {
            author_id: *author,
            body: text.to_string(),
            html_body: crate::sanitize::text_to_html(text),
            plain_body: text.to_string(),
            public: *public,
            attachment_ids: Vec::new(),
        })];
        if i == 0 {
            events.push(AuditEvent::Create {
                field_name: "status".into(),
                value: "new".into(),
            });
        }
        let audit = comments::insert_audit(c, t.id, *author, t.via, &events, *at).await?;
        first.get_or_insert(audit);
        add(c, &t, audit, *author, text, *public, *at).await?;
    }
    let bodies: Vec<String> = thread
        .iter()
        .map(|(_, text, _, _)| text.to_string())
        .collect();
    search::index_new_ticket(c, t.id, &ticket_terms(&t.subject, &t.tags, &bodies)).await?;
    store::events::append(
        c,
        NewEvent {
            entity: Entity::Ticket,
            entity_id: t.id.0,
            kind: EventKind::Created,
            audit: first,
            actor: Some(requester),
            at: t.updated_at,
        },
    )
    .await?;
    Ok(())
}

async fn add(
    c: &mut store::Conn<'_>,
    t: &Ticket,
    audit: AuditId,
    author: UserId,
    text: &str,
    public: bool,
    at: Timestamp,
) -> Result<(), AppError> {
    let cm = Comment {
        id: CommentId(0),
        ticket_id: t.id,
        audit_id: audit,
        author_id: author,
        body: text.into(),
        html_body: crate::sanitize::text_to_html(text),
        public,
        via: t.via,
        created_at: at,
        attachments: vec![],
    };
    comments::insert(c, &cm).await?;
    Ok(())
}
