//! The editor pane: a textarea with a line-number gutter, highlighted lines for the
//! selection, the parse error at its position, and paste / drop / open-file.

use std::rc::Rc;

use gloo::file::callbacks::FileReader;
use pillarlint_core::diagram::Num;
use pillarlint_core::report::ErrorOut;
use yew::prelude::*;

/// Line height and top padding of the editor, in CSS pixels (must match app.css).
pub const LINE_H: f64 = 20.0;
pub const PAD_TOP: f64 = 8.0;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub text: Rc<str>,
    pub file_name: Rc<str>,
    /// (text, new file name when a file was opened or dropped)
    pub on_edit: Callback<(String, Option<String>)>,
    pub highlight: Option<(u32, u32)>,
    /// Bumped when the editor should scroll to `highlight`.
    pub reveal: u64,
    pub error: Option<ErrorOut>,
    pub stale: bool,
}

fn sync_scroll(ta: &NodeRef, gutter: &NodeRef, back: &NodeRef) {
    let Some(t) = ta.cast::<web_sys::HtmlTextAreaElement>() else {
        return;
    };
    let (top, left) = (t.scroll_top(), t.scroll_left());
    if let Some(g) = gutter.cast::<web_sys::HtmlElement>() {
        let _ = g
            .style()
            .set_property("transform", &format!("translateY({}px)", -top));
    }
    if let Some(b) = back.cast::<web_sys::HtmlElement>() {
        let _ = b
            .style()
            .set_property("transform", &format!("translate({}px, {}px)", -left, -top));
    }
}

fn scroll_to_line(ta: &NodeRef, line: u32) {
    if let Some(t) = ta.cast::<web_sys::HtmlTextAreaElement>() {
        let target =
            (f64::from(line.saturating_sub(1)) * LINE_H) - f64::from(t.client_height()) / 3.0;
        t.set_scroll_top(target.max(0.0) as i32);
    }
}

