//! Error types returned by the Seam client.

use std::fmt;

use bytes::Bytes;

/// Convenience alias: `Result<T, seam_connect::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Maximum number of characters of a non-JSON error body kept as message.
const MAX_BODY_CHARS: usize = 500;

/// Everything that can go wrong when calling the Seam API.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a non-2xx status (boxed to keep `Result` small).
    Api(Box<ApiError>),
    /// The API answered with a 2xx status but the body did not match the
    /// expected shape.
    Decode {
        /// JSON path of the offending value, e.g. `devices[3].device_type`
        /// (`.` for the document root).
        path: String,
        /// What went wrong at `path`.
        message: String,
        /// HTTP status of the response.
        status: u16,
        /// Value of the `seam-request-id` response header, if any.
        request_id: Option<String>,
    },
    /// The request parameters could not be serialized to JSON.
    Encode(serde_json::Error),
    /// Transport-level failure (DNS, TLS, connection reset, ...).
    Http(reqwest::Error),
    /// An HTTP attempt did not complete within the per-attempt timeout
    /// (`SeamBuilder::timeout`), and no retry followed.
    Timeout,
    /// The whole call, retries included, did not complete within its
    /// deadline (`SeamBuilder::call_timeout` / `CallOptions::call_timeout`).
    CallTimeout {
        /// Attempts started before the deadline (the last one may have been
        /// cut short by it); when the deadline ended an action-attempt wait,
        /// the `action_attempts/get` polls started.
        attempts: u32,
        /// Error of the last attempt that failed before the deadline, if any
        /// did (e.g. `Timeout` or a 503); when the deadline ended an
        /// action-attempt wait, an `ActionAttemptTimeout` with the last
        /// attempt seen. Also [`source`](std::error::Error::source).
        last_error: Option<Box<Error>>,
    },
    /// Invalid client configuration (missing or wrong kind of credential,
    /// bad endpoint URL, ...). The message never contains a token.
    Config(String),
    /// An action attempt (e.g. of `locks().unlock_door`) finished with status
    /// `error`; the attempt (with its `error.type` and `error.message`) is inside.
    #[cfg(feature = "action_attempts")]
    ActionAttemptFailed(Box<crate::generated::contract::ActionAttempt>),
    /// An action attempt was still pending when the wait deadline passed
    /// (see `SeamBuilder::action_attempt_timeout`); the last seen attempt is inside.
    #[cfg(feature = "action_attempts")]
    ActionAttemptTimeout(Box<crate::generated::contract::ActionAttempt>),
    /// An action attempt has a `status` this SDK does not know (neither
    /// `pending`, `success` nor `error`, or none at all): waiting stops at
    /// once rather than guess. The attempt is inside; its status is
    /// `attempt.status()`.
    #[cfg(feature = "action_attempts")]
    ActionAttemptUnknownStatus(Box<crate::generated::contract::ActionAttempt>),
}

