//! `--format markdown`: a report for a pull-request comment — a per-pillar table, the
//! findings per file, and a permalink to each analysis in the web app.

use std::fmt::Write as _;

use pillarlint_core::permalink::{self, State};
use pillarlint_core::rules::{Pillar, Severity};

use super::{app_heading, Summary};
use crate::run::{Analysed, Run};

/// Markdown table cells must not break the table.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// A permalink for a file: the redacted text when it fits, else findings only.
pub fn file_link(a: &Analysed, base: &str) -> Option<String> {
    let mut state = match &a.text {
        Some(t) if a.report.error.is_none() => State::with_text(permalink::redact_secrets(t)),
        _ => return None,
    };
    state.path = Some(a.report.path.clone());
    permalink::link(&state, base, false)
        .or_else(|_| permalink::link(&State::findings_only(&a.report), base, false))
        .ok()
}

/// A permalink for an app: every template of it (redacted) when that fits, else the app's
/// graph and findings only.
pub fn app_link(run: &Run, a: &Analysed, base: &str) -> Option<String> {
    let app = run.app_of(a)?;
    let text = |p: &str| {
        run.files
            .iter()
            .find(|f| f.app == a.app && f.report.path == p)
            .and_then(|f| f.text.as_deref())
            .map(permalink::redact_secrets)
    };
    let files = pillarlint_core::app::share::link_files(app, &text);
    let mut state = State::with_files(files);
    state.path = state.path.take().or_else(|| Some(app.name.clone()));
    permalink::link(&state, base, false)
        .or_else(|_| {
            let mut r = app.as_report();
            r.path.clone_from(&app.name);
            permalink::link(&State::findings_only(&r), base, false)
        })
        .ok()
}

pub fn render(run: &Run, base: &str) -> String {
    let files = &run.files;
    let s = Summary::of(run);
    let mut out = String::new();
    let verdict = if s.findings == 0 && s.errors == 0 {
        "no findings".to_owned()
    } else {
        format!(
            "{} finding{} in {} file{}",
            s.findings,
            if s.findings == 1 { "" } else { "s" },
            s.files,
            if s.files == 1 { "" } else { "s" }
        )
    };
    let _ = writeln!(out, "## pillarlint: {verdict}\n");
    let _ = writeln!(out, "| Pillar | Critical | High | Medium | Low | Total |");
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|");
    for p in Pillar::ALL {
        let _ = write!(out, "| {} (`{}`) |", p.title(), p.as_str());
        for sev in Severity::ALL.iter().rev() {
            let _ = write!(out, " {} |", s.count(p, *sev));
        }
        let _ = writeln!(out, " **{}** |", s.by_pillar(p));
    }
    out.push('\n');
    if s.suppressed > 0 {
        let _ = writeln!(out, "{} suppressed finding(s) not shown.\n", s.suppressed);
    }
    let mut app_shown = None;
    for a in files {
        let r = &a.report;
        let active: Vec<_> = r.active().collect();
        let app = run.app_of(a);
        if let Some(app) = app.filter(|_| app_shown != a.app) {
            let _ = writeln!(
                out,
                "### App `{}`\n",
                cell(&app_heading(app)).replace('`', "'")
            );
            if let Some(link) = app_link(run, a, base) {
                let _ = writeln!(
                    out,
                    "[Open this app in pillarlint]({link}) (secret-looking values redacted)\n"
                );
            }
            app_shown = a.app;
        }
        if r.error.is_none() && active.is_empty() {
            continue;
        }
        let heading = if app.is_some() { "####" } else { "###" };
        let _ = writeln!(out, "{heading} `{}`\n", r.path.replace('`', "'"));
        if let Some(e) = &r.error {
            let _ = writeln!(
                out,
                "> **Error** at line {}, column {}: {}\n",
                e.line,
                e.column,
                cell(&e.message)
            );
        }
        if !active.is_empty() {
            let _ = writeln!(
                out,
                "| Severity | Rule | Pillar | Resource | Line | Finding |"
            );
            let _ = writeln!(out, "|---|---|---|---|---:|---|");
            for f in &active {
                let _ = writeln!(
                    out,
                    "| {} | `{}` | {} | {} | {} | {} |",
                    f.severity.as_str(),
                    f.rule,
                    f.pillar.as_str(),
                    f.construct_path
                        .as_deref()
                        .or(f.resource.as_deref())
                        .map(|r| format!("`{}`", cell(r)))
                        .unwrap_or_default(),
                    f.line,
                    cell(&f.message)
                );
            }
            out.push('\n');
            let _ = writeln!(out, "<details><summary>How to fix</summary>\n");
            for f in &active {
                let _ = writeln!(
                    out,
                    "- **{}** line {}: {}",
                    f.rule,
                    f.line,
                    cell(&f.remediation)
                );
            }
            let _ = writeln!(out, "\n</details>\n");
        }
        if let Some(link) = file_link(a, base).filter(|_| app.is_none()) {
            let _ = writeln!(
                out,
                "[Open this analysis in pillarlint]({link}) (secret-looking values redacted)\n"
            );
        }
    }
    if s.errors > 0 {
        let _ = writeln!(out, "{} file(s) could not be read.\n", s.errors);
    }
    let _ = writeln!(
        out,
        "<sub>pillarlint {}</sub>",
        pillarlint_core::report::VERSION
    );
    out
}
