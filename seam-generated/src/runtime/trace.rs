//! Optional instrumentation with the `tracing` crate (cargo feature `tracing`).
//!
//! Each API call runs in an INFO span `seam.call` with the fields `method`
//! and `path` (the operation), and, once known, `attempt` (number of the
//! last attempt, 1 for the first), `status` (its HTTP status, if a response
//! came), `request_id` (its `seam-request-id` header), `elapsed_ms` (the
//! whole call, retries included) and `error` (the kind of error, e.g.
//! `timeout` or `api`, if the call failed). Each retry is an INFO event
//! `seam.retry`, each action-attempt poll a DEBUG event
//! `seam.action_attempt.poll`.
//!
//! Credentials, request and response bodies, and error messages are never
//! recorded. Without the feature, everything here compiles to nothing.

use std::future::Future;
use std::time::Duration;

use super::error::Error;

/// The trace of one API call (a span), or nothing without the feature.
pub(crate) struct CallTrace {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
    #[cfg(feature = "tracing")]
    start: std::time::Instant,
}

#[cfg(feature = "tracing")]
impl CallTrace {
    /// Opens the `seam.call` span of a call to `path` by `method`.
    pub(crate) fn new(method: &str, path: &str) -> CallTrace {
        use tracing::field::Empty;
        CallTrace {
            span: tracing::info_span!(
                "seam.call",
                method,
                path,
                attempt = Empty,
                status = Empty,
                request_id = Empty,
                elapsed_ms = Empty,
                error = Empty,
            ),
            start: std::time::Instant::now(),
        }
    }

    /// Runs `future` inside the span.
    pub(crate) fn instrument<F: Future>(&self, future: F) -> impl Future<Output = F::Output> {
        tracing::Instrument::instrument(future, self.span.clone())
    }

    /// Records the end of attempt number `attempt`.
    pub(crate) fn attempt(&self, attempt: u32, status: Option<u16>, request_id: Option<&str>) {
        self.span.record("attempt", attempt);
        if let Some(status) = status {
            self.span.record("status", status);
        }
        if let Some(id) = request_id {
            self.span.record("request_id", id);
        }
    }

    /// Emits the `seam.retry` event: attempt `attempt` failed with `error`
    /// and the next one starts after `delay`.
    pub(crate) fn retrying(&self, attempt: u32, delay: Duration, error: &Error) {
        tracing::info!(
            name: "seam.retry",
            parent: &self.span,
            attempt,
            status = error.status(),
            error = error.kind(),
            delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
            "retrying the Seam call"
        );
    }

    /// Records the call's duration and, if it failed, the kind of error.
    pub(crate) fn finished(&self, error: Option<&Error>) {
        let elapsed = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.span.record("elapsed_ms", elapsed);
        if let Some(error) = error {
            self.span.record("error", error.kind());
        }
    }
}

#[cfg(not(feature = "tracing"))]
impl CallTrace {
    #[inline(always)]
    pub(crate) fn new(_method: &str, _path: &str) -> CallTrace {
        CallTrace {}
    }

    #[inline(always)]
    pub(crate) fn instrument<F: Future>(&self, future: F) -> F {
        future
    }

    #[inline(always)]
    pub(crate) fn attempt(&self, _attempt: u32, _status: Option<u16>, _request_id: Option<&str>) {}

    #[inline(always)]
    pub(crate) fn retrying(&self, _attempt: u32, _delay: Duration, _error: &Error) {}

    #[inline(always)]
    pub(crate) fn finished(&self, _error: Option<&Error>) {}
}

/// Emits the `seam.action_attempt.poll` event: poll number `poll` of the
/// action attempt `id` found it in `status`.
#[cfg(feature = "action_attempts")]
#[cfg_attr(not(feature = "tracing"), inline(always))]
pub(crate) fn action_attempt_polled(_id: &str, _poll: u32, _status: Option<&str>) {
    #[cfg(feature = "tracing")]
    tracing::debug!(
        name: "seam.action_attempt.poll",
        action_attempt_id = _id,
        poll = _poll,
        status = _status,
        "polled the Seam action attempt"
    );
}
