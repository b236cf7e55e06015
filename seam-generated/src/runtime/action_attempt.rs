//! Waiting for action attempts (`locks().unlock_door`, `thermostats().heat`, ...).
//!
//! Seam answers device actions at once with a `pending` action attempt and
//! performs the action in the background. Like Seam's official SDKs, the
//! generated endpoint functions wait for the outcome by default: they poll
//! `action_attempts/get` until the attempt succeeds or fails.
//! [`ActionAttempts::wait`] does the same for an attempt id in hand.

use std::time::Duration;

use tokio::time::Instant;

use super::call::Endpoint;
use super::client::Seam;
use super::error::{Error, Result};
use super::trace;
use crate::api::action_attempts::ActionAttempts;
use crate::models::{ActionAttempt, ActionAttemptStatus};

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
    /// If waiting is enabled ([`SeamBuilder::wait_for_action_attempt`](crate::SeamBuilder::wait_for_action_attempt),
    /// overridable per call with [`CallOptions`](crate::CallOptions)), waits
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
                    poller.options.call_timeout = Some(left);
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
    /// Fetches the attempt, then polls it every
    /// [`action_attempt_poll_interval`](crate::SeamBuilder::action_attempt_poll_interval)
    /// for at most [`action_attempt_timeout`](crate::SeamBuilder::action_attempt_timeout)
    /// (both overridable with [`Seam::with_options`]), and within the
    /// client's [`call_timeout`](crate::SeamBuilder::call_timeout), if set,
    /// counted from the first fetch. Returns the attempt
    /// once its status is `success`; fails with [`Error::ActionAttemptFailed`]
    /// (status `error`), [`Error::ActionAttemptTimeout`] (still pending at
    /// the deadline), [`Error::ActionAttemptUnknownStatus`] (a status this
    /// SDK does not know), or the error of a request (e.g. a 404 for an
    /// unknown id). It waits even on a client created with
    /// `wait_for_action_attempt(false)`: asking for the wait is the point.
    ///
    /// ```no_run
    /// # async fn demo(seam: &seam_connect::Seam) -> seam_connect::Result<()> {
    /// let attempt = seam.action_attempts().wait("my_action_attempt_id").await?;
    /// assert_eq!(attempt.status(), Some(seam_connect::models::ActionAttemptStatus::Success));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn wait(&self, action_attempt_id: &str) -> Result<ActionAttempt> {
        let call_deadline = self.client.call_deadline();
        let attempt = self.client.get_action_attempt(action_attempt_id).await?;
        trace::action_attempt_polled(
            action_attempt_id,
            0,
            attempt.status().as_ref().map(ActionAttemptStatus::as_str),
        );
        self.client.wait_for(attempt, call_deadline).await
    }
}
