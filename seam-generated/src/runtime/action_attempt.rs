//! Waiting for action attempts (`locks().unlock_door`, `thermostats().heat`, ...).
//!
//! Seam answers device actions at once with a `pending` action attempt and
//! performs the action in the background. Like Seam's official SDKs, the
//! generated endpoint functions wait for the outcome by default: they poll
//! `action_attempts/get` until the attempt succeeds or fails.
//! [`ActionAttempts::wait`] does the same for an attempt id in hand.

use std::fmt;
use std::future::IntoFuture;
use std::time::Duration;

use tokio::time::Instant;

use super::call::ResponseFuture;
use super::client::Seam;
use super::endpoint::Endpoint;
use super::error::{Error, Result};
use super::options::CallOptions;
use super::trace;
use crate::generated::contract::{ActionAttempt, ActionAttemptStatus, ActionAttempts};

/// `POST /action_attempts/get`, hand-written so that polling never goes
/// through a generated function (which might itself wait).
static GET_ACTION_ATTEMPT: Endpoint = Endpoint {
    method: "POST",
    path: "/action_attempts/get",
    idempotent: true,
    response_key: Some("action_attempt"),
    security: &[],
};

#[derive(serde::Serialize)]
struct GetParams<'a> {
    action_attempt_id: &'a str,
}

#[derive(serde::Deserialize)]
struct GetResponse {
    action_attempt: ActionAttempt,
}

impl Seam {
    /// Called by the request runtime when an endpoint's response is an action
    /// attempt to finish (`Finish::AfterActionAttempt`).
    ///
    /// If waiting is enabled ([`CallOptions::wait_for_action_attempt`](crate::CallOptions::wait_for_action_attempt()),
    /// the client's or the call's), waits
    /// as described at [`wait_for`](Seam::wait_for); if it is disabled,
    /// returns the attempt as is.
    ///
    /// `call_deadline` is when the call's `call_timeout` ends (counted from
    /// the start of the request that started the action): the wait ends by
    /// then too.
    pub(crate) async fn finish_action_attempt(
        &self,
        attempt: ActionAttempt,
        call_deadline: Option<Instant>,
    ) -> Result<ActionAttempt> {
        if !self.options.wait_for_action_attempt {
            return Ok(attempt);
        }
        self.wait_for(attempt, call_deadline).await
    }

    /// When a call started now must end: now + `call_timeout`, if set.
    pub(crate) fn call_deadline(&self) -> Option<Instant> {
        self.options
            .transport
            .call_timeout
            .and_then(|t| Instant::now().checked_add(t))
    }

