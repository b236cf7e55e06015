//! `cargo xtask bench`: figures for the generator, the generated crate and the runtime.
//!
//! Three sections, each run in order and each able to fail on its own (a failed
//! section becomes a row saying so; the command then exits non-zero):
//!
//! - `codegen` ([`generator`]): the generator in-process on the committed spec,
//!   beside the floor of merely parsing the spec.
//! - `compile` ([`compile`]): wall time and peak memory of compiling the
//!   generated crate itself (its dependencies already built).
//! - `runtime` ([`runtime`]): typed decoding of large responses built from
//!   what Seam's fake server returns, and per-call client overhead against a
//!   loopback server; these run as the release-mode bench target
//!   `seam-generated/benches/decode.rs`.
//!
//! The table is printed as markdown and written to `target/bench.md`.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

mod compile;
mod fake;
mod generator;
mod runtime;
mod variants;

const USAGE: &str = "\
usage: cargo xtask bench [--only codegen|compile|runtime]... [--runs N] [--baseline REV] [--no-write]

  --only SECTION   run only this section (repeatable; default: all three)
  --runs N         compile section: build each feature set N times, interleaved, and report
                   the best rustc time with the median beside it (default 1); machines are
                   noisy, so compare two versions by their best of several runs
  --baseline REV   compile section: also build the SDK crate as it was at git revision REV
                   (extracted under target/bench/baseline/), in the same rounds, and report this
                   code's build time, binary size and a user's rebuild as ratios of it
  --no-write       do not write target/bench.md
";

/// One line of the results table.
pub struct Row {
    /// What was measured.
    pub figure: String,
    /// The measurement, formatted.
    pub value: String,
    /// The target, if there is one.
    pub target: String,
    /// `Some(true)` met, `Some(false)` missed, `None` no target.
    pub met: Option<bool>,
}

impl Row {
    /// A row without a target.
    pub fn info(figure: impl Into<String>, value: impl Into<String>) -> Row {
        Row {
            figure: figure.into(),
            value: value.into(),
            target: String::new(),
            met: None,
        }
    }

    /// A row with a target and whether it was met.
    pub fn check(
        figure: impl Into<String>,
        value: impl Into<String>,
        target: impl Into<String>,
        met: bool,
    ) -> Row {
        Row {
            figure: figure.into(),
            value: value.into(),
            target: target.into(),
            met: Some(met),
        }
    }
}

/// A section's results: rows for the table and notes printed under it.
#[derive(Default)]
pub struct Section {
    /// Table rows.
    pub rows: Vec<Row>,
    /// Free-text notes (breakdowns, methods, caveats).
    pub notes: Vec<String>,
}

/// Runs the benchmarks and prints a table.
pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    if args.first().map(String::as_str) == Some(compile::WRAPPER_ARG) {
        // Invoked by cargo as RUSTC_WRAPPER during the compile section.
        compile::rustc_wrapper(&args[1..]);
    }
    let mut only: Vec<String> = Vec::new();
    let mut write = true;
    let mut runs = 1usize;
    let mut baseline: Option<String> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--only" => {
                let s = it.next().ok_or("--only needs a section")?;
                if !matches!(s.as_str(), "codegen" | "compile" | "runtime") {
                    return Err(format!("unknown section `{s}`\n\n{USAGE}"));
                }
                only.push(s.clone());
            }
            "--no-write" => write = false,
            "--baseline" => {
                let rev = it.next().ok_or("--baseline needs a git revision")?;
                baseline = Some(rev.clone());
            }
            "--runs" => {
                let n = it.next().ok_or("--runs needs a number")?;
                runs = n
                    .parse()
                    .ok()
                    .filter(|&n| (1..=20).contains(&n))
                    .ok_or_else(|| format!("--runs takes a number from 1 to 20, not `{n}`"))?;
            }
            "-h" | "--help" => {
                print!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown option `{other}` for bench\n\n{USAGE}")),
        }
    }
    let wanted = |s: &str| only.is_empty() || only.iter().any(|o| o == s);
    if (runs > 1 || baseline.is_some()) && !wanted("compile") {
        return Err(format!(
            "--runs and --baseline apply to the compile section, which this run leaves out\n\n{USAGE}"
        ));
    }

    let started = std::time::Instant::now();
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".into());
    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());

    let mut sections: Vec<(&str, Result<Section, String>)> = Vec::new();
    if wanted("codegen") {
        eprintln!("bench: codegen …");
        sections.push(("codegen", generator::run(root)));
    }
    if wanted("compile") {
        eprintln!("bench: compile …");
        sections.push(("compile", compile::run(root, runs, baseline.as_deref())));
    }
    if wanted("runtime") {
        eprintln!("bench: runtime …");
        sections.push(("runtime", runtime::run(root)));
    }

    let mut out = String::new();
    let _ = writeln!(
        out,
        "## cargo xtask bench\n\n{cpus} CPUs, load average {load} at start; generator figures taken in the `{}` \
         profile (debug assertions {}); total bench time {}.\n",
        if cfg!(debug_assertions) { "dev" } else { "release" },
        if cfg!(debug_assertions) { "on" } else { "off" },
        fmt_duration(started.elapsed()),
    );
    let _ = writeln!(out, "| figure | measured | target | met |");
    let _ = writeln!(out, "| --- | --- | --- | --- |");
    let mut failed = Vec::new();
    for (name, result) in &sections {
        match result {
            Ok(section) => {
                for r in &section.rows {
                    let met = match r.met {
                        Some(true) => "yes",
                        Some(false) => "**NO**",
                        None => "",
                    };
                    let _ = writeln!(out, "| {} | {} | {} | {met} |", r.figure, r.value, r.target);
                }
            }
            Err(e) => {
                failed.push(*name);
                let _ = writeln!(
                    out,
                    "| {name} | failed: {} | | **NO** |",
                    e.replace('|', "\\|").replace('\n', " ")
                );
            }
        }
    }
    let notes: Vec<&String> = sections
        .iter()
        .filter_map(|(_, r)| r.as_ref().ok())
        .flat_map(|s| &s.notes)
        .collect();
    if !notes.is_empty() {
        let _ = writeln!(out, "\nNotes:\n");
        for n in notes {
            let _ = writeln!(out, "- {n}");
        }
    }
    println!("{out}");
    if write {
        let path = root.join("target/bench.md");
        match std::fs::write(&path, &out) {
            Ok(()) => eprintln!("bench: table written to {}", path.display()),
            Err(e) => eprintln!("bench: cannot write {}: {e}", path.display()),
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("bench sections failed: {}", failed.join(", ")))
    }
}

/// `1.23 s`, `456 ms`, `78.9 µs`.
pub fn fmt_duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 10.0 {
        format!("{s:.1} s")
    } else if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 1e-3 {
        format!("{:.0} ms", s * 1e3)
    } else {
        format!("{:.1} µs", s * 1e6)
    }
}

/// Best and median of some timings.
pub fn best_median(times: &[Duration]) -> (Duration, Duration) {
    let mut sorted = times.to_vec();
    sorted.sort();
    let best = sorted.first().copied().unwrap_or_default();
    let median = sorted.get(sorted.len() / 2).copied().unwrap_or_default();
    (best, median)
}
