//! App state: the open document and its text, the last good analysis, filters and the
//! selection.

use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

use pillarlint_core::diagram::present::{present, Options as Shown, ViewMode};
use pillarlint_core::diagram::{owners, Filter, LayoutInput, Scene};
use pillarlint_core::report::{ErrorOut, FileReport, FindingOut};
use pillarlint_core::rules::{Pillar, Severity};
use yew::prelude::*;

use crate::documents::{self, Doc};

/// localStorage key of the text the user edited last.
pub const DRAFT_KEY: &str = documents::DRAFT_KEY;

/// One analysed template: the report (JSON contract), the diagram's input, the scene as
/// presented in the pane ([`View::shown`]), and timings.
#[derive(Debug)]
pub struct View {
    /// New for every analysis and presentation; equality is by id (cheap prop comparisons).
    pub id: u64,
    pub report: Rc<FileReport>,
    /// Everything the diagram could show; `scene` is what it shows.
    pub input: Rc<LayoutInput>,
    pub scene: Scene,
    /// How `scene` was presented (pane size, view, opened boxes).
    pub shown: Shown,
    /// Fact resource -> the node it is drawn on (roles, methods, log groups).
    pub owner: Rc<HashMap<String, String>>,
    pub analysis_ms: f64,
    /// Presenting: collapsing and laying out.
    pub layout_ms: f64,
    /// When the analysis finished (for measuring render time).
    pub done_at: f64,
    /// Analysis end to the diagram in the page, measured once at its first render (a view
    /// shown again later, say after a rules page, is not measured again).
    pub render_ms: Cell<Option<f64>>,
    /// An app of several files: what its exports and links need (only the `apps` build
    /// reads apps: the first bundle does not carry the field's code).
    #[cfg(feature = "apps")]
    pub app: Option<Rc<AppView>>,
}

/// The parts of an analysed app the report alone does not hold.
#[derive(Debug, PartialEq)]
pub struct AppView {
    /// The file it is read from (the root template, a `cdk.out/manifest.json`).
    pub root: String,
    /// One report per template file (the CLI's `files`).
    pub reports: Vec<FileReport>,
    /// The whole app (the CLI's `apps`); `None` for a file on its own.
    pub out: Option<pillarlint_core::report::AppOut>,
    /// What a link carries (`app::share::link_files`), the main template first.
    pub link_files: Vec<(String, String)>,
}

thread_local! {
    static NEXT_ID: Cell<u64> = const { Cell::new(1) };
}

/// A fresh view id.
pub fn next_id() -> u64 {
    NEXT_ID.with(|c| {
        let id = c.get();
        c.set(id + 1);
        id
    })
}

impl PartialEq for View {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl View {
    /// A view of a report and its diagram input, presented as `shown` asks.
    pub fn new(
        report: Rc<FileReport>,
        input: Rc<LayoutInput>,
        owner: Rc<HashMap<String, String>>,
        shown: &Shown,
        analysis_ms: f64,
    ) -> Rc<View> {
        let t0 = now_ms();
        let scene = present(&input, shown);
        let t1 = now_ms();
        Rc::new(View {
            id: next_id(),
            report,
            input,
            scene,
            shown: shown.clone(),
            owner,
            analysis_ms,
            layout_ms: t1 - t0,
            done_at: t1,
            render_ms: Cell::new(None),
            #[cfg(feature = "apps")]
            app: None,
        })
    }

    /// The same analysis presented another way (no new analysis).
    pub fn present(&self, shown: &Shown) -> Rc<View> {
        #[allow(unused_mut)]
        let mut v = View::new(
            self.report.clone(),
            self.input.clone(),
            self.owner.clone(),
            shown,
            0.0,
        );
        #[cfg(feature = "apps")]
        if let Some(v) = Rc::get_mut(&mut v) {
            v.app.clone_from(&self.app);
        }
        v
    }

    /// The app this view is of, if it is one of several files.
    pub fn app(&self) -> Option<&Rc<AppView>> {
        #[cfg(feature = "apps")]
        return self.app.as_ref();
        #[cfg(not(feature = "apps"))]
        None
    }

