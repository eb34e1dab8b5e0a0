//! The weekly report by email: admins name the addresses, the weekday and
//! hour (in a time zone) and the language; once a week the clockwork mails
//! the past seven days' summary beside the week before, with a link to the
//! page. Each week is sent once (its key is kept), by whichever node holds
//! the reports lease.

use super::ReportAsk;
use crate::sanitize::escape;
use crate::{App, AppError, FieldError};
use domain::policy::Capability;
use domain::report::{Report, ReportFilter};
use domain::{Actor, OutboundKind, Timestamp};
use i18n::{Arg, Lang};
use serde::{Deserialize, Serialize};
use store::repo::settings;

const SCHEDULE_KEY: &str = "reports.weekly";
const SENT_KEY: &str = "reports.weekly.sent";
/// The most addresses one schedule mails.
pub const MAX_RECIPIENTS: usize = 20;

/// Who gets the weekly report, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WeeklySchedule {
    pub recipients: Vec<String>,
    /// 0 Monday … 6 Sunday.
    pub weekday: u8,
    /// 0–23, in `time_zone`.
    pub hour: u8,
    pub time_zone: String,
    /// `es` or `en`.
    pub locale: String,
}

impl Default for WeeklySchedule {
    fn default() -> Self {
        WeeklySchedule {
            recipients: Vec::new(),
            weekday: 0,
            hour: 8,
            time_zone: "UTC".into(),
            locale: "es".into(),
        }
    }
}

impl WeeklySchedule {
    /// The schedule with its addresses in one form, or what is wrong.
    fn checked(mut self) -> Result<WeeklySchedule, AppError> {
        let mut errors = Vec::new();
        let mut clean = Vec::new();
        for raw in &self.recipients {
            match domain::user::normalize_email(raw) {
                Some(e) if !clean.contains(&e) => clean.push(e),
                Some(_) => {}
                None => errors.push(FieldError::invalid(
                    "recipients",
                    format!("{raw}: not an email address"),
                )),
            }
        }
        if clean.len() > MAX_RECIPIENTS {
            errors.push(FieldError::invalid(
                "recipients",
                format!("at most {MAX_RECIPIENTS}"),
            ));
        }
        if self.weekday > 6 || self.hour > 23 {
            errors.push(FieldError::invalid(
                "when",
                "weekday 0–6 (Monday first), hour 0–23",
            ));
        }
        if jiff::tz::TimeZone::get(&self.time_zone).is_err() {
            errors.push(FieldError::invalid(
                "time_zone",
                "not a time zone (e.g. Europe/Madrid)",
            ));
        }
        if !matches!(self.locale.as_str(), "es" | "en") {
            errors.push(FieldError::invalid("locale", "es or en"));
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        self.recipients = clean;
        Ok(self)
    }

    /// The week `now` falls in, as the key that marks it sent, if the
    /// schedule's moment of that week has come.
    fn due_week(&self, now: Timestamp) -> Option<String> {
        let zone = jiff::tz::TimeZone::get(&self.time_zone).ok()?;
        let z = jiff::Timestamp::from_second(now.0).ok()?.to_zoned(zone);
        let weekday = z.weekday().to_monday_zero_offset() as u8;
        let due = (weekday, z.hour() as u8) >= (self.weekday, self.hour);
        let monday = z
            .date()
            .checked_sub(jiff::Span::new().days(i64::from(weekday)))
            .ok()?;
        due.then(|| monday.to_string())
    }
}

impl App {
    pub async fn weekly_report_schedule(&self, actor: Actor) -> Result<WeeklySchedule, AppError> {
        crate::error::require(&actor, Capability::ReadReports)?;
        let mut rc = self.read().await?;
        load(&mut rc.conn()).await
    }

    /// Sets who gets the weekly report (admins).
    pub async fn set_weekly_report_schedule(
        &self,
        actor: Actor,
        schedule: WeeklySchedule,
    ) -> Result<WeeklySchedule, AppError> {
        crate::error::require(&actor, Capability::ManageSurveys)?;
        let s = schedule.checked()?;
        let raw = serde_json::to_string(&s).map_err(|e| AppError::Unavailable(e.to_string()))?;
        self.write(move |c| {
            Box::pin(async move { Ok(settings::set(c, SCHEDULE_KEY, &raw).await?) })
        })
        .await?;
        Ok(s)
    }

