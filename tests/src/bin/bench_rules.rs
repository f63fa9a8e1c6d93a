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

fn prepare_text(name: &str, text: &str) -> Option<Prepared> {
    let limits = Limits {
        ..Limits::default()
    };
    let root = parse::load(text, &limits)
        .map_err(|e| println!("{name}: {e:?}"))
        .ok()?;
    let format = parse::detect(&root).ok()?;
    let template = Template::build(root, format).ok()?;
    let graph = Graph::build(&template);
    Some(Prepared {
        name: name.to_owned(),
        bytes: text.len(),
        template,
        graph,
    })
}

/// A REST API with `n` routes, each to its own function, role and table.
fn synthetic(n: usize) -> String {
    let mut s = String::from("Resources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n");
    s.push_str("  Stage:\n    Type: AWS::ApiGateway::Stage\n    Properties: {RestApiId: !Ref Api, StageName: prod}\n");
    for i in 0..n {
        let lines = [
            format!("  R{i}:"),
            "    Type: AWS::ApiGateway::Resource".to_owned(),
            format!("    Properties: {{RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: p{i}}}"),
            format!("  M{i}:"),
            "    Type: AWS::ApiGateway::Method".to_owned(),
            "    Properties:".to_owned(),
            "      RestApiId: !Ref Api".to_owned(),
            format!("      ResourceId: !Ref R{i}"),
            "      HttpMethod: POST".to_owned(),
            "      AuthorizationType: NONE".to_owned(),
            format!("      Integration: {{Type: AWS_PROXY, IntegrationHttpMethod: POST, Uri: !Sub \"arn:aws:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/${{F{i}.Arn}}/invocations\"}}"),
            format!("  F{i}:"),
            "    Type: AWS::Lambda::Function".to_owned(),
            format!("    Properties: {{Runtime: python3.12, Handler: a.h, Code: {{ZipFile: x}}, Role: !GetAtt F{i}Role.Arn, Environment: {{Variables: {{TABLE: !Ref T{i}}}}}}}"),
            format!("  F{i}Role:"),
            "    Type: AWS::IAM::Role".to_owned(),
            "    Properties:".to_owned(),
            "      AssumeRolePolicyDocument: {}".to_owned(),
            "      Policies:".to_owned(),
            "        - PolicyName: p".to_owned(),
            format!("          PolicyDocument: {{Statement: [{{Effect: Allow, Action: [dynamodb:PutItem], Resource: !GetAtt T{i}.Arn}}]}}"),
            format!("  T{i}:"),
            "    Type: AWS::DynamoDB::Table".to_owned(),
            "    Properties: {BillingMode: PAY_PER_REQUEST}".to_owned(),
        ];
        for l in lines {
            s.push_str(&l);
            s.push('\n');
        }
    }
    s
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
    // A synthetic wide service: N functions, each behind a route, with its own role and table.
    for n in [100usize, 500] {
        let text = synthetic(n);
        let Some(p) = prepare_text(&format!("synthetic-{n}"), &text) else {
            println!("synthetic-{n}: did not parse");
            continue;
        };
        let (d, f) = time_rules(&p, 3);
        println!(
            "synthetic service with {n} functions ({} resources): {:.3} ms ({f} findings)",
            p.template.resources.len(),
            d.as_secs_f64() * 1e3
        );
        // The slowest rules on it.
        let cx = Context {
            template: &p.template,
            graph: &p.graph,
        };
        let mut per: Vec<(Duration, &str)> = rules::RULES
            .iter()
            .map(|r| {
                let start = Instant::now();
                let mut out = Vec::new();
                r.check(&cx, &mut out);
                (start.elapsed(), r.meta().id)
            })
            .collect();
        per.sort();
        per.reverse();
        let top: Vec<String> = per
            .iter()
            .take(5)
            .map(|(d, id)| format!("{id} {:.2} ms", d.as_secs_f64() * 1e3))
            .collect();
        let sum: Duration = per.iter().map(|(d, _)| *d).sum();
        println!(
            "  rules alone: {:.2} ms; slowest: {}",
            sum.as_secs_f64() * 1e3,
            top.join(", ")
        );
    }
    println!("findings per rule over the corpus:");
    for (rule, n) in per_rule {
        println!("  {rule}: {n}");
    }
}
