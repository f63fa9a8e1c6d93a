//! The editor pane: a textarea over a coloured copy of its text, a gutter with line numbers
//! and a mark at each line with findings (coloured and shaped by pillar; hover shows the
//! findings, click selects one), the selection's lines and the parse error at its position,
//! soft wrap, and paste / drop / open-file.
//!
//! The textarea keeps the text, the caret, the selection and the browser's own undo; its
//! glyphs are transparent and a layer under it shows the same text coloured by the core's
//! own reader (`parse::highlight`: the loader's libyaml events, not a second grammar). The
//! layer, the numbers and the marks are painted outside Yew's diffing, synchronously on
//! every input and scroll, and only for the lines on screen (plus a margin): a 234 KB paste
//! paints a screenful, not 6,000 lines. With soft wrap on, the layer holds every line (the
//! browser wraps both alike) and lines are placed by measuring it.

use std::rc::Rc;

use gloo::file::callbacks::FileReader;
use pillarlint_core::diagram::svg::esc;
use pillarlint_core::diagram::Num;
use pillarlint_core::parse::highlight::{highlight, Token};
use pillarlint_core::report::ErrorOut;
use pillarlint_core::rules::Pillar;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::glyph::pillar_icon_html;

/// Line height and top padding of the editor, in CSS pixels (must match editor.css).
pub const LINE_H: f64 = 20.0;
pub const PAD_TOP: f64 = 8.0;
/// Lines painted beyond the visible ones, so a short scroll needs no repaint.
const MARGIN: usize = 40;
/// Texts larger than this are shown without colour (the textarea's own glyphs).
const MAX_COLOURED: usize = 2 * 1024 * 1024;
/// localStorage key of the soft-wrap preference.
const WRAP_KEY: &str = "pillarlint.wrap";

/// The findings on one line, for the gutter.
#[derive(Debug, Clone, PartialEq)]
pub struct LineMark {
    /// 1-based.
    pub line: u32,
    /// The pillar of the worst finding on the line.
    pub pillar: Pillar,
    /// How many findings start on the line.
    pub count: usize,
    /// The worst finding (index into the report's findings), selected on click.
    pub finding: usize,
    /// One line per finding: severity, rule, message.
    pub summary: String,
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// A new document gets a new textarea: its own undo history.
    pub doc_id: Rc<str>,
    pub text: Rc<str>,
    pub file_name: AttrValue,
    pub on_edit: Callback<String>,
    /// A file opened or dropped: (text, file name).
    pub on_open_file: Callback<(String, String)>,
    pub on_rename: Callback<String>,
    pub highlight: Option<(u32, u32)>,
    /// Bumped when the editor should scroll to `highlight`.
    pub reveal: u64,
    pub error: Option<ErrorOut>,
    pub stale: bool,
    pub marks: Rc<Vec<LineMark>>,
    pub on_select_finding: Callback<usize>,
    /// More controls for the toolbar (the documents menu).
    #[prop_or_default]
    pub tools: Html,
}

/// What the painter draws and where.
#[derive(Default)]
struct Painter {
    ta: NodeRef,
    gutter: NodeRef,
    back: NodeRef,
    layer: NodeRef,
    nums: NodeRef,
    gmarks: NodeRef,
    bmarks: NodeRef,
    text: Rc<str>,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
    tokens: Vec<Token>,
    /// Bytes the tokens cover (`None`: not computed for this text).
    tokens_until: Option<usize>,
    /// Lines in the layer, `[a, b)`, 0-based; and those of them coloured.
    window: (usize, usize),
    coloured: (usize, usize),
    wrap: bool,
    marks: Rc<Vec<LineMark>>,
    highlight: Option<(u32, u32)>,
    error: Option<(u32, u32, String)>,
}

fn line_starts(text: &str) -> Vec<usize> {
    let mut v = Vec::with_capacity(text.len() / 32 + 1);
    v.push(0);
    v.extend(memchr_newlines(text.as_bytes()).map(|i| i + 1));
    v
}

fn memchr_newlines(b: &[u8]) -> impl Iterator<Item = usize> + '_ {
    b.iter()
        .enumerate()
        .filter(|(_, c)| **c == b'\n')
        .map(|(i, _)| i)
}

impl Painter {
    fn set_text(&mut self, text: Rc<str>) {
        if *self.text == *text {
            return;
        }
        self.starts = line_starts(&text);
        self.text = text;
        self.tokens.clear();
        self.tokens_until = None;
        self.coloured = (0, 0);
    }

