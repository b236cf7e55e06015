//! The [`Seam`] client and its HTTP plumbing.
//!
//! Compile-time note: the only generic code per endpoint is [`Seam::call`]
//! (serialize params, then decode the response). Everything in between
//! (URL building, auth, retries, error mapping) lives in non-generic
//! functions that are compiled once.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderValue, CONTENT_TYPE, RETRY_AFTER, USER_AGENT};
use reqwest::{Method, Url};
use serde::de::DeserializeOwned;
use serde::ser::{Serialize, SerializeMap, Serializer};

use super::auth::{self, Auth, AuthMode, Credential};
use super::error::{ApiError, Error, Result};
use super::retry::{self, Decision, Outcome, RetryOptions};
use super::trace::CallTrace;

/// Default API base URL.
const DEFAULT_ENDPOINT: &str = "https://connect.getseam.com";
/// Default per-attempt request timeout.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default number of retries for transient failures.
const DEFAULT_MAX_RETRIES: u32 = 2;
/// Default first retry delay; doubled on every further attempt.
const DEFAULT_RETRY_BASE_DELAY: Duration = Duration::from_millis(250);
/// Default: wait for action attempts to finish.
const DEFAULT_WAIT_FOR_ACTION_ATTEMPT: bool = true;
/// Default time to wait for an action attempt to finish.
const DEFAULT_ACTION_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(20);
/// Default delay between two polls of a pending action attempt.
const DEFAULT_ACTION_ATTEMPT_POLL_INTERVAL: Duration = Duration::from_millis(500);
/// SDK name sent to the API (`seam-sdk-name`).
const SDK_NAME: &str = "seam-rust";
/// SDK version sent to the API (`seam-sdk-version`).
const SDK_VERSION: &str = env!("CARGO_PKG_VERSION");
/// `User-Agent` of every request.
const SDK_USER_AGENT: &str = concat!("seam-rust/", env!("CARGO_PKG_VERSION"));
/// Response header carrying Seam's request id.
const REQUEST_ID_HEADER: &str = "seam-request-id";

/// Static description of one API operation, emitted by the code generator.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    /// HTTP method, e.g. `"POST"`.
    pub method: &'static str,
    /// Path below the API base URL, e.g. `"/devices/list"`.
    pub path: &'static str,
    /// Whether the request is safe to retry after a timeout or a 5xx.
    pub idempotent: bool,
    /// Top-level response field holding the result, e.g. `Some("devices")`
    /// (`x-response-key`); the generated function takes it out of the decoded response.
    #[allow(dead_code)]
    pub response_key: Option<&'static str>,
    /// Security scheme names accepted by the endpoint (from the spec).
    ///
    /// Not consulted: the server is the authority on what a credential may do.
    #[allow(dead_code)]
    pub security: &'static [&'static str],
}

/// Parameters of an endpoint without a request body; serializes as `{}`.
#[allow(dead_code)] // not every feature set has such an endpoint
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct NoParams;

impl Serialize for NoParams {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_map(Some(0))?.end()
    }
}

/// Per-call overrides of the client-wide settings, applied with
/// [`Seam::with_options`]. `None` keeps the client's value.
///
/// ```
/// # use std::time::Duration;
/// # fn demo(seam: &seam_connect::Seam) {
/// let quick = seam.with_options(seam_connect::CallOptions {
///     timeout: Some(Duration::from_secs(5)),
///     wait_for_action_attempt: Some(false),
///     ..Default::default()
/// });
/// # let _ = quick;
/// # }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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

/// Resolved settings of one [`Seam`] handle (cheap to copy).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Options {
    pub(crate) timeout: Duration,
    /// `None`: no deadline beyond the per-attempt timeouts.
    pub(crate) call_timeout: Option<Duration>,
    pub(crate) max_retries: u32,
    pub(crate) retry_base_delay: Duration,
    pub(crate) wait_for_action_attempt: bool,
    pub(crate) action_attempt_timeout: Duration,
    pub(crate) action_attempt_poll_interval: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: DEFAULT_TIMEOUT,
            call_timeout: None,
            max_retries: DEFAULT_MAX_RETRIES,
            retry_base_delay: DEFAULT_RETRY_BASE_DELAY,
            wait_for_action_attempt: DEFAULT_WAIT_FOR_ACTION_ATTEMPT,
            action_attempt_timeout: DEFAULT_ACTION_ATTEMPT_TIMEOUT,
            action_attempt_poll_interval: DEFAULT_ACTION_ATTEMPT_POLL_INTERVAL,
        }
    }
}

