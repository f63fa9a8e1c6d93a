//! Pillar glyphs and severity tags for HTML (legend, findings, rule pages): the same shapes
//! the diagram uses, written as markup (one raw node each, not a Yew element tree).

use pillarlint_core::diagram::pillar_glyph;
use pillarlint_core::rules::{Pillar, Severity};
use yew::prelude::*;

use super::markdown::raw;

/// A stand-alone pillar icon: a coloured disc with the pillar's white glyph.
pub fn pillar_icon(p: Pillar) -> Html {
    raw(pillar_icon_html(p))
}

pub fn pillar_icon_html(p: Pillar) -> String {
    let k = p.as_str();
    format!(
        "<svg class=\"pillar-icon\" viewBox=\"-10 -10 20 20\" width=\"20\" height=\"20\" aria-hidden=\"true\">\
         <g class=\"chip p-{k}\" data-pillar=\"{k}\"><circle cx=\"0\" cy=\"0\" r=\"9\"/>\
         <path transform=\"scale(1.125)\" d=\"{}\"/></g></svg>",
        pillar_glyph(p)
    )
}

/// A severity tag.
pub fn severity_tag(s: Severity) -> Html {
    raw(severity_tag_html(s))
}

pub fn severity_tag_html(s: Severity) -> String {
    let k = s.as_str();
    format!("<span class=\"sev sev-{k}\">{k}</span>")
}

/// The pillarlint logo (four pillars) as inline markup: the page's icon link already
/// fetches the file, an `<img>` of it would fetch it a second time.
pub fn logo(size: u32) -> Html {
    raw(format!(
        "<svg class=\"logo\" width=\"{size}\" height=\"{size}\" viewBox=\"0 0 32 32\" aria-hidden=\"true\">\
         <rect x=\"3\" y=\"4\" width=\"5\" height=\"24\" rx=\"1\" fill=\"#c2410c\"/>\
         <rect x=\"10\" y=\"4\" width=\"5\" height=\"24\" rx=\"1\" fill=\"#1d4ed8\"/>\
         <rect x=\"17\" y=\"4\" width=\"5\" height=\"24\" rx=\"1\" fill=\"#047857\"/>\
         <rect x=\"24\" y=\"4\" width=\"5\" height=\"24\" rx=\"1\" fill=\"#a21caf\"/></svg>"
    ))
}
