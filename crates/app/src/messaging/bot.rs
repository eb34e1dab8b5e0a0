//! Bot first on a messaging account: a customer who writes with no case
//! open talks with the answer bot on the channel they wrote on. The bot
//! offers public articles (with buttons to say they helped or to ask for
//! a person), asks what they need on a greeting, and hands over when they
//! ask for a person, say the articles did not help, send what it cannot
//! read (a photo, a location) or ask what it cannot answer: then their
//! message goes through the one way in with the conversation so far, and
//! routing takes it from there. A customer with a case open, answering one
//! of our messages, or sending a consent word goes straight to the case.
//!
//! Each message the bot takes is recorded once by its provider id in the
//! same commit as the bot's answer in the outbox, so a delivery read twice
//! answers once.

use crate::handover::{ExpectedReply, asked_with_titles, opens_at_text, transcript};
use crate::ingest::{Inbound, IngestOutcome, ThreadHint};
use crate::{App, AppError};
use answer::Reason;
use domain::messaging::{BOT_SESSION_IDLE_SECS, BotSessionState, consent_word};
use domain::model::outbox::Outbound;
use domain::user::normalize_identity;
use domain::{BotSessionId, OutboundKind, TicketId, Timestamp};
use i18n::Lang;
use store::Conn;
use store::repo::answer_bot as asked;
use store::repo::messaging_bot::{self as repo, BotTurn, Party};
use store::repo::{inbound, messaging, outbox, tickets, users};

/// The most articles the bot offers in one message.
const ARTICLES: usize = 3;
/// A message longer than this (in words) is a question, not a verdict.
const VERDICT_WORDS: usize = 8;

/// What became of a customer's message on a bot-first account.
#[derive(Debug)]
pub(super) enum Taken {
    /// The bot answered it (or had before).
    ByBot,
    /// It went to the case through the one way in.
    Ingested(IngestOutcome),
}

/// Whether a short message says the articles helped (`Some(true)`) or did
/// not (`Some(false)`); `None` for anything else.
fn verdict(text: &str) -> Option<bool> {
    const NO: [&str; 8] = [
        "no", "nope", "tampoco", "nada", "not", "didnt", "doesnt", "dont",
    ];
    const YES: [&str; 14] = [
        "si", "yes", "yep", "gracias", "thanks", "thank", "resuelto", "solved", "sirvio", "helped",
        "perfecto", "genial", "vale", "great",
    ];
    let folded = search::fold(&text.replace('\'', ""));
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() || words.len() > VERDICT_WORDS {
        return None;
    }
    if words.iter().any(|w| NO.contains(w)) {
        Some(false)
    } else if words.iter().any(|w| YES.contains(w)) {
        Some(true)
    } else {
        None
    }
}

/// The language the bot answers a first message in.
fn language_of(text: &str) -> Lang {
    match search::analyze::detect(&search::fold(text)) {
        search::analyze::Language::Spanish => Lang::Es,
        search::analyze::Language::English => Lang::En,
    }
}

/// What the bot says to a customer, and the buttons it offers.
struct Said {
    text: String,
    buttons: Vec<String>,
}

/// What follows a bot's message: the talk goes on, or it is over because
/// the customer said the articles answered `question` (its token's hash).
enum Then {
    GoOn,
    Answered { question: Option<String> },
}

impl Said {
    fn plain(text: String) -> Said {
        Said {
            text,
            buttons: Vec::new(),
        }
    }
}

