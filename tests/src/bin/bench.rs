//! `make bench`: native figures for reading, graph building and rules, over the corpus, the
//! largest template and generated templates of growing size. Prints a table; asserts nothing.
//!
//! Run with `cargo run --profile release-native -p pillarlint-tests --bin bench`.

use std::time::{Duration, Instant};

use pillarlint_core::graph::Graph;
use pillarlint_core::model::Template;
use pillarlint_core::parse::{self, Limits};
use pillarlint_core::rules;
use pillarlint_tests::{gen, paths, table};

#[derive(Default, Clone, Copy)]
struct Phases {
    read: Duration,
    model: Duration,
    graph: Duration,
    rules: Duration,
}

impl Phases {
    fn total(&self) -> Duration {
        self.read + self.model + self.graph + self.rules
    }

    fn add(&mut self, o: Phases) {
        self.read += o.read;
        self.model += o.model;
        self.graph += o.graph;
        self.rules += o.rules;
    }
}

/// Time each phase of one analysis; `None` when the text does not read.
fn phases(text: &str) -> Option<Phases> {
    let t0 = Instant::now();
    let root = parse::load(text, &Limits::default()).ok()?;
    let format = parse::detect(&root).ok()?;
    let t1 = Instant::now();
    let template = Template::build(root, format).ok()?;
    let t2 = Instant::now();
    let graph = Graph::build(&template);
    let t3 = Instant::now();
    let findings = rules::run(&rules::Context {
        template: &template,
        graph: &graph,
    });
    let t4 = Instant::now();
    std::hint::black_box(findings);
    Some(Phases {
        read: t1 - t0,
        model: t2 - t1,
        graph: t3 - t2,
        rules: t4 - t3,
    })
}

/// The fastest of `runs` analyses (the least disturbed by the rest of the machine).
fn best_of(text: &str, runs: usize) -> Option<Phases> {
    (0..runs)
        .filter_map(|_| phases(text))
        .min_by_key(Phases::total)
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1e3)
}

fn row(name: &str, size: usize, p: Phases) {
    println!(
        "| {name:<34} | {:>9} | {:>8} | {:>8} | {:>8} | {:>8} | {:>9} |",
        format!("{:.1} KB", size as f64 / 1024.0),
        ms(p.read),
        ms(p.model),
        ms(p.graph),
        ms(p.rules),
        ms(p.total())
    );
}

fn main() {
    let files = paths::corpus_files();
    let texts: Vec<(String, String)> = files
        .iter()
        .filter_map(|p| {
            let b = std::fs::read(p).ok()?;
            Some((
                p.file_name()?.to_string_lossy().into_owned(),
                String::from_utf8(b).ok()?,
            ))
        })
        .collect();
    println!(
        "pillarlint native benchmark — {} corpus files, {} cores\n",
        texts.len(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    table::header(&[
        ("input", 34),
        ("size", 9),
        ("read ms", 8),
        ("model ms", 8),
        ("graph ms", 8),
        ("rules ms", 8),
        ("total ms", 9),
    ]);

    // Whole corpus, one process, one pass (after one warm-up pass).
    for (_, t) in &texts {
        std::hint::black_box(phases(t));
    }
    let mut whole = Phases::default();
    let wall = Instant::now();
    let mut analysed = 0;
    for (_, t) in &texts {
        if let Some(p) = phases(t) {
            whole.add(p);
            analysed += 1;
        }
    }
    let wall = wall.elapsed();
    let bytes: usize = texts.iter().map(|(_, t)| t.len()).sum();
    row(&format!("whole corpus ({analysed} analysed)"), bytes, whole);

    if let Some((name, text)) = texts.iter().max_by_key(|(_, t)| t.len()) {
        if let Some(p) = best_of(text, 5) {
            row(
                &format!("largest: {}", &name[..name.len().min(26)]),
                text.len(),
                p,
            );
        }
    }
    if let Some(p) = best_of(pillarlint_core::example::BOOKSTORE.text, 20) {
        row(
            "built-in example (bookstore)",
            pillarlint_core::example::BOOKSTORE.text.len(),
            p,
        );
    }
    let mut per_resource = Vec::new();
    for n in [10, 100, 500, 1_000, 2_000] {
        let text = gen::service(n, 40);
        if let Some(p) = best_of(&text, 3) {
            row(&format!("generated, {n} resources"), text.len(), p);
            per_resource.push((n, p.total().as_secs_f64() * 1e6 / n as f64));
        }
    }
    println!(
        "\nwhole corpus wall time: {:.1} ms for {} files ({:.1} MB)",
        wall.as_secs_f64() * 1e3,
        texts.len(),
        bytes as f64 / 1e6
    );
    println!(
        "cost per resource (µs), generated: {}",
        per_resource
            .iter()
            .map(|(n, us)| format!("{n}: {us:.1}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!("peer figures quoted in issue 9 for this corpus (one process each; `make bench` measures the peers itself when installed): cfn-lint ~72 s, checkov ~47 s, cfn-guard ~41 s");
    let secs = wall.as_secs_f64().max(1e-9);
    println!(
        "ratios: cfn-lint {:.0}x, checkov {:.0}x, cfn-guard {:.0}x slower than pillarlint",
        72.0 / secs,
        47.0 / secs,
        41.0 / secs
    );
}
