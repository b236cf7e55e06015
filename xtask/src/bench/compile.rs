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

use super::variants::{Role, Variant};
use super::{fmt_duration, Row, Section};

/// First argument after `bench` when cargo runs this binary as the rustc wrapper.
pub const WRAPPER_ARG: &str = "__rustc-wrapper";
/// Environment variable naming the wrapper's log file.
const LOG_ENV: &str = "XTASK_BENCH_RUSTC_LOG";

/// Peak rustc memory on the crate, default features and all features.
const MEMORY_TARGET_KB: u64 = 1_000_000;
/// One group alone.
const GROUP_TIME_TARGET: Duration = Duration::from_secs(8);
/// This code's build time ÷ the baseline's (default features and all features).
const RATIO_TARGET: f64 = 0.5;
/// The stripped release binary of the six everyday tasks.
const BINARY_TARGET: u64 = 8_000_000;

/// Runs rustc (`args[0]`) with the remaining arguments, appends
/// `<crate-name> <peak RSS in kB> <wall ms> <start, ms since the Unix epoch>` to the log, and exits
/// with rustc's status.
pub fn rustc_wrapper(args: &[String]) -> ! {
    let Some((rustc, rest)) = args.split_first() else {
        eprintln!("{WRAPPER_ARG}: no rustc given");
        std::process::exit(2);
    };
    let start = Instant::now();
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
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
            "{crate_name} {} {} {started}\n",
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
    /// Wall time of rustc on the crate: from the first of its crates' rustc starting to the last
    /// one ending, when it is several (the SDK split by group).
    rustc: Duration,
    /// Peak RSS of rustc on the crate, kB (0 if unknown): the largest of its crates'.
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

/// Times one build of `v`'s crate; retried once if dependencies were compiled too. `target`: cargo's
/// build target beside `-p` (`--lib`, or `--example NAME` to time a user's program; then the crate
/// timed is the example's and the file touched is `touch`).
fn measure(
    root: &Path,
    wrapper: &Path,
    log: &Path,
    v: &Variant,
    features: &[&str],
    target: &[&str],
    touched: (&Path, &str),
) -> Result<Build, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let (file, crate_name) = touched;
    // The SDK's own crates: the one touched, and (the crate split by group) its parts, named
    // after it (`seam_connect_core`).
    let parts_prefix = format!("{crate_name}_");
    let is_own = |name: &str| {
        name == crate_name || (crate_name == v.crate_name && name.starts_with(&parts_prefix))
    };
    for attempt in 1..=2 {
        touch(file)?;
        if crate_name == v.crate_name {
            for part in &v.parts {
                touch(part)?;
            }
        }
        let _ = std::fs::remove_file(log);
        let start = Instant::now();
        let mut cmd = Command::new(&cargo);
        cmd.args(["build", "--quiet", "-p", &v.package, "-j", "2"]);
        if let Some(manifest) = &v.manifest {
            cmd.arg("--manifest-path").arg(manifest);
            // The project's target folder: the dependencies are built once for every variant.
            cmd.env("CARGO_TARGET_DIR", target_dir(root));
        }
        let out = cmd
            .args(target)
            .args(features)
            .env("RUSTC_WRAPPER", wrapper)
            .env_remove("RUSTC_WORKSPACE_WRAPPER")
            .env("CARGO_INCREMENTAL", "0")
            .env(LOG_ENV, log)
            .current_dir(&v.dir)
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        let cargo_wall = start.elapsed();
        if !out.status.success() {
            return Err(format!(
                "cargo build -p {} {} {} ({}) failed: {}",
                v.package,
                target.join(" "),
                features.join(" "),
                v.label,
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let text = std::fs::read_to_string(log).unwrap_or_default();
        // (peak kB, first start, last end) over the own crates, in ms since the epoch.
        let mut own: Option<(u64, u128, u128)> = None;
        let mut others = Vec::new();
        for line in text.lines() {
            let mut fields = line.split_whitespace();
            let (Some(name), Some(rss), Some(ms), Some(started)) =
                (fields.next(), fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            if is_own(name) {
                let rss = rss.parse::<u64>().unwrap_or(0);
                let started = started.parse::<u128>().unwrap_or(0);
                let ended = started + ms.parse::<u128>().unwrap_or(0);
                own = Some(match own {
                    None => (rss, started, ended),
                    Some((r, s, e)) => (r.max(rss), s.min(started), e.max(ended)),
                });
            } else if name != "-" && name != "___" && name != v.crate_name {
                others.push(name.to_owned());
            }
        }
        let own = own.map(|(rss, started, ended)| {
            let ms = u64::try_from(ended.saturating_sub(started)).unwrap_or(u64::MAX);
            (rss, Duration::from_millis(ms))
        });
        let Some((rss_kb, rustc)) = own else {
            return Err(format!(
                "cargo did not recompile {crate_name} after touching {}",
                file.display()
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

/// The project's target folder (the variants' workspaces build into it too).
pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
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
/// figure, the median is shown beside it, the peak memory is the highest seen. Beside it, in the
/// same rounds: the floor (the declarations alone) and, with `baseline`, the SDK at that commit;
/// then the stripped release binary of `examples/everyday.rs` and a user's rebuild of it.
pub fn run(root: &Path, runs: usize, baseline: Option<&str>) -> Result<Section, String> {
    let dir = root.join("target/bench");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let wrapper = install_wrapper(&dir)?;
    let log = dir.join("rustc.log");
    let mut section = Section::default();

    let mut variants = vec![Variant::current(root), super::variants::floor(root)?];
    if let Some(rev) = baseline {
        variants.push(super::variants::baseline(root, rev)?);
    }
    let sets: [(&str, &[&str]); 3] = [
        ("default features", &[]),
        (
            "one group (`--no-default-features --features locks`)",
            &["--no-default-features", "--features", "locks"],
        ),
        ("`--all-features`", &["--all-features"]),
    ];
    // results[set][variant]
    let mut results: Vec<Vec<Vec<Result<Build, String>>>> = sets
        .iter()
        .map(|_| variants.iter().map(|_| Vec::new()).collect())
        .collect();
    for run in 1..=runs {
        for (i, (name, features)) in sets.iter().enumerate() {
            for (j, v) in variants.iter().enumerate() {
                eprintln!("bench: compile, {name}, {}, run {run} of {runs}", v.label);
                // A crate that failed once is not built again.
                if results[i][j].iter().any(Result::is_err) {
                    continue;
                }
                let lib = (v.lib.as_path(), v.crate_name.as_str());
                results[i][j].push(measure(root, &wrapper, &log, v, features, &["--lib"], lib));
            }
        }
    }
    let mut failures = 0;
    for ((name, features), per_variant) in sets.into_iter().zip(results) {
        let summaries: Vec<Result<Summary, String>> =
            per_variant.into_iter().map(summarize).collect();
        let figure =
            format!("own build, {name}: rustc time (whole `cargo build -j 2`), peak rustc memory");
        let group = !features.is_empty() && features[0] == "--no-default-features";
        let current = match &summaries[0] {
            Ok(b) => {
                let value = fmt_build(b, runs);
                section.rows.push(if group {
                    Row::check(
                        figure,
                        value,
                        format!("≤ {}", fmt_duration(GROUP_TIME_TARGET)),
                        b.rustc <= GROUP_TIME_TARGET,
                    )
                } else {
                    let ok = b.rss_kb != 0 && b.rss_kb <= MEMORY_TARGET_KB;
                    Row::check(
                        figure,
                        value,
                        format!("peak ≤ {}", fmt_kb(MEMORY_TARGET_KB)),
                        ok,
                    )
                });
                Some(b)
            }
            Err(e) => {
                failures += 1;
                section.rows.push(Row::check(figure, failed(e), "", false));
                None
            }
        };
        for (v, summary) in variants.iter().zip(&summaries).skip(1) {
            let figure = format!("… {}, {name}", v.label);
            match (summary, current) {
                (Ok(b), Some(c)) => {
                    let ratio = c.rustc.as_secs_f64() / b.rustc.as_secs_f64().max(1e-3);
                    let value = format!("{}; this code {ratio:.2}× it", fmt_build(b, runs));
                    section.rows.push(if v.role == Role::Baseline && !group {
                        Row::check(
                            figure,
                            value,
                            format!("this code ≤ {RATIO_TARGET:.2}×"),
                            ratio <= RATIO_TARGET,
                        )
                    } else {
                        Row::info(figure, value)
                    });
                }
                (Ok(b), None) => section.rows.push(Row::info(figure, fmt_build(b, runs))),
                (Err(e), _) => section.rows.push(Row::check(figure, failed(e), "", false)),
            }
        }
    }
    section.notes.push(
        "compile: dev profile, `CARGO_INCREMENTAL=0` (a from-scratch compile of the crate, dependencies already \
         built), `-j 2`; the figure is rustc's own wall time on the crate, or, for the SDK split into crates \
         (`crates/`), from the first of their rustc runs starting to the last one ending (the whole `cargo build`, \
         in brackets, also counts waits for the build-directory lock held by concurrent cargo runs); peak memory \
         is rustc's maximum RSS (`getrusage`), the largest of the SDK's crates'. The floor is the crate's `models` declarations alone (types, fields, docs, \
         `cfg`s; no derives, impls, functions or runtime), built in `target/bench/floor/`; a baseline \
         (`--baseline REV`) is the crate at that commit, built in `target/bench/baseline/`; each round builds \
         every crate of every feature set in turn."
            .into(),
    );
    program(root, &wrapper, &log, &variants, &mut section);
    if failures == 3 {
        return Err("the generated crate did not build with any feature set".into());
    }
    Ok(section)
}

/// The stripped release binary of `examples/everyday.rs` (six everyday tasks) and the time a user
/// waits after editing it (a dev rebuild of the example alone), for this code and a baseline.
fn program(root: &Path, wrapper: &Path, log: &Path, variants: &[Variant], section: &mut Section) {
    let sdks: Vec<&Variant> = variants.iter().filter(|v| v.role != Role::Floor).collect();
    let mut sizes = Vec::new();
    for v in &sdks {
        let figure = format!(
            "stripped release binary of `examples/everyday.rs`, {}",
            v.label
        );
        match release_size(root, v) {
            Ok(bytes) => {
                sizes.push(bytes);
                let mb = bytes as f64 / 1e6;
                let mut value = format!("{mb:.1} MB ({bytes} bytes)");
                if sizes.len() > 1 {
                    value = format!(
                        "{value}; this code {:.2}× it",
                        sizes[0] as f64 / bytes as f64
                    );
                }
                section.rows.push(if sizes.len() == 1 {
                    Row::check(
                        figure,
                        value,
                        format!("≤ {:.1} MB", BINARY_TARGET as f64 / 1e6),
                        bytes <= BINARY_TARGET,
                    )
                } else {
                    Row::info(figure, value)
                });
            }
            Err(e) => section.rows.push(Row::check(figure, failed(&e), "", false)),
        }
    }
    let mut rebuilds = Vec::new();
    for v in &sdks {
        let figure = format!(
            "user's rebuild after editing `examples/everyday.rs` (dev, rustc on the example), {}",
            v.label
        );
        let example = v.dir.join("examples/everyday.rs");
        match measure(
            root,
            wrapper,
            log,
            v,
            &[],
            &["--example", "everyday"],
            (&example, "everyday"),
        ) {
            Ok(b) => {
                rebuilds.push(b.rustc);
                let mut value = format!("{}, peak {}", fmt_duration(b.rustc), fmt_kb(b.rss_kb));
                if rebuilds.len() > 1 {
                    value = format!(
                        "{value}; this code {:.2}× it",
                        rebuilds[0].as_secs_f64() / b.rustc.as_secs_f64().max(1e-3)
                    );
                }
                section.rows.push(Row::info(figure, value));
            }
            Err(e) => section.rows.push(Row::check(figure, failed(&e), "", false)),
        }
    }
    section.notes.push(
        "binary: `cargo build --release --example everyday` with `CARGO_PROFILE_RELEASE_STRIP=symbols`, in its \
         own target folder (`target/bench/release/`); rebuild: `touch examples/everyday.rs`, then a dev build \
         of the example with the SDK already built."
            .into(),
    );
}

/// Bytes of the stripped release binary of `v`'s `everyday` example.
fn release_size(root: &Path, v: &Variant) -> Result<u64, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = target_dir(root).join("bench/release");
    let mut cmd = Command::new(&cargo);
    cmd.args([
        "build",
        "--quiet",
        "--release",
        "-p",
        &v.package,
        "--example",
        "everyday",
    ]);
    if let Some(manifest) = &v.manifest {
        cmd.arg("--manifest-path").arg(manifest);
    }
    let out = cmd
        .env("CARGO_TARGET_DIR", &target)
        .env("CARGO_PROFILE_RELEASE_STRIP", "symbols")
        .env_remove("RUSTC_WRAPPER")
        .current_dir(&v.dir)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "release build of the example ({}) failed: {}",
            v.label,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let binary = target
        .join("release/examples")
        .join(format!("everyday{}", std::env::consts::EXE_SUFFIX));
    std::fs::metadata(&binary)
        .map(|m| m.len())
        .map_err(|e| format!("cannot read {}: {e}", binary.display()))
}

fn fmt_build(b: &Summary, runs: usize) -> String {
    let spread = match b.median {
        Some(m) => format!(" best of {runs}, median {}", fmt_duration(m)),
        None => String::new(),
    };
    format!(
        "{}{spread} (cargo {}), peak {}",
        fmt_duration(b.rustc),
        fmt_duration(b.cargo),
        fmt_kb(b.rss_kb)
    )
}

/// A failure's first line that says `error`, for a table cell.
fn failed(e: &str) -> String {
    let first = e.lines().find(|l| l.contains("error")).unwrap_or(e);
    format!("failed: {}", first.replace('|', "\\|"))
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
