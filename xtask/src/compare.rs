//! `cargo xtask compare [SPEC|DIR ...] [--only NAME] [--tools a,b] [--jobs N]`: this project's
//! generator side by side with other Rust OpenAPI generators that install from the crate registry, in one
//! run, on the same specs (by default every spec in `../shared/specs` and `../shared/specs-3.1`).
//!
//! The tools, each installed by this command with `cargo install --locked` into
//! `target/compare/tools/<crate>-<version>/` (skipped when its binary is there):
//! - `progenitor` (crate `cargo-progenitor`, the CLI of progenitor 0.15.1): writes a whole crate
//!   (`Cargo.toml`, `src/lib.rs`) depending on `progenitor-client`; reads JSON or YAML (it tries JSON,
//!   then YAML) into `openapiv3`'s OpenAPI 3.0 model.
//! - `oas3-gen` 0.29 (`generate client-mod --workspace`): writes a whole crate (`Cargo.toml`,
//!   `src/*.rs`) depending on `oas3-gen-support`; reads JSON or YAML (by extension) into `oas3`'s
//!   OpenAPI 3.1 model.
//! - `openapi-to-rust` 0.23 (`generate SPEC --output-dir DIR`): writes a module (`mod.rs`,
//!   `types.rs`, `client.rs`) and `REQUIRED_DEPS.toml`, its dependencies; reads JSON or YAML, 3.0 and
//!   3.1. The harness wraps the module into a crate: a `Cargo.toml` made of those dependencies and a
//!   `src/lib.rs` of one `pub mod` line (not counted in its lines).
//!
//! Every tool reads the specs as they are (YAML or JSON).
//!
//! Every crate goes to `target/compare/crates/<tool>/<stem>/` with its own `[workspace]` table and
//! the package name `cmp-<tool>-<stem>`, and all are built in one target folder,
//! `target/compare/target`, so each dependency builds once. This generator's crate is written as
//! `cargo xtask corpus` writes it (the workspace's `Cargo.lock`, so nothing new is resolved). The
//! other tools' crates get their direct dependencies pinned (`=x.y.z`, from `PINS`) where the tool's
//! requirement admits the pinned version; the rest resolve as cargo resolves them that day.
//!
//! The columns:
//! - generates: the tool ran and exited 0 (else its first error line);
//! - compiles: `cargo build` of the crate (the warm-up build, which builds its dependencies too);
//! - clippy: `cargo clippy` (the library, default features); clean means it passes
//!   `-- -D warnings`, i.e. no warning from the crate itself (counted otherwise); the attributes
//!   that switch clippy (or all warnings) off wholesale are counted too (progenitor puts
//!   `#[allow(clippy::all)]` on its types module and its client's methods);
//! - lines: non-blank, non-comment lines of the `.rs` files the tool wrote (for this generator,
//!   including the runtime it copies into the crate, shown apart; the others' runtime crates,
//!   `progenitor-client` and `oas3-gen-support`, are dependencies and not counted);
//! - generate: wall time of the tool's process (ours: in-process, generation and writing);
//! - build: the crate alone. After the warm-up build, every `.rs` file of the crate is touched and
//!   the crate built again with `CARGO_INCREMENTAL=0` (set for every build here), so only the crate
//!   itself is compiled, from scratch, with its dependencies already built;
//! - round-trips: not measured by this command (`cargo xtask roundtrip` needs its Python
//!   environment and minutes a spec): `see roundtrip` for ours, `not measured` for the others.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;

/// Appended to each crate's `Cargo.toml` that lacks one: a workspace of its own.
const WORKSPACE_TABLE: &str =
    "\n# Added by cargo xtask compare: a workspace of its own.\n[workspace]\n";

/// How long a first error line may be in the table.
const ERROR_WIDTH: usize = 140;

/// The exact versions the other tools' crates get for their direct dependencies, when the tool's
/// requirement admits them: the newest of each on the day the comparison was set up, so that a
/// later run builds the same dependencies.
const PINS: &[(&str, &str)] = &[
    ("anyhow", "1.0.105"),
    ("async-trait", "0.1.92"),
    ("axum", "0.8.9"),
    ("axum-extra", "0.12.6"),
    ("base64", "0.22.1"),
    ("bon", "3.10.3"),
    ("bytes", "1.12.2"),
    ("chrono", "0.4.45"),
    ("email_address", "0.2.10"),
    ("futures", "0.3.34"),
    ("futures-core", "0.3.34"),
    ("futures-timer", "3.0.4"),
    ("futures-util", "0.3.34"),
    ("http", "1.6.0"),
    ("indexmap", "2.14.2"),
    ("iso8601", "0.6.6"),
    ("oas3-gen-support", "0.29.0"),
    ("percent-encoding", "2.3.2"),
    ("progenitor-client", "0.15.1"),
    ("rand", "0.8.8"),
    ("regex", "1.13.2"),
    ("regress", "0.10.5"),
    ("reqwest", "0.13.5"),
    ("reqwest-middleware", "0.5.2"),
    ("reqwest-retry", "0.9.1"),
    ("reqwest-tracing", "0.7.1"),
    ("reqwest_cookie_store", "0.10.0"),
    ("secrecy", "0.10.3"),
    ("serde", "1.0.229"),
    ("serde_html_form", "0.4.1"),
    ("serde_json", "1.0.154"),
    ("serde_urlencoded", "0.7.1"),
    ("serde_with", "3.25.0"),
    ("thiserror", "2.0.21"),
    ("time", "0.3.55"),
    ("tracing", "0.1.44"),
    ("url", "2.5.9"),
    ("uuid", "1.29.3"),
    ("validator", "0.21.0"),
];

/// A generator in the comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tool {
    /// This project's generator (generic profile).
    Ours,
    Progenitor,
    Oas3Gen,
    OpenapiToRust,
}

/// How to install and run a tool from the crate registry.
struct External {
    /// The crate `cargo install` installs.
    krate: &'static str,
    version: &'static str,
    /// The binary it installs.
    bin: &'static str,
}

