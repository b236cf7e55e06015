//! `cargo xtask semver --baseline V [--output FILE]`: which breaking changes does the current crate
//! make against the crate generated from `@seamapi/types@V`?
//!
//! Extracts spec V (as `update-spec` does), generates the Seam crate from it with the current
//! generator, the committed overrides and the current hand-written runtime, and runs
//! `cargo semver-checks check-release --release-type minor --all-features` with that crate as the
//! baseline. `--release-type minor` runs exactly the lints that need a major bump (for a 0.x crate, a
//! minor bump is not allowed to break anything either) whatever the two versions say, so every
//! breaking change is listed. Since both crates come from one generator and one runtime, each break
//! should trace to a removal or a change in the spec; one that does not is the generator's doing.
//! Each is traced ([`trace`]): the type it names, the JSON pointer of that type's schema in the
//! baseline's generation ([`codegen::Output::places`]), and whether the two specs differ there. The
//! command lists the breaks that do not trace to a change of the spec (the schema is the same, or the
//! break names no type) and fails if there is any; the spec's own breaks are counted.
//!
//! cargo-semver-checks has no lint for a public field whose type changed, so a second report
//! follows its own: the fields of every public struct and struct-like variant, compared in the two
//! rustdoc JSON files it built (see `fieldtypes`), each change classed as the spec's (`optional`,
//! `required`, `other`) or the generator's (`boxed`, `unboxed`, `renamed`). It only reports: the
//! exit status depends on the traced lints alone (and on the two files being readable).
//!
//! Both crates are generated as one crate each (the committed crate's models are split into crates by
//! group, and cargo-semver-checks does not follow re-exports across crates; the public paths are
//! the same in both layouts), from the two specs with the current generator.
//!
//! Both crates are written into a scratch folder, `<target>/semver/V/{baseline,current}/`, each a
//! workspace of its own with the project's workspace settings. Both packages are `seam-connect` at one
//! version (cargo-semver-checks compares same-named packages), and cargo-semver-checks keys its build
//! folders by name and version only, under each project's target folder. So it runs without
//! `CARGO_TARGET_DIR` (which would give both the same folder, and one crate's rustdoc JSON could be
//! read as the other's): each crate builds in its own workspace's `target/`, inside the scratch folder.
//! The scratch folder is kept, so a second run rebuilds only the two crates.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::{root, CRATE_DIR, PACKAGE};

const HOW_TO_INSTALL: &str = "cargo install cargo-semver-checks --locked";

/// The command's options.
#[derive(Debug, PartialEq)]
pub struct Options {
    /// The version of `@seamapi/types` to compare against.
    pub baseline: String,
    /// Where to write cargo-semver-checks' full output, besides the terminal.
    pub output: Option<PathBuf>,
}

/// Reads the command line.
pub fn parse_args(args: &[String]) -> Result<Options, String> {
    const USAGE: &str = "usage: cargo xtask semver --baseline V [--output FILE]   (V: a version of @seamapi/types, e.g. 1.955.0)";
    let mut baseline = None;
    let mut output = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--baseline" => {
                let v = it
                    .next()
                    .ok_or_else(|| format!("--baseline needs a version\n{USAGE}"))?;
                crate::check_version(v)?;
                baseline = Some(v.clone());
            }
            "--output" => {
                let f = it
                    .next()
                    .filter(|f| !f.starts_with('-'))
                    .ok_or_else(|| format!("--output needs a file\n{USAGE}"))?;
                output = Some(PathBuf::from(f));
            }
            other => return Err(format!("unknown argument `{other}` for semver\n{USAGE}")),
        }
    }
    let baseline = baseline.ok_or_else(|| format!("semver needs the baseline version\n{USAGE}"))?;
    Ok(Options { baseline, output })
}