    /// The node a finding is drawn on (its resource or the resource's owner).
    pub fn node_of(&self, f: &FindingOut) -> Option<String> {
        let r = f.resource.as_deref()?;
        let id = self.owner.get(r).map_or(r, String::as_str);
        self.report
            .nodes
            .iter()
            .find(|n| n.id == id)
            .map(|n| n.id.clone())
    }
}

/// `shown` with the filter a by-pillar view keeps.
pub fn with_filter(shown: &Shown, filter: &Filter) -> Shown {
    let mut s = shown.clone();
    if s.mode == ViewMode::ByPillar {
        s.filter = filter.clone();
    }
    s
}

/// Milliseconds for display and data attributes, two decimals at most. Written through
/// core's integer-based `Num` rather than `{:.2}`: no float formatting code in the bundle.
pub fn ms(x: f64) -> String {
    pillarlint_core::diagram::Num(x as f32).to_string()
}

/// Milliseconds to one decimal (the top bar's figures).
pub fn ms1(x: f64) -> String {
    ms((x * 10.0).round() / 10.0)
}

/// Run `f` once the browser has painted the next frame: a timer queued from inside the
/// animation-frame callback fires after that frame's style, layout and paint.
pub fn after_paint(f: impl FnOnce() + 'static) {
    let cb = wasm_bindgen::closure::Closure::once_into_js(move || {
        gloo::timers::callback::Timeout::new(0, f).forget();
    });
    if let Some(w) = web_sys::window() {
        let _ = w.request_animation_frame(wasm_bindgen::JsCast::unchecked_ref(&cb));
    }
}

/// A monotonic clock in milliseconds.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// Analyse `text` and present its diagram as `shown` asks, reported under `name`, or under
/// a name derived from the template (its `Description` or service name, else "untitled")
/// when `name` is `None`. Never panics on user input.
pub fn analyse(text: &str, name: Option<&str>, shown: &Shown) -> Result<Rc<View>, ErrorOut> {
    let t0 = now_ms();
    let a = pillarlint_core::analyze_text(text).map_err(ErrorOut::from)?;
    let path = match name {
        Some(n) => n.to_owned(),
        None => documents::derived_name(&a, text).unwrap_or_else(|| untitled(text)),
    };
    let report = a.to_report(&path);
    let owner = owners(&report, Some(&a));
    let input = LayoutInput::for_report(&a, &report, &owner);
    let t1 = now_ms();
    Ok(View::new(
        Rc::new(report),
        Rc::new(input),
        Rc::new(owner),
        shown,
        t1 - t0,
    ))
}

/// Analyse the files of an app as one graph (`core::app`): its diagram draws nested stacks
/// and CDK stacks as groups, its findings name their files. The app of the set with the
/// most files is the one shown (a folder may hold stray templates beside it); among equals,
/// the one holding `editing`, the file in the editor (a main template that no longer parses
/// names none of its nested files: its error is then shown, not a nested file drawn alone).
#[cfg(feature = "apps")]
pub fn analyse_app(
    files: &[(String, Rc<str>)],
    shown: &Shown,
    editing: Option<&str>,
) -> Result<Rc<View>, ErrorOut> {
    use pillarlint_core::app;
    let t0 = now_ms();
    let set: app::FileSet<'_> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_bytes()))
        .collect();
    let plans = app::plan(&set);
    let plan = plans
        .iter()
        .enumerate()
        .max_by_key(|(i, p)| {
            let holds = editing.is_some_and(|e| p.members.iter().any(|m| m == e));
            (p.members.len(), holds, std::cmp::Reverse(*i))
        })
        .map(|(_, p)| p)
        .ok_or_else(|| ErrorOut {
            message: "the app holds no template".to_owned(),
            line: 1,
            column: 1,
            file: None,
        })?;
    let a = app::analyze(plan, &set);
    if let Some(e) = a.root_error() {
        // the file it is in (the root, or any file of a Terraform module): the editor may
        // be showing another
        let file = a.files.iter().find(|f| f.error.as_ref() == Some(e));
        return Err(ErrorOut {
            file: file.map(|f| f.path.clone()),
            ..e.clone().into()
        });
    }
    let (Some(analysis), Some(report)) = (a.analysis.as_ref(), a.diagram_report()) else {
        return Err(ErrorOut {
            message: format!("{} cannot be read", a.root),
            line: 1,
            column: 1,
            file: Some(a.root.clone()),
        });
    };
    let owner = owners(&report, Some(analysis));
    let input = LayoutInput::for_report(analysis, &report, &owner);
    let out = a.view();
    let text_of = |p: &str| {
        files
            .iter()
            .find(|(q, _)| q == p)
            .map(|(_, t)| t.to_string())
    };
    let link_files = match &out {
        Some(o) => app::share::link_files(o, &text_of),
        None => text_of(&a.root)
            .map(|t| vec![(app::paths::file_name(&a.root).to_owned(), t)])
            .unwrap_or_default(),
    };
    let extra = AppView {
        root: a.root.clone(),
        reports: a.reports(),
        out,
        link_files,
    };
    let t1 = now_ms();
    let mut v = View::new(
        Rc::new(report),
        Rc::new(input),
        Rc::new(owner),
        shown,
        t1 - t0,
    );
    if let Some(v) = Rc::get_mut(&mut v) {
        v.app = Some(Rc::new(extra));
    }
    Ok(v)
}

/// The name of a template that names nothing.
pub fn untitled(text: &str) -> String {
    if text.trim_start().starts_with('{') {
        "untitled.json".to_owned()
    } else {
        "untitled.yaml".to_owned()
    }
}

/// What is selected.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Selection {
    #[default]
    None,
    /// Index into the report's findings.
    Finding(usize),
    Node(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    /// The open document (its name is the file name shown, exported and shared).
    pub doc: Rc<Doc>,
    pub text: Rc<str>,
    /// Bumped on every text change; stale analyses are dropped.
    pub revision: u64,
    /// The text changed since it was last saved.
    pub dirty: bool,
    /// Analyse at once, without the typing pause (a document was just opened).
    pub now: bool,
    /// The last good analysis of this document (kept while the text does not parse).
    pub view: Option<Rc<View>>,
    pub error: Option<ErrorOut>,
    pub filter: Filter,
    pub selection: Selection,
    /// Bumped when the editor should scroll to the selection.
    pub reveal: u64,
    /// Why the text could not be saved, shown until a save succeeds.
    pub storage_error: Option<String>,
    /// Every stored document, the most recent first (the Recent menu).
    pub docs: Rc<Vec<Doc>>,
    /// How the diagram is presented (pane size, view, opened boxes).
    pub shown: Shown,
    /// An app document's files (`crate::appdoc`), in the `apps` build; `text` is then
    /// their encoding, and the editor shows file `file` (`usize::MAX`: the app's main
    /// template, once the analysis names it).
    pub files: Option<crate::appdoc::Files>,
    pub file: usize,
}

impl AppState {
    /// The state with `doc` open (already saved by the caller, or about to be).
    pub fn new(doc: Doc, text: String) -> Self {
        AppState {
            doc: Rc::new(doc),
            text: text.into(),
            revision: 1,
            dirty: false,
            now: true,
            view: None,
            error: None,
            filter: Filter::default(),
            selection: Selection::None,
            reveal: 0,
            storage_error: None,
            docs: Rc::new(Vec::new()),
            shown: Shown::default(),
            files: None,
            file: usize::MAX,
        }
        .with_files()
    }

