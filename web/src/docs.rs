//! Rule docs for the rule pages. The release app is built with core's `lean` feature: rule
//! docs (about 65 KB) are not compiled into its wasm but loaded, the first time a rule page
//! opens, from `rule-docs.json` beside the app (same origin; generated from the same docs the
//! tests check, `tests/tests/generated_files.rs`). Builds with the docs inside (unit tests,
//! `trunk build` without the feature) never fetch.
//!
//! The gallery's examples are loaded the same way (`open_example`, `examples/` beside the
//! app), through the same `fetch_text`.

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
    parse(&fetch_text("rule-docs.json").await?)
}

/// A text file beside the app (same origin: rule docs, the gallery's examples).
pub async fn fetch_text(path: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let resp = JsFuture::from(window.fetch_with_str(path))
        .await
        .map_err(|e| format!("{path}: {e:?}"))?
        .dyn_into::<web_sys::Response>()
        .map_err(|_| format!("{path}: not a response"))?;
    if !resp.ok() {
        return Err(format!("{path}: HTTP {}", resp.status()));
    }
    JsFuture::from(resp.text().map_err(|e| format!("{path}: {e:?}"))?)
        .await
        .map_err(|e| format!("{path}: {e:?}"))?
        .as_string()
        .ok_or_else(|| format!("{path} is not text"))
}

/// Open a built-in example in the playground, as a document of its own (the one opened
/// before, if it was never edited): its text is in the bundle (the bookstore, and every
/// example in builds without `lean`) or loaded from `examples/<source>` beside the app.
pub fn open_example(
    ex: &'static pillarlint_core::example::Example,
    dispatch: UseReducerDispatcher<crate::state::AppState>,
) {
    let open = move |text: String| {
        dispatch.dispatch(crate::documents::open_action(
            crate::documents::Origin::Example(ex.id.to_owned()),
            ex.file_name,
            false,
            text,
        ))
    };
    if !ex.text.is_empty() {
        open(ex.text.to_owned());
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        match fetch_text(&format!("examples/{}", ex.source)).await {
            Ok(text) => open(text),
            Err(e) => web_sys::console::error_1(&format!("pillarlint: example {e}").into()),
        }
    });
}

/// `{"RULE-ID": "markdown", …}`, read by the core's template loader (JSON is YAML): the app
/// carries one parser, not two.
fn parse(text: &str) -> Result<BTreeMap<String, String>, String> {
    use pillarlint_core::value::Node;
    let value = pillarlint_core::parse::load(text, &pillarlint_core::parse::Limits::default())
        .map_err(|e| format!("rule-docs.json: {e}"))?;
    let map = value.as_map().ok_or("rule-docs.json: expected an object")?;
    map.iter()
        .map(|(id, md)| match &md.node {
            Node::String(md) => Ok((id.name.clone(), md.clone())),
            _ => Err(format!(
                "rule-docs.json: the docs of {} are not text",
                id.name
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_generated_docs_file() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../static/rule-docs.json"
        ))
        .expect("static/rule-docs.json");
        let docs = parse(&text).expect("parses");
        assert_eq!(docs.len(), RULES.len());
        for r in RULES {
            // this build has the docs in its core: the file reads back to exactly them
            assert_eq!(
                docs.get(r.meta().id).map(String::as_str),
                Some(r.meta().docs),
                "{}",
                r.meta().id
            );
        }
        assert!(parse("[]").is_err());
        assert!(parse(r#"{"X": 1}"#).is_err_and(|e| e.contains("X")));
        assert!(parse("{").is_err());
    }
}