impl Options {
    fn apply(mut self, o: &CallOptions) -> Options {
        if let Some(v) = o.timeout {
            self.timeout = v;
        }
        if let Some(v) = o.call_timeout {
            self.call_timeout = Some(v);
        }
        if let Some(v) = o.max_retries {
            self.max_retries = v;
        }
        if let Some(v) = o.retry_base_delay {
            self.retry_base_delay = v;
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
        self.options.timeout = timeout;
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
    /// Waiting for an action attempt is not covered: that wait has its own
    /// limit, [`action_attempt_timeout`](SeamBuilder::action_attempt_timeout).
    /// The deadline applies to the request that started the action and to
    /// each `action_attempts/get` poll on its own.
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.options.call_timeout = Some(timeout);
        self
    }

    /// Sets how often transient failures are retried (default 2).
    ///
    /// Connection failures and HTTP 429 are retried for every endpoint;
    /// timeouts and HTTP 500/502/503/504 only for idempotent endpoints (never,
    /// for instance, `locks().unlock_door`). A `Retry-After` header (in
    /// seconds, up to 10 s) is honoured; a longer one returns the error at once.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.options.max_retries = max_retries;
        self
    }

    /// Sets the delay before the first retry (default 250 ms); it doubles on
    /// every further retry (with a little jitter, at most 10 s).
    pub fn retry_base_delay(mut self, delay: Duration) -> Self {
        self.options.retry_base_delay = delay;
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
        Ok(Seam {
            shared: Arc::new(Shared {
                http,
                endpoint,
                auth: RwLock::new(Arc::new(auth)),
            }),
            options: self.options,
        })
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

/// A client for the Seam Connect API.
///
/// Cheap to clone (an `Arc` inside); clones and the handles returned by
/// [`with_options`](Seam::with_options) share the connection pool and the
/// credential. `Debug` output never contains the credential.
#[derive(Clone)]
pub struct Seam {
    shared: Arc<Shared>,
    pub(crate) options: Options,
}

struct Shared {
    http: reqwest::Client,
    /// Base URL without trailing slash.
    endpoint: String,
    /// Replaced by `set_client_session_token`; read (and the `Arc` cloned)
    /// once per request, never held across an `.await`.
    auth: RwLock<Arc<Auth>>,
}

impl fmt::Debug for Seam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let auth = self.auth();
        f.debug_struct("Seam")
            .field("endpoint", &self.shared.endpoint)
            .field("auth_mode", &auth.mode)
            .field("workspace_id", &auth.workspace_id)
            .field("credential", &"<redacted>")
            .field("options", &self.options)
            .finish()
    }
}

/// A raw 2xx response, before decoding.
struct RawResponse {
    status: u16,
    request_id: Option<String>,
    body: Bytes,
}

/// `POST /client_sessions/get_or_create`, used by the publishable-key flow
/// (hand-written so it works whatever features are enabled).
static GET_OR_CREATE_CLIENT_SESSION: Endpoint = Endpoint {
    method: "POST",
    path: "/client_sessions/get_or_create",
    idempotent: true,
    response_key: Some("client_session"),
    security: &["publishable_key"],
};

#[derive(serde::Serialize)]
struct GetOrCreateParams {
    user_identifier_key: String,
}

#[derive(serde::Deserialize)]
struct GetOrCreateResponse {
    client_session: ClientSessionToken,
}

#[derive(serde::Deserialize)]
struct ClientSessionToken {
    token: String,
}

impl Seam {
    /// Creates a client for an API key; same as [`Seam::from_api_key`].
    pub fn new(api_key: impl Into<String>) -> Result<Seam> {
        Seam::from_api_key(api_key)
    }

    /// Creates a client authenticating with a workspace API key (`seam_...`).
    pub fn from_api_key(api_key: impl Into<String>) -> Result<Seam> {
        Seam::builder().api_key(api_key).build()
    }

