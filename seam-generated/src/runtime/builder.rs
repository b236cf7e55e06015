//! The settings of a [`Seam`] client: [`SeamBuilder`], which checks the
//! credential and endpoint, and the per-call overrides, [`CallOptions`].

use std::fmt;
use std::time::Duration;

use reqwest::Url;

use super::auth::{self, Auth, AuthMode, Credential};
use super::call::SDK_USER_AGENT;
use super::client::Seam;
use super::error::{Error, Result};
use super::shared::transport::Policy;

/// Default API base URL.
const DEFAULT_ENDPOINT: &str = "https://connect.getseam.com";
// The defaults of the per-attempt timeout and the retries are the transport's, shared with the
// generic runtime (`Policy::default()`); those of waiting for action attempts are Seam's:
/// Default: wait for action attempts to finish.
const DEFAULT_WAIT_FOR_ACTION_ATTEMPT: bool = true;
/// Default time to wait for an action attempt to finish.
const DEFAULT_ACTION_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(20);
/// Default delay between two polls of a pending action attempt.
const DEFAULT_ACTION_ATTEMPT_POLL_INTERVAL: Duration = Duration::from_millis(500);

/// Per-call overrides of the client-wide settings, applied with
/// [`Seam::with_options`] or [`Request::options`](crate::Request::options).
/// A field left `None` keeps the client's value. Built with
/// [`new`](CallOptions::new) and one setter per field (the fields can be
/// read; the type is `#[non_exhaustive]`, so a setting added later breaks
/// no caller).
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
    /// Timeout of each HTTP attempt (see [`SeamBuilder::timeout`]).
    pub timeout: Option<Duration>,
    /// Deadline of a whole call, all attempts and retry delays included
    /// (see [`SeamBuilder::call_timeout`]).
    pub call_timeout: Option<Duration>,
    /// Number of retries of transient failures (see [`SeamBuilder::max_retries`]).
    pub max_retries: Option<u32>,
    /// First retry delay (see [`SeamBuilder::retry_base_delay`]).
    pub retry_base_delay: Option<Duration>,
    /// Whether endpoints returning an action attempt wait for it to finish
    /// (see [`SeamBuilder::wait_for_action_attempt`]).
    pub wait_for_action_attempt: Option<bool>,
    /// How long to wait for an action attempt (see [`SeamBuilder::action_attempt_timeout`]).
    pub action_attempt_timeout: Option<Duration>,
    /// Delay between polls of a pending action attempt
    /// (see [`SeamBuilder::action_attempt_poll_interval`]).
    pub action_attempt_poll_interval: Option<Duration>,
}

impl CallOptions {
    /// No overrides: every setting is the client's.
    pub fn new() -> CallOptions {
        CallOptions::default()
    }

    /// Timeout of each HTTP attempt (see [`SeamBuilder::timeout`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Deadline of a whole call (see [`SeamBuilder::call_timeout`]).
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.call_timeout = Some(timeout);
        self
    }

    /// Number of retries of transient failures (see [`SeamBuilder::max_retries`]).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// First retry delay (see [`SeamBuilder::retry_base_delay`]).
    pub fn retry_base_delay(mut self, delay: Duration) -> Self {
        self.retry_base_delay = Some(delay);
        self
    }

    /// Whether endpoints returning an action attempt wait for it to finish
    /// (see [`SeamBuilder::wait_for_action_attempt`]).
    pub fn wait_for_action_attempt(mut self, wait: bool) -> Self {
        self.wait_for_action_attempt = Some(wait);
        self
    }

    /// How long to wait for an action attempt (see [`SeamBuilder::action_attempt_timeout`]).
    pub fn action_attempt_timeout(mut self, timeout: Duration) -> Self {
        self.action_attempt_timeout = Some(timeout);
        self
    }

    /// Delay between polls of a pending action attempt
    /// (see [`SeamBuilder::action_attempt_poll_interval`]).
    pub fn action_attempt_poll_interval(mut self, interval: Duration) -> Self {
        self.action_attempt_poll_interval = Some(interval);
        self
    }
}

/// Resolved settings of one [`Seam`] handle (cheap to copy).
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

