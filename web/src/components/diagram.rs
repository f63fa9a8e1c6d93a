//! The diagram pane: the scene as live SVG, with zoom (wheel, buttons), pan (drag), fit and a
//! minimap when zoomed in; the view (everything, attack paths, by pillar), collapsed boxes
//! that open on click, and a focus depth for the selected node.
//!
//! The shapes are the core's markup (`svg::render_live`, the same generator as the SVG
//! export), set as the `<svg>`'s inner HTML in one step: hundreds of nodes appear in one parse
//! instead of thousands of DOM calls. Clicks and keys reach nodes by delegation on the `<svg>`;
//! selection and dimming are toggled on the existing elements, never by redrawing them.

use std::rc::Rc;

use gloo::events::EventListener;
use pillarlint_core::diagram::present::{fit_box, neighbourhood, Options as Shown, ViewMode};
use pillarlint_core::diagram::svg::{render, render_live, render_overview, Options};
use pillarlint_core::diagram::{Filter, Num, Scene};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::state::View;

#[derive(Properties, PartialEq)]
pub struct DiagramProps {
    pub view: Rc<View>,
    pub filter: Filter,
    pub selected_node: Option<String>,
    pub selected_edge: Option<(String, String)>,
    pub on_select_node: Callback<String>,
    pub on_clear: Callback<()>,
    /// Present the diagram another way: the pane's size, the view, opened boxes.
    pub on_present: Callback<Shown>,
}

#[derive(Clone, Copy, PartialEq, Debug)]
struct ViewBox {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
}

/// The `<svg>`'s size in CSS pixels, when it is laid out.
fn pane_of(svg: &NodeRef) -> Option<(f32, f32)> {
    svg.cast::<web_sys::Element>()
        .map(|e| {
            let r = e.get_bounding_client_rect();
            (r.width() as f32, r.height() as f32)
        })
        .filter(|(w, h)| *w > 10.0 && *h > 10.0)
}

/// The whole scene, centred (the core's fit: what the bench and the tests measure).
fn fit(scene: &Scene, svg: &NodeRef) -> ViewBox {
    let pane = pane_of(svg).unwrap_or((scene.width.max(200.0), scene.height.max(120.0)));
    let [x, y, w, h] = fit_box(scene.width, scene.height, pane);
    ViewBox { x, y, w, h }
}

#[derive(Clone, Copy)]
struct Drag {
    cx: f64,
    cy: f64,
    vb: ViewBox,
    moved: bool,
}

/// Screen pixels per viewBox unit, and the letterbox offsets (preserveAspectRatio meet).
fn metrics(svg: &web_sys::Element, vb: ViewBox) -> (f32, f32, f32, f32, f32) {
    let r = svg.get_bounding_client_rect();
    let (rw, rh) = (r.width() as f32, r.height() as f32);
    let scale = (rw / vb.w).min(rh / vb.h).max(1e-6);
    let ox = (rw - vb.w * scale) / 2.0;
    let oy = (rh - vb.h * scale) / 2.0;
    (scale, ox, oy, r.left() as f32, r.top() as f32)
}

/// The report's node ids, sorted: what "the same document" is compared by.
fn doc_ids(v: &View) -> Vec<String> {
    let mut ids: Vec<String> = v.report.nodes.iter().map(|n| n.id.clone()).collect();
    pillarlint_core::sort::sort(&mut ids);
    ids
}

/// Is `b` the document `a` was, edited (most of its resources kept)? A paste of another
/// template or an opened file is a new document: the diagram fits again.
fn same_document(a: &[String], b: &[String]) -> bool {
    let common = b.iter().filter(|x| a.binary_search(x).is_ok()).count();
    let all = a.len() + b.len() - common;
    all > 0 && common * 2 >= all
}