impl Error {
    /// HTTP status of the response that caused this error, if there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode { status, .. } => Some(*status),
            Error::Http(e) => e.status().map(|s| s.as_u16()),
            _ => None,
        }
    }

    /// Seam error type (e.g. `device_not_found`) for API errors.
    pub fn error_type(&self) -> Option<&str> {
        match self {
            Error::Api(e) => Some(&e.error_type),
            _ => None,
        }
    }

    /// Value of the `seam-request-id` header of the failed response, if any.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            Error::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The structured API error, if this is an [`Error::Api`].
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(&**e),
            _ => None,
        }
    }

    /// `true` for a 404 API response.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// `true` if the request timed out: an attempt hit the per-attempt
    /// timeout ([`Error::Timeout`]) or the whole call hit its deadline
    /// ([`Error::CallTimeout`]).
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout | Error::CallTimeout { .. })
    }

    /// Builds an [`Error::CallTimeout`].
    pub(crate) fn call_timeout(attempts: u32, last_error: Option<Error>) -> Error {
        Error::CallTimeout {
            attempts,
            last_error: last_error.map(Box::new),
        }
    }

    /// A short name of the kind of error, for traces (never a message that
    /// could carry request data).
    #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Error::Api(_) => "api",
            Error::Decode { .. } => "decode",
            Error::Encode(_) => "encode",
            Error::Http(_) => "transport",
            Error::Timeout => "timeout",
            Error::CallTimeout { .. } => "call_timeout",
            Error::Config(_) => "config",
            #[cfg(feature = "action_attempts")]
            Error::ActionAttemptFailed(_) => "action_attempt_failed",
            #[cfg(feature = "action_attempts")]
            Error::ActionAttemptTimeout(_) => "action_attempt_timeout",
            #[cfg(feature = "action_attempts")]
            Error::ActionAttemptUnknownStatus(_) => "action_attempt_unknown_status",
        }
    }

    /// `true` if the credential was rejected: HTTP 401, or a Seam error type
    /// of `unauthorized` or `access_token_used_for_api_key`.
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
            || matches!(
                self.error_type(),
                Some("unauthorized" | "access_token_used_for_api_key")
            )
    }

    /// `true` for a Seam `invalid_input` error (HTTP 400 with per-field
    /// [`validation_errors`](Error::validation_errors)).
    pub fn is_invalid_input(&self) -> bool {
        self.error_type() == Some("invalid_input")
    }

    /// The per-field messages of an invalid-input error as
    /// `(field path, message)` pairs, e.g. `("device_id", "Expected string,
    /// received number")`; empty for other errors. See
    /// [`ApiError::validation_errors`].
    pub fn validation_errors(&self) -> Vec<(String, String)> {
        self.as_api()
            .map(ApiError::validation_errors)
            .unwrap_or_default()
    }

    /// `true` if the response arrived but could not be decoded
    /// ([`Error::Decode`]).
    pub fn is_decode(&self) -> bool {
        matches!(self, Error::Decode { .. })
    }

    /// `true` for transport failures ([`Error::Http`]): DNS, TLS, refused or
    /// reset connections, truncated bodies.
    pub fn is_transport(&self) -> bool {
        matches!(self, Error::Http(_))
    }

    /// The action attempt of an [`Error::ActionAttemptFailed`],
    /// [`Error::ActionAttemptTimeout`] or [`Error::ActionAttemptUnknownStatus`],
    /// or of an [`Error::CallTimeout`] that ended an action-attempt wait.
    #[cfg(feature = "action_attempts")]
    pub fn action_attempt(&self) -> Option<&crate::generated::contract::ActionAttempt> {
        match self {
            Error::ActionAttemptFailed(a)
            | Error::ActionAttemptTimeout(a)
            | Error::ActionAttemptUnknownStatus(a) => Some(&**a),
            Error::CallTimeout {
                last_error: Some(e),
                ..
            } => e.action_attempt(),
            _ => None,
        }
    }
}

