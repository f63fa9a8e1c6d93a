//! Apps of several files in the app (issue 20): a dropped folder, several files or a `.zip`
//! become ONE document (origin [`crate::documents::Origin::App`]) whose text holds every
//! file, path and text, as JSON (`{"pillarlint-app":1,"files":[[path,text],…]}`).
//!
//! The first bundle (`index.html`) only reads the drop — with `static/apps/read.js`, loaded
//! when such a drop happens, so the first load carries none of it — saves the document and
//! moves to `terraform.html` (built with the `apps` feature: `core::app`'s planning,
//! stitching and views), keeping the hash, as Terraform does (`crate::terraform`).

use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};

/// What an app document's text starts with.
pub const MARK: &str = "{\"pillarlint-app\":1,";

/// The files of an app, `(path, text)`.
pub type Files = Rc<Vec<(String, Rc<str>)>>;

/// The text of an app document holding `files` (`static/apps/read.js` writes the same).
pub fn encode<T: AsRef<str>>(files: &[(String, T)]) -> String {
    let q = pillarlint_core::value::json_string;
    let items: Vec<String> = files
        .iter()
        .map(|(p, t)| format!("[{},{}]", q(p), q(t.as_ref())))
        .collect();
    format!("{MARK}\"files\":[\n{}\n]}}\n", items.join(",\n"))
}

/// Is this the text of an app document?
pub fn is_app(text: &str) -> bool {
    text.starts_with(MARK)
}

/// The files of an app document (`None`: not one, or damaged).
#[cfg(feature = "apps")]
pub fn decode(text: &str) -> Option<Vec<(String, String)>> {
    #[derive(serde::Deserialize)]
    struct Bundle {
        files: Vec<(String, String)>,
    }
    if !is_app(text) {
        return None;
    }
    serde_json::from_str::<Bundle>(text).ok().map(|b| b.files)
}

/// Go to the page that reads apps, when this one does not, keeping the hash (true: the
/// page is being replaced).
pub fn move_to_apps_page() -> bool {
    if cfg!(feature = "apps") {
        return false;
    }
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return false;
    };
    let hash = location.hash().unwrap_or_default();
    location
        .replace(&format!("{}{hash}", crate::terraform::PAGE))
        .is_ok()
}

fn reader() -> Option<js_sys::Function> {
    let w = web_sys::window()?;
    js_sys::Reflect::get(&w, &"pillarlintRead".into())
        .ok()?
        .dyn_into()
        .ok()
}

/// Load `static/apps/read.js` (once), say when something is dragged over the editor: a
/// folder dropped is read from its entries, which only exist during the drop event.
/// `what`: a file list for it to read once loaded.
pub fn preload(what: Option<&JsValue>) {
    let Some(w) = web_sys::window() else { return };
    if let Some(what) = what {
        let _ = js_sys::Reflect::set(&w, &"pillarlintReadQueue".into(), what);
    }
    if js_sys::Reflect::has(&w, &"pillarlintReadLoading".into()).unwrap_or(true) {
        return;
    }
    let _ = js_sys::Reflect::set(&w, &"pillarlintReadLoading".into(), &JsValue::TRUE);
    if let Some(doc) = w.document() {
        if let (Some(head), Ok(script)) = (doc.head(), doc.create_element("script")) {
            let _ = script.set_attribute("type", "module");
            let _ = script.set_attribute("src", "apps/read.js");
            let _ = head.append_child(&script);
        }
    }
}

/// Read a drop (its `DataTransfer`, during the drop event) or a file list as an app with
/// `static/apps/read.js`: false when it is not one (a single template, read by the editor
/// as before) or when read.js is not loaded yet (a file list then waits for it). read.js
/// says itself what went wrong (a notice above the panes), else hands the app's name and
/// its document's text (every file, as [`encode`] writes them) to the app in a
/// `pillarlint-app` event (`detail`: `[name, text]`; the playground opens it).
pub fn read(what: &JsValue) -> bool {
    match reader() {
        Some(f) => f.call1(&JsValue::NULL, what).ok().and_then(|v| v.as_bool()) == Some(true),
        None => {
            preload(Some(what));
            false
        }
    }
}

/// Does a picked or dropped file list hold an app (several files, or a `.zip`)?
pub fn is_app_list(list: &web_sys::FileList) -> bool {
    list.length() > 1
        || list
            .get(0)
            .is_some_and(|f| f.name().to_ascii_lowercase().ends_with(".zip"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_app_document_round_trips() {
        let files = vec![
            (
                "app/template.yaml".to_owned(),
                "Resources: {}\n\"q\"\\\u{2028}".to_owned(),
            ),
            ("app/nested/child.yaml".to_owned(), String::new()),
        ];
        let text = encode(&files);
        assert!(is_app(&text));
        assert!(!is_app("Resources: {}\n"));
        #[cfg(feature = "apps")]
        {
            assert_eq!(decode(&text), Some(files));
            assert_eq!(decode("{\"pillarlint-app\":1,\"files\":3}"), None);
            assert_eq!(decode("Resources: {}"), None);
        }
    }
}
