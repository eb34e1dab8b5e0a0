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

    /// ISO-8601 in UTC with a `Z`, as Zendesk writes it. Every record on
    /// the wire carries several, so this writes the digits itself (civil
    /// date from days, Howard Hinnant's algorithm) instead of going through
    /// a strftime pattern; a test holds it to jiff's answer.
    pub fn to_iso(self) -> String {
        const YEAR_ONE: i64 = -62_135_596_800; // 0001-01-01T00:00:00Z
        if !(YEAR_ONE..=jiff::Timestamp::MAX.as_second()).contains(&self.0) {
            // Before year 1 (signed years) or past what jiff holds.
            return match jiff::Timestamp::from_second(self.0) {
                Ok(t) => t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
                Err(_) => "1970-01-01T00:00:00Z".into(),
            };
        }
        let (days, secs) = (self.0.div_euclid(86_400), self.0.rem_euclid(86_400));
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        let two = |n: i64| [b'0' + (n / 10) as u8, b'0' + (n % 10) as u8];
        let mut out = Vec::with_capacity(20);
        out.extend_from_slice(&two(year / 100));
        out.extend_from_slice(&two(year % 100));
        out.push(b'-');
        out.extend_from_slice(&two(month));
        out.push(b'-');
        out.extend_from_slice(&two(day));
        out.push(b'T');
        out.extend_from_slice(&two(secs / 3_600));
        out.push(b':');
        out.extend_from_slice(&two(secs / 60 % 60));
        out.push(b':');
        out.extend_from_slice(&two(secs % 60));
        out.push(b'Z');
        String::from_utf8(out).unwrap_or_default()
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
        assert_eq!(Timestamp(0).to_iso(), "1970-01-01T00:00:00Z");
        assert_eq!(Timestamp(-1).to_iso(), "1969-12-31T23:59:59Z");
        assert_eq!(Timestamp(951_782_400).to_iso(), "2000-02-29T00:00:00Z");
        assert_eq!(Timestamp(i64::MAX).to_iso(), "1970-01-01T00:00:00Z");
    }

    proptest::proptest! {
        /// The hand-written formatter writes what jiff writes, over all
        /// the seconds jiff holds and a little past them.
        #[test]
        fn iso_is_what_jiff_writes(s in -377_705_200_000i64..=253_402_400_000i64) {
            let jiff = jiff::Timestamp::from_second(s)
                .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
                .unwrap_or_else(|_| "1970-01-01T00:00:00Z".into());
            proptest::prop_assert_eq!(Timestamp(s).to_iso(), jiff);
        }
    }
}
