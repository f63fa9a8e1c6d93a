//! Offline and installable: once the first diagram is on screen, the page links its web
//! manifest and registers the service worker (`sw.js`, a file beside the app: the page's
//! CSP allows scripts from 'self' only). Neither is on the way to the first diagram.
//!
//! The worker (`static/sw.js`, its file list written at build time by
//! `scripts/offline_list.py`) caches the app shell, the wasm, the styles, the rule docs
//! and the examples under a versioned name. It never stores what the user types: that stays
//! in this page's localStorage (`crate::documents`).

use std::cell::Cell;

use wasm_bindgen::JsCast;

thread_local! {
    static DONE: Cell<bool> = const { Cell::new(false) };
}

/// Link the manifest and register the service worker, once per page.
pub fn after_first_diagram() {
    if DONE.with(|d| d.replace(true)) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Some(doc) = window.document() {
        if let (Some(head), Ok(link)) = (doc.head(), doc.create_element("link")) {
            let _ = link.set_attribute("rel", "manifest");
            let _ = link.set_attribute("href", "manifest.webmanifest");
            let _ = head.append_child(&link);
        }
    }
    // `navigator.serviceWorker` is missing outside secure contexts and in some browsers:
    // the app works without it, only not offline
    let nav = window.navigator();
    let Ok(sw) = js_sys::Reflect::get(&nav, &"serviceWorker".into()) else {
        return;
    };
    if sw.is_undefined() || sw.is_null() {
        return;
    }
    let register = js_sys::Reflect::get(&sw, &"register".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(register) = register {
        if let Ok(p) = register.call1(&sw, &"sw.js".into()) {
            if let Ok(p) = p.dyn_into::<js_sys::Promise>() {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Err(e) = wasm_bindgen_futures::JsFuture::from(p).await {
                        web_sys::console::warn_2(
                            &"pillarlint: offline mode unavailable:".into(),
                            &e,
                        );
                    }
                });
            }
        }
    }
}
