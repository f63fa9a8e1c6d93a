//! Robustness: every rule over mutated fixtures. Each fixture is converted to JSON and, at
//! pseudo-random positions, a value is swapped for something a real template might hold
//! there instead: an `Fn::If` with an `AWS::NoValue` branch, an import, a `Ref` to an
//! unknown name, null, an empty list or map, a number. No rule may panic, and every finding
//! must still name existing resources.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

fn fixture_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A tiny deterministic generator (no dependency needed).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

fn count(v: &Value) -> usize {
    1 + match v {
        Value::Array(a) => a.iter().map(count).sum(),
        Value::Object(m) => m.values().map(count).sum(),
        _ => 0,
    }
}

/// Replace the `target`-th node (pre-order) with `with`.
fn replace_nth(v: &mut Value, target: &mut usize, with: &Value) -> bool {
    if *target == 0 {
        *v = with.clone();
        return true;
    }
    *target -= 1;
    match v {
        Value::Array(a) => a.iter_mut().any(|x| replace_nth(x, target, with)),
        Value::Object(m) => m.values_mut().any(|x| replace_nth(x, target, with)),
        _ => false,
    }
}

#[test]
fn rules_survive_mutated_templates() {
    let replacements = [
        json!({"Fn::If": ["Cond", "x", {"Ref": "AWS::NoValue"}]}),
        json!({"Fn::ImportValue": "shared-thing"}),
        json!({"Ref": "NoSuchThing"}),
        json!({"Fn::Sub": "${NoSuchThing.Arn}/*"}),
        json!({"Fn::GetAtt": ["NoSuchThing"]}),
        json!(null),
        json!([]),
        json!({}),
        json!(42),
        json!("*"),
    ];
    let mut rng = Lcg(0x5eed);
    let mut runs = 0;
    for path in fixture_files() {
        let text = std::fs::read_to_string(&path).expect("readable");
        let Ok(a) = pillarlint_core::analyze_text(&text) else {
            continue;
        };
        let base = a.template.root.to_json();
        let n = count(&base);
        for _ in 0..12 {
            let mut doc = base.clone();
            let mut at = (rng.next() as usize) % n.max(1);
            let with = &replacements[(rng.next() as usize) % replacements.len()];
            replace_nth(&mut doc, &mut at, with);
            let mutated = serde_json::to_string(&doc).expect("serialises");
            let result = std::panic::catch_unwind(|| pillarlint_core::analyze_text(&mutated));
            let outcome = result
                .unwrap_or_else(|_| panic!("panic on a mutation of {}: {mutated}", path.display()));
            runs += 1;
            if let Ok(a) = outcome {
                for f in &a.findings {
                    for id in f.resource.iter().chain(f.related.iter()) {
                        let known = a.template.resource(id).is_some()
                            || a.graph.has(id)
                            || a.graph
                                .edges()
                                .any(|e| e.route.as_ref().is_some_and(|r| &r.resource == id));
                        assert!(
                            known,
                            "{} names unknown id {id} on a mutation of {}",
                            f.rule,
                            path.display()
                        );
                    }
                }
            }
        }
    }
    assert!(runs > 1000, "only {runs} mutated runs");
}
