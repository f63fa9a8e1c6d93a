//! Public Terraform files (serverless patterns and the terraform-aws-modules API Gateway
//! module, listed with their repository, commit and licence in
//! tests/fixtures/terraform-corpus/SOURCES.tsv) are read without a panic; they all read,
//! and cut anywhere they give a positioned error or a report. The files are vendored,
//! unmodified, beside the manifest (tests/fixtures/terraform-corpus, attributions in its
//! README.md); `PILLARLINT_TF_CORPUS` points the test at another folder holding the same files.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use pillarlint_tests::paths::root;

fn corpus_dir() -> PathBuf {
    std::env::var_os("PILLARLINT_TF_CORPUS").map_or_else(
        || {
            root()
                .join("tests")
                .join("fixtures")
                .join("terraform-corpus")
        },
        PathBuf::from,
    )
}

/// The files SOURCES.tsv lists, with their text.
fn corpus() -> Vec<(String, String)> {
    let manifest = root().join("tests/fixtures/terraform-corpus/SOURCES.tsv");
    let list = std::fs::read_to_string(&manifest).expect("the manifest");
    let dir = corpus_dir();
    list.lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .filter(|f| !f.is_empty())
        .map(|f| {
            let text = std::fs::read_to_string(dir.join(f)).unwrap_or_else(|e| {
                panic!(
                    "{f} of the Terraform corpus is missing from {} ({e}); restore the files SOURCES.tsv lists",
                    dir.display()
                )
            });
            (f.to_owned(), text)
        })
        .collect()
}

fn report(text: &str) -> pillarlint_core::report::FileReport {
    pillarlint_core::report_module("corpus", &[(String::new(), text.as_bytes().to_vec())])
}

#[test]
fn public_terraform_reads_without_panic() {
    let files = corpus();
    assert!(files.len() >= 5, "{} files", files.len());
    let mut nodes = 0;
    for (name, text) in &files {
        let r = catch_unwind(AssertUnwindSafe(|| report(text)))
            .unwrap_or_else(|_| panic!("{name}: panicked"));
        assert!(r.error.is_none(), "{name}: {:?}", r.error);
        assert_eq!(
            r.format,
            Some(pillarlint_core::parse::Format::Terraform),
            "{name}"
        );
        nodes += r.nodes.len();
        // every warning points into the file
        let lines = u32::try_from(text.lines().count()).unwrap_or(u32::MAX);
        for w in &r.warnings {
            assert!(w.line >= 1 && w.line <= lines, "{name}: {w:?}");
        }
    }
    assert!(nodes >= 10, "only {nodes} nodes");
}

#[test]
fn cut_anywhere_public_terraform_gives_a_report_or_a_positioned_error() {
    for (name, text) in corpus() {
        let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let step = (bounds.len() / 60).max(1);
        for &cut in bounds.iter().step_by(step) {
            let part = &text[..cut];
            let r = catch_unwind(AssertUnwindSafe(|| report(part)))
                .unwrap_or_else(|_| panic!("{name} cut at {cut}: panicked"));
            if let Some(e) = r.error {
                let lines = u32::try_from(part.lines().count().max(1)).unwrap_or(u32::MAX) + 1;
                assert!(
                    e.line >= 1 && e.line <= lines && e.column >= 1,
                    "{name} cut at {cut}: {e:?}"
                );
            }
        }
    }
}
