//! What the account is, for integrations that read it first (Zendesk's
//! `account/settings`, `brands`, `locales`): its name and colour, its
//! languages and time zone, which channels are set up, its limits.

use crate::{App, AppError};
use domain::Actor;
use domain::policy::Capability;

/// The languages atiende speaks, the default first.
pub const LOCALES: [&str; 2] = ["es", "en-US"];

/// The account as integrations see it.
#[derive(Debug, Clone)]
pub struct AccountFacts {
    /// The help center's name in the default language.
    pub name: String,
    /// `#rrggbb`, when admins chose one.
    pub accent: Option<String>,
    /// The first business-hours schedule's zone, else UTC.
    pub time_zone: String,
    pub chat: bool,
    pub voice: bool,
    pub messaging: bool,
    pub csat: bool,
    pub nps: bool,
    pub max_upload_bytes: usize,
}

impl App {
    /// The account's facts (staff).
    pub async fn account_facts(&self, actor: Actor) -> Result<AccountFacts, AppError> {
        crate::error::require(&actor, Capability::WorkTheDesk)?;
        let look = self.site_look().await?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let (widgets, lines, accounts, zone) = store::repo::account::set_up(c).await?;
        let surveys = crate::surveys::load(c).await?;
        Ok(AccountFacts {
            name: look
                .names
                .get("es")
                .or_else(|| look.names.values().next())
                .cloned()
                .unwrap_or_else(|| "atiende".to_string()),
            accent: look.accent,
            time_zone: zone.unwrap_or_else(|| "UTC".to_string()),
            chat: widgets > 0,
            voice: lines > 0,
            messaging: accounts > 0,
            csat: surveys.csat.enabled,
            nps: surveys.nps.enabled,
            max_upload_bytes: self.limits.max_upload_bytes,
        })
    }
}
