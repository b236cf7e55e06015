//! Making a [`Seam`] client: the constructors, one per auth mode, and
//! [`SeamBuilder`], which checks the credential and the endpoint, takes the
//! client's call settings as [`CallOptions`], and exchanges a publishable key
//! for a client session token.

use std::fmt;
use std::time::Duration;

use reqwest::Url;

use super::auth::{self, Auth, AuthMode, Credential};
use super::client::Seam;
use super::endpoint::{Endpoint, SDK_USER_AGENT};
use super::error::{Error, Result};
use super::options::{CallOptions, Options};

/// Default API base URL.
const DEFAULT_ENDPOINT: &str = "https://connect.getseam.com";

// The constructors, one per auth mode: shorthands for the builder.
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
}

/// Builder for a [`Seam`] client, obtained from [`Seam::builder`].
///
/// Exactly one credential must be set (API key, personal access token,
/// console session token, client session token, bridge client session token
/// or publishable key); setting
/// a second one makes [`build`](SeamBuilder::build) fail rather than guess.
///
/// The call settings (timeouts, retries, waiting for action attempts) are
/// those of [`CallOptions`], where each is documented; set here, they are the
/// client's, which a call or a handle can override.
#[derive(Clone, Default)]
pub struct SeamBuilder {
    credential: Option<Credential>,
    /// Set when more than one credential was given.
    credential_conflict: bool,
    endpoint: Option<String>,
    /// The client's settings; the others are the defaults.
    options: CallOptions,
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

    /// Sets the client's [`timeout`](CallOptions::timeout()) of each HTTP
    /// attempt.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options = self.options.timeout(timeout);
        self
    }

    /// Sets the client's [`call_timeout`](CallOptions::call_timeout()): a
    /// deadline for each whole API call.
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.options = self.options.call_timeout(timeout);
        self
    }

    /// Sets the client's [`max_retries`](CallOptions::max_retries()) of
    /// transient failures.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.options = self.options.max_retries(max_retries);
        self
    }

    /// Sets the client's [`retry_base_delay`](CallOptions::retry_base_delay()).
    pub fn retry_base_delay(mut self, delay: Duration) -> Self {
        self.options = self.options.retry_base_delay(delay);
        self
    }

    /// Sets whether the client's endpoints that return an action attempt
    /// [`wait_for_action_attempt`](CallOptions::wait_for_action_attempt()).
    pub fn wait_for_action_attempt(mut self, wait: bool) -> Self {
        self.options = self.options.wait_for_action_attempt(wait);
        self
    }

    /// Sets the client's [`action_attempt_timeout`](CallOptions::action_attempt_timeout()).
    pub fn action_attempt_timeout(mut self, timeout: Duration) -> Self {
        self.options = self.options.action_attempt_timeout(timeout);
        self
    }

    /// Sets the client's [`action_attempt_poll_interval`](CallOptions::action_attempt_poll_interval()).
    pub fn action_attempt_poll_interval(mut self, interval: Duration) -> Self {
        self.options = self.options.action_attempt_poll_interval(interval);
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
        let options = Options::default().apply(&self.options);
        Ok(Seam::from_parts(http, endpoint, auth, options))
    }
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
    /// `POST /client_sessions/get_or_create`: the client session token of
    /// the user `user_identifier_key` (publishable-key flow).
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
}
