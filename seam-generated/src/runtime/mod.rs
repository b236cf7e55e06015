//! Hand-written HTTP runtime shared by all generated endpoints.
//!
//! The generated code only talks to this module through [`Endpoint`],
//! [`NoParams`], `Seam::call` and the helpers in [`de`].

mod client;
// Generated code may not need every helper (depends on the spec/features).
#[allow(dead_code)]
pub mod de;
mod error;

pub use client::{Endpoint, NoParams, Seam, SeamBuilder};
pub use error::{ApiError, Error, Result};
