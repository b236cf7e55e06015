//! `cargo xtask roundtrip [SPEC|FOLDER]...`: proof by data. For each spec, instances of every schema
//! the generated crate decodes are made by a third-party generator that reads the spec itself
//! (hypothesis-jsonschema, `tests/roundtrip/instances.py`); each is decoded with the generated type
//! and encoded again, and what comes back is compared with what went in.
//!
//! With no argument: Seam's committed spec with its overrides, against the committed crate
//! (`seam-generated/`, all features). Any other spec: the generic profile's standalone crate,
//! written to `target/roundtrip/<stem>/crate/`. Each gets a driver crate
//! (`target/roundtrip/<stem>/driver/`) that reads `name<TAB>json` lines and answers each with the
//! value encoded again or the decoding error; all drivers build in the workspace's target folder
//! (they use its `Cargo.lock`, so the dependencies are the ones already built).
//!
//! The Python side runs in a virtual environment under the target folder, made on first use from
//! `tests/roundtrip/requirements.txt` (pinned), and made again when that file changes.
//!
//! What counts (see `docs/roundtrip.md`, "How it works"):
//! - an `exact` instance (keys no schema declares removed) must decode and encode back to equal
//!   JSON, up to the documented normalizations: a `null` value and an absent key are the same, and
//!   numbers compare as `f64` when either side is not an integer;
//! - an `open` instance (as generated, with keys the schema does not declare) must decode, and
//!   everything encoded must be in the input.
//!
//! Losses in schemas `tests/roundtrip/known.yaml` lists (with their cause) are reported as known
//! and do not fail the run; every other loss or failure does.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

mod send;

/// Settings of a run.
struct Settings {
    seed: u64,
    examples: u32,
    root_budget: f64,
    budget: f64,
    depth: u32,
    jobs: u32,
    shown_losses: usize,
    /// Requests too (step 4), with these budgets.
    requests: bool,
    op_budget: f64,
    request_budget: f64,
}

/// One spec to check.
struct Target {
    /// What the table calls it.
    label: String,
    /// The folder name under `target/roundtrip/`.
    stem: String,
    /// Where its spec is.
    spec: PathBuf,
    /// Seam's committed spec (with its overrides and the committed crate), or another.
    seam: bool,
}

/// What happened to one spec.
#[derive(Default)]
struct Row {
    label: String,
    roots: usize,
    reached: usize,
    instances: usize,
    refused: usize,
    losses: Vec<Finding>,
    failures: Vec<Finding>,
    /// Losses and failures in schemas `tests/roundtrip/known.yaml` lists for this spec.
    known: Vec<Finding>,
    /// Entries of `known.yaml` for this spec that showed nothing this run.
    fixed: Vec<String>,
    unreached: Vec<(String, String)>,
    /// Step 4: the functions, how many got requests, and the requests made.
    functions: usize,
    functions_reached: usize,
    requests: usize,
    /// Requests the validator refused.
    invalid: Vec<Finding>,
    /// Params values the crate could not build or send (decode error, client error, no request).
    unsent: Vec<Finding>,
    functions_unreached: Vec<(String, String)>,
    json_fields: usize,
    took: Duration,
    error: Option<String>,
}

