//! The installed generator, `openapi-rust-gen generate`, as a user runs it: the crate it writes is
//! the library's output, `--check` tells a stale crate, and bad input is an error that writes
//! nothing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn petstore_spec() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/generic/specs/petstore.yaml")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_openapi-rust-gen"))
        .args(args)
        .output()
        .expect("the generator runs")
}

fn fresh_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn generate_writes_the_library_s_crate_under_the_chosen_name() {
    let out = fresh_dir("cli-petstore");
    let spec = petstore_spec();
    let args = [
        "generate",
        "--spec",
        spec.to_str().expect("a UTF-8 path"),
        "--out",
        out.to_str().expect("a UTF-8 path"),
        "--name",
        "pet-client",
    ];
    let done = run(&args);
    assert!(done.status.success(), "{}", text(&done.stderr));
    assert!(
        text(&done.stdout).contains("4 functions"),
        "{}",
        text(&done.stdout)
    );

    let expected = codegen::generate_file_with(
        &spec,
        &codegen::Options {
            profile: codegen::ProfileKind::Generic,
            package: Some("pet-client".into()),
            ..codegen::Options::default()
        },
    )
    .expect("the library generates it");
    for (file, content) in &expected.files {
        let written = std::fs::read_to_string(out.join(file)).expect("written");
        assert_eq!(&written, content, "{file}");
    }
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("a manifest");
    assert!(manifest.contains("name = \"pet-client\""), "{manifest}");

    // Up to date; then a hand edit is stale, and generating again restores it.
    let mut check = args.to_vec();
    check.push("--check");
    assert!(run(&check).status.success());
    let lib = out.join("src/lib.rs");
    std::fs::write(&lib, "// edited\n").expect("edit");
    let stale = run(&check);
    assert_eq!(stale.status.code(), Some(1));
    assert!(
        text(&stale.stderr).contains("src/lib.rs"),
        "{}",
        text(&stale.stderr)
    );
    assert!(run(&args).status.success());
    assert!(run(&check).status.success());
}

#[test]
fn bad_flags_are_usage_errors() {
    let spec = petstore_spec();
    let spec = spec.to_str().expect("a UTF-8 path");
    for args in [
        vec!["generate", "--spec", spec],
        vec!["generate", "--out", "x"],
        vec!["generate", "--spec", spec, "--out", "x", "--name", "1pets"],
        vec![
            "generate",
            "--spec",
            spec,
            "--out",
            "x",
            "--profile",
            "nope",
        ],
        vec!["generate", "--spec", spec, "--out", "x", "--verbose"],
        vec!["frobnicate"],
    ] {
        let done = run(&args);
        assert_eq!(done.status.code(), Some(2), "{args:?}");
        assert!(text(&done.stderr).contains("error:"), "{args:?}");
    }
    assert!(!Path::new("x").exists(), "nothing written");
}

#[test]
fn a_crate_it_did_not_write_is_never_overwritten() {
    let out = fresh_dir("cli-foreign");
    std::fs::create_dir_all(&out).expect("a folder");
    let manifest = out.join("Cargo.toml");
    std::fs::write(&manifest, "[package]\nname = \"mine\"\n").expect("a manifest");
    let spec = petstore_spec();
    let done = run(&[
        "generate",
        "--spec",
        spec.to_str().expect("a UTF-8 path"),
        "--out",
        out.to_str().expect("a UTF-8 path"),
    ]);
    assert_eq!(done.status.code(), Some(1));
    assert!(text(&done.stderr).contains("not written by this generator"));
    assert_eq!(
        std::fs::read_to_string(&manifest).expect("kept"),
        "[package]\nname = \"mine\"\n"
    );
    assert!(!out.join("src").exists(), "nothing written");
}

#[test]
fn a_bad_spec_says_where_and_writes_nothing() {
    let dir = fresh_dir("cli-bad-spec");
    std::fs::create_dir_all(&dir).expect("a folder");
    let spec = dir.join("bad.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: Bad, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Missing'}\n",
    )
    .expect("a spec");
    let out = dir.join("crate");
    let done = run(&[
        "generate",
        "--spec",
        spec.to_str().expect("a UTF-8 path"),
        "--out",
        out.to_str().expect("a UTF-8 path"),
    ]);
    assert_eq!(done.status.code(), Some(1));
    let err = text(&done.stderr);
    assert!(err.contains("#/paths/~1x/get"), "names the place: {err}");
    assert!(!out.exists(), "nothing written");
}
