//! A crate that generates its API client in a build script (`build.rs`, with
//! `codegen::build::generate_module`) and includes it as a module, rather than depending on a
//! generated crate.

include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