/// A loss or a decoding failure.
struct Finding {
    name: String,
    pointer: String,
    mode: String,
    instance: String,
    what: String,
}

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let mut settings = Settings {
        seed: 1,
        examples: 6,
        root_budget: 20.0,
        budget: 600.0,
        depth: 2,
        jobs: 2,
        shown_losses: 3,
        requests: true,
        op_budget: 10.0,
        request_budget: 300.0,
    };
    let mut inputs = Vec::new();
    let mut only = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match arg.as_str() {
            "--seed" => settings.seed = parse(&value("--seed")?, "--seed")?,
            "--examples" => settings.examples = parse(&value("--examples")?, "--examples")?,
            "--root-budget" => {
                settings.root_budget = parse(&value("--root-budget")?, "--root-budget")?
            }
            "--budget" => settings.budget = parse(&value("--budget")?, "--budget")?,
            "--depth" => settings.depth = parse(&value("--depth")?, "--depth")?,
            "--jobs" => settings.jobs = parse(&value("--jobs")?, "--jobs")?,
            "--show" => settings.shown_losses = parse(&value("--show")?, "--show")?,
            "--only" => only = Some(value("--only")?),
            "--no-requests" => settings.requests = false,
            "--op-budget" => settings.op_budget = parse(&value("--op-budget")?, "--op-budget")?,
            "--request-budget" => {
                settings.request_budget = parse(&value("--request-budget")?, "--request-budget")?
            }
            "--seam" => inputs.push(None),
            a if a.starts_with("--") => return Err(format!("unknown option `{a}` for roundtrip")),
            a => inputs.push(Some(PathBuf::from(a))),
        }
    }
    if inputs.is_empty() {
        inputs.push(None);
    }
    let mut targets = Vec::new();
    for input in inputs {
        match input {
            None => targets.push(Target {
                label: super::SPEC.into(),
                stem: "seam".into(),
                spec: root.join(super::SPEC),
                seam: true,
            }),
            Some(path) if path.is_dir() => {
                for spec in super::corpus::specs(&path, only.as_deref())? {
                    targets.push(other_target(&spec));
                }
            }
            Some(path) if path.is_file() => targets.push(other_target(&path)),
            Some(path) => return Err(format!("{}: no such spec or folder", path.display())),
        }
    }

    let known = read_known(&root.join(KNOWN))?;
    let target_root = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let work = root.join("target/roundtrip");
    let python = venv(root, &target_root.join("roundtrip-venv"))?;
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("cannot read the workspace's Cargo.lock: {e}"))?;
    // The workspace's own target folder: the drivers use its Cargo.lock, so the dependencies the
    // tests built are reused.
    let driver_target = target_root.clone();
    if settings.requests {
        send::selftest(root, &python)?;
    }

    let mut rows = Vec::new();
    for target in &targets {
        eprintln!("roundtrip: {} ...", target.label);
        let start = Instant::now();
        let mut row = Row {
            label: target.label.clone(),
            ..Row::default()
        };
        if let Err(e) = check_spec(
            root,
            target,
            &work.join(&target.stem),
            &python,
            &lock,
            &driver_target,
            &settings,
            &mut row,
        ) {
            row.error = Some(e);
        }
        row.took = start.elapsed();
        if let Some(entries) = known.get(&file_name(&target.spec)) {
            sort_known(&mut row, entries);
        }
        rows.push(row);
    }

    let report = report(&rows, &settings);
    print!("{report}");
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let file = work.join("report.md");
    std::fs::write(&file, &report).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    println!("\n(report also in {})", super::shown_path(&file));
    let bad: Vec<String> = rows
        .iter()
        .filter(|r| {
            r.error.is_some()
                || !r.losses.is_empty()
                || !r.failures.is_empty()
                || !r.invalid.is_empty()
                || !r.unsent.is_empty()
        })
        .map(|r| r.label.clone())
        .collect();
    if bad.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "round trip failed for {}: see the losses, failures and invalid requests above",
            bad.join(", ")
        ))
    }
}

/// Losses the generator does not fix yet: spec file name → schema pointer → why.
const KNOWN: &str = "tests/roundtrip/known.yaml";

type Known = BTreeMap<String, BTreeMap<String, KnownEntry>>;

/// An entry of `known.yaml`: the cause, and the text that findings of this class say (a finding
/// at the same place that does not say it is a new one, never hidden as known).
#[derive(Debug, Clone)]
struct KnownEntry {
    /// Shown nowhere yet: the file is where a reader finds it; required so every entry has one.
    #[allow(dead_code)]
    why: String,
    says: String,
}

impl KnownEntry {
    fn covers(&self, finding: &Finding) -> bool {
        finding.what.contains(&self.says)
    }
}