/// Reads `action_attempt_id` and `action_type` of an action attempt for
/// error messages (`action attempt <id> (<type>)`), and its
/// `error.{type,message}` (`<type>: <message>`), if it has an error.
#[cfg(feature = "action_attempts")]
fn attempt_summary(
    attempt: &crate::generated::contract::ActionAttempt,
) -> (String, Option<String>) {
    let value = serde_json::to_value(attempt).unwrap_or_default();
    let field = |v: &serde_json::Value, k: &str| {
        v.get(k)
            .and_then(serde_json::Value::as_str)
            .unwrap_or("?")
            .to_owned()
    };
    let name = format!(
        "action attempt {} ({})",
        field(&value, "action_attempt_id"),
        field(&value, "action_type")
    );
    let error = value
        .get("error")
        .filter(|e| e.is_object())
        .map(|error| format!("{}: {}", field(error, "type"), field(error, "message")));
    (name, error)
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => fmt::Display::fmt(e, f),
            Error::Decode {
                path,
                message,
                status,
                request_id,
            } => {
                write!(
                    f,
                    "failed to decode Seam response (HTTP {status}) at `{path}`: {message}"
                )?;
                if let Some(id) = request_id {
                    write!(f, " (request id {id})")?;
                }
                Ok(())
            }
            Error::Encode(e) => write!(f, "failed to serialize request parameters: {e}"),
            Error::Http(e) => write!(f, "HTTP transport error: {e}"),
            Error::Timeout => f.write_str("request to Seam timed out"),
            Error::CallTimeout {
                attempts,
                last_error,
            } => {
                write!(
                    f,
                    "call to Seam did not complete within its call timeout ({attempts} attempt{})",
                    if *attempts == 1 { "" } else { "s" }
                )?;
                if let Some(e) = last_error {
                    write!(f, "; last error: {e}")?;
                }
                Ok(())
            }
            Error::Config(msg) => write!(f, "invalid Seam client configuration: {msg}"),
            #[cfg(feature = "action_attempts")]
            Error::ActionAttemptFailed(a) => match attempt_summary(a) {
                (name, Some(error)) => write!(f, "Seam {name} failed: {error}"),
                (name, None) => write!(f, "Seam {name} failed"),
            },
            #[cfg(feature = "action_attempts")]
            Error::ActionAttemptTimeout(a) => {
                write!(f, "timed out waiting for Seam {}", attempt_summary(a).0)
            }
            #[cfg(feature = "action_attempts")]
            Error::ActionAttemptUnknownStatus(a) => write!(
                f,
                "Seam {} has status `{}`, which this SDK does not know",
                attempt_summary(a).0,
                a.status().as_ref().map_or(
                    "<none>",
                    crate::generated::contract::ActionAttemptStatus::as_str
                )
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Encode(e) => Some(e),
            Error::Http(e) => Some(e),
            Error::CallTimeout {
                last_error: Some(e),
                ..
            } => Some(&**e),
            _ => None,
        }
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(Box::new(e))
    }
}

/// A non-2xx response from the Seam API.
///
/// Seam error bodies look like
/// `{"error": {"type": "device_not_found", "message": "...", ...}}`.
///
/// `Debug` shows the status, type, message and request id only; the whole
/// body (which may hold, e.g., a server stack trace) is in
/// [`raw_body`](ApiError::raw_body) and the `error` field.
#[derive(Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// HTTP status code.
    pub status: u16,
    /// Seam error type, e.g. `device_not_found`; `unknown` if the body was
    /// not a Seam error object.
    pub error_type: String,
    /// Human-readable message.
    pub message: String,
    /// Value of the `seam-request-id` response header, if any.
    pub request_id: Option<String>,
    /// The raw `error` object (e.g. with `validation_errors`);
    /// `Value::Null` if the body was not a Seam error object.
    pub error: serde_json::Value,
    /// The response body, as received.
    raw_body: Bytes,
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("error_type", &self.error_type)
            .field("message", &self.message)
            .field("request_id", &self.request_id)
            .finish_non_exhaustive()
    }
}

impl ApiError {
    /// Builds an [`ApiError`] from a raw response. Never fails: bodies that
    /// are not Seam error objects yield type `unknown` and the (truncated)
    /// body text as message.
    pub(crate) fn from_response(status: u16, request_id: Option<String>, body: Bytes) -> Self {
        let parsed = serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .and_then(
                |mut v| match v.get_mut("error").map(serde_json::Value::take) {
                    Some(e @ serde_json::Value::Object(_)) => Some(e),
                    _ => None,
                },
            );
        match parsed {
            Some(error) => {
                let error_type = error
                    .get("type")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or("unknown")
                    .to_owned();
                let message = error
                    .get("message")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                ApiError {
                    status,
                    error_type,
                    message,
                    request_id,
                    error,
                    raw_body: body,
                }
            }
            None => ApiError {
                status,
                error_type: "unknown".to_owned(),
                message: truncate(&String::from_utf8_lossy(&body), MAX_BODY_CHARS),
                request_id,
                error: serde_json::Value::Null,
                raw_body: body,
            },
        }
    }
}

impl ApiError {
    /// The response body exactly as received (e.g. to log it in full, or to
    /// read fields this SDK does not model). `Debug` leaves it out.
    pub fn raw_body(&self) -> &[u8] {
        &self.raw_body
    }

