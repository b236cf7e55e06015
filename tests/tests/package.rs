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

/// `cargo package --list` of one package of the workspace: the files it would publish.
fn package_files(package: &str) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(root())
        .args([
            "package",
            "-p",
            package,
            "--list",
            "--allow-dirty",
            "--offline",
        ])
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "cargo package -p {package} failed:\n{stderr}"
    );
    assert!(
        !stderr.contains("warning"),
        "cargo package -p {package} warns:\n{stderr}"
    );
    stdout.lines().map(String::from).collect()
}

#[test]
fn cargo_package_lists_readme_license_and_sources_without_warnings() {
    let files = package_files("seam-connect");
    for needed in [
        "Cargo.toml",
        "README.md",
        "LICENSE",
        "src/lib.rs",
        "src/runtime/webhook.rs",
        "src/generated/models/mod.rs",
    ] {
        assert!(
            files.iter().any(|f| f == needed),
            "{needed} not packaged:\n{files:#?}"
        );
    }
}

#[test]
fn every_crate_the_models_are_split_into_packages_its_sources() {
    let crates = root().join("seam-generated/crates");
    let mut parts: Vec<String> = std::fs::read_dir(&crates)
        .expect("seam-generated/crates/ is readable")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    parts.sort();
    assert!(parts.contains(&"core".to_string()), "{parts:?}");
    for part in parts {
        let files = package_files(&format!("seam-connect-{}", part.replace('_', "-")));
        for needed in ["Cargo.toml", "src/lib.rs", "src/models/mod.rs"] {
            assert!(
                files.iter().any(|f| f == needed),
                "{part}: {needed} not packaged:\n{files:#?}"
            );
        }
    }
    // The shared types, `Timestamp` and the decoding helpers are the core's.
    let core = package_files("seam-connect-core");
    for needed in [
        "src/models/_shared.rs",
        "src/runtime/de.rs",
        "src/runtime/timestamp.rs",
    ] {
        assert!(
            core.iter().any(|f| f == needed),
            "core: {needed} not packaged:\n{core:#?}"
        );
    }
}
