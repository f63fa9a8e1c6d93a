//! Analysing the inputs: in parallel across cores, one bad file never stopping the run,
//! with a progress bar on stderr when it is a terminal.

use std::io::{IsTerminal, Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use pillarlint_core::parse::ParseError;
use pillarlint_core::report::FileReport;
use pillarlint_core::rules::{Pillar, Severity, Suppression};

use crate::discover::{sniff, Input};

/// One analysed file: its report and (for code frames and permalinks) its text.
#[derive(Debug)]
pub struct Analysed {
    pub report: FileReport,
    pub text: Option<String>,
    /// A module's files, by the names its findings carry in `file`.
    pub files: Vec<(String, String)>,
}

impl Analysed {
    /// The text a position is in: the module file `file`, else the input's own text.
    pub fn text_of(&self, file: Option<&str>) -> Option<&str> {
        match file {
            Some(name) => self
                .files
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, t)| t.as_str()),
            None => self.text.as_deref(),
        }
    }
}

/// Which findings to keep.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub pillars: Option<Vec<Pillar>>,
    pub rules: Option<Vec<String>>,
    pub skip_rules: Vec<String>,
    pub min_severity: Option<Severity>,
    pub severity: Vec<(String, Severity)>,
    pub suppress: Vec<crate::config::SuppressEntry>,
}

impl Filter {
    pub fn apply(&self, report: &mut FileReport) {
        for f in &mut report.findings {
            if let Some((_, s)) = self
                .severity
                .iter()
                .find(|(id, _)| id.eq_ignore_ascii_case(&f.rule))
            {
                f.severity = *s;
            }
            if f.suppressed.is_none() {
                if let Some(s) = self.suppress.iter().find(|s| {
                    s.rule.eq_ignore_ascii_case(&f.rule)
                        && s.resource
                            .as_ref()
                            .is_none_or(|r| f.resource.as_ref() == Some(r))
                }) {
                    f.suppressed = Some(Suppression {
                        by: "config".to_owned(),
                        reason: s.reason.clone(),
                    });
                }
            }
        }
        report.findings.retain(|f| {
            self.pillars.as_ref().is_none_or(|p| p.contains(&f.pillar))
                && self
                    .rules
                    .as_ref()
                    .is_none_or(|r| r.iter().any(|id| id.eq_ignore_ascii_case(&f.rule)))
                && !self
                    .skip_rules
                    .iter()
                    .any(|id| id.eq_ignore_ascii_case(&f.rule))
                && self.min_severity.is_none_or(|m| f.severity >= m)
        });
    }
}

/// What to call standard input in reports.
pub const STDIN_NAME: &str = "<stdin>";

/// Analyse every input. The order of the output follows the order of the inputs; files
/// found by recursion that turn out not to be templates are left out (counted in the
/// second value).
pub fn analyse_all(
    inputs: Vec<Input>,
    filter: &Filter,
    stdin_name: &str,
    progress: bool,
) -> (Vec<Analysed>, usize) {
    // Standard input is read up front, on this thread.
    let mut stdin_text: Option<Result<Vec<u8>, String>> = None;
    if inputs.contains(&Input::Stdin) {
        let mut buf = Vec::new();
        stdin_text = Some(
            std::io::stdin()
                .read_to_end(&mut buf)
                .map(|_| buf)
                .map_err(|e| e.to_string()),
        );
    }
    let n = inputs.len();
    let results: Mutex<Vec<Option<Analysed>>> = Mutex::new((0..n).map(|_| None).collect());
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let finished = AtomicBool::new(false);
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(n.max(1));
    let show_bar = progress && n >= 8 && std::io::stderr().is_terminal();
    std::thread::scope(|s| {
        if show_bar {
            s.spawn(|| progress_bar(n, &done, &finished));
        }
        let workers: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(input) = inputs.get(i) else { break };
                    // A bug in the core must not take the other files down with it.
                    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        analyse_one(input, filter, stdin_name, stdin_text.as_ref())
                    }))
                    .unwrap_or_else(|_| Some(crashed(input, stdin_name)));
                    if let Ok(mut r) = results.lock() {
                        r[i] = out;
                    }
                    done.fetch_add(1, Ordering::Relaxed);
                })
            })
            .collect();
        for w in workers {
            let _ = w.join();
        }
        finished.store(true, Ordering::Relaxed);
    });
    let all = results.into_inner().unwrap_or_default();
    let skipped = all
        .iter()
        .zip(&inputs)
        .filter(|(r, i)| r.is_none() && matches!(i, Input::File { .. }))
        .count();
    (all.into_iter().flatten().collect(), skipped)
}

