//! Every corpus template is read (parsed, detected, modelled) without a panic; exactly the
//! genuinely broken ones fail, each with a positioned error of the expected kind.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use pillarlint_core::model::Template;
use pillarlint_core::parse::{self, Limits, ParseError};
use pillarlint_tests::paths::{corpus, corpus_files};

fn read(bytes: &[u8]) -> Result<Template, ParseError> {
    let text = parse::decode(bytes)?;
    let root = parse::load(text, &Limits::default())?;
    let format = parse::detect(&root)?;
    Template::build(root, format)
}

/// The files that must fail, and a word their error must contain.
const EXPECTED_FAILURES: &[(&str, &str)] = &[
    // Rain-module templates: a resource whose Type is a module needs `rain pkg` first.
    (
        "cfn/aws-cloudformation__aws-cloudformation-templates__CloudFormation__StackSets__common-resources.json",
        "Rain module",
    ),
    (
        "cfn/aws-cloudformation__aws-cloudformation-templates__CloudFormation__StackSets__common-resources.yaml",
        "Rain module",
    ),
    // YAML syntax errors.
    (
        "sam/aws-samples__serverless-patterns__apigw-custom-domain-edge__template.yaml",
        "invalid YAML",
    ),
    (
        "sam/aws-samples__serverless-patterns__rds-sns-event-notification__template.yaml",
        "invalid YAML",
    ),
    // Duplicate keys (CloudFormation rejects them).
    (
        "sam/aws-samples__serverless-patterns__appsync-dynamodb-singletable__template.yaml",
        "duplicate key",
    ),
    (
        "sam/aws-samples__serverless-patterns__cognito-sns-sms-origination-id-sam__template.yaml",
        "duplicate key",
    ),
    (
        "sam/aws-samples__serverless-patterns__sam-webapp-cognito__template.yaml",
        "duplicate key",
    ),
    (
        "sam/aws-samples__serverless-patterns__vpc-lattice-lambda__template.yaml",
        "duplicate key",
    ),
];

#[test]
fn whole_corpus_reads_without_panic_and_only_broken_files_fail() {
    let base = corpus();
    let files = corpus_files();
    assert!(
        files.len() >= 353,
        "corpus not found or incomplete at {}: {} files",
        base.display(),
        files.len()
    );
    let mut failures: BTreeMap<String, ParseError> = BTreeMap::new();
    let mut panics = Vec::new();
    let mut resources = 0usize;
    for path in &files {
        let rel = path
            .strip_prefix(&base)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = std::fs::read(path).expect("corpus file is readable");
        match catch_unwind(AssertUnwindSafe(|| read(&bytes))) {
            Ok(Ok(t)) => resources += t.resources.len(),
            Ok(Err(e)) => {
                failures.insert(rel, e);
            }
            Err(_) => panics.push(rel),
        }
    }
    assert!(panics.is_empty(), "panicked on: {panics:#?}");
    let got: Vec<&str> = failures.keys().map(String::as_str).collect();
    let mut want: Vec<&str> = EXPECTED_FAILURES.iter().map(|(f, _)| *f).collect();
    want.sort_unstable();
    assert_eq!(
        got, want,
        "unexpected set of failing files; errors: {failures:#?}"
    );
    for (file, word) in EXPECTED_FAILURES {
        let e = &failures[*file];
        assert!(
            e.message.contains(word),
            "{file}: expected an error about `{word}`, got {e}"
        );
        assert!(e.line >= 1 && e.column >= 1, "{file}: unpositioned {e}");
    }
    // The corpus is real: thousands of resources come out of it.
    assert!(resources > 3000, "only {resources} resources read");
}

#[test]
fn whole_corpus_analyzes_without_panic() {
    // The full pipeline (graph + rules) must not panic on anything the model accepts.
    let mut panics = Vec::new();
    for path in corpus_files() {
        let bytes = std::fs::read(&path).expect("corpus file is readable");
        if catch_unwind(AssertUnwindSafe(|| {
            let _ = pillarlint_core::analyze_bytes(&bytes);
        }))
        .is_err()
        {
            panics.push(path.display().to_string());
        }
    }
    assert!(panics.is_empty(), "panicked on: {panics:#?}");
}
