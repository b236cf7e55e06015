//! `cargo xtask <command>`: the project's maintenance commands.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

mod bench;
mod corpus;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  codegen [--check] [--spec PATH] [--out DIR] [--profile seam|generic]
                                    generate seam-generated/ (or DIR) from the spec (default openapi/seam-connect.yaml);
                                    --check writes nothing and fails if the committed files are stale;
                                    --profile: Seam's conventions (the default for the committed spec) or
                                    the generic profile, a standalone crate (the default for any other --spec)
  update-spec [--version V]         extract the spec from the npm package @seamapi/types at version V
                                    (default: the version recorded in openapi/spec-version.txt; `latest` allowed)
  corpus DIR [--only NAME]          generate a standalone crate (generic profile) from every spec in DIR into
                                    target/corpus/<stem>/, lint each with clippy -D warnings, print a table
  test                              install the pinned fake Seam server (npm ci) and run every test
  bench                             print generator, compile and runtime figures
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen(&args[1..]),
        Some("update-spec") => update_spec(&args[1..]),
        Some("test") => test(&args[1..]),
        Some("corpus") => corpus::run(&root(), &args[1..]),
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
            other => return Err(format!("unknown option `{other}` for codegen\n\n{USAGE}")),
        }
    }
    let start = Instant::now();
    let committed = spec == root().join(SPEC);
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
    // Messages name the spec and the output as the user would: relative to the workspace when inside it.
    let shown = relative(&spec);
    let shown_out = relative(&crate_dir);
    let options = codegen::Options {
        profile,
        ..Default::default()
    };
    let output =
        codegen::generate_file_with(&spec, &options).map_err(|e| format!("{shown}: {e}"))?;
    let generated_in = start.elapsed();
    for w in &output.warnings {
        eprintln!("{shown}: {w}");
    }
    let s = &output.stats;
    if check {
        let stale = codegen::files::stale_files(&crate_dir, &output.files, output.managed_dirs)
            .map_err(|e| format!("cannot read {}: {e}", crate_dir.display()))?;
        if !stale.is_empty() {
            let list: Vec<String> = stale
                .iter()
                .map(|f| format!("  {}/{f}", crate_dir.display()))
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
        "codegen: profile {}, {} paths ({} HTTP operations) → {} endpoint functions, {} types ({} identical inline types merged), \
         {} fields left as free-form JSON",
        profile.name(),
        s.paths,
        s.operations,
        s.functions,
        s.types,
        s.merged,
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
        println!("  wrote {shown_out}/{f}");
    }
    for f in report.removed {
        println!("  removed {shown_out}/{f}");
    }
    Ok(())
}

/// A path as the user would name it: relative to the workspace when it is inside it.
fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
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
    if version.is_empty()
        || !version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'))
    {
        return Err(format!(
            "`{version}` is not a package version; expected e.g. 1.977.0 or latest"
        ));
    }
    let work = root.join("target/spec-npm");
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
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
        .current_dir(&work))?;
    let out = Command::new("node")
        .args([
            "--input-type=module",
            "-e",
            "import { openapi } from '@seamapi/types/connect'; process.stdout.write(JSON.stringify(openapi));",
        ])
        .current_dir(&work)
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
    let yaml = serde_yaml_ng::to_string(&spec).map_err(|e| format!("cannot write YAML: {e}"))?;
    let header = format!(
        "# The Seam Connect OpenAPI spec, extracted from the npm package {PACKAGE}@{installed} (MIT licence)\n\
         # by `cargo xtask update-spec`. Do not edit: refresh it with that command.\n"
    );
    std::fs::write(root.join(SPEC), format!("{header}{yaml}")).map_err(|e| e.to_string())?;
    std::fs::write(root.join(VERSION_FILE), format!("{PACKAGE}@{installed}\n"))
        .map_err(|e| e.to_string())?;
    let paths = spec["paths"].as_object().map_or(0, |p| p.len());
    println!("update-spec: {PACKAGE}@{installed}: {paths} paths written to {SPEC}; now run `cargo xtask codegen`");
    Ok(())
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
