//! The editor's Recent menu (every stored document: open, delete, start a new one) and the
//! splitter between the editor and the diagram.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::documents::{ago, Doc};

/// A plain function, not a component (no state of its own; a component costs bundle size).
pub struct DocsMenuProps {
    pub docs: Rc<Vec<Doc>>,
    /// The open document.
    pub active: Rc<str>,
    pub on_open: Callback<Rc<str>>,
    pub on_new: Callback<()>,
    pub on_delete: Callback<Rc<str>>,
}

/// Close the `<details>` menu an event happened in.
pub fn close_menu(e: &MouseEvent) {
    if let Some(d) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("details").ok().flatten())
    {
        let _ = d.remove_attribute("open");
    }
}

pub fn docs_menu(p: &DocsMenuProps) -> Html {
    let now = js_sys::Date::now();
    let items = p.docs.iter().map(|d| {
        let open = {
            let cb = p.on_open.clone();
            let id = d.id.clone();
            Callback::from(move |e: MouseEvent| {
                close_menu(&e);
                cb.emit(id.clone());
            })
        };
        let delete = {
            let cb = p.on_delete.clone();
            let id = d.id.clone();
            let name = d.name.clone();
            let edited = d.edited;
            Callback::from(move |_: MouseEvent| {
                // an example or a link can be opened again; the user's own text cannot
                let ok = !edited
                    || web_sys::window()
                        .and_then(|w| {
                            w.confirm_with_message(&format!("Delete your document “{name}”? This cannot be undone."))
                                .ok()
                        })
                        .unwrap_or(false);
                if ok {
                    cb.emit(id.clone());
                }
            })
        };
        let current = d.id == p.active;
        let what = if d.edited { "edited" } else { d.origin.label() };
        html! {
            <li class={classes!("doc", current.then_some("current"))} data-doc-id={d.id.to_string()}
                data-origin={d.origin.label()} data-edited={d.edited.to_string()}>
                <button type="button" class="doc-open" onclick={open} aria-current={current.then_some("true")}>
                    <span class="doc-name">{ d.name.clone() }</span>
                    <span class="doc-meta">{ format!("{what} · {} · {} KB", ago(d.updated, now), d.size.div_ceil(1024)) }</span>
                </button>
                if !current {
                    <button type="button" class="doc-delete" onclick={delete} aria-label={format!("Delete {}", d.name)}
                            title="Delete">{"✕"}</button>
                }
            </li>
        }
    });
    let new = {
        let cb = p.on_new.clone();
        Callback::from(move |e: MouseEvent| {
            close_menu(&e);
            cb.emit(());
        })
    };
    html! {
        <details class="docs-menu">
            <summary class="button" id="docs-button" title="Your documents: drafts, examples and links you opened">
                { format!("Recent ({})", p.docs.len()) }
            </summary>
            <div class="menu docs-list">
                <button id="new-doc" type="button" class="doc-new" onclick={new}>{"+ New blank template"}</button>
                <ul aria-label="Documents, the most recent first">{ for items }</ul>
                <p class="small">{"Kept in this browser only (localStorage); nothing is uploaded."}</p>
            </div>
        </details>
    }
}

/// A plain function, not a component: the drag state lives with the caller.
pub struct SplitterProps {
    /// The editor's share of the width, in percent.
    pub value: f64,
    pub on_change: Callback<f64>,
    /// Is a drag under way?
    pub dragging: Rc<std::cell::Cell<bool>>,
}

const MIN: f64 = 15.0;
const MAX: f64 = 75.0;

fn remember(v: f64) {
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.set_item("pillarlint.split", &(v.round() as i64).to_string());
    }
}

/// A vertical separator: drag it, or focus it and use the arrow keys (Home, End).
pub fn splitter(p: &SplitterProps) -> Html {
    let dragging = p.dragging.clone();
    let at = |e: &PointerEvent| -> Option<f64> {
        let el = e.target()?.dyn_into::<web_sys::Element>().ok()?;
        let r = el.parent_element()?.get_bounding_client_rect();
        (r.width() > 0.0)
            .then(|| ((f64::from(e.client_x()) - r.left()) / r.width() * 100.0).clamp(MIN, MAX))
    };
    let down = {
        let dragging = dragging.clone();
        Callback::from(move |e: PointerEvent| {
            if e.button() != 0 {
                return;
            }
            dragging.set(true);
            if let Some(el) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            {
                let _ = el.set_pointer_capture(e.pointer_id());
            }
            e.prevent_default();
        })
    };
    let moved = {
        let dragging = dragging.clone();
        let cb = p.on_change.clone();
        Callback::from(move |e: PointerEvent| {
            if dragging.get() {
                if let Some(v) = at(&e) {
                    cb.emit(v);
                }
            }
        })
    };
    let up = {
        let cb = p.on_change.clone();
        Callback::from(move |e: PointerEvent| {
            if dragging.replace(false) {
                if let Some(v) = at(&e) {
                    cb.emit(v);
                    remember(v);
                }
            }
        })
    };
    let keys = {
        let cb = p.on_change.clone();
        let v = p.value;
        Callback::from(move |e: KeyboardEvent| {
            let next = match e.key().as_str() {
                "ArrowLeft" | "ArrowDown" => v - 2.0,
                "ArrowRight" | "ArrowUp" => v + 2.0,
                "Home" => MIN,
                "End" => MAX,
                _ => return,
            };
            e.prevent_default();
            let next = next.clamp(MIN, MAX);
            cb.emit(next);
            remember(next);
        })
    };
    html! {
        <div id="splitter" class="splitter" role="separator" tabindex="0" aria-orientation="vertical"
             aria-label="Editor width" aria-controls="panel-template"
             aria-valuemin="15" aria-valuemax="75" aria-valuenow={(p.value.round() as i64).to_string()}
             title="Drag, or use the arrow keys, to resize the editor"
             onpointerdown={down} onpointermove={moved} onpointerup={up.clone()} onpointercancel={up} onkeydown={keys} />
    }
}