/// Runs the command (see the module docs).
pub fn run(args: &[String]) -> Result<(), String> {
    let options = parse_args(args)?;
    let start = Instant::now();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let tool_version = semver_checks_version(&cargo)?;
    println!("semver: using {tool_version}");

    let root = root();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let target = std::path::absolute(&target).unwrap_or(target);
    let scratch = target.join("semver").join(&options.baseline);
    let version = &options.baseline;

    let (installed, spec) = crate::extract_spec(&scratch.join("npm"), version)
        .map_err(|e| format!("cannot get the spec of {PACKAGE}@{version}: {e}"))?;
    let spec_path = scratch.join("seam-connect.yaml");
    std::fs::write(&spec_path, crate::spec_yaml(&spec, &installed)?)
        .map_err(|e| format!("cannot write {}: {e}", spec_path.display()))?;
    let overrides = root.join(crate::OVERRIDES);
    let output = crate::generate_with_overrides(
        &spec_path,
        Some(&overrides),
        codegen::ProfileKind::Seam,
        false,
    )
    .map_err(|e| format!("generation failed: {}: {e}", spec_path.display()))?;
    for stale in &output.stale_overrides {
        eprintln!(
            "semver: {installed}: note: {} {stale} (written for the committed spec; not an error here)",
            crate::OVERRIDES
        );
    }
    println!(
        "semver: baseline {PACKAGE}@{installed}: {} functions, {} types ({} codegen warnings, not shown)",
        output.stats.functions,
        output.stats.types,
        output.warnings.len()
    );

    // The baseline: generated from spec V, with the current hand-written files.
    let baseline_ws = scratch.join("baseline");
    let baseline_crate = fresh_dir(&baseline_ws.join("crate"))?;
    crate::spec_versions::copy_hand_written(&root.join(CRATE_DIR), &baseline_crate)?;
    codegen::files::write_tree(&baseline_crate, &output.files, output.managed_dirs)
        .map_err(|e| format!("cannot write {}: {e}", baseline_crate.display()))?;
    crate::spec_versions::write_workspace(&root, &baseline_ws, "crate")?;
    // The current crate: generated from the committed spec in the same layout (one crate; the
    // committed crate's models are split into crates by group, whose re-exports cargo-semver-checks
    // cannot follow across crates), with the same hand-written files.
    let current = crate::generate_with_overrides(
        &root.join(crate::SPEC),
        Some(&overrides),
        codegen::ProfileKind::Seam,
        false,
    )
    .map_err(|e| format!("generation failed: {}: {e}", crate::SPEC))?;
    let current_ws = scratch.join("current");
    let current_crate = fresh_dir(&current_ws.join("crate"))?;
    crate::spec_versions::copy_hand_written(&root.join(CRATE_DIR), &current_crate)?;
    codegen::files::write_tree(&current_crate, &current.files, current.managed_dirs)
        .map_err(|e| format!("cannot write {}: {e}", current_crate.display()))?;
    crate::spec_versions::write_workspace(&root, &current_ws, "crate")?;

    println!(
        "semver: comparing {CRATE_DIR}/ with the crate generated from {PACKAGE}@{installed} (in {})",
        scratch.display()
    );
    let mut cmd = Command::new(&cargo);
    cmd.args([
        "semver-checks",
        "check-release",
        "--color",
        "never",
        "--manifest-path",
    ])
    .arg(current_crate.join("Cargo.toml"))
    .arg("--baseline-root")
    .arg(&baseline_crate)
    .args(["--release-type", "minor", "--all-features"])
    .env_remove("CARGO_TARGET_DIR")
    .env_remove("CARGO_BUILD_TARGET_DIR");
    let (status, lines) = run_teed(&mut cmd)?;
    let mut text: String = lines.iter().map(|(_, l)| format!("{l}\n")).collect();
    // The lints are on stdout; stderr's status lines (`     Summary ...`) could land inside a list.
    let stdout: Vec<String> = lines
        .into_iter()
        .filter(|(from_stderr, _)| !from_stderr)
        .map(|(_, l)| l)
        .collect();
    let counts = lint_counts(&stdout);
    let write_output = |text: &str| -> Result<(), String> {
        if let Some(file) = &options.output {
            std::fs::write(file, text)
                .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
            println!("semver: full output written to {}", file.display());
        }
        Ok(())
    };
    if !status.success() && counts.is_empty() {
        write_output(&text)?;
        return Err(format!(
            "cargo semver-checks failed ({status}) without reporting a lint: see its output above"
        ));
    }
    let tool_summary = format!("semver: {} against {PACKAGE}@{installed}", summary(&counts));
    println!("{tool_summary}");
    text.push_str(&format!("{tool_summary}\n"));

    // Each break traced to the schema of the type it names: the spec's own, or the generator's.
    let current_spec = {
        let path = root.join(crate::SPEC);
        let yaml = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        codegen::load::parse_value(&yaml, codegen::Format::Yaml)
            .map_err(|e| format!("{}: {e}", path.display()))?
    };
    let mut from_spec = 0;
    let mut not_spec: Vec<String> = Vec::new();
    for ((_, lint), places) in lint_places(&stdout) {
        for place in places {
            match trace(&place, &output.places, &spec, &current_spec) {
                Origin::Spec { .. } => from_spec += 1,
                Origin::Generator { ty, pointer } => not_spec.push(format!(
                    "  {lint}: {place} (type {ty}: its schema at {pointer} is the same in both specs)"
                )),
                Origin::Untraced => {
                    not_spec.push(format!("  {lint}: {place} (names no type of the baseline)"))
                }
            }
        }
    }
    let origins = format!(
        "semver: {from_spec} of {} trace to a change of the spec at their type's schema; {} the generator's or untraced{}",
        from_spec + not_spec.len(),
        not_spec.len(),
        if not_spec.is_empty() { "" } else { ":" }
    );
    println!("{origins}");
    text.push_str(&format!("{origins}\n"));
    for line in &not_spec {
        println!("{line}");
        text.push_str(&format!("{line}\n"));
    }

    // The second report: field types, which cargo-semver-checks does not compare.
    let field_start = Instant::now();
    let field_report = field_type_report(&baseline_ws, &current_ws);
    let field_time = field_start.elapsed();
    let field_lines = match &field_report {
        Ok(lines) => lines.clone(),
        Err(e) => vec![format!("field types: not compared: {e}")],
    };
    println!();
    text.push('\n');
    for line in &field_lines {
        println!("{line}");
        text.push_str(&format!("{line}\n"));
    }
    write_output(&text)?;
    println!(
        "semver: done in {:.0?} (field types compared in {:.1?})",
        start.elapsed(),
        field_time
    );
    if !not_spec.is_empty() {
        return Err(format!(
            "{} of the breaking changes against {PACKAGE}@{installed} do not trace to a change of the \
             spec (listed above): the generator's doing, or a break of a function or group handle \
             to check by hand",
            not_spec.len()
        ));
    }
    field_report
        .map(|_| ())
        .map_err(|e| format!("cannot compare the field types: {e}"))
}

