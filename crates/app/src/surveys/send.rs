//! The passes that send surveys, run by the clockwork on one node at a
//! time. CSAT: each case solved `delay_minutes` ago (and no longer than a
//! week before that: turning surveys on does not survey last year's
//! cases) gets one decision — sent, or not and why — recorded as its
//! invitation, so no case is asked twice. NPS: a round every `every_days`,
//! walking the customers in id order from where the last pass stopped,
//! each asked at most once in `quiet_days`.
//!
//! A CSAT survey goes on the channel the customer last wrote from: by
//! email, threaded with the case, or as a message with buttons on a
//! messaging channel that takes it now; otherwise by email when they have
//! an address (chat and other channels ask by email for now). NPS goes by
//! email.

use super::events::{self, SurveyEvent};
use crate::email::ReplyAddress;
use crate::pipeline::{Change, Hooks, WriteRequest};
use crate::sanitize::escape;
use crate::{App, AppError};
use domain::audit::AuditEvent;
use domain::model::outbox::ReplyRoute;
use domain::model::{RatingScore, SatisfactionRating, User};
use domain::survey::{Invitation, SurveyKind, SurveySettings};
use domain::{Actor, Channel, OutboundKind, RatingId, Role, TicketId, Timestamp};
use i18n::{Arg, Lang};
use std::sync::Arc;
use store::Conn;
use store::repo::{rules, settings, surveys, tickets, user_segments, users};

/// Cases or customers one pass takes at most (the next pass goes on).
const BATCH: i64 = 200;
/// How far back a solved case is still surveyed after its delay.
const LOOK_BACK_SECS: i64 = 7 * 86_400;
/// The NPS round's state: `<started> <last customer asked>`.
const NPS_ROUND_KEY: &str = "surveys.nps_round";

/// What makes a survey's links: the shared signer and the public address.
pub(super) struct Links {
    signer: ReplyAddress,
    base: String,
}

impl Links {
    /// The page of an invitation, `/hc/{locale}/survey/{token}`.
    pub(super) fn page(&self, inv: &Invitation) -> String {
        let token = super::signed_token(&self.signer, inv);
        format!("{}{}", self.base, super::page_path(&inv.locale, &token))
    }
}

/// One pass's settings and links, shared by its write units.
type Pass = Arc<(SurveySettings, Links)>;

/// The language of a customer's survey.
fn lang_of(code: &str) -> Lang {
    Lang::from_locale(code)
}

/// A link as a button in mail.
fn button(href: &str, label: &str) -> String {
    format!(
        "<a href=\"{}\" style=\"display:inline-block;margin:4px;padding:10px 16px;border:1px solid #1f5fbf;border-radius:6px;color:#1f5fbf;text-decoration:none\">{}</a>",
        escape(href),
        escape(label)
    )
}

impl App {
    /// Sends the surveys due now.
    pub async fn send_due_surveys(&self) -> Result<usize, AppError> {
        self.send_due_surveys_at(Timestamp::now()).await
    }

    /// Sends the surveys due at `now`; returns how many were decided.
    pub async fn send_due_surveys_at(&self, now: Timestamp) -> Result<usize, AppError> {
        let settings = {
            let mut rc = self.read().await?;
            super::load(&mut rc.conn()).await?
        };
        if !settings.csat.enabled && !settings.nps.enabled {
            return Ok(0);
        }
        let Some(base) = self.public_url.clone() else {
            tracing::warn!("surveys are on, but no public address is set for their links");
            return Ok(0);
        };
        let links = Links {
            signer: self.reply_address().await?,
            base,
        };
        let pass = Arc::new((settings, links));
        let mut n = 0;
        if pass.0.csat.enabled {
            n += self.csat_pass(pass.clone(), now).await?;
        }
        if pass.0.nps.enabled {
            n += self.nps_pass(pass, now).await?;
        }
        Ok(n)
    }

