//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it (`pillarlint_core::sarif`,
//! which the web app's export writes too), with paths as this run found them.

use std::path::Path;

use pillarlint_core::sarif::{self, Input};
use serde_json::{json, Value};

use crate::run::Run;

/// A report path as a SARIF URI: relative (to the repository root, `%SRCROOT%`) when it
/// can be, `file://` when absolute outside the working directory.
fn artifact(path: &str) -> Value {
    let p = Path::new(path);
    let rel = if p.is_absolute() {
        std::env::current_dir()
            .ok()
            .and_then(|cwd| p.strip_prefix(cwd).ok().map(Path::to_path_buf))
    } else {
        Some(p.to_path_buf())
    };
    match rel {
        Some(r) => sarif::relative_artifact(&r.to_string_lossy().replace('\\', "/")),
        None => json!({ "uri": format!("file://{}", sarif::encode_uri(&path.replace('\\', "/"))) }),
    }
}

/// The SARIF log. `base`: the configured base URL, if any (see [`pillarlint_core::sarif::help_uri`]).
pub fn render(run: &Run, base: Option<&str>) -> Value {
    let files: Vec<Input<'_>> = run
        .files
        .iter()
        .map(|a| Input {
            report: &a.report,
            app: run.app_of(a).map(|app| app.name.as_str()),
        })
        .collect();
    sarif::render(&files, base, &|path, file| {
        artifact(&super::location(path, file))
    })
}
