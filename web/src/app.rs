//! The app shell: hash routes (`#/`, `#/rules`, `#/rules/ID`) over one shared state.

use gloo::events::EventListener;
use pillarlint_core::example::BOOKSTORE;
use yew::prelude::*;

use crate::hooks::use_debounced_analysis::{load_draft, use_debounced_analysis};
use crate::pages::bench::BenchPage;
use crate::pages::playground::Playground;
use crate::pages::rule::{RulePage, RulesIndex};
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
}

impl Route {
    pub fn from_hash(hash: &str) -> Route {
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
    let state = use_reducer(|| match load_draft() {
        Some(text) => AppState::new(text, "template.yaml"),
        None => AppState::new(BOOKSTORE.text.to_owned(), BOOKSTORE.file_name),
    });
    use_debounced_analysis(state.clone());

    let route = use_state(|| Route::from_hash(&current_hash()));
    {
        let route = route.clone();
        use_effect_with((), move |()| {
            let listener = web_sys::window().map(|w| {
                EventListener::new(&w, "hashchange", move |_| {
                    route.set(Route::from_hash(&current_hash()));
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
            if let Route::Example(id) = r {
                if let Some(ex) = pillarlint_core::example::example(id) {
                    dispatch.dispatch(Action::Edit {
                        text: ex.text.to_owned(),
                        file_name: Some(ex.file_name.to_owned()),
                    });
                }
                if let Some(w) = web_sys::window() {
                    let _ = w.location().set_hash("/");
                }
                route.set(Route::Playground);
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
                    Route::Playground | Route::Example(_) => {
                        "pillarlint — serverless security, drawn".to_owned()
                    }
                });
                if !matches!(r, Route::Playground) {
                    if let Some(w) = web_sys::window() {
                        w.scroll_to_with_x_and_y(0.0, 0.0);
                    }
                }
            }
        });
    }

    match &*route {
        Route::Playground | Route::Example(_) => html! { <Playground state={state} /> },
        Route::Rules => html! { <RulesIndex /> },
        Route::Bench => html! { <BenchPage text={state.text.clone()} /> },
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
    }
}