fn read_known(path: &Path) -> Result<Known, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let raw: BTreeMap<String, BTreeMap<String, Value>> =
        serde_yaml_ng::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut known = Known::new();
    for (spec, entries) in raw {
        let mut out = BTreeMap::new();
        for (pointer, entry) in entries {
            let field = |name: &str| {
                entry[name]
                    .as_str()
                    .filter(|s| !s.trim().is_empty())
                    .map(str::to_string)
                    .ok_or_else(|| {
                        format!(
                            "{}: {spec} {pointer}: expected `why` (the cause) and `says` (text its \
                             findings contain)",
                            path.display()
                        )
                    })
            };
            out.insert(
                pointer.clone(),
                KnownEntry {
                    why: field("why")?,
                    says: field("says")?,
                },
            );
        }
        known.insert(spec, out);
    }
    Ok(known)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Moves the findings in schemas `entries` lists to `row.known`; lists the entries that found nothing.
fn sort_known(row: &mut Row, entries: &BTreeMap<String, KnownEntry>) {
    for list in [
        &mut row.losses,
        &mut row.failures,
        &mut row.invalid,
        &mut row.unsent,
    ] {
        let (known, new): (Vec<Finding>, Vec<Finding>) = std::mem::take(list)
            .into_iter()
            .partition(|f| entries.get(&f.pointer).is_some_and(|e| e.covers(f)));
        *list = new;
        row.known.extend(known);
    }
    row.fixed = entries
        .keys()
        .filter(|p| !row.known.iter().any(|f| &f.pointer == *p))
        .cloned()
        .collect();
}

fn parse<T: std::str::FromStr>(text: &str, option: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("{option}: `{text}` is not a valid value"))
}

fn other_target(spec: &Path) -> Target {
    let stem = spec
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Target {
        label: spec
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        stem: super::corpus::package_slug(&stem),
        spec: spec.to_path_buf(),
        seam: false,
    }
}

/// The Python of a virtual environment with the pinned requirements, made (or made again when the
/// requirements changed) on demand.
fn venv(root: &Path, dir: &Path) -> Result<PathBuf, String> {
    let requirements = root.join("tests/roundtrip/requirements.txt");
    let wanted = std::fs::read_to_string(&requirements)
        .map_err(|e| format!("cannot read {}: {e}", requirements.display()))?;
    let stamp = dir.join("requirements.txt");
    let python = dir.join("bin/python");
    if python.is_file() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(&wanted) {
        return Ok(python);
    }
    eprintln!(
        "roundtrip: installing the instance generator (pinned in {}) into {}",
        super::shown_path(&requirements),
        super::shown_path(dir)
    );
    let _ = std::fs::remove_dir_all(dir);
    super::run(Command::new("python3").arg("-m").arg("venv").arg(dir))
        .map_err(|e| format!("cannot make a Python virtual environment (python3 -m venv): {e}"))?;
    super::run(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
            ])
            .arg(&requirements),
    )
    .map_err(|e| format!("cannot install {}: {e}", requirements.display()))?;
    std::fs::write(&stamp, wanted).map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    Ok(python)
}

