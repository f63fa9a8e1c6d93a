//! Where things are, relative to the workspace root.

use std::path::PathBuf;

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// `../shared/corpus` beside the project (CI lays `shared/` beside the clone).
pub fn corpus() -> PathBuf {
    if let Ok(p) = std::env::var("PILLARLINT_CORPUS") {
        return PathBuf::from(p);
    }
    root().join("..").join("shared").join("corpus")
}

/// Every template file of the corpus, sorted.
pub fn corpus_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![corpus()];
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
