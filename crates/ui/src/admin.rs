//! Admin pages: agents (invite, role, groups, deactivate), groups, ticket
//! fields, views and API tokens (email has its own page module). Admins
//! only; the app checks it again.

use crate::Ui;
use crate::chrome::{chrome, error_page, render};
use crate::session::{Agent, AgentForm};
use crate::view::{Chrome, Clock};
use app::fields::FieldInput;
use app::rules::RuleInput;
use app::users::UserInput;
use app::{AppError, Paging};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::{FieldId, FieldType, GroupId, Role, UserId};
use serde_json::{Value as Json, json};

const ALL: Paging = Paging::Offset {
    page: 1,
    per_page: 1000,
};

fn admin_only(agent: &Agent) -> Result<(), AppError> {
    if agent.user.actor.is_admin() {
        Ok(())
    } else {
        Err(AppError::forbidden("only admins"))
    }
}

pub struct AgentRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: &'static str,
    pub active: bool,
    pub restricted: bool,
    /// `(group id, name, member)` for every group.
    pub groups: Vec<(i64, String, bool)>,
}

#[derive(Template)]
#[template(path = "admin_agents.html")]
struct AgentsPage {
    chrome: Chrome,
    section: &'static str,
    secret: Option<String>,
    agents: Vec<AgentRow>,
}

#[derive(Template)]
#[template(path = "admin_groups.html")]
struct GroupsPage {
    chrome: Chrome,
    section: &'static str,
    secret: Option<String>,
    groups: Vec<(i64, String)>,
}

pub struct FieldRow {
    pub id: i64,
    pub title: String,
    pub kind: &'static str,
    pub options: String,
}

#[derive(Template)]
#[template(path = "admin_fields.html")]
struct FieldsPage {
    chrome: Chrome,
    section: &'static str,
    secret: Option<String>,
    fields: Vec<FieldRow>,
    kinds: Vec<&'static str>,
}

#[derive(Template)]
#[template(path = "admin_views.html")]
struct ViewsPage {
    chrome: Chrome,
    section: &'static str,
    secret: Option<String>,
    views: Vec<(i64, String, String)>,
    slots: Vec<&'static str>,
    condition_fields: Vec<&'static str>,
    operators: Vec<&'static str>,
}

#[derive(Template)]
#[template(path = "admin_tokens.html")]
struct TokensPage {
    chrome: Chrome,
    section: &'static str,
    secret: Option<String>,
    tokens: Vec<(i64, String, String, String)>,
}