/// The library name of the generated crate (package `seam-connect`): its rustdoc JSON is `LIB.json`.
const LIB: &str = "seam_connect";

/// The field type report (see `fieldtypes`) between the rustdoc JSON files cargo-semver-checks built
/// in the two workspaces. Report only: a changed type does not make the command fail.
fn field_type_report(baseline_ws: &Path, current_ws: &Path) -> Result<Vec<String>, String> {
    let old_file = crate::fieldtypes::find_rustdoc_json(baseline_ws, LIB)?;
    let new_file = crate::fieldtypes::find_rustdoc_json(current_ws, LIB)?;
    let old = crate::fieldtypes::load(&old_file)?;
    let new = crate::fieldtypes::load(&new_file)?;
    let changes = crate::fieldtypes::compare(&old, &new);
    Ok(crate::fieldtypes::report(&changes, &old, &new))
}

/// `cargo semver-checks --version`, or how to install it.
fn semver_checks_version(cargo: &str) -> Result<String, String> {
    let missing = || {
        format!("cargo-semver-checks is not installed (or does not run): install it with `{HOW_TO_INSTALL}`")
    };
    let out = Command::new(cargo)
        .args(["semver-checks", "--version"])
        .output()
        .map_err(|e| format!("cannot run {cargo}: {e}"))?;
    if !out.status.success() {
        return Err(missing());
    }
    let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if version.is_empty() {
        return Err(missing());
    }
    Ok(version)
}

