//! The playground: editor, diagram and findings side by side (a resizable split), or one
//! at a time behind a Template · Diagram · Findings switch on a phone.

use std::rc::Rc;

use pillarlint_core::example::EXAMPLES;
use pillarlint_core::report::ErrorOut;
use pillarlint_core::rules::Pillar;
use yew::prelude::*;

use crate::components::diagram::Diagram;
use crate::components::documents_menu::{docs_menu, splitter, DocsMenuProps, SplitterProps};
use crate::components::editor::{Editor, LineMark};
use crate::components::findings_list::FindingsList;
use crate::components::glyph::logo;
use crate::components::legend::{legend, LegendProps};
use crate::components::node_details::{node_details, NodeDetailsProps};
use crate::components::share_dialog::{export_menu, share_button};
use crate::documents::{self, Doc, Origin};
use crate::state::{ms, ms1, now_ms, Action, AppContext, Selection, View};
use pillarlint_core::diagram::Num;

#[derive(Properties, PartialEq)]
pub struct PlaygroundProps {
    pub state: AppContext,
}

/// The findings on each line (those the filter shows), for the editor's gutter.
/// In an app, only the findings of the file shown (`file`).
fn line_marks(
    view: &View,
    filter: &pillarlint_core::diagram::Filter,
    file: Option<&str>,
) -> Vec<LineMark> {
    let mut shown: Vec<(usize, &pillarlint_core::report::FindingOut)> = view
        .report
        .findings
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            (file.is_none() || f.file.is_none() || f.file.as_deref() == file)
                && f.suppressed.is_none()
                && filter.pillars.contains(&f.pillar)
                && f.severity >= filter.min_severity
        })
        .collect();
    pillarlint_core::sort::sort_by(&mut shown, |a, b| {
        (a.1.line, b.1.severity).cmp(&(b.1.line, a.1.severity))
    });
    let mut marks: Vec<LineMark> = Vec::new();
    for (i, f) in shown {
        let row = format!("{} {}: {}", f.severity.as_str(), f.rule, f.message);
        match marks.last_mut() {
            Some(m) if m.line == f.line => {
                m.count += 1;
                if m.count <= 6 {
                    m.summary.push('\n');
                    m.summary.push_str(&row);
                }
            }
            _ => marks.push(LineMark {
                line: f.line,
                pillar: f.pillar,
                count: 1,
                finding: i,
                summary: row,
            }),
        }
    }
    marks
}

/// The last split, in percent of the width (the editor's share).
const SPLIT_KEY: &str = "pillarlint.split";

/// The editor's first share: at 1440 px the diagram pane keeps about 700 px, where the
/// largest corpus service still draws names of at least 9 px (tests/tests/browser_diagram.rs).
const DEFAULT_SPLIT: f64 = 27.0;

fn load_split() -> f64 {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(SPLIT_KEY).ok().flatten())
        // an integer: no float parsing code in the bundle for one number
        .and_then(|v| v.parse::<u8>().ok())
        .filter(|v| (15..=75).contains(v))
        .map_or(DEFAULT_SPLIT, f64::from)
}

