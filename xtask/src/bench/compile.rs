//! Compile time and peak memory of the generated crate's own compilation.
//!
//! Method: `touch seam-generated/src/lib.rs`, then time
//! `cargo build -p seam-connect <features> -j 2` with `CARGO_INCREMENTAL=0`
//! (a from-scratch compile of the crate, as a user gets it as a dependency;
//! an incremental rebuild of an untouched crate would say little). Cargo runs
//! rustc through `RUSTC_WRAPPER` = a script in `target/bench/` that calls back
//! into this binary ([`rustc_wrapper`]), which runs rustc, reads its peak RSS
//! with `getrusage(RUSAGE_CHILDREN)` and logs it per crate. If the log shows
//! that a dependency was compiled too, the build is timed again.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::{fmt_duration, Row, Section};

/// First argument after `bench` when cargo runs this binary as the rustc wrapper.
pub const WRAPPER_ARG: &str = "__rustc-wrapper";
/// Environment variable naming the wrapper's log file.
const LOG_ENV: &str = "XTASK_BENCH_RUSTC_LOG";
/// The crate whose compilation is measured.
const CRATE: &str = "seam_connect";

const DEFAULT_TIME_TARGET: Duration = Duration::from_secs(30);
const DEFAULT_MEMORY_TARGET_KB: u64 = 1_500_000;
const GROUP_TIME_TARGET: Duration = Duration::from_secs(8);

/// Runs rustc (`args[0]`) with the remaining arguments, appends
/// `<crate-name> <peak RSS in kB> <wall ms>` to the log, and exits with rustc's status.
pub fn rustc_wrapper(args: &[String]) -> ! {
    let Some((rustc, rest)) = args.split_first() else {
        eprintln!("{WRAPPER_ARG}: no rustc given");
        std::process::exit(2);
    };
    let start = Instant::now();
    let status = match Command::new(rustc).args(rest).status() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{WRAPPER_ARG}: cannot run {rustc}: {e}");
            std::process::exit(2);
        }
    };
    let wall = start.elapsed();
    let crate_name = rest
        .windows(2)
        .find(|w| w[0] == "--crate-name")
        .map_or("-", |w| w[1].as_str());
    if let Some(log) = std::env::var_os(LOG_ENV) {
        use std::io::Write as _;
        let line = format!(
            "{crate_name} {} {}\n",
            children_max_rss_kb().unwrap_or(0),
            wall.as_millis()
        );
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
        {
            let _ = f.write_all(line.as_bytes());
        }
    }
    std::process::exit(status.code().unwrap_or(1));
}

/// Peak resident set size of the largest waited-for child, in kB.
#[cfg(unix)]
fn children_max_rss_kb() -> Option<u64> {
    // SAFETY: getrusage only writes into the zeroed struct we pass.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) != 0 {
            return None;
        }
        usage
    };
    let raw = u64::try_from(usage.ru_maxrss).ok()?;
    // Linux reports kilobytes, macOS bytes.
    Some(if cfg!(target_os = "macos") {
        raw / 1024
    } else {
        raw
    })
}

#[cfg(not(unix))]
fn children_max_rss_kb() -> Option<u64> {
    None
}

/// One measured build.
struct Build {
    /// Wall time of the whole `cargo build`.
    cargo: Duration,
    /// Wall time of rustc on the crate.
    rustc: Duration,
    /// Peak RSS of rustc on the crate, kB (0 if unknown).
    rss_kb: u64,
}

/// The builds of one feature set, summarized: the best rustc time (and that build's cargo time),
/// the median when there were several (the lower of the two middle ones for an even count), and
/// the highest peak memory.
struct Summary {
    rustc: Duration,
    cargo: Duration,
    median: Option<Duration>,
    rss_kb: u64,
}

/// Summarizes the runs of one feature set; the first error if any run failed.
fn summarize(results: Vec<Result<Build, String>>) -> Result<Summary, String> {
    let mut builds = results
        .into_iter()
        .collect::<Result<Vec<Build>, String>>()?;
    builds.sort_by_key(|b| b.rustc);
    let best = builds.first().ok_or("no build was measured")?;
    Ok(Summary {
        rustc: best.rustc,
        cargo: best.cargo,
        // The lower median for an even count (of two runs, not the worse one).
        median: (builds.len() > 1).then(|| builds[(builds.len() - 1) / 2].rustc),
        rss_kb: builds.iter().map(|b| b.rss_kb).max().unwrap_or(0),
    })
}