impl App {
    /// Takes a customer's message on a bot-first account (see the module's
    /// doc).
    pub(super) async fn take_with_bot(&self, inbound: Inbound) -> Result<Taken, AppError> {
        let Some(sender) = normalize_identity(inbound.sender.kind, &inbound.sender.value) else {
            return Ok(Taken::Ingested(self.ingest(inbound).await?));
        };
        let party = Party {
            channel: inbound.channel,
            account: &inbound.account,
            sender: &sender,
        };
        let text = inbound.text.trim().to_string();
        let now = Timestamp::now();
        let (session, turns) = {
            let mut rc = self.read().await?;
            let c = &mut rc.conn();
            if let Some(ext) = &inbound.external_id
                && repo::took(c, party, ext).await?
            {
                return Ok(Taken::ByBot);
            }
            if consent_word(&text).is_some() || for_a_person(c, &inbound, &sender, now).await? {
                drop(rc);
                return Ok(Taken::Ingested(self.ingest(inbound).await?));
            }
            let since = Timestamp(now.0 - BOT_SESSION_IDLE_SECS);
            let session = repo::open_session(c, party, since).await?;
            let turns = match &session {
                Some(s) => repo::turns(c, s.id).await?,
                None => Vec::new(),
            };
            (session, turns)
        };
        let lang = session
            .as_ref()
            .map_or_else(|| language_of(&text), |s| Lang::from_locale(&s.locale));
        let offered_last = turns.last().is_some_and(|t| t.offered);
        // What it cannot read goes to a person, with the talk so far.
        if text.is_empty() || !inbound.files.is_empty() {
            if session.is_none() {
                return Ok(Taken::Ingested(self.ingest(inbound).await?));
            }
            return self
                .hand_over(inbound, session.map(|s| s.id), &turns, lang)
                .await;
        }
        let asked_person = answer::asks_for_person(&text);
        if offered_last && !asked_person {
            match verdict(&text) {
                Some(true) => {
                    if let Some(s) = &session {
                        return self.resolved(&inbound, party, s.id, &turns, lang).await;
                    }
                }
                Some(false) => {
                    return self
                        .hand_over(inbound, session.map(|s| s.id), &turns, lang)
                        .await;
                }
                None => {}
            }
        }
        let answer = self
            .answer_bot(None, &text, Some(lang.code()), ARTICLES)
            .await?;
        let mut turns = turns;
        turns.push(BotTurn {
            token_hash: Some(crate::auth::token_hash(&answer.token)),
            offered: !answer.articles.is_empty(),
        });
        // A greeting or thanks: the bot asks what they need rather than
        // calling a person over.
        let said = if answer.reason == Reason::NothingToAnswer {
            Said::plain(i18n::text(lang, "msg-bot-how-can-i-help"))
        } else if answer.handover || answer.articles.is_empty() {
            return self
                .hand_over(inbound, session.map(|s| s.id), &turns, lang)
                .await;
        } else {
            self.offer(lang, &answer.articles)
        };
        let turn = turns.pop().unwrap_or(BotTurn {
            token_hash: None,
            offered: false,
        });
        self.bot_says(
            &inbound,
            party,
            (session.map(|s| s.id), lang),
            turn,
            said,
            Then::GoOn,
        )
        .await?;
        Ok(Taken::ByBot)
    }

    /// The articles as a message: titles with their addresses, and the
    /// buttons to answer.
    fn offer(&self, lang: Lang, articles: &[crate::answer_bot::BotArticle]) -> Said {
        let mut text = i18n::text(lang, "msg-bot-suggests");
        for (i, a) in articles.iter().enumerate() {
            text.push_str(&format!("\n{}. {}", i + 1, a.title));
            if let Some(base) = &self.public_url {
                text.push_str(&format!(
                    "\n   {base}/hc/{}/articles/{}",
                    a.locale, a.article_id.0
                ));
            }
        }
        text.push_str("\n\n");
        text.push_str(&i18n::text(lang, "msg-bot-did-it-help"));
        Said {
            text,
            buttons: vec![
                i18n::text(lang, "msg-bot-button-helped"),
                i18n::text(lang, "msg-bot-button-person"),
            ],
        }
    }