/// Builder for a [`Seam`] client, obtained from [`Seam::builder`].
///
/// Exactly one credential must be set (API key, personal access token,
/// console session token, client session token, bridge client session token
/// or publishable key); setting
/// a second one makes [`build`](SeamBuilder::build) fail rather than guess.
#[derive(Clone, Default)]
pub struct SeamBuilder {
    credential: Option<Credential>,
    /// Set when more than one credential was given.
    credential_conflict: bool,
    endpoint: Option<String>,
    options: Options,
    http: Option<reqwest::Client>,
}

impl fmt::Debug for SeamBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SeamBuilder")
            .field("credential", &self.credential)
            .field("endpoint", &self.endpoint)
            .field("options", &self.options)
            .field("custom_http_client", &self.http.is_some())
            .finish()
    }
}

impl SeamBuilder {
    fn credential(mut self, credential: Credential) -> Self {
        if self.credential.is_some() {
            self.credential_conflict = true;
        }
        self.credential = Some(credential);
        self
    }

    /// Authenticates with a workspace API key (`seam_...`), sent as
    /// `Authorization: Bearer <key>`.
    pub fn api_key(self, api_key: impl Into<String>) -> Self {
        self.credential(Credential::ApiKey(api_key.into()))
    }

    /// Authenticates with a personal access token (`seam_at...`) acting on
    /// `workspace_id` (sent as `Authorization: Bearer <token>` and
    /// `seam-workspace: <workspace_id>`).
    pub fn personal_access_token(
        self,
        token: impl Into<String>,
        workspace_id: impl Into<String>,
    ) -> Self {
        self.credential(Credential::PersonalAccessToken {
            token: token.into(),
            workspace_id: Some(workspace_id.into()),
        })
    }

    /// Authenticates with a personal access token without selecting a
    /// workspace (no `seam-workspace` header). Only workspace-less endpoints
    /// such as `workspaces().list` and `workspaces().create` accept this.
    pub fn personal_access_token_without_workspace(self, token: impl Into<String>) -> Self {
        self.credential(Credential::PersonalAccessToken {
            token: token.into(),
            workspace_id: None,
        })
    }

    /// Authenticates with a console session token (a JWT, `ey...`) acting on
    /// `workspace_id` (sent like a personal access token).
    pub fn console_session_token(
        self,
        token: impl Into<String>,
        workspace_id: impl Into<String>,
    ) -> Self {
        self.credential(Credential::ConsoleSessionToken {
            token: token.into(),
            workspace_id: Some(workspace_id.into()),
        })
    }

    /// Authenticates with a console session token without selecting a
    /// workspace. Only workspace-less endpoints accept this.
    pub fn console_session_token_without_workspace(self, token: impl Into<String>) -> Self {
        self.credential(Credential::ConsoleSessionToken {
            token: token.into(),
            workspace_id: None,
        })
    }

    /// Authenticates with a client session token (`seam_cst...`), sent as
    /// `Authorization: Bearer <token>` and `client-session-token: <token>`.
    /// It can be replaced later with [`Seam::set_client_session_token`].
    pub fn client_session_token(self, token: impl Into<String>) -> Self {
        self.credential(Credential::ClientSessionToken(token.into()))
    }

    /// Authenticates with a Seam Bridge client session token (the
    /// `bridge_client_session_token` of a bridge client session), sent as
    /// `Authorization: Bearer <token>`. Only the `seam().bridge().v1()`
    /// endpoints accept it. Tokens recognisable as another kind of
    /// credential (`seam_...`, `ey...`) are rejected by [`build`](SeamBuilder::build).
    pub fn bridge_client_session_token(self, token: impl Into<String>) -> Self {
        self.credential(Credential::BridgeClientSessionToken(token.into()))
    }

    /// Authenticates with a publishable key (`seam_pk...`) for the user
    /// `user_identifier_key`: [`connect`](SeamBuilder::connect) calls
    /// `client_sessions/get_or_create` with the `seam-publishable-key` header
    /// and uses the returned client session token from then on.
    pub fn publishable_key(
        self,
        publishable_key: impl Into<String>,
        user_identifier_key: impl Into<String>,
    ) -> Self {
        self.credential(Credential::PublishableKey {
            key: publishable_key.into(),
            user_identifier_key: user_identifier_key.into(),
        })
    }

