//! The admins' audit log: every set-up change is appended by the use case
//! that makes it, in its own transaction; admins read it with Zendesk's
//! filters.

use crate::{App, AppError};
use domain::audit_log::{AdminAction, AdminChange, AdminSource, AuditLogEntry, AuditLogFilter};
use domain::policy::Capability;
use domain::{Actor, Timestamp};
use i18n::{Arg, Lang};
use store::Conn;
use store::paging::{Paged, Paging};
use store::repo::{audit_logs, users};

/// An entry as the log shows it, in the reader's language.
#[derive(Debug, Clone)]
pub struct AuditLogView {
    pub entry: AuditLogEntry,
    /// Empty if the person is not found.
    pub actor_name: String,
    /// "Updated".
    pub action_label: String,
    /// "Updated group “Billing”".
    pub description: String,
}

/// Appends the change to the log, inside the caller's transaction. The
/// system's own changes (built-in rules set up at start) are not logged.
/// The one account (and its one brand) desk-wide settings belong to.
pub(crate) const ACCOUNT: i64 = 1;

/// Records a change to a desk-wide setting (`label` names which).
pub(crate) async fn record_setting(
    c: &mut Conn<'_>,
    actor: &Actor,
    source: AdminSource,
    label: &str,
    at: Timestamp,
) -> Result<(), AppError> {
    note(c, actor, AdminAction::Update, source, ACCOUNT, label, at).await
}

/// [`record`] of one change named by its parts.
pub(crate) async fn note(
    c: &mut Conn<'_>,
    actor: &Actor,
    action: AdminAction,
    source: AdminSource,
    id: i64,
    label: &str,
    at: Timestamp,
) -> Result<(), AppError> {
    record(c, actor, AdminChange::new(action, source, id, label), at).await
}

pub(crate) async fn record(
    c: &mut Conn<'_>,
    actor: &Actor,
    change: AdminChange,
    at: Timestamp,
) -> Result<(), AppError> {
    if actor.is_staff() {
        audit_logs::append(c, actor.user, &change, at).await?;
    }
    Ok(())
}

impl App {
    /// A page of the log, each entry with who made it (admins).
    pub async fn audit_log(
        &self,
        actor: Actor,
        filter: AuditLogFilter,
        paging: Paging,
    ) -> Result<(Vec<AuditLogView>, Paged), AppError> {
        crate::error::require(&actor, Capability::ReadAuditLog)?;
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let paged = audit_logs::page(c, &filter, paging).await?;
        let entries = audit_logs::get_many(c, &paged.ids).await?;
        let mut ids: Vec<i64> = entries.iter().map(|e| e.actor_id.0).collect();
        ids.push(actor.user.0);
        ids.sort_unstable();
        ids.dedup();
        let people = users::get_many(c, &ids).await?;
        let lang = people
            .iter()
            .find(|u| u.id == actor.user)
            .map_or(Lang::Es, |u| Lang::from_locale(&u.locale));
        let listed = entries
            .into_iter()
            .map(|entry| {
                let actor_name = people
                    .iter()
                    .find(|u| u.id == entry.actor_id)
                    .map(|u| u.name.clone())
                    .unwrap_or_default();
                let action_label = i18n::text(
                    lang,
                    &format!("audit_action_{}", entry.change.action.as_str()),
                );
                let source = i18n::text(
                    lang,
                    &format!("audit_source_{}", entry.change.source.as_str()),
                );
                let description = i18n::with(
                    lang,
                    "audit_change",
                    &[
                        ("action", Arg::Text(&action_label)),
                        ("source", Arg::Text(&source)),
                        ("label", Arg::Text(&entry.change.label)),
                    ],
                );
                AuditLogView {
                    entry,
                    actor_name,
                    action_label,
                    description,
                }
            })
            .collect();
        Ok((listed, paged))
    }
}

#[cfg(test)]
mod tests {
    use domain::audit_log::AdminSource;
    use i18n::Lang;

    #[test]
    fn every_source_is_named_in_both_languages() {
        for source in AdminSource::ALL {
            let key = format!("audit_source_{}", source.as_str());
            for lang in [Lang::Es, Lang::En] {
                assert!(i18n::has(lang, &key), "{key} in {lang:?}");
            }
        }
    }
}