    fn lines(&self) -> usize {
        self.starts.len()
    }

    fn coloured_enabled(&self) -> bool {
        self.text.len() <= MAX_COLOURED
    }

    /// Byte range of line `l` without its line break.
    fn line_range(&self, l: usize) -> (usize, usize) {
        let s = self.starts.get(l).copied().unwrap_or(self.text.len());
        let e = self
            .starts
            .get(l + 1)
            .map_or(self.text.len(), |n| n.saturating_sub(1));
        (s.min(self.text.len()), e.max(s).min(self.text.len()))
    }

    /// Tokens up to byte `until`, computed from the start of the text when they do not
    /// reach that far (generously, so scrolling down does not redo it at every step).
    fn ensure_tokens(&mut self, until: usize) {
        if self.tokens_until.is_some_and(|u| u >= until) {
            return;
        }
        let want = until
            .max(self.tokens_until.unwrap_or(0).saturating_mul(2))
            .saturating_add(32 * 1024)
            .min(self.text.len());
        self.tokens = highlight(&self.text, want);
        self.tokens_until = Some(want);
    }

    /// Line `l` as markup: escaped text, coloured spans when `colour`.
    fn line_html(&self, l: usize, colour: bool, out: &mut String) {
        let (s, e) = self.line_range(l);
        let Some(line) = self.text.get(s..e) else {
            return;
        };
        if !colour {
            out.push_str(&esc(line));
            return;
        }
        let first = self.tokens.partition_point(|t| t.end <= s);
        let mut at = s;
        for t in self.tokens[first..].iter().take_while(|t| t.start < e) {
            let (ts, te) = (t.start.max(s), t.end.min(e));
            if ts > at {
                out.push_str(&esc(self.text.get(at..ts).unwrap_or("")));
            }
            if te > ts {
                out.push_str("<span class=\"t-");
                out.push_str(t.kind.class());
                out.push_str("\">");
                out.push_str(&esc(self.text.get(ts..te).unwrap_or("")));
                out.push_str("</span>");
            }
            at = at.max(te);
        }
        if at < e {
            out.push_str(&esc(self.text.get(at..e).unwrap_or("")));
        }
    }

    /// The layer's element for line `l` (soft wrap: every line is one).
    fn layer_line(&self, l: usize) -> Option<web_sys::HtmlElement> {
        let layer = self.layer.cast::<web_sys::Element>()?;
        let i = if self.wrap {
            l
        } else {
            l.checked_sub(self.window.0)?
        };
        layer
            .children()
            .item(u32::try_from(i).ok()?)?
            .dyn_into::<web_sys::HtmlElement>()
            .ok()
    }

    /// Top of line `l` (0-based) in content pixels.
    fn line_top(&self, l: usize) -> f64 {
        if self.wrap {
            if let Some(el) = self.layer_line(l) {
                return PAD_TOP + f64::from(el.offset_top());
            }
            if l >= self.lines() {
                if let Some(last) = self.layer_line(self.lines().saturating_sub(1)) {
                    return PAD_TOP + f64::from(last.offset_top() + last.offset_height());
                }
            }
        }
        PAD_TOP + l as f64 * LINE_H
    }

