//! From the answer bot to a person. A signed-in customer who asked the bot
//! (on the help center now; the chat widget and messaging channels next)
//! and wants a person gets one: what they asked and what the bot offered
//! goes onto their case through the one way in — continuing their open
//! case, as any message without a subject of its own does — and they are
//! told when a person will answer, by the business-hours schedule. Routing
//! takes over from there as for every new message.

use crate::auth::token_hash;
use crate::ingest::{Inbound, InboundSender, IngestOutcome, Threaded};
use crate::{App, AppError, FieldError};
use domain::{Actor, Channel, IdentityKind, TicketId, Timestamp};
use i18n::{Arg, Lang};
use store::repo::answer_bot::{self as bot, Asked};
use store::repo::{help_center as hc, users};

/// The channel account hand-overs from the help center come in on.
pub const HELP_CENTER_ACCOUNT: &str = "help_center";
/// The most questions of one conversation put on the case.
const MAX_QUESTIONS: usize = 10;
/// The longest note the customer may add.
const MAX_DETAILS: usize = 10_000;

/// What the customer asked for: a person, after these questions to the
/// bot (its tokens), with anything they add.
#[derive(Debug, Clone, Default)]
pub struct HandOver {
    /// The bot's interaction tokens, in the order asked.
    pub tokens: Vec<String>,
    pub details: String,
    pub locale: String,
}

/// When a person will answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExpectedReply {
    /// The team is working now.
    Soon,
    /// The team is away; it is back at this time, in this time zone.
    OpensAt(Timestamp, jiff::tz::TimeZone),
}

/// What became of a hand-over.
#[derive(Debug, Clone, PartialEq)]
pub struct HandedOver {
    pub ticket: TicketId,
    /// It went onto the customer's open case rather than a new one.
    pub continued: bool,
    pub reply: ExpectedReply,
}

/// The message `key` ("we are closed now; a person will answer from
/// { $when } ({ $zone })…") with the time the team is back, in the
/// customer's language; `None` for a time that cannot be shown.
pub fn opens_at_text(
    lang: Lang,
    key: &str,
    at: Timestamp,
    zone: &jiff::tz::TimeZone,
) -> Option<String> {
    let ts = jiff::Timestamp::from_second(at.0).ok()?;
    let z = ts.to_zoned(zone.clone());
    let weekday = i18n::text(
        lang,
        &format!("hc-weekday-{}", z.weekday().to_sunday_zero_offset()),
    );
    let month = i18n::text(lang, &format!("hc-month-{}", z.month()));
    let time = format!("{:02}:{:02}", z.hour(), z.minute());
    let when = i18n::with(
        lang,
        "hc-when",
        &[
            ("weekday", Arg::Text(&weekday)),
            ("day", Arg::Number(i64::from(z.day()))),
            ("month", Arg::Text(&month)),
            ("time", Arg::Text(&time)),
        ],
    );
    let zone_name = zone.iana_name().unwrap_or("UTC");
    Some(i18n::with(
        lang,
        key,
        &[("when", Arg::Text(&when)), ("zone", Arg::Text(zone_name))],
    ))
}

/// The conversation as the person will read it, under the heading
/// `heading` (a message key naming where it was held).
pub(crate) fn transcript(
    lang: Lang,
    heading: &str,
    asked: &[(Asked, Vec<String>)],
    details: &str,
) -> String {
    let mut out = String::new();
    if details.trim().is_empty() {
        out.push_str(&i18n::text(lang, "handover-wants-person"));
    } else {
        out.push_str(details.trim());
    }
    out.push_str("\n\n");
    out.push_str(&i18n::text(lang, heading));
    for (a, titles) in asked {
        out.push('\n');
        out.push_str(&i18n::with(
            lang,
            "handover-customer",
            &[("text", Arg::Text(&a.enquiry))],
        ));
        out.push('\n');
        let bot_line = if !titles.is_empty() {
            let list = titles
                .iter()
                .map(|t| format!("«{t}»"))
                .collect::<Vec<_>>()
                .join(", ");
            i18n::with(
                lang,
                "handover-bot-suggested",
                &[("articles", Arg::Text(&list))],
            )
        } else if a.reason == "asked_for_person" {
            i18n::text(lang, "handover-bot-asked-for-person")
        } else {
            i18n::text(lang, "handover-bot-no-answer")
        };
        out.push_str(&bot_line);
    }
    out
}

