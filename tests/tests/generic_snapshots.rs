//! Snapshot tests of the generic profile: each spec in `tests/generic/specs/<name>.yaml` exercises
//! one group of OpenAPI features; the standalone crate it generates is committed at
//! `tests/generic/crates/<name>/` (a workspace member, so it is compiled, linted and used by the wire
//! tests). Its warnings are kept in `tests/generic/warnings/<name>.txt`.
//!
//! The committed crates carry no copy of the generic runtime: each mounts `codegen/runtime/` with
//! `#[path]` ([`codegen::profile::generic::mount_runtime`]), so a runtime change is not repeated in
//! every snapshot. `the_standalone_crate_is_the_snapshot_with_the_runtime_copied` checks that this is
//! the only difference from what the generator writes, so the standalone output compiles whenever
//! the snapshots do (`cargo xtask corpus` also compiles real standalone crates).
//!
//! Add a spec by dropping a file into `tests/generic/specs/`, then run with `UPDATE_SNAPSHOTS=1` to
//! (re)write the crates instead of comparing them.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;

use codegen::profile::generic::{mount_runtime, RUNTIME_FILES};
use codegen::{generate_file_with, Options, Output, ProfileKind};

/// Where the snapshot crates mount the runtime from: `codegen/runtime/mod.rs`, relative to a
/// crate's `src/` (`tests/generic/crates/<name>/src/`).
const RUNTIME_MOUNT: &str = "../../../../../codegen/runtime/mod.rs";

fn generic_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("generic")
}

fn updating() -> bool {
    std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// The spec names under `tests/generic/specs/`.
fn specs() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(generic_dir().join("specs")).expect("tests/generic/specs") {
        let path = entry.expect("readable entry").path();
        if path.extension().is_some_and(|e| e == "yaml") {
            if let Some(stem) = path.file_stem() {
                out.insert(stem.to_string_lossy().into_owned());
            }
        }
    }
    out
}

/// The standalone crate the generator writes for spec `name` (its runtime copied).
fn standalone(name: &str) -> Output {
    let spec = generic_dir().join("specs").join(format!("{name}.yaml"));
    let options = Options {
        profile: ProfileKind::Generic,
        ..Options::default()
    };
    generate_file_with(&spec, &options)
        .unwrap_or_else(|e| panic!("{}: generation failed: {e}", spec.display()))
}

/// The snapshot crate of spec `name`: the standalone crate, mounting `codegen/runtime/`.
fn snapshot(name: &str) -> Output {
    let mut output = standalone(name);
    mount_runtime(&mut output.files, RUNTIME_MOUNT)
        .unwrap_or_else(|e| panic!("{name}: cannot mount the runtime: {e}"));
    output
}