    /// Records the turn (once) and queues what the bot says, in one
    /// commit — closing the talk there too when `then` says it is over.
    /// Whether the turn was new.
    async fn bot_says(
        &self,
        inbound: &Inbound,
        party: Party<'_>,
        (session, lang): (Option<BotSessionId>, Lang),
        turn: BotTurn,
        said: Said,
        then: Then,
    ) -> Result<bool, AppError> {
        let now = Timestamp::now();
        let (channel, account, sender) = (
            party.channel,
            party.account.to_string(),
            party.sender.to_string(),
        );
        let external_id = inbound
            .external_id
            .clone()
            .unwrap_or_else(|| format!("bot:{}", crate::auth::random_token(12)));
        let locale = lang.code().to_string();
        let closing = matches!(then, Then::Answered { .. });
        let new = self
            .write(move |c| {
                Box::pin(async move {
                    let party = Party {
                        channel,
                        account: &account,
                        sender: &sender,
                    };
                    let session = match session {
                        Some(s) => s,
                        None => repo::start_session(c, party, &locale, now).await?,
                    };
                    if !repo::add_turn(c, session, party, &external_id, &turn, now).await? {
                        return Ok(false);
                    }
                    queue(c, party, None, said, now).await?;
                    if let Then::Answered { question } = then {
                        if let Some(hash) = question
                            && let Some(q) = asked::asked_by_token(c, &hash).await?
                            && let Some(first) = q.articles.first()
                        {
                            asked::feedback(c, &hash, *first, true, now).await?;
                        }
                        repo::end_session(c, session, BotSessionState::Resolved, None, now).await?;
                    }
                    Ok(true)
                })
            })
            .await?;
        if new && closing {
            self.bot.forget_feedback();
        }
        Ok(new)
    }

    /// The customer said the articles helped: the bot says it is glad,
    /// records it on the question and closes the talk.
    async fn resolved(
        &self,
        inbound: &Inbound,
        party: Party<'_>,
        session: BotSessionId,
        turns: &[BotTurn],
        lang: Lang,
    ) -> Result<Taken, AppError> {
        let last = turns.iter().rev().find_map(|t| t.token_hash.clone());
        let said = Said::plain(i18n::text(lang, "msg-bot-glad"));
        let turn = BotTurn {
            token_hash: None,
            offered: false,
        };
        let then = Then::Answered { question: last };
        self.bot_says(inbound, party, (Some(session), lang), turn, said, then)
            .await?;
        Ok(Taken::ByBot)
    }

    /// Hands the customer over: their message, with the talk so far, goes
    /// to their case through the one way in, and they are told when a
    /// person will answer.
    async fn hand_over(
        &self,
        mut inbound: Inbound,
        session: Option<BotSessionId>,
        turns: &[BotTurn],
        lang: Lang,
    ) -> Result<Taken, AppError> {
        let hashes: Vec<String> = turns.iter().filter_map(|t| t.token_hash.clone()).collect();
        let asked = {
            let mut rc = self.read().await?;
            asked_with_titles(&mut rc.conn(), &hashes).await?
        };
        if !asked.is_empty() {
            // The case opens with what they came for, not "a person please".
            let first_question = asked
                .iter()
                .find(|(a, _)| {
                    !answer::asks_for_person(&a.enquiry) && a.reason != "nothing_to_answer"
                })
                .map(|(a, _)| a.enquiry.clone());
            let latest = inbound.text.trim();
            let details = if latest.is_empty()
                || answer::asks_for_person(latest)
                || verdict(latest).is_some()
            {
                first_question.unwrap_or_else(|| latest.to_string())
            } else {
                latest.to_string()
            };
            inbound.text = transcript(lang, "msg-bot-transcript", &asked, &details);
            inbound.html = None;
        }
        let (channel, account, sender) = (
            inbound.channel,
            inbound.account.clone(),
            normalize_identity(inbound.sender.kind, &inbound.sender.value).unwrap_or_default(),
        );
        let outcome = self.ingest(inbound).await?;
        if let IngestOutcome::Duplicate(_) = outcome {
            return Ok(Taken::Ingested(outcome));
        }
        let ticket = outcome.ticket();
        let now = Timestamp::now();
        let said = match self.expected_reply(now).await? {
            ExpectedReply::OpensAt(at, zone) => {
                opens_at_text(lang, "msg-bot-handover-opens", at, &zone)
            }
            ExpectedReply::Soon => None,
        }
        .unwrap_or_else(|| i18n::text(lang, "msg-bot-handover-soon"));
        self.write(move |c| {
            Box::pin(async move {
                let party = Party {
                    channel,
                    account: &account,
                    sender: &sender,
                };
                for hash in &hashes {
                    asked::followed_by(c, hash, ticket, now).await?;
                }
                if let Some(s) = session {
                    repo::end_session(c, s, BotSessionState::HandedOver, Some(ticket), now).await?;
                }
                queue(c, party, Some(ticket), Said::plain(said), now).await?;
                Ok(())
            })
        })
        .await?;
        Ok(Taken::Ingested(outcome))
    }
}

