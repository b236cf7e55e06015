//! [`Timestamp`]: the type of `format: date-time` (and `date`) values, in requests and responses.
//!
//! A timestamp keeps the text the server sent (or the caller gave) and the instant it names:
//! - it compares, orders and hashes as an instant (`2030-01-01T16:00:00Z` equals
//!   `2030-01-01T16:00:00.000Z`);
//! - it prints and serializes as the exact text, so a value read and sent back is unchanged;
//! - text that is not RFC 3339 never fails the decoding of a response: it is kept, [`Timestamp::as_str`]
//!   gives it and [`Timestamp::instant`] is `None`.
//!
//! Pure: std and serde only.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A point in time, as RFC 3339 text (`2030-01-01T16:00:00Z`) and the instant it names.
///
/// Build one from a [`SystemTime`] (`Timestamp::from(SystemTime::now())`, [`Timestamp::now`]), from
/// RFC 3339 text (`"2030-01-01T16:00:00Z".parse()`, which checks it, or `Timestamp::from("...")`,
/// which keeps any text), or from seconds since the Unix epoch ([`Timestamp::from_unix`]).
#[derive(Clone)]
pub struct Timestamp {
    text: String,
    instant: Option<Instant>,
}

/// Seconds and nanoseconds since the Unix epoch (seconds may be negative; nanos in `0..1e9`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Instant {
    secs: i64,
    nanos: u32,
}

/// Text that is not an RFC 3339 date-time (nor a `YYYY-MM-DD` date).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError {
    text: String,
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not an RFC 3339 date-time (like `2030-01-01T16:00:00Z`)",
            self.text
        )
    }
}

impl std::error::Error for TimestampError {}

impl Timestamp {
    /// The current time.
    pub fn now() -> Timestamp {
        Timestamp::from(SystemTime::now())
    }

    /// Checks and keeps RFC 3339 text (`2030-01-01T16:00:00Z`, `2030-01-01T17:00:00.5+01:00`) or a
    /// `YYYY-MM-DD` date (midnight UTC).
    pub fn parse(text: &str) -> Result<Timestamp, TimestampError> {
        match parse_instant(text) {
            Some(instant) => Ok(Timestamp {
                text: text.to_string(),
                instant: Some(instant),
            }),
            None => Err(TimestampError {
                text: text.to_string(),
            }),
        }
    }

    /// The instant `secs` seconds and `nanos` nanoseconds after the Unix epoch (before it for
    /// negative `secs`), as RFC 3339 text in UTC. `None` past year 9999 or before year 0.
    pub fn from_unix(secs: i64, nanos: u32) -> Option<Timestamp> {
        let instant = Instant {
            secs: secs.checked_add(i64::from(nanos / 1_000_000_000))?,
            nanos: nanos % 1_000_000_000,
        };
        let text = format_instant(instant)?;
        Some(Timestamp {
            text,
            instant: Some(instant),
        })
    }

    /// The text, exactly as received or given.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the text is a date-time this type understands (else only [`as_str`](Self::as_str)
    /// has it).
    pub fn is_valid(&self) -> bool {
        self.instant.is_some()
    }

    /// Seconds and nanoseconds since the Unix epoch; `None` when the text is not RFC 3339.
    pub fn unix(&self) -> Option<(i64, u32)> {
        self.instant.map(|i| (i.secs, i.nanos))
    }

    /// Seconds since the Unix epoch (rounded down); `None` when the text is not RFC 3339.
    pub fn unix_seconds(&self) -> Option<i64> {
        self.instant.map(|i| i.secs)
    }

    /// The instant as a [`SystemTime`]; `None` when the text is not RFC 3339.
    pub fn to_system_time(&self) -> Option<SystemTime> {
        let i = self.instant?;
        if i.secs >= 0 {
            UNIX_EPOCH.checked_add(Duration::new(i.secs.unsigned_abs(), i.nanos))
        } else {
            UNIX_EPOCH
                .checked_sub(Duration::from_secs(i.secs.unsigned_abs()))?
                .checked_add(Duration::from_nanos(u64::from(i.nanos)))
        }
    }

    /// The text, owned.
    pub fn into_string(self) -> String {
        self.text
    }
}

/// For tests (cargo feature `test-util`): the Unix epoch, `1970-01-01T00:00:00Z`, the placeholder
/// of a required time in a response built from `Default`.
#[cfg(feature = "test-util")]
impl Default for Timestamp {
    fn default() -> Timestamp {
        Timestamp {
            text: "1970-01-01T00:00:00Z".to_string(),
            instant: Some(Instant { secs: 0, nanos: 0 }),
        }
    }
}

