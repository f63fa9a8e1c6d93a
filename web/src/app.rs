//! The app shell: hash routes (`#/`, `#/rules`, `#/rules/ID`) over one shared state.

use std::rc::Rc;

use gloo::events::EventListener;
use pillarlint_core::example::{BOOKSTORE, EXAMPLES};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::share_dialog::{notice, NoticeProps};
use crate::documents::{self, Doc, Origin};
use crate::hooks::use_debounced_analysis::use_debounced_analysis;
#[cfg(feature = "full")]
use crate::pages::embed::SnapshotPage;
use crate::pages::playground::Playground;
use crate::share::{self, Opened};
use crate::state::{Action, AppState, Selection};

#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    Playground,
    Rules,
    Rule(String),
    /// `#/bench`: timings in this browser.
    Bench,
    /// `#/example/ID`: load a built-in example, then show the playground.
    Example(String),
    /// `#v1.…` (or any fragment that is no route): a permalink, opened at start-up.
    Link,
    /// `#/embed/v1.…`: the read-only embed view.
    Embed,
}

impl Route {
    pub fn from_hash(hash: &str) -> Route {
        if share::is_embed_hash(hash) {
            return Route::Embed;
        }
        if !share::is_app_route(hash) {
            return Route::Link;
        }
        let h = hash.trim_start_matches('#').trim_start_matches('/');
        match h.split_once('/') {
            Some(("rules", id)) if !id.is_empty() => Route::Rule(id.to_owned()),
            Some(("example", id)) if !id.is_empty() => Route::Example(id.to_owned()),
            _ if h == "rules" || h == "rules/" => Route::Rules,
            _ if h == "bench" => Route::Bench,
            _ => Route::Playground,
        }
    }
}

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// A link's text (or app) opens as its own document (the one already kept for the same text,
/// else a new one named by the link), with the link's filters and selection.
fn from_link(
    s: &pillarlint_core::permalink::State,
    origin: Origin,
    name: &str,
    edited: bool,
    text: String,
) -> AppState {
    let name = s.path.as_deref().unwrap_or(name);
    let doc = documents::find_unedited(&origin, &text)
        .unwrap_or_else(|| Doc::new(origin.clone(), name, edited, &text));
    let mut st = AppState::new(doc, text);
    st.filter = share::filter_of(s);
    if let Some(sel) = &s.selected {
        st.selection = Selection::Node(sel.clone());
    }
    st
}

/// The document to show first: a link's template (as a document of its own), else the one
/// shown last, else the bookstore example.
fn initial_state(opened: &Opened) -> AppState {
    // a link to an app in the first bundle: on to the page that reads apps (the link stays
    // in the hash); nothing is shown or saved here meanwhile
    if matches!(opened, Opened::App(Ok(s)) if !s.files.is_empty())
        && crate::appdoc::move_to_apps_page()
    {
        return AppState::new(Doc::new(Origin::Draft, "", false, ""), String::new());
    }
    documents::migrate();
    let mut st = match opened {
        // a link to an app: one app document holding its files (the first bundle moves to
        // the page that reads apps, which finds the same document)
        Opened::App(Ok(s)) if !s.files.is_empty() && cfg!(feature = "apps") => {
            let files: Vec<(String, String)> = s
                .all_files()
                .into_iter()
                .map(|(p, t)| (p.to_owned(), t.to_owned()))
                .collect();
            let text = crate::appdoc::encode(&files);
            from_link(s, Origin::App, "shared app", true, text)
        }
        Opened::App(Ok(s)) if s.text.is_some() && s.files.is_empty() => {
            let text = s.text.clone().unwrap_or_default();
            from_link(s, Origin::Link, "shared.yaml", false, text)
        }
        _ => match documents::active() {
            Some((doc, text)) => AppState::new(doc, text),
            None => {
                let origin = Origin::Example(BOOKSTORE.id.to_owned());
                let doc = documents::find_unedited(&origin, BOOKSTORE.text).unwrap_or_else(|| {
                    Doc::new(origin, BOOKSTORE.file_name, false, BOOKSTORE.text)
                });
                AppState::new(doc, BOOKSTORE.text.to_owned())
            }
        },
    };
    // registers the document (a new one) and makes it the one shown at the next start
    st.storage_error = documents::save(&st.doc, &st.text).err();
    st.docs = Rc::new(documents::list());
    st
}

