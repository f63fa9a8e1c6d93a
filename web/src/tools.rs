//! The share and export bundle (`share/`, binary `pillarlint-share`): what the app's Share
//! and Export buttons do, loaded after the first diagram (`crate::lazy`). It is handed the
//! app's state as a link's JSON (or a findings-only link's payload), analyses it again —
//! the same core, the same result — and opens the share dialog or offers the file.

use std::cell::RefCell;
use std::rc::Rc;

use pillarlint_core::permalink::{self, State};
use pillarlint_core::report::FileReport;
use wasm_bindgen::JsCast;
use yew::AppHandle;

use crate::components::share_dialog::{ShareDialog, ShareDialogProps};
use crate::documents::{Doc, Origin};
use crate::export;
use crate::share;
use crate::state::{AppState, Selection, View};

thread_local! {
    static DIALOG: RefCell<Option<AppHandle<ShareDialog>>> = const { RefCell::new(None) };
}

/// Report an export's failure where the app shows it.
fn status(msg: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("export-status"))
    {
        el.set_text_content(Some(msg));
    }
}

/// `action`: `"share"`, `"svg"`, `"png"`, `"md"`, `"json"` or `"sarif"`; `state_json`: the app's state
/// (`permalink::state_json`'s format); `link`: a findings-only link's payload, when that is
/// what the app shows (then `state_json` is not read).
pub fn run(action: &str, state_json: &str, link: &str) {
    status("");
    let state = if link.is_empty() {
        permalink::state_from_json(state_json)
    } else {
        permalink::decode(link)
    };
    let state = match state {
        Ok(s) => s,
        Err(e) => return status(&format!("Nothing to share or export: {e}")),
    };
    let view = share::view_of(&state).ok();
    if action == "share" {
        open_dialog(&state, view);
    } else {
        save(action, &state, view.as_deref());
    }
}

/// The share dialog, mounted in a container of its own beside the app (a new one per
/// opening: it reflects the state of that moment).
fn open_dialog(state: &State, view: Option<Rc<View>>) {
    let name = state
        .path
        .clone()
        .unwrap_or_else(|| "template.yaml".to_owned());
    let text = state.text.clone().unwrap_or_default();
    let mut app = AppState::new(Doc::new(Origin::Draft, &name, true, &text), text);
    app.filter = share::filter_of(state);
    if let Some(sel) = &state.selected {
        app.selection = Selection::Node(sel.clone());
    }
    if !state.files.is_empty() {
        app.files = Some(Rc::new(
            state
                .all_files()
                .into_iter()
                .map(|(p, t)| (p.to_owned(), Rc::from(t)))
                .collect(),
        ));
    }
    app.view = view;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let root = doc.get_element_by_id("share-root").or_else(|| {
        let el = doc.create_element("div").ok()?;
        el.set_id("share-root");
        doc.body()?.append_child(&el).ok()?;
        Some(el)
    });
    let Some(root) = root else { return };
    DIALOG.with(|d| {
        if let Some(old) = d.borrow_mut().take() {
            old.destroy();
        }
        let handle = yew::Renderer::<ShareDialog>::with_root_and_props(
            root,
            ShareDialogProps {
                state: Rc::new(app),
            },
        )
        .render();
        *d.borrow_mut() = Some(handle);
    });
}

/// One export: the diagram as SVG or PNG, the report as Markdown or JSON (a template that
/// does not parse still has a report: its error).
fn save(kind: &str, state: &State, view: Option<&View>) {
    let name = state
        .path
        .clone()
        .unwrap_or_else(|| "template.yaml".to_owned());
    let failed;
    let report: &FileReport = match (view, &state.text) {
        (Some(v), _) => &v.report,
        (None, Some(text)) => {
            failed = pillarlint_core::report_file(&name, text.as_bytes());
            &failed
        }
        (None, None) => return status("Nothing to export."),
    };
    let filter = share::filter_of(state);
    let res = match (kind, view) {
        ("svg", Some(view)) => export::download_text(
            &export::svg(view, &filter, export::prefers_dark()),
            "image/svg+xml",
            &export::file_name(&report.path, "svg"),
        ),
        ("png", Some(view)) => {
            let svg = export::svg(view, &filter, export::prefers_dark());
            // the document's own size (the title band adds 36 units)
            let (w, h) = (
                view.scene.width.max(120.0),
                view.scene.height.max(80.0) + 36.0,
            );
            export::download_png(
                &svg,
                w,
                h,
                2.0,
                &export::file_name(&report.path, "png"),
                |e| status(&format!("PNG export failed: {e}")),
            )
        }
        ("svg" | "png", None) => {
            return status("There is no diagram to export: the template does not parse.")
        }
        // an app: one report per file and the whole app, as the CLI writes them
        ("json", Some(v)) if v.app().is_some() => export::download_text(
            &v.app().map(|a| export::json_app(a)).unwrap_or_default(),
            "application/json",
            &export::file_name(&report.path, "json"),
        ),
        ("sarif", v) => {
            let (reports, app) = match v.and_then(|v| v.app()) {
                Some(a) => (a.reports.clone(), a.out.as_ref().map(|o| o.name.clone())),
                None => (vec![report.clone()], None),
            };
            export::download_text(
                &export::sarif(&reports, app.as_deref()),
                "application/sarif+json",
                &export::file_name(&report.path, "sarif"),
            )
        }
        ("md", _) => export::download_text(
            &export::markdown(report),
            "text/markdown;charset=utf-8",
            &export::file_name(&report.path, "md"),
        ),
        _ => export::download_text(
            &export::json(report),
            "application/json",
            &export::file_name(&report.path, "json"),
        ),
    };
    if let Err(e) = res {
        status(&format!(
            "Export failed: {}",
            e.dyn_ref::<js_sys::Error>()
                .map_or_else(|| format!("{e:?}"), |e| String::from(e.message()))
        ));
    }
}
