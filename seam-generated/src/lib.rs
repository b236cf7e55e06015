//! Rust SDK for the [Seam Connect API](https://docs.seam.co/latest/api),
//! generated from Seam's OpenAPI specification.
//!
//! # Quick start
//!
//! ```text
//! let seam = seam_generated::Seam::new("seam_...")?;   // or Seam::from_env()?
//! let devices = seam.devices().list(&Default::default()).await?;
//! ```
//!
//! Every call returns [`Result`]; failures are described by [`Error`]
//! (non-2xx responses carry an [`ApiError`] with Seam's error type, message
//! and `seam-request-id`).
//!
//! The client is configured through [`Seam::builder`] (API key, endpoint,
//! timeout, retries) or [`Seam::from_env`] (`SEAM_API_KEY`, optional
//! `SEAM_ENDPOINT`). [`Seam`] is cheap to clone and can be shared freely
//! between tasks.
#![deny(missing_docs)]

#[rustfmt::skip] // generated files are formatted by the generator (prettyplease)
mod generated;
mod runtime;

pub use generated::{api, models};
pub use runtime::{ApiError, Error, Result, Seam, SeamBuilder};
