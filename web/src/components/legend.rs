//! The legend doubles as the filter: toggle each pillar, pick a minimum severity.

use pillarlint_core::diagram::Filter;
use pillarlint_core::rules::{Pillar, Severity};
use yew::prelude::*;

use super::glyph::pillar_icon;

/// A plain function, not a component: it has no state of its own, and a component costs
/// its own Yew lifecycle code in the bundle.
pub struct LegendProps {
    pub filter: Filter,
    /// Unsuppressed findings per pillar (all severities).
    pub counts: [usize; 4],
    pub on_toggle: Callback<Pillar>,
    pub on_min_severity: Callback<Severity>,
}

pub fn pillar_short(p: Pillar) -> &'static str {
    match p {
        Pillar::Auth => "Auth",
        Pillar::Data => "Data",
        Pillar::Logging => "Logging",
        Pillar::Dos => "DoS",
    }
}

pub fn legend(p: &LegendProps) -> Html {
    let toggles: Html = Pillar::ALL
        .iter()
        .enumerate()
        .map(|(i, &pl)| {
            let on = p.filter.pillars.contains(&pl);
            let cb = p.on_toggle.clone();
            html! {
                <button type="button" class={classes!("pillar-toggle", format!("p-{}", pl.as_str()), (!on).then_some("off"))}
                        aria-pressed={if on { "true" } else { "false" }} data-pillar={pl.as_str()}
                        title={format!("{} — click to {} on the diagram", pl.title(), if on { "hide" } else { "show" })}
                        onclick={Callback::from(move |_: MouseEvent| cb.emit(pl))}>
                    { pillar_icon(pl) }
                    <span>{ pillar_short(pl) }</span>
                    <span class="count">{ p.counts[i] }</span>
                </button>
            }
        })
        .collect();
    let onchange = {
        let cb = p.on_min_severity.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                if let Some(sev) = Severity::parse(&s.value()) {
                    cb.emit(sev);
                }
            }
        })
    };
    html! {
        <div class="legend" role="group" aria-label="Legend and filter">
            { toggles }
            <label class="min-sev">
                <span>{"min"}</span>
                <select id="min-severity" aria-label="Minimum severity shown" {onchange}>
                    { for Severity::ALL.iter().map(|s| html! {
                        <option value={s.as_str()} selected={*s == p.filter.min_severity}>{ s.as_str() }</option>
                    }) }
                </select>
            </label>
            <span class="edge-key" aria-hidden="true">
                <svg width="28" height="8"><path d="M1 4H27" class="k-trigger" /></svg>{"trigger"}
                <svg width="28" height="8"><path d="M1 4H27" class="k-access" /></svg>{"access"}
                <svg width="28" height="8"><path d="M1 4H27" class="k-reference" /></svg>{"reference"}
                <svg width="28" height="8"><path d="M1 4H27" class="k-assumes" /></svg>{"assumes"}
            </span>
        </div>
    }
}
