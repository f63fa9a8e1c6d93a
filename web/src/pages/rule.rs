//! Rule documentation pages, rendered from the same docs the meta-tests check.

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
                <a href="#/" class="back">{"← Back to the playground"}</a>
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
            <nav class="crumbs"><a href="#/" class="back">{"← Playground"}</a>{" · "}<a href="#/rules">{"All rules"}</a></nav>
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
            <nav class="crumbs"><a href="#/" class="back">{"← Playground"}</a></nav>
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