impl Tool {
    const ALL: [Tool; 4] = [
        Tool::Ours,
        Tool::Progenitor,
        Tool::Oas3Gen,
        Tool::OpenapiToRust,
    ];

    fn name(self) -> &'static str {
        match self {
            Tool::Ours => "ours",
            Tool::Progenitor => "progenitor",
            Tool::Oas3Gen => "oas3-gen",
            Tool::OpenapiToRust => "openapi-to-rust",
        }
    }

    fn from_name(name: &str) -> Option<Tool> {
        Tool::ALL.into_iter().find(|t| t.name() == name)
    }

    /// What the table calls it.
    fn label(self) -> String {
        match self.external() {
            None => "ours".into(),
            Some(e) => format!("{} {}", self.name(), e.version),
        }
    }

    fn external(self) -> Option<External> {
        match self {
            Tool::Ours => None,
            Tool::Progenitor => Some(External {
                krate: "cargo-progenitor",
                version: "0.15.1",
                bin: "cargo-progenitor",
            }),
            Tool::Oas3Gen => Some(External {
                krate: "oas3-gen",
                version: "0.29.0",
                bin: "oas3-gen",
            }),
            Tool::OpenapiToRust => Some(External {
                krate: "openapi-to-rust",
                version: "0.23.0",
                bin: "openapi-to-rust",
            }),
        }
    }
}

/// The command line.
struct Settings {
    inputs: Vec<PathBuf>,
    only: Option<String>,
    tools: Vec<Tool>,
    jobs: Option<u32>,
}

fn parse_args(args: &[String]) -> Result<Settings, String> {
    let mut settings = Settings {
        inputs: Vec::new(),
        only: None,
        tools: Tool::ALL.to_vec(),
        jobs: None,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--only" => settings.only = Some(it.next().ok_or("--only needs a spec name")?.clone()),
            "--tools" => {
                let list = it
                    .next()
                    .ok_or("--tools needs a list, e.g. ours,progenitor")?;
                settings.tools = parse_tools(list)?;
            }
            "--jobs" => {
                let n = it.next().ok_or("--jobs needs a number")?;
                settings.jobs = Some(
                    n.parse()
                        .ok()
                        .filter(|&n| n > 0)
                        .ok_or_else(|| format!("--jobs: `{n}` is not a positive number"))?,
                );
            }
            a if a.starts_with("--") => return Err(format!("unknown option `{a}` for compare")),
            a => settings.inputs.push(PathBuf::from(a)),
        }
    }
    Ok(settings)
}

/// `a,b,c` as tools, in the table's order.
fn parse_tools(list: &str) -> Result<Vec<Tool>, String> {
    let mut wanted = Vec::new();
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let tool = Tool::from_name(name).ok_or_else(|| {
            let known: Vec<&str> = Tool::ALL.iter().map(|t| t.name()).collect();
            format!("unknown tool `{name}`; known: {}", known.join(", "))
        })?;
        wanted.push(tool);
    }
    if wanted.is_empty() {
        return Err("--tools names no tool".into());
    }
    Ok(Tool::ALL
        .into_iter()
        .filter(|t| wanted.contains(t))
        .collect())
}

/// Where everything goes, and how cargo is run.
struct Env {
    work: PathBuf,
    target: PathBuf,
    cargo: String,
    jobs: Option<u32>,
    lock: String,
}

impl Env {
    /// A cargo command with the jobs limit, run in `dir` against the shared target folder.
    fn cargo(&self, subcommand: &str, dir: &Path) -> Command {
        let mut cmd = Command::new(&self.cargo);
        cmd.arg(subcommand).current_dir(dir);
        if let Some(j) = self.jobs {
            cmd.arg("-j").arg(j.to_string());
        }
        cmd.env("CARGO_TARGET_DIR", &self.target)
            .env("CARGO_INCREMENTAL", "0")
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_BUILD_RUSTFLAGS");
        without_package_env(&mut cmd);
        cmd
    }
}

/// Removes what `cargo run` sets for xtask itself (`CARGO_PKG_NAME`, `CARGO_MANIFEST_DIR`, ...):
/// build scripts such as ring's rerun when those change, so a cargo started from xtask would
/// rebuild dependencies that a cargo started from a shell had built, and the other way round.
fn without_package_env(cmd: &mut Command) {
    for (key, _) in std::env::vars_os() {
        let Some(key) = key.to_str() else { continue };
        if key.starts_with("CARGO_PKG_")
            || key.starts_with("CARGO_MANIFEST_")
            || key.starts_with("CARGO_BIN_")
            || matches!(
                key,
                "CARGO_CRATE_NAME" | "CARGO_PRIMARY_PACKAGE" | "OUT_DIR"
            )
        {
            cmd.env_remove(key);
        }
    }
}