/// Replace the address without reloading or a `hashchange` (history, not `location`).
fn replace_url(url: &str) {
    if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let opened = use_memo((), |()| share::opened());
    let state = use_reducer(|| initial_state(&opened));
    let link_error = use_state(|| match &*opened {
        Opened::App(Err(e)) => Some(("This link cannot be opened.".to_owned(), e.to_string())),
        _ => None,
    });
    let snapshot = use_state(|| match &*opened {
        Opened::App(Ok(s)) if s.text.is_none() => Some(std::rc::Rc::new(s.clone())),
        _ => None,
    });
    // A findings-only link is drawn by the full app (the first bundle leaves that read-only
    // page out for its size budget): go there, keeping the link.
    use_effect_with(snapshot.is_some(), |&findings_only| {
        if findings_only && !cfg!(feature = "full") {
            if let Some(location) = web_sys::window().map(|w| w.location()) {
                let hash = location.hash().unwrap_or_default();
                let _ = location.replace(&format!("{}{hash}", crate::terraform::PAGE));
            }
        }
    });
    {
        // `?src=<url>`: fetch a template from the browser, only when the URL asks for it
        let dispatch = state.dispatcher();
        let link_error = link_error.clone();
        use_effect_with((), move |()| {
            if let Some(src) = share::src_param() {
                wasm_bindgen_futures::spawn_local(async move {
                    match share::fetch_src(&src).await {
                        Ok((text, name)) => {
                            dispatch.dispatch(documents::open_action(
                                Origin::Url,
                                &name,
                                false,
                                text,
                            ));
                        }
                        Err(e) => link_error
                            .set(Some(("The template could not be loaded.".to_owned(), e))),
                    }
                });
            }
        });
    }
    use_debounced_analysis(state.clone());
    {
        // The address names a link (or `?src=`) only while that text is shown unchanged:
        // once the user edits it, or opens something else, a reload shows their document.
        let first_doc = use_mut_ref(|| state.doc.id.clone());
        let key = (state.doc.id.clone(), state.doc.edited);
        use_effect_with(key, move |(id, edited)| {
            let (path, hash, search) = share::location();
            let named = !share::is_app_route(&hash) || !search.is_empty();
            if named && snapshot_free(&hash) && (*edited || *first_doc.borrow() != *id) {
                replace_url(&format!("{path}#/"));
            }
        });
    }
    {
        // keep the last keystrokes when the tab goes away before the typing pause ends
        let latest = use_mut_ref(|| None::<(Rc<Doc>, Rc<str>)>);
        *latest.borrow_mut() = state.dirty.then(|| (state.doc.clone(), state.text.clone()));
        use_effect_with((), move |()| {
            let l = web_sys::window().map(|w| {
                EventListener::new(&w, "pagehide", move |_| {
                    if let Some((doc, text)) = latest.borrow().as_ref() {
                        let _ = documents::save(doc, text);
                    }
                })
            });
            move || drop(l)
        });
    }
    {
        // Escape clears the selection and closes an open menu (a dialog handles its own)
        let dispatch = state.dispatcher();
        use_effect_with((), move |()| {
            let l = web_sys::window().and_then(|w| w.document()).map(|d| {
                EventListener::new(&d, "keydown", move |e| {
                    let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                        return;
                    };
                    if e.key() != "Escape" {
                        return;
                    }
                    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
                        return;
                    };
                    if doc.query_selector("dialog[open]").ok().flatten().is_some() {
                        return;
                    }
                    if let Ok(open) = doc.query_selector_all("details[open]") {
                        for i in 0..open.length() {
                            if let Some(el) = open
                                .item(i)
                                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                            {
                                let _ = el.remove_attribute("open");
                            }
                        }
                    }
                    dispatch.dispatch(Action::ClearSelection);
                })
            });
            move || drop(l)
        });
    }

    let route = use_state(|| Route::from_hash(&current_hash()));
    {
        let route = route.clone();
        use_effect_with((), move |()| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "hashchange", move |_| {
                    let r = Route::from_hash(&current_hash());
                    if matches!(r, Route::Link | Route::Embed) {
                        // a new link pasted into the address bar: open it afresh
                        if let Some(w) = web_sys::window() {
                            let _ = w.location().reload();
                        }
                        return;
                    }
                    route.set(r);
                })
            });
            move || drop(listener)
        });
    }
    {
        let r = (*route).clone();
        let dispatch = state.dispatcher();
        let route = route.clone();
        let link_error = link_error.clone();
        use_effect_with(r.clone(), move |r| {
            let Some(location) = web_sys::window().map(|w| w.location()) else {
                return;
            };
            match r {
                Route::Example(id) => {
                    match pillarlint_core::example::example(id) {
                        Some(ex) => crate::docs::open_example(ex, dispatch.clone()),
                        None => link_error.set(Some((
                            format!("There is no example called “{id}”."),
                            format!(
                                "The examples are: {}.",
                                EXAMPLES.iter().map(|e| e.id).collect::<Vec<_>>().join(", ")
                            ),
                        ))),
                    }
                    let _ = location.set_hash("/");
                    route.set(Route::Playground);
                }
                // pages with bundles of their own
                Route::Rules | Route::Rule(_) => {
                    let _ = location.replace(&format!("rules.html{}", current_hash()));
                }
                Route::Bench => {
                    let _ = location.replace("bench.html");
                }
                Route::Embed => {
                    let hash = current_hash();
                    let _ = location.replace(&format!("embed.html#{}", share::payload_of(&hash)));
                }
                _ => {}
            }
        });
    }
    {
        let r = (*route).clone();
        use_effect_with(r, |r| {
            if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
                doc.set_title(&match r {
                    Route::Rule(id) => format!("{id} — pillarlint"),
                    Route::Rules => "Rules — pillarlint".to_owned(),
                    Route::Bench => "Benchmark — pillarlint".to_owned(),
                    Route::Playground | Route::Example(_) | Route::Link | Route::Embed => {
                        "pillarlint — serverless security, drawn".to_owned()
                    }
                });
                if !matches!(r, Route::Playground | Route::Link | Route::Embed) {
                    if let Some(w) = web_sys::window() {
                        w.scroll_to_with_x_and_y(0.0, 0.0);
                    }
                }
            }
        });
    }

    let notice = link_error.as_ref().map(|(title, msg)| {
        let link_error = link_error.clone();
        notice(&NoticeProps {
            id: "permalink-error".into(),
            title: title.clone().into(),
            message: msg.clone().into(),
            on_dismiss: Callback::from(move |()| link_error.set(None)),
        })
    });
    let page = match &*route {
        Route::Link if snapshot.is_some() => {
            let snap = snapshot.clone();
            let on_leave = Callback::from(move |()| {
                snap.set(None);
                if let Some(w) = web_sys::window() {
                    let _ = w.location().set_hash("/");
                }
            });
            #[cfg(feature = "full")]
            {
                html! { <SnapshotPage state={(*snapshot).clone().unwrap_or_default()} {on_leave} /> }
            }
            #[cfg(not(feature = "full"))]
            {
                drop(on_leave);
                html! {}
            }
        }
        Route::Playground | Route::Example(_) | Route::Link => {
            html! { <Playground state={state} /> }
        }
        // the embed view is a page of its own, with its own bundle (`embed.html`)
        Route::Embed => html! {},
        // the rule pages and the benchmark are pages with bundles of their own
        Route::Rules | Route::Rule(_) => html! {},
        Route::Bench => {
            html! { <main class="doc-page"><p><a href="bench.html">{"Open the benchmark"}</a></p></main> }
        }
    };
    html! { <>{ notice.unwrap_or_default() }{ page }</> }
}

/// Is the fragment something other than a findings-only link? (That page is read-only: it
/// keeps its address.)
fn snapshot_free(hash: &str) -> bool {
    share::is_app_route(hash)
        || !matches!(share::classify("/", hash), Opened::App(Ok(ref s)) if s.text.is_none())
}
