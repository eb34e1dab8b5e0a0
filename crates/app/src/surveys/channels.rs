//! Surveys on the messaging channels: the CSAT question with two buttons
//! (WhatsApp reply buttons, Messenger and Instagram quick replies, a
//! Telegram keyboard) or, on SMS, a keyword to answer with; and the
//! customer's reply taken as the answer instead of a new message on the
//! case.

use super::answer::Reply;
use crate::ingest::Inbound;
use crate::{App, AppError};
use domain::model::RatingScore;
use domain::model::outbox::ReplyRoute;
use domain::user::normalize_identity;
use domain::{Channel, OutboundKind, TicketId, Timestamp};
use i18n::Lang;
use store::Conn;
use store::repo::outbox::{self, Outbound};
use store::repo::{rules, surveys, users};

/// The longest reply read as a survey answer (a button's title, a word).
const MAX_ANSWER_CHARS: usize = 24;

/// What a customer's short reply says of the service, if it is an answer:
/// a button's title, a keyword, an emoji, or 1 (good) / 2 (bad).
pub(crate) fn csat_word(text: &str) -> Option<RatingScore> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_ANSWER_CHARS {
        return None;
    }
    let good = text.contains('👍');
    let bad = text.contains('👎');
    let folded = search::fold(text);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    const GOOD: [&str; 5] = ["1", "buena", "bien", "good", "great"];
    const BAD: [&str; 4] = ["2", "mala", "mal", "bad"];
    let said_good = good || (words.len() == 1 && GOOD.contains(&words[0]));
    let said_bad = bad || (words.len() == 1 && BAD.contains(&words[0]));
    match (said_good, said_bad) {
        (true, false) => Some(RatingScore::Good),
        (false, true) => Some(RatingScore::Bad),
        _ => None,
    }
}

/// The channels a survey goes on as a message (chat and email have their
/// own ways).
pub(super) fn is_messaging(channel: Channel) -> bool {
    matches!(
        channel,
        Channel::WhatsApp
            | Channel::Messenger
            | Channel::Instagram
            | Channel::Telegram
            | Channel::Sms
    )
}

/// Queues a message for the customer on a messaging route, on the case.
pub(super) async fn queue_message(
    c: &mut Conn<'_>,
    ticket: TicketId,
    route: &ReplyRoute,
    (text, buttons): (String, Vec<String>),
    now: Timestamp,
) -> Result<(), AppError> {
    let message_id = format!(
        "atiende-survey-{}-{}",
        route.channel.as_str(),
        crate::auth::random_token(12).to_lowercase()
    );
    outbox::enqueue(
        c,
        &Outbound {
            account: route.account.clone(),
            buttons,
            ..Outbound::queued(
                ticket,
                OutboundKind::Notification,
                route.channel,
                route.to.clone(),
                message_id,
                (text, String::new()),
                now,
            )
        },
    )
    .await?;
    Ok(())
}

/// The CSAT question as a message: words and the two buttons (on SMS, the
/// keywords written in the text as well).
pub(super) fn csat_message(
    l: Lang,
    channel: Channel,
    intro: &str,
    question: &str,
) -> (String, Vec<String>) {
    let mut text = format!("{intro} {question}");
    if channel == Channel::Sms {
        text.push(' ');
        text.push_str(&i18n::text(l, "survey-sms-keywords"));
    }
    let buttons = vec![
        i18n::text(l, "survey-button-good"),
        i18n::text(l, "survey-button-bad"),
    ];
    (text, buttons)
}

impl App {
    /// Takes a customer's message as their answer to the CSAT survey sent
    /// on its channel, when it is one (a button, a keyword), a survey there
    /// still takes answers and no agent has written to them since; thanks
    /// them once per new answer. False: the message is theirs to the case,
    /// as any other.
    pub(crate) async fn take_survey_reply(&self, inbound: &Inbound) -> Result<bool, AppError> {
        if !is_messaging(inbound.channel) {
            return Ok(false);
        }
        let Some(score) = csat_word(&inbound.text) else {
            return Ok(false);
        };
        let Some(value) = normalize_identity(inbound.sender.kind, &inbound.sender.value) else {
            return Ok(false);
        };
        let now = Timestamp::now();
        let (inv, before) = {
            let mut rc = self.read().await?;
            let c = &mut rc.conn();
            let Some(user) = users::by_identity(c, inbound.sender.kind, &value).await? else {
                return Ok(false);
            };
            let Some(inv) = surveys::open_csat_on(c, user.id, inbound.channel, now).await? else {
                return Ok(false);
            };
            // An agent wrote to them since: a short answer is to that.
            if store::repo::outbox::replied_since(c, inbound.channel, &value, inv.sent_at).await? {
                return Ok(false);
            }
            let before = match inv.ticket {
                Some(t) => rules::rating_for_ticket(c, t).await?.map(|r| r.score),
                None => None,
            };
            (inv, before)
        };
        let reply = Reply {
            csat: Some(score),
            ..Reply::default()
        };
        let Ok(view) = self.answer_invitation(inv.id, reply, now).await? else {
            return Ok(false);
        };
        let Some(ticket) = inv.ticket.filter(|_| before != Some(score)) else {
            return Ok(true);
        };
        let l = Lang::from_locale(&inv.locale);
        let mut text = view.thanks.clone();
        if view.review
            && let Some(base) = &self.public_url
        {
            let token = self.survey_link_token(&inv).await?;
            text.push_str(&format!(
                "\n{} {base}{}/review",
                i18n::text(l, "survey-review-invite"),
                super::page_path(&inv.locale, &token)
            ));
        }
        let route = ReplyRoute {
            channel: inbound.channel,
            account: Some(inbound.account.clone()),
            to: value,
        };
        self.write(move |c| {
            Box::pin(async move { queue_message(c, ticket, &route, (text, Vec::new()), now).await })
        })
        .await?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_replies_are_read_as_answers_and_others_are_not() {
        for good in ["👍 Buena", "👍 Good", "buena", "Bien", "1", " GOOD "] {
            assert_eq!(csat_word(good), Some(RatingScore::Good), "{good}");
        }
        for bad in ["👎 Mala", "👎 Bad", "mala", "2", "Mal"] {
            assert_eq!(csat_word(bad), Some(RatingScore::Bad), "{bad}");
        }
        for neither in [
            "",
            "hola",
            "no llegó bien el pedido",
            "1 2",
            "👍👎",
            "buena pregunta",
        ] {
            assert_eq!(csat_word(neither), None, "{neither}");
        }
    }
}