/// Runs the command.
pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let settings = parse_args(args)?;
    let inputs = if settings.inputs.is_empty() {
        vec![
            root.join("../shared/specs"),
            root.join("../shared/specs-3.1"),
        ]
    } else {
        settings.inputs.clone()
    };
    let specs = collect_specs(&inputs, settings.only.as_deref())?;
    let work = root.join("target/compare");
    let env = Env {
        target: work.join("target"),
        work,
        cargo: std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()),
        jobs: settings.jobs,
        lock: std::fs::read_to_string(root.join("Cargo.lock"))
            .map_err(|e| format!("cannot read the workspace's Cargo.lock: {e}"))?,
    };
    std::fs::create_dir_all(&env.work)
        .map_err(|e| format!("cannot create {}: {e}", env.work.display()))?;

    // Install first: a tool that does not install fails every row of its own, not the run.
    let mut binaries = Vec::new();
    for &tool in &settings.tools {
        let bin = match tool.external() {
            None => Ok(PathBuf::new()),
            Some(ext) => install(&env, &ext).map_err(|e| format!("not installed: {e}")),
        };
        binaries.push((tool, bin));
    }

    let mut rows = Vec::new();
    for spec in &specs {
        for (tool, bin) in &binaries {
            eprintln!("compare: {} with {} ...", spec.name, tool.name());
            let generated = match bin {
                Err(e) => Err(e.clone()),
                Ok(bin) => generate(&env, *tool, bin, spec),
            };
            rows.push(Row {
                spec: spec.name.clone(),
                tool: *tool,
                generated,
                build: None,
                clippy: None,
            });
        }
    }
    for row in &mut rows {
        let Ok(g) = &row.generated else { continue };
        eprintln!(
            "compare: building {} ({}) ...",
            super::shown_path(&g.dir),
            row.tool.name()
        );
        let build = build(&env, &g.dir)?;
        if build.error.is_none() {
            row.clippy = Some(clippy(&env, &g.dir)?);
        }
        row.build = Some(build);
    }

    let mut report = table(&rows, &settings.tools);
    report.push_str(&notes(&specs, &settings.tools, env.jobs, &rustc_version()));
    report.push_str(&unpinned_note(&rows));
    print!("{report}");
    let file = env.work.join("table.md");
    std::fs::write(&file, &report).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    println!("\n(table also in {})", super::shown_path(&file));
    Ok(())
}

/// `rustc --version`, or why it is not known.
fn rustc_version() -> String {
    match Command::new("rustc").arg("--version").output() {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).trim().to_string(),
        Ok(out) => format!("unknown (rustc --version exited with {})", out.status),
        Err(e) => format!("unknown (cannot run rustc: {e})"),
    }
}

/// A spec to compare on.
struct Spec {
    /// Its file name.
    name: String,
    /// Its file name without the extension: names its crates.
    stem: String,
    path: PathBuf,
}

/// The specs of `inputs` (files, or folders whose `*.yaml`, `*.yml` and `*.json` files count), only
/// the one named `only` (file name or stem) when given.
fn collect_specs(inputs: &[PathBuf], only: Option<&str>) -> Result<Vec<Spec>, String> {
    let mut paths = Vec::new();
    for input in inputs {
        if input.is_dir() {
            paths.extend(super::corpus::specs(input, None)?);
        } else if input.is_file() {
            paths.push(input.clone());
        } else {
            return Err(format!("{}: no such file or folder", input.display()));
        }
    }
    let mut specs: Vec<Spec> = Vec::new();
    for path in paths {
        let name = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stem = path
            .file_stem()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(twin) = specs.iter().find(|s| s.stem == stem) {
            return Err(format!(
                "{} and {} have one stem, `{stem}`, and would share a crate folder",
                twin.path.display(),
                path.display()
            ));
        }
        specs.push(Spec { name, stem, path });
    }
    if let Some(only) = only {
        specs.retain(|s| s.name == only || s.stem == only);
        if specs.is_empty() {
            return Err(format!("no spec named `{only}` in the inputs"));
        }
    }
    Ok(specs)
}

/// Installs `ext` under `target/compare/tools/<crate>-<version>/` unless its binary is there;
/// returns the binary.
fn install(env: &Env, ext: &External) -> Result<PathBuf, String> {
    let dir = env
        .work
        .join("tools")
        .join(format!("{}-{}", ext.krate, ext.version));
    let bin = dir.join("bin").join(ext.bin);
    if bin.is_file() {
        return Ok(bin);
    }
    eprintln!(
        "compare: installing {} {} (once; later runs reuse it) ...",
        ext.krate, ext.version
    );
    let mut cmd = Command::new(&env.cargo);
    cmd.args(["install", ext.krate, "--version", ext.version, "--locked"])
        .arg("--root")
        .arg(&dir)
        // The tools share one build folder (not the crates' one, nor the workspace's).
        .env("CARGO_TARGET_DIR", env.work.join("tools/build"))
        .current_dir(&env.work);
    without_package_env(&mut cmd);
    if let Some(j) = env.jobs {
        cmd.arg("-j").arg(j.to_string());
    }
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {}: {e}", env.cargo))?;
    if !out.status.success() || !bin.is_file() {
        return Err(format!(
            "`cargo install {} --version {}` failed: {}",
            ext.krate,
            ext.version,
            first_error_line(&String::from_utf8_lossy(&out.stderr), "")
        ));
    }
    Ok(bin)
}

/// A crate that was generated.
struct Generated {
    dir: PathBuf,
    took: Duration,
    lines: usize,
    /// Lines of them in a copied runtime (this generator's `src/runtime/`).
    runtime_lines: usize,
    /// Attributes that silence clippy (or every warning) wholesale in the tool's code.
    blanket_allows: usize,
    /// Dependencies left as the tool required them (not in `PINS`, or not admitting the pin).
    unpinned: Vec<String>,
}

/// One spec with one tool.
struct Row {
    spec: String,
    tool: Tool,
    /// The crate, or the first line of why not.
    generated: Result<Generated, String>,
    build: Option<Build>,
    clippy: Option<Clippy>,
}

/// The folder of the crate `tool` makes from `spec`, emptied.
fn fresh_dir(env: &Env, tool: Tool, spec: &Spec) -> Result<PathBuf, String> {
    let dir = env.work.join("crates").join(tool.name()).join(&spec.stem);
    if dir.exists() {
        std::fs::remove_dir_all(&dir)
            .map_err(|e| format!("cannot empty {}: {e}", dir.display()))?;
    }
    Ok(dir)
}

/// The crate's package name: one per spec and tool, so that no two share build artifacts.
fn package_name(tool: Tool, spec: &Spec) -> String {
    format!(
        "cmp-{}-{}",
        tool.name(),
        super::corpus::package_slug(&spec.stem)
    )
}

