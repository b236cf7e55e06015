//! Hand-written HTTP runtime shared by all generated endpoints.
//!
//! The generated code only talks to this module through [`Endpoint`],
//! [`NoParams`], the traits of [`request`] (and its `Finish`), which describe
//! each endpoint, and the helpers in [`de`]; `request`'s generic code sends
//! the calls (`Seam::call`) and waits for action attempts
//! (`Seam::finish_action_attempt`).

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
#[cfg(any(feature = "chrono", feature = "time", feature = "jiff"))]
mod time_crates;
mod trace;
#[cfg(feature = "events")]
pub mod webhook;

pub use auth::AuthMode;
pub use builder::SeamBuilder;
// Used by the generated code; which of them depends on the enabled features.
pub use client::Seam;
#[allow(unused_imports)]
pub use endpoint::{Endpoint, NoParams};
pub use error::{ApiError, Error, Result};
pub use options::CallOptions;
pub use paginator::{Page, Paginator};
pub use request::Request;
