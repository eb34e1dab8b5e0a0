//! The CSAT survey asked where the customer is at that moment: in the chat
//! widget when a chat that reached a person has ended (two buttons; the
//! click is the answer), and on the portal's page of a solved request
//! (the survey's two one-click links). The survey is made when the widget
//! or the page first asks (the customer is there to see it); a case
//! already asked is answered on its own survey, one per case.

use super::answer::Reply;
use super::send::record_offer;
use crate::pipeline::Hooks;
use crate::{App, AppError};
use domain::chat::{ChatVisitor, ConversationState};
use domain::model::RatingScore;
use domain::survey::{Invitation, SurveyKind};
use domain::{Actor, Channel, Role, TicketId, Timestamp};
use i18n::Lang;
use store::Conn;
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

/// A request's survey as the portal's page shows it.
#[derive(Debug, Clone)]
pub struct RequestSurvey {
    /// The survey's page, `/hc/{locale}/survey/{token}`: `?csat=good` or
    /// `?csat=bad` answers it in one click.
    pub address: String,
    pub answered: Option<RatingScore>,
    pub question: String,
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
        self.survey_words(&inv, answered).await.map(Some)
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
                .survey_words(&inv, Some(score.as_str()))
                .await
                .map(Some),
            Err(_) => Ok(None),
        }
    }

    async fn survey_words(
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
                let Some(conv) = chat_repo::latest_conversation_of(c, visitor).await? else {
                    return Ok(None);
                };
                let Some(ticket) = conv
                    .ticket
                    .filter(|_| conv.state == ConversationState::Ended)
                else {
                    return Ok(None);
                };
                let locale = Lang::from_locale(&conv.locale).code();
                let inv = invitation_on(c, &hooks, ticket, Channel::Chat, locale, now).await?;
                Ok(inv.filter(|i| i.channel == Some(Channel::Chat)))
            })
        })
        .await
    }

    /// The survey of a solved or closed request, for its requester on the
    /// portal: the page's address (`/hc/{locale}/survey/{token}`) and the
    /// answer given so far; `None` when there is none to show.
    pub async fn request_survey(
        &self,
        actor: Actor,
        ticket: TicketId,
    ) -> Result<Option<RequestSurvey>, AppError> {
        let now = Timestamp::now();
        // Most views find the survey made: read it without writing.
        let found = {
            let mut rc = self.read().await?;
            let c = &mut rc.conn();
            match surveys::invitation_for_ticket(c, ticket).await? {
                Some(inv) if inv.user == actor.user => {
                    let rating = rules::rating_for_ticket(c, ticket).await?.map(|r| r.score);
                    Some((inv.channel.is_some() && inv.expires_at > now).then_some((inv, rating)))
                }
                Some(_) => Some(None),
                None => None,
            }
        };
        let hooks = self.hooks().await?;
        let made = match found {
            Some(found) => found,
            None => {
                self.write(move |c| {
                    Box::pin(async move {
                        let Some(t) = tickets::get(c, ticket, false).await? else {
                            return Ok(None);
                        };
                        if t.requester_id != actor.user || !t.status.is_done() {
                            return Ok(None);
                        }
                        let requester = users::get(c, t.requester_id).await?;
                        let lang = crate::language::customer(requester.as_ref(), &t);
                        let locale = crate::language::code(lang);
                        let Some(inv) =
                            invitation_on(c, &hooks, ticket, Channel::Web, locale, now).await?
                        else {
                            return Ok(None);
                        };
                        let rating = rules::rating_for_ticket(c, ticket).await?.map(|r| r.score);
                        Ok(Some((inv, rating)))
                    })
                })
                .await?
            }
        };
        let Some((inv, rating)) = made else {
            return Ok(None);
        };
        let token = self.survey_link_token(&inv).await?;
        let question = self.survey_words(&inv, None).await?.question;
        Ok(Some(RequestSurvey {
            address: super::page_path(&inv.locale, &token),
            answered: rating.filter(|s| matches!(s, RatingScore::Good | RatingScore::Bad)),
            question,
        }))
    }
}

/// The case's CSAT survey: the one it has (`None` if it was decided
/// against), or, with CSAT on and an active customer, a new one asked on
/// `channel` now. Answerable only: an expired survey is none.
async fn invitation_on(
    c: &mut Conn<'_>,
    hooks: &Hooks,
    ticket: TicketId,
    channel: Channel,
    locale: &str,
    now: Timestamp,
) -> Result<Option<Invitation>, AppError> {
    if let Some(inv) = surveys::invitation_for_ticket(c, ticket).await? {
        return Ok(inv
            .channel
            .is_some()
            .then_some(inv)
            .filter(|i| i.expires_at > now));
    }
    let settings = super::load(c).await?;
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
    let mut inv = Invitation::decided(
        SurveyKind::Csat,
        Some(ticket),
        t.requester_id,
        Some(channel),
        locale,
        now,
        settings.link_days(),
    );
    let Some(id) = surveys::insert_invitation(c, &inv).await? else {
        return Ok(surveys::invitation_for_ticket(c, ticket).await?);
    };
    inv.id = id;
    let unrated = rules::rating_for_ticket(c, ticket).await?.is_none();
    record_offer(c, hooks, &t, &inv, unrated, now).await?;
    Ok(Some(inv))
}
