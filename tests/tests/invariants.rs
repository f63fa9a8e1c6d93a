//! Invariants of the analysis, over the whole corpus and over generated templates:
//! - analysis is deterministic (same input, same report, byte for byte);
//! - every finding's position lies inside the input;
//! - every id an edge or a finding names exists: edge ends are nodes; a finding's resource
//!   and related ids are nodes or facts attached to a node (so the UI can place them).

use std::collections::BTreeSet;

use pillarlint_core::report::FileReport;
use pillarlint_tests::paths;
use proptest::prelude::*;

fn check_invariants(name: &str, text: &str, r: &FileReport) {
    if r.error.is_some() {
        let e = r
            .error
            .as_ref()
            .map(|e| (e.line, e.column))
            .unwrap_or_default();
        let lines = text.lines().count().max(1) as u32;
        assert!(
            e.0 >= 1 && e.0 <= lines + 1,
            "{name}: error line {} outside 1..={}",
            e.0,
            lines + 1
        );
        return;
    }
    let lines: Vec<&str> = text.split('\n').collect();
    for f in &r.findings {
        assert!(
            f.line >= 1 && (f.line as usize) <= lines.len(),
            "{name}: {} at line {} outside the input",
            f.rule,
            f.line
        );
        let len = lines[f.line as usize - 1].chars().count() as u32;
        assert!(
            f.column >= 1 && f.column <= len + 1,
            "{name}: {} at {}:{} past the line's end ({len})",
            f.rule,
            f.line,
            f.column
        );
    }
    let nodes: BTreeSet<&str> = r.nodes.iter().map(|n| n.id.as_str()).collect();
    let placeable: BTreeSet<&str> = r
        .nodes
        .iter()
        .flat_map(|n| {
            std::iter::once(n.id.as_str()).chain(n.facts.iter().filter_map(|f| f.id.as_deref()))
        })
        .collect();
    for e in &r.edges {
        assert!(
            nodes.contains(e.from.as_str()) && nodes.contains(e.to.as_str()),
            "{name}: edge {} -> {} has a missing end",
            e.from,
            e.to
        );
    }
    for f in &r.findings {
        if let Some(res) = &f.resource {
            assert!(
                placeable.contains(res.as_str()),
                "{name}: {} names resource {res}, which is neither a node nor attached to one",
                f.rule
            );
        }
        for rel in &f.related {
            assert!(
                placeable.contains(rel.as_str()),
                "{name}: {} relates {rel}, which is neither a node nor attached to one",
                f.rule
            );
        }
        if let Some(e) = &f.edge {
            assert!(
                r.edges.iter().any(|x| x.from == e.from && x.to == e.to),
                "{name}: {} is about edge {} -> {}, which does not exist",
                f.rule,
                e.from,
                e.to
            );
        }
    }
}

fn analyse_twice(name: &str, bytes: &[u8]) -> FileReport {
    let a = pillarlint_core::report_file(name, bytes);
    let b = pillarlint_core::report_file(name, bytes);
    let (ja, jb) = (
        serde_json::to_string(&a).expect("json"),
        serde_json::to_string(&b).expect("json"),
    );
    assert_eq!(ja, jb, "{name}: two analyses of the same input differ");
    a
}

#[test]
fn corpus_invariants() {
    let files = paths::corpus_files();
    assert!(
        files.len() > 300,
        "the corpus is missing: {} files under {}",
        files.len(),
        paths::corpus().display()
    );
    for p in files {
        let bytes = std::fs::read(&p).expect("read");
        let name = p.display().to_string();
        let r = analyse_twice(&name, &bytes);
        check_invariants(&name, &String::from_utf8_lossy(&bytes), &r);
    }
}

const TYPES: &[&str] = &[
    "AWS::Lambda::Function",
    "AWS::IAM::Role",
    "AWS::DynamoDB::Table",
    "AWS::S3::Bucket",
    "AWS::SQS::Queue",
    "AWS::SNS::Topic",
    "AWS::ApiGateway::RestApi",
    "AWS::ApiGateway::Method",
    "AWS::ApiGateway::Resource",
    "AWS::Lambda::Permission",
    "AWS::Serverless::Function",
    "AWS::Serverless::Api",
    "AWS::Logs::LogGroup",
    "AWS::Custom::Thing",
];

/// A property value: a literal, a reference to another resource, or an intrinsic.
fn value(n: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z*:]{0,12}".prop_map(|s| format!("\"{s}\"")),
        (0..n).prop_map(|i| format!("!Ref R{i}")),
        (0..n).prop_map(|i| format!("!GetAtt R{i}.Arn")),
        (0..n).prop_map(|i| format!("!Sub \"arn:aws:s3:::${{R{i}}}/*\"")),
        Just("!ImportValue Shared".to_owned()),
        Just("{\"Fn::If\": [C, \"*\", !Ref AWS::NoValue]}".to_owned()),
        Just("[\"*\"]".to_owned()),
    ]
}

fn template() -> impl Strategy<Value = String> {
    (1usize..12).prop_flat_map(|n| {
        let res = proptest::collection::vec(
            (0..TYPES.len(), proptest::collection::vec(("(Role|Handler|Runtime|Action|Resource|RestApiId|ResourceId|FunctionName|Path|Method|AuthorizationType|Environment|Policies|Events)", value(n)), 0..6)),
            n,
        );
        (Just(n), res, any::<bool>())
    })
    .prop_map(|(_, res, sam)| {
        let mut s = String::new();
        if sam {
            s.push_str("Transform: AWS::Serverless-2016-10-31\n");
        }
        s.push_str("Conditions:\n  C: !Equals [a, b]\nResources:\n");
        for (i, (t, props)) in res.into_iter().enumerate() {
            s.push_str(&format!("  R{i}:\n    Type: {}\n    Properties:\n      Dummy: 1\n", TYPES[t]));
            let mut seen = BTreeSet::new();
            for (k, v) in props {
                if seen.insert(k.clone()) {
                    s.push_str(&format!("      {k}: {v}\n"));
                }
            }
        }
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn generated_templates_keep_the_invariants(text in template()) {
        let r = analyse_twice("generated.yaml", text.as_bytes());
        check_invariants("generated.yaml", &text, &r);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let r = analyse_twice("arbitrary.yaml", text.as_bytes());
        check_invariants("arbitrary.yaml", &text, &r);
    }
}
