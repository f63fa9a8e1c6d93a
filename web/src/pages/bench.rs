//! `#/bench`: analysis + layout + render timings in this browser, for the built-in example,
//! generated templates of 10, 100, 500 and 1,000 resources, and the text currently in the
//! editor (paste the largest template you have there first). Results go to a table and to the
//! console; `tests/src/bin/browser_bench.rs` reads the table and sets it beside native figures.

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use pillarlint_core::diagram::present::Options as Shown;
use pillarlint_core::diagram::Filter;
use pillarlint_core::example::{generated, BOOKSTORE};
use yew::prelude::*;

use crate::components::diagram::Diagram;
use crate::state::{after_paint, analyse, ms, now_ms, View};

/// How many cases the page runs.
const CASES: usize = 6;

/// The playground's diagram pane at 1440×900: every case is presented for it.
const PANE: (f32, f32) = (709.0, 627.0);

#[derive(Clone, PartialEq)]
struct Row {
    case: &'static str,
    bytes: usize,
    nodes: usize,
    analysis_ms: f64,
    layout_ms: f64,
    render_ms: Option<f64>,
    paint_ms: Option<f64>,
    error: Option<String>,
}

fn median(mut v: Vec<f64>) -> f64 {
    pillarlint_core::sort::sort_by(&mut v, f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// Analyse `text` a few times; the median analysis and layout times, and the last view.
fn measure(case: &'static str, text: &str) -> (Row, Option<Rc<View>>) {
    let mut a = Vec::new();
    let mut l = Vec::new();
    let mut last = None;
    let shown = Shown {
        pane: Some(PANE),
        ..Shown::default()
    };
    for _ in 0..5 {
        match analyse(text, Some(case), &shown) {
            Ok(v) => {
                a.push(v.analysis_ms);
                l.push(v.layout_ms);
                last = Some(v);
            }
            Err(e) => {
                return (
                    Row {
                        case,
                        bytes: text.len(),
                        nodes: 0,
                        analysis_ms: 0.0,
                        layout_ms: 0.0,
                        render_ms: None,
                        paint_ms: None,
                        error: Some(e.message),
                    },
                    None,
                )
            }
        }
    }
    (
        Row {
            case,
            bytes: text.len(),
            nodes: last.as_ref().map_or(0, |v| v.scene.nodes.len()),
            analysis_ms: median(a),
            layout_ms: median(l),
            render_ms: None,
            paint_ms: None,
            error: None,
        },
        last,
    )
}

#[derive(Properties, PartialEq)]
pub struct BenchProps {
    /// The editor's current text (the "your template" case).
    pub text: Rc<str>,
}

/// `bench.html`'s root: the bench over the playground's saved draft (or the example).
#[function_component(BenchRoot)]
pub fn bench_root() -> Html {
    let text = use_memo((), |()| -> Rc<str> {
        web_sys::window()
            .and_then(|w| w.local_storage().ok().flatten())
            .and_then(|s| s.get_item(crate::state::DRAFT_KEY).ok().flatten())
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| BOOKSTORE.text.to_owned())
            .into()
    });
    html! { <BenchPage text={(*text).clone()} /> }
}

#[function_component(BenchPage)]
pub fn bench_page(p: &BenchProps) -> Html {
    let rows = use_state(Vec::<Row>::new);
    let shown = use_state(|| None::<(usize, Rc<View>, f64)>);
    let step = use_state(|| 0usize);
    let timer = use_mut_ref(|| None::<Timeout>);

    // run one case per step: measure, then draw it and time the render in the next effect
    {
        let rows = rows.clone();
        let shown = shown.clone();
        let text = p.text.clone();
        let timer = timer.clone();
        let step = step.clone();
        use_effect_with(*step, move |&i| {
            let case: Option<(&'static str, String)> = match i {
                0 => Some(("example", BOOKSTORE.text.to_owned())),
                1 => Some(("generated-10", generated(10))),
                2 => Some(("generated-100", generated(100))),
                3 => Some(("generated-500", generated(500))),
                4 => Some(("generated-1000", generated(1000))),
                5 => Some(("editor", text.to_string())),
                _ => None,
            };
            if let Some((case, t)) = case {
                *timer.borrow_mut() = Some(Timeout::new(30, move || {
                    let (row, view) = measure(case, &t);
                    let mut r = (*rows).clone();
                    r.push(row);
                    rows.set(r);
                    match view {
                        Some(v) => shown.set(Some((i, v, now_ms()))),
                        None => step.set(i + 1), // an error row: nothing to draw
                    }
                }));
            }
        });
    }
    // after the diagram of case i is in the page: record that time, then the time until the
    // browser has painted it (style, layout and paint of the next frame), and move on
    {
        let rows = rows.clone();
        let step = step.clone();
        let key = shown.as_ref().map(|(i, ..)| *i);
        let started = shown.as_ref().map(|(_, _, t)| *t);
        use_effect_with(key, move |k| {
            if let (Some(i), Some(t0)) = (*k, started) {
                let dom = now_ms() - t0;
                after_paint(move || {
                    let painted = now_ms() - t0;
                    let mut r = (*rows).clone();
                    if let Some(last) = r.last_mut() {
                        last.render_ms = Some(dom);
                        last.paint_ms = Some(painted);
                        web_sys::console::log_1(
                            &format!(
                                "pillarlint bench {}: {} bytes, {} nodes, analysis {} ms, layout {} ms, render {} ms, painted {} ms",
                                last.case, last.bytes, last.nodes, ms(last.analysis_ms), ms(last.layout_ms), ms(dom), ms(painted)
                            )
                            .into(),
                        );
                    }
                    rows.set(r);
                    step.set(i + 1);
                });
            }
        });
    }

    let done = rows.len() >= CASES
        && rows
            .iter()
            .all(|r| r.render_ms.is_some() || r.error.is_some());
    html! {
        <main class="doc-page bench">
            <nav class="crumbs"><a href="#/" class="back">{"← Playground"}</a></nav>
            <h2>{"Benchmark"}</h2>
            <p class="muted">{"Median of 5 runs for analysis (parse → model → graph → rules → report) and layout; render is the time until the diagram is in the page, painted until the browser has drawn it (style, layout, paint). The “editor” case uses the text in the playground’s editor."}</p>
            <table id="bench-results" data-done={if done { "true" } else { "false" }}>
                <thead><tr><th>{"case"}</th><th>{"bytes"}</th><th>{"nodes"}</th><th>{"analysis ms"}</th><th>{"layout ms"}</th><th>{"render ms"}</th><th>{"painted ms"}</th></tr></thead>
                <tbody>
                    { for rows.iter().map(|r| html! {
                        <tr data-case={r.case} data-analysis-ms={ms(r.analysis_ms)} data-layout-ms={ms(r.layout_ms)}
                            data-render-ms={r.render_ms.map(ms).unwrap_or_default()}
                            data-paint-ms={r.paint_ms.map(ms).unwrap_or_default()} data-nodes={r.nodes.to_string()}>
                            <td>{ r.case }</td><td>{ r.bytes }</td><td>{ r.nodes }</td>
                            <td>{ ms(r.analysis_ms) }</td><td>{ ms(r.layout_ms) }</td>
                            <td>{ r.render_ms.map(ms).or_else(|| r.error.clone()).unwrap_or_else(|| "…".into()) }</td>
                            <td>{ r.paint_ms.map(ms).unwrap_or_default() }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            if let Some((_, v, _)) = &*shown {
                <div class="bench-diagram">
                    <Diagram view={v.clone()} filter={Filter::default()} selected_node={None::<String>} selected_edge={None::<(String, String)>}
                             on_select_node={Callback::noop()} on_clear={Callback::noop()} on_present={Callback::noop()} />
                </div>
            }
        </main>
    }
}
