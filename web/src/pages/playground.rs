//! The playground: editor, diagram and findings side by side.

use pillarlint_core::example::EXAMPLES;
use pillarlint_core::rules::Pillar;
use yew::prelude::*;

use crate::components::diagram::Diagram;
use crate::components::editor::Editor;
use crate::components::findings_list::FindingsList;
use crate::components::legend::{legend, LegendProps};
use crate::components::node_details::{node_details, NodeDetailsProps};
use crate::components::share_dialog::{ExportMenu, ShareButton};
use crate::state::{ms, ms1, now_ms, Action, AppContext, Selection};

#[derive(Properties, PartialEq)]
pub struct PlaygroundProps {
    pub state: AppContext,
}

#[function_component(Playground)]
pub fn playground(p: &PlaygroundProps) -> Html {
    let state = &p.state;
    let render_ms = use_state(|| 0.0f64);
    {
        let render_ms = render_ms.clone();
        let view = state.view.clone();
        use_effect_with(view.as_ref().map(|v| v.id), move |_| {
            if let Some(v) = view {
                render_ms.set(now_ms() - v.done_at);
            }
        });
    }

    let on_edit = {
        let d = state.dispatcher();
        Callback::from(move |(text, file_name): (String, Option<String>)| {
            d.dispatch(Action::Edit { text, file_name })
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
    let on_toggle = {
        let d = state.dispatcher();
        Callback::from(move |pl: Pillar| d.dispatch(Action::TogglePillar(pl)))
    };
    let on_min = {
        let d = state.dispatcher();
        Callback::from(move |s| d.dispatch(Action::MinSeverity(s)))
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
    let perf = state.view.as_ref().map(|v| {
        html! {
            <output id="perf" class="perf muted" data-analysis-ms={ms(v.analysis_ms)}
                    data-layout-ms={ms(v.layout_ms)} data-render-ms={ms(*render_ms)}
                    data-nodes={v.scene.nodes.len().to_string()}
                    title="analysis · layout · render, in milliseconds">
                { format!("{} + {} + {} ms", ms1(v.analysis_ms), ms1(v.layout_ms), ms1(*render_ms)) }
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

    html! {
        <div class="app">
            <header class="topbar">
                <a class="brand" href="#/" aria-label="pillarlint home">
                    <img src="icons/favicon.svg" alt="" width="22" height="22" />
                    <span>{"pillarlint"}</span>
                </a>
                <span class="tagline muted">{"serverless security, drawn"}</span>
                <span class="spacer" />
                if let Some(f) = format { <span class="format-badge" title="detected template format">{ f }</span> }
                { perf.unwrap_or_default() }
                <label class="gallery">
                    <span class="visually-hidden">{"Load an example"}</span>
                    <select id="examples" aria-label="Load an example template" onchange={on_example}>
                        <option value="" selected=true>{"Examples…"}</option>
                        { for EXAMPLES.iter().map(|e| html! { <option value={e.id}>{ e.title }</option> }) }
                    </select>
                </label>
                <ExportMenu view={state.view.clone()} filter={state.filter.clone()} />
                <ShareButton state={state.clone()} />
                <a class="button" href="#/rules">{"Rules"}</a>
            </header>
            { legend(&LegendProps { filter: state.filter.clone(), counts, on_toggle, on_min_severity: on_min }) }
            <div class="workspace">
                <Editor text={state.text.clone()} file_name={state.file_name.clone()} {on_edit}
                        highlight={state.highlighted_lines()} reveal={state.reveal}
                        error={state.error.clone()} stale={state.view.is_some()} />
                <div class={classes!("center", state.error.is_some().then_some("stale"))}>
                    if let Some(v) = &state.view {
                        <Diagram view={v.clone()} filter={state.filter.clone()} selected_node={sel_node.clone()}
                                 selected_edge={sel_edge} on_select_node={on_select_node} on_clear={on_clear.clone()} />
                    } else {
                        <section class="pane diagram-pane"><div class="empty"><p>{"Analysing…"}</p></div></section>
                    }
                </div>
                if let Some(v) = &state.view {
                    <div class="side">
                        if let Selection::Node(id) = &state.selection {
                            { node_details(&NodeDetailsProps { view: v.clone(), id: id.clone(), on_select_finding: on_select_finding.clone(), on_close: on_clear }) }
                        }
                        <FindingsList view={v.clone()} filter={state.filter.clone()} selected={sel_finding} on_select={on_select_finding} />
                    </div>
                }
            </div>
        </div>
    }
}