    /// Creates a client authenticating with a personal access token
    /// (`seam_at...`) acting on the workspace `workspace_id`.
    pub fn from_personal_access_token(
        token: impl Into<String>,
        workspace_id: impl Into<String>,
    ) -> Result<Seam> {
        Seam::builder()
            .personal_access_token(token, workspace_id)
            .build()
    }

    /// Creates a client authenticating with a console session token (a JWT,
    /// `ey...`) acting on the workspace `workspace_id`.
    pub fn from_console_session_token(
        token: impl Into<String>,
        workspace_id: impl Into<String>,
    ) -> Result<Seam> {
        Seam::builder()
            .console_session_token(token, workspace_id)
            .build()
    }

    /// Creates a client authenticating with a client session token (`seam_cst...`).
    pub fn from_client_session_token(token: impl Into<String>) -> Result<Seam> {
        Seam::builder().client_session_token(token).build()
    }

    /// Creates a client authenticating with a Seam Bridge client session
    /// token, for the `seam().bridge().v1()` endpoints; see
    /// [`SeamBuilder::bridge_client_session_token`].
    pub fn from_bridge_client_session_token(token: impl Into<String>) -> Result<Seam> {
        Seam::builder().bridge_client_session_token(token).build()
    }

    /// Exchanges a publishable key (`seam_pk...`) for a client session token
    /// of the user `user_identifier_key` (`POST /client_sessions/get_or_create`
    /// with the `seam-publishable-key` header) and returns a client using
    /// that token.
    pub async fn from_publishable_key(
        publishable_key: impl Into<String>,
        user_identifier_key: impl Into<String>,
    ) -> Result<Seam> {
        Seam::builder()
            .publishable_key(publishable_key, user_identifier_key)
            .connect()
            .await
    }

    /// Creates a client authenticating with a personal access token without
    /// selecting a workspace (no `seam-workspace` header).
    ///
    /// Only endpoints that don't act on a workspace accept this, such as
    /// `workspaces().list` and `workspaces().create`; others answer 401.
    pub fn without_workspace_pat(token: impl Into<String>) -> Result<Seam> {
        Seam::builder()
            .personal_access_token_without_workspace(token)
            .build()
    }

    /// Creates a client authenticating with a console session token without
    /// selecting a workspace; see [`Seam::without_workspace_pat`].
    pub fn without_workspace_console_session(token: impl Into<String>) -> Result<Seam> {
        Seam::builder()
            .console_session_token_without_workspace(token)
            .build()
    }

    /// Starts configuring a client.
    pub fn builder() -> SeamBuilder {
        SeamBuilder::default()
    }

    /// Creates a client from the environment: `SEAM_API_KEY`, or
    /// `SEAM_PERSONAL_ACCESS_TOKEN` with `SEAM_WORKSPACE_ID` (both an API key
    /// and a PAT is an error), and the optional `SEAM_ENDPOINT`.
    pub fn from_env() -> Result<Seam> {
        Seam::builder().credentials_from_env()?.build()
    }

    /// The API base URL this client talks to (without trailing slash).
    pub fn endpoint(&self) -> &str {
        &self.shared.endpoint
    }

    /// How this client authenticates.
    pub fn auth_mode(&self) -> AuthMode {
        self.auth().mode
    }

    /// The workspace selected with the `seam-workspace` header (personal
    /// access token and console session modes), if any.
    pub fn workspace_id(&self) -> Option<String> {
        self.auth().workspace_id.clone()
    }

    /// Replaces the client session token, e.g. after the old one expired.
    /// Every clone of this client uses the new token from its next request on.
    ///
    /// Fails with [`Error::Config`] if this client does not authenticate with
    /// a client session token (or publishable key), or if `token` is not a
    /// client session token.
    pub fn set_client_session_token(&self, token: impl Into<String>) -> Result<()> {
        if self.auth_mode() != AuthMode::ClientSessionToken {
            return Err(Error::Config(
                "set_client_session_token needs a client created with a client session token \
                 or a publishable key"
                    .to_owned(),
            ));
        }
        self.replace_auth(auth::client_session_token(&token.into())?);
        Ok(())
    }

