//! A customer answers a survey by its signed link: one click in the mail
//! records the first answer, the page takes the rest (CES beside CSAT, a
//! comment, the reason for a bad rating). One answer per question: the
//! same click twice changes nothing; a different one replaces the earlier
//! answer and is recorded as a change (CSAT on the case's audit, CES and
//! NPS in `survey_answer_changes`). A low score starts the follow-up
//! admins chose, once per survey; a high one invites a public review.

use super::LinkProblem;
use super::events::{self, SurveyEvent};
use crate::pipeline::{Change, Hooks, WriteRequest};
use crate::tickets::{CommentInput, CommentText, RequesterInput, TicketInput};
use crate::{App, AppError, FieldError};
use domain::audit::AuditEvent;
use domain::model::{RatingScore, SatisfactionRating};
use domain::survey::{Answer, FollowUpAction, Invitation, Question, SurveyKind, SurveySettings};
use domain::{
    Actor, Channel, RatingId, Role, Status, SurveyInvitationId, TicketId, TicketType, Timestamp,
};
use i18n::{Arg, Lang};
use store::Conn;
use store::model::Ticket;
use store::repo::{rules, surveys, tickets, users};

/// What the customer chose, by a link or on the page.
#[derive(Debug, Clone, Default)]
pub struct Reply {
    /// CSAT: good or bad.
    pub csat: Option<RatingScore>,
    pub ces: Option<i64>,
    pub nps: Option<i64>,
    pub comment: Option<String>,
    /// Why a bad rating (`domain::survey::REASON_CODES`).
    pub reason_code: Option<i64>,
}

/// A survey as its page shows it.
#[derive(Debug, Clone)]
pub struct SurveyView {
    pub kind: SurveyKind,
    /// `es` or `en`.
    pub locale: String,
    /// The case a CSAT survey asks about: its number and subject.
    pub ticket: Option<(TicketId, String)>,
    /// The survey's question (admins' words, else ours).
    pub question: String,
    /// CES asked beside CSAT: its question.
    pub ces_question: Option<String>,
    pub csat: Option<RatingScore>,
    pub ces: Option<i64>,
    pub nps: Option<i64>,
    pub comment: Option<String>,
    pub reason_code: i64,
    /// Admins' thanks, else ours (shown once something is answered).
    pub thanks: String,
    /// Whether to invite a public review (a happy customer, a link set).
    pub review: bool,
}

impl SurveyView {
    pub fn answered(&self) -> bool {
        self.csat.is_some() || self.ces.is_some() || self.nps.is_some()
    }
}

/// Checks a reply against its survey: the questions it asks, the scores
/// they take, the reasons there are.
fn checked(reply: &Reply, inv: &Invitation, s: &SurveySettings) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let csat = inv.kind == SurveyKind::Csat;
    if reply
        .csat
        .is_some_and(|c| !matches!(c, RatingScore::Good | RatingScore::Bad))
        || (!csat && reply.csat.is_some())
    {
        errors.push(FieldError::invalid(
            "csat",
            "must be good or bad, on a satisfaction survey",
        ));
    }
    if let Some(ces) = reply.ces
        && (!csat || !s.csat.ask_ces || !Question::Ces.admits(ces))
    {
        errors.push(FieldError::invalid(
            "ces",
            "must be 1 to 7, where this survey asks it",
        ));
    }
    if let Some(nps) = reply.nps
        && (csat || !Question::Nps.admits(nps))
    {
        errors.push(FieldError::invalid(
            "nps",
            "must be 0 to 10, on a recommendation survey",
        ));
    }
    if reply
        .reason_code
        .is_some_and(|r| !domain::survey::is_reason(r))
    {
        errors.push(FieldError::invalid(
            "reason_code",
            "is not one of the reasons",
        ));
    }
    if reply
        .comment
        .as_ref()
        .is_some_and(|c| c.chars().count() > 2000)
    {
        errors.push(FieldError::invalid("comment", "is at most 2000 characters"));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(errors))
    }
}

impl App {
    /// A survey's page, as its link opens it without an answer.
    pub async fn survey_page(
        &self,
        token: &str,
    ) -> Result<Result<SurveyView, LinkProblem>, AppError> {
        self.answer_survey(token, Reply::default()).await
    }

