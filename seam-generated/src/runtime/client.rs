//! The [`Seam`] client: its constructors, one per auth mode, the credential
//! it shares between clones, and per-handle settings. Sending a call is
//! [`call`](super::call)'s; the settings and their defaults live in
//! [`options`](super::options).

use std::fmt;
use std::sync::{Arc, RwLock};

use super::auth::{self, Auth, AuthMode};
use super::builder::SeamBuilder;
use super::call::Endpoint;
use super::error::{Error, Result};
use super::options::{CallOptions, Options};

/// A client for the Seam Connect API.
///
/// Cheap to clone (an `Arc` inside); clones and the handles returned by
/// [`with_options`](Seam::with_options) share the connection pool and the
/// credential. `Debug` output never contains the credential.
#[derive(Clone)]
pub struct Seam {
    pub(super) shared: Arc<Shared>,
    pub(crate) options: Options,
}

pub(super) struct Shared {
    pub(super) http: reqwest::Client,
    /// Base URL without trailing slash.
    pub(super) endpoint: String,
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
    /// A client around its parts (used by the builder).
    pub(super) fn from_parts(
        http: reqwest::Client,
        endpoint: String,
        auth: Auth,
        options: Options,
    ) -> Seam {
        Seam {
            shared: Arc::new(Shared {
                http,
                endpoint,
                auth: RwLock::new(Arc::new(auth)),
            }),
            options,
        }
    }

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

    /// The current authentication (read once per request attempt).
    pub(super) fn auth(&self) -> Arc<Auth> {
        let guard = self
            .shared
            .auth
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Arc::clone(&guard)
    }

    pub(super) fn replace_auth(&self, auth: Auth) {
        let mut guard = self
            .shared
            .auth
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *guard = Arc::new(auth);
    }

    /// `POST /client_sessions/get_or_create`: the client session token of
    /// the user `user_identifier_key` (publishable-key flow).
    pub(super) async fn get_or_create_client_session(
        &self,
        user_identifier_key: String,
    ) -> Result<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
