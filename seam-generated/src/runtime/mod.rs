//! Hand-written HTTP runtime shared by all generated endpoints.
//!
//! The generated code only talks to this module through [`Endpoint`],
//! [`NoParams`], the traits of [`request`] (and its `Finish`), which describe
//! each endpoint, and the helpers in [`de`]; `request`'s generic code sends
//! the calls (`Seam::call`) and waits for action attempts
//! (`Seam::finish_action_attempt`).
//!
//! Each module only uses those below it (never one that uses it back), as in
//! the generic runtime (`codegen/runtime/`):
//!
//! - `endpoint` (what an endpoint is, the SDK's identity), `error`, `shared`
//!   (the generic runtime's transport loop, retry decision, decoding helpers
//!   and `Timestamp`);
//! - `auth`, `trace`, `options` (the call settings, [`CallOptions`], and
//!   their defaults);
//! - `client` (the [`Seam`] handle);
//! - `call` (sending one call through the transport loop);
//! - `builder` (the constructors and [`SeamBuilder`]), `action_attempt`
//!   (waiting for action attempts);
//! - `request` (the [`Request`] every endpoint function returns, and the
//!   traits the generated code implements);
//! - `paginator` (`Request::pages` and the [`Paginator`]).
//!
//! `webhook` stands aside, on `shared` alone. `shared` is generated: the generic runtime's files
//! and the `Timestamp` conversions of the time crates' features, or, when the output is split by
//! group, `retry` and `transport` beside `de` and `timestamp` re-exported from the core crate,
//! which also holds the conversions (`Timestamp` is the core's type).

#[cfg(feature = "action_attempts")]
mod action_attempt;
mod auth;
mod builder;
mod call;
mod client;
mod endpoint;
// The generic runtime's parts, copied here by the generator; generated code may not need every
// helper (depends on the spec/features).
#[allow(dead_code)]
mod shared;
// Helpers of the generated (de)serializers, not an API of their own.
#[doc(hidden)]
pub use shared::de;
pub use shared::timestamp::{Timestamp, TimestampError};
mod error;
mod options;
mod paginator;
pub mod request;
mod trace;
#[cfg(feature = "events")]
pub mod webhook;

pub use auth::AuthMode;
pub use builder::SeamBuilder;
pub use client::Seam;
// Used by the generated code; which of them depends on the enabled features.
#[allow(unused_imports)]
pub use endpoint::{Endpoint, NoParams};
pub use error::{ApiError, Error, Result};
pub use options::CallOptions;
pub use paginator::{Page, Paginator};
pub use request::Request;