    /// Takes the credential from the environment: `SEAM_API_KEY`, or
    /// `SEAM_PERSONAL_ACCESS_TOKEN` together with `SEAM_WORKSPACE_ID`.
    ///
    /// Fails with [`Error::Config`] if none is set, if both `SEAM_API_KEY`
    /// and `SEAM_PERSONAL_ACCESS_TOKEN` are set, or if a PAT comes without
    /// a workspace id. (`SEAM_ENDPOINT` is read by [`build`](SeamBuilder::build).)
    pub fn credentials_from_env(self) -> Result<Self> {
        Ok(self.credential(auth::credential_from_env()?))
    }

    /// Sets the API base URL. Default: the `SEAM_ENDPOINT` environment
    /// variable if set, else `https://connect.getseam.com`.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Sets the timeout of each HTTP attempt (default 30 s). A timed-out
    /// attempt fails with [`Error::Timeout`] (after retries, for idempotent
    /// endpoints). With retries, a call may take up to
    /// `(max_retries + 1) * timeout` plus the retry delays; bound the whole
    /// call with [`call_timeout`](SeamBuilder::call_timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.transport.attempt_timeout = timeout;
        self
    }

    /// Sets a deadline for each whole API call: every attempt and every
    /// delay between retries must fit in it (default: none, only the
    /// per-attempt [`timeout`](SeamBuilder::timeout) applies).
    ///
    /// When it passes, the attempt in flight is abandoned, no further retry
    /// is made (nor one whose delay would end after the deadline), and the
    /// call fails with [`Error::CallTimeout`] holding the number of attempts
    /// made and the error of the last failed one; [`Error::is_timeout`] is
    /// `true` for it.
    ///
    /// It covers waiting for an action attempt too: the request that started
    /// the action, the pauses and every `action_attempts/get` poll fit in
    /// it. When it passes during that wait (before
    /// [`action_attempt_timeout`](SeamBuilder::action_attempt_timeout)
    /// would), the call fails with [`Error::CallTimeout`] whose `attempts`
    /// counts the polls started and whose `last_error` is an
    /// `Error::ActionAttemptTimeout` with the last attempt seen
    /// ([`Error::action_attempt`] finds it).
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.options.transport.call_timeout = Some(timeout);
        self
    }

    /// Sets how often transient failures are retried (default 2).
    ///
    /// Connection failures and HTTP 429 are retried for every endpoint;
    /// timeouts and HTTP 500/502/503/504 only for idempotent endpoints (never,
    /// for instance, `locks().unlock_door`). A `Retry-After` header (delay
    /// seconds or an HTTP date, up to 10 s away) is honoured; a longer one
    /// returns the error at once.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.options.transport.retry.max_retries = max_retries;
        self
    }

    /// Sets the delay before the first retry (default 250 ms); it doubles on
    /// every further retry (plus under 100 ms of jitter, at most 10 s).
    pub fn retry_base_delay(mut self, delay: Duration) -> Self {
        self.options.transport.retry.base_delay = delay;
        self
    }

    /// Whether endpoints that return an action attempt (e.g.
    /// `locks().unlock_door`) poll `action_attempts/get` until it succeeds or
    /// fails (default `true`). When `false` they return the pending attempt.
    pub fn wait_for_action_attempt(mut self, wait: bool) -> Self {
        self.options.wait_for_action_attempt = wait;
        self
    }

    /// How long to wait for an action attempt to finish before failing with
    /// `Error::ActionAttemptTimeout` (default 20 s; Seam's JS and Python SDKs
    /// use 5 s, which real devices sometimes exceed).
    pub fn action_attempt_timeout(mut self, timeout: Duration) -> Self {
        self.options.action_attempt_timeout = timeout;
        self
    }

    /// Delay between two polls of a pending action attempt (default 500 ms,
    /// as in Seam's JS and Python SDKs).
    pub fn action_attempt_poll_interval(mut self, interval: Duration) -> Self {
        self.options.action_attempt_poll_interval = interval;
        self
    }

    /// Uses the given `reqwest::Client` (proxies, TLS roots, connection pool
    /// settings, ...) instead of building one. The SDK still sets its own
    /// headers, including `User-Agent`, and the per-attempt timeout on every
    /// request.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Validates the configuration and builds the client.
    ///
    /// Fails with [`Error::Config`] if no credential or more than one was
    /// given, if a token has the wrong prefix for the chosen mode (e.g. a PAT
    /// passed as API key), if the endpoint is not an absolute `http(s)` URL,
    /// or for a publishable key (which needs [`connect`](SeamBuilder::connect)).
    pub fn build(self) -> Result<Seam> {
        let credential = self.checked_credential()?;
        let auth = auth::resolve(credential)?;
        self.build_with(auth)
    }

    /// Like [`build`](SeamBuilder::build), but also supports a publishable
    /// key, which is exchanged for a client session token with
    /// `POST /client_sessions/get_or_create` first.
    pub async fn connect(self) -> Result<Seam> {
        let credential = self.checked_credential()?.clone();
        match credential {
            Credential::PublishableKey {
                key,
                user_identifier_key,
            } => {
                let header = auth::publishable_key(&key)?;
                let user_identifier_key = user_identifier_key.trim().to_owned();
                if user_identifier_key.is_empty() {
                    return Err(Error::Config("the user identifier key is empty".to_owned()));
                }
                // Until the exchange, the only credential is the publishable key;
                // the mode is replaced right after.
                let seam = self.build_with(Auth {
                    mode: AuthMode::ClientSessionToken,
                    workspace_id: None,
                    headers: vec![header],
                })?;
                let token = seam
                    .get_or_create_client_session(user_identifier_key)
                    .await?;
                seam.replace_auth(auth::client_session_token(&token)?);
                Ok(seam)
            }
            other => {
                let auth = auth::resolve(&other)?;
                self.build_with(auth)
            }
        }
    }

    fn checked_credential(&self) -> Result<&Credential> {
        if self.credential_conflict {
            return Err(Error::Config(
                "more than one credential was given; use exactly one of API key, personal \
                 access token, console session token, client session token or publishable key"
                    .to_owned(),
            ));
        }
        self.credential.as_ref().ok_or_else(|| {
            Error::Config(
                "no credential was provided (API key, personal access token, console session \
                 token, client session token or publishable key)"
                    .to_owned(),
            )
        })
    }

    fn build_with(self, auth: Auth) -> Result<Seam> {
        let endpoint = match self.endpoint {
            Some(e) => normalize_endpoint(&e)?,
            None => match std::env::var("SEAM_ENDPOINT")
                .ok()
                .filter(|e| !e.trim().is_empty())
            {
                Some(e) => normalize_endpoint(&e)?,
                None => DEFAULT_ENDPOINT.to_owned(),
            },
        };
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(SDK_USER_AGENT)
                .build()
                .map_err(|e| Error::Config(format!("failed to build HTTP client: {e}")))?,
        };
        Ok(Seam::from_parts(http, endpoint, auth, self.options))
    }
}

