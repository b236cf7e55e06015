//! Credentials: which token goes into which header.
//!
//! Every auth mode Seam's official SDKs support is represented here. Tokens
//! are checked by prefix (like `@seamapi/http` does) so that a token passed
//! to the wrong constructor fails with a clear [`Error::Config`] instead of
//! a confusing `401` later. Error messages name the *kind* of token that was
//! recognised, never the token itself.

use std::fmt;

use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};

use super::error::{Error, Result};

/// Prefix shared by all Seam tokens (API keys, PATs, client session tokens, ...).
const SEAM_PREFIX: &str = "seam_";
/// Prefix of personal access tokens.
const PAT_PREFIX: &str = "seam_at";
/// Prefix of client session tokens.
const CST_PREFIX: &str = "seam_cst";
/// Prefix of publishable keys.
const PK_PREFIX: &str = "seam_pk";
/// Prefix of JWTs (console session tokens): base64 of `{"`.
const JWT_PREFIX: &str = "ey";

/// Header naming the workspace a PAT / console session acts on.
const WORKSPACE_HEADER: &str = "seam-workspace";
/// Header carrying a client session token (sent in addition to `Authorization`).
const CLIENT_SESSION_HEADER: &str = "client-session-token";
/// Header carrying a publishable key.
pub(crate) const PUBLISHABLE_KEY_HEADER: &str = "seam-publishable-key";

/// How a [`Seam`](crate::Seam) client authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthMode {
    /// A workspace API key (`seam_...`), sent as `Authorization: Bearer`.
    ApiKey,
    /// A personal access token (`seam_at...`), sent as `Authorization: Bearer`
    /// plus `seam-workspace: <workspace id>` (absent for a client "without
    /// workspace").
    PersonalAccessToken,
    /// A console session token (a JWT, `ey...`), sent like a personal access token.
    ConsoleSessionToken,
    /// A client session token (`seam_cst...`), sent as `Authorization: Bearer`
    /// and `client-session-token`.
    ClientSessionToken,
    /// A Seam Bridge client session token (`bridge_client_session_token` of a
    /// bridge client session), sent as `Authorization: Bearer`. Only the
    /// `seam().bridge().v1()` endpoints accept it.
    BridgeClientSessionToken,
}

/// The kind of a token, guessed from its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokenKind {
    ApiKey,
    PersonalAccessToken,
    ClientSessionToken,
    PublishableKey,
    Jwt,
    Unknown,
}

impl TokenKind {
    fn of(token: &str) -> TokenKind {
        if token.starts_with(CST_PREFIX) {
            TokenKind::ClientSessionToken
        } else if token.starts_with(PAT_PREFIX) {
            TokenKind::PersonalAccessToken
        } else if token.starts_with(PK_PREFIX) {
            TokenKind::PublishableKey
        } else if token.starts_with(SEAM_PREFIX) {
            TokenKind::ApiKey
        } else if token.starts_with(JWT_PREFIX) {
            TokenKind::Jwt
        } else {
            TokenKind::Unknown
        }
    }

    /// Human description plus the constructor that takes this kind of token.
    fn describe(self) -> &'static str {
        match self {
            TokenKind::ApiKey => "an API key (`seam_...`); use `Seam::from_api_key`",
            TokenKind::PersonalAccessToken => {
                "a personal access token (`seam_at...`); use `Seam::from_personal_access_token` \
                 or `Seam::without_workspace_pat`"
            }
            TokenKind::ClientSessionToken => {
                "a client session token (`seam_cst...`); use `Seam::from_client_session_token`"
            }
            TokenKind::PublishableKey => {
                "a publishable key (`seam_pk...`); use `Seam::from_publishable_key`"
            }
            TokenKind::Jwt => {
                "a JWT / console session token (`ey...`); use `Seam::from_console_session_token`"
            }
            TokenKind::Unknown => "not a recognised Seam token",
        }
    }
}

/// A credential as given to the builder (not yet validated).
#[derive(Clone)]
pub(crate) enum Credential {
    ApiKey(String),
    PersonalAccessToken {
        token: String,
        workspace_id: Option<String>,
    },
    ConsoleSessionToken {
        token: String,
        workspace_id: Option<String>,
    },
    ClientSessionToken(String),
    BridgeClientSessionToken(String),
    PublishableKey {
        key: String,
        user_identifier_key: String,
    },
}