    /// A handle on the same client (same connection pool and credential)
    /// with some settings overridden, e.g. a shorter timeout or no waiting
    /// for action attempts.
    pub fn with_options(&self, options: CallOptions) -> Seam {
        Seam {
            shared: Arc::clone(&self.shared),
            options: self.options.apply(&options),
        }
    }

    fn auth(&self) -> Arc<Auth> {
        let guard = self
            .shared
            .auth
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Arc::clone(&guard)
    }

    fn replace_auth(&self, auth: Auth) {
        let mut guard = self
            .shared
            .auth
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *guard = Arc::new(auth);
    }

    async fn get_or_create_client_session(&self, user_identifier_key: String) -> Result<String> {
        let response: GetOrCreateResponse = self
            .call(
                &GET_OR_CREATE_CLIENT_SESSION,
                &GetOrCreateParams {
                    user_identifier_key,
                },
                &[],
            )
            .await?;
        Ok(response.client_session.token)
    }

    /// Performs one API call: serializes `params` as the JSON body, sends it
    /// and decodes the whole response as `R`.
    pub(crate) async fn call<P, R>(
        &self,
        endpoint: &Endpoint,
        params: &P,
        query: &[(&str, String)],
    ) -> Result<R>
    where
        P: Serialize + ?Sized,
        R: DeserializeOwned,
    {
        let body = serde_json::to_vec(params).map_err(Error::Encode)?;
        let raw = self.send(endpoint, body, query).await?;
        decode::<R>(&raw)
    }

    /// Non-generic transport: sends the request (with retries, within the
    /// call deadline) and returns the raw 2xx response, or an error for
    /// anything else.
    async fn send(
        &self,
        endpoint: &Endpoint,
        body: Vec<u8>,
        query: &[(&str, String)],
    ) -> Result<RawResponse> {
        let trace = CallTrace::new(endpoint);
        let result = trace
            .instrument(self.send_attempts(endpoint, body, query, &trace))
            .await;
        trace.finished(result.as_ref().err());
        result
    }

    /// The attempt loop of [`send`](Seam::send); whether to retry is
    /// [`retry::decide`]'s call alone.
    async fn send_attempts(
        &self,
        endpoint: &Endpoint,
        body: Vec<u8>,
        query: &[(&str, String)],
        trace: &CallTrace,
    ) -> Result<RawResponse> {
        let url = build_url(&self.shared.endpoint, endpoint.path, query)?;
        let method = Method::from_bytes(endpoint.method.as_bytes())
            .map_err(|_| Error::Config(format!("invalid HTTP method `{}`", endpoint.method)))?;
        let with_body = !matches!(method, Method::GET | Method::HEAD);
        let body = Bytes::from(body);
        let options = self.options;
        let retry_options = RetryOptions {
            max_retries: options.max_retries,
            base_delay: options.retry_base_delay,
        };
        // `None` also when the deadline is too far away to represent.
        let deadline = options
            .call_timeout
            .and_then(|t| tokio::time::Instant::now().checked_add(t));

        let mut attempt: u32 = 1;
        let mut last_error: Option<Error> = None;
        loop {
            // Re-read on every attempt: the client session token may have been replaced.
            let auth = self.auth();
            let mut request = self
                .shared
                .http
                .request(method.clone(), url.clone())
                .timeout(options.timeout)
                .header(USER_AGENT, HeaderValue::from_static(SDK_USER_AGENT))
                .header("seam-sdk-name", HeaderValue::from_static(SDK_NAME))
                .header("seam-sdk-version", HeaderValue::from_static(SDK_VERSION));
            for (name, value) in &auth.headers {
                request = request.header(name.clone(), value.clone());
            }
            drop(auth);
            if with_body {
                request = request
                    .header(CONTENT_TYPE, "application/json")
                    .body(body.clone());
            }
            let result = match deadline {
                None => execute(request).await,
                Some(deadline) => match tokio::time::timeout_at(deadline, execute(request)).await {
                    Ok(result) => result,
                    Err(_elapsed) => {
                        trace.attempt(attempt, None, None);
                        return Err(Error::call_timeout(attempt, last_error));
                    }
                },
            };
            let failure = match result {
                Ok(raw) => {
                    trace.attempt(attempt, Some(raw.status), raw.request_id.as_deref());
                    return Ok(raw);
                }
                Err(failure) => failure,
            };
            trace.attempt(attempt, failure.error.status(), failure.error.request_id());
            let delay = match retry::decide(
                &failure.outcome,
                endpoint.idempotent,
                attempt,
                &retry_options,
            ) {
                Decision::Stop => return Err(failure.error),
                Decision::RetryAfter(delay) => retry::with_jitter(delay),
            };
            if let Some(deadline) = deadline {
                if tokio::time::Instant::now() + delay >= deadline {
                    // The next attempt could not even start in time.
                    return Err(Error::call_timeout(attempt, Some(failure.error)));
                }
            }
            trace.retrying(attempt, delay, &failure.error);
            tokio::time::sleep(delay).await;
            last_error = Some(failure.error);
            attempt += 1;
        }
    }
}