    /// An app document's files read from its text (in the `apps` build).
    fn with_files(mut self) -> Self {
        #[cfg(feature = "apps")]
        if self.doc.origin == documents::Origin::App {
            self.files = crate::appdoc::decode(&self.text)
                .map(|f| Rc::new(f.into_iter().map(|(p, t)| (p, Rc::from(t))).collect()));
        }
        self.file = usize::MAX;
        self
    }

    /// The index of the file the editor shows (an app's), if any.
    pub fn file_index(&self) -> Option<usize> {
        // the first bundle has no apps open (it moves to the page that reads them)
        if !cfg!(feature = "apps") {
            return None;
        }
        let files = self.files.as_ref()?;
        if files.is_empty() {
            return None;
        }
        if self.file < files.len() {
            return Some(self.file);
        }
        let root = self
            .view
            .as_ref()
            .and_then(|v| v.app())
            .map(|a| a.root.as_str());
        Some(
            files
                .iter()
                .position(|(p, _)| Some(p.as_str()) == root)
                .unwrap_or(0),
        )
    }

    /// The path and text the editor shows: the open file of an app, else the document.
    pub fn shown_file(&self) -> (Option<&str>, Rc<str>) {
        match (self.file_index(), &self.files) {
            (Some(i), Some(f)) => (Some(f[i].0.as_str()), f[i].1.clone()),
            _ => (None, self.text.clone()),
        }
    }