#[function_component(Diagram)]
pub fn diagram(p: &DiagramProps) -> Html {
    let scene = &p.view.scene;
    let svg_ref = use_node_ref();
    let vb = {
        let svg_ref = svg_ref.clone();
        let view = p.view.clone();
        use_state(move || fit(&view.scene, &svg_ref))
    };
    let drag = use_mut_ref(|| None::<Drag>);
    let suppress_click = use_mut_ref(|| false);
    let hops = use_state(|| 1usize);

    // the pane's size decides how much is collapsed: report it on mount and on resize
    let latest = use_mut_ref(|| (p.view.shown.clone(), p.on_present.clone()));
    *latest.borrow_mut() = (p.view.shown.clone(), p.on_present.clone());
    {
        let svg_ref = svg_ref.clone();
        let latest = latest.clone();
        use_effect_with((), move |()| {
            let check = move || {
                let (shown, cb) = latest.borrow().clone();
                if let Some(pane) = pane_of(&svg_ref) {
                    let moved = shown
                        .pane
                        .is_none_or(|(w, h)| (w - pane.0).abs() > 8.0 || (h - pane.1).abs() > 8.0);
                    if moved {
                        cb.emit(Shown {
                            pane: Some(pane),
                            ..shown
                        });
                    }
                }
            };
            check();
            let l = web_sys::window().map(|w| EventListener::new(&w, "resize", move |_| check()));
            move || drop(l)
        });
    }

    // fit on open, on a new document and when the presentation changes; typing in the same
    // document keeps the user's zoom and pan
    let last = use_mut_ref(|| None::<(Vec<String>, Shown)>);
    {
        let vb = vb.clone();
        let svg_ref = svg_ref.clone();
        let view = p.view.clone();
        use_effect_with(p.view.id, move |_| {
            let ids = doc_ids(&view);
            let refit = match &*last.borrow() {
                Some((prev, shown)) => *shown != view.shown || !same_document(prev, &ids),
                None => true,
            };
            if refit {
                vb.set(fit(&view.scene, &svg_ref));
            }
            *last.borrow_mut() = Some((ids, view.shown.clone()));
        });
    }

    let zoom_at = {
        let vb = vb.clone();
        move |factor: f32, px: Option<(f32, f32)>| {
            let cur = *vb;
            let (fx, fy) = px.unwrap_or((cur.x + cur.w / 2.0, cur.y + cur.h / 2.0));
            let w = (cur.w * factor).clamp(60.0, 200_000.0);
            let h = cur.h * (w / cur.w);
            vb.set(ViewBox {
                x: fx - (fx - cur.x) * (w / cur.w),
                y: fy - (fy - cur.y) * (h / cur.h),
                w,
                h,
            });
        }
    };

    let onwheel = {
        let zoom_at = zoom_at.clone();
        let svg_ref = svg_ref.clone();
        let vb = vb.clone();
        Callback::from(move |e: WheelEvent| {
            e.prevent_default();
            let Some(svg) = svg_ref.cast::<web_sys::Element>() else {
                return;
            };
            let cur = *vb;
            let (scale, ox, oy, left, top) = metrics(&svg, cur);
            let px = cur.x + (e.client_x() as f32 - left - ox) / scale;
            let py = cur.y + (e.client_y() as f32 - top - oy) / scale;
            let factor = (e.delta_y() as f32 * 0.0015).exp();
            zoom_at(factor, Some((px, py)));
        })
    };
    let onpointerdown = {
        let drag = drag.clone();
        let vb = vb.clone();
        Callback::from(move |e: PointerEvent| {
            if e.button() != 0 {
                return;
            }
            *drag.borrow_mut() = Some(Drag {
                cx: f64::from(e.client_x()),
                cy: f64::from(e.client_y()),
                vb: *vb,
                moved: false,
            });
        })
    };
    let onpointermove = {
        let drag = drag.clone();
        let vb = vb.clone();
        let svg_ref = svg_ref.clone();
        Callback::from(move |e: PointerEvent| {
            let mut d = drag.borrow_mut();
            let Some(st) = d.as_mut() else { return };
            let dx = f64::from(e.client_x()) - st.cx;
            let dy = f64::from(e.client_y()) - st.cy;
            if !st.moved && dx.abs() + dy.abs() < 4.0 {
                return;
            }
            let Some(svg) = svg_ref.cast::<web_sys::Element>() else {
                return;
            };
            if !st.moved {
                st.moved = true;
                let _ = svg.set_pointer_capture(e.pointer_id());
            }
            let (scale, ..) = metrics(&svg, st.vb);
            vb.set(ViewBox {
                x: st.vb.x - dx as f32 / scale,
                y: st.vb.y - dy as f32 / scale,
                ..st.vb
            });
        })
    };
    let end_drag = {
        let drag = drag.clone();
        let suppress = suppress_click.clone();
        Callback::from(move |_: PointerEvent| {
            if let Some(st) = drag.borrow_mut().take() {
                *suppress.borrow_mut() = st.moved;
            }
        })
    };
    // a collapsed box opens; any other node is selected
    let activate = {
        let cb = p.on_select_node.clone();
        let present = p.on_present.clone();
        let shown = p.view.shown.clone();
        move |id: String| {
            if id.starts_with('+') {
                let mut s = shown.clone();
                s.expanded.push(id);
                present.emit(s);
            } else {
                cb.emit(id);
            }
        }
    };
    let on_bg_click = {
        let clear = p.on_clear.clone();
        let suppress = suppress_click.clone();
        let activate = activate.clone();
        Callback::from(move |e: MouseEvent| {
            if std::mem::take(&mut *suppress.borrow_mut()) {
                return;
            }
            match node_of(e.target()) {
                Some(id) => activate(id),
                None => clear.emit(()),
            }
        })
    };
    let onkeydown = {
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Enter" && e.key() != " " {
                return;
            }
            if let Some(id) = node_of(e.target()) {
                e.prevent_default();
                activate(id);
            }
        })
    };
    let zoom_in = {
        let z = zoom_at.clone();
        Callback::from(move |_: MouseEvent| z(0.8, None))
    };
    let zoom_out = {
        let z = zoom_at.clone();
        Callback::from(move |_: MouseEvent| z(1.25, None))
    };
    let refit = {
        let vb = vb.clone();
        let svg_ref = svg_ref.clone();
        let view = p.view.clone();
        Callback::from(move |_: MouseEvent| vb.set(fit(&view.scene, &svg_ref)))
    };
    let export = {
        let view = p.view.clone();
        let filter = p.filter.clone();
        Callback::from(move |_: MouseEvent| {
            let svg = render(
                &view.scene,
                &Options {
                    dark: prefers_dark(),
                    filter: filter.clone(),
                    title: Some(format!("pillarlint — {}", view.report.path)),
                },
            );
            download("pillarlint-diagram.svg", "image/svg+xml", &svg);
        })
    };
    let on_mode = {
        let present = p.on_present.clone();
        let shown = p.view.shown.clone();
        Callback::from(move |e: Event| {
            if let Some(sel) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                let mode = match sel.value().as_str() {
                    "attack" => ViewMode::AttackPaths,
                    "pillar" => ViewMode::ByPillar,
                    _ => ViewMode::All,
                };
                present.emit(Shown {
                    mode,
                    ..shown.clone()
                });
            }
        })
    };
    let boxes = scene.nodes.iter().filter(|n| !n.members.is_empty()).count();
    let opened = p.view.shown.expand_all || !p.view.shown.expanded.is_empty();
    let on_expand = {
        let present = p.on_present.clone();
        let shown = p.view.shown.clone();
        Callback::from(move |_: MouseEvent| {
            let mut s = shown.clone();
            // with boxes left: open everything; with none: fold again as the pane needs
            s.expand_all = boxes > 0;
            s.expanded.clear();
            present.emit(s);
        })
    };
    // the focus depth: each click one hop more, after three back to one
    let on_hops = {
        let hops = hops.clone();
        Callback::from(move |_: MouseEvent| hops.set(*hops % 3 + 1))
    };

    // the shapes: regenerated when the picture or the filter changes, not on selection
    // and the minimap's overview with them
    let drawn_markup = use_memo((p.view.clone(), p.filter.clone()), |(view, filter)| {
        (
            Rc::new(render_live(&view.scene, filter)),
            render_overview(&view.scene, filter),
        )
    });
    let markup = drawn_markup.0.clone();
    let scene_ref = use_node_ref();
    // does the drawn markup carry selection marks? (fresh markup carries none)
    let marked = use_mut_ref(|| false);
    {
        let scene_ref = scene_ref.clone();
        let marked = marked.clone();
        use_effect_with(markup.clone(), move |m| {
            if let Some(el) = scene_ref.cast::<web_sys::Element>() {
                el.set_inner_html(m);
                *marked.borrow_mut() = false;
            }
        });
    }
    {
        let scene_ref = scene_ref.clone();
        let view = p.view.clone();
        let sel = (p.selected_node.clone(), p.selected_edge.clone(), *hops);
        use_effect_with((markup.clone(), sel), move |(_, (node, edge, hops))| {
            let any = node.is_some() || edge.is_some();
            if !any && !*marked.borrow() {
                return;
            }
            if let Some(el) = scene_ref.cast::<web_sys::Element>() {
                mark_selection(&el, &view.scene, node.as_deref(), edge.as_ref(), *hops);
                *marked.borrow_mut() = any;
            }
        });
    }

    // the minimap: when part of the diagram is out of view
    let v = *vb;
    let zoomed =
        v.x > 1.0 || v.y > 1.0 || v.x + v.w < scene.width - 1.0 || v.y + v.h < scene.height - 1.0;
    let overview = &drawn_markup.1;
    let on_minimap = {
        let vb = vb.clone();
        let (w, h) = (scene.width, scene.height);
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            // the overview's <svg> inside the minimap's frame
            let Some(el) = e
                .current_target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|d| d.first_element_child())
            else {
                return;
            };
            let r = el.get_bounding_client_rect();
            let k = (r.width() as f32 / w).min(r.height() as f32 / h).max(1e-6);
            let ox = (r.width() as f32 - w * k) / 2.0;
            let oy = (r.height() as f32 - h * k) / 2.0;
            let sx = (e.client_x() as f32 - r.left() as f32 - ox) / k;
            let sy = (e.client_y() as f32 - r.top() as f32 - oy) / k;
            let cur = *vb;
            vb.set(ViewBox {
                x: sx - cur.w / 2.0,
                y: sy - cur.h / 2.0,
                ..cur
            });
        })
    };

    let mode = p.view.shown.mode;
    let total = p.view.report.nodes.len();
    let counts = if boxes > 0 {
        format!(
            "{total} nodes in {} · {} edges",
            scene.nodes.len(),
            scene.edges.len()
        )
    } else {
        format!("{} nodes · {} edges", scene.nodes.len(), scene.edges.len())
    };
    let empty = match mode {
        _ if total == 0 => Some((
            "Nothing to draw yet.",
            "Paste a CloudFormation, SAM or Serverless template on the left.",
        )),
        ViewMode::AttackPaths if scene.nodes.is_empty() => Some((
            "No attack paths.",
            "No public entry point reaches a data store in this template.",
        )),
        ViewMode::ByPillar if scene.nodes.is_empty() => Some((
            "Nothing violates the shown pillars.",
            "Turn pillars on in the legend or lower the minimum severity.",
        )),
        _ => None,
    };
    // the view menu and the minimap as markup (a Yew element each costs bundle size); their
    // events bubble to the handlers on their wrappers
    let menu = Html::from_html_unchecked(AttrValue::from(format!(
        r#"<select id="diagram-view" aria-label="Diagram view" title="What the diagram shows"><option value="all"{}>All resources</option><option value="attack"{}>Attack paths</option><option value="pillar"{}>By pillar (legend)</option></select>"#,
        if mode == ViewMode::All {
            " selected"
        } else {
            ""
        },
        if mode == ViewMode::AttackPaths {
            " selected"
        } else {
            ""
        },
        if mode == ViewMode::ByPillar {
            " selected"
        } else {
            ""
        },
    )));
    let minimap = (zoomed && !scene.nodes.is_empty()).then(|| {
        Html::from_html_unchecked(AttrValue::from(format!(
            r#"<svg viewBox="0 0 {} {}" role="img" aria-label="Overview: click to move there"><g>{}</g><rect class="mm-view" x="{}" y="{}" width="{}" height="{}"/></svg>"#,
            Num(scene.width),
            Num(scene.height),
            overview,
            Num(v.x),
            Num(v.y),
            Num(v.w),
            Num(v.h)
        )))
    });
    html! {
        <section class="pane diagram-pane" aria-label="Service diagram">
            <div class="toolbar" role="toolbar" aria-label="Diagram controls">
                <span id="diagram-counts" class="muted" data-boxes={boxes.to_string()}
                      title={if boxes > 0 { format!("{boxes} collapsed boxes: click one to open it") } else { String::new() }}>{ counts }</span>
                <span class="spacer" />
                <span class="view-menu" onchange={on_mode}>{ menu }</span>
                if boxes > 0 || opened {
                    <button type="button" id="diagram-expand" onclick={on_expand}
                            title={if boxes > 0 { "Draw every resource (small at fit)" } else { "Fold groups again to fit the pane" }}>
                        { if boxes > 0 { "Expand all" } else { "Collapse" } }
                    </button>
                }
                if p.selected_node.is_some() {
                    <button type="button" id="focus-hops" onclick={on_hops} data-hops={hops.to_string()}
                            title="How far from the selected node stays bright (click for more)">
                        { format!("Focus: {} hop{}", *hops, if *hops == 1 { "" } else { "s" }) }
                    </button>
                }
                <button type="button" onclick={zoom_out} aria-label="Zoom out" title="Zoom out">{"−"}</button>
                <button type="button" onclick={zoom_in} aria-label="Zoom in" title="Zoom in">{"+"}</button>
                <button type="button" onclick={refit} aria-label="Fit diagram to screen" title="Fit to screen">{"Fit"}</button>
                <button type="button" onclick={export} aria-label="Export diagram as SVG" title="Download SVG">{"SVG ↓"}</button>
            </div>
            if let Some((head, hint)) = empty {
                <div class="empty">
                    <p>{ head }</p>
                    <p class="muted">{ hint }</p>
                </div>
            }
            <svg id="diagram" ref={svg_ref} class="diagram" role="group" aria-label="Architecture diagram: nodes are resources, arrows are triggers and access"
                 data-mode={match mode { ViewMode::All => "all", ViewMode::AttackPaths => "attack", ViewMode::ByPillar => "pillar" }}
                 viewBox={format!("{} {} {} {}", Num(v.x), Num(v.y), Num(v.w), Num(v.h))} preserveAspectRatio="xMidYMid meet"
                 {onwheel} {onpointerdown} {onpointermove} onpointerup={end_drag.clone()} onpointercancel={end_drag}
                 onclick={on_bg_click} {onkeydown}>
                <g class="scene" ref={scene_ref} />
            </svg>
            if let Some(m) = minimap {
                <div class="minimap" id="minimap" onclick={on_minimap}>{ m }</div>
            }
        </section>
    }
}