/// Renders an admin section, with a secret to show once if any.
async fn section(
    ui: &Ui,
    agent: &Agent,
    name: &str,
    secret: Option<String>,
) -> Result<Response, AppError> {
    admin_only(agent)?;
    let actor = agent.user.actor;
    let chrome = chrome(ui, agent, None, "", None).await?;
    Ok(match name {
        "agents" => {
            let (users, _) = ui
                .app
                .list_users(actor, &[Role::Agent, Role::Admin], None, None, ALL)
                .await?;
            let (groups, _) = ui.app.list_groups(actor, None, ALL).await?;
            let (members, _) = ui.app.list_memberships(actor, None, None, ALL).await?;
            let agents = users
                .into_iter()
                .map(|u| AgentRow {
                    id: u.id.0,
                    email: u.email.clone().unwrap_or_default(),
                    role: u.role.as_str(),
                    active: u.active,
                    restricted: u.restricted_to_groups,
                    groups: groups
                        .iter()
                        .map(|g| {
                            let member = members
                                .iter()
                                .any(|m| m.user_id == u.id && m.group_id == g.id);
                            (g.id.0, g.name.clone(), member)
                        })
                        .collect(),
                    name: u.name,
                })
                .collect();
            render(
                StatusCode::OK,
                &AgentsPage {
                    chrome,
                    section: "agents",
                    secret,
                    agents,
                },
            )
        }
        "groups" => {
            let (groups, _) = ui.app.list_groups(actor, None, ALL).await?;
            let groups = groups.into_iter().map(|g| (g.id.0, g.name)).collect();
            render(
                StatusCode::OK,
                &GroupsPage {
                    chrome,
                    section: "groups",
                    secret,
                    groups,
                },
            )
        }
        "fields" => {
            let fields = ui
                .app
                .fields()
                .await?
                .into_iter()
                .map(|f| FieldRow {
                    id: f.id.0,
                    kind: f.field_type.as_str(),
                    options: f
                        .options
                        .iter()
                        .map(|o| o.name.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                    title: f.title,
                })
                .collect();
            let kinds = FieldType::ALL.iter().map(|k| k.as_str()).collect();
            render(
                StatusCode::OK,
                &FieldsPage {
                    chrome,
                    section: "fields",
                    secret,
                    fields,
                    kinds,
                },
            )
        }
        "views" => {
            let (views, _) = ui.app.list_views(actor, false, ALL).await?;
            let views = views
                .into_iter()
                .map(|v| (v.id.0, v.title, v.conditions))
                .collect();
            render(
                StatusCode::OK,
                &ViewsPage {
                    chrome,
                    section: "views",
                    secret,
                    views,
                    slots: vec!["1", "2", "3"],
                    condition_fields: vec![
                        "status",
                        "priority",
                        "type",
                        "group_id",
                        "assignee_id",
                        "requester_id",
                        "organization_id",
                        "current_tags",
                    ],
                    operators: vec![
                        "is",
                        "is_not",
                        "less_than",
                        "greater_than",
                        "includes",
                        "not_includes",
                    ],
                },
            )
        }
        "tokens" => {
            let clock = Clock::new(&agent.user.time_zone);
            let tokens = ui
                .app
                .list_tokens(actor)
                .await?
                .into_iter()
                .map(|t| {
                    (
                        t.id.0,
                        t.email.unwrap_or_default(),
                        t.description,
                        clock.show(t.created_at).0,
                    )
                })
                .collect();
            render(
                StatusCode::OK,
                &TokensPage {
                    chrome,
                    section: "tokens",
                    secret,
                    tokens,
                },
            )
        }
        _ => return Err(AppError::NotFound),
    })
}

async fn show(ui: &Ui, agent: &Agent, name: &str) -> Response {
    section(ui, agent, name, None)
        .await
        .unwrap_or_else(|e| error_page(agent, &e))
}

/// `GET /agent/admin/agents`.
pub async fn agents(State(ui): State<Ui>, agent: Agent) -> Response {
    show(&ui, &agent, "agents").await
}

/// `GET /agent/admin/groups`.
pub async fn groups(State(ui): State<Ui>, agent: Agent) -> Response {
    show(&ui, &agent, "groups").await
}

/// `GET /agent/admin/fields`.
pub async fn fields(State(ui): State<Ui>, agent: Agent) -> Response {
    show(&ui, &agent, "fields").await
}

/// `GET /agent/admin/views`.
pub async fn views(State(ui): State<Ui>, agent: Agent) -> Response {
    show(&ui, &agent, "views").await
}

/// `GET /agent/admin/tokens`.
pub async fn tokens(State(ui): State<Ui>, agent: Agent) -> Response {
    show(&ui, &agent, "tokens").await
}

fn back(name: &str) -> Response {
    Redirect::to(&format!("/agent/admin/{name}")).into_response()
}

/// The row buttons (delete, retry): parse the id, run, back to the list.
async fn row_action_then_back<I, F, Fut>(agent: &Agent, raw: &str, list: &str, run: F) -> Response
where
    I: std::str::FromStr,
    F: FnOnce(I) -> Fut,
    Fut: std::future::Future<Output = Result<(), AppError>>,
{
    let Ok(id) = raw.parse() else {
        return error_page(agent, &AppError::NotFound);
    };
    match run(id).await {
        Ok(()) => back(list),
        Err(e) => error_page(agent, &e),
    }
}

/// `POST /agent/admin/agents`: invite an agent; a generated first password
/// is shown once on the page that answers.
pub async fn invite(State(ui): State<Ui>, AgentForm { agent, form }: AgentForm) -> Response {
    let inner = async {
        admin_only(&agent)?;
        let role: Role = form
            .get("role")
            .unwrap_or("agent")
            .parse()
            .map_err(|e: domain::UnknownWord| AppError::bad(e.to_string()))?;
        let given = form.get("password").filter(|p| !p.is_empty());
        let password = given.map_or_else(|| app::auth::random_token(16), str::to_string);
        ui.app
            .create_user(
                agent.user.actor,
                UserInput {
                    name: form.get("name").map(str::to_string),
                    email: form.get("email").map(str::to_string),
                    role: Some(role),
                    password: Some(password.clone()),
                    ..Default::default()
                },
            )
            .await?;
        let secret = given
            .is_none()
            .then(|| format!("{} {password}", agent.t().invited));
        section(&ui, &agent, "agents", secret).await
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}

/// `POST /agent/admin/agents/{id}`: role, groups, active.
pub async fn update_agent(
    State(ui): State<Ui>,
    Path(raw): Path<String>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let inner = async {
        admin_only(&agent)?;
        let actor = agent.user.actor;
        let user = UserId(raw.parse().map_err(|_| AppError::NotFound)?);
        let role: Role = form
            .get("role")
            .unwrap_or("agent")
            .parse()
            .map_err(|e: domain::UnknownWord| AppError::bad(e.to_string()))?;
        let active = form.get("active") == Some("1");
        if user == actor.user && (!active || role != Role::Admin) {
            return Err(AppError::bad("you cannot demote or deactivate yourself"));
        }
        ui.app
            .update_user(
                actor,
                user,
                UserInput {
                    role: Some(role),
                    active: Some(active),
                    ..Default::default()
                },
            )
            .await?;
        let wanted: Vec<i64> = form
            .all("group")
            .iter()
            .filter_map(|g| g.parse().ok())
            .collect();
        let (current, _) = ui
            .app
            .list_memberships(actor, None, Some(user), ALL)
            .await?;
        for m in &current {
            if !wanted.contains(&m.group_id.0) {
                ui.app.remove_membership(actor, m.id).await?;
            }
        }
        for g in wanted {
            if !current.iter().any(|m| m.group_id.0 == g) {
                ui.app
                    .add_membership(actor, user, GroupId(g), false)
                    .await?;
            }
        }
        Ok(back("agents"))
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}

/// `POST /agent/admin/groups`.
pub async fn create_group(State(ui): State<Ui>, AgentForm { agent, form }: AgentForm) -> Response {
    let name = form.get("name").unwrap_or("").to_string();
    match ui.app.create_group(agent.user.actor, name, None).await {
        Ok(_) => back("groups"),
        Err(e) => error_page(&agent, &e),
    }
}

/// `POST /agent/admin/groups/{id}/delete`.
pub async fn delete_group(
    State(ui): State<Ui>,
    Path(raw): Path<String>,
    AgentForm { agent, .. }: AgentForm,
) -> Response {
    row_action_then_back(&agent, &raw, "groups", |id| {
        ui.app.delete_group(agent.user.actor, GroupId(id))
    })
    .await
}

/// `POST /agent/admin/fields`: options are `Name=value` lines.
pub async fn create_field(State(ui): State<Ui>, AgentForm { agent, form }: AgentForm) -> Response {
    let inner = async {
        let field_type: FieldType = form
            .get("type")
            .unwrap_or("text")
            .parse()
            .map_err(|e: domain::UnknownWord| AppError::bad(e.to_string()))?;
        let options: Vec<(String, String)> = form
            .get("options")
            .unwrap_or("")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| match l.split_once('=') {
                Some((n, v)) => (n.trim().to_string(), v.trim().to_string()),
                None => (l.trim().to_string(), l.trim().to_string()),
            })
            .collect();
        ui.app
            .create_field(
                agent.user.actor,
                FieldInput {
                    field_type: Some(field_type),
                    title: form.get("title").map(str::to_string),
                    required: Some(form.get("required") == Some("1")),
                    regexp: form
                        .get("regexp")
                        .filter(|r| !r.is_empty())
                        .map(str::to_string),
                    options: field_type.has_options().then_some(options),
                    ..Default::default()
                },
            )
            .await?;
        Ok(back("fields"))
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}

/// `POST /agent/admin/fields/{id}/delete`.
pub async fn delete_field(
    State(ui): State<Ui>,
    Path(raw): Path<String>,
    AgentForm { agent, .. }: AgentForm,
) -> Response {
    row_action_then_back(&agent, &raw, "fields", |id| {
        ui.app.delete_field(agent.user.actor, FieldId(id))
    })
    .await
}

/// `POST /agent/admin/views`: up to three conditions, all of which match.
pub async fn create_view(State(ui): State<Ui>, AgentForm { agent, form }: AgentForm) -> Response {
    let all: Vec<Json> = ["1", "2", "3"]
        .iter()
        .filter_map(|n| {
            let field = form.get(&format!("field_{n}")).filter(|f| !f.is_empty())?;
            Some(json!({
                "field": field,
                "operator": form.get(&format!("operator_{n}")).unwrap_or("is"),
                "value": form.get(&format!("value_{n}")).unwrap_or(""),
            }))
        })
        .collect();
    let input = RuleInput {
        title: form.get("title").map(str::to_string),
        conditions: Some(json!({"all": all, "any": []})),
        ..Default::default()
    };
    match ui.app.save_view(agent.user.actor, None, input).await {
        Ok(_) => back("views"),
        Err(e) => error_page(&agent, &e),
    }
}

/// `POST /agent/admin/views/{id}/delete`.
pub async fn delete_view(
    State(ui): State<Ui>,
    Path(raw): Path<String>,
    AgentForm { agent, .. }: AgentForm,
) -> Response {
    row_action_then_back(&agent, &raw, "views", |id| {
        ui.app.delete_view(agent.user.actor, id)
    })
    .await
}

/// `POST /agent/admin/tokens`: a token for a staff member, shown once.
pub async fn create_token(State(ui): State<Ui>, AgentForm { agent, form }: AgentForm) -> Response {
    let inner = async {
        admin_only(&agent)?;
        let user = ui
            .app
            .user_by_email(form.get("email").unwrap_or(""))
            .await?
            .filter(|u| u.role.is_staff())
            .ok_or_else(|| AppError::bad("no agent has that email address"))?;
        let token = ui
            .app
            .issue_token(
                agent.user.actor,
                user.id,
                form.get("description").unwrap_or(""),
            )
            .await?;
        section(
            &ui,
            &agent,
            "tokens",
            Some(format!("{} {token}", agent.t().token_created)),
        )
        .await
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}

/// `POST /agent/admin/tokens/{id}/delete`.
pub async fn revoke_token(
    State(ui): State<Ui>,
    Path(raw): Path<String>,
    AgentForm { agent, .. }: AgentForm,
) -> Response {
    row_action_then_back(&agent, &raw, "tokens", |id| {
        ui.app.revoke_token(agent.user.actor, id)
    })
    .await
}
