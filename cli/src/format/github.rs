//! `--format github`: GitHub Actions workflow commands (`::error file=…,line=…::message`),
//! shown as annotations on the pull request's diff.

use std::fmt::Write as _;

use pillarlint_core::rules::Severity;

use crate::run::Run;

/// Escape a command's message.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a command's property value.
fn prop(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "notice",
    }
}

pub fn render(run: &Run) -> String {
    let mut out = String::new();
    for a in &run.files {
        let r = &a.report;
        // A file of an app says which: its findings may be about paths through other files.
        let app = run
            .app_of(a)
            .map(|x| format!(" · app {}", x.name))
            .unwrap_or_default();
        if let Some(e) = &r.error {
            let _ = write!(out, "::error file={}", prop(&r.path));
            if e.line > 0 {
                let _ = write!(out, ",line={},col={}", e.line, e.column);
            }
            let _ = writeln!(
                out,
                ",title={}::{}",
                prop("pillarlint: cannot read the template"),
                data(&e.message)
            );
        }
        for f in r.active() {
            let _ = write!(
                out,
                "::{} file={},line={},col={}",
                level(f.severity),
                prop(&super::location(&r.path, f.file.as_deref())),
                f.line.max(1),
                f.column.max(1)
            );
            if f.end_line >= f.line && f.end_line > 0 {
                let _ = write!(out, ",endLine={}", f.end_line);
                if f.end_line == f.line && f.end_column > f.column {
                    let _ = write!(out, ",endColumn={}", f.end_column);
                }
            }
            let title = format!(
                "{} ({} · {}{app})",
                f.rule,
                f.severity.as_str(),
                f.pillar.as_str()
            );
            let mut msg = f.message.clone();
            if !f.remediation.is_empty() {
                msg.push_str("\nFix: ");
                msg.push_str(&f.remediation);
            }
            let _ = writeln!(out, ",title={}::{}", prop(&title), data(&msg));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(data("50%\na"), "50%25%0Aa");
        assert_eq!(prop("a:b,c"), "a%3Ab%2Cc");
    }
}
