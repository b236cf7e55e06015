//! `cargo xtask corpus DIR [--only NAME]`: generates a standalone crate (generic profile) from every
//! spec in DIR and checks that each compiles lint-clean.
//!
//! Each crate goes to `target/corpus/<stem>/` with a copy of the workspace's `Cargo.lock` (so the
//! versions are the workspace's and nothing new is resolved), an empty `[workspace]` table (so
//! cargo does not take it for a member of this repository's workspace) and the package name
//! `corpus-<stem>` (so that specs with one title do not share build artifacts). All crates are checked with
//! `cargo clippy --all-targets --all-features -- -D warnings` (so the `test-util` constructors and
//! setters are linted too) in one shared target folder, `corpus-target` beside the workspace's, so
//! the dependencies build once. Every spec is reported, failed or not; the command
//! fails if any spec does not generate, emits a different number of functions than it has
//! operations, or does not compile cleanly.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Appended to each generated `Cargo.toml`: the crate is its own workspace, not a member of ours.
const WORKSPACE_TABLE: &str =
    "\n# Added by cargo xtask corpus: a workspace of its own, not a member of the repository's.\n[workspace]\n";

/// How many lines of a failed check's output to show.
const SHOWN_LINES: usize = 40;

/// What happened to one spec.
struct Row {
    /// The spec's file name.
    spec: String,
    /// Generation figures, when it generated.
    generated: Option<Generated>,
    /// Why generation (or writing) failed.
    failure: Option<String>,
    /// The check's verdict, when it ran.
    check: Option<Check>,
}

struct Generated {
    operations: usize,
    functions: usize,
    types: usize,
    json_fields: usize,
    warnings: usize,
    took: Duration,
    dir: PathBuf,
}

struct Check {
    passed: bool,
    errors: usize,
    warnings: usize,
    took: Duration,
    /// The first lines of cargo's output when it failed.
    excerpt: String,
}

/// Runs the command.
pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let mut dir = None;
    let mut only = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--only" => only = Some(it.next().ok_or("--only needs a spec name")?.clone()),
            // Every spec is always reported; accepted for clarity in scripts.
            "--keep-going" => {}
            a if a.starts_with("--") => return Err(format!("unknown option `{a}` for corpus")),
            a if dir.is_none() => dir = Some(PathBuf::from(a)),
            a => {
                return Err(format!(
                    "unexpected argument `{a}`: corpus takes one folder"
                ))
            }
        }
    }
    let dir =
        dir.ok_or("corpus needs the folder of specs, e.g. `cargo xtask corpus ../shared/specs`")?;
    let specs = specs(&dir, only.as_deref())?;
    let out_root = root.join("target/corpus");
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("corpus-target");
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("cannot read the workspace's Cargo.lock: {e}"))?;

    let mut rows: Vec<Row> = specs
        .iter()
        .map(|spec| generate(spec, &out_root, &lock))
        .collect();
    for row in &mut rows {
        if let Some(g) = &row.generated {
            eprintln!("corpus: checking {} ...", super::shown_path(&g.dir));
            row.check = Some(check(&g.dir, &target_dir)?);
        }
    }

    let table = table(&rows);
    print!("{table}");
    let report = out_root.join("report.md");
    std::fs::write(&report, &table)
        .map_err(|e| format!("cannot write {}: {e}", report.display()))?;

    let mut problems = Vec::new();
    for row in &rows {
        if let Some(f) = &row.failure {
            problems.push(format!("{}: generation failed: {f}", row.spec));
        }
        if let Some(g) = &row.generated {
            if g.functions != g.operations {
                problems.push(format!(
                    "{}: {} functions emitted for {} operations",
                    row.spec, g.functions, g.operations
                ));
            }
        }
        if let Some(c) = row.check.as_ref().filter(|c| !c.passed) {
            problems.push(format!(
                "{}: `cargo clippy --all-targets --all-features -- -D warnings` failed:\n{}",
                row.spec, c.excerpt
            ));
        }
    }
    println!("\n(table also in {})", super::shown_path(&report));
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} problem(s) in the corpus:\n\n{}",
            problems.len(),
            problems.join("\n\n")
        ))
    }
}

/// The spec files of `dir` (`*.yaml`, `*.yml`, `*.json`), sorted; only `only` (a file name or stem)
/// when given.
pub(crate) fn specs(dir: &Path, only: Option<&str>) -> Result<Vec<PathBuf>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut specs = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        let is_spec = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"));
        if is_spec && path.is_file() {
            specs.push(path);
        }
    }
    specs.sort();
    if let Some(name) = only {
        specs.retain(|p| {
            p.file_name().is_some_and(|f| f == name) || p.file_stem().is_some_and(|s| s == name)
        });
        if specs.is_empty() {
            return Err(format!("no spec named `{name}` in {}", dir.display()));
        }
    }
    if specs.is_empty() {
        return Err(format!(
            "no *.yaml, *.yml or *.json spec in {}",
            dir.display()
        ));
    }
    Ok(specs)
}

