//! One finding in the list.

use pillarlint_core::report::FindingOut;
use yew::prelude::*;

use super::glyph::severity_tag;

#[derive(Properties, PartialEq)]
pub struct FindingProps {
    pub index: usize,
    pub finding: FindingOut,
    pub selected: bool,
    pub on_select: Callback<usize>,
}

#[function_component(FindingItem)]
pub fn finding_item(p: &FindingProps) -> Html {
    let f = &p.finding;
    let li = use_node_ref();
    {
        // bring the selected finding into view (it may have been picked from the diagram)
        let li = li.clone();
        use_effect_with(p.selected, move |&selected| {
            if selected {
                if let Some(el) = li.cast::<web_sys::Element>() {
                    let opts = web_sys::ScrollIntoViewOptions::new();
                    opts.set_block(web_sys::ScrollLogicalPosition::Nearest);
                    el.scroll_into_view_with_scroll_into_view_options(&opts);
                }
            }
        });
    }
    let onclick = {
        let cb = p.on_select.clone();
        let i = p.index;
        Callback::from(move |_: MouseEvent| cb.emit(i))
    };
    let target = match (&f.edge, &f.resource) {
        (Some(e), _) => format!("{} → {}", e.from, e.to),
        (None, Some(r)) => r.clone(),
        (None, None) => "template".to_owned(),
    };
    // The click is handled on the item, so a click anywhere on it selects; the button
    // inside is the keyboard route (its click bubbles here).
    html! {
        <li ref={li} class={classes!("finding", format!("p-{}", f.pillar.as_str()), p.selected.then_some("selected"))}
            data-rule={f.rule.clone()} data-file={f.file.clone().filter(|_| cfg!(feature = "apps"))} data-resource={f.resource.clone().unwrap_or_default()}
            data-pillar={f.pillar.as_str()} data-severity={f.severity.as_str()}
            data-selected={p.selected.then_some("true")} {onclick}>
            // named by what it shows (severity, target, line, message): a label of its own would
            // not start with the visible text (WCAG 2.5.3)
            <button type="button" class="finding-main" aria-pressed={if p.selected { "true" } else { "false" }}>
                <span class="finding-head">
                    { severity_tag(f.severity) }
                    <span class="target">{ target }</span>
                    // an app's finding names its file (only the `apps` build reads apps)
                    if let Some(file) = f.file.as_ref().filter(|_| cfg!(feature = "apps")) {
                        <span class="file muted" title={file.clone()}>{ file.rsplit('/').next().unwrap_or(file) }</span>
                    }
                    <span class="line muted">{ format!("L{}", f.line) }</span>
                </span>
                { super::markdown::inline(&f.message, "message") }
            </button>
            if p.selected {
                <div class="remediation">
                    <strong>{"Fix: "}</strong>{ super::markdown::inline(&f.remediation, "fix") }
                    if let Some(c) = &f.condition {
                        <div class="muted">{ format!("Holds when condition {c} is true.") }</div>
                    }
                </div>
            }
            <a class="rule-link" href={format!("rules.html#/rules/{}", f.rule)} title="Rule documentation">{ f.rule.clone() }</a>
        </li>
    }
}
