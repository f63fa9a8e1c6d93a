//! Analysing the inputs: files grouped into apps (a `cdk.out`, a template with its nested
//! stacks, a Serverless service with its includes; the core's `app` module decides), apps
//! analysed in parallel across cores, one bad file never stopping the run, with a progress bar
//! on stderr when it is a terminal.

use std::io::{IsTerminal, Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use pillarlint_core::app::{self, AppKind, FileSet, Plan};
use pillarlint_core::parse::ParseError;
use pillarlint_core::report::{AppOut, FileReport, FindingOut};
use pillarlint_core::rules::{Pillar, Severity, Suppression};

use crate::discover::{sniff, Input};

/// One analysed file: its report and (for code frames and permalinks) its text.
#[derive(Debug)]
pub struct Analysed {
    pub report: FileReport,
    pub text: Option<String>,
    /// A module's files, by the names its findings carry in `file`.
    pub files: Vec<(String, String)>,
    /// The app of several files it belongs to (an index into [`Run::apps`]).
    pub app: Option<usize>,
}

/// Everything a run analysed.
#[derive(Debug, Default)]
pub struct Run {
    /// One entry per template, in the order of the inputs (an app's files together).
    pub files: Vec<Analysed>,
    /// Apps made of several files.
    pub apps: Vec<AppOut>,
    /// Files found by recursion that are not templates.
    pub skipped: usize,
}

impl Run {
    /// The app a file belongs to.
    pub fn app_of(&self, a: &Analysed) -> Option<&AppOut> {
        a.app.and_then(|i| self.apps.get(i))
    }
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
        self.apply_findings(&mut report.findings);
    }

    /// Severity overrides, config suppressions (a `resource` also matches an app's id that
    /// ends with `/<resource>`: the resource inside a nested stack) and the selection.
    pub fn apply_findings(&self, findings: &mut Vec<FindingOut>) {
        let same = |id: &str, r: &str| {
            id == r || id.strip_suffix(r).is_some_and(|rest| rest.ends_with('/'))
        };
        for f in findings.iter_mut() {
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
                            .is_none_or(|r| f.resource.as_deref().is_some_and(|id| same(id, r)))
                }) {
                    f.suppressed = Some(Suppression {
                        by: "config".to_owned(),
                        reason: s.reason.clone(),
                    });
                }
            }
        }
        findings.retain(|f| {
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

/// What one worker analyses.
#[derive(Debug)]
enum Unit {
    Stdin,
    Example,
    /// An app of the run's files (a file on its own is an app of one).
    App(Plan),
    /// A file that could not be read.
    Unreadable(String, String),
    /// A Terraform module: the `.tf` and `.tf.json` files of one directory.
    Module(std::path::PathBuf, Vec<std::path::PathBuf>),
}

/// What a unit gave.
#[derive(Debug, Default)]
struct Done {
    files: Vec<Analysed>,
    app: Option<AppOut>,
    skipped: usize,
}

/// Files read from disk: `(path as reported, bytes)`.
pub type Files = Vec<(String, Vec<u8>)>;

/// Most files a run follows references to (nested templates, includes) beyond the inputs.
const MAX_REFERENCED: usize = 10_000;

/// Analyse every input. Files are read first and grouped into apps (following the nested
/// templates and includes they name, read from disk even when not given); the order of the
/// output follows the order of the inputs. Files found by recursion that turn out not to be
/// templates are left out (counted in [`Run::skipped`]).
pub fn analyse_all(inputs: Vec<Input>, filter: &Filter, stdin_name: &str, progress: bool) -> Run {
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
    // Every file, by its path as reported; named ones remember it.
    let mut read: Vec<(String, Vec<u8>)> = Vec::new();
    let mut named: Vec<String> = Vec::new();
    let mut units: Vec<(usize, Unit)> = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        match input {
            Input::Stdin => units.push((i, Unit::Stdin)),
            Input::Example => units.push((i, Unit::Example)),
            Input::File { path, named: n } => {
                let name = app::paths::normalize(&display(path));
                match std::fs::read(path) {
                    Ok(b) => {
                        if *n {
                            named.push(name.clone());
                        }
                        read.push((name, b));
                    }
                    Err(e) => units.push((i, Unit::Unreadable(name, e.to_string()))),
                }
            }
            Input::Module { dir, files } => {
                units.push((i, Unit::Module(dir.clone(), files.clone())));
            }
        }
    }
    follow_references(&mut read);
    let set: FileSet<'_> = read
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    // An app sits where its first file was given.
    let input_pos = |p: &str| set.position(p).unwrap_or(usize::MAX);
    let file_inputs: Vec<usize> = inputs
        .iter()
        .enumerate()
        .filter(|(_, x)| matches!(x, Input::File { .. }))
        .map(|(i, _)| i)
        .collect();
    for p in app::plan(&set) {
        let first = p
            .members
            .iter()
            .map(|m| input_pos(m))
            .min()
            .unwrap_or(usize::MAX);
        let at = file_inputs.get(first).copied().unwrap_or(usize::MAX);
        units.push((at, Unit::App(p)));
    }
    units.sort_by_key(|(at, _)| *at);

    let n = units.len();
    let results: Mutex<Vec<Option<Done>>> = Mutex::new((0..n).map(|_| None).collect());
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
                    let Some((_, unit)) = units.get(i) else { break };
                    // A bug in the core must not take the other files down with it.
                    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        analyse_unit(unit, &set, &named, filter, stdin_name, stdin_text.as_ref())
                    }))
                    .unwrap_or_else(|_| crashed(unit, stdin_name));
                    if let Ok(mut r) = results.lock() {
                        r[i] = Some(out);
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
    let mut run = Run::default();
    let mut reported: Vec<String> = Vec::new();
    for d in results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
    {
        run.skipped += d.skipped;
        let app = d.app.map(|a| {
            run.apps.push(a);
            run.apps.len() - 1
        });
        for mut f in d.files {
            // A template two apps deploy is reported once, with the first.
            if reported.contains(&f.report.path) && f.report.error.is_none() {
                continue;
            }
            reported.push(f.report.path.clone());
            f.app = app;
            run.files.push(f);
        }
    }
    run
}

