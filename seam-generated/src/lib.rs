//! Rust SDK for the [Seam Connect API](https://docs.seam.co/latest/api),
//! generated from Seam's OpenAPI specification.
//!
//! # Quick start
//!
//! ```no_run
//! # async fn demo() -> seam_connect::Result<()> {
//! let seam = seam_connect::Seam::from_api_key("seam_...")?; // or Seam::from_env()?
//! let devices = seam.devices().list().await?;
//! let lock = &devices[0].device_id;
//! seam.locks().unlock_door(lock).await?; // waits for the action attempt
//! let code = seam
//!     .access_codes()
//!     .create(lock) // required parameters are arguments
//!     .name("Guest") // optional ones are setters
//!     .code("4444")
//!     .starts_at("2030-01-01T16:00:00Z")
//!     .ends_at("2030-01-03T11:00:00Z")
//!     .await?; // awaiting sends the request
//! # let _ = code;
//! seam.access_grants().update("id").clear_ends_at().await?; // `null`: no end
//! # Ok(())
//! # }
//! ```
//!
//! # Requests
//!
//! Every endpoint function returns a [`Request`]: required parameters are
//! the function's arguments, optional ones chained setters, and `.await`
//! sends it. The same value takes per-call settings
//! ([`timeout`](Request::timeout), [`wait_for_action_attempt`](Request::wait_for_action_attempt),
//! [`options`](Request::options)); `<name>_with(params)` takes a whole
//! params value built elsewhere (e.g. from data). A request of an endpoint
//! that starts an action attempt beside its value has
//! [`with_action_attempt`](Request::with_action_attempt); a paginated list's
//! request has [`pages`](Request::pages).
//!
//! Types are forward compatible: structs and enums are `#[non_exhaustive]`,
//! so a field or value a newer spec adds breaks no caller (build request
//! values with `new(..)` and setters; match enums with a `_` arm); values
//! this version does not know decode to `Unrecognized(..)`. Every type in
//! [`models`] is named after its place in the API
//! (`DevicePropertiesBatteryStatus`); where several places have the same
//! schema, each name is an alias of one hidden type, so the name you use
//! stays when other places change.
//!
//! # Authentication
//!
//! One constructor per auth mode Seam supports (each also available on
//! [`SeamBuilder`]); tokens are checked by prefix, so a token given to the
//! wrong constructor fails early with [`Error::Config`]:
//!
//! | mode | constructor | headers sent |
//! | --- | --- | --- |
//! | API key `seam_...` | [`Seam::from_api_key`], [`Seam::from_env`] (`SEAM_API_KEY`) | `Authorization: Bearer` |
//! | personal access token `seam_at...` | [`Seam::from_personal_access_token`], [`Seam::from_env`] (`SEAM_PERSONAL_ACCESS_TOKEN` + `SEAM_WORKSPACE_ID`) | `Authorization: Bearer`, `seam-workspace` |
//! | console session token (JWT `ey...`) | [`Seam::from_console_session_token`] | `Authorization: Bearer`, `seam-workspace` |
//! | client session token `seam_cst...` | [`Seam::from_client_session_token`]; replace with [`Seam::set_client_session_token`] | `Authorization: Bearer`, `client-session-token` |
//! | publishable key `seam_pk...` + user identifier key | [`Seam::from_publishable_key`] (async: exchanges it for a client session token) | `seam-publishable-key` once, then as a client session |
//! | PAT / console session without workspace | [`Seam::without_workspace_pat`], [`Seam::without_workspace_console_session`] | `Authorization: Bearer` only |
//!
//! `SEAM_ENDPOINT` (or [`SeamBuilder::endpoint`]) overrides the API URL.
//! Tokens never appear in `Debug`/`Display` output or error messages.
//!
//! # Errors, waiting, paging
//!
//! Every call returns [`Result`]; failures are described by [`Error`]
//! (non-2xx responses carry an [`ApiError`] with Seam's error type, message,
//! `seam-request-id` and, for `invalid_input`, the per-field
//! [`validation_errors`](Error::validation_errors)). Test them with
//! [`Error::error_type`], [`Error::is_unauthorized`], [`Error::is_not_found`],
//! [`Error::is_invalid_input`], [`Error::is_timeout`].
//!
//! Endpoints that return an action attempt (e.g. `locks().unlock_door`) wait
//! for it to succeed or fail by default (`Error::ActionAttemptFailed` /
//! `Error::ActionAttemptTimeout`; a status the SDK does not know ends the
//! wait with `Error::ActionAttemptUnknownStatus`); see
//! [`CallOptions::wait_for_action_attempt`](CallOptions::wait_for_action_attempt()). `seam.action_attempts().wait(id)`
//! waits the same way on an attempt started earlier.
//! Paginated lists' requests have [`pages`](Request::pages), returning a [`Paginator`].
//!
//! Settings (timeouts, retries, waiting) are client-wide on [`SeamBuilder`] and
//! can be overridden for one call on its [`Request`], or for a handle with
//! [`Seam::with_options`]; each is documented once, on [`CallOptions`]. [`Seam`] is
//! cheap to clone and can be shared freely between tasks.
//!
//! # Timeouts
//!
//! | limit | default | bounds | error |
//! | --- | --- | --- | --- |
//! | [`timeout`](CallOptions::timeout()) | 30 s | each HTTP attempt | [`Error::Timeout`] |
//! | [`call_timeout`](CallOptions::call_timeout()) | none | a whole call: all attempts and retry delays, and the action-attempt wait | [`Error::CallTimeout`] |
//! | [`action_attempt_timeout`](CallOptions::action_attempt_timeout()) | 20 s | waiting for an action attempt | `Error::ActionAttemptTimeout` |
//!
//! [`Error::is_timeout`] is `true` for the first two.
//!
//! # Testing your code
//!
//! Your code's tests need no Seam account: build the values Seam would
//! answer, serve them from any HTTP mock (wiremock, httpmock, your own) and
//! point the client at it with [`SeamBuilder::endpoint`]. Models are
//! `#[non_exhaustive]`; with the cargo feature `test-util` (off by default,
//! not in `full`: enable it in `[dev-dependencies]`) every decoded model is
//! `Default` (placeholders: empty, zero, `false`, the first value or
//! variant) and the structs only responses hold have a setter per field, so
//! a test sets what it reads and keeps compiling when Seam adds a required
//! field. Seam's API is `POST` + JSON and answers
//! `{"<response key>": value, "ok": true}`; each endpoint's docs name its key.
//! Union variants are built as they are matched (a tagged union's variant
//! fills in its tag values itself).
//!
//! ```no_run
//! # #[cfg(feature = "test-util")]
//! # async fn demo(mock_url: &str) -> seam_connect::Result<()> {
//! use seam_connect::{models, Seam};
//!
//! let properties = models::DeviceProperties::default()
//!     .appearance(models::DevicePropertiesAppearance::default().name("Front Door"))
//!     .online(true)
//!     .locked(true);
//! let device = models::Device::default()
//!     .device_id("device_1")
//!     .device_type(models::DeviceDeviceType::AugustLock)
//!     .display_name("Front Door")
//!     .properties(properties); // the rest keep their placeholders
//! let body = serde_json::json!({ "device": &device, "ok": true });
//! // ... serve `body` for `POST /devices/get` from the mock at `mock_url` ...
//! let seam = Seam::builder().api_key("seam_test").endpoint(mock_url).build()?;
//! assert_eq!(seam.devices().get("device_1").await?, device);
//! # let _ = body;
//! # Ok(())
//! # }
//! ```
//!
//! # Tracing
//!
//! With the cargo feature `tracing` (off by default, not part of `full`),
//! every call runs in an INFO span `seam.call` with the fields `method`,
//! `path`, `attempt`, `status`, `request_id` (`seam-request-id`),
//! `elapsed_ms` and, on failure, `error` (the kind of error); retries are
//! INFO events `seam.retry`, action-attempt polls DEBUG events
//! `seam.action_attempt.poll`. Tokens and request or response bodies are
//! never recorded.
#![deny(missing_docs)]
// Documentation built with `--cfg docsrs` (nightly, as the registry's build does): label every
// feature-gated item with the features it needs.
#![cfg_attr(docsrs, feature(doc_cfg))]

#[rustfmt::skip] // generated files are formatted by the generator (prettyplease)
mod generated;
mod runtime;

pub use generated::{api, models};
pub use runtime::request;
pub use runtime::{
    ApiError, AuthMode, CallOptions, Error, Page, Paginator, Request, Result, Seam, SeamBuilder,
    Timestamp, TimestampError,
};

#[cfg(feature = "events")]
pub use runtime::webhook;

/// The `Stream` trait implemented by [`Paginator::into_stream`]
/// (re-exported from `futures-core`; `futures::StreamExt` works on it).
pub use futures_core::Stream;
/// The `reqwest` crate this SDK is built on, e.g. to build a client for
/// [`SeamBuilder::http_client`] with a matching version.
pub use reqwest;