/// Generates the crate of `spec` with `tool` (binary `bin`, unused for ours).
fn generate(env: &Env, tool: Tool, bin: &Path, spec: &Spec) -> Result<Generated, String> {
    let dir = fresh_dir(env, tool, spec)?;
    let package = package_name(tool, spec);
    let (took, unpinned) = match tool.external() {
        None => (generate_ours(env, &spec.path, &dir, &package)?, Vec::new()),
        Some(_) => {
            let took = generate_external(tool, bin, &spec.path, &dir, &package)?;
            let unpinned = pin_dependencies(&dir.join("Cargo.toml"))?;
            (took, unpinned)
        }
    };
    let (lines, runtime_lines, blanket_allows) = count_crate_lines(tool, &dir)?;
    Ok(Generated {
        dir,
        took,
        lines,
        runtime_lines,
        blanket_allows,
        unpinned,
    })
}

/// This project's generator: the generic profile's standalone crate, in process, written as
/// `cargo xtask corpus` writes it. The one place that runs it, so that it can become a run of an
/// installed binary. Returns how long generating and writing took.
fn generate_ours(env: &Env, spec: &Path, dir: &Path, package: &str) -> Result<Duration, String> {
    let options = codegen::Options {
        profile: codegen::ProfileKind::Generic,
        ..Default::default()
    };
    let start = Instant::now();
    let mut output = codegen::generate_file_with(spec, &options)
        .map_err(|e| first_error_line(&e.to_string(), ""))?;
    super::corpus::write_standalone(&mut output, dir, &env.lock, package)?;
    Ok(start.elapsed())
}

/// Runs an installed tool on `spec` into `dir` and makes what it wrote a crate named `package`, its
/// own workspace. Returns how long the tool ran.
fn generate_external(
    tool: Tool,
    bin: &Path,
    spec: &Path,
    dir: &Path,
    package: &str,
) -> Result<Duration, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut cmd = Command::new(bin);
    match tool {
        Tool::Ours => return Err("not an installed tool".into()),
        // Installed as a cargo subcommand: its first argument is the subcommand's name.
        Tool::Progenitor => cmd
            .args(["progenitor", "--name", package, "--version", "0.1.0", "-i"])
            .arg(spec)
            .arg("-o")
            .arg(dir),
        // `--workspace`: a crate (Cargo.toml and src/) rather than a module.
        Tool::Oas3Gen => cmd
            .args([
                "generate",
                "client-mod",
                "--workspace",
                "--color",
                "never",
                "-i",
            ])
            .arg(spec)
            .arg("-o")
            .arg(dir),
        Tool::OpenapiToRust => cmd
            .arg("generate")
            .arg(spec)
            .arg("--output-dir")
            .arg(dir.join("src/generated")),
    };
    cmd.current_dir(dir);
    let start = Instant::now();
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    let took = start.elapsed();
    if !out.status.success() {
        return Err(tool_error(tool, &out));
    }
    let manifest = dir.join("Cargo.toml");
    match tool {
        Tool::OpenapiToRust => {
            let deps_file = dir.join("src/generated/REQUIRED_DEPS.toml");
            let deps = std::fs::read_to_string(&deps_file).unwrap_or_default();
            write(&manifest, &wrapper_manifest(package, &deps))?;
            write(
                &dir.join("src/lib.rs"),
                "//! Written by cargo xtask compare around the generated module.\npub mod generated;\n",
            )?;
        }
        _ => {
            let text = std::fs::read_to_string(&manifest)
                .map_err(|e| format!("the tool wrote no readable {}: {e}", manifest.display()))?;
            write(&manifest, &own_manifest(&text, package))?;
        }
    }
    Ok(took)
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The first line of a failed tool's output that says what went wrong.
fn tool_error(tool: Tool, out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // progenitor prints its generation error on stdout (`gen fail: ...`) and only a generic line on
    // stderr.
    if tool == Tool::Progenitor {
        if let Some(line) = stdout.lines().find(|l| l.starts_with("gen fail:")) {
            return clip(line);
        }
    }
    let line = first_error_line(&stderr, &stdout);
    if line.is_empty() {
        format!("exited with {}", out.status)
    } else {
        line
    }
}

/// The first line naming an error (or a panic) in `primary`, then in `secondary`; else the first
/// non-empty line of either; clipped to the table's width. A panic's location line is joined with
/// the message on the line after it, and shortened (no thread id, no registry path).
fn first_error_line(primary: &str, secondary: &str) -> String {
    let lines: Vec<&str> = primary
        .lines()
        .chain(secondary.lines())
        .map(str::trim)
        .collect();
    let is_error = |l: &str| {
        let lower = l.to_ascii_lowercase();
        lower.contains("error") || lower.contains("panicked") || lower.contains("failed")
    };
    let Some(at) = lines
        .iter()
        .position(|l| is_error(l))
        .or_else(|| lines.iter().position(|l| !l.is_empty()))
    else {
        return String::new();
    };
    let line = lines[at];
    match line.find("panicked at ") {
        Some(p) => {
            let location = short_path(line[p + "panicked at ".len()..].trim_end_matches(':'));
            let message = lines[at + 1..]
                .iter()
                .find(|l| !l.is_empty())
                .copied()
                .unwrap_or_default();
            clip(&format!("panicked at {location}: {message}"))
        }
        None => clip(line),
    }
}

/// A source path in cargo's registry cut to the crate's own folder (`crate-1.0.0/src/x.rs:1:2`).
fn short_path(path: &str) -> String {
    match path.find("/registry/src/") {
        Some(at) => {
            let rest = &path[at + "/registry/src/".len()..];
            rest.split_once('/').map_or(rest, |(_, p)| p).to_string()
        }
        None => path.to_string(),
    }
}

/// `line` without terminal colour codes, cut to `ERROR_WIDTH` characters.
fn clip(line: &str) -> String {
    let plain = strip_ansi(line);
    let line = plain.trim();
    if line.chars().count() <= ERROR_WIDTH {
        line.to_string()
    } else {
        let cut: String = line.chars().take(ERROR_WIDTH).collect();
        format!("{cut}…")
    }
}