/// Empties (or creates) `dir`.
fn fresh_dir(dir: &Path) -> Result<PathBuf, String> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)
            .map_err(|e| format!("cannot remove {}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir.to_path_buf())
}

/// Every line a command printed, in the order they arrived: (from stderr, text).
type Lines = Vec<(bool, String)>;

/// Runs `cmd`, passing its stdout and stderr through line by line, and returns its status and every
/// line it printed.
fn run_teed(cmd: &mut Command) -> Result<(std::process::ExitStatus, Lines), String> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run cargo semver-checks: {e}"))?;
    let lines = Arc::new(Mutex::new(Vec::new()));
    fn pump(stream: impl Read, to_stderr: bool, lines: &Mutex<Lines>) {
        let mut reader = BufReader::new(stream);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
            let line = String::from_utf8_lossy(&buf);
            let line = line.trim_end_matches(['\n', '\r']).to_string();
            if to_stderr {
                let _ = writeln!(std::io::stderr(), "{line}");
            } else {
                let _ = writeln!(std::io::stdout(), "{line}");
            }
            lines
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((to_stderr, line));
        }
    }
    let stderr = child.stderr.take().expect("piped");
    let err_lines = Arc::clone(&lines);
    let err_thread = std::thread::spawn(move || pump(stderr, true, &err_lines));
    let stdout = child.stdout.take().expect("piped");
    pump(stdout, false, &lines);
    let _ = err_thread.join();
    let status = child
        .wait()
        .map_err(|e| format!("cargo semver-checks did not finish: {e}"))?;
    let lines = std::mem::take(&mut *lines.lock().unwrap_or_else(|e| e.into_inner()));
    Ok((status, lines))
}

/// For every lint that fired: `("failure" | "warning", lint name)` → number of places it names.
pub fn lint_counts(lines: &[String]) -> BTreeMap<(String, String), usize> {
    lint_places(lines)
        .into_iter()
        .map(|(lint, places)| (lint, places.len()))
        .collect()
}

/// For every lint that fired: `("failure" | "warning", lint name)` → the places it names (each line,
/// trimmed).
///
/// `lines` is cargo-semver-checks' stdout, where it prints each fired lint as
/// `--- failure NAME: title ---` (or `--- warning`), a description, then `Failed in:` and one line per
/// place, indented by two spaces.
pub fn lint_places(lines: &[String]) -> BTreeMap<(String, String), Vec<String>> {
    let mut places: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    let mut in_places = false;
    for line in lines {
        if let Some(rest) = line
            .strip_prefix("--- ")
            .and_then(|r| r.strip_suffix(" ---"))
        {
            if let Some((kind, rest)) = rest.split_once(' ') {
                if kind == "failure" || kind == "warning" {
                    let name = rest.split(':').next().unwrap_or(rest).to_string();
                    let key = (kind.to_string(), name);
                    places.entry(key.clone()).or_default();
                    current = Some(key);
                    in_places = false;
                    continue;
                }
            }
        }
        if current.is_some() && line == "Failed in:" {
            in_places = true;
            continue;
        }
        if in_places {
            if line.starts_with("  ") && !line.trim().is_empty() {
                if let Some(key) = &current {
                    places
                        .entry(key.clone())
                        .or_default()
                        .push(line.trim().to_string());
                }
            } else if !line.trim().is_empty() {
                in_places = false;
            }
        }
    }
    places
}

