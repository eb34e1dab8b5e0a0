//! Recording a goodwill gesture on a case: checked, then written with an
//! internal note on the case through the write pipeline (so the timeline,
//! triggers and the audit see it like any note), in one transaction; and
//! the period's totals per currency and kind for the reports.

use crate::pipeline::{Change, WriteRequest};
use crate::tickets::{CommentInput, CommentText, TicketInput};
use crate::{App, AppError, FieldError};
use domain::goodwill::{Currency, Gesture, GestureKind, GestureTotal, Money};
use domain::policy::Capability;
use domain::report::{Period, ReportFilter};
use domain::{Actor, Channel, GestureId, TicketId, Timestamp};
use i18n::{Arg, Lang};
use store::repo::{goodwill, users};

/// What an agent says they gave, as typed.
#[derive(Debug, Clone, Default)]
pub struct GestureInput {
    pub kind: String,
    /// Empty when no value is stated (a gift, say).
    pub amount: String,
    pub currency: String,
    pub reason: String,
}

impl GestureInput {
    /// The gesture's kind, value and reason, or every problem in words.
    fn checked(&self) -> Result<(GestureKind, Option<Money>, String), AppError> {
        let mut errors = Vec::new();
        let kind = self.kind.trim().parse::<GestureKind>().map_err(|e| {
            errors.push(FieldError::invalid("kind", e.to_string()));
        });
        let value = match (self.amount.trim(), self.currency.trim()) {
            ("", "") => Ok(None),
            (_, "") => Err(FieldError::blank("currency")),
            ("", _) => Err(FieldError::blank("amount")),
            (amount, code) => match Currency::parse(code) {
                None => Err(FieldError::invalid(
                    "currency",
                    "a currency code of three letters, such as EUR",
                )),
                Some(c) => Money::parse(amount, c).map(Some).ok_or_else(|| {
                    FieldError::invalid(
                        "amount",
                        "an amount of money of no more than its currency's decimals, such as 20.50",
                    )
                }),
            },
        };
        let value = value.map_err(|e| errors.push(e));
        let reason = self.reason.trim().chars().take(1000).collect::<String>();
        if reason.is_empty() {
            errors.push(FieldError::blank("reason"));
        }
        match (kind, value) {
            (Ok(kind), Ok(value)) if errors.is_empty() => Ok((kind, value, reason)),
            _ => Err(AppError::Invalid(errors)),
        }
    }
}

/// The note a gesture leaves on its case, in `lang`.
fn note(lang: Lang, kind: GestureKind, value: Option<&Money>, reason: &str) -> String {
    let kind = i18n::text(lang, &format!("goodwill-{}", kind.as_str()));
    let value = value.map_or(String::new(), |m| {
        format!(" {} {}", m.amount(), m.currency.as_str())
    });
    i18n::with(
        lang,
        "goodwill-note",
        &[
            ("kind", Arg::Text(&kind)),
            ("value", Arg::Text(&value)),
            ("reason", Arg::Text(reason)),
        ],
    )
}

impl App {
    /// Records what an agent gave the customer of `ticket`: the gesture
    /// and its internal note (in the agent's language), together.
    pub async fn record_gesture(
        &self,
        actor: Actor,
        ticket: TicketId,
        input: GestureInput,
    ) -> Result<Gesture, AppError> {
        crate::error::require(&actor, Capability::WorkTheDesk)?;
        let (kind, value, reason) = input.checked()?;
        let hooks = self.hooks().await?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let lang = users::get(c, actor.user)
                    .await?
                    .map_or(Lang::Es, |u| Lang::from_locale(&u.locale));
                let comment = CommentInput {
                    body: Some(note(lang, kind, value.as_ref(), &reason)),
                    public: Some(false),
                    ..Default::default()
                };
                let text = CommentText::of(&comment)?;
                let input = TicketInput {
                    comment: Some(comment),
                    ..Default::default()
                };
                let change = Change::Update {
                    id: ticket,
                    input,
                    text: Some(text),
                };
                let written = crate::pipeline::write(
                    c,
                    &hooks,
                    WriteRequest::new(actor, Channel::Web, change),
                    now,
                )
                .await?
                .ok_or(AppError::NotFound)?;
                let mut gesture = Gesture {
                    id: GestureId(0),
                    ticket_id: ticket,
                    agent_id: actor.user,
                    kind,
                    value,
                    reason,
                    created_at: now,
                };
                gesture.id = goodwill::insert(c, &gesture, Some(written.audit.id)).await?;
                Ok(gesture)
            })
        })
        .await
    }

    /// A case's gestures, oldest first (staff who may see the case).
    pub async fn ticket_gestures(
        &self,
        actor: Actor,
        ticket: TicketId,
    ) -> Result<Vec<Gesture>, AppError> {
        crate::error::require(&actor, Capability::WorkTheDesk)?;
        self.ticket(actor, ticket).await?;
        let mut rc = self.read().await?;
        Ok(goodwill::of_ticket(&mut rc.conn(), ticket).await?)
    }

    /// The gestures of a period per currency and kind, on the tickets the
    /// filter admits.
    pub async fn gesture_totals(
        &self,
        actor: Actor,
        period: Period,
        filter: &ReportFilter,
    ) -> Result<Vec<GestureTotal>, AppError> {
        crate::error::require(&actor, Capability::ReadReports)?;
        let mut rc = self.read().await?;
        Ok(goodwill::totals(&mut rc.conn(), period, filter).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(kind: &str, amount: &str, currency: &str, reason: &str) -> GestureInput {
        GestureInput {
            kind: kind.into(),
            amount: amount.into(),
            currency: currency.into(),
            reason: reason.into(),
        }
    }

    #[test]
    fn a_gesture_is_checked_field_by_field() {
        let ok = input("refund", "20,5", "eur", " Llegó tarde ").checked();
        assert!(
            matches!(&ok, Ok((GestureKind::Refund, Some(m), r)) if m.minor == 2050 && r == "Llegó tarde"),
            "{ok:?}"
        );
        assert!(matches!(
            input("gift", "", "", "Perdón").checked(),
            Ok((GestureKind::Gift, None, _))
        ));
        let fields = |i: GestureInput| match i.checked() {
            Err(AppError::Invalid(e)) => e.into_iter().map(|e| e.field).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(fields(input("bribe", "5", "EUR", "x")), ["kind"]);
        assert_eq!(fields(input("refund", "5", "", "x")), ["currency"]);
        assert_eq!(
            fields(input("refund", "-5", "EUR", "")),
            ["amount", "reason"]
        );
        assert_eq!(fields(input("refund", "5", "EURO", "x")), ["currency"]);
    }

    #[test]
    fn the_note_says_what_was_given_in_both_languages() {
        let m = Money::parse("12.00", Currency::parse("EUR").unwrap_or_else(|| panic!()));
        assert_eq!(
            note(Lang::Es, GestureKind::Refund, m.as_ref(), "Llegó roto"),
            "Gesto de buena voluntad: reembolso 12.00 EUR. Motivo: Llegó roto"
        );
        assert_eq!(
            note(Lang::En, GestureKind::Gift, None, "Late"),
            "Goodwill gesture: gift. Why: Late"
        );
    }
}