/// `text` without ANSI escape sequences (`ESC [ ... letter`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A tool's own `Cargo.toml` with the package named `package` and a `[workspace]` table.
fn own_manifest(text: &str, package: &str) -> String {
    let mut out = String::with_capacity(text.len() + WORKSPACE_TABLE.len());
    let mut table = String::new();
    let mut renamed = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            table = trimmed.to_string();
        }
        if !renamed && table == "[package]" && trimmed.starts_with("name") {
            let _ = writeln!(out, "name = \"{package}\"");
            renamed = true;
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    if !text.lines().any(|l| l.trim() == "[workspace]") {
        out.push_str(WORKSPACE_TABLE);
    }
    out
}

/// The `Cargo.toml` the harness writes around a generated module: the package, then the
/// dependencies the tool listed (its `[dependencies]` fragment), then a `[workspace]` table. Edition
/// 2024: openapi-to-rust's code uses `let` chains (2024 only), though its fragment does not say so.
fn wrapper_manifest(package: &str, required_deps: &str) -> String {
    let mut out = format!(
        "# Written by cargo xtask compare around a generated module; the dependencies are the tool's.\n\
         [package]\nname = \"{package}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n"
    );
    if required_deps.trim().is_empty() {
        out.push_str("[dependencies]\n");
    } else {
        out.push_str(required_deps.trim_end());
        out.push('\n');
    }
    out.push_str(WORKSPACE_TABLE);
    out
}

/// Pins the direct dependencies of the manifest at `path` (see `PINS`); returns those left as they
/// were.
fn pin_dependencies(path: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let (pinned, unpinned) = pin_manifest(&text, PINS);
    write(path, &pinned)?;
    Ok(unpinned)
}