#[function_component(Editor)]
pub fn editor(p: &EditorProps) -> Html {
    let ta = use_node_ref();
    let gutter = use_node_ref();
    let back = use_node_ref();
    let reader = use_mut_ref(|| None::<FileReader>);
    let dragging = use_state(|| false);

    // scroll to the selection when asked
    {
        let (ta, gutter, back) = (ta.clone(), gutter.clone(), back.clone());
        use_effect_with((p.reveal, p.highlight), move |(_, hl)| {
            if let Some((l, _)) = hl {
                scroll_to_line(&ta, *l);
                sync_scroll(&ta, &gutter, &back);
            }
        });
    }
    // keep gutter and overlay aligned after every render (text may have changed)
    {
        let (ta, gutter, back) = (ta.clone(), gutter.clone(), back.clone());
        use_effect(move || sync_scroll(&ta, &gutter, &back));
    }

    let oninput = {
        let cb = p.on_edit.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                cb.emit((t.value(), None));
            }
        })
    };
    let onscroll = {
        let (ta, gutter, back) = (ta.clone(), gutter.clone(), back.clone());
        Callback::from(move |_: Event| sync_scroll(&ta, &gutter, &back))
    };
    let read_file = {
        let cb = p.on_edit.clone();
        let reader = reader.clone();
        move |file: web_sys::File| {
            let name = file.name();
            let cb = cb.clone();
            let f = gloo::file::File::from(file);
            *reader.borrow_mut() = Some(gloo::file::callbacks::read_as_text(&f, move |res| {
                if let Ok(text) = res {
                    cb.emit((text, Some(name)));
                }
            }));
        }
    };
    let onchange = {
        let read_file = read_file.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                if let Some(f) = input.files().and_then(|l| l.get(0)) {
                    read_file(f);
                }
                input.set_value("");
            }
        })
    };
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let ondrop = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            dragging.set(false);
            let file = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|l| l.get(0));
            if let Some(f) = file {
                e.prevent_default();
                read_file(f);
            }
        })
    };

    let lines = p.text.split('\n').count().max(1);
    let mut numbers = String::with_capacity(lines * 5);
    for i in 1..=lines {
        numbers.push_str(&i.to_string());
        numbers.push('\n');
    }
    let top_of = |line: u32| PAD_TOP + f64::from(line.saturating_sub(1)) * LINE_H;

    let mark = p.highlight.map(|(a, b)| {
        let h = f64::from(b.saturating_sub(a) + 1) * LINE_H;
        (a, b, top_of(a), h)
    });
    let gutter_mark = mark.map(|(a, b, top, h)| {
        html! {
            <div class="line-mark" data-line={a.to_string()} data-end-line={b.to_string()}
                 data-highlighted={if a == b { a.to_string() } else { format!("{a}-{b}") }}
                 style={format!("top:{}px;height:{}px", Num(top as f32), Num(h as f32))} />
        }
    });
    let band = mark.map(|(_, _, top, h)| {
        html! { <div class="band" style={format!("top:{}px;height:{}px", Num(top as f32), Num(h as f32))} /> }
    });
    let err_marks = p.error.as_ref().map(|e| {
        let top = top_of(e.line);
        let col = e.column.saturating_sub(1);
        (
            html! { <div class="err-mark" title={e.message.clone()} style={format!("top:{}px", Num(top as f32))} /> },
            html! {
                <>
                    <div class="err-band" style={format!("top:{}px", Num(top as f32))} />
                    <div class="err-caret" style={format!("top:{}px;left:calc(12px + {col}ch)", Num(top as f32))} />
                </>
            },
        )
    });
    let jump = {
        let ta = ta.clone();
        let line = p.error.as_ref().map_or(1, |e| e.line);
        Callback::from(move |_: MouseEvent| scroll_to_line(&ta, line))
    };

    html! {
        <section class={classes!("pane", "editor-pane", dragging.then_some("dragging"))} aria-label="Template editor"
                 {ondragover} {ondragleave} {ondrop}>
            <div class="toolbar">
                <span class="file-name" title={p.file_name.to_string()}>{ p.file_name.to_string() }</span>
                <span class="spacer" />
                <label class="button" title="Open a template file from your computer (it stays in the browser)">
                    {"Open…"}
                    <input type="file" class="visually-hidden" accept=".yaml,.yml,.json,.template,.txt" {onchange}
                           aria-label="Open a template file" />
                </label>
            </div>
            if let Some(e) = &p.error {
                <div id="parse-error" class="parse-error" role="alert" data-line={e.line.to_string()} data-column={e.column.to_string()}>
                    <button type="button" class="linklike" onclick={jump}>{ format!("Line {}, column {}", e.line, e.column) }</button>
                    <span>{ format!(": {}", e.message) }</span>
                    if p.stale {
                        <span class="muted">{" — the diagram shows the last version that parsed."}</span>
                    }
                </div>
            }
            <div class="editor">
                <div class="gutter" aria-hidden="true">
                    <div class="gutter-inner" ref={gutter}>
                        <pre>{ numbers }</pre>
                        { gutter_mark.unwrap_or_default() }
                        { err_marks.as_ref().map(|m| m.0.clone()).unwrap_or_default() }
                    </div>
                </div>
                <div class="code">
                    <div class="backdrop" aria-hidden="true">
                        <div class="backdrop-inner" ref={back}>
                            { band.unwrap_or_default() }
                            { err_marks.map(|m| m.1).unwrap_or_default() }
                        </div>
                    </div>
                    <textarea id="editor" ref={ta} wrap="off" spellcheck="false" autocomplete="off"
                              autocapitalize="off" aria-label="Template text (CloudFormation, SAM or Serverless YAML/JSON)"
                              aria-invalid={if p.error.is_some() { "true" } else { "false" }}
                              value={p.text.to_string()} {oninput} {onscroll} />
                </div>
            </div>
            if *dragging {
                <div class="drop-hint" aria-hidden="true">{"Drop the template to open it"}</div>
            }
        </section>
    }
}