impl From<SystemTime> for Timestamp {
    /// RFC 3339 in UTC, with as many fraction digits as the time has (`…T16:00:00Z`,
    /// `…T16:00:00.250Z`). A time past year 9999 is written as 9999-12-31T23:59:59.999999999Z.
    fn from(time: SystemTime) -> Timestamp {
        let instant = match time.duration_since(UNIX_EPOCH) {
            Ok(d) => Instant {
                secs: i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                nanos: d.subsec_nanos(),
            },
            Err(e) => {
                let d = e.duration();
                let secs = i64::try_from(d.as_secs()).map_or(i64::MIN, |s| -s);
                if d.subsec_nanos() == 0 {
                    Instant { secs, nanos: 0 }
                } else {
                    Instant {
                        secs: secs.saturating_sub(1),
                        nanos: 1_000_000_000 - d.subsec_nanos(),
                    }
                }
            }
        };
        let instant = instant.clamp(MIN_INSTANT, MAX_INSTANT);
        let text = format_instant(instant).unwrap_or_default();
        Timestamp {
            text,
            instant: Some(instant),
        }
    }
}

impl From<&str> for Timestamp {
    /// Keeps any text; a text that is not RFC 3339 has no instant (and the server will refuse it).
    fn from(text: &str) -> Timestamp {
        Timestamp {
            instant: parse_instant(text),
            text: text.to_string(),
        }
    }
}

impl From<String> for Timestamp {
    /// Keeps any text; a text that is not RFC 3339 has no instant (and the server will refuse it).
    fn from(text: String) -> Timestamp {
        Timestamp {
            instant: parse_instant(&text),
            text,
        }
    }
}

impl From<&String> for Timestamp {
    fn from(text: &String) -> Timestamp {
        Timestamp::from(text.as_str())
    }
}

impl From<&Timestamp> for Timestamp {
    fn from(t: &Timestamp) -> Timestamp {
        t.clone()
    }
}

impl FromStr for Timestamp {
    type Err = TimestampError;
    fn from_str(text: &str) -> Result<Timestamp, TimestampError> {
        Timestamp::parse(text)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({:?})", self.text)
    }
}

impl PartialEq for Timestamp {
    /// The same instant (whatever the text's offset or fraction digits); texts that are not RFC
    /// 3339 are equal when they are the same text.
    fn eq(&self, other: &Timestamp) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Timestamp {}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Timestamp) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    /// Earlier instants first; texts that are not RFC 3339 after every instant, by text.
    fn cmp(&self, other: &Timestamp) -> Ordering {
        match (self.instant, other.instant) {
            (Some(a), Some(b)) => a.cmp(&b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => self.text.cmp(&other.text),
        }
    }
}

impl Hash for Timestamp {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self.instant {
            Some(i) => i.hash(state),
            None => self.text.hash(state),
        }
    }
}

impl PartialEq<str> for Timestamp {
    /// The same instant as the text (or, for text that is not RFC 3339, the same text).
    fn eq(&self, other: &str) -> bool {
        match (self.instant, parse_instant(other)) {
            (Some(a), Some(b)) => a == b,
            (None, None) => self.text == other,
            _ => false,
        }
    }
}

