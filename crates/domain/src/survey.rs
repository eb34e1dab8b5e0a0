//! Surveys: how it went, asked on the channel the customer used. CSAT
//! (good or bad, Zendesk's satisfaction rating) a while after a case is
//! solved, with CES ("how easy was it", 1–7) asked beside it; NPS (0–10),
//! a relationship survey sent on a schedule, never twice within a period
//! to the same customer. Pure: what admins set, what an answer may be,
//! what counts as a low score.

use crate::ids::{UserId, UserSegmentId};
use crate::word_enum;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

word_enum!(
    /// Which survey an invitation carries.
    SurveyKind {
        /// After a case is solved: good or bad, and CES beside it.
        Csat = "csat",
        /// A relationship survey, about no case.
        Nps = "nps",
    }
);

word_enum!(
    /// A question a survey asks (CSAT is kept as Zendesk's satisfaction
    /// rating; CES and NPS as answers of their own).
    Question {
        Csat = "csat",
        Ces = "ces",
        Nps = "nps",
    }
);

impl Question {
    /// The scores an answer may have: good (1) or bad (0) for CSAT.
    pub fn range(self) -> std::ops::RangeInclusive<i64> {
        match self {
            Question::Csat => 0..=1,
            Question::Ces => 1..=7,
            Question::Nps => 0..=10,
        }
    }

    /// Whether `score` is an answer to this question.
    pub fn admits(self, score: i64) -> bool {
        self.range().contains(&score)
    }

    /// A score that asks for follow-up work: a bad rating, an effort of 3
    /// or less ("difficult"), an NPS detractor (0–6).
    pub fn is_low(self, score: i64) -> bool {
        match self {
            Question::Csat => score == 0,
            Question::Ces => score <= 3,
            Question::Nps => score <= 6,
        }
    }

    /// A score worth inviting a public review for: a good rating, an NPS
    /// promoter (9–10). CES alone never invites one.
    pub fn is_high(self, score: i64) -> bool {
        match self {
            Question::Csat => score == 1,
            Question::Ces => false,
            Question::Nps => score >= 9,
        }
    }
}

/// NPS groups: promoters 9–10, passives 7–8, detractors 0–6.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NpsGroup {
    Promoter,
    Passive,
    Detractor,
}

impl NpsGroup {
    pub fn of(score: i64) -> NpsGroup {
        match score {
            9.. => NpsGroup::Promoter,
            7..=8 => NpsGroup::Passive,
            _ => NpsGroup::Detractor,
        }
    }
}

/// The net promoter score of some answers: % promoters − % detractors,
/// `None` without answers.
pub fn net_promoter_score(scores: &[i64]) -> Option<i64> {
    if scores.is_empty() {
        return None;
    }
    let n = scores.len() as i64;
    let count = |g| scores.iter().filter(|s| NpsGroup::of(**s) == g).count() as i64;
    Some((count(NpsGroup::Promoter) - count(NpsGroup::Detractor)) * 100 / n)
}

/// Zendesk's built-in reasons a customer may give for a bad rating
/// (`satisfaction_reasons`, by `reason_code`); their words are in the
/// catalog as `survey-reason-<code>`.
pub const REASON_CODES: [i64; 6] = [0, 5, 6, 7, 8, 100];

/// A reason's words in the API (English, as Zendesk's; pages say them in
/// the reader's language from the catalog).
pub fn reason_words(code: i64) -> Option<&'static str> {
    Some(match code {
        0 => "No reason provided",
        5 => "The issue took too long to resolve",
        6 => "The issue was not resolved",
        7 => "The agent's knowledge is unsatisfactory",
        8 => "The agent's attitude is unsatisfactory",
        100 => "Some other reason",
        _ => return None,
    })
}

/// Whether `code` is one of [`REASON_CODES`].
pub fn is_reason(code: i64) -> bool {
    REASON_CODES.contains(&code)
}

