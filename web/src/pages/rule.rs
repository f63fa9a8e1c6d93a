//! Rule documentation pages (`rules.html#/rules`, `rules.html#/rules/ID`), rendered from the
//! same docs the meta-tests check. A page with a bundle of its own: the app's first load
//! does not carry the docs reader and renderer (the app's `#/rules…` routes lead here).

use gloo::events::EventListener;
use pillarlint_core::rules::{rule, Pillar, RULES};
use yew::prelude::*;

use crate::components::glyph::{pillar_icon, severity_tag};
use crate::components::markdown;
use crate::docs::{use_rule_docs, Docs};

#[derive(Properties, PartialEq)]
pub struct RuleProps {
    pub id: String,
    /// Open a doc example in the playground.
    pub on_try: Callback<String>,
}

#[function_component(RulePage)]
pub fn rule_page(p: &RuleProps) -> Html {
    let docs = use_rule_docs();
    let Some(r) = rule(&p.id) else {
        return html! {
            <main class="doc-page">
                <a href="index.html#/" class="back">{"← Back to the playground"}</a>
                <h1>{ format!("No rule called “{}”", p.id) }</h1>
                <p><a href="#/rules">{"See all rules"}</a></p>
            </main>
        };
    };
    let full = docs.meta(r.meta());
    let m = full.as_ref().unwrap_or(r.meta());
    let article = match (&full, &docs) {
        (Some(m), _) => {
            html! { <article class="docs">{ markdown::raw(markdown::render_html(m.docs)) }</article> }
        }
        (None, Docs::Failed(e)) => html! {
            <p class="error" role="alert">{ format!("The rule's documentation could not be loaded ({e}).") }</p>
        },
        (None, _) => html! { <p class="muted" aria-busy="true">{"Loading the documentation…"}</p> },
    };
    html! {
        <main class="doc-page" data-rule-page={m.id} data-docs={if full.is_some() { "ready" } else { "pending" }}>
            <nav class="crumbs"><a href="index.html#/" class="back">{"← Playground"}</a>{" · "}<a href="#/rules">{"All rules"}</a></nav>
            <h1 class={format!("p-{}", m.pillar.as_str())}>
                { pillar_icon(m.pillar) }{" "}{ m.id }{" "}<span class="muted">{ m.name }</span>
            </h1>
            <p class="meta">
                { severity_tag(m.severity) }{" "}
                <span>{ m.pillar.title() }</span>
                if m.graph { <span class="muted">{" · cross-resource (graph) rule"}</span> }
            </p>
            if !m.sources.is_empty() {
                <p class="muted small">{"Equivalent checks: "}
                    { m.sources.iter().map(|s| format!("{} {}", source_tool(s), s.id())).collect::<Vec<_>>().join(", ") }
                </p>
            }
            if let Some(ex) = m.examples("expect_finding").into_iter().next() {
                <p>
                    <button id="try-example" type="button" onclick={{
                        let cb = p.on_try.clone();
                        Callback::from(move |_: MouseEvent| cb.emit(ex.clone()))
                    }}>{"Open the example in the playground →"}</button>
                </p>
            }
            { article }
        </main>
    }
}

fn source_tool(s: &pillarlint_core::rules::Source) -> &'static str {
    use pillarlint_core::rules::Source;
    match s {
        Source::Checkov(_) => "checkov",
        Source::CfnNag(_) => "cfn_nag",
        Source::CfnLint(_) => "cfn-lint",
        Source::ServerlessRules(_) => "serverless-rules",
        Source::CdkNag(_) => "cdk-nag",
        Source::Guard(_) => "guard",
    }
}

#[function_component(RulesIndex)]
pub fn rules_index() -> Html {
    let docs = use_rule_docs();
    let summary = |m: &pillarlint_core::rules::RuleMeta| {
        docs.meta(m).map(|m| m.summary()).unwrap_or_default()
    };
    html! {
        <main class="doc-page">
            <nav class="crumbs"><a href="index.html#/" class="back">{"← Playground"}</a></nav>
            <h1>{ format!("{} rules in four pillars", RULES.len()) }</h1>
            { for Pillar::ALL.iter().map(|&pl| html! {
                <section class={format!("p-{}", pl.as_str())}>
                    <h2>{ pillar_icon(pl) }{" "}{ pl.title() }</h2>
                    <ul class="rule-list">
                        { for RULES.iter().map(|r| r.meta()).filter(|m| m.pillar == pl).map(|m| html! {
                            <li><a href={format!("#/rules/{}", m.id)}>{ m.id }</a>{" "}{ severity_tag(m.severity) }{" "}<span>{ summary(m) }</span></li>
                        }) }
                    </ul>
                </section>
            }) }
        </main>
    }
}

/// The rule id a fragment names (`#/rules/ID`), if any.
fn rule_of(hash: &str) -> Option<String> {
    let h = hash.trim_start_matches('#').trim_start_matches('/');
    h.strip_prefix("rules/")
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
}

fn hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Root of `rules.html`: the index or one rule, following the fragment.
#[function_component(RulesApp)]
pub fn rules_app() -> Html {
    let id = use_state(|| rule_of(&hash()));
    let error = use_state(|| None::<String>);
    {
        let id = id.clone();
        use_effect_with((), move |()| {
            let l = web_sys::window().map(|w| {
                EventListener::new(&w, "hashchange", move |_| {
                    id.set(rule_of(&hash()));
                    if let Some(w) = web_sys::window() {
                        w.scroll_to_with_x_and_y(0.0, 0.0);
                    }
                })
            });
            move || drop(l)
        });
    }
    {
        use_effect_with((*id).clone(), |id| {
            if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
                doc.set_title(&match id {
                    Some(id) => format!("{id} — pillarlint"),
                    None => "Rules — pillarlint".to_owned(),
                });
            }
        });
    }
    let Some(rule_id) = (*id).clone() else {
        return html! { <RulesIndex /> };
    };
    // the example opens in the playground as a document of its own: stored here, shown there
    let on_try = {
        let rule_id = rule_id.clone();
        let error = error.clone();
        Callback::from(move |text: String| {
            use crate::documents::{find_unedited, save, Doc, Origin};
            let origin = Origin::Rule(rule_id.clone());
            let doc = find_unedited(&origin, &text).unwrap_or_else(|| {
                Doc::new(origin, &format!("{rule_id}-example.yaml"), false, &text)
            });
            match save(&doc, &text) {
                Ok(()) => {
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().set_href("index.html#/");
                    }
                }
                Err(e) => error.set(Some(format!(
                    "The example could not be handed to the playground: {e}. Copy it from below instead."
                ))),
            }
        })
    };
    html! {
        <>
            if let Some(e) = &*error {
                <p id="storage-error" class="storage-error" role="alert">{ e.clone() }</p>
            }
            <RulePage id={rule_id} {on_try} />
        </>
    }
}