impl PartialEq<&str> for Timestamp {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

impl PartialEq<SystemTime> for Timestamp {
    fn eq(&self, other: &SystemTime) -> bool {
        self.to_system_time().as_ref() == Some(other)
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    /// Any string: text that is not RFC 3339 is kept (see [`Timestamp::is_valid`]).
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 date-time string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Timestamp, E> {
                Ok(Timestamp::from(v))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Timestamp, E> {
                Ok(Timestamp::from(v))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999999999Z: the range RFC 3339 can write.
const MIN_INSTANT: Instant = Instant {
    secs: -62_167_219_200,
    nanos: 0,
};
const MAX_INSTANT: Instant = Instant {
    secs: 253_402_300_799,
    nanos: 999_999_999,
};

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// RFC 3339 text in UTC with the fraction trimmed to milli-, micro- or nanoseconds.
fn format_instant(i: Instant) -> Option<String> {
    if i < MIN_INSTANT || i > MAX_INSTANT {
        return None;
    }
    let days = i.secs.div_euclid(86_400);
    let secs = i.secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    // Milli-, micro- or nanoseconds: the fewest digits that keep the value.
    let (millis, micros) = (i.nanos / 1_000_000, i.nanos / 1_000);
    let fraction = if i.nanos == 0 {
        String::new()
    } else if millis * 1_000_000 == i.nanos {
        format!(".{millis:03}")
    } else if micros * 1_000 == i.nanos {
        format!(".{micros:06}")
    } else {
        format!(".{:09}", i.nanos)
    };
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}{fraction}Z"
    ))
}

/// Reads `n` ASCII digits at `at`.
fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let part = b.get(at..at + n)?;
    part.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

/// RFC 3339 `date-time` (`T`, `t` or a space between date and time; `Z`, `z` or `±hh:mm`), or a
/// full-date alone (midnight UTC).
fn parse_instant(text: &str) -> Option<Instant> {
    let b = text.as_bytes();
    let year = i64::from(digits(b, 0, 4)?);
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    if b.len() == 10 {
        return Some(Instant {
            secs: days * 86_400,
            nanos: 0,
        });
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let (h, m, s) = (digits(b, 11, 2)?, digits(b, 14, 2)?, digits(b, 17, 2)?);
    if b.get(13) != Some(&b':') || b.get(16) != Some(&b':') || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let mut at = 19;
    let mut nanos = 0u32;
    if b.get(at) == Some(&b'.') {
        at += 1;
        let start = at;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            if at - start < 9 {
                nanos = nanos * 10 + u32::from(b[at] - b'0');
            }
            at += 1;
        }
        if at == start {
            return None;
        }
        for _ in (at - start)..9 {
            nanos *= 10;
        }
    }
    let offset: i64 = match b.get(at)? {
        b'Z' | b'z' if b.len() == at + 1 => 0,
        sign @ (b'+' | b'-') if b.len() == at + 6 => {
            let (oh, om) = (digits(b, at + 1, 2)?, digits(b, at + 4, 2)?);
            if b[at + 3] != b':' || oh > 23 || om > 59 {
                return None;
            }
            let o = i64::from(oh * 3600 + om * 60);
            if *sign == b'-' {
                -o
            } else {
                o
            }
        }
        _ => return None,
    };
    // A leap second (`:60`) is the second after `:59`.
    let secs = days * 86_400 + i64::from(h * 3600 + m * 60 + s) - offset;
    Some(Instant { secs, nanos })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_of_one_instant_are_equal_and_keep_their_text() {
        let a: Timestamp = "2030-01-01T16:00:00Z".parse().expect("valid");
        let b = Timestamp::from("2030-01-01T16:00:00.000Z");
        let c = Timestamp::from("2030-01-01T17:00:00+01:00");
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_eq!(b.to_string(), "2030-01-01T16:00:00.000Z");
        assert_eq!(a, "2030-01-01T16:00:00.000Z");
        let later = Timestamp::from("2030-01-01T16:00:00.001Z");
        assert!(a < later);
        assert!(a != "2030-01-01T16:00:00.001Z" && a != "soon");
        assert_eq!(a.unix_seconds(), Some(1_893_513_600));
    }

    #[test]
    fn system_times_round_trip() {
        for (secs, nanos, text) in [
            (0, 0, "1970-01-01T00:00:00Z"),
            (1_893_513_600, 250_000_000, "2030-01-01T16:00:00.250Z"),
            (951_782_400, 1_000, "2000-02-29T00:00:00.000001Z"),
            (-1, 5, "1969-12-31T23:59:59.000000005Z"),
        ] {
            let t = Timestamp::from_unix(secs, nanos).expect("in range");
            assert_eq!(t.as_str(), text);
            assert_eq!(
                Timestamp::parse(text).expect("parses").unix(),
                Some((secs, nanos))
            );
            let system = t.to_system_time().expect("a system time");
            assert_eq!(Timestamp::from(system), t);
            assert_eq!(Timestamp::from(system).as_str(), text);
        }
    }

    #[test]
    fn other_text_is_kept_not_refused() {
        for text in [
            "",
            "yesterday",
            "2030-02-30T00:00:00Z",
            "2030-01-01T24:00:00Z",
            "2030-01-01T16:00:00",
            "2030-01-01T16:00:00.Z",
            "2030-01-01T16:00:00+0100",
        ] {
            assert!(Timestamp::parse(text).is_err(), "{text}");
            let t: Timestamp = serde_json::from_value(serde_json::json!(text)).expect("kept");
            assert_eq!(t.as_str(), text);
            assert!(!t.is_valid());
            assert_eq!(serde_json::to_value(&t).expect("serializes"), text);
        }
        assert!(serde_json::from_value::<Timestamp>(serde_json::json!(5)).is_err());
        assert_eq!(
            Timestamp::parse("2030-01-01")
                .expect("a date")
                .unix_seconds(),
            Some(1_893_456_000)
        );
        assert!(Timestamp::parse("2030-01-01t16:00:00.123456789123z").is_ok());
    }
}
