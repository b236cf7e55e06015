//! The generator's wall time beside the floor of merely parsing the spec.

use std::path::Path;
use std::time::{Duration, Instant};

use super::{best_median, fmt_duration, Row, Section};

/// Runs per measurement (best and median are reported).
const RUNS: usize = 5;
/// Target for the whole generation.
const CODEGEN_TARGET: Duration = Duration::from_secs(1);
/// The generation may take at most this many times the YAML → `openapiv3` parse.
const FLOOR_FACTOR: f64 = 5.0;

/// One timed run of a measurement.
fn once<T, E: std::fmt::Display>(
    what: &str,
    f: impl FnOnce() -> Result<T, E>,
) -> Result<Duration, String> {
    let start = Instant::now();
    let out = f().map_err(|e| format!("{what}: {e}"))?;
    let elapsed = start.elapsed();
    drop(out);
    Ok(elapsed)
}

/// Measures `codegen::generate_file` on the committed spec and the parse floors.
pub fn run(root: &Path) -> Result<Section, String> {
    let spec = root.join(crate::SPEC);
    let yaml = std::fs::read_to_string(&spec)
        .map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let value: serde_json::Value = serde_yaml_ng::from_str(&yaml)
        .map_err(|e| format!("{} is not YAML: {e}", spec.display()))?;
    let json = serde_json::to_string(&value).map_err(|e| e.to_string())?;
    drop(value);

    // Round by round, each measurement once, so that a slow spell of the machine (a shared VM's
    // neighbours) weighs on the generation and on its floor alike rather than on one of them.
    let (mut generate, mut from_yaml, mut from_json, mut value_yaml) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..RUNS {
        generate.push(once("codegen::generate_file", || {
            codegen::generate_file(&spec)
        })?);
        from_yaml.push(once("YAML → openapiv3", || {
            serde_yaml_ng::from_str::<openapiv3::OpenAPI>(&yaml)
        })?);
        from_json.push(once("JSON → openapiv3", || {
            serde_json::from_str::<openapiv3::OpenAPI>(&json)
        })?);
        value_yaml.push(once("codegen::load::parse_value (YAML)", || {
            codegen::load::parse_value(&yaml, codegen::Format::Yaml)
        })?);
    }

    // Phases of one generation, to tell what dominates (mirrors `generate_loaded`).
    let mut phases = Vec::new();
    let t = Instant::now();
    let loaded = codegen::load::load_file(&spec).map_err(|e| format!("load: {e}"))?;
    phases.push(("load (parse + repairs + openapiv3)", t.elapsed()));
    let mut warnings = loaded.warnings.clone();
    let t = Instant::now();
    let profile = codegen::ProfileKind::Seam.profile();
    let mut ir =
        codegen::lower::lower(&loaded.spec, profile, &mut warnings).map_err(|e| e.to_string())?;
    phases.push(("lower", t.elapsed()));
    let t = Instant::now();
    codegen::passes::run(&mut ir, &profile.clash_policy(), false).map_err(|e| e.to_string())?;
    phases.push(("passes", t.elapsed()));
    let t = Instant::now();
    let plan = codegen::plan::build(&ir).map_err(|e| e.to_string())?;
    phases.push(("plan", t.elapsed()));
    let t = Instant::now();
    let files = codegen::emit::emit(&plan).map_err(|e| e.to_string())?;
    phases.push(("emit (quote + prettyplease)", t.elapsed()));
    let out_bytes: usize = files.values().map(String::len).sum();

    let (gen_best, gen_median) = best_median(&generate);
    let (yaml_best, yaml_median) = best_median(&from_yaml);
    let (json_best, json_median) = best_median(&from_json);
    let (value_best, value_median) = best_median(&value_yaml);
    let ratio = gen_best.as_secs_f64() / yaml_best.as_secs_f64().max(1e-9);
    let pair =
        |b: Duration, m: Duration| format!("{} (median {})", fmt_duration(b), fmt_duration(m));

    let mut section = Section::default();
    let mb = yaml.len() as f64 / 1e6;
    section.rows.push(Row::check(
        format!("codegen: `generate_file` on the full spec ({mb:.1} MB YAML), best of {RUNS}"),
        pair(gen_best, gen_median),
        format!("≤ {}", fmt_duration(CODEGEN_TARGET)),
        gen_best <= CODEGEN_TARGET,
    ));
    section.rows.push(Row::check(
        "codegen ÷ parse floor (YAML → `openapiv3::OpenAPI`)",
        format!("{ratio:.1}×"),
        format!("≤ {FLOOR_FACTOR}×"),
        ratio <= FLOOR_FACTOR,
    ));
    section.rows.push(Row::info(
        "floor: YAML → `openapiv3::OpenAPI` (`serde_yaml_ng`)",
        pair(yaml_best, yaml_median),
    ));
    section.rows.push(Row::info(
        format!(
            "floor: JSON → `openapiv3::OpenAPI` (`serde_json`, {:.1} MB)",
            json.len() as f64 / 1e6
        ),
        pair(json_best, json_median),
    ));
    section.rows.push(Row::info(
        "`codegen::load::parse_value` (YAML → `serde_json::Value`)",
        pair(value_best, value_median),
    ));
    let breakdown: Vec<String> = phases
        .iter()
        .map(|(name, d)| format!("{name} {}", fmt_duration(*d)))
        .collect();
    section.notes.push(format!(
        "codegen phases (one run): {}; {} files, {:.1} MB of Rust out.",
        breakdown.join(", "),
        files.len(),
        out_bytes as f64 / 1e6
    ));
    Ok(section)
}