/// Joins base URL, path and percent-encoded query pairs.
fn build_url(base: &str, path: &str, query: &[(&str, String)]) -> Result<Url> {
    let sep = if path.starts_with('/') { "" } else { "/" };
    let mut url = Url::parse(&format!("{base}{sep}{path}"))
        .map_err(|e| Error::Config(format!("invalid request URL for `{path}`: {e}")))?;
    if !query.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (k, v) in query {
            pairs.append_pair(k, v);
        }
    }
    Ok(url)
}

/// A failed HTTP attempt: the error to return and how it ended, for
/// [`retry::decide`].
struct Failure {
    error: Error,
    outcome: Outcome,
}

/// Maps a transport error and classifies it for the retry policy.
fn transport_failure(e: reqwest::Error) -> Failure {
    let outcome = if e.is_connect() {
        Outcome::ConnectFailed
    } else if e.is_timeout() {
        Outcome::Timeout
    } else if e.is_request() || e.is_body() {
        Outcome::Transport
    } else {
        // Building the request, redirect loops, ...: retrying cannot help.
        Outcome::Other
    };
    let error = if e.is_timeout() {
        Error::Timeout
    } else {
        // Credentials travel in headers, never in the URL (userinfo is
        // rejected by `normalize_endpoint`), so the URL in the error leaks nothing.
        Error::Http(e)
    };
    Failure { error, outcome }
}

/// Parses `Retry-After` given in (possibly fractional) seconds.
fn parse_retry_after(value: &str) -> Option<Duration> {
    let secs: f64 = value.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(1e6)))
}

/// Performs one HTTP attempt: the raw 2xx response, or the failure.
async fn execute(request: reqwest::RequestBuilder) -> std::result::Result<RawResponse, Failure> {
    let response = request.send().await.map_err(transport_failure)?;
    let status = response.status();
    let headers = response.headers();
    let request_id = headers
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let retry_after = headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_retry_after);
    let body = response.bytes().await.map_err(transport_failure)?;
    if status.is_success() {
        return Ok(RawResponse {
            status: status.as_u16(),
            request_id,
            body,
        });
    }
    Err(Failure {
        error: ApiError::from_response(status.as_u16(), request_id, body).into(),
        outcome: Outcome::Status {
            status: status.as_u16(),
            retry_after,
        },
    })
}

/// Decodes a 2xx body as `R`: the whole response object (the generated code takes the
/// `x-response-key` field out of it).
///
/// Fast path: plain `serde_json`. Only on failure is the body decoded again
/// with `serde_path_to_error` to report where it went wrong.
fn decode<R: DeserializeOwned>(raw: &RawResponse) -> Result<R> {
    let body: &[u8] = if raw.body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        &raw.body
    };
    match serde_json::from_slice::<R>(body) {
        Ok(v) => Ok(v),
        Err(e) => Err(decode_error::<R>(raw, body, e)),
    }
}

