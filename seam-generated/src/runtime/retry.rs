//! The retry policy, as one pure function: [`decide`].
//!
//! The transport ([`Seam::send`](super::client)) classifies each failed HTTP
//! attempt as an [`Outcome`], asks [`decide`] whether to try again, sleeps
//! for the returned delay (plus a little jitter, see [`with_jitter`]) and
//! checks the whole-call deadline; nothing else in the crate decides about
//! retries.

use std::time::Duration;

/// Never wait longer than this between attempts: a larger `Retry-After`
/// means the error is returned at once instead.
pub(crate) const MAX_RETRY_DELAY: Duration = Duration::from_secs(10);

/// How one failed HTTP attempt ended, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The server answered with a non-2xx status; `retry_after` is its
    /// `Retry-After` header in seconds, if it sent a valid one.
    Status {
        status: u16,
        retry_after: Option<Duration>,
    },
    /// The attempt hit its per-attempt timeout: the server may or may not
    /// have acted on the request.
    Timeout,
    /// No connection could be made (refused, DNS, TLS handshake): the request
    /// never reached the server, so any operation may be sent again.
    ConnectFailed,
    /// Any other transport failure after the connection was made (reset
    /// connection, truncated body, ...): the server may have acted on it.
    Transport,
    /// A failure that sending again cannot fix (the request could not be
    /// built, a redirect loop, ...).
    Other,
}

/// Settings [`decide`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RetryOptions {
    /// How many retries are allowed after the first attempt.
    pub(crate) max_retries: u32,
    /// Delay before the first retry; doubled for every further one.
    pub(crate) base_delay: Duration,
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Return the attempt's error.
    Stop,
    /// Send the request again after this delay.
    RetryAfter(Duration),
}

/// Decides whether to retry after attempt number `attempt` (1 for the first
/// try) ended with `outcome`: the generic runtime's decision
/// (`codegen/runtime/retry.rs`, copied into `shared/`), which every generated
/// client shares, with Seam's cap on delays.
///
/// The policy:
/// - HTTP 429 and failed connections are retried for every operation;
///   timeouts, other transport failures and HTTP 500/502/503/504 only for
///   `idempotent` ones (never, for instance, `locks/unlock_door`); any
///   other status, and [`Outcome::Other`], is final.
/// - At most `options.max_retries` retries: attempt `max_retries + 1` is the last.
/// - The delay is the server's `Retry-After` when it sent one (a value above
///   10 s stops instead: waiting that long is not a transient hiccup), else
///   `base_delay * 2^(attempt - 1)`, at most 10 s.
pub(crate) fn decide(
    outcome: &Outcome,
    idempotent: bool,
    attempt: u32,
    options: &RetryOptions,
) -> Decision {
    use super::shared::retry as generic;
    let outcome = match *outcome {
        Outcome::Status {
            status,
            retry_after,
        } => generic::Outcome::Status {
            code: status,
            retry_after,
        },
        Outcome::Timeout => generic::Outcome::Timeout,
        Outcome::ConnectFailed => generic::Outcome::Connect,
        Outcome::Transport => generic::Outcome::OtherTransport,
        Outcome::Other => return Decision::Stop,
    };
    let policy = generic::RetryPolicy {
        max_retries: options.max_retries,
        base_delay: options.base_delay,
        max_delay: MAX_RETRY_DELAY,
    };
    // The generic decision counts retries from 0 (the first attempt).
    match generic::decide(outcome, idempotent, attempt.saturating_sub(1), &policy) {
        generic::Decision::Stop => Decision::Stop,
        generic::Decision::RetryAfter(delay) => Decision::RetryAfter(delay),
    }
}

