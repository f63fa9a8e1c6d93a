//! The app shell: hash routes (`#/`, `#/rules`, `#/rules/ID`) over one shared state.

use gloo::events::EventListener;
use pillarlint_core::example::BOOKSTORE;
use yew::prelude::*;

use crate::components::share_dialog::{notice, NoticeProps};
use crate::hooks::use_debounced_analysis::{load_draft, use_debounced_analysis};
use crate::pages::embed::SnapshotPage;
use crate::pages::playground::Playground;
use crate::pages::rule::{RulePage, RulesIndex};
use crate::share::{self, Opened};
use crate::state::{Action, AppState};

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

#[function_component(App)]
pub fn app() -> Html {
    // A permalink in the URL opens its state; a broken one leaves the draft as it was.
    let opened = use_memo((), |()| share::opened());
    let state = use_reducer(|| match &*opened {
        Opened::App(Ok(s)) if s.text.is_some() => {
            share::app_state(s, s.text.as_deref().unwrap_or(""))
        }
        _ => match load_draft() {
            Some(text) => AppState::new(text, "template.yaml"),
            None => AppState::new(BOOKSTORE.text.to_owned(), BOOKSTORE.file_name),
        },
    });
    let link_error = use_state(|| match &*opened {
        Opened::App(Err(e)) => Some(("This link cannot be opened.".to_owned(), e.to_string())),
        _ => None,
    });
    let snapshot = use_state(|| match &*opened {
        Opened::App(Ok(s)) if s.text.is_none() => Some(std::rc::Rc::new(s.clone())),
        _ => None,
    });
    {
        // `?src=<url>`: fetch a template from the browser, only when the URL asks for it.
        let dispatch = state.dispatcher();
        let link_error = link_error.clone();
        use_effect_with((), move |()| {
            if let Some(src) = share::src_param() {
                wasm_bindgen_futures::spawn_local(async move {
                    match share::fetch_src(&src).await {
                        Ok((text, name)) => {
                            share::protect_draft_from(&text);
                            dispatch.dispatch(Action::Edit {
                                text,
                                file_name: Some(name),
                            });
                        }
                        Err(e) => link_error
                            .set(Some(("The template could not be loaded.".to_owned(), e))),
                    }
                });
            }
        });
    }
    use_debounced_analysis(state.clone());

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
        use_effect_with(r.clone(), move |r| {
            let Some(location) = web_sys::window().map(|w| w.location()) else {
                return;
            };
            match r {
                Route::Example(id) => {
                    if let Some(ex) = pillarlint_core::example::example(id) {
                        crate::docs::open_example(ex, dispatch.clone());
                    }
                    let _ = location.set_hash("/");
                    route.set(Route::Playground);
                }
                // pages with bundles of their own
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
            html! { <SnapshotPage state={(*snapshot).clone().unwrap_or_default()} {on_leave} /> }
        }
        Route::Playground | Route::Example(_) | Route::Link => {
            html! { <Playground state={state} /> }
        }
        // the embed view is a page of its own, with its own bundle (`embed.html`)
        Route::Embed => html! {},
        Route::Rules => html! { <RulesIndex /> },
        // the benchmark is a page of its own, with its own bundle (`bench.html`)
        Route::Bench => {
            html! { <main class="doc-page"><p><a href="bench.html">{"Open the benchmark"}</a></p></main> }
        }
        Route::Rule(id) => {
            let d = state.dispatcher();
            let rule = id.clone();
            let on_try = Callback::from(move |text: String| {
                d.dispatch(Action::Edit {
                    text,
                    file_name: Some(format!("{rule}-example.yaml")),
                });
                if let Some(w) = web_sys::window() {
                    let _ = w.location().set_hash("/");
                }
            });
            html! { <RulePage id={id.clone()} {on_try} /> }
        }
    };
    html! { <>{ notice.unwrap_or_default() }{ page }</> }
}
