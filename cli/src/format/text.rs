//! `--format text`: compact, grouped by file, a code frame per finding, a per-pillar summary.

use std::fmt::Write as _;

use pillarlint_core::rules::{Pillar, Severity};

use super::{app_heading, Summary};
use crate::run::Run;

/// ANSI styles, or nothing.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }
    fn bold(self, s: &str) -> String {
        self.paint("1", s)
    }
    fn dim(self, s: &str) -> String {
        self.paint("2", s)
    }
    fn sev(self, s: Severity) -> String {
        let code = match s {
            Severity::Critical => "1;35",
            Severity::High => "1;31",
            Severity::Medium => "33",
            Severity::Low => "34",
        };
        self.paint(code, &format!("{:<8}", s.as_str()))
    }
}

pub fn render(run: &Run, style: Style) -> String {
    let mut out = String::new();
    let mut app_shown = None;
    for a in &run.files {
        let r = &a.report;
        let active: Vec<_> = r.active().collect();
        if r.error.is_none() && active.is_empty() {
            continue;
        }
        if let Some(app) = run.app_of(a).filter(|_| app_shown != a.app) {
            let _ = writeln!(out, "{}", style.dim(&app_heading(app)));
            app_shown = a.app;
        }
        let _ = writeln!(out, "{}", style.bold(&r.path));
        if let Some(e) = &r.error {
            let _ = writeln!(
                out,
                "  {}:{}  {}  {}",
                e.line,
                e.column,
                style.paint("1;31", "error   "),
                e.message
            );
            frame(&mut out, a.text.as_deref(), e.line, e.column, 1, style);
        }
        for f in active {
            let _ = writeln!(
                out,
                "  {}  {}  {}  {}  {}",
                style.dim(&match &f.file {
                    Some(file) => format!("{file}:{}:{}", f.line, f.column),
                    None => format!("{}:{}", f.line, f.column),
                }),
                style.sev(f.severity),
                style.bold(&f.rule),
                f.message,
                style.dim(&format!("[{}]", f.pillar.as_str()))
            );
            let width = if f.end_line == f.line && f.end_column > f.column {
                (f.end_column - f.column) as usize
            } else {
                1
            };
            frame(
                &mut out,
                a.text_of(f.file.as_deref()),
                f.line,
                f.column,
                width,
                style,
            );
            if !f.remediation.is_empty() {
                let _ = writeln!(out, "      {} {}", style.dim("fix:"), f.remediation);
            }
        }
        out.push('\n');
    }
    let s = Summary::of(run);
    let _ = writeln!(out, "{}", summary_line(&s, style));
    out
}

/// Source line plus caret under the position.
fn frame(out: &mut String, text: Option<&str>, line: u32, column: u32, width: usize, style: Style) {
    let Some(text) = text else { return };
    if line == 0 {
        return;
    }
    let Some(src) = text.lines().nth((line - 1) as usize) else {
        return;
    };
    // Long lines (minified JSON) are cut around the column.
    let chars: Vec<char> = src.chars().collect();
    let col = (column.max(1) - 1) as usize;
    let (start, prefix) = if col > 80 { (col - 40, "…") } else { (0, "") };
    let end = (start + 120).min(chars.len());
    let shown: String = chars[start.min(chars.len())..end].iter().collect();
    let suffix = if end < chars.len() { "…" } else { "" };
    let gutter = format!("{line:>6} | ");
    let _ = writeln!(out, "{}{prefix}{shown}{suffix}", style.dim(&gutter));
    let pad = " ".repeat(col - start + prefix.chars().count());
    let width = width.clamp(1, end.saturating_sub(col).max(1));
    let _ = writeln!(
        out,
        "{}{pad}{}",
        style.dim("       | "),
        style.paint("1;31", &"^".repeat(width))
    );
}

fn summary_line(s: &Summary, style: Style) -> String {
    let mut parts = Vec::new();
    for p in Pillar::ALL {
        let n = s.by_pillar(p);
        let txt = format!("{} {n}", p.as_str());
        parts.push(if n > 0 {
            style.bold(&txt)
        } else {
            style.dim(&txt)
        });
    }
    let mut line = format!(
        "{} file{}, {} finding{} ({})",
        s.files,
        plural(s.files),
        s.findings,
        plural(s.findings),
        parts.join(" · ")
    );
    if s.suppressed > 0 {
        let _ = write!(line, ", {} suppressed", s.suppressed);
    }
    if s.errors > 0 {
        let _ = write!(
            line,
            ", {}",
            style.paint("1;31", &format!("{} unreadable", s.errors))
        );
    }
    let sev: Vec<String> = Severity::ALL
        .iter()
        .rev()
        .filter(|x| s.by_severity(**x) > 0)
        .map(|x| format!("{} {}", s.by_severity(*x), x.as_str()))
        .collect();
    if !sev.is_empty() {
        let _ = write!(line, " — {}", sev.join(", "));
    }
    line
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