impl Credential {
    /// Short name for `Debug` output (never the token).
    pub(crate) fn kind_name(&self) -> &'static str {
        match self {
            Credential::ApiKey(_) => "api_key",
            Credential::PersonalAccessToken {
                workspace_id: Some(_),
                ..
            } => "personal_access_token",
            Credential::PersonalAccessToken { .. } => "personal_access_token_without_workspace",
            Credential::ConsoleSessionToken {
                workspace_id: Some(_),
                ..
            } => "console_session_token",
            Credential::ConsoleSessionToken { .. } => "console_session_token_without_workspace",
            Credential::ClientSessionToken(_) => "client_session_token",
            Credential::BridgeClientSessionToken(_) => "bridge_client_session_token",
            Credential::PublishableKey { .. } => "publishable_key",
        }
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind_name())?;
        f.write_str("(<redacted>)")
    }
}

/// Resolved authentication: the headers sent with every request.
pub(crate) struct Auth {
    pub(crate) mode: AuthMode,
    /// The `seam-workspace` header value, if any (not a secret).
    pub(crate) workspace_id: Option<String>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Auth")
            .field("mode", &self.mode)
            .field("workspace_id", &self.workspace_id)
            .finish_non_exhaustive()
    }
}

/// Trims the token and checks it is non-empty and of the `expected` kind.
fn check_token<'a>(token: &'a str, what: &str, expected: TokenKind) -> Result<&'a str> {
    let token = token.trim();
    if token.is_empty() {
        return Err(Error::Config(format!("the {what} is empty")));
    }
    let kind = TokenKind::of(token);
    if kind != expected {
        let expected_prefix = match expected {
            TokenKind::ApiKey => "`seam_` (and not `seam_at`, `seam_cst` or `seam_pk`)",
            TokenKind::PersonalAccessToken => "`seam_at`",
            TokenKind::ClientSessionToken => "`seam_cst`",
            TokenKind::PublishableKey => "`seam_pk`",
            TokenKind::Jwt => "`ey`",
            TokenKind::Unknown => "a known prefix",
        };
        return Err(Error::Config(format!(
            "the {what} must start with {expected_prefix}, but the given token is {}",
            kind.describe()
        )));
    }
    Ok(token)
}

/// A sensitive header value (never shown by `Debug`).
fn secret(value: &str, what: &str) -> Result<HeaderValue> {
    let mut v = HeaderValue::from_str(value).map_err(|_| {
        Error::Config(format!(
            "the {what} contains characters not allowed in a header"
        ))
    })?;
    v.set_sensitive(true);
    Ok(v)
}

fn bearer(token: &str, what: &str) -> Result<(HeaderName, HeaderValue)> {
    Ok((AUTHORIZATION, secret(&format!("Bearer {token}"), what)?))
}

fn workspace(workspace_id: Option<&str>) -> Result<Option<(String, (HeaderName, HeaderValue))>> {
    let Some(id) = workspace_id else {
        return Ok(None);
    };
    let id = id.trim();
    if id.is_empty() {
        return Err(Error::Config("the workspace id is empty".to_owned()));
    }
    let value = HeaderValue::from_str(id).map_err(|_| {
        Error::Config("the workspace id contains characters not allowed in a header".to_owned())
    })?;
    Ok(Some((
        id.to_owned(),
        (HeaderName::from_static(WORKSPACE_HEADER), value),
    )))
}

/// Headers for an API key.
pub(crate) fn api_key(key: &str) -> Result<Auth> {
    let key = check_token(key, "API key", TokenKind::ApiKey)?;
    Ok(Auth {
        mode: AuthMode::ApiKey,
        workspace_id: None,
        headers: vec![bearer(key, "API key")?],
    })
}

/// Headers for a PAT or console session token (with or without workspace).
fn token_with_workspace(token: &str, workspace_id: Option<&str>, mode: AuthMode) -> Result<Auth> {
    let (what, kind) = match mode {
        AuthMode::ConsoleSessionToken => ("console session token", TokenKind::Jwt),
        _ => ("personal access token", TokenKind::PersonalAccessToken),
    };
    let token = check_token(token, what, kind)?;
    let mut headers = vec![bearer(token, what)?];
    let workspace = workspace(workspace_id)?;
    let workspace_id = workspace.map(|(id, header)| {
        headers.push(header);
        id
    });
    Ok(Auth {
        mode,
        workspace_id,
        headers,
    })
}

/// Headers for a client session token.
pub(crate) fn client_session_token(token: &str) -> Result<Auth> {
    let what = "client session token";
    let token = check_token(token, what, TokenKind::ClientSessionToken)?;
    Ok(Auth {
        mode: AuthMode::ClientSessionToken,
        workspace_id: None,
        headers: vec![
            bearer(token, what)?,
            (
                HeaderName::from_static(CLIENT_SESSION_HEADER),
                secret(token, what)?,
            ),
        ],
    })
}

