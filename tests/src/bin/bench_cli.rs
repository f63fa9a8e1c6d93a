//! Benchmark: the built `pillarlint` CLI over the whole corpus, in one process, as CI runs
//! it (`pillarlint check --format json <corpus>`). Prints wall time and peak memory beside
//! the peers' figures on the same corpus.
//!
//! ```text
//! cargo build -p pillarlint-cli --profile release-native
//! cargo run -p pillarlint-tests --bin bench_cli --release -- [RUNS]
//! ```
//! The binary is `PILLARLINT_BIN`, else the first of target/{release-native,release,debug}/
//! pillarlint that exists. Peak memory comes from `/usr/bin/time -v` when present, else
//! from polling the child's `VmHWM` in /proc.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use pillarlint_tests::paths;

/// Single-process runs over this corpus (figures from the issue).
const PEERS: &[(&str, f64)] = &[("cfn-lint", 72.0), ("checkov", 47.0), ("cfn-guard", 41.0)];

fn binary() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PILLARLINT_BIN") {
        return Some(PathBuf::from(p));
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| paths::root().join("target"), PathBuf::from);
    ["release-native", "release", "debug"]
        .iter()
        .map(|p| target.join(p).join("pillarlint"))
        .find(|p| p.is_file())
}

struct Sample {
    wall: Duration,
    peak_kib: Option<u64>,
    bytes_out: usize,
    exit: Option<i32>,
}

fn run_once(bin: &PathBuf, corpus: &PathBuf) -> Result<Sample, String> {
    let time = PathBuf::from("/usr/bin/time");
    let args = [
        "check",
        "--format",
        "json",
        "--quiet",
        "--no-config",
        "--fail-on",
        "never",
    ];
    if time.is_file() {
        let start = Instant::now();
        let out = Command::new(&time)
            .arg("-v")
            .arg(bin)
            .args(args)
            .arg(corpus)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", time.display()))?;
        let wall = start.elapsed();
        let err = String::from_utf8_lossy(&out.stderr);
        let peak_kib = err
            .lines()
            .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
            .and_then(|v| v.trim().parse().ok());
        return Ok(Sample {
            wall,
            peak_kib,
            bytes_out: out.stdout.len(),
            exit: out.status.code(),
        });
    }
    let start = Instant::now();
    let mut child = Command::new(bin)
        .args(args)
        .arg(corpus)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    let status_path = format!("/proc/{}/status", child.id());
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stdout.as_mut() {
            let _ = std::io::Read::read_to_end(s, &mut buf);
        }
        buf.len()
    });
    let mut peak = None;
    loop {
        if let Ok(s) = std::fs::read_to_string(&status_path) {
            if let Some(v) = s
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak = Some(peak.map_or(v, |p: u64| p.max(v)));
            }
        }
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    let wall = start.elapsed();
    Ok(Sample {
        wall,
        peak_kib: peak,
        bytes_out: reader.join().unwrap_or(0),
        exit: status.code(),
    })
}

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(5)
        .max(1);
    let Some(bin) = binary() else {
        eprintln!("bench_cli: no pillarlint binary; run `cargo build -p pillarlint-cli --profile release-native` or set PILLARLINT_BIN");
        std::process::exit(2);
    };
    let corpus = paths::corpus();
    let files = paths::corpus_files();
    let bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "pillarlint check --format json over {} ({} files, {:.1} MB), {} run(s)",
        corpus.display(),
        files.len(),
        bytes as f64 / 1e6,
        runs
    );
    println!("binary: {}", bin.display());
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    println!("cores available: {cores}");
    let mut samples = Vec::new();
    for i in 0..runs {
        match run_once(&bin, &corpus) {
            Ok(s) => {
                println!(
                    "run {}: {:>8.1} ms  peak {:>7} KiB  report {} KB  exit {:?}",
                    i + 1,
                    s.wall.as_secs_f64() * 1e3,
                    s.peak_kib.map_or("?".to_owned(), |k| k.to_string()),
                    s.bytes_out / 1000,
                    s.exit
                );
                samples.push(s);
            }
            Err(e) => {
                eprintln!("bench_cli: {e}");
                std::process::exit(2);
            }
        }
    }
    let mut walls: Vec<f64> = samples.iter().map(|s| s.wall.as_secs_f64()).collect();
    walls.sort_by(f64::total_cmp);
    let median = walls[walls.len() / 2];
    let best = walls[0];
    let peak = samples.iter().filter_map(|s| s.peak_kib).max();
    println!();
    println!(
        "pillarlint: median {:.3} s, best {:.3} s ({:.2} ms/file), peak RSS {}",
        median,
        best,
        median * 1e3 / files.len().max(1) as f64,
        peak.map_or("unknown".to_owned(), |k| format!(
            "{:.1} MiB",
            k as f64 / 1024.0
        ))
    );
    for (name, secs) in PEERS {
        println!(
            "  vs {name:<10} ~{secs:>4.0} s  -> pillarlint is {:.0}x faster",
            secs / median
        );
    }
}
