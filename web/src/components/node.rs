//! One diagram node, drawn from its `SceneNode`.

use pillarlint_core::diagram::svg::badge_text;
use pillarlint_core::diagram::{
    ellipsize, kind_family, kind_title, severity_weight, Filter, SceneNode, SUB_CHARS,
};
use yew::prelude::*;

use super::glyph::{chip, kind_glyph};

struct Ctx<'a> {
    filter: &'a Filter,
    selected: bool,
    dimmed: bool,
    on_select: &'a Callback<String>,
}

/// One node as SVG. A plain function, not a component: a diagram of hundreds of nodes renders
/// in a fraction of the time without a component (scope, props clone) per node.
pub fn node_view(
    n: &SceneNode,
    filter: &Filter,
    selected: bool,
    dimmed: bool,
    on_select: &Callback<String>,
) -> Html {
    let p = Ctx {
        filter,
        selected,
        dimmed,
        on_select,
    };
    let worst = p.filter.worst(&n.marks);
    let visible: Vec<_> = p.filter.visible(&n.marks).collect();
    let pillars = p.filter.pillar_list(&n.marks);
    let aria = {
        let mut s = format!("{} ({})", n.id, kind_title(n.kind));
        if visible.is_empty() {
            s.push_str(", no findings");
        } else {
            for m in &visible {
                s.push_str(&format!(
                    ", {} {} ({} finding{})",
                    m.pillar.as_str(),
                    m.severity.as_str(),
                    m.count,
                    if m.count == 1 { "" } else { "s" }
                ));
            }
        }
        s
    };
    let onclick = {
        let cb = p.on_select.clone();
        let id = n.id.clone();
        Callback::from(move |_: MouseEvent| cb.emit(id.clone()))
    };
    let onkeydown = {
        let cb = p.on_select.clone();
        let id = n.id.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                cb.emit(id.clone());
            }
        })
    };
    let sub = match worst {
        Some(m) => format!("{} · {}", kind_title(n.kind), m.severity.as_str()),
        None => kind_title(n.kind).to_owned(),
    };
    let class = classes!(
        "node",
        format!("fam-{}", kind_family(n.kind)),
        worst.map(|m| format!("worst-{}", m.pillar.as_str())),
        worst.is_none().then_some("clean"),
        p.dimmed.then_some("dim"),
    );
    let mut bx = 10.0;
    let badges: Html = n
        .badges
        .iter()
        .take(4)
        .filter_map(|b| {
            let t = ellipsize(&badge_text(&b.kind), 12);
            let w = 10.0 + t.chars().count() as f32 * 6.2;
            if bx + w > n.w - 8.0 {
                return None;
            }
            let x = bx;
            bx += w + 4.0;
            Some(html! {
                <g class="badge" data-badge={b.kind.clone()}>
                    <title>{ b.text.clone() }</title>
                    <rect x={x.to_string()} y={(n.h - 24.0).to_string()} width={w.to_string()} height="16" rx="8" />
                    <text x={(x + 5.0).to_string()} y={(n.h - 12.5).to_string()}>{ t }</text>
                </g>
            })
        })
        .collect();
    let chips: Html = visible
        .iter()
        .rev()
        .enumerate()
        .map(|(i, m)| chip(m.pillar, n.w - 14.0 - i as f32 * 21.0, 0.0, 9.0))
        .collect();
    html! {
        <g key={n.id.clone()} {class} data-node-id={n.id.clone()} data-kind={n.kind.as_str()} data-pillars={pillars}
           data-selected={p.selected.then_some("true")}
           transform={format!("translate({} {})", n.x, n.y)}
           tabindex="0" role="button" aria-label={aria} aria-pressed={if p.selected { "true" } else { "false" }}
           {onclick} {onkeydown}>
            <title>{ format!("{} — {}", n.id, n.type_) }</title>
            <rect class="body" width={n.w.to_string()} height={n.h.to_string()} rx="10"
                  stroke-width={worst.map_or(1.0, |m| severity_weight(m.severity)).to_string()} />
            <rect class="tile" x="10" y="10" width="36" height="36" rx="8" />
            { kind_glyph(n.kind, 18.0, 18.0) }
            <text class="label" x="56" y="25">{ ellipsize(&n.label, 19) }</text>
            <text class="sub" x="56" y="42">{ ellipsize(&sub, SUB_CHARS) }</text>
            { badges }
            { chips }
        </g>
    }
}
