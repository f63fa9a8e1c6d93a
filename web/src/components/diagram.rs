//! The diagram pane: the scene as live SVG, with zoom (wheel, buttons), pan (drag) and fit.
//!
//! The shapes are the core's markup (`svg::render_live`, the same generator as the SVG
//! export), set as the `<svg>`'s inner HTML in one step: hundreds of nodes appear in one parse
//! instead of thousands of DOM calls. Clicks and keys reach nodes by delegation on the `<svg>`;
//! selection and dimming are toggled on the existing elements, never by redrawing them.

use std::collections::HashSet;
use std::rc::Rc;

use pillarlint_core::diagram::svg::{render, render_live, Options};
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
}

#[derive(Clone, Copy, PartialEq, Debug)]
struct ViewBox {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
}

/// The whole scene, centred, never magnified beyond 1:1 (small services stay crisp and calm).
/// With `floor`, the scale never drops below it: a large service opens readable at its
/// entry points (left) and the rest is a pan away; the Fit button passes no floor.
fn fit(w: f32, h: f32, svg: &NodeRef, floor: Option<f32>) -> ViewBox {
    let pad = 12.0;
    let (cw, ch) = (w.max(200.0) + 2.0 * pad, h.max(120.0) + 2.0 * pad);
    let (rw, rh) = svg
        .cast::<web_sys::Element>()
        .map(|e| {
            let r = e.get_bounding_client_rect();
            (r.width() as f32, r.height() as f32)
        })
        .filter(|(rw, rh)| *rw > 10.0 && *rh > 10.0)
        .unwrap_or((cw, ch));
    let fitted = (rw / cw).min(rh / ch).min(1.0);
    let scale = floor.map_or(fitted, |f| fitted.max(f.min(1.0)));
    // grow the box to the viewport's aspect and at least its pixel size
    let (vw, vh) = (rw / scale, rh / scale);
    let x = if vw >= cw { (w - vw) / 2.0 } else { -pad };
    let y = if vh >= ch { (h - vh) / 2.0 } else { -pad };
    ViewBox { x, y, w: vw, h: vh }
}

/// The smallest scale the automatic fit uses.
const READABLE: f32 = 0.6;

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