/// Checks that `raw` is an absolute http(s) URL without query or fragment
/// and returns it without trailing slashes.
fn normalize_endpoint(raw: &str) -> Result<String> {
    let trimmed = raw.trim().trim_end_matches('/');
    let url = Url::parse(trimmed)
        .map_err(|e| Error::Config(format!("invalid endpoint URL `{trimmed}`: {e}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        // Don't echo it: it holds a credential.
        return Err(Error::Config(
            "the endpoint URL must not contain a user name or password".to_owned(),
        ));
    }
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(Error::Config(format!(
            "endpoint URL `{trimmed}` must be an absolute http(s) URL"
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::Config(format!(
            "endpoint URL `{trimmed}` must not have a query or fragment"
        )));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::super::shared::retry::RetryPolicy;
    use super::*;

    #[test]
    fn builder_validates_config() {
        assert!(matches!(Seam::builder().build(), Err(Error::Config(_))));
        assert!(matches!(Seam::new("  "), Err(Error::Config(_))));
        let err = Seam::new("seam_bad\nSECRET").unwrap_err();
        assert!(matches!(err, Error::Config(_)));
        assert!(!err.to_string().contains("SECRET"));
        for bad in [
            "not a url",
            "ftp://x.example",
            "https://x.example/?a=b",
            "/relative",
        ] {
            let r = Seam::builder().api_key("seam_k").endpoint(bad).build();
            assert!(matches!(r, Err(Error::Config(_))), "{bad}");
        }
        let seam = Seam::builder()
            .api_key("seam_k")
            .endpoint("http://localhost:3020/api/")
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        assert_eq!(seam.endpoint(), "http://localhost:3020/api");
    }

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