/// Writes the wrapper script; returns its path.
fn install_wrapper(dir: &Path) -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this binary: {e}"))?;
    // A private copy, so a concurrent rebuild of xtask cannot swap it mid-measurement.
    let copy = dir.join(format!(
        "xtask-rustc-wrapper{}",
        std::env::consts::EXE_SUFFIX
    ));
    std::fs::copy(&exe, &copy)
        .map_err(|e| format!("cannot copy {} to {}: {e}", exe.display(), copy.display()))?;
    let script = dir.join("rustc-wrapper.sh");
    let quoted = copy.display().to_string().replace('\'', "'\\''");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nexec '{quoted}' bench {WRAPPER_ARG} \"$@\"\n"),
    )
    .map_err(|e| format!("cannot write {}: {e}", script.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| format!("cannot chmod {}: {e}", script.display()))?;
    }
    Ok(script)
}

fn touch(path: &Path) -> Result<(), String> {
    let f = std::fs::File::options()
        .append(true)
        .open(path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    f.set_modified(std::time::SystemTime::now())
        .map_err(|e| format!("cannot touch {}: {e}", path.display()))
}

/// Times one build of the crate; retried once if dependencies were compiled too.
fn measure(root: &Path, wrapper: &Path, log: &Path, features: &[&str]) -> Result<Build, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let lib = root.join(crate::CRATE_DIR).join("src/lib.rs");
    for attempt in 1..=2 {
        touch(&lib)?;
        let _ = std::fs::remove_file(log);
        let start = Instant::now();
        let out = Command::new(&cargo)
            .args(["build", "--quiet", "-p", "seam-connect", "-j", "2"])
            .args(features)
            .env("RUSTC_WRAPPER", wrapper)
            .env_remove("RUSTC_WORKSPACE_WRAPPER")
            .env("CARGO_INCREMENTAL", "0")
            .env(LOG_ENV, log)
            .current_dir(root)
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        let cargo_wall = start.elapsed();
        if !out.status.success() {
            return Err(format!(
                "cargo build -p seam-connect {} failed: {}",
                features.join(" "),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let mut own = None;
        let mut others = Vec::new();
        for line in text.lines() {
            let mut parts = line.split_whitespace();
            let (Some(name), Some(rss), Some(ms)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            if name == CRATE {
                own = Some((
                    rss.parse::<u64>().unwrap_or(0),
                    Duration::from_millis(ms.parse().unwrap_or(0)),
                ));
            } else if name != "-" && name != "___" {
                others.push(name.to_owned());
            }
        }
        let Some((rss_kb, rustc)) = own else {
            return Err(format!(
                "cargo did not recompile {CRATE} after touching {}",
                lib.display()
            ));
        };
        if others.is_empty() || attempt == 2 {
            return Ok(Build {
                cargo: cargo_wall,
                rustc,
                rss_kb,
            });
        }
        eprintln!(
            "bench: dependencies were compiled too ({} crates); timing again",
            others.len()
        );
    }
    unreachable!("the loop returns on its last attempt")
}

fn fmt_kb(kb: u64) -> String {
    if kb == 0 {
        "?".into()
    } else if kb >= 1_000_000 {
        format!("{:.2} GB", kb as f64 / 1e6)
    } else {
        format!("{:.0} MB", kb as f64 / 1e3)
    }
}

/// Measures the crate's own compile time and peak memory for three feature sets, each `runs` times
/// (interleaved, so a slow spell of the machine hits every set alike): the best rustc time is the
/// figure, the median is shown beside it, the peak memory is the highest seen.
pub fn run(root: &Path, runs: usize) -> Result<Section, String> {
    let dir = root.join("target/bench");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let wrapper = install_wrapper(&dir)?;
    let log = dir.join("rustc.log");
    let mut section = Section::default();

    let sets: [(&str, &[&str], Option<Duration>); 3] = [
        ("default features", &[], Some(DEFAULT_TIME_TARGET)),
        (
            "one group (`--no-default-features --features locks`)",
            &["--no-default-features", "--features", "locks"],
            Some(GROUP_TIME_TARGET),
        ),
        ("`--all-features`", &["--all-features"], None),
    ];
    let mut failures = Vec::new();
    let mut results: Vec<Vec<Result<Build, String>>> = sets.iter().map(|_| Vec::new()).collect();
    for run in 1..=runs {
        for (i, (name, features, _)) in sets.iter().enumerate() {
            if runs > 1 {
                eprintln!("bench: compile, {name}, run {run} of {runs}");
            }
            // A set that failed once is not built again.
            if results[i].iter().any(Result::is_err) {
                continue;
            }
            results[i].push(measure(root, &wrapper, &log, features));
        }
    }
    for ((name, features, time_target), results) in sets.into_iter().zip(results) {
        let figure =
            format!("own build, {name}: rustc time (whole `cargo build -j 2`), peak rustc memory");
        let target = match time_target {
            Some(t) if features.is_empty() => format!(
                "≤ {}, ≤ {}",
                fmt_duration(t),
                fmt_kb(DEFAULT_MEMORY_TARGET_KB)
            ),
            Some(t) => format!("≤ {}", fmt_duration(t)),
            None => String::new(),
        };
        match summarize(results) {
            Ok(b) => {
                let spread = match b.median {
                    Some(m) => format!(" best of {runs}, median {}", fmt_duration(m)),
                    None => String::new(),
                };
                let value = format!(
                    "{}{spread} (cargo {}), peak {}",
                    fmt_duration(b.rustc),
                    fmt_duration(b.cargo),
                    fmt_kb(b.rss_kb)
                );
                let memory_ok =
                    !features.is_empty() || (b.rss_kb != 0 && b.rss_kb <= DEFAULT_MEMORY_TARGET_KB);
                section.rows.push(match time_target {
                    Some(t) => Row::check(figure, value, target, b.rustc <= t && memory_ok),
                    None => Row::info(figure, value),
                });
            }
            Err(e) => {
                let first = e
                    .lines()
                    .find(|l| l.contains("error"))
                    .unwrap_or(&e)
                    .to_owned();
                section.rows.push(Row::check(
                    figure,
                    format!("failed: {}", first.replace('|', "\\|")),
                    target,
                    false,
                ));
                failures.push(name);
            }
        }
    }
    section.notes.push(
        "compile: dev profile, `CARGO_INCREMENTAL=0` (a from-scratch compile of the crate, dependencies already \
         built), `-j 2`; the target is judged on rustc's own wall time on the crate (the whole `cargo build`, in brackets, \
         also counts waits for the build-directory lock held by concurrent cargo runs); peak memory is rustc's \
         maximum RSS (`getrusage`)."
            .into(),
    );
    if failures.len() == 3 {
        return Err("the generated crate did not build with any feature set".into());
    }
    Ok(section)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(rustc_ms: u64, rss_kb: u64) -> Result<Build, String> {
        Ok(Build {
            cargo: Duration::from_millis(rustc_ms + 300),
            rustc: Duration::from_millis(rustc_ms),
            rss_kb,
        })
    }

    #[test]
    fn several_runs_report_the_best_time_the_median_and_the_highest_memory() {
        let s = summarize(vec![
            build(52_000, 100),
            build(45_000, 120),
            build(47_000, 110),
        ])
        .expect("three builds");
        assert_eq!(s.rustc, Duration::from_millis(45_000));
        assert_eq!(s.cargo, Duration::from_millis(45_300));
        assert_eq!(s.median, Some(Duration::from_millis(47_000)));
        assert_eq!(s.rss_kb, 120);
        let one = summarize(vec![build(40_000, 90)]).expect("one build");
        assert_eq!(one.median, None);
        let two = summarize(vec![build(50_000, 1), build(40_000, 1)]).expect("two builds");
        assert_eq!(
            two.median,
            Some(Duration::from_millis(40_000)),
            "not the worse run"
        );
        assert!(summarize(vec![build(1, 1), Err("boom".into())]).is_err());
    }
}