#[allow(clippy::too_many_arguments)]
fn check_spec(
    root: &Path,
    target: &Target,
    work: &Path,
    python: &Path,
    lock: &str,
    driver_target: &Path,
    settings: &Settings,
    row: &mut Row,
) -> Result<(), String> {
    std::fs::create_dir_all(work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    // The spec as the instance generator reads it: the file's own JSON (Seam's with its overrides).
    let text = std::fs::read_to_string(&target.spec)
        .map_err(|e| format!("cannot read {}: {e}", target.spec.display()))?;
    let format = codegen::Format::from_path(&target.spec).map_err(|e| e.to_string())?;
    let mut raw = codegen::load::parse_value(&text, format).map_err(|e| e.to_string())?;
    // The crate derives `Deserialize` on request types too (`decode_requests`): step 4 builds
    // requests from data. Response types are generated as for the committed crate.
    let (output, crate_dep) = if target.seam {
        let overrides = root.join(super::OVERRIDES);
        let over_text = std::fs::read_to_string(&overrides)
            .map_err(|e| format!("cannot read {}: {e}", overrides.display()))?;
        let over: Value = serde_yaml_ng::from_str(&over_text)
            .map_err(|e| format!("cannot read {}: {e}", overrides.display()))?;
        codegen::load::apply_overrides(&mut raw, &over).map_err(|e| e.to_string())?;
        let loaded = codegen::load::load_file_with(&target.spec, Some(&overrides))
            .map_err(|e| e.to_string())?;
        let options = codegen::Options {
            profile: codegen::ProfileKind::Seam,
            decode_requests: true,
            ..Default::default()
        };
        let output = codegen::generate_loaded(loaded, &options).map_err(|e| e.to_string())?;
        // Seam's hand-written files beside the generated ones, in a workspace of the project's
        // settings (the crate's Cargo.toml inherits them).
        let ws = work.join("seam-crate");
        let krate = ws.join("crate");
        super::spec_versions::copy_hand_written(&root.join(super::CRATE_DIR), &krate)?;
        codegen::files::write_tree(&krate, &output.files, output.managed_dirs)
            .map_err(|e| format!("cannot write {}: {e}", krate.display()))?;
        super::spec_versions::write_workspace(root, &ws, "crate")?;
        let dep =
            "seam-connect = { path = \"../seam-crate/crate\", features = [\"full\"] }".to_string();
        (output, (dep, "seam_connect".to_string()))
    } else {
        let options = codegen::Options {
            profile: codegen::ProfileKind::Generic,
            decode_requests: true,
            ..Default::default()
        };
        let mut output =
            codegen::generate_file_with(&target.spec, &options).map_err(|e| e.to_string())?;
        let package = format!("roundtrip-crate-{}", target.stem);
        super::corpus::write_standalone(&mut output, &work.join("crate"), lock, &package)?;
        let dep = format!("{package} = {{ path = \"../crate\", features = [\"test-util\"] }}");
        (output, (dep, package.replace('-', "_")))
    };
    row.roots = output.decoded.len();
    row.json_fields = output.stats.json_fields;
    let spec_json = work.join("spec.json");
    write(
        &spec_json,
        &serde_json::to_string(&raw).map_err(|e| e.to_string())?,
    )?;
    // Component schemas first: when a spec's time runs out, what is left unchecked is operations'
    // responses, which mostly hold components.
    let mut ordered: Vec<&codegen::Decoded> = output.decoded.iter().collect();
    ordered.sort_by_key(|d| !d.component);
    let roots: Vec<Value> = ordered
        .into_iter()
        .map(|d| serde_json::json!({ "name": d.name, "pointer": d.pointer, "component": d.component }))
        .collect();
    let roots_json = work.join("roots.json");
    write(&roots_json, &Value::Array(roots).to_string())?;

    // Instances (Python) while the driver builds.
    let cases = work.join("cases.jsonl");
    let summary = work.join("summary.json");
    let mut instances = Command::new(python)
        .arg(root.join("tests/roundtrip/instances.py"))
        .arg("--spec")
        .arg(&spec_json)
        .arg("--roots")
        .arg(&roots_json)
        .arg("--out")
        .arg(&cases)
        .arg("--summary")
        .arg(&summary)
        .args(["--seed", &settings.seed.to_string()])
        .args(["--examples", &settings.examples.to_string()])
        .args(["--root-budget", &settings.root_budget.to_string()])
        .args(["--budget", &settings.budget.to_string()])
        .args(["--depth", &settings.depth.to_string()])
        .args(["--jobs", &settings.jobs.max(1).to_string()])
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    let requests = if settings.requests {
        Some(send::start(
            root,
            python,
            work,
            &spec_json,
            &output.sent,
            settings,
        )?)
    } else {
        None
    };
    let driver = write_driver(&work.join("driver"), &output, &crate_dep, lock, target)?;
    let built = build_driver(&work.join("driver"), driver_target, &driver);
    let status = instances
        .wait()
        .map_err(|e| format!("the instance generator: {e}"))?;
    let driver = built?;
    if !status.success() {
        return Err(format!("the instance generator failed ({status})"));
    }

    let summary: Vec<Value> = serde_json::from_str(
        &std::fs::read_to_string(&summary)
            .map_err(|e| format!("cannot read {}: {e}", summary.display()))?,
    )
    .map_err(|e| format!("{}: {e}", summary.display()))?;
    for s in &summary {
        let count = s["instances"].as_u64().unwrap_or(0);
        row.refused += s["refused"].as_u64().unwrap_or(0) as usize;
        if count > 0 {
            row.reached += 1;
        }
        if let Some(note) = s["note"].as_str() {
            if count == 0 {
                row.unreached.push((
                    s["pointer"].as_str().unwrap_or_default().to_string(),
                    note.to_string(),
                ));
            }
        }
    }
    decode_all(&driver, &cases, row)?;
    if let Some(requests) = requests {
        let sender = driver.with_file_name(format!("roundtrip-send-{}", target.stem));
        row.functions = output.sent.len();
        requests.finish(python, &sender, &output.sent, row)?;
    }
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Writes the driver crate; returns the name of its binary.
fn write_driver(
    dir: &Path,
    output: &codegen::Output,
    (dep, lib): &(String, String),
    lock: &str,
    target: &Target,
) -> Result<String, String> {
    std::fs::create_dir_all(dir.join("src"))
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let bin = format!("roundtrip-driver-{}", target.stem);
    let stem = &target.stem;
    let manifest = format!(
        "# Written by cargo xtask roundtrip.\n[package]\nname = \"{bin}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [[bin]]\nname = \"{bin}\"\npath = \"src/main.rs\"\n\n\
         [[bin]]\nname = \"roundtrip-send-{stem}\"\npath = \"src/send.rs\"\n\n\
         [dependencies]\n{dep}\nserde = \"1\"\nserde_json = \"1\"\n\
         tokio = {{ version = \"1\", features = [\"rt\", \"net\", \"time\"] }}\n\n[workspace]\n"
    );
    write(
        &dir.join("src/send.rs"),
        &send::driver_source(&output.sent, lib, target.seam),
    )?;
    let mut arms = String::new();
    for d in &output.decoded {
        let _ = writeln!(
            arms,
            "        {:?} => rt::<{lib}::models::{}>,",
            d.name, d.name
        );
    }
    let main = format!(
        "// Written by cargo xtask roundtrip: decodes each `name<TAB>json` line of stdin with the generated\n\
         // type `name` and answers with one JSON line: {{\"ok\": <the value encoded again>}} or {{\"error\": \"...\"}}.\n\
         use std::io::{{BufRead, Write}};\n\n\
         type Trip = fn(&str) -> Result<serde_json::Value, String>;\n\n\
         fn rt<T: serde::de::DeserializeOwned + serde::Serialize>(text: &str) -> Result<serde_json::Value, String> {{\n\
         \x20   let value: T = serde_json::from_str(text).map_err(|e| format!(\"decode: {{e}}\"))?;\n\
         \x20   serde_json::to_value(&value).map_err(|e| format!(\"encode: {{e}}\"))\n}}\n\n\
         fn trip(name: &str) -> Option<Trip> {{\n    Some(match name {{\n{arms}        _ => return None,\n    }})\n}}\n\n\
         fn main() {{\n\
         \x20   let stdin = std::io::stdin();\n\
         \x20   let mut out = std::io::BufWriter::new(std::io::stdout().lock());\n\
         \x20   for line in stdin.lock().lines() {{\n\
         \x20       let line = line.expect(\"stdin\");\n\
         \x20       let (name, text) = line.split_once('\\t').unwrap_or((&line, \"\"));\n\
         \x20       let answer = match trip(name) {{\n\
         \x20           Some(f) => match f(text) {{\n\
         \x20               Ok(v) => serde_json::json!({{ \"ok\": v }}),\n\
         \x20               Err(e) => serde_json::json!({{ \"error\": e }}),\n\
         \x20           }},\n\
         \x20           None => serde_json::json!({{ \"error\": format!(\"no type {{name}}\") }}),\n\
         \x20       }};\n\
         \x20       writeln!(out, \"{{answer}}\").expect(\"stdout\");\n\
         \x20   }}\n}}\n"
    );
    write(&dir.join("Cargo.toml"), &manifest)?;
    write(&dir.join("src/main.rs"), &main)?;
    if !dir.join("Cargo.lock").exists() {
        write(&dir.join("Cargo.lock"), lock)?;
    }
    Ok(bin)
}

fn build_driver(dir: &Path, target_dir: &Path, bin: &str) -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(&cargo)
        .args(["build", "--quiet", "--message-format=short"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir)
        .output()
        .map_err(|e| format!("cannot run {cargo}: {e}"))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let excerpt: Vec<&str> = stderr.lines().take(40).collect();
        return Err(format!(
            "the driver does not build:\n{}",
            excerpt.join("\n")
        ));
    }
    Ok(target_dir.join("debug").join(bin))
}

/// Feeds every case to the driver and compares.
fn decode_all(driver: &Path, cases: &Path, row: &mut Row) -> Result<(), String> {
    let file =
        std::fs::File::open(cases).map_err(|e| format!("cannot read {}: {e}", cases.display()))?;
    let mut parsed = Vec::new();
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("{}: {e}", cases.display()))?;
        let case: Value = serde_json::from_str(&line)
            .map_err(|e| format!("{} line {}: {e}", cases.display(), i + 1))?;
        parsed.push(case);
    }
    row.instances = parsed.len();
    let texts: Vec<String> = parsed.iter().map(|c| c["instance"].to_string()).collect();
    let input: String = parsed
        .iter()
        .zip(&texts)
        .map(|(c, t)| format!("{}\t{t}\n", c["name"].as_str().unwrap_or_default()))
        .collect();
    let output = feed(driver, input)?;
    let answers: Vec<&str> = std::str::from_utf8(&output)
        .map_err(|e| format!("the driver's output: {e}"))?
        .lines()
        .collect();
    if answers.len() != parsed.len() {
        return Err(format!(
            "the driver answered {} of {} instances",
            answers.len(),
            parsed.len()
        ));
    }
    for ((case, text), answer) in parsed.iter().zip(&texts).zip(answers) {
        let answer: Value = serde_json::from_str(answer)
            .map_err(|e| format!("the driver's answer is not JSON: {e}"))?;
        let mode = case["mode"].as_str().unwrap_or_default();
        let finding = |what: String| Finding {
            name: case["name"].as_str().unwrap_or_default().to_string(),
            pointer: case["pointer"].as_str().unwrap_or_default().to_string(),
            mode: mode.to_string(),
            instance: text.clone(),
            what,
        };
        match (&answer["ok"], &answer["error"]) {
            (_, Value::String(e)) => row.failures.push(finding(e.clone())),
            (encoded, _) => {
                let diff = if mode == "open" {
                    subset(encoded, &case["instance"], "")
                } else {
                    equal(&case["instance"], encoded, "")
                };
                if let Some(d) = diff {
                    row.losses.push(finding(d));
                }
            }
        }
    }
    Ok(())
}

