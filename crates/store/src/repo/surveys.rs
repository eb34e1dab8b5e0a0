//! Surveys: invitations with their signed links, CES and NPS answers and
//! their earlier scores (CSAT answers are satisfaction ratings, in
//! `rules`).

use crate::{Conn, Row, StoreError, q};
use domain::survey::{Answer, Invitation};
use domain::{SurveyInvitationId, TicketId, Timestamp, UserId};

const INVITATION_COLS: &str = "id, kind, ticket_id, user_id, channel, locale, sent_at, expires_at, \
                               review_offered_at, review_clicked_at";
const ANSWER_COLS: &str =
    "id, invitation_id, question, score, comment, channel, answered_at, updated_at";

fn invitation(r: &Row) -> Result<Invitation, StoreError> {
    Ok(Invitation {
        id: SurveyInvitationId(r.int(0)?),
        kind: r.word(1)?,
        ticket: r.opt_int(2)?.map(TicketId),
        user: UserId(r.int(3)?),
        channel: r.opt_word(4)?,
        locale: r.text(5)?,
        sent_at: Timestamp(r.int(6)?),
        expires_at: Timestamp(r.int(7)?),
        review_offered_at: r.opt_int(8)?.map(Timestamp),
        review_clicked_at: r.opt_int(9)?.map(Timestamp),
    })
}

fn answer(r: &Row) -> Result<Answer, StoreError> {
    Ok(Answer {
        id: r.int(0)?,
        invitation: SurveyInvitationId(r.int(1)?),
        question: r.word(2)?,
        score: r.int(3)?,
        comment: r.opt_text(4)?,
        channel: r.word(5)?,
        answered_at: Timestamp(r.int(6)?),
        updated_at: Timestamp(r.int(7)?),
    })
}

/// Records an invitation; `None` when the case already has one of its
/// kind (another node's pass got there first).
pub async fn insert_invitation(
    c: &mut Conn<'_>,
    i: &Invitation,
) -> Result<Option<SurveyInvitationId>, StoreError> {
    let row = c
        .opt(
            q("INSERT INTO survey_invitations (kind, ticket_id, user_id, channel, locale, sent_at, expires_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id")
            .bind(i.kind)
            .bind(i.ticket)
            .bind(i.user)
            .bind(i.channel)
            .bind(i.locale.as_str())
            .bind(i.sent_at)
            .bind(i.expires_at),
        )
        .await?;
    row.map(|r| r.int(0).map(SurveyInvitationId)).transpose()
}

pub async fn invitation_by_id(
    c: &mut Conn<'_>,
    id: SurveyInvitationId,
) -> Result<Option<Invitation>, StoreError> {
    c.opt(
        q(format!(
            "SELECT {INVITATION_COLS} FROM survey_invitations WHERE id = $1"
        ))
        .bind(id),
    )
    .await?
    .as_ref()
    .map(invitation)
    .transpose()
}

/// The CSAT invitation of a case, if one was decided.
pub async fn invitation_for_ticket(
    c: &mut Conn<'_>,
    ticket: TicketId,
) -> Result<Option<Invitation>, StoreError> {
    c.opt(
        q(format!(
            "SELECT {INVITATION_COLS} FROM survey_invitations WHERE ticket_id = $1 AND kind = 'csat'"
        ))
        .bind(ticket),
    )
    .await?
    .as_ref()
    .map(invitation)
    .transpose()
}

/// Cases solved within `[from, to]` that no CSAT survey was decided for,
/// oldest first; with `agent_replied`, only those an agent answered in
/// public.
pub async fn csat_due(
    c: &mut Conn<'_>,
    (from, to): (Timestamp, Timestamp),
    agent_replied: bool,
    limit: i64,
) -> Result<Vec<TicketId>, StoreError> {
    let replied = if agent_replied {
        " AND EXISTS (SELECT 1 FROM comments cm JOIN users u ON u.id = cm.author_id \
           WHERE cm.ticket_id = t.id AND cm.public = TRUE AND u.role <> 'end-user')"
    } else {
        ""
    };
    let rows = c
        .all(
            q(format!(
                "SELECT t.id FROM tickets t WHERE t.solved_at >= $1 AND t.solved_at <= $2 \
                 AND t.status IN ('solved', 'closed'){replied} \
                 AND NOT EXISTS (SELECT 1 FROM survey_invitations i WHERE i.ticket_id = t.id AND i.kind = 'csat') \
                 ORDER BY t.solved_at, t.id LIMIT $3"
            ))
            .bind(from)
            .bind(to)
            .bind(limit),
        )
        .await?;
    rows.iter().map(|r| r.int(0).map(TicketId)).collect()
}

/// Active customers with an email address who were not asked the NPS
/// question since `quiet_since`, by id after `after`.
pub async fn nps_candidates(
    c: &mut Conn<'_>,
    quiet_since: Timestamp,
    after: UserId,
    limit: i64,
) -> Result<Vec<UserId>, StoreError> {
    let rows = c
        .all(
            q("SELECT u.id FROM users u WHERE u.id > $1 AND u.role = 'end-user' AND u.active = TRUE \
               AND EXISTS (SELECT 1 FROM identities d WHERE d.user_id = u.id AND d.kind = 'email') \
               AND NOT EXISTS (SELECT 1 FROM survey_invitations i WHERE i.user_id = u.id AND i.kind = 'nps' AND i.sent_at >= $2) \
               ORDER BY u.id LIMIT $3")
            .bind(after)
            .bind(quiet_since)
            .bind(limit),
        )
        .await?;
    rows.iter().map(|r| r.int(0).map(UserId)).collect()
}