    /// Records what the customer chose (nothing, for a bare visit) and
    /// returns the survey as it now stands.
    pub async fn answer_survey(
        &self,
        token: &str,
        reply: Reply,
    ) -> Result<Result<SurveyView, LinkProblem>, AppError> {
        self.answer_survey_at(token, reply, Timestamp::now()).await
    }

    /// [`App::answer_survey`] as at `now`.
    pub async fn answer_survey_at(
        &self,
        token: &str,
        reply: Reply,
        now: Timestamp,
    ) -> Result<Result<SurveyView, LinkProblem>, AppError> {
        match self.survey_of_token(token, now).await? {
            Ok(id) => self.answer_invitation(id, reply, now).await,
            Err(p) => Ok(Err(p)),
        }
    }

    /// Records an answer to the survey `id` (its link or its channel's
    /// reply checked by the caller).
    pub(crate) async fn answer_invitation(
        &self,
        id: SurveyInvitationId,
        mut reply: Reply,
        now: Timestamp,
    ) -> Result<Result<SurveyView, LinkProblem>, AppError> {
        reply.comment = reply
            .comment
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty());
        let hooks = self.hooks().await?;
        self.write(move |c| {
            Box::pin(async move {
                let s = super::load(c).await?;
                let Some(inv) = surveys::invitation_by_id(c, id).await? else {
                    return Ok(Err(LinkProblem::Invalid));
                };
                let Some(channel) = inv.channel else {
                    return Ok(Err(LinkProblem::Invalid));
                };
                let ticket = match inv.ticket {
                    Some(t) => match tickets::get(c, t, false).await? {
                        Some(t) => Some(t),
                        None => return Ok(Err(LinkProblem::Invalid)),
                    },
                    None => None,
                };
                checked(&reply, &inv, &s)?;
                let mut low = false;
                if let Some(t) = &ticket {
                    low |= rate(c, &hooks, &inv, t, channel, &reply, now).await?;
                }
                for (question, score) in [(Question::Ces, reply.ces), (Question::Nps, reply.nps)] {
                    let Some(score) = score else { continue };
                    let a = Answer {
                        id: 0,
                        invitation: inv.id,
                        question,
                        score,
                        comment: if question == Question::Nps {
                            reply.comment.clone()
                        } else {
                            None
                        },
                        channel,
                        answered_at: now,
                        updated_at: now,
                    };
                    let replaced = match surveys::upsert_answer(c, &a).await? {
                        surveys::Upserted::Same => continue,
                        surveys::Upserted::New => None,
                        surveys::Upserted::Replaced(score) => Some(score),
                    };
                    {
                        low |= question.is_low(score);
                        // The case's reports read its effort answer.
                        if let Some(t) = inv.ticket {
                            store::events::append(
                                c,
                                store::events::NewEvent {
                                    entity: store::events::Entity::Ticket,
                                    entity_id: t.0,
                                    kind: store::events::EventKind::Updated,
                                    audit: None,
                                    actor: Some(inv.user),
                                    at: now,
                                },
                            )
                            .await?;
                        }
                        let event = SurveyEvent::Answered {
                            question,
                            score,
                            previous: replaced,
                            comment: a.comment.clone(),
                        };
                        events::queue(c, event, &inv, now).await?;
                    }
                }
                if low && surveys::claim_follow_up(c, inv.id, now).await? {
                    follow_up(c, &hooks, &s, &inv, ticket.as_ref(), &reply, now).await?;
                }
                view(c, &s, &inv, ticket.as_ref(), now).await.map(Ok)
            })
        })
        .await
    }

    /// Where a survey's review invitation leads (recording that it was
    /// followed); `None` when it invites no review.
    pub async fn follow_survey_review(
        &self,
        token: &str,
    ) -> Result<Result<Option<String>, LinkProblem>, AppError> {
        let now = Timestamp::now();
        let id = match self.survey_of_token(token, now).await? {
            Ok(id) => id,
            Err(p) => return Ok(Err(p)),
        };
        self.write(move |c| {
            Box::pin(async move {
                let s = super::load(c).await?;
                let Some(inv) = surveys::invitation_by_id(c, id).await? else {
                    return Ok(Err(LinkProblem::Invalid));
                };
                let link = s.review_links.get(&inv.locale).cloned();
                if inv.review_offered_at.is_none() || link.is_none() {
                    return Ok(Ok(None));
                }
                surveys::review_clicked(c, id, now).await?;
                Ok(Ok(link))
            })
        })
        .await
    }
}

