//! Verifying Seam's webhook deliveries.
//!
//! Seam signs every delivery the way [Svix](https://docs.svix.com/receiving/verifying-payloads/how-manual)
//! (and the Standard Webhooks spec) does:
//!
//! - `webhook-id` (or `svix-id`): the message id;
//! - `webhook-timestamp` (or `svix-timestamp`): seconds since the Unix epoch;
//! - `webhook-signature` (or `svix-signature`): space-separated `v1,<base64>` entries, each the
//!   HMAC-SHA256 of `{id}.{timestamp}.{body}` keyed with the secret (the base64 after `whsec_`).
//!   While a secret is being rotated a delivery carries one entry per secret; one match is enough.
//!
//! [`Webhook::verify`] checks all of it on the raw body (before any JSON parsing: re-serialized JSON
//! would not match) and returns the typed [`Event`] (or, for a known event type whose body does not
//! match this SDK's type, [`WebhookEvent::Undecoded`] with the JSON and why). [`Webhook::verify_signature`]
//! only checks, for callers that decode bodies themselves.
//!
//! ```no_run
//! # fn handle(secret: &str, headers: &seam_connect::reqwest::header::HeaderMap, body: &[u8])
//! # -> Result<(), seam_connect::webhook::WebhookError> {
//! use seam_connect::models::Event;
//! use seam_connect::webhook::{Webhook, WebhookEvent};
//!
//! let webhook = Webhook::new(secret)?; // "whsec_...", from the Seam console
//! match webhook.verify(body, headers)? {
//!     WebhookEvent::Event(Event::Unrecognized(json)) => println!("a type this SDK does not know: {json}"),
//!     WebhookEvent::Event(event) => println!("{:?} {:?}", event.event_type(), event.event_id()),
//!     WebhookEvent::Undecoded(u) => println!("{}: not as expected at {}: {}", u.event_type, u.path, u.message),
//!     _ => {}
//! }
//! # Ok(()) }
//! ```

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::generated::contract::Event;

/// How far a delivery's timestamp may be from now, either way (the Svix default).
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// The prefix of the secrets Seam shows for a webhook endpoint.
const SECRET_PREFIX: &str = "whsec_";

/// A webhook endpoint's secret, ready to verify deliveries. Cheap to clone; build it once.
///
/// `Debug` shows the tolerance, never the secret.
#[derive(Clone)]
pub struct Webhook {
    key: Vec<u8>,
    tolerance: Duration,
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook")
            .field("secret", &"[redacted]")
            .field("tolerance", &self.tolerance)
            .finish()
    }
}

/// Why a delivery was refused (or a secret not accepted).
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookError {
    /// The secret is not `whsec_` followed by base64 (or plain base64). The secret is not repeated.
    InvalidSecret,
    /// A header the signature needs is absent: the name is the `webhook-` one (`webhook-id`,
    /// `webhook-timestamp`, `webhook-signature`); the `svix-` one was absent too.
    MissingHeader(&'static str),
    /// A header is present but unreadable: not UTF-8, or a timestamp that is not whole seconds.
    InvalidHeader(&'static str),
    /// The delivery's timestamp is further from now than the tolerance (a replay, or a wrong clock).
    TimestampOutOfTolerance {
        /// The `webhook-timestamp` value, in seconds since the Unix epoch.
        timestamp: i64,
        /// The time it was checked at, in seconds since the Unix epoch.
        now: i64,
    },
    /// No `v1` signature in `webhook-signature` matches the body, id and timestamp with this secret.
    InvalidSignature,
    /// The signature is valid, but the body is not a Seam event: not a JSON object with a string
    /// `event_type`. (A known event type whose body does not match is
    /// [`WebhookEvent::Undecoded`], not an error.)
    InvalidEvent {
        /// JSON path of the offending value (`.` for the document root).
        path: String,
        /// What went wrong there.
        message: String,
    },
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidSecret => {
                f.write_str("invalid webhook secret: expected `whsec_` followed by base64")
            }
            Self::MissingHeader(name) => write!(f, "webhook header `{name}` is missing"),
            Self::InvalidHeader(name) => write!(f, "webhook header `{name}` is malformed"),
            Self::TimestampOutOfTolerance { timestamp, now } => write!(
                f,
                "webhook timestamp {timestamp} is too far from the current time {now}"
            ),
            Self::InvalidSignature => f.write_str("no webhook signature matches"),
            Self::InvalidEvent { path, message } => {
                write!(
                    f,
                    "the webhook body is not a Seam event at {path}: {message}"
                )
            }
        }
    }
}

impl std::error::Error for WebhookError {}

