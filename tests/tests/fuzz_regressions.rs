//! Every input a fuzzer ever crashed on (tests/fixtures/fuzz/*) is replayed here: it must give
//! a report or a positioned error, not a panic.

use pillarlint_tests::paths;

#[test]
fn fuzz_regressions_replay_cleanly() {
    let dir = paths::root().join("tests").join("fixtures").join("fuzz");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).expect("fixtures dir").flatten() {
        let p = e.path();
        if !p.is_file() {
            continue;
        }
        n += 1;
        let bytes = std::fs::read(&p).expect("read");
        let r = pillarlint_core::report_file(&p.display().to_string(), &bytes);
        if let Some(err) = &r.error {
            assert!(
                err.line >= 1 || err.message.contains("bytes"),
                "{}: unpositioned error {err:?}",
                p.display()
            );
        }
    }
    assert!(n >= 1, "no fuzz regression fixtures in {}", dir.display());
}