fn progress_bar(total: usize, done: &AtomicUsize, finished: &AtomicBool) {
    let mut err = std::io::stderr();
    let width = 30;
    loop {
        let d = done.load(Ordering::Relaxed).min(total);
        let fill = width * d / total.max(1);
        let _ = write!(
            err,
            "\r[{}{}] {d}/{total} files",
            "#".repeat(fill),
            "-".repeat(width - fill)
        );
        let _ = err.flush();
        if finished.load(Ordering::Relaxed) {
            let _ = write!(err, "\r{}\r", " ".repeat(width + 30));
            let _ = err.flush();
            return;
        }
        std::thread::sleep(Duration::from_millis(80));
    }
}

/// The report of a file whose analysis panicked.
fn crashed(input: &Input, stdin_name: &str) -> Analysed {
    let name = match input {
        Input::Example => pillarlint_core::example::BOOKSTORE.file_name.to_owned(),
        Input::Stdin => stdin_name.to_owned(),
        Input::File { path, .. } => display(path),
        Input::Module { dir, .. } => display(dir),
    };
    Analysed {
        report: FileReport::failed(
            &name,
            ParseError::at(
                "internal error: pillarlint crashed while analysing this file (please report it with the file)",
                1,
                1,
            ),
        ),
        text: None,
        files: Vec::new(),
    }
}

fn display(path: &Path) -> String {
    let s = path.to_string_lossy().into_owned();
    s.strip_prefix("./").map(str::to_owned).unwrap_or(s)
}

fn analyse_one(
    input: &Input,
    filter: &Filter,
    stdin_name: &str,
    stdin: Option<&Result<Vec<u8>, String>>,
) -> Option<Analysed> {
    let (name, bytes, named): (String, Result<std::borrow::Cow<'_, [u8]>, String>, bool) =
        match input {
            Input::Example => {
                let ex = pillarlint_core::example::BOOKSTORE;
                (ex.file_name.to_owned(), Ok(ex.text.as_bytes().into()), true)
            }
            Input::Stdin => (
                stdin_name.to_owned(),
                match stdin {
                    Some(Ok(b)) => Ok(b.as_slice().into()),
                    Some(Err(e)) => Err(e.clone()),
                    None => Err("standard input was not read".to_owned()),
                },
                true,
            ),
            Input::File { path, named } => (
                display(path),
                std::fs::read(path)
                    .map(Into::into)
                    .map_err(|e| e.to_string()),
                *named,
            ),
            Input::Module { dir, files } => return Some(analyse_module(dir, files, filter)),
        };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            return Some(Analysed {
                report: FileReport::failed(
                    &name,
                    ParseError::at(format!("cannot read the file: {e}"), 0, 0),
                ),
                text: None,
                files: Vec::new(),
            })
        }
    };
    if !named && !sniff(&bytes) {
        return None;
    }
    let terraform =
        matches!(input, Input::File { path, .. } if crate::discover::is_terraform(path));
    let mut report = if terraform {
        // a `.tf` file is HCL whatever it starts with
        pillarlint_core::report_module(&name, &[(String::new(), bytes.to_vec())])
    } else {
        pillarlint_core::report_file(&name, &bytes)
    };
    if !named && report.error.is_some() && !looks_like_template(&bytes) {
        return None;
    }
    filter.apply(&mut report);
    let text = pillarlint_core::parse::decode(&bytes)
        .ok()
        .map(str::to_owned);
    Some(Analysed {
        report,
        text,
        files: Vec::new(),
    })
}

/// A Terraform module: its files read as one configuration, named relative to `dir`.
fn analyse_module(dir: &Path, paths: &[std::path::PathBuf], filter: &Filter) -> Analysed {
    let name = display(dir);
    let mut files = Vec::with_capacity(paths.len());
    for p in paths {
        let rel = p
            .strip_prefix(dir)
            .map_or_else(|_| display(p), |r| r.to_string_lossy().into_owned());
        match std::fs::read(p) {
            Ok(b) => files.push((rel, b)),
            Err(e) => {
                return Analysed {
                    report: FileReport::failed(
                        &name,
                        ParseError::at(format!("{rel}: cannot read the file: {e}"), 0, 0),
                    ),
                    text: None,
                    files: Vec::new(),
                }
            }
        }
    }
    let mut report = pillarlint_core::report_module(&name, &files);
    filter.apply(&mut report);
    let files = files
        .into_iter()
        .filter_map(|(n, b)| {
            pillarlint_core::parse::decode(&b)
                .ok()
                .map(|t| (n, t.to_owned()))
        })
        .collect();
    Analysed {
        report,
        text: None,
        files,
    }
}

/// A document that reads but is not a template (no `Resources`, no `service`+`provider`)
/// is "clearly not a template"; one that does not read at all but mentions the template
/// keys is a broken template and is reported.
fn looks_like_template(bytes: &[u8]) -> bool {
    let Ok(text) = pillarlint_core::parse::decode(bytes) else {
        return false;
    };
    match pillarlint_core::parse::load(text, &pillarlint_core::parse::Limits::default()) {
        Ok(root) => pillarlint_core::parse::detect(&root).is_ok(),
        Err(_) => true,
    }
}
