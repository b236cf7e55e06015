//! The retry decision: one pure function of what happened ([`decide`]), plus `Retry-After` parsing
//! (std only). The transport loop (`transport.rs`) is its only caller.
//!
//! Conventions, shared by every client built on this runtime: attempts are numbered from 1 (the
//! first attempt is attempt 1, the first retry attempt 2); the delay before the retry that follows
//! attempt `n` is `base_delay × 2^(n-1)`, 250 ms for the first by default.

use std::time::{Duration, SystemTime};

/// When and how often failed requests are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (default 2, so at most 3 attempts).
    pub max_retries: u32,
    /// Delay before the first retry; doubled for every further one (default 250 ms).
    pub base_delay: Duration,
    /// The longest wait between two attempts (default 10 s): a longer `Retry-After` means the
    /// failure is returned instead, and backoff delays are capped at it.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(10),
        }
    }
}

/// What one attempt came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The server answered with this status (and maybe a `Retry-After`).
    Status {
        /// The HTTP status code.
        code: u16,
        /// The parsed `Retry-After` header, if any.
        retry_after: Option<Duration>,
    },
    /// The attempt timed out (the request may have reached the server).
    Timeout,
    /// No connection could be made (the request never reached the server).
    Connect,
    /// Any other transport failure after the connection was made (for instance a connection reset
    /// mid-response): the server may have acted on the request.
    OtherTransport,
    /// A failure that sending again cannot fix (the request could not be built, a redirect loop,
    /// ...): never retried.
    Other,
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Return the failure.
    Stop,
    /// Wait this long, then try again.
    RetryAfter(Duration),
}

/// Decides whether to retry after attempt number `attempt` (1 for the first; 0 counts as 1) ended
/// in `outcome`.
///
/// Any request is retried on 429 and on a failed connection (the server never saw it); only
/// idempotent ones on 500, 502, 503, 504, timeouts and other transport failures; never on other
/// statuses or [`Outcome::Other`]. Never more than `policy.max_retries` retries: attempt
/// `max_retries + 1` is the last. The delay is the server's `Retry-After` when given (a longer one
/// than `policy.max_delay` stops instead: waiting that long is not a transient hiccup), else
/// `base_delay × 2^(attempt-1)` capped at `max_delay`.
pub fn decide(outcome: Outcome, idempotent: bool, attempt: u32, policy: &RetryPolicy) -> Decision {
    let retries_done = attempt.saturating_sub(1);
    if retries_done >= policy.max_retries {
        return Decision::Stop;
    }
    let (retryable, retry_after) = match outcome {
        Outcome::Status {
            code: 429,
            retry_after,
        } => (true, retry_after),
        Outcome::Status {
            code: 500 | 502..=504,
            retry_after,
        } => (idempotent, retry_after),
        Outcome::Status { .. } => (false, None),
        Outcome::Connect => (true, None),
        Outcome::Timeout | Outcome::OtherTransport => (idempotent, None),
        Outcome::Other => (false, None),
    };
    if !retryable {
        return Decision::Stop;
    }
    match retry_after {
        Some(d) if d > policy.max_delay => Decision::Stop,
        Some(d) => Decision::RetryAfter(d),
        None => Decision::RetryAfter(backoff(retries_done, policy)),
    }
}

/// `base_delay × 2^retries_done`, at most `max_delay`.
fn backoff(retries_done: u32, policy: &RetryPolicy) -> Duration {
    let factor = 1u32.checked_shl(retries_done.min(31)).unwrap_or(u32::MAX);
    policy
        .base_delay
        .checked_mul(factor)
        .unwrap_or(policy.max_delay)
        .min(policy.max_delay)
}

/// Parses a `Retry-After` value: delay seconds (`120`, fractions allowed) or an HTTP date
/// (`Sun, 06 Nov 1994 08:49:37 GMT`, compared with `now`; a past date is zero). `None` when
/// unreadable.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(1e9)));
    }
    let at = http_date_seconds(value)?;
    let now = now.duration_since(SystemTime::UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(at.saturating_sub(now)))
}

/// Seconds since the Unix epoch of an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn http_date_seconds(value: &str) -> Option<u64> {
    let mut it = value.split_ascii_whitespace();
    let _weekday = it.next()?.strip_suffix(',')?;
    let day: u64 = it.next()?.parse().ok()?;
    let month = match it.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: u64 = it.next()?.parse().ok()?;
    let mut hms = it.next()?.split(':').map(|p| p.parse::<u64>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    if it.next()? != "GMT" || it.next().is_some() || hms.next().is_some() {
        return None;
    }
    if !(1970..=9999).contains(&year) || !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    // Days from 1970-01-01 to the civil date (proleptic Gregorian; Howard Hinnant's algorithm).
    let (y, mo) = if month <= 2 {
        (year - 1, month + 9)
    } else {
        (year, month - 3)
    };
    let era = y / 400;
    let yoe = y - era * 400;
    let doy = (153 * mo + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = (era * 146_097 + doe).checked_sub(719_468)?;
    Some(days * 86_400 + h * 3600 + m * 60 + s)
}
