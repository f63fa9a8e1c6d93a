//! Rule docs for the rule pages. The release app is built with core's `lean` feature: rule
//! docs (about 65 KB) are not compiled into its wasm but loaded, the first time a rule page
//! opens, from `rule-docs.json` beside the app (same origin; generated from the same docs the
//! tests check, `tests/tests/generated_files.rs`). Builds with the docs inside (unit tests,
//! `trunk build` without the feature) never fetch.

use std::cell::RefCell;
use std::collections::BTreeMap;

use pillarlint_core::rules::{RuleMeta, RULES};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

/// Where the docs stand.
#[derive(Clone, PartialEq, Debug)]
pub enum Docs {
    Loading,
    /// Id -> markdown (leaked once: the docs live as long as the page).
    Ready(&'static BTreeMap<String, String>),
    Failed(String),
}

impl Docs {
    /// `m` with its docs filled in, when they are known.
    pub fn meta(&self, m: &RuleMeta) -> Option<RuleMeta> {
        if !m.docs.is_empty() {
            return Some(*m);
        }
        match self {
            Docs::Ready(map) => map.get(m.id).map(|d| RuleMeta {
                docs: d.as_str(),
                ..*m
            }),
            _ => None,
        }
    }
}

thread_local! {
    static CACHE: RefCell<Option<&'static BTreeMap<String, String>>> = const { RefCell::new(None) };
}

/// Are the docs compiled in (a build without `lean`)?
fn built_in() -> bool {
    RULES.iter().all(|r| !r.meta().docs.is_empty())
}

/// The docs, loading them on first use; the component re-renders when they arrive.
#[hook]
pub fn use_rule_docs() -> Docs {
    let state = use_state(|| {
        if built_in() {
            static EMPTY: BTreeMap<String, String> = BTreeMap::new();
            return Docs::Ready(&EMPTY);
        }
        CACHE
            .with(|c| *c.borrow())
            .map_or(Docs::Loading, Docs::Ready)
    });
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            if *state == Docs::Loading {
                wasm_bindgen_futures::spawn_local(async move {
                    state.set(match fetch().await {
                        Ok(map) => {
                            let map: &'static BTreeMap<String, String> = Box::leak(Box::new(map));
                            CACHE.with(|c| *c.borrow_mut() = Some(map));
                            Docs::Ready(map)
                        }
                        Err(e) => Docs::Failed(e),
                    });
                });
            }
        });
    }
    (*state).clone()
}

async fn fetch() -> Result<BTreeMap<String, String>, String> {
    let window = web_sys::window().ok_or("no window")?;
    let resp = JsFuture::from(window.fetch_with_str("rule-docs.json"))
        .await
        .map_err(|e| format!("{e:?}"))?
        .dyn_into::<web_sys::Response>()
        .map_err(|_| "not a response".to_owned())?;
    if !resp.ok() {
        return Err(format!("rule-docs.json: HTTP {}", resp.status()));
    }
    let text = JsFuture::from(resp.text().map_err(|e| format!("{e:?}"))?)
        .await
        .map_err(|e| format!("{e:?}"))?
        .as_string()
        .ok_or("rule-docs.json is not text")?;
    serde_json::from_str(&text).map_err(|e| format!("rule-docs.json: {e}"))
}
