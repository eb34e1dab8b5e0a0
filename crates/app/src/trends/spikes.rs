//! Spike alerts: after each reports fold, the hour before now is counted
//! per topic; a topic far above its normal hour (`domain::trends::
//! SpikeRule`, the admins' numbers) is recorded once per [`QUIET`] and
//! told — to webhooks subscribed to `topic.spike`, by email to the
//! admins' addresses (in the weekly report's language and time zone), and
//! in the workspace, whose pages show the spikes of the last
//! [`SHOWN_FOR`].

use super::Namer;
use crate::reports::topics::load;
use crate::reports::weekly::WeeklySchedule;
use crate::sanitize::escape;
use crate::{App, AppError};
use domain::policy::Capability;
use domain::trends::Spike;
use domain::trends::{NORMAL_HOURS, SpikeRule, Topic};
use domain::{Actor, OutboundKind, Timestamp, TopicSpikeId};
use i18n::{Arg, Lang};
use serde_json::json;
use store::repo::trends;
use store::repo::webhooks;

/// The hour looked at, in seconds.
const HOUR: i64 = 3600;
/// A topic alerts again only this long after its last spike.
pub const QUIET: i64 = 6 * HOUR;
/// The workspace shows a spike this long after it was found.
pub const SHOWN_FOR: i64 = 3 * HOUR;
/// The webhook event's name (`domain::model::webhooks::TREND_EVENTS`).
pub const EVENT: &str = "topic.spike";

impl App {
    /// Looks for spikes in the hour before `now`; records and tells each
    /// new one; how many were found.
    pub async fn detect_spikes_at(&self, now: Timestamp) -> Result<usize, AppError> {
        let from = Timestamp(now.0 - HOUR);
        let week_from = Timestamp(from.0 - NORMAL_HOURS * HOUR);
        let (found, names, schedule, settings) = {
            let mut rc = self.read().await?;
            let c = &mut rc.conn();
            let settings = load(c).await?;
            let rule: SpikeRule = settings.spike;
            let mut found: Vec<(Topic, i64, i64)> = Vec::new();
            for (topic, n) in trends::counts_between(c, from, now).await? {
                if n < rule.min_tickets {
                    continue;
                }
                let week = trends::count_of(c, &topic, week_from, from).await?;
                if rule.is_spike(n, week)
                    && !trends::spiked_since(c, &topic, Timestamp(now.0 - QUIET)).await?
                {
                    found.push((topic, n, week));
                }
            }
            if found.is_empty() {
                return Ok(0);
            }
            let topics: Vec<&Topic> = found.iter().map(|(t, _, _)| t).collect();
            let namer = Namer::read(c, &topics).await?;
            let names: Vec<String> = found.iter().map(|(t, _, _)| namer.name(t).0).collect();
            (
                found,
                names,
                crate::reports::weekly::load(c).await?,
                settings,
            )
        };
        let sender = self.account_mail_sender();
        let link = self
            .public_url
            .as_ref()
            .map(|b| format!("{b}/agent/reports/problems"));
        let spikes: Vec<Spike> = found
            .into_iter()
            .zip(names)
            .map(|((topic, tickets, week_before), name)| Spike {
                id: TopicSpikeId(0),
                topic,
                name,
                tickets,
                week_before,
                hour_from: from,
                detected_at: now,
            })
            .collect();
        self.write(move |c| {
            Box::pin(async move {
                let mut told = 0;
                for mut s in spikes {
                    // Another pass may have recorded it meanwhile.
                    if trends::spiked_since(c, &s.topic, Timestamp(now.0 - QUIET)).await? {
                        continue;
                    }
                    s.id = trends::insert_spike(c, &s).await?;
                    let body = event_body(&s).to_string();
                    for hook in webhooks::subscribed(c, EVENT).await? {
                        webhooks::enqueue(c, &hook, None, None, &body, now).await?;
                    }
                    if let Some(from) = &sender {
                        let (subject, text, html) = mail(&s, &schedule, link.as_deref());
                        for to in &settings.alert_emails {
                            crate::outbox::account_mail(
                                c,
                                from.clone(),
                                to.clone(),
                                subject.clone(),
                                (text.clone(), html.clone()),
                                (OutboundKind::Notification, "topic-spike"),
                                now,
                            )
                            .await?;
                        }
                    }
                    told += 1;
                }
                Ok(told)
            })
        })
        .await
    }

    /// The spikes found at or after `since`, newest first (staff who
    /// read reports).
    pub async fn spikes_since(
        &self,
        actor: Actor,
        since: Timestamp,
    ) -> Result<Vec<Spike>, AppError> {
        crate::error::require(&actor, Capability::ReadReports)?;
        let mut rc = self.read().await?;
        Ok(trends::spikes_since(&mut rc.conn(), since).await?)
    }

    /// The spikes the workspace shows now (found in the last
    /// [`SHOWN_FOR`]); none for staff who do not read reports.
    pub async fn current_spikes(&self, actor: Actor) -> Result<Vec<Spike>, AppError> {
        if !Capability::ReadReports.allowed(&actor) {
            return Ok(Vec::new());
        }
        self.spikes_since(actor, Timestamp(Timestamp::now().0 - SHOWN_FOR))
            .await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_event_is_one_a_webhook_can_subscribe_to() {
        assert!(domain::model::webhooks::TREND_EVENTS.contains(&super::EVENT));
    }
}

/// The webhook's body.
fn event_body(s: &Spike) -> serde_json::Value {
    json!({
        "type": EVENT,
        "time": s.detected_at.to_iso(),
        "detail": {
            "spike_id": s.id.0,
            "topic": s.topic.key(),
            "name": s.name,
            "tickets": s.tickets,
            "normal_per_hour": normal(s),
            "hour_from": s.hour_from.to_iso(),
            "hour_to": Timestamp(s.hour_from.0 + HOUR).to_iso(),
        }
    })
}

/// The topic's normal hour, to one decimal.
pub fn normal(s: &Spike) -> f64 {
    (SpikeRule::normal(s.week_before) * 10.0).round() / 10.0
}

/// The alert mail: (subject, text, HTML), in the weekly report's
/// language, the hour in its time zone.
fn mail(s: &Spike, schedule: &WeeklySchedule, link: Option<&str>) -> (String, String, String) {
    let l = Lang::from_locale(&schedule.locale);
    let zone = jiff::tz::TimeZone::get(&schedule.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let at = |t: Timestamp| {
        jiff::Timestamp::from_second(t.0)
            .map(|x| {
                x.to_zoned(zone.clone())
                    .strftime("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_default()
    };
    let subject = i18n::with(l, "spike-subject", &[("topic", Arg::Text(&s.name))]);
    let normal = format!("{:.1}", normal(s));
    let intro = i18n::with(
        l,
        "spike-intro",
        &[
            ("topic", Arg::Text(&s.name)),
            ("tickets", Arg::Number(s.tickets)),
            ("from", Arg::Text(&at(s.hour_from))),
            ("to", Arg::Text(&at(Timestamp(s.hour_from.0 + HOUR)))),
            ("zone", Arg::Text(&schedule.time_zone)),
            ("normal", Arg::Text(&normal)),
        ],
    );
    let mut text = format!("{intro}\n");
    let mut html = format!("<p>{}</p>", escape(&intro));
    if let Some(link) = link {
        let open = i18n::text(l, "spike-open");
        text.push_str(&format!("\n{open}: {link}\n"));
        html.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            escape(link),
            escape(&open)
        ));
    }
    (subject, text, html)
}