/// The questions the bot recorded (by their tokens' hashes), each with
/// the titles of the articles it offered.
pub(crate) async fn asked_with_titles(
    c: &mut store::Conn<'_>,
    hashes: &[String],
) -> Result<Vec<(Asked, Vec<String>)>, AppError> {
    let mut asked = Vec::new();
    for hash in hashes {
        let Some(a) = bot::asked_by_token(c, hash).await? else {
            continue;
        };
        let ids: Vec<i64> = a.articles.iter().map(|x| x.0).collect();
        let titles = hc::articles(c, &ids)
            .await?
            .into_iter()
            .map(|x| x.title)
            .collect();
        asked.push((a, titles));
    }
    Ok(asked)
}

impl App {
    /// When a person will answer a message arriving at `now`: by the
    /// default business-hours schedule (round the clock when there is none).
    pub async fn expected_reply(&self, now: Timestamp) -> Result<ExpectedReply, AppError> {
        let book = self.rulebook().await?;
        let schedule = book.schedule(None);
        Ok(match schedule.next_open(now) {
            Some(at) if at.0 > now.0 => ExpectedReply::OpensAt(at, schedule.time_zone().clone()),
            _ => ExpectedReply::Soon,
        })
    }

    /// Hands a signed-in customer over to a person (see the module's doc).
    /// Sending the same conversation twice lands once.
    pub async fn hand_over_to_person(
        &self,
        actor: Actor,
        h: HandOver,
    ) -> Result<HandedOver, AppError> {
        let tokens: Vec<String> = h
            .tokens
            .iter()
            .filter(|t| !t.is_empty() && t.len() <= 64)
            .take(MAX_QUESTIONS)
            .cloned()
            .collect();
        let details: String = h.details.chars().take(MAX_DETAILS).collect();
        let lang = Lang::from_locale(&h.locale);
        let (email, asked) = {
            let mut rc = self.read().await?;
            let c = &mut rc.conn();
            let email = users::primary_email(c, actor.user).await?.ok_or_else(|| {
                AppError::field(FieldError::invalid(
                    "email",
                    "the customer has no email address",
                ))
            })?;
            let hashes: Vec<String> = tokens.iter().map(|t| token_hash(t)).collect();
            (email, asked_with_titles(c, &hashes).await?)
        };
        if asked.is_empty() && details.trim().is_empty() {
            return Err(AppError::field(FieldError::blank("details")));
        }
        let text = transcript(lang, "handover-transcript", &asked, &details);
        // The same conversation sent twice (a double click, a reload) is
        // one message: its id is made of its first question's token.
        let external_id = tokens
            .first()
            .map(|t| format!("handover:{}", token_hash(t)));
        let sender = InboundSender {
            kind: IdentityKind::Email,
            value: email,
            display_name: None,
        };
        let inbound =
            Inbound::message(Channel::Web, HELP_CENTER_ACCOUNT, external_id, sender, text);
        let now = Timestamp::now();
        let outcome = self.ingest_at(inbound, now).await?;
        let ticket = outcome.ticket();
        let continued = matches!(
            outcome,
            IngestOutcome::Landed(_, Threaded::OpenCase | Threaded::Hint(_))
        );
        let hashes: Vec<String> = tokens.iter().map(|t| token_hash(t)).collect();
        self.write(move |c| {
            Box::pin(async move {
                for hash in &hashes {
                    bot::followed_by(c, hash, ticket, now).await?;
                }
                Ok(())
            })
        })
        .await?;
        Ok(HandedOver {
            ticket,
            continued,
            reply: self.expected_reply(now).await?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(enquiry: &str, reason: &str) -> Asked {
        Asked {
            enquiry: enquiry.into(),
            locale: "es".into(),
            handover: reason != "answered",
            reason: reason.into(),
            articles: Vec::new(),
            resolved: None,
            rejected: None,
            opened: None,
            ticket: None,
            at: Timestamp(0),
        }
    }

    #[test]
    fn the_transcript_says_what_was_asked_and_offered() {
        let t = transcript(
            Lang::Es,
            "handover-transcript",
            &[
                (
                    asked("¿Dónde está mi pedido?", "answered"),
                    vec!["Seguir un pedido".into()],
                ),
                (
                    asked("quiero hablar con una persona", "asked_for_person"),
                    vec![],
                ),
            ],
            "",
        );
        assert!(
            t.starts_with("El cliente quiere hablar con una persona."),
            "{t}"
        );
        assert!(t.contains("Cliente: ¿Dónde está mi pedido?"), "{t}");
        assert!(t.contains("sugirió «Seguir un pedido»"), "{t}");
        assert!(t.contains("pidió hablar con una persona"), "{t}");
        let en = transcript(
            Lang::En,
            "handover-transcript",
            &[(asked("refund?", "no_good_match"), vec![])],
            "It broke",
        );
        assert!(en.starts_with("It broke"), "{en}");
        assert!(en.contains("found no article"), "{en}");
    }
}