/// The files of the app at `path` (a template, a `manifest.json`, or a directory such as a
/// `cdk.out`), with everything they name, and the paths of the files asked for.
pub fn read_app(path: &str) -> Result<(Files, Vec<String>), String> {
    let p = Path::new(path);
    let mut read = Vec::new();
    if p.is_dir() {
        let ignore = crate::discover::Ignore::new(&[], p)?;
        let (inputs, _) = crate::discover::expand(&[path.to_owned()], &ignore);
        for i in inputs {
            let paths = match i {
                Input::File { path, .. } => vec![path],
                // a Terraform module's files: the core reads them as one app
                Input::Module { files, .. } => files,
                _ => Vec::new(),
            };
            for path in paths {
                if let Ok(b) = std::fs::read(&path) {
                    read.push((app::paths::normalize(&display(&path)), b));
                }
            }
        }
    } else {
        let b = std::fs::read(p).map_err(|e| format!("{path}: cannot read the file: {e}"))?;
        read.push((app::paths::normalize(&display(p)), b));
    }
    let asked = read.iter().map(|(p, _)| p.clone()).collect();
    follow_references(&mut read);
    Ok((read, asked))
}

/// Read the files the inputs name (nested templates, includes, a cloud assembly's stacks)
/// from disk, relative to the file that names them, until nothing new is named. Only files
/// inside the working directory or beside the inputs are read: a template under review must
/// not make the run read arbitrary files of the machine.
fn follow_references(read: &mut Files) {
    let canon = |p: &Path| std::fs::canonicalize(p).ok();
    let mut allowed: Vec<std::path::PathBuf> = std::env::current_dir()
        .ok()
        .and_then(|d| canon(&d))
        .into_iter()
        .collect();
    for (p, _) in read.iter() {
        if let Some(dir) = canon(Path::new(p)).and_then(|c| c.parent().map(Path::to_path_buf)) {
            if !allowed.iter().any(|a| dir.starts_with(a)) {
                allowed.push(dir);
            }
        }
    }
    let mut i = 0;
    let mut missing: Vec<String> = Vec::new();
    while i < read.len() && read.len() < MAX_REFERENCED {
        let refs = app::references(&read[i].0, &read[i].1);
        i += 1;
        for r in refs.refs {
            if read.iter().any(|(p, _)| *p == r.path) || missing.contains(&r.path) {
                continue;
            }
            let inside = canon(Path::new(&r.path))
                .is_some_and(|c| c.is_file() && allowed.iter().any(|a| c.starts_with(a)));
            match std::fs::read(&r.path) {
                Ok(b) if inside => read.push((r.path, b)),
                _ => missing.push(r.path),
            }
        }
    }
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

/// The report of a unit whose analysis panicked.
fn crashed(unit: &Unit, stdin_name: &str) -> Done {
    let name = match unit {
        Unit::Example => pillarlint_core::example::BOOKSTORE.file_name.to_owned(),
        Unit::Stdin => stdin_name.to_owned(),
        Unit::App(p) => p.root.clone(),
        Unit::Unreadable(p, _) => p.clone(),
        Unit::Module(dir, _) => display(dir),
    };
    Done {
        files: vec![Analysed {
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
            app: None,
        }],
        ..Done::default()
    }
}

fn display(path: &Path) -> String {
    let s = path.to_string_lossy().into_owned();
    s.strip_prefix("./").map(str::to_owned).unwrap_or(s)
}

fn text_of(bytes: &[u8]) -> Option<String> {
    pillarlint_core::parse::decode(bytes)
        .ok()
        .map(str::to_owned)
}

fn analyse_unit(
    unit: &Unit,
    set: &FileSet<'_>,
    named: &[String],
    filter: &Filter,
    stdin_name: &str,
    stdin: Option<&Result<Vec<u8>, String>>,
) -> Done {
    let one = |name: &str, bytes: &[u8]| {
        let mut report = if crate::discover::is_terraform(Path::new(name)) {
            // a `.tf` file is HCL whatever it starts with
            pillarlint_core::report_module(name, &[(String::new(), bytes.to_vec())])
        } else {
            pillarlint_core::report_file(name, bytes)
        };
        filter.apply(&mut report);
        Done {
            files: vec![Analysed {
                report,
                text: text_of(bytes),
                files: Vec::new(),
                app: None,
            }],
            ..Done::default()
        }
    };
    let failed = |name: &str, why: String| Done {
        files: vec![Analysed {
            report: FileReport::failed(name, ParseError::at(why, 0, 0)),
            text: None,
            files: Vec::new(),
            app: None,
        }],
        ..Done::default()
    };
    match unit {
        Unit::Example => {
            let ex = pillarlint_core::example::BOOKSTORE;
            one(ex.file_name, ex.text.as_bytes())
        }
        Unit::Stdin => match stdin {
            Some(Ok(b)) => one(stdin_name, b),
            Some(Err(e)) => failed(stdin_name, format!("cannot read the file: {e}")),
            None => failed(
                stdin_name,
                "cannot read the file: standard input was not read".into(),
            ),
        },
        Unit::Unreadable(name, e) => failed(name, format!("cannot read the file: {e}")),
        Unit::Module(dir, files) => Done {
            files: vec![analyse_module(dir, files, filter)],
            ..Done::default()
        },
        Unit::App(plan) if plan.kind == AppKind::Single => {
            let bytes = set.get(&plan.root).unwrap_or_default();
            let is_named = named.contains(&plan.root);
            if !is_named && !sniff(bytes) {
                return Done {
                    skipped: 1,
                    ..Done::default()
                };
            }
            let d = one(&plan.root, bytes);
            if !is_named
                && d.files.iter().any(|f| f.report.error.is_some())
                && !looks_like_template(bytes)
            {
                return Done {
                    skipped: 1,
                    ..Done::default()
                };
            }
            d
        }
        Unit::App(plan) => {
            let a = app::analyze(plan, set);
            let files = a
                .reports()
                .into_iter()
                .map(|mut report| {
                    filter.apply(&mut report);
                    let text = set.get(&report.path).and_then(text_of);
                    Analysed {
                        report,
                        text,
                        files: Vec::new(),
                        app: None,
                    }
                })
                .collect();
            let view = a.view().map(|mut v| {
                filter.apply_findings(&mut v.findings);
                v
            });
            Done {
                files,
                app: view,
                skipped: 0,
            }
        }
    }
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
                    app: None,
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
        app: None,
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
