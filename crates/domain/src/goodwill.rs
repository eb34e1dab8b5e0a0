//! Goodwill gestures: what the team gave a customer when something went
//! wrong (a refund, a discount, a credit, a replacement, a gift), on the
//! case it was for, with how much, in which currency, and why. Reports
//! total them per currency and kind ("compensation totals").

use crate::{GestureId, TicketId, Timestamp, UserId, word_enum};

word_enum!(
    /// What was given.
    GestureKind {
        /// Money back.
        Refund = "refund",
        /// Less to pay on this or a next purchase.
        Discount = "discount",
        /// Credit on the customer's account.
        Credit = "credit",
        /// The product sent again.
        Replacement = "replacement",
        /// Something given as an apology.
        Gift = "gift",
        /// Anything else.
        Other = "other",
    }
);

/// An ISO 4217 currency code (three capital letters).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency(String);

/// Currencies without minor units (ISO 4217 exponent 0).
const NO_MINOR_UNITS: &[&str] = &[
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND",
    "VUV", "XAF", "XOF", "XPF",
];

impl Currency {
    /// `eur` or ` EUR ` → `EUR`; anything but three letters is refused.
    pub fn parse(code: &str) -> Option<Currency> {
        let code = code.trim().to_ascii_uppercase();
        (code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())).then_some(Currency(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Digits after the decimal point (2 for most, 0 for the yen or the
    /// Chilean peso).
    pub fn decimals(&self) -> u32 {
        if NO_MINOR_UNITS.contains(&self.0.as_str()) {
            0
        } else {
            2
        }
    }
}

/// An amount in a currency's minor units (cents), never negative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    /// `"20.50"` or `"20,50"` in `currency`; more decimals than the
    /// currency has, a negative or an absurd amount is refused.
    pub fn parse(amount: &str, currency: Currency) -> Option<Money> {
        let amount = amount.trim().replace(',', ".");
        let (whole, fraction) = amount.split_once('.').unwrap_or((&amount, ""));
        let decimals = currency.decimals() as usize;
        if whole.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !fraction.bytes().all(|b| b.is_ascii_digit())
            || fraction.len() > decimals
            || whole.len() > 12
        {
            return None;
        }
        let whole: i64 = whole.parse().ok()?;
        let fraction: i64 = format!("{fraction:0<decimals$}").parse().unwrap_or(0);
        let minor = whole
            .checked_mul(10_i64.pow(decimals as u32))?
            .checked_add(fraction)?;
        Some(Money { minor, currency })
    }

    /// `20.50` (no symbol; the currency is shown beside it).
    pub fn amount(&self) -> String {
        let decimals = self.currency.decimals();
        if decimals == 0 {
            return self.minor.to_string();
        }
        let unit = 10_i64.pow(decimals);
        format!(
            "{}.{:0width$}",
            self.minor / unit,
            self.minor % unit,
            width = decimals as usize
        )
    }
}

/// A gesture as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct Gesture {
    pub id: GestureId,
    pub ticket_id: TicketId,
    /// The agent who gave it.
    pub agent_id: UserId,
    pub kind: GestureKind,
    /// What it was worth (a replacement or gift may be worth nothing said).
    pub value: Option<Money>,
    pub reason: String,
    pub created_at: Timestamp,
}

/// A period's gestures of one kind in one currency (or with no amount).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct GestureTotal {
    pub currency: Option<Currency>,
    pub kind: GestureKind,
    pub count: i64,
    /// In minor units.
    pub minor: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur() -> Currency {
        Currency::parse("eur").unwrap_or(Currency(String::new()))
    }

    #[test]
    fn amounts_read_and_show_in_minor_units() {
        let m = |s: &str, c: Currency| Money::parse(s, c).map(|m| (m.minor, m.amount()));
        assert_eq!(m("20,5", eur()), Some((2050, "20.50".into())));
        assert_eq!(m(" 3 ", eur()), Some((300, "3.00".into())));
        assert_eq!(m("0.07", eur()), Some((7, "0.07".into())));
        let clp = Currency::parse("CLP").unwrap_or(eur());
        assert_eq!(m("15000", clp.clone()), Some((15_000, "15000".into())));
        for bad in ["-5", "1.234", "abc", "", "1e3", "9999999999999"] {
            assert_eq!(m(bad, eur()), None, "{bad}");
        }
        assert_eq!(m("10.5", clp), None, "the peso has no cents");
        assert_eq!(Currency::parse("euro"), None);
        assert_eq!(Currency::parse("E1R"), None);
    }
}