    /// The first line whose bottom is below `y` (content pixels): a binary search over the
    /// measured lines with soft wrap, arithmetic without.
    fn line_at(&self, y: f64) -> usize {
        let n = self.lines();
        if !self.wrap {
            return (((y - PAD_TOP) / LINE_H).floor().max(0.0) as usize).min(n);
        }
        let (mut lo, mut hi) = (0usize, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.line_top(mid + 1) <= y {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Paint what the textarea shows. `rebuild`: the text, the document or the wrap mode
    /// changed; `force`: the marks changed. Otherwise only what scrolled into view is added.
    fn paint(&mut self, rebuild: bool, force: bool) {
        let Some(ta) = self.ta.cast::<web_sys::HtmlTextAreaElement>() else {
            return;
        };
        let (top, left) = (f64::from(ta.scroll_top()), f64::from(ta.scroll_left()));
        let height = f64::from(ta.client_height());
        if let Some(g) = self.gutter.cast::<web_sys::HtmlElement>() {
            let _ = g
                .style()
                .set_property("transform", &format!("translateY({}px)", Num(-top as f32)));
        }
        if let Some(b) = self.back.cast::<web_sys::HtmlElement>() {
            let _ = b.style().set_property(
                "transform",
                &format!("translate({}px,{}px)", Num(-left as f32), Num(-top as f32)),
            );
        }
        let colour = self.coloured_enabled();
        let n = self.lines();
        if self.wrap && rebuild {
            self.fill_wrapped_layer(&ta);
        }
        let first = self.line_at(top);
        let last = (self.line_at(top + height) + 1).min(n);
        let shown = if self.wrap {
            self.coloured
        } else {
            self.window
        };
        let layer = rebuild || first < shown.0 || last > shown.1;
        if !layer && !force {
            return;
        }
        let (a, b) = if layer {
            (first.saturating_sub(MARGIN), (last + MARGIN).min(n))
        } else {
            shown
        };
        if layer {
            if colour {
                let until = self.line_range(b.saturating_sub(1)).1;
                self.ensure_tokens(until);
            }
            if self.wrap {
                self.recolour(a, b, colour);
                self.window = (0, n);
            } else {
                let mut html = String::new();
                for l in a..b {
                    html.push_str("<div>");
                    self.line_html(l, colour, &mut html);
                    html.push_str("</div>");
                }
                self.window = (a, b);
                self.coloured = (a, b);
                if let Some(el) = self.layer.cast::<web_sys::HtmlElement>() {
                    let _ = el
                        .style()
                        .set_property("top", &format!("{}px", Num(self.line_top(a) as f32)));
                    let _ = el.style().remove_property("width");
                    el.set_inner_html(&html);
                }
            }
        }
        self.paint_gutter(a, b);
    }

    /// Soft wrap: every line in the layer, as wide as the textarea's text.
    fn fill_wrapped_layer(&mut self, ta: &web_sys::HtmlTextAreaElement) {
        let Some(layer) = self.layer.cast::<web_sys::HtmlElement>() else {
            return;
        };
        let _ = layer
            .style()
            .set_property("top", &format!("{}px", Num(PAD_TOP as f32)));
        let _ = layer
            .style()
            .set_property("width", &format!("{}px", ta.client_width()));
        let mut html = String::with_capacity(self.text.len() + self.lines() * 11);
        for l in 0..self.lines() {
            html.push_str("<div>");
            self.line_html(l, false, &mut html);
            html.push_str("</div>");
        }
        layer.set_inner_html(&html);
        self.coloured = (0, 0);
    }

    /// Soft wrap: colour lines `[a, b)` and return the ones coloured before to plain text.
    fn recolour(&mut self, a: usize, b: usize, colour: bool) {
        let (oa, ob) = self.coloured;
        let mut html = String::new();
        for l in (oa..ob).filter(|l| *l < a || *l >= b) {
            html.clear();
            self.line_html(l, false, &mut html);
            if let Some(el) = self.layer_line(l) {
                el.set_inner_html(&html);
            }
        }
        if colour {
            for l in (a..b).filter(|l| *l < oa || *l >= ob) {
                html.clear();
                self.line_html(l, true, &mut html);
                if let Some(el) = self.layer_line(l) {
                    el.set_inner_html(&html);
                }
            }
            self.coloured = (a, b);
        }
    }

    /// Line numbers and finding marks for lines `[a, b)`; the selection's band and the
    /// parse error wherever they are.
    fn paint_gutter(&self, a: usize, b: usize) {
        let mut nums = String::new();
        for l in a..b {
            nums.push_str(&format!(
                "<div style=\"top:{}px\">{}</div>",
                Num(self.line_top(l) as f32),
                l + 1
            ));
        }
        if let Some(el) = self.nums.cast::<web_sys::Element>() {
            el.set_inner_html(&nums);
        }
        let mut g = String::new();
        for m in self.marks.iter() {
            let l = m.line.saturating_sub(1) as usize;
            if l < a || l >= b {
                continue;
            }
            let p = m.pillar.as_str();
            g.push_str(&format!(
                "<div class=\"fm p-{p}\" data-finding=\"{}\" data-line=\"{}\" data-pillar=\"{p}\" data-count=\"{}\" style=\"top:{}px\">{}{}</div>",
                m.finding,
                m.line,
                m.count,
                Num(self.line_top(l) as f32),
                pillar_icon_html(m.pillar),
                if m.count > 1 { format!("<span>{}</span>", m.count) } else { String::new() }
            ));
        }
        let mut back = String::new();
        if let Some((s, e)) = self.highlight {
            let (ls, le) = (s.saturating_sub(1) as usize, e as usize);
            let (t, h) = (self.line_top(ls), self.line_top(le) - self.line_top(ls));
            let at = if s == e {
                s.to_string()
            } else {
                format!("{s}-{e}")
            };
            g.push_str(&format!(
                "<div class=\"line-mark\" data-line=\"{s}\" data-end-line=\"{e}\" data-highlighted=\"{at}\" style=\"top:{}px;height:{}px\"></div>",
                Num(t as f32),
                Num(h.max(LINE_H) as f32)
            ));
            back.push_str(&format!(
                "<div class=\"band\" style=\"top:{}px;height:{}px\"></div>",
                Num(t as f32),
                Num(h.max(LINE_H) as f32)
            ));
        }
        if let Some((line, col, msg)) = &self.error {
            let t = Num(self.line_top(line.saturating_sub(1) as usize) as f32);
            g.push_str(&format!(
                "<div class=\"err-mark\" title=\"{}\" style=\"top:{t}px\"></div>",
                esc(msg)
            ));
            back.push_str(&format!(
                "<div class=\"err-band\" style=\"top:{t}px\"></div>"
            ));
            if !self.wrap {
                back.push_str(&format!(
                    "<div class=\"err-caret\" style=\"top:{t}px;left:calc(12px + {}ch)\"></div>",
                    col.saturating_sub(1)
                ));
            }
        }
        if let Some(el) = self.gmarks.cast::<web_sys::Element>() {
            el.set_inner_html(&g);
        }
        if let Some(el) = self.bmarks.cast::<web_sys::Element>() {
            el.set_inner_html(&back);
        }
    }

    fn scroll_to_line(&mut self, line: u32) {
        if let Some(t) = self.ta.cast::<web_sys::HtmlTextAreaElement>() {
            let y = self.line_top(line.saturating_sub(1) as usize)
                - PAD_TOP
                - f64::from(t.client_height()) / 3.0;
            t.set_scroll_top(y.max(0.0) as i32);
        }
        self.paint(false, false);
    }
}

fn load_wrap() -> bool {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(WRAP_KEY).ok().flatten())
        .is_some_and(|v| v == "1")
}

#[function_component(Editor)]
pub fn editor(p: &EditorProps) -> Html {
    let painter = use_mut_ref(Painter::default);
    let reader = use_mut_ref(|| None::<FileReader>);
    let dragging = use_state(|| false);
    let wrap = use_state(load_wrap);
    // the gutter marks' tooltip, shown and moved by hand (no re-render per mouse move)
    let tip = use_node_ref();
    let (ta, gutter, back, layer, nums, gmarks, bmarks) = {
        let p = painter.borrow();
        (
            p.ta.clone(),
            p.gutter.clone(),
            p.back.clone(),
            p.layer.clone(),
            p.nums.clone(),
            p.gmarks.clone(),
            p.bmarks.clone(),
        )
    };

    // bring the painter up to date with the props, repaint when anything it shows changed
    {
        let painter = painter.clone();
        let deps = (
            p.text.clone(),
            p.doc_id.clone(),
            *wrap,
            p.marks.clone(),
            p.highlight,
            p.error.clone(),
        );
        let last_doc = use_mut_ref(|| None::<Rc<str>>);
        use_effect_with(deps, move |(text, doc, wrap, marks, hl, err)| {
            let mut pt = painter.borrow_mut();
            // a new document has a new textarea, scrolled to its top
            let new_doc = last_doc.borrow().as_ref() != Some(doc);
            *last_doc.borrow_mut() = Some(doc.clone());
            // the textarea's text is set here, once per document: the user's typing keeps it
            // after that (a value set from each render would cost a 234 KB paste a second
            // layout, and reset the browser's undo)
            if new_doc {
                if let Some(ta) = pt.ta.cast::<web_sys::HtmlTextAreaElement>() {
                    ta.set_value(text);
                }
            }
            let rebuild = new_doc || *pt.text != **text || pt.wrap != *wrap || pt.starts.is_empty();
            pt.set_text(text.clone());
            pt.wrap = *wrap;
            pt.marks = marks.clone();
            pt.highlight = *hl;
            pt.error = err.as_ref().map(|e| (e.line, e.column, e.message.clone()));
            pt.paint(rebuild, true);
        });
    }
    // scroll to the selection when asked
    {
        let painter = painter.clone();
        use_effect_with((p.reveal, p.highlight), move |(_, hl)| {
            if let Some((l, _)) = hl {
                painter.borrow_mut().scroll_to_line(*l);
            }
        });
    }
    // soft wrap follows the textarea's width: repaint when it changes
    {
        let painter = painter.clone();
        let ta = ta.clone();
        use_effect_with((p.doc_id.clone(), *wrap), move |_| {
            let observer = ta.cast::<web_sys::Element>().and_then(|el| {
                let painter = painter.clone();
                let last = std::cell::Cell::new((0, 0));
                let cb = Closure::<dyn FnMut()>::new(move || {
                    let Ok(mut pt) = painter.try_borrow_mut() else {
                        return;
                    };
                    let size = pt
                        .ta
                        .cast::<web_sys::Element>()
                        .map_or((0, 0), |t| (t.client_width(), t.client_height()));
                    if size != last.get() {
                        last.set(size);
                        let wrap = pt.wrap;
                        pt.paint(wrap, true);
                    }
                });
                let o = web_sys::ResizeObserver::new(cb.as_ref().unchecked_ref()).ok()?;
                o.observe(&el);
                Some((o, cb))
            });
            move || {
                if let Some((o, _cb)) = observer {
                    o.disconnect();
                }
            }
        });
    }

    let oninput = {
        let cb = p.on_edit.clone();
        let painter = painter.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                let value = t.value();
                {
                    // painted now, in the frame the textarea changes in
                    let mut pt = painter.borrow_mut();
                    pt.set_text(value.as_str().into());
                    pt.paint(true, true);
                }
                cb.emit(value);
            }
        })
    };
    let onscroll = {
        let painter = painter.clone();
        Callback::from(move |_: Event| painter.borrow_mut().paint(false, false))
    };
    let read_file = {
        let cb = p.on_open_file.clone();
        let reader = reader.clone();
        move |file: web_sys::File| {
            let name = file.name();
            let cb = cb.clone();
            let f = gloo::file::File::from(file);
            *reader.borrow_mut() = Some(gloo::file::callbacks::read_as_text(&f, move |res| {
                if let Ok(text) = res {
                    cb.emit((text, name));
                }
            }));
        }
    };
    // a folder, several files or a zip: an app (`crate::appdoc`; the playground opens it)
    let onchange = {
        let read_file = read_file.clone();
        Callback::from(move |e: Event| {
            if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                match input.files() {
                    Some(l) if input.webkitdirectory() || crate::appdoc::is_app_list(&l) => {
                        // its files, kept: clearing the input below empties the list
                        crate::appdoc::read(&js_sys::Array::from(&l).into());
                    }
                    Some(l) => {
                        if let Some(f) = l.get(0) {
                            read_file(f);
                        }
                    }
                    None => {}
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
                crate::appdoc::preload(None);
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
            // a folder, several files or a zip: an app (read.js, loaded at the first
            // dragover, takes a folder's entries now: the browser forgets them once the
            // event is over; before it is loaded, several files or a zip wait for it)
            if let Some(dt) = e.data_transfer() {
                let list = dt.files().filter(crate::appdoc::is_app_list);
                if crate::appdoc::read(&dt.into()) {
                    e.prevent_default();
                    return;
                }
                if let Some(l) = list {
                    e.prevent_default();
                    crate::appdoc::read(&l.into());
                    return;
                }
            }
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
    let jump = {
        let painter = painter.clone();
        let line = p.error.as_ref().map_or(1, |e| e.line);
        Callback::from(move |_: MouseEvent| painter.borrow_mut().scroll_to_line(line))
    };
    let toggle_wrap = {
        let wrap = wrap.clone();
        Callback::from(move |_: MouseEvent| {
            let on = !*wrap;
            if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
                let _ = s.set_item(WRAP_KEY, if on { "1" } else { "0" });
            }
            wrap.set(on);
        })
    };
    let on_rename = {
        let cb = p.on_rename.clone();
        Callback::from(move |e: Event| {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                cb.emit(i.value());
            }
        })
    };
    let rename_keys = Callback::from(|e: KeyboardEvent| {
        if e.key() == "Enter" {
            if let Some(i) = e.target_dyn_into::<web_sys::HtmlElement>() {
                let _ = i.blur();
            }
        }
    });
    // the gutter's finding marks: click selects, hover shows what they are
    let mark_of = |e: &MouseEvent| -> Option<web_sys::Element> {
        e.target()?
            .dyn_into::<web_sys::Element>()
            .ok()?
            .closest(".fm")
            .ok()
            .flatten()
    };
    let on_gutter_click = {
        let cb = p.on_select_finding.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(i) = mark_of(&e)
                .and_then(|m| m.get_attribute("data-finding"))
                .and_then(|v| v.parse().ok())
            {
                cb.emit(i);
            }
        })
    };
    let on_gutter_over = {
        let tip = tip.clone();
        let marks = p.marks.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(el) = tip.cast::<web_sys::HtmlElement>() else {
                return;
            };
            let found = mark_of(&e).and_then(|m| {
                let line: u32 = m.get_attribute("data-line")?.parse().ok()?;
                let text = marks.iter().find(|x| x.line == line)?.summary.clone();
                let r = m.get_bounding_client_rect();
                let pane = m
                    .closest(".editor")
                    .ok()
                    .flatten()?
                    .get_bounding_client_rect();
                Some((r.top() - pane.top(), text))
            });
            match found {
                Some((top, text)) => {
                    el.set_text_content(Some(&text));
                    let _ = el
                        .style()
                        .set_property("top", &format!("{}px", Num(top as f32)));
                    el.set_hidden(false);
                }
                None => el.set_hidden(true),
            }
        })
    };
    let on_gutter_leave = {
        let tip = tip.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(el) = tip.cast::<web_sys::HtmlElement>() {
                el.set_hidden(true);
            }
        })
    };

    html! {
        <section id="editor-pane" class={classes!("pane", "editor-pane", dragging.then_some("dragging"))} aria-label="Template editor"
                 {ondragover} {ondragleave} {ondrop}>
            <div class="toolbar">
                <input id="file-name" class="file-name" type="text" value={p.file_name.clone()} spellcheck="false"
                       autocomplete="off" aria-label="File name, used by exports and links"
                       title="File name (used by exports and links): click to rename"
                       onchange={on_rename} onkeydown={rename_keys} />
                { p.tools.clone() }
                <button id="wrap-toggle" type="button" class="toggle" aria-pressed={if *wrap { "true" } else { "false" }}
                        onclick={toggle_wrap} title="Wrap long lines">{"Wrap"}</button>
                <label class="button" title="Open a template file from your computer (it stays in the browser)">
                    {"Open…"}
                    <input type="file" class="visually-hidden" accept=".yaml,.yml,.json,.template,.txt,.tf,.zip" onchange={onchange.clone()}
                           multiple=true aria-label="Open a template file (several files or a .zip: an app)" />
                </label>
                <label class="button" title="Open a whole app: nested stacks, a Serverless service, a cdk.out">
                    {"Open folder…"}
                    <input id="open-folder" type="file" class="visually-hidden" webkitdirectory=true {onchange}
                           aria-label="Open a folder: a whole app" />
                </label>
            </div>
            if let Some(e) = &p.error {
                <div id="parse-error" class="parse-error" role="alert" data-line={e.line.to_string()} data-column={e.column.to_string()}>
                    <button type="button" class="linklike" onclick={jump}>{ format!("Line {}, column {}", e.line, e.column) }</button>
                    <span>{ format!(": {}", e.message) }</span>
                    if p.stale {
                        <span>{" — the diagram shows the last version that parsed."}</span>
                    }
                </div>
            }
            <div class={classes!("editor", wrap.then_some("wrap"), (p.text.len() > MAX_COLOURED).then_some("plain"))}>
                <div class="gutter" aria-hidden="true" onclick={on_gutter_click} onmouseover={on_gutter_over}
                     onmouseleave={on_gutter_leave}>
                    <div class="gutter-inner" ref={gutter}>
                        <div class="nums" ref={nums} />
                        <div class="gmarks" ref={gmarks} />
                    </div>
                </div>
                <div class="code">
                    <div class="backdrop" aria-hidden="true">
                        <div class="backdrop-inner" ref={back}>
                            <div class="bmarks" ref={bmarks} />
                            <div class="hl" ref={layer} />
                        </div>
                    </div>
                    <textarea key={p.doc_id.to_string()} id="editor" ref={ta} wrap={if *wrap { "soft" } else { "off" }}
                              spellcheck="false" autocomplete="off" autocapitalize="off"
                              aria-label="Template text (CloudFormation, SAM or Serverless YAML/JSON)"
                              aria-invalid={if p.error.is_some() { "true" } else { "false" }}
                              {oninput} {onscroll} />
                </div>
                <div id="mark-tip" ref={tip} class="mark-tip" role="tooltip" hidden=true />
            </div>
            if *dragging {
                <div class="drop-hint" aria-hidden="true">{"Drop the template to open it"}</div>
            }
        </section>
    }
}
