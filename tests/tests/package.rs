//! The SDK crate packages for publishing: without cargo warnings, with its README and license.

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    seam_tests::workspace_root()
}

#[test]
fn the_crate_license_is_the_repository_license() {
    let root = root();
    let repo = std::fs::read_to_string(root.join("LICENSE")).expect("LICENSE at the root");
    let krate =
        std::fs::read_to_string(root.join("seam-generated/LICENSE")).expect("LICENSE in the crate");
    assert_eq!(
        repo, krate,
        "seam-generated/LICENSE must be a copy of LICENSE"
    );
    assert!(
        repo.starts_with("MIT License"),
        "the workspace declares MIT"
    );
}

#[test]
fn cargo_package_lists_readme_license_and_sources_without_warnings() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(root())
        .args([
            "package",
            "-p",
            "seam-connect",
            "--list",
            "--allow-dirty",
            "--offline",
        ])
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "cargo package failed:\n{stderr}");
    assert!(
        !stderr.contains("warning"),
        "cargo package warns:\n{stderr}"
    );
    let files: Vec<&str> = stdout.lines().collect();
    for needed in [
        "Cargo.toml",
        "README.md",
        "LICENSE",
        "src/lib.rs",
        "src/runtime/webhook.rs",
        "src/generated/models/event.rs",
    ] {
        assert!(files.contains(&needed), "{needed} not packaged:\n{stdout}");
    }
}
