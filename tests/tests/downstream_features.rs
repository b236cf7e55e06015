//! What a user's crate gets: a crate outside this workspace that depends on the SDK by path, with
//! only the `locks` group, must not have serde_json's `preserve_order` forced on it (the workspace's
//! tools enable it for themselves; a user's `serde_json::Map` keeps its own choice of key order).

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    seam_tests::workspace_root()
}

/// Writes a downstream crate into a fresh folder and returns `cargo tree -e features -i serde_json`
/// for it.
fn serde_json_features_downstream(name: &str, dependency: &str) -> String {
    let root = root();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("src")).expect("temp dir writable");
    let sdk = root.join("seam-generated");
    let manifest = format!(
        r#"[package]
name = "{name}"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
{dependency}

# Not a member of the SDK's workspace, even when this folder is inside it (target/ in the repo).
[workspace]
"#,
        // TOML basic strings take `\` as an escape: use `/`, which Windows accepts too.
        dependency = dependency.replace("{sdk}", &sdk.display().to_string().replace('\\', "/")),
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("manifest written");
    std::fs::write(dir.join("src/lib.rs"), "pub use seam_connect::Seam;\n").expect("lib written");
    // The workspace's lock file pins the same versions, so the tree resolves offline.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("lock file copied");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(&dir)
        .args(["tree", "--offline", "-e", "features", "-i", "serde_json"])
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "cargo tree failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn a_locks_only_user_does_not_get_preserve_order() {
    let tree = serde_json_features_downstream(
        "downstream_locks",
        r#"seam-connect = { path = "{sdk}", default-features = false, features = ["locks"] }"#,
    );
    // The SDK's own serde_json features are there (the tree is the real one)...
    assert!(
        tree.contains(r#"serde_json feature "default""#) && tree.contains("seam-connect v"),
        "expected serde_json's features through the SDK in:\n{tree}"
    );
    // ...and the tools' feature is not.
    assert!(
        !tree.contains(r#"serde_json feature "preserve_order""#),
        "preserve_order reaches users of the SDK:\n{tree}"
    );
}

#[test]
fn a_default_features_user_does_not_get_preserve_order() {
    let tree = serde_json_features_downstream(
        "downstream_default",
        r#"seam-connect = { path = "{sdk}" }"#,
    );
    assert!(
        tree.contains(r#"serde_json feature "default""#) && tree.contains("seam-connect v"),
        "{tree}"
    );
    assert!(
        !tree.contains(r#"serde_json feature "preserve_order""#),
        "{tree}"
    );
}
