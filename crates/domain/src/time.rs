//! Instants as whole seconds since the Unix epoch, which is what the Zendesk
//! API exposes (`YYYY-MM-DDTHH:MM:SSZ`) and what both databases store as a
//! plain integer, so ordering and ranges behave the same everywhere.

use serde::{Serialize, Serializer};

/// Seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// The current time, truncated to the second.
    pub fn now() -> Self {
        Timestamp(jiff::Timestamp::now().as_second())
    }

    /// ISO-8601 in UTC with a `Z`, as Zendesk writes it.
    pub fn to_iso(self) -> String {
        match jiff::Timestamp::from_second(self.0) {
            Ok(t) => t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
            Err(_) => "1970-01-01T00:00:00Z".into(),
        }
    }

    /// Parses `YYYY-MM-DD` (midnight UTC) or a full RFC 3339 instant.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        if let Ok(t) = s.parse::<jiff::Timestamp>() {
            return Some(Timestamp(t.as_second()));
        }
        let date: jiff::civil::Date = s.parse().ok()?;
        let zoned = date.to_zoned(jiff::tz::TimeZone::UTC).ok()?;
        Some(Timestamp(zoned.timestamp().as_second()))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_iso())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_iso() {
        let t = Timestamp(1_700_000_000);
        assert_eq!(t.to_iso(), "2023-11-14T22:13:20Z");
        assert_eq!(Timestamp::parse(&t.to_iso()), Some(t));
        assert_eq!(
            Timestamp::parse("2023-11-14"),
            Some(Timestamp(1_699_920_000))
        );
        assert_eq!(Timestamp::parse("yesterday"), None);
    }
}