/// Headers for a Seam Bridge client session token.
///
/// Its format is not documented (Seam's fake server issues tokens such as
/// `bcs1_token` or `<bridge client name>_token`), so instead of a required
/// prefix, tokens recognisable as another kind of credential (`seam_...`,
/// `ey...`) are rejected.
pub(crate) fn bridge_client_session_token(token: &str) -> Result<Auth> {
    let what = "bridge client session token";
    let token = token.trim();
    if token.is_empty() {
        return Err(Error::Config(format!("the {what} is empty")));
    }
    let kind = TokenKind::of(token);
    if kind != TokenKind::Unknown {
        return Err(Error::Config(format!(
            "the {what} must not start with `seam_` or `ey`, but the given token is {}",
            kind.describe()
        )));
    }
    Ok(Auth {
        mode: AuthMode::BridgeClientSessionToken,
        workspace_id: None,
        headers: vec![bearer(token, what)?],
    })
}

/// The `seam-publishable-key` header (only used for `client_sessions/get_or_create`).
pub(crate) fn publishable_key(key: &str) -> Result<(HeaderName, HeaderValue)> {
    let what = "publishable key";
    let key = check_token(key, what, TokenKind::PublishableKey)?;
    Ok((
        HeaderName::from_static(PUBLISHABLE_KEY_HEADER),
        secret(key, what)?,
    ))
}

/// Resolves a builder credential. Publishable keys need a request first and
/// are handled by the caller.
pub(crate) fn resolve(credential: &Credential) -> Result<Auth> {
    match credential {
        Credential::ApiKey(key) => api_key(key),
        Credential::PersonalAccessToken {
            token,
            workspace_id,
        } => token_with_workspace(
            token,
            workspace_id.as_deref(),
            AuthMode::PersonalAccessToken,
        ),
        Credential::ConsoleSessionToken {
            token,
            workspace_id,
        } => token_with_workspace(
            token,
            workspace_id.as_deref(),
            AuthMode::ConsoleSessionToken,
        ),
        Credential::ClientSessionToken(token) => client_session_token(token),
        Credential::BridgeClientSessionToken(token) => bridge_client_session_token(token),
        Credential::PublishableKey { .. } => Err(Error::Config(
            "a publishable key needs a request to exchange it for a client session token: \
             use `SeamBuilder::connect().await` or `Seam::from_publishable_key(..).await`"
                .to_owned(),
        )),
    }
}

