//! Output formats.

pub mod github;
pub mod markdown;
pub mod sarif;
pub mod text;

use pillarlint_core::rules::{Pillar, Severity};

use crate::run::{Analysed, Run};

/// The file a finding is in: the report's path, or a module file under the module's
/// directory.
pub fn location(path: &str, file: Option<&str>) -> String {
    match file {
        Some(f) => format!("{}/{f}", path.trim_end_matches('/')),
        None => path.to_owned(),
    }
}

/// Counts over a run (unsuppressed findings only, unless said otherwise).
#[derive(Debug, Default)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub findings: usize,
    pub suppressed: usize,
    /// (pillar, severity) -> count.
    cells: Vec<(Pillar, Severity, usize)>,
}

impl Summary {
    pub fn of(run: &Run) -> Self {
        let files: &[Analysed] = &run.files;
        let mut s = Summary {
            files: files.len(),
            ..Summary::default()
        };
        for a in files {
            if a.report.error.is_some() {
                s.errors += 1;
            }
            for f in &a.report.findings {
                if f.suppressed.is_some() {
                    s.suppressed += 1;
                    continue;
                }
                s.findings += 1;
                match s
                    .cells
                    .iter_mut()
                    .find(|(p, v, _)| *p == f.pillar && *v == f.severity)
                {
                    Some(c) => c.2 += 1,
                    None => s.cells.push((f.pillar, f.severity, 1)),
                }
            }
        }
        s
    }

    pub fn count(&self, p: Pillar, sev: Severity) -> usize {
        self.cells
            .iter()
            .filter(|(x, y, _)| *x == p && *y == sev)
            .map(|c| c.2)
            .sum()
    }

    pub fn by_pillar(&self, p: Pillar) -> usize {
        self.cells.iter().filter(|c| c.0 == p).map(|c| c.2).sum()
    }

    pub fn by_severity(&self, s: Severity) -> usize {
        self.cells.iter().filter(|c| c.1 == s).map(|c| c.2).sum()
    }
}

/// How an app is introduced above its files: `cdk.out — CDK app, 2 stacks: A, A/B`.
pub fn app_heading(app: &pillarlint_core::report::AppOut) -> String {
    let kind = match app.kind.as_str() {
        "cdk" => "CDK app",
        "serverless" => "Serverless service with included files",
        _ => "nested stacks",
    };
    let templates = app
        .files
        .iter()
        .filter(|f| f.role == "template" || f.role == "include")
        .count();
    let mut s = format!(
        "{} — {kind}, {templates} file{}",
        app.name,
        if templates == 1 { "" } else { "s" }
    );
    // The root stack of a template is the template itself: name the nested ones.
    let names: Vec<&str> = app
        .stacks
        .iter()
        .filter(|s| s.node.is_some() || app.kind == "cdk")
        .map(|s| s.name.as_str())
        .collect();
    if !names.is_empty() {
        let what = if app.kind == "cdk" {
            "stack"
        } else {
            "nested stack"
        };
        s.push_str(&format!(
            ", {} {what}{}: {}",
            names.len(),
            if names.len() == 1 { "" } else { "s" },
            names.join(", ")
        ));
    }
    s
}