    /// Polls `POST /action_attempts/get` every `action_attempt_poll_interval`
    /// until the attempt's status is `success` (→ `Ok(attempt)`) or `error`
    /// (→ [`Error::ActionAttemptFailed`]), or until `action_attempt_timeout`
    /// has passed (→ [`Error::ActionAttemptTimeout`] with the last attempt
    /// seen). A status other than `pending`, `success` and `error` ends the
    /// wait at once with [`Error::ActionAttemptUnknownStatus`]. Errors of the
    /// polling requests themselves are returned as they are.
    ///
    /// The call's deadline (`call_deadline`, from `call_timeout`) bounds the
    /// wait and every poll: when it comes before `action_attempt_timeout`
    /// ends, the wait fails at the deadline with [`Error::CallTimeout`]
    /// (`attempts`: the polls started; `last_error`: an
    /// [`Error::ActionAttemptTimeout`] with the last attempt seen).
    async fn wait_for(
        &self,
        attempt: ActionAttempt,
        call_deadline: Option<Instant>,
    ) -> Result<ActionAttempt> {
        let wait_deadline = Instant::now().checked_add(self.options.action_attempt_timeout);
        // Which limit ends the wait first (`None`: neither can be represented).
        let (deadline, call_ends_first) = match (wait_deadline, call_deadline) {
            (Some(w), Some(c)) if c < w => (Some(c), true),
            (None, Some(c)) => (Some(c), true),
            (w, _) => (w, false),
        };
        let timed_out = |attempt: ActionAttempt, polls: u32| {
            if call_ends_first {
                Error::call_timeout(polls, Some(Error::ActionAttemptTimeout(Box::new(attempt))))
            } else {
                Error::ActionAttemptTimeout(Box::new(attempt))
            }
        };
        let mut attempt = attempt;
        let mut polls: u32 = 0;
        loop {
            match attempt.status() {
                Some(ActionAttemptStatus::Success) => return Ok(attempt),
                Some(ActionAttemptStatus::Error) => {
                    return Err(Error::ActionAttemptFailed(Box::new(attempt)))
                }
                Some(ActionAttemptStatus::Pending) => {}
                _ => return Err(Error::ActionAttemptUnknownStatus(Box::new(attempt))),
            }
            // Without an id there is nothing to poll: hand the attempt back.
            let Some(id) = attempt.action_attempt_id().map(str::to_owned) else {
                return Ok(attempt);
            };
            let now = Instant::now();
            let left = deadline.map(|d| d.saturating_duration_since(now));
            if left == Some(Duration::ZERO) {
                return Err(timed_out(attempt, polls));
            }
            let interval = self.options.action_attempt_poll_interval;
            tokio::time::sleep(left.map_or(interval, |l| interval.min(l))).await;
            let poller = match call_deadline {
                // A poll gets only what is left of the call.
                Some(at) => {
                    let left = at.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(timed_out(attempt, polls));
                    }
                    let mut poller = self.clone();
                    poller.options.transport.call_timeout = Some(left);
                    poller
                }
                None => self.clone(),
            };
            polls += 1;
            attempt = match poller.get_action_attempt(&id).await {
                Ok(next) => next,
                Err(Error::CallTimeout { .. }) if call_deadline.is_some() => {
                    return Err(Error::call_timeout(
                        polls,
                        Some(Error::ActionAttemptTimeout(Box::new(attempt))),
                    ));
                }
                Err(e) => return Err(e),
            };
            trace::action_attempt_polled(
                &id,
                polls,
                attempt.status().as_ref().map(ActionAttemptStatus::as_str),
            );
        }
    }

    /// `POST /action_attempts/get` without any waiting.
    async fn get_action_attempt(&self, id: &str) -> Result<ActionAttempt> {
        let response: GetResponse = self
            .call(
                &GET_ACTION_ATTEMPT,
                &GetParams {
                    action_attempt_id: id,
                },
                &[],
            )
            .await?;
        Ok(response.action_attempt)
    }
}

impl ActionAttempts<'_> {
    /// Waits for the existing action attempt `action_attempt_id` to finish,
    /// as the endpoints that start an action do by default (Seam's
    /// JavaScript SDK: `actionAttempts.get({action_attempt_id},
    /// {waitForActionAttempt: true})`).
    ///
    /// Returns a [`WaitForActionAttempt`]: like an endpoint's
    /// [`Request`](crate::Request) it does nothing until awaited, has the
    /// per-call setters ([`timeout`](WaitForActionAttempt::timeout),
    /// [`call_timeout`](WaitForActionAttempt::call_timeout),
    /// [`max_retries`](WaitForActionAttempt::max_retries),
    /// [`action_attempt_timeout`](WaitForActionAttempt::action_attempt_timeout),
    /// [`options`](WaitForActionAttempt::options)), and owns what it needs (a
    /// clone of the client, the id), so it can be sent to a spawned task.
    ///
    /// Awaiting it fetches the attempt, then polls it every
    /// [`action_attempt_poll_interval`](crate::CallOptions::action_attempt_poll_interval())
    /// for at most [`action_attempt_timeout`](crate::CallOptions::action_attempt_timeout()),
    /// and within [`call_timeout`](crate::CallOptions::call_timeout()), if set,
    /// counted from the first fetch. Returns the attempt
    /// once its status is `success`; fails with [`Error::ActionAttemptFailed`]
    /// (status `error`), [`Error::ActionAttemptTimeout`] (still pending at
    /// the deadline), [`Error::ActionAttemptUnknownStatus`] (a status this
    /// SDK does not know), [`Error::CallTimeout`] (the call's deadline came
    /// first), or the error of a request (e.g. a 404 for an unknown id). It
    /// waits even on a client created with `wait_for_action_attempt(false)`:
    /// asking for the wait is the point.
    ///
    /// ```no_run
    /// # async fn demo(seam: &seam_connect::Seam) -> seam_connect::Result<()> {
    /// # use std::{future::IntoFuture, time::Duration};
    /// let attempt = seam.action_attempts().wait("my_action_attempt_id").await?;
    /// assert_eq!(attempt.status(), Some(seam_connect::models::ActionAttemptStatus::Success));
    /// // In a task of its own, with a bound of its own:
    /// let wait = seam
    ///     .action_attempts()
    ///     .wait("my_action_attempt_id")
    ///     .call_timeout(Duration::from_secs(5));
    /// let handle = tokio::spawn(wait.into_future());
    /// # let _ = handle;
    /// # Ok(())
    /// # }
    /// ```
    pub fn wait(&self, action_attempt_id: impl Into<String>) -> WaitForActionAttempt {
        WaitForActionAttempt {
            client: self.client.clone(),
            action_attempt_id: action_attempt_id.into(),
        }
    }
}

