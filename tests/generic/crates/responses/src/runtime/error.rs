// Copied by cargo xtask codegen from codegen/runtime/error.rs. Do not edit.
//! Errors of API calls.

use super::encode::EncodeError;
use std::fmt;
use std::time::Duration;

/// The result of an API call; `E` is the operation's error model.
pub type Result<T, E = serde_json::Value> = std::result::Result<T, Error<E>>;

/// Why an API call failed; `E` is the operation's error model (the body of its non-2xx responses).
#[non_exhaustive]
pub enum Error<E = serde_json::Value> {
    /// The server answered with a non-2xx status.
    Api(ApiError<E>),
    /// No answer in time: one attempt ran out of time, or the whole call (see
    /// [`ClientBuilder::call_timeout`](super::ClientBuilder::call_timeout)).
    Timeout {
        /// Which limit was reached.
        kind: TimeoutKind,
        /// That limit.
        after: Duration,
    },
    /// The request could not be sent or its response not read (connection refused, reset, TLS, …).
    /// The URL is removed from the inner error (it may hold an API key).
    Transport(reqwest::Error),
    /// A 2xx response whose body does not match the declared type (or is not UTF-8 where text was
    /// expected).
    Decode {
        /// The response status.
        status: u16,
        /// What did not match, and where.
        message: String,
    },
    /// The request could not be built: a parameter could not be encoded, the URL is invalid, or the
    /// HTTP client could not be created.
    Request(String),
}

/// Which time limit a [`Error::Timeout`] hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutKind {
    /// The per-attempt timeout ([`ClientBuilder::timeout`](super::ClientBuilder::timeout)); retries
    /// (if allowed) were exhausted.
    Attempt,
    /// The whole-call deadline ([`ClientBuilder::call_timeout`](super::ClientBuilder::call_timeout)).
    Call,
}

impl<E> Error<E> {
    /// An [`Error::Request`] from a parameter that could not be encoded (used by generated code as
    /// `.map_err(Error::encode)`).
    pub fn encode(e: EncodeError) -> Self {
        Error::Request(e.to_string())
    }

    /// The HTTP status of an [`Error::Api`] or [`Error::Decode`].
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The API error, if the server answered with a non-2xx status.
    pub fn api(&self) -> Option<&ApiError<E>> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// Whether the call timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }
}

impl<E: fmt::Debug> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => f.debug_tuple("Api").field(e).finish(),
            Error::Timeout { kind, after } => f
                .debug_struct("Timeout")
                .field("kind", kind)
                .field("after", after)
                .finish(),
            Error::Transport(e) => f.debug_tuple("Transport").field(e).finish(),
            Error::Decode { status, message } => f
                .debug_struct("Decode")
                .field("status", status)
                .field("message", message)
                .finish(),
            Error::Request(m) => f.debug_tuple("Request").field(m).finish(),
        }
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => write!(f, "the API answered {}: {}", e.status, e.raw_excerpt()),
            Error::Timeout {
                kind: TimeoutKind::Attempt,
                after,
            } => write!(f, "no response within the per-attempt timeout of {after:?}"),
            Error::Timeout {
                kind: TimeoutKind::Call,
                after,
            } => write!(
                f,
                "the call did not finish within its deadline of {after:?}"
            ),
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::Decode { status, message } => {
                write!(f, "cannot decode the {status} response: {message}")
            }
            Error::Request(m) => write!(f, "cannot build the request: {m}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            _ => None,
        }
    }
}

impl<E> From<ApiError<E>> for Error<E> {
    fn from(e: ApiError<E>) -> Self {
        Error::Api(e)
    }
}

/// A non-2xx response: status, headers, the body decoded as the operation's error model `E` (when it
/// is JSON of that shape) and the raw body text.
pub struct ApiError<E> {
    pub(crate) status: u16,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) body: Option<E>,
    pub(crate) raw: String,
}

/// How much of a raw body `Debug` and `Display` show.
const EXCERPT_CHARS: usize = 200;

impl<E> ApiError<E> {
    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// The body decoded as the error model; `None` when it is not JSON of that shape.
    pub fn body(&self) -> Option<&E> {
        self.body.as_ref()
    }

    /// The decoded body, by value.
    pub fn into_body(self) -> Option<E> {
        self.body
    }

    /// The body as text (invalid UTF-8 replaced by U+FFFD).
    pub fn raw_body(&self) -> &str {
        &self.raw
    }

    /// The first 200 characters of the raw body.
    fn raw_excerpt(&self) -> String {
        let mut s: String = self.raw.chars().take(EXCERPT_CHARS).collect();
        if self.raw.chars().nth(EXCERPT_CHARS).is_some() {
            s.push('…');
        }
        s
    }
}

impl<E: fmt::Debug> fmt::Debug for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ApiError");
        d.field("status", &self.status);
        match &self.body {
            Some(body) => d.field("body", body),
            None => d.field("raw", &self.raw_excerpt()),
        };
        d.finish()
    }
}

impl<E> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the API answered {}: {}",
            self.status,
            self.raw_excerpt()
        )
    }
}
