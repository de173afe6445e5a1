//! Dates: `YYYY-MM-DD` (a whole day, UTC) or RFC 3339 date-times, compared by
//! their UTC calendar date.

use std::fmt;

use schemars::JsonSchema;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(jiff::civil::Date);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("`{text}` is not a date (write YYYY-MM-DD, or an RFC 3339 date-time with an offset)")]
pub struct DateError {
    pub text: String,
}

impl Date {
    /// Parses a whole-day date or an RFC 3339 date-time (converted to its UTC date).
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let error = || DateError {
            text: text.to_owned(),
        };
        let bytes = text.as_bytes();
        // Plain YYYY-MM-DD: exactly ten characters, so "2026-1-5" is rejected.
        if bytes.len() == 10 {
            if !is_day(bytes) {
                return Err(error());
            }
            return text
                .parse::<jiff::civil::Date>()
                .map(Date)
                .map_err(|_| error());
        }
        // A date-time must carry an explicit offset (RFC 3339), or it has no
        // UTC date. jiff alone also takes ISO 8601 forms beyond RFC 3339
        // (signed six-digit years, comma fractions), whose dates would not
        // print back as YYYY-MM-DD.
        if !is_rfc3339_date_time(bytes) {
            return Err(error());
        }
        let timestamp: jiff::Timestamp = text.parse().map_err(|_| error())?;
        let date = timestamp.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
        // 0000-01-01T00:00:00+01:00 is in year -1 in UTC.
        if date.year() < 0 {
            return Err(error());
        }
        Ok(Date(date))
    }

    pub fn from_ymd(year: i16, month: i8, day: i8) -> Option<Date> {
        jiff::civil::Date::new(year, month, day).ok().map(Date)
    }

    /// Today's date in UTC.
    pub fn today_utc() -> Date {
        Date(
            jiff::Timestamp::now()
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .date(),
        )
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        i64::from(
            later
                .0
                .since(self.0)
                .map(|span| span.get_days())
                .unwrap_or(0),
        )
    }

    /// `self` plus `days`, saturating at the calendar's limits.
    pub fn plus_days(self, days: i64) -> Date {
        let span = jiff::Span::new().days(days.clamp(-7_000_000, 7_000_000));
        self.0.checked_add(span).map(Date).unwrap_or(self)
    }
}

/// `YYYY-MM-DD` in shape (digits and dashes; the calendar is checked later).
fn is_day(bytes: &[u8]) -> bool {
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
}

/// RFC 3339 `date-time` in shape: `YYYY-MM-DD`, `T` (or `t` or a space),
/// `hh:mm:ss`, an optional `.fraction`, then `Z` or `±hh:mm`. The same
/// pattern as the JSON Schema of [`Date`].
fn is_rfc3339_date_time(bytes: &[u8]) -> bool {
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|part| part.iter().all(u8::is_ascii_digit))
    };
    let Some((day, rest)) = bytes.split_at_checked(10) else {
        return false;
    };
    let day_and_time = is_day(day)
        && matches!(rest.first(), Some(b'T' | b't' | b' '))
        && digits(11..13)
        && bytes.get(13) == Some(&b':')
        && digits(14..16)
        && bytes.get(16) == Some(&b':')
        && digits(17..19);
    if !day_and_time {
        return false;
    }
    let mut offset = 19;
    if bytes.get(offset) == Some(&b'.') {
        let fraction = bytes[offset + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if fraction == 0 {
            return false;
        }
        offset += 1 + fraction;
    }
    match bytes.get(offset..) {
        Some([b'Z' | b'z']) => true,
        Some([b'+' | b'-', ..]) => {
            bytes.len() == offset + 6
                && digits(offset + 1..offset + 3)
                && bytes[offset + 3] == b':'
                && digits(offset + 4..offset + 6)
        }
        _ => false,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A date, YYYY-MM-DD (a whole day, UTC), or an RFC 3339 date-time.",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2}))?$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_days_and_date_times_by_utc_date() {
        assert_eq!(Date::parse("2026-02-28").unwrap().to_string(), "2026-02-28");
        // 23:30 at -02:00 is already the next day in UTC.
        assert_eq!(
            Date::parse("2026-02-28T23:30:00-02:00")
                .unwrap()
                .to_string(),
            "2026-03-01"
        );
        assert_eq!(
            Date::parse("2026-02-28T10:00:00Z").unwrap().to_string(),
            "2026-02-28"
        );
        for text in [
            "2026-02-28t10:00:00.123456z",
            "2026-02-28 10:00:00+05:30",
            "0000-01-01T00:00:00-01:00",
        ] {
            assert!(Date::parse(text).is_ok(), "{text} should be accepted");
        }
    }

    #[test]
    fn rejects_malformed_dates() {
        for text in [
            "2026-2-28",
            "2026-02-30",
            "28/02/2026",
            "2026-02-28T10:00:00",
            "",
            "yesterday",
            // ISO 8601 beyond RFC 3339, which jiff alone accepts.
            "-000206-11-25T23:30:01,13-2000",
            "+002026-02-28T10:00:00Z",
            "2026-02-28T10:00:00,5Z",
            "2026-02-28T10:00:00+0100",
            "2026-02-28T10:00Z",
            "2026-02-28T10:00:00.Z",
            // A UTC date before year 0 would not print as YYYY-MM-DD.
            "0000-01-01T00:00:00+01:00",
        ] {
            assert!(Date::parse(text).is_err(), "{text} should be rejected");
        }
    }

    #[test]
    fn day_arithmetic() {
        let a = Date::parse("2026-01-31").unwrap();
        let b = Date::parse("2026-03-01").unwrap();
        assert_eq!(a.days_until(b), 29);
        assert_eq!(b.days_until(a), -29);
        assert_eq!(a.plus_days(29), b);
    }
}