    /// Is `file` (a finding's or a node's) the one the editor shows? Always, outside apps.
    fn in_shown(&self, file: Option<&str>) -> bool {
        match self.shown_file().0 {
            Some(p) => file.is_none_or(|f| f == p),
            None => true,
        }
    }

    /// Show the file `path` of an app in the editor.
    fn show_file(&mut self, path: Option<&str>) {
        if !cfg!(feature = "apps") {
            return;
        }
        if let (Some(files), Some(path)) = (&self.files, path) {
            if let Some(i) = files.iter().position(|(p, _)| p == path) {
                self.file = i;
            }
        }
    }

    /// The file name of the open document.
    /// An app: the path of the file the editor shows.
    pub fn shown_path(&self) -> Option<&str> {
        let i = self.file_index()?;
        self.files.as_ref().map(|f| f[i].0.as_str())
    }

    pub fn file_name(&self) -> &str {
        &self.doc.name
    }

    pub fn selected_finding(&self) -> Option<&FindingOut> {
        match (&self.selection, &self.view) {
            (Selection::Finding(i), Some(v)) => v.report.findings.get(*i),
            _ => None,
        }
    }

    /// The lines to highlight in the editor (start, end).
    pub fn highlighted_lines(&self) -> Option<(u32, u32)> {
        if let Some(f) = self.selected_finding() {
            if !self.in_shown(f.file.as_deref()) {
                return None;
            }
            let end = if f.end_line >= f.line {
                f.end_line
            } else {
                f.line
            };
            // a finding spanning a whole resource block: mark its first lines only
            return Some((f.line, end.min(f.line + 30)));
        }
        if let (Selection::Node(id), Some(v)) = (&self.selection, &self.view) {
            let n = v.report.nodes.iter().find(|n| &n.id == id)?;
            if !self.in_shown(n.file.as_deref()) {
                return None;
            }
            return Some((n.line, n.line));
        }
        None
    }
}

pub enum Action {
    /// The user changed the text (typing, paste).
    Edit(String),
    /// Open a document (new or stored): its own text, its own undo history. The document
    /// shown before is saved first.
    Open {
        doc: Doc,
        text: String,
    },
    /// The user named the document (an empty name: derive it from the text again).
    Rename(String),
    /// An analysis of `revision` finished.
    Analysed {
        revision: u64,
        result: Result<Rc<View>, ErrorOut>,
    },
    /// Saving `revision` finished (`Err`: why it is not saved).
    Saved {
        revision: u64,
        result: Result<(), String>,
    },
    /// The stored documents changed (one was deleted).
    DocsChanged,
    DismissStorageError,
    TogglePillar(Pillar),
    MinSeverity(Severity),
    SelectFinding(usize),
    SelectNode(String),
    ClearSelection,
    /// Present the diagram another way (the pane's size, the view, opened boxes).
    Present(Shown),
    /// Show file `i` of an app in the editor.
    SelectFile(usize),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Edit(text) => {
                match (s.file_index(), &s.files) {
                    (Some(i), Some(files)) => {
                        let mut files = (**files).clone();
                        files[i].1 = text.into();
                        s.text = crate::appdoc::encode(&files).into();
                        s.file = i;
                        s.files = Some(Rc::new(files));
                    }
                    _ => s.text = text.into(),
                }
                s.revision += 1;
                s.dirty = true;
                s.now = false;
                if !s.doc.edited {
                    let mut d = (*s.doc).clone();
                    d.edited = true;
                    s.doc = Rc::new(d);
                }
            }
            Action::Open { doc, text } => {
                // what the user typed last is saved before anything else is shown
                if s.dirty {
                    if let Err(e) = documents::save(&s.doc, &s.text) {
                        s.storage_error = Some(e);
                    }
                }
                let mut doc = doc;
                doc.updated = js_sys::Date::now();
                doc.size = text.len();
                s.storage_error = documents::save(&doc, &text).err();
                s.doc = Rc::new(doc);
                s.text = text.into();
                s = s.with_files();
                s.revision += 1;
                s.dirty = false;
                s.now = true;
                s.view = None;
                s.error = None;
                s.selection = Selection::None;
                s.docs = Rc::new(documents::list());
            }
            Action::Rename(name) => {
                let mut d = (*s.doc).clone();
                let name = name.trim();
                d.named = !name.is_empty();
                if d.named {
                    d.name = name.to_owned();
                }
                s.doc = Rc::new(d);
                // re-analysed at once under the new name (exports and links use it)
                s.revision += 1;
                s.dirty = true;
                s.now = true;
            }
            Action::Saved { revision, result } => {
                s.storage_error = result.err();
                if revision == s.revision {
                    s.dirty = s.storage_error.is_some();
                }
                s.docs = Rc::new(documents::list());
            }
            Action::DocsChanged => s.docs = Rc::new(documents::list()),
            Action::DismissStorageError => s.storage_error = None,
            Action::Analysed { revision, result } => {
                if revision != s.revision {
                    return self;
                }
                match result {
                    Ok(v) => {
                        // keep the selection when it survives the edit
                        let keep = match &s.selection {
                            Selection::Node(id) => v
                                .report
                                .nodes
                                .iter()
                                .any(|n| &n.id == id)
                                .then(|| s.selection.clone()),
                            // the same finding, else the same rule on the same resource
                            // (its message may have changed with the edit)
                            Selection::Finding(_) => s
                                .selected_finding()
                                .and_then(|old| {
                                    let all = &v.report.findings;
                                    all.iter()
                                        .position(|f| f.fingerprint == old.fingerprint)
                                        .or_else(|| {
                                            all.iter().position(|f| {
                                                f.rule == old.rule && f.resource == old.resource
                                            })
                                        })
                                })
                                .map(Selection::Finding),
                            Selection::None => None,
                        };
                        s.selection = keep.unwrap_or_default();
                        if s.doc.name_follows_text() && s.doc.name != v.report.path {
                            let mut d = (*s.doc).clone();
                            d.name.clone_from(&v.report.path);
                            s.doc = Rc::new(d);
                        }
                        // the pane or the view may have changed while it ran
                        let want = with_filter(&s.shown, &s.filter);
                        s.view = Some(if v.shown == want { v } else { v.present(&want) });
                        s.error = None;
                    }
                    Err(e) => s.error = Some(e),
                }
            }
            Action::TogglePillar(p) => {
                if !s.filter.pillars.remove(&p) {
                    s.filter.pillars.insert(p);
                }
                s.represent();
            }
            Action::MinSeverity(sev) => {
                s.filter.min_severity = sev;
                s.represent();
            }
            Action::Present(shown) => {
                s.shown = shown;
                s.represent();
            }
            Action::SelectFinding(i) => {
                s.selection = Selection::Finding(i);
                if cfg!(feature = "apps") {
                    let file = s.selected_finding().and_then(|f| f.file.clone());
                    s.show_file(file.as_deref());
                }
                s.reveal += 1;
            }
            Action::SelectFile(i) => {
                s.file = i;
                s.reveal += 1;
            }
            Action::SelectNode(id) => {
                s.selection = if s.selection == Selection::Node(id.clone()) {
                    Selection::None
                } else {
                    Selection::Node(id)
                };
                if let (Selection::Node(id), Some(v), true) =
                    (&s.selection, &s.view, cfg!(feature = "apps"))
                {
                    let file = v
                        .report
                        .nodes
                        .iter()
                        .find(|n| &n.id == id)
                        .and_then(|n| n.file.clone());
                    s.show_file(file.as_deref());
                }
                s.reveal += 1;
            }
            Action::ClearSelection => s.selection = Selection::None,
        }
        Rc::new(s)
    }
}

impl AppState {
    /// Present the current view again when how it is shown changed.
    fn represent(&mut self) {
        let want = with_filter(&self.shown, &self.filter);
        if let Some(v) = &self.view {
            if v.shown != want {
                self.view = Some(v.present(&want));
            }
        }
    }
}

pub type AppContext = UseReducerHandle<AppState>;