/// Whether a message is for a person rather than the bot: the customer
/// has a case open (or answers one of our messages on one), or opted out
/// of the channel (the bot does not write to them; a person decides).
async fn for_a_person(
    c: &mut Conn<'_>,
    inbound: &Inbound,
    sender: &str,
    now: Timestamp,
) -> Result<bool, AppError> {
    for hint in &inbound.thread {
        if let ThreadHint::RepliesTo(ext) = hint
            && (inbound::landed(c, inbound.channel, &inbound.account, ext)
                .await?
                .is_some()
                || outbox::ticket_of_external(c, inbound.channel, ext)
                    .await?
                    .is_some())
        {
            return Ok(true);
        }
    }
    let Some(user) = users::by_identity(c, inbound.sender.kind, sender).await? else {
        return Ok(false);
    };
    if let Some((false, _, _)) = messaging::consent(c, user.id, inbound.channel).await? {
        return Ok(true);
    }
    let window = crate::ingest::threading_window_days(c).await?;
    let since = Timestamp(now.0 - window * 86_400);
    Ok(tickets::latest_unsolved_of(c, user.id, since)
        .await?
        .is_some())
}

/// Queues what the bot says to the customer, from the account they wrote
/// to; on their case once there is one.
async fn queue(
    c: &mut Conn<'_>,
    party: Party<'_>,
    ticket: Option<TicketId>,
    said: Said,
    now: Timestamp,
) -> Result<(), AppError> {
    let message_id = format!(
        "atiende-bot-{}-{}",
        party.channel.as_str(),
        crate::auth::random_token(12).to_lowercase()
    );
    let kind = if ticket.is_some() {
        OutboundKind::Acknowledgement
    } else {
        OutboundKind::Reply
    };
    outbox::enqueue(
        c,
        &Outbound {
            account: Some(party.account.to_string()),
            buttons: said.buttons,
            ..Outbound::queued(
                ticket,
                kind,
                party.channel,
                party.sender.to_string(),
                message_id,
                (said.text, String::new()),
                now,
            )
        },
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::verdict;

    #[test]
    fn a_short_answer_says_whether_the_articles_helped() {
        for yes in [
            "Sí, me sirvió",
            "Yes, that helped",
            "gracias!",
            "Perfecto",
            "thanks",
        ] {
            assert_eq!(verdict(yes), Some(true), "{yes}");
        }
        for no in ["No", "no me sirvió", "Not really", "didn't help", "tampoco"] {
            assert_eq!(verdict(no), Some(false), "{no}");
        }
        for other in [
            "¿Cómo cambio la dirección de envío?",
            "mi pedido 4411 llegó roto y quiero que me devolváis el dinero ya",
        ] {
            assert_eq!(verdict(other), None, "{other}");
        }
    }
}