#[function_component(Playground)]
pub fn playground(p: &PlaygroundProps) -> Html {
    let state = &p.state;
    let rendered = use_state(|| 0u64);
    {
        let rendered = rendered.clone();
        let view = state.view.clone();
        use_effect_with(view.as_ref().map(|v| v.id), move |_| {
            if let Some(v) = view {
                // measured once, when this analysis is first drawn
                if v.render_ms.get().is_none() {
                    v.render_ms.set(Some(now_ms() - v.done_at));
                    rendered.set(v.id);
                }
                crate::pwa::after_first_diagram();
                crate::lazy::load();
                // -- diagram (issue 19): until the browser has drawn the page (the bench's
                // figure), written to the read-out directly: a state change would render again
                crate::state::after_paint(move || {
                    if let Some(el) = web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.get_element_by_id("perf"))
                    {
                        let _ = el.set_attribute(
                            "data-painted-ms",
                            &crate::state::ms(now_ms() - v.done_at),
                        );
                    }
                });
            }
        });
    }
    let tab = use_state(|| "diagram");
    let split = use_state(load_split);
    let dragging = use_memo((), |()| std::cell::Cell::new(false));

    let on_edit = {
        let d = state.dispatcher();
        Callback::from(move |text: String| d.dispatch(Action::Edit(text)))
    };
    let on_open_file = {
        let d = state.dispatcher();
        Callback::from(move |(text, name): (String, String)| {
            d.dispatch(documents::open_action(Origin::File, &name, true, text));
        })
    };
    {
        // a folder, several files or a zip read by static/apps/read.js (crate::appdoc): one
        // app document
        let d = state.dispatcher();
        use_effect_with((), move |()| {
            let l = web_sys::window().map(|w| {
                gloo::events::EventListener::new(&w, "pillarlint-app", move |e| {
                    let detail = js_sys::Reflect::get(e, &"detail".into()).unwrap_or_default();
                    let part = |i| js_sys::Reflect::get_u32(&detail, i).ok()?.as_string();
                    if let (Some(name), Some(text)) = (part(0), part(1)) {
                        d.dispatch(documents::open_action(Origin::App, &name, true, text));
                    }
                })
            });
            move || drop(l)
        });
    }
    let on_rename = {
        let d = state.dispatcher();
        Callback::from(move |name: String| d.dispatch(Action::Rename(name)))
    };
    let on_open_doc = {
        let d = state.dispatcher();
        let docs = state.docs.clone();
        Callback::from(move |id: Rc<str>| {
            if let (Some(doc), Some(text)) = (
                docs.iter().find(|x| x.id == id).cloned(),
                documents::text(&id),
            ) {
                d.dispatch(Action::Open { doc, text });
            }
        })
    };
    let on_new_doc = {
        let d = state.dispatcher();
        Callback::from(move |()| {
            d.dispatch(Action::Open {
                doc: Doc::new(Origin::Draft, "untitled.yaml", false, ""),
                text: String::new(),
            })
        })
    };
    let on_delete_doc = {
        let d = state.dispatcher();
        Callback::from(move |id: Rc<str>| {
            documents::remove(&id);
            d.dispatch(Action::DocsChanged);
        })
    };
    let on_example = {
        let d = state.dispatcher();
        Callback::from(move |e: Event| {
            if let Some(sel) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                if let Some(ex) = pillarlint_core::example::example(&sel.value()) {
                    crate::docs::open_example(ex, d.clone());
                }
                sel.set_value("");
            }
        })
    };
    let on_select_finding = {
        let d = state.dispatcher();
        Callback::from(move |i: usize| d.dispatch(Action::SelectFinding(i)))
    };
    let on_select_node = {
        let d = state.dispatcher();
        Callback::from(move |id: String| d.dispatch(Action::SelectNode(id)))
    };
    let on_clear = {
        let d = state.dispatcher();
        Callback::from(move |()| d.dispatch(Action::ClearSelection))
    };
    // -- diagram (issue 19): how the diagram is presented
    let on_present = {
        let d = state.dispatcher();
        Callback::from(move |s| d.dispatch(Action::Present(s)))
    };
    let on_toggle = {
        let d = state.dispatcher();
        Callback::from(move |pl: Pillar| d.dispatch(Action::TogglePillar(pl)))
    };
    let on_min = {
        let d = state.dispatcher();
        Callback::from(move |s| d.dispatch(Action::MinSeverity(s)))
    };
    let on_split = {
        let split = split.clone();
        Callback::from(move |v: f64| split.set(v))
    };

    let (sel_node, sel_edge, sel_finding) = match (&state.selection, &state.view) {
        (Selection::Finding(i), Some(v)) => match v.report.findings.get(*i) {
            // an edge finding marks its edge and the node of its resource
            Some(f) => (
                v.node_of(f),
                f.edge.as_ref().map(|e| (e.from.clone(), e.to.clone())),
                Some(*i),
            ),
            None => (None, None, None),
        },
        (Selection::Node(id), _) => (Some(id.clone()), None, None),
        _ => (None, None, None),
    };
    let counts = state.view.as_ref().map_or([0; 4], |v| {
        let mut c = [0usize; 4];
        for f in v.report.active() {
            if let Some(i) = Pillar::ALL.iter().position(|p| *p == f.pillar) {
                c[i] += 1;
            }
        }
        c
    });
    let (shown_path, shown_text) = state.shown_file();
    let shown_path = shown_path.map(str::to_owned);
    let marks = use_memo(
        (state.view.clone(), state.filter.clone(), shown_path.clone()),
        |(view, filter, file)| {
            view.as_ref()
                .map_or_else(Vec::new, |v| line_marks(v, filter, file.as_deref()))
        },
    );
    let perf = state.view.as_ref().map(|v| {
        let render = v.render_ms.get().unwrap_or(0.0);
        html! {
            <output id="perf" class="perf" data-analysis-ms={ms(v.analysis_ms)}
                    data-layout-ms={ms(v.layout_ms)} data-render-ms={ms(render)}
                    data-nodes={v.scene.nodes.len().to_string()}
                    title="analysis · layout · render, in milliseconds">
                { format!("{} + {} + {} ms", ms1(v.analysis_ms), ms1(v.layout_ms), ms1(render)) }
            </output>
        }
    });
    let format = state
        .view
        .as_ref()
        .and_then(|v| v.report.format)
        .map(|f| match f {
            pillarlint_core::parse::Format::CloudFormation => "CloudFormation",
            pillarlint_core::parse::Format::Sam => "SAM",
            pillarlint_core::parse::Format::Serverless => "Serverless Framework",
            pillarlint_core::parse::Format::Terraform => "Terraform",
            pillarlint_core::parse::Format::TerraformPlan => "Terraform plan",
        });
    // an empty document is not an error: it waits for a template
    let empty = state.text.trim().is_empty();
    let error: Option<ErrorOut> = state.error.clone().filter(|_| !empty);
    // what Share and Export act on (the share bundle analyses it again when asked)
    let app = state.view.as_ref().and_then(|v| v.app().cloned());
    // An app: the editor's banner speaks of the file it shows: that file's own parse error
    // (a nested template that does not read, while the app around it does), or, when the
    // error is in another file, a notice naming that file instead of a position here.
    let (editor_error, error_elsewhere) = match (state.shown_path(), &error) {
        (Some(shown), Some(e)) => match &e.file {
            Some(f) if f != shown => (None, Some((f.clone(), e.clone()))),
            _ => (error.clone(), None),
        },
        (Some(shown), None) => (
            app.as_ref().and_then(|a| {
                a.reports
                    .iter()
                    .find(|r| r.path == shown)
                    .and_then(|r| r.error.clone())
            }),
            None,
        ),
        (None, _) => (error.clone(), None),
    };
    let error_elsewhere = error_elsewhere.map(|(file, e)| {
        let index = state
            .files
            .as_ref()
            .and_then(|f| f.iter().position(|(p, _)| *p == file));
        let d = state.dispatcher();
        html! {
            <div id="app-error-elsewhere" class="parse-error" role="alert" data-file={file.clone()}>
                <span>{ format!("{file} does not parse (line {}, column {}): {}", e.line, e.column, e.message) }</span>
                if let Some(i) = index {
                    {" "}
                    <button type="button" class="linklike" onclick={Callback::from(move |_: MouseEvent| d.dispatch(Action::SelectFile(i)))}>
                        { format!("Show {file}") }
                    </button>
                }
            </div>
        }
    });
    let link_files = app
        .as_ref()
        .filter(|_| cfg!(feature = "apps") && state.files.is_some())
        .map(|a| a.link_files.clone());
    crate::lazy::set_current(crate::lazy::Shared {
        text: Some(match &link_files {
            Some(f) => f
                .first()
                .map_or_else(|| "".into(), |(_, t)| t.as_str().into()),
            None => state.text.clone(),
        }),
        link: None,
        files: link_files.map(Rc::new),
        name: state.file_name().to_owned(),
        filter: state.filter.clone(),
        selected: sel_node.clone(),
    });
    // the way back to the user's own text, when what is shown is something they opened
    let back = (!state.doc.edited)
        .then(|| {
            state
                .docs
                .iter()
                .find(|d| d.edited && d.id != state.doc.id)
        })
        .flatten()
        .map(|d| {
            let id = d.id.clone();
            let cb = on_open_doc.clone();
            html! {
                <button id="back-to-draft" type="button" class="back-chip" data-doc-id={d.id.to_string()}
                        title={format!("Back to your draft {} ({})", d.name, documents::ago(d.updated, js_sys::Date::now()))}
                        onclick={Callback::from(move |_: MouseEvent| cb.emit(id.clone()))}>
                    <span aria-hidden="true">{"↩ "}</span>{ format!("Back to {}", d.name) }
                </button>
            }
        });
    // an app: which of its files the editor shows (the main template first)
    let file_picker = state.files.as_ref().zip(state.file_index()).map(|(files, cur)| {
        let root = app.as_ref().map(|a| a.root.as_str());
        let is_root = |i: &usize| Some(files[*i].0.as_str()) == root;
        let order: Vec<usize> = (0..files.len())
            .filter(is_root)
            .chain((0..files.len()).filter(|i| !is_root(i)))
            .collect();
        let d = state.dispatcher();
        let onchange = Callback::from(move |e: Event| {
            if let Some(sel) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                if let Ok(i) = sel.value().parse() {
                    d.dispatch(Action::SelectFile(i));
                }
            }
        });
        html! {
            <select id="app-file" class="app-file" aria-label="File of the app shown in the editor" {onchange}
                    title={format!("{} files in this app", files.len())}>
                { for order.into_iter().map(|i| html! {
                    <option value={i.to_string()} selected={i == cur}>{ files[i].0.clone() }</option>
                }) }
            </select>
        }
    });
    let storage_error = state.storage_error.as_ref().map(|msg| {
        let text = state.text.clone();
        let name = state.file_name().to_owned();
        let d = state.dispatcher();
        html! {
            <div id="storage-error" class="storage-error" role="alert">
                <strong>{"Not saved: "}</strong>{ msg.clone() }{"."}
                <button type="button" onclick={Callback::from(move |_: MouseEvent| {
                    let _ = crate::export::download_text(&text, "text/yaml;charset=utf-8", &name);
                })}>{"Download the text"}</button>
                <button type="button" class="close" aria-label="Dismiss" onclick={Callback::from(move |_: MouseEvent| d.dispatch(Action::DismissStorageError))}>{"✕"}</button>
            </div>
        }
    });
    let tools = html! {
        <>
            { back.unwrap_or_default() }
            { file_picker.unwrap_or_default() }
            { docs_menu(&DocsMenuProps { docs: state.docs.clone(), active: state.doc.id.clone(), on_open: on_open_doc,
                                         on_new: on_new_doc, on_delete: on_delete_doc }) }
        </>
    };
    let tab_button = |id: &'static str, label: &'static str| {
        let tab2 = tab.clone();
        let selected = *tab == id;
        html! {
            <button type="button" role="tab" id={format!("tab-{id}")} aria-selected={if selected { "true" } else { "false" }}
                    tabindex={if selected { "0" } else { "-1" }} aria-controls={format!("panel-{id}")}
                    onclick={Callback::from(move |_: MouseEvent| tab2.set(id))}>{ label }</button>
        }
    };
    let tab_keys = {
        let tab = tab.clone();
        Callback::from(move |e: KeyboardEvent| {
            const ORDER: [&str; 3] = ["template", "diagram", "findings"];
            let i = ORDER.iter().position(|t| *t == *tab).unwrap_or(1);
            let next = match e.key().as_str() {
                "ArrowRight" => (i + 1) % 3,
                "ArrowLeft" => (i + 2) % 3,
                "Home" => 0,
                "End" => 2,
                _ => return,
            };
            e.prevent_default();
            tab.set(ORDER[next]);
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&format!("tab-{}", ORDER[next])))
                .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok())
            {
                let _ = el.focus();
            }
        })
    };

    html! {
        <div class="app">
            <header class="topbar">
                <h1 class="brand-h"><a class="brand" href="#/">{ logo(22) }<span>{"pillarlint"}</span></a></h1>
                <span class="tagline">{"serverless security, drawn"}</span>
                <span class="spacer" />
                if let Some(f) = format { <span class="format-badge" title="detected template format">{ f }</span> }
                { perf.unwrap_or_default() }
                <select id="examples" class="gallery" aria-label="Open an example template" onchange={on_example}>
                    <option value="" selected=true>{"Examples…"}</option>
                    { for EXAMPLES.iter().map(|e| html! { <option value={e.id}>{ e.title }</option> }) }
                </select>
                { export_menu(state.view.is_some()) }
                { share_button() }
                <a class="button" href="rules.html#/rules">{"Rules"}</a>
            </header>
            <main class="main">
                { legend(&LegendProps { filter: state.filter.clone(), counts, on_toggle, on_min_severity: on_min }) }
                <div class="tabs" role="tablist" aria-label="Show" onkeydown={tab_keys}>
                    { tab_button("template", "Template") }
                    { tab_button("diagram", "Diagram") }
                    { tab_button("findings", "Findings") }
                </div>
                { storage_error.unwrap_or_default() }
                { error_elsewhere.unwrap_or_default() }
                <div class="workspace" data-tab={*tab} style={format!("--split:{}%", Num(*split as f32))}>
                    <div id="panel-template" class="panel panel-template" role="tabpanel" aria-labelledby="tab-template">
                        <Editor doc_id={match state.file_index() { Some(i) => Rc::from(format!("{}/{i}", state.doc.id)), None => state.doc.id.clone() }}
                                text={shown_text} file_name={AttrValue::from(state.file_name().to_owned())}
                                {on_edit} {on_open_file} {on_rename} highlight={state.highlighted_lines()} reveal={state.reveal}
                                error={editor_error.clone()} stale={state.view.is_some() && error.is_some()} marks={marks.clone()}
                                on_select_finding={on_select_finding.clone()} {tools} />
                    </div>
                    { splitter(&SplitterProps { value: *split, on_change: on_split, dragging: dragging.clone() }) }
                    <div id="panel-diagram" class={classes!("panel", "center", error.is_some().then_some("stale"))} role="tabpanel" aria-labelledby="tab-diagram">
                        if let Some(v) = &state.view {
                            <Diagram view={v.clone()} filter={state.filter.clone()} selected_node={sel_node.clone()}
                                     selected_edge={sel_edge} on_select_node={on_select_node} on_clear={on_clear.clone()} {on_present} />
                        } else {
                            <section class="pane diagram-pane" aria-label="Service diagram">
                                <div id="no-diagram" class="empty">
                                    if let Some(e) = &error {
                                        <p><strong>{ format!("Nothing to draw: the template does not parse (line {}, column {}).", e.line, e.column) }</strong></p>
                                        <p>{"Fix it in the editor: the diagram appears as soon as it reads."}</p>
                                    } else if empty {
                                        <p><strong>{"Nothing to draw yet."}</strong></p>
                                        <p>{"Paste, drop or open a CloudFormation, SAM or Serverless template."}</p>
                                    } else {
                                        <p>{"Analysing…"}</p>
                                    }
                                </div>
                            </section>
                        }
                    </div>
                    <div id="panel-findings" class="panel side" role="tabpanel" aria-labelledby="tab-findings">
                        <h2 class="visually-hidden">{"Details and findings"}</h2>
                        if let Some(v) = &state.view {
                            if let Selection::Node(id) = &state.selection {
                                { node_details(&NodeDetailsProps { view: v.clone(), id: id.clone(), on_select_finding: on_select_finding.clone(), on_close: on_clear }) }
                            }
                            <FindingsList view={v.clone()} filter={state.filter.clone()} selected={sel_finding} on_select={on_select_finding} />
                        } else {
                            <section class="pane findings-pane" aria-label="Findings">
                                <div class="toolbar"><h2 class="pane-title">{"No findings"}</h2></div>
                                <p id="no-findings" class="findings-note">
                                    { match &error {
                                        Some(e) => format!("The template does not parse (line {}, column {}): nothing was checked.", e.line, e.column),
                                        None if empty => "Findings appear here once there is a template.".to_owned(),
                                        None => "Analysing…".to_owned(),
                                    } }
                                </p>
                            </section>
                        }
                    </div>
                </div>
            </main>
        </div>
    }
}