/// The customer's CSAT answer on the case: stored as its satisfaction
/// rating and, when it changed anything, written through the pipeline as
/// the customer's audit (triggers see `satisfaction_score`). Returns
/// whether it is a new low score.
async fn rate(
    c: &mut Conn<'_>,
    hooks: &Hooks,
    inv: &Invitation,
    t: &Ticket,
    channel: Channel,
    reply: &Reply,
    now: Timestamp,
) -> Result<bool, AppError> {
    let old = rules::rating_for_ticket(c, t.id).await?;
    let old_score = old
        .as_ref()
        .map(|r| r.score)
        .filter(|s| matches!(s, RatingScore::Good | RatingScore::Bad));
    let Some(score) = reply.csat.or(old_score) else {
        return Ok(false);
    };
    let comment = reply
        .comment
        .clone()
        .or_else(|| old.as_ref().and_then(|r| r.comment.clone()));
    let reason_code = reply
        .reason_code
        .or(old.as_ref().map(|r| r.reason_code))
        .filter(|_| score == RatingScore::Bad)
        .unwrap_or(0);
    let unchanged = old.as_ref().is_some_and(|r| {
        Some(r.score) == old_score
            && r.score == score
            && r.comment == comment
            && r.reason_code == reason_code
    });
    if unchanged {
        return Ok(false);
    }
    let rating = SatisfactionRating {
        id: RatingId(0),
        ticket_id: t.id,
        requester_id: t.requester_id,
        assignee_id: t.assignee_id,
        group_id: t.group_id,
        score,
        comment: comment.clone(),
        created_at: now,
        updated_at: now,
        reason_code,
        channel: Some(channel),
    };
    rules::upsert_rating(c, &rating).await?;
    let previous = old_score.filter(|p| *p != score);
    let change = Change::Note {
        id: t.id,
        events: vec![AuditEvent::SatisfactionRating {
            score: score.as_str().into(),
            body: comment.clone(),
            assignee_id: t.assignee_id,
            previous_score: previous.map(|p| p.as_str().to_string()),
        }],
    };
    let customer = users::get(c, t.requester_id).await?;
    let actor = Actor {
        user: t.requester_id,
        role: Role::EndUser,
        org: customer.and_then(|u| u.organization_id),
        restricted: false,
    };
    let mut req = WriteRequest::new(actor, Channel::Web, change);
    req.facts.push(("satisfaction_score", score.as_str()));
    crate::pipeline::write(c, hooks, req, now).await?;
    let value = |s: RatingScore| i64::from(s == RatingScore::Good);
    let event = SurveyEvent::Answered {
        question: Question::Csat,
        score: value(score),
        previous: previous.map(value),
        comment,
    };
    events::queue(c, event, inv, now).await?;
    Ok(score == RatingScore::Bad && (old_score != Some(RatingScore::Bad)))
}

