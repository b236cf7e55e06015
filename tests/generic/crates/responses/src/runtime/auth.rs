// Copied by cargo xtask codegen from codegen/runtime/auth.rs. Do not edit.
//! Security schemes (from the spec) and the credentials a client holds for them.

use super::encode;
use std::fmt;

/// A security scheme of the spec (`components.securitySchemes`), emitted by the generator into
/// `SECURITY_SCHEMES` at the crate root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecurityScheme {
    /// The scheme's name in the spec (what operations' `security` refer to).
    pub name: &'static str,
    /// How credentials travel.
    pub kind: SchemeKind,
}

/// How the credentials of a scheme travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer <token>` (also OAuth 2 and OpenID Connect: the caller supplies the
    /// access token).
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// An API key in a header, query parameter or cookie named `param`.
    ApiKey {
        /// Where the key goes.
        location: ApiKeyLocation,
        /// The header, query parameter or cookie name.
        param: &'static str,
    },
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// A credential: shown as `<redacted>` by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(pub(crate) String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The credentials a client holds.
#[derive(Clone, Default)]
pub(crate) struct Credentials {
    /// For every `Bearer` scheme without a credential of its own.
    pub(crate) bearer: Option<Secret>,
    /// For every `Basic` scheme: user and password.
    pub(crate) basic: Option<(Secret, Secret)>,
    /// By scheme name (API keys; also a per-scheme bearer token).
    pub(crate) by_scheme: Vec<(String, Secret)>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.by_scheme.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Credentials")
            .field("bearer", &self.bearer.as_ref().map(|_| "<redacted>"))
            .field("basic", &self.basic.as_ref().map(|_| "<redacted>"))
            .field("by_scheme", &names)
            .finish()
    }
}

/// What credentials add to one request.
#[derive(Default)]
pub(crate) struct Applied {
    /// Header name and value (mark them sensitive).
    pub(crate) headers: Vec<(String, String)>,
    /// Encoded `k=v` query pieces.
    pub(crate) query: Vec<String>,
    /// Encoded `k=v` cookie pieces.
    pub(crate) cookies: Vec<String>,
}

impl Credentials {
    /// The credential for scheme `scheme`, if the client holds one.
    fn for_scheme(&self, scheme: &SecurityScheme) -> Option<Vec<Secret>> {
        let own = self
            .by_scheme
            .iter()
            .rev()
            .find(|(n, _)| n == scheme.name)
            .map(|(_, s)| s.clone());
        match scheme.kind {
            SchemeKind::Bearer => own.or_else(|| self.bearer.clone()).map(|s| vec![s]),
            SchemeKind::Basic => self.basic.clone().map(|(u, p)| vec![u, p]),
            SchemeKind::ApiKey { .. } => own.map(|s| vec![s]),
        }
    }

    /// Credentials for the first alternative of `alternatives` whose schemes (looked up in
    /// `schemes`) all have credentials; nothing when none has (the server then decides) or when
    /// `alternatives` is empty (no security).
    pub(crate) fn apply(&self, schemes: &[SecurityScheme], alternatives: &[&[&str]]) -> Applied {
        'alternatives: for alternative in alternatives {
            let mut applied = Applied::default();
            for name in *alternative {
                let Some(scheme) = schemes.iter().find(|s| s.name == *name) else {
                    continue 'alternatives;
                };
                let Some(secrets) = self.for_scheme(scheme) else {
                    continue 'alternatives;
                };
                match (scheme.kind, secrets.as_slice()) {
                    (SchemeKind::Bearer, [token]) => applied
                        .headers
                        .push(("authorization".into(), format!("Bearer {}", token.0))),
                    (SchemeKind::Basic, [user, password]) => applied.headers.push((
                        "authorization".into(),
                        format!(
                            "Basic {}",
                            encode::base64(format!("{}:{}", user.0, password.0).as_bytes())
                        ),
                    )),
                    (SchemeKind::ApiKey { location, param }, [key]) => match location {
                        ApiKeyLocation::Header => {
                            applied.headers.push((param.to_owned(), key.0.clone()))
                        }
                        ApiKeyLocation::Query => applied.query.push(format!(
                            "{}={}",
                            encode::percent_encode(param),
                            encode::percent_encode(&key.0)
                        )),
                        ApiKeyLocation::Cookie => applied.cookies.push(format!(
                            "{}={}",
                            encode::percent_encode(param),
                            encode::percent_encode(&key.0)
                        )),
                    },
                    _ => continue 'alternatives,
                }
            }
            return applied;
        }
        Applied::default()
    }
}
