//! The committed SDK crate is exactly what the committed spec generates (the same check as
//! `cargo xtask codegen --check`), and generation is deterministic.

use std::path::PathBuf;

fn root() -> PathBuf {
    seam_tests::workspace_root()
}

/// The committed crate's layout: split by group (as `cargo xtask codegen` writes it).
fn split() -> codegen::Options {
    codegen::Options {
        split_groups: true,
        ..codegen::Options::default()
    }
}

#[test]
fn committed_crate_matches_the_spec() {
    let root = root();
    let output = codegen::generate_file_with(&root.join("openapi/seam-connect.yaml"), &split())
        .expect("the committed spec generates");
    let stale = codegen::files::stale_files(
        &root.join("seam-generated"),
        &output.files,
        output.managed_dirs,
    )
    .expect("the generated crate is readable");
    assert!(
        stale.is_empty(),
        "seam-generated/ is stale; run `cargo xtask codegen` and commit the result:\n{}",
        stale.join("\n")
    );
}

#[test]
fn generation_is_byte_identical_on_every_run() {
    let text =
        std::fs::read_to_string(root().join("openapi/seam-connect.yaml")).expect("spec readable");
    let first =
        codegen::generate_str_with(&text, codegen::Format::Yaml, &split()).expect("generates");
    let second =
        codegen::generate_str_with(&text, codegen::Format::Yaml, &split()).expect("generates");
    assert_eq!(first.files, second.files);
    assert_eq!(first.warnings, second.warnings);
    // The real spec's known defects are reported, each with its pointer, and generation goes on.
    assert_eq!(first.warnings.len(), 22, "{:#?}", first.warnings);
    assert!(first.warnings.iter().any(|w| w
        .pointer
        .starts_with("#/paths/~1seam~1customer~1v1~1portals~1get/")
        && w.pointer.ends_with("/default")));
    assert_eq!(first.stats.paths, 316);
    assert_eq!(first.stats.operations, 522);
    assert_eq!(first.stats.functions, 316);
}

/// The committed spec reads the same in a YAML 1.1 reader (PyYAML) as in the generator's YAML 1.2
/// reader: `update-spec` quotes every scalar a YAML 1.1 reader would take for something else (`=`, `on`,
/// `n`, ...). Needs python3 with PyYAML (`.ci/run` installs it).
#[test]
fn the_committed_spec_reads_the_same_in_yaml_1_1() {
    let path = root().join("openapi/seam-connect.yaml");
    let output = std::process::Command::new("python3")
        .args([
            "-c",
            "import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1], encoding='utf-8')), sys.stdout)",
        ])
        .arg(&path)
        .output()
        .expect("python3 runs (install python3 and PyYAML: python3 -m pip install pyyaml)");
    assert!(
        output.status.success(),
        "PyYAML cannot read the spec (is PyYAML installed? python3 -m pip install pyyaml):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let pyyaml: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("python printed JSON");
    let text = std::fs::read_to_string(&path).expect("spec readable");
    let ours = codegen::load::parse_value(&text, codegen::Format::Yaml).expect("spec parses");
    assert!(
        pyyaml == ours,
        "PyYAML reads openapi/seam-connect.yaml differently from the generator"
    );
}
