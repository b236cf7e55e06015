//! `cargo xtask bench`: figures for the generator, the generated crate and the runtime.

use std::path::Path;

/// Runs the benchmarks and prints a table.
pub fn run(_root: &Path, _args: &[String]) -> Result<(), String> {
    Err("bench: not implemented yet".into())
}
