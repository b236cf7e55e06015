//! `cargo xtask <command>`: the project's maintenance commands.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

// The generator allocates and frees a great many small objects (tokens, syntax trees) on both
// cores; mimalloc does that faster than the system allocator (`cargo xtask bench --only codegen`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod bench;
mod compare;
mod corpus;
mod fieldtypes;
mod mutate;
mod roundtrip;
mod semver;
mod spec_versions;
mod yaml;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  codegen [--check] [--spec PATH] [--out DIR] [--profile seam|generic] [--overrides FILE]
                                    generate seam-generated/ (or DIR) from the spec (default openapi/seam-connect.yaml);
                                    --check writes nothing and fails if the committed files are stale or an
                                    override is stale; overrides default to openapi/overrides.yaml for the
                                    committed spec and to none for any other --spec; --profile: Seam's
                                    conventions (the default for the committed spec) or the generic profile,
                                    a standalone crate (the default for any other --spec)
  update-spec [--version V]         extract the spec from the npm package @seamapi/types at version V
                                    (default: the version recorded in openapi/spec-version.txt; `latest` allowed)
  spec-versions V1 [V2 ...]         for each version of @seamapi/types: extract its spec (under target/, not
                                    openapi/), generate the crate with the committed overrides, run clippy
                                    -D warnings on it with all features; print a table
  semver --baseline V [--output FILE]
                                    generate the crate from @seamapi/types@V (current generator, committed
                                    overrides) under target/semver/V/ and run cargo-semver-checks between it
                                    and seam-generated/ with all features, listing every breaking change
                                    whatever the versions; prints the count per lint, traces each break
                                    to the schema of the type it names and fails if any does not trace
                                    to a change of the spec (the generator's doing); then lists the public fields whose type changed (optional, required,
                                    boxed, unboxed, renamed, other), a report only;
                                    --output also writes its full output to FILE. Needs
                                    `cargo install cargo-semver-checks --locked`
  corpus DIR [--only NAME]          generate a standalone crate (generic profile) from every spec in DIR into
                                    target/corpus/<stem>/, lint each with clippy -D warnings, print a table
  roundtrip [SPEC|DIR ...] [--seam] [--only NAME] [--seed N] [--examples N] [--root-budget S] [--budget S]
            [--op-budget S] [--request-budget S] [--no-requests]
                                    proof by data: instances of every schema the crate decodes, made from the
                                    spec by hypothesis-jsonschema (pinned in tests/roundtrip/requirements.txt,
                                    installed into a virtual environment under target/), decoded with the
                                    generated type and encoded again; and every function's requests, built
                                    from instances of its parameters and body, sent to 127.0.0.1 and checked
                                    by openapi-core; prints a table and fails on any loss, decode failure,
                                    invalid request or request not sent. No SPEC: Seam's committed spec
                                    (--seam adds it)
  mutate [--seed N] [--budget SECONDS] [--spec FILE|DIR]... [--replay SEED:INDEX]
                                    a seeded mutation test of the generator: mutants of every spec (default
                                    ../shared/specs, ../shared/specs-3.1 and the committed spec) must generate
                                    Rust that parses or be refused with an error, never panic, and a refused
                                    one must write nothing; budget 60 s, seed 27 by default; --replay reruns
                                    one mutant and writes it under target/mutate/
  compare [SPEC|DIR ...] [--only NAME] [--tools a,b] [--jobs N]
                                    this generator beside progenitor 0.15.1, oas3-gen 0.29 and openapi-to-rust
                                    0.23 (installed with cargo install under target/compare/tools/) on the same
                                    specs (default ../shared/specs and ../shared/specs-3.1): per spec and tool,
                                    whether it generates, compiles and is clippy-clean, lines, generation and
                                    crate build time; prints a table, also written to target/compare/table.md;
                                    --tools a subset of ours,progenitor,oas3-gen,openapi-to-rust; --jobs N is
                                    cargo's -j
  test                              install the pinned fake Seam server (npm ci) and run every test
  bench                             print generator, compile and runtime figures
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen(&args[1..]),
        Some("update-spec") => update_spec(&args[1..]),
        Some("spec-versions") => spec_versions::run(&args[1..]),
        Some("semver") => semver::run(&args[1..]),
        Some("corpus") => corpus::run(&root(), &args[1..]),
        Some("compare") => compare::run(&root(), &args[1..]),
        Some("roundtrip") => roundtrip::run(&root(), &args[1..]),
        Some("mutate") => mutate::run(&root(), &args[1..]),
        Some("test") => test(&args[1..]),
        Some("bench") => bench::run(&root(), &args[1..]),
        Some("help" | "--help" | "-h") => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
        None => Err(format!("no command given\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root.
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// The committed spec.
pub const SPEC: &str = "openapi/seam-connect.yaml";
/// The generated crate's folder.
pub const CRATE_DIR: &str = "seam-generated";
const VERSION_FILE: &str = "openapi/spec-version.txt";
const PACKAGE: &str = "@seamapi/types";

fn codegen(args: &[String]) -> Result<(), String> {
    let mut check = false;
    let mut spec = root().join(SPEC);
    let mut crate_dir = root().join(CRATE_DIR);
    let mut overrides_arg = None;
    let mut profile = None;
    let mut out_given = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--check" => check = true,
            "--spec" => {
                let path = it.next().ok_or("--spec needs a path")?;
                spec = PathBuf::from(path);
            }
            "--out" => {
                let path = it.next().ok_or("--out needs a folder")?;
                crate_dir = PathBuf::from(path);
                out_given = true;
            }
            "--profile" => {
                let name = it.next().ok_or("--profile needs a name: seam or generic")?;
                profile = Some(codegen::ProfileKind::from_name(name).ok_or_else(|| {
                    format!("unknown profile `{name}`; expected seam or generic")
                })?);
            }
            "--overrides" => {
                let path = it.next().ok_or("--overrides needs a file")?;
                overrides_arg = Some(PathBuf::from(path));
            }
            other => return Err(format!("unknown option `{other}` for codegen\n\n{USAGE}")),
        }
    }
    let start = Instant::now();
    // Messages name files as the user would: relative to the workspace when inside it.
    let shown = shown_path(&spec);
    let crate_shown = shown_path(&crate_dir);
    let committed = same_file(&spec, &root().join(SPEC));
    let profile = profile.unwrap_or(if committed {
        codegen::ProfileKind::Seam
    } else {
        codegen::ProfileKind::Generic
    });
    if profile == codegen::ProfileKind::Seam && !committed && !out_given {
        return Err(format!(
            "--profile seam with another --spec would overwrite {CRATE_DIR}/: pass --out DIR"
        ));
    }
    let overrides = match overrides_arg {
        Some(o) => Some(o),
        None if committed => Some(root().join(OVERRIDES)),
        None => None,
    };
    match &overrides {
        Some(o) => println!("codegen: applying the overrides in {}", shown_path(o)),
        None => println!(
            "codegen: no overrides applied ({shown} is not the committed spec; pass --overrides FILE to apply some)"
        ),
    }
    // The Seam crate is split by group (see codegen's `plan::parts`); checks that build a
    // generated crate of their own (semver, spec-versions) take it whole.
    let split = profile.splits_groups();
    let output = generate_with_overrides(&spec, overrides.as_deref(), profile, split)
        .map_err(|e| format!("{shown}: {e}"))?;
    let generated_in = start.elapsed();
    for w in &output.warnings {
        eprintln!("{shown}: {w}");
    }
    let stale_overrides = report_stale_overrides(&output, overrides.as_deref());
    let s = &output.stats;
    if check {
        if let Some(stale) = stale_overrides {
            return Err(stale);
        }
        let stale = codegen::files::stale_files(&crate_dir, &output.files, output.managed_dirs)
            .map_err(|e| format!("cannot read {}: {e}", crate_dir.display()))?;
        if !stale.is_empty() {
            let list: Vec<String> = stale
                .iter()
                .map(|f| format!("  {crate_shown}/{f}"))
                .collect();
            return Err(format!(
                "the generated crate is stale; run `cargo xtask codegen` and commit the result:\n{}",
                list.join("\n")
            ));
        }
        println!(
            "codegen --check: {} files up to date ({:.0?})",
            output.files.len(),
            start.elapsed()
        );
        return Ok(());
    }
    let report = codegen::files::write_tree(&crate_dir, &output.files, output.managed_dirs)
        .map_err(|e| format!("cannot write {}: {e}", crate_dir.display()))?;
    println!(
        "codegen: profile {}, {} paths ({} HTTP operations) → {} endpoint functions, {} types ({} of them made \
         for identical inline schemas to share), {} per-place aliases of shared types, {} boxed fields, {} fields left as free-form JSON",
        profile.name(),
        s.paths,
        s.operations,
        s.functions,
        s.types,
        s.shared,
        s.merged,
        s.boxed,
        s.json_fields
    );
    println!(
        "codegen: {} warnings; {} files written, {} unchanged, {} removed; generated in {:.0?}, total {:.0?}",
        output.warnings.len(),
        report.written.len(),
        report.unchanged,
        report.removed.len(),
        generated_in,
        start.elapsed()
    );
    for f in report.written {
        println!("  wrote {crate_shown}/{f}");
    }
    for f in report.removed {
        println!("  removed {crate_shown}/{f}");
    }
    Ok(())
}

