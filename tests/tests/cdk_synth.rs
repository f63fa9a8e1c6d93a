//! A real `cdk synth`: tests/cdk-app (a REST API -> a function -> a DynamoDB table and an S3
//! bucket, and a nested stack with a public function URL) synthesized with the pinned AWS CDK
//! that scripts/bootstrap.sh installs into .tools/ (`scripts/cdk-synth.sh`; no AWS account,
//! no network), then read as one app. It never skips: without the CDK it fails and says how
//! to install it.

use std::process::Command;

use pillarlint_core::app::{self, AppKind, FileSet};
use pillarlint_tests::paths;

/// The cloud assembly, synthesized into a fresh directory: `(path relative to it, bytes)`.
fn synthesize() -> (tempfile::TempDir, Vec<(String, Vec<u8>)>) {
    let scratch = tempfile::tempdir().expect("a scratch directory");
    let out = scratch.path().join("cdk.out");
    let run = Command::new(paths::root().join("scripts/cdk-synth.sh"))
        .arg(&out)
        .output()
        .expect("scripts/cdk-synth.sh runs");
    assert!(
        run.status.success(),
        "cdk synth failed (run scripts/bootstrap.sh to install the pinned CDK into .tools/):\n{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let mut files = Vec::new();
    for e in std::fs::read_dir(&out).expect("cdk.out written") {
        let p = e.expect("entry").path();
        if p.is_file() {
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            files.push((format!("cdk.out/{name}"), std::fs::read(&p).expect("read")));
        }
    }
    files.sort();
    (scratch, files)
}

#[test]
fn a_synthesized_cdk_app_is_one_app_with_construct_paths_and_cross_stack_paths() {
    let (_scratch, files) = synthesize();
    let set: FileSet<'_> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let apps = app::analyze_set(&set);
    assert_eq!(
        apps.len(),
        1,
        "one app: {:?}",
        apps.iter().map(|a| &a.root).collect::<Vec<_>>()
    );
    let a = &apps[0];
    assert_eq!(a.kind, AppKind::Cdk);
    let reports = a.reports();
    assert_eq!(
        reports.len(),
        2,
        "the stack's template and its nested stack's"
    );
    assert!(reports.iter().all(|r| r.error.is_none()));
    let v = a.view().expect("an app view");

    // Nodes are labelled by construct path, ids stay logical ids.
    let label = |l: &str| v.nodes.iter().find(|n| n.label == l);
    let handler = label("LibraryStack/BooksHandler").expect("the handler, by construct path");
    assert!(handler.id.starts_with("BooksHandler"), "{}", handler.id);
    for l in [
        "LibraryStack/Books",
        "LibraryStack/Covers",
        "LibraryStack/LibraryApi",
    ] {
        assert!(
            label(l).is_some(),
            "{l} in {:?}",
            v.nodes.iter().map(|n| &n.label).collect::<Vec<_>>()
        );
    }

    // The parent's graph contains the nested stack's resources, boxed as that stack.
    for l in [
        "LibraryStack/PublicStack/PublicFn",
        "LibraryStack/PublicStack/PublicFn/FunctionUrl",
        "LibraryStack/PublicStack/Audit",
    ] {
        let n = label(l).unwrap_or_else(|| panic!("{l} is in the app's graph"));
        assert_eq!(n.group.as_deref(), Some("LibraryStack/PublicStack"), "{l}");
        assert!(n
            .file
            .as_deref()
            .is_some_and(|f| f.ends_with(".nested.template.json")));
    }

    // A path across the stacks: the public POST route in the parent reaches the nested
    // stack's audit table (an output read back) ...
    let audit = label("LibraryStack/PublicStack/Audit").expect("audit");
    let blast = v
        .findings
        .iter()
        .find(|f| f.rule == "AUTH012" && f.message.contains("POST /books"))
        .expect("a blast-radius finding for POST /books");
    assert!(blast.related.contains(&audit.id), "{blast:?}");
    assert!(
        blast
            .message
            .contains("LibraryStack/PublicStack/Audit (write)"),
        "{}",
        blast.message
    );
    // ... and the nested function reaches the parent's table (a parameter passed in).
    let books = label("LibraryStack/Books").expect("books");
    let public_fn = label("LibraryStack/PublicStack/PublicFn").expect("public fn");
    assert!(v
        .edges
        .iter()
        .any(|e| e.from == public_fn.id && e.to == books.id && e.kind == "access"));

    // cdk-nag's suppression (NagSuppressions on GET /books) is honoured, with its reason.
    let get = v
        .findings
        .iter()
        .find(|f| f.rule == "AUTH001" && f.message.contains("GET /books"))
        .expect("AUTH001 on GET /books");
    let s = get.suppressed.as_ref().expect("suppressed");
    assert_eq!(
        (s.by.as_str(), s.reason.as_str()),
        (
            "cdk-nag",
            "the catalogue is public: reading it needs no sign-in"
        )
    );
}

/// The checked-in cdk.out (core/tests/app-fixtures, which the core's tests read without
/// Node) is this app's output: the templates match a fresh synthesis.
#[test]
fn the_checked_in_cdk_out_is_this_apps_output() {
    let (_scratch, files) = synthesize();
    let fixture = paths::root().join("core/tests/app-fixtures");
    for (p, bytes) in &files {
        if !p.ends_with(".template.json") {
            continue;
        }
        let have = std::fs::read(fixture.join(p)).unwrap_or_default();
        assert!(
            have == *bytes,
            "core/tests/app-fixtures/{p} differs from a fresh synthesis: run scripts/cdk-synth.sh --fixture"
        );
    }
}
