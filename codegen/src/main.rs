//! `openapi-rust-gen`: the generator as a command. Install it with `cargo install --path codegen`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "\
openapi-rust-gen: a Rust client crate from an OpenAPI 3.0 or 3.1 spec (YAML or JSON)

usage:
  openapi-rust-gen generate --spec FILE --out DIR [--name CRATE] [--profile NAME]
                            [--overrides FILE] [--check]

  --spec FILE       the spec (.yaml, .yml or .json)
  --out DIR         the crate's folder: Cargo.toml, src/lib.rs, src/generated/, src/runtime/ are
                    written (only files whose bytes changed); other files there are left alone
  --name CRATE      the package name (default: from the spec's title, `Swagger Petstore` ->
                    `swagger-petstore`)
  --profile NAME    generic (default): any API; the others are the conventions of one API, for its
                    spec only (see --version for their names; such a profile may write the
                    models into crates of their own, in DIR/crates/)
  --overrides FILE  corrections applied to the spec before it is read (see the generator's README)
  --check           write nothing; fail if DIR is not what the spec generates
  --version         the generator's version
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("generate") => match generate(&args[1..]) {
            Ok(()) => ExitCode::SUCCESS,
            Err(Failure::Usage(e)) => {
                eprintln!("error: {e}\n\n{USAGE}");
                ExitCode::from(2)
            }
            Err(Failure::Failed(e)) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Some("--version" | "-V") => {
            let profiles: Vec<&str> = codegen::ProfileKind::ALL.iter().map(|p| p.name()).collect();
            println!(
                "openapi-rust-gen {} (profiles: {})",
                env!("CARGO_PKG_VERSION"),
                profiles.join(", ")
            );
            ExitCode::SUCCESS
        }
        Some("help" | "--help" | "-h") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("error: unknown command `{other}`\n\n{USAGE}");
            ExitCode::from(2)
        }
        None => {
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

enum Failure {
    /// The command line is wrong.
    Usage(String),
    /// Generation or writing failed.
    Failed(String),
}

fn generate(args: &[String]) -> Result<(), Failure> {
    let mut spec = None;
    let mut out = None;
    let mut package = None;
    let mut profile = codegen::ProfileKind::Generic;
    let mut overrides = None;
    let mut check = false;
    let mut it = args.iter();
    let usage = |s: &str| Failure::Usage(s.to_string());
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--spec" => {
                spec = Some(PathBuf::from(
                    it.next().ok_or(usage("--spec needs a file"))?,
                ))
            }
            "--out" => {
                out = Some(PathBuf::from(
                    it.next().ok_or(usage("--out needs a folder"))?,
                ))
            }
            "--name" => {
                let name = it.next().ok_or(usage("--name needs a package name"))?;
                if !codegen::valid_package_name(name) {
                    return Err(Failure::Usage(format!(
                        "`{name}` cannot name a package: expected ASCII letters, digits, `-` and \
                         `_`, starting with a letter"
                    )));
                }
                package = Some(name.clone());
            }
            "--profile" => {
                let name = it.next().ok_or(usage("--profile needs a name"))?;
                profile = codegen::ProfileKind::from_name(name).ok_or_else(|| {
                    let names: Vec<&str> =
                        codegen::ProfileKind::ALL.iter().map(|p| p.name()).collect();
                    Failure::Usage(format!(
                        "unknown profile `{name}`; expected one of {}",
                        names.join(", ")
                    ))
                })?;
            }
            "--overrides" => {
                overrides = Some(PathBuf::from(
                    it.next().ok_or(usage("--overrides needs a file"))?,
                ))
            }
            "--check" => check = true,
            other => return Err(Failure::Usage(format!("unknown option `{other}`"))),
        }
    }
    let spec = spec.ok_or(usage("--spec FILE is required"))?;
    let out = out.ok_or(usage("--out DIR is required"))?;
    if package.is_some() && profile != codegen::ProfileKind::Generic {
        return Err(usage(
            "--name applies to the generic profile (an API's own profile names its crate)",
        ));
    }
    let start = Instant::now();
    let shown = spec.display().to_string();
    let failed = |e: codegen::Error| Failure::Failed(format!("{shown}: {e}"));
    let loaded = codegen::load::load_file_with(&spec, overrides.as_deref()).map_err(failed)?;
    let options = codegen::Options {
        profile,
        package,
        // As the profile's committed crate is written (`cargo xtask codegen`).
        split_groups: profile.splits_groups(),
        ..codegen::Options::default()
    };
    let output = codegen::generate_loaded(loaded, &options).map_err(failed)?;
    for w in &output.warnings {
        eprintln!("{shown}: warning: {w}");
    }
    for s in &output.stale_overrides {
        eprintln!("{shown}: warning: an override no longer matches the spec: {s}");
    }
    let crate_dir = out.display();
    if check {
        let stale = codegen::files::stale_files(&out, &output.files, output.managed_dirs)
            .map_err(|e| Failure::Failed(format!("cannot read {crate_dir}: {e}")))?;
        if !stale.is_empty() {
            return Err(Failure::Failed(format!(
                "{crate_dir} is not what {shown} generates; stale: {}",
                stale.join(", ")
            )));
        }
        println!("{crate_dir}: up to date");
        return Ok(());
    }
    // Never overwrite a crate this generator did not write.
    let manifest = out.join("Cargo.toml");
    if let Ok(text) = std::fs::read_to_string(&manifest) {
        if !text
            .lines()
            .next()
            .is_some_and(|l| l.contains("@generated"))
        {
            return Err(Failure::Failed(format!(
                "{} was not written by this generator: choose another --out, or remove it",
                manifest.display()
            )));
        }
    }
    let report = codegen::files::write_tree(&out, &output.files, output.managed_dirs)
        .map_err(|e| Failure::Failed(format!("cannot write {crate_dir}: {e}")))?;
    let s = &output.stats;
    println!(
        "{crate_dir}: {} functions, {} types from {shown} in {} ms ({} files written, {} unchanged, {} removed, {} warnings)",
        s.functions,
        s.types,
        start.elapsed().as_millis(),
        report.written.len(),
        report.unchanged,
        report.removed.len(),
        output.warnings.len(),
    );
    Ok(())
}