/// Where a break comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The schema of the type it names changed (or is gone) between the two specs.
    Spec {
        /// The type's name in the baseline crate.
        ty: String,
    },
    /// The schema of the type it names is the same in both specs: the generator's doing.
    Generator {
        /// The type's name in the baseline crate.
        ty: String,
        /// The schema's JSON pointer.
        pointer: String,
    },
    /// It names no type the baseline's generation made (a function, a handle of a group).
    Untraced,
}

/// Traces a place a lint names (`struct seam_connect::models::X, previously in file …`,
/// `variant Error9::X, …`, `DeepLink::new, …`, `field f of struct S, …`) to the schema of the type it
/// names: the last path segment of its words that names a type of the baseline generation
/// (`places`: name → JSON pointer in the spec as written), whose schema is then compared in the two
/// specs.
pub fn trace(
    place: &str,
    places: &BTreeMap<String, String>,
    old_spec: &serde_json::Value,
    new_spec: &serde_json::Value,
) -> Origin {
    let item = [", previously", " became ", " in file ", " in /"]
        .iter()
        .filter_map(|cut| place.find(cut))
        .min()
        .map_or(place, |end| &place[..end]);
    let ty = item
        .split_whitespace()
        .rev()
        .flat_map(|word| word.rsplit("::"))
        .find(|segment| places.contains_key(*segment));
    let Some(ty) = ty else {
        return Origin::Untraced;
    };
    let pointer = &places[ty];
    let at = pointer.strip_prefix('#').unwrap_or(pointer);
    match (old_spec.pointer(at), new_spec.pointer(at)) {
        (Some(old), Some(new)) if old == new => Origin::Generator {
            ty: ty.to_string(),
            pointer: pointer.clone(),
        },
        _ => Origin::Spec { ty: ty.to_string() },
    }
}