    async fn csat_pass(&self, pass: Pass, now: Timestamp) -> Result<usize, AppError> {
        let s = &pass.0;
        let until = Timestamp(now.0 - s.csat.delay_minutes * 60);
        let due = {
            let mut rc = self.read().await?;
            let window = (Timestamp(until.0 - LOOK_BACK_SECS), until);
            surveys::csat_due(&mut rc.conn(), window, s.csat.require_agent_reply, BATCH).await?
        };
        let hooks = Arc::new(self.hooks().await?);
        for &id in &due {
            let (hooks, pass) = (hooks.clone(), pass.clone());
            self.write(move |c| {
                Box::pin(async move { offer_csat(c, &hooks, &pass.0, &pass.1, id, now).await })
            })
            .await?;
        }
        Ok(due.len())
    }

    async fn nps_pass(&self, pass: Pass, now: Timestamp) -> Result<usize, AppError> {
        let from = self.account_mail_sender();
        self.write(move |c| {
            Box::pin(async move {
                let (s, links) = (&pass.0, &pass.1);
                let Some(from) = from else {
                    return Ok(0);
                };
                let (mut started, mut after) = settings::get(c, NPS_ROUND_KEY)
                    .await?
                    .and_then(|raw| {
                        let (a, b) = raw.split_once(' ')?;
                        Some((a.parse().ok()?, b.parse().ok()?))
                    })
                    .unwrap_or((i64::MIN, i64::MAX));
                if now.0.saturating_sub(started) >= s.nps.every_days * 86_400 {
                    (started, after) = (now.0, 0);
                }
                if after == i64::MAX {
                    return Ok(0);
                }
                let quiet_since = Timestamp(now.0 - s.nps.quiet_days * 86_400);
                let ids =
                    surveys::nps_candidates(c, quiet_since, domain::UserId(after), BATCH).await?;
                let ids: Vec<i64> = ids.iter().map(|u| u.0).collect();
                let segment = match s.nps.segment {
                    Some(seg) => user_segments::by_id(c, seg).await?,
                    None => None,
                };
                let mut sent = 0;
                for u in users::get_many(c, &ids).await? {
                    let reader = domain::segment::SegmentReader {
                        staff: false,
                        organization: u.organization_id,
                        groups: Vec::new(),
                        tags: u.tags.clone(),
                    };
                    if segment.as_ref().is_none_or(|seg| seg.admits(&reader)) {
                        sent += offer_nps(c, s, links, &from, &u, now).await? as usize;
                    }
                }
                let next = if (ids.len() as i64) < BATCH {
                    i64::MAX
                } else {
                    ids.last().copied().unwrap_or(i64::MAX)
                };
                settings::set(c, NPS_ROUND_KEY, &format!("{started} {next}")).await?;
                Ok(sent)
            })
        })
        .await
    }
}

/// How a survey reaches the customer.
enum Way {
    /// By email, to this address.
    Email(String),
    /// As a message with buttons (a keyword on SMS) on their channel.
    Message(ReplyRoute),
}

impl Way {
    fn channel(&self) -> Channel {
        match self {
            Way::Email(_) => Channel::Email,
            Way::Message(r) => r.channel,
        }
    }
}

/// Whether a check refused (its words are for agents; here it only means
/// "not this way"); other failures stand.
fn refused<T>(r: Result<T, AppError>) -> Result<bool, AppError> {
    match r {
        Ok(_) => Ok(false),
        Err(AppError::Invalid(_)) => Ok(true),
        Err(e) => Err(e),
    }
}

/// The way to ask a case's customer: on the channel they last wrote from
/// when it is email or a messaging channel that takes our message now
/// (WhatsApp's window open, Meta's seven days, not opted out); else by
/// email when they have an address and mail goes out; else none.
async fn way_to(
    c: &mut Conn<'_>,
    hooks: &Hooks,
    t: &store::model::Ticket,
    now: Timestamp,
) -> Result<Option<Way>, AppError> {
    let mail = hooks.sender(t).is_some();
    if let Some(route) = crate::outbox::route::choose(c, t, None, mail).await? {
        if route.channel == Channel::Email {
            return Ok(Some(Way::Email(route.to)));
        }
        if super::channels::is_messaging(route.channel) {
            let closed = refused(crate::messaging::window::check(c, &route, None, now).await)?;
            let out =
                refused(crate::messaging::consent::check(c, t.requester_id, route.channel).await)?;
            if !closed && !out {
                return Ok(Some(Way::Message(route)));
            }
        }
    }
    if !mail {
        return Ok(None);
    }
    Ok(crate::outbox::route::all(c, t, true)
        .await?
        .into_iter()
        .find(|r| r.channel == Channel::Email)
        .map(|r| Way::Email(r.to)))
}

