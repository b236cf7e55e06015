//! The [`Seam`] client: the HTTP client, endpoint and credential its clones
//! share, and each handle's settings. The modules above it make one
//! (`builder.rs`) and send its calls (`call.rs`); the settings and their
//! defaults live in [`options`](super::options).

use std::fmt;
use std::sync::{Arc, RwLock};

use super::auth::{self, Auth, AuthMode};
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
