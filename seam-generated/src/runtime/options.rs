//! The settings of calls, written once: [`CallOptions`] names and documents
//! each of them, and [`Options`] holds a handle's resolved values, starting
//! from the defaults.
//!
//! Every other place that takes a setting forwards to [`CallOptions`]: the
//! client-wide setters of [`SeamBuilder`](crate::SeamBuilder), the per-call
//! ones of [`Request`](crate::Request) and of a wait for an action attempt,
//! and [`Seam::with_options`](crate::Seam::with_options).

use std::time::Duration;

use super::shared::transport::Policy;

// The defaults of the per-attempt timeout, the call deadline and the retries are the transport's,
// shared with the generic runtime (`Policy::default()`); those of waiting for action attempts are
// Seam's:
/// Default: wait for action attempts to finish.
const DEFAULT_WAIT_FOR_ACTION_ATTEMPT: bool = true;
/// Default time to wait for an action attempt to finish.
const DEFAULT_ACTION_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(20);
/// Default delay between two polls of a pending action attempt.
const DEFAULT_ACTION_ATTEMPT_POLL_INTERVAL: Duration = Duration::from_millis(500);

/// The settings of calls (timeouts, retries, waiting for action attempts),
/// each documented here, at its setter.
///
/// The same setters set a client's values ([`SeamBuilder`](crate::SeamBuilder)),
/// override them for one call ([`Request`](crate::Request)) or for a handle
/// ([`Seam::with_options`](crate::Seam::with_options), [`Request::options`](crate::Request::options)
/// with a `CallOptions` value). As an override, a field left `None` keeps
/// the client's value. Built with [`new`](CallOptions::new) and one setter
/// per field (the fields can be read; the type is `#[non_exhaustive]`, so a
/// setting added later breaks no caller).
///
/// ```
/// # use std::time::Duration;
/// # fn demo(seam: &seam_connect::Seam) {
/// let quick = seam.with_options(
///     seam_connect::CallOptions::new()
///         .timeout(Duration::from_secs(5))
///         .wait_for_action_attempt(false),
/// );
/// # let _ = quick;
/// # }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallOptions {
    /// Set by [`timeout`](CallOptions::timeout()).
    pub timeout: Option<Duration>,
    /// Set by [`call_timeout`](CallOptions::call_timeout()).
    pub call_timeout: Option<Duration>,
    /// Set by [`max_retries`](CallOptions::max_retries()).
    pub max_retries: Option<u32>,
    /// Set by [`retry_base_delay`](CallOptions::retry_base_delay()).
    pub retry_base_delay: Option<Duration>,
    /// Set by [`wait_for_action_attempt`](CallOptions::wait_for_action_attempt()).
    pub wait_for_action_attempt: Option<bool>,
    /// Set by [`action_attempt_timeout`](CallOptions::action_attempt_timeout()).
    pub action_attempt_timeout: Option<Duration>,
    /// Set by [`action_attempt_poll_interval`](CallOptions::action_attempt_poll_interval()).
    pub action_attempt_poll_interval: Option<Duration>,
}

impl CallOptions {
    /// No overrides: every setting is the client's.
    pub fn new() -> CallOptions {
        CallOptions::default()
    }

