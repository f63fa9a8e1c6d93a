//! The graph builds on every corpus template without panicking, and its edges always
//! join nodes that exist.

#[path = "../../tests/src/paths.rs"]
mod paths;

use pillarlint_core::graph::Graph;
use pillarlint_core::model::Template;
use pillarlint_core::parse;

#[test]
fn no_panic_on_any_corpus_file() {
    let files = paths::corpus_files();
    assert!(
        files.len() > 300,
        "corpus not found: {}",
        paths::corpus().display()
    );
    let mut built = 0;
    let mut edges = 0;
    for f in &files {
        let Ok(bytes) = std::fs::read(f) else {
            continue;
        };
        let Ok(text) = parse::decode(&bytes) else {
            continue;
        };
        let Ok(root) = parse::load(text, &parse::Limits::default()) else {
            continue;
        };
        let Ok(format) = parse::detect(&root) else {
            continue;
        };
        let Ok(t) = Template::build(root, format) else {
            continue;
        };
        let g = std::panic::catch_unwind(|| Graph::build(&t))
            .unwrap_or_else(|_| panic!("graph build panicked on {}", f.display()));
        for e in g.edges() {
            assert!(
                g.has(&e.from) && g.has(&e.to),
                "{}: dangling edge {e:?}",
                f.display()
            );
        }
        for r in g.routes() {
            assert!(
                g.has(&r.api) && g.has(&r.target),
                "{}: route {}",
                f.display(),
                r.key
            );
        }
        // Every resource is a node or attached to one: nothing is dropped.
        for r in &t.resources {
            assert!(
                g.has(&r.id) || g.attached.contains_key(&r.id),
                "{}: resource {} ({}) neither node nor attached",
                f.display(),
                r.id,
                r.type_
            );
        }
        built += 1;
        edges += g.edges().count();
    }
    assert!(built > 300, "only {built} templates built");
    assert!(
        edges > 500,
        "suspiciously few edges over the corpus: {edges}"
    );
}
