//! Waiting for action attempts (`locks().unlock_door`, `thermostats().heat`, ...).
//!
//! Seam answers device actions at once with a `pending` action attempt and
//! performs the action in the background. Like Seam's official SDKs, the
//! generated endpoint functions wait for the outcome by default: they poll
//! `action_attempts/get` until the attempt succeeds or fails.

use tokio::time::Instant;

use super::client::{Endpoint, Seam};
use super::error::{Error, Result};
use crate::models::ActionAttempt;

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
    /// Called by generated endpoint functions that return an action attempt.
    ///
    /// If waiting is enabled ([`SeamBuilder::wait_for_action_attempt`](crate::SeamBuilder::wait_for_action_attempt),
    /// overridable per call with [`CallOptions`](crate::CallOptions)), polls
    /// `POST /action_attempts/get` every `action_attempt_poll_interval` until the
    /// attempt's status is `success` (→ `Ok(attempt)`) or `error`
    /// (→ [`Error::ActionAttemptFailed`]), or until `action_attempt_timeout`
    /// has passed (→ [`Error::ActionAttemptTimeout`] with the last attempt seen).
    /// Errors of the polling requests themselves are returned as they are.
    /// If waiting is disabled, returns the attempt as is.
    pub(crate) async fn finish_action_attempt(
        &self,
        attempt: ActionAttempt,
    ) -> Result<ActionAttempt> {
        if !self.options.wait_for_action_attempt {
            return Ok(attempt);
        }
        let deadline = Instant::now() + self.options.action_attempt_timeout;
        let mut attempt = attempt;
        loop {
            match attempt.status() {
                Some("success") => return Ok(attempt),
                Some("error") => return Err(Error::ActionAttemptFailed(Box::new(attempt))),
                _ => {}
            }
            // Without an id there is nothing to poll: hand the attempt back.
            let Some(id) = attempt.action_attempt_id().map(str::to_owned) else {
                return Ok(attempt);
            };
            let now = Instant::now();
            if now >= deadline {
                return Err(Error::ActionAttemptTimeout(Box::new(attempt)));
            }
            let pause = self
                .options
                .action_attempt_poll_interval
                .min(deadline.saturating_duration_since(now));
            tokio::time::sleep(pause).await;
            let response: GetResponse = self
                .call(
                    &GET_ACTION_ATTEMPT,
                    &GetParams {
                        action_attempt_id: &id,
                    },
                    &[],
                )
                .await?;
            attempt = response.action_attempt;
        }
    }
}