/// Decides and, where it may, sends the CSAT survey of one solved case.
async fn offer_csat(
    c: &mut Conn<'_>,
    hooks: &Hooks,
    s: &SurveySettings,
    links: &Links,
    id: TicketId,
    now: Timestamp,
) -> Result<(), AppError> {
    let Some(t) = tickets::get(c, id, false).await? else {
        return Ok(());
    };
    if !t.status.is_done() {
        // Reopened meanwhile: asked when it is solved again.
        return Ok(());
    }
    let requester = users::get(c, t.requester_id).await?;
    let lang = crate::language::customer(requester.as_ref(), &t);
    let locale = crate::language::code(lang).to_string();
    let rated = rules::rating_for_ticket(c, id).await?;
    let qualifies = requester
        .as_ref()
        .is_some_and(|u| u.active && u.role == Role::EndUser)
        && !t.tags.iter().any(|tag| s.csat.skip_tags.contains(tag))
        && rated
            .as_ref()
            .is_none_or(|r| !matches!(r.score, RatingScore::Good | RatingScore::Bad));
    let way = if qualifies {
        way_to(c, hooks, &t, now).await?
    } else {
        None
    };
    let mut inv = Invitation::decided(
        SurveyKind::Csat,
        Some(id),
        t.requester_id,
        way.as_ref().map(Way::channel),
        &locale,
        now,
        s.link_days(),
    );
    let Some(inv_id) = surveys::insert_invitation(c, &inv).await? else {
        return Ok(());
    };
    inv.id = inv_id;
    let Some(way) = way else {
        return Ok(());
    };
    let name = requester.as_ref().map_or("", |u| u.name.as_str());
    let l = lang_of(&inv.locale);
    let question = s
        .text(&inv.locale, |x| &x.csat_question)
        .unwrap_or_else(|| i18n::text(l, "survey-csat-question"));
    let args = [
        ("name", Arg::Text(name)),
        ("subject", Arg::Text(&t.subject)),
        ("days", Arg::Number(s.link_days())),
    ];
    let intro = i18n::with(l, "survey-csat-intro", &args);
    match way {
        Way::Message(route) => {
            let message = super::channels::csat_message(l, route.channel, &intro, &question);
            super::channels::queue_message(c, id, &route, message, now).await?;
        }
        Way::Email(to) => {
            let page = links.page(&inv);
            let (good, bad) = (
                i18n::text(l, "survey-csat-good"),
                i18n::text(l, "survey-csat-bad"),
            );
            let (good_link, bad_link) = (format!("{page}?csat=good"), format!("{page}?csat=bad"));
            let text = format!(
                "{}\n\n{intro}\n{question}\n\n{good}: {good_link}\n{bad}: {bad_link}\n\n{}",
                i18n::with(l, "survey-greeting", &args),
                i18n::with(l, "survey-link-note", &args),
            );
            let html = format!(
                "<p>{}</p><p>{}</p><p><strong>{}</strong></p><p>{}{}</p><p style=\"color:#555\">{}</p>",
                escape(&i18n::with(l, "survey-greeting", &args)),
                escape(&intro),
                escape(&question),
                button(&good_link, &good),
                button(&bad_link, &bad),
                escape(&i18n::with(l, "survey-link-note", &args)),
            );
            let subject = i18n::text(l, "survey-csat-subject");
            if let Some(sender) = hooks.sender(&t) {
                crate::outbox::survey(c, &sender, &t, to, subject, (text, html), now).await?;
            }
        }
    }
    record_offer(c, hooks, &t, &inv, rated.is_none(), now).await
}

