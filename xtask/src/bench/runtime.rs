//! Runtime figures: prepares the data from the fake server, then runs the release-mode bench
//! target `seam-generated/benches/decode.rs` and reads its `BENCH <key> <value>` lines.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

use super::fake;
use super::{Row, Section};

/// The SDK may cost at most this much more per call than raw reqwest.
const OVERHEAD_TARGET: f64 = 0.10;

/// Runs the runtime benches.
pub fn run(root: &Path) -> Result<Section, String> {
    let dir = root.join("target/bench/data");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let data = fake::write_data(&dir)?;

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // Only the two groups the bench needs: the release build of the crate stays short.
    let out = Command::new(&cargo)
        .args([
            "bench",
            "-p",
            "seam-connect",
            "--bench",
            "decode",
            "--no-default-features",
            "--features",
            "devices,events",
        ])
        .env("SEAM_BENCH_DATA", &dir)
        .current_dir(root)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "cargo bench -p seam-connect --bench decode failed ({}): {stdout}",
            out.status
        ));
    }
    let mut figures: BTreeMap<&str, Result<f64, String>> = BTreeMap::new();
    let mut notes = Vec::new();
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("BENCH ") else {
            continue;
        };
        let (key, value) = rest.split_once(' ').unwrap_or((rest, ""));
        if let Some(text) = value.strip_prefix("TEXT ") {
            notes.push(format!("{key}: {text}"));
            continue;
        }
        let value = match value.strip_prefix("ERROR ") {
            Some(e) => Err(e.to_owned()),
            None => value
                .trim()
                .parse::<f64>()
                .map_err(|_| format!("unreadable figure `{value}`")),
        };
        figures.insert(key, value);
    }
    let get = |key: &str| -> Result<f64, String> {
        figures
            .get(key)
            .cloned()
            .unwrap_or_else(|| Err(format!("the bench printed no `{key}`")))
    };

    let mut section = Section::default();
    for (name, what) in [
        ("devices", "`devices/list`, 10,000 devices"),
        ("events", "`events/list`, 10,000 events"),
    ] {
        let figure = format!("typed decode, {what}");
        let target = "typed ≥ `Value`";
        let mb = get(&format!("decode.{name}.bytes")).map_or(0.0, |b| b / 1e6);
        match (
            get(&format!("decode.{name}.typed")),
            get(&format!("decode.{name}.value")),
            get(&format!("decode.{name}.ignored")),
        ) {
            (Ok(typed), Ok(value), Ok(ignored)) => {
                // Some objects did not decode: the figures are for the rest (see the notes).
                let partial = notes
                    .iter()
                    .any(|n| n.starts_with(&format!("decode.{name}.")));
                section.rows.push(Row::check(
                    figure,
                    format!(
                        "{}typed {typed:.0} MB/s; `Value` {value:.0} MB/s; `IgnoredAny` {ignored:.0} MB/s ({mb:.1} MB)",
                        if partial { "SOME DO NOT DECODE (see notes); on the rest: " } else { "" }
                    ),
                    target,
                    typed >= value && !partial,
                ));
            }
            (typed, value, ignored) => {
                let err = [typed, value, ignored]
                    .into_iter()
                    .find_map(Result::err)
                    .unwrap_or_default();
                section.rows.push(Row::check(
                    figure,
                    format!("failed: {}", err.replace('|', "\\|")),
                    target,
                    false,
                ));
            }
        }
    }
    let calls = get("client.calls").map_or(0.0, |c| c);
    let figure = format!(
        "per-call overhead, `devices().list()` vs raw reqwest + serde_json ({calls:.0} calls each)"
    );
    let target = format!("within {:.0}% of raw", OVERHEAD_TARGET * 100.0);
    match (get("client.sdk_us"), get("client.raw_us")) {
        (Ok(sdk), Ok(raw)) => {
            let extra = sdk / raw - 1.0;
            section.rows.push(Row::check(
                figure,
                format!(
                    "SDK {sdk:.1} µs/call; raw {raw:.1} µs/call ({:+.1}%)",
                    extra * 100.0
                ),
                target,
                extra <= OVERHEAD_TARGET,
            ));
        }
        (sdk, raw) => {
            let err = sdk.err().or(raw.err()).unwrap_or_default();
            section.rows.push(Row::check(
                figure,
                format!("failed: {}", err.replace('|', "\\|")),
                target,
                false,
            ));
        }
    }
    section.notes.extend(notes);
    section.notes.push(format!(
        "runtime: bench profile (`cargo bench -p seam-connect --bench decode`, features devices,events); \
         decode is the best of up to 15 passes, typed, `Value` and `IgnoredAny` taking turns pass by pass; inputs replicate the fake server's objects with new ids \
         (device types: {}; event types: {}); the per-call server is a std::net loopback server on 127.0.0.1 \
         answering the fake's 5-device `devices/list` body; calls alternate in blocks of 100 (which side goes first alternates too) and each side's figure is its median block.",
        data.device_types.join(", "),
        data.event_types.join(", ")
    ));
    Ok(section)
}
