//! Test support shared by the workspace's tests (`seam-tests`, `generic-runtime`) and
//! `cargo xtask bench`:
//!
//! - [`loopback`]: the one hand-rolled HTTP server of the tests, on 127.0.0.1: it answers each
//!   connection with the next scripted [`loopback::Reply`] (a response, a hang, a truncated body)
//!   and records every request byte for byte.
//! - [`fake`]: the one launcher of Seam's official fake server (`tests/fake/`), [`fake::FakeSeam`].
//!
//! Only 127.0.0.1 is ever bound or dialled.

pub mod fake;
pub mod loopback;