/// One line: the number of breaks, then each lint with its count, most frequent first.
pub fn summary(counts: &BTreeMap<(String, String), usize>) -> String {
    if counts.is_empty() {
        return "no breaking change".into();
    }
    let total: usize = counts.values().sum();
    let mut by_count: Vec<(&(String, String), &usize)> = counts.iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let list: Vec<String> = by_count
        .iter()
        .map(|((kind, name), n)| {
            if kind == "warning" {
                format!("{name} {n} (warning)")
            } else {
                format!("{name} {n}")
            }
        })
        .collect();
    format!(
        "{total} breaking change{} in {} lint{}: {}",
        if total == 1 { "" } else { "s" },
        counts.len(),
        if counts.len() == 1 { "" } else { "s" },
        list.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn arguments() {
        assert_eq!(
            parse_args(&args(&["--baseline", "1.955.0", "--output", "out.txt"])),
            Ok(Options {
                baseline: "1.955.0".into(),
                output: Some("out.txt".into()),
            })
        );
        assert_eq!(
            parse_args(&args(&["--baseline", "latest"])).map(|o| o.baseline),
            Ok("latest".into())
        );
        let missing = parse_args(&[]).unwrap_err();
        assert!(missing.contains("needs the baseline version"), "{missing}");
        let no_value = parse_args(&args(&["--baseline"])).unwrap_err();
        assert!(
            no_value.contains("--baseline needs a version"),
            "{no_value}"
        );
        for bad in ["1.955.0;rm", "--output", "", "1 2"] {
            let e = parse_args(&args(&["--baseline", bad])).unwrap_err();
            assert!(e.contains("is not a package version"), "{bad}: {e}");
        }
        let no_file = parse_args(&args(&["--baseline", "1.0.0", "--output"])).unwrap_err();
        assert!(no_file.contains("--output needs a file"), "{no_file}");
        let unknown = parse_args(&args(&["--baseline", "1.0.0", "--keep"])).unwrap_err();
        assert!(unknown.contains("unknown argument `--keep`"), "{unknown}");
    }

    #[test]
    fn traces_each_break_to_the_schema_of_the_type_it_names() {
        let places: BTreeMap<String, String> = [
            ("Error9", "#/components/schemas/device/properties/errors"),
            (
                "DeviceErrorGone",
                "#/components/schemas/device/properties/errors/oneOf/1",
            ),
            ("Kept", "#/components/schemas/kept"),
        ]
        .into_iter()
        .map(|(n, p)| (n.to_string(), p.to_string()))
        .collect();
        let old = serde_json::json!({"components": {"schemas": {
            "device": {"properties": {"errors": {"oneOf": [{"type": "object"}, {"title": "gone"}]}}},
            "kept": {"type": "string"}
        }}});
        let new = serde_json::json!({"components": {"schemas": {
            "device": {"properties": {"errors": {"oneOf": [{"type": "object"}]}}},
            "kept": {"type": "string"}
        }}});
        let spec = |ty: &str| Origin::Spec { ty: ty.into() };
        // A variant of a shared type whose schema lost an alternative; a place that is gone.
        assert_eq!(
            trace(
                "variant Error9::Gone, previously in file /x/_shared.rs:3",
                &places,
                &old,
                &new
            ),
            spec("Error9")
        );
        assert_eq!(
            trace(
                "struct seam_connect::models::DeviceErrorGone, previously in file /x/a.rs:1",
                &places,
                &old,
                &new
            ),
            spec("DeviceErrorGone")
        );
        // The same schema in both specs: the generator's doing.
        for place in [
            "Kept::new, previously in file /x/k.rs:9",
            "struct seam_connect::models::Kept became enum in file /x/k.rs:2",
            "field name of struct Kept, previously in file /x/k.rs:4",
        ] {
            assert_eq!(
                trace(place, &places, &old, &new),
                Origin::Generator {
                    ty: "Kept".into(),
                    pointer: "#/components/schemas/kept".into()
                },
                "{place}"
            );
        }
        assert_eq!(
            trace(
                "function seam_connect::api::list, previously in file /x/api.rs:1",
                &places,
                &old,
                &new
            ),
            Origin::Untraced
        );
        let lines: Vec<String> = "--- failure struct_missing: t ---\nFailed in:\n  struct a::B, previously in file x:1\n"
            .lines()
            .map(String::from)
            .collect();
        assert_eq!(
            lint_places(&lines)[&("failure".to_string(), "struct_missing".to_string())],
            ["struct a::B, previously in file x:1"]
        );
    }

    #[test]
    fn counts_the_places_of_each_lint() {
        let text = "
--- failure struct_missing: pub struct removed or renamed ---

Description:
A publicly-visible struct cannot be imported by its prior path.
        ref: https://example.invalid/ref
       impl: https://example.invalid/impl

Failed in:
  struct seam_connect::models::A, previously in file /x/a.rs:1
  struct seam_connect::models::B, previously in file /x/b.rs:2

--- warning enum_no_repr_variant_discriminant_changed: variant changed ---

Description:
text
Failed in:
  variant E::X 1 -> 2 in /x/e.rs:3
";
        let lines: Vec<String> = text.lines().map(String::from).collect();
        let counts = lint_counts(&lines);
        assert_eq!(counts.len(), 2);
        assert_eq!(counts[&("failure".into(), "struct_missing".into())], 2);
        assert_eq!(
            counts[&(
                "warning".into(),
                "enum_no_repr_variant_discriminant_changed".into()
            )],
            1
        );
        assert_eq!(
            summary(&counts),
            "3 breaking changes in 2 lints: struct_missing 2, enum_no_repr_variant_discriminant_changed 1 (warning)"
        );
        assert_eq!(summary(&BTreeMap::new()), "no breaking change");
    }
}
