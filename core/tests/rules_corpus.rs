//! Every rule over every corpus template: no panic, and every finding is well-formed
//! (its resource and related ids exist, its position is inside the file, its pillar and id
//! match a registered rule).

use std::path::PathBuf;

fn corpus_files() -> Vec<PathBuf> {
    let root = std::env::var_os("PILLARLINT_CORPUS").map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("..")
                .join("..")
                .join("shared")
                .join("corpus")
        },
        PathBuf::from,
    );
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n != "SOURCES.tsv") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn no_rule_panics_and_findings_are_well_formed() {
    let files = corpus_files();
    assert!(
        files.len() > 100,
        "corpus not found ({} files)",
        files.len()
    );
    let mut problems = Vec::new();
    let mut analysed = 0;
    for path in files {
        let bytes = std::fs::read(&path).expect("readable");
        let name = path.display().to_string();
        let result = std::panic::catch_unwind(|| pillarlint_core::analyze_bytes(&bytes));
        let Ok(outcome) = result else {
            problems.push(format!("{name}: panicked"));
            continue;
        };
        let Ok(a) = outcome else { continue };
        analysed += 1;
        let lines = String::from_utf8_lossy(&bytes).lines().count() as u32 + 1;
        for f in &a.findings {
            let Some(rule) = pillarlint_core::rules::rule(f.rule) else {
                problems.push(format!("{name}: unknown rule {}", f.rule));
                continue;
            };
            if rule.meta().pillar != f.pillar {
                problems.push(format!("{name}: {} has the wrong pillar", f.rule));
            }
            if f.span.start.line == 0 || f.span.start.line > lines {
                problems.push(format!(
                    "{name}: {} at line {} of {lines}",
                    f.rule, f.span.start.line
                ));
            }
            for id in f.resource.iter().chain(f.related.iter()) {
                // Route resources may name what a user edits for a generated route (a SAM
                // function event), which the graph records on the route itself.
                let known = a.template.resource(id).is_some()
                    || a.graph.has(id)
                    || a.graph
                        .edges()
                        .any(|e| e.route.as_ref().is_some_and(|r| &r.resource == id));
                if !known {
                    problems.push(format!("{name}: {} names unknown id {id}", f.rule));
                }
            }
            if f.message.is_empty() || f.remediation.is_empty() {
                problems.push(format!(
                    "{name}: {} has an empty message or remediation",
                    f.rule
                ));
            }
        }
    }
    assert!(analysed > 300, "only {analysed} corpus files analysed");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
