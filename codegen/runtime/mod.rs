//! The generic runtime of a standalone generated crate: the HTTP client that generated endpoint
//! functions call, with auth, retries, timeouts and typed errors.
//!
//! Files (the generator embeds exactly these, from `codegen/runtime/`): `mod.rs`, `auth.rs`,
//! `call.rs`, `client.rs`, `de.rs`, `encode.rs`, `error.rs`, `pages.rs`, `request.rs`, `retry.rs`, `timestamp.rs`,
//! `transport.rs`. `encode.rs`, `retry.rs` and `timestamp.rs` are pure (std + serde only) and are
//! unit-tested on their own. `transport.rs` (the attempt loop: retries, timeouts, `Retry-After`),
//! `retry.rs`, `de.rs` and `timestamp.rs` are also copied into the Seam SDK, whose client is a layer on the same
//! transport loop.
//!
//! It reads two items of its parent module (the crate root, or the module a build script generated):
//! `DEFAULT_BASE_URL: &str` (the spec's first server, or `""`)
//! and `SECURITY_SCHEMES: &[SecurityScheme]` (the spec's security schemes).

mod auth;
mod call;
mod client;
#[doc(hidden)]
pub mod de;
mod encode;
mod error;
mod pages;
mod request;
mod retry;
mod timestamp;
mod transport;

pub use auth::{ApiKeyLocation, SchemeKind, SecurityScheme};
#[doc(hidden)]
pub use call::Sealed;
pub use call::{NoParams, Operation, Request, ResponseFuture};
pub use client::{CallSettings, Client, ClientBuilder, Response};
pub use encode::{EncodeError, PathStyle, QueryStyle};
pub use error::{ApiError, Error, Result, TimeoutKind};
#[doc(hidden)]
pub use pages::PageValue;
pub use pages::{Pages, Paginated};
pub use request::{HttpRequest, JsonText, Method, Part};
pub use retry::RetryPolicy;
pub use timestamp::{Timestamp, TimestampError};
