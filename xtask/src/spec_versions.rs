//! `cargo xtask spec-versions V1 V2 ...`: does the generator still handle these versions of the spec?
//!
//! For each version: extracts the spec of `@seamapi/types@V` (as `update-spec` does, into
//! `target/spec-versions/V/`, never over `openapi/`), generates the crate there with the committed
//! overrides (stale entries are warnings: they are written for the committed spec), and runs
//! `cargo clippy --all-features -- -D warnings` on it. All versions share one target folder, so the
//! dependencies are checked once. Prints a table; fails if any version failed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::{root, CRATE_DIR};

/// One version's outcome.
struct Row {
    version: String,
    installed: String,
    paths: String,
    functions: String,
    types: String,
    warnings: String,
    stale: String,
    clippy: String,
    seconds: f64,
    failure: Option<String>,
}

impl Row {
    fn new(version: &str) -> Row {
        Row {
            version: version.to_string(),
            installed: "-".into(),
            paths: "-".into(),
            functions: "-".into(),
            types: "-".into(),
            warnings: "-".into(),
            stale: "-".into(),
            clippy: "not run".into(),
            seconds: 0.0,
            failure: None,
        }
    }
}

/// Runs the command (see the module docs).
pub fn run(args: &[String]) -> Result<(), String> {
    if args.is_empty() || args.iter().any(|a| a.starts_with('-')) {
        return Err(
            "usage: cargo xtask spec-versions V1 [V2 ...]   (versions of @seamapi/types, e.g. 1.955.0)"
                .into(),
        );
    }
    let root = root();
    let scratch = root.join("target/spec-versions");
    // One target folder for every version (and the workspace's own, when set), so that the
    // dependencies are checked once.
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let mut rows = Vec::new();
    for version in args {
        let start = Instant::now();
        let mut row = Row::new(version);
        if let Err(e) = one_version(&root, &scratch, &target_dir, version, &mut row) {
            eprintln!("spec-versions: {version}: {e}");
            row.failure = Some(e);
        }
        row.seconds = start.elapsed().as_secs_f64();
        rows.push(row);
    }
    print_table(&rows);
    let failed: Vec<&str> = rows
        .iter()
        .filter(|r| r.failure.is_some())
        .map(|r| r.version.as_str())
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("spec-versions failed for {}", failed.join(", ")))
    }
}

fn one_version(
    root: &Path,
    scratch: &Path,
    target_dir: &Path,
    version: &str,
    row: &mut Row,
) -> Result<(), String> {
    crate::check_version(version)?;
    let dir = scratch.join(version);
    let (installed, spec) = crate::extract_spec(&scratch.join("npm").join(version), version)?;
    row.installed = installed.clone();
    let spec_path = dir.join("seam-connect.yaml");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
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
    for w in &output.warnings {
        eprintln!("{version}: {w}");
    }
    for stale in &output.stale_overrides {
        eprintln!(
            "{version}: note: {} {stale} (written for the committed spec; not an error here)",
            crate::OVERRIDES
        );
    }
    row.paths = output.stats.paths.to_string();
    row.functions = output.stats.functions.to_string();
    row.types = output.stats.types.to_string();
    row.warnings = output.warnings.len().to_string();
    row.stale = output.stale_overrides.len().to_string();

    // A member folder named after the version: cargo keys a path package's artifacts by its path
    // relative to the workspace, so one name for every version would share (and overwrite) them in the
    // shared target folder.
    let member = format!("crate-{version}");
    let crate_dir = dir.join(&member);
    copy_hand_written(&root.join(CRATE_DIR), &crate_dir)?;
    codegen::files::write_tree(&crate_dir, &output.files, output.managed_dirs)
        .map_err(|e| format!("cannot write {}: {e}", crate_dir.display()))?;
    write_workspace(root, &dir, &member)?;

    row.clippy = "failed".into();
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["clippy", "--quiet", "--all-features", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .args(["-p", "seam-connect", "--", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", target_dir)
        .status()
        .map_err(|e| format!("cannot run cargo clippy: {e}"))?;
    if !status.success() {
        return Err(format!("cargo clippy on {} failed", crate_dir.display()));
    }
    row.clippy = "clean".into();
    Ok(())
}

/// Copies the generated crate's hand-written files (everything but `Cargo.toml` and the generated
/// folders) from `from` to `to`.
pub(crate) fn copy_hand_written(from: &Path, to: &Path) -> Result<(), String> {
    let managed = codegen::ProfileKind::Seam.profile().managed_dirs();
    copy_tree(from, to, &|rel| {
        rel == "Cargo.toml"
            || managed
                .iter()
                .any(|m| rel == *m || rel.starts_with(&format!("{m}/")))
    })
}

/// Copies the folder `from` into `to`, file by file, leaving out every entry whose path relative to
/// `from` (with `/` separators) `skip` names (a folder left out is not entered).
pub(crate) fn copy_tree(from: &Path, to: &Path, skip: &dyn Fn(&str) -> bool) -> Result<(), String> {
    fn walk(base: &Path, dir: &Path, to: &Path, skip: &dyn Fn(&str) -> bool) -> Result<(), String> {
        let entries =
            std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            let rel = path.strip_prefix(base).map_err(|e| e.to_string())?;
            if skip(&rel.to_string_lossy().replace('\\', "/")) {
                continue;
            }
            let dest = to.join(rel);
            if path.is_dir() {
                std::fs::create_dir_all(&dest)
                    .map_err(|e| format!("cannot create {}: {e}", dest.display()))?;
                walk(base, &path, to, skip)?;
            } else {
                // A file with the same bytes is left alone: cargo rebuilds nothing for it.
                let bytes = std::fs::read(&path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                if std::fs::read(&dest).ok().as_deref() != Some(&bytes[..]) {
                    std::fs::write(&dest, &bytes)
                        .map_err(|e| format!("cannot write {}: {e}", dest.display()))?;
                }
            }
        }
        Ok(())
    }
    std::fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    walk(from, from, to, skip)
}

/// Makes `dir` a workspace of its own around `dir/crate`, with the project's workspace settings (the
/// generated `Cargo.toml` inherits them) and its lock file (the same dependency versions).
pub(crate) fn write_workspace(root: &Path, dir: &Path, member: &str) -> Result<(), String> {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml"))
        .map_err(|e| format!("cannot read Cargo.toml: {e}"))?;
    let members = manifest
        .lines()
        .find(|l| l.trim_start().starts_with("members = "))
        .ok_or("the workspace Cargo.toml has no `members = ` line")?;
    let manifest = manifest.replacen(members, &format!("members = [\"{member}\"]"), 1);
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    if let Ok(lock) = std::fs::read(root.join("Cargo.lock")) {
        std::fs::write(dir.join("Cargo.lock"), lock).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn print_table(rows: &[Row]) {
    println!();
    println!("| version | installed | paths | functions | types | warnings | stale overrides | clippy -D warnings | time |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for r in rows {
        let clippy = match &r.failure {
            Some(f) if r.clippy != "failed" => format!("{} ({})", r.clippy, first_line(f)),
            _ => r.clippy.clone(),
        };
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {:.0} s |",
            r.version,
            r.installed,
            r.paths,
            r.functions,
            r.types,
            r.warnings,
            r.stale,
            clippy,
            r.seconds
        );
    }
}

fn first_line(s: &str) -> &str {
    let line = s.lines().next().unwrap_or("");
    match line.char_indices().nth(100) {
        Some((at, _)) => &line[..at],
        None => line,
    }
}
