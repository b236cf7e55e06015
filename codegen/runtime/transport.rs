//! The transport loop: one call's attempts, the per-attempt timeout and the whole-call deadline,
//! the retry decision ([`retry::decide`]) with its delays, and `Retry-After` (delay seconds or an
//! HTTP date, [`retry::parse_retry_after`]). Every client built on this runtime sends through
//! [`send`], the generic [`Client`](super::Client) as well as the Seam SDK's.
//!
//! It knows nothing of URLs, credentials or error models: the caller's [`Layer`] builds each
//! attempt's request (re-reading credentials if it wants) and turns what went wrong into its own
//! error type.
//!
//! The rules, written only here:
//! - Attempts are numbered from 1. After a failed attempt `n`, [`retry::decide`] says whether to try
//!   again and after which delay; a little jitter (under 100 ms, never past the policy's
//!   `max_delay`) is added so that clients that failed together do not retry in lockstep.
//! - Each attempt, from sending to the end of the body, is bounded by `attempt_timeout`, and by
//!   what is left of `call_timeout`. When the deadline is what ends an attempt, the call ends
//!   ([`Failure::DeadlineCut`]).
//! - No attempt starts at or after the deadline: a retry whose delay would end there is not made
//!   ([`Failure::DeadlineBeforeRetry`]).

use super::retry::{self, Decision, Outcome, RetryPolicy};
use bytes::Bytes;
use reqwest::header::HeaderMap;
use std::time::{Duration, SystemTime};
use tokio::time::Instant;

/// The jitter added to a retry delay is under this many nanoseconds (100 ms).
const MAX_JITTER_NANOS: u64 = 100_000_000;

/// The limits of one call. Its [`Default`] is every client's default: the retries of
/// [`RetryPolicy::default`], 30 s per attempt, no whole-call deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// How often and after which delays failed attempts are retried.
    pub retry: RetryPolicy,
    /// The limit of each attempt, from sending to the end of the body.
    pub attempt_timeout: Duration,
    /// The limit of the whole call, all attempts and retry delays included (`None`: no limit
    /// beyond the attempts' own).
    pub call_timeout: Option<Duration>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            retry: RetryPolicy::default(),
            attempt_timeout: Duration::from_secs(30),
            call_timeout: None,
        }
    }
}

/// A response, with its whole body.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The HTTP status code.
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

/// How one attempt failed.
#[derive(Debug)]
pub enum AttemptError {
    /// The server answered with a status outside 2xx.
    Status(Reply),
    /// No answer within the per-attempt timeout (this long).
    Timeout(Duration),
    /// The request could not be sent, or its response not read.
    Transport(reqwest::Error),
}

/// How a call failed, in the caller's error type `E`.
// Not every client reads every field (the generic client's errors have no attempt count).
#[allow(dead_code)]
#[derive(Debug)]
pub enum Failure<E> {
    /// Attempt `attempts` failed with `error`, which is not retried (not retryable, no retries
    /// left, or a `Retry-After` beyond the policy's `max_delay`), or its request could not be built.
    Failed {
        /// Attempts made, this one included.
        attempts: u32,
        /// Its error.
        error: E,
    },
    /// The whole-call deadline passed while attempt `attempts` was in flight.
    DeadlineCut {
        /// Attempts started, the one cut short included.
        attempts: u32,
        /// The error of the attempt before it, if there was one.
        last: Option<E>,
    },
    /// Attempt `attempts` failed with `error` and could be retried, but not before the deadline.
    DeadlineBeforeRetry {
        /// Attempts made.
        attempts: u32,
        /// The last attempt's error.
        error: E,
    },
}

/// What a client puts around the transport loop.
pub trait Layer {
    /// The client's error type.
    type Error;

    /// The request of attempt `attempt` (1 for the first), without its timeout (the loop applies
    /// it). An error ends the call with [`Failure::Failed`].
    fn request(&self, attempt: u32) -> Result<reqwest::RequestBuilder, Self::Error>;

    /// The error of a failed attempt.
    fn error(&self, failure: AttemptError) -> Self::Error;

    /// Attempt `attempt` ended: with a response (its status and headers, 2xx or not), or without
    /// one (`None`: timed out, failed to send or read, or cut short by the deadline). For tracing.
    fn attempt_ended(&self, _attempt: u32, _response: Option<(u16, &HeaderMap)>) {}

    /// Attempt `attempt` failed with `error`, and the next one starts after `delay`. For tracing.
    fn retrying(&self, _attempt: u32, _delay: Duration, _error: &Self::Error) {}
}

