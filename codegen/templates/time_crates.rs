//! [`Timestamp`] conversions to and from the common time crates' types, each behind the cargo
//! feature of the crate's name (`chrono`, `time`, `jiff`): none is forced on users.
//!
//! Into a timestamp: `From` (text in UTC, like `From<SystemTime>`). Out of one: `to_chrono()`,
//! `to_time()`, `to_jiff()`, `None` when the server's text is not RFC 3339.

use super::timestamp::Timestamp;

/// A timestamp from Unix seconds and nanoseconds, else (out of RFC 3339's years) the given text.
fn from_unix_or(secs: i64, nanos: u32, text: impl FnOnce() -> String) -> Timestamp {
    Timestamp::from_unix(secs, nanos).unwrap_or_else(|| Timestamp::from(text()))
}

#[cfg(feature = "chrono")]
impl<Tz: chrono::TimeZone> From<chrono::DateTime<Tz>> for Timestamp {
    fn from(t: chrono::DateTime<Tz>) -> Timestamp {
        from_unix_or(t.timestamp(), t.timestamp_subsec_nanos(), || {
            t.to_utc().to_rfc3339()
        })
    }
}

#[cfg(feature = "chrono")]
impl Timestamp {
    /// The instant as a `chrono::DateTime<Utc>` (feature `chrono`); `None` when the text is not
    /// RFC 3339.
    pub fn to_chrono(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        let (secs, nanos) = self.unix()?;
        chrono::DateTime::from_timestamp(secs, nanos)
    }
}

#[cfg(feature = "time")]
impl From<time::OffsetDateTime> for Timestamp {
    fn from(t: time::OffsetDateTime) -> Timestamp {
        from_unix_or(t.unix_timestamp(), t.nanosecond(), || {
            format!("{}", t.to_offset(time::UtcOffset::UTC))
        })
    }
}

#[cfg(feature = "time")]
impl Timestamp {
    /// The instant as a `time::OffsetDateTime` in UTC (feature `time`); `None` when the text is
    /// not RFC 3339.
    pub fn to_time(&self) -> Option<time::OffsetDateTime> {
        let (secs, nanos) = self.unix()?;
        let t = time::OffsetDateTime::from_unix_timestamp(secs).ok()?;
        t.replace_nanosecond(nanos).ok()
    }
}

#[cfg(feature = "jiff")]
impl From<jiff::Timestamp> for Timestamp {
    fn from(t: jiff::Timestamp) -> Timestamp {
        // jiff's range (years -9999..=9999) is wider below year 0 only.
        let nanos = u32::try_from(t.subsec_nanosecond()).ok();
        match nanos {
            Some(nanos) => from_unix_or(t.as_second(), nanos, || t.to_string()),
            // A negative sub-second part: the second before, plus the complement.
            None => {
                let nanos = u32::try_from(1_000_000_000 + t.subsec_nanosecond()).unwrap_or(0);
                from_unix_or(t.as_second() - 1, nanos, || t.to_string())
            }
        }
    }
}

#[cfg(feature = "jiff")]
impl Timestamp {
    /// The instant as a `jiff::Timestamp` (feature `jiff`); `None` when the text is not RFC 3339.
    pub fn to_jiff(&self) -> Option<jiff::Timestamp> {
        let (secs, nanos) = self.unix()?;
        jiff::Timestamp::new(secs, i32::try_from(nanos).ok()?).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::Timestamp;

    #[cfg(feature = "chrono")]
    #[test]
    fn chrono_round_trips() {
        let t = chrono::DateTime::from_timestamp(1_893_513_600, 250_000_000).expect("a time");
        let ts = Timestamp::from(t);
        assert_eq!(ts.as_str(), "2030-01-01T16:00:00.250Z");
        assert_eq!(ts.to_chrono(), Some(t));
        assert_eq!(Timestamp::from("soon").to_chrono(), None);
    }

    #[cfg(feature = "time")]
    #[test]
    fn time_round_trips() {
        let t = time::OffsetDateTime::from_unix_timestamp(1_893_513_600).expect("a time");
        let ts = Timestamp::from(t);
        assert_eq!(ts.as_str(), "2030-01-01T16:00:00Z");
        assert_eq!(ts.to_time(), Some(t));
    }

    #[cfg(feature = "jiff")]
    #[test]
    fn jiff_round_trips() {
        let t = jiff::Timestamp::new(-1, -500_000_000).expect("a time");
        let ts = Timestamp::from(t);
        assert_eq!(ts.as_str(), "1969-12-31T23:59:58.500Z");
        assert_eq!(ts.to_jiff(), Some(t));
    }
}