/// What offering a CSAT survey records: the case's satisfaction rating
/// `offered` (unless the customer rated it already), the audit by
/// atiende (triggers see `satisfaction_score` = `offered`), the webhook
/// event.
pub(super) async fn record_offer(
    c: &mut Conn<'_>,
    hooks: &Hooks,
    t: &store::model::Ticket,
    inv: &Invitation,
    unrated: bool,
    now: Timestamp,
) -> Result<(), AppError> {
    if unrated {
        let offered = SatisfactionRating {
            id: RatingId(0),
            ticket_id: t.id,
            requester_id: t.requester_id,
            assignee_id: t.assignee_id,
            group_id: t.group_id,
            score: RatingScore::Offered,
            comment: None,
            created_at: now,
            updated_at: now,
            reason_code: 0,
            channel: inv.channel,
        };
        rules::upsert_rating(c, &offered).await?;
    }
    let change = Change::Note {
        id: t.id,
        events: vec![AuditEvent::SatisfactionRating {
            score: RatingScore::Offered.as_str().into(),
            body: None,
            assignee_id: t.assignee_id,
            previous_score: None,
        }],
    };
    let mut req = WriteRequest::new(Actor::system(), Channel::Rule, change);
    req.facts.push(("satisfaction_score", "offered"));
    crate::pipeline::write(c, hooks, req, now).await?;
    events::queue(c, SurveyEvent::Sent, inv, now).await?;
    Ok(())
}

/// Asks one customer the NPS question by email; false when another node
/// asked them first.
async fn offer_nps(
    c: &mut Conn<'_>,
    s: &SurveySettings,
    links: &Links,
    (from_address, from_name): &(String, String),
    u: &User,
    now: Timestamp,
) -> Result<bool, AppError> {
    let Some(to) = u.email.clone() else {
        return Ok(false);
    };
    let l = if crate::language::prefers_spanish(u) {
        Lang::Es
    } else {
        Lang::En
    };
    let mut inv = Invitation::decided(
        SurveyKind::Nps,
        None,
        u.id,
        Some(Channel::Email),
        l.code(),
        now,
        s.link_days(),
    );
    let Some(inv_id) = surveys::insert_invitation(c, &inv).await? else {
        return Ok(false);
    };
    inv.id = inv_id;
    let page = links.page(&inv);
    let args = [
        ("name", Arg::Text(&u.name)),
        ("company", Arg::Text(from_name)),
        ("days", Arg::Number(s.link_days())),
    ];
    let question = s
        .text(&inv.locale, |x| &x.nps_question)
        .unwrap_or_else(|| i18n::with(l, "survey-nps-question", &args));
    let scale: Vec<(i64, String)> = (0..=10).map(|n| (n, format!("{page}?nps={n}"))).collect();
    let (low, high) = (
        i18n::text(l, "survey-nps-low"),
        i18n::text(l, "survey-nps-high"),
    );
    let text = format!(
        "{}\n\n{question}\n({low} 0 – 10 {high})\n\n{}\n\n{}",
        i18n::with(l, "survey-greeting", &args),
        scale
            .iter()
            .map(|(n, link)| format!("{n}: {link}"))
            .collect::<Vec<_>>()
            .join("\n"),
        i18n::with(l, "survey-link-note", &args),
    );
    let html = format!(
        "<p>{}</p><p><strong>{}</strong></p><p>{}</p><p style=\"color:#555\">{} = 0 · {} = 10</p><p style=\"color:#555\">{}</p>",
        escape(&i18n::with(l, "survey-greeting", &args)),
        escape(&question),
        scale
            .iter()
            .map(|(n, link)| button(link, &n.to_string()))
            .collect::<String>(),
        escape(&low),
        escape(&high),
        escape(&i18n::with(l, "survey-link-note", &args)),
    );
    crate::outbox::account_mail(
        c,
        (from_address.clone(), from_name.clone()),
        to,
        i18n::text(l, "survey-nps-subject"),
        (text, html),
        (OutboundKind::Notification, "nps"),
        now,
    )
    .await?;
    events::queue(c, SurveyEvent::Sent, &inv, now).await?;
    Ok(true)
}