word_enum!(
    /// What a low score starts.
    FollowUpAction {
        /// Nothing beyond the record (triggers may still act on it).
        Nothing = "nothing",
        /// The case opens again, with the customer's words as a note.
        Reopen = "reopen",
        /// A task for the team lead, about the case.
        Task = "task",
    }
);

/// After a solved case: when and for which cases the CSAT survey goes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CsatSettings {
    pub enabled: bool,
    /// How long after the case is solved (the customer may write first).
    pub delay_minutes: i64,
    /// A case carrying any of these tags gets no survey.
    pub skip_tags: Vec<String>,
    /// Only cases an agent answered in public (not those the bot or a
    /// rule closed).
    pub require_agent_reply: bool,
    /// CES asked beside CSAT.
    pub ask_ces: bool,
}

impl Default for CsatSettings {
    fn default() -> Self {
        CsatSettings {
            enabled: false,
            delay_minutes: 24 * 60,
            skip_tags: Vec::new(),
            require_agent_reply: true,
            ask_ces: true,
        }
    }
}

/// The relationship survey: to whom, how often.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NpsSettings {
    pub enabled: bool,
    /// A sending round starts every this many days.
    pub every_days: i64,
    /// A customer is asked at most once in this many days.
    pub quiet_days: i64,
    /// Only customers this segment admits; `None`: every customer.
    pub segment: Option<UserSegmentId>,
}

impl Default for NpsSettings {
    fn default() -> Self {
        NpsSettings {
            enabled: false,
            every_days: 30,
            quiet_days: 90,
            segment: None,
        }
    }
}

/// What a low score starts, and for whom a task is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FollowUp {
    pub action: FollowUpAction,
    /// The lead a task is assigned to; `None`: the case's group's queue.
    pub lead: Option<UserId>,
}

impl Default for FollowUp {
    fn default() -> Self {
        FollowUp {
            action: FollowUpAction::Reopen,
            lead: None,
        }
    }
}

/// Admins' own words for a language; empty: the built-in ones.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SurveyTexts {
    pub csat_question: String,
    pub ces_question: String,
    pub nps_question: String,
    pub thanks: String,
}

/// Every survey setting, kept as one record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SurveySettings {
    pub csat: CsatSettings,
    pub nps: NpsSettings,
    pub low_score: FollowUp,
    /// Where a happy customer may leave a public review, per locale
    /// (`es`, `en`); none: no invitation.
    pub review_links: BTreeMap<String, String>,
    /// Per locale.
    pub texts: BTreeMap<String, SurveyTexts>,
    /// How many days a survey's link answers.
    pub link_days: i64,
}

/// The longest delay, wait or period admins may set (a year).
pub const MAX_DAYS: i64 = 365;

impl SurveySettings {
    /// Days a link answers (28 unless set).
    pub fn link_days(&self) -> i64 {
        if self.link_days > 0 {
            self.link_days.min(MAX_DAYS)
        } else {
            28
        }
    }

    /// What is wrong with these settings, as (field, words); empty when
    /// they may be stored.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let c = &self.csat;
        if !(0..=MAX_DAYS * 1440).contains(&c.delay_minutes) {
            out.push((
                "csat.delay_minutes",
                format!("must be 0 to {} (a year)", MAX_DAYS * 1440),
            ));
        }
        let n = &self.nps;
        if !(1..=MAX_DAYS).contains(&n.every_days) {
            out.push(("nps.every_days", format!("must be 1 to {MAX_DAYS}")));
        }
        if !(1..=MAX_DAYS * 3).contains(&n.quiet_days) {
            out.push(("nps.quiet_days", format!("must be 1 to {}", MAX_DAYS * 3)));
        }
        if !(0..=MAX_DAYS).contains(&self.link_days) {
            out.push(("link_days", format!("must be 0 (28) to {MAX_DAYS}")));
        }
        for (locale, link) in &self.review_links {
            if !matches!(locale.as_str(), "es" | "en") {
                out.push(("review_links", format!("{locale}: only es and en")));
            } else if !(crate::look::acceptable_link(link) && link.trim().starts_with("http")) {
                out.push((
                    "review_links",
                    format!("{locale}: must be a web address (https://…)"),
                ));
            }
        }
        for locale in self.texts.keys() {
            if !matches!(locale.as_str(), "es" | "en") {
                out.push(("texts", format!("{locale}: only es and en")));
            }
        }
        out
    }

    /// Admins' words for `locale`, if they wrote any for `pick`.
    pub fn text(&self, locale: &str, pick: fn(&SurveyTexts) -> &String) -> Option<String> {
        self.texts
            .get(locale)
            .map(pick)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }
}