/// A wait for an existing action attempt, run when awaited: see
/// [`ActionAttempts::wait`]. The per-call settings apply to this wait only.
#[must_use = "a wait does nothing until it is awaited"]
#[derive(Clone)]
pub struct WaitForActionAttempt {
    client: Seam,
    action_attempt_id: String,
}

impl WaitForActionAttempt {
    /// The [`timeout`](CallOptions::timeout()) of each HTTP request of this
    /// wait (the fetch and every poll).
    pub fn timeout(self, timeout: Duration) -> Self {
        self.options(CallOptions::new().timeout(timeout))
    }

    /// The [`call_timeout`](CallOptions::call_timeout()) of the whole wait:
    /// the fetch, every poll and the pauses between them; on expiry the wait
    /// fails with [`Error::CallTimeout`].
    pub fn call_timeout(self, timeout: Duration) -> Self {
        self.options(CallOptions::new().call_timeout(timeout))
    }

    /// The [`max_retries`](CallOptions::max_retries()) of each request of
    /// this wait.
    pub fn max_retries(self, max_retries: u32) -> Self {
        self.options(CallOptions::new().max_retries(max_retries))
    }

    /// How long to wait for the attempt to finish before failing with
    /// [`Error::ActionAttemptTimeout`]
    /// ([`action_attempt_timeout`](CallOptions::action_attempt_timeout())).
    pub fn action_attempt_timeout(self, timeout: Duration) -> Self {
        self.options(CallOptions::new().action_attempt_timeout(timeout))
    }

    /// Any of the per-call settings at once ([`CallOptions`]); `None` fields
    /// keep the current value. `wait_for_action_attempt` has no effect: this
    /// is a wait.
    pub fn options(mut self, options: CallOptions) -> Self {
        self.client.options = self.client.options.apply(&options);
        self
    }

    /// The id of the attempt waited for.
    pub fn action_attempt_id(&self) -> &str {
        &self.action_attempt_id
    }

    /// Runs the wait; the same as awaiting it.
    // `#[inline]`: not compiled to machine code in this crate unless a caller uses it. A
    // non-generic boxed future is otherwise compiled here with everything it calls (the decoding
    // of `ActionAttempt`, the transport): about 3 s and 120 MB more for every build of the crate.
    #[inline]
    pub fn send(self) -> ResponseFuture<ActionAttempt> {
        Box::pin(async move {
            let WaitForActionAttempt {
                client,
                action_attempt_id,
            } = self;
            let call_deadline = client.call_deadline();
            // The fetch runs under the call's own `call_timeout`; the polls get what is left.
            let attempt = client.get_action_attempt(&action_attempt_id).await?;
            trace::action_attempt_polled(
                &action_attempt_id,
                0,
                attempt.status().as_ref().map(ActionAttemptStatus::as_str),
            );
            client.wait_for(attempt, call_deadline).await
        })
    }
}

impl IntoFuture for WaitForActionAttempt {
    type Output = Result<ActionAttempt>;
    type IntoFuture = ResponseFuture<ActionAttempt>;

    #[inline]
    fn into_future(self) -> Self::IntoFuture {
        self.send()
    }
}

impl fmt::Debug for WaitForActionAttempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitForActionAttempt")
            .field("action_attempt_id", &self.action_attempt_id)
            .field("options", &self.client.options)
            .finish_non_exhaustive()
    }
}