/// Sends one call: attempts until one answers 2xx (its [`Reply`]), the retry decision stops, or
/// the deadline passes. `idempotent`: whether the request may be sent again after the server may
/// have acted on it (see [`retry::decide`]).
pub async fn send<L: Layer>(
    layer: &L,
    policy: &Policy,
    idempotent: bool,
) -> Result<Reply, Failure<L::Error>> {
    // `None` also when the deadline is too far away to represent.
    let deadline = policy
        .call_timeout
        .and_then(|t| Instant::now().checked_add(t));
    let mut attempt: u32 = 1;
    let mut last: Option<L::Error> = None;
    loop {
        let request = layer.request(attempt).map_err(|error| Failure::Failed {
            attempts: attempt,
            error,
        })?;
        let left = deadline.map(|at| at.saturating_duration_since(Instant::now()));
        let limit = left.map_or(policy.attempt_timeout, |l| l.min(policy.attempt_timeout));
        let result = tokio::time::timeout(limit, run_attempt(request)).await;
        let (outcome, failure) = match result {
            Ok(Ok(reply)) if (200..300).contains(&reply.status) => {
                layer.attempt_ended(attempt, Some((reply.status, &reply.headers)));
                return Ok(reply);
            }
            Ok(Ok(reply)) => {
                layer.attempt_ended(attempt, Some((reply.status, &reply.headers)));
                let retry_after = reply
                    .headers
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| retry::parse_retry_after(v, SystemTime::now()));
                let outcome = Outcome::Status {
                    code: reply.status,
                    retry_after,
                };
                (outcome, AttemptError::Status(reply))
            }
            Ok(Err(e)) => {
                layer.attempt_ended(attempt, None);
                (classify(&e), AttemptError::Transport(e))
            }
            Err(_elapsed) => {
                layer.attempt_ended(attempt, None);
                if left.is_some_and(|l| l < policy.attempt_timeout) {
                    return Err(Failure::DeadlineCut {
                        attempts: attempt,
                        last,
                    });
                }
                (
                    Outcome::Timeout,
                    AttemptError::Timeout(policy.attempt_timeout),
                )
            }
        };
        let error = layer.error(failure);
        let delay = match retry::decide(outcome, idempotent, attempt, &policy.retry) {
            Decision::Stop => {
                return Err(Failure::Failed {
                    attempts: attempt,
                    error,
                })
            }
            Decision::RetryAfter(delay) => with_jitter(delay, policy.retry.max_delay),
        };
        let next_start = Instant::now().checked_add(delay);
        if deadline.is_some_and(|at| next_start.is_none_or(|start| start >= at)) {
            return Err(Failure::DeadlineBeforeRetry {
                attempts: attempt,
                error,
            });
        }
        layer.retrying(attempt, delay, &error);
        tokio::time::sleep(delay).await;
        last = Some(error);
        attempt = attempt.saturating_add(1);
    }
}

/// One attempt: send, then read the whole body.
async fn run_attempt(request: reqwest::RequestBuilder) -> Result<Reply, reqwest::Error> {
    let response = request.send().await?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.bytes().await?;
    Ok(Reply {
        status,
        headers,
        body,
    })
}

/// What a transport error means for retrying.
fn classify(e: &reqwest::Error) -> Outcome {
    if e.is_connect() {
        Outcome::Connect
    } else if e.is_timeout() {
        Outcome::Timeout
    } else if e.is_request() || e.is_body() {
        Outcome::OtherTransport
    } else {
        // Building the request, a redirect loop, ...: sending again cannot help.
        Outcome::Other
    }
}

/// `delay` plus under 100 ms of jitter, staying within `max_delay` unless `delay` itself is
/// above it.
fn with_jitter(delay: Duration, max_delay: Duration) -> Duration {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let jitter = Duration::from_nanos(u64::from(nanos) % MAX_JITTER_NANOS);
    delay.saturating_add(jitter).min(delay.max(max_delay))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_stays_under_100_ms_and_within_the_cap() {
        let ms = Duration::from_millis;
        let cap = Duration::from_secs(10);
        for delay in [ms(0), ms(250), ms(9_950), cap] {
            let j = with_jitter(delay, cap);
            assert!(j >= delay && j < delay + ms(100), "{delay:?} -> {j:?}");
            assert!(j <= cap, "{delay:?} -> {j:?}");
        }
        // A delay above the cap (a caller's own policy) is not cut.
        assert!(with_jitter(ms(20_000), cap) >= ms(20_000));
    }
}