impl Webhook {
    /// Accepts the endpoint's secret as Seam shows it (`whsec_` + base64), or the base64 alone.
    pub fn new(secret: &str) -> Result<Self, WebhookError> {
        let encoded = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
        let key = BASE64
            .decode(encoded.trim())
            .map_err(|_| WebhookError::InvalidSecret)?;
        if key.is_empty() {
            return Err(WebhookError::InvalidSecret);
        }
        Ok(Self {
            key,
            tolerance: DEFAULT_TOLERANCE,
        })
    }

    /// Replaces how far a timestamp may be from now ([`DEFAULT_TOLERANCE`]: 5 minutes).
    pub fn with_tolerance(mut self, tolerance: Duration) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Checks a delivery against the current time and decodes its body: the typed [`Event`], or,
    /// for an event of a type this SDK knows whose body does not match its type here,
    /// [`WebhookEvent::Undecoded`] with the JSON and why (a verified delivery is never refused
    /// for its shape). A body that is not a Seam event at all (not a JSON object with a string
    /// `event_type`) is [`WebhookError::InvalidEvent`].
    ///
    /// `body` is the raw request body, unchanged. `headers` is an `http::HeaderMap` (axum, hyper,
    /// reqwest's `seam_connect::reqwest::header::HeaderMap`), or any list of `(name, value)` pairs;
    /// names are matched without regard to case.
    pub fn verify<K, V>(
        &self,
        body: &[u8],
        headers: impl IntoIterator<Item = (K, V)>,
    ) -> Result<WebhookEvent, WebhookError>
    where
        K: AsRef<str>,
        V: AsRef<[u8]>,
    {
        self.verify_at(body, headers, SystemTime::now())
    }

    /// [`verify`](Self::verify) as if the current time were `now` (for tests and replays of logged
    /// deliveries).
    pub fn verify_at<K, V>(
        &self,
        body: &[u8],
        headers: impl IntoIterator<Item = (K, V)>,
        now: SystemTime,
    ) -> Result<WebhookEvent, WebhookError>
    where
        K: AsRef<str>,
        V: AsRef<[u8]>,
    {
        self.verify_signature_at(body, headers, now)?;
        parse_event(body)
    }

    /// Only the signature and timestamp checks of [`verify`](Self::verify), against the current
    /// time, without decoding the body: to store deliveries verbatim, or to decode them in a way of
    /// your own once they are known to come from Seam.
    pub fn verify_signature<K, V>(
        &self,
        body: &[u8],
        headers: impl IntoIterator<Item = (K, V)>,
    ) -> Result<(), WebhookError>
    where
        K: AsRef<str>,
        V: AsRef<[u8]>,
    {
        self.verify_signature_at(body, headers, SystemTime::now())
    }

    /// [`verify_signature`](Self::verify_signature) as if the current time were `now`; the checks
    /// of [`verify_at`](Self::verify_at) without decoding the body.
    pub fn verify_signature_at<K, V>(
        &self,
        body: &[u8],
        headers: impl IntoIterator<Item = (K, V)>,
        now: SystemTime,
    ) -> Result<(), WebhookError>
    where
        K: AsRef<str>,
        V: AsRef<[u8]>,
    {
        let found = Found::collect(headers)?;
        let id = found.id.ok_or(WebhookError::MissingHeader(ID))?;
        let timestamp_text = found
            .timestamp
            .ok_or(WebhookError::MissingHeader(TIMESTAMP))?;
        if found.signatures.is_empty() {
            return Err(WebhookError::MissingHeader(SIGNATURE));
        }
        let timestamp: i64 = timestamp_text
            .trim()
            .parse()
            .map_err(|_| WebhookError::InvalidHeader(TIMESTAMP))?;
        let now_secs = match now.duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
        };
        if timestamp.abs_diff(now_secs) > self.tolerance.as_secs() {
            return Err(WebhookError::TimestampOutOfTolerance {
                timestamp,
                now: now_secs,
            });
        }
        // The key is valid by construction (HMAC takes keys of any length).
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
            .map_err(|_| WebhookError::InvalidSecret)?;
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp_text.as_bytes());
        mac.update(b".");
        mac.update(body);
        let matches = found
            .signatures
            .iter()
            .flat_map(|header| header.split_ascii_whitespace())
            .filter_map(|entry| entry.strip_prefix("v1,"))
            .filter_map(|b64| BASE64.decode(b64).ok())
            // `verify_slice` compares in constant time.
            .any(|signature| mac.clone().verify_slice(&signature).is_ok());
        if matches {
            Ok(())
        } else {
            Err(WebhookError::InvalidSignature)
        }
    }
}

/// What a verified delivery holds.
// An `Event` is as large by itself; boxing it would only make matching on it harder.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum WebhookEvent {
    /// The event, typed; an event type this SDK does not know is [`Event::Unrecognized`], whole.
    Event(Event),
    /// An event of a type this SDK knows whose body does not match this SDK's type for it (a
    /// required field missing, a value of another type: the API changed since this version).
    Undecoded(UndecodedEvent),
}