/// The committed overrides of the committed spec.
const OVERRIDES: &str = "openapi/overrides.yaml";

/// A path relative to the workspace when it is inside it, else as given.
fn shown_path(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    absolute
        .strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Generates from `spec` with the overrides file `overrides` (or none), as one crate or split by
/// group (`split`, see [`codegen::Options::split_groups`]).
fn generate_with_overrides(
    spec: &Path,
    overrides: Option<&Path>,
    profile: codegen::ProfileKind,
    split: bool,
) -> Result<codegen::Output, codegen::Error> {
    let loaded = codegen::load::load_file_with(spec, overrides)?;
    let options = codegen::Options {
        profile,
        split_groups: split,
        ..codegen::Options::default()
    };
    codegen::generate_loaded(loaded, &options)
}

/// Prints a warning for every stale override entry, naming the overrides file; returns the error that
/// `--check` fails with when there is any.
fn report_stale_overrides(output: &codegen::Output, overrides: Option<&Path>) -> Option<String> {
    if output.stale_overrides.is_empty() {
        return None;
    }
    let file = overrides.map_or_else(|| "the overrides".into(), shown_path);
    for stale in &output.stale_overrides {
        eprintln!("warning: {file}: {stale}");
    }
    Some(format!(
        "{} stale override entr{} in {file} (listed above): delete or correct {} and rerun",
        output.stale_overrides.len(),
        if output.stale_overrides.len() == 1 {
            "y"
        } else {
            "ies"
        },
        if output.stale_overrides.len() == 1 {
            "it"
        } else {
            "them"
        },
    ))
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{:?} failed with {status}", cmd.get_program()))
    }
}

