//! Glob-driven rule fixtures: `fixtures/<pillar>/<RULE-ID>/{pass_*,fail_*}.yaml`.
//!
//! - A `pass_*` file must produce no finding of its rule.
//! - A `fail_*` file must produce at least one, and its findings (position of the offending
//!   property, resource, related ids, condition, severity, message) must match the reviewed
//!   snapshot `snapshots/<RULE-ID>__<file>.snap`, rendered with the source line and a caret.
//!   A missing snapshot fails the test; run with `UPDATE_SNAPSHOTS=1` to write it, then
//!   review the diff before committing.

use std::path::{Path, PathBuf};

use pillarlint_core::rules::{rule, Finding};

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
}

fn snapshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("snapshots")
}

/// Every `(rule id, file)` under `fixtures/<pillar>/<RULE>/`.
fn fixture_files() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let Ok(pillars) = std::fs::read_dir(fixtures_root()) else {
        return out;
    };
    for p in pillars.flatten().filter(|p| p.path().is_dir()) {
        for r in std::fs::read_dir(p.path()).expect("pillar dir").flatten() {
            if !r.path().is_dir() {
                continue;
            }
            let id = r.file_name().to_string_lossy().into_owned();
            for f in std::fs::read_dir(r.path()).expect("rule dir").flatten() {
                out.push((id.clone(), f.path()));
            }
        }
    }
    out.sort();
    out
}

/// The findings of `id` rendered as a reviewable snapshot.
pub fn render(text: &str, findings: &[&Finding]) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    for f in findings {
        let l = f.span.start.line as usize;
        let c = f.span.start.column as usize;
        out.push_str(&format!(
            "{} {} at {}:{} resource={} related=[{}]{}{}{}\n",
            f.rule,
            f.severity.as_str(),
            l,
            c,
            f.resource.as_deref().unwrap_or("-"),
            f.related.join(","),
            f.edge
                .as_ref()
                .map(|e| format!(" edge={}>{}", e.from, e.to))
                .unwrap_or_default(),
            f.condition
                .as_ref()
                .map(|c| format!(" condition={c}"))
                .unwrap_or_default(),
            f.suppressed
                .as_ref()
                .map(|s| format!(" suppressed-by={}", s.by))
                .unwrap_or_default(),
        ));
        if let Some(src) = l.checked_sub(1).and_then(|i| lines.get(i)) {
            out.push_str(&format!(
                "  | {src}\n  | {}^\n",
                " ".repeat(c.saturating_sub(1))
            ));
        }
        out.push_str(&format!("  = {}\n  help: {}\n", f.message, f.remediation));
    }
    out
}

#[test]
fn every_rule_has_pass_and_fail_fixtures() {
    let files = fixture_files();
    let mut missing = Vec::new();
    for r in pillarlint_core::rules::RULES {
        let id = r.meta().id;
        let has = |prefix: &str| {
            files.iter().any(|(rid, p)| {
                rid == id
                    && p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
            })
        };
        if !has("pass_") || !has("fail_") {
            missing.push(id);
        }
    }
    assert!(
        missing.is_empty(),
        "rules without pass_ and fail_ fixtures: {missing:?}"
    );
}

#[test]
fn fixtures_match_their_rule_and_snapshots() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut failures = Vec::new();
    let files = fixture_files();
    assert!(!files.is_empty(), "no fixtures found");
    for (id, path) in files {
        assert!(
            rule(&id).is_some(),
            "fixture dir {} names no rule",
            path.display()
        );
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&path).expect("fixture readable");
        let analysis = match pillarlint_core::analyze_text(&text) {
            Ok(a) => a,
            Err(e) => {
                failures.push(format!("{}: does not parse: {e:?}", path.display()));
                continue;
            }
        };
        let mine: Vec<&Finding> = analysis.findings.iter().filter(|f| f.rule == id).collect();
        if name.starts_with("pass_") {
            if !mine.is_empty() {
                failures.push(format!(
                    "{}: expected no {id} finding, got:\n{}",
                    path.display(),
                    render(&text, &mine)
                ));
            }
            continue;
        }
        if mine.is_empty() {
            failures.push(format!(
                "{}: expected a {id} finding, got none",
                path.display()
            ));
            continue;
        }
        let got = render(&text, &mine);
        let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
        let snap = snapshot_dir().join(format!("{id}__{stem}.snap"));
        match std::fs::read_to_string(&snap) {
            Ok(want) if want == got => {}
            _ if update => {
                std::fs::create_dir_all(snapshot_dir()).expect("snapshot dir");
                std::fs::write(&snap, &got).expect("write snapshot");
            }
            Ok(want) => failures.push(format!(
                "{}: snapshot differs\n--- want\n{want}--- got\n{got}",
                path.display()
            )),
            Err(_) => failures.push(format!(
                "{}: no snapshot {} (run with UPDATE_SNAPSHOTS=1 and review)",
                path.display(),
                snap.display()
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