/// A survey sent (or decided against) for a customer.
#[derive(Debug, Clone, PartialEq)]
pub struct Invitation {
    pub id: crate::SurveyInvitationId,
    pub kind: SurveyKind,
    /// The case a CSAT survey asks about; `None` for NPS.
    pub ticket: Option<crate::TicketId>,
    pub user: UserId,
    /// Where it was sent; `None`: not sent (the customer could not be
    /// reached, or the case did not qualify), never considered again.
    pub channel: Option<crate::Channel>,
    /// `es` or `en`: the language it asks in.
    pub locale: String,
    pub sent_at: crate::Timestamp,
    pub expires_at: crate::Timestamp,
    /// When the customer was invited to leave a public review, and when
    /// they followed the invitation.
    pub review_offered_at: Option<crate::Timestamp>,
    pub review_clicked_at: Option<crate::Timestamp>,
}

impl Invitation {
    /// A survey decided at `now` (sent on `channel`, or not sent when
    /// none), answerable for `link_days`; its id comes when it is stored.
    pub fn decided(
        kind: SurveyKind,
        ticket: Option<crate::TicketId>,
        user: UserId,
        channel: Option<crate::Channel>,
        locale: &str,
        now: crate::Timestamp,
        link_days: i64,
    ) -> Invitation {
        Invitation {
            id: crate::SurveyInvitationId(0),
            kind,
            ticket,
            user,
            channel,
            locale: locale.to_string(),
            sent_at: now,
            expires_at: crate::Timestamp(now.0 + link_days * 86_400),
            review_offered_at: None,
            review_clicked_at: None,
        }
    }
}

/// A CES or NPS answer (CSAT is the satisfaction rating).
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub id: i64,
    pub invitation: crate::SurveyInvitationId,
    pub question: Question,
    pub score: i64,
    pub comment: Option<String>,
    pub channel: crate::Channel,
    pub answered_at: crate::Timestamp,
    pub updated_at: crate::Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_checked_and_classed() {
        assert!(Question::Ces.admits(7) && !Question::Ces.admits(0));
        assert!(Question::Nps.admits(0) && !Question::Nps.admits(11));
        assert!(Question::Csat.is_low(0) && !Question::Csat.is_low(1));
        assert!(Question::Nps.is_low(6) && !Question::Nps.is_low(7));
        assert!(Question::Nps.is_high(9) && !Question::Nps.is_high(8));
        assert_eq!(NpsGroup::of(8), NpsGroup::Passive);
        // 2 promoters, 1 passive, 1 detractor: 50 − 25.
        assert_eq!(net_promoter_score(&[10, 9, 7, 3]), Some(25));
        assert_eq!(net_promoter_score(&[]), None);
    }

    #[test]
    fn settings_out_of_range_are_named() {
        let mut s = SurveySettings::default();
        assert!(s.problems().is_empty());
        s.nps.every_days = 0;
        s.review_links
            .insert("en".into(), "javascript:alert(1)".into());
        s.review_links
            .insert("fr".into(), "https://x.example".into());
        let fields: Vec<_> = s.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["nps.every_days", "review_links", "review_links"]);
        assert_eq!(s.link_days(), 28);
    }
}