/// Reads the credential from `SEAM_API_KEY` or `SEAM_PERSONAL_ACCESS_TOKEN`
/// (+ `SEAM_WORKSPACE_ID`). Both set is an error.
pub(crate) fn credential_from_env() -> Result<Credential> {
    let var = |name: &str| {
        std::env::var(name)
            .ok()
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let api_key = var("SEAM_API_KEY");
    let pat = var("SEAM_PERSONAL_ACCESS_TOKEN");
    let workspace_id = var("SEAM_WORKSPACE_ID");
    match (api_key, pat) {
        (Some(_), Some(_)) => Err(Error::Config(
            "both SEAM_API_KEY and SEAM_PERSONAL_ACCESS_TOKEN are set; set only one".to_owned(),
        )),
        (Some(key), None) => {
            if workspace_id.is_some() {
                return Err(Error::Config(
                    "SEAM_WORKSPACE_ID is set with SEAM_API_KEY; an API key already belongs to \
                     one workspace (unset SEAM_WORKSPACE_ID)"
                        .to_owned(),
                ));
            }
            Ok(Credential::ApiKey(key))
        }
        (None, Some(token)) => match workspace_id {
            Some(workspace_id) => Ok(Credential::PersonalAccessToken {
                token,
                workspace_id: Some(workspace_id),
            }),
            None => Err(Error::Config(
                "SEAM_PERSONAL_ACCESS_TOKEN is set but SEAM_WORKSPACE_ID is not (for a client \
                 without workspace use `Seam::without_workspace_pat`)"
                    .to_owned(),
            )),
        },
        (None, None) => Err(Error::Config(
            "no credentials in the environment: set SEAM_API_KEY, or \
             SEAM_PERSONAL_ACCESS_TOKEN and SEAM_WORKSPACE_ID"
                .to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header<'a>(auth: &'a Auth, name: &str) -> Option<&'a str> {
        auth.headers
            .iter()
            .find(|(n, _)| n.as_str() == name)
            .and_then(|(_, v)| v.to_str().ok())
    }

    #[test]
    fn token_kinds() {
        assert_eq!(TokenKind::of("seam_abc"), TokenKind::ApiKey);
        assert_eq!(TokenKind::of("seam_at1_x"), TokenKind::PersonalAccessToken);
        assert_eq!(TokenKind::of("seam_cst1"), TokenKind::ClientSessionToken);
        assert_eq!(TokenKind::of("seam_pk1"), TokenKind::PublishableKey);
        assert_eq!(TokenKind::of("eyJhbGc"), TokenKind::Jwt);
        assert_eq!(TokenKind::of("abc"), TokenKind::Unknown);
    }

    #[test]
    fn headers_per_mode() {
        let a = api_key(" seam_key1 ").unwrap();
        assert_eq!(a.mode, AuthMode::ApiKey);
        assert_eq!(header(&a, "authorization"), Some("Bearer seam_key1"));
        assert_eq!(a.headers.len(), 1);

        let a =
            token_with_workspace("seam_at1", Some("ws1"), AuthMode::PersonalAccessToken).unwrap();
        assert_eq!(header(&a, "authorization"), Some("Bearer seam_at1"));
        assert_eq!(header(&a, "seam-workspace"), Some("ws1"));
        assert_eq!(a.workspace_id.as_deref(), Some("ws1"));

        let a = token_with_workspace("seam_at1", None, AuthMode::PersonalAccessToken).unwrap();
        assert_eq!(header(&a, "seam-workspace"), None);

        let a = token_with_workspace("eyJx", Some("ws1"), AuthMode::ConsoleSessionToken).unwrap();
        assert_eq!(header(&a, "authorization"), Some("Bearer eyJx"));
        assert_eq!(header(&a, "seam-workspace"), Some("ws1"));

        let a = client_session_token("seam_cst1").unwrap();
        assert_eq!(header(&a, "authorization"), Some("Bearer seam_cst1"));
        assert_eq!(header(&a, "client-session-token"), Some("seam_cst1"));

        let (name, value) = publishable_key("seam_pk1").unwrap();
        assert_eq!(name.as_str(), "seam-publishable-key");
        assert!(value.is_sensitive());
    }

    #[test]
    fn bridge_client_session_token_headers_and_checks() {
        let a = bridge_client_session_token(" bcs1_token ").unwrap();
        assert_eq!(a.mode, AuthMode::BridgeClientSessionToken);
        assert_eq!(header(&a, "authorization"), Some("Bearer bcs1_token"));
        assert_eq!(a.headers.len(), 1);
        assert!(a.headers.iter().all(|(_, v)| v.is_sensitive()));
        assert!(!format!("{a:?}").contains("bcs1_token"));
        let c = Credential::BridgeClientSessionToken("bcs_SECRET".into());
        assert_eq!(format!("{c:?}"), "bridge_client_session_token(<redacted>)");
        for bad in [
            "seam_SECRET",
            "seam_at1_SECRET",
            "seam_cst1_SECRET",
            "seam_pk1_SECRET",
            "eySECRET",
            " ",
            "bcs\nSECRET",
        ] {
            let err = bridge_client_session_token(bad).unwrap_err();
            assert!(matches!(err, Error::Config(_)), "{err:?}");
            assert!(!err.to_string().contains("SECRET"), "{err}");
        }
        let err = bridge_client_session_token("seam_cst1_x").unwrap_err();
        assert!(
            err.to_string().contains("from_client_session_token"),
            "{err}"
        );
    }

    #[test]
    fn wrong_token_kind_is_a_clear_config_error() {
        let cases: Vec<Result<Auth>> = vec![
            api_key("seam_at1_SECRET"),
            api_key("seam_cst1_SECRET"),
            api_key("seam_pk1_SECRET"),
            api_key("eySECRET"),
            api_key("SECRET"),
            token_with_workspace("seam_SECRET", Some("w"), AuthMode::PersonalAccessToken),
            token_with_workspace("seam_at_SECRET", Some("w"), AuthMode::ConsoleSessionToken),
            client_session_token("seam_SECRET"),
            publishable_key("seam_cst_SECRET").map(|_| unreachable!()),
            api_key(""),
            token_with_workspace("seam_at1", Some(" "), AuthMode::PersonalAccessToken),
        ];
        for r in cases {
            let err = r.unwrap_err();
            assert!(matches!(err, Error::Config(_)), "{err:?}");
            assert!(!err.to_string().contains("SECRET"), "{err}");
            assert!(!format!("{err:?}").contains("SECRET"), "{err:?}");
        }
        let err = api_key("seam_at1_x").unwrap_err().to_string();
        assert!(err.contains("personal access token"), "{err}");
        assert!(err.contains("from_personal_access_token"), "{err}");
    }

    #[test]
    fn debug_is_redacted() {
        let c = Credential::ApiKey("seam_SECRET".into());
        assert_eq!(format!("{c:?}"), "api_key(<redacted>)");
        let a = api_key("seam_SECRET").unwrap();
        assert!(!format!("{a:?}").contains("SECRET"));
    }
}