/// Generates the crate of `spec` into `out_root/<stem>/`.
fn generate(spec: &Path, out_root: &Path, lock: &str) -> Row {
    let name = spec
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = spec
        .file_stem()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut row = Row {
        spec: name,
        generated: None,
        failure: None,
        check: None,
    };
    let options = codegen::Options {
        profile: codegen::ProfileKind::Generic,
        ..Default::default()
    };
    let start = Instant::now();
    let mut output = match codegen::generate_file_with(spec, &options) {
        Ok(o) => o,
        Err(e) => {
            row.failure = Some(e.to_string());
            return row;
        }
    };
    let took = start.elapsed();
    let dir = out_root.join(&stem);
    let written = write_standalone(
        &mut output,
        &dir,
        lock,
        &format!("corpus-{}", package_slug(&stem)),
    );
    if let Err(e) = written {
        row.failure = Some(e);
        return row;
    }
    let s = &output.stats;
    row.generated = Some(Generated {
        operations: s.operations,
        functions: s.functions,
        types: s.types,
        json_fields: s.json_fields,
        warnings: output.warnings.len(),
        took,
        dir,
    });
    row
}

/// `stem` made a package name's part: ASCII alphanumerics lowercased, anything else `-`.
pub(crate) fn package_slug(stem: &str) -> String {
    stem.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// Writes a standalone crate the generic profile generated into `dir`, as its own workspace, with
/// the package name `package`, the workspace's `Cargo.lock` (so nothing new is resolved) and its
/// warnings in `codegen-warnings.txt`.
pub(crate) fn write_standalone(
    output: &mut codegen::Output,
    dir: &Path,
    lock: &str,
    package: &str,
) -> Result<(), String> {
    let manifest = output
        .files
        .get_mut("Cargo.toml")
        .ok_or("the generator wrote no Cargo.toml")?;
    // One package name per spec: cargo keys a path package's artifacts by its name and its path
    // relative to its workspace (here always the root), so two specs with one title (both
    // petstores are `Swagger Petstore`) would share them, and the second could pass unchecked.
    if let Some(line) = manifest.lines().find(|l| l.starts_with("name = ")) {
        let line = line.to_string();
        *manifest = manifest.replacen(&line, &format!("name = \"{package}\""), 1);
    }
    manifest.push_str(WORKSPACE_TABLE);
    codegen::files::write_tree(dir, &output.files, output.managed_dirs)
        .map_err(|e| format!("cannot write {}: {e}", dir.display()))?;
    std::fs::write(dir.join("Cargo.lock"), lock)
        .map_err(|e| format!("cannot write {}/Cargo.lock: {e}", dir.display()))?;
    let warnings: String = output.warnings.iter().map(|w| format!("{w}\n")).collect();
    std::fs::write(dir.join("codegen-warnings.txt"), warnings)
        .map_err(|e| format!("cannot write {}/codegen-warnings.txt: {e}", dir.display()))
}

/// Runs `cargo clippy --all-targets --all-features -- -D warnings` in `dir`. An error only when cargo
/// cannot be started at all.
fn check(dir: &Path, target_dir: &Path) -> Result<Check, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let start = Instant::now();
    let out = Command::new(&cargo)
        .args([
            "clippy",
            "--all-targets",
            "--all-features",
            "--message-format=short",
            "--",
            "-D",
            "warnings",
        ])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir)
        .output()
        .map_err(|e| format!("cannot run {cargo}: {e}"))?;
    let took = start.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // With -D warnings every lint is an error; count what the crate itself reported.
    let errors = stderr
        .lines()
        .filter(|l| l.contains(": error") || l.starts_with("error["))
        .count();
    let warnings = stderr.lines().filter(|l| l.contains(": warning")).count();
    let excerpt = stderr
        .lines()
        .filter(|l| {
            !l.trim_start().starts_with("Compiling") && !l.trim_start().starts_with("Checking")
        })
        .take(SHOWN_LINES)
        .collect::<Vec<_>>()
        .join("\n");
    Ok(Check {
        passed: out.status.success(),
        errors,
        warnings,
        took,
        excerpt,
    })
}

/// The report as a markdown table.
fn table(rows: &[Row]) -> String {
    let mut t = String::from(
        "| spec | operations | functions | types | free-form JSON fields | codegen warnings | generate | check |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n",
    );
    for row in rows {
        let check = match &row.check {
            Some(c) if c.passed => format!("clean ({:.1} s)", c.took.as_secs_f64()),
            Some(c) => format!(
                "**FAILED** (errors: {}, warnings: {}; {:.1} s)",
                c.errors,
                c.warnings,
                c.took.as_secs_f64()
            ),
            None => "not run".into(),
        };
        let _ = match (&row.generated, &row.failure) {
            (Some(g), _) => writeln!(
                t,
                "| {} | {} | {}{} | {} | {} | {} | {:.0} ms | {} |",
                row.spec,
                g.operations,
                g.functions,
                if g.functions == g.operations {
                    ""
                } else {
                    " **≠**"
                },
                g.types,
                g.json_fields,
                g.warnings,
                g.took.as_secs_f64() * 1000.0,
                check
            ),
            (None, failure) => writeln!(
                t,
                "| {} | | | | | | **FAILED**: {} | {} |",
                row.spec,
                failure
                    .as_deref()
                    .unwrap_or("unknown")
                    .replace('|', "\\|")
                    .replace('\n', " "),
                check
            ),
        };
    }
    t
}
