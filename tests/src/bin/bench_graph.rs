//! Graph-building benchmark: prints the time to build the service graph (including the
//! derived facts) for every corpus template, and for the largest one.
//!
//! Run: `cargo run -p pillarlint-tests --profile release-native --bin bench_graph`
//! (reading and expansion are done first and not timed).

use std::time::{Duration, Instant};

use pillarlint_core::graph::Graph;
use pillarlint_core::model::Template;
use pillarlint_core::parse;
use pillarlint_tests::paths;

fn main() {
    let files = paths::corpus_files();
    let mut templates = Vec::new();
    for f in &files {
        let Ok(bytes) = std::fs::read(f) else {
            continue;
        };
        let Ok(text) = parse::decode(&bytes) else {
            continue;
        };
        let Ok(root) = parse::load(text, &parse::Limits::default()) else {
            continue;
        };
        let Ok(format) = parse::detect(&root) else {
            continue;
        };
        let Ok(t) = Template::build(root, format) else {
            continue;
        };
        templates.push((f.clone(), bytes.len(), t));
    }
    let rounds = 10;
    // Warm up once.
    let mut nodes = 0;
    let mut edges = 0;
    for (_, _, t) in &templates {
        let g = Graph::build(t);
        nodes += g.nodes().count();
        edges += g.edges().count();
    }
    let mut best = Duration::MAX;
    for _ in 0..rounds {
        let start = Instant::now();
        for (_, _, t) in &templates {
            std::hint::black_box(Graph::build(t));
        }
        best = best.min(start.elapsed());
    }
    println!(
        "corpus: {} templates ({} of {} files read), {nodes} nodes, {edges} edges",
        templates.len(),
        templates.len(),
        files.len()
    );
    println!(
        "graph build, whole corpus: {:.2} ms (best of {rounds})",
        best.as_secs_f64() * 1e3
    );
    let Some((path, size, t)) = templates
        .iter()
        .max_by_key(|(_, s, t)| (t.resources.len(), *s))
    else {
        println!("no templates found under {}", paths::corpus().display());
        return;
    };
    let mut best = Duration::MAX;
    for _ in 0..rounds * 5 {
        let start = Instant::now();
        std::hint::black_box(Graph::build(t));
        best = best.min(start.elapsed());
    }
    let g = Graph::build(t);
    println!(
        "largest template: {} ({} bytes, {} resources -> {} nodes, {} edges): {:.3} ms (best of {})",
        path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        size,
        t.resources.len(),
        g.nodes().count(),
        g.edges().count(),
        best.as_secs_f64() * 1e3,
        rounds * 5
    );
}
