//! Pillar glyphs as Yew SVG for the legend and findings: the same shapes the diagram uses.

use pillarlint_core::diagram::pillar_glyph;
use pillarlint_core::rules::{Pillar, Severity};
use yew::prelude::*;

/// A pillar chip (coloured disc + white glyph) inside an SVG, centred at (cx, cy).
pub fn chip(p: Pillar, cx: f32, cy: f32, r: f32) -> Html {
    let k = r / 8.0;
    html! {
        <g class={classes!("chip", format!("p-{}", p.as_str()))} data-pillar={p.as_str()}>
            <circle cx={cx.to_string()} cy={cy.to_string()} r={r.to_string()} />
            <path transform={format!("translate({cx} {cy}) scale({k})")} d={pillar_glyph(p)} />
        </g>
    }
}

/// A stand-alone pillar icon for HTML (legend, findings headers).
pub fn pillar_icon(p: Pillar) -> Html {
    html! {
        <svg class="pillar-icon" viewBox="-10 -10 20 20" width="20" height="20" aria-hidden="true">
            { chip(p, 0.0, 0.0, 9.0) }
        </svg>
    }
}

/// A severity tag for HTML.
pub fn severity_tag(s: Severity) -> Html {
    html! { <span class={classes!("sev", format!("sev-{}", s.as_str()))}>{ s.as_str() }</span> }
}