    /// The per-field messages of an `invalid_input` error, as
    /// `(field path, message)` pairs sorted by field path (the messages of one
    /// field in the order Seam sent them), so the order does not depend on
    /// how `serde_json` keeps object keys.
    ///
    /// Seam sends `validation_errors` in zod's "format" shape,
    /// `{"_errors": [], "device_id": {"_errors": ["Expected string, received number"]}}`;
    /// nested fields are joined with `.` (`access_code.code`), messages about
    /// the whole body have the path `""`. zod's "flatten" shape
    /// (`formErrors` / `fieldErrors`) is understood too.
    pub fn validation_errors(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if let Some(v) = self.error.get("validation_errors") {
            collect_validation_errors(String::new(), v, &mut out);
        }
        // A stable sort: messages of one field keep their order.
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }
}

fn collect_validation_errors(
    path: String,
    value: &serde_json::Value,
    out: &mut Vec<(String, String)>,
) {
    use serde_json::Value;
    match value {
        Value::String(msg) => out.push((path, msg.clone())),
        Value::Array(items) => {
            for item in items {
                if let Value::String(msg) = item {
                    out.push((path.clone(), msg.clone()));
                }
            }
        }
        Value::Object(map) => {
            for (key, v) in map {
                match key.as_str() {
                    "_errors" | "formErrors" | "fieldErrors" => {
                        collect_validation_errors(path.clone(), v, out)
                    }
                    _ => {
                        let child = if path.is_empty() {
                            key.clone()
                        } else {
                            format!("{path}.{key}")
                        };
                        collect_validation_errors(child, v, out);
                    }
                }
            }
        }
        _ => {}
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Seam API error (HTTP {}) {}",
            self.status, self.error_type
        )?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// Truncates to at most `max` characters (on a char boundary), appending `…`
/// when something was cut.
fn truncate(s: &str, max: usize) -> String {
    let s = s.trim();
    match s.char_indices().nth(max) {
        Some((idx, _)) => format!("{}…", &s[..idx]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `ApiError::from_response` on a copy of `body`.
    fn api(status: u16, request_id: Option<String>, body: &[u8]) -> ApiError {
        ApiError::from_response(status, request_id, Bytes::copy_from_slice(body))
    }

    #[test]
    fn parses_seam_error_body() {
        let body = br#"{"error":{"type":"invalid_input","message":"Bad","validation_errors":{"x":1}},"ok":false}"#;
        let e = api(400, Some("req_1".into()), body);
        assert_eq!(e.status, 400);
        assert_eq!(e.error_type, "invalid_input");
        assert_eq!(e.message, "Bad");
        assert_eq!(e.error["validation_errors"]["x"], 1);
        let err = Error::from(e);
        assert_eq!(err.status(), Some(400));
        assert_eq!(err.error_type(), Some("invalid_input"));
        assert_eq!(err.request_id(), Some("req_1"));
        assert!(!err.is_not_found());
        assert_eq!(
            err.to_string(),
            "Seam API error (HTTP 400) invalid_input: Bad (request id req_1)"
        );
    }

    #[test]
    fn non_json_body_is_unknown_and_truncated() {
        let body = "x".repeat(2000);
        let e = api(502, None, body.as_bytes());
        assert_eq!(e.error_type, "unknown");
        assert_eq!(e.message.chars().count(), MAX_BODY_CHARS + 1);
        assert!(e.error.is_null());
        let e = api(503, None, "é".repeat(600).as_bytes());
        assert!(e.message.ends_with('…'));
        let e = api(404, None, br#"{"error":"nope"}"#);
        assert_eq!(e.error_type, "unknown");
        assert_eq!(e.message, r#"{"error":"nope"}"#);
        assert!(Error::from(e).is_not_found());
    }

    #[test]
    fn validation_errors_and_helpers() {
        let body = br#"{"error":{"type":"invalid_input","message":"Invalid input","validation_errors":{"_errors":["top"],"connected_account_id":{"_errors":["Required"]},"access_code":{"_errors":[],"code":{"_errors":["Too short","Not numeric"]}}}},"ok":false}"#;
        let err = Error::from(api(400, None, body));
        assert!(err.is_invalid_input());
        assert!(!err.is_unauthorized());
        assert_eq!(
            err.validation_errors(),
            vec![
                ("".to_owned(), "top".to_owned()),
                ("access_code.code".to_owned(), "Too short".to_owned()),
                ("access_code.code".to_owned(), "Not numeric".to_owned()),
                ("connected_account_id".to_owned(), "Required".to_owned()),
            ]
        );
        let body = br#"{"error":{"type":"invalid_input","validation_errors":{"formErrors":[],"fieldErrors":{"a":["bad a"]}}}}"#;
        let e = api(400, None, body);
        assert_eq!(
            e.validation_errors(),
            vec![("a".to_owned(), "bad a".to_owned())]
        );

        let body = br#"{"error":{"type":"unauthorized","message":"API Key not found"}}"#;
        let err = Error::from(api(401, None, body));
        assert!(err.is_unauthorized());
        assert!(err.validation_errors().is_empty());
        assert!(!Error::Timeout.is_unauthorized());
        assert!(!Error::Timeout.is_decode());
        assert!(!Error::Timeout.is_transport());
    }

    #[test]
    fn debug_is_concise_and_the_raw_body_is_kept() {
        let stack = format!(
            "Error: Device not found\\n{}",
            "    at handler (/app/route.js:1:2)\\n".repeat(50)
        );
        let body = format!(
            r#"{{"error":{{"type":"device_not_found","message":"Device not found","stack":"{stack}"}},"ok":false}}"#
        );
        assert!(body.len() > 1500);
        let e = api(404, Some("req_7".into()), body.as_bytes());
        let dbg = format!("{e:?}");
        assert_eq!(
            dbg,
            r#"ApiError { status: 404, error_type: "device_not_found", message: "Device not found", request_id: Some("req_7"), .. }"#
        );
        let err = Error::from(e.clone());
        let dbg = format!("{err:?}");
        assert!(!dbg.contains("route.js"), "{dbg}");
        assert!(dbg.len() < 200, "{dbg}");
        // Nothing is lost: the body and the parsed `error` object are still there.
        assert_eq!(e.raw_body(), body.as_bytes());
        assert!(e.error["stack"]
            .as_str()
            .is_some_and(|s| s.contains("route.js")));
        // Non-JSON bodies: the message is truncated, the raw body is not.
        let long = "y".repeat(2000);
        let e = api(502, None, long.as_bytes());
        assert_eq!(e.raw_body().len(), 2000);
        assert!(format!("{e:?}").len() < 700);
    }

    #[test]
    fn call_timeout_display_and_source() {
        use std::error::Error as _;
        let err = Error::call_timeout(3, Some(Error::Timeout));
        assert!(err.is_timeout());
        assert_eq!(
            err.to_string(),
            "call to Seam did not complete within its call timeout (3 attempts); last error: request to Seam timed out"
        );
        assert!(err
            .source()
            .is_some_and(|s| s.to_string() == "request to Seam timed out"));
        let err = Error::call_timeout(1, None);
        assert_eq!(
            err.to_string(),
            "call to Seam did not complete within its call timeout (1 attempt)"
        );
        assert!(err.source().is_none());
        assert_eq!(err.kind(), "call_timeout");
    }

    #[test]
    fn error_stays_small() {
        assert!(
            std::mem::size_of::<Error>() <= 96,
            "{}",
            std::mem::size_of::<Error>()
        );
    }

    #[test]
    fn display_variants() {
        let e = Error::Decode {
            path: "devices[3].device_type".into(),
            message: "invalid type: integer `1`, expected a string".into(),
            status: 200,
            request_id: None,
        };
        assert_eq!(
            e.to_string(),
            "failed to decode Seam response (HTTP 200) at `devices[3].device_type`: invalid type: integer `1`, expected a string"
        );
        assert_eq!(e.status(), Some(200));
        assert_eq!(Error::Timeout.to_string(), "request to Seam timed out");
        assert!(Error::Timeout.is_timeout());
        assert_eq!(
            Error::Config("api key is empty".into()).to_string(),
            "invalid Seam client configuration: api key is empty"
        );
    }
}