/// The id of the diagram node an event happened on, if any.
fn node_of(target: Option<web_sys::EventTarget>) -> Option<String> {
    target?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest("[data-node-id]")
        .ok()
        .flatten()?
        .get_attribute("data-node-id")
}

/// The drawn node that shows `id`: itself, or the collapsed box holding it.
fn drawn<'a>(scene: &'a Scene, id: &str) -> Option<&'a str> {
    scene
        .nodes
        .iter()
        .find(|n| n.id == id || n.members.iter().any(|m| m == id))
        .map(|n| n.id.as_str())
}

/// Mark the selected node or edge (`data-selected`, `aria-pressed`) and dim what is farther
/// than `hops` from it; with nothing selected, everything is bright. A selection inside a
/// collapsed box marks the box.
fn mark_selection(
    root: &web_sys::Element,
    scene: &Scene,
    node: Option<&str>,
    edge: Option<&(String, String)>,
    hops: usize,
) {
    let node = node.and_then(|id| drawn(scene, id));
    let edge = edge.and_then(|(a, b)| Some((drawn(scene, a)?, drawn(scene, b)?)));
    // what to keep bright: the selected node's neighbourhood, the selected edge's ends
    let focus: Option<pillarlint_core::smap::StrSet> = match (node, edge) {
        (_, Some((a, b))) => {
            let mut f = pillarlint_core::smap::StrSet::new();
            f.insert(a.to_owned());
            f.insert(b.to_owned());
            Some(f)
        }
        (Some(id), None) => Some(neighbourhood(scene, id, hops)),
        _ => None,
    };
    let each = |selector: &str, apply: &dyn Fn(&web_sys::Element)| {
        if let Ok(list) = root.query_selector_all(selector) {
            for i in 0..list.length() {
                if let Some(el) = list
                    .item(i)
                    .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                {
                    apply(&el);
                }
            }
        }
    };
    let set = |el: &web_sys::Element, selected: bool, dim: bool| {
        if selected {
            let _ = el.set_attribute("data-selected", "true");
        } else {
            let _ = el.remove_attribute("data-selected");
        }
        let _ = el.class_list().toggle_with_force("dim", dim);
    };
    let bright = |id: &str| focus.as_ref().is_none_or(|f| f.contains(id));
    each("[data-node-id]", &|el| {
        let id = el.get_attribute("data-node-id").unwrap_or_default();
        let selected = node == Some(id.as_str());
        set(el, selected, !bright(&id));
        let _ = el.set_attribute("aria-pressed", if selected { "true" } else { "false" });
    });
    each("[data-edge-from]", &|el| {
        let a = el.get_attribute("data-edge-from").unwrap_or_default();
        let b = el.get_attribute("data-edge-to").unwrap_or_default();
        let selected = edge.is_some_and(|(x, y)| x == a && y == b);
        let dim = match (node, edge) {
            (_, Some(_)) => !selected,
            (Some(_), None) => !(bright(&a) && bright(&b)),
            _ => false,
        };
        set(el, selected, dim);
    });
}

/// Is the system in dark mode?
pub fn prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Offer `text` as a file download (a same-origin blob URL; nothing leaves the page).
pub fn download(name: &str, mime: &str, text: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Ok(a) = doc
        .create_element("a")
        .map(|el| el.unchecked_into::<web_sys::HtmlAnchorElement>())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    // revoke after the browser has started the download
    gloo::timers::callback::Timeout::new(2_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
}
