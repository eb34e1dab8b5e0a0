//! The agent's activity stream (Zendesk's `activities`): what others did
//! to the tickets assigned to them in the last 30 days, read from those
//! tickets' audits and titled in the agent's language.

use crate::{App, AppError};
use domain::activity::{Activity, ActivityVerb, activities};
use domain::policy::Capability;
use domain::{Actor, Timestamp};
use i18n::{Arg, Lang};
use store::model::User;
use store::repo::{comments, tickets, users};

/// How far back the stream goes, as Zendesk's does.
const WINDOW_SECS: i64 = 30 * 24 * 3600;

/// An activity with what its record shows.
#[derive(Debug, Clone)]
pub struct ActivityView {
    pub activity: Activity,
    /// "Ana assigned ticket #12 to you.", in the agent's language.
    pub title: String,
    pub subject: String,
    pub actor: Option<User>,
    pub user: Option<User>,
}

impl App {
    /// The caller's activities from `since` (at most 30 days back), newest
    /// first. Tickets assigned to them and since moved to someone else are
    /// no longer theirs, and neither is what happened on them.
    pub async fn activities(
        &self,
        actor: Actor,
        since: Option<Timestamp>,
    ) -> Result<Vec<ActivityView>, AppError> {
        crate::error::require(&actor, Capability::WorkTheDesk)?;
        let floor = Timestamp(Timestamp::now().0 - WINDOW_SECS);
        let since = since.map_or(floor, |s| s.max(floor));
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let mine = tickets::assigned_changed_since(c, actor.user, since).await?;
        let audits = comments::audits_of_many(c, &mine).await?;
        let mut found: Vec<Activity> = audits
            .chunk_by(|a, b| a.ticket_id == b.ticket_id)
            .flat_map(|history| activities(history, actor.user, since))
            .collect();
        found.sort_by_key(|a| std::cmp::Reverse((a.at, a.id)));
        let mut people: Vec<i64> = found.iter().map(|a| a.actor_id.0).collect();
        people.push(actor.user.0);
        people.sort_unstable();
        people.dedup();
        let people = users::get_many(c, &people).await?;
        let ids: Vec<i64> = mine.iter().map(|t| t.0).collect();
        let subjects = tickets::get_many(c, &ids, false).await?;
        let me = people.iter().find(|u| u.id == actor.user).cloned();
        let lang = me
            .as_ref()
            .map_or(Lang::Es, |u| Lang::from_locale(&u.locale));
        Ok(found
            .into_iter()
            .map(|a| {
                let who = people.iter().find(|u| u.id == a.actor_id).cloned();
                let name = who.as_ref().map_or("—", |u| u.name.as_str());
                let key = match a.verb {
                    ActivityVerb::Assignment => "activity_assignment",
                    ActivityVerb::Comment => "activity_comment",
                    ActivityVerb::PriorityIncrease => "activity_priority_increase",
                };
                let number = a.ticket_id.0.to_string();
                let title = i18n::with(
                    lang,
                    key,
                    &[("actor", Arg::Text(name)), ("ticket", Arg::Text(&number))],
                );
                let subject = subjects
                    .iter()
                    .find(|t| t.id == a.ticket_id)
                    .map(|t| t.subject.clone())
                    .unwrap_or_default();
                ActivityView {
                    activity: a,
                    title,
                    subject,
                    actor: who,
                    user: me.clone(),
                }
            })
            .collect())
    }
}
