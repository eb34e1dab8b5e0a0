//! The staff roles (Zendesk's `custom_roles`), named in the reader's
//! language, with how many people hold each.

use crate::{App, AppError};
use domain::policy::Capability;
use domain::roles::StaffRole;
use domain::{Actor, Timestamp};
use i18n::Lang;
use store::repo::users;

#[derive(Debug, Clone)]
pub struct RoleView {
    pub role: StaffRole,
    pub name: String,
    pub description: String,
    /// Active staff holding it.
    pub members: i64,
    /// When the desk was set up (the roles came with it).
    pub created_at: Timestamp,
}

impl App {
    /// Every staff role (staff may read them).
    pub async fn staff_roles(&self, actor: Actor) -> Result<Vec<RoleView>, AppError> {
        crate::error::require(&actor, Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let staff = users::staff(c).await?;
        let lang = staff
            .iter()
            .find(|u| u.id == actor.user)
            .map_or(Lang::Es, |u| Lang::from_locale(&u.locale));
        let since = staff
            .iter()
            .map(|u| u.created_at)
            .min()
            .unwrap_or_else(Timestamp::now);
        Ok(StaffRole::ALL
            .iter()
            .map(|&role| {
                let key = format!("staff_role_{}", role.as_str());
                RoleView {
                    role,
                    name: i18n::text(lang, &key),
                    description: i18n::attribute(lang, &key, "description"),
                    members: staff
                        .iter()
                        .filter(|u| StaffRole::of(u.role, u.restricted_to_groups) == Some(role))
                        .count() as i64,
                    created_at: since,
                }
            })
            .collect())
    }
}
