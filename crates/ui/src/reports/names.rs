//! The names reports show for ids, and offer in their filters.

use crate::Ui;
use app::{AppError, Paging};
use domain::{Actor, Role};
use std::collections::BTreeMap;

/// The names reports show for agents, groups, organizations and forms.
pub struct Names {
    pub agents: BTreeMap<i64, String>,
    pub groups: BTreeMap<i64, String>,
    /// Request forms, for the form filter.
    pub forms: BTreeMap<i64, String>,
    /// Organizations, for the organization filter.
    pub organizations: BTreeMap<i64, String>,
}

const ALL: Paging = Paging::Offset {
    page: 1,
    per_page: 1000,
};

impl Names {
    pub async fn load(ui: &Ui, actor: Actor) -> Result<Names, AppError> {
        let (users, _) = ui
            .app
            .list_users(actor, &[Role::Agent, Role::Admin], None, None, ALL)
            .await?;
        let (groups, _) = ui.app.list_groups(actor, None, ALL).await?;
        let forms = ui.app.ticket_forms(true).await?;
        let (organizations, _) = ui.app.list_orgs(actor, ALL).await?;
        Ok(Names {
            agents: users.into_iter().map(|u| (u.id.0, u.name)).collect(),
            groups: groups.into_iter().map(|g| (g.id.0, g.name)).collect(),
            forms: forms.into_iter().map(|f| (f.id.0, f.name)).collect(),
            organizations: organizations
                .into_iter()
                .map(|o| (o.id.0, o.name))
                .collect(),
        })
    }
}
