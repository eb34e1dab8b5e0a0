//! The CSAT survey in the chat widget: when a chat that reached a person
//! has ended, the widget asks how it went with two buttons; the visitor's
//! click is the answer. The survey is made when the widget first asks
//! (the visitor is there to see it); a case already asked elsewhere is
//! not asked again here.

use super::answer::Reply;
use super::send::record_offer;
use crate::{App, AppError};
use domain::chat::{ChatVisitor, ConversationState};
use domain::model::RatingScore;
use domain::survey::{Invitation, SurveyKind};
use domain::{Channel, Role, SurveyInvitationId, Timestamp};
use i18n::Lang;
use store::repo::chat as chat_repo;
use store::repo::{rules, surveys, tickets, users};

/// The survey as the widget shows it.
#[derive(Debug, Clone)]
pub struct ChatSurvey {
    pub question: String,
    /// The two buttons' words: (good, bad).
    pub buttons: (String, String),
    /// The answer given, if any: `good` or `bad`.
    pub answered: Option<&'static str>,
    pub thanks: String,
}

impl App {
    /// The survey of the visitor's ended chat, made now if it is due;
    /// `None` when there is none to show (no person reached the chat,
    /// surveys are off, the case was asked on another channel).
    pub async fn chat_survey(&self, visitor: &ChatVisitor) -> Result<Option<ChatSurvey>, AppError> {
        let Some(inv) = self.chat_invitation(visitor).await? else {
            return Ok(None);
        };
        let rating = {
            let mut rc = self.read().await?;
            match inv.ticket {
                Some(t) => rules::rating_for_ticket(&mut rc.conn(), t).await?,
                None => None,
            }
        };
        let answered = rating.map(|r| r.score).and_then(|s| match s {
            RatingScore::Good | RatingScore::Bad => Some(s.as_str()),
            _ => None,
        });
        self.chat_survey_view(&inv, answered).await.map(Some)
    }

    /// The visitor's click: `good` or `bad`.
    pub async fn answer_chat_survey(
        &self,
        visitor: &ChatVisitor,
        score: RatingScore,
    ) -> Result<Option<ChatSurvey>, AppError> {
        let Some(inv) = self.chat_invitation(visitor).await? else {
            return Ok(None);
        };
        let reply = Reply {
            csat: Some(score),
            ..Reply::default()
        };
        match self
            .answer_invitation(inv.id, reply, Timestamp::now())
            .await?
        {
            Ok(_) => self
                .chat_survey_view(&inv, Some(score.as_str()))
                .await
                .map(Some),
            Err(_) => Ok(None),
        }
    }

    async fn chat_survey_view(
        &self,
        inv: &Invitation,
        answered: Option<&'static str>,
    ) -> Result<ChatSurvey, AppError> {
        let s = {
            let mut rc = self.read().await?;
            super::load(&mut rc.conn()).await?
        };
        let l = Lang::from_locale(&inv.locale);
        Ok(ChatSurvey {
            question: s
                .text(&inv.locale, |x| &x.csat_question)
                .unwrap_or_else(|| i18n::text(l, "survey-csat-question")),
            buttons: (
                i18n::text(l, "survey-button-good"),
                i18n::text(l, "survey-button-bad"),
            ),
            answered,
            thanks: s
                .text(&inv.locale, |x| &x.thanks)
                .unwrap_or_else(|| i18n::text(l, "survey-thanks")),
        })
    }

    /// The chat survey of the visitor's latest conversation: the one made
    /// for it, or a new one when it ended on a case that has none.
    async fn chat_invitation(&self, visitor: &ChatVisitor) -> Result<Option<Invitation>, AppError> {
        let hooks = self.hooks().await?;
        let visitor = visitor.id;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let settings = super::load(c).await?;
                let Some(conv) = chat_repo::latest_conversation_of(c, visitor).await? else {
                    return Ok(None);
                };
                let Some(ticket) = conv
                    .ticket
                    .filter(|_| conv.state == ConversationState::Ended)
                else {
                    return Ok(None);
                };
                if let Some(inv) = surveys::invitation_for_ticket(c, ticket).await? {
                    return Ok((inv.channel == Some(Channel::Chat)).then_some(inv));
                }
                if !settings.csat.enabled {
                    return Ok(None);
                }
                let Some(t) = tickets::get(c, ticket, false).await? else {
                    return Ok(None);
                };
                let customer = users::get(c, t.requester_id).await?;
                if !customer.is_some_and(|u| u.active && u.role == Role::EndUser) {
                    return Ok(None);
                }
                let mut inv = Invitation {
                    id: SurveyInvitationId(0),
                    kind: SurveyKind::Csat,
                    ticket: Some(ticket),
                    user: t.requester_id,
                    channel: Some(Channel::Chat),
                    locale: Lang::from_locale(&conv.locale).code().to_string(),
                    sent_at: now,
                    expires_at: Timestamp(now.0 + settings.link_days() * 86_400),
                    review_offered_at: None,
                    review_clicked_at: None,
                };
                let Some(id) = surveys::insert_invitation(c, &inv).await? else {
                    return Ok(surveys::invitation_for_ticket(c, ticket).await?);
                };
                inv.id = id;
                let unrated = rules::rating_for_ticket(c, ticket).await?.is_none();
                record_offer(c, &hooks, &t, &inv, unrated, now).await?;
                Ok(Some(inv))
            })
        })
        .await
    }
}
