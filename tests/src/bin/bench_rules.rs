//! Rule-evaluation benchmark over the corpus.
//!
//! `cargo run --profile release-native -p pillarlint-tests --bin bench_rules [-- --dump RULE]`
//! Parsing, expansion and graph building happen before the clock starts: the figures are
//! for `rules::run` alone (every rule plus suppressions). `--dump RULE` also prints that
//! rule's findings, for reviewing false positives.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use pillarlint_core::graph::Graph;
use pillarlint_core::model::Template;
use pillarlint_core::parse::{self, Limits};
use pillarlint_core::rules::{self, Context};
use pillarlint_tests::paths::corpus_files;

struct Prepared {
    name: String,
    bytes: usize,
    template: Template,
    graph: Graph,
}

fn prepare(path: &std::path::Path) -> Option<Prepared> {
    let bytes = std::fs::read(path).ok()?;
    let text = parse::decode(&bytes).ok()?;
    let root = parse::load(text, &Limits::default()).ok()?;
    let format = parse::detect(&root).ok()?;
    let template = Template::build(root, format).ok()?;
    let graph = Graph::build(&template);
    Some(Prepared {
        name: path.file_name()?.to_string_lossy().into_owned(),
        bytes: bytes.len(),
        template,
        graph,
    })
}

fn time_rules(p: &Prepared, reps: u32) -> (Duration, usize) {
    let cx = Context {
        template: &p.template,
        graph: &p.graph,
    };
    let mut n = 0;
    let start = Instant::now();
    for _ in 0..reps {
        n = std::hint::black_box(rules::run(&cx)).len();
    }
    (start.elapsed() / reps, n)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dump = args
        .iter()
        .position(|a| a == "--dump")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let files = corpus_files();
    let prepared: Vec<Prepared> = files.iter().filter_map(|p| prepare(p)).collect();
    println!(
        "corpus: {} files, {} analysable, {} rules",
        files.len(),
        prepared.len(),
        rules::RULES.len()
    );
    // Warm up, and count findings per rule.
    let mut per_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &prepared {
        let cx = Context {
            template: &p.template,
            graph: &p.graph,
        };
        for f in rules::run(&cx) {
            *per_rule.entry(f.rule).or_default() += 1;
            if dump.as_deref() == Some(f.rule) {
                println!(
                    "  {} {}:{} {} {}",
                    p.name,
                    f.span.start.line,
                    f.span.start.column,
                    f.resource.as_deref().unwrap_or("-"),
                    f.message
                );
            }
        }
    }
    let reps = 20;
    let start = Instant::now();
    let mut total_findings = 0;
    for _ in 0..reps {
        for p in &prepared {
            let cx = Context {
                template: &p.template,
                graph: &p.graph,
            };
            total_findings += std::hint::black_box(rules::run(&cx)).len();
        }
    }
    let whole = start.elapsed() / reps;
    println!(
        "whole corpus: {:.3} ms per pass ({} findings)",
        whole.as_secs_f64() * 1e3,
        total_findings / reps as usize
    );
    if let Some(largest) = prepared.iter().max_by_key(|p| p.bytes) {
        let (d, n) = time_rules(largest, 100);
        println!(
            "largest template: {} ({} KiB, {} resources): {:.3} ms ({} findings)",
            largest.name,
            largest.bytes / 1024,
            largest.template.resources.len(),
            d.as_secs_f64() * 1e3,
            n
        );
    }
    let mut slowest: Vec<(Duration, &str)> = prepared
        .iter()
        .map(|p| (time_rules(p, 3).0, p.name.as_str()))
        .collect();
    slowest.sort();
    if let Some((d, name)) = slowest.last() {
        println!("slowest template: {name}: {:.3} ms", d.as_secs_f64() * 1e3);
    }
    println!("findings per rule over the corpus:");
    for (rule, n) in per_rule {
        println!("  {rule}: {n}");
    }
}