pub async fn answers_of(
    c: &mut Conn<'_>,
    id: SurveyInvitationId,
) -> Result<Vec<Answer>, StoreError> {
    let rows = c
        .all(
            q(format!(
                "SELECT {ANSWER_COLS} FROM survey_answers WHERE invitation_id = $1 ORDER BY id"
            ))
            .bind(id),
        )
        .await?;
    rows.iter().map(answer).collect()
}

/// What storing an answer did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    /// The question's first answer.
    New,
    /// The same score again (a comment may have been added).
    Same,
    /// Another score replaced this one.
    Replaced(i64),
}

/// Stores an answer, or replaces the score and comment of the earlier
/// one, leaving its score in `survey_answer_changes`.
pub async fn upsert_answer(c: &mut Conn<'_>, a: &Answer) -> Result<Upserted, StoreError> {
    let earlier = c
        .opt(
            q(format!(
                "SELECT {ANSWER_COLS} FROM survey_answers WHERE invitation_id = $1 AND question = $2"
            ))
            .bind(a.invitation)
            .bind(a.question),
        )
        .await?
        .as_ref()
        .map(answer)
        .transpose()?;
    let Some(old) = earlier else {
        c.exec(
            q("INSERT INTO survey_answers (invitation_id, question, score, comment, channel, answered_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $6)")
            .bind(a.invitation)
            .bind(a.question)
            .bind(a.score)
            .bind(a.comment.clone())
            .bind(a.channel)
            .bind(a.answered_at),
        )
        .await?;
        return Ok(Upserted::New);
    };
    let comment = a.comment.clone().or(old.comment.clone());
    if old.score == a.score && comment == old.comment {
        return Ok(Upserted::Same);
    }
    c.exec(
        q("UPDATE survey_answers SET score = $2, comment = $3, updated_at = $4 WHERE id = $1")
            .bind(old.id)
            .bind(a.score)
            .bind(comment)
            .bind(a.answered_at),
    )
    .await?;
    if old.score == a.score {
        return Ok(Upserted::Same);
    }
    c.exec(
        q("INSERT INTO survey_answer_changes (answer_id, score_before, score_after, at) VALUES ($1, $2, $3, $4)")
            .bind(old.id)
            .bind(old.score)
            .bind(a.score)
            .bind(a.answered_at),
    )
    .await?;
    Ok(Upserted::Replaced(old.score))
}

/// Claims the survey's one follow-up; false when it already had one.
pub async fn claim_follow_up(
    c: &mut Conn<'_>,
    id: SurveyInvitationId,
    at: Timestamp,
) -> Result<bool, StoreError> {
    Ok(c.exec(
        q("UPDATE survey_invitations SET followed_up_at = $2 WHERE id = $1 AND followed_up_at IS NULL")
            .bind(id)
            .bind(at),
    )
    .await?
        == 1)
}

/// Marks the review invitation shown (first time only).
pub async fn review_offered(
    c: &mut Conn<'_>,
    id: SurveyInvitationId,
    at: Timestamp,
) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE survey_invitations SET review_offered_at = $2 WHERE id = $1 AND review_offered_at IS NULL")
            .bind(id)
            .bind(at),
    )
    .await?;
    Ok(())
}

/// Marks the review invitation followed (first time only).
pub async fn review_clicked(
    c: &mut Conn<'_>,
    id: SurveyInvitationId,
    at: Timestamp,
) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE survey_invitations SET review_clicked_at = $2 WHERE id = $1 AND review_clicked_at IS NULL")
            .bind(id)
            .bind(at),
    )
    .await?;
    Ok(())
}

/// The customer's latest CSAT survey sent on `channel` that still takes
/// answers at `now` (a reply on that channel may answer it).
pub async fn open_csat_on(
    c: &mut Conn<'_>,
    user: UserId,
    channel: domain::Channel,
    now: Timestamp,
) -> Result<Option<Invitation>, StoreError> {
    c.opt(
        q(format!(
            "SELECT {INVITATION_COLS} FROM survey_invitations \
             WHERE user_id = $1 AND kind = 'csat' AND channel = $2 AND expires_at > $3 \
             ORDER BY sent_at DESC, id DESC LIMIT 1"
        ))
        .bind(user)
        .bind(channel)
        .bind(now),
    )
    .await?
    .as_ref()
    .map(invitation)
    .transpose()
}

/// The effort answer of a case's survey, if given.
pub async fn ces_of_ticket(c: &mut Conn<'_>, ticket: TicketId) -> Result<Option<i64>, StoreError> {
    Ok(c.opt(
        q("SELECT a.score FROM survey_answers a JOIN survey_invitations i ON i.id = a.invitation_id \
           WHERE i.ticket_id = $1 AND i.kind = 'csat' AND a.question = 'ces'")
        .bind(ticket),
    )
    .await?
    .map(|r| r.int(0))
    .transpose()?)
}

/// The NPS scores answered within `[from, to)` (their latest answers).
pub async fn nps_scores(
    c: &mut Conn<'_>,
    (from, to): (Timestamp, Timestamp),
) -> Result<Vec<i64>, StoreError> {
    c.all(
        q("SELECT score FROM survey_answers WHERE question = 'nps' AND answered_at >= $1 AND answered_at < $2")
            .bind(from)
            .bind(to),
    )
    .await?
    .iter()
    .map(|r| r.int(0))
    .collect()
}
