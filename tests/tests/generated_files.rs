//! Files generated from the code and committed, so that builds need no generator step:
//! each must equal what the code generates now. `PILLARLINT_BLESS=1 cargo test -p
//! pillarlint-tests --test generated_files` rewrites them.

use pillarlint_tests::paths;

fn check_fresh(rel: &str, want: &str) {
    let path = paths::root().join(rel);
    if std::env::var_os("PILLARLINT_BLESS").is_some() {
        std::fs::write(&path, want).expect("write the generated file");
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "{rel} is stale: run `PILLARLINT_BLESS=1 cargo test -p pillarlint-tests --test generated_files`"
    );
}

/// The rule docs the web app's rule pages load (the app's wasm is built without them).
#[test]
fn rule_docs_json_is_fresh() {
    let json = pillarlint_core::rules::docs_json();
    let parsed: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&json).expect("docs_json is JSON");
    assert_eq!(parsed.len(), pillarlint_core::rules::RULES.len());
    for r in pillarlint_core::rules::RULES {
        let m = r.meta();
        let docs = parsed
            .get(m.id)
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        assert!(docs.contains("## What it does"), "{}: docs present", m.id);
        assert_eq!(docs, m.docs, "{}", m.id);
    }
    check_fresh("static/rule-docs.json", &json);
}