    /// The timeout of each HTTP attempt (default 30 s). A timed-out attempt
    /// fails with [`Error::Timeout`](crate::Error::Timeout) (after retries,
    /// for idempotent endpoints). With retries, a call may take up to
    /// `(max_retries + 1) * timeout` plus the retry delays; bound the whole
    /// call with [`call_timeout`](CallOptions::call_timeout()).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// A deadline for each whole API call: every attempt and every delay
    /// between retries must fit in it (default: none, only the per-attempt
    /// [`timeout`](CallOptions::timeout()) applies).
    ///
    /// When it passes, the attempt in flight is abandoned, no further retry
    /// is made (nor one whose delay would end after the deadline), and the
    /// call fails with [`Error::CallTimeout`](crate::Error::CallTimeout)
    /// holding the number of attempts made and the error of the last failed
    /// one; [`Error::is_timeout`](crate::Error::is_timeout) is `true` for it.
    ///
    /// It covers waiting for an action attempt too: the request that started
    /// the action, the pauses and every `action_attempts/get` poll fit in
    /// it. When it passes during that wait (before
    /// [`action_attempt_timeout`](CallOptions::action_attempt_timeout())
    /// would), the call fails with `Error::CallTimeout` whose `attempts`
    /// counts the polls started and whose `last_error` is an
    /// `Error::ActionAttemptTimeout` with the last attempt seen
    /// ([`Error::action_attempt`](crate::Error::action_attempt) finds it).
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.call_timeout = Some(timeout);
        self
    }

    /// How often transient failures are retried (default 2; 0: never).
    ///
    /// Connection failures and HTTP 429 are retried for every endpoint;
    /// timeouts and HTTP 500/502/503/504 only for idempotent endpoints (never,
    /// for instance, `locks().unlock_door`). A `Retry-After` header (delay
    /// seconds or an HTTP date, up to 10 s away) is honoured; a longer one
    /// returns the error at once.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// The delay before the first retry (default 250 ms); it doubles on
    /// every further retry (plus under 100 ms of jitter, at most 10 s).
    pub fn retry_base_delay(mut self, delay: Duration) -> Self {
        self.retry_base_delay = Some(delay);
        self
    }

    /// Whether endpoints that return an action attempt (e.g.
    /// `locks().unlock_door`) poll `action_attempts/get` until it succeeds or
    /// fails (default `true`); when `false` they return the pending attempt.
    /// It applies as well to the
    /// [`with_action_attempt`](crate::Request::with_action_attempt) variant of
    /// the endpoints that start one beside their value (`access_codes().delete`,
    /// which otherwise returns without waiting, like Seam's other SDKs). No
    /// effect on other endpoints, nor on `action_attempts().wait(id)`, whose
    /// point is to wait.
    pub fn wait_for_action_attempt(mut self, wait: bool) -> Self {
        self.wait_for_action_attempt = Some(wait);
        self
    }

    /// How long to wait for an action attempt to finish before failing with
    /// `Error::ActionAttemptTimeout` (default 20 s; Seam's JS and Python SDKs
    /// use 5 s, which real devices sometimes exceed).
    pub fn action_attempt_timeout(mut self, timeout: Duration) -> Self {
        self.action_attempt_timeout = Some(timeout);
        self
    }

    /// The delay between two polls of a pending action attempt (default
    /// 500 ms, as in Seam's JS and Python SDKs).
    pub fn action_attempt_poll_interval(mut self, interval: Duration) -> Self {
        self.action_attempt_poll_interval = Some(interval);
        self
    }
}

/// Resolved settings of one [`Seam`](crate::Seam) handle (cheap to copy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Options {
    /// The per-attempt timeout, the call's deadline and the retries, as the transport loop takes them.
    pub(crate) transport: Policy,
    pub(crate) wait_for_action_attempt: bool,
    pub(crate) action_attempt_timeout: Duration,
    pub(crate) action_attempt_poll_interval: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            transport: Policy::default(),
            wait_for_action_attempt: DEFAULT_WAIT_FOR_ACTION_ATTEMPT,
            action_attempt_timeout: DEFAULT_ACTION_ATTEMPT_TIMEOUT,
            action_attempt_poll_interval: DEFAULT_ACTION_ATTEMPT_POLL_INTERVAL,
        }
    }
}

impl Options {
    /// These settings with those `o` sets in their place.
    pub(super) fn apply(mut self, o: &CallOptions) -> Options {
        if let Some(v) = o.timeout {
            self.transport.attempt_timeout = v;
        }
        if let Some(v) = o.call_timeout {
            self.transport.call_timeout = Some(v);
        }
        if let Some(v) = o.max_retries {
            self.transport.retry.max_retries = v;
        }
        if let Some(v) = o.retry_base_delay {
            self.transport.retry.base_delay = v;
        }
        if let Some(v) = o.wait_for_action_attempt {
            self.wait_for_action_attempt = v;
        }
        if let Some(v) = o.action_attempt_timeout {
            self.action_attempt_timeout = v;
        }
        if let Some(v) = o.action_attempt_poll_interval {
            self.action_attempt_poll_interval = v;
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::super::shared::retry::RetryPolicy;
    use super::*;

    #[test]
    fn call_options_setters_override_only_what_they_set() {
        let ms = Duration::from_millis;
        let o = CallOptions::new()
            .timeout(ms(1))
            .call_timeout(ms(2))
            .max_retries(3)
            .retry_base_delay(ms(4))
            .wait_for_action_attempt(false)
            .action_attempt_timeout(ms(5))
            .action_attempt_poll_interval(ms(6));
        let applied = Options::default().apply(&o);
        let transport = Policy {
            attempt_timeout: ms(1),
            call_timeout: Some(ms(2)),
            retry: RetryPolicy {
                max_retries: 3,
                base_delay: ms(4),
                ..RetryPolicy::default()
            },
        };
        assert_eq!(
            applied,
            Options {
                transport,
                wait_for_action_attempt: false,
                action_attempt_timeout: ms(5),
                action_attempt_poll_interval: ms(6),
            }
        );
        let only_retries = Options::default().apply(&CallOptions::new().max_retries(0));
        let mut expected = Options::default();
        expected.transport.retry.max_retries = 0;
        assert_eq!(only_retries, expected);
        assert_eq!(CallOptions::new(), CallOptions::default());
    }
}