#[test]
fn every_generic_snapshot_is_current() {
    let mut problems = Vec::new();
    for name in specs() {
        let output = snapshot(&name);
        let dir = generic_dir().join("crates").join(&name);
        let mut warnings = String::new();
        for w in &output.warnings {
            writeln!(warnings, "{w}").expect("writes to a string");
        }
        let warnings_file = generic_dir().join("warnings").join(format!("{name}.txt"));
        if updating() {
            codegen::files::write_tree(&dir, &output.files, output.managed_dirs)
                .expect("snapshot crate written");
            std::fs::create_dir_all(generic_dir().join("warnings")).expect("warnings folder");
            std::fs::write(&warnings_file, &warnings).expect("warnings written");
            continue;
        }
        let stale = codegen::files::stale_files(&dir, &output.files, output.managed_dirs)
            .expect("snapshot crate readable");
        for f in stale {
            problems.push(format!("tests/generic/crates/{name}/{f}"));
        }
        if std::fs::read_to_string(&warnings_file).ok().as_deref() != Some(warnings.as_str()) {
            problems.push(format!(
                "tests/generic/warnings/{name}.txt differs:\n{warnings}"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "generic snapshots are stale (rerun with UPDATE_SNAPSHOTS=1 and review the diff):\n{}",
        problems.join("\n")
    );
}

/// The snapshot crates differ from the generator's standalone output only in where the runtime
/// lives: the standalone crate has `codegen/runtime/` copied into `src/runtime/` (each file with a
/// one-line comment on top) and mounts it as `pub mod runtime;`; the snapshot has no `src/runtime/`
/// and mounts `codegen/runtime/mod.rs` itself. Every other file is the same, so the standalone crate
/// compiles exactly when the snapshot does.
#[test]
fn the_standalone_crate_is_the_snapshot_with_the_runtime_copied() {
    let runtime_dir = generic_dir().join("crates/flat/src").join(RUNTIME_MOUNT);
    let runtime_dir = runtime_dir.parent().expect("the runtime's folder");
    for (file, text) in RUNTIME_FILES {
        let on_disk = std::fs::read_to_string(runtime_dir.join(file)).unwrap_or_else(|e| {
            panic!("{RUNTIME_MOUNT} does not lead to the runtime's {file}: {e}")
        });
        assert_eq!(
            &on_disk, text,
            "{file}: the mounted runtime is the copied one"
        );
    }
    for name in specs() {
        let standalone = standalone(&name).files;
        let snapshot = snapshot(&name).files;
        let copied: BTreeSet<&str> = standalone
            .keys()
            .filter_map(|f| f.strip_prefix("src/runtime/"))
            .collect();
        let expected: BTreeSet<&str> = RUNTIME_FILES.iter().map(|(f, _)| *f).collect();
        assert_eq!(copied, expected, "{name}: every runtime file is copied");
        for (file, text) in RUNTIME_FILES {
            let copy = &standalone[&format!("src/runtime/{file}")];
            let (header, rest) = copy.split_once('\n').expect("a header line");
            assert!(header.starts_with("// "), "{name}: {file}: {header}");
            assert_eq!(rest, *text, "{name}: {file} is copied unchanged");
        }
        assert!(
            !snapshot.keys().any(|f| f.starts_with("src/runtime/")),
            "{name}: the snapshot carries no runtime copy"
        );
        for (file, text) in &standalone {
            if file.starts_with("src/runtime/") || file == "src/lib.rs" {
                continue;
            }
            assert_eq!(snapshot.get(file), Some(text), "{name}: {file}");
        }
        let lib = &standalone["src/lib.rs"];
        assert!(lib.contains("\npub mod runtime;\n"), "{name}: {lib}");
        assert_eq!(
            snapshot["src/lib.rs"],
            lib.replace(
                "\npub mod runtime;\n",
                &format!("\n#[path = \"{RUNTIME_MOUNT}\"]\npub mod runtime;\n")
            ),
            "{name}: lib.rs differs only in the runtime's mount"
        );
    }
}

/// Every snapshot crate is compiled: the workspace takes every folder under `tests/generic/crates/`.
#[test]
fn the_workspace_builds_every_generic_snapshot() {
    let manifest = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("workspace root")
            .join("Cargo.toml"),
    )
    .expect("workspace manifest");
    assert!(
        manifest.contains("\"tests/generic/crates/*\""),
        "the workspace members must include tests/generic/crates/*"
    );
    let crates: BTreeSet<String> = std::fs::read_dir(generic_dir().join("crates"))
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        crates,
        specs(),
        "one snapshot crate per spec (run with UPDATE_SNAPSHOTS=1)"
    );
}

/// What the specs declare is generated: every operation is a function, nothing is dropped silently.
#[test]
fn every_operation_of_every_spec_is_a_function() {
    for name in specs() {
        let output = standalone(&name);
        assert_eq!(
            output.stats.functions, output.stats.operations,
            "{name}: every operation of the spec is a function"
        );
    }
}

/// The generic pipeline speaks OpenAPI only: Seam's conventions live in `codegen/src/profile/seam.rs`
/// and `profile/seam/`.
/// (The same check as `grep -riE 'seam|x-fern|x-response-key|action.?attempt'` over the generic
/// modules.)
#[test]
fn the_generic_modules_name_no_seam_concept() {
    fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir)
            .expect("codegen/src readable")
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "profile") {
                    walk(&path, out);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .join("codegen/src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    assert!(files.len() > 5, "the generic modules are found");
    let words = [
        "seam",
        "x-fern",
        "x-response-key",
        "action_attempt",
        "action attempt",
        "actionattempt",
    ];
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file)
            .expect("readable")
            .to_lowercase();
        for (n, line) in text.lines().enumerate() {
            if words.iter().any(|w| line.contains(w)) {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "Seam words in generic modules:\n{}",
        found.join("\n")
    );
}
