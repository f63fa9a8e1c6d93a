//! Reading benchmark: time to read and model every corpus file natively.
//!
//! Run with `cargo run --profile release-native -p pillarlint-tests --bin bench_read`.
//! Prints the total and per-stage figures; it asserts nothing (speed is reported, not tested).

use std::time::{Duration, Instant};

use pillarlint_core::model::Template;
use pillarlint_core::parse::{self, Limits};
use pillarlint_tests::paths::corpus_files;

fn main() {
    let files: Vec<(String, Vec<u8>)> = corpus_files()
        .into_iter()
        .filter_map(|p| {
            let bytes = std::fs::read(&p).ok()?;
            Some((p.display().to_string(), bytes))
        })
        .collect();
    let total_bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let verbose = std::env::args().any(|a| a == "-v");
    let runs = 5;
    let mut best = Duration::MAX;
    let mut best_load = Duration::MAX;
    let mut largest: (Duration, String) = (Duration::ZERO, String::new());
    let mut failed = 0;
    for run in 0..runs {
        let mut load_time = Duration::ZERO;
        failed = 0;
        let start = Instant::now();
        for (name, bytes) in &files {
            let t0 = Instant::now();
            let res = parse::decode(bytes).and_then(|text| {
                let root = parse::load(text, &Limits::default())?;
                load_time += t0.elapsed();
                let format = parse::detect(&root)?;
                Template::build(root, format)
            });
            let el = t0.elapsed();
            if run == 0 && el > largest.0 {
                largest = (el, name.clone());
            }
            match res {
                Ok(t) => {
                    if verbose && run == 0 {
                        for d in &t.diagnostics {
                            println!("WARN {name}:{}: {}", d.line, d.message);
                        }
                        for r in &t.resources {
                            if r.type_.starts_with("AWS::Serverless::") {
                                println!("KEPT {name}: {} {}", r.id, r.type_);
                            }
                        }
                    }
                    std::hint::black_box(t.resources.len());
                }
                Err(e) => {
                    failed += 1;
                    if verbose && run == 0 {
                        println!("ERR {name}: {e}");
                    }
                }
            }
        }
        best = best.min(start.elapsed());
        best_load = best_load.min(load_time);
    }
    println!(
        "corpus: {} files, {:.1} MB, {} read with an error",
        files.len(),
        total_bytes as f64 / 1e6,
        failed
    );
    println!(
        "read + model whole corpus: {:.1} ms (best of {runs}); YAML/JSON loading alone: {:.1} ms",
        best.as_secs_f64() * 1e3,
        best_load.as_secs_f64() * 1e3
    );
    println!(
        "slowest file (first run): {:.2} ms  {}",
        largest.0.as_secs_f64() * 1e3,
        largest.1
    );
}