#[function_component(Diagram)]
pub fn diagram(p: &DiagramProps) -> Html {
    let scene = &p.view.scene;
    let svg_ref = use_node_ref();
    let vb = {
        let svg_ref = svg_ref.clone();
        let (w, h) = (scene.width, scene.height);
        use_state(move || fit(w, h, &svg_ref, Some(READABLE)))
    };
    let drag = use_mut_ref(|| None::<Drag>);
    let suppress_click = use_mut_ref(|| false);

    // refit when the picture changes size (not on every keystroke that keeps the shape)
    {
        let vb = vb.clone();
        let svg_ref = svg_ref.clone();
        let key = ((scene.width * 10.0) as i64, (scene.height * 10.0) as i64);
        use_effect_with(key, move |&(w, h)| {
            vb.set(fit(
                w as f32 / 10.0,
                h as f32 / 10.0,
                &svg_ref,
                Some(READABLE),
            ));
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
    let on_bg_click = {
        let cb = p.on_select_node.clone();
        let clear = p.on_clear.clone();
        let suppress = suppress_click.clone();
        Callback::from(move |e: MouseEvent| {
            if std::mem::take(&mut *suppress.borrow_mut()) {
                return;
            }
            match node_of(e.target()) {
                Some(id) => cb.emit(id),
                None => clear.emit(()),
            }
        })
    };
    let onkeydown = {
        let cb = p.on_select_node.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Enter" && e.key() != " " {
                return;
            }
            if let Some(id) = node_of(e.target()) {
                e.prevent_default();
                cb.emit(id);
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
        let (w, h) = (scene.width, scene.height);
        Callback::from(move |_: MouseEvent| vb.set(fit(w, h, &svg_ref, None)))
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

    // the shapes: regenerated when the picture or the filter changes, not on selection
    let markup = use_memo((p.view.clone(), p.filter.clone()), |(view, filter)| {
        render_live(&view.scene, filter)
    });
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
        let sel = (p.selected_node.clone(), p.selected_edge.clone());
        use_effect_with((markup.clone(), sel), move |(_, (node, edge))| {
            let any = node.is_some() || edge.is_some();
            if !any && !*marked.borrow() {
                return;
            }
            if let Some(el) = scene_ref.cast::<web_sys::Element>() {
                mark_selection(&el, &view.scene, node.as_deref(), edge.as_ref());
                *marked.borrow_mut() = any;
            }
        });
    }

    let v = *vb;
    let counts = format!("{} nodes · {} edges", scene.nodes.len(), scene.edges.len());
    html! {
        <section class="pane diagram-pane" aria-label="Service diagram">
            <div class="toolbar" role="toolbar" aria-label="Diagram controls">
                <span class="muted">{ counts }</span>
                <span class="spacer" />
                <button type="button" onclick={zoom_out} aria-label="Zoom out" title="Zoom out">{"−"}</button>
                <button type="button" onclick={zoom_in} aria-label="Zoom in" title="Zoom in">{"+"}</button>
                <button type="button" onclick={refit} aria-label="Fit diagram to screen" title="Fit to screen">{"Fit"}</button>
                <button type="button" onclick={export} aria-label="Export diagram as SVG" title="Download SVG">{"SVG ↓"}</button>
            </div>
            if scene.nodes.is_empty() {
                <div class="empty">
                    <p>{"Nothing to draw yet."}</p>
                    <p class="muted">{"Paste a CloudFormation, SAM or Serverless template on the left."}</p>
                </div>
            }
            <svg id="diagram" ref={svg_ref} class="diagram" role="group" aria-label="Architecture diagram: nodes are resources, arrows are triggers and access"
                 viewBox={format!("{} {} {} {}", Num(v.x), Num(v.y), Num(v.w), Num(v.h))} preserveAspectRatio="xMidYMid meet"
                 {onwheel} {onpointerdown} {onpointermove} onpointerup={end_drag.clone()} onpointercancel={end_drag}
                 onclick={on_bg_click} {onkeydown}>
                <g class="scene" ref={scene_ref} />
            </svg>
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

/// Mark the selected node or edge (`data-selected`, `aria-pressed`) and dim what is not
/// connected to it; with nothing selected, everything is bright.
fn mark_selection(
    root: &web_sys::Element,
    scene: &Scene,
    node: Option<&str>,
    edge: Option<&(String, String)>,
) {
    // what to keep bright: the selected node and its neighbours, the selected edge's ends
    let mut focus: Option<HashSet<&str>> = None;
    if let Some(id) = node {
        let f = focus.get_or_insert_with(HashSet::new);
        f.insert(id);
        for e in &scene.edges {
            if e.from == id {
                f.insert(e.to.as_str());
            }
            if e.to == id {
                f.insert(e.from.as_str());
            }
        }
    }
    if let Some((a, b)) = edge {
        let f = focus.get_or_insert_with(HashSet::new);
        f.insert(a.as_str());
        f.insert(b.as_str());
    }
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
    each("[data-node-id]", &|el| {
        let id = el.get_attribute("data-node-id").unwrap_or_default();
        let selected = node == Some(id.as_str());
        set(
            el,
            selected,
            focus.as_ref().is_some_and(|f| !f.contains(id.as_str())),
        );
        let _ = el.set_attribute("aria-pressed", if selected { "true" } else { "false" });
    });
    each("[data-edge-from]", &|el| {
        let a = el.get_attribute("data-edge-from").unwrap_or_default();
        let b = el.get_attribute("data-edge-to").unwrap_or_default();
        let selected = edge.is_some_and(|(x, y)| *x == a && *y == b);
        let dim = match (node, edge) {
            (_, Some(_)) => !selected,
            (Some(id), None) => a != id && b != id,
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