/// Runs a driver binary with `input` on its stdin; its stdout, or why it failed (its last line
/// of stderr).
fn feed(program: &Path, input: String) -> Result<Vec<u8>, String> {
    let mut child = Command::new(program)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    let mut stdin = child.stdin.take().ok_or("the driver has no stdin")?;
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| format!("{}: {e}", program.display()))?;
    writer
        .join()
        .map_err(|_| "the driver's writer panicked".to_string())?
        .map_err(|e| format!("cannot feed {}: {e}", program.display()))?;
    if !output.status.success() {
        return Err(format!(
            "{} failed ({}): {}",
            program.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .last()
                .unwrap_or_default()
        ));
    }
    Ok(output.stdout)
}

/// Whether two numbers are the same: exactly when both are integers, else as `f64`s (to 1e-12).
fn same_number(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    if a.is_f64() || b.is_f64() {
        match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) => x == y || (x - y).abs() <= 1e-12 * x.abs().max(y.abs()),
            _ => false,
        }
    } else {
        a == b
    }
}

fn show(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() > 120 {
        format!("{}…", text.chars().take(120).collect::<String>())
    } else {
        text
    }
}

fn key_pointer(at: &str, key: &str) -> String {
    format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// The first difference between `input` and `output` (a `null` value and an absent key are the
/// same), as `at <pointer>: ...`; `None` when equal.
fn equal(input: &Value, output: &Value, at: &str) -> Option<String> {
    match (input, output) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                let here = key_pointer(at, k);
                match b.get(k) {
                    Some(w) => {
                        if let Some(d) = equal(v, w, &here) {
                            return Some(d);
                        }
                    }
                    None if v.is_null() => {}
                    None => return Some(format!("at {here}: {} was dropped", show(v))),
                }
            }
            b.iter()
                .filter(|(k, w)| !a.contains_key(*k) && !w.is_null())
                .map(|(k, w)| format!("at {}: {} appeared", key_pointer(at, k), show(w)))
                .next()
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(format!("at {at}: {} items became {}", a.len(), b.len()));
            }
            a.iter()
                .zip(b)
                .enumerate()
                .find_map(|(i, (v, w))| equal(v, w, &format!("{at}/{i}")))
        }
        (Value::Number(a), Value::Number(b)) if same_number(a, b) => None,
        (a, b) if a == b => None,
        (a, b) => Some(format!(
            "at {}: {} became {}",
            or_root(at),
            show(a),
            show(b)
        )),
    }
}