fn update_spec(args: &[String]) -> Result<(), String> {
    let root = root();
    let mut version = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--version" => {
                version = Some(
                    it.next()
                        .ok_or("--version needs a value, e.g. 1.977.0 or latest")?
                        .clone(),
                )
            }
            other => {
                return Err(format!(
                    "unknown option `{other}` for update-spec\n\n{USAGE}"
                ))
            }
        }
    }
    let version = match version {
        Some(v) => v,
        None => {
            let recorded = std::fs::read_to_string(root.join(VERSION_FILE))
                .map_err(|e| format!("cannot read {VERSION_FILE} (pass --version): {e}"))?;
            recorded
                .trim()
                .trim_start_matches(&format!("{PACKAGE}@"))
                .to_string()
        }
    };
    let (installed, spec) = extract_spec(&root.join("target/spec-npm"), &version)?;
    std::fs::write(root.join(SPEC), spec_yaml(&spec, &installed)?).map_err(|e| e.to_string())?;
    std::fs::write(root.join(VERSION_FILE), format!("{PACKAGE}@{installed}\n"))
        .map_err(|e| e.to_string())?;
    let paths = spec["paths"].as_object().map_or(0, |p| p.len());
    println!("update-spec: {PACKAGE}@{installed}: {paths} paths written to {SPEC}; now run `cargo xtask codegen`");
    Ok(())
}

/// Checks that `version` looks like an npm version (or tag) and not like a command-line option.
fn check_version(version: &str) -> Result<(), String> {
    if version.is_empty()
        || !version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'))
        || version.starts_with('-')
    {
        return Err(format!(
            "`{version}` is not a package version; expected e.g. 1.977.0 or latest"
        ));
    }
    Ok(())
}

/// The spec file's text: a header naming the package version, then the spec as YAML that YAML 1.1
/// readers read alike (see `yaml.rs`).
fn spec_yaml(spec: &serde_json::Value, installed: &str) -> Result<String, String> {
    let yaml = yaml::to_string(spec)?;
    let header = format!(
        "# The Seam Connect OpenAPI spec, extracted from the npm package {PACKAGE}@{installed} (MIT licence)\n\
         # by `cargo xtask update-spec`. Do not edit: refresh it with that command.\n"
    );
    Ok(format!("{header}{yaml}"))
}

/// Installs `@seamapi/types@version` into the folder `work` and returns the installed version and the
/// spec it exports.
fn extract_spec(work: &Path, version: &str) -> Result<(String, serde_json::Value), String> {
    check_version(version)?;
    std::fs::create_dir_all(work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    std::fs::write(work.join("package.json"), "{\"private\": true}\n")
        .map_err(|e| e.to_string())?;
    run(Command::new("npm")
        .args([
            "install",
            "--no-audit",
            "--no-fund",
            "--save-exact",
            &format!("{PACKAGE}@{version}"),
        ])
        .current_dir(work))?;
    let out = Command::new("node")
        .args([
            "--input-type=module",
            "-e",
            "import { openapi } from '@seamapi/types/connect'; process.stdout.write(JSON.stringify(openapi));",
        ])
        .current_dir(work)
        .output()
        .map_err(|e| format!("cannot run node: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "node could not load the spec: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let installed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(work.join("node_modules/@seamapi/types/package.json"))
            .map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    let installed = installed["version"]
        .as_str()
        .ok_or("the installed package has no version")?
        .to_string();
    let spec: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("the package's spec is not JSON: {e}"))?;
    Ok((installed, spec))
}

fn test(args: &[String]) -> Result<(), String> {
    let root = root();
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(root.join("tests/fake")))?;
    run(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["test", "--workspace", "--all-features"])
            .args(args)
            .current_dir(&root),
    )
}
