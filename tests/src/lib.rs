//! Test support for the Seam Rust SDK.
//!
//! The main item is [`FakeSeam`], a handle on a running instance of Seam's
//! official fake API server (`@seamapi/fake-seam-connect`, pinned in
//! `tests/fake/package.json`), with the seeded credentials and ids. It lives in
//! the `test-support` crate (`tests/support/`), which `cargo xtask bench`
//! shares, and is re-exported here. Each call to [`FakeSeam::start`] spawns its
//! own `node` process on its own free port with the default seed loaded, so
//! tests can run in parallel without sharing state. Dropping the handle kills
//! the server.
//!
//! ```no_run
//! let fake = seam_tests::FakeSeam::start().expect("fake Seam server");
//! // fake.url is e.g. "http://127.0.0.1:38793"
//! # drop(fake);
//! ```
//!
//! The npm packages must be installed first: `cargo xtask test` does that, or
//! run `npm ci --prefix tests/fake` by hand. Missing packages are an error,
//! never a skipped test. See `tests/fake/NOTES.md` for what the fake serves.
//! Tests that need a hand-rolled server use `test_support::loopback`.

pub mod compile_checks;
pub mod lossless;

pub use test_support::fake::{
    seed, FakeSeam, API_KEY, CLIENT_SESSION_TOKEN, PERSONAL_ACCESS_TOKEN, PUBLISHABLE_KEY,
    WORKSPACE_ID,
};

/// The workspace's root folder (the repository), which holds `openapi/`, `seam-generated/`, ...
pub fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate lives in the workspace")
        .to_path_buf()
}