/// The work a low score starts: the case opened again, or a task for the
/// lead about it (a closed case cannot open again: a task then too).
async fn follow_up(
    c: &mut Conn<'_>,
    hooks: &Hooks,
    s: &SurveySettings,
    inv: &Invitation,
    ticket: Option<&Ticket>,
    reply: &Reply,
    now: Timestamp,
) -> Result<(), AppError> {
    let action = s.low_score.action;
    if action == FollowUpAction::Nothing {
        return Ok(());
    }
    if let Some(t) = ticket
        && action == FollowUpAction::Reopen
        && t.status == Status::Solved
    {
        let input = TicketInput {
            status: Some(Status::Open),
            ..Default::default()
        };
        let change = Change::Update {
            id: t.id,
            input,
            text: None,
        };
        let req = WriteRequest::new(Actor::system(), Channel::Rule, change);
        crate::pipeline::write(c, hooks, req, now).await?;
        return Ok(());
    }
    if action == FollowUpAction::Reopen && ticket.is_none() {
        // An NPS detractor has no case to open: only a task follows one.
        return Ok(());
    }
    let l = Lang::from_locale(&inv.locale);
    let customer = users::get(c, inv.user).await?;
    let name = customer.as_ref().map_or("", |u| u.name.as_str());
    let answers = surveys::answers_of(c, inv.id).await?;
    let scores: Vec<String> = answers
        .iter()
        .map(|a| format!("{} {}", a.question.as_str().to_uppercase(), a.score))
        .chain(reply.csat.map(|s| format!("CSAT {}", s.as_str())))
        .collect();
    let args = [
        ("name", Arg::Text(name)),
        ("ticket", Arg::Number(ticket.map_or(0, |t| t.id.0))),
        ("scores", Arg::Text(&scores.join(", "))),
        (
            "comment",
            Arg::Text(reply.comment.as_deref().unwrap_or("—")),
        ),
    ];
    let (subject_key, body_key) = match ticket {
        Some(_) => ("survey-task-subject", "survey-task-body"),
        None => ("survey-nps-task-subject", "survey-nps-task-body"),
    };
    let comment = CommentInput {
        body: Some(i18n::with(l, body_key, &args)),
        public: Some(false),
        author_id: Some(inv.user),
        ..Default::default()
    };
    let text = CommentText::of(&comment)?;
    let input = TicketInput {
        subject: Some(i18n::with(l, subject_key, &args)),
        requester: Some(RequesterInput::Id(inv.user)),
        // Their answer is what the task starts from.
        submitter_id: Some(inv.user),
        ticket_type: Some(Some(TicketType::Task)),
        assignee_id: s.low_score.lead.map(Some),
        group_id: ticket.and_then(|t| t.group_id).map(Some),
        tags: Some(vec!["survey_follow_up".into()]),
        ..Default::default()
    };
    let change = Change::Create {
        input,
        comment,
        text,
    };
    let req = WriteRequest::new(Actor::system(), Channel::Rule, change);
    crate::pipeline::write(c, hooks, req, now).await?;
    Ok(())
}

/// The survey as it stands, for its page; a high score with a review
/// link for the survey's language records that the review was offered.
async fn view(
    c: &mut Conn<'_>,
    s: &SurveySettings,
    inv: &Invitation,
    ticket: Option<&Ticket>,
    now: Timestamp,
) -> Result<SurveyView, AppError> {
    let l = Lang::from_locale(&inv.locale);
    let answers = surveys::answers_of(c, inv.id).await?;
    let score_of = |q: Question| answers.iter().find(|a| a.question == q);
    let rating = match ticket {
        Some(t) => rules::rating_for_ticket(c, t.id).await?,
        None => None,
    };
    let csat = rating
        .as_ref()
        .map(|r| r.score)
        .filter(|s| matches!(s, RatingScore::Good | RatingScore::Bad));
    let nps = score_of(Question::Nps);
    let high =
        csat == Some(RatingScore::Good) || nps.is_some_and(|a| Question::Nps.is_high(a.score));
    let review = high && s.review_links.contains_key(&inv.locale);
    if review {
        surveys::review_offered(c, inv.id, now).await?;
    }
    let question = match inv.kind {
        SurveyKind::Csat => s
            .text(&inv.locale, |x| &x.csat_question)
            .unwrap_or_else(|| i18n::text(l, "survey-csat-question")),
        SurveyKind::Nps => s
            .text(&inv.locale, |x| &x.nps_question)
            .unwrap_or_else(|| i18n::text(l, "survey-nps-question")),
    };
    Ok(SurveyView {
        kind: inv.kind,
        locale: inv.locale.clone(),
        ticket: ticket.map(|t| (t.id, t.subject.clone())),
        question,
        ces_question: (inv.kind == SurveyKind::Csat && s.csat.ask_ces).then(|| {
            s.text(&inv.locale, |x| &x.ces_question)
                .unwrap_or_else(|| i18n::text(l, "survey-ces-question"))
        }),
        csat,
        ces: score_of(Question::Ces).map(|a| a.score),
        nps: nps.map(|a| a.score),
        comment: match inv.kind {
            SurveyKind::Csat => rating.as_ref().and_then(|r| r.comment.clone()),
            SurveyKind::Nps => nps.and_then(|a| a.comment.clone()),
        },
        reason_code: rating.as_ref().map_or(0, |r| r.reason_code),
        thanks: s
            .text(&inv.locale, |x| &x.thanks)
            .unwrap_or_else(|| i18n::text(l, "survey-thanks")),
        review,
    })
}
