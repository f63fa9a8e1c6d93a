//! App state: the template text, the last good analysis, filters and the selection.

use std::collections::HashMap;
use std::rc::Rc;

use pillarlint_core::diagram::layered::Layered;
use pillarlint_core::diagram::{owners, Filter, Layout, LayoutInput, Scene};
use pillarlint_core::report::{ErrorOut, FileReport, FindingOut};
use pillarlint_core::rules::{Pillar, Severity};
use yew::prelude::*;

/// localStorage key of the user's draft.
pub const DRAFT_KEY: &str = "pillarlint.draft";

/// One analysed template: the report (JSON contract), its laid-out scene, and timings.
#[derive(Debug)]
pub struct View {
    /// Increases with every analysis; equality is by id (cheap prop comparisons).
    pub id: u64,
    pub report: FileReport,
    pub scene: Scene,
    /// Fact resource -> the node it is drawn on (roles, methods, log groups).
    pub owner: HashMap<String, String>,
    pub analysis_ms: f64,
    pub layout_ms: f64,
    /// When the analysis finished (for measuring render time).
    pub done_at: f64,
}

impl PartialEq for View {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl View {
    /// The node a finding is drawn on (its resource or the resource's owner).
    pub fn node_of(&self, f: &FindingOut) -> Option<String> {
        let r = f.resource.as_deref()?;
        let id = self.owner.get(r).map_or(r, String::as_str);
        self.scene.node(id).map(|n| n.id.clone())
    }
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

/// A monotonic clock in milliseconds.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// Analyse `text` and lay it out. Never panics on user input.
pub fn analyse(id: u64, text: &str, path: &str) -> Result<Rc<View>, ErrorOut> {
    let t0 = now_ms();
    let a = pillarlint_core::analyze_text(text).map_err(ErrorOut::from)?;
    let report = a.to_report(path);
    let t1 = now_ms();
    let owner = owners(&report, Some(&a));
    let input = LayoutInput::for_report(&a, &report, &owner);
    let scene = Layered::default().layout(&input);
    let t2 = now_ms();
    Ok(Rc::new(View {
        id,
        report,
        scene,
        owner,
        analysis_ms: t1 - t0,
        layout_ms: t2 - t1,
        done_at: t2,
    }))
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
    pub text: Rc<str>,
    pub file_name: Rc<str>,
    /// Bumped on every text change; stale analyses are dropped.
    pub revision: u64,
    /// The last good analysis (kept while the text does not parse).
    pub view: Option<Rc<View>>,
    pub error: Option<ErrorOut>,
    pub filter: Filter,
    pub selection: Selection,
    /// Bumped when the editor should scroll to the selection.
    pub reveal: u64,
}

impl AppState {
    pub fn new(text: String, file_name: &str) -> Self {
        AppState {
            text: text.into(),
            file_name: file_name.into(),
            revision: 1,
            view: None,
            error: None,
            filter: Filter::default(),
            selection: Selection::None,
            reveal: 0,
        }
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
    /// The user changed the text (typing, paste, drop, open).
    Edit {
        text: String,
        file_name: Option<String>,
    },
    /// An analysis of `revision` finished.
    Analysed {
        revision: u64,
        result: Result<Rc<View>, ErrorOut>,
    },
    TogglePillar(Pillar),
    MinSeverity(Severity),
    SelectFinding(usize),
    SelectNode(String),
    ClearSelection,
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Edit { text, file_name } => {
                s.text = text.into();
                if let Some(f) = file_name {
                    s.file_name = f.into();
                    s.selection = Selection::None;
                }
                s.revision += 1;
            }
            Action::Analysed { revision, result } => {
                if revision != s.revision {
                    return self;
                }
                match result {
                    Ok(v) => {
                        // keep the selection when it survives the edit
                        let keep = match &s.selection {
                            Selection::Node(id) => {
                                v.scene.node(id).is_some().then(|| s.selection.clone())
                            }
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
                        s.view = Some(v);
                        s.error = None;
                    }
                    Err(e) => s.error = Some(e),
                }
            }
            Action::TogglePillar(p) => {
                if !s.filter.pillars.remove(&p) {
                    s.filter.pillars.insert(p);
                }
            }
            Action::MinSeverity(sev) => s.filter.min_severity = sev,
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

pub type AppContext = UseReducerHandle<AppState>;