fn or_root(at: &str) -> &str {
    if at.is_empty() {
        "the top"
    } else {
        at
    }
}

/// The first thing in `output` that is not in `input`; `None` when `output` is a part of `input`.
fn subset(output: &Value, input: &Value, at: &str) -> Option<String> {
    match (output, input) {
        (Value::Object(a), Value::Object(b)) => a.iter().find_map(|(k, v)| {
            let here = key_pointer(at, k);
            match b.get(k) {
                Some(w) => subset(v, w, &here),
                None if v.is_null() => None,
                None => Some(format!("at {here}: {} appeared", show(v))),
            }
        }),
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (v, w))| subset(v, w, &format!("{at}/{i}"))),
        (Value::Number(a), Value::Number(b)) if same_number(a, b) => None,
        (a, b) if a == b => None,
        (a, b) => Some(format!(
            "at {}: {} became {}",
            or_root(at),
            show(b),
            show(a)
        )),
    }
}

fn report(rows: &[Row], settings: &Settings) -> String {
    let mut t = format!(
        "Round trip (seed {}, {} instances per root and mode, {} s per root, {} s per spec)\n\n\
         | spec | schemas | reached | instances | losses | decode failures | known (not failing) | not reached | free-form JSON fields | time |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
        settings.seed, settings.examples, settings.root_budget, settings.budget
    );
    for r in rows {
        if let Some(e) = &r.error {
            let _ = writeln!(
                t,
                "| {} | | | | | | | | | **FAILED**: {} |",
                r.label,
                e.lines().next().unwrap_or_default().replace('|', "\\|")
            );
            continue;
        }
        let _ = writeln!(
            t,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.0} s |",
            r.label,
            r.roots,
            r.reached,
            r.instances,
            r.losses.len(),
            r.failures.len(),
            r.known.len(),
            r.roots - r.reached,
            r.json_fields,
            r.took.as_secs_f64()
        );
    }
    if settings.requests {
        let _ = write!(
            t,
            "\nRequests (params and bodies from the spec's schemas, {} s per function, {} s per spec; \
             what the client sent, checked by openapi-core)\n\n\
             | spec | functions | reached | requests | invalid | not sent | not reached |\n\
             | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n",
            settings.op_budget, settings.request_budget
        );
        for r in rows.iter().filter(|r| r.error.is_none()) {
            let _ = writeln!(
                t,
                "| {} | {} | {} | {} | {} | {} | {} |",
                r.label,
                r.functions,
                r.functions_reached,
                r.requests,
                r.invalid.len(),
                r.unsent.len(),
                r.functions_unreached.len(),
            );
        }
    }
    for r in rows {
        if let Some(e) = &r.error {
            let _ = writeln!(t, "\n## {}: failed\n\n{e}", r.label);
        }
        for (kind, kinds, list) in [
            ("loss", "losses", &r.losses),
            ("decode failure", "decode failures", &r.failures),
            ("invalid request", "invalid requests", &r.invalid),
            ("request not sent", "requests not sent", &r.unsent),
            (
                "known loss or failure (tests/roundtrip/known.yaml)",
                "known losses and failures (tests/roundtrip/known.yaml)",
                &r.known,
            ),
        ] {
            if list.is_empty() {
                continue;
            }
            let mut by_schema: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
            for f in list.iter() {
                by_schema.entry(&f.pointer).or_default().push(f);
            }
            let _ = writeln!(
                t,
                "\n## {}: {} {} in {} schema{}",
                r.label,
                list.len(),
                if list.len() == 1 { kind } else { kinds },
                by_schema.len(),
                if by_schema.len() == 1 { "" } else { "s" }
            );
            for (pointer, found) in by_schema {
                let _ = writeln!(
                    t,
                    "\n- `{pointer}` (`{}`): {} instance(s)",
                    found[0].name,
                    found.len()
                );
                for f in found.iter().take(settings.shown_losses) {
                    let mut instance = f.instance.clone();
                    if instance.chars().count() > 400 {
                        instance = format!("{}…", instance.chars().take(400).collect::<String>());
                    }
                    let _ = writeln!(t, "  - {} ({}): `{}`", f.what, f.mode, instance);
                }
            }
        }
        if !r.fixed.is_empty() {
            let _ = writeln!(
                t,
                "\n## {}: listed in {KNOWN} but not found this run (fixed, or not reached: delete when fixed)\n",
                r.label
            );
            for p in &r.fixed {
                let _ = writeln!(t, "- `{p}`");
            }
        }
        if !r.unreached.is_empty() {
            let _ = writeln!(
                t,
                "\n## {}: {} schema(s) without instances (not checked)\n",
                r.label,
                r.unreached.len()
            );
            for (pointer, note) in &r.unreached {
                let _ = writeln!(t, "- `{pointer}`: {note}");
            }
        }
        if !r.functions_unreached.is_empty() {
            let _ = writeln!(
                t,
                "\n## {}: {} function(s) without requests (not checked)\n",
                r.label,
                r.functions_unreached.len()
            );
            for (pointer, note) in &r.functions_unreached {
                let _ = writeln!(t, "- `{pointer}`: {note}");
            }
        }
        if r.refused > 0 {
            let _ = writeln!(
                t,
                "\n{}: {} generated instance(s) were refused by the spec's own validator and not used",
                r.label, r.refused
            );
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_known_entry_hides_only_the_findings_of_its_class() {
        let finding = |what: &str| Finding {
            name: "Op".into(),
            pointer: "#/paths/~1a/post".into(),
            mode: "as drawn".into(),
            instance: "{}".into(),
            what: what.into(),
        };
        let mut row = Row {
            invalid: vec![
                finding("Missing required path parameter: id"),
                finding("the body sent is not the instance's"),
            ],
            ..Row::default()
        };
        let entries = BTreeMap::from([(
            "#/paths/~1a/post".to_string(),
            KnownEntry {
                why: "the spec's own defect".into(),
                says: "Missing required path parameter".into(),
            },
        )]);
        sort_known(&mut row, &entries);
        assert_eq!(row.known.len(), 1);
        assert_eq!(
            row.invalid.len(),
            1,
            "a new class at a known place still fails"
        );
        assert!(row.fixed.is_empty());
    }

    #[test]
    fn equal_treats_null_as_absent_and_numbers_as_values() {
        assert_eq!(
            equal(&json!({"a": null, "b": 1}), &json!({"b": 1.0}), ""),
            None
        );
        assert_eq!(
            equal(&json!({"b": 1}), &json!({"b": 1, "c": null}), ""),
            None
        );
        assert!(equal(&json!({"a": 1}), &json!({}), "")
            .is_some_and(|d| d.contains("/a") && d.contains("dropped")));
        assert!(equal(&json!({"a": [1, 2]}), &json!({"a": [1]}), "").is_some());
        assert!(equal(&json!({"a": "x"}), &json!({"a": "y"}), "").is_some());
        assert!(equal(
            &json!(9007199254740993_i64),
            &json!(9007199254740992_i64),
            ""
        )
        .is_some());
        assert!(equal(&json!({}), &json!({"z": 1}), "").is_some_and(|d| d.contains("appeared")));
    }

    #[test]
    fn subset_allows_dropped_unknown_keys_only() {
        assert_eq!(
            subset(&json!({"a": 1}), &json!({"a": 1, "zz": [1]}), ""),
            None
        );
        assert!(subset(&json!({"a": 2}), &json!({"a": 1}), "").is_some());
        assert!(subset(&json!({"b": 2}), &json!({"a": 1}), "").is_some());
    }
}
