//! Surveys (`domain::survey`): what admins set, the signed links a
//! survey's answers come back by, the passes that send them ([`send`]) and
//! the answers ([`answer`]). CSAT answers are Zendesk's satisfaction
//! ratings; every answer is also an audit on the case (CSAT), a trigger
//! fact (`satisfaction_score`) and a webhook event (`survey.sent`,
//! `survey.answered`).

pub mod answer;
mod channels;
mod events;
pub mod live;
mod send;

use crate::error::require;
use crate::{App, AppError, FieldError};
use domain::policy::Capability;
use domain::survey::SurveySettings;
use domain::{Actor, SurveyInvitationId, Timestamp};
use store::Conn;
use store::repo::{settings, user_segments, users};

const SETTINGS_KEY: &str = "surveys";
/// Keeps a survey link's signature apart from other signed values.
const LINK_PURPOSE: &str = "survey";

/// The stored settings (the defaults, all off, when none were saved).
pub(crate) async fn load(c: &mut Conn<'_>) -> Result<SurveySettings, AppError> {
    Ok(settings::get(c, SETTINGS_KEY)
        .await?
        .and_then(|raw| serde_json::from_str(&raw).ok())
        .unwrap_or_default())
}

/// Why a survey link does not answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkProblem {
    /// Altered, cut short, or for a survey that no longer exists.
    Invalid,
    /// Past the days a link answers.
    Expired,
}

/// A link's token: `<invitation>-<expires>-<signature>`.
fn token_text(id: SurveyInvitationId, expires: Timestamp) -> String {
    format!("{}-{}", id.0, expires.0)
}

/// An invitation's token: `<invitation>-<expires>-<signature>`.
fn signed_token(signer: &crate::email::ReplyAddress, inv: &domain::survey::Invitation) -> String {
    let text = token_text(inv.id, inv.expires_at);
    let sig = signer.sign(LINK_PURPOSE, &text);
    format!("{text}-{sig}")
}

/// A survey's page under the public address: `/hc/{locale}/survey/{token}`
/// in the help center's locale of the survey's language (`en-us`).
fn page_path(language: &str, token: &str) -> String {
    let locale = crate::help_center::LOCALES
        .iter()
        .find(|l| l.starts_with(language))
        .unwrap_or(&crate::help_center::LOCALES[0]);
    format!("/hc/{locale}/survey/{token}")
}

impl App {
    /// The token of an invitation's link, signed with the shared secret.
    pub(crate) async fn survey_link_token(
        &self,
        inv: &domain::survey::Invitation,
    ) -> Result<String, AppError> {
        Ok(signed_token(&self.reply_address().await?, inv))
    }

    /// The survey settings (admins).
    pub async fn survey_settings(&self, actor: Actor) -> Result<SurveySettings, AppError> {
        require(&actor, Capability::ManageSurveys)?;
        let mut rc = self.read().await?;
        load(&mut rc.conn()).await
    }

    /// Replaces the survey settings, checked first: ranges, review links,
    /// the lead a task goes to (an active agent), the NPS segment.
    pub async fn set_survey_settings(
        &self,
        actor: Actor,
        new: SurveySettings,
    ) -> Result<SurveySettings, AppError> {
        require(&actor, Capability::ManageSurveys)?;
        let mut errors: Vec<FieldError> = new
            .problems()
            .into_iter()
            .map(|(field, why)| FieldError::invalid(field, why))
            .collect();
        let raw = serde_json::to_string(&new).map_err(|e| AppError::Unavailable(e.to_string()))?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                if let Some(lead) = new.low_score.lead {
                    let staff = users::get(c, lead)
                        .await?
                        .is_some_and(|u| u.active && u.role.is_staff());
                    if !staff {
                        errors.push(FieldError::invalid(
                            "low_score.lead",
                            "must be an active agent or admin",
                        ));
                    }
                }
                if let Some(seg) = new.nps.segment
                    && user_segments::by_id(c, seg).await?.is_none()
                {
                    errors.push(FieldError::invalid("nps.segment", "no such user segment"));
                }
                if !errors.is_empty() {
                    return Err(AppError::Invalid(errors));
                }
                settings::set(c, SETTINGS_KEY, &raw).await?;
                let source = domain::audit_log::AdminSource::AccountSetting;
                crate::audit_log::record_setting(c, &actor, source, "Satisfaction surveys", now)
                    .await?;
                Ok(new)
            })
        })
        .await
    }

    /// The reasons a customer may give for a bad rating (staff).
    pub fn satisfaction_reasons(&self, actor: Actor) -> Result<Vec<i64>, AppError> {
        require(&actor, Capability::WorkTheDesk)?;
        Ok(domain::survey::REASON_CODES.to_vec())
    }

    /// The invitation a token names, if its signature is ours and it has
    /// not expired at `now`.
    pub(crate) async fn survey_of_token(
        &self,
        token: &str,
        now: Timestamp,
    ) -> Result<Result<SurveyInvitationId, LinkProblem>, AppError> {
        let mut parts = token.trim().splitn(3, '-');
        let parsed = (|| {
            let id: i64 = parts.next()?.parse().ok()?;
            let expires: i64 = parts.next()?.parse().ok()?;
            Some((SurveyInvitationId(id), Timestamp(expires), parts.next()?))
        })();
        let Some((id, expires, sig)) = parsed else {
            return Ok(Err(LinkProblem::Invalid));
        };
        let expected = self
            .reply_address()
            .await?
            .sign(LINK_PURPOSE, &token_text(id, expires));
        if !crate::auth::same_secret(sig, &expected) {
            return Ok(Err(LinkProblem::Invalid));
        }
        if now > expires {
            return Ok(Err(LinkProblem::Expired));
        }
        Ok(Ok(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_text_names_invitation_and_expiry() {
        assert_eq!(
            token_text(SurveyInvitationId(7), Timestamp(1_700_000_000)),
            "7-1700000000"
        );
    }
}