/// `manifest` with every dependency of a `[dependencies]` table (or a target's) whose requirement
/// admits the version `pins` gives it required at exactly that version; and the names of the others.
/// Reads the one-line forms `name = "req"` and `name = { version = "req", ... }`.
fn pin_manifest(manifest: &str, pins: &[(&str, &str)]) -> (String, Vec<String>) {
    let mut out = String::with_capacity(manifest.len());
    let mut unpinned = Vec::new();
    let mut in_deps = false;
    for line in manifest.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            let name = trimmed.trim_matches(['[', ']']);
            in_deps = name == "dependencies" || name.ends_with(".dependencies");
        }
        let pinned = if in_deps && !trimmed.starts_with('[') && !trimmed.starts_with('#') {
            pin_line(line, pins)
        } else {
            None
        };
        match pinned {
            Some(Ok(l)) => out.push_str(&l),
            Some(Err(name)) => {
                unpinned.push(name);
                out.push_str(line);
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    unpinned.sort();
    unpinned.dedup();
    (out, unpinned)
}

/// One dependency line pinned, or the dependency's name when it cannot be; `None` when the line
/// is no dependency.
fn pin_line(line: &str, pins: &[(&str, &str)]) -> Option<Result<String, String>> {
    let (name, value) = line.split_once('=')?;
    let name = name.trim().trim_matches('"');
    if name.is_empty() {
        return None;
    }
    let value = value.trim();
    // The requirement's span in `line`: the string itself, or the `version` key's.
    let req_at = if value.starts_with('"') {
        line.find('"')? + 1
    } else {
        let key = line.find("version")?;
        key + line[key..].find('"')? + 1
    };
    let req_len = line[req_at..].find('"')?;
    let req = &line[req_at..req_at + req_len];
    let Some(&(_, pin)) = pins.iter().find(|(n, _)| *n == name) else {
        return Some(Err(name.to_string()));
    };
    if !caret_admits(req, pin) {
        return Some(Err(name.to_string()));
    }
    Some(Ok(format!(
        "{}={pin}{}",
        &line[..req_at],
        &line[req_at + req_len..]
    )))
}

/// Whether the plain (caret) requirement `req` admits the version `version`; any other form of
/// requirement (`=`, `>=`, `~`, ranges) is not read, and `false`.
fn caret_admits(req: &str, version: &str) -> bool {
    let req = req.trim().trim_start_matches('^');
    if req == "*" {
        return true;
    }
    let parse = |s: &str| -> Option<Vec<u64>> { s.split('.').map(|p| p.parse().ok()).collect() };
    let (Some(r), Some(v)) = (parse(req), parse(version)) else {
        return false;
    };
    if r.is_empty() || r.len() > 3 || v.len() != 3 {
        return false;
    }
    let r_full: Vec<u64> = (0..3).map(|i| r.get(i).copied().unwrap_or(0)).collect();
    if v < r_full {
        return false;
    }
    // The leftmost non-zero part the requirement gives (or its last part) must match.
    let fixed = r.iter().position(|&p| p != 0).unwrap_or(r.len() - 1);
    r[..=fixed] == v[..=fixed]
}

/// Lines of the `.rs` files in the crate at `dir` that the tool wrote (not the harness's wrapper
/// `src/lib.rs`), those of them in a copied runtime, and the blanket allows among them.
fn count_crate_lines(tool: Tool, dir: &Path) -> Result<(usize, usize, usize), String> {
    let mut files = Vec::new();
    rust_files(&dir.join("src"), &mut files)?;
    let mut total = 0;
    let mut runtime = 0;
    let mut blanket = 0;
    for file in files {
        if tool == Tool::OpenapiToRust && file == dir.join("src/lib.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let n = code_lines(&text);
        total += n;
        blanket += blanket_allows(&text);
        if tool == Tool::Ours && file.starts_with(dir.join("src/runtime")) {
            runtime += n;
        }
    }
    Ok((total, runtime, blanket))
}

/// `allow` attributes that silence every clippy lint (`clippy::all`) or every warning (`warnings`)
/// on what they annotate.
fn blanket_allows(text: &str) -> usize {
    text.lines()
        .map(str::trim)
        .filter(|l| l.starts_with("#[allow(") || l.starts_with("#![allow("))
        .filter(|l| {
            let inner = l
                .trim_start_matches("#![allow(")
                .trim_start_matches("#[allow(");
            inner
                .trim_end_matches(")]")
                .split(',')
                .map(str::trim)
                .any(|lint| lint == "clippy::all" || lint == "warnings")
        })
        .count()
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        if path.is_dir() {
            rust_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// Lines of Rust source that are neither blank nor only a comment (`//`, `///`, `//!`, or inside a
/// `/* ... */` block).
fn code_lines(text: &str) -> usize {
    let mut in_block = false;
    let mut count = 0;
    for line in text.lines() {
        let mut rest = line.trim();
        let mut code = false;
        while !rest.is_empty() {
            if in_block {
                match rest.find("*/") {
                    Some(end) => {
                        in_block = false;
                        rest = rest[end + 2..].trim_start();
                    }
                    None => rest = "",
                }
            } else if rest.starts_with("//") {
                rest = "";
            } else if let Some(after) = rest.strip_prefix("/*") {
                in_block = true;
                rest = after;
            } else {
                code = true;
                // A block comment opened after code on this line.
                match rest.find("/*") {
                    Some(start) if !rest[..start].contains('"') => {
                        in_block = true;
                        rest = &rest[start + 2..];
                    }
                    _ => rest = "",
                }
            }
        }
        if code {
            count += 1;
        }
    }
    count
}

/// The build of one crate.
struct Build {
    /// The first error of the warm-up build, if it failed.
    error: Option<String>,
    /// The crate alone, built again from scratch.
    crate_build: Option<Duration>,
    /// Other units that the timed build compiled too (none when the warm-up built them all).
    also_built: usize,
}

/// Builds the crate at `dir` (its dependencies too), then touches its sources and times building it
/// alone. An error only when cargo cannot be run.
fn build(env: &Env, dir: &Path) -> Result<Build, String> {
    let out = run_cargo(env.cargo("build", dir).arg("--message-format=json"))?;
    if !out.status.success() {
        return Ok(Build {
            error: Some(cargo_error(&out)),
            crate_build: None,
            also_built: 0,
        });
    }
    touch_sources(&dir.join("src"))?;
    let start = Instant::now();
    let again = run_cargo(env.cargo("build", dir).arg("--message-format=json"))?;
    let took = start.elapsed();
    let manifest = dir.join("Cargo.toml");
    let also_built = String::from_utf8_lossy(&again.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|v| {
            v["reason"] == "compiler-artifact"
                && v["fresh"] == false
                && v["manifest_path"].as_str().map(Path::new) != Some(manifest.as_path())
        })
        .count();
    Ok(Build {
        error: None,
        crate_build: again.status.success().then_some(took),
        also_built,
    })
}

fn run_cargo(cmd: &mut Command) -> Result<Output, String> {
    cmd.output()
        .map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))
}

/// Sets the modification time of every `.rs` file under `dir` to now.
fn touch_sources(dir: &Path) -> Result<(), String> {
    let mut files = Vec::new();
    rust_files(dir, &mut files)?;
    let now = SystemTime::now();
    for file in files {
        std::fs::File::options()
            .write(true)
            .open(&file)
            .and_then(|f| f.set_modified(now))
            .map_err(|e| format!("cannot touch {}: {e}", file.display()))?;
    }
    Ok(())
}

/// The first error cargo reported: a compiler error's message, else its own first error line.
fn cargo_error(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let compiler = compiler_messages(&stdout)
        .find(|m| m["level"] == "error")
        .and_then(|m| m["message"].as_str().map(clip));
    compiler.unwrap_or_else(|| first_error_line(&String::from_utf8_lossy(&out.stderr), ""))
}

/// The `message` objects of cargo's JSON `compiler-message` lines.
fn compiler_messages(stdout: &str) -> impl Iterator<Item = Value> + '_ {
    stdout.lines().filter_map(|line| {
        let mut v: Value = serde_json::from_str(line).ok()?;
        (v["reason"] == "compiler-message").then(|| v["message"].take())
    })
}

/// Clippy's verdict on one crate.
struct Clippy {
    passed: bool,
    /// Warnings (and errors) the crate itself got.
    findings: usize,
}

/// `cargo clippy` on the crate at `dir`: it passes `-- -D warnings` when it succeeds with no
/// warning; counted otherwise. An error only when cargo cannot be run.
fn clippy(env: &Env, dir: &Path) -> Result<Clippy, String> {
    let out = run_cargo(env.cargo("clippy", dir).arg("--message-format=json"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    // Dependencies' lints are capped by cargo; what has a location is the crate's.
    let findings = compiler_messages(&stdout)
        .filter(|m| {
            matches!(m["level"].as_str(), Some("warning" | "error"))
                && m["spans"].as_array().is_some_and(|s| !s.is_empty())
        })
        .count();
    Ok(Clippy {
        passed: out.status.success() && findings == 0,
        findings,
    })
}

/// `text` safe in a markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

/// The report as a markdown table: a row per spec and tool, then a totals row per tool.
fn table(rows: &[Row], tools: &[Tool]) -> String {
    let mut t = String::from(
        "| spec | tool | generates | compiles | clippy -D warnings | lines | generate | crate build | round-trips |\n\
         | --- | --- | --- | --- | --- | ---: | ---: | ---: | --- |\n",
    );
    for row in rows {
        let roundtrip = if row.tool == Tool::Ours {
            "see roundtrip"
        } else {
            "not measured"
        };
        let (generates, lines, took) = match &row.generated {
            Ok(g) => {
                let lines = if g.runtime_lines > 0 {
                    format!("{} (runtime {})", g.lines, g.runtime_lines)
                } else {
                    g.lines.to_string()
                };
                let took = format!("{:.2} s", g.took.as_secs_f64());
                ("yes".to_string(), lines, took)
            }
            Err(e) => (format!("no: {}", cell(e)), String::new(), String::new()),
        };
        let (compiles, build) = match &row.build {
            None => (String::new(), String::new()),
            Some(Build { error: Some(e), .. }) => (format!("no: {}", cell(e)), String::new()),
            Some(b) => {
                let took = b.crate_build.map(secs).unwrap_or_default();
                if b.also_built > 0 {
                    (
                        "yes".into(),
                        format!("{took} (+{} other units)", b.also_built),
                    )
                } else {
                    ("yes".into(), took)
                }
            }
        };
        let mut clippy = match &row.clippy {
            None => String::new(),
            Some(c) if c.passed => "clean".into(),
            Some(c) => format!("no: {} warnings", c.findings),
        };
        if let (Some(_), Ok(g)) = (&row.clippy, &row.generated) {
            if g.blanket_allows > 0 {
                let _ = write!(clippy, " ({} blanket allows)", g.blanket_allows);
            }
        }
        let _ = writeln!(
            t,
            "| {} | {} | {generates} | {compiles} | {clippy} | {lines} | {took} | {build} | {roundtrip} |",
            row.spec,
            row.tool.label()
        );
    }
    for &tool in tools {
        let mine: Vec<&Row> = rows.iter().filter(|r| r.tool == tool).collect();
        let n = mine.len();
        let generated = mine.iter().filter(|r| r.generated.is_ok()).count();
        let compiled = mine
            .iter()
            .filter(|r| r.build.as_ref().is_some_and(|b| b.error.is_none()))
            .count();
        let clean = mine
            .iter()
            .filter(|r| r.clippy.as_ref().is_some_and(|c| c.passed))
            .count();
        let _ = writeln!(
            t,
            "| **total** | {} | {generated}/{n} generated | {compiled}/{n} compiled | {clean}/{n} clean | | | | |",
            tool.label()
        );
    }
    t
}

/// What the table does not say: how it was measured.
fn notes(specs: &[Spec], tools: &[Tool], jobs: Option<u32>, rustc: &str) -> String {
    let mut n = String::from("\nHow these were measured (see xtask/src/compare.rs):\n");
    let _ = writeln!(n, "- compiler: {rustc}");
    let _ = writeln!(
        n,
        "- specs: {}",
        specs
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let tools: Vec<String> = tools.iter().map(|t| t.label()).collect();
    let _ = writeln!(n, "- tools: {}", tools.join(", "));
    n.push_str(
        "- generate: wall time of the tool's process; ours in process (generating and writing the files)\n\
         - crate build: after a warm-up `cargo build` (dependencies included), every .rs file of the crate \
         is touched and `cargo build` runs again with CARGO_INCREMENTAL=0: the crate alone, from scratch\n\
         - clippy: `cargo clippy` on the library with default features; clean = no warning from the crate \
         (what `-- -D warnings` passes); blanket allows: `#[allow(clippy::all)]` or `#[allow(warnings)]` \
         attributes the tool put on its code, under which clippy reports nothing\n\
         - lines: non-blank, non-comment lines of the .rs files the tool wrote; ours includes the runtime it \
         copies into the crate (shown apart); progenitor's and oas3-gen's runtimes are dependency crates, \
         not counted\n\
         - times: one wall-clock sample each, on whatever else the machine runs at the time\n\
         - round-trips: not run here (`cargo xtask roundtrip` needs a Python environment and minutes per spec); \
         run it for ours; the other tools' crates are not measured\n",
    );
    let _ = writeln!(
        n,
        "- cargo jobs: {}",
        jobs.map_or_else(|| "cargo's default".to_string(), |j| j.to_string())
    );
    n
}

/// Dependencies the other tools' crates left unpinned, by tool.
fn unpinned_note(rows: &[Row]) -> String {
    let mut by_tool: Vec<(Tool, Vec<String>)> = Vec::new();
    for row in rows {
        let Ok(g) = &row.generated else { continue };
        if g.unpinned.is_empty() {
            continue;
        }
        match by_tool.iter_mut().find(|(t, _)| *t == row.tool) {
            Some((_, names)) => names.extend(g.unpinned.iter().cloned()),
            None => by_tool.push((row.tool, g.unpinned.clone())),
        }
    }
    if by_tool.is_empty() {
        return "- dependencies: every direct dependency of the other tools' crates pinned (see PINS)\n".into();
    }
    let mut n = String::new();
    for (tool, mut names) in by_tool {
        names.sort();
        names.dedup();
        let _ = writeln!(
            n,
            "- {}: dependencies resolved by cargo, not pinned: {}",
            tool.name(),
            names.join(", ")
        );
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_lines_skip_blank_and_comment_lines() {
        let text = "//! crate doc\n\n/// a doc\npub struct A; // trailing\n/* block\n still */\nfn f() {}\n  \n";
        assert_eq!(code_lines(text), 2);
        assert_eq!(code_lines("let s = \"/* not a comment\";\nx();\n"), 2);
        assert_eq!(code_lines("a(); /* opens\n closes */ b();\n"), 2);
    }

    #[test]
    fn blanket_allows_are_those_of_every_lint() {
        let text = "#[allow(clippy::all)]\nmod a {}\n#![allow(unused, warnings)]\n\
                    #[allow(clippy::too_many_arguments)]\n// #[allow(clippy::all)] in a comment\n\
                    #[allow(clippy::all_the_things)]\n";
        assert_eq!(blanket_allows(text), 2);
    }

    #[test]
    fn caret_requirements_admit_compatible_versions_only() {
        assert!(caret_admits("1", "1.0.228"));
        assert!(caret_admits("1.0", "1.2.3"));
        assert!(caret_admits("0.4.42", "0.4.43"));
        assert!(!caret_admits("0.4.42", "0.4.41"));
        assert!(!caret_admits("0.12", "0.13.1"));
        assert!(caret_admits("0.13", "0.13.1"));
        assert!(!caret_admits("0.0.3", "0.0.4"));
        assert!(caret_admits("*", "9.9.9"));
        assert!(!caret_admits("=1.0.0", "1.0.0"));
        assert!(!caret_admits(">=1", "1.0.0"));
    }

    #[test]
    fn manifests_get_their_dependencies_pinned() {
        let manifest = "[package]\nname = \"serde\"\nversion = \"1\"\n\n[dependencies]\n\
                        serde = { version = \"1.0\", features = [\"derive\"] }\nbytes = \"1.9\"\n\
                        odd = \"2\"\nreqwest = { version = \"0.12\", default-features = false }\n\n\
                        [target.'cfg(x)'.dependencies]\nserde_json = \"1\"\n";
        let pins = [
            ("serde", "1.0.228"),
            ("bytes", "1.11.1"),
            ("reqwest", "0.13.1"),
            ("serde_json", "1.0.145"),
        ];
        let (out, unpinned) = pin_manifest(manifest, &pins);
        assert!(out.contains("[package]\nname = \"serde\"\nversion = \"1\"\n"));
        assert!(out.contains("serde = { version = \"=1.0.228\", features = [\"derive\"] }\n"));
        assert!(out.contains("bytes = \"=1.11.1\"\n"));
        assert!(out.contains("odd = \"2\"\n"));
        assert!(out.contains("reqwest = { version = \"0.12\", default-features = false }\n"));
        assert!(out.contains("serde_json = \"=1.0.145\"\n"));
        assert_eq!(unpinned, ["odd", "reqwest"]);
    }

    #[test]
    fn a_tool_manifest_is_renamed_and_made_its_own_workspace() {
        let text =
            "[package]\nname = \"petstore\"\nversion = \"0.0.0\"\n\n[dependencies]\nname = \"1\"\n";
        let out = own_manifest(text, "cmp-x-petstore");
        assert!(out.starts_with("[package]\nname = \"cmp-x-petstore\"\n"));
        assert!(out.contains("[dependencies]\nname = \"1\"\n"));
        assert!(out.ends_with("[workspace]\n"));
        let wrapper = wrapper_manifest("cmp-y-s", "# note\n[dependencies]\nserde = \"1\"\n");
        assert!(wrapper.contains("name = \"cmp-y-s\""));
        assert!(wrapper.contains("edition = \"2024\""));
        assert!(wrapper.contains("[dependencies]\nserde = \"1\"\n"));
        assert!(wrapper.ends_with("[workspace]\n"));
    }

    #[test]
    fn first_error_lines_prefer_errors_and_are_clipped() {
        assert_eq!(
            first_error_line("progress\nError: bad spec\n", "more"),
            "Error: bad spec"
        );
        assert_eq!(first_error_line("", "\n just this \n"), "just this");
        assert_eq!(first_error_line("", ""), "");
        assert_eq!(
            first_error_line("\u{1b}[31mError:\u{1b}[39m bad \u{1b}[1;2mspec", ""),
            "Error: bad spec"
        );
        let panic = "\nthread 'main' (301) panicked at /home/u/.cargo/registry/src/index.example-1/tool-1.0.0/src/m.rs:12:9:\nassertion failed: x <= 1\nnote: run with `RUST_BACKTRACE=1`\n";
        assert_eq!(
            first_error_line(panic, ""),
            "panicked at tool-1.0.0/src/m.rs:12:9: assertion failed: x <= 1"
        );
        let long = "error: ".to_string() + &"x".repeat(300);
        assert_eq!(first_error_line(&long, "").chars().count(), ERROR_WIDTH + 1);
    }

    #[test]
    fn the_table_has_a_row_per_spec_and_tool_and_totals() {
        let ok = |lines, runtime| Generated {
            dir: PathBuf::from("d"),
            took: Duration::from_millis(250),
            lines,
            runtime_lines: runtime,
            blanket_allows: usize::from(runtime == 0),
            unpinned: vec!["odd".into()],
        };
        let rows = vec![
            Row {
                spec: "a.yaml".into(),
                tool: Tool::Ours,
                generated: Ok(ok(120, 100)),
                build: Some(Build {
                    error: None,
                    crate_build: Some(Duration::from_millis(4_300)),
                    also_built: 0,
                }),
                clippy: Some(Clippy {
                    passed: true,
                    findings: 0,
                }),
            },
            Row {
                spec: "a.yaml".into(),
                tool: Tool::Progenitor,
                generated: Err("gen fail: a | b".into()),
                build: None,
                clippy: None,
            },
            Row {
                spec: "b.json".into(),
                tool: Tool::Progenitor,
                generated: Ok(ok(50, 0)),
                build: Some(Build {
                    error: None,
                    crate_build: Some(Duration::from_secs(2)),
                    also_built: 1,
                }),
                clippy: Some(Clippy {
                    passed: false,
                    findings: 3,
                }),
            },
        ];
        let t = table(&rows, &[Tool::Ours, Tool::Progenitor]);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines.len(), 2 + 3 + 2);
        assert_eq!(
            lines[2],
            "| a.yaml | ours | yes | yes | clean | 120 (runtime 100) | 0.25 s | 4.3 s | see roundtrip |"
        );
        assert_eq!(
            lines[3],
            "| a.yaml | progenitor 0.15.1 | no: gen fail: a \\| b |  |  |  |  |  | not measured |"
        );
        assert!(lines[4].contains(
            "| no: 3 warnings (1 blanket allows) | 50 | 0.25 s | 2.0 s (+1 other units) |"
        ));
        assert_eq!(
            lines[5],
            "| **total** | ours | 1/1 generated | 1/1 compiled | 1/1 clean | | | | |"
        );
        assert_eq!(
            lines[6],
            "| **total** | progenitor 0.15.1 | 1/2 generated | 1/2 compiled | 0/2 clean | | | | |"
        );
        assert_eq!(
            unpinned_note(&rows),
            "- ours: dependencies resolved by cargo, not pinned: odd\n- progenitor: dependencies resolved by cargo, not pinned: odd\n"
        );
    }
}