impl WebhookEvent {
    /// The event's `event_type`, e.g. `EventEventType::DeviceConnected` (`device.connected`).
    pub fn event_type(&self) -> Option<crate::generated::contract::EventType> {
        match self {
            WebhookEvent::Event(e) => crate::generated::contract::event_type(e),
            WebhookEvent::Undecoded(u) => Some(u.event_type.as_str().into()),
        }
    }

    /// The typed event, if the body decoded.
    pub fn event(&self) -> Option<&Event> {
        match self {
            WebhookEvent::Event(e) => Some(e),
            WebhookEvent::Undecoded(_) => None,
        }
    }

    /// The typed event, by value, if the body decoded.
    pub fn into_event(self) -> Option<Event> {
        match self {
            WebhookEvent::Event(e) => Some(e),
            WebhookEvent::Undecoded(_) => None,
        }
    }
}

/// A verified event whose body does not decode to this SDK's type for its `event_type`.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct UndecodedEvent {
    /// Its `event_type`, e.g. `device.connected`.
    pub event_type: String,
    /// The body, as JSON.
    pub json: serde_json::Value,
    /// JSON path of the value that did not decode (`.` for the document root).
    pub path: String,
    /// What did not match there.
    pub message: String,
}

/// Decodes a verified body (see [`Webhook::verify`]).
fn parse_event(body: &[u8]) -> Result<WebhookEvent, WebhookError> {
    let json: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| WebhookError::InvalidEvent {
            path: ".".into(),
            message: e.to_string(),
        })?;
    // Any JSON object decodes to `Event::Unrecognized`; a Seam event, even of a type this SDK does
    // not know, has its `event_type`.
    let Some(event_type) = json.get("event_type").and_then(serde_json::Value::as_str) else {
        return Err(WebhookError::InvalidEvent {
            path: "event_type".into(),
            message: "missing, or not a string: not a Seam event".into(),
        });
    };
    let event_type = event_type.to_owned();
    match serde_json::from_slice::<Event>(body) {
        Ok(event) => Ok(WebhookEvent::Event(event)),
        // Types this SDK does not know decode (to `Unrecognized`): the type is known, its body
        // is not what this SDK expects.
        Err(e) => Ok(WebhookEvent::Undecoded(UndecodedEvent {
            event_type,
            json,
            path: crate::runtime::de::json_path(body, e.line(), e.column()),
            message: e.to_string(),
        })),
    }
}

const ID: &str = "webhook-id";
const TIMESTAMP: &str = "webhook-timestamp";
const SIGNATURE: &str = "webhook-signature";

/// The signature headers of a delivery: `webhook-*`, else `svix-*`.
#[derive(Default)]
struct Found {
    id: Option<String>,
    timestamp: Option<String>,
    signatures: Vec<String>,
    svix_id: Option<String>,
    svix_timestamp: Option<String>,
    svix_signatures: Vec<String>,
}

impl Found {
    fn collect<K: AsRef<str>, V: AsRef<[u8]>>(
        headers: impl IntoIterator<Item = (K, V)>,
    ) -> Result<Self, WebhookError> {
        let mut found = Found::default();
        for (name, value) in headers {
            let name = name.as_ref().to_ascii_lowercase();
            let (slot, public): (&mut Option<String>, &'static str) = match name.as_str() {
                ID => (&mut found.id, ID),
                "svix-id" => (&mut found.svix_id, ID),
                TIMESTAMP => (&mut found.timestamp, TIMESTAMP),
                "svix-timestamp" => (&mut found.svix_timestamp, TIMESTAMP),
                SIGNATURE | "svix-signature" => {
                    let text = std::str::from_utf8(value.as_ref())
                        .map_err(|_| WebhookError::InvalidHeader(SIGNATURE))?;
                    if name == SIGNATURE {
                        found.signatures.push(text.to_owned());
                    } else {
                        found.svix_signatures.push(text.to_owned());
                    }
                    continue;
                }
                _ => continue,
            };
            if slot.is_none() {
                let text = std::str::from_utf8(value.as_ref())
                    .map_err(|_| WebhookError::InvalidHeader(public))?;
                *slot = Some(text.to_owned());
            }
        }
        // Svix's own libraries read `svix-*` when `webhook-*` is absent; each header separately.
        if found.id.is_none() {
            found.id = found.svix_id.take();
        }
        if found.timestamp.is_none() {
            found.timestamp = found.svix_timestamp.take();
        }
        if found.signatures.is_empty() {
            found.signatures = std::mem::take(&mut found.svix_signatures);
        }
        Ok(found)
    }
}