    /// Mails the weekly report if this week's is due and not sent; true
    /// when it was queued now.
    pub async fn send_weekly_report_at(&self, now: Timestamp) -> Result<bool, AppError> {
        let s = {
            let mut rc = self.read().await?;
            load(&mut rc.conn()).await?
        };
        if s.recipients.is_empty() {
            return Ok(false);
        }
        let Some(week) = s.due_week(now) else {
            return Ok(false);
        };
        let Some(from) = self.account_mail_sender() else {
            return Ok(false);
        };
        let zone = jiff::tz::TimeZone::get(&s.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
        let today = jiff::Timestamp::from_second(now.0)
            .map_err(|e| AppError::Unavailable(e.to_string()))?
            .to_zoned(zone.clone())
            .date();
        let last = today
            .checked_sub(jiff::Span::new().days(1))
            .unwrap_or(today);
        let first = last.checked_sub(jiff::Span::new().days(6)).unwrap_or(last);
        let ask = ReportAsk {
            first,
            last,
            zone,
            filter: ReportFilter::default(),
        };
        // Already sent this week: nothing to compute (the pass comes every
        // few seconds).
        let sent = {
            let mut rc = self.read().await?;
            settings::get(&mut rc.conn(), SENT_KEY).await?
        };
        if sent.as_deref() == Some(week.as_str()) {
            return Ok(false);
        }
        let (period, clock) = ask.clock()?;
        let all = ReportFilter::default();
        let before_clock = clock.previous();
        let (now_r, before_r) = tokio::try_join!(
            super::report_in(&self.db, period, clock, &all),
            super::report_in(&self.db, period.previous(), before_clock, &all),
        )?;
        let l = Lang::from_locale(&s.locale);
        let link = self
            .public_url
            .as_ref()
            .map(|b| format!("{b}/agent/reports?from={first}&to={last}"));
        self.write(move |c| {
            Box::pin(async move {
                if settings::get(c, SENT_KEY).await?.as_deref() == Some(week.as_str()) {
                    return Ok(false);
                }
                let (text, html) = body(l, (&now_r, &before_r), (first, last), link.as_deref());
                let subject = i18n::with(
                    l,
                    "report-weekly-subject",
                    &[
                        ("from", Arg::Text(&first.to_string())),
                        ("to", Arg::Text(&last.to_string())),
                    ],
                );
                for to in &s.recipients {
                    crate::outbox::account_mail(
                        c,
                        from.clone(),
                        to.clone(),
                        subject.clone(),
                        (text.clone(), html.clone()),
                        (OutboundKind::Notification, "weekly-report"),
                        now,
                    )
                    .await?;
                }
                settings::set(c, SENT_KEY, &week).await?;
                Ok(true)
            })
        })
        .await
    }
}

pub(crate) async fn load(c: &mut store::Conn<'_>) -> Result<WeeklySchedule, AppError> {
    Ok(settings::get(c, SCHEDULE_KEY)
        .await?
        .and_then(|raw| serde_json::from_str(&raw).ok())
        .unwrap_or_default())
}

/// The mail: each summary figure this week and the week before.
fn body(
    l: Lang,
    (now, before): (&Report, &Report),
    (first, last): (jiff::civil::Date, jiff::civil::Date),
    link: Option<&str>,
) -> (String, String) {
    let whole = |v: Option<i64>| v.map_or_else(|| "—".to_string(), |v| v.to_string());
    let pct = |v: Option<f64>| v.map_or_else(|| "—".to_string(), |v| format!("{v:.1} %"));
    let lines: Vec<(String, String, String)> = vec![
        (
            "report-created",
            now.created.to_string(),
            before.created.to_string(),
        ),
        (
            "report-solved",
            now.solved.to_string(),
            before.solved.to_string(),
        ),
        (
            "report-backlog",
            whole(now.backlog.last().copied()),
            whole(before.backlog.last().copied()),
        ),
        (
            "report-first-reply",
            whole(now.first_reply.calendar.median),
            whole(before.first_reply.calendar.median),
        ),
        (
            "report-resolution",
            whole(now.resolution.calendar.median),
            whole(before.resolution.calendar.median),
        ),
        (
            "report-csat",
            pct(now.satisfaction.score()),
            pct(before.satisfaction.score()),
        ),
        (
            "report-one-touch",
            pct(now.one_touch_rate()),
            pct(before.one_touch_rate()),
        ),
    ]
    .into_iter()
    .map(|(key, a, b)| (i18n::text(l, key), a, b))
    .collect();
    let intro = i18n::with(
        l,
        "report-weekly-intro",
        &[
            ("from", Arg::Text(&first.to_string())),
            ("to", Arg::Text(&last.to_string())),
        ],
    );
    let (this, previous) = (
        i18n::text(l, "report-this-week"),
        i18n::text(l, "report-week-before"),
    );
    let mut text = format!("{intro}\n\n");
    let mut rows = String::new();
    for (name, a, b) in &lines {
        text.push_str(&format!("{name}: {a} ({previous}: {b})\n"));
        rows.push_str(&format!(
            "<tr><th scope=\"row\" style=\"text-align:left\">{}</th><td>{}</td><td>{}</td></tr>",
            escape(name),
            escape(a),
            escape(b)
        ));
    }
    let mut html = format!(
        "<p>{}</p><table cellpadding=\"4\"><thead><tr><th></th><th>{}</th><th>{}</th></tr></thead><tbody>{rows}</tbody></table>",
        escape(&intro),
        escape(&this),
        escape(&previous)
    );
    if let Some(link) = link {
        text.push_str(&format!("\n{link}\n"));
        html.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            escape(link),
            escape(&i18n::text(l, "report-open-page"))
        ));
    }
    (text, html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_week_is_due_from_its_weekday_and_hour() {
        let s = WeeklySchedule {
            recipients: vec!["a@example.com".into()],
            weekday: 0,
            hour: 8,
            ..WeeklySchedule::default()
        };
        // Monday 7 Dec 2026, 07:00 and 09:00 UTC; Sunday 13 Dec.
        let monday = 1_796_626_800;
        assert_eq!(s.due_week(Timestamp(monday)), None);
        assert_eq!(
            s.due_week(Timestamp(monday + 7200)),
            Some("2026-12-07".into())
        );
        assert_eq!(
            s.due_week(Timestamp(monday + 6 * 86_400)),
            Some("2026-12-07".into())
        );
        assert!(s.clone().checked().is_ok());
        let bad = WeeklySchedule {
            recipients: vec!["no".into()],
            hour: 24,
            ..s
        };
        assert!(bad.checked().is_err());
    }
}