/// Adds up to 99 ms of jitter to a retry delay (so that clients that failed
/// together do not retry in lockstep), staying within [`MAX_RETRY_DELAY`]
/// unless `delay` itself is above it.
pub(crate) fn with_jitter(delay: Duration) -> Duration {
    let jitter_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::from(d.subsec_nanos() % 100))
        .unwrap_or(0);
    delay
        .saturating_add(Duration::from_millis(jitter_ms))
        .min(delay.max(MAX_RETRY_DELAY))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: fn(u64) -> Duration = Duration::from_millis;
    const SECS: fn(u64) -> Duration = Duration::from_secs;

    fn status(status: u16) -> Outcome {
        Outcome::Status {
            status,
            retry_after: None,
        }
    }

    fn after(status: u16, after: Duration) -> Outcome {
        Outcome::Status {
            status,
            retry_after: Some(after),
        }
    }

    const CONNECT: Outcome = Outcome::ConnectFailed;
    const TIMEOUT: Outcome = Outcome::Timeout;
    const TRANSPORT: Outcome = Outcome::Transport;
    const OTHER: Outcome = Outcome::Other;

    /// The defaults: 2 retries, 250 ms first delay.
    const D: RetryOptions = RetryOptions {
        max_retries: 2,
        base_delay: Duration::from_millis(250),
    };

    #[test]
    fn decision_table() {
        use Decision::{RetryAfter, Stop};
        let no_retries = RetryOptions {
            max_retries: 0,
            ..D
        };
        let five = RetryOptions {
            max_retries: 5,
            base_delay: SECS(1),
        };
        let huge = RetryOptions {
            max_retries: 20,
            base_delay: MS(100),
        };
        let zero_base = RetryOptions {
            max_retries: 1,
            base_delay: Duration::ZERO,
        };
        let absurd = RetryOptions {
            max_retries: u32::MAX,
            base_delay: Duration::MAX,
        };
        let endless = RetryOptions {
            max_retries: u32::MAX,
            base_delay: MS(1),
        };
        // (outcome, idempotent, attempt, options, expected)
        let rows: Vec<(Outcome, bool, u32, RetryOptions, Decision)> = vec![
            // Statuses retried for idempotent operations only.
            (status(500), true, 1, D, RetryAfter(MS(250))),
            (status(502), true, 1, D, RetryAfter(MS(250))),
            (status(503), true, 1, D, RetryAfter(MS(250))),
            (status(504), true, 1, D, RetryAfter(MS(250))),
            (status(500), false, 1, D, Stop),
            (status(502), false, 1, D, Stop),
            (status(503), false, 1, D, Stop),
            (status(504), false, 1, D, Stop),
            // 429 for every operation.
            (status(429), true, 1, D, RetryAfter(MS(250))),
            (status(429), false, 1, D, RetryAfter(MS(250))),
            // Other statuses are final, whatever the operation.
            (status(400), true, 1, D, Stop),
            (status(401), true, 1, D, Stop),
            (status(403), true, 1, D, Stop),
            (status(404), true, 1, D, Stop),
            (status(408), true, 1, D, Stop),
            (status(409), true, 1, D, Stop),
            (status(413), true, 1, D, Stop),
            (status(501), true, 1, D, Stop),
            (status(505), true, 1, D, Stop),
            (status(599), true, 1, D, Stop),
            (status(302), true, 1, D, Stop),
            // Transport failures.
            (TIMEOUT, true, 1, D, RetryAfter(MS(250))),
            (TIMEOUT, false, 1, D, Stop),
            (CONNECT, true, 1, D, RetryAfter(MS(250))),
            (CONNECT, false, 1, D, RetryAfter(MS(250))),
            (TRANSPORT, true, 1, D, RetryAfter(MS(250))),
            (TRANSPORT, false, 1, D, Stop),
            (OTHER, true, 1, D, Stop),
            (OTHER, false, 1, D, Stop),
            // Exponential backoff: 250, 500 ms, then out of retries.
            (status(503), true, 2, D, RetryAfter(MS(500))),
            (status(503), true, 3, D, Stop),
            (CONNECT, false, 2, D, RetryAfter(MS(500))),
            (CONNECT, false, 3, D, Stop),
            (status(429), false, 3, D, Stop),
            (TIMEOUT, true, 3, D, Stop),
            // More retries: 1, 2, 4, 8 s, then capped at 10 s.
            (status(500), true, 1, five, RetryAfter(SECS(1))),
            (status(500), true, 2, five, RetryAfter(SECS(2))),
            (status(500), true, 3, five, RetryAfter(SECS(4))),
            (status(500), true, 4, five, RetryAfter(SECS(8))),
            (status(500), true, 5, five, RetryAfter(SECS(10))),
            (status(500), true, 6, five, Stop),
            // Doubling goes on until the 10 s cap (100 ms × 2^6 = 6.4 s, then 10 s).
            (status(500), true, 7, huge, RetryAfter(MS(6400))),
            (status(500), true, 8, huge, RetryAfter(SECS(10))),
            (status(500), true, 20, huge, RetryAfter(SECS(10))),
            (status(500), true, 21, huge, Stop),
            // No retries at all.
            (status(429), false, 1, no_retries, Stop),
            (CONNECT, true, 1, no_retries, Stop),
            (status(503), true, 1, no_retries, Stop),
            // Retry-After is honoured up to 10 s, instead of the backoff.
            (after(429, SECS(1)), false, 1, D, RetryAfter(SECS(1))),
            (after(429, MS(0)), false, 2, D, RetryAfter(MS(0))),
            (after(429, SECS(10)), true, 1, D, RetryAfter(SECS(10))),
            (after(503, MS(1500)), true, 1, D, RetryAfter(MS(1500))),
            (after(503, SECS(3)), true, 2, D, RetryAfter(SECS(3))),
            // ... a longer one stops at once.
            (after(429, MS(10_001)), true, 1, D, Stop),
            (after(503, SECS(60)), true, 1, D, Stop),
            // ... and it never makes a final outcome retryable.
            (after(503, SECS(1)), false, 1, D, Stop),
            (after(400, SECS(1)), true, 1, D, Stop),
            (after(429, SECS(1)), true, 3, D, Stop),
            // A zero base delay retries at once.
            (status(500), true, 1, zero_base, RetryAfter(Duration::ZERO)),
            // Attempt 0 is treated like the first.
            (status(500), true, 0, D, RetryAfter(MS(250))),
            // Saturating arithmetic with absurd settings.
            (status(500), true, 1, absurd, RetryAfter(SECS(10))),
            (status(500), true, u32::MAX, endless, RetryAfter(SECS(10))),
        ];
        for (i, (outcome, idempotent, attempt, options, expected)) in rows.iter().enumerate() {
            assert_eq!(
                decide(outcome, *idempotent, *attempt, options),
                *expected,
                "row {i}: {outcome:?}, idempotent {idempotent}, attempt {attempt}, {options:?}"
            );
        }
    }

    #[test]
    fn jitter_stays_small_and_within_the_cap() {
        for delay in [MS(0), MS(250), SECS(9), SECS(10)] {
            let j = with_jitter(delay);
            assert!(j >= delay && j < delay + MS(100), "{delay:?} -> {j:?}");
            assert!(j <= MAX_RETRY_DELAY, "{delay:?} -> {j:?}");
        }
    }
}
