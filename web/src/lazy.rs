//! Share and Export live in a bundle of their own (`share/`, built from the
//! `pillarlint-share` binary by scripts/build-pages.sh): the link maker, the dialog, the
//! SVG/PNG/Markdown/JSON exports are not on the way to the first diagram. The app keeps the
//! buttons; the bundle is fetched once the first diagram is drawn (or at the first click),
//! and each click hands it the current state as JSON (the permalink's own format).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::events::EventListener;
use pillarlint_core::diagram::Filter;
use pillarlint_core::rules::{Pillar, Severity};
use wasm_bindgen::{JsCast, JsValue};

/// What Share and Export act on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shared {
    /// The editor's text (the playground).
    pub text: Option<Rc<str>>,
    /// The link's payload, `v1.…` (a findings-only link: no text).
    pub link: Option<String>,
    /// An app: the files a link carries (`app::share::link_files`), the main template
    /// first (`text` is its text).
    pub files: Option<Rc<Vec<(String, String)>>>,
    pub name: String,
    pub filter: Filter,
    /// The selected node.
    pub selected: Option<String>,
}

thread_local! {
    static CURRENT: RefCell<Shared> = RefCell::new(Shared::default());
    static PENDING: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
    static LOADING: Cell<bool> = const { Cell::new(false) };
}

/// What the buttons act on from now on (set at every render; cheap: the text is shared).
pub fn set_current(s: Shared) {
    CURRENT.with(|c| *c.borrow_mut() = s);
}

/// The state as the JSON a link carries (`permalink::state_json`'s keys), without the
/// serializer: the app writes four strings and a list.
pub fn state_json(s: &Shared) -> String {
    let q = pillarlint_core::value::json_string;
    let files = s
        .files
        .as_ref()
        .filter(|_| cfg!(feature = "apps") || cfg!(test));
    let name = match files.and_then(|f| f.first()) {
        Some((path, _)) => path,
        None => &s.name,
    };
    let mut out = format!("{{\"v\":\"\",\"n\":{}", q(name));
    if let Some(t) = &s.text {
        out.push_str(",\"t\":");
        out.push_str(&q(t));
    }
    if let Some(files) = files.filter(|f| f.len() > 1) {
        let items: Vec<String> = files[1..]
            .iter()
            .map(|(p, t)| format!("{{\"n\":{},\"t\":{}}}", q(p), q(t)))
            .collect();
        out.push_str(&format!(",\"f\":[{}]", items.join(",")));
    }
    if s.filter.pillars.len() < Pillar::ALL.len() {
        let p: Vec<String> = s.filter.pillars.iter().map(|p| q(p.as_str())).collect();
        out.push_str(&format!(",\"p\":[{}]", p.join(",")));
    }
    if s.filter.min_severity != Severity::Low {
        out.push_str(&format!(",\"s\":{}", q(s.filter.min_severity.as_str())));
    }
    if let Some(sel) = &s.selected {
        out.push_str(",\"sel\":");
        out.push_str(&q(sel));
    }
    out.push('}');
    out
}

/// The bundle's entry point, once it is loaded (`share/boot.js` sets it).
fn entry() -> Option<js_sys::Function> {
    let w = web_sys::window()?;
    js_sys::Reflect::get(&w, &"pillarlintShare".into())
        .ok()?
        .dyn_into()
        .ok()
}

fn call(f: &js_sys::Function, action: &str) {
    let (state, link) = CURRENT.with(|c| {
        let c = c.borrow();
        (state_json(&c), c.link.clone().unwrap_or_default())
    });
    let _ = f.call3(&JsValue::NULL, &action.into(), &state.into(), &link.into());
}

/// Say what went wrong where the exports report.
fn status(msg: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("export-status"))
    {
        el.set_text_content(Some(msg));
    }
}

/// Share (`"share"`) or export (`"svg"`, `"png"`, `"md"`, `"json"`) what is shown.
pub fn run(action: &'static str) {
    if let Some(f) = entry() {
        call(&f, action);
        return;
    }
    PENDING.with(|p| p.borrow_mut().push(action));
    load();
}

/// The bundle's loader: terraform.html (built with the Terraform reader) has a share bundle
/// of its own that reads Terraform too (scripts/build-pages.sh).
const BOOT: &str = if cfg!(feature = "terraform") {
    "terraform/share/boot.js"
} else {
    "share/boot.js"
};

/// Fetch the bundle (once): after the first diagram, so a click finds it ready.
pub fn load() {
    if LOADING.with(|l| l.replace(true)) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    EventListener::once(&window, "pillarlint-share-ready", |_| {
        if let Some(f) = entry() {
            for action in PENDING.with(|p| std::mem::take(&mut *p.borrow_mut())) {
                call(&f, action);
            }
        }
    })
    .forget();
    let Some(doc) = window.document() else {
        return;
    };
    if let (Some(head), Ok(script)) = (doc.head(), doc.create_element("script")) {
        let _ = script.set_attribute("type", "module");
        let _ = script.set_attribute("src", BOOT);
        EventListener::once(&script, "error", |_| {
            LOADING.with(|l| l.set(false));
            status("Share and Export could not be loaded (offline before they were ever used?).");
        })
        .forget();
        let _ = head.append_child(&script);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pillarlint_core::permalink;

    #[test]
    fn the_state_reads_back_as_a_link_state() {
        let mut filter = Filter::default();
        filter.pillars.remove(&Pillar::Dos);
        filter.min_severity = Severity::Medium;
        let s = Shared {
            text: Some("a: \"q\"\n\u{2028}b: \\\t\u{7}\n".into()),
            link: None,
            name: "my \"odd\" name.yaml".into(),
            filter,
            selected: Some("Fn".into()),
            files: None,
        };
        let st = permalink::state_from_json(&state_json(&s)).expect("reads back");
        assert_eq!(st.text.as_deref(), s.text.as_deref());
        assert_eq!(st.path.as_deref(), Some(s.name.as_str()));
        assert_eq!(
            st.pillars,
            vec![Pillar::Auth, Pillar::Data, Pillar::Logging]
        );
        assert_eq!(st.min_severity, Some(Severity::Medium));
        assert_eq!(st.selected.as_deref(), Some("Fn"));
        let app = Shared {
            text: Some("Resources: {}\n".into()),
            files: Some(Rc::new(vec![
                ("t.yaml".into(), "Resources: {}\n".into()),
                ("nested/c.yaml".into(), "a: \"b\"\n".into()),
            ])),
            name: "my app".into(),
            ..Shared::default()
        };
        let st = permalink::state_from_json(&state_json(&app)).expect("an app reads back");
        assert_eq!(
            st.all_files(),
            vec![
                ("t.yaml", "Resources: {}\n"),
                ("nested/c.yaml", "a: \"b\"\n")
            ]
        );
        let plain = permalink::state_from_json(&state_json(&Shared::default())).expect("plain");
        assert!(plain.text.is_none() && plain.pillars.is_empty() && plain.min_severity.is_none());
    }
}
