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
        })
    }

    /// The same analysis presented another way (no new analysis).
    pub fn present(&self, shown: &Shown) -> Rc<View> {
        View::new(
            self.report.clone(),
            self.input.clone(),
            self.owner.clone(),
            shown,
            0.0,
        )
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
        }
    }

    /// The file name of the open document.
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
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Edit(text) => {
                s.text = text.into();
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
                s.reveal += 1;
            }
            Action::SelectNode(id) => {
                s.selection = if s.selection == Selection::Node(id.clone()) {
                    Selection::None
                } else {
                    Selection::Node(id)
                };
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