/// Slow path of [`decode`]: re-decodes with path tracking to build the error.
#[cold]
#[inline(never)]
fn decode_error<R: DeserializeOwned>(
    raw: &RawResponse,
    body: &[u8],
    fast_error: serde_json::Error,
) -> Error {
    let mut track = serde_path_to_error::Track::new();
    let mut de = serde_json::Deserializer::from_slice(body);
    let tracked = serde_path_to_error::Deserializer::new(&mut de, &mut track);
    let (path, message) = match R::deserialize(tracked).map(drop) {
        Err(e) => (track.path().to_string(), e.to_string()),
        // e.g. trailing characters: only the fast path checks for them.
        Ok(()) => (".".to_owned(), fast_error.to_string()),
    };
    Error::Decode {
        path,
        message,
        status: raw.status,
        request_id: raw.request_id.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    fn raw(body: &str) -> RawResponse {
        RawResponse {
            status: 200,
            request_id: Some("req_42".into()),
            body: Bytes::from(body.to_owned()),
        }
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Device {
        device_id: String,
        device_type: String,
    }

    #[test]
    fn no_params_serializes_as_empty_object() {
        assert_eq!(serde_json::to_string(&NoParams).unwrap(), "{}");
    }

    #[test]
    fn debug_redacts_api_key() {
        let seam = Seam::new("seam_test_SECRET_token").unwrap();
        let dbg = format!("{seam:?}");
        assert!(!dbg.contains("SECRET"), "{dbg}");
        assert!(dbg.contains("<redacted>"));
        assert!(dbg.contains("https://connect.getseam.com"));
        let builder = Seam::builder().api_key("seam_test_SECRET_token");
        let dbg = format!("{builder:?}");
        assert!(!dbg.contains("SECRET"), "{dbg}");
        assert!(seam.auth().headers.iter().all(|(_, v)| v.is_sensitive()));
    }

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
    fn url_building() {
        let url = build_url("https://connect.getseam.com", "/devices/list", &[]).unwrap();
        assert_eq!(url.as_str(), "https://connect.getseam.com/devices/list");
        let url = build_url(
            "http://localhost:1/api",
            "devices/get",
            &[("device_id", "a b&c=d/é".to_owned()), ("x", "1".to_owned())],
        )
        .unwrap();
        assert_eq!(
            url.as_str(),
            "http://localhost:1/api/devices/get?device_id=a+b%26c%3Dd%2F%C3%A9&x=1"
        );
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct DevicesResponse {
        devices: Vec<Device>,
    }

    #[test]
    fn decode_whole_response() {
        let body = r#"{"ok":true,"devices":[{"device_id":"d1","device_type":"august_lock","extra":1}],"pagination":{}}"#;
        let response: DevicesResponse = decode(&raw(body)).unwrap();
        assert_eq!(response.devices.len(), 1);
        assert_eq!(response.devices[0].device_type, "august_lock");
        // A body missing the response key names it.
        let err = decode::<DevicesResponse>(&raw(r#"{"ok":true}"#)).unwrap_err();
        assert!(err.to_string().contains("missing field `devices`"), "{err}");
        // An empty body counts as `{}`.
        let v: serde_json::Value = decode(&raw("")).unwrap();
        assert_eq!(v, serde_json::json!({}));
    }

    #[test]
    fn decode_error_reports_path() {
        let body = r#"{"ok":true,"devices":[{"device_id":"d1","device_type":"a"},{"device_id":"d2","device_type":7}]}"#;
        let err = decode::<DevicesResponse>(&raw(body)).unwrap_err();
        match err {
            Error::Decode {
                path,
                message,
                status,
                request_id,
            } => {
                assert_eq!(path, "devices[1].device_type");
                assert!(message.contains("invalid type"), "{message}");
                assert_eq!(status, 200);
                assert_eq!(request_id.as_deref(), Some("req_42"));
            }
            other => panic!("unexpected {other:?}"),
        }
        let err = decode::<DevicesResponse>(&raw("1")).unwrap_err();
        assert!(
            matches!(err, Error::Decode { ref path, ref message, .. } if path == "." && message.contains("expected struct DevicesResponse")),
            "{err:?}"
        );
        let err = decode::<serde_json::Value>(&raw("{} x")).unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    }

    /// Minimal blocking HTTP/1.1 server answering each connection with the
    /// next canned response; returns the base URL and the received requests.
    fn serve(
        responses: Vec<(&'static str, &'static str)>,
    ) -> (String, std::sync::mpsc::Receiver<String>) {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for (head, body) in responses {
                let Ok((mut stream, _)) = listener.accept() else {
                    return;
                };
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let n = stream.read(&mut chunk).unwrap_or(0);
                    if n == 0 {
                        break;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let len = text[..end]
                            .lines()
                            .find_map(|l| {
                                let (k, v) = l.split_once(':')?;
                                k.eq_ignore_ascii_case("content-length")
                                    .then(|| v.trim().parse::<usize>().ok())?
                            })
                            .unwrap_or(0);
                        if buf.len() >= end + 4 + len {
                            break;
                        }
                    }
                }
                let _ = tx.send(String::from_utf8_lossy(&buf).to_string());
                if head == "HANG" {
                    std::thread::sleep(Duration::from_secs(2));
                    continue;
                }
                let response = format!(
                    "{head}\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(response.as_bytes());
            }
        });
        (base, rx)
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(f)
    }

    const LIST: Endpoint = Endpoint {
        method: "POST",
        path: "/devices/list",
        idempotent: true,
        response_key: Some("devices"),
        security: &["api_key"],
    };

    #[test]
    fn end_to_end_success_headers_and_body() {
        let (base, rx) = serve(vec![(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json",
            r#"{"ok":true,"devices":[{"device_id":"d1","device_type":"august_lock"}]}"#,
        )]);
        let seam = Seam::builder()
            .api_key("seam_key_1")
            .endpoint(base)
            .build()
            .unwrap();
        let response: DevicesResponse = block_on(seam.call(
            &LIST,
            &serde_json::json!({"limit": 5}),
            &[("q", "a b".to_owned())],
        ))
        .unwrap();
        assert_eq!(response.devices[0].device_id, "d1");
        let req = rx.recv().unwrap().to_ascii_lowercase();
        assert!(
            req.starts_with("post /devices/list?q=a+b http/1.1"),
            "{req}"
        );
        assert!(req.contains("authorization: bearer seam_key_1"), "{req}");
        assert!(req.contains("content-type: application/json"));
        assert!(req.contains("seam-sdk-name: seam-rust"));
        assert!(req.contains(&format!("seam-sdk-version: {SDK_VERSION}")));
        assert!(req.contains(&format!("user-agent: seam-rust/{SDK_VERSION}")));
        assert!(req.ends_with("{\"limit\":5}"), "{req}");
    }

    #[test]
    fn end_to_end_api_error_and_retry() {
        let (base, rx) = serve(vec![
            ("HTTP/1.1 503 Service Unavailable\r\nretry-after: 0", "oops"),
            (
                "HTTP/1.1 404 Not Found\r\nseam-request-id: req_9",
                r#"{"error":{"type":"device_not_found","message":"Not found"}}"#,
            ),
        ]);
        let seam = Seam::builder()
            .api_key("seam_key_1")
            .endpoint(base)
            .build()
            .unwrap();
        let err = block_on(seam.call::<_, Vec<Device>>(&LIST, &NoParams, &[])).unwrap_err();
        assert_eq!(rx.iter().count(), 2);
        assert!(err.is_not_found());
        assert_eq!(err.error_type(), Some("device_not_found"));
        assert_eq!(err.request_id(), Some("req_9"));
        assert!(!err.to_string().contains("seam_key_1"));
    }

    #[test]
    fn end_to_end_timeout() {
        let (base, _rx) = serve(vec![("HANG", "")]);
        let seam = Seam::builder()
            .api_key("seam_k")
            .endpoint(base)
            .timeout(Duration::from_millis(200))
            .max_retries(0)
            .build()
            .unwrap();
        let err = block_on(seam.call::<_, serde_json::Value>(&LIST, &NoParams, &[])).unwrap_err();
        assert!(err.is_timeout(), "{err:?}");
    }

    #[test]
    fn call_future_is_send() {
        fn assert_send<T: Send>(_: &T) {}
        let seam = Seam::new("seam_k").unwrap();
        let fut = seam.call::<NoParams, serde_json::Value>(&LIST, &NoParams, &[]);
        assert_send(&fut);
    }
}
